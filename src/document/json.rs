//! The stable JSON form of a [`Document`] (`declass parse --format json`). Field names
//! here are a public contract, documented in `docs/parse-json.md`: add fields, never
//! rename or remove them.

use super::{Declassify, DeclassifyOn, Document, Origin, Paragraph};
use crate::diagnostic::Diagnostic;
use crate::marking::Marking;
use serde::Serialize;

/// Schema version of this JSON form.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct DocumentJson<'a> {
    pub schema: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    pub lines: usize,
    pub banner: Option<BannerJson>,
    pub header: HeaderJson<'a>,
    pub paragraphs: Vec<ParagraphJson<'a>>,
    pub signature: Option<&'a str>,
    pub diagnostics: &'a [Diagnostic],
    /// Lines of page furniture (page numbers, archive stamps), 1-based: never portion text.
    pub furniture: Vec<usize>,
}

#[derive(Serialize)]
pub struct BannerJson {
    pub level: &'static str,
    pub controls: Vec<String>,
    pub canonical: String,
    pub raw: String,
    pub line: usize,
    pub section: Option<[u32; 2]>,
    pub damaged: bool,
}

#[derive(Serialize)]
pub struct HeaderJson<'a> {
    pub date: Option<String>,
    pub year: Option<i32>,
    pub origin_post: Option<&'a str>,
    pub captions: Vec<&'a str>,
    pub addressees: Vec<&'a str>,
    pub eo: Option<EoJson<'a>>,
    pub declassify: Option<DeclassifyJson<'a>>,
    pub tags: &'a [String],
    pub subject: Option<SubjectJson<'a>>,
    pub refs: Vec<&'a str>,
    pub classified_by: Option<ClassifiedByJson<'a>>,
    pub entire_text: Option<MarkingJson>,
    /// Every classification authority block, wherever it stands.
    pub authority: Vec<AuthorityJson<'a>>,
}

#[derive(Serialize)]
pub struct AuthorityJson<'a> {
    pub lines: [usize; 2],
    pub classified_by: Option<&'a str>,
    pub derived_from: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub declassify: Option<DeclassifyJson<'a>>,
    pub legacy: bool,
}

#[derive(Serialize)]
pub struct EoJson<'a> {
    pub order: &'a str,
    pub raw: &'a str,
    pub line: usize,
}

#[derive(Serialize)]
pub struct DeclassifyJson<'a> {
    /// ISO date when the value is a date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub raw: &'a str,
    /// The instruction's kind: `date`, `exemption`, `oadr`, `manual_review`, `impdet`,
    /// `schedule`, `not_applicable`, `event`.
    pub kind: &'static str,
    /// The exemption code (`25X1`, `50X1-HUM`) when the kind is `exemption`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemption: Option<String>,
}

#[derive(Serialize)]
pub struct SubjectJson<'a> {
    pub text: &'a str,
    pub marking: Option<MarkingJson>,
    pub lines: [usize; 2],
}

#[derive(Serialize)]
pub struct ClassifiedByJson<'a> {
    pub by: &'a str,
    pub section: Option<&'a str>,
    pub reasons: Vec<String>,
    pub derived: bool,
    pub raw: &'a str,
    pub lines: [usize; 2],
}

#[derive(Serialize)]
pub struct MarkingJson {
    pub raw: String,
    pub canonical: String,
    pub level: &'static str,
    pub controls: Vec<String>,
    pub origin: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

#[derive(Serialize)]
pub struct ParagraphJson<'a> {
    pub number: Option<u32>,
    pub printed_number: Option<&'a str>,
    pub marking: MarkingJson,
    pub lines: [usize; 2],
    pub text: &'a str,
    /// Index in `paragraphs` of the paragraph a sub-portion sits under; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// What kind of portion this is (`paragraph`, `subparagraph`, `bullet`, `heading`,
    /// `caption`, `title`, `table_row`, `quoted`).
    pub kind: &'static str,
}

pub fn marking_json(m: Option<&Marking>, origin: Origin) -> MarkingJson {
    match m {
        Some(m) => MarkingJson {
            raw: m.raw.clone(),
            canonical: m.canonical(),
            level: m.level.abbrev(),
            controls: m.controls.iter().map(|c| c.portion_form()).collect(),
            origin: origin.as_str(),
            unknown: m.unknown.clone(),
        },
        None => MarkingJson {
            raw: String::new(),
            canonical: String::new(),
            level: "",
            controls: Vec::new(),
            origin: origin.as_str(),
            unknown: Vec::new(),
        },
    }
}

fn paragraph_json(p: &Paragraph) -> ParagraphJson<'_> {
    ParagraphJson {
        number: p.number,
        printed_number: p.printed_number.as_deref(),
        marking: marking_json(p.marking.as_ref(), p.origin),
        lines: [p.lines.first, p.lines.last],
        parent: p.parent,
        kind: p.kind.as_str(),
        text: &p.text,
    }
}

fn declassify_json(d: &Declassify) -> DeclassifyJson<'_> {
    let instruction = d.instruction();
    DeclassifyJson {
        date: d.date.or(instruction.date()).map(|d| d.to_string()),
        raw: &d.raw,
        kind: instruction.kind(),
        exemption: match instruction {
            DeclassifyOn::Exemption { code, .. } => Some(code),
            _ => None,
        },
    }
}

impl Document {
    /// The JSON view of this document; `path` is echoed when given.
    pub fn to_json<'a>(&'a self, path: Option<&'a str>) -> DocumentJson<'a> {
        let h = &self.header;
        DocumentJson {
            schema: SCHEMA_VERSION,
            path,
            lines: self.lines.len(),
            banner: h.banner.as_ref().map(|b| BannerJson {
                level: b.marking.level.abbrev(),
                controls: b.marking.controls.iter().map(|c| c.banner_form()).collect(),
                canonical: b.marking.banner(),
                raw: b.marking.raw.clone(),
                line: b.line,
                section: b.section.map(|(a, b)| [a, b]),
                damaged: b.damaged,
            }),
            header: HeaderJson {
                date: h.date.map(|d| d.to_string()),
                year: h.year,
                origin_post: h.origin_post.as_deref(),
                captions: h.captions.iter().map(|c| c.text.as_str()).collect(),
                addressees: h.addressees.iter().map(|a| a.text.as_str()).collect(),
                eo: h.eo.as_ref().map(|e| EoJson {
                    order: &e.order,
                    raw: &e.raw,
                    line: e.lines.first,
                }),
                declassify: self.declassify().map(declassify_json),
                tags: &h.tags,
                subject: h.subject.as_ref().map(|s| SubjectJson {
                    text: &s.text,
                    marking: s
                        .marking
                        .as_ref()
                        .map(|m| marking_json(Some(m), s.origin))
                        .or_else(|| Some(marking_json(None, s.origin))),
                    lines: [s.lines.first, s.lines.last],
                }),
                refs: h.refs.iter().map(|r| r.text.as_str()).collect(),
                classified_by: h.classified_by.as_ref().map(|c| ClassifiedByJson {
                    by: &c.by,
                    section: c.section.as_deref(),
                    reasons: c.reasons.iter().map(|r| r.to_string()).collect(),
                    derived: c.derived,
                    raw: &c.raw,
                    lines: [c.lines.first, c.lines.last],
                }),
                entire_text: h
                    .entire_text
                    .as_ref()
                    .map(|e| marking_json(Some(&e.marking), Origin::Explicit)),
                authority: h
                    .authority
                    .iter()
                    .map(|a| AuthorityJson {
                        lines: [a.lines.first, a.lines.last],
                        classified_by: a.classified_by.as_deref(),
                        derived_from: a.derived_from.as_deref(),
                        reason: a.reason.as_deref(),
                        declassify: a.declassify.as_ref().map(declassify_json),
                        legacy: a.legacy,
                    })
                    .collect(),
            },
            paragraphs: self.paragraphs.iter().map(paragraph_json).collect(),
            signature: self.signature.as_ref().map(|s| s.text.as_str()),
            diagnostics: &self.diagnostics,
            furniture: self
                .elements
                .iter()
                .filter(|e| e.kind == super::ElementKind::Furniture)
                .flat_map(|e| e.lines.first..=e.lines.last)
                .collect(),
        }
    }
}
