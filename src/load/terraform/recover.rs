//! `.tf` files parsed as Terraform reads them, where hcl-edit is stricter than Terraform:
//! - a key written twice in one object constructor (`{ a = 1, a = 2 }`): hcl-edit refuses it,
//!   Terraform keeps the last value;
//! - a line break inside the value of an object `for` expression (`k => a &&⏎ b`): hcl-edit
//!   refuses it, Terraform ignores line breaks anywhere in a `for` expression (outside nested
//!   object constructors).
//!
//! - an empty heredoc (`<<EOT`, and `EOT` on the next line): hcl-edit 0.10 reads its body on to
//!   the next line that holds the marker after a line break, swallowing the code between (the
//!   file then parses, or fails far away, and what was swallowed is silently not analysed);
//!   Terraform reads it as `""`.
//!
//! When parsing fails on one of the first two, the text is copied with a targeted edit and parsed
//! again: the earlier item of the key is blanked (spaces for every byte but line breaks), or the
//! line breaks and comments of the `for` expression become spaces. An empty heredoc is written as
//! `""` and spaces before the first parse, since hcl-edit does not fail on it. The copy has the
//! length of the original, so every span of the result is a span of the file as written.

use std::ops::Range;

use hcl_edit::structure::Body;

use crate::load::syntax::{find, heredoc, line_end, Heredoc};

/// Most edits before giving up: each removes one duplicated key or joins one `for` expression.
const MAX_ROUNDS: usize = 64;

/// What hcl-edit says of a key it has already seen in the object.
const DUPLICATE_KEY: &str = "found redefined object key";

/// A body, and the duplicated keys that were read as Terraform reads them.
#[derive(Debug)]
pub struct Parsed {
    pub body: Body,
    pub duplicates: Vec<Duplicate>,
}

/// An object item dropped because a later item of the object has its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The key, as Terraform compares keys: `a` for both `a` and `"a"`.
    pub key: String,
    /// Where the dropped item starts.
    pub dropped: usize,
    /// Where the item whose value is kept starts.
    pub kept: usize,
}

/// Where parsing stopped, as a byte offset into the text as written, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub offset: usize,
    pub message: String,
}

impl Error {
    /// Only the offset holds for the text as written: lines of an edited copy may be joined.
    fn from_parser(e: &hcl_edit::parser::Error) -> Error {
        Error {
            offset: e.location().offset(),
            message: e.message().to_string(),
        }
    }
}

/// Parse `text` as Terraform would. The error is the parser's on the text as written, unless the
/// edits got past it and a later error, outside what they changed, stopped them.
pub fn parse_body(text: &str) -> Result<Parsed, Error> {
    recover(text).map(|(parsed, _)| parsed)
}

/// [`parse_body`], with the text that parsed (the edited copy, or `None` for `text` itself).
fn recover(text: &str) -> Result<(Parsed, Option<String>), Error> {
    let mut copy = text.as_bytes().to_vec();
    let mut edited = empty_heredocs(&copy);
    blank(&mut copy, &edited, |c| match c {
        b'\n' | b'\r' => c,
        _ => b' ',
    });
    for r in &edited {
        copy[r.start..r.start + 2].copy_from_slice(b"\"\"");
    }
    // Edits start and end at ASCII bytes (the `<` of `<<` and a line end).
    let prepared = match edited.is_empty() {
        true => None,
        false => std::str::from_utf8(&copy).ok().map(str::to_string),
    };
    let first = match hcl_edit::parser::parse_body(prepared.as_deref().unwrap_or(text)) {
        Ok(body) => {
            let duplicates = Vec::new();
            return Ok((Parsed { body, duplicates }, prepared));
        }
        Err(e) => Error::from_parser(&e),
    };
    let mut duplicates = Vec::new();
    let mut error = first.clone();
    for _ in 0..MAX_ROUNDS {
        let at = error.offset;
        let ranges = match error.message.contains(DUPLICATE_KEY) {
            true => {
                let Some((ranges, key)) = drop_earlier(&copy, at) else {
                    break;
                };
                duplicates.extend(ranges.iter().map(|r| Duplicate {
                    key: key.clone(),
                    dropped: r.start,
                    kept: at,
                }));
                // Line breaks stay, so that lines and columns stay those of the file.
                blank(&mut copy, &ranges, |c| match c {
                    b'\n' | b'\r' => c,
                    _ => b' ',
                });
                ranges
            }
            false => {
                let Some(ranges) = join_for_lines(&copy, at) else {
                    break;
                };
                blank(&mut copy, &ranges, |_| b' ');
                ranges
            }
        };
        edited.extend(ranges);
        // Edits start and end at ASCII bytes; checked rather than trusted.
        let Ok(edited_text) = std::str::from_utf8(&copy) else {
            break;
        };
        match hcl_edit::parser::parse_body(edited_text) {
            Ok(body) => return Ok((Parsed { body, duplicates }, Some(edited_text.to_string()))),
            Err(e) => error = Error::from_parser(&e),
        }
    }
    // An error where an edit was made may be the edit's doing: the file as written is reported.
    let at = error.offset;
    match edited.iter().any(|r| r.start <= at && at <= r.end) {
        true => Err(first),
        false => Err(error),
    }
}

/// The empty heredocs of `b`: from the `<<` of each whose closing marker is on the line after its
/// opening, to the end of that marker's line.
fn empty_heredocs(b: &[u8]) -> Vec<Range<usize>> {
    // Cheap test first: most files have no heredoc at all.
    if find(b, 0, b"<<").is_none() {
        return Vec::new();
    }
    tokens(b)
        .into_iter()
        .filter(|t| t.kind == Kind::Heredoc)
        .filter_map(|t| match heredoc(b, t.start) {
            Some(Heredoc::Closed(end)) => {
                let opening_end = line_end(b, t.start);
                (opening_end < end && line_end(b, opening_end + 1) == end).then_some(t.start..end)
            }
            _ => None,
        })
        .collect()
}

fn blank(copy: &mut [u8], ranges: &[Range<usize>], with: fn(u8) -> u8) {
    for r in ranges {
        copy[r.clone()].iter_mut().for_each(|c| *c = with(*c));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Open(u8),
    Close(u8),
    /// `\n` or `\r\n`.
    Newline,
    Comma,
    Comment,
    /// A quoted string, its template sequences included.
    Str,
    Heredoc,
    /// An identifier, keyword or number.
    Word,
    /// Any other byte (`=`, `:`, `.`, operators).
    Punct,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// The tokens of `b` that bracket structure, items and line breaks are made of (spaces left out).
fn tokens(b: &[u8]) -> Vec<Token> {
    let word = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-') || c >= 0x80;
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let (kind, end) = match (c, next) {
            (b' ' | b'\t', _) | (b'\r', Some(b'\n')) => {
                i += 1;
                continue;
            }
            (b'\n', _) => (Kind::Newline, i + 1),
            (b',', _) => (Kind::Comma, i + 1),
            (b'#', _) | (b'/', Some(b'/')) => (Kind::Comment, line_end(b, i)),
            (b'/', Some(b'*')) => (
                Kind::Comment,
                find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2),
            ),
            (b'"', _) => (Kind::Str, string_end(b, i)),
            (b'<', Some(b'<')) => match heredoc(b, i) {
                Some(Heredoc::Closed(end)) => (Kind::Heredoc, end),
                Some(Heredoc::Open { .. }) => (Kind::Heredoc, b.len()),
                None => (Kind::Punct, i + 1),
            },
            (b'{' | b'[' | b'(', _) => (Kind::Open(c), i + 1),
            (b'}' | b']' | b')', _) => (Kind::Close(c), i + 1),
            _ if word(c) => (
                Kind::Word,
                b[i..]
                    .iter()
                    .position(|&c| !word(c))
                    .map_or(b.len(), |n| i + n),
            ),
            _ => (Kind::Punct, i + 1),
        };
        // A `\r` before the line break belongs to it.
        let start = match kind == Kind::Newline && i > 0 && b[i - 1] == b'\r' {
            true => i - 1,
            false => i,
        };
        out.push(Token { kind, start, end });
        i = end;
    }
    out
}

/// The end of the quoted string opening at `i` (after its closing quote, its `${...}` and
/// `%{...}` sequences and the strings within them included), or the end of the line where it is
/// left open.
fn string_end(b: &[u8], i: usize) -> usize {
    // Inside a string (`None`) or a template sequence with this many braces open in it.
    let mut stack: Vec<Option<usize>> = vec![None];
    let mut j = i + 1;
    while j < b.len() {
        let c = b[j];
        match stack.last_mut() {
            None => return j,
            Some(None) => match c {
                b'"' => {
                    stack.pop();
                    j += 1;
                    if stack.is_empty() {
                        return j;
                    }
                }
                b'\\' => j += 2,
                b'\n' => return j,
                b'$' | b'%' if b.get(j + 1) == Some(&c) && b.get(j + 2) == Some(&b'{') => j += 3,
                b'$' | b'%' if b.get(j + 1) == Some(&b'{') => {
                    stack.push(Some(0));
                    j += 2;
                }
                _ => j += 1,
            },
            Some(Some(depth)) => {
                match c {
                    b'"' => stack.push(None),
                    b'{' => *depth += 1,
                    b'}' if *depth == 0 => {
                        stack.pop();
                    }
                    b'}' => *depth -= 1,
                    _ => {}
                }
                j += 1;
            }
        }
    }
    b.len()
}

/// The indices of the brackets open around offset `at`, outermost first.
fn enclosing(tokens: &[Token], at: usize) -> Vec<usize> {
    let mut open = Vec::new();
    for (i, t) in tokens.iter().enumerate().take_while(|(_, t)| t.start < at) {
        match t.kind {
            Kind::Open(_) => open.push(i),
            Kind::Close(_) => {
                open.pop();
            }
            _ => {}
        }
    }
    open
}

/// Whether the `{` at token `open` starts a `for` expression: `{ for k in ...`.
fn is_for(b: &[u8], tokens: &[Token], open: usize) -> bool {
    let mut next = tokens[open + 1..]
        .iter()
        .filter(|t| !matches!(t.kind, Kind::Newline | Kind::Comment));
    let word = |t: Option<&Token>| {
        t.filter(|t| t.kind == Kind::Word)
            .map(|t| &b[t.start..t.end])
    };
    word(next.next()) == Some(b"for") && word(next.next()).is_some()
}

/// One item of an object constructor.
struct Item {
    /// From its key to the end of its value, and its comma when one follows.
    range: Range<usize>,
    /// Its key as Terraform compares them; `None` when no `=` or `:` follows one.
    key: Option<String>,
}

/// The items of the object constructor opened at token `open`.
fn items(b: &[u8], tokens: &[Token], open: usize) -> Vec<Item> {
    let mut items = Vec::new();
    let mut i = open + 1;
    loop {
        let skip = |t: &Token| matches!(t.kind, Kind::Newline | Kind::Comma | Kind::Comment);
        while tokens.get(i).is_some_and(skip) {
            i += 1;
        }
        if tokens
            .get(i)
            .is_none_or(|t| matches!(t.kind, Kind::Close(_)))
        {
            return items;
        }
        let first = i;
        let (mut depth, mut last, mut key_end) = (0, i, None);
        while let Some(t) = tokens.get(i) {
            match t.kind {
                Kind::Open(_) => depth += 1,
                Kind::Close(_) if depth == 0 => break,
                Kind::Close(_) => depth -= 1,
                Kind::Newline | Kind::Comma if depth == 0 => break,
                Kind::Punct if depth == 0 && key_end.is_none() && assigns(b, t.start) => {
                    key_end = Some(i)
                }
                _ => {}
            }
            if t.kind != Kind::Comment {
                last = i;
            }
            i += 1;
        }
        let end = match tokens.get(i) {
            Some(t) if t.kind == Kind::Comma => t.end,
            _ => tokens[last].end,
        };
        items.push(Item {
            range: tokens[first].start..end,
            key: key_end.map(|k| key_text(b, &tokens[first..k])),
        });
    }
}

/// Whether the byte at `i` is the `=` or `:` between an object key and its value (not `==`,
/// `=>`, `!=`, `<=` or `>=`).
fn assigns(b: &[u8], i: usize) -> bool {
    let after = b.get(i + 1).copied();
    let before = i.checked_sub(1).map(|p| b[p]);
    match b[i] {
        b':' => true,
        b'=' => {
            !matches!(after, Some(b'=' | b'>'))
                && !matches!(before, Some(b'=' | b'!' | b'<' | b'>'))
        }
        _ => false,
    }
}

/// A key as Terraform compares keys: an identifier and a plain string of the same name are one
/// key; any other expression is compared as written, without spaces and comments.
fn key_text(b: &[u8], tokens: &[Token]) -> String {
    let text = |t: &Token| String::from_utf8_lossy(&b[t.start..t.end]).into_owned();
    match tokens {
        [t] if t.kind == Kind::Str => {
            let inner = &b[t.start + 1..t.end.saturating_sub(1).max(t.start + 1)];
            let plain = !inner.contains(&b'\\')
                && find(inner, 0, b"${").is_none()
                && find(inner, 0, b"%{").is_none();
            match plain && b.get(t.end - 1) == Some(&b'"') && t.end > t.start + 1 {
                true => String::from_utf8_lossy(inner).into_owned(),
                false => text(t),
            }
        }
        _ => tokens
            .iter()
            .filter(|t| t.kind != Kind::Comment)
            .map(text)
            .collect(),
    }
}

/// For a duplicated key whose later item starts at `at`: the earlier items of the object with
/// that key, and the key.
fn drop_earlier(b: &[u8], at: usize) -> Option<(Vec<Range<usize>>, String)> {
    let tokens = tokens(b);
    let &open = enclosing(&tokens, at).last()?;
    if tokens[open].kind != Kind::Open(b'{') {
        return None;
    }
    let items = items(b, &tokens, open);
    let later = items.iter().find(|i| i.range.start == at)?;
    let key = later.key.clone()?;
    let earlier: Vec<Range<usize>> = items
        .iter()
        .take_while(|i| i.range.start < at)
        .filter(|i| i.key.as_ref() == Some(&key))
        .map(|i| i.range.clone())
        .collect();
    (!earlier.is_empty()).then_some((earlier, key))
}

/// For an error at `at` inside an object `for` expression: the line breaks and comments that
/// Terraform ignores there (those of the expression and of the brackets in it, but not of an
/// object constructor in it, where a line break ends an item). `None` when there are none, or
/// the expression holds a heredoc (whose lines must stay lines).
fn join_for_lines(b: &[u8], at: usize) -> Option<Vec<Range<usize>>> {
    let tokens = tokens(b);
    let open = enclosing(&tokens, at)
        .into_iter()
        .rev()
        .find(|&i| tokens[i].kind == Kind::Open(b'{'))?;
    if !is_for(b, &tokens, open) {
        return None;
    }
    // Whether line breaks are ignored, in each bracket open inside the expression.
    let mut ignored = vec![true];
    let mut ranges = Vec::new();
    for (i, t) in tokens.iter().enumerate().skip(open + 1) {
        match t.kind {
            Kind::Heredoc => return None,
            Kind::Open(b'{') => ignored.push(is_for(b, &tokens, i)),
            Kind::Open(_) => ignored.push(true),
            Kind::Close(_) => {
                ignored.pop();
                if ignored.is_empty() {
                    break;
                }
            }
            Kind::Newline | Kind::Comment if ignored.last() == Some(&true) => {
                ranges.push(t.start..t.end)
            }
            _ => {}
        }
    }
    (!ranges.is_empty()).then_some(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcl_edit::expr::{Expression, ObjectKey};
    use hcl_edit::Span as _;

    /// The edited copy of `text` that parsed, checked to be as long as `text`.
    fn edited(text: &str) -> String {
        let (_, copy) = recover(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        let copy = copy.expect("an edit was needed");
        assert_eq!(copy.len(), text.len());
        copy
    }

    /// The object of attribute `name`, as `key=value` pairs read from `text` at their spans.
    fn members(text: &str, name: &str) -> Vec<String> {
        let parsed = parse_body(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        let attr = parsed.body.get_attribute(name).expect("attribute");
        let Expression::Object(object) = &attr.value else {
            panic!("not an object: {:?}", attr.value);
        };
        let at = |r: Option<Range<usize>>| text[r.expect("span")].to_string();
        object
            .iter()
            .map(|(k, v)| {
                let key = match k {
                    ObjectKey::Ident(id) => at(id.span()),
                    ObjectKey::Expression(e) => at(e.span()),
                };
                format!("{key}={}", at(v.expr().span()))
            })
            .collect()
    }

    #[test]
    fn the_last_value_of_a_duplicated_key_wins() {
        let text = "m = {\n  a = true\n  b = 1\n  a = false\n}\n";
        assert_eq!(edited(text), "m = {\n          \n  b = 1\n  a = false\n}\n");
        assert_eq!(members(text, "m"), ["b=1", "a=false"]);
        let parsed = parse_body(text).expect("parses");
        let kept = text.find("a = false").expect("kept");
        let dropped = text.find("a = true").expect("dropped");
        assert_eq!(
            parsed.duplicates,
            [Duplicate {
                key: "a".into(),
                dropped,
                kept
            }]
        );
    }

    #[test]
    fn an_empty_heredoc_is_an_empty_string_and_the_code_after_it_is_read() {
        for text in [
            "a = <<EOT\nEOT\nb = 1\nc = <<EOT\nx\nEOT\n",
            "a = <<-EOT\n  EOT\nb = 1\nc = <<EOT\nx\nEOT\n",
            "a = f(<<EOT\r\nEOT\r\n)\r\nb = 1\r\nc = <<EOT\r\nx\r\nEOT\r\n",
        ] {
            let copy = edited(text);
            assert!(copy.contains("\"\""), "{copy:?}");
            let body = parse_body(text)
                .unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
                .body;
            let names: Vec<&str> = body.attributes().map(|a| a.key.as_str()).collect();
            assert_eq!(names, ["a", "b", "c"], "{text:?}");
            // Spans are those of the file as written.
            let c = body.get_attribute("c").expect("c");
            let (start, end) = (text.rfind("<<EOT"), text.rfind("EOT").map(|i| i + 3));
            assert_eq!(
                c.value.span(),
                start.zip(end).map(|(s, e)| s..e),
                "{text:?}"
            );
        }
    }

    #[test]
    fn heredocs_that_are_not_empty_or_not_closed_are_left_alone() {
        for text in [
            "a = <<EOT\n\nEOT\n",
            "# <<EOT\nb = 1\n",
            "a = \"<<EOT\"\nb = 1\n",
        ] {
            assert_eq!(recover(text).expect("parses").1, None, "{text:?}");
        }
        // Left open, it is the parser's error (at the heredoc), not an empty string.
        assert!(parse_body("a = <<EOT\nb = 1\n").is_err());
    }

    #[test]
    fn a_string_key_and_an_identifier_are_one_key() {
        // hcl-edit tells `"a"` from `a` but not `"a"` from `"a"`: all earlier ones go.
        let text = "m = {\n  \"a\" = 1\n  a = 2\n  \"a\" = 3\n}\n";
        assert_eq!(members(text, "m"), ["\"a\"=3"]);
        let keys: Vec<_> = parse_body(text).expect("parses").duplicates;
        assert_eq!(keys.len(), 2);
        assert!(keys.iter().all(|d| d.key == "a"), "{keys:?}");
    }

    #[test]
    fn a_comma_separator_goes_with_its_item() {
        let text = "m = { a = 1, b = \"}{,\", a = 3 }\n";
        assert_eq!(edited(text), "m = {        b = \"}{,\", a = 3 }\n");
        assert_eq!(members(text, "m"), ["b=\"}{,\"", "a=3"]);
    }

    #[test]
    fn nested_objects_and_values_over_several_lines() {
        let text =
            "m = {\n  a = { x = 1\n    x = [\n      2,\n    ] }\n  a = { y = \"${x}\" }\n}\n";
        // The inner duplicate first, then the outer one: line breaks stay where they were.
        assert_eq!(
            edited(text),
            "m = {\n             \n         \n        \n       \n  a = { y = \"${x}\" }\n}\n"
        );
        assert_eq!(members(text, "m"), ["a={ y = \"${x}\" }"]);
    }

    #[test]
    fn parenthesised_keys_are_compared_as_written() {
        let text = "m = {\n  (local.k) = 1\n  ( local.k ) = 2\n  (local.j) = 3\n}\n";
        assert_eq!(members(text, "m"), ["( local.k )=2", "(local.j)=3"]);
    }

    #[test]
    fn crlf_line_endings_stay() {
        let text = "m = {\r\n  a = 1\r\n  a = 2\r\n}\r\n";
        assert_eq!(edited(text), "m = {\r\n       \r\n  a = 2\r\n}\r\n");
    }

    #[test]
    fn line_breaks_in_an_object_for_value_are_joined() {
        for value in [
            "a &&\n    b",
            "c ? 1 :\n    2",
            "c\n    ? 1\n    : 2",
            "a + # why\n    b",
            "a && /* one\n two */\n    b",
        ] {
            let text = format!("m = {{ for k in l : k => {value} }}\n");
            let copy = edited(&text);
            assert_eq!(copy.lines().count(), 1, "{copy:?}");
            assert_eq!(
                members_of_for(&text),
                format!("{{ for k in l : k => {value} }}")
            );
        }
    }

    /// The text of attribute `m` at its span.
    fn members_of_for(text: &str) -> String {
        let parsed = parse_body(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        let value = &parsed.body.get_attribute("m").expect("m").value;
        text[value.span().expect("span")].to_string()
    }

    #[test]
    fn line_breaks_of_an_object_inside_a_for_stay() {
        let text = "m = { for k in l : k => k == \"\" ? {\n  x = 1\n  y = 2\n  } :\n  {} }\n";
        assert_eq!(
            edited(text),
            "m = { for k in l : k => k == \"\" ? {\n  x = 1\n  y = 2\n  } :   {} }\n"
        );
    }

    #[test]
    fn broken_files_keep_their_error() {
        let written = |text: &str| {
            Error::from_parser(&hcl_edit::parser::parse_body(text).expect_err("broken"))
        };
        // Nothing to recover.
        let text = "a = = 1\n";
        assert_eq!(parse_body(text).expect_err("broken"), written(text));
        // A heredoc in the `for` expression: its lines cannot be joined.
        let text = "m = { for k in l : k => a &&\n  <<EOT\nx\nEOT\n}\n";
        assert_eq!(parse_body(text).expect_err("broken"), written(text));
        // A genuine error in a `for` expression stays where it is.
        let text = "m = { for k in l : k =>\n  = }\n";
        assert_eq!(parse_body(text).expect_err("broken"), written(text));
    }

    #[test]
    fn an_error_after_a_recovered_one_is_reported_where_it_is() {
        let text = "m = {\n  a = 1\n  a = 2\n}\nn = = 3\n";
        let e = parse_body(text).expect_err("broken");
        assert_eq!(e.offset, text.find("= 3").expect("error"), "{e:?}");
    }

    #[test]
    fn rounds_are_bounded() {
        let object = |n: usize| {
            let items: String = (0..n)
                .map(|i| format!("  k{i} = 1\n  k{i} = 2\n"))
                .collect();
            format!("m = {{\n{items}}}\n")
        };
        let ok = parse_body(&object(MAX_ROUNDS)).expect("one round per key");
        assert_eq!(ok.duplicates.len(), MAX_ROUNDS);
        let text = object(MAX_ROUNDS + 1);
        let e = parse_body(&text).expect_err("too many rounds");
        assert!(e.message.contains(DUPLICATE_KEY), "{e:?}");
    }
}
