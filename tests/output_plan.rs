//! CLI contract of the output plan (issue 14): every way a job could write one output over
//! another, or over a file it reads, is refused before anything is written (exit 2, a
//! message naming both), and no file that existed changes (checked by digest before and
//! after); same-named files from several input roots get distinct outputs; special files
//! are refused or skipped, never waited on; the stamp says PART whenever anything is cited.

use crate::common;

use common::{declass_in, read, stderr};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Output;

const AS_OF: &str = "2026-01-01";

fn seed() -> Vec<u8> {
    read("samples/07PRAGUE486.txt")
}

/// A work directory with `a/x.txt` and `b/x.txt` (the seed), a copy of the shipped
/// policy as `pol.yaml`, and a 40-byte digest key.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["a/x.txt", "b/x.txt"] {
        let p = dir.path().join(f);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, seed()).unwrap();
    }
    fs::write(
        dir.path().join("pol.yaml"),
        read("policies/foia-release.yaml"),
    )
    .unwrap();
    fs::write(dir.path().join("key"), [0x5a; 40]).unwrap();
    dir
}

/// Every file under `dir` (links not followed) with the SHA-256 of its bytes, or what it
/// links to.
fn checksums(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            if meta.is_dir() {
                out.insert(rel, "dir".into());
                stack.push(p);
            } else if meta.is_symlink() {
                out.insert(rel, format!("-> {}", fs::read_link(&p).unwrap().display()));
            } else if meta.is_file() {
                let digest = Sha256::digest(fs::read(&p).unwrap());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                out.insert(rel, hex);
            } else {
                out.insert(rel, "special".into());
            }
        }
    }
    out
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["release", "--as-of", AS_OF];
    all.extend_from_slice(args);
    declass_in(dir, &all)
}

/// Runs a job that must be refused: exit 2, a message holding each of `says`, and not
/// one file under the work directory changed, appeared or went.
fn refused(dir: &Path, args: &[&str], says: &[&str]) {
    let before = checksums(dir);
    let o = run(dir, args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    for s in says {
        assert!(err.contains(s), "{args:?}: `{s}` not in: {err}");
    }
    assert!(o.stdout.is_empty(), "{args:?}: nothing released");
    assert_eq!(checksums(dir), before, "{args:?}: a file changed");
}

#[test]
fn same_named_files_of_two_named_inputs_are_refused() {
    let dir = workdir();
    refused(
        dir.path(),
        &["a/x.txt", "b/x.txt", "--out-dir", "o"],
        &[
            "the release of a/x.txt and the release of b/x.txt",
            "o/x.release.txt",
            "nothing was written",
        ],
    );
}

#[test]
fn several_directory_roots_keep_their_files_apart() {
    let dir = workdir();
    let before = checksums(dir.path());
    let o = run(dir.path(), &["a", "b", "--out-dir", "o"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["o/a/x.release.txt", "o/b/x.release.txt"] {
        assert!(dir.path().join(f).is_file(), "{f}");
        assert!(
            dir.path()
                .join(f.replace(".txt", ".manifest.json"))
                .is_file(),
            "{f}'s manifest"
        );
    }
    // Inputs, policy and key untouched.
    let after = checksums(dir.path());
    for (path, sum) in &before {
        assert_eq!(after.get(path), Some(sum), "{}", path.display());
    }
    // One root keeps today's layout.
    let o = run(dir.path(), &["a", "--out-dir", "single"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("single/x.release.txt").is_file());
}

#[test]
fn names_that_are_not_utf8_give_distinct_outputs() {
    let dir = workdir();
    let u = dir.path().join("u");
    fs::create_dir(&u).unwrap();
    for byte in [0xfe_u8, 0xff] {
        let name = [b'x', byte, b'.', b't', b'x', b't'];
        fs::write(u.join(OsStr::from_bytes(&name)), seed()).unwrap();
    }
    let o = run(dir.path(), &["u", "--out-dir", "o"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut releases: Vec<Vec<u8>> = fs::read_dir(dir.path().join("o"))
        .unwrap()
        .map(|e| e.unwrap().file_name().as_bytes().to_vec())
        .filter(|n| n.ends_with(b".release.txt"))
        .collect();
    releases.sort();
    assert_eq!(
        releases,
        [b"x\xfe.release.txt".to_vec(), b"x\xff.release.txt".to_vec()]
    );
}

#[test]
fn a_release_and_its_manifest_on_one_path_are_refused() {
    let dir = workdir();
    refused(
        dir.path(),
        &["a/x.txt", "-o", "out.txt", "--manifest", "out.txt"],
        &[
            "the release of a/x.txt and the manifest of a/x.txt",
            "out.txt",
        ],
    );
    refused(
        dir.path(),
        &[
            "a/x.txt",
            "--out-dir",
            "o",
            "--manifest",
            "o/./x.release.txt",
        ],
        &["the release of a/x.txt and the --manifest file"],
    );
    // The same, with the release there already from an earlier run.
    let o = run(dir.path(), &["a/x.txt", "--out-dir", "o"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    refused(
        dir.path(),
        &["a/x.txt", "--out-dir", "o", "--manifest", "o/x.release.txt"],
        &["would both be written to"],
    );
}

#[test]
fn the_policy_and_the_key_are_never_outputs() {
    let dir = workdir();
    refused(
        dir.path(),
        &["a/x.txt", "-o", "pol.yaml", "--policy", "pol.yaml"],
        &["refusing to overwrite the policy file pol.yaml"],
    );
    refused(
        dir.path(),
        &["a/x.txt", "-o", "./sub/../key", "--digest-key", "key"],
        &["refusing to overwrite the digest key key"],
    );
    refused(
        dir.path(),
        &[
            "a/x.txt",
            "-o",
            "out.txt",
            "--manifest",
            "pol.yaml",
            "--policy",
            "pol.yaml",
        ],
        &["refusing to overwrite the policy file", "manifest"],
    );
    // Another name for the same file: a hard link, and a symlink.
    fs::hard_link(dir.path().join("pol.yaml"), dir.path().join("hard.yaml")).unwrap();
    std::os::unix::fs::symlink("key", dir.path().join("soft")).unwrap();
    refused(
        dir.path(),
        &["a/x.txt", "-o", "hard.yaml", "--policy", "pol.yaml"],
        &["refusing to overwrite the policy file pol.yaml"],
    );
    refused(
        dir.path(),
        &["a/x.txt", "-o", "soft", "--digest-key", "key"],
        &["refusing to overwrite the digest key key"],
    );
}

#[test]
fn an_earlier_output_linked_to_an_input_is_not_replaced() {
    let dir = workdir();
    fs::create_dir(dir.path().join("o")).unwrap();
    fs::hard_link(
        dir.path().join("b/x.txt"),
        dir.path().join("o/x.release.txt"),
    )
    .unwrap();
    refused(
        dir.path(),
        &["b/x.txt", "--out-dir", "o"],
        &["refusing to overwrite the input b/x.txt"],
    );
}

#[test]
fn digest_keys_that_are_empty_or_short_are_refused() {
    let dir = workdir();
    fs::write(dir.path().join("empty"), b"").unwrap();
    fs::write(dir.path().join("short"), [1; 31]).unwrap();
    refused(
        dir.path(),
        &["a/x.txt", "-o", "r.txt", "--digest-key", "empty"],
        &["empty: the digest key is empty"],
    );
    refused(
        dir.path(),
        &["a/x.txt", "-o", "r.txt", "--digest-key", "short"],
        &["the digest key is 31 bytes; give at least 32"],
    );
    refused(
        dir.path(),
        &["a/x.txt", "-o", "r.txt", "--digest-key", "/dev/zero"],
        &["/dev/zero: not a regular file"],
    );
}

#[test]
fn special_files_are_refused_by_name_and_skipped_in_a_walk() {
    let dir = workdir();
    refused(
        dir.path(),
        &["/dev/zero"],
        &["/dev/zero: not a regular file (a character device)"],
    );
    refused(
        dir.path(),
        &["a/x.txt", "missing.txt", "--out-dir", "o"],
        &["missing.txt: no such file or directory"],
    );
    // A FIFO in an input tree: reported and skipped, the rest released, no hang.
    let fifo = dir.path().join("a/pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let o = run(dir.path(), &["a", "--out-dir", "o"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a/pipe.txt: not a regular file (a FIFO); skipped"),
        "{}",
        stderr(&o)
    );
    assert!(dir.path().join("o/x.release.txt").is_file());
    // Named explicitly, the FIFO is refused up front.
    refused(
        dir.path(),
        &["a/pipe.txt"],
        &["not a regular file (a FIFO)"],
    );
}

#[test]
fn output_paths_of_the_wrong_kind_say_so() {
    let dir = workdir();
    refused(
        dir.path(),
        &["a/x.txt", "-o", "b"],
        &["b: is a directory; -o takes a file name"],
    );
    refused(
        dir.path(),
        &["a/x.txt", "--out-dir", "pol.yaml"],
        &["pol.yaml: --out-dir names a file, not a directory"],
    );
}

#[test]
fn a_release_with_only_span_redactions_is_stamped_part() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("doc.txt"),
        "UNCLASSIFIED\n\nSUBJECT: (U) VISIT\n\n1. (U) The minister met Jan Novak on Monday.\n\n2. (U) Nothing else.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("p.yaml"),
        "name: spans\ndescription: d\nversion: 1\nrules:\n  - name: all\n    action: release\n    redact: [{codes: [B6], terms: [Jan Novak]}]\ndefault: {action: withhold, codes: [B5]}\n",
    )
    .unwrap();
    let o = run(dir.path(), &["doc.txt", "--policy", "p.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.ends_with("RELEASE IN PART B6"), "{first}");
    assert!(!text.contains("Novak"), "{text}");
}

#[test]
fn values_printed_on_the_release_are_one_line() {
    let dir = workdir();
    for flag in ["--case", "--doc", "--authority"] {
        refused(
            dir.path(),
            &["a/x.txt", "-o", "r.txt", flag, "F-1\nTOP SECRET"],
            &["control character U+000A", flag],
        );
    }
}

#[test]
fn a_preview_never_replaces_the_policy_or_the_document() {
    let dir = workdir();
    fs::hard_link(dir.path().join("pol.yaml"), dir.path().join("hard.html")).unwrap();
    fs::hard_link(dir.path().join("a/x.txt"), dir.path().join("doc.html")).unwrap();
    for (html, says) in [
        ("hard.html", "refusing to overwrite the input pol.yaml"),
        ("doc.html", "refusing to overwrite the input a/x.txt"),
    ] {
        let before = checksums(dir.path());
        let o = declass_in(
            dir.path(),
            &["preview", "a/x.txt", "--policy", "pol.yaml", "--html", html],
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
        assert_eq!(checksums(dir.path()), before);
    }
}
