//! `--format jsonl`: JSON Lines, one object per line, tagged by `type`: a `finding` per
//! finding as soon as its file is done, an `error` per file that could not be audited,
//! and one `summary` last. The fields of `finding` are those of `--format json`.

use super::json::{ErrorJson, FindingJson, SummaryJson};
use super::{Emitter, FileReport, Summary};
use serde::Serialize;
use std::io::{self, Write};

pub struct Jsonl;

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line<'a> {
    Finding(FindingJson<'a>),
    Error(ErrorJson),
    Summary(SummaryJson),
}

fn write_line(out: &mut dyn Write, line: &Line<'_>) -> io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    writeln!(out)
}

impl Emitter for Jsonl {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        for f in &report.findings {
            write_line(out, &Line::Finding(FindingJson::new(&report.path, f)))?;
        }
        Ok(())
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
