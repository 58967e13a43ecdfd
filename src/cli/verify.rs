//! `declass verify RELEASE --source SRC [--policy P] [--as-of D]`: runs the leak check on
//! an existing release (text or PDF, PDF metadata included) against its source. Exit 1 on
//! a leak, listing the paragraphs by number, never the leaked text.

use super::exit::Exit;
use super::files::{self, Input};
use super::policy::PolicyOptions;
use crate::release::pipeline;
use anyhow::anyhow;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct VerifyArgs {
    /// The release to check (text or PDF).
    pub release: PathBuf,
    /// The source document the release was made from.
    #[arg(long)]
    pub source: PathBuf,
    #[command(flatten)]
    pub policy: PolicyOptions,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<Exit> {
    let policy = match args.policy.load()? {
        Ok(p) => p,
        Err(exit) => return Ok(exit),
    };
    let context = args.policy.context();
    let read = |p: &PathBuf| {
        files::read(&Input::File {
            path: p.clone(),
            root: None,
        })
        .map_err(|e| anyhow!("{e}"))
    };
    let release = read(&args.release)?;
    let source = read(&args.source)?;
    let name = args.source.file_name().and_then(|n| n.to_str());
    let leaks = pipeline::verify(&release, &source, name, &policy, &context)
        .map_err(|e| anyhow!("{}: {e}", args.source.display()))?;
    if leaks.is_empty() {
        println!("{}: no withheld material found", args.release.display());
        Ok(Exit::Success)
    } else {
        println!(
            "{}: LEAK: withheld material found: {}",
            args.release.display(),
            leaks.join(", ")
        );
        Ok(Exit::Findings)
    }
}
