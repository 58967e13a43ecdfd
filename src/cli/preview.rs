//! `declass preview DOC [--policy P] [--as-of D] [--color auto|always|never] [--html OUT]`
//! and `declass preview --compare OLD NEW DIR… [--format text|json]`: the reviewer's look
//! at what a policy does before anything is released.
//!
//! The terminal view and the HTML page show the withheld text on purpose (they are review
//! copies, and say so); `--html` writes atomically and never over an input. The comparison
//! prints only numbers, markings, rules and codes. Exit 0 when done (whatever changed),
//! 1 when some documents could not be read or parsed, 2 for usage or policy errors.

use super::driver;
use super::exit::Exit;
use super::files::{self, Input};
use super::policy::PolicyOptions;
use crate::output;
use crate::policy::Policy;
use crate::preview::{self, Meta, compare};
use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args)]
#[command(after_help = "Examples:\n  \
    declass preview samples/07PRAGUE486.txt --policy public-web\n  \
    declass preview samples/07PRAGUE486.txt --html review.html\n  \
    declass preview --compare policies/foia-release.yaml policies/public-web.yaml corpus/")]
pub struct PreviewArgs {
    /// The document to preview; with --compare, the documents or folders to compare over.
    #[arg(value_name = "DOC", required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyOptions,
    /// Write a self-contained HTML page (original and release side by side) here instead
    /// of printing to the terminal.
    #[arg(long, value_name = "OUT.html", conflicts_with = "compare")]
    pub html: Option<PathBuf>,
    /// Compare two policies (files or shipped names) over the documents: list the
    /// paragraphs whose decision changes, grouped by document, with totals.
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], conflicts_with = "policy")]
    pub compare: Option<Vec<String>>,
    /// Output of --compare.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text, requires = "compare")]
    pub format: CompareFormat,
    /// Worker threads for --compare (default: all cores).
    #[arg(short = 'j', long = "threads", default_value_t = 0)]
    pub threads: usize,
    /// Apply the reviewer decisions in this YAML file after the policy (docs/review.md).
    #[arg(long = "decisions", value_name = "FILE", conflicts_with = "compare")]
    pub decisions: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Text,
    Json,
}

pub fn run(args: PreviewArgs) -> anyhow::Result<Exit> {
    match &args.compare {
        Some(pair) => run_compare(&args, &pair[0], &pair[1]),
        None => run_preview(&args),
    }
}

fn run_preview(args: &PreviewArgs) -> anyhow::Result<Exit> {
    let [input_path] = args.inputs.as_slice() else {
        bail!(
            "preview takes one document ({} given); use --compare OLD NEW DIR for a folder",
            args.inputs.len()
        );
    };
    let policy = match args.policy.load()? {
        Ok(p) => p,
        Err(exit) => return Ok(exit),
    };
    let ctx = args.policy.context();
    let expanded = match driver::expand(std::slice::from_ref(input_path)) {
        Ok(e) => e,
        Err(exit) => return Ok(exit),
    };
    let input = match (expanded.inputs.len(), expanded.failed.len()) {
        (1, 0) => expanded.inputs.get(0),
        _ => bail!(
            "{}: preview takes one document, not a folder; use --compare OLD NEW DIR",
            input_path.display()
        ),
    };
    if let Some(out) = &args.html {
        refuse_inputs(out, &input, args.policy.policy.as_deref())?;
    }
    // The bytes stay: reviewer decisions are bound to the document's digest.
    let read = files::read(&input)
        .map_err(driver::FileError::from)
        .and_then(|bytes| {
            crate::parse::parse(&bytes, input.file_name())
                .map(|doc| (doc, bytes))
                .map_err(|e| driver::FileError {
                    input: input.display(),
                    message: e.to_string(),
                    unreadable: e.unreadable(),
                })
        });
    let (doc, bytes) = match read {
        Ok(read) => read,
        Err(e) => {
            driver::report(&e.input, &e.message);
            return Ok(Exit::of_batch(1, usize::from(e.unreadable)));
        }
    };
    let mut decisions = policy.decide(&doc, &ctx);
    if let Some(path) = &args.decisions {
        let file = match super::review::load_decisions(path, &policy)? {
            Ok(f) => f,
            Err(exit) => return Ok(exit),
        };
        let review = crate::decisions::Review {
            file: &file,
            name: &path.display().to_string(),
            require_approval: false,
        };
        let warnings = review
            .run(&doc, &bytes, &input.display(), None, &mut decisions)
            .unwrap_or_default();
        for w in warnings {
            driver::note(&input.display(), &w);
        }
    }
    let meta = Meta {
        document: input.display(),
        policy: policy.name.clone(),
        policy_source: policy.source.clone(),
        as_of: ctx.as_of,
    };
    let view = preview::build(&doc, &decisions, meta);
    match &args.html {
        Some(out) => {
            let page = preview::html::render(&view);
            output::write_atomic(out, page.as_bytes())
                .map_err(|e| anyhow::anyhow!("{}: {}", out.display(), files::io_message(&e)))?;
            driver::note(
                &out.display().to_string(),
                "written (review copy: contains withheld material)",
            );
        }
        None => {
            let text = preview::terminal::render(&view, super::args::settings().color);
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(Exit::Success)
}

/// Refuses an HTML output that is the document or the policy file.
fn refuse_inputs(out: &Path, input: &Input, policy: Option<&str>) -> anyhow::Result<()> {
    let policy_file = policy.map(Path::new).filter(|p| p.is_file());
    for p in input.path().into_iter().chain(policy_file) {
        if output::same_file(out, p) {
            bail!(
                "refusing to overwrite the input {} with the preview: give another --html",
                p.display()
            );
        }
    }
    Ok(())
}

fn load_policy(options: &PolicyOptions, name: &str) -> anyhow::Result<Result<Policy, Exit>> {
    PolicyOptions {
        policy: Some(name.to_string()),
        ..options.clone()
    }
    .load()
}

fn run_compare(args: &PreviewArgs, old: &str, new: &str) -> anyhow::Result<Exit> {
    let old = match load_policy(&args.policy, old)? {
        Ok(p) => p,
        Err(exit) => return Ok(exit),
    };
    let new = match load_policy(&args.policy, new)? {
        Ok(p) => p,
        Err(exit) => return Ok(exit),
    };
    let ctx = args.policy.context();
    let expanded = match driver::expand(&args.inputs) {
        Ok(e) => e,
        Err(exit) => return Ok(exit),
    };
    if expanded.inputs.is_empty() && expanded.failed.is_empty() {
        bail!("no input documents found");
    }
    let id = |p: &Policy| compare::PolicyId {
        name: p.name.clone(),
        source: p.source.clone(),
        sha256: p.sha256(),
    };
    let mut report = compare::Report::new(id(&old), id(&new), ctx.as_of);
    // A PDF that cannot be read at all ends the run with 2, as for every command.
    let mut failures = driver::Failures::of(&expanded);
    for e in expanded.failed {
        report.add_error(e.input, e.message);
    }
    let format = match args.format {
        CompareFormat::Text => compare::Format::Text,
        CompareFormat::Json => compare::Format::Json,
    };
    // Written as documents finish, in input order, so that memory does not grow with
    // the corpus; the bytes are those of the whole report.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    report
        .write_head(format, &mut stdout)
        .context("writing the comparison")?;
    let mut written = Ok(());
    driver::each_document(
        &expanded.inputs,
        args.threads,
        |_, doc| {
            let (a, b) = (old.decide(&doc, &ctx), new.decide(&doc, &ctx));
            (
                compare::diff(&doc, &a, &b),
                compare::header_diff(&doc, &a, &b),
            )
        },
        |input, result| {
            match result {
                Ok((changes, header)) => report.add(input.display(), changes, header),
                Err(e) => {
                    failures.add(&e);
                    report.add_error(e.input, e.message);
                }
            }
            if written.is_ok() {
                written = report.write_pending(format, &mut stdout);
            }
        },
    );
    written.context("writing the comparison")?;
    report
        .write_tail(format, &mut stdout)
        .context("writing the comparison")?;
    stdout.flush().context("writing the comparison")?;
    Ok(failures.exit(0))
}
