//! The command line: clap definitions and one file per subcommand. The only place that
//! does I/O, prints, and turns outcomes into exit codes.

mod audit;
pub mod batch;
mod clock;
mod consistency;
mod exemption_log;
pub mod exit;
mod explain;
pub mod files;
pub mod output;
mod parse;
pub mod plan;
mod policy;
mod preview;
mod release;
mod review;
mod verify;

use clap::{Parser, Subcommand};
use exit::Exit;
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "declass",
    version,
    about = "Paragraph-level classification review: parse, decide, release, audit, preview",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Parse documents into header and paragraphs, each tagged with its marking.
    Parse(parse::ParseArgs),
    /// Audit documents against the marking rules (banner, portions, authority, DECL).
    Audit(audit::AuditArgs),
    /// Explain a rule code (`declass explain DCL001`), or list them all (`--list`).
    Explain(explain::ExplainArgs),
    /// Check, explain and list policies: the YAML decision tables a release applies.
    Policy(policy::PolicyArgs),
    /// Release documents under a policy: sanitized text, JSON or PDF, with a manifest.
    Release(release::ReleaseArgs),
    /// Check an existing release against its source for withheld material.
    Verify(verify::VerifyArgs),
    /// Preview what a policy does to a document (terminal or HTML), or compare two policies.
    Preview(preview::PreviewArgs),
    /// Review documents in a local web app: release, withhold or redact portions and
    /// approve others' decisions, saved to a decisions file for `release --decisions`.
    Review(review::ReviewArgs),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Success
            };
            let _ = e.print();
            return code.into();
        }
    };
    let result = match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Policy(args) => policy::run(args),
        Command::Release(args) => release::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Preview(args) => preview::run(args),
        Command::Review(args) => review::run(args),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            if is_broken_pipe(&e) {
                return Exit::Success.into();
            }
            let _ = writeln!(std::io::stderr(), "declass: error: {e:#}");
            Exit::Usage.into()
        }
    }
}

/// A closed pipe (`declass parse … | head`) is a normal end, not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints a per-file error line to stderr.
pub fn report_file_error(input: &str, message: &str) {
    let _ = writeln!(std::io::stderr(), "declass: {input}: {message}");
}
