//! `declass audit --fix [--dry-run] [--fix-log FILE]`: the I/O around
//! [`crate::audit::fix`]. Each file is read, fixed in memory, and written back atomically
//! (a temporary file renamed over it) only when something changed; `--dry-run` prints the
//! unified diff instead and writes nothing. Every change goes to the log as one JSON line:
//! file, line, before, after, rule. Standard input is not fixed (there is nothing to write
//! back to); a file that is not UTF-8 is left alone and reported.

use super::exit::Exit;
use super::files::{self, Inputs};
use crate::audit::fix::{fix, unified_diff};
use crate::output::write_atomic;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

#[derive(Serialize)]
struct LogEntry<'a> {
    file: &'a str,
    line: usize,
    before: &'a str,
    after: &'a str,
    rule: &'static str,
}

/// Fixes every file of `inputs`. `Exit::Findings` when some file could not be fixed,
/// `Exit::Usage` when the log cannot be written.
pub fn run(inputs: &Inputs, dry_run: bool, log: Option<&Path>) -> anyhow::Result<Exit> {
    // The log never goes over a document being fixed.
    if let Some(log) = log
        && inputs
            .iter()
            .any(|i| i.path().is_some_and(|p| same_file(p, log)))
    {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "declass: error: --fix-log {} is one of the inputs",
            log.display()
        );
        return Ok(Exit::Usage);
    }
    let mut entries = String::new();
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for input in inputs.iter() {
        let Some(path) = input.path() else {
            super::driver::report(&input.display(), "standard input cannot be fixed in place");
            failed = true;
            continue;
        };
        let shown = input.display();
        let bytes = match files::read(&input) {
            Ok(b) => b,
            Err(e) => {
                super::driver::report(&shown, &e.message);
                failed = true;
                continue;
            }
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            super::driver::report(&shown, "not UTF-8: not fixed");
            failed = true;
            continue;
        };
        let (fixed, changes) = fix(text);
        if changes.is_empty() {
            continue;
        }
        for c in &changes {
            let entry = LogEntry {
                file: &shown,
                line: c.line,
                before: &c.before,
                after: &c.after,
                rule: c.rule.id(),
            };
            entries.push_str(&serde_json::to_string(&entry)?);
            entries.push('\n');
        }
        if dry_run {
            out.write_all(unified_diff(&shown, text, &fixed).as_bytes())?;
        } else if let Err(e) = write_atomic(path, fixed.as_bytes()) {
            super::driver::report(&shown, &files::io_message(&e));
            failed = true;
        }
    }
    out.flush()?;
    if let Some(log) = log
        && let Err(e) = write_atomic(log, entries.as_bytes())
    {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "declass: error: {}: {}",
            log.display(),
            files::io_message(&e)
        );
        return Ok(Exit::Usage);
    }
    Ok(if failed {
        Exit::Findings
    } else {
        Exit::Success
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
