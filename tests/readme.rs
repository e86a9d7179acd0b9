//! The README's rule table (from `rules/*.md`) and function list (from the evaluators' tables) are
//! generated; these tests keep them in sync.
//! Run with `UPDATE_README=1 cargo test --test readme` to rewrite the table.

fn table() -> String {
    let mut out = String::from(
        "| ID | Name | Severity | Default | Fix | What it flags |\n|---|---|---|---|---|---|\n",
    );
    for m in acrlint::rules::all_meta() {
        let fix = match m.fix {
            Some(acrlint::fix::Applicability::Safe) => "safe",
            Some(acrlint::fix::Applicability::Unsafe) => "unsafe",
            None => "",
        };
        out.push_str(&format!(
            "| [{id}](rules/{id}.md) | `{}` | {} | {} | {fix} | {} |\n",
            m.name,
            m.severity,
            if m.default { "on" } else { "off" },
            m.summary,
            id = m.id
        ));
    }
    out
}

/// The README's text between `<!-- {section}:start -->` and `<!-- {section}:end -->` is
/// `generated`; with `UPDATE_README` set it is rewritten to be.
fn check_section(section: &str, generated: &str) {
    let (start_marker, end_marker) = (
        format!("<!-- {section}:start -->"),
        format!("<!-- {section}:end -->"),
    );
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let start = readme
        .find(&start_marker)
        .unwrap_or_else(|| panic!("README has no {start_marker}"))
        + start_marker.len();
    let end = readme
        .find(&end_marker)
        .unwrap_or_else(|| panic!("README has no {end_marker}"));
    let expected = format!("\n{generated}");
    if readme[start..end] != expected {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
            std::fs::write(path, updated).expect("write README.md");
        } else {
            panic!("README {section} section is out of date; run `UPDATE_README=1 cargo test --test readme`.\nExpected:\n{expected}");
        }
    }
}

#[test]
fn readme_rule_table_is_in_sync() {
    check_section("rules", &table());
}

/// The README lists the functions acrlint evaluates, from the evaluators' own tables.
#[test]
fn readme_function_list_is_in_sync() {
    check_section("functions", &acrlint::resolve::functions_markdown());
}

/// The README shows the Mermaid diagram that `--format markdown` draws for the demo's staging
/// registry (a zone not linked to its endpoint's VNet), as acrlint draws it today.
#[test]
fn readme_demo_diagram_is_in_sync() {
    let demo = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/demo"));
    let report = acrlint::check::check(&acrlint::check::CheckOptions {
        paths: vec![demo],
        chains: true,
        ..Default::default()
    })
    .expect("check the demo");
    let markdown = acrlint::render::render(
        acrlint::render::Format::Markdown,
        &report,
        &acrlint::render::RenderOptions::default(),
    );
    let section = markdown
        .split("### Registry `azurerm_container_registry.staging`")
        .nth(1)
        .expect("a section for the staging registry");
    let start = section.find("```mermaid\n").expect("its diagram");
    let block = &section[start..];
    let end = block["```mermaid\n".len()..]
        .find("```\n")
        .expect("the end of the block")
        + "```mermaid\n".len()
        + "```\n".len();
    check_section("demo-diagram", &block[..end]);
}
