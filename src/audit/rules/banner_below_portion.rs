//! DCL010 banner-below-portion: the banner's level is below the highest portion.
//!
//! Why: the banner is what a reader and every downstream system see first; a banner
//! below its most restrictive portion under-classifies the whole document (32 CFR
//! 2001.21(b)). Unreadable marks and unmarked paragraphs do not take part: they are
//! reported by the parser (DCL003, DCL001) and would otherwise count as TS or U.
//!
//! Example:
//! ```text
//! C O N F I D E N T I A L PRAGUE 000123
//! 1. (S) ...        <- DCL010 at the banner: banner CONFIDENTIAL, ¶1 (S)
//! ```

use super::{Findings, Rule, Scope};
use crate::audit::document_location;
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::BannerBelowPortion,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(cmp) = &facts.comparison else { return };
    let banner = cmp.banner.marking.level;
    if cmp.rolled.level <= banner {
        return;
    }
    let Some(highest) = facts
        .portions
        .iter()
        .find(|p| p.marking.level == cmp.rolled.level)
    else {
        return;
    };
    let (line, column) = document_location(doc);
    out.add_with_fix(
        line,
        column,
        format!(
            "banner {} is below {} {} (line {}); the banner must be at least {}",
            banner.title(),
            highest.label,
            super::shown(highest.marking),
            highest.line,
            cmp.rolled.level.title()
        ),
        cmp.rolled.level.title(),
    );
}

#[cfg(test)]
mod tests {
    use crate::audit::audit_text;
    use crate::diagnostic::Code;

    fn below(text: &str) -> usize {
        audit_text(text)
            .iter()
            .filter(|d| d.code == Code::BannerBelowPortion)
            .count()
    }

    #[test]
    fn a_form_fields_value_is_no_banner() {
        // A record sheet extracted column by column: labels, then their values.
        let form = "AGENCY :\nRECORD NUMBER :\n\nCLASSIFICATION :\nRESTRICTIONS :\n\
                    CURRENT STATUS :\n\nHSCA\n180-10141-10232\n\nUnclassified\n1A; 1B\nRedact\n\n\
                    SECRET\n\n1. (S) The memo itself.\n";
        assert_eq!(below(form), 0);
        // An e-mail's label with its banner under it is a banner, and judged.
        let email = "Classification:\nUNCLASSIFIED\n\n1. (S) Text.\n";
        assert_eq!(below(email), 1);
        assert_eq!(below("UNCLASSIFIED\n\n1. (S) Text.\n"), 1);
    }
}
