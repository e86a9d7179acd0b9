//! An ARM template expression: the parser and the evaluator.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    acrlint::fuzzing::arm_expression(data);
});
