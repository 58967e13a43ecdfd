//! DCL011 banner-above-portions: no portion reaches the banner's level.
//!
//! Why: a banner above every portion over-classifies the document, which is legal only
//! for classification by compilation and then needs a written explanation. Not judged
//! when a mark is unreadable or a paragraph is unmarked: that paragraph may be the one
//! the banner is for.
//! Not judged against a ceiling statement (`HIGHEST POSSIBLE CLASSIFICATION IS` over the
//! banner line): a ceiling bounds the page's portions and may stand above them.
//!
//! Example:
//! ```text
//! S E C R E T MADRID 005480
//! 1. (C) ...
//! 2. (U) ...        <- DCL011 at the banner: banner SECRET, highest portion C
//! ```

use super::{Findings, Rule, Scope};
use crate::audit::document_location;
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::BannerAbovePortions,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(cmp) = &facts.comparison else { return };
    let banner = cmp.banner.marking.level;
    if cmp.incomplete || cmp.ceiling || cmp.rolled.level >= banner {
        return;
    }
    let (line, column) = document_location(doc);
    out.add(
        line,
        column,
        format!(
            "banner {} is above every portion: the highest of {} portions is {}",
            banner.title(),
            facts.portions.len(),
            cmp.rolled.level.title()
        ),
    );
}
