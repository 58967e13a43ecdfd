//! DCL014 rel-to-mismatch: the banner's REL TO list is not the intersection of the
//! portions' lists.
//!
//! Why: when every portion is REL TO, the banner is REL TO the countries common to all
//! (USA always kept; FVEY, ACGU, TEYE expanded); one classified portion without REL TO
//! makes the whole document NOFORN (an unclassified `(U)` or `(U//FOUO)` does not); a bare `(S//REL)` takes the banner's list, so the banner must
//! have one. A banner that lists a country some portion does not release to leaks that
//! portion; one that lists fewer withholds for nothing.
//! A ceiling statement (`HIGHEST POSSIBLE CLASSIFICATION IS` over the banner line) only
//! bounds the portions: its list is not compared.
//!
//! Example:
//! ```text
//! SECRET//REL TO USA, GBR, FRA
//! 1. (S//REL TO USA, GBR) ...   <- DCL014: the intersection is USA, GBR
//! ```

use super::{Findings, Rule, Scope, shown};
use crate::audit::document_location;
use crate::diagnostic::Code;
use crate::marking::{ControlKind, Level};
use std::collections::BTreeSet;

pub const RULE: Rule = Rule {
    code: Code::RelToMismatch,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(cmp) = &facts.comparison else { return };
    let banner_list = cmp.banner.marking.rel_to().filter(|l| !l.is_empty());
    let (line, column) = document_location(doc);
    let mut report = |line, column, message: String| {
        out.add(line, column, message);
    };
    if banner_list.is_none()
        && let Some(bare) = facts
            .portions
            .iter()
            .find(|p| p.marking.rel_to().is_some_and(<[String]>::is_empty))
    {
        report(
            bare.line,
            bare.column,
            format!(
                "{} {} takes the banner's REL TO list, but the banner has none",
                bare.label,
                shown(bare.marking)
            ),
        );
        return;
    }
    // A ceiling's REL TO list bounds the page's portions; it need not equal theirs.
    if cmp.ceiling {
        return;
    }
    match (cmp.rolled.rel_to(), banner_list) {
        (Some(required), None) if !required.is_empty() => report(
            line,
            column,
            format!(
                "every portion is REL TO; the banner should carry REL TO {}",
                required.join(", ")
            ),
        ),
        (Some(required), Some(have)) if expand(required) != expand(have) => report(
            line,
            column,
            format!(
                "banner REL TO {} differs from the intersection of the portions, REL TO {}",
                have.join(", "),
                required.join(", ")
            ),
        ),
        // No classified portion at all (a guide's `(U)` rows under a SECRET//REL banner):
        // nothing makes the document NOFORN; the banner above every portion is DCL011's.
        (None, Some(_)) if facts.portions.iter().all(|p| p.marking.level == Level::U) => {}
        (None, Some(have)) => {
            let without = facts
                .portions
                .iter()
                .find(|p| !p.marking.has(ControlKind::RelTo) && !super::is_plain_u(p.marking));
            let why = without.map_or("the portions roll up to NOFORN".to_string(), |p| {
                format!(
                    "{} {} has no REL TO, so the document is NOFORN",
                    p.label,
                    shown(p.marking)
                )
            });
            report(
                line,
                column,
                format!("banner REL TO {}: {why}", have.join(", ")),
            );
        }
        _ => {}
    }
}

fn expand(list: &[String]) -> BTreeSet<String> {
    let mut set = crate::marking::rollup::expand_list(list);
    set.insert("USA".into());
    set
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;

    fn codes(text: &str) -> Vec<Code> {
        crate::audit::audit_text(text)
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    const PAGE: &str = "TOP SECRET//SI//REL TO USA, AUS, CAN, GBR, NZL\n\n\
                        (S//SI) The station reported the meeting with the source.\n\n\
                        (C) The source said the minister would travel next week.\n";

    #[test]
    fn unclassified_portions_make_no_document_noforn() {
        let rows = "SECRET//REL TO USA, AUS, CAN, GBR, NZL\n\n\
                    (U) The fact of land-based collection during the crisis.\n\n\
                    (U) The fact of airborne collection during the crisis.\n";
        let found = codes(rows);
        assert!(!found.contains(&Code::RelToMismatch), "{found:?}");
        // One classified portion without REL TO does.
        let noforn = rows.replace("(U) The fact of air", "(C) The fact of air");
        assert!(codes(&noforn).contains(&Code::RelToMismatch));
    }

    #[test]
    fn a_ceiling_statement_is_not_held_to_the_portions_roll_up() {
        let banner = codes(PAGE);
        assert!(banner.contains(&Code::RelToMismatch), "{banner:?}");
        assert!(banner.contains(&Code::BannerAbovePortions), "{banner:?}");
        let ceiling = format!("DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS\n{PAGE}");
        let found = codes(&ceiling);
        assert!(!found.contains(&Code::RelToMismatch), "{found:?}");
        assert!(!found.contains(&Code::BannerAbovePortions), "{found:?}");
        // A portion above the ceiling is still reported.
        let above = ceiling
            .replace("(C) The source", "(TS) The source")
            .replace("TOP SECRET//SI//REL", "SECRET//SI//REL");
        assert!(codes(&above).contains(&Code::BannerBelowPortion));
    }
}
