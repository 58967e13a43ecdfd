//! DCL088 cui-unknown-control: a CUI banner part that is neither a category nor a
//! limited dissemination control of the CUI Registry.
//!
//! Why: the parts after `CUI//` are categories (`SP-PRVCY`) and limited dissemination
//! controls (`NOFORN`, `FED ONLY`, `FEDCON`, `NOCON`, `DL ONLY`, `REL TO`, `DISPLAY ONLY`,
//! `ATTORNEY-CLIENT`, `ATTORNEY-WP`); anything else is a typo or an agency's own control
//! that readers elsewhere will not honour. A warning: the Registry grows, and an agency
//! may know a category this list does not. Reported at the banner line.
//!
//! Example:
//! ```text
//! CUI//FED CONTRACTORS   <- DCL088
//! ```

use super::{Findings, Rule, Scope};
use crate::audit::short;
use crate::audit::view::cui::known_part;
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::CuiUnknownControl,
    check,
};

fn check(Scope { facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    for b in &facts.view.cui.banners {
        for part in b.parts.iter().filter(|p| !known_part(p)) {
            out.add(
                b.line,
                b.column,
                format!(
                    "CUI banner part {} is no category or limited dissemination control",
                    short(part)
                ),
            );
        }
    }
}
