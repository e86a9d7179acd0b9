//! The baseline: findings recorded once (`--write-baseline FILE`) and hidden afterwards
//! (`--baseline FILE`), so that a team can adopt acrlint and see only new findings.
//!
//! Findings are recorded by [`fingerprint`], which leaves out lines and columns: editing a file
//! above a finding does not bring it back.
//!
//! ```json
//! { "version": 1,
//!   "findings": [ { "fingerprint": "5f0c6a1e9b2d7c44", "rule": "ACR001",
//!                   "resource": "azurerm_container_registry.acr",
//!                   "attribute": "public_network_access", "path": "main.tf" } ] }
//! ```

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::file_error::FileError;
pub use crate::report::BaselineEntry as Entry;
use crate::report::{Report, Suppressed};
use crate::source::line_column;

/// The format version written and the only one read.
pub const VERSION: u32 = 1;

use crate::fingerprint::fingerprint;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baseline {
    /// Sorted by path, rule, resource, so that the file diffs well.
    pub entries: Vec<Entry>,
}

/// A baseline file that cannot be read or understood.
pub type BaselineError = FileError;

impl Baseline {
    /// The report's current findings.
    pub fn from_report(report: &Report) -> Baseline {
        let mut entries: Vec<Entry> = report
            .findings
            .iter()
            .map(|f| {
                let path = report
                    .sources
                    .get(f.primary.span.file)
                    .display()
                    .to_string();
                Entry {
                    fingerprint: fingerprint(&report.sources, f),
                    rule: f.rule.to_string(),
                    resource: f.resource.clone(),
                    attribute: f.attribute.clone(),
                    path,
                }
            })
            .collect();
        entries.sort();
        Baseline { entries }
    }

    /// The file's text (pretty JSON, with a final newline).
    pub fn to_json(&self) -> String {
        let file = BaselineFile {
            version: VERSION,
            findings: self.entries.clone(),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = crate::load::read_text(path).map_err(|e| {
            let e = e.strip_prefix("cannot read: ").unwrap_or(&e);
            FileError::whole(path, format!("cannot read the baseline: {e}"))
        })?;
        Baseline::parse(&text, path)
    }

    /// Parse a baseline's text; `path` is for error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Baseline, BaselineError> {
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| {
            let message = format!("malformed baseline: {e}");
            // serde_json appends " at line L column C"; the location has its own fields.
            let message = match message.rfind(" at line ") {
                Some(at) => message[..at].to_string(),
                None => message,
            };
            FileError::new(path, e.line().max(1), e.column().max(1), message)
        })?;
        if file.version != VERSION {
            let at = text.find("\"version\"").unwrap_or(0);
            let (line, column) = line_column(text, at);
            return Err(FileError::new(
                path,
                line,
                column,
                format!(
                    "unsupported baseline version {} (this acrlint reads version {VERSION}; \
                     write it again with --write-baseline)",
                    file.version
                ),
            ));
        }
        let mut entries = file.findings;
        entries.sort();
        Ok(Baseline { entries })
    }
}

/// Move the findings recorded in `baseline` to `report.suppressed` (reason "baseline"), and
/// return the entries that no longer occur in the files scanned, so that the baseline can shrink.
/// Entries for files this run did not read are neither matched nor returned.
///
/// Call it before dropping findings of files not passed explicitly (pre-commit), so that entries
/// of the rest of a module are not taken for stale.
pub fn apply(report: &mut Report, baseline: &Baseline) -> Vec<Entry> {
    let mut remaining: HashMap<&str, usize> = HashMap::new();
    for e in &baseline.entries {
        *remaining.entry(e.fingerprint.as_str()).or_default() += 1;
    }
    let sources = report.sources.clone();
    for finding in std::mem::take(&mut report.findings) {
        match remaining.get_mut(fingerprint(&sources, &finding).as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                report.suppressed.push(Suppressed {
                    finding,
                    reason: "baseline".into(),
                });
            }
            _ => report.findings.push(finding),
        }
    }
    let scanned: BTreeSet<String> = (0..sources.len())
        .map(|i| {
            sources
                .get(crate::source::FileId(i as u32))
                .display()
                .to_string()
        })
        .collect();
    let mut stale = Vec::new();
    for e in &baseline.entries {
        if let Some(n) = remaining.get_mut(e.fingerprint.as_str()) {
            if *n > 0 && scanned.contains(&e.path) {
                *n -= 1;
                stale.push(e.clone());
            }
        }
    }
    stale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Finding;
    use crate::source::FileId;
    use crate::suppress::tests::{finding, report, suppressed};

    /// An ACR001 finding on `public_network_access_enabled`.
    fn public_access(r: &Report, file: FileId) -> Finding {
        finding(
            &r.sources,
            file,
            "ACR001",
            "resource",
            "public_network_access_enabled",
        )
    }

    const V1: &str = "resource \"azurerm_container_registry\" \"acr\" {\n  public_network_access_enabled = true\n  admin_enabled = true\n}\n";
    // The same registry after lines were added above it.
    const V2: &str = "# registry\n\nresource \"azurerm_container_registry\" \"acr\" {\n  sku = \"Premium\"\n  public_network_access_enabled = true\n  admin_enabled = true\n  anonymous_pull_enabled = true\n}\n";

    #[test]
    fn fingerprint_is_stable_and_distinguishes_its_parts() {
        let (r1, a) = report(&[("main.tf", V1), ("other.tf", V1), ("infra\\main.tf", V1)]);
        let (r2, b) = report(&[("main.tf", V2), ("infra/main.tf", V1)]);
        let fp1 = |f: &Finding| fingerprint(&r1.sources, f);
        let f1 = public_access(&r1, a[0]);
        let f2 = public_access(&r2, b[0]);
        assert_ne!(f1.primary.span, f2.primary.span);
        assert_eq!(fp1(&f1), fingerprint(&r2.sources, &f2), "lines shifted");
        assert_eq!(fp1(&f1).len(), 16);
        assert_ne!(fp1(&f1), fp1(&public_access(&r1, a[1])), "another file");
        assert_eq!(
            fp1(&public_access(&r1, a[2])),
            fingerprint(&r2.sources, &public_access(&r2, b[1])),
            "the same path with either separator"
        );
        let mut other = f1.clone();
        other.rule = "ACR002";
        assert_ne!(fp1(&f1), fp1(&other));
        let mut other = f1.clone();
        other.attribute = String::new();
        assert_ne!(fp1(&f1), fp1(&other));
    }

    #[test]
    fn fnv1a_reference_value() {
        // FNV-1a 64 of "ACR001\0" "r\0" "\0" "p\0", computed independently.
        let (r, ids) = report(&[("p", "x")]);
        let mut f = finding(&r.sources, ids[0], "ACR001", "x", "");
        f.resource = "r".into();
        f.attribute = String::new();
        let mut h: u64 = 0xcbf29ce484222325;
        for b in b"ACR001\0r\0\0p\0" {
            h = (h ^ u64::from(*b)).wrapping_mul(0x100000001b3);
        }
        assert_eq!(fingerprint(&r.sources, &f), format!("{h:016x}"));
    }

    #[test]
    fn round_trip_across_line_shifts() {
        let (mut before, a) = report(&[("main.tf", V1)]);
        before.findings = vec![
            public_access(&before, a[0]),
            finding(&before.sources, a[0], "ACR010", "resource", "admin_enabled"),
        ];
        let text = Baseline::from_report(&before).to_json();
        let baseline = Baseline::parse(&text, Path::new("acrlint-baseline.json")).unwrap();
        assert_eq!(baseline.entries.len(), 2);

        let (mut after, b) = report(&[("main.tf", V2)]);
        after.findings = vec![
            public_access(&after, b[0]),
            finding(
                &after.sources,
                b[0],
                "ACR011",
                "resource",
                "anonymous_pull_enabled",
            ),
        ];
        let stale = apply(&mut after, &baseline);
        assert_eq!(suppressed(&after), [("ACR001", "baseline")]);
        assert_eq!(after.findings.len(), 1);
        assert_eq!(after.findings[0].rule, "ACR011");
        // admin_enabled was fixed: its entry can go.
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].rule, "ACR010");
        assert_eq!(stale[0].attribute, "admin_enabled");
    }

    #[test]
    fn entries_of_files_not_scanned_are_not_stale() {
        let (mut r, a) = report(&[("main.tf", V1)]);
        r.findings = vec![public_access(&r, a[0])];
        let mut baseline = Baseline::from_report(&r);
        baseline.entries[0].path = "elsewhere/main.tf".into();
        baseline.entries[0].fingerprint = "0000000000000000".into();
        let stale = apply(&mut r, &baseline);
        assert!(stale.is_empty());
        assert_eq!(r.findings.len(), 1);
    }

    #[test]
    fn duplicates_are_counted() {
        let (mut r, a) = report(&[("main.tf", V1)]);
        let f = public_access(&r, a[0]);
        r.findings = vec![f.clone()];
        let baseline = Baseline::from_report(&r);
        r.findings = vec![f.clone(), f];
        apply(&mut r, &baseline);
        assert_eq!(r.suppressed.len(), 1);
        assert_eq!(r.findings.len(), 1);
    }

    #[test]
    fn malformed_baselines_have_a_location() {
        let path = Path::new("b.json");
        let e = Baseline::parse(
            "{\n  \"version\": 1,\n  \"findings\": [ { \"rule\": 1 } ]\n}",
            path,
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.message.starts_with("malformed baseline: invalid type"),
            "{}",
            e.message
        );
        assert!(!e.message.contains(" at line "));
        let e = Baseline::parse("{ \"version\": 1, \"findings\": [], \"extra\": 0 }", path)
            .unwrap_err();
        assert!(e.message.contains("unknown field `extra`"), "{}", e.message);
        let e = Baseline::parse("", path).unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        let e = Baseline::parse("{\n  \"findings\": [],\n  \"version\": 2\n}", path).unwrap_err();
        assert_eq!((e.line, e.column), (3, 3));
        assert!(e.message.contains("version 2"));
        assert_eq!(e.to_string(), format!("b.json:3:3: {}", e.message));
    }
}
