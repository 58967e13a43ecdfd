//! `--format jsonl`: JSON Lines, one object per line, tagged by `type`: a `finding` per
//! finding as soon as its file is done, an `error` per file that could not be audited,
//! and one `summary` last. The fields of `finding` are those of `--format json`.

use super::json::{ErrorJson, FindingJson, SummaryJson};
use super::{Emitter, FileReport, Summary};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Default)]
pub struct Jsonl {
    /// A file's lines, serialised here and written to the output in one call: serde
    /// writes many small pieces, each a dynamic call on the output.
    buffer: Vec<u8>,
}

/// The lines serde writes; a finding's line is written by [`FindingJson::write_to`],
/// the same bytes as serde's `Finding(FindingJson)` variant would be (tested below).
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line {
    Error(ErrorJson),
    Summary(SummaryJson),
}

fn write_line<W: Write + ?Sized>(out: &mut W, line: &Line) -> io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    writeln!(out)
}

impl Emitter for Jsonl {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        self.buffer.clear();
        for f in &report.findings {
            FindingJson::new(&report.path, f).write_to(&mut self.buffer, None, Some("finding"))?;
            self.buffer.push(b'\n');
        }
        out.write_all(&self.buffer)
    }

    fn error(&mut self, out: &mut dyn Write, path: &str, message: &str) -> io::Result<()> {
        let error = ErrorJson {
            path: path.to_string(),
            message: message.to_string(),
        };
        write_line(out, &Line::Error(error))
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        write_line(out, &Line::Summary(SummaryJson::new(summary)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Severity};
    use crate::report::{Excerpt, Finding};

    /// The line as serde wrote it before findings were written by hand: the oracle.
    #[derive(Serialize)]
    #[serde(tag = "type", rename_all = "lowercase")]
    enum Oracle<'a> {
        Finding(FindingJson<'a>),
    }

    #[test]
    fn finding_lines_are_serdes() {
        let mut emitter = Jsonl::default();
        for (path, message, fix) in [
            ("a.txt", "plain message", None),
            (
                "b \"c\".txt",
                "tab\there, quote \" and \\ and ¶ \u{1}",
                Some("(C)"),
            ),
            ("", "", Some("")),
        ] {
            let finding = Finding {
                code: Code::ALL[3],
                severity: Severity::Error,
                line: 1234,
                column: 0,
                message: message.to_string(),
                fix: fix.map(str::to_string),
                excerpt: Excerpt {
                    text: String::new(),
                    caret: 0,
                },
            };
            let report = FileReport {
                path: path.to_string(),
                findings: vec![finding.clone(), finding.clone()],
            };
            let mut out = Vec::new();
            emitter.file(&mut out, &report).unwrap();
            let one = serde_json::to_string(&Oracle::Finding(FindingJson::new(path, &finding)))
                .unwrap()
                + "\n";
            assert_eq!(String::from_utf8(out).unwrap(), one.repeat(2));
        }
    }
}
