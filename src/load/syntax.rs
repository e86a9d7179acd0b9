//! Where a syntax error starts. A parser reports the place where it gave up, which for a string,
//! heredoc, comment or bracket left open is often many lines below the mistake. When parsing has
//! failed (never otherwise, so valid files cost nothing), a lexer-level scan finds the first
//! construct that is never closed, and the error is reported at its opening, with the parser's
//! position as a note.
//!
//! The scan knows the lexical structure only: quoted strings with their escapes, `${` and `%{`
//! template sequences (and their `$${` / `%%{` escapes), heredocs (`<<EOF`, `<<-EOF`), comments
//! (`#`, `//`, `/* */`) and the nesting of `{`, `[` and `(`. `.tf.json` files use the JSON subset:
//! strings with escapes, comments, `{` and `[`.

use crate::load::LoadError;
use crate::source::{char_floor, line_column, FileId, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Hcl,
    Json,
}

/// A construct that is opened and never closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unclosed {
    /// Byte offset of its opening (`"`, `${`, `<<EOF`, `/*`, `{`).
    pub start: usize,
    /// Length of the opening token.
    pub len: usize,
    /// What is wrong, for the message: `unterminated string: ...`.
    pub what: String,
    pub kind: Kind,
}

/// How sure the scan is that this construct is what the parser tripped on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string, template sequence, heredoc or comment that runs on: an error wherever the parser
    /// stopped after its opening.
    Runs,
    /// A bracket closed by the wrong kind of closer (at this offset): the cause when the parser
    /// stopped there or later.
    Mismatch(usize),
    /// A bracket still open at the end of the text: the cause when the parser ran to the end.
    AtEnd,
}

#[derive(Clone, Copy, Debug)]
enum Frame {
    /// `{`, `[` or `(` at an offset, and the indentation of its line.
    Open(u8, usize, usize),
    /// `${` or `%{` inside a string or heredoc, at an offset.
    Interp(u8, usize),
    /// A quoted string opened at an offset.
    Str(usize),
}

/// The error entry for a JSON file that does not parse, located by [`locate`].
pub fn json_error(file: FileId, text: &str, at: usize, prefix: &str, message: &str) -> LoadError {
    let (range, message) = locate(text, Dialect::Json, at, prefix, message);
    LoadError {
        file,
        span: Some(Span::new(file, range)),
        message,
    }
}

/// The message (after `prefix`, such as `cannot parse`) and byte range for a parse error that the
/// parser located at `at` with `message`: at the opening of the first unclosed construct when
/// there is one at or before `at`, else where the parser stopped.
pub fn locate(
    text: &str,
    dialect: Dialect,
    at: usize,
    prefix: &str,
    message: &str,
) -> (std::ops::Range<usize>, String) {
    // A parser may stop inside a multi-byte character (hcl-edit does, on U+FFFD): the range and
    // the slices below take the whole character.
    let at = char_floor(text, at);
    let next = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let parser = (at..next, format!("{prefix}: {message}"));
    let Some(u) = unclosed(text, dialect) else {
        return parser;
    };
    let (line, column) = line_column(text, at);
    let (start_line, _) = line_column(text, u.start);
    let cause = match u.kind {
        // hcl-edit backtracks to the start of an attribute: on the same line, the construct is
        // the better place to look.
        Kind::Runs => u.start <= at || start_line == line,
        Kind::Mismatch(closer) => closer <= at,
        Kind::AtEnd => text[at..].trim().is_empty(),
    };
    if !cause {
        return parser;
    }
    let note = if line == start_line {
        String::new()
    } else {
        format!(" (the parser stopped at line {line}, column {column}: {message})")
    };
    (
        u.start..(u.start + u.len).min(text.len()),
        format!("{prefix}: {}{note}", u.what),
    )
}

/// The first construct in `text` that is never closed, in reading order: a string, template
/// sequence, heredoc or comment that runs to the end of the file (or, for a quoted string, past the
/// end of its line), a bracket closed by the wrong kind, or a bracket still open at the end.
pub fn unclosed(text: &str, dialect: Dialect) -> Option<Unclosed> {
    let b = text.as_bytes();
    let hcl = dialect == Dialect::Hcl;
    let mut stack: Vec<Frame> = Vec::new();
    // The first bracket closed by a closer that is less indented than the bracket's line: when a
    // bracket is still open at the end, this one is most likely the one missing its closer.
    let mut suspect: Option<(u8, usize)> = None;
    let mut lines = Lines::default();
    let mut i = 0;
    while i < b.len() {
        lines.advance(b, i);
        let c = b[i];
        let next = b.get(i + 1).copied();
        if let Some(Frame::Str(_)) = stack.last() {
            match c {
                b'"' => {
                    stack.pop();
                    i += 1;
                }
                b'\\' => i += 2,
                b'\n' => {
                    return Some(open_string(
                        &stack,
                        b,
                        "it must be closed on the line where it starts",
                    ))
                }
                b'$' | b'%' if hcl && next == Some(c) && b.get(i + 2) == Some(&b'{') => i += 3,
                b'$' | b'%' if hcl && next == Some(b'{') => {
                    stack.push(Frame::Interp(c, i));
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match (c, next) {
            (b'#', _) if hcl => i = line_end(b, i),
            (b'/', Some(b'/')) => i = line_end(b, i),
            (b'/', Some(b'*')) => match find(b, i + 2, b"*/") {
                Some(end) => i = end + 2,
                None => {
                    return Some(Unclosed {
                        start: i,
                        len: 2,
                        what: "unterminated comment: this `/*` has no closing `*/`".into(),
                        kind: Kind::Runs,
                    })
                }
            },
            (b'"', _) => {
                stack.push(Frame::Str(i));
                i += 1;
            }
            (b'<', Some(b'<')) if hcl => match heredoc(b, i) {
                Some(Heredoc::Closed(end)) => i = end,
                Some(Heredoc::Open { len, marker }) => {
                    return Some(Unclosed {
                        start: i,
                        len,
                        what: format!("unterminated heredoc: no line `{marker}` ends it"),
                        kind: Kind::Runs,
                    })
                }
                None => i += 2,
            },
            (b'{' | b'[' | b'(', _) if hcl || c != b'(' => {
                stack.push(Frame::Open(c, i, lines.indent(b)));
                i += 1;
            }
            (b'}' | b']' | b')', _) if hcl || c != b')' => {
                match stack.last().copied() {
                    Some(Frame::Interp(_, _)) if c == b'}' => {}
                    Some(Frame::Open(o, at, open_indent)) if closer(o) == c => {
                        // The closer starts its line, less indented than the opener's line.
                        let indent = lines.indent(b);
                        if suspect.is_none() && lines.start + indent == i && indent < open_indent {
                            suspect = Some((o, at));
                        }
                    }
                    Some(Frame::Open(o, at, _)) => {
                        return Some(open_bracket(o, at, Kind::Mismatch(i)))
                    }
                    Some(Frame::Interp(o, at)) => {
                        return Some(open_interp(o, at, Kind::Mismatch(i)))
                    }
                    // A closer with nothing open: the parser stops right there.
                    Some(Frame::Str(_)) | None => return None,
                }
                stack.pop();
                i += 1;
            }
            _ => i += 1,
        }
    }
    match stack.last().copied()? {
        Frame::Str(_) => Some(open_string(
            &stack,
            b,
            "no closing `\"` before the end of the file",
        )),
        Frame::Interp(o, at) => Some(open_interp(o, at, Kind::Runs)),
        Frame::Open(o, at, _) => {
            let (o, at) = suspect.unwrap_or((o, at));
            Some(open_bracket(o, at, Kind::AtEnd))
        }
    }
}

/// An unterminated quoted string (the top of `stack`). Inside a `${...}` of another string, the
/// `${` is what was left open (`"${var.x"`): that is reported instead.
fn open_string(stack: &[Frame], b: &[u8], why: &str) -> Unclosed {
    let interp = stack.iter().rev().find_map(|f| match f {
        Frame::Interp(o, at) => Some((*o, *at)),
        _ => None,
    });
    if let Some((o, at)) = interp {
        return open_interp(o, at, Kind::Runs);
    }
    let start = match stack.last() {
        Some(Frame::Str(at)) => *at,
        _ => b.len(),
    };
    Unclosed {
        start,
        len: 1,
        what: format!("unterminated string: {why}"),
        kind: Kind::Runs,
    }
}

fn open_interp(o: u8, at: usize, kind: Kind) -> Unclosed {
    let o = o as char;
    Unclosed {
        start: at,
        len: 2,
        what: format!("unclosed template sequence: this `{o}{{` has no closing `}}`"),
        kind,
    }
}

fn open_bracket(o: u8, at: usize, kind: Kind) -> Unclosed {
    Unclosed {
        start: at,
        len: 1,
        what: format!(
            "unclosed `{}`: it has no matching `{}`",
            o as char,
            closer(o) as char
        ),
        kind,
    }
}

fn closer(open: u8) -> u8 {
    match open {
        b'{' => b'}',
        b'[' => b']',
        _ => b')',
    }
}

/// The offset of the end of the line that `i` is on (its `\n`, or the end of the text).
pub(crate) fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |n| i + n)
}

/// The start and indentation of the line being scanned, kept up to date in one pass (a scan may
/// jump over comments and heredocs).
#[derive(Default)]
struct Lines {
    /// Everything before this offset has been looked at for line breaks.
    seen: usize,
    /// Start of the current line.
    start: usize,
    /// Spaces and tabs at the start of the current line, once counted.
    indent: Option<usize>,
}

impl Lines {
    fn advance(&mut self, b: &[u8], i: usize) {
        if i <= self.seen {
            return;
        }
        if let Some(n) = b[self.seen..i].iter().rposition(|&c| c == b'\n') {
            self.start = self.seen + n + 1;
            self.indent = None;
        }
        self.seen = i;
    }

    fn indent(&mut self, b: &[u8]) -> usize {
        let start = self.start;
        *self.indent.get_or_insert_with(|| {
            b[start..]
                .iter()
                .take_while(|c| matches!(c, b' ' | b'\t'))
                .count()
        })
    }
}

pub(crate) fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|n| from + n)
}

pub(crate) enum Heredoc {
    /// Closed: scanning goes on at this offset (the end of the closing marker's line).
    Closed(usize),
    /// Never closed: the length of `<<MARKER` and the marker.
    Open { len: usize, marker: String },
}

/// A heredoc starting at `i` (`<<EOF` or `<<-EOF` and the end of the line), or `None` when the
/// text there is not a heredoc opening. The closing line holds the marker alone, optionally
/// indented.
pub(crate) fn heredoc(b: &[u8], i: usize) -> Option<Heredoc> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let name_start = j;
    if !b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
    {
        j += 1;
    }
    let marker = &b[name_start..j];
    let len = j - i;
    let rest = match b.get(j..)? {
        [b'\r', b'\n', ..] => j + 2,
        [b'\n', ..] => j + 1,
        _ => return None,
    };
    let mut line = rest;
    while line < b.len() {
        let end = line_end(b, line);
        let content = &b[line..end];
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        let trimmed = content
            .iter()
            .position(|c| !matches!(c, b' ' | b'\t'))
            .map_or(&content[content.len()..], |n| &content[n..]);
        if trimmed == marker {
            return Some(Heredoc::Closed(end));
        }
        line = end + 1;
    }
    Some(Heredoc::Open {
        len,
        marker: String::from_utf8_lossy(marker).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unclosed construct as `line:column what`.
    fn scan(text: &str, dialect: Dialect) -> Option<String> {
        unclosed(text, dialect).map(|u| {
            let (l, c) = line_column(text, u.start);
            format!("{l}:{c} {}", u.what)
        })
    }

    fn hcl(text: &str) -> Option<String> {
        scan(text, Dialect::Hcl)
    }

    #[test]
    fn valid_text_has_nothing_unclosed() {
        let text = r#"
# a "comment with a quote
// and { a brace
/* and a [ bracket
   over lines */
locals {
  a = "esc \" quote and ${ {x = "}"}["x"] } and $${literal} %%{literal}"
  b = "%{ if true }yes%{ else }no%{ endif }"
  c = <<EOF
  unbalanced { " ${ quotes } here
    EOF
  d = <<-EOT
    ${jsonencode({ a = "b" })}
  EOT
  e = [for x in ["a", "b"] : upper(x)]
  f = 1 < 2 && 3 <= 4 ? (5 / 1) : 6
}
"#;
        assert_eq!(hcl(text), None);
    }

    #[test]
    fn a_string_left_open_is_found_at_its_quote() {
        let text = "locals {\n  a = \"ok\"\n  b = \"open\n  c = \"x\"\n}\n";
        assert_eq!(
            hcl(text).as_deref(),
            Some("3:7 unterminated string: it must be closed on the line where it starts")
        );
        assert_eq!(
            hcl("a = \"open").as_deref(),
            Some("1:5 unterminated string: no closing `\"` before the end of the file")
        );
        // An escaped quote does not close it.
        assert_eq!(
            hcl("a = \"x\\\"\n").as_deref().map(|s| &s[..3]),
            Some("1:5")
        );
    }

    #[test]
    fn an_interpolation_left_open_is_found_at_its_dollar() {
        assert_eq!(
            hcl("a = \"${var.x\"\nb = 1\n").as_deref(),
            Some("1:6 unclosed template sequence: this `${` has no closing `}`")
        );
        assert_eq!(
            hcl("a = \"%{ if x \"\n").as_deref(),
            Some("1:6 unclosed template sequence: this `%{` has no closing `}`")
        );
        // A multi-line interpolation is valid.
        assert_eq!(hcl("a = \"${\n  upper(\"x\")\n}\"\n"), None);
        // `${` inside a string in an interpolation is still nested.
        assert_eq!(hcl("a = \"${f(\"${b}\")}\"\n"), None);
    }

    #[test]
    fn heredocs_and_comments_left_open_are_found_at_their_start() {
        assert_eq!(
            hcl("a = 1\nb = <<-EOT\n  text\n  EOF\n").as_deref(),
            Some("2:5 unterminated heredoc: no line `EOT` ends it")
        );
        assert_eq!(
            hcl("a = 1\n/* note\nb = 2\n").as_deref(),
            Some("2:1 unterminated comment: this `/*` has no closing `*/`")
        );
        // `<<` that does not open a heredoc is left alone.
        assert_eq!(hcl("a = \"<<EOF\"\n"), None);
        // Windows line ends.
        assert_eq!(hcl("b = <<EOT\r\n  x\r\nEOT\r\n"), None);
    }

    #[test]
    fn the_bracket_missing_its_closer_is_found_by_indentation() {
        // `tags = {` lacks its `}`: the `}` at column 1 closes it instead, and the resource's `{`
        // is the one open at the end.
        let text =
            "resource \"a\" \"b\" {\n  tags = {\n    env = \"prod\"\n\n}\n\nlocals {\n  c = 2\n}\n";
        assert_eq!(
            hcl(text).as_deref(),
            Some("2:10 unclosed `{`: it has no matching `}`")
        );
        // Without indentation to go by: the innermost bracket open at the end.
        assert_eq!(
            hcl("a {\nb {\nc = [1,\n}\n").as_deref(),
            Some("3:5 unclosed `[`: it has no matching `]`")
        );
        assert_eq!(
            hcl("a {\nb {\nc = 1\n}\n").as_deref(),
            Some("1:3 unclosed `{`: it has no matching `}`")
        );
        // A closer with nothing open is not an unclosed construct.
        assert_eq!(hcl("a = 1\n}\n"), None);
    }

    #[test]
    fn json_strings_end_on_their_line_and_brackets_nest() {
        let json = |t: &str| scan(t, Dialect::Json);
        assert_eq!(
            json("{\n  \"a\": \"x,\n  \"b\": \"y\"\n}\n").as_deref(),
            Some("2:8 unterminated string: it must be closed on the line where it starts")
        );
        // `#`, `${` and `<<` mean nothing in JSON.
        assert_eq!(json("{\"a#\": \"${x\", \"b\": \"<<EOF\"}"), None);
        assert_eq!(
            json("{\n  \"a\": {\n    \"b\": [1\n  }\n}\n").as_deref(),
            Some("3:10 unclosed `[`: it has no matching `]`")
        );
    }

    #[test]
    fn locate_moves_the_error_to_the_opening_and_keeps_the_parser_position_as_a_note() {
        let text = "locals {\n  a = <<EOF\nhello\n}\n";
        let (range, message) = locate(
            text,
            Dialect::Hcl,
            21,
            "cannot parse",
            "expected heredoc end delimiter",
        );
        assert_eq!(&text[range], "<<EOF");
        assert_eq!(
            message,
            "cannot parse: unterminated heredoc: no line `EOF` ends it \
             (the parser stopped at line 3, column 1: expected heredoc end delimiter)"
        );
        // The parser stopped before the construct: its position stands.
        let text = "a = = 1\nb = \"open\n";
        let (range, message) = locate(text, Dialect::Hcl, 4, "cannot parse", "invalid expression");
        assert_eq!(range, 4..5);
        assert_eq!(message, "cannot parse: invalid expression");
        // On the same line, the construct is the better place even when the parser backtracked
        // to the start of the attribute.
        let text = "locals {\n  a = \"abc\n  b = 1\n}\n";
        let (range, message) = locate(text, Dialect::Hcl, 11, "cannot parse", "invalid block body");
        assert_eq!(&text[range], "\"");
        assert!(
            message.starts_with("cannot parse: unterminated string"),
            "{message}"
        );
        // A bracket open at the end is the cause only when the parser ran to the end; otherwise
        // the parser found something else first.
        let text = "{\n  \"resource\": {,\n}";
        let (range, message) = locate(
            text,
            Dialect::Json,
            15,
            "cannot parse",
            "expected a member name",
        );
        assert_eq!(range, 15..16);
        assert_eq!(message, "cannot parse: expected a member name");
        let text = "{\n  \"a\": {\n    \"b\": 1\n}\n";
        let (range, _) = locate(
            text,
            Dialect::Json,
            text.len(),
            "cannot parse",
            "unexpected end of input",
        );
        assert_eq!(range, 9..10);
        // A closer of the wrong kind: the cause when the parser stopped at it.
        let text = "x {\n  v = [1,\n}\n";
        let (range, message) = locate(text, Dialect::Hcl, 14, "cannot parse", "expected `]`");
        assert_eq!(&text[range], "[");
        assert_eq!(
            message,
            "cannot parse: unclosed `[`: it has no matching `]` \
             (the parser stopped at line 3, column 1: expected `]`)"
        );
        let (range, _) = locate(text, Dialect::Hcl, 2, "cannot parse", "something else");
        assert_eq!(range, 2..3);
    }

    /// A parser that stops inside a multi-byte character gets the whole character, not a panic.
    #[test]
    fn an_error_inside_a_character_takes_the_whole_character() {
        let text = "x = \"\u{fffd}\"\n";
        let (range, message) = locate(text, Dialect::Hcl, 6, "cannot parse", "bad");
        assert_eq!(&text[range], "\u{fffd}");
        assert_eq!(message, "cannot parse: bad");
    }
}
