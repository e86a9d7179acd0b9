//! `github`: GitHub Actions workflow commands (`::error file=…,line=…::message`), which the runner
//! turns into annotations on the pull request.

use std::fmt::Write;

use super::{annotations, properties, AnnotationKind, RenderOptions, TOOL_NAME};
use crate::diagnostic::Severity;
use crate::report::Report;

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let mut out = String::new();
    for a in annotations(report, opts) {
        let command = match a.kind {
            AnnotationKind::Finding(Severity::Critical | Severity::High)
            | AnnotationKind::LoadError => "error",
            AnnotationKind::Finding(Severity::Medium | Severity::Low) | AnnotationKind::Warning => {
                "warning"
            }
            AnnotationKind::Finding(Severity::Info) | AnnotationKind::Undetermined => "notice",
        };
        let mut message = a.message_with_related();
        if !a.help.is_empty() {
            message.push_str("\nHelp: ");
            message.push_str(a.help);
        }
        let mut props = vec![("file", a.path)];
        if let Some(pos) = a.pos {
            props.push(("line", pos.start_line.to_string()));
            props.push(("endLine", pos.end_line.to_string()));
            props.push(("col", pos.start_column.to_string()));
            props.push(("endColumn", pos.end_column.to_string()));
        }
        props.push(("title", a.rule.unwrap_or(TOOL_NAME).to_string()));
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties(&props, ",", escape_property),
            escape_data(&message)
        );
    }
    out
}

/// As `@actions/core` escapes a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// As `@actions/core` escapes a property value: the data escapes plus `:` and `,`, which delimit
/// properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{locate, testutil};

    #[test]
    fn snapshot() {
        let opts = RenderOptions {
            show_unknown: true,
            ..RenderOptions::default()
        };
        insta::assert_snapshot!(render(&testutil::report(), &opts));
    }

    struct Command {
        name: String,
        props: Vec<(String, String)>,
        message: String,
    }

    fn unescape(text: &str) -> String {
        text.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    }

    /// Parse a workflow command as the runner does: `::name k=v,k=v::data`.
    fn parse(line: &str) -> Command {
        let rest = line.strip_prefix("::").expect("starts with ::");
        let (head, data) = rest.split_once("::").expect("has ::");
        let (name, props) = head.split_once(' ').unwrap_or((head, ""));
        Command {
            name: name.into(),
            props: testutil::parse_props(props, ',', unescape),
            message: unescape(data),
        }
    }

    fn prop<'a>(c: &'a Command, key: &str) -> Option<&'a str> {
        testutil::prop(&c.props, key)
    }

    #[test]
    fn commands_parse_back_to_the_findings() {
        let report = testutil::report();
        let out = render(&report, &RenderOptions::default());
        let commands: Vec<Command> = out.lines().map(parse).collect();
        assert_eq!(
            commands.len(),
            report.findings.len() + report.errors.len() + report.warnings.len()
        );
        let names: Vec<&str> = commands.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["notice", "warning", "error", "warning", "error", "error", "error", "warning"]
        );
        for (c, f) in commands.iter().zip(&report.findings) {
            let loc = locate(&report, f.primary.span);
            assert_eq!(prop(c, "file"), Some(loc.path.as_str()));
            assert_eq!(
                prop(c, "line"),
                Some(loc.pos.start_line.to_string().as_str())
            );
            assert_eq!(
                prop(c, "endColumn"),
                Some(loc.pos.end_column.to_string().as_str())
            );
            assert_eq!(prop(c, "title"), Some(f.rule));
            let related: String = (f.related.iter())
                .map(|l| {
                    let loc = locate(&report, l.span);
                    let (line, col) = (loc.pos.start_line, loc.pos.start_column);
                    format!("\n  {}:{line}:{col}: {}", loc.path, l.message)
                })
                .collect();
            let related = match related.is_empty() {
                true => related,
                false => format!("\nRelated locations:{related}"),
            };
            assert_eq!(
                c.message,
                format!("{}{related}\nHelp: {}", f.message, f.help)
            );
        }
        // The error without a location names its file only, and so does the warning.
        let error = &commands[commands.len() - 2];
        assert_eq!(prop(error, "file"), Some("images/logo.tf"));
        assert_eq!(prop(error, "line"), None);
        let warning = commands.last().unwrap();
        assert_eq!(prop(warning, "file"), Some("infra/registry.bicep"));
        assert_eq!(prop(warning, "line"), None);
    }

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(escape_data("50%\r\na:b,c"), "50%25%0D%0Aa:b,c");
        assert_eq!(escape_property("C:\\x,y%"), "C%3A\\x%2Cy%25");
        let c = parse(&format!(
            "::error file={},title=t::{}",
            escape_property("a,b:c.tf"),
            escape_data("x::y%0A\nz")
        ));
        assert_eq!(prop(&c, "file"), Some("a,b:c.tf"));
        assert_eq!(c.message, "x::y%0A\nz");
    }
}
