//! One ARM template, loaded as the pipeline loads it (copy loops, conditions, nested deployments).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    acrlint::fuzzing::arm_template(data);
});
