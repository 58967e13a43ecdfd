//! `declass release INPUT… [--policy P] [--as-of DATE] [-o OUT | --out-dir DIR]
//! [--format text|json|pdf] [--manifest FILE] [--case ID]`: the main job.
//!
//! One input with no output path goes to stdout. Batches run in parallel; each output is
//! guarded by the leak check (in the library) and written atomically; a file that fails is
//! reported and the others go on. Exit 1 if any file failed, 2 for usage or policy errors.

use super::batch;
use super::exit::Exit;
use super::files::{self, Input};
use super::output;
use super::policy::PolicyOptions;
use crate::release::pipeline::{self, Format, Job};
use crate::render::text::{Stamping, TextOptions};
use anyhow::bail;
use clap::{Args, ValueEnum};
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
    /// Skip fsync before each rename: outputs stay atomic against a crash of declass, not
    /// against a power loss. For scratch runs over large corpora.
    #[arg(long = "no-sync")]
    pub no_sync: bool,
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

/// What one input produced.
enum Outcome {
    /// Written to a file (or to be printed, for stdout), with its manifest.
    Done {
        bytes: Option<Vec<u8>>,
        manifest: String,
        warnings: Vec<String>,
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
    let progress = inputs.len() > 20 && std::io::stderr().is_terminal();
    let total = inputs.len();
    let mut failed = walk_errors.len();
    let mut manifests: Vec<String> = Vec::new();
    let mut stdout_bytes: Option<Vec<u8>> = None;
    let per_file_manifest = args.out_dir.is_some() && args.manifest.is_none();
    let work = |input: &Input| one(input, &job, &args, format, per_file_manifest);
    batch::run_ordered(&inputs, batch::threads(args.threads), work, |i, outcome| {
        match outcome {
            Outcome::Done {
                bytes,
                manifest,
                warnings,
            } => {
                for w in warnings {
                    eprintln!("declass: {}: warning: {w}", inputs[i].display());
                }
                if bytes.is_some() {
                    stdout_bytes = bytes;
                }
                if args.manifest.is_some() {
                    manifests.push(manifest);
                }
            }
            Outcome::Failed(message) => {
                failed += 1;
                super::report_file_error(&inputs[i].display(), &message);
            }
        }
        if progress {
            eprint!("\rdeclass: released {}/{total}", i + 1);
        }
    });
    if progress {
        eprintln!();
    }
    // One directory sync per output directory makes every rename of the batch durable.
    let mut dirs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|input| match (&args.output, &args.out_dir) {
            (Some(o), _) => Some(output::parent_of(o)),
            (None, Some(dir)) => Some(output::parent_of(&out_path(dir, input, format))),
            (None, None) => None,
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    if !args.no_sync {
        for dir in &dirs {
            output::sync_dir(dir);
        }
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
fn check_outputs(args: &ReleaseArgs, inputs: &[Input]) -> anyhow::Result<()> {
    if let Some(out) = &args.output {
        for input in inputs {
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
    if let Some(m) = &args.manifest {
        for input in inputs {
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

fn one(
    input: &Input,
    job: &Job<'_>,
    args: &ReleaseArgs,
    format: Format,
    per_file_manifest: bool,
) -> Outcome {
    let bytes = match files::read(input) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(e.message),
    };
    let produced = match pipeline::produce(&bytes, &input.display(), job) {
        Ok(p) => p,
        Err(e) => return Outcome::Failed(e.to_string()),
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
        };
    };
    if let Some(parent) = target.parent()
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return Outcome::Failed(format!("{}: {}", parent.display(), files::io_message(&e)));
    }
    if let Err(e) = output::write_atomic_batched(&target, &produced.bytes, !args.no_sync) {
        return Outcome::Failed(format!("{}: {}", target.display(), files::io_message(&e)));
    }
    if per_file_manifest {
        let m = target.with_extension("manifest.json");
        if let Err(e) =
            output::write_atomic_batched(&m, produced.manifest.as_bytes(), !args.no_sync)
        {
            return Outcome::Failed(format!("{}: {}", m.display(), files::io_message(&e)));
        }
    }
    Outcome::Done {
        bytes: None,
        manifest: produced.manifest,
        warnings: produced.warnings,
    }
}
