//! Rule metadata and documentation, read from `rules/ACRnnn.md` (embedded at build time). One
//! source for `acrlint rules`, `acrlint explain`, SARIF rule descriptions and the README table.

use crate::diagnostic::Severity;

#[derive(Clone, Debug)]
pub struct RuleMeta {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    /// One-line fix shown as a finding's help, per input format.
    pub help_terraform: String,
    pub help_arm: String,
    pub help_bicep: String,
    pub references: Vec<String>,
    /// Checkov check ids that test the same thing (`checkov: [CKV_AZURE_139]`), so that an
    /// existing `checkov:skip=` comment also silences this rule.
    pub checkov: Vec<String>,
    /// The rule judges DNS wiring (zone groups, VNet links) that `dns = "external"` says is made
    /// outside the code (`dns_chain: true`), so that setting turns it off.
    pub dns_chain: bool,
    /// Whether the rule runs without `select` (`default: false` leaves opinionated hardening
    /// advice to `--select`, as ruff leaves its opinionated rules to `select`).
    pub default: bool,
    /// Whether `--fix` can fix the rule's findings where the value is written as a literal
    /// (`fix: safe` or `fix: unsafe`), and whether that keeps what is deployed working.
    pub fix: Option<crate::fix::Applicability>,
    /// The markdown body after the front matter (full documentation).
    pub body: String,
}

impl RuleMeta {
    /// How to fix it, in the syntax of a resource written in `origin`.
    pub fn help_for(&self, origin: crate::load::Origin) -> &str {
        match origin {
            crate::load::Origin::Terraform => &self.help_terraform,
            crate::load::Origin::Arm => &self.help_arm,
            crate::load::Origin::Bicep => &self.help_bicep,
        }
    }

    /// Parse a rule document: a `---` front matter of `key: value` lines (and `references:` followed
    /// by `- url` lines), then the markdown body.
    pub fn parse(doc: &str) -> Result<RuleMeta, String> {
        let doc = doc.strip_prefix('\u{feff}').unwrap_or(doc);
        let rest = doc
            .strip_prefix("---\n")
            .ok_or("rule document must start with a `---` front matter")?;
        let end = rest
            .find("\n---\n")
            .ok_or("rule front matter is not closed by `---`")?;
        let (front, body) = (&rest[..end], &rest[end + 5..]);
        let field = |key: &str| -> Option<String> {
            front.lines().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|r| r.strip_prefix(':'))
                    .map(|v| v.trim().to_string())
            })
        };
        let required = |key: &str| field(key).ok_or(format!("missing front matter key `{key}`"));
        let id = required("id")?;
        let name = required("name")?;
        let severity = required("severity")?;
        let severity =
            Severity::parse(&severity).ok_or(format!("unknown severity `{severity}`"))?;
        let summary = required("summary")?;
        let help_terraform = required("help_terraform")?;
        let help_arm = required("help_arm")?;
        let help_bicep = required("help_bicep")?;
        let checkov = match field("checkov") {
            None => Vec::new(),
            Some(list) => list
                .strip_prefix('[')
                .and_then(|l| l.strip_suffix(']'))
                .ok_or("`checkov` is a list: `checkov: [CKV_AZURE_139]`")?
                .split(',')
                .map(|id| id.trim().to_string())
                .filter(|id| !id.is_empty())
                .collect(),
        };
        let dns_chain = match field("dns_chain").as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => return Err(format!("`dns_chain` is true or false, not `{other}`")),
        };
        let default = match field("default").as_deref() {
            None | Some("true") => true,
            Some("false") => false,
            Some(other) => return Err(format!("`default` is true or false, not `{other}`")),
        };
        let fix = match field("fix").as_deref() {
            None => None,
            Some("safe") => Some(crate::fix::Applicability::Safe),
            Some("unsafe") => Some(crate::fix::Applicability::Unsafe),
            Some(other) => return Err(format!("`fix` is safe or unsafe, not `{other}`")),
        };
        let references = front
            .lines()
            .skip_while(|l| !l.starts_with("references:"))
            .skip(1)
            .take_while(|l| l.trim_start().starts_with("- "))
            .map(|l| l.trim_start()[2..].trim().to_string())
            .collect();
        Ok(RuleMeta {
            id,
            name,
            severity,
            summary,
            help_terraform,
            help_arm,
            help_bicep,
            references,
            checkov,
            dns_chain,
            default,
            fix,
            body: body.trim().to_string(),
        })
    }

    /// A markdown section of the body by its `## ` heading, without the heading.
    pub fn section(&self, heading: &str) -> Option<&str> {
        let start = self
            .body
            .match_indices("## ")
            .find(|(i, _)| {
                (*i == 0 || self.body.as_bytes()[i - 1] == b'\n')
                    && self.body[i + 3..].starts_with(heading)
            })?
            .0;
        let after = &self.body[start..];
        let text_start = after.find('\n').map_or(after.len(), |n| n + 1);
        let text = &after[text_start..];
        let end = text.find("\n## ").map_or(text.len(), |n| n + 1);
        Some(text[..end].trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter_and_sections() {
        let doc = "---\nid: ACR999\nname: x-y\nseverity: high\nsummary: S.\nhelp_terraform: T.\nhelp_arm: A.\nhelp_bicep: B.\nreferences:\n  - https://a\n  - https://b\n---\n\n## What it flags\nOne.\n\n## Why it matters\nTwo.\n";
        let m = RuleMeta::parse(doc).unwrap();
        assert_eq!(m.id, "ACR999");
        assert_eq!(m.severity, Severity::High);
        assert_eq!(m.references, vec!["https://a", "https://b"]);
        assert_eq!(m.section("What it flags"), Some("One."));
        assert_eq!(m.section("Why it matters"), Some("Two."));
        assert!(m.checkov.is_empty() && !m.dns_chain && m.default);
        assert!(RuleMeta::parse("no front matter").is_err());

        let tagged = doc.replace(
            "references:",
            "checkov: [CKV_AZURE_1, CKV_AZURE_2]\ndns_chain: true\nreferences:",
        );
        let m = RuleMeta::parse(&tagged).unwrap();
        assert_eq!(m.checkov, ["CKV_AZURE_1", "CKV_AZURE_2"]);
        assert!(m.dns_chain);
        assert!(
            RuleMeta::parse(&doc.replace("references:", "checkov: CKV_AZURE_1\nreferences:"))
                .is_err()
        );
        assert!(
            RuleMeta::parse(&doc.replace("references:", "dns_chain: yes\nreferences:")).is_err()
        );
        let opt_in = RuleMeta::parse(&doc.replace("references:", "default: false\nreferences:"));
        assert!(!opt_in.unwrap().default);
        assert!(RuleMeta::parse(&doc.replace("references:", "default: no\nreferences:")).is_err());
    }
}
