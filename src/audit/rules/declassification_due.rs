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

use super::instruction;
use crate::audit::{AuditContext, Facts, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;

pub struct DeclassificationDue;

impl Rule for DeclassificationDue {
    fn code(&self) -> Code {
        Code::DeclassificationDue
    }

    fn check(
        &self,
        doc: &Document,
        facts: &Facts<'_>,
        ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(at) = instruction(doc) else { return };
        let Some(decl) = at.declassify.date else {
            return;
        };
        if decl >= ctx.as_of || !facts.classified {
            return;
        }
        let (line, column) = (at.line, at.column);
        out.push(Diagnostic::new(
            self.code(),
            line,
            column,
            format!(
                "declassification date {decl} has passed (as of {}): due for declassification review",
                ctx.as_of
            ),
        ));
    }
}
