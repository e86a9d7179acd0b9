//! Terraform JSON suppressions. `.tf.json` has no comments; Terraform ignores comment
//! properties instead, and so a resource's body holds `"//": "acrlint:ignore ACR001 reason"` (or
//! a list of such strings), covering every finding of that resource. tflint reads its
//! annotations from comment properties too.

use super::inline::{directive, Directive, Problem};
use crate::load::json::{self, Json, JsonValue};
use crate::source::FileId;

/// The comment property name Terraform ignores.
pub const KEY: &str = "//";

/// A parsed Terraform JSON file and the suppressions in its comment properties.
#[derive(Debug)]
pub struct PropertyFile {
    root: Json,
    /// Objects with suppressions in a comment property, by the start of the object.
    entries: Vec<(usize, Vec<Directive>)>,
}

impl PropertyFile {
    /// `None` when the text is not JSON (the loader reports that).
    pub fn scan(
        file: FileId,
        text: &str,
        known: &[String],
        problems: &mut Vec<Problem>,
    ) -> Option<PropertyFile> {
        let root = json::parse(text).ok()?;
        let mut entries = Vec::new();
        for (node, members) in root.objects() {
            let mut found = Vec::new();
            for (_, value) in members.iter().filter(|(k, _)| k.name == KEY) {
                let lines = match &value.value {
                    JsonValue::Array(items) => items.iter().collect(),
                    _ => vec![value],
                };
                for line in lines {
                    if let JsonValue::String(s) = &line.value {
                        // The text starts after the opening quote.
                        let start = line.span.start + 1;
                        found.extend(directive(file, s, start, known, problems));
                    }
                }
            }
            if !found.is_empty() {
                entries.push((node.span.start, found));
            }
        }
        Some(PropertyFile { root, entries })
    }

    /// The suppressions of the block whose label (a resource's name, its header) holds
    /// `offset`: those of its body, or of each body when it is a list of them.
    pub fn directives_at(&self, offset: usize) -> Vec<&Directive> {
        let Some(body) = body_at(&self.root, offset) else {
            return Vec::new();
        };
        let bodies = match &body.value {
            JsonValue::Array(items) => items.iter().collect(),
            _ => vec![body],
        };
        bodies
            .into_iter()
            .flat_map(|b| {
                self.entries
                    .iter()
                    .filter(move |(start, _)| *start == b.span.start)
                    .flat_map(|(_, ds)| ds)
            })
            .collect()
    }
}

/// The value of the member whose key holds `offset`.
pub fn body_at(root: &Json, offset: usize) -> Option<&Json> {
    let mut node = root;
    loop {
        node = match &node.value {
            JsonValue::Object(members) => {
                if let Some((_, value)) = members.iter().find(|(k, _)| k.span.contains(&offset)) {
                    return Some(value);
                }
                members
                    .iter()
                    .map(|(_, v)| v)
                    .find(|v| v.span.contains(&offset))?
            }
            JsonValue::Array(items) => items.iter().find(|v| v.span.contains(&offset))?,
            _ => return None,
        };
    }
}
