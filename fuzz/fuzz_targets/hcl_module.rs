//! A Terraform module of one `main.tf` in HCL: parsing, evaluation, expansion, the model.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    acrlint::fuzzing::hcl_module(data);
});
