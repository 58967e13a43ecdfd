//! The manifest of a PDF release places every portion by its page (issue 17): a reviewer
//! holding the PDF finds a portion by page, not by a line of the extracted text.

use crate::pdf_common;

use std::process::Command;

/// Releases a generated memo with `--manifest` in `format`; returns the manifest.
fn manifest(format: &str) -> serde_json::Value {
    let lines = pdf_common::memo("Ivanov");
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.pdf"), pdf_common::make(&lines, None)).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(dir.path())
        .args([
            "release",
            "in.pdf",
            "--format",
            format,
            "--as-of",
            "2026-01-01",
            "-o",
            "out",
            "--manifest",
            "m.json",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(dir.path().join("m.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn pages(m: &serde_json::Value) -> Vec<Option<u64>> {
    m["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["page"].as_u64())
        .collect()
}

#[test]
fn every_portion_of_a_pdf_says_its_page() {
    for format in ["pdf", "text"] {
        let m = manifest(format);
        let pages = pages(&m);
        // The memo's two portions, both on its one page.
        assert_eq!(pages, vec![Some(1), Some(1)], "{format}: {m}");
        // Lines within the page tell withheld sizes: only when the policy allows them.
        assert!(m["paragraphs"][0].get("page_lines").is_none(), "{m}");
    }
}
