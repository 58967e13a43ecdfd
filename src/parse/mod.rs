//! Text to [`Document`]: the first stage of the pipeline.
//!
//! [`input`] turns bytes into lines; [`lines`] holds the line predicates both the header
//! scanner and the body segmenter use (neither imports the other); [`header`] finds the residue, routing block, banner,
//! captions and header fields; [`body`] cuts the rest into paragraphs, joining fragments a
//! break split and keeping page-break lines out of the text; this module then settles which
//! paragraphs inherit a marking and which stay unmarked. Every repair is recorded as a
//! diagnostic. Parsing never fails on text: only bytes that are not a text document
//! (binary, empty, oversized) are an error.

pub mod authority;
pub mod body;
pub mod fields;
pub mod furniture;
pub mod header;
pub mod input;
pub mod kind;
pub mod lead;
pub mod lines;

use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Document, ElementKind, EntireText, InheritedFrom, Origin, Paragraph};
use crate::marking::Level;
use std::fmt;

/// Why bytes could not be read as a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// A NUL byte or many control characters: not a text document.
    Binary {
        offset: usize,
    },
    /// Nothing but whitespace.
    Empty,
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// A PDF whose text cannot be read (encrypted, damaged).
    Pdf(crate::pdf::PdfError),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Binary { offset } => write!(
                f,
                "binary data (control byte at offset {offset}): not a text document"
            ),
            ParseError::Empty => f.write_str("empty document: no text to parse"),
            ParseError::TooLarge { bytes, limit } => write!(
                f,
                "document is {bytes} bytes, over the {limit}-byte limit for one document"
            ),
            ParseError::Pdf(e) => e.fmt(f),
        }
    }
}

impl ParseError {
    /// Whether the input could not be read at all (see [`crate::pdf::PdfError::unreadable`]).
    pub fn unreadable(&self) -> bool {
        matches!(self, ParseError::Pdf(e) if e.unreadable())
    }
}

impl std::error::Error for ParseError {}

/// Parses one document. `name` (a file name such as `07PRAGUE486.txt`) only supplies the
/// year when the text carries no date.
pub fn parse(bytes: &[u8], name: Option<&str>) -> Result<Document, ParseError> {
    if crate::pdf::is_pdf(bytes) {
        return crate::pdf::parse(bytes, name);
    }
    let (lines, encoding) = input::decode(bytes)?;
    Ok(parse_lines(lines, encoding, name))
}

/// Parses already-decoded text.
pub fn parse_str(text: &str) -> Result<Document, ParseError> {
    parse(text.as_bytes(), None)
}

pub(crate) fn parse_lines(
    lines: crate::document::Lines,
    encoding: crate::document::Encoding,
    name: Option<&str>,
) -> Document {
    let mut diagnostics = Vec::new();
    if encoding.latin1 {
        diagnostics.push(Diagnostic::new(
            Code::EncodingRepaired,
            1,
            1,
            "input is not UTF-8; read as Latin-1",
        ));
    }
    let scan = header::scan(&lines, name);
    let mut header = scan.header;
    let mut elements = scan.elements;
    diagnostics.extend(scan.diagnostics);
    let body = body::segment(&lines, scan.body_start, &mut header);
    elements.extend(body.elements);
    diagnostics.extend(body.diagnostics);
    let mut doc = Document {
        lines,
        header,
        paragraphs: body.paragraphs,
        elements,
        signature: body.signature,
        diagnostics,
        encoding,
    };
    merge_elements(&mut doc);
    kind::assign(&mut doc);
    body::nest::link(&mut doc);
    find_entire_text(&mut doc);
    find_cab_in_paragraph(&mut doc);
    settle_inheritance(&mut doc);
    authority::read(&mut doc);
    doc.diagnostics.sort_by_key(|d| (d.line, d.column, d.code));
    doc
}

/// Adjacent elements of the same kind become one.
fn merge_elements(doc: &mut Document) {
    let mut merged: Vec<crate::document::Element> = Vec::with_capacity(doc.elements.len());
    for e in doc.elements.drain(..) {
        match merged.last_mut() {
            Some(last) if last.kind == e.kind && last.lines.last + 1 == e.lines.first => {
                last.lines.last = e.lines.last;
            }
            _ => merged.push(e),
        }
    }
    doc.elements = merged;
}

/// `¶1. SECRET - ENTIRE TEXT.`, `(C - ENTIRE TEXT)`, `1. C - ENTIRE TEXT.`: the whole text
/// takes that level; the declaring paragraph is marked by it.
fn find_entire_text(doc: &mut Document) {
    use regex::Regex;
    use std::sync::LazyLock;
    static ENTIRE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^[\s(]*(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|LIMITED OFFICIAL USE|TS|S|C|U)\s*(?:[-–—]+|,)?\s*ENTIRE\s+TEXT\b",
        )
        .expect("static regex")
    });
    let level = printed_level(doc);
    for (i, p) in doc.paragraphs.iter_mut().enumerate().take(3) {
        // The plain test first: it allocates nothing, and hardly any paragraph matches,
        // where every call for captures allocates their slots.
        if !ENTIRE.is_match(&p.text) {
            continue;
        }
        let Some(caps) = ENTIRE.captures(&p.text) else {
            continue;
        };
        let word = caps[1].to_ascii_uppercase();
        let mut marking = match word.as_str() {
            "LIMITED OFFICIAL USE" => {
                crate::marking::Marking::with_controls(Level::U, [crate::marking::Control::Lou])
            }
            w => crate::marking::Marking::new(Level::from_name(w).unwrap_or(Level::TS)),
        };
        marking.raw = caps[0].trim().to_string();
        if marking.level < level {
            // `UNCLASSIFIED - ENTIRE TEXT` under a SECRET banner or beside (S) portions:
            // the declaration never lowers what is printed. Nothing inherits from it.
            doc.diagnostics.push(Diagnostic::new(
                Code::InheritedMarking,
                p.lines.first,
                p.mark_column,
                format!(
                    "`{}` is below the document's {level} banner or portions: ignored, \
                     unmarked paragraphs inherit nothing from it",
                    marking.raw
                ),
            ));
            return;
        }
        if p.marking.is_none() {
            p.marking = Some(marking.clone());
            p.origin = Origin::Explicit;
        }
        let _ = i;
        doc.header.entire_text = Some(EntireText {
            marking,
            line: p.lines.first,
        });
        return;
    }
}

/// The highest level printed anywhere in the document: banner, section banners, portion
/// marks and the subject's (an unreadable mark counts as TS).
fn printed_level(doc: &Document) -> Level {
    let rank = |m: &crate::marking::Marking| {
        if m.is_unknown() { Level::TS } else { m.level }
    };
    doc.header
        .banner
        .iter()
        .map(|b| b.marking.level)
        .chain(doc.header.section_levels.iter().copied())
        .chain(
            doc.paragraphs
                .iter()
                .filter_map(|p| p.marking.as_ref())
                .map(rank),
        )
        .chain(
            doc.header
                .subject
                .iter()
                .filter_map(|s| s.marking.as_ref())
                .map(rank),
        )
        .max()
        .unwrap_or(Level::U)
}

/// `1. (U) CLASSIFIED BY CHARGE …; REASON 1.5 (D).`: the authority block inside paragraph 1.
fn find_cab_in_paragraph(doc: &mut Document) {
    if doc.header.classified_by.is_some() {
        return;
    }
    for (i, p) in doc.paragraphs.iter().enumerate().take(3) {
        let text = p.text.trim_start();
        if fields::is_cab_line(text) {
            let end = text.find("\n\n").unwrap_or(text.len());
            let joined = text[..end].replace('\n', " ");
            doc.header.classified_by = Some(fields::read_cab(&joined, p.lines, Some(i)));
            return;
        }
    }
}

/// Decides, for every unmarked paragraph and the subject, whether it inherits a marking
/// (ENTIRE TEXT, or an unclassified banner in a document with no classified portion) or
/// stays unmarked; records the diagnostics for marks that could not be read.
/// The finding for paragraph `i`, `p`, left unmarked in a classified document: the
/// parser raises it when it reads the document as classified, the audit when it finds a
/// classified banner the parser did not hold (one wording, one place).
pub fn unmarked_portion(p: &Paragraph, i: usize) -> Diagnostic {
    let (code, what) = if p.heading {
        (Code::UnmarkedHeading, "heading")
    } else {
        (Code::UnmarkedParagraph, "paragraph")
    };
    Diagnostic::new(
        code,
        p.lines.first,
        p.mark_column,
        format!(
            "{} ({what}) has no portion mark in a classified document",
            p.label(i)
        ),
    )
}

fn settle_inheritance(doc: &mut Document) {
    let explicit_classified = doc
        .paragraphs
        .iter()
        .filter_map(|p| p.marking.as_ref())
        .chain(doc.header.subject.iter().filter_map(|s| s.marking.as_ref()))
        .any(|m| m.level.is_classified());
    let banner = doc.header.banner.as_ref();
    // A classified section banner (or the banner of a second message appended) makes the
    // document classified whatever its first banner says.
    let classified = banner.is_some_and(|b| b.marking.level.is_classified())
        || doc.header.section_levels.iter().any(|l| l.is_classified())
        || explicit_classified;
    let entire = doc.header.entire_text.clone();
    let inherit = |diagnostics: &mut Vec<Diagnostic>, line: usize, column: usize| {
        if let Some(e) = &entire {
            diagnostics.push(Diagnostic::new(
                Code::InheritedMarking,
                line,
                column,
                format!(
                    "unmarked; inherits {} from ENTIRE TEXT (line {})",
                    e.marking, e.line
                ),
            ));
            return Some((
                e.marking.clone(),
                Origin::Inherited(InheritedFrom::EntireText(e.line)),
            ));
        }
        match banner {
            Some(b) if !classified => Some((
                b.marking.clone(),
                Origin::Inherited(InheritedFrom::Banner(b.line)),
            )),
            _ => None,
        }
    };
    let mut diagnostics = Vec::new();
    for (i, p) in doc.paragraphs.iter_mut().enumerate() {
        if let Some(m) = &p.marking {
            if m.is_unknown() {
                p.origin = Origin::Unknown;
                diagnostics.push(Diagnostic::new(
                    Code::UnknownMarking,
                    p.lines.first,
                    p.mark_column,
                    format!(
                        "{}: cannot read mark {} (unknown {}); withheld until corrected",
                        p.label(i),
                        m.raw,
                        m.unknown.join(", ")
                    ),
                ));
            } else if m.legacy
                && !m.raw.is_empty()
                && !m.raw.to_ascii_uppercase().contains("ENTIRE")
            {
                diagnostics.push(
                    Diagnostic::new(
                        Code::LegacyMarking,
                        p.lines.first,
                        p.mark_column,
                        format!(
                            "{}: legacy mark {}, canonical ({})",
                            p.label(i),
                            m.raw,
                            m.canonical()
                        ),
                    )
                    .with_fix(format!("({})", m.canonical())),
                );
            }
            continue;
        }
        match inherit(&mut diagnostics, p.lines.first, p.mark_column) {
            Some((m, origin)) => {
                p.marking = Some(m);
                p.origin = origin;
            }
            None => {
                p.origin = Origin::None;
                if classified {
                    diagnostics.push(unmarked_portion(p, i));
                }
            }
        }
    }
    if let Some(subject) = doc.header.subject.as_mut() {
        match &subject.marking {
            Some(m) if m.is_unknown() => {
                subject.origin = Origin::Unknown;
                diagnostics.push(Diagnostic::new(
                    Code::UnknownMarking,
                    subject.lines.first,
                    subject.column,
                    format!("subject: cannot read mark {}", m.raw),
                ));
            }
            Some(m) => {
                subject.origin = Origin::Explicit;
                if m.legacy {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::LegacyMarking,
                            subject.lines.first,
                            subject.column,
                            format!(
                                "subject: legacy mark {}, canonical ({})",
                                m.raw,
                                m.canonical()
                            ),
                        )
                        .with_fix(format!("({})", m.canonical())),
                    );
                }
            }
            None => {
                let mut sink = Vec::new();
                match inherit(&mut sink, subject.lines.first, subject.column) {
                    Some((m, origin)) => {
                        subject.marking = Some(m);
                        subject.origin = origin;
                    }
                    None => {
                        subject.origin = Origin::None;
                        if classified {
                            diagnostics.push(Diagnostic::new(
                                Code::UnmarkedSubject,
                                subject.lines.first,
                                subject.column,
                                "subject line has no portion mark in a classified document",
                            ));
                        }
                    }
                }
            }
        }
    }
    if doc.header.banner.is_none() {
        let line = doc
            .elements
            .iter()
            .find(|e| e.kind != ElementKind::Blank)
            .map_or(1, |e| e.lines.first);
        diagnostics.push(Diagnostic::new(
            Code::MissingBanner,
            line,
            1,
            "no classification line found; unmarked paragraphs cannot inherit",
        ));
    }
    doc.diagnostics.extend(diagnostics);
}

#[cfg(test)]
mod tests;
