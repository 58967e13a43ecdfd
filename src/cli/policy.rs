//! `declass policy check|explain|list`: validate policy files, show how a policy decides a
//! document paragraph by paragraph, list the shipped policies. Also the policy options
//! other commands flatten in (`--policy`, `--as-of`, `--authority`) and the one loader
//! they share, which is the only place the clock is read.

use super::args;
use super::driver;
use super::exit::Exit;
use super::files;
use crate::document::Date;
use crate::policy::{self, Context, Policy, PolicyError, PolicySource, Problem};
use anyhow::bail;
use clap::{Args, Subcommand};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Validate policy files: print every problem as file:line:column; exit 2 on any error.
    Check(CheckArgs),
    /// Show, for each paragraph and the subject, the rule that decided and why.
    Explain(ExplainArgs),
    /// List the shipped policies with their one-line descriptions.
    List,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Policy files (or `builtin:NAME` for a shipped policy).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub options: PolicyOptions,
    /// Documents to explain (files, directories or `-`).
    #[arg(required = true, value_name = "DOC")]
    pub inputs: Vec<PathBuf>,
}

/// The options every command that applies a policy takes.
#[derive(Args, Clone, Debug, Default)]
pub struct PolicyOptions {
    /// A policy file, or the name of a shipped policy (see `declass policy list`).
    /// Default: the built-in foia-release.
    #[arg(long, value_name = "FILE|NAME")]
    pub policy: Option<String>,
    /// The date taken as today for date conditions such as `declassification_passed`.
    /// Default: the current UTC date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = args::as_of)]
    pub as_of: Option<Date>,
    /// The declassification authority printed on a release that declassifies, as
    /// "NAME, TITLE"; overrides the one the policy names.
    #[arg(long, value_name = "NAME, TITLE", value_parser = args::one_line)]
    pub authority: Option<String>,
}

impl PolicyOptions {
    /// "Today" and the authority, for `Policy::decide`.
    pub fn context(&self) -> Context {
        Context {
            as_of: self.as_of.unwrap_or_else(super::clock::today_utc),
            authority: self.authority.clone(),
        }
    }

    /// Loads the chosen policy (default: the built-in foia-release). Warnings go to
    /// stderr. An invalid policy prints every problem to stderr and gives
    /// `Ok(Err(Exit::Usage))`; an unreadable file or unknown name is the outer error.
    pub fn load(&self) -> anyhow::Result<Result<Policy, Exit>> {
        let Some(name) = &self.policy else {
            return Ok(Ok(Policy::default_policy()));
        };
        let mut err = std::io::stderr().lock();
        match load_named(name)? {
            Ok((policy, warnings)) => {
                for w in warnings.iter().filter(|_| !args::settings().quiet) {
                    writeln!(err, "{w}")?;
                }
                Ok(Ok(policy))
            }
            Err(e) => {
                for p in e.problems() {
                    writeln!(err, "{p}")?;
                }
                writeln!(err, "declass: policy {name} is invalid; nothing done")?;
                Ok(Err(Exit::Usage))
            }
        }
    }
}

/// Loads a `--policy` value: an existing file, `builtin:NAME`, or a shipped policy's
/// name. The outer error is a file that cannot be read or a name that is neither.
fn load_named(name: &str) -> anyhow::Result<Result<(Policy, Vec<Problem>), PolicyError>> {
    let path = Path::new(name);
    if !name.starts_with("builtin:") && path.exists() {
        return load_file(path);
    }
    if let Some(source) = policy::shipped_source(name) {
        return Ok(Policy::load(&source));
    }
    let shipped: Vec<String> = policy::shipped_sources()
        .into_iter()
        .map(|s| s.name.trim_start_matches("builtin:").to_string())
        .collect();
    bail!(
        "{name}: no such policy file, nor a shipped policy (shipped: {})",
        shipped.join(", ")
    )
}

/// Reads and loads a policy file. A file over the size limit is refused without being
/// read whole; the outer error is a file that cannot be read at all.
fn load_file(path: &Path) -> anyhow::Result<Result<(Policy, Vec<Problem>), PolicyError>> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| anyhow::anyhow!("{name}: {}", files::io_message(&e));
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let mut bytes = Vec::new();
    file.take(policy::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > policy::MAX_BYTES {
        return Ok(Err(PolicyError::TooLarge {
            file: name,
            bytes: (size as usize).max(bytes.len()),
            limit: policy::MAX_BYTES,
        }));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{name}: not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    // A `code_set:` file is read relative to the policy that names it.
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let read = |set: &str| {
        let file = dir.join(set);
        std::fs::read_to_string(&file)
            .map_err(|e| format!("{}: {}", file.display(), files::io_message(&e)))
    };
    Ok(Policy::load_with(&PolicySource::new(name, text), &read))
}

pub fn run(args: PolicyArgs) -> anyhow::Result<Exit> {
    match args.command {
        PolicyCommand::Check(a) => check(&a),
        PolicyCommand::Explain(a) => explain(&a),
        PolicyCommand::List => list(),
    }
}

fn check(args: &CheckArgs) -> anyhow::Result<Exit> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut worst = Exit::Success;
    for path in &args.files {
        let name = path.display().to_string();
        let loaded = match policy::shipped_source(&name).filter(|_| name.starts_with("builtin:")) {
            Some(source) => Policy::load(&source),
            None => match load_file(path) {
                Ok(loaded) => loaded,
                Err(e) => {
                    writeln!(std::io::stderr(), "declass: {e:#}")?;
                    worst = Exit::Usage;
                    continue;
                }
            },
        };
        match loaded {
            Ok((p, warnings)) => {
                for w in &warnings {
                    writeln!(out, "{w}")?;
                }
                let rules = p.rule_names().len();
                writeln!(
                    out,
                    "{name}: ok: `{}`, {rules} rule{}, {} warning{}, sha256 {}",
                    p.name,
                    plural(rules),
                    warnings.len(),
                    plural(warnings.len()),
                    p.sha256()
                )?;
            }
            Err(e) => {
                worst = Exit::Usage;
                let problems = e.problems();
                for p in &problems {
                    writeln!(out, "{p}")?;
                }
                let errors = problems.iter().filter(|p| p.is_error()).count();
                let warnings = problems.len() - errors;
                let what = match e {
                    PolicyError::Invalid(_) => "invalid",
                    _ => "refused",
                };
                writeln!(
                    out,
                    "{name}: {what}: {errors} error{}, {warnings} warning{}",
                    plural(errors),
                    plural(warnings)
                )?;
            }
        }
    }
    out.flush()?;
    Ok(worst)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn list() -> anyhow::Result<Exit> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for source in policy::shipped_sources() {
        let name = source.name.trim_start_matches("builtin:");
        let description = match Policy::load(&source) {
            Ok((p, _)) => p.description,
            Err(e) => format!("(invalid: {})", e.errors().len()),
        };
        let default = if name == policy::DEFAULT_POLICY {
            " (default)"
        } else {
            ""
        };
        writeln!(out, "{:<20}{description}{default}", name)?;
    }
    out.flush()?;
    Ok(Exit::Success)
}

fn explain(args: &ExplainArgs) -> anyhow::Result<Exit> {
    let policy = match args.options.load()? {
        Ok(p) => p,
        Err(exit) => return Ok(exit),
    };
    let ctx = args.options.context();
    let expanded = match driver::expand(&args.inputs) {
        Ok(e) => e,
        Err(exit) => return Ok(exit),
    };
    // A PDF that cannot be read at all ends the run with 2, as for release (issue 17).
    let mut failures = driver::Failures::of(&expanded);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut first = true;
    let mut write_error = None;
    driver::each_document(
        &expanded.inputs,
        0,
        |input, doc| {
            let decisions = policy.decide(&doc, &ctx);
            policy::explain::render(&policy, &doc, &decisions, &input.display(), &ctx)
        },
        |_, result| match result {
            Ok(text) => {
                let sep = if std::mem::take(&mut first) { "" } else { "\n" };
                if write_error.is_none()
                    && let Err(e) = write!(out, "{sep}{text}")
                {
                    write_error = Some(e);
                }
            }
            Err(e) => failures.add(&e),
        },
    );
    if let Some(e) = write_error {
        return Err(e.into());
    }
    out.flush()?;
    Ok(failures.exit(0))
}
