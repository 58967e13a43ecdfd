//! `--format json`: one JSON document for the whole run. Its shape is a contract (field
//! names are added, never renamed): `schema`, `tool`, `findings` (flat, in input order,
//! then line, column, code), `errors` (files that could not be audited) and `summary`.
//!
//! The document is written as the run goes: the opening and each file's findings as soon
//! as the file is done, so memory stays flat however large the corpus. Only the errors
//! wait for the end (they come after the findings): one per file that could not be read.

use super::pretty::{self, Array};
use super::{Emitter, FileReport, Finding, Summary};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Version of this JSON shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Default)]
pub struct Json {
    /// The `findings` array, once the opening is written.
    findings: Option<Array>,
    errors: Vec<ErrorJson>,
    /// One file's findings, serialised here and written to the output in one call:
    /// serde writes many small pieces, each a dynamic call on the output.
    buffer: Vec<u8>,
}

/// One finding as JSON and JSON Lines print it.
#[derive(Serialize)]
pub struct FindingJson<'a> {
    pub path: &'a str,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<&'a str>,
}

impl FindingJson<'_> {
    pub fn new<'a>(path: &'a str, f: &'a Finding) -> FindingJson<'a> {
        FindingJson {
            path,
            code: f.code.id(),
            name: f.code.name(),
            severity: f.severity.as_str(),
            line: f.line,
            column: f.column,
            message: &f.message,
            fix: f.fix.as_deref(),
        }
    }
}
#[derive(Serialize)]
pub struct ErrorJson {
    pub path: String,
    pub message: String,
}

#[derive(Serialize)]
pub struct SummaryJson {
    pub files: usize,
    pub failed: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub by_code: BTreeMap<&'static str, usize>,
}

impl SummaryJson {
    pub fn new(s: &Summary) -> SummaryJson {
        use crate::diagnostic::Severity;
        SummaryJson {
            files: s.files,
            failed: s.failed,
            findings: s.findings(),
            errors: s.count(Severity::Error),
            warnings: s.count(Severity::Warning),
            info: s.count(Severity::Info),
            by_code: s.by_code.iter().map(|(c, n)| (c.id(), *n)).collect(),
        }
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

impl Json {
    /// The `findings` array, after writing the document's opening on first use.
    fn findings(&mut self, out: &mut dyn Write) -> io::Result<&mut Array> {
        if self.findings.is_none() {
            out.write_all(b"{")?;
            pretty::key(out, "schema", 1, true)?;
            pretty::value_at(out, &SCHEMA_VERSION, 1)?;
            pretty::key(out, "tool", 1, false)?;
            let tool = Tool {
                name: "declass",
                version: env!("CARGO_PKG_VERSION"),
            };
            pretty::value_at(out, &tool, 1)?;
            pretty::key(out, "findings", 1, false)?;
            self.findings = Some(Array::open(out, 1)?);
        }
        Ok(self.findings.as_mut().expect("opened above"))
    }
}

impl Emitter for Json {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        let findings = self.findings(out)?;
        for f in &report.findings {
            findings.push(&mut buffer, &FindingJson::new(&report.path, f))?;
        }
        out.write_all(&buffer)?;
        self.buffer = buffer;
        Ok(())
    }

    fn error(&mut self, _out: &mut dyn Write, path: &str, message: &str) -> io::Result<()> {
        self.errors.push(ErrorJson {
            path: path.to_string(),
            message: message.to_string(),
        });
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.findings(out)?;
        if let Some(findings) = self.findings.take() {
            findings.close(out)?;
        }
        pretty::key(out, "errors", 1, false)?;
        pretty::value_at(out, &self.errors, 1)?;
        pretty::key(out, "summary", 1, false)?;
        pretty::value_at(out, &SummaryJson::new(summary), 1)?;
        out.write_all(b"\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Severity};
    use crate::report::Excerpt;

    /// The document as it was built before the findings were streamed: the oracle.
    #[derive(Serialize)]
    struct Document<'a> {
        schema: u32,
        tool: Tool,
        findings: &'a [FindingJson<'a>],
        errors: &'a [ErrorJson],
        summary: SummaryJson,
    }

    fn finding(line: usize, fix: Option<&str>) -> Finding {
        Finding {
            code: Code::ALL[line % Code::ALL.len()],
            severity: Severity::Warning,
            line,
            column: 3,
            message: format!("message \"{line}\"\twith ¶ and \\"),
            fix: fix.map(str::to_string),
            excerpt: Excerpt {
                text: String::new(),
                caret: 0,
            },
        }
    }

    fn check(reports: &[FileReport], errors: &[(&str, &str)]) {
        let mut summary = Summary::default();
        let mut emitter = Json::default();
        let mut out = Vec::new();
        for (path, message) in errors {
            summary.failed += 1;
            emitter.error(&mut out, path, message).unwrap();
        }
        for r in reports {
            summary.add(r);
            emitter.file(&mut out, r).unwrap();
        }
        emitter.finish(&mut out, &summary).unwrap();

        let findings: Vec<FindingJson> = reports
            .iter()
            .flat_map(|r| r.findings.iter().map(|f| FindingJson::new(&r.path, f)))
            .collect();
        let errors: Vec<ErrorJson> = errors
            .iter()
            .map(|(p, m)| ErrorJson {
                path: p.to_string(),
                message: m.to_string(),
            })
            .collect();
        let doc = Document {
            schema: SCHEMA_VERSION,
            tool: Tool {
                name: "declass",
                version: env!("CARGO_PKG_VERSION"),
            },
            findings: &findings,
            errors: &errors,
            summary: SummaryJson::new(&summary),
        };
        let expected = serde_json::to_string_pretty(&doc).unwrap() + "\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn streamed_document_is_the_whole_one() {
        let report = |path: &str, findings| FileReport {
            path: path.to_string(),
            findings,
        };
        check(&[], &[]);
        check(&[report("a.txt", vec![])], &[]);
        check(&[], &[("gone.txt", "no such file")]);
        check(
            &[
                report("a.txt", vec![finding(1, None), finding(7, Some("(C)"))]),
                report("b \"c\".txt", vec![]),
                report("d.txt", vec![finding(2, Some("x"))]),
            ],
            &[("e.txt", "not readable"), ("f.txt", "binary")],
        );
    }
}
