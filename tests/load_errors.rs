//! Load errors as a user sees them: Terraform references `terraform validate` rejects
//! (undeclared variables, locals, modules and module outputs), and syntax errors of Terraform and
//! ARM files located where the broken construct opens, each an error entry with its file, line and
//! column, exit code 2, and the rest of the scan still done.

use std::path::PathBuf;

use assert_cmd::Command;

/// `testdata/bad/terraform`: `syntax/` and `undeclared/`, each with a valid registry that is still
/// analysed.
fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join("bad")
        .join("terraform")
}

/// `acrlint check <args> --format compact` inside [`dir`]: exit code and output lines.
fn compact(args: &[&str]) -> (i32, Vec<String>) {
    compact_in(dir(), args)
}

fn compact_in(dir: PathBuf, args: &[&str]) -> (i32, Vec<String>) {
    let out = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["--format", "compact"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    (
        out.status.code().unwrap_or(-1),
        stdout.lines().map(str::to_string).collect(),
    )
}

const ACR001: &str = "high: public network access defaults to enabled and no network rule set \
                      restricts it: the registry is reachable from every network [ACR001]";

#[test]
fn syntax_errors_are_reported_where_the_broken_construct_opens() {
    let (code, lines) = compact(&["syntax"]);
    let want = [
        format!("syntax/registry.tf:2:1: {ACR001}"),
        // `tags = {` lacks its `}`; the parser stops at the end of the file.
        "syntax/brace.tf:5:10: error: cannot parse: unclosed `{`: it has no matching `}` \
         (the parser stopped at line 15, column 2: invalid block body; expected `}`, newline or \
         identifier)"
            .into(),
        "syntax/comment.tf:2:3: error: cannot parse: unterminated comment: this `/*` has no \
         closing `*/`"
            .into(),
        "syntax/endpoint.tf.json:3:22: error: cannot parse: unterminated string: it must be \
         closed on the line where it starts (the parser stopped at line 4, column 6: expected \
         ',' or '}' after an object member)"
            .into(),
        "syntax/heredoc.tf:2:12: error: cannot parse: unterminated heredoc: no line `EOT` ends it \
         (the parser stopped at line 3, column 5: expected heredoc end delimiter)"
            .into(),
        "syntax/interpolation.tf:3:13: error: cannot parse: unclosed template sequence: this `${` \
         has no closing `}`"
            .into(),
        // The string left open on line 11; the parser gives up on line 15.
        "syntax/string.tf:11:39: error: cannot parse: unterminated string: it must be closed on \
         the line where it starts (the parser stopped at line 15, column 14: expected `]`)"
            .into(),
        "syntax/zone.tf.json:7:17: error: cannot parse: unclosed `{`: it has no matching `}` \
         (the parser stopped at line 13, column 1: unexpected end of input inside an object)"
            .into(),
    ];
    assert_eq!(lines, want);
    assert_eq!(code, 2);
}

#[test]
fn undeclared_references_are_errors_at_the_reference() {
    let (code, lines) = compact(&["undeclared"]);
    let want = [
        format!("undeclared/main.tf:15:1: {ACR001}"),
        "undeclared/dns.tf.json:6:35: error: undeclared input variable var.dns_resource_group: \
         no variable \"dns_resource_group\" block in this module"
            .into(),
        "undeclared/main.tf:4:13: error: undeclared input variable var.environment: no variable \
         \"environment\" block in this module"
            .into(),
        "undeclared/main.tf:7:16: error: undeclared local value local.tier: no locals block in \
         this module sets \"tier\""
            .into(),
        "undeclared/main.tf:16:25: error: undeclared output module.naming.registry: module \
         \"naming\" (source \"./modules/naming\") declares no output \"registry\""
            .into(),
        "undeclared/main.tf:17:25: error: undeclared module module.network: no module \
         \"network\" block in this module"
            .into(),
        // Inside a dynamic block's content and a `for` expression, next to names they bind.
        "undeclared/main.tf:26:60: error: undeclared input variable var.skip_tag: no variable \
         \"skip_tag\" block in this module"
            .into(),
        // In an output of the called module that nothing reads.
        "undeclared/modules/naming/main.tf:6:30: error: undeclared input variable var.suffix: \
         no variable \"suffix\" block in this module"
            .into(),
    ];
    assert_eq!(lines, want);
    assert_eq!(code, 2);
}

#[test]
fn each_error_is_reported_once_and_every_other_file_is_still_checked() {
    let out = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir())
        // The module folder is passed too: it is analysed through its caller, not twice.
        .args([
            "check",
            ".",
            "undeclared/modules/naming",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = report["errors"].as_array().unwrap();
    let at = |e: &serde_json::Value| {
        let loc = &e["location"];
        format!(
            "{}:{}:{}",
            loc["path"].as_str().unwrap(),
            loc["start_line"],
            loc["start_column"]
        )
    };
    let mut places: Vec<String> = errors.iter().map(at).collect();
    let all = places.len();
    places.dedup();
    assert_eq!(places.len(), all, "{places:#?}");
    assert_eq!(all, 14, "{places:#?}");
    let findings: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), at(f)))
        .collect();
    assert_eq!(
        findings,
        [
            "ACR001 syntax/registry.tf:2:1",
            "ACR001 undeclared/main.tf:15:1"
        ]
    );
}

/// ARM templates use the same scan: a name left unterminated on line 8 is reported there, not on
/// line 9 where the JSON parser gave up; the good template beside it is still checked.
#[test]
fn arm_syntax_errors_are_reported_where_the_broken_construct_opens() {
    let arm = dir().parent().unwrap().join("arm");
    let (code, lines) = compact_in(arm, &["syntax"]);
    assert_eq!(
        lines,
        [
            format!("syntax/registry.json:6:15: {ACR001}"),
            "syntax/broken.json:8:15: error: invalid JSON: unterminated string: it must be closed \
             on the line where it starts (the parser stopped at line 9, column 8: expected ',' or \
             '}' after an object member)"
                .to_string(),
        ]
    );
    assert_eq!(code, 2);
}

/// A module path that differs from the folder on disk only in letter case works on Windows and
/// macOS and fails on Linux, where CI runs: the error names the folder that is there.
#[test]
fn a_module_path_that_differs_only_in_case_names_the_path_that_exists() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("Modules/Dns")).unwrap();
    std::fs::write(root.join("Modules/Dns/main.tf"), "variable \"x\" {}\n").unwrap();
    std::fs::write(root.join("Modules/Dns/zone.bicep"), "param x string\n").unwrap();
    if root.join("modules/dns").exists() {
        println!("skipped: this file system ignores letter case, so the path is found");
        return;
    }
    std::fs::write(
        root.join("main.tf"),
        "module \"dns\" {\n  source = \"./modules/dns\"\n  x      = 1\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("main.bicep"),
        "module dns './modules/dns/zone.bicep' = {\n  name: 'dns'\n  params: { x: 'a' }\n}\n",
    )
    .unwrap();
    let (code, lines) = compact_in(root.to_path_buf(), &["."]);
    assert_eq!(code, 2, "{lines:#?}");
    let hint =
        "differs only in letter case (file names are case-sensitive here, as on Linux CI machines)";
    assert!(
        lines.contains(&format!(
            "main.bicep:1:12: error: cannot read `./modules/dns/zone.bicep`: No such file or directory (os error 2); `Modules/Dns/zone.bicep` {hint}"
        )),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&format!(
            "main.tf:2:12: error: module source \"./modules/dns\" not found: modules/dns; `Modules/Dns` {hint}"
        )),
        "{lines:#?}"
    );
}
