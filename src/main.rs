//! The `acrlint` command: parse the arguments, run the check, render, exit.
//! Exit codes (fixed): 0 no finding at or above --fail-on; 1 findings at or above it;
//! 2 usage error, unreadable configuration, or a file that could not be parsed.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use acrlint::check::{check, CheckOptions};
use acrlint::config::{Config, Settings};
use acrlint::diagnostic::Severity;
use acrlint::discover::WalkOptions;
use acrlint::load::terraform::VarInput;
use acrlint::render::{self, Format, RenderOptions};
use acrlint::rules;
use acrlint::suppress::baseline::Baseline;
/// The loaders build many small values; mimalloc handles that churn far better than the system
/// allocator (which took about a quarter of a scan's time in profiles).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::builder::TypedValueParser;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "acrlint",
    version,
    about = "Static analyzer for Azure Container Registry private networking in Terraform and ARM/Bicep"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check Terraform and ARM files (default: the current folder).
    Check(Box<CheckArgs>),
    /// List all rules.
    Rules,
    /// Show a rule's full documentation.
    Explain {
        /// Rule id, e.g. ACR001 (or its name).
        id: String,
        /// How to print it [default: terminal on a terminal, markdown otherwise].
        #[arg(long, value_enum)]
        format: Option<ExplainFormat>,
    },
    /// List the Terraform and ARM functions acrlint evaluates.
    Functions,
    /// Serve the Language Server Protocol over stdio, for editors.
    Server,
    /// Print a shell completion script: bash, zsh, fish or powershell.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum ExplainFormat {
    /// Headings set off, paragraphs wrapped, code indented (in colour unless NO_COLOR is set).
    Terminal,
    /// The rule's document as written.
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or folders to check.
    paths: Vec<PathBuf>,
    /// Output format [default: pretty on a terminal, compact otherwise].
    #[arg(long, value_parser = format_parser())]
    format: Option<Format>,
    /// Exit 1 when a finding is at or above this severity [default: low].
    #[arg(long, value_parser = severity_parser())]
    fail_on: Option<Severity>,
    /// Run these rules instead of the default set: ids, prefixes, names, or ALL (comma-separated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules: ids, prefixes or names (comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Configuration file [default: the nearest .acrlint.toml in or above the folder of the first
    /// path that has one, up to the root of its git repository].
    #[arg(long)]
    config: Option<PathBuf>,
    /// Set a Terraform variable (NAME=VALUE); may be repeated.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Read Terraform variables from a file; may be repeated.
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// ARM parameter file applied to the templates checked, or a `.bicepparam` file for the Bicep
    /// file its `using` names (in place of those beside it); may be repeated.
    #[arg(long = "parameters", value_name = "FILE")]
    parameters: Vec<PathBuf>,
    /// A Terraform plan as JSON (`terraform show -json tfplan > tfplan.json`), whatever its
    /// name; may be repeated. Without PATHs, only the plans are checked.
    #[arg(long = "plan", value_name = "FILE")]
    plans: Vec<PathBuf>,
    /// Skip paths matching this glob; may be repeated.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Follow links to folders outside the paths checked (by default they are skipped; links
    /// within them are never followed: their folders are checked under their own names).
    #[arg(long)]
    follow_links: bool,
    /// Check files that .gitignore, .ignore or .git/info/exclude ignore too.
    #[arg(long)]
    no_ignore: bool,
    /// Show what could not be decided because a value is unknown.
    #[arg(long)]
    show_unknown: bool,
    /// List the findings that suppressions and the baseline hide.
    #[arg(long)]
    show_suppressed: bool,
    /// Hide the findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file, and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Colours in pretty output.
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Apply the safe fixes to the files, then report what is left.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: the unsafe fixes too (they change what is deployed: access, cost,
    /// features).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 when there are any.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// Also write the report in FORMAT to FILE, from the same run (for example
    /// `--format github --also sarif=acrlint.sarif`); may be repeated.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_also, conflicts_with = "write_baseline")]
    also: Vec<(Format, PathBuf)>,
}

/// `--format`: the accepted values are listed in `--help` and in the error for a wrong one.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::name))
        .map(|name| Format::parse(&name).expect("a listed format"))
}

/// `--fail-on`: as `--format`.
fn severity_parser() -> impl clap::builder::TypedValueParser<Value = Severity> {
    clap::builder::PossibleValuesParser::new(["critical", "high", "medium", "low", "info"])
        .map(|name| Severity::parse(&name).expect("a listed severity"))
}

/// `--also FORMAT=FILE`: a format `--format` takes and a file to write.
fn parse_also(s: &str) -> Result<(Format, PathBuf), String> {
    let names = Format::ALL.map(Format::name).join(", ");
    let (name, file) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE, got `{s}` (formats: {names})"))?;
    let format = Format::parse(name.trim())
        .ok_or_else(|| format!("unknown format `{name}` (formats: {names})"))?;
    if file.is_empty() {
        return Err(format!("expected FORMAT=FILE, got `{s}`: no file"));
    }
    Ok((format, PathBuf::from(file)))
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("expected NAME=VALUE, got `{s}`"))
}

fn main() -> ExitCode {
    acrlint::check::init_thread_pool();
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (cli, matches) = match parsed {
        Ok(x) => x,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Rules => {
            print!("{}", rules_table());
            ExitCode::SUCCESS
        }
        Command::Explain { id, format } => match rules::all_meta()
            .iter()
            .find(|m| m.id.eq_ignore_ascii_case(&id) || m.name.eq_ignore_ascii_case(&id))
        {
            Some(meta) => {
                let tty = std::io::stdout().is_terminal();
                let doc = explain_markdown(meta);
                let text = match format.unwrap_or(if tty {
                    ExplainFormat::Terminal
                } else {
                    ExplainFormat::Markdown
                }) {
                    ExplainFormat::Markdown => doc,
                    ExplainFormat::Terminal => {
                        let color =
                            tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                        render::markdown::terminal(&doc, output_width(tty), color)
                    }
                };
                print!("{text}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("acrlint: unknown rule `{id}` (see `acrlint rules`)");
                ExitCode::from(2)
            }
        },
        Command::Functions => {
            for (language, names) in acrlint::resolve::evaluated_functions() {
                println!("{language} ({}):", names.len());
                println!("{}\n", wrap_words(&names, output_width(false)));
            }
            println!("Any other function makes the value it feeds unknown (see --show-unknown).");
            ExitCode::SUCCESS
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "acrlint",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Server => match acrlint::server::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("acrlint server: {e}");
                ExitCode::from(1)
            }
        },
        Command::Check(args) => {
            let inputs = var_inputs(&args, matches.subcommand_matches("check"));
            run_check(*args, inputs)
        }
    }
}

/// A rule's whole documentation as one Markdown document.
fn explain_markdown(meta: &rules::RuleMeta) -> String {
    let fix = match meta.fix {
        Some(acrlint::fix::Applicability::Safe) => " `--fix` fixes a value written as a literal.",
        Some(acrlint::fix::Applicability::Unsafe) => {
            " `--fix --unsafe-fixes` fixes a value written as a literal (the fix changes what is \
             deployed)."
        }
        None => "",
    };
    let mut doc = format!(
        "# {} {}\n\nSeverity: {}. {}{fix}\n\n{}\n\n{}\n",
        meta.id,
        meta.name,
        meta.severity,
        if meta.default {
            "On by default."
        } else {
            "Off by default: runs when selected (`--select ALL`, or its id or name)."
        },
        meta.summary,
        meta.body
    );
    if !meta.references.is_empty() {
        doc.push_str("\n## References\n\n");
        for r in &meta.references {
            doc.push_str(&format!("- {r}\n"));
        }
    }
    doc
}

/// The terminal's width when writing to one; else $COLUMNS; else 100.
fn output_width(tty: bool) -> usize {
    let terminal = tty
        .then(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize))
        .flatten();
    terminal
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .unwrap_or(100)
}

/// `acrlint rules`: every rule, with whether it runs without `--select`.
/// Words separated by ", ", in lines of at most `width` characters, indented by two.
fn wrap_words(words: &[&str], width: usize) -> String {
    let mut out = String::new();
    let mut line = String::from(" ");
    for (i, w) in words.iter().enumerate() {
        let sep = if i + 1 < words.len() { "," } else { "" };
        if line.len() + 1 + w.len() + sep.len() > width && !line.trim().is_empty() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(w);
        line.push_str(sep);
    }
    out.push_str(line.trim_end());
    out
}

fn rules_table() -> String {
    let mut out = format!(
        "{:<8} {:<48} {:<8} {:<7} {:<6} {}\n",
        "ID", "NAME", "SEVERITY", "DEFAULT", "FIX", "SUMMARY"
    );
    for m in rules::all_meta() {
        let fix = m.fix.map_or("-", acrlint::fix::Applicability::as_str);
        out.push_str(&format!(
            "{:<8} {:<48} {:<8} {:<7} {:<6} {}\n",
            m.id,
            m.name,
            m.severity.as_str(),
            if m.default { "on" } else { "off" },
            fix,
            m.summary
        ));
    }
    out.push_str(
        "\nRules marked off are hardening advice: they run only when selected \
         (--select ALL, or their id or name). FIX: what `check --fix` does for a value written \
         as a literal: safe fixes by default, unsafe ones (they change access, cost or features) \
         with --unsafe-fixes.\n",
    );
    out
}

/// `--select` and `--ignore` entries as the configuration file takes them: an unknown id is a
/// usage error with the closest id suggested, never a silently empty selection.
fn rule_selectors(flag: &str, items: Vec<String>) -> Result<Vec<String>, String> {
    let ids = rules::ids();
    items
        .into_iter()
        .filter(|item| !item.trim().is_empty())
        .map(|item| {
            acrlint::config::rule_selector(&item, &ids).map_err(|m| format!("--{flag}: {m}"))
        })
        .collect()
}

/// `--var` and `--var-file` in the order they were given: Terraform applies them in that order.
fn var_inputs(args: &CheckArgs, matches: Option<&ArgMatches>) -> Vec<VarInput> {
    let indices = |id: &str| -> Vec<usize> {
        matches
            .and_then(|m| m.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_default()
    };
    let vars = indices("vars").into_iter().zip(
        args.vars
            .iter()
            .map(|(k, v)| VarInput::Var(k.clone(), v.clone())),
    );
    let files = indices("var_files")
        .into_iter()
        .zip(args.var_files.iter().map(|f| VarInput::File(f.clone())));
    let mut all: Vec<(usize, VarInput)> = vars.chain(files).collect();
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, v)| v).collect()
}

fn write_file(path: &std::path::Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("acrlint: {message}");
    ExitCode::from(2)
}

/// `--diff`: the changes the fixes would make, as a unified diff; exit 1 when there are any.
fn print_diff(report: &acrlint::report::Report, unsafe_fixes: bool) -> ExitCode {
    let changes = acrlint::fix::apply::changes(report, unsafe_fixes);
    let mut out = String::new();
    for change in &changes {
        out.push_str(&acrlint::fix::apply::diff(change));
    }
    if let Err(e) = std::io::stdout().write_all(out.as_bytes()) {
        return fail(e.to_string());
    }
    let fixes: usize = changes.iter().map(|c| c.fixes).sum();
    eprintln!(
        "acrlint: {fixes} fix(es) in {} file(s) would be applied",
        changes.len()
    );
    ExitCode::from(u8::from(!changes.is_empty()))
}

fn run_check(args: CheckArgs, inputs: Vec<VarInput>) -> ExitCode {
    // Two reports written to one file would leave only the last: refuse before any work.
    let mut destinations: Vec<&PathBuf> = args.output.iter().collect();
    for (_, file) in &args.also {
        if destinations.contains(&file) {
            return fail(format!(
                "{} is named by more than one of --output and --also",
                file.display()
            ));
        }
        destinations.push(file);
    }
    let config = match &args.config {
        Some(path) => Config::load(path).map(Some),
        None => Config::discover_for(&args.paths).map(|found| found.map(|(_, c)| c)),
    };
    let config = match config {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => return fail(e),
    };
    // Before anything is read: the limits bound reading too.
    acrlint::limits::set(config.limits);
    let cli_var_files = !args.var_files.is_empty();
    // The file's paths are used unless the command line replaces them: then they must be readable,
    // and an error names the configuration file and key rather than only the missing path.
    for (key, replaced) in [
        ("var-files", cli_var_files),
        ("parameter-files", !args.parameters.is_empty()),
    ] {
        if let Err(e) = config
            .check_files(key)
            .or_else(|e| if replaced { Ok(()) } else { Err(e) })
        {
            return fail(e);
        }
    }
    let (select, ignore) = match (
        rule_selectors("select", args.select),
        rule_selectors("ignore", args.ignore),
    ) {
        (Ok(select), Ok(ignore)) => (select, ignore),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    let mut settings = config.merge(Settings {
        select,
        ignore,
        exclude: args.exclude,
        fail_on: args.fail_on,
        var_files: args.var_files,
        parameter_files: args.parameters,
    });
    // The configuration's var-files apply first; command-line ones replace them, and come in
    // `inputs`, in order with `--var`.
    if cli_var_files {
        settings.var_files.clear();
    }
    let fail_on = settings.fail_on;
    let baseline = match &args.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(e) => return fail(e),
        },
        None => None,
    };
    let opts = CheckOptions {
        paths: args.paths,
        plans: args.plans,
        walk: WalkOptions {
            follow_links: args.follow_links || config.follow_links,
            no_ignore: args.no_ignore || config.no_ignore,
        },
        baseline,
        chains: args.format.is_some_and(Format::draws_chains)
            || args.also.iter().any(|(f, _)| f.draws_chains()),
        fixes: args.fix
            || args.diff
            || args.format.is_some_and(Format::shows_fixes)
            || args.also.iter().any(|(f, _)| f.shows_fixes()),
        ..CheckOptions::configured(&config, settings, inputs)
    };
    let report = match check(&opts) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if args.diff {
        return print_diff(&report, args.unsafe_fixes);
    }
    let report = if args.fix {
        match acrlint::fix::apply::fix(&opts, report, args.unsafe_fixes) {
            Ok((report, done)) => {
                eprintln!(
                    "acrlint: applied {} fix(es) in {} file(s)",
                    done.applied,
                    done.files.len()
                );
                report
            }
            Err(e) => return fail(e),
        }
    } else {
        report
    };
    if let Some(path) = &args.write_baseline {
        return match write_file(path, &Baseline::from_report(&report).to_json()) {
            Ok(()) => {
                eprintln!(
                    "acrlint: recorded {} finding(s) in {}",
                    report.findings.len(),
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    }
    for stale in &report.baseline_stale {
        eprintln!(
            "acrlint: baseline entry no longer occurs: {} {} {} (it can be removed)",
            stale.path, stale.rule, stale.resource
        );
    }
    let stdout_tty = std::io::stdout().is_terminal() && args.output.is_none();
    let format = args.format.unwrap_or(if stdout_tty {
        Format::Pretty
    } else {
        Format::Compact
    });
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let width = output_width(stdout_tty);
    let render_opts = RenderOptions {
        color,
        width,
        show_unknown: args.show_unknown,
        show_suppressed: args.show_suppressed,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    let text = render::render(format, &report, &render_opts);
    let written = match &args.output {
        Some(path) => write_file(path, &text),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string()),
    };
    // Every report is written that can be, in the order given; a file that cannot be is an error.
    let mut write_failed = written.map_err(|e| eprintln!("acrlint: {e}")).is_err();
    let file_opts = RenderOptions {
        color: false,
        width: output_width(false),
        ..render_opts
    };
    for (also_format, path) in &args.also {
        let text = render::render(*also_format, &report, &file_opts);
        if let Err(e) = write_file(path, &text) {
            eprintln!("acrlint: {e}");
            write_failed = true;
        }
    }
    if write_failed {
        return ExitCode::from(2);
    }
    let code = if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if report
        .findings
        .iter()
        .any(|f| f.severity.at_least(fail_on.unwrap_or(Severity::Low)))
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends next: freeing every file's text and tree first would only delay it.
    std::mem::forget(report);
    code
}
