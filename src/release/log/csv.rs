//! The exemption log as CSV (RFC 4180): a header row, then one row per withheld or
//! redacted portion. Fields are quoted when they need it, and a field that a spreadsheet
//! would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.

use super::{DocumentLog, LogMeta, Render, Totals};
use std::io::{self, Write};

pub struct Csv;

const HEADER: &str =
    "document,page,portion,line,marking,action,codes,rule,justification,consistency\n";

impl Render for Csv {
    fn begin(&mut self, out: &mut dyn Write, _: &LogMeta) -> io::Result<()> {
        out.write_all(HEADER.as_bytes())
    }

    fn document(&mut self, out: &mut dyn Write, doc: &DocumentLog) -> io::Result<()> {
        for r in &doc.rows {
            let fields = [
                field(&doc.document),
                r.page.to_string(),
                field(&r.portion),
                r.line.to_string(),
                field(&r.marking),
                r.kind.as_str().to_string(),
                field(&r.codes.to_string()),
                field(&r.rule),
                field(&r.justification),
                field(r.consistency.as_deref().unwrap_or("")),
            ];
            writeln!(out, "{}", fields.join(","))?;
        }
        Ok(())
    }

    fn end(&mut self, _: &mut dyn Write, _: &LogMeta, _: &Totals) -> io::Result<()> {
        Ok(())
    }
}

fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_defused() {
        assert_eq!(field("B1, 1.4(D)"), "\"B1, 1.4(D)\"");
        assert_eq!(field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(field("=HYPERLINK(x)"), "'=HYPERLINK(x)");
        assert_eq!(field("plain"), "plain");
    }
}
