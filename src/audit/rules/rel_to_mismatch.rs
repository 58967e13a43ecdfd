//! DCL014 rel-to-mismatch: the banner's REL TO list is not the intersection of the
//! portions' lists.
//!
//! Why: when every portion is REL TO, the banner is REL TO the countries common to all
//! (USA always kept; FVEY, ACGU, TEYE expanded); one classified portion without REL TO
//! makes the whole document NOFORN (an unclassified `(U)` or `(U//FOUO)` does not); a bare `(S//REL)` takes the banner's list, so the banner must
//! have one. A banner that lists a country some portion does not release to leaks that
//! portion; one that lists fewer withholds for nothing.
//!
//! Example:
//! ```text
//! SECRET//REL TO USA, GBR, FRA
//! 1. (S//REL TO USA, GBR) ...   <- DCL014: the intersection is USA, GBR
//! ```

use super::shown;
use crate::audit::{AuditContext, Facts, Rule, document_location};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::marking::ControlKind;
use std::collections::BTreeSet;

pub struct RelToMismatch;

impl Rule for RelToMismatch {
    fn code(&self) -> Code {
        Code::RelToMismatch
    }

    fn check(
        &self,
        doc: &Document,
        facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(cmp) = &facts.comparison else { return };
        let banner_list = cmp.banner.marking.rel_to().filter(|l| !l.is_empty());
        let (line, column) = document_location(doc);
        let mut report = |line, column, message: String| {
            out.push(Diagnostic::new(self.code(), line, column, message));
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
}

fn expand(list: &[String]) -> BTreeSet<String> {
    let mut set = crate::marking::rollup::expand_list(list);
    set.insert("USA".into());
    set
}
