//! `declass release INPUT… [--policy P] [--as-of DATE] [-o OUT | --out-dir DIR]
//! [--format text|json|pdf] [--manifest FILE] [--case ID]`: the main job.
//!
//! One input with no output path goes to stdout. Before anything is written the job's
//! output plan ([`super::plan`]) is checked: no two outputs on one file, no output over a
//! file the job reads. Batches run in parallel; each output is guarded by the leak check
//! (in the library) and written atomically, a release and its manifest as a pair (both or
//! neither); a file that fails is reported and the others go on. Exit 1 if any file
//! failed, 2 when the job could not run as asked (arguments, policy, key, plan).

mod commit;
mod targets;

use super::batch;
use super::consistency::ConsistencyArg;
use super::driver;
use super::exit::Exit;
use super::files::{self, Input};
use super::policy::PolicyOptions;
use crate::job::{self, Format, Job};
use crate::output::{self, Member};
use crate::release::consistency::Fixes;
use crate::release::digest;
use crate::render::text::{Stamping, TextOptions};
use anyhow::bail;
use clap::{Args, ValueEnum};
use commit::{Outcome, Tally, Written, commit_all, commit_in_groups};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use targets::{
    Targets, check_out_dir, check_out_dir_outside_inputs, check_plan, layout, make_out_dirs,
};

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
    /// Write the release here (one input only); `-` is standard output, as without -o.
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

pub fn run(mut args: ReleaseArgs) -> anyhow::Result<Exit> {
    // `-o -` asks for standard output, the default: never a file named `-`.
    if args.output.as_deref() == Some(std::path::Path::new("-")) {
        args.output = None;
    }
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
    // One job for both ways in: a JSON-lines stream or the files named.
    let job = job(
        &args,
        &policy,
        &context,
        digest_key.as_deref(),
        reviewed.as_ref(),
    );
    if args.jsonl {
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
    let total = inputs.len();
    let made = make_out_dirs(&args, &inputs, &targets);
    let defer = !args.no_sync;
    let threads = batch::threads(args.threads);
    let passed = super::consistency::pass(&inputs, &job, args.consistency, threads)?;
    let work = |i: usize, input: &Input| {
        let fix = passed.fixes.get(&input.display());
        one(
            input,
            &job,
            &targets,
            &made,
            defer,
            fix,
            passed.produced(i, fix),
        )
    };
    let log = match &args.log {
        Some(path) => Some(super::exemption_log::LogSink::open(
            path,
            &policy,
            as_of,
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
            |i| work(i, &inputs.get(i)),
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
            date: as_of,
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
        log: args.log.is_some(),
    }
}

fn one(
    input: &Input,
    job: &Job<'_>,
    targets: &Targets<'_>,
    made: &HashSet<PathBuf>,
    defer: bool,
    fix: Option<&Fixes>,
    stashed: Option<job::Produced>,
) -> Written {
    let mut staged = Vec::new();
    let outcome = produce_and_stage(input, job, targets, made, &mut staged, fix, stashed);
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

/// Releases one input (or takes the release the consistency pass made of it, `stashed`)
/// and stages its files under temporary names, in commit order: the manifest first, the
/// release last.
fn produce_and_stage(
    input: &Input,
    job: &Job<'_>,
    targets: &Targets<'_>,
    made: &HashSet<PathBuf>,
    staged: &mut Vec<output::Staged>,
    fix: Option<&Fixes>,
    stashed: Option<job::Produced>,
) -> Outcome {
    let produced = match stashed {
        Some(p) => Ok(p),
        None => files::with_bytes(input, |bytes| {
            job::produce_with(bytes, &input.display(), job, fix).map_err(|e| {
                let unreadable = matches!(&e, job::JobError::Parse(p) if p.unreadable());
                (unreadable, e.to_string())
            })
        })
        .map_err(|e| (false, e.message))
        .flatten(),
    };
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
