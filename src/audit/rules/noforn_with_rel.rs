//! DCL020 noforn-with-rel: NOFORN on the same marking as REL TO, RELIDO, EYES ONLY or
//! DISPLAY ONLY.
//!
//! Why: NOFORN forbids foreign release and a release list permits it; the marking
//! contradicts itself and a reader cannot tell which was meant (CAPCO Register H.9).
//! Checked on every portion and on the banner.
//!
//! Example:
//! ```text
//! 3. (S/NF/REL PANAMA) ...   <- DCL020
//! ```

use super::{is_noforn, shown};
use crate::audit::{AuditContext, Facts, Rule, document_location};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::marking::{ControlKind, Marking};

pub struct NofornWithRel;

fn release_control(m: &Marking) -> Option<&'static str> {
    [
        ControlKind::RelTo,
        ControlKind::Relido,
        ControlKind::Eyes,
        ControlKind::DisplayOnly,
    ]
    .into_iter()
    .find(|k| m.has(*k))
    .map(ControlKind::name)
}

impl Rule for NofornWithRel {
    fn code(&self) -> Code {
        Code::NofornWithRel
    }

    fn check(
        &self,
        doc: &Document,
        facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        for p in &facts.portions {
            if is_noforn(p.marking)
                && let Some(release) = release_control(p.marking)
            {
                let message = format!(
                    "{} {} combines NOFORN with {release}",
                    p.label,
                    shown(p.marking)
                );
                out.push(Diagnostic::new(self.code(), p.line, p.column, message));
            }
        }
        if let Some(b) = &doc.header.banner
            && is_noforn(&b.marking)
            && let Some(release) = release_control(&b.marking)
        {
            let (line, column) = document_location(doc);
            let message = format!(
                "banner {} combines NOFORN with {release}",
                b.marking.banner()
            );
            out.push(Diagnostic::new(self.code(), line, column, message));
        }
    }
}
