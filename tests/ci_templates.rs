//! The CI integrations run as their CI systems run them, on a fixture with findings (the demo) and
//! on a clean one (`testdata/correct`):
//!
//! - the GitHub Action: every step of `action.yml` in order, as the runner does (its `if:`, its
//!   `env:` with `${{ }}` expanded, `bash --noprofile --norc -eo pipefail`, a fresh `GITHUB_OUTPUT`,
//!   `GITHUB_STEP_SUMMARY` and `GITHUB_PATH` per step, the action's outputs from its steps');
//! - the Azure Pipelines template: its steps with the parameters expanded, the conditions
//!   evaluated, `$(Variable)` macros, and the logging commands (`setvariable`, `prependpath`)
//!   applied;
//! - the GitLab CI job: its variables and script, and its Code Quality artifact.
//!
//! Each checks what the reviewer sees (annotations, logging commands, the summary, the SARIF file,
//! the Code Quality report) against acrlint's own output for the same files, the outputs, and the
//! exit status. Building (`install: build`) runs a stand-in `cargo` that records its arguments,
//! so the cache logic is tested without a release build (`.ci/ci-templates.sh` builds for real
//! when asked). With `ACRLINT_CI_KEEP=DIR`, the SARIF files written are copied there for
//! `.ci/sarif-validate.sh`.
#![cfg(unix)] // bash, as the three CI systems run the scripts

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn acrlint_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_acrlint"))
}

fn load_yaml(rel: &str) -> Yaml {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .remove(0)
}

fn s(y: &Yaml) -> String {
    match y {
        Yaml::String(v) => v.clone(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Null | Yaml::BadValue => String::new(),
        other => panic!("not a scalar: {other:?}"),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A workspace holding a copy of a fixture (the scripts write into it).
fn workspace(fixture: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("testdata").join(fixture),
        &tmp.path().join("ws"),
    );
    tmp
}

/// What acrlint itself prints for `check . --format FORMAT` in `dir`.
fn direct(dir: &Path, format: &str) -> String {
    let out = Command::new(acrlint_bin())
        .current_dir(dir)
        .args(["check", ".", "--format", format])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// `cargo` for the build path: records its arguments and "installs" a wrapper around the acrlint
/// under test, which records that it ran.
fn fake_cargo(dir: &Path) -> PathBuf {
    let bin = dir.join("fake-cargo");
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!(
        r#"#!/usr/bin/env bash
set -eu
echo "$*" >> "{log}"
root=""
while [ "$#" -gt 0 ]; do
    if [ "$1" = --root ]; then root=$2; fi
    shift
done
mkdir -p "$root/bin"
printf '#!/usr/bin/env bash\necho ran >> "{used}"\nexec "{real}" "$@"\n' > "$root/bin/acrlint"
chmod +x "$root/bin/acrlint"
"#,
        log = dir.join("cargo.log").display(),
        used = dir.join("installed-acrlint.log").display(),
        real = acrlint_bin().display(),
    );
    std::fs::write(bin.join("cargo"), script).unwrap();
    make_executable(&bin.join("cargo"));
    bin
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The system PATH without any folder holding an `acrlint` (an installed one must not stand in for
/// the one under test).
fn system_path() -> String {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|p| !p.join("acrlint").exists())
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(":")
}

fn with_acrlint_on_path() -> String {
    format!(
        "{}:{}",
        acrlint_bin().parent().unwrap().display(),
        system_path()
    )
}

struct Step {
    code: i32,
    stdout: String,
    stderr: String,
}

fn bash(script: &str, cwd: &Path, env: &BTreeMap<String, String>) -> Step {
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(cwd)
        .env_clear()
        .envs(env)
        .output()
        .unwrap();
    Step {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Keep a SARIF file for the validator in `.ci/ci-templates.sh`.
fn keep_sarif(path: &Path, name: &str) {
    if let Some(dir) = std::env::var_os("ACRLINT_CI_KEEP") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(path, dir.join(format!("{name}.sarif"))).unwrap();
    }
}

fn sarif_results(text: &str) -> Vec<serde_json::Value> {
    let log: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(log["version"], "2.1.0");
    log["runs"][0]["results"].as_array().unwrap().clone()
}

fn lines_starting(text: &str, prefix: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

struct ActionRun {
    /// The status of the first step that failed, or 0.
    code: i32,
    log: String,
    summary: String,
    outputs: BTreeMap<String, String>,
    steps_run: Vec<String>,
}

/// `${{ expr }}` in a value of action.yml, for the expressions the action uses; any other is a
/// failure, so that a change to action.yml is tested here.
fn gh_expand(value: &str, ctx: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("an unclosed ${{") + start;
        let expr = rest[start + 3..end].trim();
        out.push_str(
            ctx.get(expr).unwrap_or_else(|| {
                panic!("action.yml uses `{expr}`, which the test does not know")
            }),
        );
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// `if:` of a step: the forms action.yml uses (`inputs.NAME == 'value'`).
fn gh_condition(cond: &str, ctx: &BTreeMap<String, String>) -> bool {
    let (left, right) = cond
        .split_once("==")
        .unwrap_or_else(|| panic!("the test does not evaluate `if: {cond}`"));
    let value = ctx
        .get(left.trim())
        .unwrap_or_else(|| panic!("unknown `{left}`"));
    let literal = right.trim().trim_matches('\'');
    value == literal
}

fn parse_output_file(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs action.yml's steps as the runner does, in `tmp/ws`, with these inputs (the others take
/// their defaults from action.yml).
/// The action on a copy of `fixture`, with `inputs` besides installing the acrlint of this
/// build from PATH, and a summary file.
fn action_on(fixture: &str, inputs: &[(&str, &str)]) -> (tempfile::TempDir, ActionRun) {
    let tmp = workspace(fixture);
    let inputs = [&[("install", "path")], inputs].concat();
    let run = run_action(tmp.path(), &inputs, &with_acrlint_on_path(), true);
    (tmp, run)
}

fn run_action(tmp: &Path, inputs: &[(&str, &str)], path: &str, summary: bool) -> ActionRun {
    let action = load_yaml("action.yml");
    let ws = tmp.join("ws");
    let runner_temp = tmp.join("runner");
    std::fs::create_dir_all(&runner_temp).unwrap();
    let mut ctx = BTreeMap::new();
    for (name, input) in action["inputs"].as_hash().unwrap() {
        ctx.insert(format!("inputs.{}", s(name)), s(&input["default"]));
    }
    for (name, value) in inputs {
        let key = format!("inputs.{name}");
        assert!(ctx.contains_key(&key), "action.yml has no input `{name}`");
        ctx.insert(key, value.to_string());
    }
    ctx.insert("runner.temp".into(), runner_temp.display().to_string());
    ctx.insert("runner.os".into(), "Linux".into());
    ctx.insert("runner.arch".into(), "X64".into());
    ctx.insert("github.workspace".into(), ws.display().to_string());

    let mut path = path.to_string();
    let mut run = ActionRun {
        code: 0,
        log: String::new(),
        summary: String::new(),
        outputs: BTreeMap::new(),
        steps_run: Vec::new(),
    };
    assert_eq!(s(&action["runs"]["using"]), "composite");
    for (i, step) in action["runs"]["steps"].as_vec().unwrap().iter().enumerate() {
        let name = s(&step["name"]);
        if !step["if"].is_badvalue() && !gh_condition(&s(&step["if"]), &ctx) {
            continue;
        }
        run.steps_run.push(name.clone());
        if !step["uses"].is_badvalue() {
            // actions/cache: restores ROOT on a hit; the tests keep ROOT between runs instead.
            assert!(s(&step["uses"]).starts_with("actions/cache@"), "{name}");
            continue;
        }
        let script = s(&step["run"]);
        assert!(
            !script.contains("${{"),
            "step `{name}`: inputs reach scripts through env, never expanded into the script"
        );
        assert_eq!(s(&step["shell"]), "bash", "step `{name}`");
        let files = tmp.join(format!("step{i}"));
        std::fs::create_dir_all(&files).unwrap();
        let mut env = BTreeMap::new();
        env.insert("PATH".to_string(), path.clone());
        env.insert("HOME".to_string(), tmp.display().to_string());
        env.insert("CI".to_string(), "true".to_string());
        env.insert("GITHUB_ACTIONS".to_string(), "true".to_string());
        env.insert(
            "GITHUB_ACTION_PATH".to_string(),
            root().display().to_string(),
        );
        env.insert("GITHUB_WORKSPACE".to_string(), ws.display().to_string());
        env.insert("RUNNER_TEMP".to_string(), runner_temp.display().to_string());
        for (file, var) in [
            ("output", "GITHUB_OUTPUT"),
            ("path", "GITHUB_PATH"),
            ("env", "GITHUB_ENV"),
        ] {
            std::fs::write(files.join(file), "").unwrap();
            env.insert(var.to_string(), files.join(file).display().to_string());
        }
        if summary {
            std::fs::write(files.join("summary"), "").unwrap();
            env.insert(
                "GITHUB_STEP_SUMMARY".to_string(),
                files.join("summary").display().to_string(),
            );
        }
        if let Some(vars) = step["env"].as_hash() {
            for (k, v) in vars {
                env.insert(s(k), gh_expand(&s(v), &ctx));
            }
        }
        let cwd = match step["working-directory"].as_str() {
            Some(dir) => PathBuf::from(gh_expand(dir, &ctx)),
            None => ws.clone(),
        };
        let out = bash(&script, &cwd, &env);
        run.log.push_str(&out.stdout);
        run.log.push_str(&out.stderr);
        run.summary.push_str(&read(&files.join("summary")));
        if let Some(id) = step["id"].as_str() {
            for (k, v) in parse_output_file(&read(&files.join("output"))) {
                ctx.insert(format!("steps.{id}.outputs.{k}"), v);
            }
        }
        for dir in read(&files.join("path")).lines() {
            path = format!("{dir}:{path}");
        }
        if out.code != 0 {
            run.code = out.code;
            break;
        }
    }
    for (name, output) in action["outputs"].as_hash().unwrap() {
        let value = s(&output["value"]);
        // An output of a step that did not run (or did not set it) is empty.
        let expr = value
            .trim_start_matches("${{")
            .trim_end_matches("}}")
            .trim();
        run.outputs
            .insert(s(name), ctx.get(expr).cloned().unwrap_or_default());
    }
    run
}

#[test]
fn action_inputs_reach_the_script_and_outputs_come_from_it() {
    let action = load_yaml("action.yml");
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let run_step = steps
        .iter()
        .find(|st| st["id"].as_str() == Some("run"))
        .unwrap();
    let env = run_step["env"].as_hash().unwrap();
    for (name, _) in action["inputs"].as_hash().unwrap() {
        let name = s(name);
        if name == "install" {
            continue; // the install step's
        }
        let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        assert_eq!(
            env.get(&Yaml::String(var.clone())).map(s),
            Some(format!("${{{{ inputs.{name} }}}}")),
            "input `{name}` must reach ci/github/run.sh as {var}"
        );
        assert!(
            read(&root().join("ci/github/run.sh")).contains(&var),
            "ci/github/run.sh never reads {var}"
        );
    }
    for (name, output) in action["outputs"].as_hash().unwrap() {
        assert_eq!(
            s(&output["value"]),
            format!("${{{{ steps.run.outputs.{} }}}}", s(name))
        );
    }
}

#[test]
fn github_action_on_findings() {
    let (tmp, run) = action_on("demo", &[]);
    let ws = tmp.path().join("ws");
    assert_eq!(run.code, 1, "{}", run.log);
    // Annotations: every one acrlint gives, in the log.
    let expected = lines_starting(&direct(&ws, "github"), "::");
    assert_eq!(expected.len(), 6);
    assert_eq!(lines_starting(&run.log, "::"), expected, "{}", run.log);
    // SARIF: the file the outputs name, the same as acrlint's own.
    assert_eq!(run.outputs["sarif-file"], "acrlint.sarif");
    let sarif = read(&ws.join("acrlint.sarif"));
    assert_eq!(sarif, direct(&ws, "sarif"));
    assert_eq!(sarif_results(&sarif).len(), 6);
    keep_sarif(&ws.join("acrlint.sarif"), "github-demo");
    // The summary: the Markdown report, with the chain drawn.
    assert_eq!(run.summary, direct(&ws, "markdown"));
    assert!(
        run.summary
            .contains("**acrlint: 6 findings (4 high, 2 medium)**")
            && run.summary.contains("```mermaid")
    );
    assert_eq!(run.outputs["findings"], "6");
    assert_eq!(run.outputs["exit-code"], "1");
    assert!(run.log.contains("the step fails"), "{}", run.log);
}

#[test]
fn github_action_on_a_clean_configuration() {
    let (tmp, run) = action_on("correct", &[]);
    let ws = tmp.path().join("ws");
    assert_eq!(run.code, 0, "{}", run.log);
    assert!(lines_starting(&run.log, "::").is_empty(), "{}", run.log);
    assert!(sarif_results(&read(&ws.join("acrlint.sarif"))).is_empty());
    keep_sarif(&ws.join("acrlint.sarif"), "github-correct");
    assert_eq!(run.summary, direct(&ws, "markdown"));
    assert!(run.summary.contains("no findings"), "{}", run.summary);
    assert_eq!(run.outputs["findings"], "0");
    assert_eq!(run.outputs["exit-code"], "0");
}

#[test]
fn github_action_fail_on_format_and_summary_inputs() {
    let path = with_acrlint_on_path();
    // fail-on above every finding: passes, and still reports them.
    let (_tmp, run) = action_on("demo", &[("fail-on", "critical")]);
    assert_eq!(run.code, 0, "{}", run.log);
    assert_eq!(lines_starting(&run.log, "::").len(), 6);
    assert_eq!(
        (
            run.outputs["findings"].as_str(),
            run.outputs["exit-code"].as_str()
        ),
        ("6", "0")
    );
    // none: findings never fail, the exit code is still acrlint's.
    let (_tmp, run) = action_on("demo", &[("fail-on", "none")]);
    assert_eq!(run.code, 0, "{}", run.log);
    assert_eq!(run.outputs["exit-code"], "1");
    // A wrong fail-on: an annotation, exit code 2, nothing run.
    let (tmp, run) = action_on("demo", &[("fail-on", "hgih")]);
    assert_eq!(run.code, 2);
    assert!(
        run.log.contains("::error title=acrlint::fail-on must be"),
        "{}",
        run.log
    );
    assert_eq!(run.outputs["exit-code"], "2");
    assert!(!tmp.path().join("ws/acrlint.sarif").exists());
    // Compact lines instead of annotations, SARIF where asked, no summary.
    let (tmp, run) = action_on(
        "demo",
        &[
            ("format", "compact, sarif"),
            ("sarif-file", "reports/acrlint.sarif"),
            ("summary", "false"),
            ("paths", "terraform\narm"),
            ("args", "--select ACR001"),
        ],
    );
    let ws = tmp.path().join("ws");
    assert_eq!(run.code, 1, "{}", run.log);
    assert!(lines_starting(&run.log, "::").is_empty());
    assert_eq!(
        lines_starting(&run.log, "terraform/").len(),
        1,
        "{}",
        run.log
    );
    assert_eq!(lines_starting(&run.log, "arm/").len(), 1, "{}", run.log);
    assert_eq!(run.outputs["sarif-file"], "reports/acrlint.sarif");
    assert_eq!(
        sarif_results(&read(&ws.join("reports/acrlint.sarif"))).len(),
        2
    );
    assert_eq!(run.outputs["findings"], "2");
    assert!(run.summary.is_empty());
    // Annotations only: no SARIF file, and the output says so.
    let tmp = workspace("demo");
    let run = run_action(
        tmp.path(),
        &[("install", "path"), ("format", "github")],
        &path,
        false,
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.outputs["sarif-file"], "");
    assert!(!tmp.path().join("ws/acrlint.sarif").exists());
    // Without a summary file (GitHub Enterprise Server before 3.6): no summary, no error.
    assert_eq!(run.outputs["findings"], "6");
}

#[test]
fn github_action_when_acrlint_cannot_check() {
    let (tmp, run) = action_on("bad", &[]);
    let ws = tmp.path().join("ws");
    assert_eq!(run.code, 2, "{}", run.log);
    assert_eq!(run.outputs["exit-code"], "2");
    assert!(
        run.log.contains("acrlint could not check (exit code 2)"),
        "{}",
        run.log
    );
    // The other files are still checked, and every file written.
    assert!(!sarif_results(&read(&ws.join("acrlint.sarif"))).is_empty());
    keep_sarif(&ws.join("acrlint.sarif"), "github-bad");
    assert!(!run.summary.is_empty());
    // Not installed: the install step fails and says why.
    let tmp = workspace("demo");
    let run = run_action(tmp.path(), &[("install", "path")], &system_path(), true);
    assert_eq!(run.code, 2);
    assert!(run.log.contains("no acrlint is on PATH"), "{}", run.log);
    assert_eq!(run.steps_run.last().unwrap(), "Install acrlint");
}

#[test]
fn github_action_builds_once_then_uses_the_cache() {
    let tmp = workspace("demo");
    let cargo = fake_cargo(tmp.path());
    let path = format!("{}:{}", cargo.display(), system_path());
    let run = run_action(tmp.path(), &[], &path, true);
    assert_eq!(run.code, 1, "{}", run.log);
    assert!(run.steps_run.iter().any(|s| s == "acrlint cache"));
    let root_dir = tmp.path().join("runner/acrlint-install");
    assert_eq!(
        read(&tmp.path().join("cargo.log")),
        format!(
            "install --locked --path {} --root {} --force\n",
            root().display(),
            root_dir.display()
        )
    );
    // The acrlint installed is the one that ran.
    assert_eq!(
        read(&tmp.path().join("installed-acrlint.log"))
            .lines()
            .count(),
        2
    ); // --version, check
    assert_eq!(run.outputs["findings"], "6");
    // The cache restored ROOT: no build.
    let run = run_action(tmp.path(), &[], &path, true);
    assert_eq!(run.code, 1, "{}", run.log);
    assert_eq!(read(&tmp.path().join("cargo.log")).lines().count(), 1);
    assert!(run.log.contains("using the cached build"), "{}", run.log);
    // Another source (its key differs): built again.
    std::fs::write(root_dir.join(".acrlint-key"), "another\n").unwrap();
    let run = run_action(tmp.path(), &[], &path, true);
    assert_eq!(run.code, 1, "{}", run.log);
    assert_eq!(read(&tmp.path().join("cargo.log")).lines().count(), 2);
}

#[test]
fn the_cache_key_follows_the_sources() {
    let key = |dir: &Path| {
        let out = Command::new("bash")
            .arg(root().join("ci/install.sh"))
            .args(["key", dir.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("src")).unwrap();
    std::fs::create_dir_all(src.join("rules")).unwrap();
    for f in ["Cargo.lock", "Cargo.toml", "src/main.rs", "rules/ACR001.md"] {
        std::fs::write(src.join(f), f).unwrap();
    }
    let first = key(&src);
    assert_eq!(first.trim().len(), 32);
    assert_eq!(key(&src), first);
    for f in ["Cargo.lock", "src/main.rs", "rules/ACR001.md"] {
        std::fs::write(src.join(f), "changed").unwrap();
        let changed = key(&src);
        assert_ne!(changed, first, "{f}");
    }
    // Not what is built from: no change.
    let before = key(&src);
    std::fs::write(src.join("README.md"), "x").unwrap();
    assert_eq!(key(&src), before);
}

// ---------------------------------------------------------------------------------------------
// Azure Pipelines

/// An Azure condition expression: the functions the template uses.
fn az_eval(expr: &str, status_ok: bool, vars: &BTreeMap<String, String>) -> String {
    let expr = expr.trim();
    if let Some(lit) = expr.strip_prefix('\'').and_then(|e| e.strip_suffix('\'')) {
        return lit.to_string();
    }
    if let Some(name) = expr
        .strip_prefix("variables['")
        .and_then(|e| e.strip_suffix("']"))
    {
        return vars.get(name).cloned().unwrap_or_default();
    }
    let open = expr
        .find('(')
        .unwrap_or_else(|| panic!("the test does not evaluate `{expr}`"));
    let (func, args) = (&expr[..open], &expr[open + 1..expr.len() - 1]);
    // Split the arguments at top-level commas.
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0, false, 0);
    for (i, c) in args.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(&args[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !args.trim().is_empty() {
        parts.push(&args[start..]);
    }
    let truth = |b: bool| if b { "True" } else { "False" }.to_string();
    let arg = |i: usize| az_eval(parts[i], status_ok, vars);
    match func {
        "succeeded" => truth(status_ok),
        "succeededOrFailed" => truth(true),
        "and" => truth((0..parts.len()).all(|i| arg(i) == "True")),
        // Azure compares strings without regard to case.
        "eq" => truth(arg(0).eq_ignore_ascii_case(&arg(1))),
        "ne" => truth(!arg(0).eq_ignore_ascii_case(&arg(1))),
        _ => panic!("the test does not evaluate `{func}`"),
    }
}

/// `${{ parameters.x }}` (template time) then `$(Var)` (run time).
fn az_expand(
    value: &str,
    params: &BTreeMap<String, String>,
    vars: &BTreeMap<String, String>,
) -> String {
    let mut text = value.to_string();
    for (k, v) in params {
        text = text.replace(&format!("${{{{ parameters.{k} }}}}"), v);
    }
    assert!(
        !text.contains("${{"),
        "unknown template expression in `{value}`"
    );
    for (k, v) in vars {
        text = text.replace(&format!("$({k})"), v);
    }
    text
}

struct PipelineRun {
    code: i32,
    log: String,
    vars: BTreeMap<String, String>,
    tasks: Vec<(String, BTreeMap<String, String>)>,
    summaries: Vec<PathBuf>,
}

/// The pipeline template on a copy of `fixture`, with `params` besides installing the acrlint
/// of this build from PATH.
fn pipeline_on(fixture: &str, params: &[(&str, &str)]) -> (tempfile::TempDir, PipelineRun) {
    let tmp = workspace(fixture);
    let params = [&[("install", "path")], params].concat();
    let run = run_pipeline(tmp.path(), &params, &with_acrlint_on_path());
    (tmp, run)
}

fn run_pipeline(tmp: &Path, params: &[(&str, &str)], path: &str) -> PipelineRun {
    let template = load_yaml("ci/azure-pipelines/acrlint.yml");
    let mut p = BTreeMap::new();
    for param in template["parameters"].as_vec().unwrap() {
        let name = s(&param["name"]);
        let default = s(&param["default"]);
        // Booleans expand as True and False.
        let default = if s(&param["type"]) == "boolean" {
            if default.eq_ignore_ascii_case("true") {
                "True"
            } else {
                "False"
            }
            .to_string()
        } else {
            default
        };
        p.insert(name, default);
    }
    for (k, v) in params {
        assert!(p.contains_key(*k), "the template has no parameter `{k}`");
        p.insert(k.to_string(), v.to_string());
    }
    let workspace = tmp.join("pipeline");
    let mut vars = BTreeMap::new();
    for (k, v) in [
        ("Pipeline.Workspace", workspace.clone()),
        ("Build.SourcesDirectory", tmp.join("ws")),
        ("Build.ArtifactStagingDirectory", workspace.join("a")),
        ("Agent.ToolsDirectory", tmp.join("tools")),
        ("Agent.TempDirectory", tmp.join("agent-temp")),
    ] {
        std::fs::create_dir_all(&v).unwrap();
        vars.insert(k.to_string(), v.display().to_string());
    }
    vars.insert("Agent.OS".into(), "Linux".into());
    // `- checkout: acrlint` with `path: acrlint`, as the template's header shows.
    let checkout = workspace.join("acrlint");
    if !checkout.exists() {
        std::os::unix::fs::symlink(root(), checkout).unwrap();
    }
    let mut path = path.to_string();
    let mut run = PipelineRun {
        code: 0,
        log: String::new(),
        vars: BTreeMap::new(),
        tasks: Vec::new(),
        summaries: Vec::new(),
    };
    for step in template["steps"].as_vec().unwrap() {
        let condition = match step["condition"].as_str() {
            Some(c) => az_expand(c, &p, &vars),
            None => "succeeded()".to_string(),
        };
        if az_eval(&condition, run.code == 0, &vars) != "True" {
            continue;
        }
        if let Some(task) = step["task"].as_str() {
            let inputs = step["inputs"]
                .as_hash()
                .unwrap()
                .iter()
                .map(|(k, v)| (s(k), az_expand(&s(v), &p, &vars)))
                .collect();
            run.tasks.push((task.to_string(), inputs));
            continue;
        }
        let script = az_expand(&s(&step["bash"]), &p, &BTreeMap::new());
        let mut env = BTreeMap::new();
        // The agent maps variables to the environment: upper case, dots as underscores.
        for (k, v) in &vars {
            env.insert(k.to_uppercase().replace('.', "_"), v.clone());
        }
        env.insert("PATH".into(), path.clone());
        env.insert("HOME".into(), tmp.display().to_string());
        env.insert("TF_BUILD".into(), "True".into());
        if let Some(e) = step["env"].as_hash() {
            for (k, v) in e {
                env.insert(s(k), az_expand(&s(v), &p, &vars));
            }
        }
        let cwd = match step["workingDirectory"].as_str() {
            Some(d) => PathBuf::from(az_expand(d, &p, &vars)),
            None => tmp.join("ws"),
        };
        let out = bash(&script, &cwd, &env);
        run.log.push_str(&out.stdout);
        run.log.push_str(&out.stderr);
        let step_name = step["name"].as_str();
        for line in out.stdout.lines() {
            if let Some(cmd) = line.strip_prefix("##vso[task.setvariable ") {
                let (props, value) = cmd.split_once(']').unwrap();
                let name = props
                    .split(';')
                    .find_map(|p| p.strip_prefix("variable="))
                    .unwrap();
                let output = props.contains("isOutput=true");
                let key = match (output, step_name) {
                    (true, Some(step)) => format!("{step}.{name}"),
                    _ => name.to_string(),
                };
                vars.insert(key.clone(), value.to_string());
                run.vars.insert(key, value.to_string());
            } else if let Some(dir) = line.strip_prefix("##vso[task.prependpath]") {
                path = format!("{dir}:{path}");
            } else if let Some(file) = line.strip_prefix("##vso[task.uploadsummary]") {
                run.summaries.push(PathBuf::from(file));
            }
        }
        if out.code != 0 && run.code == 0 {
            run.code = out.code;
        }
    }
    run
}

#[test]
fn azure_pipelines_template_on_findings() {
    let (tmp, run) = pipeline_on("demo", &[]);
    let ws = tmp.path().join("ws");
    assert_eq!(run.code, 1, "{}", run.log);
    let expected = lines_starting(&direct(&ws, "azure-devops"), "##vso[task.logissue");
    assert_eq!(expected.len(), 6);
    assert_eq!(lines_starting(&run.log, "##vso[task.logissue"), expected);
    // SARIF in CodeAnalysisLogs, published as that artifact after the step failed.
    let sarif_dir = tmp.path().join("pipeline/a/CodeAnalysisLogs");
    let sarif = sarif_dir.join("acrlint.sarif");
    assert_eq!(read(&sarif), direct(&ws, "sarif"));
    keep_sarif(&sarif, "azure-demo");
    let publish: Vec<_> = run
        .tasks
        .iter()
        .filter(|(t, _)| t == "PublishBuildArtifacts@1")
        .collect();
    assert_eq!(
        publish.len(),
        1,
        "{:?}",
        run.tasks.iter().map(|t| &t.0).collect::<Vec<_>>()
    );
    assert_eq!(publish[0].1["ArtifactName"], "CodeAnalysisLogs");
    assert_eq!(
        publish[0].1["PathtoPublish"],
        sarif_dir.display().to_string()
    );
    // Not built: no cache.
    assert!(!run.tasks.iter().any(|(t, _)| t == "Cache@2"));
    assert_eq!(run.vars["acrlint.findings"], "6");
    assert_eq!(run.vars["acrlint.exitCode"], "1");
    assert_eq!(run.vars["acrlint.sarifFile"], sarif.display().to_string());
    assert_eq!(run.summaries.len(), 1);
    assert_eq!(read(&run.summaries[0]), direct(&ws, "markdown"));
}

#[test]
fn azure_pipelines_template_on_a_clean_configuration_and_fail_on() {
    let (tmp, run) = pipeline_on("correct", &[]);
    assert_eq!(run.code, 0, "{}", run.log);
    assert!(lines_starting(&run.log, "##vso[task.logissue").is_empty());
    let sarif = tmp.path().join("pipeline/a/CodeAnalysisLogs/acrlint.sarif");
    assert!(sarif_results(&read(&sarif)).is_empty());
    keep_sarif(&sarif, "azure-correct");
    assert_eq!(run.vars["acrlint.findings"], "0");
    assert_eq!(run.vars["acrlint.exitCode"], "0");

    let (_tmp, run) = pipeline_on(
        "demo",
        &[
            ("failOn", "none"),
            ("publishSarif", "False"),
            ("summary", "False"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.log);
    assert_eq!(run.vars["acrlint.exitCode"], "1");
    assert!(run.tasks.is_empty());
    assert!(run.summaries.is_empty());

    let (_tmp, run) = pipeline_on("demo", &[("failOn", "urgent")]);
    assert_eq!(run.code, 2);
    assert!(run
        .log
        .contains("##vso[task.logissue type=error]acrlint: failOn must be"));
    // Nothing written, nothing published.
    assert!(!run
        .tasks
        .iter()
        .any(|(t, _)| t == "PublishBuildArtifacts@1"));
}

#[test]
fn azure_pipelines_template_builds_with_the_cache_task() {
    let tmp = workspace("demo");
    let cargo = fake_cargo(tmp.path());
    let path = format!("{}:{}", cargo.display(), system_path());
    let source = root().display().to_string();
    let run = run_pipeline(tmp.path(), &[("source", &source)], &path);
    assert_eq!(run.code, 1, "{}", run.log);
    let cache: Vec<_> = run.tasks.iter().filter(|(t, _)| t == "Cache@2").collect();
    assert_eq!(cache.len(), 1);
    let tools = tmp.path().join("tools/acrlint");
    assert_eq!(cache[0].1["path"], tools.display().to_string());
    // The key is the content hash the previous step set.
    let key = &run.vars["ACRLINT_CACHE_KEY"];
    assert_eq!(key.len(), 32);
    assert_eq!(
        cache[0].1["key"],
        format!("\"acrlint\" | \"Linux\" | \"{key}\"")
    );
    assert_eq!(
        read(&tmp.path().join("cargo.log")),
        format!(
            "install --locked --path {source} --root {} --force\n",
            tools.display()
        )
    );
    assert_eq!(run.vars["acrlint.findings"], "6");
    // The cache restored: no build.
    let run = run_pipeline(tmp.path(), &[("source", &source)], &path);
    assert_eq!(run.code, 1, "{}", run.log);
    assert_eq!(read(&tmp.path().join("cargo.log")).lines().count(), 1);
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

struct JobRun {
    code: i32,
    log: String,
    report: Option<String>,
}

fn run_job(tmp: &Path, variables: &[(&str, &str)], path: &str) -> JobRun {
    let doc = load_yaml("ci/gitlab/acrlint.gitlab-ci.yml");
    let job = &doc["acrlint"];
    let project = tmp.join("ws");
    let mut env = BTreeMap::new();
    for (k, v) in job["variables"].as_hash().unwrap() {
        env.insert(s(k), s(v));
    }
    for (k, v) in variables {
        assert!(env.contains_key(*k), "the job has no variable `{k}`");
        env.insert(k.to_string(), v.to_string());
    }
    env.insert("PATH".into(), path.to_string());
    env.insert("HOME".into(), tmp.display().to_string());
    env.insert("CI".into(), "true".into());
    env.insert("GITLAB_CI".into(), "true".into());
    env.insert("CI_PROJECT_DIR".into(), project.display().to_string());
    let mut run = JobRun {
        code: 0,
        log: String::new(),
        report: None,
    };
    for line in job["script"].as_vec().unwrap() {
        let out = bash(&s(line), &project, &env);
        run.log.push_str(&out.stdout);
        run.log.push_str(&out.stderr);
        if out.code != 0 {
            run.code = out.code;
            break;
        }
    }
    // artifacts: when: always.
    assert_eq!(s(&job["artifacts"]["when"]), "always");
    let report = project.join(s(&job["artifacts"]["reports"]["codequality"]));
    run.report = std::fs::read_to_string(report).ok();
    run
}

/// A copy of acrlint in the project at tools/acrlint, as a submodule would be: its scripts, what
/// the cache key reads, and test fixtures with findings (which must not be checked as the
/// project's own).
fn vendored_acrlint(project: &Path) {
    let dest = project.join("tools/acrlint");
    copy_dir(&root().join("ci"), &dest.join("ci"));
    copy_dir(&root().join("testdata/demo"), &dest.join("testdata/demo"));
    std::fs::create_dir_all(dest.join("src")).unwrap();
    std::fs::create_dir_all(dest.join("rules")).unwrap();
    for f in ["Cargo.lock", "Cargo.toml"] {
        std::fs::copy(root().join(f), dest.join(f)).unwrap();
    }
    std::fs::write(dest.join("src/main.rs"), "fn main() {}\n").unwrap();
}

#[test]
fn gitlab_job_on_findings_and_on_a_clean_configuration() {
    let path = with_acrlint_on_path();
    let tmp = workspace("demo");
    vendored_acrlint(&tmp.path().join("ws"));
    let run = run_job(tmp.path(), &[("ACRLINT_INSTALL", "path")], &path);
    assert_eq!(run.code, 1, "{}", run.log);
    // What the merge request shows: the Code Quality report, as acrlint writes it, of the
    // project's own files (not the fixtures of the copy of acrlint).
    let report = run.report.unwrap();
    let direct_run = direct(&tmp.path().join("ws"), "gitlab");
    let issues: Vec<serde_json::Value> = serde_json::from_str(&report).unwrap();
    assert_eq!(issues.len(), 6, "{report}");
    assert!(issues.iter().all(|i| !i["location"]["path"]
        .as_str()
        .unwrap()
        .starts_with("tools/")));
    // acrlint run directly, without the exclusion, sees the copy's fixtures too.
    let all: Vec<serde_json::Value> = serde_json::from_str(&direct_run).unwrap();
    assert_eq!(all.len(), 12);
    // The log: acrlint's report, in colour.
    assert!(run.log.contains("ACR006"), "{}", run.log);
    assert!(run.log.contains('\u{1b}'));
    assert!(run.log.contains("the job fails"));

    let tmp = workspace("correct");
    vendored_acrlint(&tmp.path().join("ws"));
    let run = run_job(tmp.path(), &[("ACRLINT_INSTALL", "path")], &path);
    assert_eq!(run.code, 0, "{}", run.log);
    assert_eq!(run.report.unwrap().trim(), "[]");

    let tmp = workspace("demo");
    vendored_acrlint(&tmp.path().join("ws"));
    let run = run_job(
        tmp.path(),
        &[
            ("ACRLINT_INSTALL", "path"),
            ("ACRLINT_FAIL_ON", "none"),
            ("ACRLINT_LOG_FORMAT", "compact"),
        ],
        &path,
    );
    assert_eq!(run.code, 0, "{}", run.log);
    assert!(
        run.log.contains("terraform/dns.tf:1:1: high:"),
        "{}",
        run.log
    );
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&run.report.unwrap())
            .unwrap()
            .len(),
        6
    );
}

#[test]
fn gitlab_job_builds_into_its_cache_folder_once() {
    let tmp = workspace("demo");
    let project = tmp.path().join("ws");
    vendored_acrlint(&project);
    let cargo = fake_cargo(tmp.path());
    let path = format!("{}:{}", cargo.display(), system_path());
    let run = run_job(tmp.path(), &[], &path);
    assert_eq!(run.code, 1, "{}", run.log);
    let cache = project.join(".acrlint-cache");
    assert_eq!(
        read(&tmp.path().join("cargo.log")),
        format!(
            "install --locked --path {} --root {} --force\n",
            project.join("tools/acrlint").display(),
            cache.display()
        )
    );
    // The cache folder (`cache: paths`) is not checked either.
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&run.report.unwrap())
            .unwrap()
            .len(),
        6
    );
    let run = run_job(tmp.path(), &[], &path);
    assert_eq!(run.code, 1, "{}", run.log);
    assert_eq!(read(&tmp.path().join("cargo.log")).lines().count(), 1);
    let job = load_yaml("ci/gitlab/acrlint.gitlab-ci.yml");
    assert_eq!(s(&job["acrlint"]["cache"]["paths"][0]), ".acrlint-cache/");
}

/// The README's workflow is the example that the validators check (`<owner>/acrlint@v1` there is
/// `./` here).
#[test]
fn readme_workflow_is_the_checked_example() {
    let readme = read(&root().join("README.md"));
    let start = readme
        .find("```yaml\njobs:\n  acrlint:\n")
        .expect("the README's GitHub workflow");
    let block = &readme[start + "```yaml\n".len()..];
    let block = &block[..block.find("```").unwrap()];
    let from_readme = YamlLoader::load_from_str(&block.replace("<owner>/acrlint@v1", "./"))
        .unwrap()
        .remove(0);
    let example = load_yaml("ci/examples/github-workflow.yml");
    assert_eq!(from_readme["jobs"], example["jobs"]);
}
