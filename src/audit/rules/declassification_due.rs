//! DCL043 declassification-due: the declassification date of a classified document has
//! passed as of `--as-of` (default: today).
//!
//! Why: information is declassified on its date unless someone extends it; a document
//! past its date is due for declassification review, which is the first job of a
//! reviewer working through an archive. Info, not a defect of the document. The
//! instruction is the one release reads ([`Document::declassify`]): the E.O. line's, else
//! an authority block's `Declassify On`, else a banner's declassification field.
//!
//! Example:
//! ```text
//! C O N F I D E N T I A L PRAGUE 000486
//! E.O. 12958: DECL: 05/02/2017   <- DCL043 with --as-of 2026-01-01
//! ```

use super::{Findings, Rule, Scope, instruction};
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::DeclassificationDue,
    check,
};

fn check(Scope { doc, facts, ctx }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(at) = instruction(doc) else { return };
    let Some(decl) = at.declassify.date else {
        return;
    };
    if decl >= ctx.as_of || !facts.classified {
        return;
    }
    let (line, column) = (at.line, at.column);
    out.add(
        line,
        column,
        format!(
            "declassification date {decl} has passed (as of {}): due for declassification review",
            ctx.as_of
        ),
    );
}
