//! A JSON parser that keeps byte spans and accepts what ARM's parser (Json.NET) accepts beyond
//! strict JSON: `//` and `/* */` comments, a leading byte-order mark and trailing commas.
//!
//! Nesting is limited (`json_depth` of [`crate::limits`]), so hostile input (hundreds of thousands of `[`) is
//! an error, never a stack overflow. Errors carry the byte offset where parsing stopped.
//!
//! Every JSON a user writes is parsed here: templates, parameter files, `.tf.json`,
//! `.tfvars.json`, azapi bodies and the strings given to `jsondecode` and ARM `json()`.
//! `serde_json` remains where JSON is written (renderers, baselines, `jsonencode`, quoting) and
//! where a file written by a tool is read into a typed struct: the baseline (written by acrlint)
//! and `.terraform/modules/modules.json` (written by `terraform init`), whose serde derives check
//! the shape in one place.

use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub enum JsonValue {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(JsonKey, Json)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Json {
    pub value: JsonValue,
    /// Byte range of the whole value in the text.
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JsonKey {
    pub name: String,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JsonError {
    pub offset: usize,
    pub message: String,
    /// The document nests deeper than `json_depth`: it may be valid JSON, not analysed.
    pub too_deep: bool,
}

impl JsonError {
    /// The prefix of the error entry: `invalid` (`invalid JSON`) for a syntax error, and
    /// `cannot parse` for a document nested too deeply, which may well be valid JSON.
    pub fn prefix<'p>(&self, invalid: &'p str) -> &'p str {
        if self.too_deep {
            "cannot parse"
        } else {
            invalid
        }
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Json {
    /// Every object in the tree, this one included, with its members; without recursion, so
    /// that a deep document cannot exhaust the stack.
    pub fn objects(&self) -> Vec<(&Json, &[(JsonKey, Json)])> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            match &node.value {
                JsonValue::Array(items) => stack.extend(items),
                JsonValue::Object(members) => {
                    out.push((node, members.as_slice()));
                    stack.extend(members.iter().map(|(_, v)| v));
                }
                _ => {}
            }
        }
        out
    }

    /// Member of an object by name, ASCII case-insensitive (ARM property names are).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match &self.value {
            JsonValue::Object(members) => members
                .iter()
                .find(|(k, _)| k.name.eq_ignore_ascii_case(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            JsonValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn members(&self) -> &[(JsonKey, Json)] {
        match &self.value {
            JsonValue::Object(m) => m,
            _ => &[],
        }
    }
}

/// Parse a whole document. Never panics or overflows the stack: nesting deeper than
/// `json_depth` is an error.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut p = Parser {
        src: text,
        text: text.as_bytes(),
        pos: 0,
    };
    if text.starts_with('\u{feff}') {
        p.pos = '\u{feff}'.len_utf8();
    }
    p.skip_trivia()?;
    let value = p.value(0)?;
    p.skip_trivia()?;
    if p.pos < p.text.len() {
        return Err(p.error("unexpected content after the end of the JSON document"));
    }
    Ok(value)
}

struct Parser<'a> {
    src: &'a str,
    text: &'a [u8],
    pos: usize,
}

/// The index of the first `"` or `\` in `bytes`, eight bytes at a time.
fn find_quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_byte = |word: u64, b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let mut base = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let found =
            has_byte(u64::from_le_bytes(word), b'"') | has_byte(u64::from_le_bytes(word), b'\\');
        if found != 0 {
            // The lowest flagged byte is always a real match (only bytes above one can be
            // flagged falsely).
            return Some(base + found.trailing_zeros() as usize / 8);
        }
        base += 8;
    }
    bytes[base..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\')
        .map(|i| base + i)
}

impl Parser<'_> {
    fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError {
            offset: self.pos.min(self.text.len()),
            message: message.into(),
            too_deep: false,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    /// Skip whitespace and comments.
    fn skip_trivia(&mut self) -> Result<(), JsonError> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') => match self.text.get(self.pos + 1) {
                    Some(b'/') => {
                        while let Some(b) = self.peek() {
                            if b == b'\n' {
                                break;
                            }
                            self.pos += 1;
                        }
                    }
                    Some(b'*') => {
                        let start = self.pos;
                        self.pos += 2;
                        loop {
                            match self.peek() {
                                None => {
                                    self.pos = start;
                                    return Err(self.error("unterminated /* comment"));
                                }
                                Some(b'*') if self.text.get(self.pos + 1) == Some(&b'/') => {
                                    self.pos += 2;
                                    break;
                                }
                                Some(_) => self.pos += 1,
                            }
                        }
                    }
                    _ => return Err(self.error("unexpected '/'")),
                },
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        let start = self.pos;
        let value = match self.peek() {
            None => return Err(self.error("unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.keyword("true", JsonValue::Bool(true))?,
            Some(b'f') => self.keyword("false", JsonValue::Bool(false))?,
            Some(b'n') => self.keyword("null", JsonValue::Null)?,
            Some(_) => return Err(self.error("unexpected character, expected a value")),
        };
        Ok(Json {
            value,
            span: start..self.pos,
        })
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        let max = crate::limits::current().json_depth;
        if depth >= max {
            Err(JsonError {
                too_deep: true,
                ..self.error(format!(
                    "nested too deeply (more than {max} levels of arrays and objects)"
                ))
            })
        } else {
            Ok(depth + 1)
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        let depth = self.enter(depth)?;
        self.pos += 1; // '{'
        let mut members = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonValue::Object(members));
                }
                Some(b'"') => {}
                None => return Err(self.error("unexpected end of input inside an object")),
                Some(_) => return Err(self.error("expected a member name in double quotes")),
            }
            let key_start = self.pos;
            let name = self.string()?;
            let key = JsonKey {
                name,
                span: key_start..self.pos,
            };
            self.skip_trivia()?;
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' after the member name"));
            }
            self.pos += 1;
            self.skip_trivia()?;
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonValue::Object(members));
                }
                None => return Err(self.error("unexpected end of input inside an object")),
                Some(_) => return Err(self.error("expected ',' or '}' after an object member")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        let depth = self.enter(depth)?;
        self.pos += 1; // '['
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(JsonValue::Array(items));
            }
            items.push(self.value(depth)?);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonValue::Array(items));
                }
                None => return Err(self.error("unexpected end of input inside an array")),
                Some(_) => return Err(self.error("expected ',' or ']' after an array element")),
            }
        }
    }

    fn keyword(&mut self, word: &str, value: JsonValue) -> Result<JsonValue, JsonError> {
        if self.text[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("unexpected character, expected a value"))
        }
    }

    fn number(&mut self) -> Result<JsonValue, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos > s
        };
        if !digits(self) {
            return Err(self.error("expected a digit"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.error("expected a digit after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        // The slice is ASCII digits and signs, so it is valid UTF-8 and a valid float literal.
        let literal = self.src.get(start..self.pos).unwrap_or("0");
        Ok(JsonValue::Number(literal.parse().unwrap_or(0.0)))
    }

    /// A double-quoted string; `pos` is at the opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        self.pos += 1;
        // Runs between escapes are cut from the text at ASCII bytes, so they are whole UTF-8.
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            let Some(n) = find_quote_or_backslash(&self.text[run_start..]) else {
                self.pos = start;
                return Err(self.error("unterminated string"));
            };
            self.pos += n;
            let run = self.src.get(run_start..self.pos).unwrap_or_default();
            if self.text[self.pos] == b'"' {
                self.pos += 1;
                if out.is_empty() {
                    return Ok(run.to_owned());
                }
                out.push_str(run);
                return Ok(out);
            }
            out.push_str(run);
            self.pos += 1; // '\\'
            let Some(e) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            self.pos += 1;
            out.push(match e {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => self.unicode_escape()?,
                _ => {
                    self.pos -= 1;
                    return Err(self.error("invalid escape sequence"));
                }
            });
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.error("expected four hex digits after \\u")),
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    /// After `\u`: one code unit, or a surrogate pair. Lone surrogates become U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi)
            && self.text.get(self.pos) == Some(&b'\\')
            && self.text.get(self.pos + 1) == Some(&b'u')
        {
            let save = self.pos;
            self.pos += 2;
            let lo = self.hex4()?;
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{fffd}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const MAX_DEPTH: usize = crate::limits::Limits::DEFAULT.json_depth;

    #[test]
    fn parses_values_with_spans() {
        let text = r#"{ "a": [1, -2.5e1, true, null], "b": "x\u00e9\"" }"#;
        let json = parse(text).unwrap();
        assert_eq!(json.span, 0..text.len());
        let a = json.get("A").unwrap();
        assert_eq!(&text[a.span.clone()], "[1, -2.5e1, true, null]");
        let JsonValue::Array(items) = &a.value else {
            panic!()
        };
        assert_eq!(items[1].value, JsonValue::Number(-25.0));
        assert_eq!(&text[items[2].span.clone()], "true");
        let b = json.get("b").unwrap();
        assert_eq!(b.as_str(), Some("xé\""));
        assert_eq!(&text[json.members()[1].0.span.clone()], "\"b\"");
    }

    #[test]
    fn accepts_comments_bom_and_trailing_commas() {
        let text = "\u{feff}// head\n{ /* c */ \"a\": 1, // x\n \"b\": [1,2,], }";
        let json = parse(text).unwrap();
        assert_eq!(json.get("a").unwrap().value, JsonValue::Number(1.0));
        assert!(matches!(json.get("b").unwrap().value, JsonValue::Array(ref v) if v.len() == 2));
    }

    #[test]
    fn strings_with_escapes_and_multibyte_text_at_every_offset() {
        // The scanner reads eight bytes at a time: put the escape and the closing quote at every
        // position relative to a word.
        for pad in 0..20 {
            let head = "é".repeat(pad / 2) + &"x".repeat(pad % 2);
            let text = format!("[\"{head}\\n{head}\\\"\", \"{head}\"]");
            let json = parse(&text).unwrap();
            let JsonValue::Array(items) = &json.value else {
                panic!()
            };
            assert_eq!(
                items[0].as_str(),
                Some(format!("{head}\n{head}\"").as_str())
            );
            assert_eq!(items[1].as_str(), Some(head.as_str()));
            assert_eq!(&text[items[1].span.clone()], format!("\"{head}\""));
        }
        assert_eq!(parse("\"abcdefghijklmnop").unwrap_err().offset, 0);
        assert_eq!(parse("\"abcdefghijklmnop\\").unwrap_err().offset, 18);
    }

    #[test]
    fn surrogate_pairs_and_lone_surrogates() {
        let json = parse(r#"["\ud83d\ude00", "\ud800x"]"#).unwrap();
        let JsonValue::Array(items) = json.value else {
            panic!()
        };
        assert_eq!(items[0].as_str(), Some("😀"));
        assert_eq!(items[1].as_str(), Some("\u{fffd}x"));
    }

    #[test]
    fn errors_carry_offsets() {
        let err = parse("{\"a\": 1,\n \"b\" 2}").unwrap_err();
        assert_eq!(err.offset, 14);
        assert!(err.message.contains("':'"));
        assert_eq!(parse("[1, 2").unwrap_err().offset, 5);
        assert_eq!(parse("\"abc").unwrap_err().offset, 0);
        assert!(parse("{} x").is_err());
        assert!(parse("/* open").is_err());
        assert!(parse("").is_err());
        assert!(parse("[1 2]").is_err());
        assert!(parse("\"\\q\"").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(300_000);
        let err = parse(&text).unwrap_err();
        assert_eq!(err.offset, MAX_DEPTH);
        assert!(err.too_deep && err.message.starts_with("nested too deeply"));
        let objects = "{\"a\":".repeat(300_000);
        assert!(parse(&objects).unwrap_err().too_deep);
        assert!(!parse("tru").unwrap_err().too_deep);
        // At the limit it still parses.
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn garbage_is_an_error() {
        let garbage: String = (0u8..=255).cycle().take(4096).map(char::from).collect();
        assert!(parse(&garbage).is_err());
        assert!(parse("\u{0}\u{1}PNG\r\n").is_err());
        assert!(parse("tru").is_err());
        assert!(parse("-").is_err());
        assert!(parse("1.").is_err());
    }
}
