//! `declass explain CODE` prints one rule's id, name, default severity, summary and
//! explanation; `declass explain --list` lists every code. Both read the code registry.

use super::exit::Exit;
use crate::diagnostic::Code;
use clap::Args;
use std::io::Write;

#[derive(Args)]
pub struct ExplainArgs {
    /// A code (`DCL001`) or its name (`unmarked-paragraph`).
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code with its severity and summary.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    if args.list {
        for code in Code::ALL {
            let info = code.info();
            writeln!(
                out,
                "{} {:<32} {:<7} {}",
                info.id, info.name, info.severity, info.summary
            )?;
        }
        return Ok(Exit::Success);
    }
    let wanted = args.code.unwrap_or_default();
    let Some(code) = Code::from_id(&wanted) else {
        anyhow::bail!("unknown code `{wanted}`; `declass explain --list` lists the codes");
    };
    let info = code.info();
    writeln!(out, "{} {} ({})", info.id, info.name, info.severity)?;
    writeln!(out)?;
    writeln!(out, "{}", info.summary)?;
    writeln!(out)?;
    writeln!(out, "{}", info.explanation)?;
    Ok(Exit::Success)
}
