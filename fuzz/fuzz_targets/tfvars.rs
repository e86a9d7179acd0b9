//! A `terraform.tfvars` (or `.tfvars.json`) for a fixed module that declares typed variables.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    acrlint::fuzzing::tfvars(data);
});
