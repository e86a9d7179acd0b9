//! Bicep front end: `.bicep` and `.bicepparam` source parsed with exact spans and lowered to the
//! template representation the ARM loader evaluates, so that a Bicep file and its compiled JSON
//! give the same findings, located on the Bicep lines.

pub mod ast;
mod lexer;
pub mod parser;
