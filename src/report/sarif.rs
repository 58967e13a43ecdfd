//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning takes it. One run; the rules
//! (`tool.driver.rules[]`) are generated from the code registry, so a code gets its
//! name, summary, explanation and default level in one place; each result points at its
//! file with a relative, `/`-separated URI and at its line and column (Unicode code
//! points, as the audit counts them). Files that could not be audited are tool
//! execution notifications. The output is checked against the official schema in tests.
//!
//! The document is written as the audit goes: the tool and its rules first, each file's
//! results as the file is done, and `invocations` (did every file get audited?) last,
//! once it is known. Memory stays flat however many findings there are (building the
//! whole document first took 1.9 GB at 250 MB of input). Key order is not alphabetical
//! for that reason; SARIF readers look keys up by name.

use super::pretty::{self, Array};
use super::{Emitter, FileReport, Finding, Summary, sarif_level};
use crate::diagnostic::Code;
use serde::Serialize;
use serde_json::{Value, json};
use std::io::{self, Write};

#[derive(Default)]
pub struct Sarif {
    /// The `results` array once the document's opening is written.
    results: Option<Array>,
    /// Files that could not be audited: printed at the end, in `invocations`.
    notifications: Vec<Value>,
    /// One file's results, written to the output in one call.
    buffer: Vec<u8>,
}

impl Sarif {
    /// The `results` array, after writing everything before it on first use.
    fn results(&mut self, out: &mut dyn Write) -> io::Result<&mut Array> {
        if self.results.is_none() {
            out.write_all(b"{")?;
            pretty::key(out, "$schema", 1, true)?;
            pretty::value_at(out, "https://json.schemastore.org/sarif-2.1.0.json", 1)?;
            pretty::key(out, "version", 1, false)?;
            pretty::value_at(out, "2.1.0", 1)?;
            pretty::key(out, "runs", 1, false)?;
            out.write_all(b"[\n")?;
            pretty::indent(out, 2)?;
            out.write_all(b"{")?;
            pretty::key(out, "tool", 3, true)?;
            let tool = json!({
                "driver": {
                    "name": "declass",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules(),
                }
            });
            pretty::value_at(out, &tool, 3)?;
            pretty::key(out, "columnKind", 3, false)?;
            pretty::value_at(out, "unicodeCodePoints", 3)?;
            pretty::key(out, "results", 3, false)?;
            self.results = Some(Array::open(out, 3)?);
        }
        Ok(self.results.as_mut().expect("opened above"))
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

impl<'a> ResultJson<'a> {
    fn new(uri: &'a str, finding: &Finding, text: &'a str) -> ResultJson<'a> {
        ResultJson {
            level: sarif_level(finding.severity),
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri },
                    region: Region {
                        start_column: finding.column,
                        start_line: finding.line,
                    },
                },
            }],
            message: Text { text },
            rule_id: finding.code.id(),
            rule_index: Code::ALL
                .iter()
                .position(|c| *c == finding.code)
                .unwrap_or(0),
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
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        if report.findings.is_empty() {
            return Ok(());
        }
        let uri = uri(&report.path);
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        let results = self.results(out)?;
        let mut text = String::new();
        for f in &report.findings {
            text.clear();
            text.push_str(&f.message);
            if let Some(fix) = &f.fix {
                text.push_str(" (fix: ");
                text.push_str(fix);
                text.push(')');
            }
            results.push(&mut buffer, &ResultJson::new(&uri, f, &text))?;
        }
        out.write_all(&buffer)?;
        self.buffer = buffer;
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
        self.results(out)?;
        if let Some(results) = self.results.take() {
            results.close(out)?;
        }
        pretty::key(out, "invocations", 3, false)?;
        let invocations = json!([{
            "executionSuccessful": self.notifications.is_empty(),
            "toolExecutionNotifications": self.notifications,
        }]);
        pretty::value_at(out, &invocations, 3)?;
        out.write_all(b"\n")?;
        pretty::indent(out, 2)?;
        out.write_all(b"}\n")?;
        pretty::indent(out, 1)?;
        out.write_all(b"]\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::report::Excerpt;

    /// The document as it was built before it was streamed: one `serde_json::Value`. The
    /// oracle: the streamed document must hold the same value.
    fn as_one_value(reports: &[FileReport], errors: &[(&str, &str)]) -> Value {
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
        doc
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
        let mut written = Vec::new();
        for r in reports {
            emitter.file(&mut out, r).unwrap();
            written.push(out.len());
        }
        // A file's results are out as soon as the file is done.
        for (r, w) in reports.iter().zip(&written) {
            if !r.findings.is_empty() {
                let text = String::from_utf8_lossy(&out[..*w]).into_owned();
                assert!(text.contains(&uri(&r.path)), "{} not yet written", r.path);
            }
        }
        emitter.finish(&mut out, &Summary::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("}\n"));
        let value: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(value, as_one_value(reports, errors));
        // Pretty-printed as serde_json prints it, whatever the key order.
        let mut reprinted = serde_json::to_string_pretty(&value).unwrap();
        reprinted.push('\n');
        assert_eq!(text.len(), reprinted.len());
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
