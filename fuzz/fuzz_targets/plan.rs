//! One Terraform plan (`terraform show -json` output), loaded as the pipeline loads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    acrlint::fuzzing::plan(data);
});
