//! How `declass release` commits a batch: each input's outputs are staged, made durable
//! a group at a time, renamed into place as a pair (both or neither), and reported in
//! input order. Part of the release command, after `one` has produced an input's
//! bytes.

use crate::cli::batch;
use crate::cli::driver;
use crate::cli::files::{self, Input, Inputs};
use crate::output;
use std::path::PathBuf;

/// What one input produced, and its files still to be renamed into place (when a group
/// commit makes them durable first).
pub(super) struct Written {
    pub(super) outcome: Outcome,
    pub(super) staged: Vec<output::Staged>,
}

/// What one input produced.
pub(super) enum Outcome {
    /// Written to a file (or to be printed, for stdout), with its manifest.
    Done {
        bytes: Option<Vec<u8>>,
        manifest: String,
        warnings: Vec<String>,
        log: crate::release::log::DocumentLog,
    },
    Failed(String),
    /// The input could not be read at all (an encrypted, damaged or fake PDF): the job
    /// goes on with the other files, then ends with exit 2 (issue 17).
    Unreadable(String),
}

/// Outputs per group commit. Larger groups mean fewer file-system syncs (one per group)
/// but more temporary files waiting, and more left behind if the process is killed.
const GROUP: usize = 256;

/// Runs the batch with durable outputs: the ordering thread hands groups of finished
/// inputs to a committer thread, which makes each group's data durable in one sync,
/// renames its files into place, syncs their directories, then reports each input in
/// order. The workers go on producing while a group is being synced.
pub(super) fn commit_in_groups<W>(inputs: &Inputs, threads: usize, work: W, tally: Tally) -> Tally
where
    W: Fn(usize, &Input) -> Written + Sync,
{
    std::thread::scope(|scope| {
        // One group waiting while another commits: enough to keep the disk busy.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(usize, Written)>>(1);
        let committer = scope.spawn(move || {
            let mut tally = tally;
            for group in rx {
                for (i, outcome) in commit_group(group) {
                    tally.report(inputs, i, outcome);
                }
            }
            tally
        });
        let mut group = Vec::with_capacity(GROUP);
        batch::run_indexed(
            inputs.len(),
            threads,
            |i| work(i, &inputs.get(i)),
            |i, written| {
                group.push((i, written));
                if group.len() >= GROUP {
                    let full = std::mem::replace(&mut group, Vec::with_capacity(GROUP));
                    // The committer only stops early by panicking, which the join reports.
                    let _ = tx.send(full);
                }
            },
        );
        if !group.is_empty() {
            let _ = tx.send(group);
        }
        drop(tx);
        committer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// Commits one group: its data durable first, then each input's files renamed in order
/// (an input whose rename fails keeps its earlier files, as when written one by one),
/// then each directory synced once so the renames are durable too.
fn commit_group(group: Vec<(usize, Written)>) -> Vec<(usize, Outcome)> {
    let all: Vec<&output::Staged> = group.iter().flat_map(|(_, w)| &w.staged).collect();
    let durable = output::make_durable(&all);
    let outcomes = group
        .into_iter()
        .map(|(i, Written { outcome, staged })| {
            let outcome = match commit_all(staged, durable.as_ref().err()) {
                Ok(()) => outcome,
                Err(message) => Outcome::Failed(message),
            };
            (i, outcome)
        })
        .collect();
    // After a failed sync nothing was renamed, so there is nothing to make durable.
    for dir in durable.iter().flatten() {
        output::sync_dir(dir);
    }
    outcomes
}

/// Renames one input's staged files in order (its manifest, then its release). The first
/// failure (or the group's sync failure) is the input's error: its later files are
/// dropped, which removes them, and the ones already renamed are removed too, so that an
/// input ends with both its files or neither.
pub(super) fn commit_all(
    staged: Vec<output::Staged>,
    sync_error: Option<&std::io::Error>,
) -> Result<(), String> {
    let mut done: Vec<PathBuf> = Vec::new();
    let mut staged = staged.into_iter();
    for file in staged.by_ref() {
        let path = file.path().to_path_buf();
        let failed = match sync_error {
            Some(e) => Some(files::io_message(e)),
            None => file.commit().err().map(|e| files::io_message(&e)),
        };
        if let Some(message) = failed {
            // The release (last) goes before the manifest, as in `one`.
            staged.rev().for_each(drop);
            for committed in done {
                let _ = std::fs::remove_file(committed);
            }
            return Err(format!("{}: {message}", path.display()));
        }
        done.push(path);
    }
    Ok(())
}

/// What the batch reports as it goes, and keeps for the end.
pub(super) struct Tally {
    pub(super) log: Option<crate::cli::exemption_log::LogSink>,
    pub(super) progress: driver::Progress,
    /// The combined manifest (`--manifest` with a batch), written as documents come.
    pub(super) combined: Option<crate::cli::manifest_sink::ManifestSink>,
    pub(super) failed: usize,
    /// Inputs that could not be read at all (also counted in `failed`).
    pub(super) unreadable: usize,
    pub(super) stdout_bytes: Option<Vec<u8>>,
}

impl Tally {
    /// Reports input `i`'s outcome, in input order.
    pub(super) fn report(&mut self, inputs: &Inputs, i: usize, outcome: Outcome) {
        let unreadable = matches!(outcome, Outcome::Unreadable(_));
        match outcome {
            Outcome::Done {
                bytes,
                manifest,
                warnings,
                log,
            } => {
                if let Some(sink) = self.log.as_mut() {
                    sink.document(&log);
                }
                for w in warnings {
                    driver::note(&inputs.get(i).display(), &format!("warning: {w}"));
                }
                if bytes.is_some() {
                    self.stdout_bytes = bytes;
                }
                if let Some(sink) = self.combined.as_mut() {
                    sink.document(manifest);
                }
            }
            Outcome::Failed(message) | Outcome::Unreadable(message) => {
                self.failed += 1;
                self.unreadable += usize::from(unreadable);
                driver::report(&inputs.get(i).display(), &message);
            }
        }
        self.progress.tick(i);
    }
}
