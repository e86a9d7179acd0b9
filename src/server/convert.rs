//! Findings to what an editor shows: diagnostics with UTF-16 ranges, the hover text of a rule,
//! and where an `acrlint:ignore` comment goes.

use std::path::{Path, PathBuf};

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, TextEdit, Url,
};

use crate::diagnostic::{Finding, Severity};
use crate::load::Origin;
use crate::report::Report;
use crate::source::{SourceFile, Span};

/// One published diagnostic, with what hover and code actions need.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub diagnostic: Diagnostic,
    /// The rule of a finding or undetermined result (hover); `None` for errors.
    pub rule: Option<&'static str>,
    /// Where `acrlint:ignore` comments for this finding go (findings only).
    pub suppress: Vec<SuppressAt>,
    /// The finding's fix as edits by file, when it has one.
    pub fix: Option<QuickFix>,
}

/// A finding's fix, ready for a code action.
#[derive(Clone, Debug, PartialEq)]
pub struct QuickFix {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<(PathBuf, TextEdit)>,
}

/// An `acrlint:ignore` comment to insert: above line `line` (0-based) of `path`.
#[derive(Clone, Debug, PartialEq)]
pub struct SuppressAt {
    pub path: PathBuf,
    pub line: u32,
    /// The target line's indentation, repeated on the comment.
    pub indent: String,
    pub form: Form,
    /// "the attribute" or "the resource".
    pub what: &'static str,
}

/// How a suppression is written in the file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Form {
    /// A comment line starting with this marker (`#` or `//`).
    Comment(&'static str),
    /// A Terraform JSON comment property (`"//": "..."`), as the first member of the body.
    Property,
}

impl SuppressAt {
    /// The line to insert, with a reason for the user to write (a suppression needs one).
    pub fn text(&self, rule: &str) -> String {
        let directive = format!("acrlint:ignore {rule} {PLACEHOLDER_REASON}");
        match self.form {
            Form::Comment(marker) => format!("{}{marker} {directive}\n", self.indent),
            Form::Property => format!(
                "{}\"{}\": \"{directive}\",\n",
                self.indent,
                crate::suppress::property::KEY
            ),
        }
    }

    /// Where the action puts it, for its title.
    pub fn place(&self) -> String {
        match self.form {
            Form::Comment(_) => format!("above {}", self.what),
            Form::Property => format!("in the body of {}", self.what),
        }
    }
}

/// The reason written by the suppress action, to be replaced by the real one.
pub const PLACEHOLDER_REASON: &str = "TODO: say why this finding is accepted";

/// Severity as editors show it: high and critical are errors, medium warnings, low information,
/// info hints.
pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}

/// The LSP position (0-based line, UTF-16 column) of a byte offset of `file`.
pub fn position(file: &SourceFile, offset: u32) -> Position {
    let text = &file.text;
    let offset = crate::source::char_floor(text, offset as usize);
    let (line, _) = file.position(offset as u32);
    let start = file.line_start(line).unwrap_or(0) as usize;
    let column = text[start.min(offset)..offset].encode_utf16().count();
    Position::new(line - 1, column as u32)
}

pub fn range(file: &SourceFile, span: Span) -> Range {
    Range::new(position(file, span.start), position(file, span.end))
}

/// A file path as a `file:` URI.
pub fn uri(path: &Path) -> Option<Url> {
    Url::from_file_path(crate::load::terraform::folder_key(path)).ok()
}

/// The diagnostics of a report, by file (absolute, normalized paths). Undetermined results are
/// hints when `show_unknown`; suppressed findings are not shown.
pub fn entries(report: &Report, show_unknown: bool) -> Vec<(PathBuf, Entry)> {
    let sources = &report.sources;
    let path = |span: Span| crate::load::terraform::folder_key(&sources.get(span.file).path);
    let located = |span: Span| {
        let file = sources.get(span.file);
        (path(span), range(&file, span))
    };
    let mut out = Vec::new();
    let messages = crate::render::Messages::new(report);
    for f in &report.findings {
        let (file, range) = located(f.primary.span);
        let related = f
            .related
            .iter()
            .filter_map(|label| {
                let (path, range) = located(label.span);
                Some(DiagnosticRelatedInformation {
                    location: Location::new(uri(&path)?, range),
                    message: label.message.clone(),
                })
            })
            .collect::<Vec<_>>();
        let diagnostic = Diagnostic {
            range,
            severity: Some(severity(f.severity)),
            code: Some(NumberOrString::String(f.rule.to_string())),
            source: Some("acrlint".into()),
            message: format!(
                "{}\n{}",
                messages.of(f.primary.span, f.rule, &f.message, &f.resource),
                f.help
            ),
            related_information: (!related.is_empty()).then_some(related),
            ..Diagnostic::default()
        };
        out.push((
            file,
            Entry {
                diagnostic,
                rule: Some(f.rule),
                suppress: suppress_targets(report, f),
                fix: f.fix.as_ref().map(|fix| QuickFix {
                    title: fix.title.clone(),
                    safe: fix.applicability == crate::fix::Applicability::Safe,
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| {
                            let (path, range) = located(Span::new(e.file, e.start..e.end));
                            (path, TextEdit::new(range, e.text.clone()))
                        })
                        .collect(),
                }),
            },
        ));
    }
    if show_unknown {
        for u in &report.undetermined {
            let (file, range) = located(u.span);
            let diagnostic = Diagnostic {
                range,
                severity: Some(DiagnosticSeverity::HINT),
                code: (u.rule != "*").then(|| NumberOrString::String(u.rule.to_string())),
                source: Some("acrlint".into()),
                message: (messages.of(u.span, u.rule, &u.message, &u.resource)).into_owned(),
                ..Diagnostic::default()
            };
            let rule = (u.rule != "*").then_some(u.rule);
            let suppress = Vec::new();
            out.push((
                file,
                Entry {
                    diagnostic,
                    rule,
                    suppress,
                    fix: None,
                },
            ));
        }
    }
    for e in &report.errors {
        let file = sources.get(e.file);
        let range = e
            .span
            .map(|span| range(&file, span))
            .unwrap_or_else(|| Range::new(Position::new(0, 0), Position::new(0, 0)));
        let diagnostic = Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("acrlint".into()),
            message: e.message.clone(),
            ..Diagnostic::default()
        };
        out.push((
            crate::load::terraform::folder_key(&file.path),
            Entry {
                diagnostic,
                rule: None,
                suppress: Vec::new(),
                fix: None,
            },
        ));
    }
    out
}

/// Where a suppression comment for `f` goes: above the attribute (the primary location, when it
/// is not on the resource header), and above the resource header. In Terraform JSON, which has
/// no comments, a comment property at the top of the resource's body.
fn suppress_targets(report: &Report, f: &Finding) -> Vec<SuppressAt> {
    use crate::classify::Comments;
    let sources = &report.sources;
    let at = |span: Span, what: &'static str| {
        let file = sources.get(span.file);
        let (form, span) = match crate::classify::comments(&file.path)? {
            Comments::Hash => (Form::Comment("#"), span),
            Comments::Slash => (Form::Comment("//"), span),
            Comments::Property if span == f.header => (Form::Property, first_member(&file, span)?),
            Comments::Property => return None,
        };
        let (line, _) = file.position(span.start);
        let start = file.line_start(line)? as usize;
        let text = &file.text[start..];
        let indent: String = text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        Some(SuppressAt {
            path: crate::load::terraform::folder_key(&file.path),
            line: line - 1,
            indent,
            form,
            what,
        })
    };
    let header = at(f.header, "the resource");
    let primary = at(f.primary.span, "the attribute");
    let mut out = Vec::new();
    if let Some(p) = primary {
        let on_header = header
            .as_ref()
            .is_some_and(|h| h.path == p.path && h.line == p.line);
        if !f.attribute.is_empty() && !on_header {
            out.push(p);
        }
    }
    out.extend(header);
    out
}

/// The first member of the Terraform JSON body labelled at `header`, when it starts a line of
/// its own (a comment property is inserted above it).
fn first_member(file: &SourceFile, header: Span) -> Option<Span> {
    let root = crate::load::json::parse(&file.text).ok()?;
    let body = crate::suppress::property::body_at(&root, header.start as usize)?;
    let crate::load::json::JsonValue::Object(members) = &body.value else {
        return None;
    };
    let (key, _) = members.first()?;
    let (open, _) = file.position(body.span.start as u32);
    let (first, _) = file.position(key.span.start as u32);
    (first > open).then(|| Span::new(header.file, key.span.clone()))
}

/// The hover text of a rule for a document written in `origin`: summary, why it matters, the
/// fix.
pub fn hover_text(rule: &str, origin: Origin) -> Option<String> {
    let meta = crate::rules::meta(rule)?;
    let mut text = format!(
        "**{}** `{}` ({})\n\n{}\n",
        meta.id, meta.name, meta.severity, meta.summary
    );
    if let Some(why) = meta.section("Why it matters") {
        text.push_str(&format!("\n**Why it matters**\n\n{why}\n"));
    }
    let heading = match origin.is_arm() {
        true => "How to fix (Bicep/ARM)",
        false => "How to fix (Terraform)",
    };
    let (help, name) = (meta.help_for(origin), origin.name());
    text.push_str(&format!("\n**How to fix ({name})**\n\n{help}\n"));
    if let Some(fix) = meta.section(heading) {
        text.push_str(&format!("\n{fix}\n"));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn positions_are_utf16_columns() {
        let file = SourceFile::new("a.tf".into(), "a.tf".into(), "x\n😀é = \"v\"\n".into());
        // `=` is after 😀 (4 bytes, 2 UTF-16 units), é (2 bytes, 1 unit) and a space.
        let eq = file.text.find('=').unwrap() as u32;
        assert_eq!(position(&file, eq), Position::new(1, 4));
        assert_eq!(position(&file, 0), Position::new(0, 0));
        // Clamped to the end.
        assert_eq!(position(&file, 999), Position::new(2, 0));
        let span = Span::new(FileId(0), 2..eq as usize);
        assert_eq!(range(&file, span).end, Position::new(1, 4));
    }

    #[test]
    fn severities_map_to_editor_levels() {
        assert_eq!(severity(Severity::Critical), DiagnosticSeverity::ERROR);
        assert_eq!(severity(Severity::High), DiagnosticSeverity::ERROR);
        assert_eq!(severity(Severity::Medium), DiagnosticSeverity::WARNING);
        assert_eq!(severity(Severity::Low), DiagnosticSeverity::INFORMATION);
        assert_eq!(severity(Severity::Info), DiagnosticSeverity::HINT);
    }

    #[test]
    fn hover_shows_the_fix_in_the_documents_language() {
        let tf = hover_text("ACR006", Origin::Terraform).unwrap();
        assert!(tf.contains("private-dns-zone-not-linked"));
        assert!(tf.contains("Why it matters"));
        assert!(tf.contains("azurerm_private_dns_zone_virtual_network_link"));
        let bicep = hover_text("ACR006", Origin::Bicep).unwrap();
        assert!(bicep.contains("parent: zone"));
        assert!(hover_text("ACR999", Origin::Arm).is_none());
    }

    #[test]
    fn formats_by_file_name() {
        assert_eq!(Origin::of(Path::new("a.tf")), Some(Origin::Terraform));
        assert_eq!(Origin::of(Path::new("x.tfvars")), Some(Origin::Terraform));
        assert_eq!(Origin::of(Path::new("t.json")), Some(Origin::Arm));
        assert_eq!(Origin::of(Path::new("m.bicepparam")), Some(Origin::Bicep));
        assert_eq!(Origin::of(Path::new("x.txt")), None);
    }
    /// In Terraform JSON the suppress action writes a comment property at the top of the
    /// resource's body, indented as its members, and the finding is then suppressed.
    #[test]
    fn terraform_json_is_suppressed_with_a_comment_property() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("main.tf.json");
        let text = "{\n  \"resource\": {\n    \"azurerm_container_registry\": {\n      \"acr\": {\n        \"name\": \"contosoacr\",\n        \"resource_group_name\": \"rg\",\n        \"location\": \"westeurope\",\n        \"sku\": \"Premium\",\n        \"admin_enabled\": true\n      }\n    }\n  }\n}\n";
        std::fs::write(&path, text).unwrap();
        let opts = crate::check::CheckOptions {
            paths: vec![tmp.path().to_path_buf()],
            ..Default::default()
        };
        let report = crate::check::check(&opts).unwrap();
        let f = report.findings.iter().find(|f| f.rule == "ACR010").unwrap();
        // No comment above the attribute: JSON has none.
        let targets = suppress_targets(&report, f);
        assert_eq!(targets.len(), 1, "{targets:?}");
        let at = &targets[0];
        assert_eq!(
            (at.line, at.indent.as_str(), at.form),
            (4, "        ", Form::Property)
        );
        assert_eq!(at.place(), "in the body of the resource");
        let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
        let inserted = at.text("ACR010");
        lines.insert(at.line as usize, &inserted);
        std::fs::write(&path, lines.concat()).unwrap();
        let report = crate::check::check(&opts).unwrap();
        assert!(report.findings.iter().all(|f| f.rule != "ACR010"));
        // The placeholder reason is a reason: suppressed, and no error.
        assert_eq!(report.suppressed.len(), 1);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
    }

    #[test]
    fn diagnostics_sharing_a_place_name_their_resources() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let opts = crate::check::CheckOptions {
            paths: vec![root.join("testdata/report/module_called_twice/terraform")],
            ..Default::default()
        };
        let report = crate::check::check(&opts).unwrap();
        let messages: Vec<String> = entries(&report, false)
            .into_iter()
            .map(|(_, e)| e.diagnostic.message)
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        for (message, instance) in messages.iter().zip(["(module.a.", "(module.b."]) {
            assert!(message.contains(instance), "{message}");
        }
    }
}
