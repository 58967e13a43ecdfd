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
    let found = &facts.view.authority;
    // A newsletter article or web page with no field of a block at all is DCL091's.
    if old_order || !facts.classified || super::page_without_authority::applies(doc, facts) {
        return;
    }
    let parsed = doc
        .header
        .authority
        .iter()
        .any(|a| a.classified_by.is_some() || a.derived_from.is_some());
    let has_block = doc.header.classified_by.is_some()
        || parsed
        || found.classified_by.is_some()
        || found.derived_from.is_some()
        || header_mentions(doc, &MENTION);
    if !has_block {
        // At the block when some of it stands (a lone Declassify On), else at the top.
        let block = found.first_line().filter(|_| doc.header.eo.is_none());
        let (line, column) = block.map_or_else(
            || document_location(doc),
            |l| (l, first_column(doc.line(l))),
        );
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
        && found.derived_from.is_none()
        && found.reason.is_none()
        && !cable_reasons
    {
        out.add(by, first_column(doc.line(by)), "Classified By without a Reason: original classification must cite its reason (1.4(a)-(h))");
    }
}
