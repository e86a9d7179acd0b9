//! A Terraform module of one `main.tf.json` (Terraform's JSON syntax).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    acrlint::fuzzing::tf_json_module(data);
});
