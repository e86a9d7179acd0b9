//! ARM suppressions: `"metadata": { "acrlint": { "ignore": [ { "rule": "ACR001", "reason": "…",
//! "until": "2027-03-31" } ] } }` on a resource object.

use super::date::Date;
use super::inline::{Directive, Kind, Problem};
use crate::load::json::{self, Json, JsonValue};
use crate::source::{FileId, Span};

/// A parsed template and the suppressions written in its resources' metadata.
#[derive(Debug)]
pub struct ArmFile {
    root: Json,
    /// Objects that carry `metadata.acrlint`, by the start of the object, with their directives.
    entries: Vec<(usize, Vec<Directive>)>,
}

impl ArmFile {
    /// `None` when the text is not JSON (the loader reports that).
    pub fn scan(
        file: FileId,
        text: &str,
        known: &[String],
        problems: &mut Vec<Problem>,
    ) -> Option<ArmFile> {
        let root = json::parse(text).ok()?;
        let mut entries = Vec::new();
        // Every object anywhere (nested deployments too).
        for (node, _) in root.objects() {
            if let Some(acrlint) = node.get("metadata").and_then(|m| m.get("acrlint")) {
                let ds = directives(file, acrlint, known, problems);
                entries.push((node.span.start, ds));
            }
        }
        Some(ArmFile { root, entries })
    }

    /// The innermost object holding `offset` as one of its own members: for a resource's header
    /// (its `type` member), the resource object.
    pub fn resource_at(&self, offset: usize) -> Option<&Json> {
        let mut node = &self.root;
        let mut object = None;
        loop {
            let next = match &node.value {
                JsonValue::Object(members) => {
                    let hit = members.iter().find(|(k, v)| {
                        k.span.start <= offset && offset < v.span.end.max(k.span.end)
                    });
                    if hit.is_some() {
                        object = Some(node);
                    }
                    hit.map(|(_, v)| v)
                }
                JsonValue::Array(items) => items.iter().find(|v| v.span.contains(&offset)),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => return object,
            }
        }
    }

    /// The metadata suppressions of the object starting at `start`.
    pub fn directives(&self, start: usize) -> &[Directive] {
        self.entries
            .iter()
            .find(|(s, _)| *s == start)
            .map_or(&[], |(_, d)| d.as_slice())
    }
}

/// Check `metadata.acrlint` and turn its valid entries into directives.
fn directives(
    file: FileId,
    acrlint: &Json,
    known: &[String],
    problems: &mut Vec<Problem>,
) -> Vec<Directive> {
    let mut problem = |node: &Json, message: String| {
        problems.push(Problem {
            span: Span::new(file, node.span.clone()),
            message,
        })
    };
    let JsonValue::Object(members) = &acrlint.value else {
        problem(
            acrlint,
            "`metadata.acrlint` must be an object: `{ \"ignore\": [ ... ] }`".into(),
        );
        return Vec::new();
    };
    for (key, value) in members {
        if !key.name.eq_ignore_ascii_case("ignore") {
            problem(
                value,
                format!(
                    "unknown key `{}` in `metadata.acrlint` (only `ignore`)",
                    key.name
                ),
            );
        }
    }
    let Some(ignore) = acrlint.get("ignore") else {
        problem(acrlint, "`metadata.acrlint` has no `ignore` list".into());
        return Vec::new();
    };
    let JsonValue::Array(items) = &ignore.value else {
        problem(
            ignore,
            "`metadata.acrlint.ignore` must be a list of `{ \"rule\": …, \"reason\": … }`".into(),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let JsonValue::Object(fields) = &item.value else {
            problem(
                item,
                "an `ignore` entry must be an object with `rule` and `reason`".into(),
            );
            continue;
        };
        let mut ok = true;
        for (key, value) in fields {
            let name = key.name.to_ascii_lowercase();
            if !matches!(name.as_str(), "rule" | "reason" | "until") {
                problem(
                    value,
                    format!(
                        "unknown key `{}` in an `ignore` entry (rule, reason, until)",
                        key.name
                    ),
                );
                ok = false;
            }
        }
        let rule = item
            .get("rule")
            .and_then(Json::as_str)
            .map(str::to_ascii_uppercase);
        match &rule {
            None => {
                problem(item, "an `ignore` entry needs `\"rule\": \"ACR…\"`".into());
                ok = false;
            }
            Some(r) if !known.contains(r) => {
                let at = item.get("rule").unwrap_or(item);
                problem(
                    at,
                    format!("unknown rule id `{r}` in suppression (`acrlint rules` lists them)"),
                );
                ok = false;
            }
            Some(_) => {}
        }
        let reason = item
            .get("reason")
            .and_then(Json::as_str)
            .map(str::trim)
            .unwrap_or("");
        if reason.is_empty() {
            problem(
                item,
                "an `ignore` entry needs a non-empty `reason`; it does not suppress without one"
                    .into(),
            );
            ok = false;
        }
        let until = match item.get("until") {
            None => None,
            Some(u) => {
                match u.as_str().and_then(Date::parse) {
                    Some(d) => Some(d),
                    None => {
                        problem(u, "malformed `until` date (expected \"YYYY-MM-DD\"); it does not suppress".into());
                        ok = false;
                        None
                    }
                }
            }
        };
        if let (true, Some(rule)) = (ok, rule) {
            out.push(Directive {
                rules: vec![rule],
                reason: reason.to_string(),
                until,
                kind: Kind::Metadata,
                span: Span::new(file, item.span.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "name": "acr",
      "metadata": { "acrlint": { "ignore": [
        { "rule": "ACR001", "reason": "public by design", "until": "2027-03-31" },
        { "rule": "acr010", "reason": "legacy pipeline" }
      ] } },
      "resources": [
        { "type": "replications", "name": "westeurope" }
      ]
    }
  ]
}"#;

    fn scan(text: &str) -> (ArmFile, Vec<Problem>) {
        let known = ["ACR001", "ACR010"].map(String::from).to_vec();
        let mut problems = Vec::new();
        let arm = ArmFile::scan(FileId(0), text, &known, &mut problems).unwrap();
        (arm, problems)
    }

    #[test]
    fn finds_the_resource_of_a_header_and_its_suppressions() {
        let (arm, problems) = scan(TEMPLATE);
        assert!(problems.is_empty(), "{problems:?}");
        let header = TEMPLATE.find("\"Microsoft.ContainerRegistry").unwrap();
        let resource = arm.resource_at(header).unwrap();
        assert!(TEMPLATE[resource.span.clone()].contains("\"name\": \"acr\""));
        let ds = arm.directives(resource.span.start);
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0].rules, ["ACR001"]);
        assert_eq!(ds[0].until, Date::parse("2027-03-31"));
        assert_eq!(ds[1].rules, ["ACR010"]);
        assert_eq!(ds[1].reason, "legacy pipeline");
    }

    #[test]
    fn a_child_resource_is_not_covered_by_its_parent() {
        let (arm, _) = scan(TEMPLATE);
        let header = TEMPLATE.find("\"replications\"").unwrap();
        let child = arm.resource_at(header).unwrap();
        assert!(TEMPLATE[child.span.clone()].contains("westeurope"));
        assert!(arm.directives(child.span.start).is_empty());
    }

    #[test]
    fn bad_entries_are_reported_and_do_not_suppress() {
        let text = r#"{ "resources": [ { "type": "x", "metadata": { "acrlint": { "ignore": [
            { "rule": "ACR001" },
            { "rule": "ACR999", "reason": "r" },
            { "rule": "ACR001", "reason": "r", "until": "2027-3-1" },
            { "rule": "ACR001", "reason": "r", "expires": "2027-03-01" },
            "ACR001",
            { "rule": "ACR010", "reason": "fine" }
        ], "skip": true } } } ] }"#;
        let (arm, problems) = scan(text);
        let resource = arm.resource_at(text.find("\"x\"").unwrap()).unwrap();
        let ds = arm.directives(resource.span.start);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].rules, ["ACR010"]);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 6, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("reason")));
        assert!(messages.iter().any(|m| m.contains("`ACR999`")));
        assert!(messages.iter().any(|m| m.contains("`until`")));
        assert!(messages.iter().any(|m| m.contains("`expires`")));
        assert!(messages.iter().any(|m| m.contains("`skip`")));
        let at = problems
            .iter()
            .find(|p| p.message.contains("ACR999"))
            .unwrap()
            .span;
        assert_eq!(&text[at.start as usize..at.end as usize], "\"ACR999\"");
    }

    #[test]
    fn not_json_is_left_to_the_loader() {
        let mut problems = Vec::new();
        assert!(ArmFile::scan(FileId(0), "{ nope", &[], &mut problems).is_none());
        assert!(problems.is_empty());
    }
}
