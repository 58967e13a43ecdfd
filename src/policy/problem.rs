//! What can be wrong with a policy file: [`Problem`]s located at file:line:column, and the
//! [`PolicyError`] that refuses a policy (invalid, oversized, too deep, alias bomb).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemSeverity {
    Error,
    Warning,
}

impl fmt::Display for ProblemSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProblemSeverity::Error => "error",
            ProblemSeverity::Warning => "warning",
        })
    }
}

/// One problem in a policy file. Line and column are 1-based (column in characters); 0
/// means the position is not known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: ProblemSeverity,
    pub message: String,
}

impl Problem {
    pub fn error(file: &str, (line, column): (usize, usize), message: impl Into<String>) -> Self {
        Problem {
            file: file.to_string(),
            line,
            column,
            severity: ProblemSeverity::Error,
            message: message.into(),
        }
    }

    pub fn warning(file: &str, (line, column): (usize, usize), message: impl Into<String>) -> Self {
        Problem {
            severity: ProblemSeverity::Warning,
            ..Problem::error(file, (line, column), message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == ProblemSeverity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.severity, self.message
        )
    }
}

/// Why a policy cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyError {
    /// The file was read but has errors: every problem found, warnings included, in file
    /// order.
    Invalid(Vec<Problem>),
    /// Refused before parsing: over the size limit.
    TooLarge {
        file: String,
        bytes: usize,
        limit: usize,
    },
    /// Refused while parsing: nested deeper than the limit.
    TooDeep {
        file: String,
        line: usize,
        column: usize,
        limit: usize,
    },
    /// Refused while parsing: aliases expand to more than the limits allow (an alias bomb),
    /// or the file has more nodes than any policy needs.
    Expansion {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
}

impl PolicyError {
    /// Every problem as a located line, for printing; refusals become one error each.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            PolicyError::Invalid(problems) => problems.clone(),
            PolicyError::TooLarge { file, bytes, limit } => vec![Problem::error(
                file,
                (1, 1),
                format!("policy file is {bytes} bytes, over the {limit}-byte limit; refused"),
            )],
            PolicyError::TooDeep {
                file,
                line,
                column,
                limit,
            } => vec![Problem::error(
                file,
                (*line, *column),
                format!("YAML nested deeper than {limit} levels; refused"),
            )],
            PolicyError::Expansion {
                file,
                line,
                column,
                message,
            } => vec![Problem::error(file, (*line, *column), message.clone())],
        }
    }

    /// The errors only (warnings left out).
    pub fn errors(&self) -> Vec<Problem> {
        self.problems()
            .into_iter()
            .filter(Problem::is_error)
            .collect()
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems().iter().map(Problem::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for PolicyError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column() {
        let p = Problem::error("p.yaml", (3, 7), "unknown key `foo`");
        assert_eq!(p.to_string(), "p.yaml:3:7: error: unknown key `foo`");
        let e = PolicyError::TooDeep {
            file: "deep.yaml".into(),
            line: 65,
            column: 129,
            limit: 64,
        };
        assert_eq!(
            e.to_string(),
            "deep.yaml:65:129: error: YAML nested deeper than 64 levels; refused"
        );
    }
}
