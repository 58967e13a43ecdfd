//! `declass release --consistency strict|report|off`: the first pass of a batch release
//! that finds the same paragraph decided differently in two documents
//! ([`crate::release::consistency`]). It parses and decides every input in parallel,
//! keeps only each paragraph's signature, prints one line per conflicting pair on
//! stderr, and hands the release pass each document's amendments, keyed by how the input
//! is named.

use super::batch;
use super::files::{self, Input, Inputs};
use crate::job::{self, Job};
use crate::release::consistency::{Fixes, Mode, Spill, SpillError};
use clap::ValueEnum;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ConsistencyArg {
    /// Report pairs decided differently and give both the stricter decision.
    Strict,
    /// Report pairs decided differently, change nothing.
    Report,
    /// No cross-document check.
    Off,
}

/// Runs the pass over a batch (two inputs or more); the amendments by input name. The
/// signatures go to unlinked temporary files under `TMPDIR` as the inputs are read
/// ([`Spill`]), so memory does not grow with the batch; an error writing or reading
/// them stops the release (exit 2) rather than release the batch unchecked.
pub fn pass(
    inputs: &Inputs,
    job: &Job<'_>,
    arg: ConsistencyArg,
    threads: usize,
) -> anyhow::Result<HashMap<String, Fixes>> {
    let mode = match arg {
        ConsistencyArg::Strict => Mode::Strict,
        ConsistencyArg::Report => Mode::Report,
        ConsistencyArg::Off => Mode::Off,
    };
    if mode == Mode::Off || inputs.len() < 2 {
        return Ok(HashMap::new());
    }
    // The pass reads every input before the release reads it again: standard input can
    // be read only once, so with `-` among the inputs the pass is skipped, and said so.
    if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        eprintln!(
            "declass: consistency: skipped: standard input cannot be read twice; give the documents as files to compare them"
        );
        return Ok(HashMap::new());
    }
    let tmp = std::env::temp_dir();
    let failed = |e: SpillError| {
        anyhow::anyhow!(
            "consistency: {e} (under {}; set TMPDIR to a writable folder with room, or use --consistency off)",
            tmp.display()
        )
    };
    let mut spill = Spill::new(tempfile::tempfile).map_err(failed)?;
    let mut error: Option<SpillError> = None;
    batch::run_indexed(
        inputs.len(),
        threads,
        |i| {
            let input = inputs.get(i);
            // An input that cannot be read or parsed is reported by the release pass.
            files::with_bytes(&input, |bytes| {
                job::signature(bytes, &input.display(), job).ok()
            })
            .ok()
            .flatten()
        },
        |i, sig| {
            if let (Some(sig), None) = (sig, &error) {
                error = spill.add(i, &sig).err();
            }
        },
    );
    if let Some(e) = error {
        return Err(failed(e));
    }
    let outcome = spill
        .finish(mode, |i| inputs.get(i).display())
        .map_err(failed)?;
    for line in &outcome.report {
        eprintln!("declass: consistency: {line}");
    }
    if outcome.conflicts > 0 {
        eprintln!(
            "declass: consistency: {} pair{} of paragraphs decided differently{}",
            outcome.conflicts,
            if outcome.conflicts == 1 { "" } else { "s" },
            if mode == Mode::Strict {
                "; each given the stricter decision"
            } else {
                ""
            }
        );
    }
    Ok(outcome
        .fixes
        .into_iter()
        .map(|(i, f)| (inputs.get(i).display(), f))
        .collect())
}
