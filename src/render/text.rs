//! Release → text: the cable's layout kept so a reader recognises it, with the release
//! banner and stamp on top, withheld paragraphs as their number and codes, and redacted
//! spans as their codes.

use crate::document::Date;
use crate::policy::{Codes, render_codes};
use crate::release::{Block, Release, Span};

/// How placeholders look.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// Pad every placeholder to this many characters, so that neither the codes nor the
    /// withheld text's size can be told from its width.
    pub fixed_width: Option<usize>,
}

/// Identifiers printed under the banner line when given.
#[derive(Clone, Debug)]
pub struct Stamping {
    pub case: Option<String>,
    pub doc: Option<String>,
    /// The as-of date, printed `MM/DD/YYYY`.
    pub date: Date,
}

impl Stamping {
    /// `Case No. F-2026-00001  Doc No. C0001  Date: 01/01/2026`, or empty without a case.
    pub fn ids(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.case {
            parts.push(format!("Case No. {c}"));
        }
        if let Some(d) = &self.doc {
            parts.push(format!("Doc No. {d}"));
        }
        if !parts.is_empty() {
            let d = self.date;
            parts.push(format!("Date: {:02}/{:02}/{:04}", d.month, d.day, d.year));
        }
        parts.join("  ")
    }
}

/// A placeholder for withheld material: `[B1, 1.4(B), 1.4(D)]`, padded when asked.
pub fn placeholder(codes: &Codes, opts: TextOptions) -> String {
    let inner = render_codes(codes);
    match opts.fixed_width {
        Some(w) if w > inner.len() + 2 => {
            format!("[{inner}{}]", " ".repeat(w - inner.len() - 2))
        }
        _ => ["[", inner.as_str(), "]"].concat(),
    }
}

pub fn render(release: &Release, stamping: &Stamping, opts: TextOptions) -> String {
    let mut out = String::with_capacity(size_hint(release));
    let stamp = release.stamp.to_string();
    let pad = 78usize
        .saturating_sub(release.banner.len() + stamp.len())
        .max(4);
    out.push_str(&release.banner);
    out.extend(std::iter::repeat_n(' ', pad));
    out.push_str(&stamp);
    out.push('\n');
    let ids = stamping.ids();
    if !ids.is_empty() {
        out.push_str(&ids);
        out.push('\n');
    }
    if !release.declassification.is_empty() {
        out.push('\n');
        for line in &release.declassification {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    for block in &release.blocks {
        match block {
            Block::Text(t) => out.push_str(t),
            Block::Blank => {}
            Block::Spans(spans) => {
                for s in spans {
                    match s {
                        Span::Text(t) => out.push_str(t),
                        Span::Redacted(codes) => out.push_str(&placeholder(codes, opts)),
                    }
                }
            }
            Block::Withheld { lead, codes } => {
                out.push_str(lead);
                out.push_str(&placeholder(codes, opts));
            }
        }
        out.push('\n');
    }
    out
}

/// About how long the rendered release is, so that the output is allocated once rather
/// than grown (and copied) a dozen times: the text it carries plus room for the header
/// lines and placeholders.
fn size_hint(release: &Release) -> usize {
    let text: usize = release
        .blocks
        .iter()
        .map(|b| match b {
            Block::Text(t) => t.len(),
            Block::Spans(spans) => spans
                .iter()
                .map(|s| match s {
                    Span::Text(t) => t.len(),
                    Span::Redacted(_) => 16,
                })
                .sum(),
            Block::Blank => 0,
            Block::Withheld { lead, .. } => lead.len() + 16,
        })
        .sum();
    text + release.blocks.len() + 256
}
