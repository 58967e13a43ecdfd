//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning takes it. One run; the rules
//! (`tool.driver.rules[]`) are generated from the code registry, so a code gets its
//! name, summary, explanation and default level in one place; each result points at its
//! file with a relative, `/`-separated URI and at its line and column (Unicode code
//! points, as the audit counts them). Files that could not be audited are tool
//! execution notifications. The output is checked against the official schema in tests.

use super::{Emitter, FileReport, Summary, sarif_level};
use crate::diagnostic::Code;
use serde_json::{Value, json};
use std::io::{self, Write};

#[derive(Default)]
pub struct Sarif {
    results: Vec<Value>,
    notifications: Vec<Value>,
}

/// The `tool.driver.rules[]` array: every code of the registry, in registry order.
pub fn rules() -> Vec<Value> {
    Code::ALL
        .iter()
        .map(|code| {
            let info = code.info();
            json!({
                "id": info.id,
                "name": info.name,
                "shortDescription": { "text": info.summary },
                "fullDescription": { "text": info.explanation },
                "help": { "text": format!("{}\n\nRun `declass explain {}` for details.", info.explanation, info.id) },
                "defaultConfiguration": { "level": sarif_level(info.severity) },
            })
        })
        .collect()
}

/// A path as a SARIF artifact URI: relative paths stay relative with `/` separators;
/// absolute ones become `file://` URIs. Characters outside the URI's unreserved set are
/// percent-encoded.
pub fn uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let relative = slashed.trim_start_matches("./");
    let mut out = String::new();
    let absolute = relative.starts_with('/');
    if absolute {
        out.push_str("file://");
    }
    for b in relative.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Emitter for Sarif {
    fn file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let uri = uri(&report.path);
        for f in &report.findings {
            let index = Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0);
            let mut text = f.message.clone();
            if let Some(fix) = &f.fix {
                text.push_str(&format!(" (fix: {fix})"));
            }
            self.results.push(json!({
                "ruleId": f.code.id(),
                "ruleIndex": index,
                "level": sarif_level(f.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": { "startLine": f.line, "startColumn": f.column },
                    }
                }],
            }));
        }
        Ok(())
    }

    fn error(&mut self, _out: &mut dyn Write, path: &str, message: &str) -> io::Result<()> {
        self.notifications.push(json!({
            "level": "error",
            "message": { "text": format!("{path}: {message}") },
            "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(path) } } }],
        }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "declass",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rules(),
                    }
                },
                "invocations": [{
                    "executionSuccessful": self.notifications.is_empty(),
                    "toolExecutionNotifications": self.notifications,
                }],
                "columnKind": "unicodeCodePoints",
                "results": self.results,
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_relative_with_forward_slashes() {
        assert_eq!(uri("samples/07PRAGUE486.txt"), "samples/07PRAGUE486.txt");
        assert_eq!(uri("./a\\b c.txt"), "a/b%20c.txt");
        assert_eq!(uri("/tmp/x.txt"), "file:///tmp/x.txt");
    }
}
