//! PDFs that cannot be read at all: encrypted, damaged, or not a PDF though they start like
//! one. `release` and `parse` stop with exit 2 and say why, write nothing, and name no text;
//! `audit`, `policy explain` and `preview --compare` exit 2 as well.
//! The fixtures are made here from a generated PDF.

use crate::pdf_common;

use lopdf::{Dictionary, Document, Object, StringFormat};
use std::process::{Command, Output};

fn good() -> Vec<u8> {
    let lines = pdf_common::memo("Karl Brandt");
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    pdf_common::make(&lines, None)
}

/// Runs `declass ARGS` in a directory holding `in.pdf`; returns the output and whether
/// `out.pdf` was written.
fn run(pdf: &[u8], args: &[&str]) -> (Output, bool) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.pdf"), pdf).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(dir.path())
        .args(args)
        .output()
        .unwrap();
    (o, dir.path().join("out.pdf").exists())
}

fn assert_unreadable(pdf: &[u8], reason: &str) {
    let release = [
        "release",
        "in.pdf",
        "--format",
        "pdf",
        "--as-of",
        "2026-01-01",
        "-o",
        "out.pdf",
    ];
    for args in [&release[..], &["parse", "in.pdf"]] {
        let (o, written) = run(pdf, args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("in.pdf") && err.contains(reason),
            "{args:?}: {err}"
        );
        assert!(!written, "{args:?} wrote an output");
        assert!(o.stdout.is_empty(), "{args:?} printed a result");
        assert!(!err.contains("Brandt"), "the error names withheld text");
    }
    // The commands that print a report of their own end the same way, the report
    // naming the file as failed.
    let as_of = ["--as-of", "2026-01-01"];
    for args in [
        &["audit", as_of[0], as_of[1], "in.pdf"][..],
        &["policy", "explain", as_of[0], as_of[1], "in.pdf"],
        &[
            "preview",
            as_of[0],
            as_of[1],
            "--compare",
            "foia-release",
            "public-web",
            "in.pdf",
        ],
    ] {
        let (o, _) = run(pdf, args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.matches("in.pdf").count(), 1, "{args:?}: {err}");
        assert!(err.contains(reason), "{args:?}: {err}");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            !err.contains("Brandt") && !out.contains("Brandt"),
            "{args:?}"
        );
    }
}

#[test]
fn an_encrypted_pdf_exits_2() {
    let mut doc = Document::load_mem(&good()).unwrap();
    let encrypt = doc.add_object(Dictionary::from_iter([
        ("Filter", Object::Name(b"Standard".to_vec())),
        ("V", Object::Integer(1)),
        ("R", Object::Integer(2)),
        (
            "O",
            Object::String(vec![0x11; 32], StringFormat::Hexadecimal),
        ),
        (
            "U",
            Object::String(vec![0x22; 32], StringFormat::Hexadecimal),
        ),
        ("P", Object::Integer(-4)),
    ]));
    doc.trailer.set("Encrypt", encrypt);
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(vec![1; 16], StringFormat::Hexadecimal),
            Object::String(vec![1; 16], StringFormat::Hexadecimal),
        ]),
    );
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert_unreadable(&bytes, "encrypted");
}

#[test]
fn a_damaged_pdf_exits_2() {
    // Cut off before its objects are complete: no page tree can be read.
    let pdf = good();
    assert_unreadable(&pdf[..pdf.len() / 4], "the PDF cannot be read");
}

#[test]
fn a_text_file_claiming_to_be_a_pdf_exits_2() {
    assert_unreadable(
        b"%PDF-1.7\nSECRET\n1. (S) Karl Brandt is not a PDF object.\n",
        "the PDF cannot be read",
    );
}

/// The contract of docs/cli.md for a PDF that cannot be read, command by command: every
/// command that reads documents stops with exit 2, names the file, and prints no text.
#[test]
fn a_fake_pdf_exits_2_for_every_command_that_reads_documents() {
    let fake = b"%PDF-1.7\nSECRET\n1. (S) Karl Brandt is not a PDF object.\n";
    for args in [
        &["parse", "in.pdf"][..],
        &["audit", "--as-of", "2026-01-01", "in.pdf"],
        &["release", "--as-of", "2026-01-01", "in.pdf"],
        &["preview", "--as-of", "2026-01-01", "in.pdf"],
        &["policy", "explain", "--as-of", "2026-01-01", "in.pdf"],
    ] {
        let (o, _) = run(fake, args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("in.pdf"), "{args:?}: {err}");
        assert!(
            !err.contains("Brandt"),
            "{args:?}: the error names withheld text"
        );
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains("Brandt"),
            "{args:?} printed withheld text"
        );
    }
}
