//! `declass release --jsonl` (the JSON Lines interface engines drive) and the streamed
//! combined manifest: a stream's release and manifest are byte for byte a batch's for the
//! same document and id; bad records are error records in their place and the stream goes
//! on; results come in input order.

use crate::common;

use common::{declass, root};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const AS_OF: &str = "2026-01-01";

fn fixture_cables() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/cables"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.ends_with(".txt")
                .then(|| format!("tests/fixtures/cables/{name}"))
        })
        .collect();
    names.sort();
    names
}

/// Runs `release --jsonl` with `input` on stdin; returns the exit code and the records.
fn stream(args: &[&str], input: &[u8]) -> (i32, Vec<Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(root())
        .args(["release", "--jsonl", "--as-of", AS_OF])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let records = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("each output line is one JSON record"))
        .collect();
    (out.status.code().unwrap(), records)
}

fn record(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "text": text}).to_string() + "\n"
}

#[test]
fn a_stream_releases_each_record_as_the_batch_does() {
    let cables = fixture_cables();
    assert!(cables.len() > 10);
    let mut input = String::new();
    for (i, path) in cables.iter().enumerate() {
        // Both ways of giving a document: in the record, and by path.
        if i % 2 == 0 {
            input += &record(path, &common::read_text(path));
        } else {
            input += &(serde_json::json!({"path": path}).to_string() + "\n");
        }
    }
    let (code, records) = stream(&[], input.as_bytes());
    assert_eq!(code, 0, "{records:?}");
    assert_eq!(records.len(), cables.len());

    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let mut args = vec!["release"];
    args.extend(cables.iter().map(String::as_str));
    args.extend(["--out-dir", dir, "--as-of", AS_OF, "--consistency", "off"]);
    let batch = declass(&args);
    assert!(batch.status.success(), "{}", common::stderr(&batch));

    for (path, rec) in cables.iter().zip(&records) {
        assert_eq!(rec["id"], path.as_str());
        assert_eq!(rec["status"], "released");
        let name = std::path::Path::new(path)
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap();
        let release =
            std::fs::read_to_string(out.path().join(format!("{name}.release.txt"))).unwrap();
        let manifest =
            std::fs::read_to_string(out.path().join(format!("{name}.release.manifest.json")))
                .unwrap();
        assert_eq!(rec["release"].as_str().unwrap(), release, "{path}");
        assert_eq!(rec["manifest"].as_str().unwrap(), manifest, "{path}");
    }
}

#[test]
fn bad_records_are_answered_in_place_and_the_stream_goes_on() {
    let seed = common::read_text("samples/07PRAGUE486.txt");
    let mut input = String::new();
    input += &record("first", &seed);
    input += "this is not JSON\n";
    input += "\n"; // blank lines hold no record
    input += &(serde_json::json!({"id": "x", "text": "t", "extra": 1}).to_string() + "\n");
    input += &(serde_json::json!({"id": "gone", "path": "no/such/file.txt"}).to_string() + "\n");
    input += &(serde_json::json!({"id": "b", "base64": "###"}).to_string() + "\n");
    input += &(serde_json::json!({"id": "bin", "text": "\u{0}\u{0}\u{0}\u{0}"}).to_string() + "\n");
    input += &record("last", &seed);
    let (code, records) = stream(&[], input.as_bytes());
    assert_eq!(code, 1, "a failed record makes the run exit 1");
    let summary: Vec<(u64, &str, &str)> = records
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["id"].as_str().unwrap_or("-"),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, "first", "released"),
            (2, "-", "failed"),
            (4, "-", "failed"),
            (5, "gone", "failed"),
            (6, "b", "failed"),
            (7, "bin", "failed"),
            (8, "last", "released"),
        ]
    );
    assert_eq!(records[0]["release"], records[6]["release"]);
    for r in &records[1..6] {
        assert!(r["error"].as_str().is_some_and(|e| !e.is_empty()), "{r}");
        assert!(r.get("release").is_none());
    }
}

#[test]
fn no_withheld_text_in_any_record() {
    // The seed's withheld (C) paragraph: its words appear in no result field.
    let seed = common::read_text("samples/07PRAGUE486.txt");
    let (code, records) = stream(&[], record("seed", &seed).as_bytes());
    assert_eq!(code, 0);
    let line = records[0].to_string();
    let withheld = "Pojar noted that the Russian officials who raised MD";
    assert!(seed.contains(withheld), "the fixture holds the phrase");
    assert!(!line.contains(withheld));
}

#[test]
fn pdf_releases_come_as_base64() {
    let seed = common::read_text("samples/07PRAGUE486.txt");
    let (code, records) = stream(&["--format", "pdf"], record("seed", &seed).as_bytes());
    assert_eq!(code, 0);
    let b64 = records[0]["release_base64"].as_str().unwrap();
    assert!(
        b64.starts_with("JVBERi0"),
        "a PDF's base64 starts with %PDF-"
    );
    assert!(records[0].get("release").is_none());
}

#[test]
fn jsonl_takes_no_input_paths_or_output_files() {
    for extra in [
        &["samples/07PRAGUE486.txt"][..],
        &["-o", "x.txt"],
        &["--out-dir", "o"],
        &["--manifest", "m.json"],
    ] {
        let mut args = vec!["release", "--jsonl"];
        args.extend(extra);
        let out = declass(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
    }
}

#[test]
fn the_combined_manifest_is_written_as_the_batch_goes_with_the_same_bytes() {
    let cables = fixture_cables();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("o");
    let combined = out.path().join("all.json");
    let mut args = vec!["release"];
    args.extend(cables.iter().take(5).map(String::as_str));
    let (d, c) = (dir.to_str().unwrap(), combined.to_str().unwrap());
    args.extend(["--out-dir", d, "--manifest", c, "--as-of", AS_OF]);
    let run = declass(&args);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let text = std::fs::read_to_string(&combined).unwrap();
    assert!(text.starts_with("{\"documents\": [\n") && text.ends_with("]}\n"));
    let value: Value = serde_json::from_str(&text).unwrap();
    let docs = value["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 5);
    for (doc, path) in docs.iter().zip(&cables) {
        assert_eq!(doc["input"]["path"].as_str(), Some(path.as_str()), "{doc}");
    }
    // Only the manifest is left in the directory: no temporary file.
    let names: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}
