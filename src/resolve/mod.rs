//! Static evaluation: HCL expressions (Terraform) and ARM template expressions.

pub mod arm;
pub mod hcl;
pub mod unique_string;

use crate::value::{Node, Value};

/// Bytes a value takes, as both evaluators count it against `value_size` in [`crate::limits`]:
/// its strings, and each element of a list or object at the size of a node (scalars are counted
/// by the node that holds them).
pub fn value_bytes(v: &Value) -> u64 {
    const NODE: u64 = std::mem::size_of::<Node>() as u64;
    match v {
        Value::String(s) => s.len() as u64,
        Value::Symbolic(s) => s.encoded().len() as u64,
        Value::List(items) => items
            .iter()
            .map(|n| NODE + value_bytes(&n.value))
            .sum::<u64>(),
        Value::Object(m) => m
            .iter()
            .map(|(k, n)| NODE + k.len() as u64 + value_bytes(&n.value))
            .sum::<u64>(),
        _ => 0,
    }
}

/// The functions acrlint evaluates, per language, in alphabetical order (`acrlint functions`, the
/// README). A function not listed makes the value it feeds unknown, never wrong.
pub fn evaluated_functions() -> [(&'static str, Vec<&'static str>); 2] {
    let sorted = |names: &mut Vec<&'static str>| {
        names.sort_by_key(|n| n.to_ascii_lowercase());
    };
    let mut terraform: Vec<&'static str> = hcl::function_names().collect();
    let mut arm: Vec<&'static str> = arm::function_names().collect();
    sorted(&mut terraform);
    sorted(&mut arm);
    [("Terraform", terraform), ("ARM", arm)]
}

/// The function lists as Markdown paragraphs of inline code (the README's section).
pub fn functions_markdown() -> String {
    let mut out = String::new();
    for (language, names) in evaluated_functions() {
        let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        out.push_str(&format!(
            "**{language}** ({}): {}.\n\n",
            names.len(),
            list.join(", ")
        ));
    }
    out
}
