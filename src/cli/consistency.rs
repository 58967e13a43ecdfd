//! `declass release --consistency strict|report|off`: the first pass of a batch release
//! that finds the same paragraph decided differently in two documents
//! ([`crate::release::consistency`]). It parses and decides every input in parallel,
//! keeps only each paragraph's signature, prints one line per conflicting pair on
//! stderr, and hands the release pass each document's amendments, keyed by how the input
//! is named.

use super::batch;
use super::files::{self, Input, Inputs};
use crate::job::{self, Job};
use crate::release::consistency::{self, DocSig, Fixes, Mode};
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

/// Runs the pass over a batch (two inputs or more); the amendments by input name.
pub fn pass(
    inputs: &Inputs,
    job: &Job<'_>,
    arg: ConsistencyArg,
    threads: usize,
) -> HashMap<String, Fixes> {
    let mode = match arg {
        ConsistencyArg::Strict => Mode::Strict,
        ConsistencyArg::Report => Mode::Report,
        ConsistencyArg::Off => Mode::Off,
    };
    if mode == Mode::Off || inputs.len() < 2 {
        return HashMap::new();
    }
    // The pass reads every input before the release reads it again: standard input can
    // be read only once, so with `-` among the inputs the pass is skipped, and said so.
    if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        eprintln!(
            "declass: consistency: skipped: standard input cannot be read twice; give the documents as files to compare them"
        );
        return HashMap::new();
    }
    let mut sigs: Vec<Option<DocSig>> = (0..inputs.len()).map(|_| None).collect();
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
        |i, sig| sigs[i] = sig,
    );
    let sigs: Vec<DocSig> = sigs.into_iter().flatten().collect();
    let outcome = consistency::run(&sigs, mode);
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
    sigs.into_iter()
        .zip(outcome.fixes)
        .filter(|(_, f)| !f.is_empty())
        .map(|(s, f)| (s.name, f))
        .collect()
}
