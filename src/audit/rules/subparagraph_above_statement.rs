//! DCL090 subparagraph-above-statement: a sub-paragraph marked above a parent that is a
//! statement of its own, not a lead-in.
//!
//! Why: a sub-item above its lead-in (`(U) The minister listed:`) is legal, each is a
//! portion of its own (DCL053, info). A parent that stands on its own (a sentence that
//! ends in a full stop, not a heading, not ending in `:`, `the following`, `as follows`)
//! and is elaborated by a higher item is more often marked too low: a warning, because
//! the parent may still be right.
//!
//! Example:
//! ```text
//! 2. (S) Contingency plans are updated as access changes.
//!    * (TS) The plans are coordinated with CENTCOM.   <- DCL090
//! ```

use super::{Findings, Rule, Scope, shown, subparagraph_above_parent::above_parent};
use crate::diagnostic::Code;
use crate::document::{Paragraph, PortionKind};

/// Does the paragraph stand on its own: a sentence ending in a full stop, not a heading or
/// title, and not one that announces a list?
pub(super) fn is_statement(p: &Paragraph) -> bool {
    if p.heading || !matches!(p.kind, PortionKind::Paragraph | PortionKind::Subparagraph) {
        return false;
    }
    let text = p
        .text
        .trim_end()
        .trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')']);
    let Some(body) = text.strip_suffix('.') else {
        return false;
    };
    let lower = body.trim_end().to_ascii_lowercase();
    ![
        "following",
        "as follows",
        "include",
        "includes",
        "including",
    ]
    .iter()
    .any(|w| lower.ends_with(w))
        && lower.split_whitespace().count() >= 4
}

pub const RULE: Rule = Rule {
    code: Code::SubparagraphAboveStatement,
    check,
};

fn check(Scope { doc, .. }: Scope<'_>, out: &mut Findings<'_>) {
    for a in above_parent(doc).filter(|a| is_statement(a.parent)) {
        out.add(
            a.sub.line,
            a.sub.column,
            format!(
                "sub-paragraph {} {} is marked above its parent {} {}, a statement of \
                 its own: is the parent marked too low?",
                a.sub.label,
                shown(&a.sub.marking),
                a.parent.label(a.index),
                shown(a.parent_mark)
            ),
        );
    }
}
