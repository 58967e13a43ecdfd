//! Reports: `Diagnostics ──report──▶ human | JSON | JSON Lines | SARIF | GitHub annotations`.
//!
//! The audit hands each file's findings to an [`Emitter`], one per output format, each in
//! its own file. Emitters see findings with their effective severity (after the config)
//! and a short excerpt of the line, never more of the document: audit output may end up
//! in public CI logs, so it carries marking tokens and field values, not paragraph text.
//! Emitters write to the writer they are given; the CLI owns stdout.

pub mod github;
pub mod human;
pub mod json;
pub mod jsonl;
mod pretty;
pub mod sarif;

use crate::diagnostic::{Code, Diagnostic, Severity};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// One finding, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    /// The effective severity: the code's default unless the config changed it.
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub fix: Option<String>,
    pub excerpt: Excerpt,
}

impl Finding {
    /// A finding from a diagnostic, with `source` the line it points at.
    pub fn new(d: Diagnostic, severity: Severity, source: &str) -> Finding {
        Finding {
            code: d.code,
            severity,
            line: d.line,
            column: d.column,
            excerpt: Excerpt::around(source, d.column),
            message: d.message,
            fix: d.fix,
        }
    }
}

/// A short window of the source line around the finding's column, with the caret's place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// 0-based character offset of the caret in `text`.
    pub caret: usize,
}

impl Excerpt {
    /// Characters kept before and after the column.
    const BEFORE: usize = 12;
    const AFTER: usize = 24;

    /// The window of `line` around the 1-based character `column` (clamped to the line's
    /// end), control characters shown as spaces, with `…` where the line goes on. Only
    /// the window is copied: findings are many, and most lines are longer than it.
    pub fn around(line: &str, column: usize) -> Excerpt {
        // In ASCII (most cables) characters are bytes: no walk to count or find them.
        let ascii = line.is_ascii();
        let total = if ascii {
            line.len()
        } else {
            line.chars().count()
        };
        let at = column.saturating_sub(1).min(total);
        let start = at.saturating_sub(Self::BEFORE);
        let end = (at + Self::AFTER).min(total);
        let window = if ascii {
            &line[start..end]
        } else {
            let rest = &line[byte_offset(line, start)..];
            &rest[..byte_offset(rest, end - start)]
        };
        let mut text = String::with_capacity(window.len() + 2 * '…'.len_utf8());
        if start > 0 {
            text.push('…');
        }
        text.extend(window.chars().map(|c| if c.is_control() { ' ' } else { c }));
        text.truncate(text.trim_end().len());
        if end < total {
            text.push('…');
        }
        Excerpt {
            caret: at - start + usize::from(start > 0),
            text,
        }
    }
}

/// The byte offset of the `n`th character of `s` (its length when `s` is shorter).
fn byte_offset(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// The findings of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// The path as given on the command line (or found under a directory argument).
    pub path: String,
    pub findings: Vec<Finding>,
}

/// Totals over a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub failed: usize,
    pub by_code: BTreeMap<Code, usize>,
    pub by_severity: BTreeMap<Severity, usize>,
}

impl Summary {
    pub fn add(&mut self, report: &FileReport) {
        self.files += 1;
        for f in &report.findings {
            *self.by_code.entry(f.code).or_default() += 1;
            *self.by_severity.entry(f.severity).or_default() += 1;
        }
    }

    pub fn findings(&self) -> usize {
        self.by_severity.values().sum()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.by_severity.get(&severity).copied().unwrap_or(0)
    }
}

/// One output format.
pub trait Emitter {
    /// A file was audited (with or without findings), in input order.
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()>;
    /// A file could not be audited.
    fn error(&mut self, out: &mut dyn Write, path: &str, message: &str) -> io::Result<()>;
    /// The run is over.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// The output formats of `declass audit --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Sarif,
    Github,
}

/// Builds the emitter for `format`. `color` matters to the human format only.
pub fn emitter(format: Format, color: bool) -> Box<dyn Emitter> {
    match format {
        Format::Human => Box::new(human::Human::new(color)),
        Format::Json => Box::new(json::Json::default()),
        Format::Jsonl => Box::new(jsonl::Jsonl::default()),
        Format::Sarif => Box::new(sarif::Sarif::default()),
        Format::Github => Box::new(github::Github),
    }
}

/// The SARIF and GitHub level of a severity.
pub fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_a_short_window() {
        let line = format!("¶1. (C) {}", "word ".repeat(40));
        let e = Excerpt::around(&line, 5);
        assert!(e.text.starts_with("¶1. (C) word"));
        assert!(e.text.ends_with('…'));
        assert_eq!(e.caret, 4);
        assert!(e.text.chars().count() <= 12 + 24 + 2);
        let far = Excerpt::around(&line, 100);
        assert!(far.text.starts_with('…'));
        assert_eq!(far.text.chars().nth(far.caret), line.chars().nth(99));
    }

    /// The first implementation, which collected the whole line: the window must not
    /// have changed.
    fn whole_line_around(line: &str, column: usize) -> Excerpt {
        let chars: Vec<char> = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let at = column.saturating_sub(1).min(chars.len());
        let start = at.saturating_sub(Excerpt::BEFORE);
        let end = (at + Excerpt::AFTER).min(chars.len());
        let mut text = String::new();
        if start > 0 {
            text.push('…');
        }
        text.extend(&chars[start..end]);
        let mut text = text.trim_end().to_string();
        if end < chars.len() {
            text.push('…');
        }
        Excerpt {
            caret: at - start + usize::from(start > 0),
            text,
        }
    }

    #[test]
    fn excerpt_matches_the_whole_line_version() {
        let lines = [
            String::new(),
            "   ".to_string(),
            "¶1. (C) short".to_string(),
            format!("¶1. (C) {}", "wörd\t ".repeat(20)),
            format!("{}\u{7}x\u{0}  \r", "é".repeat(50)),
            format!("{}end   ", "a ".repeat(30)),
            format!("SECRET\t(S/NF)\u{1b}[0m {}\r", "x".repeat(40)),
        ];
        for line in &lines {
            for column in 0..line.chars().count() + 5 {
                assert_eq!(
                    Excerpt::around(line, column),
                    whole_line_around(line, column),
                    "{line:?} at {column}"
                );
            }
        }
    }
}
