//! DCL086 cui-in-classified-banner: a classified banner line carries CUI.
//!
//! Why: in a classified document the banner states the classification and its controls;
//! CUI it holds is shown in the portion marks of the unclassified portions, never in the
//! banner line (DoDI 5200.48, 3.7; CAPCO Register), where it reads as a control of the
//! classified content. Reported at each such banner line.
//!
//! Example:
//! ```text
//! SECRET//CUI   <- DCL086
//! (S) Text.
//! (CUI) Names.
//! ```

use super::{Findings, Rule, Scope};
use crate::diagnostic::Code;
use crate::marking::ControlKind;

pub const RULE: Rule = Rule {
    code: Code::CuiInClassifiedBanner,
    check,
};

fn check(Scope { facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    for b in facts
        .view
        .banners
        .iter()
        .filter(|b| b.marking.level.is_classified() && b.marking.has(ControlKind::Cui))
    {
        out.add(
            b.line,
            b.column,
            format!(
                "classified banner {} carries CUI: mark CUI in the portions only",
                b.marking.banner()
            ),
        );
    }
}
