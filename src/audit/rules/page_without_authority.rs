//! DCL091 page-without-authority: a classified newsletter article or web page whose text
//! prints no authority field at all.
//!
//! Why a warning and not DCL030 + DCL040 (errors): a newsletter article (SIDtoday's `Run
//! Date:` routing line) or a web page under a ceiling statement (`DYNAMIC PAGE -- HIGHEST
//! POSSIBLE CLASSIFICATION IS`, a wiki's `The accredited security level of this system
//! is:`) is one item of a publication whose template carries the classification block;
//! most such articles print none, so from the page as extracted nobody can tell whether the
//! block is missing or only not part of the item. The finding stays, as a warning: a page
//! kept as a file of its own still needs its block. It takes the place of DCL030 and DCL040
//! only when the text holds no field of the block at all (no Classified By, Derived From,
//! Declassify On, reason, E.O. line, nor a banner's declassification field); a page that
//! prints part of a block is judged by those rules as any document, so a deleted
//! `Declassify On` under a kept `Derived From` is still an error.
//!
//! Example:
//! ```text
//! DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS
//! TOP SECRET//SI//REL TO USA, FVEY      <- DCL091
//! (U) Title
//! Run Date: 09/15/2009
//! (S//REL) ...
//! ```

use super::{Findings, Rule, Scope, instruction, is_ceiling};
use crate::audit::{Facts, document_location, header_mentions};
use crate::diagnostic::Code;
use crate::document::Document;
use regex::Regex;
use std::sync::LazyLock;

/// Any label of an authority block or an E.O. line, wherever the parser left it.
static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(CLASSIFIED\s+BY|DERIVED\s+FROM|DECLASSIFY\s+ON)\b|E\.\s?[O0]\.?\s*1\d{4}\b")
        .expect("static regex")
});

/// How far down a newsletter's `Run Date:` line may stand: it belongs to the article's
/// heading (title, `FROM:`, author), not to its body.
const RUN_DATE_WITHIN: usize = 40;

pub const RULE: Rule = Rule {
    code: Code::PageWithoutAuthority,
    check,
};

/// Is `doc` a classified newsletter article or web page that prints no field of an
/// authority block? DCL030 and DCL040 leave such a document to this rule.
pub(super) fn applies(doc: &Document, facts: &Facts<'_>) -> bool {
    facts.classified
        && facts.view.authority.first_line().is_none()
        && doc.header.classified_by.is_none()
        && doc.header.authority.is_empty()
        && doc.header.eo.is_none()
        && instruction(doc).is_none()
        && !header_mentions(doc, &MENTION)
        && is_page(doc, facts)
}

/// A newsletter article or a web page: a `Run Date:` line in its heading, or a banner
/// that is a ceiling statement.
fn is_page(doc: &Document, facts: &Facts<'_>) -> bool {
    let run_date = doc.lines.iter().take(RUN_DATE_WITHIN).any(|l| {
        let t = l.trim_start().as_bytes();
        t.len() >= 9 && t[..9].eq_ignore_ascii_case(b"run date:")
    });
    run_date
        || doc
            .header
            .banner
            .iter()
            .map(|b| b.line)
            .chain(facts.view.banners.iter().map(|b| b.line))
            .any(|line| is_ceiling(doc, line))
}

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    if !applies(doc, facts) {
        return;
    }
    let (line, column) = document_location(doc);
    out.add(
        line,
        column,
        "newsletter article or web page prints no authority block (Classified By or Derived From, Declassify On): check the publication's block",
    );
}

#[cfg(test)]
mod tests {
    use crate::audit::audit_text;
    use crate::diagnostic::Code;

    fn codes(text: &str) -> Vec<(Code, usize)> {
        audit_text(text)
            .into_iter()
            .filter(|d| {
                matches!(
                    d.code,
                    Code::PageWithoutAuthority
                        | Code::MissingAuthority
                        | Code::MissingDeclassification
                )
            })
            .map(|d| (d.code, d.line))
            .collect()
    }

    const PAGE: &str = "DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS\n\
        TOP SECRET//SI//REL TO USA, FVEY\n\n(U) Our Partners\n\nRun Date: 09/15/2009\n\n\
        (S//REL) The partners share the work.\n\n";

    #[test]
    fn an_article_without_any_block_is_a_warning() {
        assert_eq!(codes(PAGE), [(Code::PageWithoutAuthority, 2)]);
    }

    #[test]
    fn a_page_with_part_of_a_block_is_judged_as_any_document() {
        let text = format!("{PAGE}Derived From: NSA/CSSM 1-52\n");
        let found = codes(&text);
        assert!(
            found.iter().all(|(c, _)| *c != Code::PageWithoutAuthority),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(c, _)| *c == Code::MissingDeclassification),
            "{found:?}"
        );
    }

    #[test]
    fn a_memo_without_a_block_keeps_its_errors() {
        let found = codes("SECRET//NOFORN\n\nMEMORANDUM\n\n1. (S//NF) The plan.\n\n");
        assert!(
            found.contains(&(Code::MissingAuthority, 1))
                && found.contains(&(Code::MissingDeclassification, 1))
                && found.iter().all(|(c, _)| *c != Code::PageWithoutAuthority),
            "{found:?}"
        );
    }
}
