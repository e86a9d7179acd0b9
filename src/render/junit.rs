//! `junit`: JUnit XML for pipelines that publish test results. One test suite per rule, one test
//! case per scanned file in each, and a `failure` per finding; a `load` suite reports the files
//! that could not be read or parsed.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{locate, plural};
use crate::report::Report;
use crate::rules::RuleMeta;
use crate::source::FileId;

pub fn render(report: &Report, rules: &[RuleMeta]) -> String {
    let mut files: Vec<(String, FileId)> = (0..report.sources.len())
        .map(|i| {
            let id = FileId(i as u32);
            (report.sources.get(id).display().to_string(), id)
        })
        .collect();
    files.sort();

    // Every known rule gets a suite, and so does any rule that reported without metadata.
    let mut ids: BTreeSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    ids.extend(report.findings.iter().map(|f| f.rule));

    let mut suites = String::new();
    let (mut total_tests, mut total_failures) = (0, 0);
    for id in ids {
        let name = rules
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.as_str())
            .or_else(|| {
                report
                    .findings
                    .iter()
                    .find(|f| f.rule == id)
                    .map(|f| f.name)
            })
            .unwrap_or_default();
        let mut cases = String::new();
        let (mut failures, mut skipped) = (0, 0);
        for (path, file) in &files {
            let open = format!(
                "    <testcase name=\"{}\" classname=\"acrlint.{}\"",
                escape(path, true),
                escape(id, true)
            );
            let found: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.rule == id && f.primary.span.file == *file)
                .collect();
            // A file that did not load was not checked: without findings, it neither passes nor fails.
            if found.is_empty() && report.errors.iter().any(|e| e.file == *file) {
                skipped += 1;
                let _ = writeln!(
                    cases,
                    "{open}>\n      <skipped message=\"the file could not be loaded\"/>\n    </testcase>"
                );
                continue;
            }
            failures += found.len();
            if found.is_empty() {
                let _ = writeln!(cases, "{open}/>");
                continue;
            }
            let _ = writeln!(cases, "{open}>");
            for f in found {
                let loc = locate(report, f.primary.span);
                let body = format!(
                    "{}:{}:{}: {}\nResource: {}\nHelp: {}",
                    loc.path,
                    loc.pos.start_line,
                    loc.pos.start_column,
                    f.message,
                    f.resource,
                    f.help
                );
                let _ = writeln!(
                    cases,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(&f.message, true),
                    f.severity,
                    escape(&body, false)
                );
            }
            cases.push_str("    </testcase>\n");
        }
        total_tests += files.len();
        total_failures += failures;
        let _ = write!(
            suites,
            "  <testsuite name=\"{} {}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{cases}  </testsuite>\n",
            escape(id, true),
            escape(name, true),
            files.len(),
        );
    }

    // Files that could not be loaded: their findings are missing, so they count as errors.
    let mut cases = String::new();
    let mut errors = 0;
    for (path, file) in &files {
        let file_errors: Vec<_> = report.errors.iter().filter(|e| e.file == *file).collect();
        if file_errors.is_empty() {
            let _ = writeln!(
                cases,
                "    <testcase name=\"{}\" classname=\"acrlint.load\"/>",
                escape(path, true)
            );
            continue;
        }
        errors += 1;
        let _ = writeln!(
            cases,
            "    <testcase name=\"{}\" classname=\"acrlint.load\">",
            escape(path, true)
        );
        let text: Vec<String> = file_errors
            .iter()
            .map(|e| match e.span {
                Some(span) => {
                    let loc = locate(report, span);
                    format!(
                        "{}:{}:{}: {}",
                        loc.path, loc.pos.start_line, loc.pos.start_column, e.message
                    )
                }
                None => format!("{path}: {}", e.message),
            })
            .collect();
        let message = match file_errors.as_slice() {
            [one] => one.message.clone(),
            many => format!("{} in this file", plural(many.len(), "error")),
        };
        let _ = writeln!(
            cases,
            "      <error message=\"{}\" type=\"load\">{}</error>\n    </testcase>",
            escape(&message, true),
            escape(&text.join("\n"), false)
        );
    }
    // Files named on the command line that were not analysed: skipped, with why.
    for w in &report.warnings {
        let _ = writeln!(
            cases,
            "    <testcase name=\"{}\" classname=\"acrlint.load\">\n      <skipped message=\"{}\"/>\n    </testcase>",
            escape(&w.path, true),
            escape(&w.message, true)
        );
    }
    let load_tests = files.len() + report.warnings.len();
    total_tests += load_tests;
    let _ = write!(
        suites,
        "  <testsuite name=\"load\" tests=\"{load_tests}\" failures=\"0\" errors=\"{errors}\" skipped=\"{}\">\n{cases}  </testsuite>\n",
        report.warnings.len(),
    );

    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"acrlint\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
}

/// Escape text for XML element content, or for a double-quoted attribute (`attr`), where line
/// breaks must be character references to survive. Characters XML 1.0 forbids (most control
/// characters, which input files can smuggle into messages) become U+FFFD.
fn escape(text: &str, attr: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testutil;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&testutil::report(), &testutil::rules()));
    }

    /// A small well-formedness check: tags balance, attributes are quoted, and text holds no raw
    /// `<` or unknown entity.
    fn check_well_formed(xml: &str) -> Result<Vec<String>, String> {
        let body = xml
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .ok_or("missing XML declaration")?;
        let mut stack: Vec<String> = Vec::new();
        let mut seen = Vec::new();
        let mut rest = body;
        while let Some(open) = rest.find('<') {
            check_text(&rest[..open])?;
            let close = rest[open..].find('>').ok_or("unclosed tag")? + open;
            let tag = &rest[open + 1..close];
            if let Some(name) = tag.strip_prefix('/') {
                let top = stack.pop().ok_or("close without open")?;
                if top != name {
                    return Err(format!("</{name}> closes <{top}>"));
                }
            } else {
                let self_closing = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
                check_attributes(attrs)?;
                seen.push(name.to_string());
                if !self_closing {
                    stack.push(name.to_string());
                }
            }
            rest = &rest[close + 1..];
        }
        check_text(rest)?;
        if stack.is_empty() {
            Ok(seen)
        } else {
            Err(format!("unclosed: {stack:?}"))
        }
    }

    fn check_text(text: &str) -> Result<(), String> {
        if text.contains('>') {
            return Err(format!("raw > in {text:?}"));
        }
        let mut rest = text;
        while let Some(amp) = rest.find('&') {
            let end = rest[amp..].find(';').ok_or("unterminated entity")? + amp;
            let entity = &rest[amp + 1..end];
            let known = ["amp", "lt", "gt", "quot", "apos", "#10", "#13", "#9"];
            if !known.contains(&entity) {
                return Err(format!("unknown entity &{entity};"));
            }
            rest = &rest[end + 1..];
        }
        Ok(())
    }

    fn check_attributes(attrs: &str) -> Result<(), String> {
        let mut rest = attrs.trim();
        while !rest.is_empty() {
            let (name, after) = rest.split_once("=\"").ok_or("attribute without =\"")?;
            if name.is_empty() || name.contains(char::is_whitespace) {
                return Err(format!("bad attribute name {name:?}"));
            }
            let (value, after) = after.split_once('"').ok_or("unterminated attribute")?;
            check_text(value)?;
            rest = after.trim_start();
        }
        Ok(())
    }

    #[test]
    fn report_is_well_formed_with_a_failure_per_finding() {
        let report = testutil::report();
        let xml = render(&report, &testutil::rules());
        let tags = check_well_formed(&xml).unwrap();
        let count = |t: &str| tags.iter().filter(|s| *s == t).count();
        assert_eq!(count("failure"), report.findings.len());
        assert_eq!(count("error"), report.errors.len());
        // Six documented rules plus ACR013, which has no metadata, plus `load`; four files each,
        // and the file not analysed in `load`.
        assert_eq!(count("testsuite"), 8);
        assert_eq!(count("testcase"), 8 * 4 + 1);
        // The two files that did not load are skipped in every rule suite; the file not
        // analysed is skipped in `load`.
        assert_eq!(count("skipped"), 7 * 2 + 1);
        assert!(
            xml.contains("<testsuites name=\"acrlint\" tests=\"33\" failures=\"5\" errors=\"2\">")
        );
        assert!(xml.contains("<skipped message=\"not analysed: Bicep files are not read yet\"/>"));
        assert!(xml.contains(
            "<testsuite name=\"ACR001 registry-public-network-access\" tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"2\">"
        ));
    }

    #[test]
    fn escapes_markup_and_forbidden_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'\n\u{1}", true),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;\u{fffd}"
        );
        assert_eq!(escape("a\nb\r", false), "a\nb&#13;");
        assert!(
            check_well_formed("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a><b></a></b>")
                .is_err()
        );
        assert!(
            check_well_formed("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1 & 2\"/>")
                .is_err()
        );
    }
}
