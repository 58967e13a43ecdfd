//! The per-file driver every command uses: expand the arguments into inputs (a missing
//! path named on the command line stops the job before anything is done), read, decode
//! and parse each input, report a file's failure one way (`declass: FILE: message`,
//! the file named once), and hand results over in input order on worker threads, with
//! progress on a terminal.

use super::args::settings;
use super::batch;
use super::exit::Exit;
use super::files::{self, Input, Inputs};
use crate::document::Document;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// A file that failed: its name as messages show it, and what went wrong (never its
/// name again).
#[derive(Debug)]
pub struct FileError {
    pub input: String,
    pub message: String,
    /// The input claims a format it cannot be read as (an encrypted, damaged or fake
    /// PDF): the batch goes on, then ends with exit 2 ([`Exit::of_batch`]).
    pub unreadable: bool,
}

impl From<files::InputError> for FileError {
    fn from(e: files::InputError) -> FileError {
        FileError {
            input: e.input,
            message: e.message,
            unreadable: false,
        }
    }
}

/// Prints a file's failure to stderr, naming the file once.
pub fn report(input: &str, message: &str) {
    let _ = writeln!(std::io::stderr(), "declass: {input}: {message}");
}

/// The failed files of a batch, counted as [`Exit::of_batch`] counts them.
#[derive(Debug, Default)]
pub struct Failures {
    pub failed: usize,
    /// Of those, the inputs not readable as what they claim to be.
    pub unreadable: usize,
}

impl Failures {
    /// Counts the walk failures of `expanded` (already reported).
    pub fn of(expanded: &Expanded) -> Failures {
        Failures {
            failed: expanded.failed.len(),
            unreadable: 0,
        }
    }

    /// Reports a failed file on stderr and counts it.
    pub fn add(&mut self, e: &FileError) {
        self.failed += 1;
        self.unreadable += usize::from(e.unreadable);
        report(&e.input, &e.message);
    }

    /// The batch's exit code, with `more` failures of the command's own (audit findings,
    /// lines a parse could not place).
    pub fn exit(&self, more: usize) -> Exit {
        Exit::of_batch(self.failed + more, self.unreadable)
    }
}

/// Prints a note or warning about a file, unless `--quiet`.
pub fn note(input: &str, message: &str) {
    if !settings().quiet {
        report(input, message);
    }
}

/// The inputs of a job, and the entries its directory walks could not read (each
/// already reported on stderr; they count as failed files).
pub struct Expanded {
    pub inputs: Inputs,
    pub failed: Vec<FileError>,
}

/// Expands FILE|DIR|- arguments. A path named on the command line that is missing (or
/// is not a file or directory) means the job cannot run as asked: every such path is
/// reported and the job ends with exit 2 before reading or writing anything. Entries a
/// directory walk could not read are reported and counted, and the job goes on.
pub fn expand(args: &[PathBuf]) -> Result<Expanded, Exit> {
    let (inputs, errors) = files::expand(args);
    if errors.iter().any(|e| e.argument) {
        for e in errors.iter().filter(|e| e.argument) {
            report(&e.input, &e.message);
        }
        return Err(Exit::Usage);
    }
    for e in &errors {
        report(&e.input, &e.message);
    }
    Ok(Expanded {
        inputs,
        failed: errors.into_iter().map(FileError::from).collect(),
    })
}

/// Reads one file named on the command line whole, for a command that takes files one
/// by one rather than as a batch (`verify`). The same rule as [`expand`]: a missing path,
/// or one that is not a file, is reported and the job cannot run (exit 2); a file that
/// exists but cannot be read is reported as a failed file (exit 1).
pub fn read_named(path: &Path) -> Result<Vec<u8>, Exit> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {}
        Ok(meta) => {
            let what = files::special_kind(&meta.file_type());
            report(
                &path.display().to_string(),
                &format!("not a regular file ({what})"),
            );
            return Err(Exit::Usage);
        }
        Err(e) => {
            report(&path.display().to_string(), &files::io_message(&e));
            return Err(Exit::Usage);
        }
    }
    let input = Input::File {
        path: path.to_path_buf(),
        root: None,
    };
    files::read(&input).map_err(|e| {
        report(&e.input, &e.message);
        Exit::Findings
    })
}

/// Reads, decodes and parses one input.
pub fn read_document(input: &Input) -> Result<Document, FileError> {
    files::with_bytes(input, |bytes| crate::parse::parse(bytes, input.file_name()))?.map_err(|e| {
        FileError {
            input: input.display(),
            message: e.to_string(),
            unreadable: e.unreadable(),
        }
    })
}

/// Runs `work` on each input's document on `threads` workers (0: every core) and hands
/// each result, or the file's failure, to `sink` in input order. Failures are not
/// reported here: the sink decides where they go (stderr, and a report format's own
/// error entry).
pub fn each_document<T, W, S>(inputs: &Inputs, threads: usize, work: W, mut sink: S)
where
    T: Send,
    W: Fn(&Input, Document) -> T + Sync,
    S: FnMut(&Input, Result<T, FileError>),
{
    let mut progress = Progress::new(inputs.len(), "read");
    batch::run_indexed(
        inputs.len(),
        batch::threads(threads),
        |i| {
            let input = inputs.get(i);
            read_document(&input).map(|doc| work(&input, doc))
        },
        |i, result| {
            sink(&inputs.get(i), result);
            progress.tick(i);
        },
    );
    progress.finish();
}

/// A `done/total` counter on stderr for long batches on a terminal (never with
/// `--quiet`, never into a pipe or log).
pub struct Progress {
    total: usize,
    verb: &'static str,
    shown: bool,
}

impl Progress {
    pub fn new(total: usize, verb: &'static str) -> Progress {
        Progress {
            total,
            verb,
            shown: total > 20 && !settings().quiet && std::io::stderr().is_terminal(),
        }
    }

    /// Input `i` (0-based, in order) is done.
    pub fn tick(&mut self, i: usize) {
        if self.shown {
            eprint!("\rdeclass: {} {}/{}", self.verb, i + 1, self.total);
        }
    }

    /// Ends the counter's line.
    pub fn finish(&mut self) {
        if std::mem::take(&mut self.shown) {
            eprintln!();
        }
    }
}
