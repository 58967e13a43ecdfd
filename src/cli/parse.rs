//! `declass parse FILE|DIR|-`: print the document model, as text or JSON, or (`--stats`)
//! a corpus summary: files, paragraphs, share with a recognized marking, lost lines and
//! counts by diagnostic code.

use super::driver;
use super::exit::Exit;
use crate::document::stats::{Corpus, DocStats};
use clap::{Args, ValueEnum};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[derive(Args)]
pub struct ParseArgs {
    /// Files, directories (walked recursively) or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Text)]
    pub format: ParseFormat,
    /// Print only a summary over all inputs (files, paragraphs, marking coverage, lost
    /// lines, diagnostics by code) instead of each document.
    #[arg(long)]
    pub stats: bool,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long = "threads", default_value_t = 0)]
    pub threads: usize,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ParseFormat {
    Text,
    Json,
}

pub fn run(args: ParseArgs) -> anyhow::Result<Exit> {
    let expanded = match driver::expand(&args.inputs) {
        Ok(e) => e,
        Err(exit) => return Ok(exit),
    };
    let inputs = &expanded.inputs;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut corpus = Corpus::default();
    let mut failures = driver::Failures::of(&expanded);
    let mut write_error = None;
    // Text models of several documents are separated by a blank line; JSON is one per line.
    let sep = if inputs.len() == 1 || args.format == ParseFormat::Json {
        ""
    } else {
        "\n"
    };
    driver::each_document(
        inputs,
        args.threads,
        |input, doc| {
            let rendered = match (args.stats, args.format) {
                (true, _) => String::new(),
                (false, ParseFormat::Json) => {
                    let path = input.display();
                    let mut s =
                        serde_json::to_string(&doc.to_json(Some(&path))).unwrap_or_default();
                    s.push('\n');
                    s
                }
                (false, ParseFormat::Text) => crate::document::text::render(&doc, &input.display()),
            };
            (rendered, DocStats::of(&doc))
        },
        |_, result| match result {
            Ok((rendered, stats)) => {
                corpus.add(&stats);
                if !args.stats
                    && write_error.is_none()
                    && let Err(e) = write!(out, "{rendered}{sep}")
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
    corpus.failed = failures.failed;
    if args.stats {
        write!(out, "{corpus}")?;
    }
    out.flush()?;
    Ok(failures.exit(corpus.losing_lines))
}
