//! `--format github`: GitHub Actions workflow commands, one per finding
//! (`::error file=…,line=…,col=…,title=…::message`), which the runner turns into
//! annotations on the pull request. Info findings become `notice`.

use super::{Emitter, FileReport, Summary};
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub struct Github;

/// Escapes a message (`%`, CR, LF), as the workflow-command syntax requires.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Emitter for Github {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        for f in &report.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = f.message.clone();
            if let Some(fix) = &f.fix {
                message.push_str(&format!(" (fix: {fix})"));
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},title={}::{}",
                escape_property(&report.path),
                f.line,
                f.column,
                escape_property(&format!("{} {}", f.code.id(), f.code.name())),
                escape_data(&message)
            )?;
        }
        Ok(())
    }

    fn error(&mut self, out: &mut dyn Write, path: &str, message: &str) -> io::Result<()> {
        writeln!(
            out,
            "::error file={},title=declass::{}",
            escape_property(path),
            escape_data(message)
        )
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
