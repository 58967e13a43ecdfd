//! Two policies over the same documents: which portions change their decision.
//!
//! [`diff`] compares one document's decisions under the old and the new policy, portion by
//! portion (the subject and every paragraph): a change is a different action, different
//! codes, or a different number of redacted spans. [`header_diff`] does the same for the
//! header parts the document has. A [`Report`] gathers a batch and renders it as text or
//! as a stable JSON document. Only numbers, markings, rules and codes are reported, never
//! the text of a portion: a comparison can be shared where the cables cannot.

use crate::document::{Date, Document, Origin};
use crate::marking::Marking;
use crate::policy::{Action, Codes, Decision, Decisions, HeaderAction, render_codes};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The schema version of the JSON report.
pub const JSON_VERSION: u32 = 1;

/// One side of a change: what a policy decided for the portion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Side {
    /// `release` or `withhold`.
    pub action: &'static str,
    /// Withheld: the exemption codes. Released: the codes of the redacted spans.
    pub codes: Codes,
    /// How many spans a release redacts.
    pub redactions: usize,
    /// `rule 2 `withhold-classified``, `default`, `fail closed`.
    pub rule: String,
}

impl Side {
    fn of(d: &Decision) -> Side {
        match &d.action {
            Action::Withhold { codes } => Side {
                action: "withhold",
                codes: codes.clone(),
                redactions: 0,
                rule: d.rule.to_string(),
            },
            Action::Release => Side {
                action: "release",
                codes: d
                    .redactions
                    .iter()
                    .flat_map(|r| r.codes.iter().cloned())
                    .collect(),
                redactions: d.redactions.len(),
                rule: d.rule.to_string(),
            },
        }
    }

    /// `withhold [B1, 1.4(B)]`, `release`, `release, 2 spans redacted [B6]`.
    pub fn describe(&self) -> String {
        match (self.action, self.redactions) {
            ("release", 0) => "release".to_string(),
            ("release", n) => format!(
                "release, {n} span{} redacted [{}]",
                if n == 1 { "" } else { "s" },
                render_codes(&self.codes)
            ),
            (action, _) => format!("{action} [{}]", render_codes(&self.codes)),
        }
    }

    fn same_decision(&self, other: &Side) -> bool {
        self.action == other.action
            && self.codes == other.codes
            && self.redactions == other.redactions
    }
}

/// Which way a portion moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    NewlyReleased,
    NewlyWithheld,
    /// Same action, other codes or redactions.
    CodesChanged,
}

/// A portion whose decision differs between the two policies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `paragraph` or `subject`.
    pub portion: &'static str,
    /// `doc.paragraphs[index]`; absent for the subject.
    pub index: Option<usize>,
    /// The paragraph number as read.
    pub number: Option<u32>,
    /// `¶5`, `subject`.
    pub label: String,
    /// The first source line of the portion (labels can repeat in a damaged cable).
    pub line: usize,
    /// Canonical marking (`C`, `U//SBU`), `unmarked`, or `unknown (XYZ)`.
    pub marking: String,
    /// `explicit`, `inherited`, `none`, `unknown`.
    pub origin: &'static str,
    pub kind: ChangeKind,
    pub old: Side,
    pub new: Side,
}

/// A header part treated differently by the two policies.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct HeaderChange {
    pub part: &'static str,
    pub old: String,
    pub new: String,
}

fn change(
    portion: &'static str,
    index: Option<usize>,
    number: Option<u32>,
    (label, line): (String, usize),
    (marking, origin): (Option<&Marking>, Origin),
    old: &Decision,
    new: &Decision,
) -> Option<Change> {
    let (old, new) = (Side::of(old), Side::of(new));
    if old.same_decision(&new) {
        return None;
    }
    let kind = match (old.action, new.action) {
        ("withhold", "release") => ChangeKind::NewlyReleased,
        ("release", "withhold") => ChangeKind::NewlyWithheld,
        _ => ChangeKind::CodesChanged,
    };
    Some(Change {
        portion,
        index,
        number,
        label,
        line,
        marking: super::Badge::of(marking, origin).text,
        origin: origin.as_str(),
        kind,
        old,
        new,
    })
}

/// The portions of `doc` whose decision differs, subject first, then paragraphs in order.
pub fn diff(doc: &Document, old: &Decisions, new: &Decisions) -> Vec<Change> {
    let mut out = Vec::new();
    if let (Some(s), Some(o), Some(n)) = (&doc.header.subject, &old.subject, &new.subject) {
        out.extend(change(
            "subject",
            None,
            None,
            ("subject".into(), s.lines.first),
            (s.marking.as_ref(), s.origin),
            o,
            n,
        ));
    }
    for (i, p) in doc.paragraphs.iter().enumerate() {
        let (Some(o), Some(n)) = (old.paragraphs.get(i), new.paragraphs.get(i)) else {
            continue;
        };
        out.extend(change(
            "paragraph",
            Some(i),
            p.number,
            (p.label(i), p.lines.first),
            (p.marking.as_ref(), p.origin),
            o,
            n,
        ));
    }
    out
}

/// `keep`, `strip`, `redact [B6]`, `keep, spans redacted` (without their number, so
/// that a corpus adds up to a few lines).
fn header_action(action: &HeaderAction, spans: usize) -> String {
    match action {
        HeaderAction::Keep if spans > 0 => "keep, spans redacted".into(),
        HeaderAction::Keep => "keep".into(),
        HeaderAction::Strip => "strip".into(),
        HeaderAction::Redact(codes) => format!("redact [{}]", render_codes(codes)),
    }
}

/// The header parts `doc` has whose treatment differs.
pub fn header_diff(doc: &Document, old: &Decisions, new: &Decisions) -> Vec<HeaderChange> {
    let h = &doc.header;
    let present = |part: &str| match part {
        "residue" => h.residue.is_some(),
        "routing" => h.routing.is_some(),
        "captions" => !h.captions.is_empty(),
        "addressees" => !h.addressees.is_empty(),
        "tags" => h.tags_lines.is_some(),
        "refs" => !h.refs.is_empty(),
        "classified_by" => h.classified_by.is_some(),
        "eo" => h.eo.is_some(),
        "signature" => doc.signature.is_some(),
        _ => false,
    };
    let spans = |d: &Decisions, part: &str| {
        let lists = match part {
            "addressees" => &d.header.addressee_redactions,
            "refs" => &d.header.ref_redactions,
            _ => return 0,
        };
        lists.iter().map(Vec::len).sum()
    };
    old.header
        .parts()
        .iter()
        .zip(new.header.parts().iter())
        .filter(|((part, _), _)| present(part))
        .filter_map(|((part, a), (_, b))| {
            let (a, b) = (
                header_action(a, spans(old, part)),
                header_action(b, spans(new, part)),
            );
            (a != b).then_some(HeaderChange {
                part,
                old: a,
                new: b,
            })
        })
        .collect()
}

/// A policy as the report names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyId {
    pub name: String,
    pub source: String,
    pub sha256: String,
}

/// The changes in one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentChanges {
    pub path: String,
    pub changes: Vec<Change>,
}

/// A document that could not be compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// A header change with the number of documents it touches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeaderTotal {
    pub part: &'static str,
    pub old: String,
    pub new: String,
    pub documents: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Documents compared (read and parsed).
    pub documents: usize,
    /// Documents with at least one portion changed.
    pub documents_changed: usize,
    /// Portions changed (paragraphs and subjects).
    pub paragraphs_changed: usize,
    pub newly_released: usize,
    pub newly_withheld: usize,
    pub codes_changed: usize,
    /// Documents that could not be read or parsed.
    pub errors: usize,
}

/// A whole comparison: the documents with changes, in input order, and the totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub version: u32,
    pub old: PolicyId,
    pub new: PolicyId,
    pub as_of: Date,
    pub documents: Vec<DocumentChanges>,
    pub header: Vec<HeaderTotal>,
    pub errors: Vec<FileError>,
    pub totals: Totals,
    #[serde(skip)]
    header_counts: BTreeMap<HeaderChange, usize>,
    /// Documents already written by [`Report::write_pending`] and dropped from `documents`.
    #[serde(skip)]
    streamed: usize,
}

/// The two forms of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// What the pretty JSON of a report prints for an empty document list: the documents
/// of a streamed report go between its brackets.
const EMPTY_DOCUMENTS: &str = "\"documents\": []";

impl Report {
    pub fn new(old: PolicyId, new: PolicyId, as_of: Date) -> Report {
        Report {
            version: JSON_VERSION,
            old,
            new,
            as_of,
            documents: Vec::new(),
            header: Vec::new(),
            errors: Vec::new(),
            totals: Totals::default(),
            header_counts: BTreeMap::new(),
            streamed: 0,
        }
    }

    /// Streaming, so that memory does not grow with the corpus: what comes before the
    /// documents. Then [`Report::write_pending`] after each [`Report::add`], then
    /// [`Report::write_tail`]; the bytes are those of [`Report::to_text`] or
    /// [`Report::to_json`] on the whole report.
    pub fn write_head(
        &mut self,
        format: Format,
        out: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        match format {
            Format::Text => out.write_all(self.text_head().as_bytes()),
            Format::Json => {
                let (head, _) = self.json_around();
                out.write_all(head.as_bytes())?;
                out.write_all(b"[")
            }
        }
    }

    /// Writes the documents added since the last call and drops them.
    pub fn write_pending(
        &mut self,
        format: Format,
        out: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        for doc in std::mem::take(&mut self.documents) {
            match format {
                Format::Text => out.write_all(text_document(&doc).as_bytes())?,
                Format::Json => {
                    if self.streamed > 0 {
                        out.write_all(b",")?;
                    }
                    let json = serde_json::to_string_pretty(&doc).expect("a document serializes");
                    for line in json.lines() {
                        // Inside `"documents": [` of the pretty report: two levels deep.
                        // (JSON strings hold no raw newline, so lines are the structure's.)
                        out.write_all(b"\n    ")?;
                        out.write_all(line.as_bytes())?;
                    }
                }
            }
            self.streamed += 1;
        }
        Ok(())
    }

    /// Writes what comes after the documents (the header parts, errors and totals).
    pub fn write_tail(
        &mut self,
        format: Format,
        out: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        self.write_pending(format, out)?;
        match format {
            Format::Text => out.write_all(self.text_tail().as_bytes()),
            Format::Json => {
                let (_, tail) = self.json_around();
                if self.streamed > 0 {
                    out.write_all(b"\n  ")?;
                }
                out.write_all(b"]")?;
                out.write_all(tail.as_bytes())
            }
        }
    }

    /// The pretty JSON of this report without its documents, cut around the empty list.
    fn json_around(&mut self) -> (String, String) {
        let docs = std::mem::take(&mut self.documents);
        let json = self.to_json();
        self.documents = docs;
        let at = json
            .find(EMPTY_DOCUMENTS)
            .expect("the report has a document list");
        let head = format!("{}\"documents\": ", &json[..at]);
        (head, json[at + EMPTY_DOCUMENTS.len()..].to_string())
    }

    /// Adds one compared document.
    pub fn add(&mut self, path: String, changes: Vec<Change>, header: Vec<HeaderChange>) {
        let t = &mut self.totals;
        t.documents += 1;
        for h in header {
            *self.header_counts.entry(h).or_default() += 1;
        }
        if changes.is_empty() {
            return;
        }
        t.documents_changed += 1;
        t.paragraphs_changed += changes.len();
        for c in &changes {
            match c.kind {
                ChangeKind::NewlyReleased => t.newly_released += 1,
                ChangeKind::NewlyWithheld => t.newly_withheld += 1,
                ChangeKind::CodesChanged => t.codes_changed += 1,
            }
        }
        self.documents.push(DocumentChanges { path, changes });
    }

    /// Adds a document that could not be compared.
    pub fn add_error(&mut self, path: String, message: String) {
        self.totals.errors += 1;
        self.errors.push(FileError { path, message });
    }

    /// Fills `header` from the counts gathered so far.
    fn sync_header(&mut self) {
        self.header = self
            .header_counts
            .iter()
            .map(|(h, n)| HeaderTotal {
                part: h.part,
                old: h.old.clone(),
                new: h.new.clone(),
                documents: *n,
            })
            .collect();
    }

    /// The report as pretty JSON, ending with a newline.
    pub fn to_json(&mut self) -> String {
        self.sync_header();
        let mut s = serde_json::to_string_pretty(self).expect("the report serializes");
        s.push('\n');
        s
    }

    /// The report for a reader: documents with their changed portions, the header parts
    /// treated differently, the totals.
    pub fn to_text(&mut self) -> String {
        let mut s = self.text_head();
        for doc in &self.documents {
            s.push_str(&text_document(doc));
        }
        s.push_str(&self.text_tail());
        s
    }

    fn text_head(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "old    {} ({})", self.old.name, self.old.source);
        let _ = writeln!(s, "new    {} ({})", self.new.name, self.new.source);
        let _ = writeln!(s, "as of  {}", self.as_of);
        s
    }

    fn text_tail(&mut self) -> String {
        self.sync_header();
        let mut s = String::new();
        if !self.header.is_empty() {
            let _ = writeln!(s, "\nheader");
            for h in &self.header {
                let _ = writeln!(
                    s,
                    "  {}: {} → {} (in {} document{})",
                    h.part,
                    h.old,
                    h.new,
                    h.documents,
                    if h.documents == 1 { "" } else { "s" }
                );
            }
        }
        let t = &self.totals;
        let _ = writeln!(
            s,
            "\n{} document{} compared, {} changed; {} portion{} changed: {} newly released, \
             {} newly withheld, {} with other codes or redactions",
            t.documents,
            plural(t.documents),
            t.documents_changed,
            t.paragraphs_changed,
            plural(t.paragraphs_changed),
            t.newly_released,
            t.newly_withheld,
            t.codes_changed
        );
        if t.errors > 0 {
            let _ = writeln!(
                s,
                "{} document{} could not be compared",
                t.errors,
                plural(t.errors)
            );
        }
        s
    }
}

/// One document's lines of the text report.
fn text_document(doc: &DocumentChanges) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n{}", doc.path);
    for c in &doc.changes {
        let _ = writeln!(
            s,
            "  {} ({}, line {}): {} → {}  ({} → {})",
            c.label,
            c.marking,
            c.line,
            c.old.describe(),
            c.new.describe(),
            c.old.rule,
            c.new.rule
        );
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests;
