//! Snapshot tests of the audit: one fixture per rule (`tests/fixtures/audit/<CODE>-<name>.txt`,
//! a tiny synthetic cable that breaks exactly that rule), the seed cable in every output
//! format, and the SARIF output validated against the official SARIF 2.1.0 schema.
//!
//! Snapshots are compared byte for byte. After an intended change, regenerate them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test integration audit_rules` and read the diff before committing.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;
use common::{root, snapshot};

const AS_OF: &str = "2026-01-01";

/// Runs `declass audit` from the repository root with a fixed date and no colour.
fn audit(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(["audit", "--as-of", AS_OF, "--color", "never"])
        .args(args)
        .output()
        .expect("run declass");
    (
        String::from_utf8(out.stdout).expect("utf-8 output"),
        out.status.code().unwrap_or(-1),
    )
}

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/audit"))
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it() {
    let files = fixtures();
    for code in declass::diagnostic::Code::ALL {
        let name = format!("{}-{}.txt", code.id(), code.name());
        let path = root().join("tests/fixtures/audit").join(&name);
        assert!(files.contains(&path), "no fixture {name}");
        let rel = format!("tests/fixtures/audit/{name}");
        let (out, _) = audit(&["--format", "jsonl", &rel]);
        let found = out
            .lines()
            .any(|l| l.contains(&format!("\"code\":\"{}\"", code.id())));
        assert!(found, "{name} does not trigger {}:\n{out}", code.id());
    }
}

#[test]
fn rule_fixtures_match_their_snapshots() {
    for path in fixtures() {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let rel = format!("tests/fixtures/audit/{name}");
        let (out, _) = audit(&[&rel]);
        snapshot("audit", &name, &out);
    }
}

#[test]
fn clean_cable_has_no_findings() {
    let (out, code) = audit(&["tests/fixtures/audit/clean-cable.txt"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("No findings in 1 file."), "{out}");
}

const SEED: &str = "samples/07PRAGUE486.txt";

#[test]
fn seed_in_every_format() {
    for (format, ext) in [
        ("human", "txt"),
        ("json", "json"),
        ("jsonl", "jsonl"),
        ("sarif", "sarif"),
        ("github", "github.txt"),
    ] {
        let (out, code) = audit(&["--format", format, SEED]);
        assert_eq!(code, 1, "the seed has an error finding ({format})");
        snapshot("audit", &format!("seed.{ext}"), &out);
    }
}

#[test]
fn findings_never_carry_paragraph_text() {
    // The seed's ¶1 is one 1,300-character line; no output line may carry more than a
    // short window of it.
    let (out, _) = audit(&[SEED]);
    for line in out.lines() {
        assert!(line.chars().count() < 160, "long output line: {line}");
    }
    assert!(
        !out.contains("missile defense aspect"),
        "paragraph text leaked"
    );
}

fn sarif_errors(out: &str) -> Vec<String> {
    // The official schema's `run.language` pattern `…[a-zA-Z]{2}]?$` has a bare `]`: a
    // literal in ECMA-262 regexes, but the crate checks the schema's own patterns with
    // Rust regex rules and refuses to load it. Escape that one `]` (same meaning) in memory;
    // the vendored file stays as published.
    let text = std::fs::read_to_string(root().join("tests/fixtures/sarif-2.1.0.json"))
        .expect("schema")
        .replace("{2}-[a-zA-Z]{2}]?$", "{2}-[a-zA-Z]{2}\\\\]?$");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    // The official schema is draft-04 (its `$schema`); formats (uri, date-time) are checked too.
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let instance: serde_json::Value = serde_json::from_str(out).expect("SARIF is JSON");
    validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn validate_sarif(out: &str) {
    let errors = sarif_errors(out);
    assert!(
        errors.is_empty(),
        "SARIF fails the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_schema_check_rejects_broken_sarif() {
    let (out, _) = audit(&["--format", "sarif", SEED]);
    let broken = out
        .replacen("\"version\": \"2.1.0\"", "\"version\": \"2.0\"", 1)
        .replacen("\"startLine\": 24", "\"startLine\": 0", 1);
    assert!(broken != out);
    assert!(
        sarif_errors(&broken).len() >= 2,
        "{:?}",
        sarif_errors(&broken)
    );
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let (out, _) = audit(&["--format", "sarif", SEED]);
    validate_sarif(&out);
    // Every rule fixture at once, with an unreadable input among them (a binary file:
    // a missing path stops the job before any report, exit 2).
    let (out, _) = audit(&[
        "--format",
        "sarif",
        "tests/fixtures/audit",
        "tests/fixtures/unreadable/binary.txt",
    ]);
    validate_sarif(&out);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), declass::diagnostic::Code::ALL.len());
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("tests/fixtures/audit/") && !uri.contains('\\'),
            "{uri}"
        );
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn output_order_is_input_order_then_line_column_code() {
    let (out, _) = audit(&["--format", "jsonl", "-j", "2", "tests/fixtures/audit"]);
    let keys: Vec<(String, u64, u64, String)> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "finding")
        .map(|v| {
            (
                v["path"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["column"].as_u64().unwrap(),
                v["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(Path::new(&root().join("tests/fixtures/audit")).is_dir());
}
