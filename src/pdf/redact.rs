//! In-place redaction: withheld lines taken out of a PDF's pages, opaque boxes drawn where
//! they stood.
//!
//! Place in the pipeline: the release decides which lines of the layout text are withheld
//! ([`Withhold`]); [`redact`] finds their rows on the pages, removes every text-showing
//! operation that draws a glyph in them (the glyphs are gone, not covered), draws one box
//! per run of withheld lines labelled with the exemption codes, and stamps each page; then
//! [`super::clean`] writes the file fresh. Box geometry comes from the page's text margins
//! and the rows' font sizes, never from the withheld text's length; `fixed_width` makes
//! every box the same width. A box over a picture reaches across the picture
//! (`widen_over_pictures`), since a scan's ink is not bounded by its text layer.
//!
//! Images under a box have their pixels there painted over ([`super::paint`]). What cannot
//! be taken out is refused, naming the page: an image under a withheld region that cannot
//! be decoded, and text drawn by a Form XObject there. A page with no
//! text layer is covered whole and its drawing removed, since nothing on it was read.
//!
//! Glyphs the source itself hides under a filled box (an earlier redaction drawn over text
//! left in the stream, an invisible layer under a box: [`Page::hidden`], found by the same
//! rule as `verify`'s hidden-text check) are taken out as well, glyph by glyph, on every
//! page: a box painted over text is no redaction, and the page then passes that check.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::clean::{FontsUsed, fonts_used};
use super::{PAGE_STREAM, Page, PdfError, PdfText};
use crate::verify::pdf::content::GlyphSource;

/// A line of the layout text that must not be released, and the label its box carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withhold {
    /// 1-based line of [`PdfText::text`].
    pub line: usize,
    /// The exemption codes (`(b)(1) (b)(3)`), or a short reason.
    pub label: String,
}

/// How the pages are stamped and boxed.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Every box this many points wide from the page's left text margin, instead of the
    /// text column's full width.
    pub fixed_width: Option<f32>,
    /// Printed at the top of every page (the release's classification line).
    pub banner: String,
    /// Printed at the bottom of every page, before `page N of M`.
    pub stamp: String,
}

/// A box drawn over withheld text.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// 1-based page.
    pub page: usize,
    /// `[x0, y0, x1, y1]` in page space.
    pub bbox: [f32; 4],
    pub label: String,
}

/// The font resource name the labels and stamps are set in.
const LABEL_FONT: &[u8] = b"DeclassLabel";
const LABEL_SIZE: f32 = 8.0;
const STAMP_SIZE: f32 = 7.0;

/// Redacts `doc` (the document `text` was read from) in place; returns the boxes drawn and
/// the fonts each page's new content selects (for [`super::clean::write`]).
/// Each page's content is edited from the operations `text` decoded when it was read (they
/// are taken from it), and written once with its stamps.
pub fn redact(
    doc: &mut Document,
    text: &mut PdfText,
    withheld: &[Withhold],
    options: &Options,
) -> Result<(Vec<Region>, FontsUsed), PdfError> {
    let mut by_page: BTreeMap<usize, BTreeMap<usize, &str>> = BTreeMap::new();
    for w in withheld {
        if let Some(o) = text.origin(w.line) {
            by_page
                .entry(o.page)
                .or_default()
                .insert(o.line, w.label.as_str());
        }
    }
    let total = text.pages.len();
    let mut regions = Vec::new();
    let mut fonts = FontsUsed::new();
    for (i, page) in text.pages.iter_mut().enumerate() {
        let number = i + 1;
        let ops = page.ops.take();
        let page = &*page;
        let empty = BTreeMap::new();
        let lines = by_page.get(&number).unwrap_or(&empty);
        let decoded = |ops: Option<Vec<Operation>>| {
            ops.ok_or_else(|| {
                PdfError::Damaged(format!("page {number}: content cannot be decoded"))
            })
        };
        let (page_regions, mut content) = if page.textless() {
            let r = Region {
                page: number,
                bbox: page.media_box,
                label: "NO TEXT LAYER: PAGE WITHHELD".into(),
            };
            if let Ok(d) = doc.get_dictionary_mut(page.id) {
                d.set("Resources", Dictionary::new());
            }
            // Everything the page drew is dropped for one box.
            let mut content = Vec::new();
            draw_box(&mut content, &r);
            (vec![r], content)
        } else if lines.is_empty() {
            // An untouched page keeps its content as it was, set apart from the stamp, but
            // for the glyphs the source hid under its own boxes.
            let ops = decoded(ops)?;
            let mut edits = hidden_edits(number, &ops, &page.hidden)?;
            let mut content = vec![Operation::new("q", vec![])];
            for (i, op) in ops.into_iter().enumerate() {
                match edits.remove(&i) {
                    Some(edited) => content.extend(edited),
                    None => content.push(op),
                }
            }
            content.push(Operation::new("Q", vec![]));
            (Vec::new(), content)
        } else {
            redact_page(doc, number, page, decoded(ops)?, lines, options)?
        };
        stamp_page(page, number, total, options, &page_regions, &mut content);
        fonts.insert(page.id, fonts_used(&content));
        set_content(doc, page.id, content)?;
        regions.extend(page_regions);
    }
    Ok((regions, fonts))
}

/// Boxes for a page's withheld lines: consecutive lines with one label (blank lines between
/// them included) make one box.
fn boxes(
    page: &Page,
    number: usize,
    lines: &BTreeMap<usize, &str>,
    options: &Options,
) -> Vec<Region> {
    let rows: Vec<&super::Row> = page.lines.iter().flatten().collect();
    let left = rows
        .iter()
        .map(|r| r.bbox[0])
        .fold(f32::INFINITY, f32::min)
        .max(page.media_box[0]);
    // The right edge mirrors the left margin: it does not move with any line's length.
    let right = match options.fixed_width {
        Some(w) => left + w,
        None => (page.media_box[2] - (left - page.media_box[0])).max(left + 72.0),
    };
    let mut out: Vec<Region> = Vec::new();
    let mut open: Option<(usize, Region)> = None;
    for (&line, &label) in lines {
        let Some(Some(row)) = page.lines.get(line - 1) else {
            continue;
        };
        let top = row.baseline + 0.9 * row.size;
        let bottom = row.baseline - 0.3 * row.size;
        let joins = open.as_ref().is_some_and(|(last, r)| {
            r.label == label && page.lines[*last..line - 1].iter().all(Option::is_none)
        });
        match (&mut open, joins) {
            (Some((last, r)), true) => {
                r.bbox[1] = r.bbox[1].min(bottom);
                r.bbox[3] = r.bbox[3].max(top);
                *last = line;
            }
            _ => {
                if let Some((_, r)) = open.take() {
                    out.push(r);
                }
                open = Some((
                    line,
                    Region {
                        page: number,
                        bbox: [left - 2.0, bottom, right + 2.0, top],
                        label: label.to_string(),
                    },
                ));
            }
        }
    }
    out.extend(open.map(|(_, r)| r));
    widen_over_pictures(&mut out, page);
    meet_mid_overlap(&mut out);
    out
}

/// A box over a picture (a scan under its OCR layer, a photo of a page) reaches across the
/// whole picture, within the page: the picture's ink on the withheld rows may run past the
/// text layer's glyphs (a scan set off-centre, a line the OCR read short, a note in the
/// margin), and only what lies under a box is painted over. The width then comes from the
/// picture's geometry, never from the withheld text's; `fixed_width` cannot hold there.
fn widen_over_pictures(regions: &mut [Region], page: &Page) {
    for r in regions.iter_mut() {
        for image in &page.images {
            let b = image.bbox;
            if overlaps(&r.bbox, &b) {
                r.bbox[0] = r.bbox[0].min(b[0].max(page.media_box[0]));
                r.bbox[2] = r.bbox[2].max(b[2].min(page.media_box[2]));
            }
        }
    }
}

/// Boxes of adjacent withheld rows with different labels overlap when the rows are set
/// tighter than a box's height: each is cut back to the middle of the overlap, so they
/// meet there and neither label sits under the other box. The cut stays clear of both
/// rows' glyphs (a box reaches 0.9 of a size above its baseline and 0.3 below; rows are
/// more than 0.6 of a size apart), and the glyphs are removed anyway.
fn meet_mid_overlap(regions: &mut [Region]) {
    for i in 0..regions.len() {
        for j in i + 1..regions.len() {
            let (head, tail) = regions.split_at_mut(j);
            let (a, b) = (&mut head[i], &mut tail[0]);
            if !overlaps(&a.bbox, &b.bbox) {
                continue;
            }
            // `upper` is the box whose middle is higher; it must not contain the other.
            let (upper, lower) = if a.bbox[1] + a.bbox[3] >= b.bbox[1] + b.bbox[3] {
                (a, b)
            } else {
                (b, a)
            };
            if upper.bbox[1] > lower.bbox[1] && upper.bbox[3] > lower.bbox[3] {
                let mid = (upper.bbox[1] + lower.bbox[3]) / 2.0;
                upper.bbox[1] = mid;
                lower.bbox[3] = mid;
            }
        }
    }
}

fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Removes the withheld rows' glyphs from `ops` (the page's content) and draws the boxes:
/// the boxes and the edited content.
fn redact_page(
    doc: &mut Document,
    number: usize,
    page: &Page,
    ops: Vec<Operation>,
    lines: &BTreeMap<usize, &str>,
    options: &Options,
) -> Result<(Vec<Region>, Vec<Operation>), PdfError> {
    let regions = boxes(page, number, lines, options);
    // Pixels under a box are painted before the page's resources are rewritten below.
    super::paint::paint(doc, number, page, &regions)?;
    // The fragments of withheld rows, and any other drawn inside a box.
    let mut remove: BTreeSet<usize> = BTreeSet::new();
    let mut withheld_fragments: BTreeSet<usize> = BTreeSet::new();
    for &line in lines.keys() {
        if let Some(Some(row)) = page.lines.get(line - 1) {
            withheld_fragments.extend(row.fragments.iter().copied());
        }
    }
    for (i, f) in page.fragments.iter().enumerate() {
        let extent = [f.x.min(f.end), f.y, f.x.max(f.end), f.y + 0.5 * f.size];
        let under = regions.iter().any(|r| overlaps(&r.bbox, &extent));
        if !(under || withheld_fragments.contains(&i)) {
            continue;
        }
        if f.stream != PAGE_STREAM {
            return Err(PdfError::Refused(format!(
                "page {number}: text drawn by form {} lies in a withheld region; the page \
                 cannot be released in place",
                f.stream
            )));
        }
        remove.insert(f.op);
    }
    let mut edits = hidden_edits(number, &ops, &page.hidden)?;
    let mut out = Vec::with_capacity(ops.len() + 16);
    out.push(Operation::new("q", vec![]));
    for (i, op) in ops.into_iter().enumerate() {
        if !remove.contains(&i) {
            match edits.remove(&i) {
                Some(edited) => out.extend(edited),
                None => out.push(op),
            }
            continue;
        }
        // The glyphs go; a line move the operator made stays, so later lines keep their
        // places.
        match op.operator.as_str() {
            "'" => out.push(Operation::new("T*", vec![])),
            "\"" => {
                let mut a = op.operands.into_iter();
                if let (Some(aw), Some(ac)) = (a.next(), a.next()) {
                    out.push(Operation::new("Tw", vec![aw]));
                    out.push(Operation::new("Tc", vec![ac]));
                }
                out.push(Operation::new("T*", vec![]));
            }
            _ => {}
        }
    }
    out.push(Operation::new("Q", vec![]));
    // Every box before any label: no box is painted over another's label.
    for r in &regions {
        draw_fill(&mut out, r);
    }
    for r in &regions {
        draw_label(&mut out, r);
    }
    Ok((regions, out))
}

/// The text operations of a page that show glyphs the source hid under its own boxes
/// ([`Page::hidden`]), rewritten without them: by operation index, what replaces it. Each
/// hidden glyph's code leaves its string and a `TJ` adjustment of its advance takes its
/// place, so the glyphs after it on the line stay where they were. An operation whose
/// glyphs cannot be measured (font size 0) loses all its glyphs, keeping its line move; a
/// hidden glyph drawn by a form cannot be edited for one page, and refuses the page.
fn hidden_edits(
    number: usize,
    ops: &[Operation],
    hidden: &[GlyphSource],
) -> Result<BTreeMap<usize, Vec<Operation>>, PdfError> {
    let mut by_op: BTreeMap<usize, Vec<&GlyphSource>> = BTreeMap::new();
    for g in hidden {
        if !g.top {
            return Err(PdfError::Refused(format!(
                "page {number}: text drawn by a form lies under a box the source drew over                  it; the page cannot be released in place"
            )));
        }
        by_op.entry(g.op).or_default().push(g);
    }
    let mut edits = BTreeMap::new();
    for (index, glyphs) in by_op {
        let Some(op) = ops.get(index) else {
            return Err(PdfError::Damaged(format!(
                "page {number}: a hidden glyph's operation is missing"
            )));
        };
        let items: Vec<Object> = match (op.operator.as_str(), op.operands.last()) {
            ("TJ", Some(Object::Array(items))) => items.clone(),
            ("Tj" | "'" | "\"", Some(s @ Object::String(..))) => vec![s.clone()],
            _ => Vec::new(),
        };
        let measured = !items.is_empty() && glyphs.iter().all(|g| g.kern.is_finite());
        let shown = if measured {
            Some(Operation::new(
                "TJ",
                vec![Object::Array(without(&items, &glyphs))],
            ))
        } else {
            None
        };
        let mut edited = Vec::new();
        match op.operator.as_str() {
            "'" => edited.push(Operation::new("T*", vec![])),
            "\"" => {
                let mut a = op.operands.iter().cloned();
                if let (Some(aw), Some(ac)) = (a.next(), a.next()) {
                    edited.push(Operation::new("Tw", vec![aw]));
                    edited.push(Operation::new("Tc", vec![ac]));
                }
                edited.push(Operation::new("T*", vec![]));
            }
            _ => {}
        }
        edited.extend(shown);
        edits.insert(index, edited);
    }
    Ok(edits)
}

/// A `TJ` array's items with the codes of `glyphs` cut out of their strings, each replaced
/// by its adjustment.
fn without(items: &[Object], glyphs: &[&GlyphSource]) -> Vec<Object> {
    let mut out = Vec::with_capacity(items.len() + 2 * glyphs.len());
    for (n, item) in items.iter().enumerate() {
        let Object::String(bytes, format) = item else {
            out.push(item.clone());
            continue;
        };
        let mut cut: Vec<&&GlyphSource> = glyphs.iter().filter(|g| g.item == n).collect();
        if cut.is_empty() {
            out.push(item.clone());
            continue;
        }
        cut.sort_by_key(|g| g.start);
        let mut at = 0;
        // The adjustment of the glyphs cut since the last kept code: adjacent glyphs make
        // one number.
        let mut gap: Option<f32> = None;
        for g in cut {
            let start = g.start.min(bytes.len());
            if start < at {
                continue;
            }
            if start > at {
                out.extend(gap.take().map(Object::Real));
                out.push(Object::String(bytes[at..start].to_vec(), *format));
            }
            *gap.get_or_insert(0.0) += g.kern;
            at = (start + g.len).min(bytes.len());
        }
        out.extend(gap.map(Object::Real));
        if at < bytes.len() {
            out.push(Object::String(bytes[at..].to_vec(), *format));
        }
    }
    out
}

fn draw_box(ops: &mut Vec<Operation>, r: &Region) {
    draw_fill(ops, r);
    draw_label(ops, r);
}

/// The opaque box.
fn draw_fill(ops: &mut Vec<Operation>, r: &Region) {
    let [x0, y0, x1, y1] = r.bbox;
    ops.extend([
        Operation::new("q", vec![]),
        Operation::new("g", vec![0.into()]),
        Operation::new(
            "re",
            vec![x0.into(), y0.into(), (x1 - x0).into(), (y1 - y0).into()],
        ),
        Operation::new("f", vec![]),
        Operation::new("Q", vec![]),
    ]);
}

/// The box's label, in white inside it.
fn draw_label(ops: &mut Vec<Operation>, r: &Region) {
    let [x0, y0, _, y1] = r.bbox;
    let h = y1 - y0;
    let size = LABEL_SIZE.min(h * 0.8).max(1.0);
    ops.extend([
        Operation::new("q", vec![]),
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![Object::Name(LABEL_FONT.to_vec()), size.into()]),
        Operation::new("g", vec![1.into()]),
        Operation::new(
            "Td",
            vec![
                (x0 + 4.0).into(),
                (y0 + (h - size) / 2.0 + 0.2 * size).into(),
            ],
        ),
        Operation::new(
            "Tj",
            vec![Object::String(
                r.label.as_bytes().to_vec(),
                StringFormat::Literal,
            )],
        ),
        Operation::new("ET", vec![]),
        Operation::new("Q", vec![]),
    ]);
}

/// The banner at the top and the stamp with `page N of M` at the bottom of a page, added
/// to its content.
fn stamp_page(
    page: &Page,
    number: usize,
    total: usize,
    options: &Options,
    regions: &[Region],
    content: &mut Vec<Operation>,
) {
    let [x0, y0, x1, y1] = page.media_box;
    let stamp = format!("{} - page {number} of {total}", options.stamp);
    let mut ops = Vec::new();
    let mut line = |text: &str, y: f32| {
        // Helvetica's average advance is about half the size: centred well enough.
        let width = text.len() as f32 * STAMP_SIZE * 0.5;
        let x = (x0 + x1 - width) / 2.0;
        // On a box (a page covered whole, a withheld row at the page's edge) the stamp is
        // white, as labels are: black on black would be text hidden under a box.
        let extent = [x, y - 0.3 * STAMP_SIZE, x + width, y + STAMP_SIZE];
        let gray = i64::from(regions.iter().any(|r| overlaps(&r.bbox, &extent)));
        ops.extend([
            Operation::new("q", vec![]),
            Operation::new("BT", vec![]),
            Operation::new(
                "Tf",
                vec![Object::Name(LABEL_FONT.to_vec()), STAMP_SIZE.into()],
            ),
            Operation::new("g", vec![gray.into()]),
            Operation::new("Td", vec![x.into(), y.into()]),
            Operation::new(
                "Tj",
                vec![Object::String(
                    text.as_bytes().to_vec(),
                    StringFormat::Literal,
                )],
            ),
            Operation::new("ET", vec![]),
            Operation::new("Q", vec![]),
        ]);
    };
    if !options.banner.is_empty() {
        line(&options.banner, y1 - 10.0);
    }
    line(&stamp, y0 + 6.0);
    content.extend(ops);
}

/// Replaces a page's content with `ops` in one stream, with the label font in its
/// resources (copied into the page, so a shared resource dictionary is not changed).
fn set_content(doc: &mut Document, page_id: ObjectId, ops: Vec<Operation>) -> Result<(), PdfError> {
    let bytes = Content { operations: ops }
        .encode()
        .map_err(|e| PdfError::Damaged(format!("content cannot be written ({e})")))?;
    let mut resources = own_resources(doc, page_id);
    let mut fonts = match resources.get(b"Font").map(|o| doc.dereference(o)) {
        Ok(Ok((_, Object::Dictionary(d)))) => d.clone(),
        _ => Dictionary::new(),
    };
    if !fonts.has(LABEL_FONT) {
        let font = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type1".to_vec())),
            ("BaseFont", Object::Name(b"Helvetica".to_vec())),
            ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
        ]));
        fonts.set(LABEL_FONT, font);
    }
    resources.set("Font", fonts);
    let stream = doc.add_object(lopdf::Stream::new(Dictionary::new(), bytes));
    let page = doc
        .get_dictionary_mut(page_id)
        .map_err(|e| PdfError::Damaged(format!("page object: {e}")))?;
    page.set("Resources", resources);
    page.set("Contents", stream);
    Ok(())
}

/// The page's resources as one direct dictionary (its own, else the inherited one).
pub(crate) fn own_resources(doc: &Document, page_id: ObjectId) -> Dictionary {
    let (own, inherited) = doc
        .get_page_resources(page_id)
        .unwrap_or((None, Vec::new()));
    match own {
        Some(d) => d.clone(),
        None => inherited
            .first()
            .and_then(|id| doc.get_dictionary(*id).ok())
            .cloned()
            .unwrap_or_default(),
    }
}
