//! `declass release INPUT… [--policy P] [--as-of DATE] [-o OUT | --out-dir DIR]
//! [--format text|json|pdf] [--manifest FILE] [--case ID]`: the main job.
//!
//! One input with no output path goes to stdout. Batches run in parallel; each output is
//! guarded by the leak check (in the library) and written atomically; a file that fails is
//! reported and the others go on. Exit 1 if any file failed, 2 for usage or policy errors.

use super::batch;
use super::consistency::ConsistencyArg;
use super::exit::Exit;
use super::files::{self, Input, Inputs};
use super::output;
use super::policy::PolicyOptions;
use crate::release::consistency::Fixes;
use crate::release::pipeline::{self, Format, Job};
use crate::render::text::{Stamping, TextOptions};
use anyhow::bail;
use clap::{Args, ValueEnum};
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ReleaseArgs {
    /// Documents or directories (walked recursively), or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyOptions,
    /// Write the release here (one input only).
    #[arg(short = 'o', long, conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// Write releases under this directory, mirroring the input tree.
    #[arg(long = "out-dir")]
    pub out_dir: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Write the decision manifest (JSON) here; with several inputs, one JSON document
    /// holding every manifest. With --out-dir and no --manifest, each release gets a
    /// `.manifest.json` beside it.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Case number printed on every page (`F-2026-00001`).
    #[arg(long)]
    pub case: Option<String>,
    /// Document number printed on every page (`C0001`).
    #[arg(long = "doc")]
    pub doc_id: Option<String>,
    /// Pad every placeholder to a fixed width so that its size tells nothing.
    #[arg(long = "fixed-width", value_name = "CHARS", num_args = 0..=1, default_missing_value = "40")]
    pub fixed_width: Option<usize>,
    /// File holding a key for keyed digests (HMAC-SHA256) of withheld paragraphs in the manifest.
    #[arg(long = "digest-key", value_name = "FILE")]
    pub digest_key: Option<PathBuf>,
    /// Rename outputs into place without waiting for the disk: they stay atomic against a
    /// crash of declass, not against a power loss. By default a batch makes each group of
    /// 256 inputs' outputs durable (one syncfs) before renaming them. For scratch runs.
    #[arg(long = "no-sync")]
    pub no_sync: bool,
    /// Write the exemption log (a Vaughn index: one row per withheld or redacted portion,
    /// with its codes, rule and justification; never withheld text) here, as .csv, .json
    /// or .html.
    #[arg(long = "log", value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Across a batch, find the same paragraph decided differently in two documents:
    /// report each pair and give both the stricter decision (strict), only report it, or
    /// skip the check (off).
    #[arg(long, value_enum, default_value_t = ConsistencyArg::Strict)]
    pub consistency: ConsistencyArg,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long = "threads", default_value_t = 0)]
    pub threads: usize,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    Text,
    Json,
    Pdf,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Pdf => Format::Pdf,
        }
    }
}

/// What one input produced, and its files still to be renamed into place (when a group
/// commit makes them durable first).
struct Written {
    outcome: Outcome,
    staged: Vec<output::Staged>,
}

/// What one input produced.
enum Outcome {
    /// Written to a file (or to be printed, for stdout), with its manifest.
    Done {
        bytes: Option<Vec<u8>>,
        manifest: String,
        warnings: Vec<String>,
        log: crate::release::log::DocumentLog,
    },
    Failed(String),
}

pub fn run(args: ReleaseArgs) -> anyhow::Result<Exit> {
    let policy = match args.policy.load()? {
        Ok(p) => p,
        Err(exit) => return Ok(exit),
    };
    let context = args.policy.context();
    let digest_key = match &args.digest_key {
        Some(p) => Some(
            std::fs::read(p)
                .map_err(|e| anyhow::anyhow!("{}: {}", p.display(), files::io_message(&e)))?,
        ),
        None => None,
    };
    let (inputs, walk_errors) = files::expand(&args.inputs);
    for e in &walk_errors {
        super::report_file_error(&e.input, &e.message);
    }
    if inputs.is_empty() {
        bail!("no input documents found");
    }
    let format: Format = args.format.into();
    let to_stdout = args.output.is_none() && args.out_dir.is_none();
    if to_stdout && inputs.len() > 1 {
        bail!(
            "{} inputs: give --out-dir DIR to write their releases",
            inputs.len()
        );
    }
    if args.output.is_some() && inputs.len() > 1 {
        bail!(
            "-o takes one input; use --out-dir DIR for {} inputs",
            inputs.len()
        );
    }
    check_outputs(&args, &inputs)?;
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("{}: {}", dir.display(), files::io_message(&e)))?;
    }
    let as_of = context.as_of;
    let job = Job {
        policy: &policy,
        context: &context,
        format,
        stamping: Stamping {
            case: args.case.clone(),
            doc: args.doc_id.clone(),
            date: format!("{:02}/{:02}/{:04}", as_of.month, as_of.day, as_of.year),
        },
        text: TextOptions {
            fixed_width: args.fixed_width,
        },
        digest_key: digest_key.as_deref(),
    };
    let total = inputs.len();
    let made = make_out_dirs(&args, &inputs, format);
    let per_file_manifest = args.out_dir.is_some() && args.manifest.is_none();
    let defer = !args.no_sync;
    let threads = batch::threads(args.threads);
    let fixes = super::consistency::pass(&inputs, &job, args.consistency, threads);
    let work = |input: &Input| {
        let fix = fixes.get(&input.display());
        one(
            input,
            &job,
            &args,
            format,
            per_file_manifest,
            &made,
            defer,
            fix,
        )
    };
    let log = match &args.log {
        Some(path) => Some(super::exemption_log::LogSink::open(
            path,
            &policy,
            as_of.to_string(),
            args.case.clone(),
        )?),
        None => None,
    };
    let mut tally = Tally {
        log,
        progress: inputs.len() > 20 && std::io::stderr().is_terminal(),
        keep_manifests: args.manifest.is_some(),
        failed: walk_errors.len(),
        ..Tally::default()
    };
    if defer {
        tally = commit_in_groups(&inputs, threads, work, tally);
    } else {
        batch::run_indexed(
            inputs.len(),
            threads,
            |i| work(&inputs.get(i)),
            |i, written| {
                tally.report(&inputs, i, written.outcome);
            },
        );
    }
    if tally.progress {
        eprintln!();
    }
    let Tally {
        failed,
        mut manifests,
        stdout_bytes,
        log,
        ..
    } = tally;
    if let Some(log) = log {
        log.finish()?;
    }
    if let Some(bytes) = stdout_bytes {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)?;
        out.flush()?;
    }
    if let Some(path) = &args.manifest {
        let body = if manifests.len() == 1 && total == 1 {
            manifests.remove(0)
        } else {
            format!("{{\"documents\": [\n{}]}}\n", manifests.join(",\n"))
        };
        output::write_atomic(path, body.as_bytes())
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), files::io_message(&e)))?;
    }
    Ok(if failed > 0 {
        Exit::Findings
    } else {
        Exit::Success
    })
}

/// Refuses outputs that are inputs, and an output directory inside an input directory.
fn check_outputs(args: &ReleaseArgs, inputs: &Inputs) -> anyhow::Result<()> {
    if let Some(out) = &args.output {
        for input in inputs.iter() {
            if let Some(p) = input.path()
                && output::same_file(out, p)
            {
                bail!(
                    "refusing to overwrite the input {}: give another -o",
                    p.display()
                );
            }
        }
    }
    if let Some(dir) = &args.out_dir {
        for arg in &args.inputs {
            if arg.is_dir() && (output::inside(dir, arg) || same_dir(dir, arg)) {
                bail!(
                    "refusing to write releases inside the input tree {}: give an --out-dir outside it",
                    arg.display()
                );
            }
        }
    }
    if let Some(log) = &args.log
        && [&args.manifest, &args.output]
            .into_iter()
            .flatten()
            .any(|o| o == log || output::same_file(log, o))
    {
        bail!(
            "the exemption log {} would replace another output of this job: give it its own name",
            log.display()
        );
    }
    for m in args.manifest.iter().chain(&args.log) {
        for input in inputs.iter() {
            if let Some(p) = input.path()
                && output::same_file(m, p)
            {
                bail!(
                    "refusing to overwrite the input {} with the manifest",
                    p.display()
                );
            }
        }
    }
    Ok(())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// Where the release of `input` goes under `--out-dir`.
fn out_path(dir: &Path, input: &Input, format: Format) -> PathBuf {
    let (rel, stem) = match input {
        Input::Stdin => (PathBuf::new(), "stdin".to_string()),
        Input::File { path, root } => {
            let rel = root
                .as_ref()
                .and_then(|r| path.strip_prefix(r).ok())
                .and_then(Path::parent)
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let stem = path
                .file_stem()
                .map_or("release".to_string(), |s| s.to_string_lossy().into_owned());
            (rel, stem)
        }
    };
    dir.join(rel).join(format!("{stem}.{}", format.extension()))
}

#[allow(clippy::too_many_arguments)] // the batch's settings, passed down as they are
fn one(
    input: &Input,
    job: &Job<'_>,
    args: &ReleaseArgs,
    format: Format,
    per_file_manifest: bool,
    made: &HashSet<PathBuf>,
    defer: bool,
    fix: Option<&Fixes>,
) -> Written {
    let mut staged = Vec::new();
    let outcome = produce_and_write(
        input,
        job,
        args,
        format,
        per_file_manifest,
        made,
        defer.then_some(&mut staged),
        fix,
    );
    Written { outcome, staged }
}

/// Releases one input and writes its files: renamed into place at once, or, with
/// `deferred`, left there for the group commit to rename.
#[allow(clippy::too_many_arguments)] // the batch's settings, passed down as they are
fn produce_and_write(
    input: &Input,
    job: &Job<'_>,
    args: &ReleaseArgs,
    format: Format,
    per_file_manifest: bool,
    made: &HashSet<PathBuf>,
    mut deferred: Option<&mut Vec<output::Staged>>,
    fix: Option<&Fixes>,
) -> Outcome {
    let produced = files::with_bytes(input, |bytes| {
        pipeline::produce_with(bytes, &input.display(), job, fix).map_err(|e| e.to_string())
    })
    .map_err(|e| e.message)
    .flatten();
    let produced = match produced {
        Ok(p) => p,
        Err(message) => return Outcome::Failed(message),
    };
    let target = match (&args.output, &args.out_dir) {
        (Some(o), _) => Some(o.clone()),
        (None, Some(dir)) => Some(out_path(dir, input, format)),
        (None, None) => None,
    };
    let Some(target) = target else {
        return Outcome::Done {
            bytes: Some(produced.bytes),
            manifest: produced.manifest,
            warnings: produced.warnings,
            log: produced.log,
        };
    };
    if let Some(parent) = target.parent()
        && !made.contains(parent)
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return Outcome::Failed(format!("{}: {}", parent.display(), files::io_message(&e)));
    }
    if let Err(message) = put(&target, &produced.bytes, deferred.as_deref_mut()) {
        return Outcome::Failed(message);
    }
    if per_file_manifest {
        let m = target.with_extension("manifest.json");
        if let Err(message) = put(&m, produced.manifest.as_bytes(), deferred) {
            return Outcome::Failed(message);
        }
    }
    Outcome::Done {
        bytes: None,
        manifest: produced.manifest,
        warnings: produced.warnings,
        log: produced.log,
    }
}

/// Writes one output under a temporary name, then renames it into place now, or leaves
/// it in `deferred` for the group commit.
fn put(
    path: &Path,
    bytes: &[u8],
    deferred: Option<&mut Vec<output::Staged>>,
) -> Result<(), String> {
    let message = |e: std::io::Error| format!("{}: {}", path.display(), files::io_message(&e));
    let staged = output::stage(path, bytes).map_err(message)?;
    match deferred {
        Some(group) => {
            group.push(staged);
            Ok(())
        }
        None => staged.commit().map_err(message),
    }
}

/// Creates every output directory once before the batch, so that workers need not ask
/// for each file, and clears it of temporaries left by killed runs. Returns those that
/// exist; a worker whose directory is missing tries again itself, and reports the error
/// for its file.
fn make_out_dirs(args: &ReleaseArgs, inputs: &Inputs, format: Format) -> HashSet<PathBuf> {
    let Some(dir) = &args.out_dir else {
        return HashSet::new();
    };
    // Inputs come grouped by directory, so skipping repeats as they come keeps this list
    // at one entry per directory rather than one per input.
    let mut parents: Vec<PathBuf> = Vec::new();
    for input in inputs.iter() {
        let out = out_path(dir, &input, format);
        let Some(parent) = out.parent() else { continue };
        if parents.last().map(PathBuf::as_path) != Some(parent) {
            parents.push(parent.to_path_buf());
        }
    }
    parents.sort();
    parents.dedup();
    parents
        .into_iter()
        .filter(|p| std::fs::create_dir_all(p).is_ok())
        .inspect(|p| output::remove_stale_temporaries(p))
        .collect()
}

/// Outputs per group commit. Larger groups mean fewer file-system syncs (one per group)
/// but more temporary files waiting, and more left behind if the process is killed.
const GROUP: usize = 256;

/// Runs the batch with durable outputs: the ordering thread hands groups of finished
/// inputs to a committer thread, which makes each group's data durable in one sync,
/// renames its files into place, syncs their directories, then reports each input in
/// order. The workers go on producing while a group is being synced.
fn commit_in_groups<W>(inputs: &Inputs, threads: usize, work: W, tally: Tally) -> Tally
where
    W: Fn(&Input) -> Written + Sync,
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
            |i| work(&inputs.get(i)),
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

/// Renames one input's staged files in order; the first failure (or the group's sync
/// failure) is the input's error, and its later files are dropped, which removes them.
fn commit_all(
    staged: Vec<output::Staged>,
    sync_error: Option<&std::io::Error>,
) -> Result<(), String> {
    for file in staged {
        let path = file.path().display().to_string();
        if let Some(e) = sync_error {
            return Err(format!("{path}: {}", files::io_message(e)));
        }
        file.commit()
            .map_err(|e| format!("{path}: {}", files::io_message(&e)))?;
    }
    Ok(())
}

/// What the batch reports as it goes, and keeps for the end.
#[derive(Default)]
struct Tally {
    log: Option<super::exemption_log::LogSink>,
    progress: bool,
    keep_manifests: bool,
    failed: usize,
    manifests: Vec<String>,
    stdout_bytes: Option<Vec<u8>>,
}

impl Tally {
    /// Reports input `i`'s outcome, in input order.
    fn report(&mut self, inputs: &Inputs, i: usize, outcome: Outcome) {
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
                    eprintln!("declass: {}: warning: {w}", inputs.get(i).display());
                }
                if bytes.is_some() {
                    self.stdout_bytes = bytes;
                }
                if self.keep_manifests {
                    self.manifests.push(manifest);
                }
            }
            Outcome::Failed(message) => {
                self.failed += 1;
                super::report_file_error(&inputs.get(i).display(), &message);
            }
        }
        if self.progress {
            eprint!("\rdeclass: released {}/{}", i + 1, inputs.len());
        }
    }
}
