//! `declass release INPUT… [--policy P] [--as-of DATE] [-o OUT | --out-dir DIR]
//! [--format text|json|pdf] [--manifest FILE] [--case ID]`: the main job.
//!
//! One input with no output path goes to stdout. Before anything is written the job's
//! output plan ([`super::plan`]) is checked: no two outputs on one file, no output over a
//! file the job reads. Batches run in parallel; each output is guarded by the leak check
//! (in the library) and written atomically, a release and its manifest as a pair (both or
//! neither); a file that fails is reported and the others go on. Exit 1 if any file
//! failed, 2 when the job could not run as asked (arguments, policy, key, plan).

use super::batch;
use super::consistency::ConsistencyArg;
use super::driver;
use super::exit::Exit;
use super::files::{self, Input, Inputs};
use super::policy::PolicyOptions;
use crate::job::{self, Format, Job};
use crate::output::plan;
use crate::output::{self, Member};
use crate::release::consistency::Fixes;
use crate::release::digest;
use crate::render::text::{Stamping, TextOptions};
use anyhow::bail;
use clap::{Args, ValueEnum};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ReleaseArgs {
    /// Documents or directories (walked recursively), or `-` for standard input.
    #[arg(required_unless_present = "jsonl")]
    pub inputs: Vec<PathBuf>,
    /// Read documents as JSON Lines records on standard input (`{"id": …, "text": …}`,
    /// `{"id": …, "base64": …}` or `{"path": …}`) and write one result record per input
    /// record on standard output, in order: the release, its manifest, or the error. For
    /// engines that drive declass over a corpus (docs/streaming.md). No consistency pass.
    #[arg(long, conflicts_with_all = ["inputs", "output", "out_dir", "manifest", "log"])]
    pub jsonl: bool,
    #[command(flatten)]
    pub policy: PolicyOptions,
    /// Write the release here (one input only).
    #[arg(short = 'o', long, conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// Write releases under this directory, mirroring the input tree (with several
    /// directory arguments, one subdirectory named after each).
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
    #[arg(long, value_parser = super::args::one_line)]
    pub case: Option<String>,
    /// Document number printed on every page (`C0001`).
    #[arg(long = "doc", value_parser = super::args::one_line)]
    pub doc_id: Option<String>,
    /// Pad every placeholder to a fixed width so that its size tells nothing.
    #[arg(long = "fixed-width", value_name = "CHARS", num_args = 0..=1, default_missing_value = "40")]
    pub fixed_width: Option<usize>,
    /// File holding a secret key (32 to 4096 bytes) for keyed digests (HMAC-SHA256) of the
    /// source and of withheld paragraphs in the manifest; without it, neither is digested.
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
    #[command(flatten)]
    pub review: super::review::DecisionsOptions,
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
    /// The input could not be read at all (an encrypted, damaged or fake PDF): the job
    /// goes on with the other files, then ends with exit 2 (issue 17).
    Unreadable(String),
}

pub fn run(args: ReleaseArgs) -> anyhow::Result<Exit> {
    let policy = match args.policy.load()? {
        Ok(p) => p,
        Err(exit) => return Ok(exit),
    };
    let context = args.policy.context();
    let reviewed = match &args.review.decisions {
        Some(p) => match super::review::load_decisions(p, &policy)? {
            Ok(file) => Some((file, p.display().to_string())),
            Err(exit) => return Ok(exit),
        },
        None => None,
    };
    let digest_key = match &args.digest_key {
        Some(p) => {
            let key = files::read_small(p, digest::MAX_KEY_BYTES)
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            digest::check_key(&key).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Some(key)
        }
        None => None,
    };
    if args.jsonl {
        let job = job(
            &args,
            &policy,
            &context,
            digest_key.as_deref(),
            reviewed.as_ref(),
        );
        let stdin = std::io::stdin().lock();
        let stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let failed = super::stream::run(stdin, stdout, &job, batch::threads(args.threads))
            .map_err(|e| anyhow::anyhow!("<stdout>: {}", files::io_message(&e)))?;
        return Ok(Exit::files_failed(failed));
    }
    let expanded = match driver::expand(&args.inputs) {
        Ok(e) => e,
        Err(exit) => return Ok(exit),
    };
    let inputs = expanded.inputs;
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
    check_out_dir(&args)?;
    let layout = args.out_dir.as_ref().map(|dir| layout(dir, &args, format));
    let targets = Targets {
        args: &args,
        layout: layout.as_ref(),
    };
    check_out_dir_outside_inputs(&args)?;
    check_plan(&args, &inputs, &targets)?;
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("{}: {}", dir.display(), files::io_message(&e)))?;
    }
    let as_of = context.as_of;
    let job = job(
        &args,
        &policy,
        &context,
        digest_key.as_deref(),
        reviewed.as_ref(),
    );
    let total = inputs.len();
    let made = make_out_dirs(&args, &inputs, &targets);
    let defer = !args.no_sync;
    let threads = batch::threads(args.threads);
    let fixes = super::consistency::pass(&inputs, &job, args.consistency, threads);
    let work = |input: &Input| {
        let fix = fixes.get(&input.display());
        one(input, &job, &targets, &made, defer, fix)
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
    let combined = match args
        .manifest
        .as_ref()
        .filter(|_| targets.combined_manifest())
    {
        Some(path) => Some(super::manifest_sink::ManifestSink::open(path, total)?),
        None => None,
    };
    let mut tally = Tally {
        log,
        progress: driver::Progress::new(inputs.len(), "released"),
        combined,
        failed: expanded.failed.len(),
        unreadable: 0,
        stdout_bytes: None,
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
    tally.progress.finish();
    let Tally {
        mut failed,
        unreadable,
        combined,
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
    // The releases are written: a manifest that cannot be is a failed output, not a job
    // that could not run.
    if let (Some(sink), Some(path)) = (combined, &args.manifest)
        && let Err(message) = sink.finish()
    {
        driver::report(&path.display().to_string(), &message);
        failed += 1;
    }
    Ok(Exit::of_batch(failed, unreadable))
}

/// What every document of the run shares.
fn job<'a>(
    args: &ReleaseArgs,
    policy: &'a crate::policy::Policy,
    context: &'a crate::policy::Context,
    digest_key: Option<&'a [u8]>,
    reviewed: Option<&'a (crate::decisions::DecisionsFile, String)>,
) -> Job<'a> {
    let as_of = context.as_of;
    Job {
        policy,
        context,
        format: args.format.into(),
        stamping: Stamping {
            case: args.case.clone(),
            doc: args.doc_id.clone(),
            date: format!("{:02}/{:02}/{:04}", as_of.month, as_of.day, as_of.year),
        },
        text: TextOptions {
            fixed_width: args.fixed_width,
        },
        digest_key,
        review: reviewed.map(|(file, name)| crate::decisions::Review {
            file,
            name,
            require_approval: args.review.require_approval,
        }),
    }
}

/// `--out-dir` must be a directory (or not exist yet), and `-o` must not be one.
fn check_out_dir(args: &ReleaseArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.out_dir
        && dir.exists()
        && !dir.is_dir()
    {
        bail!(
            "{}: --out-dir names a file, not a directory; give a directory (it is created if missing)",
            dir.display()
        );
    }
    if let Some(out) = &args.output
        && out.is_dir()
    {
        bail!(
            "{}: is a directory; -o takes a file name (use --out-dir DIR to write releases under a directory)",
            out.display()
        );
    }
    Ok(())
}

/// The layout under `--out-dir`: each directory argument's name, when there are several,
/// so that their files never meet (`o/a/x.release.txt`, `o/b/x.release.txt`). Two
/// arguments with the same name are told apart by a number (`a`, `a-2`).
fn layout(dir: &Path, args: &ReleaseArgs, format: Format) -> plan::Layout {
    let dirs: Vec<&PathBuf> = args.inputs.iter().filter(|a| a.is_dir()).collect();
    let mut roots: Vec<(std::sync::Arc<Path>, std::ffi::OsString)> = Vec::new();
    if dirs.len() > 1 {
        for arg in dirs {
            let name = arg
                .file_name()
                .map(std::ffi::OsStr::to_os_string)
                .or_else(|| {
                    arg.canonicalize()
                        .ok()
                        .and_then(|c| c.file_name().map(std::ffi::OsStr::to_os_string))
                })
                .unwrap_or_else(|| "root".into());
            let mut unique = name.clone();
            let mut n = 1;
            while roots.iter().any(|(_, taken)| *taken == unique) {
                n += 1;
                unique = name.clone();
                unique.push(format!("-{n}"));
            }
            roots.push((std::sync::Arc::from(arg.as_path()), unique));
        }
    }
    plan::Layout {
        dir: dir.to_path_buf(),
        extension: format.extension(),
        roots,
    }
}

/// Where each input's outputs go.
struct Targets<'a> {
    args: &'a ReleaseArgs,
    layout: Option<&'a plan::Layout>,
}

impl Targets<'_> {
    /// The release of `input`: `-o`, under `--out-dir`, or `None` for stdout.
    fn release(&self, input: &Input) -> Option<PathBuf> {
        match (&self.args.output, self.layout) {
            (Some(o), _) => Some(o.clone()),
            (None, Some(layout)) => Some(match input {
                Input::Stdin => layout.release(None, None),
                Input::File { path, root } => layout.release(Some(path), root.as_ref()),
            }),
            (None, None) => None,
        }
    }

    /// The manifest written with a release, as its pair: beside it under `--out-dir`
    /// without `--manifest`, or `--manifest` with `-o`.
    fn manifest(&self, release: &Path) -> Option<PathBuf> {
        match (&self.args.output, &self.args.out_dir, &self.args.manifest) {
            (None, Some(_), None) => Some(plan::manifest_beside(release)),
            (Some(_), _, Some(m)) => Some(m.clone()),
            _ => None,
        }
    }

    /// Whether `--manifest` gathers every manifest, written once the batch is done.
    fn combined_manifest(&self) -> bool {
        self.args.manifest.is_some() && self.args.output.is_none()
    }
}

/// The output plan: every output against every other and against every file read.
fn check_plan(args: &ReleaseArgs, inputs: &Inputs, targets: &Targets<'_>) -> anyhow::Result<()> {
    let to_files = args.output.is_some() || args.out_dir.is_some();
    let paired = to_files && !targets.combined_manifest() && args.manifest.is_some()
        || args.out_dir.is_some() && args.manifest.is_none();
    let per_input = if paired { 2 } else { 1 };
    let written = if to_files {
        inputs.len() * per_input
    } else {
        0
    };
    let combined = usize::from(targets.combined_manifest());
    let log = usize::from(args.log.is_some());
    let output = |k: usize| {
        if k == written + combined {
            let path = args.log.clone().unwrap_or_default();
            return (path, plan::Output::Log);
        }
        if k == written {
            let path = args.manifest.clone().unwrap_or_default();
            return (path, plan::Output::Combined);
        }
        let i = k / per_input;
        let release = targets
            .release(&inputs.get(i))
            .expect("an output path for each input");
        if k.is_multiple_of(per_input) {
            (release, plan::Output::Release(i))
        } else {
            let manifest = targets.manifest(&release).expect("a manifest path");
            (manifest, plan::Output::Manifest(i))
        }
    };
    let policy = args
        .policy
        .policy
        .as_deref()
        .filter(|n| !n.starts_with("builtin:") && Path::new(n).exists())
        .map(|p| (PathBuf::from(p), plan::Read::Policy));
    let key = args.digest_key.clone().map(|k| (k, plan::Read::DigestKey));
    let reads = policy.into_iter().chain(key).chain(
        inputs
            .iter()
            .enumerate()
            .filter_map(|(i, input)| Some((input.path()?.to_path_buf(), plan::Read::Input(i)))),
    );
    plan::check(&plan::RealDisk, written + combined + log, output, reads)
        .map_err(|c| anyhow::anyhow!("{}", c.describe(|i| inputs.get(i).display())))
}

/// Refuses an output directory inside an input directory.
fn check_out_dir_outside_inputs(args: &ReleaseArgs) -> anyhow::Result<()> {
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
    Ok(())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

fn one(
    input: &Input,
    job: &Job<'_>,
    targets: &Targets<'_>,
    made: &HashSet<PathBuf>,
    defer: bool,
    fix: Option<&Fixes>,
) -> Written {
    let mut staged = Vec::new();
    let outcome = produce_and_stage(input, job, targets, made, &mut staged, fix);
    if matches!(outcome, Outcome::Failed(_) | Outcome::Unreadable(_)) {
        // Neither of a pair: the release's temporary goes first, so that a kill in
        // between never leaves it alone for recovery to take as committed.
        while let Some(file) = staged.pop() {
            drop(file);
        }
        return Written { outcome, staged };
    }
    if defer {
        return Written { outcome, staged };
    }
    let outcome = match commit_all(staged, None) {
        Ok(()) => outcome,
        Err(message) => Outcome::Failed(message),
    };
    Written {
        outcome,
        staged: Vec::new(),
    }
}

/// Releases one input and stages its files under temporary names, in commit order: the
/// manifest first, the release last.
fn produce_and_stage(
    input: &Input,
    job: &Job<'_>,
    targets: &Targets<'_>,
    made: &HashSet<PathBuf>,
    staged: &mut Vec<output::Staged>,
    fix: Option<&Fixes>,
) -> Outcome {
    let produced = files::with_bytes(input, |bytes| {
        job::produce_with(bytes, &input.display(), job, fix).map_err(|e| {
            let unreadable = matches!(&e, job::JobError::Parse(p) if p.unreadable());
            (unreadable, e.to_string())
        })
    })
    .map_err(|e| (false, e.message))
    .flatten();
    let produced = match produced {
        Ok(p) => p,
        Err((true, message)) => return Outcome::Unreadable(message),
        Err((false, message)) => return Outcome::Failed(message),
    };
    let Some(target) = targets.release(input) else {
        return Outcome::Done {
            bytes: Some(produced.bytes),
            manifest: produced.manifest,
            warnings: produced.warnings,
            log: produced.log,
        };
    };
    if let Some(parent) = target.parent()
        && !parent.as_os_str().is_empty()
        && !made.contains(parent)
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return Outcome::Failed(format!("{}: {}", parent.display(), files::io_message(&e)));
    }
    let release = match targets.manifest(&target) {
        Some(m) => {
            let pair = output::new_pair();
            if let Err(message) = put(
                &m,
                produced.manifest.as_bytes(),
                Member::Manifest(pair),
                staged,
            ) {
                return Outcome::Failed(message);
            }
            Member::Release(pair)
        }
        None => Member::Alone,
    };
    if let Err(message) = put(&target, &produced.bytes, release, staged) {
        return Outcome::Failed(message);
    }
    Outcome::Done {
        bytes: None,
        manifest: produced.manifest,
        warnings: produced.warnings,
        log: produced.log,
    }
}

/// Writes one output under a temporary name, to be renamed into place by [`commit_all`].
fn put(
    path: &Path,
    bytes: &[u8],
    member: Member,
    staged: &mut Vec<output::Staged>,
) -> Result<(), String> {
    let staged_file = output::stage(path, bytes, member)
        .map_err(|e| format!("{}: {}", path.display(), files::io_message(&e)))?;
    staged.push(staged_file);
    Ok(())
}

/// Creates every output directory once before the batch, so that workers need not ask
/// for each file, and recovers what killed runs left in it. Returns those that exist; a
/// worker whose directory is missing tries again itself, and reports the error for its
/// file.
fn make_out_dirs(args: &ReleaseArgs, inputs: &Inputs, targets: &Targets<'_>) -> HashSet<PathBuf> {
    if let Some(o) = &args.output {
        output::recover(&output::parent_of(o));
        return HashSet::new();
    }
    if args.out_dir.is_none() {
        return HashSet::new();
    }
    // Inputs come grouped by directory, so skipping repeats as they come keeps this list
    // at one entry per directory rather than one per input.
    let mut parents: Vec<PathBuf> = Vec::new();
    for input in inputs.iter() {
        let Some(out) = targets.release(&input) else {
            continue;
        };
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
        .inspect(|p| output::recover(p))
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

/// Renames one input's staged files in order (its manifest, then its release). The first
/// failure (or the group's sync failure) is the input's error: its later files are
/// dropped, which removes them, and the ones already renamed are removed too, so that an
/// input ends with both its files or neither.
fn commit_all(
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
struct Tally {
    log: Option<super::exemption_log::LogSink>,
    progress: driver::Progress,
    /// The combined manifest (`--manifest` with a batch), written as documents come.
    combined: Option<super::manifest_sink::ManifestSink>,
    failed: usize,
    /// Inputs that could not be read at all (also counted in `failed`).
    unreadable: usize,
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
                    driver::note(&inputs.get(i).display(), &format!("warning: {w}"));
                }
                if bytes.is_some() {
                    self.stdout_bytes = bytes;
                }
                if let Some(sink) = self.combined.as_mut() {
                    sink.document(manifest);
                }
            }
            Outcome::Failed(message) => {
                self.failed += 1;
                driver::report(&inputs.get(i).display(), &message);
            }
            Outcome::Unreadable(message) => {
                self.failed += 1;
                self.unreadable += 1;
                driver::report(&inputs.get(i).display(), &message);
            }
        }
        self.progress.tick(i);
    }
}
