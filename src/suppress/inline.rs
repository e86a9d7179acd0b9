//! Suppression comments: `acrlint:ignore ACR001[,ACR002] reason [until=YYYY-MM-DD]` and Checkov's
//! `checkov:skip=CKV_AZURE_139:reason`, in `#`, `//` and `/* */` comments (only `//` and `/* */`
//! in JSON, where ARM allows them).
//!
//! A file's comment lines are grouped into blocks of consecutive lines; a block applies to the
//! line right after it (a resource header or an attribute).

use super::date::Date;
use crate::source::{FileId, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `acrlint:ignore` comment.
    Acrlint,
    /// `checkov:skip=` comment.
    Checkov,
    /// ARM `metadata.acrlint.ignore` entry.
    Metadata,
}

/// One valid suppression.
#[derive(Clone, Debug, PartialEq)]
pub struct Directive {
    /// acrlint rule ids, upper case.
    pub rules: Vec<String>,
    pub reason: String,
    pub until: Option<Date>,
    pub kind: Kind,
    pub span: Span,
}

/// A malformed suppression: reported as an error, never silently ignored.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
}

const ACRLINT: &str = "acrlint:ignore";
const CHECKOV_SKIP: &str = "checkov:skip=";

/// The suppression comments of one file.
#[derive(Debug, Default)]
pub struct FileComments {
    /// For each 0-based line, the comment block it belongs to.
    block_of: Vec<Option<usize>>,
    /// The valid directives of each block.
    blocks: Vec<Vec<Directive>>,
}

impl FileComments {
    /// Scan a file's text. `json`: only `//` and `/* */` are comments. Malformed suppressions go
    /// to `problems`.
    pub fn scan(
        file: FileId,
        text: &str,
        json: bool,
        known: &[String],
        problems: &mut Vec<Problem>,
    ) -> FileComments {
        let mut out = FileComments::default();
        let mut in_block_comment = false;
        let mut offset = 0usize;
        for raw in text.split('\n') {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let start = offset;
            offset += raw.len() + 1;
            let t = line.trim();
            let is_comment = if in_block_comment {
                in_block_comment = !t.contains("*/");
                true
            } else if t.starts_with("//") || (!json && t.starts_with('#')) {
                true
            } else if let Some(rest) = t.strip_prefix("/*") {
                in_block_comment = !rest.contains("*/");
                true
            } else {
                false
            };
            if !is_comment {
                out.block_of.push(None);
                if let Some(at) = line.find(ACRLINT) {
                    let before = &line[..at];
                    if before.contains("//")
                        || before.contains("/*")
                        || (!json && before.contains('#'))
                    {
                        problems.push(Problem {
                            span: Span::new(file, start + at..start + line.len()),
                            message: "an `acrlint:ignore` comment must be on its own line, \
                                      directly above the resource or attribute it suppresses"
                                .into(),
                        });
                    }
                }
                continue;
            }
            let block = match out.block_of.last() {
                Some(Some(b)) => *b,
                _ => {
                    out.blocks.push(Vec::new());
                    out.blocks.len() - 1
                }
            };
            out.block_of.push(Some(block));
            if let Some(d) = directive(file, line, start, known, problems) {
                if let Some(b) = out.blocks.get_mut(block) {
                    b.push(d);
                }
            }
        }
        out
    }

    /// Directives of the comment block that ends on the line above `line` (0-based).
    pub fn above(&self, line: usize) -> &[Directive] {
        match line.checked_sub(1) {
            Some(prev) => self.block(prev),
            None => &[],
        }
    }

    /// Directives of the comment block that starts on the line below `line` (0-based).
    pub fn below(&self, line: usize) -> &[Directive] {
        self.block(line + 1)
    }

    fn block(&self, line: usize) -> &[Directive] {
        match self.block_of.get(line) {
            Some(Some(b)) => self.blocks.get(*b).map_or(&[], Vec::as_slice),
            _ => &[],
        }
    }
}

/// The directive on one comment line, if any.
pub(super) fn directive(
    file: FileId,
    line: &str,
    line_start: usize,
    known: &[String],
    problems: &mut Vec<Problem>,
) -> Option<Directive> {
    let (at, kind, marker) = if let Some(at) = line.find(ACRLINT) {
        (at, Kind::Acrlint, ACRLINT)
    } else {
        (line.find(CHECKOV_SKIP)?, Kind::Checkov, CHECKOV_SKIP)
    };
    let rest = &line[at + marker.len()..];
    let rest = rest.trim_end();
    let rest = rest.strip_suffix("*/").unwrap_or(rest).trim_end();
    let span = Span::new(
        file,
        line_start + at..line_start + at + marker.len() + rest.len(),
    );
    let parsed = match kind {
        Kind::Checkov => parse_checkov(rest)?,
        _ => parse_acrlint(rest, known),
    };
    problems.extend(
        parsed
            .problems
            .into_iter()
            .map(|message| Problem { span, message }),
    );
    parsed.ok.then_some(Directive {
        rules: parsed.rules,
        reason: parsed.reason,
        until: parsed.until,
        kind,
        span,
    })
}

#[derive(Debug, Default, PartialEq)]
struct Parsed {
    rules: Vec<String>,
    reason: String,
    until: Option<Date>,
    problems: Vec<String>,
    /// Whether the directive suppresses (the problems may be about some of its ids only).
    ok: bool,
}

/// `ACR001[,ACR002] reason text [until=YYYY-MM-DD]` (`until=` may be anywhere after the ids).
fn parse_acrlint(args: &str, known: &[String]) -> Parsed {
    let mut p = Parsed::default();
    if !args.is_empty() && !args.starts_with(char::is_whitespace) {
        p.problems
            .push("write `acrlint:ignore`, a space, then the rule ids and a reason".into());
        return p;
    }
    let mut ids = Vec::new();
    let mut rest = args;
    loop {
        rest = rest.trim_start();
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        ids.push(&rest[..end]);
        rest = &rest[end..];
        match rest.trim_start().strip_prefix(',') {
            Some(after) => rest = after,
            None => break,
        }
    }
    if ids.is_empty() {
        p.problems
            .push("`acrlint:ignore` names no rule: write `acrlint:ignore ACR001 <reason>`".into());
        return p;
    }
    for id in ids {
        let upper = id.to_ascii_uppercase();
        if known.contains(&upper) {
            p.rules.push(upper);
        } else {
            p.problems.push(format!(
                "unknown rule id `{id}` in suppression (`acrlint rules` lists them)"
            ));
        }
    }
    let mut words = Vec::new();
    let mut bad_until = false;
    for word in rest.split_whitespace() {
        match word.strip_prefix("until=") {
            Some(value) => match (Date::parse(value), p.until) {
                (Some(date), None) => p.until = Some(date),
                (Some(_), Some(_)) => {
                    bad_until = true;
                    p.problems
                        .push("suppression has more than one `until=` date".into());
                }
                (None, _) => {
                    bad_until = true;
                    p.problems.push(format!(
                        "malformed date `until={value}` in suppression (expected YYYY-MM-DD); \
                         it does not suppress"
                    ));
                }
            },
            None => words.push(word),
        }
    }
    p.reason = clean_reason(&words.join(" "));
    if p.reason.is_empty() && !p.rules.is_empty() {
        p.problems.push(format!(
            "suppression of {} has no reason; it does not suppress until it says why \
             (`acrlint:ignore {} <reason>`)",
            p.rules.join(", "),
            p.rules.join(",")
        ));
    }
    p.ok = !p.rules.is_empty() && !p.reason.is_empty() && !bad_until;
    p
}

/// `CKV_AZURE_139:reason`. `None` for Checkov checks that acrlint has no rule for: those skips
/// are Checkov's business.
fn parse_checkov(args: &str) -> Option<Parsed> {
    let end = args
        .find(|c: char| c == ':' || c.is_whitespace())
        .unwrap_or(args.len());
    let (id, rest) = args.split_at(end);
    let rules = crate::rules::for_checkov(id);
    if rules.is_empty() {
        return None;
    }
    let reason = clean_reason(rest.strip_prefix(':').unwrap_or(rest));
    let mut p = Parsed {
        rules: rules.iter().map(|r| r.to_string()).collect(),
        ok: !reason.is_empty(),
        reason,
        ..Parsed::default()
    };
    if !p.ok {
        p.problems.push(format!(
            "`checkov:skip={id}` has no reason, so it does not suppress acrlint's {} \
             (write `checkov:skip={id}:<reason>`)",
            rules.join(", ")
        ));
    }
    Some(p)
}

/// Trim separators users put between the ids and the reason, and quotes around it.
fn clean_reason(s: &str) -> String {
    let s = s.trim().trim_start_matches([':', '-', '—']).trim();
    let unquoted = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(s);
    unquoted.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        ["ACR001", "ACR002", "ACR010", "ACR011"]
            .map(String::from)
            .to_vec()
    }

    fn scan(text: &str, json: bool) -> (FileComments, Vec<Problem>) {
        let mut problems = Vec::new();
        let c = FileComments::scan(FileId(0), text, json, &known(), &mut problems);
        (c, problems)
    }

    #[test]
    fn acrlint_directive_with_ids_reason_and_until() {
        let p = parse_acrlint(
            " ACR001, acr002 until=2027-03-31 hub team owns the firewall",
            &known(),
        );
        assert_eq!(p.rules, ["ACR001", "ACR002"]);
        assert_eq!(p.reason, "hub team owns the firewall");
        assert_eq!(p.until, Date::parse("2027-03-31"));
        assert!(p.ok && p.problems.is_empty());
    }

    #[test]
    fn reason_separators_are_trimmed() {
        assert_eq!(
            parse_acrlint(" ACR001 -- legacy", &known()).reason,
            "legacy"
        );
        assert_eq!(
            parse_acrlint(" ACR001: \"legacy\"", &known()).reason,
            "legacy"
        );
    }

    #[test]
    fn missing_reason_does_not_suppress() {
        let p = parse_acrlint(" ACR001 until=2027-01-01", &known());
        assert!(!p.ok);
        assert!(p.problems[0].contains("no reason"), "{:?}", p.problems);
    }

    #[test]
    fn unknown_ids_are_reported_and_known_ones_kept() {
        let p = parse_acrlint(" ACR001,ACR999 reviewed", &known());
        assert_eq!(p.rules, ["ACR001"]);
        assert!(p.ok);
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].contains("`ACR999`"));
        let only_unknown = parse_acrlint(" ACR999 reviewed", &known());
        assert!(!only_unknown.ok);
    }

    #[test]
    fn malformed_until_is_reported_and_does_not_suppress() {
        let p = parse_acrlint(" ACR001 until=2027-02-30 reviewed", &known());
        assert!(!p.ok);
        assert!(p.problems[0].contains("until=2027-02-30"));
        let twice = parse_acrlint(" ACR001 until=2027-01-01 until=2028-01-01 x", &known());
        assert!(!twice.ok);
    }

    #[test]
    fn no_ids_or_glued_marker() {
        assert!(!parse_acrlint("", &known()).ok);
        assert!(!parse_acrlint(" ", &known()).ok);
        assert!(!parse_acrlint("=ACR001 x", &known()).ok);
    }

    /// The mapping lives in the rules' front matter (`checkov: [...]`).
    #[test]
    fn checkov_mapping() {
        use crate::rules::for_checkov;
        assert_eq!(for_checkov("CKV_AZURE_139"), ["ACR001", "ACR002"]);
        assert_eq!(for_checkov("ckv_azure_137"), ["ACR010"]);
        assert_eq!(for_checkov("CKV_AZURE_138"), ["ACR011"]);
        assert!(for_checkov("CKV_AZURE_165").is_empty());
    }

    #[test]
    fn checkov_directive() {
        let p = parse_checkov("CKV_AZURE_139: \"Premium too expensive for the lab\"").unwrap();
        assert_eq!(p.rules, ["ACR001", "ACR002"]);
        assert_eq!(p.reason, "Premium too expensive for the lab");
        assert!(p.ok);
        let bare = parse_checkov("CKV_AZURE_139").unwrap();
        assert!(!bare.ok && bare.problems.len() == 1);
        assert_eq!(parse_checkov("CKV_AZURE_165:geo"), None);
    }

    #[test]
    fn blocks_of_comment_lines_apply_to_the_next_line() {
        let text = "# header\n\
                    # acrlint:ignore ACR001 reviewed\n\
                    // checkov:skip=CKV_AZURE_137:legacy pipeline\n\
                    resource \"a\" \"b\" {\n\
                    \x20 /* acrlint:ignore ACR002 ip rules are the hub's */\n\
                    \x20 x = 1\n\
                    \n\
                    \x20 y = 2\n\
                    }\n";
        let (c, problems) = scan(text, false);
        assert!(problems.is_empty(), "{problems:?}");
        let above_header: Vec<_> = c.above(3).iter().map(|d| d.kind).collect();
        assert_eq!(above_header, [Kind::Acrlint, Kind::Checkov]);
        assert_eq!(c.above(5)[0].rules, ["ACR002"]);
        assert_eq!(c.below(3)[0].rules, ["ACR002"]);
        assert!(c.above(7).is_empty());
        assert!(c.above(0).is_empty());
        assert!(c.below(100).is_empty());
    }

    #[test]
    fn multi_line_block_comments() {
        let text = "/*\n acrlint:ignore ACR001 reviewed\n */\nresource \"a\" \"b\" {}\n";
        let (c, problems) = scan(text, false);
        assert!(problems.is_empty());
        assert_eq!(c.above(3)[0].rules, ["ACR001"]);
    }

    #[test]
    fn hash_is_not_a_comment_in_json() {
        let text = "{\n  # acrlint:ignore ACR001 x\n  \"a\": 1,\n  // acrlint:ignore ACR002 y\n  \"b\": 2\n}";
        let (c, _) = scan(text, true);
        assert!(c.above(2).is_empty());
        assert_eq!(c.above(4)[0].rules, ["ACR002"]);
    }

    #[test]
    fn problems_point_at_the_directive() {
        let text = "x = 1\n  # acrlint:ignore ACR001\nresource \"a\" \"b\" {}\n";
        let (c, problems) = scan(text, false);
        assert!(c.above(2).is_empty());
        assert_eq!(problems.len(), 1);
        let span = problems[0].span;
        assert_eq!(
            &text[span.start as usize..span.end as usize],
            "acrlint:ignore ACR001"
        );
    }

    #[test]
    fn trailing_directive_is_reported() {
        let text = "x = 1 # acrlint:ignore ACR001 reviewed\n";
        let (_, problems) = scan(text, false);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("own line"));
    }

    #[test]
    fn crlf_and_non_ascii_text() {
        let text = "# é acrlint:ignore ACR001 ça va\r\nresource \"a\" \"b\" {}\r\n";
        let (c, problems) = scan(text, false);
        assert!(problems.is_empty());
        assert_eq!(c.above(1)[0].reason, "ça va");
    }
}
