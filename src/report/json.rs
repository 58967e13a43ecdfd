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

    /// Appends the finding to `buf` byte for byte as `serde_json` serialises this struct,
    /// without going through serde: a report is one object per finding, and serde's
    /// generic path (a call per key, value and piece of punctuation, each a write on the
    /// output) cost about 4,800 instructions a finding, 3% of an audit of bulk cables.
    /// `indent` is `Some(depth)` for the pretty form `depth` levels down (as
    /// [`pretty::value_at`] writes it), `None` for the compact form; `tag` is written
    /// first as `"type"`, as serde writes an internally tagged enum's variant (JSON Lines).
    /// The tests compare both forms with serde's output.
    pub(super) fn write_to(
        &self,
        buf: &mut Vec<u8>,
        indent: Option<usize>,
        tag: Option<&str>,
    ) -> io::Result<()> {
        buf.push(b'{');
        let mut first = true;
        let mut key = |buf: &mut Vec<u8>, name: &str| {
            if !first {
                buf.push(b',');
            }
            first = false;
            if let Some(depth) = indent {
                buf.push(b'\n');
                buf.resize(buf.len() + 2 * (depth + 1), b' ');
            }
            buf.push(b'"');
            buf.extend_from_slice(name.as_bytes());
            let colon: &[u8] = if indent.is_some() { b"\": " } else { b"\":" };
            buf.extend_from_slice(colon);
        };
        if let Some(tag) = tag {
            key(buf, "type");
            json_string(buf, tag)?;
        }
        key(buf, "path");
        json_string(buf, self.path)?;
        key(buf, "code");
        json_string(buf, self.code)?;
        key(buf, "name");
        json_string(buf, self.name)?;
        key(buf, "severity");
        json_string(buf, self.severity)?;
        key(buf, "line");
        json_number(buf, self.line);
        key(buf, "column");
        json_number(buf, self.column);
        key(buf, "message");
        json_string(buf, self.message)?;
        if let Some(fix) = self.fix {
            key(buf, "fix");
            json_string(buf, fix)?;
        }
        if let Some(depth) = indent {
            buf.push(b'\n');
            buf.resize(buf.len() + 2 * depth, b' ');
        }
        buf.push(b'}');
        Ok(())
    }
}

/// `s` as a JSON string. Most strings hold nothing to escape and are copied as they are;
/// the others go through `serde_json`, so that every escape is its own.
fn json_string(buf: &mut Vec<u8>, s: &str) -> io::Result<()> {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return serde_json::to_writer(&mut *buf, s).map_err(io::Error::from);
    }
    buf.push(b'"');
    buf.extend_from_slice(s.as_bytes());
    buf.push(b'"');
    Ok(())
}

/// `n` in decimal, as `serde_json` prints an unsigned integer.
fn json_number(buf: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[at..]);
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
            let depth = findings.next_element(&mut buffer)?;
            FindingJson::new(&report.path, f).write_to(&mut buffer, Some(depth), None)?;
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
