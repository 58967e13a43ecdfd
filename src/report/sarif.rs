//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning takes it. One run; the rules
//! (`tool.driver.rules[]`) are generated from the code registry, so a code gets its
//! name, summary, explanation and default level in one place; each result points at its
//! file with a relative, `/`-separated URI and at its line and column (Unicode code
//! points, as the audit counts them). Files that could not be audited are tool
//! execution notifications. The output is checked against the official schema in tests.
//!
//! Keys are printed in alphabetical order (as a `serde_json::Value` prints them), which
//! puts `invocations` (did every file get audited?) before `results`: nothing can be
//! written before the run is over. The results wait as compact rows (code, place, the
//! number of a message kept once) rather than as JSON values: 40 bytes each instead of
//! a kilobyte or more.

use super::pretty::{self, Array};
use super::{Emitter, FileReport, Summary, sarif_level};
use crate::diagnostic::{Code, Severity};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{self, Write};

/// How many bytes of results are written to the output at a time.
const CHUNK: usize = 64 * 1024;

#[derive(Default)]
pub struct Sarif {
    /// The URI of each file with results, in input order; rows point into it.
    uris: Vec<String>,
    /// Each distinct message text once, with its number: rows point to it. Most
    /// findings say what others said already (46,542 results, 6,033 texts on bulk).
    texts: HashMap<String, usize>,
    results: Vec<Row>,
    notifications: Vec<Value>,
}

/// A result waiting to be printed.
struct Row {
    file: usize,
    code: Code,
    severity: Severity,
    line: usize,
    column: usize,
    /// The number of the message (with the fix appended) in [`Sarif::texts`].
    text: usize,
}

impl Sarif {
    /// The number of `text`, given it if it is new.
    fn text_number(&mut self, text: String) -> usize {
        let next = self.texts.len();
        *self.texts.entry(text).or_insert(next)
    }

    /// The texts by number.
    fn texts(&self) -> Vec<&str> {
        let mut texts = vec![""; self.texts.len()];
        for (text, &n) in &self.texts {
            texts[n] = text;
        }
        texts
    }
}

/// A result as printed; fields in alphabetical order.
#[derive(Serialize)]
struct ResultJson<'a> {
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Text<'a>,
    #[serde(rename = "ruleId")]
    rule_id: &'static str,
    #[serde(rename = "ruleIndex")]
    rule_index: usize,
}

#[derive(Serialize)]
struct Location<'a> {
    #[serde(rename = "physicalLocation")]
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
struct PhysicalLocation<'a> {
    #[serde(rename = "artifactLocation")]
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
struct Region {
    #[serde(rename = "startColumn")]
    start_column: usize,
    #[serde(rename = "startLine")]
    start_line: usize,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

impl Row {
    fn json<'a>(&self, uris: &'a [String], texts: &[&'a str]) -> ResultJson<'a> {
        ResultJson {
            level: sarif_level(self.severity),
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: &uris[self.file],
                    },
                    region: Region {
                        start_column: self.column,
                        start_line: self.line,
                    },
                },
            }],
            message: Text {
                text: texts[self.text],
            },
            rule_id: self.code.id(),
            rule_index: Code::ALL.iter().position(|c| *c == self.code).unwrap_or(0),
        }
    }
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
        if report.findings.is_empty() {
            return Ok(());
        }
        let file = self.uris.len();
        self.uris.push(uri(&report.path));
        for f in &report.findings {
            let mut text = f.message.clone();
            if let Some(fix) = &f.fix {
                text.push_str(&format!(" (fix: {fix})"));
            }
            let text = self.text_number(text);
            self.results.push(Row {
                file,
                code: f.code,
                severity: f.severity,
                line: f.line,
                column: f.column,
                text,
            });
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
        out.write_all(b"{")?;
        pretty::key(out, "$schema", 1, true)?;
        pretty::value_at(out, "https://json.schemastore.org/sarif-2.1.0.json", 1)?;
        pretty::key(out, "runs", 1, false)?;
        out.write_all(b"[\n")?;
        pretty::indent(out, 2)?;
        out.write_all(b"{")?;
        pretty::key(out, "columnKind", 3, true)?;
        pretty::value_at(out, "unicodeCodePoints", 3)?;
        pretty::key(out, "invocations", 3, false)?;
        let invocations = json!([{
            "executionSuccessful": self.notifications.is_empty(),
            "toolExecutionNotifications": self.notifications,
        }]);
        pretty::value_at(out, &invocations, 3)?;
        pretty::key(out, "results", 3, false)?;
        let mut results = Array::open(out, 3)?;
        // Serialised into a buffer written in chunks: serde writes many small pieces.
        let mut buffer = Vec::with_capacity(2 * CHUNK);
        let texts = self.texts();
        for row in &self.results {
            results.push(&mut buffer, &row.json(&self.uris, &texts))?;
            if buffer.len() >= CHUNK {
                out.write_all(&buffer)?;
                buffer.clear();
            }
        }
        out.write_all(&buffer)?;
        results.close(out)?;
        pretty::key(out, "tool", 3, false)?;
        let tool = json!({
            "driver": {
                "name": "declass",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules(),
            }
        });
        pretty::value_at(out, &tool, 3)?;
        out.write_all(b"\n")?;
        pretty::indent(out, 2)?;
        out.write_all(b"}\n")?;
        pretty::indent(out, 1)?;
        out.write_all(b"]")?;
        pretty::key(out, "version", 1, false)?;
        pretty::value_at(out, "2.1.0", 1)?;
        out.write_all(b"\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Excerpt, Finding};

    /// The document as it was built before: one `serde_json::Value`. The oracle.
    fn as_one_value(reports: &[FileReport], errors: &[(&str, &str)]) -> String {
        let mut results = Vec::new();
        for r in reports {
            for f in &r.findings {
                let mut text = f.message.clone();
                if let Some(fix) = &f.fix {
                    text.push_str(&format!(" (fix: {fix})"));
                }
                results.push(json!({
                    "ruleId": f.code.id(),
                    "ruleIndex": Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0),
                    "level": sarif_level(f.severity),
                    "message": { "text": text },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&r.path) },
                            "region": { "startLine": f.line, "startColumn": f.column },
                        }
                    }],
                }));
            }
        }
        let notifications: Vec<Value> = errors
            .iter()
            .map(|(path, message)| {
                json!({
                    "level": "error",
                    "message": { "text": format!("{path}: {message}") },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(path) } } }],
                })
            })
            .collect();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": { "name": "declass", "version": env!("CARGO_PKG_VERSION"), "rules": rules() } },
                "invocations": [{
                    "executionSuccessful": notifications.is_empty(),
                    "toolExecutionNotifications": notifications,
                }],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        serde_json::to_string_pretty(&doc).unwrap() + "\n"
    }

    fn finding(line: usize, fix: Option<&str>) -> Finding {
        Finding {
            code: Code::ALL[line % Code::ALL.len()],
            severity: [Severity::Error, Severity::Warning, Severity::Info][line % 3],
            line,
            column: line + 2,
            message: format!("banner \"{line}\" ¶3 \\ (S//NF)"),
            fix: fix.map(str::to_string),
            excerpt: Excerpt {
                text: String::new(),
                caret: 0,
            },
        }
    }

    fn check(reports: &[FileReport], errors: &[(&str, &str)]) {
        let mut emitter = Sarif::default();
        let mut out = Vec::new();
        for (path, message) in errors {
            emitter.error(&mut out, path, message).unwrap();
        }
        for r in reports {
            emitter.file(&mut out, r).unwrap();
        }
        assert!(out.is_empty(), "nothing is written before the end");
        emitter.finish(&mut out, &Summary::default()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            as_one_value(reports, errors)
        );
    }

    #[test]
    fn printed_as_the_whole_value_was() {
        let report = |path: &str, findings| FileReport {
            path: path.to_string(),
            findings,
        };
        check(&[], &[]);
        check(&[report("a.txt", vec![])], &[("gone.txt", "no such file")]);
        check(
            &[
                report("a b.txt", vec![finding(1, None), finding(8, Some("(C)"))]),
                report("/abs/c.txt", vec![]),
                report("d.txt", vec![finding(3, Some("SECRET"))]),
                report("g.txt", vec![finding(8, Some("(C)")), finding(1, None)]),
            ],
            &[("e.txt", "not readable"), ("f.txt", "binary")],
        );
    }

    #[test]
    fn uris_are_relative_with_forward_slashes() {
        assert_eq!(uri("samples/07PRAGUE486.txt"), "samples/07PRAGUE486.txt");
        assert_eq!(uri("./a\\b c.txt"), "a/b%20c.txt");
        assert_eq!(uri("/tmp/x.txt"), "file:///tmp/x.txt");
    }
}
