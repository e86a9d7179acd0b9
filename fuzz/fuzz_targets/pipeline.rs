//! The whole run (discovery, every loader, rules, suppressions, every output format) on a folder
//! of generated files: see `acrlint::fuzzing::pipeline_files` for how an input names its files.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// One folder per process, emptied for each input (libFuzzer's `-fork`/`-jobs` run several).
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        std::env::temp_dir().join(format!("acrlint-fuzz-pipeline-{}", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    acrlint::fuzzing::pipeline(root(), data);
});
