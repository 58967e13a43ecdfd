//! DCL013 banner-control-in-no-portion: the banner carries a control (NOFORN, SBU…) that
//! no portion requires.
//!
//! Why: a control no portion needs restricts the document for nothing (a NOFORN banner
//! over all-`(C)` paragraphs keeps it from allies it could go to). Not judged when a mark
//! is unreadable or a paragraph unmarked, since that paragraph may need the control.
//! REL TO is DCL014's. Cable distribution captions (EXDIS, NODIS, LIMDIS) are left out:
//! State applies them to the whole cable and never portion-marks them.
//! Not judged against a ceiling statement (`HIGHEST POSSIBLE CLASSIFICATION IS` over the
//! banner line): a ceiling bounds the page's portions and may stand above them.
//!
//! Example:
//! ```text
//! S E C R E T STATE 000123
//! NOFORN
//! 1. (S) ...        <- DCL013 at the banner: NOFORN found in no portion
//! ```

use super::{Findings, Rule, Scope, satisfies};
use crate::audit::document_location;
use crate::diagnostic::Code;
use crate::marking::ControlKind;

pub const RULE: Rule = Rule {
    code: Code::BannerControlInNoPortion,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(cmp) = &facts.comparison else { return };
    if cmp.incomplete || cmp.ceiling {
        return;
    }
    // A CUI banner's categories and dissemination controls are judged by the CUI rules
    // (DCL085–088): `(CUI)` portions need not repeat them.
    if cmp.banner.marking.is_cui() {
        return;
    }
    let (line, column) = document_location(doc);
    for control in &cmp.banner.marking.controls {
        let kind = control.kind();
        let caption = matches!(
            kind,
            ControlKind::Exdis | ControlKind::Nodis | ControlKind::Limdis
        );
        if caption || kind == ControlKind::RelTo || satisfies(&cmp.rolled, kind) {
            continue;
        }
        let unclassified_only = matches!(
            kind,
            ControlKind::Sbu | ControlKind::SbuNf | ControlKind::Lou | ControlKind::Fouo
        );
        let message = if unclassified_only && cmp.banner.marking.level.is_classified() {
            format!(
                "banner control {} belongs on unclassified documents only; the portions roll up to {}",
                control.banner_form(),
                cmp.rolled.banner()
            )
        } else {
            format!(
                "banner control {} is found in no portion; the portions roll up to {}",
                control.banner_form(),
                cmp.rolled.banner()
            )
        };
        out.add(line, column, message);
    }
}
