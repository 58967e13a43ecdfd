//! The command line: clap definitions and one file per subcommand. The only place that
//! does I/O, prints, and turns outcomes into exit codes.

pub mod args;
mod audit;
mod audit_fix;
pub mod batch;
mod clock;
mod consistency;
pub mod driver;
mod exemption_log;
pub mod exit;
mod explain;
pub mod files;
mod generate;
mod manifest_sink;
mod parse;
mod policy;
mod preview;
mod release;
mod review;
mod stream;
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
    propagate_version = true,
    after_long_help = EXIT_STATUS
)]
pub struct Cli {
    #[command(flatten)]
    pub global: args::GlobalArgs,
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
    /// Print a shell completion script (bash, zsh, fish, powershell) to stdout.
    Completions(generate::CompletionsArgs),
    /// Print the man page, declass(1), to stdout.
    Man,
    /// Review documents in a local web app: release, withhold or redact portions and
    /// approve others' decisions, saved to a decisions file for `release --decisions`.
    Review(review::ReviewArgs),
}

/// The exit codes, as `--help` and the man page give them (the table is in `exit.rs`).
const EXIT_STATUS: &str = "Exit status:
  0  done: no finding at or above --fail-on, no leak, every file processed
  1  findings, a leak or mismatch (verify), or some input files failed (the others were done)
  2  could not run: bad arguments, an invalid policy or config, a missing path; nothing done";

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
    cli.global.install();
    let result = match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Policy(args) => policy::run(args),
        Command::Release(args) => release::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Preview(args) => preview::run(args),
        Command::Completions(args) => generate::completions(&args),
        Command::Man => generate::man(),
        Command::Review(args) => review::run(args),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            let exit = Exit::of_error(&e);
            if exit != Exit::Success {
                let _ = writeln!(std::io::stderr(), "declass: error: {e:#}");
            }
            exit.into()
        }
    }
}
