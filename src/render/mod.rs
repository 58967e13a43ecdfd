//! Output formats for a release.
//!
//! Place in the pipeline: release model → `render` → bytes. Each submodule takes a neutral,
//! already-redacted description of the release and serializes it; none of them sees withheld
//! text.

pub mod html;
pub mod pdf;
pub mod text;

use crate::release::{Block, Release, Span};
use text::{Stamping, TextOptions};

/// The height, in lines, of a withheld paragraph's box: fixed, so that the box says
/// nothing about the length of what it hides.
pub const WITHHELD_BOX_LINES: usize = 2;

/// Release → the PDF typesetter's input.
pub fn pdf_input(release: &Release, stamping: &Stamping, opts: TextOptions) -> pdf::PdfInput {
    let width_of = |codes: &crate::policy::Codes| {
        let inner = crate::policy::render_codes(codes).len() + 2;
        opts.fixed_width.map_or(inner, |w| w.max(inner))
    };
    let mut blocks = Vec::with_capacity(release.blocks.len());
    for block in &release.blocks {
        blocks.push(match block {
            Block::Text(t) => pdf::Block::Line(vec![pdf::Span::Text(t.to_string())]),
            Block::Blank => pdf::Block::Blank,
            Block::Spans(spans) => pdf::Block::Line(
                spans
                    .iter()
                    .map(|s| match s {
                        Span::Text(t) => pdf::Span::Text(t.clone()),
                        Span::Redacted(codes) => pdf::Span::Redaction {
                            codes: crate::policy::render_codes(codes),
                            width_chars: width_of(codes),
                        },
                    })
                    .collect(),
            ),
            Block::Withheld { lead, codes } => pdf::Block::Withheld {
                lead: lead.clone(),
                codes: crate::policy::render_codes(codes),
                height_lines: WITHHELD_BOX_LINES,
            },
        });
    }
    pdf::PdfInput {
        header_marking: release.banner.clone(),
        header_ids: stamping.ids(),
        footer_stamp: release.stamp.to_string(),
        declass_block: release.declassification.clone(),
        blocks,
    }
}
