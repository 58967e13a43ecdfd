//! DCL030 missing-authority: a classified document with no `Classified By` or `Derived
//! From` block.
//!
//! Why: every classified document names who classified it and why (32 CFR 2001.21(a));
//! without the block nobody can check the classification or challenge it. Cables under
//! the orders before E.O. 12958 (11652, 12065, 12356) are left out: their cable format
//! put the authority on the E.O. line (`RDS-4 6/5/99 (GERLACH, FREDERICK H.)`) or
//! nowhere, and judging them by today's format would flag every one.
//!
//! A block the parser could not cut out (glued onto a REF line) is not reported missing,
//! nor one the audit's view finds anywhere in the text (`Classified By:`, `Derived From:`,
//! `CL BY`, `DRV FM`, at the top, the foot or after the signature). A Classified By
//! without a Reason (and not derived) is reported at its line: original classification
//! must say why, since E.O. 12958: a block whose instruction belongs to an older order
//! (`E2 IMPDET`, `OADR`, `GDS`, as release reads it) needs none.
//!
//! A document dated before E.O. 11652 took effect (1 June 1972), the first order whose
//! implementing directive asked that the classifier be named on the document, is left to
//! DCL091 (a warning): no block was asked of it.
//!
//! Example:
//! ```text
//! C O N F I D E N T I A L PRAGUE 000123
//! E.O. 12958: DECL: 05/02/2017   <- DCL030 at the banner: no Classified By block
//! ```

use super::{Findings, Rule, Scope};
use crate::audit::{document_location, first_column, header_mentions};
use crate::diagnostic::Code;
use crate::document::DeclassifyOn;
use regex::Regex;
use std::sync::LazyLock;

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(CLASSIFIED\s+BY|DERIVED\s+FROM)\b").expect("static regex")
});

/// Is a `CL BY` stamp broken over two lines, `CL` ending one (`… E2 IMPDET CL`) and `BY`
/// opening the next behind OCR specks (`- BY 130. 33`)? The block is there, only unread
/// by the line-wise scan, and saying it is missing would be false.
fn split_cl_by(doc: &crate::document::Document) -> bool {
    doc.lines
        .iter()
        .zip(doc.lines.iter().skip(1))
        .any(|(line, below)| {
            let ends_cl = line
                .trim_end()
                .strip_suffix("CL")
                .is_some_and(|before| before.is_empty() || before.ends_with(char::is_whitespace));
            let next = below.trim_start_matches(|c: char| !c.is_alphanumeric());
            ends_cl
                && next
                    .strip_prefix("BY")
                    .is_some_and(|rest| rest.starts_with(char::is_whitespace))
        })
}

/// Is the document dated before E.O. 12958 took effect (14 October 1995), the first order
/// that asked the document to state its reason? The document's date, else a year printed
/// on the `Classified By` line or the two under it (`CL BY 0236112 (4 January` / `1983)`,
/// a CIA memo under E.O. 12356).
fn dated_before_12958(doc: &crate::document::Document, by: usize) -> bool {
    if let Some((date, exact)) = crate::audit::document_date(doc) {
        return if exact {
            (date.year, date.month, date.day) < (1995, 10, 14)
        } else {
            date.year < 1995
        };
    }
    (by..=by + 2)
        .filter(|&l| l <= doc.lines.len())
        .flat_map(|l| year_in(doc.line(l)))
        .next()
        .is_some_and(|year| year < 1995)
}

/// The first year from 1940 to 2099 printed as a word of its own in `line`.
fn year_in(line: &str) -> Option<i32> {
    line.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .find(|y| (1940..2100).contains(y))
}

/// Does a block's label stand alone on a line, cut after its first word by the page's
/// edge or a redaction (`Derived`, its `From: …` lost)? The block is there; its value is
/// not, which release and DCL040 see for themselves.
fn cut_label(doc: &crate::document::Document) -> bool {
    doc.lines.iter().any(|l| {
        matches!(
            l.trim(),
            "Derived" | "DERIVED" | "Classified" | "CLASSIFIED BY"
        )
    })
}

/// Does `doc` print a Classified By or Derived From block anywhere (parsed, seen by the
/// view, mentioned in its header, a `CL BY` stamp broken over two lines, a label cut by
/// the page edge)?
fn has_block(doc: &crate::document::Document, facts: &crate::audit::Facts<'_>) -> bool {
    let found = facts.view.authority();
    let parsed = doc
        .header
        .authority
        .iter()
        .any(|a| a.classified_by.is_some() || a.derived_from.is_some());
    doc.header.classified_by.is_some()
        || parsed
        || found.classified_by.is_some()
        || found.derived_from.is_some()
        || header_mentions(doc, &MENTION)
        || split_cl_by(doc)
        || cut_label(doc)
}

/// Where a missing block is reported: at the block when some of it stands (a lone
/// Declassify On), else at the top.
fn block_location(
    doc: &crate::document::Document,
    facts: &crate::audit::Facts<'_>,
) -> (usize, usize) {
    let block = facts
        .view
        .authority()
        .first_line()
        .filter(|_| doc.header.eo.is_none());
    block.map_or_else(
        || document_location(doc),
        |l| (l, first_column(doc.line(l))),
    )
}

/// A classified document, not an excerpt, with no Classified By or Derived From block,
/// dated before E.O. 11652 took effect: DCL091 (page-without-authority) reports it at
/// this location, as a warning, in place of DCL030. Returns the location and the date
/// read (year, month).
pub(super) fn predates_block(
    doc: &crate::document::Document,
    facts: &crate::audit::Facts<'_>,
) -> Option<((usize, usize), (i32, u32))> {
    let old_order = doc
        .header
        .eo
        .as_ref()
        .is_some_and(|eo| PRE_12958.contains(&eo.order.as_str()));
    if old_order
        || !facts.classified
        || super::page_without_authority::applies(doc, facts)
        || super::page_without_authority::excerpt_applies(doc, facts).is_some()
        || has_block(doc, facts)
    {
        return None;
    }
    let date = dated_before_11652(doc)?;
    Some((block_location(doc, facts), date))
}

/// E.O. 11652 (37 FR 5209, signed 8 March 1972) took effect on 1 June 1972; the National
/// Security Council directive of 17 May 1972 that implements it (37 FR 10053, section I.C
/// "Identification of Classifier", and the `CLASSIFIED BY` stamps of its marking section)
/// first asked that the classifier be named on the face of a classified document. E.O.
/// 10501 (1953), in force before it, asked for the level and, from E.O. 10964 (1961), a
/// downgrading group, but for no such line. Year and month of the order's effect.
const EO_11652_IN_FORCE: (i32, u32) = (1972, 6);

/// Is `doc` dated before E.O. 11652 took effect? Its parsed date, else the date line of
/// a memo or letter (a month and a year ending one of the lines above its subject:
/// `CE (70-162) MAR 7 1972`, `4 April 1978`). Returns the date read (year, month); a
/// year alone says so only when it is before 1972.
fn dated_before_11652(doc: &crate::document::Document) -> Option<(i32, u32)> {
    let date = match crate::audit::document_date(doc) {
        Some((d, true)) => Some((d.year, d.month)),
        Some((d, false)) if d.year < EO_11652_IN_FORCE.0 => Some((d.year, 0)),
        _ => letter_date(doc),
    }?;
    // A year before 1940 is an OCR misreading (`1866` for `1966`): no date, fail closed.
    (date.0 >= EARLIEST && date < EO_11652_IN_FORCE).then_some(date)
}

/// The earliest year a date of a classified document here is believed.
const EARLIEST: i32 = 1940;

/// A month and year ending a line (`MAR 7 1972`, `4 April 1978`, `March 7, 1972`; OCR may
/// damage the day: `MAR F 1972`).
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[^a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?",
        r"(?:\s+\S{1,2},?)?\s+(19[4-9]\d|20\d\d)\s*$"
    ))
    .expect("static regex")
});

/// How many lines of text above its subject a memo's or letter's date line may stand.
const DATE_ABOVE_SUBJECT: usize = 8;

/// The date line of a memo or letter: among the lines of text just above its subject.
fn letter_date(doc: &crate::document::Document) -> Option<(i32, u32)> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let subject = doc.header.subject.as_ref()?.lines.first;
    (1..subject)
        .rev()
        .filter(|&l| !doc.line(l).trim().is_empty())
        .take(DATE_ABOVE_SUBJECT)
        .find_map(|l| {
            let c = DATE_LINE.captures(doc.line(l))?;
            let month = c[1].to_ascii_lowercase();
            let m = MONTHS.iter().position(|n| *n == month)?;
            Some((c[2].parse().ok()?, u32::try_from(m).ok()? + 1))
        })
}

/// Executive orders whose cables carried no Classified By block.
pub(super) const PRE_12958: &[&str] = &["11652", "12065", "12356"];

pub const RULE: Rule = Rule {
    code: Code::MissingAuthority,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let old_order = doc
        .header
        .eo
        .as_ref()
        .is_some_and(|eo| PRE_12958.contains(&eo.order.as_str()));
    // A newsletter article or web page with no field of a block at all is DCL091's.
    if old_order || !facts.classified || super::page_without_authority::applies(doc, facts) {
        return;
    }
    let found = facts.view.authority();
    if !has_block(doc, facts) {
        // Pages from inside a document, without its first page: DCL091's. So is a
        // document dated before the order that first asked for the line.
        if super::page_without_authority::excerpt_applies(doc, facts).is_some()
            || dated_before_11652(doc).is_some()
        {
            return;
        }
        let (line, column) = block_location(doc, facts);
        out.add(
            line,
            column,
            "classified document without a Classified By or Derived From block",
        );
        return;
    }
    // Original classification (Classified By, not derived) must state its reason.
    let cable_reasons = doc
        .header
        .classified_by
        .as_ref()
        .is_some_and(|c| !c.reasons.is_empty() || c.derived);
    // The orders before E.O. 12958 asked no reason of the document: a block under
    // one (its instruction `E2 IMPDET`, `OADR`, `GDS`) is complete without it.
    let before_12958 = doc.declassify().is_some_and(|d| {
        matches!(
            d.instruction(),
            DeclassifyOn::Impdet | DeclassifyOn::Oadr | DeclassifyOn::Schedule(_)
        )
    });
    if let Some(by) = found.classified_by
        && !before_12958
        && !dated_before_12958(doc, by)
        && found.derived_from.is_none()
        && found.reason.is_none()
        && !cable_reasons
    {
        out.add(by, first_column(doc.line(by)), "Classified By without a Reason: original classification must cite its reason (1.4(a)-(h))");
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::audit_text;
    use crate::diagnostic::Code;

    fn missing(text: &str) -> bool {
        audit_text(text)
            .iter()
            .any(|d| d.code == Code::MissingAuthority)
    }

    #[test]
    fn a_cl_by_stamp_broken_over_two_lines_is_there() {
        let head = "CONFIDENTIAL\n\n(C) The officer met the source in May.\n\n";
        assert!(!missing(&format!(
            "{head}FILES SB/PHYS E2 IMPDET CL\n- BY 130. 33\n"
        )));
        // `CL` inside a word, or `BY` not opening the next line: no block.
        assert!(missing(&format!("{head}SEE ANNEX CL\nSTANDBY 130\n")));
        assert!(missing(&format!("{head}E2 IMPDET\n")));
        // A block's label cut after its first word: the block is there.
        assert!(!missing(&format!("{head}                    Derived\n")));
    }

    #[test]
    fn a_letter_dated_before_eo_11652_is_a_warning() {
        let letter = "CONFIDENTIAL\n\nDEPARTMENT OF THE ARMY\n\nAEUIMI-OP-CE\n\
                      CE (70-162) MAR 7 1972\n\nSUBJECT: BEER, Henry S. (U)\n\n\
                      1. (C) A check of the service revealed that she was a member.\n\n\
                      CONFIDENTIAL\n";
        let found = audit_text(letter);
        assert!(
            found.iter().all(|d| d.code != Code::MissingAuthority),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|d| d.code == Code::PageWithoutAuthority && d.message.contains("11652")),
            "{found:?}"
        );
        // After the order took effect (or OCR damaged the day): the block is missing.
        for dated in ["JUN 7 1972", "MAR 7 1978"] {
            assert!(missing(&letter.replace("MAR 7 1972", dated)), "{dated}");
        }
        assert!(!missing(&letter.replace("MAR 7 1972", "MAR F 1972")));
        // No date line above the subject: judged as any document.
        assert!(missing(
            &letter.replace("CE (70-162) MAR 7 1972", "CE (70-162)")
        ));
    }

    #[test]
    fn no_reason_is_asked_before_eo_12958() {
        let reason = |text: &str| {
            audit_text(text)
                .iter()
                .any(|d| d.code == Code::MissingAuthority && d.message.contains("Reason"))
        };
        let memo =
            "SECRET\n\n1. (S) The search found nothing.\n\nCL BY 0236112 (4 January\n\n1983)\n";
        assert!(!reason(memo));
        assert!(reason(&memo.replace("1983", "1999")));
    }
}
