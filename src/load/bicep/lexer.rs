//! The Bicep lexer: source text to tokens, as the Bicep compiler's own lexer cuts it. Whitespace
//! and comments are dropped; a run of line breaks (with the blanks and comments between them) is
//! one `NewLine` token, since line breaks end statements and separate array and object items. A
//! string with interpolation is cut into pieces (`'a${`, `}b${`, `}c'`) with the expressions of
//! its holes lexed in between, as the compiler does, using a stack of the open holes.

use super::ast::SyntaxError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Ident,
    Int,
    True,
    False,
    Null,
    /// `'text'` or `'''text'''`: a string without holes.
    StrComplete,
    /// `'text${`: the start of a string with holes.
    StrLeft,
    /// `}text${`: between two holes.
    StrMiddle,
    /// `}text'`: after the last hole.
    StrRight,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LSquare,
    RSquare,
    At,
    Comma,
    Dot,
    Ellipsis,
    Question,
    DoubleQuestion,
    Colon,
    DoubleColon,
    Semicolon,
    Plus,
    Minus,
    Percent,
    Star,
    Slash,
    Hat,
    Bang,
    NotEq,
    NotEqI,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Assign,
    EqEq,
    EqI,
    Arrow,
    AndAnd,
    OrOr,
    Pipe,
    NewLine,
    Unrecognized,
    Eof,
}

/// A token: its kind and byte range; for a string piece also the range of its text between the
/// delimiters (`cs..ce`), and whether it belongs to a multi-line string (no escapes).
#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
    pub cs: usize,
    pub ce: usize,
    pub multiline: bool,
}

/// An open string hole or an object brace opened inside a hole (so that its `}` closes the
/// object, not the hole).
struct Hole {
    brace: bool,
    multiline: bool,
    dollars: usize,
    /// Where the string opened, for "unterminated string".
    string_start: usize,
}

pub struct Lexed {
    pub tokens: Vec<Token>,
    pub errors: Vec<SyntaxError>,
}

const PRAGMAS: [&str; 3] = [
    "disable-next-line",
    "disable-diagnostics",
    "restore-diagnostics",
];

pub fn lex(text: &str) -> Lexed {
    let mut lx = Lexer {
        src: text.as_bytes(),
        text,
        pos: 0,
        tokens: Vec::with_capacity(text.len() / 4 + 1),
        errors: Vec::new(),
        holes: Vec::new(),
    };
    if text.starts_with('\u{feff}') {
        lx.pos = 3;
    }
    lx.run();
    Lexed {
        tokens: lx.tokens,
        errors: lx.errors,
    }
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    errors: Vec<SyntaxError>,
    holes: Vec<Hole>,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl<'a> Lexer<'a> {
    fn peek(&self, ahead: usize) -> u8 {
        self.src.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn error(&mut self, start: usize, end: usize, message: &str) {
        self.errors.push(SyntaxError {
            span: start..end,
            message: message.to_string(),
        });
    }

    fn push(&mut self, kind: Tok, start: usize) {
        self.tokens.push(Token {
            kind,
            start,
            end: self.pos,
            cs: 0,
            ce: 0,
            multiline: false,
        });
    }

    fn push_newline(&mut self, start: usize) {
        // A run of line breaks, blanks and comments is one token.
        if matches!(self.tokens.last(), Some(t) if t.kind == Tok::NewLine) {
            return;
        }
        self.push(Tok::NewLine, start);
    }

    /// Only blanks between the start of the line and `pos`.
    fn at_line_start(&self, pos: usize) -> bool {
        let mut i = pos;
        while i > 0 {
            match self.src[i - 1] {
                b' ' | b'\t' => i -= 1,
                b'\n' | b'\r' => return true,
                _ => return false,
            }
        }
        true
    }

    fn run(&mut self) {
        loop {
            // Trivia.
            match self.peek(0) {
                b' ' | b'\t' => {
                    self.pos += 1;
                    continue;
                }
                b'/' if self.peek(1) == b'/' => {
                    while !self.at_end() && !matches!(self.peek(0), b'\n' | b'\r') {
                        self.pos += 1;
                    }
                    continue;
                }
                b'/' if self.peek(1) == b'*' => {
                    let start = self.pos;
                    self.pos += 2;
                    match memchr::memmem::find(&self.src[self.pos..], b"*/") {
                        Some(i) => self.pos += i + 2,
                        None => {
                            self.pos = self.src.len();
                            self.error(start, start + 2, "unterminated comment");
                        }
                    }
                    continue;
                }
                b'#' if self.at_line_start(self.pos) => {
                    let rest = &self.text[self.pos + 1..];
                    if PRAGMAS.iter().any(|p| rest.starts_with(p)) {
                        while !self.at_end() && !matches!(self.peek(0), b'\n' | b'\r') {
                            self.pos += 1;
                        }
                        continue;
                    }
                }
                _ => {}
            }
            if self.at_end() {
                if let Some(hole) = self.holes.iter().find(|h| !h.brace) {
                    let s = hole.string_start;
                    self.error(s, s + 1, "unterminated string");
                }
                let end = self.src.len();
                self.tokens.push(Token {
                    kind: Tok::Eof,
                    start: end,
                    end,
                    cs: end,
                    ce: end,
                    multiline: false,
                });
                return;
            }
            self.token();
        }
    }

    fn token(&mut self) {
        let start = self.pos;
        let c = self.peek(0);
        self.pos += 1;
        let two = |lx: &mut Lexer, next: u8, yes: Tok, no: Tok| -> Tok {
            if lx.peek(0) == next {
                lx.pos += 1;
                yes
            } else {
                no
            }
        };
        let kind = match c {
            b'\n' | b'\r' => {
                if let Some(i) = self.holes.iter().position(|h| !h.brace) {
                    // A line break inside a hole ends the string (unterminated) so that the
                    // parser finishes it; the break itself is lexed next.
                    self.pos = start;
                    let s = self.holes[i].string_start;
                    self.error(s, s + 1, "unterminated string");
                    self.holes.clear();
                    self.tokens.push(Token {
                        kind: Tok::StrRight,
                        start,
                        end: start,
                        cs: start,
                        ce: start,
                        multiline: false,
                    });
                    return;
                }
                self.push_newline(start);
                return;
            }
            b'{' => {
                if !self.holes.is_empty() {
                    self.holes.push(Hole {
                        brace: true,
                        multiline: false,
                        dollars: 0,
                        string_start: start,
                    });
                }
                Tok::LBrace
            }
            b'}' => match self.holes.last() {
                Some(h) if h.brace => {
                    self.holes.pop();
                    Tok::RBrace
                }
                Some(h) => {
                    let (multiline, dollars, string_start) =
                        (h.multiline, h.dollars, h.string_start);
                    if multiline {
                        self.multiline_string(start, false, dollars, string_start);
                    } else {
                        self.string(start, false, string_start);
                    }
                    return;
                }
                None => Tok::RBrace,
            },
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LSquare,
            b']' => Tok::RSquare,
            b'@' => Tok::At,
            b',' => Tok::Comma,
            b'.' => {
                if self.peek(0) == b'.' && self.peek(1) == b'.' {
                    self.pos += 2;
                    Tok::Ellipsis
                } else {
                    Tok::Dot
                }
            }
            b'?' => two(self, b'?', Tok::DoubleQuestion, Tok::Question),
            b':' => two(self, b':', Tok::DoubleColon, Tok::Colon),
            b';' => Tok::Semicolon,
            b'+' => Tok::Plus,
            b'-' => Tok::Minus,
            b'%' => Tok::Percent,
            b'*' => Tok::Star,
            b'/' => Tok::Slash,
            b'^' => Tok::Hat,
            b'$' => {
                let mut dollars = 1;
                while self.peek(0) == b'$' {
                    self.pos += 1;
                    dollars += 1;
                }
                if self.peek(0) == b'\'' && self.peek(1) == b'\'' && self.peek(2) == b'\'' {
                    self.pos += 3;
                    self.multiline_string(start, true, dollars, start);
                    return;
                }
                Tok::Unrecognized
            }
            b'!' => match self.peek(0) {
                b'=' => {
                    self.pos += 1;
                    Tok::NotEq
                }
                b'~' => {
                    self.pos += 1;
                    Tok::NotEqI
                }
                _ => Tok::Bang,
            },
            b'<' => two(self, b'=', Tok::LtEq, Tok::Lt),
            b'>' => two(self, b'=', Tok::GtEq, Tok::Gt),
            b'=' => match self.peek(0) {
                b'=' => {
                    self.pos += 1;
                    Tok::EqEq
                }
                b'~' => {
                    self.pos += 1;
                    Tok::EqI
                }
                b'>' => {
                    self.pos += 1;
                    Tok::Arrow
                }
                _ => Tok::Assign,
            },
            b'&' => two(self, b'&', Tok::AndAnd, Tok::Unrecognized),
            b'|' => two(self, b'|', Tok::OrOr, Tok::Pipe),
            b'\'' => {
                if self.peek(0) == b'\'' && self.peek(1) == b'\'' {
                    self.pos += 2;
                    self.multiline_string(start, true, 0, start);
                } else {
                    self.string(start, true, start);
                }
                return;
            }
            c if c.is_ascii_digit() => {
                while self.peek(0).is_ascii_digit() {
                    self.pos += 1;
                }
                Tok::Int
            }
            c if is_ident_start(c) => {
                while is_ident_continue(self.peek(0)) {
                    self.pos += 1;
                }
                match &self.text[start..self.pos] {
                    "true" => Tok::True,
                    "false" => Tok::False,
                    "null" => Tok::Null,
                    _ => Tok::Ident,
                }
            }
            _ => {
                // One whole character, whatever its length in bytes.
                let ch = self.text[start..].chars().next().map_or(1, char::len_utf8);
                self.pos = start + ch;
                Tok::Unrecognized
            }
        };
        self.push(kind, start);
    }

    /// A single-line string piece, after its opening `'` (first) or `}` (later pieces).
    fn string(&mut self, start: usize, first: bool, string_start: usize) {
        let cs = self.pos;
        loop {
            if self.at_end() || matches!(self.peek(0), b'\n' | b'\r') {
                self.error(string_start, string_start + 1, "unterminated string");
                if !first {
                    self.holes.pop();
                }
                let end = self.pos;
                self.tokens.push(Token {
                    kind: if first {
                        Tok::StrComplete
                    } else {
                        Tok::StrRight
                    },
                    start,
                    end,
                    cs,
                    ce: end,
                    multiline: false,
                });
                return;
            }
            let c = self.peek(0);
            self.pos += 1;
            match c {
                b'\'' => {
                    if !first {
                        self.holes.pop();
                    }
                    self.tokens.push(Token {
                        kind: if first {
                            Tok::StrComplete
                        } else {
                            Tok::StrRight
                        },
                        start,
                        end: self.pos,
                        cs,
                        ce: self.pos - 1,
                        multiline: false,
                    });
                    return;
                }
                b'$' if self.peek(0) == b'{' => {
                    self.pos += 1;
                    if first {
                        self.holes.push(Hole {
                            brace: false,
                            multiline: false,
                            dollars: 1,
                            string_start,
                        });
                    }
                    self.tokens.push(Token {
                        kind: if first { Tok::StrLeft } else { Tok::StrMiddle },
                        start,
                        end: self.pos,
                        cs,
                        ce: self.pos - 2,
                        multiline: false,
                    });
                    return;
                }
                b'\\' => {
                    let esc = self.pos - 1;
                    match self.peek(0) {
                        b'\\' | b'\'' | b'n' | b'r' | b't' | b'$' => self.pos += 1,
                        b'u' if self.peek(1) == b'{' => {
                            self.pos += 2;
                            let hex = self.pos;
                            while self.peek(0).is_ascii_hexdigit() {
                                self.pos += 1;
                            }
                            let digits = &self.text[hex..self.pos];
                            let ok = self.peek(0) == b'}'
                                && u32::from_str_radix(digits, 16)
                                    .ok()
                                    .is_some_and(|v| char::from_u32(v).is_some() || v <= 0x10FFFF);
                            if self.peek(0) == b'}' {
                                self.pos += 1;
                            }
                            if !ok {
                                self.error(esc, self.pos, "invalid unicode escape");
                            }
                        }
                        0 if self.at_end() => {}
                        b'\n' | b'\r' => {}
                        _ => {
                            let len = self.text[self.pos..]
                                .chars()
                                .next()
                                .map_or(1, char::len_utf8);
                            self.pos += len;
                            self.error(esc, self.pos, "unrecognized escape sequence");
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A multi-line string piece, after its opening `'''` / `$'''` (first) or `}` (later).
    fn multiline_string(&mut self, start: usize, first: bool, dollars: usize, string_start: usize) {
        let cs = self.pos;
        loop {
            if self.at_end() {
                let s = string_start;
                self.error(s, s + 1 + dollars, "unterminated string");
                if !first {
                    self.holes.pop();
                }
                let end = self.pos;
                self.tokens.push(Token {
                    kind: if first {
                        Tok::StrComplete
                    } else {
                        Tok::StrRight
                    },
                    start,
                    end,
                    cs,
                    ce: end,
                    multiline: true,
                });
                return;
            }
            match self.peek(0) {
                b'$' => {
                    let run = self.pos;
                    while self.peek(0) == b'$' {
                        self.pos += 1;
                    }
                    let n = self.pos - run;
                    if dollars > 0 && n >= dollars && self.peek(0) == b'{' {
                        self.pos += 1;
                        if first {
                            self.holes.push(Hole {
                                brace: false,
                                multiline: true,
                                dollars,
                                string_start,
                            });
                        }
                        self.tokens.push(Token {
                            kind: if first { Tok::StrLeft } else { Tok::StrMiddle },
                            start,
                            end: self.pos,
                            cs,
                            ce: self.pos - 1 - dollars,
                            multiline: true,
                        });
                        return;
                    }
                }
                b'\'' => {
                    let run = self.pos;
                    while self.peek(0) == b'\'' {
                        self.pos += 1;
                    }
                    if self.pos - run >= 3 {
                        if !first {
                            self.holes.pop();
                        }
                        self.tokens.push(Token {
                            kind: if first {
                                Tok::StrComplete
                            } else {
                                Tok::StrRight
                            },
                            start,
                            end: self.pos,
                            cs,
                            ce: self.pos - 3,
                            multiline: true,
                        });
                        return;
                    }
                }
                _ => self.pos += 1,
            }
        }
    }
}

/// The value of a single-line string piece's text: escapes replaced (an invalid escape is kept
/// as written; the lexer reported it).
pub fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().map(|&(_, c)| c) {
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('$') => out.push('$'),
            Some('u') => {
                let rest = &raw[i + 2..];
                let decoded = rest.strip_prefix('{').and_then(|body| {
                    let close = body.find('}')?;
                    let v = u32::from_str_radix(&body[..close], 16).ok()?;
                    Some((char::from_u32(v)?, close))
                });
                if let Some((ch, close)) = decoded {
                    out.push(ch);
                    // Skip `u{...}`: `u`, `{`, the digits and `}`.
                    let end = i + 2 + close + 2;
                    while let Some(&(j, _)) = chars.peek() {
                        if j >= end {
                            break;
                        }
                        chars.next();
                    }
                    continue;
                }
                out.push('\\');
                continue;
            }
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}
