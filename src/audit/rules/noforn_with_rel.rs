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

use super::{Findings, Rule, Scope, is_noforn, shown};
use crate::audit::document_location;
use crate::diagnostic::Code;
use crate::marking::{ControlKind, Marking};

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

pub const RULE: Rule = Rule {
    code: Code::NofornWithRel,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    for p in &facts.portions {
        if is_noforn(p.marking)
            && let Some(release) = release_control(p.marking)
        {
            let message = format!(
                "{} {} combines NOFORN with {release}",
                p.label,
                shown(p.marking)
            );
            out.add(p.line, p.column, message);
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
        out.add(line, column, message);
    }
}
