//! What a first-time user meets on the command line (issue 10): a correct setup passes with the
//! default options, nothing named on the command line is skipped silently, undetermined results
//! never look like findings, and the smaller things (help, rule selection, config errors,
//! explain, completions).

#[path = "common/cli.rs"]
mod cli;

use std::path::PathBuf;

use cli::{acrlint, json, root, rules_of};

fn testdata(rel: &str) -> PathBuf {
    cli::fixture(rel)
}

// ---- 3. A correct setup exits 0 with default options -------------------------------------------

#[test]
fn a_correct_setup_exits_0_with_default_options() {
    for format in ["terraform", "arm"] {
        let dir = testdata("correct").join(format);
        // Every format, from inside the folder and from the repository root.
        for (cwd, path) in [
            (dir.as_path(), "."),
            (root().as_path(), dir.to_str().unwrap()),
        ] {
            for out in ["pretty", "compact", "json", "sarif", "github"] {
                let (code, stdout, stderr) =
                    acrlint(cwd, &["check", path, "--format", out, "--color", "never"]);
                assert_eq!(code, 0, "{format} --format {out}:\n{stdout}\n{stderr}");
            }
        }
        let (code, report) = json(&dir, &["."]);
        assert_eq!(code, 0);
        assert!(rules_of(&report).is_empty(), "{format}: {report:#}");
        assert!(report["errors"].as_array().unwrap().is_empty());
        assert!(report["summary"]["files"].as_u64().unwrap() >= 1);
        assert!(report["summary"]["resources"].as_u64().unwrap() >= 6);
        // The hardening advice is there when asked for, by ALL, id or name.
        for select in ["ALL", "ACR012", "registry-export-allowed", "acr01"] {
            let (code, report) = json(&dir, &[".", "--select", select]);
            assert_eq!(code, 1, "{format} --select {select}");
            assert_eq!(rules_of(&report), ["ACR012"], "{format} --select {select}");
        }
    }
}

#[test]
fn the_configuration_file_selects_opt_in_rules_too() {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["variables.tf", "network.tf", "registry.tf", "dns.tf"] {
        std::fs::copy(testdata("correct/terraform").join(f), tmp.path().join(f)).unwrap();
    }
    std::fs::write(tmp.path().join(".acrlint.toml"), "select = [\"ALL\"]\n").unwrap();
    let (code, report) = json(tmp.path(), &["."]);
    assert_eq!((code, rules_of(&report)), (1, vec!["ACR012".to_string()]));
    // A rule named in `ignore` stays off whatever `select` says.
    std::fs::write(
        tmp.path().join(".acrlint.toml"),
        "select = [\"ALL\"]\nignore = [\"registry-export-allowed\"]\n",
    )
    .unwrap();
    let (code, report) = json(tmp.path(), &["."]);
    assert_eq!((code, rules_of(&report).len()), (0, 0));
}

#[test]
fn rules_lists_which_rules_are_on_by_default() {
    let (code, out, _) = acrlint(&root(), &["rules"]);
    assert_eq!(code, 0);
    let header = out.lines().next().unwrap();
    assert!(header.contains("DEFAULT"), "{header}");
    let line = |id: &str| {
        out.lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} missing:\n{out}"))
            .to_string()
    };
    assert!(line("ACR012").contains(" off "), "{}", line("ACR012"));
    assert!(line("ACR001").contains(" on "), "{}", line("ACR001"));
    assert!(out.contains("--select ALL"), "{out}");
}

// ---- 6. Rule selection on the command line -----------------------------------------------------

#[test]
fn unknown_rules_on_the_command_line_are_usage_errors_with_a_suggestion() {
    let dir = testdata("demo");
    let (code, out, err) = acrlint(&dir, &["check", ".", "--select", "ACR999"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("`ACR999`"), "{err}");
    assert!(err.contains("did you mean `ACR009`?"), "{err}");
    let (code, _, err) = acrlint(
        &dir,
        &["check", ".", "--ignore", "ACR001,registry-admin-usr"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--ignore"), "{err}");
    assert!(
        err.contains("did you mean `registry-admin-user-enabled`?"),
        "{err}"
    );
    // Names work as ids do; prefixes stay valid.
    let (_, report) = json(&dir, &[".", "--select", "registry-admin-user-enabled"]);
    assert_eq!(rules_of(&report), ["ACR010"]);
    let (code, report) = json(&dir, &[".", "--ignore", "ACR0"]);
    assert_eq!((code, rules_of(&report).len()), (0, 0));
}

// ---- 4. Nothing named on the command line is skipped silently ----------------------------------

/// The correct Terraform setup, plus files acrlint does not analyse.
fn correct_with_unanalysed_files() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["variables.tf", "network.tf", "registry.tf", "dns.tf"] {
        std::fs::copy(testdata("correct/terraform").join(f), tmp.path().join(f)).unwrap();
    }
    let write = |name: &str, text: &str| std::fs::write(tmp.path().join(name), text).unwrap();
    write(
        "plan.json",
        "{ \"name\": \"not a template\", \"version\": \"1.0.0\" }\n",
    );
    write(
        "tfplan.json",
        "{ \"format_version\": \"1.0\", \"terraform_version\": \"1.9.5\", \"values\": {} }\n",
    );
    write(
        "override.tf",
        "resource \"azurerm_container_registry\" \"main\" {\n  sku = \"Basic\"\n}\n",
    );
    write(
        "MAIN.TF",
        "resource \"azurerm_container_registry\" \"x\" {\n  sku = \"Basic\"\n}\n",
    );
    write("notes.txt", "remember the DNS\n");
    write(
        "azuredeploy.parameters.json",
        "{ \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\", \"contentVersion\": \"1.0.0.0\", \"parameters\": {} }\n",
    );
    tmp
}

const NOT_ANALYSED: [(&str, &str); 5] = [
    ("plan.json", "neither an ARM deployment template"),
    // A Terraform state (`terraform show -json` without a plan) is not a plan.
    ("tfplan.json", "nor a Terraform plan"),
    ("override.tf", "override"),
    ("MAIN.TF", "Terraform ignores `MAIN.TF`"),
    ("notes.txt", "not a file type acrlint reads"),
];

#[test]
fn a_named_file_that_is_not_analysed_is_a_warning_alone() {
    let tmp = correct_with_unanalysed_files();
    for (name, why) in NOT_ANALYSED {
        let (code, report) = json(tmp.path(), &[name]);
        assert_eq!(
            code, 0,
            "{name}: a warning alone does not change the exit code"
        );
        let warnings = report["warnings"].as_array().unwrap();
        assert_eq!(warnings.len(), 1, "{name}: {report:#}");
        assert_eq!(warnings[0]["path"], name);
        let message = warnings[0]["message"].as_str().unwrap();
        assert!(message.starts_with("not analysed: "), "{name}: {message}");
        assert!(message.contains(why), "{name}: {message}");
        // A file that may be data (`file("notes.txt")`): the configuration beside it was
        // loaded, and read no such file. Others: nothing was loaded.
        let data = !name.ends_with(".tf") && !name.ends_with(".TF");
        if data {
            assert!(
                message.contains("no configuration beside or above it reads it"),
                "{message}"
            );
        }
        let loaded = report["summary"]["files"].as_u64().unwrap();
        assert_eq!(loaded > 0, data, "{name}: {report:#}");
        assert!(report["findings"].as_array().unwrap().is_empty(), "{name}");
        assert_eq!(report["summary"]["warnings"], 1);
    }
}

#[test]
fn named_files_not_analysed_are_reported_in_every_format_and_do_not_count() {
    let tmp = correct_with_unanalysed_files();
    let mut args = vec!["check", "registry.tf"];
    args.extend(NOT_ANALYSED.iter().map(|(name, _)| *name));
    // A parameter file is read with its template: named, it stays quiet.
    args.push("azuredeploy.parameters.json");

    let run = |format: &str| {
        let mut all = args.clone();
        all.extend(["--format", format, "--color", "never"]);
        let (code, out, err) = acrlint(tmp.path(), &all);
        assert_eq!(code, 0, "--format {format}: {out}{err}");
        assert!(
            !out.contains("azuredeploy.parameters.json"),
            "{format}: {out}"
        );
        out
    };
    let (_, report) = json(tmp.path(), &args[1..]);
    assert_eq!(
        report["warnings"].as_array().unwrap().len(),
        NOT_ANALYSED.len()
    );
    // registry.tf and the files of its module: four files, none of those warned about.
    assert_eq!(report["summary"]["files"], 4, "{report:#}");

    let compact = run("compact");
    for (name, _) in NOT_ANALYSED {
        assert!(
            compact.contains(&format!("{name}: warning: not analysed: ")),
            "{compact}"
        );
    }
    let pretty = run("pretty");
    assert!(pretty.contains("⚠ notes.txt: not analysed: "), "{pretty}");
    assert!(
        pretty
            .trim_end()
            .ends_with("No findings in 4 files; 5 warnings"),
        "{pretty}"
    );
    let github = run("github");
    assert!(
        github.contains("::warning file=notes.txt,title=acrlint::not analysed"),
        "{github}"
    );
    let devops = run("azure-devops");
    assert!(
        devops.contains("##vso[task.logissue type=warning;sourcepath=MAIN.TF]not analysed"),
        "{devops}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), NOT_ANALYSED.len());
    assert!(notes.iter().all(|n| n["level"] == "warning"));
    let gitlab: serde_json::Value = serde_json::from_str(&run("gitlab")).unwrap();
    let issues = gitlab.as_array().unwrap();
    assert_eq!(issues.len(), NOT_ANALYSED.len());
    assert!(issues.iter().all(|i| i["check_name"] == "acrlint-warning"));
    let junit = run("junit");
    assert_eq!(
        junit.matches("<skipped message=\"not analysed: ").count(),
        NOT_ANALYSED.len()
    );
}

#[test]
fn in_folders_unrelated_files_stay_quiet() {
    let tmp = correct_with_unanalysed_files();
    let (code, report) = json(tmp.path(), &["."]);
    assert_eq!(code, 0, "{report:#}");
    assert!(
        report["warnings"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    assert_eq!(report["summary"]["files"], 4);
    let (code, out, _) = acrlint(tmp.path(), &["check", ".", "--format", "compact"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn warnings_do_not_hide_findings_or_errors() {
    let tmp = correct_with_unanalysed_files();
    std::fs::write(tmp.path().join("broken.tf"), "resource \"x\" {\n").unwrap();
    let (code, report) = json(tmp.path(), &["broken.tf", "notes.txt"]);
    assert_eq!(code, 2, "an error still exits 2: {report:#}");
    assert_eq!(report["warnings"].as_array().unwrap().len(), 1);
    let (code, report) = json(
        &testdata("rules/ACR010/terraform/fail_admin_enabled"),
        &[".", "expected.txt"],
    );
    assert_eq!(code, 1);
    assert_eq!(rules_of(&report), ["ACR010"]);
}

// ---- 5. Undetermined results look different from findings -------------------------------------

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The `regexp`s of the README's VS Code problem matchers, with the severity each gives.
fn vscode_matchers() -> Vec<(String, regex::Regex)> {
    let readme = readme();
    let start = readme
        .find("\"problemMatcher\"")
        .expect("README has the VS Code task");
    let block_start = readme[..start].rfind("```json\n").unwrap() + "```json\n".len();
    let block_end = block_start + readme[block_start..].find("```").unwrap();
    let tasks: serde_json::Value = serde_json::from_str(&readme[block_start..block_end]).unwrap();
    let matchers = tasks["tasks"][0]["problemMatcher"].as_array().unwrap();
    assert_eq!(matchers.len(), 2);
    matchers
        .iter()
        .map(|m| {
            let re = m["pattern"]["regexp"].as_str().unwrap();
            (
                m["severity"].as_str().unwrap().to_string(),
                regex::Regex::new(re).unwrap(),
            )
        })
        .collect()
}

/// The README's Vim `errorformat`, as (ignore?, regex) entries tried in order, as Vim does.
/// Only what it uses is translated: `%f %l %c %m`, `%-G`, `%.%#` and `\ `.
fn vim_errorformat() -> Vec<(bool, regex::Regex)> {
    let readme = readme();
    let line = readme
        .lines()
        .find_map(|l| l.strip_prefix("set errorformat="))
        .expect("README sets errorformat");
    let mut entries = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.push(chars.next().unwrap()),
            ',' => entries.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    entries.push(current);
    entries
        .into_iter()
        .map(|entry| {
            let (ignore, entry) = match entry.strip_prefix("%-G") {
                Some(rest) => (true, rest.to_string()),
                None => (false, entry),
            };
            let mut re = String::from("^");
            let mut chars = entry.chars();
            while let Some(c) = chars.next() {
                if c != '%' {
                    re.push_str(&regex::escape(&c.to_string()));
                    continue;
                }
                match chars.next().unwrap() {
                    'f' => re.push_str("(.+?)"),
                    'l' | 'c' => re.push_str("(\\d+)"),
                    'm' => re.push_str("(.*)"),
                    '.' => re.push('.'),
                    '#' => re.push('*'),
                    other => panic!("errorformat item %{other} is not translated"),
                }
            }
            re.push('$');
            (ignore, regex::Regex::new(&re).unwrap())
        })
        .collect()
}

#[test]
fn the_readme_matchers_pick_up_findings_only() {
    // Findings, undetermined results, a suppressed finding and a file not analysed, together.
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(testdata(
        "rules/ACR001/terraform/pass_unknown_public_access",
    ))
    .unwrap()
    {
        let path = entry.unwrap().path();
        std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        tmp.path().join("admin.tf"),
        "# acrlint:ignore ACR010 the build agents log in with it until they move to tokens\n\
         resource \"azurerm_container_registry\" \"legacy\" {\n  name          = \"legacyacr\"\n  \
         sku           = \"Premium\"\n  public_network_access_enabled = false\n  \
         admin_enabled = true\n  anonymous_pull_enabled = true\n}\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "remember the DNS\n").unwrap();
    let (code, report) = json(tmp.path(), &[".", "notes.txt"]);
    assert_eq!(code, 1, "{report:#}");
    let findings = report["findings"].as_array().unwrap().len();
    assert!(findings >= 1);
    assert!(
        !report["undetermined"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    assert_eq!(
        report["suppressed"].as_array().unwrap().len(),
        1,
        "{report:#}"
    );
    assert_eq!(report["warnings"].as_array().unwrap().len(), 1);

    let (_, out, _) = acrlint(
        tmp.path(),
        &[
            "check",
            ".",
            "notes.txt",
            "--format",
            "compact",
            "--show-unknown",
            "--show-suppressed",
        ],
    );
    let lines: Vec<&str> = out.lines().collect();
    let (finding_lines, other): (Vec<&str>, Vec<&str>) = lines.iter().partition(|l| {
        [
            ": critical: ",
            ": high: ",
            ": medium: ",
            ": low: ",
            ": info: ",
        ]
        .iter()
        .any(|s| l.contains(s))
    });
    assert_eq!(finding_lines.len(), findings, "{out}");
    assert!(other.iter().any(|l| l.contains(": note: ")), "{out}");
    assert!(other.iter().any(|l| l.contains(": suppressed: ")), "{out}");
    assert!(other.iter().any(|l| l.contains(": warning: ")), "{out}");

    let vscode = vscode_matchers();
    let matched = |line: &str| vscode.iter().find(|(_, re)| re.is_match(line));
    for line in &finding_lines {
        let (severity, re) = matched(line).unwrap_or_else(|| panic!("not matched: {line}"));
        let caps = re.captures(line).unwrap();
        let expected = if line.contains(": high: ") || line.contains(": critical: ") {
            "error"
        } else {
            "warning"
        };
        assert_eq!(severity, expected, "{line}");
        assert!(caps[5].starts_with("ACR"), "{line}");
    }
    for line in &other {
        assert!(
            matched(line).is_none(),
            "VS Code would show this as a problem: {line}"
        );
    }

    let vim = vim_errorformat();
    let vim_entry = |line: &str| {
        let (ignore, _) = vim.iter().find(|(_, re)| re.is_match(line))?;
        (!ignore).then_some(())
    };
    for line in &finding_lines {
        assert!(vim_entry(line).is_some(), "Vim misses: {line}");
    }
    for line in &other {
        assert!(vim_entry(line).is_none(), "Vim would list: {line}");
    }
}

#[test]
fn pretty_heads_undetermined_results_like_findings_and_says_how_to_see_them() {
    let dir = testdata("rules/ACR001/terraform/pass_unknown_public_access");
    let (code, out, _) = acrlint(
        &dir,
        &["check", ".", "--format", "pretty", "--color", "never"],
    );
    assert_eq!(code, 0);
    let summary = out.lines().last().unwrap();
    assert!(
        summary.contains("undetermined (--show-unknown lists them)"),
        "{summary}"
    );
    let (_, out, _) = acrlint(
        &dir,
        &[
            "check",
            ".",
            "--format",
            "pretty",
            "--color",
            "never",
            "--show-unknown",
        ],
    );
    assert!(
        out.contains("ACR001 registry-public-network-access (undetermined)"),
        "{out}"
    );
    assert!(out.contains("(azurerm_container_registry."), "{out}");
    assert!(!out.contains("--show-unknown lists them"), "{out}");
}

// ---- 6. The smaller things ---------------------------------------------------------------------

#[test]
fn help_lists_the_accepted_values() {
    let (code, out, _) = acrlint(&root(), &["check", "--help"]);
    assert_eq!(code, 0);
    let line = |flag: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(flag))
            .unwrap_or_else(|| panic!("{flag} missing:\n{out}"))
            .to_string()
    };
    let format = line("--format");
    for name in [
        "pretty",
        "compact",
        "json",
        "sarif",
        "github",
        "azure-devops",
        "junit",
        "gitlab",
    ] {
        assert!(format.contains(name), "{format}");
    }
    assert!(line("--fail-on").contains("[possible values: critical, high, medium, low, info]"));
    assert!(line("--color").contains("[possible values: auto, always, never]"));
    // A wrong value is a usage error that lists them.
    let (code, _, err) = acrlint(&root(), &["check", "--fail-on", "urgent"]);
    assert_eq!(code, 2);
    assert!(err.contains("critical, high, medium, low, info"), "{err}");
}

#[test]
fn config_help_and_readme_describe_the_same_search() {
    let (_, out, _) = acrlint(&root(), &["check", "--help"]);
    let help: String = out
        .split("--config <CONFIG>")
        .nth(1)
        .unwrap()
        .split("--var")
        .next()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let readme = readme().split_whitespace().collect::<Vec<_>>().join(" ");
    let phrase = "the nearest .acrlint.toml in or above the folder of the first path that has one, up to the root of its git repository";
    assert!(help.contains(phrase), "{help}");
    assert!(readme.contains(&phrase.replace(".acrlint.toml", "`.acrlint.toml`")));
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef acrlint"),
        ("fish", "complete -c acrlint"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = acrlint(&root(), &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(out.contains("show-unknown"), "{shell}");
    }
    let (code, _, _) = acrlint(&root(), &["completions", "tcsh"]);
    assert_eq!(code, 2);
}

#[test]
fn sarif_names_no_made_up_address() {
    let (code, out, _) = acrlint(&testdata("demo"), &["check", ".", "--format", "sarif"]);
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    // Cargo.toml has no `repository` until the project has a public address.
    assert_eq!(
        driver.get("informationUri").and_then(|u| u.as_str()),
        option_env!("CARGO_PKG_REPOSITORY").filter(|u| !u.is_empty())
    );
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("\nrust-version = \""),
        "Cargo.toml declares rust-version"
    );
    assert!(
        !readme().contains("OWNER/acrlint --tag"),
        "no made-up install address"
    );
}

#[test]
fn readme_says_what_the_demo_reports() {
    let (code, out, _) = acrlint(
        &root(),
        &[
            "check",
            "testdata/demo",
            "--format",
            "pretty",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 1);
    let summary = out.lines().last().unwrap();
    let counted = summary.split(" in ").next().unwrap(); // "6 findings (4 high, 2 medium)"
    let readme = readme().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains(&format!("reports {counted}")),
        "README should say the demo reports `{counted}`"
    );
    assert!(readme.contains("exits with code 1"));
    assert!(readme.contains("takes a few minutes"));
}

#[test]
fn a_config_path_that_cannot_be_read_names_the_config_file_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    for f in ["variables.tf", "network.tf", "registry.tf", "dns.tf"] {
        std::fs::copy(testdata("correct/terraform").join(f), tmp.path().join(f)).unwrap();
    }
    std::fs::write(
        tmp.path().join(".acrlint.toml"),
        "fail-on = \"high\"\nvar-files = [\"env/prod.tfvars\"]\n",
    )
    .unwrap();
    let (code, out, err) = acrlint(tmp.path(), &["check", "."]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains(".acrlint.toml:2:14: `var-files`: cannot read `env/prod.tfvars`"),
        "{err}"
    );
    // A --var-file replaces the file's list: its paths no longer matter.
    std::fs::write(
        tmp.path().join("dev.tfvars"),
        "registry_name = \"devacr\"\n",
    )
    .unwrap();
    let (code, _, err) = acrlint(tmp.path(), &["check", ".", "--var-file", "dev.tfvars"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn suppressed_findings_are_listed_in_the_order_of_findings() {
    // One module called six times: six findings at the same place, told apart by the resource.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("modules/acr")).unwrap();
    std::fs::write(
        tmp.path().join("main.tf"),
        "module \"env\" {\n  source   = \"./modules/acr\"\n  for_each = toset([\"prod\", \"dev\", \"test\", \"acc\", \"qa\", \"stage\"])\n  name     = \"contoso${each.key}\"\n}\n",
    )
    .unwrap();
    let module = |comment: &str| {
        format!(
            "variable \"name\" {{\n  type = string\n}}\n\nresource \"azurerm_container_registry\" \"this\" {{\n  name = var.name\n  sku  = \"Premium\"\n  public_network_access_enabled = false\n{comment}  admin_enabled = true\n}}\n"
        )
    };
    let resources = |list: &serde_json::Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["rule"] == "ACR010")
            .map(|e| e["resource"].as_str().unwrap().to_string())
            .collect()
    };
    let main = tmp.path().join("modules/acr/main.tf");
    std::fs::write(&main, module("")).unwrap();
    let (_, report) = json(tmp.path(), &["."]);
    let findings = resources(&report["findings"]);
    assert_eq!(findings.len(), 6, "{report:#}");
    std::fs::write(
        &main,
        module("  # acrlint:ignore ACR010 the build agents log in with it\n"),
    )
    .unwrap();
    for _ in 0..3 {
        let (_, report) = json(tmp.path(), &[".", "--show-suppressed"]);
        assert_eq!(resources(&report["suppressed"]), findings);
        let (_, out, _) = acrlint(
            tmp.path(),
            &[
                "check",
                ".",
                "--show-suppressed",
                "--format",
                "pretty",
                "--color",
                "never",
            ],
        );
        let listed: Vec<&str> = out
            .lines()
            .filter(|l| l.contains("[ACR010]"))
            .map(|l| {
                let before = l.split(" [ACR010]").next().unwrap();
                before.rsplit_once(" (").unwrap().1.trim_end_matches(')')
            })
            .collect();
        assert_eq!(listed, findings, "{out}");
    }
}

#[test]
fn explain_renders_for_a_terminal_or_prints_markdown() {
    // Not a terminal: the document as written.
    let (code, plain, _) = acrlint(&root(), &["explain", "ACR004"]);
    assert_eq!(code, 0);
    assert!(
        plain.starts_with("# ACR004 private-endpoint-without-dns-zone-group\n"),
        "{plain}"
    );
    assert!(plain.contains("## How to fix (Terraform)") && plain.contains("```hcl"));
    let (_, markdown, _) = acrlint(&root(), &["explain", "ACR004", "--format", "markdown"]);
    assert_eq!(markdown, plain);

    // For a terminal: no Markdown markers, headings underlined, code indented, prose wrapped.
    let (code, out, _) = acrlint(&root(), &["explain", "acr004", "--format", "terminal"]);
    assert_eq!(code, 0);
    assert!(!out.contains("```") && !out.contains("\n## "), "{out}");
    assert!(
        out.contains("How to fix (Terraform)\n──────────────────────\n"),
        "{out}"
    );
    assert!(
        out.contains("\n    resource \"azurerm_private_endpoint\""),
        "{out}"
    );
    assert!(out.contains("Example (hcl) that fails:"), "{out}");
    // Code is shown as written, and a single word longer than a line (a URL) is not broken.
    let prose = out
        .lines()
        .filter(|l| !l.starts_with("    ") && l.trim_start_matches("• ").contains(' '));
    for line in prose {
        assert!(line.chars().count() <= 100, "COLUMNS=100, yet: {line:?}");
    }
    assert!(
        !out.contains('\u{1b}'),
        "no colour when not writing to a terminal"
    );
    // Names work too; an opt-in rule says how to run it.
    let (code, out, _) = acrlint(&root(), &["explain", "registry-export-allowed"]);
    assert_eq!(code, 0);
    assert!(out.contains("Off by default"), "{out}");
}

/// `acrlint functions` lists what the evaluators evaluate, from their tables.
#[test]
fn functions_lists_the_evaluated_functions_of_each_language() {
    let (code, out, _) = acrlint(&root(), &["functions"]);
    assert_eq!(code, 0);
    let terraform = out.find("Terraform (").expect("a Terraform list");
    let arm = out.find("ARM (").expect("an ARM list");
    assert!(out[terraform..arm].contains(" cidrsubnet,"), "{out}");
    assert!(out[arm..].contains(" uniqueString,"), "{out}");
    assert!(
        !out.contains("newGuid"),
        "runtime-only functions are not evaluated: {out}"
    );
}

/// `[limits]` in `.acrlint.toml` bounds the run: a file over `file-size` is an error entry that
/// names the setting, and the other files are still checked.
#[test]
fn configured_limits_bound_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".acrlint.toml"), "[limits]\nfile-size = 400\n").unwrap();
    let registry = |name: &str| {
        format!(
            "resource \"azurerm_container_registry\" \"{name}\" {{\n  name                = \"{name}\"\n  resource_group_name = \"rg\"\n  location            = \"westeurope\"\n  sku                 = \"Premium\"\n}}\n"
        )
    };
    std::fs::write(dir.join("small.tf"), registry("small")).unwrap();
    std::fs::create_dir(dir.join("big")).unwrap();
    std::fs::write(
        dir.join("big/big.tf"),
        format!("{}{}", "# padding\n".repeat(40), registry("big")),
    )
    .unwrap();
    let (code, report) = json(dir, &["."]);
    assert_eq!(code, 2, "{report:#}");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("the limit is 400") && message.contains("file-size"),
        "{message}"
    );
    assert_eq!(rules_of(&report), ["ACR001"], "small.tf is still checked");
}

/// An undetermined result says what would decide it: for a Terraform endpoint's region, the
/// provider's cloud too; for a required value that is null, that the deployment is rejected.
#[test]
fn an_unknown_region_says_what_else_decides_the_cloud() {
    let dir = testdata("rules/ACR005/terraform/pass_unknown_region_null_by_default");
    let (code, report) = json(&dir, &[".", "--show-unknown"]);
    assert_eq!(code, 0, "{report:#}");
    let message = report["undetermined"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("the azurerm provider's `environment` or ARM_ENVIRONMENT"),
        "{message}"
    );
    assert!(
        message.contains("is null here, but is required"),
        "{message}"
    );
}
