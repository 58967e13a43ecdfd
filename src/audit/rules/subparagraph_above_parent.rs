//! DCL053 subparagraph-above-parent: a sub-paragraph marked above the paragraph it sits
//! under.
//!
//! Only parents that announce their items (a lead-in, a heading) are this rule's; a
//! parent that is a statement of its own is DCL090's.
//!
//! Why: legal (the parent is not raised by its sub-paragraph, CAPCO Register §C), but a
//! reviewer should look: a parent `(C)` over an `(S)` item is often a parent marked too
//! low, and a release that keeps the parent must still withhold the item.
//!
//! Example:
//! ```text
//! 3. (C) The minister listed:
//!    A. (S) ...     <- DCL053: sub-paragraph S under a C paragraph
//! ```

use super::{Findings, Rule, Scope, shown, subparagraph_above_statement::is_statement};
use crate::diagnostic::Code;
use crate::document::{Document, Origin, Paragraph, SubParagraph};
use crate::marking::Marking;

/// A readable sub-paragraph marked above its parent's printed mark.
pub(super) struct Above<'a> {
    /// The parent's index in the document's paragraphs.
    pub index: usize,
    pub parent: &'a Paragraph,
    pub parent_mark: &'a Marking,
    pub sub: &'a SubParagraph,
}

/// Every readable sub-paragraph marked above its parent, in document order. Only a
/// printed parent mark is compared: an inherited one says nothing about what the writer
/// chose for that paragraph. DCL053 takes those under lead-ins and headings, DCL090 those
/// under a statement ([`is_statement`]).
pub(super) fn above_parent(doc: &Document) -> impl Iterator<Item = Above<'_>> {
    doc.paragraphs
        .iter()
        .enumerate()
        .flat_map(|(index, parent)| {
            let parent_mark = parent
                .marking
                .as_ref()
                .filter(|_| parent.origin == Origin::Explicit);
            parent_mark.into_iter().flat_map(move |parent_mark| {
                parent
                    .subparagraphs
                    .iter()
                    .filter(move |s| !s.marking.is_unknown() && s.marking.level > parent_mark.level)
                    .map(move |sub| Above {
                        index,
                        parent,
                        parent_mark,
                        sub,
                    })
            })
        })
}

pub const RULE: Rule = Rule {
    code: Code::SubparagraphAboveParent,
    check,
};

fn check(Scope { doc, .. }: Scope<'_>, out: &mut Findings<'_>) {
    // A parent that stands on its own is DCL090's (a warning).
    for a in above_parent(doc).filter(|a| !is_statement(a.parent)) {
        out.add(
            a.sub.line,
            a.sub.column,
            format!(
                "sub-paragraph {} {} is marked above its parent {} {}",
                a.sub.label,
                shown(&a.sub.marking),
                a.parent.label(a.index),
                shown(a.parent_mark)
            ),
        );
    }
}
