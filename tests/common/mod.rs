//! What the integration tests share: where the repository is, running the built binary,
//! reading what it printed, and comparing output with a snapshot. Each test crate includes
//! this module with `mod common;` and uses the part it needs.

#![allow(dead_code)] // each test crate uses a subset

use std::path::Path;
use std::process::{Command, Output};

/// The repository root: fixtures, samples and snapshots are named relative to it.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bytes of a file named relative to the repository root (or absolute).
pub fn read(path: impl AsRef<Path>) -> Vec<u8> {
    let path = path.as_ref();
    std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of a file named relative to the repository root (or absolute).
pub fn read_text(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    String::from_utf8(read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs the built `declass` in `dir` with `env` added. `NO_COLOR` from the caller's
/// environment is removed, so that a test decides about colour itself.
pub fn declass_env_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_declass"));
    cmd.current_dir(dir).env_remove("NO_COLOR").args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

/// Runs the built `declass` in `dir`, so that messages name files as the test typed them.
pub fn declass_in(dir: &Path, args: &[&str]) -> Output {
    declass_env_in(dir, args, &[])
}

/// Runs the built `declass` from the repository root.
pub fn declass(args: &[&str]) -> Output {
    declass_in(root(), args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Compares `actual` with `tests/snapshots/<dir>/<name>` byte for byte, or writes it when
/// `UPDATE_SNAPSHOTS` is set (read the diff before committing it).
pub fn snapshot(dir: &str, name: &str, actual: &str) {
    let path = root().join("tests/snapshots").join(dir).join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "snapshot {dir}/{name} differs; rerun with UPDATE_SNAPSHOTS=1 after checking it\n\
         --- expected\n{expected}\n--- actual\n{actual}"
    );
}

/// A release job as the library tests run it: the given policy and format, the date stamp
/// of the fixed `--as-of` (2026-01-01) the tests use, no case or document number, no key.
pub fn job<'a>(
    policy: &'a declass::policy::Policy,
    context: &'a declass::policy::Context,
    format: declass::job::Format,
) -> declass::job::Job<'a> {
    declass::job::Job {
        policy,
        context,
        format,
        stamping: declass::render::text::Stamping {
            case: None,
            doc: None,
            date: declass::document::Date::new(2026, 1, 1).unwrap(),
        },
        text: declass::render::text::TextOptions::default(),
        digest_key: None,
        review: None,
        log: true,
    }
}
