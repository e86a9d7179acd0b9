//! `--format markdown` and `--format dot`: the report for pull requests and the chain diagrams, run
//! as users run them. Snapshots of the demo, of every fail fixture of the DNS-chain rules and of
//! hostile names; what each diagram must show is asserted as well, so that a snapshot accepted by
//! mistake does not hide a missing edge. `.ci/diagrams.sh` feeds the same outputs (and these
//! snapshots) to Mermaid and Graphviz.

#[path = "common/cli.rs"]
mod cli;

use std::path::{Path, PathBuf};

use cli::{acrlint, fixture, json, rules_of};

/// The rules whose findings are a break in the chain, and how the diagram draws each.
const CHAIN_RULES: [(&str, &str); 3] = [
    ("ACR004", "ACR004: no zone group"),
    ("ACR005", "ACR005: wrong zone"),
    ("ACR006", "ACR006: no link"),
];

fn run(dir: &Path, format: &str) -> String {
    let (code, out, err) = acrlint(dir, &["check", ".", "--format", format]);
    assert!(
        code == 0 || code == 1,
        "{}: exit {code}: {err}",
        dir.display()
    );
    assert!(err.is_empty(), "{}: {err}", dir.display());
    out
}

fn fail_fixtures(rule: &str) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for format in ["terraform", "arm", "bicep"] {
        let Ok(entries) = std::fs::read_dir(fixture(&format!("rules/{rule}/{format}"))) else {
            continue;
        };
        dirs.extend(
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("fail_")
                }),
        );
    }
    dirs.sort();
    dirs
}

/// The Mermaid blocks of a Markdown report.
fn mermaid_blocks(markdown: &str) -> Vec<&str> {
    markdown
        .split("```mermaid\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect()
}

/// A Mermaid label's text as Mermaid shows it (its entity codes decoded).
fn mermaid_text(label: &str) -> String {
    label
        .replace("<br/>", "\n")
        .replace("#quot;", "\"")
        .replace("#lt;", "<")
        .replace("#gt;", ">")
        .replace("#96;", "`")
        .replace("#124;", "|")
        .replace("#amp;", "&")
        .replace("#35;", "#")
}

/// A DOT string's text as Graphviz shows it.
fn dot_text(label: &str) -> String {
    let mut out = String::new();
    let mut chars = label.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(next) => out.push(next),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[test]
fn demo_report_and_graph() {
    let dir = fixture("demo");
    let markdown = run(&dir, "markdown");
    let dot = run(&dir, "dot");
    // The verdict first, one line; a table row per finding; a section per registry with findings.
    let mut lines = markdown.lines();
    assert_eq!(lines.next(), Some("<!-- acrlint report -->"));
    assert_eq!(
        lines.next(),
        Some("**acrlint: 6 findings (4 high, 2 medium)** in 5 files, 24 resources")
    );
    let (_, report) = json(&dir, &["."]);
    for rule in rules_of(&report) {
        assert!(markdown.contains(&format!("| {rule} `")), "{rule}");
    }
    assert_eq!(markdown.matches("\n### Registry ").count(), 4, "{markdown}");
    // The staging endpoint's VNet is not linked to the zone; prod's, linked, has no section.
    assert!(markdown.contains("### Registry `azurerm_container_registry.staging`"));
    assert!(!markdown.contains("### Registry `azurerm_container_registry.prod`"));
    let staging = mermaid_blocks(&markdown)[3];
    assert!(
        staging.contains("-.->|\"ACR006: no link\"|"),
        "the missing link is a dashed edge: {staging}"
    );
    assert!(staging.contains("azurerm_virtual_network.staging"));
    assert!(dot.contains("label=\"ACR006: no link\""));
    assert!(dot.contains("label=\"ACR005: wrong zone\""));
    insta::assert_snapshot!("markdown_demo", markdown);
    insta::assert_snapshot!("dot_demo", dot);
}

/// Each fail fixture of a DNS-chain rule: its finding drawn as a broken edge in both formats.
#[test]
fn dns_chain_fail_fixtures() {
    let mut seen = 0;
    for (rule, edge) in CHAIN_RULES {
        for dir in fail_fixtures(rule) {
            let case = dir
                .strip_prefix(fixture("rules"))
                .unwrap()
                .to_string_lossy()
                .replace(['/', '\\'], "_");
            let markdown = run(&dir, "markdown");
            let dot = run(&dir, "dot");
            assert!(
                mermaid_blocks(&markdown)
                    .iter()
                    .any(|b| b.contains(&format!("|\"{edge}\"|"))),
                "{case}: no `{edge}` edge in\n{markdown}"
            );
            assert!(
                dot.contains(&format!("label=\"{edge}\"")),
                "{case}: no `{edge}` edge in\n{dot}"
            );
            insta::assert_snapshot!(format!("markdown_{case}"), markdown);
            insta::assert_snapshot!(format!("dot_{case}"), dot);
            seen += 1;
        }
    }
    assert!(seen >= 20, "only {seen} fail fixtures found");
}

/// A name with quotes, brackets, braces, markup, a backslash, backticks, a pipe and unicode is
/// shown as it is, in every label of both formats.
#[test]
fn hostile_names_render_as_written() {
    let dir = fixture("report/hostile_names");
    let name = "q\"uo[te]s] {x} <b>&amp; #quot; \\N `tick` | ünï € 🚀";
    let markdown = run(&dir, "markdown");
    let blocks = mermaid_blocks(&markdown);
    assert_eq!(blocks.len(), 1, "{markdown}");
    let labels: Vec<String> = blocks[0]
        .lines()
        .filter_map(|l| l.trim().split_once("[\"").map(|(_, rest)| rest))
        .map(|rest| mermaid_text(rest.strip_suffix("\"]").expect("one quoted label")))
        .collect();
    // Inside a label, nothing ends the quoted string early.
    for l in blocks[0].lines().filter(|l| l.contains("[\"")) {
        let inner = &l[l.find("[\"").unwrap() + 2..l.len() - 2];
        assert!(
            !inner
                .replace("<br/>", "")
                .contains(['"', '<', '>', '`', '|']),
            "{l}"
        );
    }
    assert!(
        labels
            .iter()
            .any(|l| l.contains(&format!("\nname: {name}\n"))),
        "{labels:#?}"
    );
    assert!(labels.iter().any(|l| l.contains("v\"n[e]t ü")));
    assert!(labels.iter().any(|l| l.contains("s<1>")));
    // The table keeps its columns: each row has as many unescaped pipes as the header.
    let row = markdown
        .lines()
        .find(|l| l.starts_with("| high |"))
        .unwrap();
    assert_eq!(
        row.matches('|').count() - row.matches("\\|").count(),
        6,
        "{row}"
    );

    let dot = run(&dir, "dot");
    let dot_labels: Vec<String> = dot
        .lines()
        .filter_map(|l| l.split_once("[label=\"").map(|(_, rest)| rest))
        .map(|rest| dot_text(&rest[..rest.rfind("\"").unwrap()]))
        .collect();
    assert!(
        dot_labels
            .iter()
            .any(|l| l.contains(&format!("\nname: {name}\n"))),
        "{dot_labels:#?}"
    );
    insta::assert_snapshot!("markdown_hostile_names", markdown);
    insta::assert_snapshot!("dot_hostile_names", dot);
}

/// A suppressed finding leaves the table and takes its drawing with it: the registry's section
/// goes when nothing else is wrong with its chain, and the finding is listed in a collapsed block.
#[test]
fn suppressed_findings_leave_the_diagram() {
    let tmp = tempfile::tempdir().unwrap();
    let from = fixture("rules/ACR006/terraform/fail_linked_to_other_vnet");
    for entry in std::fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
    }
    let before = run(tmp.path(), "markdown");
    assert!(before.contains("ACR006: no link"), "{before}");
    // Suppress the finding on the zone.
    let mut done = false;
    for entry in std::fs::read_dir(tmp.path()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if let Some(at) = text.find("resource \"azurerm_private_dns_zone\"") {
            let text = format!(
                "{}# acrlint:ignore ACR006 the hub resolves it\n{}",
                &text[..at],
                &text[at..]
            );
            std::fs::write(&path, text).unwrap();
            done = true;
        }
    }
    assert!(done, "no zone in {}", from.display());
    let after = run(tmp.path(), "markdown");
    assert!(!after.contains("ACR006: no link"), "{after}");
    assert!(!after.contains("```mermaid"), "{after}");
    assert!(
        after.contains("<details><summary>1 suppressed finding</summary>"),
        "{after}"
    );
    assert!(after.contains("the hub resolves it"), "{after}");
    assert!(after.contains("**acrlint: no findings**"), "{after}");
    let dot = run(tmp.path(), "dot");
    assert_eq!(
        dot,
        "digraph acrlint {\n  rankdir=LR;\n  node [shape=box];\n}\n"
    );
}

#[test]
fn undetermined_results_are_collapsed() {
    let dir = fixture("rules/ACR006/terraform");
    let case = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("pass_unknown")
        })
        .expect("a pass_unknown fixture");
    let markdown = run(&case, "markdown");
    assert!(markdown.contains("**acrlint: no findings**"), "{markdown}");
    assert!(
        markdown.contains("<details><summary>1 undetermined result (a value depends on input nobody gave)</summary>")
            || markdown.contains("undetermined results (a value depends on input nobody gave)</summary>"),
        "{markdown}"
    );
}
