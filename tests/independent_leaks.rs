//! Every text fixture released under the default policy, then read back by the
//! independent leak checker (`tests/independent/`, no code shared with declass): no
//! classified portion's opening words may stand in the text or JSON release. declass is
//! used only to make the release.

use crate::common;
use crate::independent;

use declass::document::Date;
use declass::job::{self, Format};
use declass::policy::{Context, Policy};
use independent::Level;
use std::path::{Path, PathBuf};

/// Files under `dir` that are documents to release: everything but policies, reports,
/// images and PDFs.
fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            documents(&p, out);
            continue;
        }
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !matches!(ext, "yaml" | "json" | "md" | "png" | "pdf" | "html" | "sh") {
            out.push(p);
        }
    }
}

#[test]
fn no_fixture_releases_a_classified_portion() {
    let mut files = Vec::new();
    documents(&common::root().join("tests/fixtures"), &mut files);
    documents(&common::root().join("samples"), &mut files);
    assert!(files.len() > 40, "fixtures found: {}", files.len());
    let policy = Policy::default_policy();
    let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
    let mut hits = Vec::new();
    let mut released = 0;
    let mut checked = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let source = String::from_utf8_lossy(&bytes);
        let name = path.strip_prefix(common::root()).unwrap_or(path);
        for format in [Format::Text, Format::Json] {
            // A release refused (parse error, gate, leak check) writes nothing: safe.
            let Ok(out) = job::produce(
                &bytes,
                &name.to_string_lossy(),
                &common::job(&policy, &ctx, format),
            ) else {
                continue;
            };
            released += 1;
            let release = independent::release_text(&out.bytes);
            let report = independent::report(&source, &release, Level::U);
            checked += report.checked;
            for h in report.hits.iter().filter(|h| !h.repeat) {
                hits.push(format!(
                    "{}:{}: {} ({})",
                    name.display(),
                    h.line,
                    h.level,
                    format.as_str()
                ));
            }
        }
    }
    assert!(released > 60, "releases made: {released}");
    assert!(checked > 200, "classified portions checked: {checked}");
    assert!(
        hits.is_empty(),
        "{} classified portions released:\n{}",
        hits.len(),
        hits.join("\n")
    );
}

/// Real documents, one per structural cause the checker found on the corpus (listed in
/// `tests/independent/fixtures/INDEX.md`): released, none may print a classified
/// portion. They fail on the code before the mark-anywhere guard (issue 13).
#[test]
fn known_leak_classes_release_no_classified_portion() {
    let mut files = Vec::new();
    documents(
        &common::root().join("tests/independent/fixtures"),
        &mut files,
    );
    assert!(files.len() >= 10, "fixtures found: {}", files.len());
    let policy = Policy::default_policy();
    let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
    let mut hits = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let source = String::from_utf8_lossy(&bytes);
        let name = path.strip_prefix(common::root()).unwrap_or(path);
        // the checker sees classified portions in every one of them
        assert!(
            independent::report(&source, "", Level::U).checked > 0,
            "{}",
            name.display()
        );
        for format in [Format::Text, Format::Json] {
            let job = common::job(&policy, &ctx, format);
            let Ok(out) = job::produce(&bytes, &name.to_string_lossy(), &job) else {
                continue;
            };
            let release = independent::release_text(&out.bytes);
            for h in independent::check(&source, &release, Level::U) {
                if !h.repeat {
                    let at = format!("{}:{}", name.display(), h.line);
                    hits.push(format!("{at}: {} ({})", h.level, format.as_str()));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "{} classified portions released:\n{}",
        hits.len(),
        hits.join("\n")
    );
}

/// The checker finds a portion planted back into a real release, and passes the release
/// as made.
#[test]
fn the_checker_finds_a_leak_planted_in_a_real_release() {
    let path = "tests/fixtures/cables/07SANAA473.txt";
    let bytes = common::read(path);
    let source = String::from_utf8_lossy(&bytes);
    let policy = Policy::default_policy();
    let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
    let out = job::produce(&bytes, path, &common::job(&policy, &ctx, Format::Text)).unwrap();
    let release = String::from_utf8(out.bytes).unwrap();
    assert!(independent::check(&source, &release, Level::U).is_empty());
    // the text of the first S paragraph, re-wrapped and re-cased into the release
    let portion = independent::portions(&source)
        .into_iter()
        .find(|p| p.level == Level::S && p.words.len() >= 12)
        .expect("an S portion");
    let planted = portion.words[..12]
        .join(" ")
        .to_uppercase()
        .replace(' ', "\n  ");
    let leaked = format!("{release}\n{planted}\n");
    let hits = independent::check(&source, &leaked, Level::U);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!((hits[0].line, hits[0].level), (portion.line, Level::S));
    // above the target S nothing is checked
    assert!(independent::check(&source, &leaked, Level::S).is_empty());
}

/// A release carries `(S) [B1]` placeholder lines: a release read as a source has no
/// classified words to find.
#[test]
fn placeholder_lines_are_not_flagged() {
    let release = common::read_text("samples/07PRAGUE486.release.txt");
    assert!(independent::check(&release, &release, Level::U).is_empty());
    let lines = "2. (S) [B1]\n3. (S//NF) [B1, 1.4(B), 1.4(D)]\n-- (C) [B1]\n";
    assert!(independent::check(lines, lines, Level::U).is_empty());
}
