//! DCL082 page-banner-below-portion: a banner line below a portion it answers for.
//!
//! Why: the top and bottom of every page carry a banner at least as high as the highest
//! portion of the page, and the first page carries the overall classification of the
//! document (32 CFR 2001.20). A lowered page banner is what a reader of that page sees
//! first. Each banner line of the audit's view (page top and bottom, repeated and section
//! banners, e-mail `Classification:` lines) is compared with the portions between the
//! banner lines before and after it; the first with every portion.
//!
//! Example:
//! ```text
//! CONFIDENTIAL      <- DCL082: below (S) at line 2
//! (S) Text.
//! SECRET
//! ```

use super::{Findings, Rule, Scope};
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::PageBannerBelowPortion,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let view = &facts.view;
    let parsed = doc.header.banner.as_ref().map(|b| b.line);
    for (i, banner) in view.banners.iter().enumerate() {
        // The parser's banner is DCL010's and DCL012's to judge.
        if parsed == Some(banner.line) {
            continue;
        }
        let level = banner.marking.level;
        let Some((portion, mark)) = view
            .framed_by(i)
            .filter(|(_, m)| m.level > level)
            .max_by_key(|(p, m)| (m.level, std::cmp::Reverse(p.line)))
        else {
            continue;
        };
        let scope = if i == 0 {
            "the first banner carries the overall classification"
        } else {
            "the highest portion it frames"
        };
        out.add_with_fix(
            banner.line,
            banner.column,
            format!(
                "banner {} is below {} at line {} ({scope})",
                level.title(),
                super::shown(mark),
                portion.line
            ),
            mark.level.title(),
        );
    }
}
