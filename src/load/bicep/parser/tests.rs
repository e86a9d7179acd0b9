use super::*;

fn ok(text: &str) -> File {
    let p = parse(text);
    assert!(p.errors.is_empty(), "errors: {:?}", p.errors);
    p.file
}

#[test]
fn smoke() {
    let f = ok("param x string = 'a'\n");
    assert_eq!(f.items.len(), 1);
}

/// Parse every `.bicep` and `.bicepparam` file under `$ACRLINT_BICEP_CORPUS` and report how many
/// parse without error, the speed, and the first error of each failing file grouped by message:
/// `ACRLINT_BICEP_CORPUS=/tmp/avm cargo test --release --lib bicep_corpus -- --ignored --nocapture`
#[test]
#[ignore]
fn bicep_corpus() {
    let Ok(root) = std::env::var("ACRLINT_BICEP_CORPUS") else {
        eprintln!("ACRLINT_BICEP_CORPUS is not set");
        return;
    };
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if entry.file_type().is_file() && (ext == "bicep" || ext == "bicepparam") {
            if let Ok(text) = std::fs::read_to_string(path) {
                files.push((path.to_path_buf(), ext == "bicepparam", text));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let (mut ok_files, mut bytes, mut params, mut params_ok) = (0usize, 0usize, 0usize, 0usize);
    let started = std::time::Instant::now();
    let mut results = Vec::with_capacity(files.len());
    for (_, _, text) in &files {
        bytes += text.len();
        results.push(parse(text));
    }
    let elapsed = started.elapsed();
    for ((path, is_param, text), parsed) in files.iter().zip(&results) {
        if *is_param {
            params += 1;
        }
        match parsed.errors.first() {
            None => {
                ok_files += 1;
                if *is_param {
                    params_ok += 1;
                }
            }
            Some(e) => {
                let line = text[..e.span.start.min(text.len())].matches('\n').count() + 1;
                groups
                    .entry(e.message.clone())
                    .or_default()
                    .push(format!("{}:{line}", path.display()));
            }
        }
    }
    eprintln!(
        "files: {}, parsed with no error: {} ({:.2}%); .bicepparam: {} ({} with no error)",
        files.len(),
        ok_files,
        100.0 * ok_files as f64 / files.len().max(1) as f64,
        params,
        params_ok
    );
    let secs = elapsed.as_secs_f64();
    eprintln!(
        "{:.1} MB in {:.3} s: {:.1} MB/s",
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
    for (message, places) in &groups {
        eprintln!("{} × {message}", places.len());
        let shown = if std::env::var_os("ACRLINT_BICEP_CORPUS_ALL").is_some() {
            places.len()
        } else {
            5
        };
        for p in places.iter().take(shown) {
            eprintln!("    {p}");
        }
    }
}
