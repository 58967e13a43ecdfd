//! Throughput check for `render::pdf`: typesets 500 cable-like releases and reports pages/s.
//!
//! Place in the pipeline: stands in for the release model (it builds `PdfInput`s from the
//! sample cable in `samples/`, withholding every `(C)` paragraph) → `render::pdf` → bytes, which
//! are then read back with `extract` as the leak check would. Run with
//! `cargo run --release --example pdf_bench [CABLES]`.

use std::time::Instant;

use declass::render::pdf::{Block, PdfInput, RenderOptions, Span, extract, render, render_with};

const SAMPLE: &str = include_str!("../samples/07PRAGUE486.txt");

/// A release of the sample cable; `variant` changes the case number and repeats some
/// paragraphs so that documents differ in length (1 to 4 pages).
fn release(variant: usize) -> PdfInput {
    let mut blocks = Vec::new();
    let repeats = 1 + variant % 3;
    for round in 0..repeats {
        for raw in SAMPLE.lines() {
            let text = raw.trim_end();
            if round > 0 && !text.starts_with('¶') {
                continue;
            }
            if text.is_empty() {
                blocks.push(Block::Blank);
            } else if let Some(rest) = text.strip_prefix('¶')
                && rest.contains("(C)")
            {
                let lead_end = text.find("(C)").map_or(0, |i| i + 4);
                blocks.push(Block::Withheld {
                    lead: text[..lead_end].to_owned(),
                    codes: "B1, 1.4(B), 1.4(D)".to_owned(),
                    // A fixed height from a coarse length bucket, never from the words.
                    height_lines: if text.len() > 600 { 8 } else { 4 },
                });
            } else if text.contains("Pojar") && variant.is_multiple_of(2) {
                let (before, after) = text.split_once("Pojar").unwrap_or((text, ""));
                blocks.push(Block::Line(vec![
                    Span::Text(before.to_owned()),
                    Span::Redaction {
                        codes: "B6".to_owned(),
                        width_chars: 12,
                    },
                    Span::Text(after.to_owned()),
                ]));
            } else {
                blocks.push(Block::Line(vec![Span::Text(text.to_owned())]));
            }
        }
    }
    PdfInput {
        header_marking: "UNCLASSIFIED".to_owned(),
        header_ids: format!(
            "Case No. F-2026-{variant:05}  Doc No. C{variant:05}  Date: 01/01/2026"
        ),
        footer_stamp: "RELEASE IN PART B1, 1.4(B), 1.4(D), B6".to_owned(),
        declass_block: vec![
            "Classified By: Political-Economic Counselor Mike Dodman".to_owned(),
            "Reason: 1.4(b), 1.4(d)".to_owned(),
            "Declassify On: 05/02/2017".to_owned(),
        ],
        blocks,
    }
}

fn main() -> anyhow::Result<()> {
    let cables: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(500);
    let inputs: Vec<PdfInput> = (0..cables).map(release).collect();

    // Warm up allocator and caches once, then time the full batch.
    render(&inputs[0])?;
    let start = Instant::now();
    let mut pages = 0usize;
    let mut bytes = 0usize;
    let mut outputs = Vec::with_capacity(inputs.len());
    for input in &inputs {
        let out = render(input)?;
        pages += out.pages;
        bytes += out.bytes.len();
        outputs.push(out.bytes);
    }
    let render_secs = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut packed_bytes = 0usize;
    for input in &inputs {
        packed_bytes += render_with(input, RenderOptions { compress: true })?
            .bytes
            .len();
    }
    let packed_secs = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut extracted_chars = 0usize;
    for pdf in &outputs {
        extracted_chars += extract(pdf)?.text().len();
    }
    let extract_secs = start.elapsed().as_secs_f64();

    println!(
        "render:  {cables} cables, {pages} pages, {bytes} bytes in {:.3} s = {:.0} pages/s",
        render_secs,
        pages as f64 / render_secs
    );
    println!(
        "render (compressed): {packed_bytes} bytes in {:.3} s = {:.0} pages/s",
        packed_secs,
        pages as f64 / packed_secs
    );
    println!(
        "extract: {pages} pages ({extracted_chars} chars) in {:.3} s = {:.0} pages/s",
        extract_secs,
        pages as f64 / extract_secs
    );
    Ok(())
}
