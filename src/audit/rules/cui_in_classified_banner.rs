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

use crate::audit::{AuditContext, Facts, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::marking::ControlKind;

pub struct CuiInClassifiedBanner;

impl Rule for CuiInClassifiedBanner {
    fn code(&self) -> Code {
        Code::CuiInClassifiedBanner
    }

    fn check(
        &self,
        _doc: &Document,
        facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        for b in facts
            .view
            .banners
            .iter()
            .filter(|b| b.marking.level.is_classified() && b.marking.has(ControlKind::Cui))
        {
            out.push(Diagnostic::new(
                self.code(),
                b.line,
                b.column,
                format!(
                    "classified banner {} carries CUI: mark CUI in the portions only",
                    b.marking.banner()
                ),
            ));
        }
    }
}
