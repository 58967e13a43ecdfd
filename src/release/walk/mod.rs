//! The one walk of a document for release purposes: element by element, in reading
//! order, it emits the release's blocks, the secrets and released text the leak check
//! needs, what the guard withheld, and (when asked) the release plan's items. Header parts
//! are in `header`, portions (the subject and paragraphs) in `portion`.

mod header;
mod portion;

use super::leak::Secret;
use super::model::{Block, GuardEntry, Release, Span, Stamp};
use super::plan::{self, Fate, Guarded, Item, Part, Plan, Seg};
use super::{decided, declassification_block, entry, guard_level};
use crate::diagnostic::Code;
use crate::document::{Document, ElementKind, LineSpan};
use crate::guard::{self, Guard, Withholding};
use crate::policy::{Codes, Decisions, Redaction};
use std::borrow::Cow;

/// The one walk of the document for release purposes: the release's blocks and, when
/// `record` is set, the plan's items (kept apart so that a release alone does not copy
/// the original text).
pub(super) fn walk<'d>(
    doc: &'d Document,
    decisions: &Decisions,
    record: bool,
) -> (Release<'d>, Plan) {
    let reasons = doc
        .header
        .classified_by
        .as_ref()
        .map_or(&[][..], |c| c.reasons.as_slice());
    let mut b = Builder {
        doc,
        decisions,
        blocks: Vec::new(),
        secrets: Vec::new(),
        released: Vec::new(),
        codes: Codes::default(),
        any_released: false,
        any_withheld: false,
        guard: Guard::new(guard_level(decisions.target)),
        guard_codes: crate::policy::codes::derived(reasons),
        guarded: Vec::new(),
        guarded_paragraphs: vec![Guarded::No; doc.paragraphs.len()],
        guarded_subject: Guarded::No,
        items: record.then(Vec::new),
        withheld_subject: std::cell::OnceCell::new(),
    };
    let mut emitted_paragraph = vec![false; doc.paragraphs.len()];
    let mut subject_done = false;
    for element in &doc.elements {
        let span = element.lines;
        match element.kind {
            ElementKind::Blank => b.blank(),
            // Database residue, page breaks, page furniture (page numbers, running
            // document ids), repeated classification lines and stamps are not part of the
            // document as released.
            ElementKind::Residue => {
                b.record_header("residue", span, Fate::of_header(&decisions.header.residue))
            }
            ElementKind::SectionBanner
            | ElementKind::PageBreak
            | ElementKind::Furniture
            | ElementKind::Stamp => {}
            ElementKind::Banner => {
                let serial = doc
                    .header
                    .banner
                    .as_ref()
                    .and_then(|x| x.serial.clone())
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default();
                let line = format!("{}{serial}", decisions.release_marking);
                b.record_header(
                    "banner",
                    span,
                    Fate::Replaced(decisions.release_marking.clone()),
                );
                b.released.push(Cow::Owned(line.clone()));
                b.blocks.push(Block::Text(Cow::Owned(line)));
            }
            ElementKind::Routing => {
                b.header_lines(&decisions.header.routing, span, "routing line", "routing")
            }
            ElementKind::Caption => {
                for line in span.first..=span.last {
                    let control = doc
                        .header
                        .captions
                        .iter()
                        .find(|c| c.line == line)
                        .and_then(|c| c.control.clone());
                    // A control caption describes the classified original, not the release.
                    if control.is_none() {
                        b.header_lines(
                            &decisions.header.captions,
                            LineSpan::one(line),
                            "caption",
                            "captions",
                        );
                    } else {
                        b.record_header("captions", LineSpan::one(line), Fate::Dropped);
                    }
                }
            }
            ElementKind::Addressee | ElementKind::HeaderText => {
                for line in span.first..=span.last {
                    b.addressee(line);
                }
            }
            ElementKind::UnreadHeader => {
                for line in span.first..=span.last {
                    b.unread_header(line);
                }
            }
            ElementKind::EoLine => b.header_lines(&decisions.header.eo, span, "E.O. line", "eo"),
            ElementKind::Tags => b.header_lines(&decisions.header.tags, span, "TAGS line", "tags"),
            ElementKind::Ref => b.header_lines(&decisions.header.refs, span, "REF line", "refs"),
            ElementKind::ClassifiedBy => b.header_lines(
                &decisions.header.classified_by,
                span,
                "Classified By line",
                "classified_by",
            ),
            ElementKind::Signature => {
                b.header_lines(&decisions.header.signature, span, "signature", "signature")
            }
            ElementKind::Rule => b.release_lines(span, "rule line", Part::Rule),
            ElementKind::Subject => {
                if !subject_done {
                    subject_done = true;
                    b.subject();
                }
            }
            ElementKind::Paragraph(i) => {
                if !emitted_paragraph[i] {
                    emitted_paragraph[i] = true;
                    b.paragraph(i);
                }
            }
        }
    }
    while b.blocks.last() == Some(&Block::Blank) {
        b.blocks.pop();
    }
    let kind = crate::policy::stamp_kind(b.any_released, b.any_withheld, !b.codes.is_empty());
    let guard_codes = b.guard_codes.clone();
    let entries = doc
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut e = entry(i, p, &decisions.paragraphs[i]);
            b.guarded_paragraphs[i].apply(&mut e, &guard_codes);
            e
        })
        .collect();
    let subject = doc
        .header
        .subject
        .as_ref()
        .zip(decisions.subject.as_ref())
        .map(|(s, d)| decided(d, &s.text, s.lines, s.marking.as_ref(), s.origin.as_str()))
        .map(|mut e| {
            b.guarded_subject.apply(&mut e, &guard_codes);
            e
        });
    let declassification = declassification_block(doc, decisions);
    let plan = Plan {
        items: b.items.unwrap_or_default(),
    };
    let release = Release {
        banner: decisions.release_marking.clone(),
        stamp: Stamp {
            kind,
            codes: b.codes,
            words: decisions.stamp_words.clone(),
        },
        declassification,
        blocks: b.blocks,
        entries,
        subject,
        secrets: b.secrets,
        released: b.released,
        guard: b.guarded,
    };
    (release, plan)
}

/// `'d` is the document's, whose lines the release borrows; `'a` the decisions'.
struct Builder<'d, 'a> {
    doc: &'d Document,
    decisions: &'a Decisions,
    blocks: Vec<Block<'d>>,
    secrets: Vec<Secret>,
    released: Vec<Cow<'d, str>>,
    codes: Codes,
    any_released: bool,
    any_withheld: bool,
    guard: Guard,
    /// The codes guard withholdings cite: B1 and the document's reasons.
    guard_codes: Codes,
    guarded: Vec<GuardEntry>,
    guarded_paragraphs: Vec<Guarded>,
    guarded_subject: Guarded,
    /// The plan's items, when the walk records them.
    items: Option<Vec<Item>>,
    /// A withheld subject's codes and words, read once when the first header line asks
    /// ([`Builder::addressee`]); `None` inside when the subject is released or absent.
    withheld_subject: std::cell::OnceCell<Option<(Codes, Vec<String>)>>,
}

impl Builder<'_, '_> {
    fn recording(&self) -> bool {
        self.items.is_some()
    }

    fn record(&mut self, item: Item) {
        if let Some(items) = &mut self.items {
            items.push(item);
        }
    }

    /// The lines of `span`, trailing spaces removed, joined with `\n`: a part's original.
    fn original(&self, span: LineSpan) -> String {
        (span.first..=span.last)
            .map(|l| self.doc.line(l).trim_end())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Records a header part whose fate the policy's action (or the kind) alone decides.
    fn record_header(&mut self, part: &'static str, span: LineSpan, fate: Fate) {
        if self.recording() {
            let segments = vec![Seg::Text(self.original(span))];
            self.record(Item {
                part: Part::Header(part),
                lines: span,
                lead: String::new(),
                release_lead: String::new(),
                segments,
                fate,
                mark_shown: false,
                guarded: Guarded::No,
            });
        }
    }

    /// Records a portion (the subject or a paragraph).
    #[allow(clippy::too_many_arguments)]
    fn record_portion(
        &mut self,
        part: Part,
        lines: LineSpan,
        lead: &str,
        release_lead: &str,
        segments: impl FnOnce() -> Vec<Seg>,
        fate: Fate,
        mark_shown: bool,
        guarded: Guarded,
    ) {
        if self.recording() {
            let segments = segments();
            self.record(Item {
                part,
                lines,
                lead: lead.to_string(),
                release_lead: release_lead.to_string(),
                segments,
                fate,
                mark_shown,
                guarded,
            });
        }
    }

    /// Records a guard withholding over `text` (a released unit whose first line is
    /// source line `first`): the entry, the codes, and the withheld text as a secret.
    fn record_guard(&mut self, w: &Withholding, text: &str, span: LineSpan, part: &str) {
        let (line, column) = self.locate(w, text, span);
        self.guarded.push(GuardEntry {
            code: Code::GuardWithheld,
            line,
            column,
            cause: w.cause.as_str(),
            level: w.level.map_or("unreadable", guard::Level::abbrev),
            part: part.to_string(),
        });
        self.secrets.push(Secret::new(
            format!("guard-withheld material in {part} line {line}"),
            &text[w.start..w.end],
        ));
        self.any_withheld = true;
        let codes = self.guard_codes.clone();
        self.add_codes(&codes);
    }

    /// The source line and column of a guard withholding in a unit's `text` made from
    /// source lines `span`: where the token's text stands in them (a paragraph's lines may
    /// have been joined), else the line counted through the unit.
    fn locate(&self, w: &Withholding, text: &str, span: LineSpan) -> (usize, usize) {
        let counted = span.first + text[..w.start].matches('\n').count();
        let rest = &text[w.start..];
        let end = rest.find('\n').unwrap_or(rest.len());
        let mut cut = end.min(24);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let needle = &rest[..cut];
        let found = (counted.min(span.last)..=span.last)
            .chain(span.first..counted.min(span.last))
            .find_map(|l| {
                let line = self.doc.line(l);
                line.find(needle)
                    .map(|at| (l, line[..at].chars().count() + 1))
            });
        found.unwrap_or((counted, w.column))
    }

    fn blank(&mut self) {
        if !self.blocks.is_empty() && self.blocks.last() != Some(&Block::Blank) {
            self.blocks.push(Block::Blank);
        }
    }

    fn add_codes(&mut self, codes: &Codes) {
        // Most withheld parts cite codes the stamp already lists, each with the same
        // classification flag: the union would rebuild (sort, dedup) the same list.
        if !codes
            .iter()
            .all(|c| self.codes.iter().any(|have| have == c))
        {
            self.codes.extend_from(codes);
        }
    }

    /// Splits `text` at the redactions (cut as [`plan::segments`] cuts them); records
    /// the redacted pieces as secrets and the kept pieces as released.
    fn redact(&mut self, text: &str, redactions: &[Redaction], label: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        for seg in plan::segments(text, redactions) {
            match seg {
                Seg::Text(t) => {
                    self.released.push(Cow::Owned(t.clone()));
                    spans.push(Span::Text(t));
                }
                Seg::Redacted { text, codes } => {
                    self.secrets.push(Secret::new(label, text));
                    self.add_codes(&codes);
                    spans.push(Span::Redacted(codes));
                }
            }
        }
        spans
    }
}

/// The printed lead with the number as read: `15. (C) ` becomes `¶5. (C) ` when the
/// parser read the damaged `15.` (a paragraph sign misread as `1`) as paragraph 5.
pub fn repaired_lead(p: &crate::document::Paragraph) -> String {
    match (p.number, &p.printed_number) {
        (Some(n), Some(printed)) => {
            if digits_spell(printed, u64::from(n)) {
                p.lead.clone()
            } else {
                let digits: String = printed.chars().filter(char::is_ascii_digit).collect();
                let sign = if p.lead.contains('¶') { "" } else { "¶" };
                p.lead.replacen(&digits, &format!("{sign}{n}"), 1)
            }
        }
        _ => p.lead.clone(),
    }
}

/// The number part of the lead alone (`¶4. `), for withheld paragraphs; a repaired
/// number takes the paragraph sign its damage lost.
pub fn lead_number(p: &crate::document::Paragraph) -> String {
    use std::fmt::Write;
    match (p.number, &p.printed_number) {
        (Some(n), Some(printed)) => {
            let sign = if printed.contains('¶') || !digits_spell(printed, u64::from(n)) {
                "¶"
            } else {
                ""
            };
            // Sized for the sign, any paragraph number and ". ": `format!` starts a string
            // that begins with an argument empty and grows it a few bytes at a time.
            let mut s = String::with_capacity(24);
            s.push_str(sign);
            let _ = write!(s, "{n}. ");
            s
        }
        _ => String::new(),
    }
}

/// Whether the ASCII digits of `printed`, in order, are `n` in decimal: what comparing
/// the digits collected into a `String` with `n.to_string()` says, without either string
/// (two allocations a numbered paragraph). Non-ASCII bytes are never ASCII digits, so
/// reading bytes finds the digits reading characters finds.
fn digits_spell(printed: &str, n: u64) -> bool {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut m = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    let mut digits = printed.bytes().filter(u8::is_ascii_digit);
    buf[at..].iter().all(|&d| digits.next() == Some(d)) && digits.next().is_none()
}

#[cfg(test)]
mod digits_tests {
    use super::digits_spell;

    #[test]
    fn digits_spell_agrees_with_the_strings() {
        let printed = [
            "",
            "5.",
            "05.",
            "15.",
            "¶5.",
            "1.5",
            "12",
            "١٢",
            "5a5",
            "9999999999999999999",
            "18446744073709551615",
            "184467440737095516150",
            "(U) 7",
            "7\u{2028}",
            "0",
        ];
        for p in printed {
            for n in [0u64, 1, 5, 7, 12, 15, 55, 150, u64::MAX] {
                let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                assert_eq!(digits_spell(p, n), digits == n.to_string(), "{p:?} {n}");
            }
        }
    }
}

#[cfg(test)]
mod borrowed_lines_tests {
    use super::{repaired_lead, walk};
    use crate::document::Document;
    use crate::policy::{Action, Context, Policy};
    use crate::release::model::Block;
    use std::borrow::Cow;

    /// Written for this test: a cable whose released paragraphs run over several lines, one
    /// of them with a blank line inside it.
    const CABLE: &str = "UNCLASSIFIED\n\nSUBJECT: A TEST OF RELEASED LINES\n\n\
        1. (U) The first paragraph runs on\nover a second line and\na third.\n\n\
        2. (U) One line only.\n\n\
        3. (U) A paragraph with a gap\n\n   \nand more after it.\n";

    /// Whether `piece` lies inside the document's own text: a source line or a portion.
    fn in_document(doc: &Document, piece: &str) -> bool {
        let within = |outer: &str| {
            let (o, p) = (outer.as_ptr() as usize, piece.as_ptr() as usize);
            p >= o && p + piece.len() <= o + outer.len()
        };
        (1..=doc.lines.len()).any(|l| within(doc.line(l)))
            || doc.paragraphs.iter().any(|p| within(&p.text))
            || doc.header.subject.iter().any(|s| within(&s.text))
    }

    /// A released line is borrowed only from the document, and a paragraph released whole
    /// is, among the released pieces, its lead and text as one piece (the walk before
    /// borrowing) or cut once at its first line break: the same text joined with `\n`, so
    /// the same words in the same order for the leak check and for verify.
    fn check(doc: &Document) -> usize {
        let context = Context::new(crate::document::Date::new(2026, 1, 1).unwrap());
        let decisions = Policy::default_policy().decide(doc, &context);
        let (release, _) = walk(doc, &decisions, false);
        let mut borrowed = 0;
        for b in &release.blocks {
            if let Block::Text(Cow::Borrowed(t)) = b {
                assert!(in_document(doc, t), "{t:?}");
                borrowed += 1;
            }
        }
        for piece in &release.released {
            if let Cow::Borrowed(t) = piece {
                assert!(in_document(doc, t), "{t:?}");
            }
        }
        for (i, p) in doc.paragraphs.iter().enumerate() {
            let d = &decisions.paragraphs[i];
            if !matches!(d.action, Action::Release) || !d.redactions.is_empty() {
                continue;
            }
            let whole = [repaired_lead(p).as_str(), p.text.as_str()].concat();
            let pieces: Vec<&str> = release.released.iter().map(AsRef::as_ref).collect();
            let found = pieces.iter().enumerate().any(|(k, &head)| {
                head == whole
                    || pieces
                        .get(k + 1)
                        .is_some_and(|rest| [head, "\n", rest].concat() == whole)
            });
            // A paragraph the guard cut is released in spans, not whole.
            let guarded = release.entries[i].redactions > 0;
            assert!(found || guarded, "¶{i}: {whole:?} not among {pieces:?}");
        }
        borrowed
    }

    #[test]
    fn released_lines_are_the_documents_own_and_the_pieces_its_words() {
        let doc = crate::parse::parse(CABLE.as_bytes(), Some("test.txt")).unwrap();
        let borrowed = check(&doc);
        assert!(
            borrowed >= 3,
            "the lines after a lead are borrowed ({borrowed})"
        );
        let text: Vec<String> = doc_lines(&doc);
        assert!(
            text.iter().any(|l| l == "over a second line and"),
            "{text:?}"
        );

        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cables");
        let mut checked = 0;
        for e in std::fs::read_dir(root).unwrap().flatten() {
            let input = std::fs::read(e.path()).unwrap();
            if let Ok(doc) = crate::parse::parse(&input, None) {
                check(&doc);
                checked += 1;
            }
        }
        assert!(checked > 10, "{checked} fixture cables");
    }

    /// The release's text lines of `doc`, as written.
    fn doc_lines(doc: &Document) -> Vec<String> {
        let context = Context::new(crate::document::Date::new(2026, 1, 1).unwrap());
        let decisions = Policy::default_policy().decide(doc, &context);
        let (release, _) = walk(doc, &decisions, false);
        release
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect()
    }
}
