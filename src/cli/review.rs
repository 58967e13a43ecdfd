//! `declass review PATH…` (the local review app, [`crate::review`]) and the
//! `--decisions FILE` / `--require-approval` options `release` and `preview` share: reading
//! a decisions file and reporting its problems like a policy's.

use super::driver;
use super::exit::Exit;
use super::files;
use crate::decisions::{self, DecisionsFile};
use crate::policy::Policy;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reviewer decisions applied after the policy.
#[derive(Args, Clone, Debug, Default)]
pub struct DecisionsOptions {
    /// Apply the reviewer decisions in this YAML file after the policy (see docs/review.md).
    /// Stale decisions (the text changed) are reported and left to the policy.
    #[arg(long = "decisions", value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// Refuse (and list) documents whose reviewer decisions no second reviewer approved.
    #[arg(long = "require-approval", requires = "decisions")]
    pub require_approval: bool,
}

/// Largest decisions file read: far more than any review produces.
const MAX_BYTES: usize = 8 * 1024 * 1024;

/// Reads and validates a decisions file against the policy's code set; every problem is
/// printed with file:line:column and the job does not run (exit 2).
pub fn load_decisions(path: &Path, policy: &Policy) -> anyhow::Result<Result<DecisionsFile, Exit>> {
    let name = path.display().to_string();
    let bytes = files::read_small(path, MAX_BYTES).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!("{name}: not UTF-8 (byte {})", e.utf8_error().valid_up_to())
    })?;
    match decisions::load(&name, &text, policy.code_set()) {
        Ok(file) => Ok(Ok(file)),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            for p in e.problems() {
                writeln!(err, "{p}")?;
            }
            writeln!(
                err,
                "declass: decisions file {name} is invalid; nothing done"
            )?;
            Ok(Err(Exit::Usage))
        }
    }
}

/// `declass review PATH… --decisions FILE`
#[derive(Args, Debug)]
#[command(
    after_help = "Example:\n  declass review tests/fixtures/cables --decisions decisions.yaml\n\n\
    Prints an address with a one-time token; open it in a browser on this machine."
)]
pub struct ReviewArgs {
    /// Documents or folders of documents to review.
    #[arg(value_name = "PATH", required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub policy: super::policy::PolicyOptions,
    /// The decisions file to read and write (created on the first decision).
    #[arg(long = "decisions", value_name = "FILE", required = true)]
    pub decisions: PathBuf,
}

pub fn run(args: ReviewArgs) -> anyhow::Result<Exit> {
    let policy = match args.policy.load()? {
        Ok(p) => p,
        Err(exit) => return Ok(exit),
    };
    let expanded = match driver::expand(&args.inputs) {
        Ok(e) => e,
        Err(exit) => return Ok(exit),
    };
    // A review session covers every document it was given: a path that cannot be listed
    // (reported above, as every command reports it) means it cannot run as asked.
    if !expanded.failed.is_empty() {
        return Ok(Exit::Usage);
    }
    let inputs = expanded.inputs;
    let canon = |p: &Path| {
        p.canonicalize()
            .map_err(|e| anyhow::anyhow!("{}: {}", p.display(), files::io_message(&e)))
    };
    let roots = args
        .inputs
        .iter()
        .map(|p| canon(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut docs = Vec::new();
    for i in 0..inputs.len() {
        if let Some(p) = inputs.get(i).path() {
            docs.push(canon(p)?);
        }
    }
    let decisions = if args.decisions.exists() {
        if docs.contains(&canon(&args.decisions)?) {
            anyhow::bail!(
                "{}: the decisions file is one of the documents under review; refused",
                args.decisions.display()
            );
        }
        match load_decisions(&args.decisions, &policy)? {
            Ok(f) => f,
            Err(exit) => return Ok(exit),
        }
    } else {
        DecisionsFile::default()
    };
    let config = crate::review::Config {
        roots,
        docs,
        context: args.policy.context(),
        policy,
        decisions_path: args.decisions.clone(),
        decisions,
    };
    crate::review::serve(config, |address| {
        // Whoever started the app may stop reading its output: a closed pipe must not
        // stop the server.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "declass review: open {address}");
        let _ = out.flush();
        eprintln!(
            "declass review: the pages are a review copy (they show withheld material); the token admits whoever has it"
        );
    })
    .map_err(|e| anyhow::anyhow!("review server: {e}"))?;
    Ok(Exit::Success)
}
