//! Validation in two stages and a rule analysis, each collecting every problem it finds with its line and
//! column.
//!
//! 1. [`check_tree`] walks the located YAML tree against the schema table of
//!    [`super::raw`]: unknown keys (with "did you mean"), duplicate keys, missing keys,
//!    wrong types, and every scalar value: levels, controls, origins, exemption codes,
//!    dates, actions and regexes (compiled, with the position of a syntax error).
//! 2. [`build`] turns the typed raw policy into a [`Policy`] and checks what spans
//!    several keys: an action and its codes, rule names, the declassification authority,
//!    rules that can never match or are shadowed by an earlier rule, a default of
//!    `release`.
//!
//! Stage two runs only on a tree stage one passed, so that its findings are never echoes
//! of a stage-one error.

use super::model::*;

/// Policies with more rules than this are refused: loading and deciding are linear in
/// the number of rules, and a release tries each rule on each portion in turn.
pub const MAX_RULES: usize = 20_000;
/// Regex sources longer than this are refused.
pub const MAX_REGEX_BYTES: usize = 10 * 1024;
/// Compiled regex programs larger than this are refused.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

mod analyse;
mod build;
mod tree;

pub use build::build;
pub use tree::{check_tree, compile_regex, parse_control, parse_level};

#[cfg(test)]
mod tests;
