//! Metamorphic tests: unknown input never makes a finding disappear, and never raises one.
//!
//! For every rule fixture under `testdata/rules`, each literal value is replaced, one at a time,
//! by an input nobody gives (Terraform: `var.acrlint_m_N` with `variable "acrlint_m_N" {}`; ARM:
//! `[parameters('acrlint_m_N')]` with a parameter without `defaultValue`), and each variable or
//! parameter default is dropped, one at a time. The original value is one of those the unknown may
//! take, so:
//! - in a `fail_` fixture, every finding of the original scan is still reported, as a finding or
//!   as an undetermined entry of the same rule on the same resource: a rule that depends on a
//!   value it no longer knows says so, it never goes silent;
//! - in a `pass_` fixture, no new finding appears: a finding would not hold for the original value.
//!
//! What is not replaced, and why, is listed with `TF_LITERAL_BLOCKS`, `TF_LITERAL_ARGS` and
//! `ARM_LITERAL_KEYS`: values that Terraform or ARM require to be literal, or that are not
//! resource values. `.tfvars` and `.parameters.json` files are left as they are (they hold
//! values, not expressions). The scans run in-process through the library
//! (`acrlint::check::check`), in parallel.

#[allow(dead_code)]
mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{Map, Value};

use acrlint::check::{check, init_thread_pool, CheckOptions};
use common::{subdirs, testdata};

/// A byte range in a file.
type Range = (usize, usize);

/// A finding of the original scan: rule and resource address.
type Entry = (String, String);

struct Fixture {
    /// `ACR006/terraform/fail_zone_not_linked`, for messages.
    name: String,
    /// File name and text of each file of the folder (`expected.txt` left out).
    files: Vec<(String, String)>,
}

/// One mutated copy of a fixture.
struct Mutation {
    fixture: usize,
    /// What was replaced, for messages: `main.tf:24 "Premium"`.
    what: String,
    /// The files of the folder, one of them changed.
    files: Vec<(String, String)>,
    /// The literal text, when the value replaced is a resource's name: the resource's address,
    /// built from its name, then holds the replacement instead.
    renamed: Option<(String, String)>,
}

const VAR: &str = "acrlint_m";

/// The rule fixtures whose case folder starts with `prefix` (`fail_`, `pass_`).
fn fixtures(prefix: &str) -> Vec<Fixture> {
    let root = testdata().join("rules");
    let mut out = Vec::new();
    for rule in subdirs(&root) {
        // Bicep fixtures are Bicep beside its compiled template: mutating one without the other
        // is not one configuration. The evaluator they share is mutated through the ARM
        // fixtures; that Bicep lowers to the same template, `tests/bicep.rs` checks.
        for format in subdirs(&rule).into_iter().filter(|f| !f.ends_with("bicep")) {
            for dir in subdirs(&format) {
                let case = dir.file_name().unwrap().to_string_lossy().to_string();
                if !case.starts_with(prefix) {
                    continue;
                }
                let mut files: Vec<(String, String)> = fs::read_dir(&dir)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.is_file() && p.file_name().unwrap() != "expected.txt")
                    .map(|p| {
                        (
                            p.file_name().unwrap().to_string_lossy().to_string(),
                            fs::read_to_string(&p).unwrap(),
                        )
                    })
                    .collect();
                files.sort();
                let rel = dir.strip_prefix(&root).unwrap();
                out.push(Fixture {
                    name: rel.to_string_lossy().replace('\\', "/"),
                    files,
                });
            }
        }
    }
    out
}

// ---- Terraform ----

/// Blocks whose contents are not replaced: Terraform requires `variable` (defaults are dropped
/// instead), `terraform`, `provider` and `lifecycle` contents to be literal, and `output` values
/// are not read by any rule in a single-folder fixture.
const TF_LITERAL_BLOCKS: &[&str] = &["variable", "terraform", "provider", "output", "lifecycle"];
/// Arguments not replaced: Terraform requires `source`, `version`, `providers` and a dynamic
/// block's `iterator` to be literal; `depends_on` only orders the graph.
const TF_LITERAL_ARGS: &[&str] = &["source", "version", "providers", "depends_on", "iterator"];

/// A token of one line: a string literal (with its byte range), or structure.
#[derive(Debug)]
enum Tok {
    Str(usize, usize),
    Open,
    Close,
    Comment,
}

/// The string literals and braces of a line, outside comments.
fn tf_tokens(line: &str) -> Vec<Tok> {
    let b = line.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                toks.push(Tok::Str(start, (i + 1).min(b.len())));
            }
            b'{' => toks.push(Tok::Open),
            b'}' => toks.push(Tok::Close),
            b'#' => {
                toks.push(Tok::Comment);
                break;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                toks.push(Tok::Comment);
                break;
            }
            _ => {}
        }
        i += 1;
    }
    toks
}

/// The literal values of a `.tf` file that can be replaced by a variable, and the single-line
/// `default` arguments of its variables (with their line ending): byte ranges in the file.
fn tf_sites(text: &str) -> (Vec<Range>, Vec<Range>) {
    let mut sites = Vec::new();
    let mut defaults = Vec::new();
    // The open blocks, outermost first (`resource`, `private_dns_zone_group`, ...).
    let mut stack: Vec<String> = Vec::new();
    let mut offset = 0;
    // The marker of the heredoc being skipped: its text is no value of its own.
    let mut heredoc: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let start_of_line = offset;
        offset += line.len();
        let trimmed = line.trim();
        if let Some(marker) = heredoc {
            heredoc = (trimmed != marker).then_some(marker);
            continue;
        }
        if let Some((_, opening)) = trimmed.split_once("<<") {
            heredoc = Some(opening.trim_start_matches('-'));
            continue;
        }
        assert!(
            !trimmed.contains("/*") && !trimmed.contains("%{"),
            "block comments and template directives are not handled: {trimmed}"
        );
        // A string template is one value built from others: its literal parts are not values
        // of their own (and its `${...}` may hold quotes this scanner does not pair).
        let template = trimmed.contains("${");
        let toks = tf_tokens(line);
        let eq = line.find('=').filter(|&e| {
            // `=` outside strings, before any comment.
            !toks
                .iter()
                .any(|t| matches!(t, Tok::Str(s, en) if *s < e && e < *en))
                && !line[..e].contains('#')
        });
        let key = eq.map(|e| line[..e].trim().to_string());
        let literal_block = stack
            .iter()
            .any(|b| TF_LITERAL_BLOCKS.contains(&b.as_str()));
        let literal_arg = key.as_deref().is_some_and(|k| TF_LITERAL_ARGS.contains(&k));
        // A block header (`resource "t" "n" {`, `content {`) is not a value.
        let header = eq.is_none() && trimmed.ends_with('{');
        let balanced =
            |open: char, close: char| line.matches(open).count() == line.matches(close).count();
        if stack.len() == 1
            && stack[0] == "variable"
            && key.as_deref() == Some("default")
            && balanced('{', '}')
            && balanced('[', ']')
        {
            defaults.push((start_of_line, offset));
        }
        if !literal_block && !literal_arg && !header && !template && !stack.is_empty() {
            for t in &toks {
                if let Tok::Str(s, e) = t {
                    // Only values: right of `=` (or a line of a multi-line list), not map keys.
                    let after = line[*e..].trim_start();
                    let is_key = after.starts_with('=') || after.starts_with(':');
                    if eq.is_some_and(|q| *s < q) || is_key {
                        continue;
                    }
                    sites.push((start_of_line + s, start_of_line + e));
                }
            }
            // A bool or number as the whole value.
            if let (Some(q), Some(_)) = (eq, &key) {
                let value = line[q + 1..].split('#').next().unwrap_or("").trim();
                let literal = value == "true"
                    || value == "false"
                    || (!value.is_empty() && value.parse::<f64>().is_ok());
                if literal {
                    let s = start_of_line + q + 1 + line[q + 1..].find(value).unwrap();
                    sites.push((s, s + value.len()));
                }
            }
        }
        // Track blocks: each `{` opens one named by the line's first word (or its key).
        for t in &toks {
            match t {
                Tok::Open => {
                    let word = key.clone().unwrap_or_else(|| {
                        trimmed
                            .split(|c: char| c.is_whitespace() || c == '{')
                            .next()
                            .unwrap_or("")
                            .to_string()
                    });
                    stack.push(word);
                }
                Tok::Close => {
                    stack.pop();
                }
                _ => {}
            }
        }
    }
    (sites, defaults)
}

fn tf_mutations(fixture: usize, fx: &Fixture, next: &mut usize, out: &mut Vec<Mutation>) {
    for (f, (file, text)) in fx.files.iter().enumerate() {
        if !file.ends_with(".tf") {
            continue;
        }
        let (sites, defaults) = tf_sites(text);
        // A variable loses its default (a value given in a .tfvars file still applies).
        for (s, e) in defaults {
            let mut files = fx.files.clone();
            files[f].1 = format!("{}{}", &text[..s], &text[e..]);
            let line = text[..s].matches('\n').count() + 1;
            out.push(Mutation {
                fixture,
                what: format!("{file}:{line} without its default"),
                files,
                renamed: None,
            });
        }
        for (s, e) in sites {
            let n = *next;
            *next += 1;
            let var = format!("var.{VAR}_{n}");
            let mut changed = String::with_capacity(text.len() + 64);
            changed.push_str(&text[..s]);
            changed.push_str(&var);
            changed.push_str(&text[e..]);
            changed.push_str(&format!("\nvariable \"{VAR}_{n}\" {{}}\n"));
            let line = text[..s].matches('\n').count() + 1;
            let mut files = fx.files.clone();
            files[f].1 = changed;
            let literal = &text[s..e];
            out.push(Mutation {
                fixture,
                what: format!("{file}:{line} {literal}"),
                files,
                // Terraform addresses do not hold names.
                renamed: None,
            });
        }
    }
}

// ---- ARM ----

/// Keys whose values are not replaced, wherever they are in a resource.
const ARM_LITERAL_KEYS: &[&str] = &[
    // Must be literal: ARM reads them before evaluating anything.
    "$schema",
    "contentVersion",
    "languageVersion",
    "type",
    "apiVersion",
    "existing",
    "expressionEvaluationOptions",
    // A deployment's mode must be literal too (no resource property of the model is named so).
    "mode",
    // Order and documentation only, never a value of the resource.
    "dependsOn",
    "metadata",
    "comments",
    // A copy loop's name must be literal; the fixtures' counts are expressions already.
    "copy",
    // Not resources (outputs, user functions) or declarations (parameters; the values passed to
    // an inner-scope nested template are handled where they are met).
    "outputs",
    "functions",
    "parameters",
];

/// A path in a JSON document.
type JsonPath = Vec<Step>;

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Where a literal is: its path, the path of the template whose parameters it can use, and
/// whether it is a resource's `name`.
struct ArmSite {
    path: JsonPath,
    template: JsonPath,
    is_name: bool,
}

fn arm_sites(template: &Value, at: &JsonPath, out: &mut Vec<ArmSite>) {
    let Some(obj) = template.as_object() else {
        return;
    };
    if let Some(vars) = obj.get("variables") {
        let mut path = at.clone();
        path.push(Step::Key("variables".into()));
        arm_values(vars, &path, at, false, out);
    }
    let Some(resources) = obj.get("resources") else {
        return;
    };
    let mut path = at.clone();
    path.push(Step::Key("resources".into()));
    // A list (classic) or an object of symbolic names (languageVersion 2.0).
    let items: Vec<(Step, &Value)> = match resources {
        Value::Array(list) => list
            .iter()
            .enumerate()
            .map(|(i, r)| (Step::Index(i), r))
            .collect(),
        Value::Object(map) => map.iter().map(|(k, r)| (Step::Key(k.clone()), r)).collect(),
        _ => Vec::new(),
    };
    for (step, resource) in items {
        let mut rpath = path.clone();
        rpath.push(step);
        arm_resource(resource, &rpath, at, out);
    }
}

fn arm_resource(resource: &Value, path: &JsonPath, template: &JsonPath, out: &mut Vec<ArmSite>) {
    let Some(obj) = resource.as_object() else {
        return;
    };
    let inner = obj
        .get("properties")
        .and_then(|p| p.pointer("/expressionEvaluationOptions/scope"))
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
    for (key, value) in obj {
        let mut p = path.clone();
        p.push(Step::Key(key.clone()));
        match key.as_str() {
            // Child resources, with this template's parameters.
            "resources" => {
                if let Value::Array(list) = value {
                    for (i, child) in list.iter().enumerate() {
                        let mut c = p.clone();
                        c.push(Step::Index(i));
                        arm_resource(child, &c, template, out);
                    }
                }
            }
            "properties" => {
                let Some(props) = value.as_object() else {
                    arm_values(value, &p, template, false, out);
                    continue;
                };
                for (k, v) in props {
                    let mut q = p.clone();
                    q.push(Step::Key(k.clone()));
                    match k.as_str() {
                        // A nested deployment's template: outer scope uses this template's
                        // parameters, inner scope its own.
                        "template" => {
                            let scope = if inner { &q } else { template };
                            arm_nested(v, &q, scope, out);
                        }
                        // Values passed to an inner template: literals like any other.
                        "parameters" if inner => arm_values(v, &q, template, false, out),
                        k if ARM_LITERAL_KEYS.contains(&k) => {}
                        _ => arm_values(v, &q, template, false, out),
                    }
                }
            }
            k if ARM_LITERAL_KEYS.contains(&k) => {}
            "name" => arm_values(value, &p, template, true, out),
            _ => arm_values(value, &p, template, false, out),
        }
    }
}

/// A nested template: its variables and resources, whose parameters are those of `scope`.
fn arm_nested(template: &Value, path: &JsonPath, scope: &JsonPath, out: &mut Vec<ArmSite>) {
    let before = out.len();
    arm_sites(template, path, out);
    for site in &mut out[before..] {
        site.template = scope.clone();
    }
}

fn arm_values(
    value: &Value,
    path: &JsonPath,
    template: &JsonPath,
    is_name: bool,
    out: &mut Vec<ArmSite>,
) {
    match value {
        Value::String(s) if s.starts_with('[') => {}
        Value::String(_) | Value::Bool(_) | Value::Number(_) => out.push(ArmSite {
            path: path.clone(),
            template: template.clone(),
            is_name,
        }),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let mut p = path.clone();
                p.push(Step::Index(i));
                arm_values(v, &p, template, false, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if ARM_LITERAL_KEYS.contains(&k.as_str()) {
                    continue;
                }
                let mut p = path.clone();
                p.push(Step::Key(k.clone()));
                arm_values(v, &p, template, false, out);
            }
        }
        Value::Null => {}
    }
}

fn at_mut<'v>(value: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()).expect("path"),
        Step::Index(i) => v.get_mut(*i).expect("path"),
    })
}

fn arm_mutations(fixture: usize, fx: &Fixture, next: &mut usize, out: &mut Vec<Mutation>) {
    for (f, (file, text)) in fx.files.iter().enumerate() {
        if !file.ends_with(".json") || file.ends_with(".parameters.json") {
            continue;
        }
        let template: Value = serde_json::from_str(text).expect("fixture JSON");
        // A parameter loses its default (a value in the parameter file still applies). A
        // nullable one would become null, not unknown: it is left alone.
        let params = template.get("parameters").and_then(Value::as_object);
        for (name, def) in params.into_iter().flatten() {
            let nullable = def.get("nullable") == Some(&Value::Bool(true));
            if nullable || def.get("defaultValue").is_none() {
                continue;
            }
            let mut changed = template.clone();
            changed["parameters"][name]
                .as_object_mut()
                .expect("parameter")
                .remove("defaultValue");
            let mut files = fx.files.clone();
            files[f].1 = serde_json::to_string_pretty(&changed).unwrap();
            out.push(Mutation {
                fixture,
                what: format!("{file} parameter {name} without its default"),
                files,
                renamed: None,
            });
        }
        let mut sites = Vec::new();
        arm_sites(&template, &Vec::new(), &mut sites);
        for site in sites {
            let n = *next;
            *next += 1;
            let param = format!("{VAR}_{n}");
            let mut changed = template.clone();
            let slot = at_mut(&mut changed, &site.path);
            let literal = slot.clone();
            let ptype = match literal {
                Value::Bool(_) => "bool",
                Value::Number(_) => "int",
                _ => "string",
            };
            *slot = Value::String(format!("[parameters('{param}')]"));
            let scope = at_mut(&mut changed, &site.template);
            let params = scope
                .as_object_mut()
                .expect("template")
                .entry("parameters")
                .or_insert_with(|| Value::Object(Map::new()));
            params
                .as_object_mut()
                .expect("parameters")
                .insert(param.clone(), serde_json::json!({ "type": ptype }));
            let mut files = fx.files.clone();
            files[f].1 = serde_json::to_string_pretty(&changed).unwrap();
            let path: Vec<String> = site
                .path
                .iter()
                .map(|s| match s {
                    Step::Key(k) => k.clone(),
                    Step::Index(i) => i.to_string(),
                })
                .collect();
            out.push(Mutation {
                fixture,
                what: format!("{file} /{} = {literal}", path.join("/")),
                files,
                renamed: match (&literal, site.is_name) {
                    (Value::String(s), true) => {
                        Some((s.clone(), format!("[parameters('{param}')]")))
                    }
                    _ => None,
                },
            });
        }
    }
}

// ---- Scanning ----

struct Outcome {
    findings: BTreeSet<Entry>,
    undetermined: BTreeSet<Entry>,
    errors: Vec<String>,
}

/// Scan `files` written in a new folder `dir`, removed afterwards.
fn scan(dir: &Path, files: &[(String, String)]) -> Outcome {
    fs::create_dir_all(dir).unwrap();
    for (name, text) in files {
        fs::write(dir.join(name), text).unwrap();
    }
    let opts = CheckOptions {
        paths: vec![dir.to_path_buf()],
        // Every rule, as the fixtures are checked (some are off by default).
        select: vec!["ALL".into()],
        ..CheckOptions::default()
    };
    let report = check(&opts).expect("check");
    fs::remove_dir_all(dir).unwrap();
    let entry = |rule: &str, resource: &str| (rule.to_string(), resource.to_string());
    Outcome {
        findings: report
            .findings
            .iter()
            .map(|f| entry(f.rule, &f.resource))
            .collect(),
        undetermined: report
            .undetermined
            .iter()
            .map(|u| entry(u.rule, &u.resource))
            .collect(),
        errors: report.errors.iter().map(|e| e.message.clone()).collect(),
    }
}

/// Every mutation of the fixtures starting with `prefix`, scanned, with the original scans.
/// `judge` returns the problems of one mutation's scan against its fixture's original scan.
fn run_mutations(
    prefix: &str,
    judge: impl Fn(&Mutation, &Outcome, &Outcome) -> Vec<String> + Sync,
) -> (usize, Vec<String>) {
    let started = Instant::now();
    init_thread_pool();
    let fixtures = fixtures(prefix);
    assert!(!fixtures.is_empty(), "no {prefix} fixtures");
    let mut mutations = Vec::new();
    let mut next = 0;
    for (i, fx) in fixtures.iter().enumerate() {
        if fx.name.contains("/terraform/") {
            tf_mutations(i, fx, &mut next, &mut mutations);
        } else {
            arm_mutations(i, fx, &mut next, &mut mutations);
        }
    }
    // Thousands of small folders: in memory where the system has a tmpfs for it.
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let root: PathBuf = tmp.path().to_path_buf();
    let originals: Vec<Outcome> = fixtures
        .par_iter()
        .enumerate()
        .map(|(i, fx)| scan(&root.join(format!("orig{i}")), &fx.files))
        .collect();
    for (fx, o) in fixtures.iter().zip(&originals) {
        assert!(o.errors.is_empty(), "{}: {:?}", fx.name, o.errors);
    }
    let changed = AtomicUsize::new(0);
    let failures: Vec<String> = mutations
        .par_iter()
        .enumerate()
        .filter_map(|(m, mutation)| {
            let got = scan(&root.join(format!("m{m}")), &mutation.files);
            let fx = &fixtures[mutation.fixture];
            let mut problems = Vec::new();
            // A replacement that makes the configuration invalid is a bug of this test.
            if !got.errors.is_empty() {
                problems.push(format!("    errors: {:?}", got.errors));
            }
            let original = &originals[mutation.fixture];
            if got.findings != original.findings || got.undetermined != original.undetermined {
                changed.fetch_add(1, Ordering::Relaxed);
            }
            problems.extend(judge(mutation, original, &got));
            (!problems.is_empty()).then(|| {
                format!(
                    "{} with {}:\n{}\n    findings now: {:?}\n    undetermined now: {:?}",
                    fx.name,
                    mutation.what,
                    problems.join("\n"),
                    got.findings,
                    got.undetermined
                )
            })
        })
        .collect();
    let changed = changed.into_inner();
    eprintln!(
        "metamorphic: {} mutations of {} {prefix} fixtures ({changed} changed the results) in {:.1?}",
        mutations.len(),
        fixtures.len(),
        started.elapsed()
    );
    // Most replaced values matter to some rule: if few change anything, the replacements no
    // longer reach the rules (a loader that stopped reading them, a broken mutator).
    assert!(
        changed * 4 >= mutations.len(),
        "only {changed} of {} mutations changed the results",
        mutations.len()
    );

    (mutations.len(), failures)
}

/// The addresses an original resource can have after `mutation`: its own; when the mutation
/// replaced its name, the one built from the replacement; and, when it replaced a `for_each`
/// key, the resource as a whole, whose instances are no longer known.
fn addresses(mutation: &Mutation, resource: &str) -> Vec<String> {
    let mut names = vec![resource.to_string()];
    if let Some((old, new)) = &mutation.renamed {
        names.push(resource.replace(old.as_str(), new));
    }
    if let Some(whole) = resource.strip_suffix(']').and_then(|r| r.rsplit_once('[')) {
        names.push(whole.0.to_string());
    }
    names
}

#[test]
fn unknown_input_never_silences_a_finding() {
    let (count, failures) = run_mutations("fail_", |mutation, original, got| {
        assert!(
            !original.findings.is_empty(),
            "a fail_ fixture without finding"
        );
        let mut problems = Vec::new();
        for (rule, resource) in &original.findings {
            let kept = addresses(mutation, resource).into_iter().any(|r| {
                let e = (rule.clone(), r);
                got.findings.contains(&e) || got.undetermined.contains(&e)
            });
            if !kept {
                problems.push(format!("    lost {rule} {resource}"));
            }
        }
        problems
    });
    assert!(
        failures.is_empty(),
        "{} of {count} mutation(s) silenced a finding:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The converse: a configuration without finding keeps none when a value becomes unknown. The
/// original value is one of those the unknown may take, so a finding on the mutated
/// configuration would not hold in every case: unknown input never fires a rule.
#[test]
fn unknown_input_never_raises_a_finding() {
    let (count, failures) = run_mutations("pass_", |_, original, got| {
        got.findings
            .difference(&original.findings)
            .map(|(rule, resource)| format!("    raised {rule} {resource}"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {count} mutation(s) raised a finding:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
