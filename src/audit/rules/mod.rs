//! The audit rules, one per file, and the registry that lists them.
//!
//! To add a rule: add its code to `src/diagnostic/codes.rs` (id, name, severity, summary,
//! explanation with an example), write `rules/<name>.rs` with a doc comment, a `check`
//! function and `pub const RULE: Rule`, list it in [`ALL`], and add a fixture
//! `tests/fixtures/audit/<CODE>-<name>.txt` with its snapshot.

mod banner_above_portions;
mod banner_below_portion;
mod banner_control_in_no_portion;
mod banner_missing_control;
mod cui_in_classified_banner;
mod cui_missing_designation;
mod cui_unknown_control;
mod cui_unmarked_portion;
mod declassification_due;
mod declassification_out_of_range;
mod dis_without_noforn;
mod eo_na_on_classified;
mod guard_withheld;
mod legacy_declassification;
mod missing_authority;
mod missing_declassification;
mod noforn_with_rel;
mod orcon_on_unclassified;
mod page_banner_below_portion;
mod page_banners_disagree;
mod page_without_authority;
pub(crate) use page_without_authority::{NO_BANNER, excerpt, is_article};
mod portion_above_banner;
mod portion_control_not_in_banner;
mod reason_out_of_range;
mod reason_section_date;
mod rel_to_mismatch;
mod sbu_on_classified;
mod subparagraph_above_parent;
mod subparagraph_above_statement;

use super::{AuditContext, Facts, Portion};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Banner, Document};
use crate::marking::rollup::rollup;
use crate::marking::{Control, ControlKind, Marking};
use std::borrow::Cow;

/// Every rule the audit runs, in code order.
pub static ALL: &[Rule] = &[
    banner_below_portion::RULE,
    banner_above_portions::RULE,
    portion_control_not_in_banner::RULE,
    banner_control_in_no_portion::RULE,
    rel_to_mismatch::RULE,
    noforn_with_rel::RULE,
    dis_without_noforn::RULE,
    sbu_on_classified::RULE,
    orcon_on_unclassified::RULE,
    missing_authority::RULE,
    reason_out_of_range::RULE,
    reason_section_date::RULE,
    eo_na_on_classified::RULE,
    missing_declassification::RULE,
    declassification_out_of_range::RULE,
    legacy_declassification::RULE,
    declassification_due::RULE,
    subparagraph_above_parent::RULE,
    guard_withheld::RULE,
    page_banner_below_portion::RULE,
    portion_above_banner::RULE,
    banner_missing_control::RULE,
    cui_missing_designation::RULE,
    cui_in_classified_banner::RULE,
    cui_unmarked_portion::RULE,
    cui_unknown_control::RULE,
    page_banners_disagree::RULE,
    subparagraph_above_statement::RULE,
    page_without_authority::RULE,
];

/// One audit rule: the code its findings carry and the check that finds them.
pub struct Rule {
    pub code: Code,
    pub check: fn(Scope<'_>, &mut Findings<'_>),
}

impl Rule {
    /// Appends this rule's findings about `scope.doc` to `out`.
    pub fn run(&self, scope: Scope<'_>, out: &mut Vec<Diagnostic>) {
        (self.check)(
            scope,
            &mut Findings {
                code: self.code,
                out,
            },
        );
    }
}

/// What a rule reads: the document, the facts worked out once for it, and the context.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub doc: &'a Document,
    pub facts: &'a Facts<'a>,
    pub ctx: &'a AuditContext,
}

/// Where a rule puts its findings: each one carries the rule's code.
pub struct Findings<'o> {
    code: Code,
    out: &'o mut Vec<Diagnostic>,
}

impl Findings<'_> {
    /// A finding at `line`, `column` (1-based).
    pub fn add(&mut self, line: usize, column: usize, message: impl Into<String>) {
        self.out
            .push(Diagnostic::new(self.code, line, column, message));
    }

    /// A finding that suggests a replacement (`fix`).
    pub fn add_with_fix(
        &mut self,
        line: usize,
        column: usize,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.out
            .push(Diagnostic::new(self.code, line, column, message).with_fix(fix));
    }
}

/// The banner beside the marking its portions require, for the banner rules (DCL010–014).
/// The portions themselves are [`Facts::portions`](crate::audit::Facts).
pub struct Comparison<'a> {
    pub banner: &'a Banner,
    /// The roll-up of the readable portions. A bare `(S//REL)` is read with the banner's
    /// list, as it says to be.
    pub rolled: Marking,
    /// Some mark could not be read, or some paragraph is unmarked: what the banner holds
    /// may be required by a portion nobody can read, so "more than needed" is not judged.
    pub incomplete: bool,
    /// The banner is a ceiling statement, not the document's own banner: a newsletter's
    /// `DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS` line or a wiki's `The accredited
    /// security level of this system is:` stand above the highest marking the page may
    /// hold. A portion above it or with a control it lacks is still a defect; a ceiling
    /// above the portions, or a REL TO list wider than theirs, is not (DCL011, DCL013 and
    /// DCL014 leave it alone).
    pub ceiling: bool,
}

/// `None` when there is no banner or no readable portion to compare it with.
pub(super) fn compare<'a>(doc: &'a Document, portions: &[Portion<'a>]) -> Option<Comparison<'a>> {
    let banner = doc.header.banner.as_ref()?;
    if portions.is_empty() || is_form_value(doc, banner.line) {
        return None;
    }
    let banner_list = banner.marking.rel_to().filter(|l| !l.is_empty());
    // Only a bare REL TO needs a changed copy; every other mark is rolled up as printed.
    // An unclassified portion without a foreign disclosure control (`(U)`, `(U//FOUO)`)
    // takes no part in the REL TO intersection of a classified document (CAPCO Register,
    // REL TO roll-up), so it must not turn a REL TO document NOFORN.
    let classified = portions.iter().any(|p| p.marking.level.is_classified());
    let marks: Vec<Cow<'_, Marking>> = portions
        .iter()
        .filter(|p| !(classified && is_plain_u(p.marking)))
        .map(|p| match banner_list {
            Some(list) if p.marking.rel_to().is_some_and(<[String]>::is_empty) => {
                let mut m = p.marking.clone();
                m.controls.retain(|c| c.kind() != ControlKind::RelTo);
                m.controls.insert(Control::RelTo(list.to_vec()));
                Cow::Owned(m)
            }
            _ => Cow::Borrowed(p.marking),
        })
        .collect();
    Some(Comparison {
        banner,
        rolled: rollup(marks.iter().map(|m| &**m), false),
        incomplete: super::has_unknown(doc) || super::has_unmarked(doc),
        ceiling: is_ceiling(doc, banner.line),
    })
}

/// Is the classification line at `line` a ceiling statement? The statement's words stand
/// on the nearest non-blank line above it (at most two lines up: extraction puts a blank
/// between them) and end with `CLASSIFICATION IS` or `… system is:`, or run into the
/// banner's own line before it (`… HIGHEST POSSIBLE CLASSIFICATION IS TOP SECRET // SI`).
pub(super) fn is_ceiling(doc: &Document, line: usize) -> bool {
    doc.line(line).contains("CLASSIFICATION IS ")
        || (line.saturating_sub(3).max(1)..line)
            .rev()
            .map(|l| doc.line(l).trim())
            .find(|t| !t.is_empty())
            .is_some_and(|t| {
                let t = t.trim_end_matches(':').trim_end().to_ascii_lowercase();
                t.ends_with("classification is")
                    || (t.ends_with("system is")
                        && (t.contains("level") || t.contains("classification")))
            })
}

/// Is the classification line at `line` the value of a form's `CLASSIFICATION :` field?
/// A form extracted column by column prints its labels one under another (`CLASSIFICATION
/// :`, `RESTRICTIONS :`, `CURRENT STATUS :`) and their values further down (`Unclassified`,
/// `1A; 1B`, `Redact`): a record sheet's metadata (a JFK identification form's), not a
/// banner of the text under it, and the memo it describes has its own. Seen so: a bare
/// `CLASSIFICATION :` label, with the next line holding text another bare label, stands
/// above the line (within the form's length, 80 lines). An e-mail's `Classification:`
/// with its banner on the next line is no such label: the banner follows it directly.
pub(super) fn is_form_value(doc: &Document, line: usize) -> bool {
    let bare_label = |t: &str| {
        t.strip_suffix(':').is_some_and(|name| {
            let name = name.trim_end();
            !name.is_empty()
                && name.split_whitespace().count() <= 5
                && name.bytes().all(|b| b.is_ascii_uppercase() || b == b' ')
        })
    };
    let next_text = |from: usize| {
        (from + 1..line)
            .map(|l| doc.line(l).trim())
            .find(|t| !t.is_empty())
    };
    (line.saturating_sub(80).max(1)..line).any(|l| {
        let t = doc.line(l).trim();
        bare_label(t)
            && t.split_whitespace().next() == Some("CLASSIFICATION")
            && next_text(l).is_some_and(bare_label)
    })
}

/// An unclassified portion without a foreign disclosure control: `(U)`, `(U//FOUO)`.
pub(super) fn is_plain_u(m: &Marking) -> bool {
    m.level == crate::marking::Level::U && !is_noforn(m) && !m.has(ControlKind::RelTo)
}

/// Does `have` carry `kind`, or a control that stands for it (SBU NOFORN for NOFORN,
/// NODIS for EXDIS, ORCON for ORCON-USGOV, LOU for SBU)?
pub(super) fn satisfies(have: &Marking, kind: ControlKind) -> bool {
    use ControlKind as K;
    let h = |k: K| have.has(k);
    match kind {
        K::Noforn => h(K::Noforn) || h(K::SbuNf) || h(K::LesNf),
        K::SbuNf => h(K::SbuNf) || ((h(K::Sbu) || h(K::Lou)) && h(K::Noforn)),
        K::Sbu | K::Lou => h(K::Sbu) || h(K::SbuNf) || h(K::Lou),
        K::LesNf => h(K::LesNf) || (h(K::Les) && h(K::Noforn)),
        K::Les => h(K::Les) || h(K::LesNf),
        K::Exdis => h(K::Exdis) || h(K::Nodis),
        K::OrconUsgov => h(K::OrconUsgov) || h(K::Orcon),
        k => h(k),
    }
}

/// The SCI system, SAP or AEA family a control names, for comparing by system
/// (`SI-GAMMA` is of `SI`; `COMINT` is the older name of `SI`, `TALENT` of `TK`).
pub(super) fn system(c: &Control) -> Option<String> {
    let (Control::Sci(s) | Control::Sap(s) | Control::Aea(s)) = c else {
        return None;
    };
    let head = s.split(['-', ' ']).next().unwrap_or(s).to_ascii_uppercase();
    Some(match head.as_str() {
        "COMINT" => "SI".to_string(),
        "TALENT" => "TK".to_string(),
        _ => head,
    })
}

/// Does `banner` carry the SCI, SAP or AEA control `c`? Printed as is, or, for a bare
/// system (`SI`), by a compartment of it (`SI-GAMMA`): a banner names a system through
/// its compartments. A compartment is never covered by its bare system: `SI` does not
/// carry `SI-G`.
pub(super) fn carries_system(banner: &Marking, c: &Control) -> bool {
    if banner.controls.contains(c) {
        return true;
    }
    let Some(sys) = system(c) else { return false };
    let (Control::Sci(name) | Control::Sap(name) | Control::Aea(name)) = c else {
        return false;
    };
    let bare = !name.contains(['-', ' ']);
    bare && banner.controls.iter().any(|b| {
        std::mem::discriminant(b) == std::mem::discriminant(c) && system(b).as_deref() == Some(&sys)
    })
}

/// A portion's mark as printed, for messages (`(S/NF)`), or its canonical form.
pub(super) fn shown(m: &Marking) -> String {
    if m.raw.is_empty() {
        format!("({})", m.canonical())
    } else {
        super::short(&m.raw)
    }
}

/// Is the marking NOFORN in any of its forms?
pub(super) fn is_noforn(m: &Marking) -> bool {
    m.kinds().any(ControlKind::is_noforn_family)
}

/// Where a finding about the Classified By block points: the reason section (`1.4`) if
/// it can be found on one of the block's lines, else the block's first line.
pub(super) fn cab_location(doc: &Document, cab: &crate::document::ClassifiedBy) -> (usize, usize) {
    if let Some(section) = &cab.section {
        for line in cab.lines.first..=cab.lines.last {
            if let Some(column) = super::find_column(doc.line(line), section) {
                return (line, column);
            }
        }
    }
    let line = cab.lines.first;
    (line, super::first_column(doc.line(line)))
}

/// Where a finding about the declassification value points: the value on the E.O. line
/// (or the line it wrapped onto), else the start of the E.O. line.
pub(super) fn decl_location(doc: &Document, eo: &crate::document::EoLine) -> (usize, usize) {
    let value = eo.declassify.as_ref().map(|d| d.raw.as_str());
    for line in eo.lines.first..=eo.lines.last {
        if let Some(v) = value
            && !v.is_empty()
            && let Some(column) = super::find_column(doc.line(line), v)
        {
            return (line, column);
        }
    }
    let line = eo.lines.first;
    (line, super::first_column(doc.line(line)))
}

/// The day E.O. 12958 as amended changed the reason citation from 1.5 to 1.4 and ended
/// the X1–X8 exemptions (ISOO, 22 Sep 2003).
pub(super) fn amendment_2003() -> crate::document::Date {
    crate::document::Date::new(2003, 9, 22).expect("valid date")
}

/// Is `day` on or after `cutoff`, as far as the document date tells? `None` when the
/// date is unknown, or known only by year and that year is the cutoff's own.
pub(super) fn on_or_after(doc: &Document, cutoff: crate::document::Date) -> Option<bool> {
    let (date, exact) = super::document_date(doc)?;
    if exact {
        Some(date >= cutoff)
    } else if date.year == cutoff.year {
        None
    } else {
        Some(date.year > cutoff.year)
    }
}

/// The document's declassification instruction and where it is printed. The instruction
/// is the one [`Document::declassify`] chooses, the one release and the policies read (the
/// E.O. line's value, else the first authority block's `Declassify On`, else a banner's
/// declassification field), so that the audit and a release never disagree about it; only
/// its place is worked out here, by finding which of those it is.
pub(super) struct Instruction<'a> {
    pub declassify: &'a crate::document::Declassify,
    pub line: usize,
    pub column: usize,
    pub source: Source,
}

/// Where [`Document::declassify`] found the instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Source {
    /// The E.O. line of a cable (`E.O. 12958: DECL: 05/02/2017`).
    EoLine,
    /// An authority block's `Declassify On` (or `DECL ON`, `E2 IMPDET`).
    Block,
    /// A banner's declassification field (`TOP SECRET//COMINT//20291123`).
    Banner,
}

pub(super) fn instruction(doc: &Document) -> Option<Instruction<'_>> {
    let d = doc.declassify()?;
    let at = |line: usize, source| {
        let column = super::find_column(doc.line(line), &d.raw)
            .unwrap_or_else(|| super::first_column(doc.line(line)));
        Instruction {
            declassify: d,
            line,
            column,
            source,
        }
    };
    if let Some(eo) = &doc.header.eo
        && eo.declassify.as_ref().is_some_and(|e| std::ptr::eq(e, d))
    {
        let (line, column) = decl_location(doc, eo);
        return Some(Instruction {
            declassify: d,
            line,
            column,
            source: Source::EoLine,
        });
    }
    if let Some(block) = doc
        .header
        .authority
        .iter()
        .find(|a| a.declassify.as_ref().is_some_and(|e| std::ptr::eq(e, d)))
    {
        // The line of the block that prints the value, else its last line (a value read
        // from the line under an empty label, or under an OCR-damaged label).
        let lines = block.lines.first..=block.lines.last;
        let line = lines
            .clone()
            .find(|&l| !d.raw.is_empty() && super::find_column(doc.line(l), &d.raw).is_some())
            .unwrap_or(block.lines.last);
        return Some(at(line, Source::Block));
    }
    let line = doc
        .header
        .banner_declassify
        .as_ref()
        .map_or_else(|| super::document_location(doc).0, |(l, _)| *l);
    Some(at(line, Source::Banner))
}
