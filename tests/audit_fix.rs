//! `declass audit --fix`: CLI contract tests. Fixing is idempotent, never changes a level,
//! `--dry-run` prints exactly the change it would make and writes nothing, the write is
//! atomic (nothing left beside the file), and every change is logged.

use declass::document::Document;
use std::path::Path;

use crate::common;
use common::{declass_in, stdout};

const DOC: &str = "SECRET//NOFORN\r\n\r\n1. (S/NF) The station reported the meeting.\r\n\r\n\
2. (U//F0U0) The weather was fair.\r\n\r\n   a. (C-NF) Sub item text here.\r\n\r\n\
3. (S//NF) Already canonical.\r\n\r\nClassified By: J. Smith\r\nReason: 1.4(c)\r\n\
Declassify On: 20450101\r\n";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("doc.txt"), DOC).expect("write");
    dir
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("doc.txt")).expect("read")
}

fn levels(text: &str) -> Vec<Option<declass::marking::Level>> {
    let doc: Document = declass::parse::parse_str(text).expect("parses");
    doc.paragraphs
        .iter()
        .map(|p| p.marking.as_ref().map(|m| m.level))
        .collect()
}

#[test]
fn dry_run_prints_the_change_and_writes_nothing() {
    let dir = setup();
    let dry = declass_in(dir.path(), &["audit", "--fix", "--dry-run", "doc.txt"]);
    assert_eq!(dry.status.code(), Some(0));
    assert_eq!(read(dir.path()), DOC, "dry run wrote");
    let diff = stdout(&dry);
    let fixed = declass_in(dir.path(), &["audit", "--fix", "doc.txt"]);
    assert_ne!(fixed.status.code(), Some(2));
    let after = read(dir.path());
    // The diff's removed and added lines are exactly the lines that changed.
    let mut minus = Vec::new();
    let mut plus = Vec::new();
    for (old, new) in DOC.split_inclusive('\n').zip(after.split_inclusive('\n')) {
        if old != new {
            minus.push(format!("-{old}"));
            plus.push(format!("+{new}"));
        }
    }
    assert_eq!(minus.len(), 3, "{after}");
    let shown_minus: Vec<String> = diff
        .split_inclusive('\n')
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .map(str::to_string)
        .collect();
    let shown_plus: Vec<String> = diff
        .split_inclusive('\n')
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .map(str::to_string)
        .collect();
    assert_eq!(shown_minus, minus);
    assert_eq!(shown_plus, plus);
}

#[test]
fn fix_is_idempotent_atomic_keeps_levels_and_logs_every_change() {
    let dir = setup();
    let log = dir.path().join("fix.log");
    let first = declass_in(
        dir.path(),
        &["audit", "--fix", "--fix-log", "fix.log", "doc.txt"],
    );
    assert_ne!(first.status.code(), Some(2));
    let once = read(dir.path());
    assert!(once.contains("1. (S//NF) The station"), "{once}");
    assert!(once.contains("2. (U//FOUO) The weather"), "{once}");
    assert!(once.contains("a. (C//NF) Sub item"), "{once}");
    assert!(once.contains("\r\n"), "line ends kept");
    // Every mark readable before reads at the same level after; the damaged one reads at
    // the level printed on it, U.
    let (before, after) = (levels(DOC), levels(&once));
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        if b.is_some() {
            assert_eq!(b, a);
        }
    }
    assert_eq!(after[1], Some(declass::marking::Level::U));
    let entries: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .expect("log")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let summary: Vec<(u64, &str, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["before"].as_str().unwrap(),
                e["after"].as_str().unwrap(),
                e["rule"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (3, "(S/NF)", "(S//NF)", "DCL004"),
            (5, "(U//F0U0)", "(U//FOUO)", "DCL004"),
            (7, "(C-NF)", "(C//NF)", "DCL004")
        ]
    );
    assert!(entries.iter().all(|e| e["file"] == "doc.txt"));
    // Atomic: nothing but the document and the log beside it.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["doc.txt", "fix.log"]);
    // A second run changes nothing and logs nothing.
    declass_in(
        dir.path(),
        &["audit", "--fix", "--fix-log", "fix.log", "doc.txt"],
    );
    assert_eq!(read(dir.path()), once);
    assert_eq!(std::fs::read_to_string(&log).expect("log"), "");
}

#[test]
fn the_log_never_goes_over_an_input() {
    let dir = setup();
    let out = declass_in(
        dir.path(),
        &["audit", "--fix", "--fix-log", "doc.txt", "doc.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(dir.path()), DOC);
}

#[test]
fn the_write_replaces_the_file_whole() {
    // Atomic: the fixed text goes to a new file renamed over the old one, never written
    // into the old file in place. A hard link to the original therefore keeps the
    // original bytes whole, and the fixed file is complete (a partial in-place write
    // would show in the link).
    let dir = setup();
    std::fs::hard_link(dir.path().join("doc.txt"), dir.path().join("link.txt")).expect("link");
    let out = declass_in(dir.path(), &["audit", "--fix", "doc.txt"]);
    assert_ne!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("link.txt")).expect("read"),
        DOC
    );
    let fixed = read(dir.path());
    assert_ne!(fixed, DOC);
    assert_eq!(fixed, declass::audit::fix::fix(DOC).0);
}
