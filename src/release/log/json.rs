//! The exemption log as one JSON document, written as documents come:
//! `{"log": 1, "policy": …, "documents": [{"document": …, "rows": […]}, …], "totals": {…}}`.
//! Totals list each code with the number of rows citing it and its summary, in the
//! documented code order (an array, since JSON objects have no order).

use super::{DocumentLog, LogMeta, Render, Totals};
use serde_json::{Value, json};
use std::io::{self, Write};

#[derive(Default)]
pub struct Json {
    written: usize,
}

impl Render for Json {
    fn begin(&mut self, out: &mut dyn Write, meta: &LogMeta) -> io::Result<()> {
        let head = json!({
            "name": meta.policy,
            "sha256": meta.policy_sha256,
        });
        write!(
            out,
            "{{\n\"log\": 1,\n\"policy\": {head},\n\"as_of\": {},\n\"case\": {},\n\"documents\": [",
            Value::from(meta.as_of.to_string()),
            meta.case.as_deref().map_or(Value::Null, Value::from)
        )
    }

    fn document(&mut self, out: &mut dyn Write, doc: &DocumentLog) -> io::Result<()> {
        let rows: Vec<Value> = doc
            .rows
            .iter()
            .map(|r| {
                json!({
                    "page": r.page,
                    "portion": r.portion,
                    "line": r.line,
                    "marking": r.marking,
                    "action": r.kind.as_str(),
                    "codes": r.codes,
                    "rule": r.rule,
                    "justification": r.justification,
                    "consistency": r.consistency,
                })
            })
            .collect();
        let value = json!({
            "document": doc.document,
            "stamp": doc.stamp,
            "pages": doc.pages,
            "portions": doc.portions,
            "rows": rows,
        });
        let sep = if self.written == 0 { "\n" } else { ",\n" };
        self.written += 1;
        write!(out, "{sep}{value}")
    }

    fn end(&mut self, out: &mut dyn Write, meta: &LogMeta, totals: &Totals) -> io::Result<()> {
        let by_code: Vec<Value> = totals
            .by_code
            .iter()
            .map(|(code, n)| json!({"code": code, "rows": n, "summary": meta.summary(code)}))
            .collect();
        writeln!(
            out,
            "\n],\n\"documents_count\": {},\n\"rows_count\": {},\n\"totals\": {}\n}}",
            totals.documents,
            totals.rows,
            Value::Array(by_code)
        )
    }
}
