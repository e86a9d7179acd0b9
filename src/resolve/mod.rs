//! Static evaluation: HCL expressions (Terraform) and ARM template expressions.

pub mod arm;
pub mod hcl;
pub mod unique_string;

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
