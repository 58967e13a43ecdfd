//! `--format human`: `file:line:col: CODE severity: message`, the excerpt with a caret
//! under the column, then a summary with counts per code. Colour only when asked
//! (the CLI decides from `--color`, `NO_COLOR` and whether stdout is a terminal).

use super::{Emitter, FileReport, Summary};
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub struct Human {
    color: bool,
}

impl Human {
    pub fn new(color: bool) -> Human {
        Human { color }
    }

    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity_style(severity: Severity) -> &'static str {
        match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        }
    }
}

const BOLD: &str = "1";
const GUTTER: &str = "34";

impl Emitter for Human {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        for f in &report.findings {
            let style = Self::severity_style(f.severity);
            writeln!(
                out,
                "{}: {} {}: {}",
                self.paint(BOLD, &format!("{}:{}:{}", report.path, f.line, f.column)),
                self.paint(BOLD, f.code.id()),
                self.paint(style, f.severity.as_str()),
                f.message
            )?;
            let number = f.line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(
                out,
                "{} {}",
                self.paint(GUTTER, &format!("{number} |")),
                f.excerpt.text
            )?;
            let mut caret = format!("{}^", " ".repeat(f.excerpt.caret));
            if let Some(fix) = &f.fix {
                caret.push_str(&format!(" fix: {fix}"));
            }
            writeln!(
                out,
                "{} {}",
                self.paint(GUTTER, &format!("{pad} |")),
                self.paint(style, &caret)
            )?;
        }
        Ok(())
    }

    fn error(&mut self, _out: &mut dyn Write, _path: &str, _message: &str) -> io::Result<()> {
        // The CLI reports unreadable files on stderr, whatever the format.
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let files = plural(summary.files, "file", "files");
        let failed = if summary.failed > 0 {
            format!(
                ", {} could not be read",
                plural(summary.failed, "file", "files")
            )
        } else {
            String::new()
        };
        if summary.findings() == 0 {
            return writeln!(out, "No findings in {files}{failed}.");
        }
        writeln!(
            out,
            "Found {} in {files}{failed}: {}, {}, {} info.",
            plural(summary.findings(), "finding", "findings"),
            plural(summary.count(Severity::Error), "error", "errors"),
            plural(summary.count(Severity::Warning), "warning", "warnings"),
            summary.count(Severity::Info),
        )?;
        for (code, n) in &summary.by_code {
            writeln!(out, "  {} {:<32} {n:>6}", code.id(), code.name())?;
        }
        Ok(())
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
