//! The batch consistency pass keeps its signatures in temporary files under `TMPDIR`
//! (`src/release/consistency/spill.rs`): when they cannot be written, the release must
//! stop with exit 2 and say why, never release the batch without the check.

use crate::common;

use std::process::Command;

const QUOTED: [&str; 2] = [
    "tests/fixtures/exemptions/quoted-a.txt",
    "tests/fixtures/exemptions/quoted-b.txt",
];

fn release(tmpdir: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(common::root())
        .env("TMPDIR", tmpdir)
        .args(["release", QUOTED[0], QUOTED[1], "--as-of", "2026-01-01"])
        .args(["--no-sync", "--out-dir"])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn an_unwritable_tmpdir_stops_the_release_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = release(&dir.path().join("no-such-folder"), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("consistency"), "{err}");
    assert!(err.contains("no-such-folder"), "{err}");
    assert!(err.contains("TMPDIR"), "{err}");
    // Nothing was released.
    let written: Vec<_> = walk(&out);
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn with_a_writable_tmpdir_the_pair_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let o = release(&tmp, &dir.path().join("out"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("1 pair of paragraphs decided differently"),
        "{err}"
    );
    // The temporary files are unlinked: nothing is left behind.
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

/// Every file under `dir` (none when it does not exist).
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let p = e.path();
            if p.is_dir() { walk(&p) } else { vec![p] }
        })
        .collect()
}
