//! `.acrlint.toml`: rule selection, severity overrides, excludes, the failure threshold, the DNS
//! model of the estate, and default variable and parameter files.
//!
//! The file is given with `--config FILE`, or found by walking up from the scanned paths (in the
//! order given; the first file found wins), stopping at the repository root (a folder holding
//! `.git`). Command-line flags override it. Unknown keys and bad values are errors with their
//! line and column: a setting is never silently ignored.
//!
//! ```toml
//! select = ["ALL"]                    # ids, prefixes or names to run (default: the rules on by default)
//! ignore = ["ACR012"]                 # ids, prefixes or names not to run
//! exclude = ["examples/**"]           # globs, as --exclude
//! follow-links = true                 # as --follow-links (default: false)
//! respect-gitignore = false           # as --no-ignore (default: true)
//! fail-on = "medium"                  # as --fail-on (default: low)
//! dns = "external"                    # zone groups and links are made outside the code
//! var-files = ["env/prod.tfvars"]     # relative to this file
//! parameter-files = ["azuredeploy.parameters.json"]
//!
//! [severity]
//! ACR012 = "medium"
//!
//! [limits]                            # see crate::limits: file-size, steps, instances
//! instances = 50000
//! ```

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Finding, Severity};
use crate::file_error::FileError;
use crate::source::line_column;

/// The name looked for when walking up.
pub const FILE_NAME: &str = ".acrlint.toml";

/// How far up discovery walks at most (a guard against symlink games, not a real limit).
const MAX_WALK_UP: usize = 256;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dns {
    /// The code creates the endpoints' DNS zone groups and the zones' VNet links.
    #[default]
    Managed,
    /// The estate creates them outside the code (for example Azure Policy `deployIfNotExists`).
    External,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Per-rule severity, by upper-case rule id.
    pub severity: BTreeMap<String, Severity>,
    pub exclude: Vec<String>,
    /// `follow-links`: follow links to folders outside the scanned paths.
    pub follow_links: bool,
    /// `respect-gitignore = false`: check what `.gitignore`, `.ignore` and `.git/info/exclude`
    /// ignore too (negative, so that the default configuration respects them).
    pub no_ignore: bool,
    pub fail_on: Option<Severity>,
    pub dns: Dns,
    /// Resolved against the configuration file's folder.
    pub var_files: Vec<PathBuf>,
    /// Resolved against the configuration file's folder.
    pub parameter_files: Vec<PathBuf>,
    /// Where each of `var-files` and `parameter-files` is written, so that a path that cannot be
    /// read is an error that names the configuration file, the key and the line.
    pub file_entries: Vec<FileEntry>,
    /// The bounds of the run (`[limits]`; the defaults when absent).
    pub limits: crate::limits::Limits,
}

/// One path of `var-files` or `parameter-files`, and where the configuration gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct FileEntry {
    /// `var-files` or `parameter-files`.
    pub key: &'static str,
    /// As written.
    pub written: String,
    /// Resolved against the configuration file's folder.
    pub path: PathBuf,
    pub error_at: FileError,
}

/// The settings the command line can also give. `Config::merge` combines both.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub exclude: Vec<String>,
    pub fail_on: Option<Severity>,
    pub var_files: Vec<PathBuf>,
    pub parameter_files: Vec<PathBuf>,
}

/// A configuration file that cannot be read or has a bad key or value.
pub type ConfigError = FileError;

/// The file as written, with the span of every value that is checked after parsing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    follow_links: bool,
    respect_gitignore: Option<bool>,
    fail_on: Option<Spanned<String>>,
    dns: Option<Spanned<String>>,
    #[serde(default)]
    var_files: Vec<Spanned<String>>,
    #[serde(default)]
    parameter_files: Vec<Spanned<String>>,
    #[serde(default)]
    limits: crate::limits::Limits,
}

impl Config {
    /// Read and check a configuration file against the registered rules.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::load::read_text(path).map_err(|e| {
            let e = e.strip_prefix("cannot read: ").unwrap_or(&e);
            FileError::whole(path, format!("cannot read the configuration: {e}"))
        })?;
        Config::parse(&text, path, &crate::rules::ids())
    }

    /// Parse a configuration's text. `path` places relative file paths and names the file in
    /// errors; `known_rules` are the ids that `select`, `ignore` and `[severity]` may name.
    pub fn parse(text: &str, path: &Path, known_rules: &[&str]) -> Result<Config, ConfigError> {
        let error = |span: Option<Range<usize>>, message: String| {
            let (line, column) = span.map_or((0, 0), |s| line_column(text, s.start));
            FileError::new(path, line, column, message)
        };
        let raw: Raw = toml::from_str(text)
            .map_err(|e| error(e.span(), e.message().trim_end().to_string()))?;

        let rule_list = |key: &str, items: Vec<Spanned<String>>| {
            items
                .into_iter()
                .map(|item| {
                    rule_selector(item.get_ref(), known_rules)
                        .map_err(|m| error(Some(item.span()), format!("`{key}`: {m}")))
                })
                .collect::<Result<Vec<String>, ConfigError>>()
        };
        let select = rule_list("select", raw.select)?;
        let ignore = rule_list("ignore", raw.ignore)?;

        let mut severity = BTreeMap::new();
        for (rule, level) in raw.severity {
            let id = rule.get_ref().to_ascii_uppercase();
            if !known_rules.iter().any(|k| k.eq_ignore_ascii_case(&id)) {
                return Err(error(
                    Some(rule.span()),
                    format!("unknown rule id `{}` in [severity]", rule.get_ref()),
                ));
            }
            severity.insert(
                id,
                parse_severity(&level).map_err(|m| error(Some(level.span()), m))?,
            );
        }

        let fail_on = match raw.fail_on {
            Some(level) => Some(parse_severity(&level).map_err(|m| error(Some(level.span()), m))?),
            None => None,
        };
        let dns = match raw.dns {
            None => Dns::Managed,
            Some(d) => match d.get_ref().as_str() {
                "managed" => Dns::Managed,
                "external" => Dns::External,
                other => {
                    return Err(error(
                        Some(d.span()),
                        format!("unknown dns `{other}` (expected \"managed\" or \"external\")"),
                    ))
                }
            },
        };
        for glob in &raw.exclude {
            if let Err(e) = globset::Glob::new(glob.get_ref()) {
                return Err(error(
                    Some(glob.span()),
                    format!(
                        "invalid glob `{}` in `exclude`: {}",
                        glob.get_ref(),
                        e.kind()
                    ),
                ));
            }
        }
        let base = path.parent().unwrap_or(Path::new(""));
        let mut file_entries = Vec::new();
        let mut resolve = |key: &'static str, files: Vec<Spanned<String>>| -> Vec<PathBuf> {
            files
                .into_iter()
                .map(|f| {
                    let resolved = base.join(f.get_ref());
                    file_entries.push(FileEntry {
                        key,
                        written: f.get_ref().clone(),
                        path: resolved.clone(),
                        error_at: error(Some(f.span()), String::new()),
                    });
                    resolved
                })
                .collect()
        };
        let var_files = resolve("var-files", raw.var_files);
        let parameter_files = resolve("parameter-files", raw.parameter_files);
        Ok(Config {
            select,
            ignore,
            severity,
            exclude: raw.exclude.into_iter().map(Spanned::into_inner).collect(),
            follow_links: raw.follow_links,
            no_ignore: raw.respect_gitignore == Some(false),
            fail_on,
            dns,
            var_files,
            parameter_files,
            file_entries,
            limits: raw.limits,
        })
    }

    /// Check that every path of `key` (`var-files`, `parameter-files`) is a file that can be read:
    /// one that cannot is an error at its entry in the configuration file.
    pub fn check_files(&self, key: &str) -> Result<(), ConfigError> {
        for entry in self.file_entries.iter().filter(|e| e.key == key) {
            let problem = match std::fs::metadata(&entry.path) {
                Ok(m) if m.is_file() => continue,
                Ok(_) => "it is not a file".to_string(),
                Err(e) => e.to_string(),
            };
            return Err(FileError {
                message: format!(
                    "`{key}`: cannot read `{}` ({}): {problem}",
                    entry.written,
                    entry.path.display()
                ),
                ..entry.error_at.clone()
            });
        }
        Ok(())
    }

    /// The nearest `.acrlint.toml` in `start`'s folder (or `start` itself if a folder) and its
    /// parents, up to the repository root.
    pub fn discover(start: &Path) -> Result<Option<(PathBuf, Config)>, ConfigError> {
        let abs = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let mut dir = if abs.is_dir() {
            abs.as_path()
        } else {
            abs.parent().unwrap_or(Path::new("."))
        };
        for _ in 0..MAX_WALK_UP {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate).map(|c| Some((candidate, c)));
            }
            if dir.join(".git").exists() {
                break;
            }
            match dir.parent() {
                Some(parent) => dir = parent,
                None => break,
            }
        }
        Ok(None)
    }

    /// [`Config::discover`] for each path in order (the current folder when there is none); the
    /// first file found wins.
    pub fn discover_for(paths: &[PathBuf]) -> Result<Option<(PathBuf, Config)>, ConfigError> {
        if paths.is_empty() {
            return Config::discover(Path::new("."));
        }
        for p in paths {
            if let Some(found) = Config::discover(p)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Combine with the command line, which wins: a list given on the command line replaces the
    /// file's (`exclude` globs add up instead), `--fail-on` replaces `fail-on`. `dns = "external"`
    /// adds ACR004 and ACR006 to `ignore` either way.
    pub fn merge(&self, cli: Settings) -> Settings {
        let pick =
            |cli: Vec<String>, file: &Vec<String>| if cli.is_empty() { file.clone() } else { cli };
        let pick_paths = |cli: Vec<PathBuf>, file: &Vec<PathBuf>| {
            if cli.is_empty() {
                file.clone()
            } else {
                cli
            }
        };
        let mut ignore = pick(cli.ignore, &self.ignore);
        if self.dns == Dns::External {
            // With Azure Policy creating the zone groups and the VNet links, their absence from
            // the code is expected.
            for id in crate::rules::dns_chain() {
                if !ignore.iter().any(|i| i.eq_ignore_ascii_case(id)) {
                    ignore.push(id.to_string());
                }
            }
        }
        let mut exclude = self.exclude.clone();
        exclude.extend(cli.exclude);
        Settings {
            select: pick(cli.select, &self.select),
            ignore,
            exclude,
            fail_on: cli.fail_on.or(self.fail_on),
            var_files: pick_paths(cli.var_files, &self.var_files),
            parameter_files: pick_paths(cli.parameter_files, &self.parameter_files),
        }
    }
}

/// Check one entry of `select` or `ignore` (command line or file) against the rules: `ALL`, a rule
/// id, a prefix of ids (`ACR0`), or a rule's name (`registry-export-allowed`, turned into its id).
/// The error names the entry and suggests the closest id or name.
pub fn rule_selector(item: &str, known_rules: &[&str]) -> Result<String, String> {
    let item = item.trim();
    if item.eq_ignore_ascii_case(ALL) {
        return Ok(ALL.to_string());
    }
    let upper = item.to_ascii_uppercase();
    if !item.is_empty() && known_rules.iter().any(|id| id.starts_with(&upper)) {
        return Ok(upper);
    }
    let names: Vec<(&str, &str)> = crate::rules::all_meta()
        .iter()
        .filter(|m| known_rules.contains(&m.id.as_str()))
        .map(|m| (m.id.as_str(), m.name.as_str()))
        .collect();
    if let Some((id, _)) = names
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(item))
    {
        return Ok(id.to_string());
    }
    let candidates = known_rules
        .iter()
        .copied()
        .chain(names.iter().map(|(_, name)| *name));
    let closest = candidates
        .map(|c| (edit_distance(&upper, &c.to_ascii_uppercase()), c))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, c)| *d <= c.len().max(item.len()) / 2);
    let hint = match closest {
        Some((_, c)) => format!("did you mean `{c}`? "),
        None => String::new(),
    };
    Err(format!(
        "`{item}` is not a rule id, prefix or name ({hint}`acrlint rules` lists them)"
    ))
}

/// Every rule, in `select` and `ignore`.
pub const ALL: &str = "ALL";

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Apply `[severity]` overrides (by upper-case rule id) to findings, after the rules and before
/// `--fail-on` is judged.
pub fn apply_severity(findings: &mut [Finding], overrides: &BTreeMap<String, Severity>) {
    for f in findings {
        if let Some(s) = overrides.get(&f.rule.to_ascii_uppercase()) {
            f.severity = *s;
        }
    }
}

fn parse_severity(value: &Spanned<String>) -> Result<Severity, String> {
    Severity::parse(value.get_ref()).ok_or_else(|| {
        format!(
            "unknown severity `{}` (critical, high, medium, low, info)",
            value.get_ref()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::source::{FileId, Span};

    const KNOWN: [&str; 6] = ["ACR001", "ACR002", "ACR004", "ACR006", "ACR010", "ACR012"];

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("repo/.acrlint.toml"), &KNOWN)
    }

    fn err(text: &str) -> (usize, usize, String) {
        let e = parse(text).unwrap_err();
        (e.line, e.column, e.message)
    }

    #[test]
    fn every_key() {
        let c = parse(
            r#"
select = ["ACR0"]
ignore = ["acr012"]
exclude = ["examples/**"]
follow-links = true
respect-gitignore = false
fail-on = "medium"
dns = "external"
var-files = ["env/prod.tfvars"]
parameter-files = ["arm/prod.parameters.json"]

[severity]
ACR012 = "medium"
acr001 = "Critical"
"#,
        )
        .unwrap();
        assert_eq!(c.select, ["ACR0"]);
        assert_eq!(c.ignore, ["ACR012"]);
        assert_eq!(c.exclude, ["examples/**"]);
        assert!(c.follow_links && c.no_ignore);
        assert_eq!(c.fail_on, Some(Severity::Medium));
        assert_eq!(c.dns, Dns::External);
        assert_eq!(c.var_files, [PathBuf::from("repo/env/prod.tfvars")]);
        assert_eq!(
            c.parameter_files,
            [PathBuf::from("repo/arm/prod.parameters.json")]
        );
        assert_eq!(c.severity.get("ACR012"), Some(&Severity::Medium));
        assert_eq!(c.severity.get("ACR001"), Some(&Severity::Critical));
    }

    #[test]
    fn empty_file_is_the_default() {
        assert_eq!(parse("").unwrap(), Config::default());
        // Ignore files are respected unless the file says otherwise.
        assert!(!parse("respect-gitignore = true").unwrap().no_ignore);
    }

    #[test]
    fn limits_can_be_raised_except_depths() {
        assert_eq!(parse("").unwrap().limits, crate::limits::Limits::DEFAULT);
        let raised = parse("[limits]\ninstances = 50000\nfile-size = 1000\n").unwrap();
        assert_eq!(raised.limits.instances, 50_000);
        assert_eq!(raised.limits.file_size, 1000);
        assert_eq!(raised.limits.steps, crate::limits::Limits::DEFAULT.steps);
        // Depths guard the stack: fixed, and an unknown key is an error.
        assert!(parse("[limits]\njson-depth = 100000\n").is_err());
        assert!(parse("[limits]\ninstance = 5\n").is_err());
    }

    #[test]
    fn unknown_key_has_its_location() {
        let (line, column, message) = err("select = [\"ACR001\"]\nfail_on = \"high\"\n");
        assert_eq!((line, column), (2, 1));
        assert!(message.contains("unknown field `fail_on`"), "{message}");
    }

    #[test]
    fn bad_values_have_their_location() {
        let (line, column, message) = err("fail-on = \"urgent\"\n");
        assert_eq!((line, column), (1, 11));
        assert!(message.contains("unknown severity `urgent`"));

        let (line, column, message) = err("\n[severity]\nACR012 = \"meh\"\n");
        assert_eq!((line, column), (3, 10));
        assert!(message.contains("`meh`"));

        let (line, column, message) = err("[severity]\nACR099 = \"low\"\n");
        assert_eq!((line, column), (2, 1));
        assert!(message.contains("`ACR099`"));

        let (line, _, message) = err("dns = \"policy\"\n");
        assert_eq!(line, 1);
        assert!(message.contains("\"managed\" or \"external\""));

        let (line, column, message) = err("ignore = [\"ACR001\", \"XYZ\"]\n");
        assert_eq!((line, column), (1, 21));
        assert!(message.contains("`XYZ` is not a rule"), "{message}");
        assert!(message.starts_with("`ignore`: "), "{message}");

        let (_, _, message) = err("select = [\"\"]\n");
        assert!(message.starts_with("`select`: "), "{message}");

        let (line, _, message) = err("exclude = [\"a/**\", \"b/[\"]\n");
        assert_eq!(line, 1);
        assert!(message.contains("invalid glob `b/[`"), "{message}");

        let (line, _, message) = err("select = \"ACR001\"\n");
        assert_eq!(line, 1);
        assert!(message.contains("invalid type"), "{message}");

        let (line, _, _) = err("select = [\n");
        assert!(line >= 1);
    }

    #[test]
    fn selectors_are_ids_prefixes_names_or_all() {
        let sel = |s: &str| rule_selector(s, &KNOWN);
        assert_eq!(sel("acr012").unwrap(), "ACR012");
        assert_eq!(sel("ACR0").unwrap(), "ACR0");
        assert_eq!(sel("all").unwrap(), "ALL");
        assert_eq!(sel("registry-export-allowed").unwrap(), "ACR012");
        let e = sel("ACR999").unwrap_err();
        assert!(e.contains("did you mean `ACR"), "{e}");
        let e = sel("registry-export-alowed").unwrap_err();
        assert!(e.contains("did you mean `registry-export-allowed`?"), "{e}");
        let e = sel("").unwrap_err();
        assert!(!e.contains("did you mean"), "{e}");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        let c = parse("select = [\"registry-export-allowed\", \"ALL\"]\n").unwrap();
        assert_eq!(c.select, ["ACR012", "ALL"]);
    }

    #[test]
    fn command_line_wins() {
        let file = parse(
            "select = [\"ACR00\"]\nignore = [\"ACR012\"]\nexclude = [\"a\"]\nfail-on = \"high\"\nvar-files = [\"x.tfvars\"]\n",
        )
        .unwrap();
        let merged = file.merge(Settings::default());
        assert_eq!(merged.select, ["ACR00"]);
        assert_eq!(merged.ignore, ["ACR012"]);
        assert_eq!(merged.fail_on, Some(Severity::High));
        assert_eq!(merged.var_files, [PathBuf::from("repo/x.tfvars")]);

        let cli = Settings {
            select: vec!["ACR001".into()],
            ignore: vec!["ACR002".into()],
            exclude: vec!["b".into()],
            fail_on: Some(Severity::Info),
            var_files: vec!["cli.tfvars".into()],
            parameter_files: vec![],
        };
        let merged = file.merge(cli);
        assert_eq!(merged.select, ["ACR001"]);
        assert_eq!(merged.ignore, ["ACR002"]);
        assert_eq!(merged.exclude, ["a", "b"]);
        assert_eq!(merged.fail_on, Some(Severity::Info));
        assert_eq!(merged.var_files, [PathBuf::from("cli.tfvars")]);
    }

    #[test]
    fn external_dns_turns_off_the_zone_rules() {
        let c = parse("dns = \"external\"\nignore = [\"ACR004\"]\n").unwrap();
        assert_eq!(c.merge(Settings::default()).ignore, ["ACR004", "ACR006"]);
        let cli = Settings {
            ignore: vec!["ACR012".into()],
            ..Settings::default()
        };
        assert_eq!(c.merge(cli).ignore, ["ACR012", "ACR004", "ACR006"]);
        let managed = parse("dns = \"managed\"\n").unwrap();
        assert!(managed.merge(Settings::default()).ignore.is_empty());
    }

    #[test]
    fn severity_overrides_apply_to_findings() {
        let c = parse("[severity]\nACR012 = \"info\"\n").unwrap();
        let span = Span::new(FileId(0), 0..1);
        let mk = |rule: &'static str| Finding {
            rule,
            name: "n",
            severity: Severity::High,
            message: String::new(),
            resource: String::new(),
            header: span,
            attribute: String::new(),
            primary: Label::new(span, ""),
            related: vec![],
            help: String::new(),
            depends_on_files: vec![],
            fix_intent: None,
            fix: None,
        };
        let mut findings = vec![mk("ACR012"), mk("ACR001")];
        apply_severity(&mut findings, &c.severity);
        assert_eq!(findings[0].severity, Severity::Info);
        assert_eq!(findings[1].severity, Severity::High);
    }

    #[test]
    fn discovery_walks_up_to_the_repository_root() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let module = root.join("infra/acr");
        std::fs::create_dir_all(&module).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(module.join("main.tf"), "").unwrap();
        // Above the repository: never read.
        std::fs::write(tmp.path().join(FILE_NAME), "fail-on = \"info\"\n").unwrap();
        assert_eq!(Config::discover(&module).unwrap(), None);

        std::fs::write(root.join(FILE_NAME), "fail-on = \"high\"\n").unwrap();
        let (path, c) = Config::discover(&module.join("main.tf")).unwrap().unwrap();
        assert_eq!(path, std::path::absolute(root.join(FILE_NAME)).unwrap());
        assert_eq!(c.fail_on, Some(Severity::High));

        // The nearest file wins.
        std::fs::write(module.join(FILE_NAME), "fail-on = \"medium\"\n").unwrap();
        let (_, c) = Config::discover(&module).unwrap().unwrap();
        assert_eq!(c.fail_on, Some(Severity::Medium));

        // The first path with a configuration wins.
        let other = root.join("other");
        std::fs::create_dir_all(&other).unwrap();
        let (_, c) = Config::discover_for(&[other.clone(), module.clone()])
            .unwrap()
            .unwrap();
        assert_eq!(c.fail_on, Some(Severity::High));
        let (_, c) = Config::discover_for(&[module.clone(), other])
            .unwrap()
            .unwrap();
        assert_eq!(c.fail_on, Some(Severity::Medium));

        // A malformed file found on the way is an error, not skipped.
        std::fs::write(module.join(FILE_NAME), "fail-on = 3\n").unwrap();
        let e = Config::discover(&module).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.path.ends_with("infra/acr/.acrlint.toml"));
    }

    #[test]
    fn a_path_in_the_file_that_cannot_be_read_names_the_file_and_key() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(FILE_NAME);
        std::fs::create_dir(tmp.path().join("env")).unwrap();
        std::fs::write(tmp.path().join("env/dev.tfvars"), "").unwrap();
        let text =
            "var-files = [\"env/dev.tfvars\", \"env/prod.tfvars\"]\nparameter-files = [\"env\"]\n";
        let c = Config::parse(text, &path, &KNOWN).unwrap();
        let e = c.check_files("var-files").unwrap_err();
        assert_eq!(
            (e.path.as_path(), e.line, e.column),
            (path.as_path(), 1, 32)
        );
        assert!(
            e.message
                .starts_with("`var-files`: cannot read `env/prod.tfvars` ("),
            "{}",
            e.message
        );
        let e = c.check_files("parameter-files").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.ends_with("it is not a file"), "{}", e.message);
        assert!(
            Config::parse("var-files = [\"env/dev.tfvars\"]\n", &path, &KNOWN)
                .unwrap()
                .check_files("var-files")
                .is_ok()
        );
    }

    #[test]
    fn unreadable_file() {
        let e = Config::load(Path::new("/nonexistent/.acrlint.toml")).unwrap_err();
        assert_eq!(e.line, 0);
        assert!(e
            .to_string()
            .starts_with("/nonexistent/.acrlint.toml: cannot read"));
    }
}
