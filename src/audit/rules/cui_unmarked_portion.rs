//! DCL087 cui-unmarked-portion: a portion without a mark in a portion-marked CUI document.
//!
//! Why: portion marking of CUI is optional, but a document that marks some portions must
//! mark them all (32 CFR 2002.20(f)); an unmarked portion among `(CUI)` and `(U)` ones
//! leaves the reader guessing whether it is controlled. Only portions in the audit's sense
//! are judged (numbered, lettered or bulleted text, sentences of prose; not captions,
//! routing lines or page furniture). A classified document's unmarked portions are DCL001.
//! Reported at the portion.
//!
//! Example:
//! ```text
//! CUI
//! (CUI) Names of the applicants.
//! The meeting is on Tuesday.   <- DCL087
//! ```

use super::{Findings, Rule, Scope};
use crate::audit::first_column;
use crate::audit::view::{Judgement, judge::judge};
use crate::diagnostic::Code;
use crate::document::{InheritedFrom, Origin};

pub const RULE: Rule = Rule {
    code: Code::CuiUnmarkedPortion,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let cui = &facts.view.cui;
    if facts.classified || cui.marks.is_empty() {
        return;
    }
    // An unmarked paragraph under a CUI banner takes the banner's marking (so it is
    // never released as uncontrolled), but it is still unmarked on the page.
    let unmarked = |origin: Origin| {
        matches!(
            origin,
            Origin::None | Origin::Inherited(InheritedFrom::Banner(_))
        )
    };
    for p in doc.paragraphs.iter().filter(|p| unmarked(p.origin)) {
        let line = p.lines.first;
        if cui.indicator.contains(&line) {
            continue;
        }
        let banner = cui.banners.iter().any(|b| b.line == line);
        if judge(doc.line(line), &p.text, banner) == Judgement::Portion {
            out.add(
                line,
                first_column(doc.line(line)),
                "portion has no mark in a portion-marked CUI document".to_string(),
            );
        }
    }
}
