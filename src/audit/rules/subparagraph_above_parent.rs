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

use super::shown;
use crate::audit::{AuditContext, Facts, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Document, Origin};

pub struct SubparagraphAboveParent;

impl Rule for SubparagraphAboveParent {
    fn code(&self) -> Code {
        Code::SubparagraphAboveParent
    }

    fn check(
        &self,
        doc: &Document,
        _facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        for (i, p) in doc.paragraphs.iter().enumerate() {
            // Only a printed parent mark is compared: an inherited one says nothing about
            // what the writer chose for this paragraph.
            let Some(parent) = p.marking.as_ref().filter(|_| p.origin == Origin::Explicit) else {
                continue;
            };
            // A parent that stands on its own is DCL090's (a warning).
            if p.subparagraphs
                .iter()
                .any(|s| s.marking.level > parent.level)
                && super::subparagraph_above_statement::is_statement(p)
            {
                continue;
            }
            for sub in &p.subparagraphs {
                if sub.marking.is_unknown() || sub.marking.level <= parent.level {
                    continue;
                }
                out.push(Diagnostic::new(
                    self.code(),
                    sub.line,
                    sub.column,
                    format!(
                        "sub-paragraph {} {} is marked above its parent {} {}",
                        sub.label,
                        shown(&sub.marking),
                        p.label(i),
                        shown(parent)
                    ),
                ));
            }
        }
    }
}
