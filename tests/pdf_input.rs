//! PDF input read like text: findings on a PDF say the page and the line on that page
//! (`[p1:2]`) besides the line of the extracted text.

use crate::pdf_common;

use std::process::Command;

#[test]
fn a_finding_on_pdf_input_names_page_and_line() {
    let pdf = pdf_common::make(
        &[
            "SECRET",
            "",
            "1. (QQ) A portion with a marking no grammar knows.",
            "",
            "SECRET",
        ],
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("memo.pdf"), pdf).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(dir.path())
        .args(["parse", "--format", "json", "memo.pdf"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    // The empty strings draw nothing and one leading is no gap: the unmarked portion is the
    // second line of page 1, and of the extracted text.
    assert!(
        messages.iter().any(|m| m.ends_with("[p1:2]")),
        "{messages:?}"
    );
}
