//! An HCL expression and string template: the parser and the evaluator.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    acrlint::fuzzing::hcl_expression(data);
});
