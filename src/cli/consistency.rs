//! `declass release --consistency strict|report|off`: the first pass of a batch release
//! that finds the same paragraph decided differently in two documents
//! ([`crate::release::consistency`]). It parses and decides every input in parallel,
//! keeps only each paragraph's signature, prints one line per conflicting pair on
//! stderr, and hands the release pass each document's amendments, keyed by how the input
//! is named. Having parsed and decided each input, it also produces its release as if
//! nothing were amended and stashes it ([`crate::job::stash`]), so that the release pass
//! parses again only the documents a conflict amends.

use super::batch;
use super::files::{self, Input, Inputs};
use crate::job::stash::{Stash, StashWriter};
use crate::job::{self, Job, Produced};
use crate::release::consistency::{Fixes, Mode, Spill, SpillError};
use clap::ValueEnum;
use std::collections::HashMap;
use std::fs::File;

/// At most this many bytes of releases are stashed (in `TMPDIR`) between the passes; the
/// documents past it are parsed again by the release pass, as before the stash. Bulk
/// (49 MB, 6,448 cables) stashes about 46 MB (its releases, manifests and log rows), so
/// the budget covers batches of about 4 GB of text.
const STASH_BUDGET: u64 = 4 << 30;

/// What the pass hands the release: the amendments by input name, and the releases it
/// produced on the way (none when the pass did not run or could not stash them).
#[derive(Default)]
pub struct Passed {
    pub fixes: HashMap<String, Fixes>,
    stash: Option<Stash<File>>,
}

impl Passed {
    /// Input `i`'s release as the pass produced it, when the pass amends nothing in it
    /// (`None`: the release pass produces it itself).
    pub fn produced(&self, i: usize, fix: Option<&Fixes>) -> Option<Produced> {
        match fix {
            Some(_) => None,
            None => self.stash.as_ref()?.take(i),
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ConsistencyArg {
    /// Report pairs decided differently and give both the stricter decision.
    Strict,
    /// Report pairs decided differently, change nothing.
    Report,
    /// No cross-document check.
    Off,
}

/// Runs the pass over a batch (two inputs or more): the amendments by input name and the
/// stashed releases. The signatures go to unlinked temporary files under `TMPDIR` as the
/// inputs are read ([`Spill`]), so memory does not grow with the batch; an error writing
/// or reading them stops the release (exit 2) rather than release the batch unchecked.
/// The stash is another unlinked temporary file; without it (it could not be made, or
/// was full) the release pass parses the documents again.
pub fn pass(
    inputs: &Inputs,
    job: &Job<'_>,
    arg: ConsistencyArg,
    threads: usize,
) -> anyhow::Result<Passed> {
    let mode = match arg {
        ConsistencyArg::Strict => Mode::Strict,
        ConsistencyArg::Report => Mode::Report,
        ConsistencyArg::Off => Mode::Off,
    };
    if mode == Mode::Off || inputs.len() < 2 {
        return Ok(Passed::default());
    }
    // The pass reads every input before the release reads it again: standard input can
    // be read only once, so with `-` among the inputs the pass is skipped, and said so.
    if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        eprintln!(
            "declass: consistency: skipped: standard input cannot be read twice; give the documents as files to compare them"
        );
        return Ok(Passed::default());
    }
    let tmp = std::env::temp_dir();
    let failed = |e: SpillError| {
        anyhow::anyhow!(
            "consistency: {e} (under {}; set TMPDIR to a writable folder with room, or use --consistency off)",
            tmp.display()
        )
    };
    let mut spill = Spill::new(tempfile::tempfile).map_err(failed)?;
    let mut stash = tempfile::tempfile()
        .ok()
        .map(|f| StashWriter::new(f, STASH_BUDGET));
    let mut error: Option<SpillError> = None;
    batch::run_indexed(
        inputs.len(),
        threads,
        |i| {
            let input = inputs.get(i);
            // An input that cannot be read or parsed, or whose release fails, is
            // reported by the release pass, which produces it again.
            files::with_bytes(&input, |bytes| {
                job::sign_and_produce(bytes, &input.display(), job).ok()
            })
            .ok()
            .flatten()
            // The release itself goes to the stash's writer, which writes its record
            // straight to the file ([`StashWriter::push_produced`]).
            .map(|(sig, produced)| (sig, produced.ok()))
        },
        |i, signed| {
            let (sig, record) = signed.unzip();
            if let Some(stash) = stash.as_mut() {
                stash.push_produced(record.flatten().as_ref());
            }
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
    // An amended document is produced again; its unamended release leaves the stash.
    if let Some(stash) = stash.as_mut() {
        outcome.fixes.keys().for_each(|&i| stash.forget(i));
    }
    Ok(Passed {
        fixes: outcome
            .fixes
            .into_iter()
            .map(|(i, f)| (inputs.get(i).display(), f))
            .collect(),
        stash: stash.and_then(StashWriter::finish),
    })
}
