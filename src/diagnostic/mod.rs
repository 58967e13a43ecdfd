//! Diagnostics: findings about a document, as opposed to errors that stop a job.
//!
//! The parser records every repair it makes (a renumbered paragraph, a joined fragment, an
//! unknown mark) as a [`Diagnostic`]; the audit adds its own findings; the reporters print
//! them. Every code is defined once, in [`codes`].

pub mod codes;

pub use codes::{Code, Severity};
use serde::Serialize;

/// One finding, located in the source text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    /// 1-based line of the finding.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub message: String,
    /// A suggested replacement (e.g. the canonical form of a legacy mark).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            line,
            column,
            message: message.into(),
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Diagnostic {
        self.fix = Some(fix.into());
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}
