//! `declass audit [FILE|DIR|-]...`: audit documents against the marking rules and print
//! the findings in one of the report formats. The exit code says whether any finding is
//! at or above `--fail-on` (1) or the audit could not run (2); findings in one file never
//! stop the others.

use super::driver;
use super::exit::Exit;
use super::files::{self, Input};
use crate::audit::config::{self, Config, FailOn};
use crate::audit::{AuditContext, audit};
use crate::document::{Date, Document};
use crate::report::{self, FileReport, Finding, Format, Summary};
use clap::{Args, ValueEnum};
use std::io::{BufWriter, Write};
use std::path::{Component, Path, PathBuf};

#[derive(Args)]
pub struct AuditArgs {
    /// Files, directories (walked recursively) or `-` for standard input [default: .]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Exit 1 when a finding is at or above this severity [default: error, or the
    /// config's fail-on]. One of: info, warning, error, never.
    #[arg(long, value_parser = parse_fail_on)]
    pub fail_on: Option<FailOn>,
    /// Configuration file [default: .declass.yaml in the working directory or above].
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Measure "declassification due" against this date (YYYY-MM-DD) [default: today, UTC].
    #[arg(long, value_parser = super::args::as_of)]
    pub as_of: Option<Date>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long = "threads", default_value_t = 0)]
    pub threads: usize,
    /// Rewrite legacy and OCR-damaged portion marks in place to their canonical form
    /// (never a level, never a new control), then audit the result.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: print the changes as a unified diff and write nothing.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
    /// With --fix: write one JSON line per change (file, line, before, after, rule) here.
    #[arg(long, requires = "fix", value_name = "FILE")]
    pub fix_log: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    Human,
    Json,
    Jsonl,
    Sarif,
    Github,
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    FailOn::from_name(s).ok_or_else(|| format!("expected one of: {}", FailOn::CHOICES))
}

pub fn run(args: AuditArgs) -> anyhow::Result<Exit> {
    let cwd = std::env::current_dir()?;
    let (config, config_dir) = match load_config(args.config.as_deref(), &cwd) {
        Ok(found) => found,
        Err(message) => {
            let mut err = std::io::stderr().lock();
            for line in message.lines() {
                let _ = writeln!(err, "declass: error: {line}");
            }
            return Ok(Exit::Usage);
        }
    };
    let fail_on = args
        .fail_on
        .or(config.fail_on)
        .unwrap_or(FailOn::At(crate::diagnostic::Severity::Error));
    let ctx = AuditContext {
        as_of: args.as_of.unwrap_or_else(super::clock::today_utc),
    };
    let color = super::args::settings().color;
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
    };
    let inputs_given = if args.inputs.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.inputs
    };
    let mut expanded = match driver::expand(&inputs_given) {
        Ok(e) => e,
        Err(exit) => return Ok(exit),
    };
    expanded
        .inputs
        .retain(|input| match (input.path(), &config_dir) {
            (Some(path), Some(dir)) => config.selects(&relative_to(path, dir, &cwd)),
            (Some(path), None) => config.selects(&slashed(path)),
            (None, _) => true,
        });

    if args.fix {
        let exit = super::audit_fix::run(&expanded.inputs, args.dry_run, args.fix_log.as_deref())?;
        if args.dry_run || exit != Exit::Success {
            return Ok(exit);
        }
    }

    let mut emitter = report::emitter(format, color);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    let mut failing = false;
    let mut failures = driver::Failures::of(&expanded);
    let mut write_error = None;
    for e in &expanded.failed {
        summary.failed += 1;
        if let Err(err) = emitter.error(&mut out, &e.input, &e.message) {
            write_error.get_or_insert(err);
        }
    }
    driver::each_document(
        &expanded.inputs,
        args.threads,
        |input, doc| audit_one(input, &doc, &ctx, &config),
        |_, outcome| {
            let result = match outcome {
                Ok(report) => {
                    summary.add(&report);
                    failing |= report.findings.iter().any(|f| fail_on.fails(f.severity));
                    emitter.file(&mut out, &report)
                }
                Err(e) => {
                    failures.add(&e);
                    summary.failed += 1;
                    emitter.error(&mut out, &e.input, &e.message)
                }
            };
            if let Err(e) = result {
                write_error.get_or_insert(e);
            }
        },
    );
    if let Some(e) = write_error {
        return Err(e.into());
    }
    emitter.finish(&mut out, &summary)?;
    out.flush()?;
    Ok(failures.exit(usize::from(failing)))
}

/// Audits one parsed input; the findings keep the config's severities and leave out the
/// rules it turns off.
fn audit_one(input: &Input, doc: &Document, ctx: &AuditContext, config: &Config) -> FileReport {
    let findings = audit(doc, ctx)
        .into_iter()
        .filter_map(|d| {
            let severity = config.severity(d.code)?;
            let source = doc.line(d.line);
            Some(Finding::new(d, severity, source))
        })
        .collect();
    FileReport {
        path: input.display(),
        findings,
    }
}

/// The config from `--config`, or the first `.declass.yaml` from `cwd` upward, with the
/// directory its globs are relative to. No file at all is the default config.
fn load_config(explicit: Option<&Path>, cwd: &Path) -> Result<(Config, Option<PathBuf>), String> {
    let path = match explicit {
        Some(p) => Some(cwd.join(p)),
        None => cwd
            .ancestors()
            .map(|dir| dir.join(config::FILE_NAME))
            .find(|p| p.is_file()),
    };
    let Some(path) = path else {
        return Ok((Config::default(), None));
    };
    let shown = explicit.map_or_else(|| path.display().to_string(), |p| p.display().to_string());
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{shown}: {}", files::io_message(&e)))?;
    let config = config::parse(&text).map_err(|e| {
        e.problems
            .iter()
            .map(|p| format!("{shown}:{}:{}: {}", p.line, p.column, p.message))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    Ok((config, path.parent().map(normalize)))
}

/// `path` relative to `dir` when it lies under it, `/`-separated; else as given.
fn relative_to(path: &Path, dir: &Path, cwd: &Path) -> String {
    let absolute = normalize(&cwd.join(path));
    match absolute.strip_prefix(dir) {
        Ok(rel) => slashed(rel),
        Err(_) => slashed(path),
    }
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_relative_to_the_config() {
        let cwd = Path::new("/repo/sub");
        let dir = Path::new("/repo");
        assert_eq!(
            relative_to(Path::new("cables/x.txt"), dir, cwd),
            "sub/cables/x.txt"
        );
        assert_eq!(relative_to(Path::new("../y.txt"), dir, cwd), "y.txt");
        assert_eq!(
            relative_to(Path::new("/else/z.txt"), dir, cwd),
            "/else/z.txt"
        );
    }
}
