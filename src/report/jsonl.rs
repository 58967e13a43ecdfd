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

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line<'a> {
    Finding(FindingJson<'a>),
    Error(ErrorJson),
    Summary(SummaryJson),
}

fn write_line<W: Write + ?Sized>(out: &mut W, line: &Line<'_>) -> io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    writeln!(out)
}

impl Emitter for Jsonl {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        self.buffer.clear();
        for f in &report.findings {
            let line = Line::Finding(FindingJson::new(&report.path, f));
            write_line(&mut self.buffer, &line)?;
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
