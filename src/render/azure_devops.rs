//! `azure-devops`: Azure Pipelines logging commands
//! (`##vso[task.logissue type=error;sourcepath=…;linenumber=…;columnnumber=…;code=ACR001]message`),
//! which the agent turns into build issues.

use std::fmt::Write;

use super::{annotations, properties, AnnotationKind, RenderOptions};
use crate::diagnostic::Severity;
use crate::report::Report;

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let mut out = String::new();
    for a in annotations(report, opts) {
        // Logging commands know only errors and warnings.
        let kind = match a.kind {
            AnnotationKind::Finding(Severity::Critical | Severity::High)
            | AnnotationKind::LoadError => "error",
            AnnotationKind::Finding(Severity::Medium | Severity::Low | Severity::Info)
            | AnnotationKind::Warning
            | AnnotationKind::Undetermined => "warning",
        };
        let mut props = vec![("type", kind.to_string()), ("sourcepath", a.path.clone())];
        if let Some(pos) = a.pos {
            props.push(("linenumber", pos.start_line.to_string()));
            props.push(("columnnumber", pos.start_column.to_string()));
        }
        if let Some(rule) = a.rule {
            props.push(("code", rule.to_string()));
        }
        let _ = writeln!(
            out,
            "##vso[task.logissue {}]{}",
            properties(&props, ";", escape_property),
            escape_data(&a.message_with_related())
        );
    }
    out
}

/// As azure-pipelines-task-lib escapes a command's message. A `%` becomes `%AZP25`, the agent's
/// escape for a literal percent sign (plain `%25` is left alone by agents that predate it).
fn escape_data(text: &str) -> String {
    text.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// As azure-pipelines-task-lib escapes a property value: the data escapes plus `;` and `]`, which
/// delimit properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(';', "%3B").replace(']', "%5D")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::locate;
    use crate::render::testutil::{self, prop};

    #[test]
    fn snapshot() {
        let opts = RenderOptions {
            show_unknown: true,
            ..RenderOptions::default()
        };
        insta::assert_snapshot!(render(&testutil::report(), &opts));
    }

    fn unescape(text: &str) -> String {
        text.replace("%3B", ";")
            .replace("%5D", "]")
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%AZP25", "%")
    }

    /// Parse a logging command as the agent does: `##vso[area.action k=v;k=v]data`.
    fn parse(line: &str) -> (String, Vec<(String, String)>, String) {
        let rest = line.strip_prefix("##vso[").expect("starts with ##vso[");
        let (head, data) = rest.split_once(']').expect("has ]");
        let (command, props) = head.split_once(' ').unwrap_or((head, ""));
        let props = testutil::parse_props(props, ';', unescape);
        (command.to_string(), props, unescape(data))
    }

    #[test]
    fn commands_parse_back_to_the_findings() {
        let report = testutil::report();
        let out = render(&report, &RenderOptions::default());
        let commands: Vec<_> = out.lines().map(parse).collect();
        assert_eq!(
            commands.len(),
            report.findings.len() + report.errors.len() + report.warnings.len()
        );
        let (_, props, message) = commands.last().unwrap();
        assert_eq!(prop(props, "type"), Some("warning"));
        assert_eq!(prop(props, "sourcepath"), Some("infra/registry.bicep"));
        assert!(message.starts_with("not analysed"));
        for ((command, props, message), f) in commands.iter().zip(&report.findings) {
            let loc = locate(&report, f.primary.span);
            assert_eq!(command, "task.logissue");
            let kind = if f.severity.at_least(Severity::High) {
                "error"
            } else {
                "warning"
            };
            assert_eq!(prop(props, "type"), Some(kind));
            assert_eq!(prop(props, "sourcepath"), Some(loc.path.as_str()));
            let line = loc.pos.start_line.to_string();
            assert_eq!(prop(props, "linenumber"), Some(line.as_str()));
            let col = loc.pos.start_column.to_string();
            assert_eq!(prop(props, "columnnumber"), Some(col.as_str()));
            assert_eq!(prop(props, "code"), Some(f.rule));
            // The related locations follow the message, one per line.
            let mut lines = message.lines();
            assert_eq!(lines.next(), Some(f.message.as_str()));
            if !f.related.is_empty() {
                assert_eq!(lines.next(), Some("Related locations:"));
            }
            for (line, l) in lines.zip(&f.related) {
                let loc = locate(&report, l.span);
                let at = format!("{}:{}:", loc.path, loc.pos.start_line);
                assert!(line.starts_with(&format!("  {at}")), "{line}");
                assert!(line.ends_with(&l.message), "{line}");
            }
            assert_eq!(
                message.lines().count(),
                1 + f.related.len() + usize::from(!f.related.is_empty())
            );
        }
        let (_, props, message) = &commands[commands.len() - 2];
        assert_eq!(prop(props, "type"), Some("error"));
        assert_eq!(prop(props, "sourcepath"), Some("images/logo.tf"));
        assert_eq!(prop(props, "linenumber"), None);
        assert_eq!(message, "file is not valid UTF-8");
    }

    #[test]
    fn escapes_as_the_agent_expects() {
        assert_eq!(escape_data("5%;]\r\n"), "5%AZP25;]%0D%0A");
        assert_eq!(escape_property("a;b]c%"), "a%3Bb%5Dc%AZP25");
        let line = format!(
            "##vso[task.logissue type=error;sourcepath={}]{}",
            escape_property("x;y].tf"),
            escape_data("100% ] done\nnext")
        );
        let (_, props, message) = parse(&line);
        assert_eq!(prop(&props, "sourcepath"), Some("x;y].tf"));
        assert_eq!(message, "100% ] done\nnext");
    }
}
