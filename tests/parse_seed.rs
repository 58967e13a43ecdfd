//! The seed sample `samples/07PRAGUE486.txt`, parsed end to end: model and JSON form.

use declass::document::{Document, Origin};
use declass::marking::Level;
use declass::parse::parse;
use serde_json::{Value, json};
use std::path::Path;

const FILE: &str = "07PRAGUE486.txt";

fn seed() -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(FILE);
    let bytes = std::fs::read(&path).expect("read seed sample");
    parse(&bytes, Some(FILE)).expect("seed parses")
}

fn seed_json() -> Value {
    let doc = seed();
    serde_json::to_value(doc.to_json(None)).expect("JSON form serializes")
}

#[test]
fn seed_tiles() {
    assert_eq!(seed().check_tiling(), Ok(()));
}

#[test]
fn seed_banner_is_confidential() {
    let doc = seed();
    let banner = doc.header.banner.as_ref().expect("banner");
    assert_eq!(banner.marking.level, Level::C);
    assert_eq!(banner.marking.banner(), "CONFIDENTIAL");
}

#[test]
fn seed_header_fields() {
    let doc = seed();
    let h = &doc.header;
    let decl =
        h.eo.as_ref()
            .and_then(|e| e.declassify.as_ref())
            .expect("DECL");
    assert_eq!(
        decl.date.map(|d| d.to_string()).as_deref(),
        Some("2017-05-02")
    );
    assert_eq!(decl.token, None);
    assert_eq!(h.classified_by.as_ref().expect("CAB").reasons, ['b', 'd']);
    assert_eq!(h.tags, ["PREL", "PGOV", "MASS", "MARR", "EZ", "RU"]);
    assert_eq!(
        h.subject.as_ref().expect("subject").text,
        "CZECH-RUSSIAN PRESIDENTIAL MEETINGS CORDIAL; NO NEW ARGUMENTS ON MISSILE DEFENSE"
    );
}

#[test]
fn seed_nine_paragraphs_with_marks() {
    let doc = seed();
    let numbers: Vec<_> = doc.paragraphs.iter().map(|p| p.number).collect();
    assert_eq!(numbers, (1..=9).map(Some).collect::<Vec<_>>());
    let canonical: Vec<_> = doc
        .paragraphs
        .iter()
        .map(|p| p.marking.as_ref().expect("marked").canonical())
        .collect();
    assert_eq!(
        canonical,
        ["C", "U//SBU", "U//SBU", "C", "C", "C", "C", "C", "U//SBU"]
    );
    let raw: Vec<_> = doc
        .paragraphs
        .iter()
        .map(|p| p.marking.as_ref().expect("marked").raw.as_str())
        .collect();
    assert_eq!(
        raw,
        [
            "(C)", "(SBU)", "(SBU)", "(C)", "(C)", "(C)", "(C)", "(C)", "(SBU)"
        ]
    );
    assert!(doc.paragraphs.iter().all(|p| p.origin == Origin::Explicit));
}

#[test]
fn seed_paragraph_texts_joined_across_breaks() {
    let doc = seed();
    let p = &doc.paragraphs;
    assert!(
        p[1].text
            .contains("on April 27. DCM and Poloff later attended"),
        "¶2: {:?}",
        p[1].text
    );
    assert!(
        p[3].text.ends_with("as soon as they are translated.)"),
        "¶4: {:?}",
        p[3].text
    );
    assert!(
        p[6].text.ends_with("asserted by the Russians.)"),
        "¶7: {:?}",
        p[6].text
    );
}

#[test]
fn seed_damaged_number_and_signature() {
    let doc = seed();
    assert_eq!(doc.paragraphs[4].number, Some(5));
    assert_eq!(doc.paragraphs[4].printed_number.as_deref(), Some("15."));
    assert_eq!(doc.signature.as_ref().expect("signature").text, "GRABER");
}

#[test]
fn seed_json_form() {
    let v = seed_json();
    assert_eq!(v["banner"]["level"], "C");
    assert_eq!(v["header"]["declassify"]["date"], "2017-05-02");
    assert_eq!(v["header"]["classified_by"]["reasons"], json!(["b", "d"]));
    assert_eq!(v["paragraphs"][1]["marking"]["canonical"], "U//SBU");
    assert_eq!(v["paragraphs"][0]["marking"]["origin"], "explicit");
    // 1-based, inclusive: ¶1 is the single line 34, ¶2 runs from 36 to 38.
    assert_eq!(v["paragraphs"][0]["lines"], json!([34, 34]));
    assert_eq!(v["paragraphs"][1]["lines"], json!([36, 38]));
}
