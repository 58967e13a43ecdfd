//! `.declass.yaml`: which rules run at which severity, which paths are audited, and the
//! failure threshold.
//!
//! ```yaml
//! rules:
//!   DCL004: off              # or info | warning | error; a code or its name
//!   declassification-due: warning
//! include: ["cables/**"]     # globs: * ? ** (see `glob`)
//! exclude: ["cables/drafts"]
//! fail-on: warning           # info | warning | error | never
//! ```
//!
//! Read in two stages, as a linter's config should be: serde reads raw types that deny
//! unknown keys (serde-saphyr reports those with line and column); then [`validate`]
//! checks every value and reports all problems at once, each with its line and column,
//! so a user fixes the file in one round. No I/O: the CLI finds and reads the file.

use super::glob::Glob;
use crate::diagnostic::{Code, Severity};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The file name looked for, from the working directory upward.
pub const FILE_NAME: &str = ".declass.yaml";

/// The lowest severity that makes `declass audit` exit 1; `Never` never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    At(Severity),
    Never,
}

impl FailOn {
    pub const CHOICES: &'static str = "info, warning, error, never";

    pub fn from_name(name: &str) -> Option<FailOn> {
        match name.trim().to_ascii_lowercase().as_str() {
            "never" => Some(FailOn::Never),
            other => Severity::from_name(other).map(FailOn::At),
        }
    }

    /// Does a finding of `severity` fail the run?
    pub fn fails(self, severity: Severity) -> bool {
        matches!(self, FailOn::At(threshold) if severity >= threshold)
    }
}

/// A validated configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Per-code override: `None` turns the rule off.
    pub rules: BTreeMap<Code, Option<Severity>>,
    pub include: Vec<Glob>,
    pub exclude: Vec<Glob>,
    pub fail_on: Option<FailOn>,
}

impl Config {
    /// The severity a finding of `code` is reported at, or `None` when the rule is off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        self.rules
            .get(&code)
            .copied()
            .unwrap_or(Some(code.severity()))
    }

    /// Is the file at `path` (relative to the config's directory, `/`-separated) audited?
    pub fn selects(&self, path: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|g| g.matches(path)))
            && !self.exclude.iter().any(|g| g.matches(path))
    }
}

/// One problem in a config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// Every problem found in a config file, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{}:{}: {}", p.line, p.column, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    rules: HashMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
}

/// Parses and validates a config file's text.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    let raw: RawConfig = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let rendered = e.without_snippet().to_string();
        // The plain rendering ends in its own " at line N column M"; we print the place first.
        let message = match rendered.rfind(" at line ") {
            Some(i) => rendered[..i].to_string(),
            None => rendered,
        };
        ConfigError {
            problems: vec![Problem {
                line,
                column,
                message: message.trim().to_string(),
            }],
        }
    })?;
    validate(raw)
}

fn validate(raw: RawConfig) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    let mut problems = Vec::new();
    let mut problem = |at: &serde_saphyr::Location, message: String| {
        problems.push(Problem {
            line: at.line(),
            column: at.column(),
            message,
        });
    };
    let mut rules: Vec<_> = raw.rules.into_iter().collect();
    rules.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    for (key, value) in rules {
        let Some(code) = Code::from_id(&key.value) else {
            problem(
                &key.referenced,
                format!(
                    "unknown rule `{}`; `declass explain --list` lists the codes",
                    key.value
                ),
            );
            continue;
        };
        let setting = match value.value.trim().to_ascii_lowercase().as_str() {
            "off" | "false" => None,
            other => match Severity::from_name(other) {
                Some(s) => Some(s),
                None => {
                    problem(
                        &value.referenced,
                        format!(
                            "invalid setting `{}` for {}; expected one of: off, info, warning, error",
                            value.value,
                            code.id()
                        ),
                    );
                    continue;
                }
            },
        };
        config.rules.insert(code, setting);
    }
    if let Some(fail_on) = raw.fail_on {
        match FailOn::from_name(&fail_on.value) {
            Some(f) => config.fail_on = Some(f),
            None => problem(
                &fail_on.referenced,
                format!(
                    "invalid fail-on `{}`; expected one of: {}",
                    fail_on.value,
                    FailOn::CHOICES
                ),
            ),
        }
    }
    config.include = raw.include.iter().map(|p| Glob::new(p)).collect();
    config.exclude = raw.exclude.iter().map(|p| Glob::new(p)).collect();
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(ConfigError { problems })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config() {
        let c = parse(
            "rules:\n  DCL004: off\n  declassification-due: warning\ninclude: [\"**/*.txt\"]\nexclude: [drafts]\nfail-on: warning\n",
        )
        .unwrap();
        assert_eq!(c.severity(Code::LegacyMarking), None);
        assert_eq!(
            c.severity(Code::DeclassificationDue),
            Some(Severity::Warning)
        );
        assert_eq!(c.severity(Code::UnmarkedParagraph), Some(Severity::Error));
        assert_eq!(c.fail_on, Some(FailOn::At(Severity::Warning)));
        assert!(c.selects("cables/x.txt"));
        assert!(!c.selects("drafts/x.txt"));
        assert!(!c.selects("cables/x.md"));
    }

    #[test]
    fn unknown_key_has_line_and_column() {
        let e = parse("rules:\n  DCL004: off\nfail_on: error\n").unwrap_err();
        assert_eq!((e.problems[0].line, e.problems[0].column), (3, 1), "{e}");
        assert!(e.problems[0].message.contains("fail_on"), "{e}");
    }

    #[test]
    fn every_bad_value_is_reported_at_once() {
        let e = parse("rules:\n  DCL999: off\n  DCL004: loud\nfail-on: sometimes\n").unwrap_err();
        let places: Vec<(u64, u64)> = e.problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(places, [(2, 3), (3, 11), (4, 10)], "{e}");
    }

    #[test]
    fn empty_file_is_the_default() {
        assert_eq!(parse("# nothing\n").unwrap(), Config::default());
    }
}
