//! The exemption log (a Vaughn index): one row per withheld or redacted portion of a
//! release, saying where it is (document, page, paragraph, line), its original marking,
//! the codes cited, the rule that decided and the justification the policy attaches to
//! that rule. It never holds withheld text: the pipeline runs the leak check over every
//! row before handing it back, as it does for the manifest.
//!
//! ```text
//! Document + Decisions + Release ──rows──▶ DocumentLog ──LogWriter<csv|json|html>──▶ bytes
//! ```
//!
//! A batch writes the log as it goes, one document after another in input order
//! ([`LogWriter::document`]), so memory does not grow with the batch; only the totals by
//! code are kept to the end. Header redactions (addressee names, REF lines, header parts
//! replaced by codes) get rows too, marked as such, so that every code on the stamp is
//! accounted for; portions (paragraphs and the subject) match the manifest one to one.

mod csv;
mod html;
mod json;

use super::{Entry, Release};
use crate::document::{Date, Document, ElementKind};
use crate::policy::{Action, Codes, Decision, Decisions, HeaderAction, Policy, RuleRef};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The file format of an exemption log, chosen by the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Csv,
    Json,
    Html,
}

impl LogFormat {
    /// The format a path's extension names (`.csv`, `.json`, `.html`/`.htm`).
    pub fn from_path(path: &std::path::Path) -> Option<LogFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(LogFormat::Csv),
            "json" => Some(LogFormat::Json),
            "html" | "htm" => Some(LogFormat::Html),
            _ => None,
        }
    }
}

/// What kind of thing a row describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// A paragraph or the subject withheld whole.
    Withheld,
    /// A released paragraph or subject with spans redacted.
    Redacted,
    /// A header line (addressee, REF) with spans redacted, or a header part replaced by
    /// its codes.
    Header,
}

impl RowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Withheld => "withheld",
            RowKind::Redacted => "redacted",
            RowKind::Header => "header",
        }
    }
}

/// One row of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    /// Page of the original document (1-based), counted by its page-break lines.
    pub page: usize,
    /// `¶4`, `paragraph 3` (unnumbered: its position), `subject`, `addressee line 2`…
    pub portion: String,
    /// First line of the portion in the original.
    pub line: usize,
    /// The original marking (`C//NF`), `unmarked` or `unreadable`.
    pub marking: String,
    pub kind: RowKind,
    /// In the documented order: `B1, 1.4(B), 1.4(D)`.
    pub codes: Codes,
    /// `rule 3 `withhold-classified``, `default`, `fail closed`, `header.addressees`.
    pub rule: String,
    pub justification: String,
    /// Set when the batch consistency pass changed or flagged this decision.
    pub consistency: Option<String>,
    /// The paragraph's index in the document, for paragraphs.
    pub paragraph: Option<usize>,
}

/// The rows of one document, with what the log prints about the document itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentLog {
    /// The `--doc` id, else the input path.
    pub document: String,
    pub stamp: String,
    pub pages: usize,
    pub portions: usize,
    pub rows: Vec<LogRow>,
}

impl DocumentLog {
    /// Adds the batch consistency pass's notes (by paragraph index) to their rows.
    pub fn note(&mut self, notes: &BTreeMap<usize, String>) {
        for r in &mut self.rows {
            if let Some(i) = r.paragraph {
                r.consistency = notes.get(&i).cloned();
            }
        }
    }

    /// Every string a row carries, for the leak check.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for r in &self.rows {
            for part in [&r.portion, &r.marking, &r.rule, &r.justification] {
                s.push_str(part);
                s.push('\n');
            }
            s.push_str(&r.codes.to_string());
            s.push('\n');
            if let Some(c) = &r.consistency {
                s.push_str(c);
                s.push('\n');
            }
        }
        s
    }
}

/// Builds the log rows of one release.
pub fn rows(
    document: &str,
    doc: &Document,
    decisions: &Decisions,
    release: &Release,
    policy: &Policy,
) -> DocumentLog {
    let breaks: Vec<usize> = doc
        .elements
        .iter()
        .filter(|e| e.kind == ElementKind::PageBreak)
        .map(|e| e.lines.first)
        .collect();
    let page = |line: usize| 1 + breaks.iter().filter(|b| **b < line).count();
    let justification = |d: &Decision| {
        let given = policy.justification(&d.rule);
        match (&d.rule, given) {
            (_, Some(j)) => j.to_string(),
            (RuleRef::FailClosed, None) => {
                "Marking missing or unreadable: withheld until a reviewer reads it".to_string()
            }
            (_, None) => String::new(),
        }
    };
    let mut rows = Vec::new();
    let mut portion =
        |label: String, index: Option<usize>, e: &Entry, d: &Decision, origin_marking: String| {
            let kind = match d.action {
                Action::Withhold { .. } => RowKind::Withheld,
                Action::Release if !d.redactions.is_empty() => RowKind::Redacted,
                Action::Release => return,
            };
            rows.push(LogRow {
                page: page(e.lines.0),
                portion: label,
                line: e.lines.0,
                marking: origin_marking,
                kind,
                codes: e.codes.clone(),
                rule: e.rule.clone(),
                justification: justification(d),
                consistency: None,
                paragraph: index,
            });
        };
    let marking_of = |e: &Entry| match (&e.marking, e.origin) {
        (_, "unknown") => "unreadable".to_string(),
        (Some(m), _) => m.clone(),
        (None, _) => "unmarked".to_string(),
    };
    if let (Some(e), Some(d)) = (&release.subject, &decisions.subject) {
        portion("subject".to_string(), None, e, d, marking_of(e));
    }
    for e in &release.entries {
        // The number the parser read (the printed one may be OCR-damaged: `15.` for ¶5).
        let label = match e.number {
            Some(n) => format!("¶{n}"),
            None => format!("paragraph {}", e.index + 1),
        };
        portion(
            label,
            Some(e.index),
            e,
            &decisions.paragraphs[e.index],
            marking_of(e),
        );
    }
    header_rows(doc, decisions, &page, &mut rows);
    let pages = breaks.len() + 1;
    DocumentLog {
        document: document.to_string(),
        stamp: release.stamp.to_string(),
        pages,
        portions: release.entries.len() + usize::from(release.subject.is_some()),
        rows,
    }
}

/// Rows for the header: parts replaced by codes, then addressee and REF lines with spans
/// redacted.
fn header_rows(
    doc: &Document,
    decisions: &Decisions,
    page: &dyn Fn(usize) -> usize,
    rows: &mut Vec<LogRow>,
) {
    let plan = &decisions.header;
    for (name, action) in plan.parts() {
        if let HeaderAction::Redact(codes) = action {
            let line = first_line_of(doc, name).unwrap_or(1);
            rows.push(header_row(
                page(line),
                name.replace('_', " "),
                line,
                codes,
                name,
            ));
        }
    }
    let lines = [
        (
            "addressee",
            "addressees",
            &doc.header.addressees,
            &plan.addressee_redactions,
        ),
        ("REF", "refs", &doc.header.refs, &plan.ref_redactions),
    ];
    for (what, part, fields, spans) in lines {
        for (i, (f, spans)) in fields.iter().zip(spans).enumerate() {
            if spans.is_empty() {
                continue;
            }
            let codes: Codes = spans.iter().flat_map(|r| r.codes.iter().cloned()).collect();
            let line = f.lines.first;
            rows.push(header_row(
                page(line),
                format!("{what} line {}", i + 1),
                line,
                &codes,
                part,
            ));
        }
    }
}

fn header_row(page: usize, portion: String, line: usize, codes: &Codes, part: &str) -> LogRow {
    LogRow {
        page,
        portion,
        line,
        marking: "header".to_string(),
        kind: RowKind::Header,
        codes: codes.clone(),
        rule: format!("header.{part}"),
        justification: String::new(),
        consistency: None,
        paragraph: None,
    }
}

/// The first line of a header part, for its row.
fn first_line_of(doc: &Document, part: &str) -> Option<usize> {
    let kind = match part {
        "residue" => ElementKind::Residue,
        "routing" => ElementKind::Routing,
        "captions" => ElementKind::Caption,
        "tags" => ElementKind::Tags,
        "refs" => ElementKind::Ref,
        "classified_by" => ElementKind::ClassifiedBy,
        "eo" => ElementKind::EoLine,
        "signature" => ElementKind::Signature,
        _ => ElementKind::Addressee,
    };
    doc.elements
        .iter()
        .find(|e| e.kind == kind)
        .map(|e| e.lines.first)
}

/// What the log says about the job as a whole.
#[derive(Clone, Debug)]
pub struct LogMeta {
    pub policy: String,
    pub policy_sha256: String,
    pub as_of: Date,
    pub case: Option<String>,
    /// Code → one-line summary, from the policy's code set.
    pub summaries: BTreeMap<String, String>,
}

impl LogMeta {
    pub fn new(policy: &Policy, as_of: Date, case: Option<String>) -> LogMeta {
        LogMeta {
            policy: policy.name.clone(),
            policy_sha256: policy.sha256(),
            as_of,
            case,
            summaries: policy
                .code_set()
                .codes()
                .iter()
                .map(|d| (d.code.clone(), d.summary.clone()))
                .collect(),
        }
    }

    /// The summary of a code, markers included.
    pub fn summary(&self, code: &str) -> &str {
        use crate::policy::codes::{REFER_PREFIX, REVIEW_REQUIRED};
        if let Some(s) = self.summaries.get(code) {
            s
        } else if code == REVIEW_REQUIRED {
            "withheld until a reviewer names the exemption (not an exemption)"
        } else if code.starts_with(REFER_PREFIX) {
            "referred to another agency for its decision"
        } else {
            ""
        }
    }
}

/// One output format of the log. The writer calls `begin` once, `document` for each
/// document in input order, and `end` with the totals.
trait Render {
    fn begin(&mut self, out: &mut dyn Write, meta: &LogMeta) -> io::Result<()>;
    fn document(&mut self, out: &mut dyn Write, doc: &DocumentLog) -> io::Result<()>;
    fn end(&mut self, out: &mut dyn Write, meta: &LogMeta, totals: &Totals) -> io::Result<()>;
}

/// Counts kept across the batch for the closing totals.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    pub documents: usize,
    pub rows: usize,
    /// Code → rows citing it, in the documented code order.
    pub by_code: Vec<(String, usize)>,
    counts: BTreeMap<String, usize>,
}

impl Totals {
    fn add(&mut self, doc: &DocumentLog) {
        self.documents += 1;
        self.rows += doc.rows.len();
        for r in &doc.rows {
            for c in r.codes.texts() {
                *self.counts.entry(c.to_string()).or_default() += 1;
            }
        }
    }

    fn finish(&mut self) {
        let mut all: Vec<(String, usize)> =
            self.counts.iter().map(|(c, n)| (c.clone(), *n)).collect();
        all.sort_by(|a, b| crate::policy::codes::compare(&a.0, &b.0));
        self.by_code = all;
    }
}

/// Writes a log to `out` as documents come.
pub struct LogWriter<W: Write> {
    out: W,
    render: Box<dyn Render + Send>,
    meta: LogMeta,
    totals: Totals,
}

impl<W: Write> LogWriter<W> {
    pub fn new(format: LogFormat, meta: LogMeta, mut out: W) -> io::Result<LogWriter<W>> {
        let mut render: Box<dyn Render + Send> = match format {
            LogFormat::Csv => Box::new(csv::Csv),
            LogFormat::Json => Box::new(json::Json::default()),
            LogFormat::Html => Box::new(html::Html),
        };
        render.begin(&mut out, &meta)?;
        Ok(LogWriter {
            out,
            render,
            meta,
            totals: Totals::default(),
        })
    }

    /// Writes one document's rows (a document with none is still counted).
    pub fn document(&mut self, doc: &DocumentLog) -> io::Result<()> {
        self.totals.add(doc);
        self.render.document(&mut self.out, doc)
    }

    /// Writes the totals and hands the output back.
    pub fn finish(mut self) -> io::Result<(W, Totals)> {
        self.totals.finish();
        self.render.end(&mut self.out, &self.meta, &self.totals)?;
        self.out.flush()?;
        Ok((self.out, self.totals))
    }
}

/// The whole log of `docs` in memory: for tests and single documents.
pub fn render(format: LogFormat, meta: LogMeta, docs: &[DocumentLog]) -> String {
    let mut w = LogWriter::new(format, meta, Vec::new()).expect("writing to memory");
    for d in docs {
        w.document(d).expect("writing to memory");
    }
    let (bytes, _) = w.finish().expect("writing to memory");
    String::from_utf8(bytes).expect("the renderers write UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Date;
    use crate::policy::Context;

    const SEED: &[u8] = include_bytes!("../../samples/07PRAGUE486.txt");

    fn seed_log() -> (DocumentLog, LogMeta) {
        let doc = crate::parse::parse(SEED, Some("07PRAGUE486.txt")).unwrap();
        let policy = Policy::default_policy();
        let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
        let decisions = policy.decide(&doc, &ctx);
        let release = crate::release::build(&doc, &decisions).unwrap();
        let log = rows("07PRAGUE486", &doc, &decisions, &release, &policy);
        (
            log,
            LogMeta::new(&policy, Date::new(2026, 1, 1).unwrap(), None),
        )
    }

    #[test]
    fn rows_of_the_seed() {
        let (log, _) = seed_log();
        let withheld: Vec<&str> = log
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Withheld)
            .map(|r| r.portion.as_str())
            .collect();
        assert_eq!(withheld, ["subject", "¶1", "¶4", "¶5", "¶6", "¶7", "¶8"]);
        let p1 = &log.rows[1];
        assert_eq!(p1.codes, ["B1", "1.4(B)", "1.4(D)"]);
        assert_eq!(p1.marking, "C");
        assert!(p1.rule.contains("withhold-classified"), "{}", p1.rule);
        assert!(
            p1.justification.contains("552(b)(1)"),
            "{}",
            p1.justification
        );
        let header: Vec<&LogRow> = log
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Header)
            .collect();
        assert_eq!(header.len(), 1);
        assert_eq!(header[0].codes, ["B6"]);
        assert_eq!(header[0].rule, "header.addressees");
    }

    #[test]
    fn every_format_renders_the_rows() {
        let (log, meta) = seed_log();
        let csv = render(LogFormat::Csv, meta.clone(), std::slice::from_ref(&log));
        assert_eq!(csv.lines().count(), 1 + log.rows.len());
        assert!(csv.starts_with(
            "document,page,portion,line,marking,action,codes,rule,justification,consistency\n"
        ));
        let json = render(LogFormat::Json, meta.clone(), std::slice::from_ref(&log));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["documents"][0]["rows"].as_array().unwrap().len(),
            log.rows.len()
        );
        assert_eq!(v["totals"][0]["code"], "B1");
        assert_eq!(v["totals"][0]["rows"], 7);
        let html = render(LogFormat::Html, meta, std::slice::from_ref(&log));
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_eq!(html.matches("<table class=\"doc\"").count(), 1);
        assert!(html.contains("classified national security information"));
    }
}
