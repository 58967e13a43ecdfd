//! `declass verify RELEASE --source SRC [--manifest M] [--policy P] [--as-of D]`: reads an
//! existing release as an attacker would (any text encoding, JSON strings, every part of a
//! PDF) and checks it against its source: nothing the policy withholds, nothing the source
//! marks above the target, and content that comes from that source. Findings name the place
//! and line, never the text. Exit 0 clean; 1 leak, mismatch, or a file
//! that could not be read whole (not verified); 2 could not run (arguments, policy, a
//! missing path).

use super::driver;
use super::exit::Exit;
use super::policy::PolicyOptions;
use crate::verify::{self, FindingKind, Inputs};
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct VerifyArgs {
    /// The release to check (text, JSON or PDF).
    pub release: PathBuf,
    /// The source document the release was made from.
    #[arg(long)]
    pub source: PathBuf,
    /// The release's manifest: checked for leaks too, and for naming this source and release.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyOptions,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<Exit> {
    let policy = match args.policy.load()? {
        Ok(p) => p,
        Err(exit) => return Ok(exit),
    };
    let context = args.policy.context();
    let read = |p: &PathBuf| driver::read_named(p);
    let release = match read(&args.release) {
        Ok(bytes) => bytes,
        Err(exit) => return Ok(exit),
    };
    let source = match read(&args.source) {
        Ok(bytes) => bytes,
        Err(exit) => return Ok(exit),
    };
    let manifest = match args.manifest.as_ref().map(read).transpose() {
        Ok(bytes) => bytes,
        Err(exit) => return Ok(exit),
    };
    let inputs = Inputs {
        release: &release,
        source: &source,
        source_name: args.source.file_name().and_then(|n| n.to_str()),
        manifest: manifest.as_deref(),
    };
    let name = args.release.display();
    // A file that cannot be read as what it is named (release, source, manifest) is a
    // failed file: nothing is verified, and the run says so with exit 1.
    let report = match verify::verify(&inputs, &policy, &context) {
        Ok(report) => report,
        Err(e) => {
            let file = match e {
                verify::VerifyError::Source(_) => args.source.display(),
                _ => name,
            };
            driver::report(&file.to_string(), &e.to_string());
            return Ok(Exit::Findings);
        }
    };
    for r in &report.remarks {
        driver::note(&name.to_string(), &format!("note: {r}"));
    }
    for f in &report.findings {
        println!("{name}: {f}");
    }
    for n in &report.incomplete {
        println!("{name}: not read: {n}");
    }
    let any = |kind: FindingKind| report.findings.iter().any(|f| f.kind == kind);
    if !report.withheld.is_empty() {
        println!(
            "{name}: LEAK: withheld material found: {}",
            report.withheld.join(", ")
        );
        Ok(Exit::Findings)
    } else if any(FindingKind::Marked) {
        println!("{name}: LEAK: text marked above the release target found");
        Ok(Exit::Findings)
    } else if any(FindingKind::Hidden) {
        println!("{name}: LEAK: text under a box (hidden, still in the file)");
        Ok(Exit::Findings)
    } else if any(FindingKind::Mismatch) {
        println!("{name}: FAILED: the release does not belong to this source");
        Ok(Exit::Findings)
    } else if !report.incomplete.is_empty() {
        println!("{name}: could not read the whole release: not verified");
        Ok(Exit::Findings)
    } else {
        println!("{name}: no withheld material found");
        Ok(Exit::Success)
    }
}
