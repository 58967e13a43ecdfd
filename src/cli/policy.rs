//! `declass policy check|explain|list`: validate policy files, show how a policy decides a
//! document paragraph by paragraph, list the shipped policies. Also the policy options
//! other commands flatten in (`--policy`, `--as-of`, `--authority`) and the one loader
//! they share, which is the only place the clock is read.

use super::exit::Exit;
use super::files::{self, Input};
use crate::document::{Date, Document};
use crate::marking::Marking;
use crate::policy::{
    self, Action, Context, Decision, Decisions, HeaderAction, Policy, PolicyError, PolicySource,
    Problem, Redaction,
};
use anyhow::bail;
use clap::{Args, Subcommand};
use std::fmt::Write as _;
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
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub as_of: Option<Date>,
    /// The declassification authority printed on a release that declassifies, as
    /// "NAME, TITLE"; overrides the one the policy names.
    #[arg(long, value_name = "NAME, TITLE", value_parser = one_line)]
    pub authority: Option<String>,
}

/// A value printed as (part of) one line of a release: a control character would break
/// the line or inject another into the release header, as in a policy's banner.
pub fn one_line(s: &str) -> Result<String, String> {
    match s.chars().find(|c| c.is_control()) {
        None => Ok(s.to_string()),
        Some(c) => Err(format!(
            "holds the control character U+{:04X}; it is printed as one line of the release",
            u32::from(c)
        )),
    }
}

fn parse_as_of(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| {
        "expected a calendar date as YYYY-MM-DD, e.g. --as-of 2026-01-01".to_string()
    })
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
                for w in &warnings {
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
    if let Some(source) = builtin_source(name) {
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

fn builtin_source(name: &str) -> Option<PolicySource> {
    let bare = name.strip_prefix("builtin:").unwrap_or(name);
    policy::shipped_sources()
        .into_iter()
        .find(|s| s.name.strip_prefix("builtin:") == Some(bare))
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
        let loaded = match builtin_source(&name).filter(|_| name.starts_with("builtin:")) {
            Some(source) => Policy::load(&source),
            None => match load_file(path) {
                Ok(loaded) => loaded,
                Err(e) => {
                    writeln!(std::io::stderr(), "declass: {e}")?;
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
    let (inputs, walk_errors) = files::expand(&args.inputs);
    let mut failed = walk_errors.len();
    for e in &walk_errors {
        super::report_file_error(&e.input, &e.message);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (i, input) in inputs.iter().enumerate() {
        let doc = match read_doc(&input) {
            Ok(d) => d,
            Err((input, message)) => {
                failed += 1;
                super::report_file_error(&input, &message);
                continue;
            }
        };
        if i > 0 {
            writeln!(out)?;
        }
        let decisions = policy.decide(&doc, &ctx);
        out.write_all(
            render_explain(&policy, &doc, &decisions, &input.display(), &ctx).as_bytes(),
        )?;
    }
    out.flush()?;
    Ok(if failed > 0 {
        Exit::Findings
    } else {
        Exit::Success
    })
}

/// A document, or the input's name and what went wrong.
fn read_doc(input: &Input) -> Result<Document, (String, String)> {
    let bytes = files::read(input).map_err(|e| (e.input, e.message))?;
    crate::parse::parse(&bytes, input.file_name()).map_err(|e| (input.display(), e.to_string()))
}

/// The explanation of one document: one entry per portion, then the header plan, the
/// release settings and the stamp.
fn render_explain(
    policy: &Policy,
    doc: &Document,
    d: &Decisions,
    path: &str,
    ctx: &Context,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "policy    {} ({})", policy.name, policy.source);
    let _ = writeln!(s, "document  {path}");
    let _ = writeln!(s, "as of     {}", ctx.as_of);
    if let Some(a) = &ctx.authority {
        let _ = writeln!(s, "authority {a}");
    }
    let _ = writeln!(s);
    if let (Some(subject), Some(decision)) = (&doc.header.subject, &d.subject) {
        portion(
            &mut s,
            "subject",
            subject.marking.as_ref(),
            subject.origin.as_str(),
            decision,
            &subject.text,
        );
    }
    for (i, (p, decision)) in doc.paragraphs.iter().zip(&d.paragraphs).enumerate() {
        portion(
            &mut s,
            &p.label(i),
            p.marking.as_ref(),
            p.origin.as_str(),
            decision,
            &p.text,
        );
    }
    let _ = writeln!(s);
    let parts: Vec<String> = d
        .header
        .parts()
        .iter()
        .map(|(name, action)| format!("{name} {}", header_action(action)))
        .collect();
    let _ = writeln!(s, "header    {}", parts.join("; "));
    for (field, spans) in doc
        .header
        .addressees
        .iter()
        .zip(&d.header.addressee_redactions)
    {
        for r in spans {
            let _ = writeln!(
                s,
                "          addressee \"{}\": {}",
                field.text,
                redaction(&field.text, r)
            );
        }
    }
    for (field, spans) in doc.header.refs.iter().zip(&d.header.ref_redactions) {
        for r in spans {
            let _ = writeln!(
                s,
                "          ref \"{}\": {}",
                field.text,
                redaction(&field.text, r)
            );
        }
    }
    let marks = if d.show_original_marks {
        "withheld paragraphs keep their original mark"
    } else {
        "withheld paragraphs lose their original mark"
    };
    let _ = writeln!(
        s,
        "release   {} (target {}); {marks}",
        d.release_marking, d.target
    );
    if let Some(a) = &d.declassification {
        let from = if a.from_command_line {
            "--authority"
        } else {
            "policy"
        };
        let _ = writeln!(s, "declass   {a} ({from})");
    }
    let _ = writeln!(s, "stamp     {}", d.stamp());
    s
}

fn portion(
    s: &mut String,
    label: &str,
    marking: Option<&Marking>,
    origin: &str,
    d: &Decision,
    text: &str,
) {
    let mark = marking.map_or("-".to_string(), Marking::canonical);
    let action = match &d.action {
        Action::Release if d.declassified => "release (declassified)".to_string(),
        Action::Release => "release".to_string(),
        Action::Withhold { codes } => format!("withhold  {}", policy::render_codes(codes)),
    };
    let _ = writeln!(s, "{label:<9} {mark:<12} {origin:<9} {action}");
    let _ = writeln!(s, "          {}: {}", d.rule, d.why);
    for r in &d.redactions {
        let _ = writeln!(s, "          {}", redaction(text, r));
    }
}

fn redaction(text: &str, r: &Redaction) -> String {
    format!(
        "redact \"{}\" as {}",
        text.get(r.start..r.end).unwrap_or("?"),
        policy::render_codes(&r.codes)
    )
}

fn header_action(a: &HeaderAction) -> String {
    match a {
        HeaderAction::Keep => "keep".into(),
        HeaderAction::Strip => "strip".into(),
        HeaderAction::Redact(codes) => format!("redact as {}", policy::render_codes(codes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_is_strict() {
        assert!(parse_as_of("2026-01-01").is_ok());
        assert!(parse_as_of("2026-1-1").is_err());
        assert!(parse_as_of("2026-02-30").is_err());
        assert!(parse_as_of("yesterday").is_err());
    }
}
