//! Replays every input under `fuzz/regressions/<target>/` through that fuzz target's entry point
//! (`acrlint::fuzzing`): inputs that once crashed, hung or exhausted memory, found by `cargo fuzz`
//! (see `.ci/fuzz.sh`) or by hand. Each must now return, without a loader's panic net firing.

use std::fs;
use std::path::Path;

use acrlint::fuzzing;

fn replay(target: &str, data: &[u8]) {
    match target {
        "hcl_module" => drop(fuzzing::hcl_module(data)),
        "tf_json" => drop(fuzzing::tf_json_module(data)),
        "tfvars" => drop(fuzzing::tfvars(data)),
        "json" => fuzzing::json(data),
        "arm_template" => drop(fuzzing::arm_template(data)),
        "arm_expression" => drop(fuzzing::arm_expression(data)),
        "hcl_expression" => drop(fuzzing::hcl_expression(data)),
        "bicep" => drop(fuzzing::bicep(data)),
        "plan" => drop(fuzzing::plan(data)),
        "pipeline" => {
            let root =
                std::env::temp_dir().join(format!("acrlint-regression-{}", std::process::id()));
            drop(fuzzing::pipeline(&root, data));
            let _ = fs::remove_dir_all(root);
        }
        other => panic!("fuzz/regressions/{other}: no fuzz target of that name"),
    }
}

#[test]
fn every_regression_input_returns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for target in fs::read_dir(&root).expect("fuzz/regressions") {
        let target = target.unwrap().path();
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        for input in fs::read_dir(&target).unwrap() {
            let input = input.unwrap().path();
            eprintln!("{}", input.display());
            replay(&name, &fs::read(&input).unwrap());
            replayed += 1;
        }
    }
    // The folder is not empty: an empty one would make this test pass without replaying anything.
    assert!(
        replayed >= 8,
        "only {replayed} inputs under fuzz/regressions"
    );
}
