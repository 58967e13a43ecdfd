//! `--format json`: one JSON document for the whole run. Its shape is a contract (field
//! names are added, never renamed): `schema`, `tool`, `findings` (flat, in input order,
//! then line, column, code), `errors` (files that could not be audited) and `summary`.

use super::{Emitter, FileReport, Finding, Summary};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Version of this JSON shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Default)]
pub struct Json {
    findings: Vec<FindingJson>,
    errors: Vec<ErrorJson>,
}

/// One finding as JSON and JSON Lines print it.
#[derive(Serialize)]
pub struct FindingJson {
    pub path: String,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl FindingJson {
    pub fn new(path: &str, f: &Finding) -> FindingJson {
        FindingJson {
            path: path.to_string(),
            code: f.code.id(),
            name: f.code.name(),
            severity: f.severity.as_str(),
            line: f.line,
            column: f.column,
            message: f.message.clone(),
            fix: f.fix.clone(),
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

#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    tool: Tool,
    findings: &'a [FindingJson],
    errors: &'a [ErrorJson],
    summary: SummaryJson,
}

impl Emitter for Json {
    fn file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        self.findings.extend(
            report
                .findings
                .iter()
                .map(|f| FindingJson::new(&report.path, f)),
        );
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
        let doc = Document {
            schema: SCHEMA_VERSION,
            tool: Tool {
                name: "declass",
                version: env!("CARGO_PKG_VERSION"),
            },
            findings: &self.findings,
            errors: &self.errors,
            summary: SummaryJson::new(summary),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
