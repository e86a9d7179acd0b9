//! The README's rule table is generated from `rules/*.md`; this test keeps it in sync.
//! Run with `UPDATE_README=1 cargo test --test readme` to rewrite the table.

const START: &str = "<!-- rules:start -->";
const END: &str = "<!-- rules:end -->";

fn table() -> String {
    let mut out =
        String::from("| ID | Name | Severity | Default | What it flags |\n|---|---|---|---|---|\n");
    for m in acrlint::rules::all_meta() {
        out.push_str(&format!(
            "| [{id}](rules/{id}.md) | `{}` | {} | {} | {} |\n",
            m.name,
            m.severity,
            if m.default { "on" } else { "off" },
            m.summary,
            id = m.id
        ));
    }
    out
}

#[test]
fn readme_rule_table_is_in_sync() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let start = readme
        .find(START)
        .expect("README has the rules:start marker")
        + START.len();
    let end = readme.find(END).expect("README has the rules:end marker");
    let expected = format!("\n{}", table());
    if readme[start..end] != expected {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
            std::fs::write(path, updated).expect("write README.md");
        } else {
            panic!("README rule table is out of date; run `UPDATE_README=1 cargo test --test readme`.\nExpected:\n{expected}");
        }
    }
}

/// The README lists the functions acrlint evaluates, from the evaluators' own tables.
#[test]
fn readme_function_list_is_in_sync() {
    const START: &str = "<!-- functions:start -->";
    const END: &str = "<!-- functions:end -->";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let start = readme
        .find(START)
        .expect("README has the functions:start marker")
        + START.len();
    let end = readme
        .find(END)
        .expect("README has the functions:end marker");
    let expected = format!("\n{}", acrlint::resolve::functions_markdown());
    if readme[start..end] != expected {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
            std::fs::write(path, updated).expect("write README.md");
        } else {
            panic!("README function list is out of date; run `UPDATE_README=1 cargo test --test readme`.\nExpected:\n{expected}");
        }
    }
}
