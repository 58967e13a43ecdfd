//! DCL010 banner-below-portion: the banner's level is below the highest portion.
//!
//! Why: the banner is what a reader and every downstream system see first; a banner
//! below its most restrictive portion under-classifies the whole document (32 CFR
//! 2001.21(b)). Unreadable marks and unmarked paragraphs do not take part: they are
//! reported by the parser (DCL003, DCL001) and would otherwise count as TS or U.
//!
//! Example:
//! ```text
//! C O N F I D E N T I A L PRAGUE 000123
//! 1. (S) ...        <- DCL010 at the banner: banner CONFIDENTIAL, ¶1 (S)
//! ```

use crate::audit::{AuditContext, Facts, Rule, document_location};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;

pub struct BannerBelowPortion;

impl Rule for BannerBelowPortion {
    fn code(&self) -> Code {
        Code::BannerBelowPortion
    }

    fn check(
        &self,
        doc: &Document,
        facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(cmp) = &facts.comparison else { return };
        let banner = cmp.banner.marking.level;
        if cmp.rolled.level <= banner {
            return;
        }
        let Some(highest) = facts
            .portions
            .iter()
            .find(|p| p.marking.level == cmp.rolled.level)
        else {
            return;
        };
        let (line, column) = document_location(doc);
        out.push(
            Diagnostic::new(
                self.code(),
                line,
                column,
                format!(
                    "banner {} is below {} {} (line {}); the banner must be at least {}",
                    banner.title(),
                    highest.label,
                    super::shown(highest.marking),
                    highest.line,
                    cmp.rolled.level.title()
                ),
            )
            .with_fix(cmp.rolled.level.title()),
        );
    }
}
