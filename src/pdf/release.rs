//! A release made in place: which lines of a PDF are withheld, the redaction, the clean
//! write, and the read-back of the result.
//!
//! Place in the pipeline: the per-document job calls [`in_place`] when a PDF is released as
//! a PDF. A line is released in place only when it belongs to a released portion with no
//! redacted span, or is a header line the text release keeps word for word; and never when
//! the mark-anywhere guard finds a mark above the target on it. Everything else on the
//! pages is withheld (fail closed). The written file is read back twice: by the attacker's
//! reader of `verify` (every string and stream), whose text the job's leak checks get, and by
//! this module's reader, which must find no glyph under any box.

use std::collections::BTreeSet;

use crate::document::{Document, ElementKind};
use crate::guard::Guard;
use crate::release::{Block, Release};
use crate::verify::reading::Place;

use super::redact::{self, Options, Region, Withhold};
use super::{PdfError, PdfText};

/// A PDF released in place.
#[derive(Debug)]
pub struct InPlace {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// The boxes drawn, for the manifest and `verify`.
    pub regions: Vec<Region>,
    /// The output as an attacker reads it.
    pub readback: ReadBack,
    /// Page and line on the page of each line of the input's text, for the manifest.
    pub origins: Vec<super::Origin>,
}

/// The text of an output, read back.
#[derive(Debug, Default)]
pub struct ReadBack {
    /// Pages, annotations, metadata, strings and streams as the structure gives them: what
    /// the mark guard reads.
    pub text: String,
    /// That and a byte scan of the whole file: what the leak check reads.
    pub all: String,
}

/// Label of a box over lines withheld without an exemption code (headers, banners, marks).
const PLAIN_LABEL: &str = "WITHHELD";

/// The lines of `text` the release withholds, with their labels.
pub fn withheld_lines(
    text: &PdfText,
    doc: &Document,
    release: &Release,
    marks: &Guard,
) -> Vec<Withhold> {
    let line_text = |n: usize| doc.lines.get(n - 1).unwrap_or("");
    let mut decided: Vec<Option<String>> = vec![None; doc.lines.len() + 1];
    let mut in_entry = vec![false; doc.lines.len() + 1];
    let mut layout = vec![false; doc.lines.len() + 1];
    for e in &doc.elements {
        if matches!(
            e.kind,
            ElementKind::Banner
                | ElementKind::SectionBanner
                | ElementKind::PageBreak
                | ElementKind::Furniture
        ) {
            let last = e.lines.last.min(doc.lines.len());
            layout
                .iter_mut()
                .take(last + 1)
                .skip(e.lines.first)
                .for_each(|l| *l = true);
        }
    }
    for entry in release.entries.iter().chain(&release.subject) {
        let (first, last) = entry.lines;
        let label = if entry.codes.is_empty() {
            PLAIN_LABEL.to_string()
        } else {
            entry.codes.texts().collect::<Vec<_>>().join(" ")
        };
        // The guard withholds from a token to the next boundary: the whole portion goes.
        let guarded = release
            .guard
            .iter()
            .any(|g| (first..=last).contains(&g.line));
        for n in first..=last.min(doc.lines.len()) {
            // Layout inside a portion's lines (a source page banner, a page number across
            // its page break) is no part of its text: the text release does not print it,
            // so here it is judged as a line outside every portion.
            in_entry[n] = !layout[n];
            if !entry.released || entry.redactions > 0 || guarded {
                decided[n] = Some(label.clone());
            }
        }
    }
    let kept_verbatim: BTreeSet<&str> = release
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text(t) => Some(t.trim()),
            _ => None,
        })
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    for n in 1..=doc.lines.len() {
        let line = line_text(n);
        if line.trim().is_empty() || text.row(n).is_none() {
            continue;
        }
        let label = match &decided[n] {
            Some(l) => Some(l.clone()),
            None if !marks.blocking(line).is_empty() => Some(PLAIN_LABEL.to_string()),
            None if !in_entry[n] && !kept_verbatim.contains(line.trim()) => {
                Some(PLAIN_LABEL.to_string())
            }
            None => None,
        };
        if let Some(label) = label {
            out.push(Withhold { line: n, label });
        }
    }
    out
}

/// Releases `input` (a PDF whose text parsed into `doc`) in place.
pub fn in_place(
    input: &[u8],
    doc: &Document,
    release: &Release,
    marks: &Guard,
    options: &Options,
) -> Result<InPlace, PdfError> {
    // Loaded and read once: by the parse of these bytes, when it ran on this thread.
    let (mut pdf, mut text) = super::read_loaded(input)?;
    let withheld = withheld_lines(&text, doc, release, marks);
    let (regions, fonts) = redact::redact(&mut pdf, &mut text, &withheld, options)?;
    let bytes = super::clean::write(pdf, &fonts)?;
    let own = [options.banner.as_str(), options.stamp.as_str()];
    let check = read_back(&bytes, &regions, &own)?;
    Ok(InPlace {
        pages: text.pages.len(),
        bytes,
        regions,
        readback: check,
        origins: text.origins,
    })
}

/// Reads the output back, loaded once: every image under a box must show only the fill
/// there, no glyph may sit under any box drawn (other than the box's own label and the
/// stamps), `verify`'s attacker reading must find no text hidden under any filled shape, and
/// every piece of text anywhere in the file is returned for the leak checks.
fn read_back(bytes: &[u8], regions: &[Region], own: &[&str]) -> Result<ReadBack, PdfError> {
    // The images the byte scan inflates are kept for the paint check, which reads them next.
    crate::verify::pdf::with_kept(|| read_back_kept(bytes, regions, own))
}

fn read_back_kept(bytes: &[u8], regions: &[Region], own: &[&str]) -> Result<ReadBack, PdfError> {
    let pdf = super::load(bytes)?;
    let reading = crate::verify::pdf::read_doc(&pdf, bytes)
        .map_err(|e| PdfError::Refused(format!("read-back: {e}")))?;
    if let Some(note) = reading.notes.first() {
        return Err(PdfError::Refused(format!(
            "read-back of the output: {note}; nothing was written"
        )));
    }
    for (i, page) in reading.pages.iter().enumerate() {
        let boxes: Vec<&Region> = regions.iter().filter(|r| r.page == i + 1).collect();
        if let Some(image) = super::paint::unpainted(&pdf, &page.images, &boxes) {
            return Err(PdfError::Refused(format!(
                "page {}: image {image} still shows pixels under a box after painting; \
                 nothing was written",
                i + 1
            )));
        }
    }
    for r in regions {
        let Some(page) = reading.pages.get(r.page - 1) else {
            return Err(PdfError::Refused(format!(
                "read-back: page {} of a box is not in the output; nothing was written",
                r.page
            )));
        };
        for f in &page.fragments {
            let inside = f.x >= r.bbox[0] - 0.5
                && f.x < r.bbox[2]
                && f.y >= r.bbox[1] - 0.5
                && f.y < r.bbox[3];
            let ours = f.text.trim() == r.label
                || own
                    .iter()
                    .any(|o| !o.is_empty() && f.text.trim().starts_with(o));
            if inside && !ours {
                return Err(PdfError::Refused(format!(
                    "page {}: text remains under the box at y {:.0}-{:.0} after redaction; \
                     nothing was written",
                    r.page, r.bbox[1], r.bbox[3]
                )));
            }
        }
    }
    if let Some(c) = reading.covered.first() {
        return Err(PdfError::Refused(format!(
            "read-back: text under a box at {}; nothing was written",
            c.place()
        )));
    }
    let mut read = ReadBack::default();
    for p in reading.pieces {
        // The byte scan reads content-stream source too (operators, kerning), which is
        // evidence for the leak check but not text a mark could govern.
        let raw = match &p.place {
            Place::Bytes(_) => true,
            Place::Stream(name) => name.starts_with("at byte"),
            _ => false,
        };
        if !raw {
            read.text.push_str(&p.text);
            read.text.push('\n');
        }
        read.all.push_str(&p.text);
        read.all.push('\n');
    }
    Ok(read)
}
