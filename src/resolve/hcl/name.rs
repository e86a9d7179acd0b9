//! [`Name`]: the immutable strings of the expression tree and the configuration model.

/// A string that keeps up to 24 bytes inline (as ruff's `Name` does). Identifiers, attribute
/// names, labels and most short literals fit, so building (and dropping) a configuration needs
/// far fewer heap allocations than with `String`.
pub type Name = compact_str::CompactString;
