//! `.acrlint.toml` on disk: discovery, precedence with the command line, and errors.

use std::path::{Path, PathBuf};

use acrlint::config::{Config, Dns, Settings, FILE_NAME};
use acrlint::diagnostic::Severity;

const KNOWN: [&str; 12] = [
    "ACR001", "ACR002", "ACR003", "ACR004", "ACR005", "ACR006", "ACR007", "ACR008", "ACR009",
    "ACR010", "ACR011", "ACR012",
];

/// A repository: `repo/.git`, `repo/infra/{hub,spoke}` with Terraform files.
fn repo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    for dir in [".git", "infra/hub", "infra/spoke"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::write(root.join("infra/hub/main.tf"), "").unwrap();
    std::fs::write(root.join("infra/spoke/main.tf"), "").unwrap();
    (tmp, root)
}

#[test]
fn discovery_from_files_and_folders() {
    let (_tmp, root) = repo();
    let hub = root.join("infra/hub");
    assert_eq!(Config::discover(&hub).unwrap(), None);

    std::fs::write(
        root.join(FILE_NAME),
        "dns = \"external\"\nvar-files = [\"env/prod.tfvars\"]\n",
    )
    .unwrap();
    for start in [hub.clone(), hub.join("main.tf"), root.clone()] {
        let (path, cfg) = Config::discover(&start).unwrap().expect("found");
        assert_eq!(path.file_name().unwrap(), FILE_NAME);
        assert_eq!(cfg.dns, Dns::External);
        // Paths in the file are relative to the file.
        assert_eq!(
            cfg.var_files,
            [path.parent().unwrap().join("env/prod.tfvars")]
        );
    }

    // The nearest file wins over the repository's.
    std::fs::write(hub.join(FILE_NAME), "fail-on = \"critical\"\n").unwrap();
    let (_, cfg) = Config::discover(&hub.join("main.tf")).unwrap().unwrap();
    assert_eq!(
        (cfg.dns, cfg.fail_on),
        (Dns::Managed, Some(Severity::Critical))
    );

    // Several paths: the first one that has a configuration decides.
    let spoke = root.join("infra/spoke");
    let (_, cfg) = Config::discover_for(&[spoke.join("main.tf"), hub.join("main.tf")])
        .unwrap()
        .unwrap();
    assert_eq!(cfg.dns, Dns::External);
}

#[test]
fn errors_name_file_line_and_column() {
    let (_tmp, root) = repo();
    let path = root.join(FILE_NAME);
    std::fs::write(
        &path,
        "# acrlint\ndns = \"managed\"\n\nexclude = []\nfail-on = \"severe\"\n",
    )
    .unwrap();
    let e = Config::discover(&root.join("infra/hub")).unwrap_err();
    assert_eq!(e.path, path);
    assert_eq!((e.line, e.column), (5, 11));
    assert_eq!(
        e.to_string(),
        format!(
            "{}:5:11: unknown severity `severe` (critical, high, medium, low, info)",
            path.display()
        )
    );

    std::fs::write(&path, "selct = [\"ACR001\"]\n").unwrap();
    let e = Config::load(&path).unwrap_err();
    assert_eq!((e.line, e.column), (1, 1));
    assert!(e.message.contains("unknown field `selct`"), "{}", e.message);

    std::fs::write(&path, "fail-on = \"high\"\nfail-on = \"low\"\n").unwrap();
    let e = Config::load(&path).unwrap_err();
    assert_eq!(e.line, 2);
}

#[test]
fn precedence_file_then_command_line() {
    let text = r#"
select = ["ACR0"]
ignore = ["ACR012"]
exclude = ["examples/**"]
fail-on = "high"
dns = "external"
parameter-files = ["prod.parameters.json"]

[severity]
ACR003 = "low"
"#;
    let cfg = Config::parse(text, Path::new("/repo/.acrlint.toml"), &KNOWN).unwrap();

    let only_file = cfg.merge(Settings::default());
    assert_eq!(only_file.select, ["ACR0"]);
    assert_eq!(only_file.ignore, ["ACR012", "ACR004", "ACR006"]);
    assert_eq!(only_file.exclude, ["examples/**"]);
    assert_eq!(only_file.fail_on, Some(Severity::High));
    assert_eq!(
        only_file.parameter_files,
        [PathBuf::from("/repo/prod.parameters.json")]
    );

    let cli = Settings {
        select: vec!["ACR001".into(), "ACR003".into()],
        ignore: vec![],
        exclude: vec!["vendor/**".into()],
        fail_on: Some(Severity::Low),
        var_files: vec![],
        parameter_files: vec!["dev.parameters.json".into()],
    };
    let merged = cfg.merge(cli);
    assert_eq!(merged.select, ["ACR001", "ACR003"]);
    assert_eq!(merged.ignore, ["ACR012", "ACR004", "ACR006"]);
    assert_eq!(merged.exclude, ["examples/**", "vendor/**"]);
    assert_eq!(merged.fail_on, Some(Severity::Low));
    assert_eq!(
        merged.parameter_files,
        [PathBuf::from("dev.parameters.json")]
    );

    // No file at all: the command line as given.
    assert_eq!(
        Config::default().merge(Settings::default()),
        Settings::default()
    );
}
