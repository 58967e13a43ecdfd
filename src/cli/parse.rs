//! `declass parse FILE|DIR|-`: print the document model, as text or JSON, or (`--stats`)
//! a corpus summary: files, paragraphs, share with a recognized marking, lost lines and
//! counts by diagnostic code.

use super::batch;
use super::exit::Exit;
use super::files::{self, Input};
use crate::diagnostic::Code;
use crate::document::{Document, Origin};
use clap::{Args, ValueEnum};
use std::collections::BTreeMap;
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

/// What one input produced.
enum Outcome {
    Parsed {
        rendered: String,
        stats: DocStats,
    },
    Failed(String),
    /// The input could not be read at all (an encrypted or damaged PDF): exit 2.
    Unreadable(String),
}

#[derive(Default)]
struct DocStats {
    lines: usize,
    paragraphs: usize,
    explicit: usize,
    inherited: usize,
    unmarked: usize,
    unknown: usize,
    lost_line: Option<usize>,
    codes: BTreeMap<Code, usize>,
}

pub fn run(args: ParseArgs) -> anyhow::Result<Exit> {
    let (inputs, walk_errors) = files::expand(&args.inputs);
    for e in &walk_errors {
        super::report_file_error(&e.input, &e.message);
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut total = DocStats::default();
    let mut files_ok = 0usize;
    let mut failed = walk_errors.len();
    let mut unreadable = 0usize;
    let mut lost = Vec::new();
    let mut write_error = None;
    let single = inputs.len() == 1;
    let format = args.format;
    let stats_only = args.stats;
    batch::run_indexed(
        inputs.len(),
        batch::threads(args.threads),
        |i| one(&inputs.get(i), format, stats_only),
        |_, outcome| match outcome {
            Outcome::Parsed { rendered, stats } => {
                files_ok += 1;
                if let Some(line) = stats.lost_line {
                    lost.push(line);
                }
                total.add(&stats);
                if !stats_only && write_error.is_none() {
                    let sep = if single || format == ParseFormat::Json {
                        ""
                    } else {
                        "\n"
                    };
                    if let Err(e) = write!(out, "{rendered}{sep}") {
                        write_error = Some(e);
                    }
                }
            }
            Outcome::Failed(message) => {
                failed += 1;
                super::report_file_error("", &message);
            }
            Outcome::Unreadable(message) => {
                failed += 1;
                unreadable += 1;
                super::report_file_error("", &message);
            }
        },
    );
    if let Some(e) = write_error {
        return Err(e.into());
    }
    if stats_only {
        total.print(&mut out, files_ok, failed, lost.len())?;
    }
    out.flush()?;
    Ok(if unreadable > 0 {
        Exit::Usage
    } else if failed > 0 || !lost.is_empty() {
        Exit::Findings
    } else {
        Exit::Success
    })
}

fn one(input: &Input, format: ParseFormat, stats_only: bool) -> Outcome {
    let parsed = files::with_bytes(input, |bytes| {
        crate::parse::parse(bytes, input.file_name())
            .map_err(|e| (e.unreadable(), format!("{}: {e}", input.display())))
    })
    .map_err(|e| (false, e.to_string()))
    .flatten();
    let doc = match parsed {
        Ok(d) => d,
        Err((true, message)) => return Outcome::Unreadable(message),
        Err((false, message)) => return Outcome::Failed(message),
    };
    let stats = DocStats::of(&doc);
    let rendered = if stats_only {
        String::new()
    } else {
        match format {
            ParseFormat::Json => {
                let path = input.display();
                let mut s = serde_json::to_string(&doc.to_json(Some(&path))).unwrap_or_default();
                s.push('\n');
                s
            }
            ParseFormat::Text => render_text(&doc, &input.display()),
        }
    };
    Outcome::Parsed { rendered, stats }
}

impl DocStats {
    fn of(doc: &Document) -> DocStats {
        let mut s = DocStats {
            lines: doc.lines.len(),
            paragraphs: doc.paragraphs.len(),
            lost_line: doc.check_tiling().err(),
            ..DocStats::default()
        };
        for p in &doc.paragraphs {
            match p.origin {
                Origin::Explicit => s.explicit += 1,
                Origin::Inherited(_) => s.inherited += 1,
                Origin::None => s.unmarked += 1,
                Origin::Unknown => s.unknown += 1,
            }
        }
        for d in &doc.diagnostics {
            *s.codes.entry(d.code).or_default() += 1;
        }
        s
    }

    fn add(&mut self, o: &DocStats) {
        self.lines += o.lines;
        self.paragraphs += o.paragraphs;
        self.explicit += o.explicit;
        self.inherited += o.inherited;
        self.unmarked += o.unmarked;
        self.unknown += o.unknown;
        for (code, n) in &o.codes {
            *self.codes.entry(*code).or_default() += n;
        }
    }

    fn print(
        &self,
        out: &mut impl Write,
        files: usize,
        failed: usize,
        lost: usize,
    ) -> std::io::Result<()> {
        let pct = |n: usize| {
            if self.paragraphs == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.paragraphs as f64
            }
        };
        writeln!(out, "files parsed        {files}")?;
        writeln!(out, "files failed        {failed}")?;
        writeln!(out, "files losing lines  {lost}")?;
        writeln!(out, "lines               {}", self.lines)?;
        writeln!(out, "paragraphs          {}", self.paragraphs)?;
        writeln!(
            out,
            "  marking recognized {:>7} ({:.1}%)  explicit {} + inherited {}",
            self.explicit + self.inherited,
            pct(self.explicit + self.inherited),
            self.explicit,
            self.inherited
        )?;
        writeln!(
            out,
            "  unmarked           {:>7} ({:.1}%)",
            self.unmarked,
            pct(self.unmarked)
        )?;
        writeln!(
            out,
            "  unknown mark       {:>7} ({:.1}%)",
            self.unknown,
            pct(self.unknown)
        )?;
        writeln!(out, "diagnostics by code")?;
        for (code, n) in &self.codes {
            writeln!(out, "  {} {:<32} {n}", code.id(), code.name())?;
        }
        Ok(())
    }
}

/// The human-readable model: header fields, then one line per paragraph.
fn render_text(doc: &Document, path: &str) -> String {
    use std::fmt::Write as _;
    let h = &doc.header;
    let mut s = String::new();
    let _ = writeln!(s, "{path}");
    match &h.banner {
        Some(b) => {
            let _ = writeln!(s, "  banner      {} (line {})", b.marking.banner(), b.line);
        }
        None => {
            let _ = writeln!(s, "  banner      (none)");
        }
    }
    if let Some(eo) = &h.eo {
        let decl = eo.declassify.as_ref().map_or("(none)".to_string(), |d| {
            d.date.map_or(d.raw.clone(), |x| x.to_string())
        });
        let _ = writeln!(s, "  E.O.        {} declassify {}", eo.order, decl);
    }
    if !h.tags.is_empty() {
        let _ = writeln!(s, "  tags        {}", h.tags.join(" "));
    }
    if let Some(subj) = &h.subject {
        let mark = subj
            .marking
            .as_ref()
            .map_or("-".to_string(), |m| m.canonical());
        let _ = writeln!(s, "  subject     [{mark}] {}", subj.text);
    }
    if let Some(c) = &h.classified_by {
        let reasons: String = c.reasons.iter().collect();
        let _ = writeln!(
            s,
            "  classified  by {} / {} {}",
            c.by,
            c.section.as_deref().unwrap_or("?"),
            reasons
        );
    }
    for (i, p) in doc.paragraphs.iter().enumerate() {
        let mark = p
            .marking
            .as_ref()
            .map_or("-".to_string(), |m| m.canonical());
        let first: String = p
            .text
            .chars()
            .take(60)
            .collect::<String>()
            .replace('\n', " ");
        let _ = writeln!(
            s,
            "  {:<6} {:<12} {:<9} lines {}-{}  {}",
            p.number.map_or("-".to_string(), |n| n.to_string()),
            mark,
            p.origin.as_str(),
            p.lines.first,
            p.lines.last,
            first
        );
        let _ = i;
    }
    if let Some(sig) = &doc.signature {
        let _ = writeln!(s, "  signature   {}", sig.text);
    }
    for d in &doc.diagnostics {
        let _ = writeln!(
            s,
            "  {}:{}: {} {}: {}",
            d.line,
            d.column,
            d.code,
            d.severity(),
            d.message
        );
    }
    s
}
