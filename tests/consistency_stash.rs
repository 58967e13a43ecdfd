//! The consistency pass produces each document's release as it signs it, and the release
//! pass takes it back instead of parsing again (`src/job/stash.rs`): the outputs of a
//! document the pass leaves alone must be those of a release without the pass, byte for
//! byte, and a document a conflict amends must be released again with its amendment.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir`, by its path below `dir`, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn release(input: &Path, out: &Path, consistency: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let o = Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(common::root())
        .args([
            "release",
            "--as-of",
            "2026-01-01",
            "--no-sync",
            "--consistency",
        ])
        .arg(consistency)
        .arg("--out-dir")
        .arg(out)
        .arg("--log")
        .arg(out.with_extension("log.json"))
        .arg(input)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    tree(out)
}

#[test]
fn documents_the_pass_leaves_alone_are_released_as_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let root = common::root();
    let mut copied = 0;
    for e in std::fs::read_dir(root.join("tests/fixtures/cables"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(e.path(), input.join(e.file_name())).unwrap();
        copied += 1;
    }
    for name in ["quoted-a.txt", "quoted-b.txt"] {
        std::fs::copy(
            root.join("tests/fixtures/exemptions").join(name),
            input.join(name),
        )
        .unwrap();
    }
    assert!(copied > 10, "the cable fixtures are there");
    let strict = release(&input, &dir.path().join("strict"), "strict");
    let off = release(&input, &dir.path().join("off"), "off");
    assert_eq!(
        strict.keys().collect::<Vec<_>>(),
        off.keys().collect::<Vec<_>>()
    );
    let mut amended = Vec::new();
    for (path, bytes) in &strict {
        if off[path] != *bytes {
            amended.push(path.to_string_lossy().into_owned());
        }
    }
    amended.sort();
    // The quoted pair is amended (the laxer one withheld, both noted in their manifests);
    // every other output, produced by the pass and taken from its stash, is the same.
    assert!(!amended.is_empty());
    assert!(
        amended.iter().all(|p| p.starts_with("quoted-")),
        "{amended:?}"
    );
    assert!(
        amended
            .iter()
            .any(|p| p == "quoted-b.release.txt" || p == "quoted-a.release.txt"),
        "{amended:?}"
    );
}
