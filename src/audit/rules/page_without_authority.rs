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
//! The same holds for two other cases where the missing line is the larger document's,
//! not the file's:
//! - *an excerpt* ([`excerpt`]): a text whose first marked portion is a later item of a
//!   list (`b. (U) …`, `21. (U) …`), with no memo subject above it, holds pages from
//!   inside a document, and the block stands on its first page (32 CFR 2001.21(a)). One
//!   warning at that portion in place of DCL030, only when the text prints no field of a
//!   block. DCL040 stays: until 2008 a banner on every page could carry the
//!   declassification value, so pages without any may lack it;
//! - *a document dated before E.O. 11652 took effect* (1 June 1972): the order's
//!   directive first asked that the classifier be named on the document; an older
//!   classified document with no Classified By is a warning in place of DCL030
//!   ([`super::missing_authority::predates_block`]). DCL040 stays: E.O. 10501 asked for
//!   a downgrading group;
//! - *a newsletter article without a banner*: DCL091 in place of DCL005 (the parser's
//!   "no classification line"), [`NO_BANNER`]; the banner is the page template's.
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
    // The answer depends on the document and its facts only: worked out once.
    *facts
        .page_without_authority
        .get_or_init(|| applies_to(doc, facts))
}

fn applies_to(doc: &Document, facts: &Facts<'_>) -> bool {
    facts.classified
        && facts.view.authority().first_line().is_none()
        && doc.header.classified_by.is_none()
        && doc.header.authority.is_empty()
        && doc.header.eo.is_none()
        && instruction(doc).is_none()
        && !header_mentions(doc, &MENTION)
        && is_page(doc, facts)
}

/// A list label that is not a list's first (`b.`, `K,` as OCR leaves `K.`, `21.`): not
/// `a`, `A`, nor `i`/`I` (a roman one), nor `1`.
static LATER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[B-HJ-Zb-hj-z][.,]|(?:[2-9]|[1-9]\d{1,2})[.)])\s+\(").expect("static regex")
});

/// Does the text open inside a document: its first marked portion a later item of a
/// list (`b. (U) …`, `K. (S//SI//REL) …`, `21. (U) …`) among its first lines, with no
/// memo subject above it?
/// Then the file holds pages from the middle of a document (a classification guide's
/// table as a newspaper published it), and the first page, where the authority block
/// stands (32 CFR 2001.21(a): on the face of the document), is not part of it. Returns
/// the portion's line.
pub(crate) fn excerpt(doc: &Document) -> Option<usize> {
    if doc.header.subject.is_some() {
        return None;
    }
    let first = doc
        .paragraphs
        .iter()
        .find(|p| p.origin == crate::document::Origin::Explicit)?;
    // At the top of the text: deep in a long file a later item is no sign of a cut.
    let above = (1..first.lines.first)
        .filter(|&l| !doc.line(l).trim().is_empty())
        .count();
    (above < EXCERPT_TOP && LATER_LABEL.is_match(doc.line(first.lines.first).trim_start()))
        .then_some(first.lines.first)
}

/// How many lines of text may stand above an excerpt's first marked portion (banners, a
/// table's header, the tail of a row cut at the page above).
const EXCERPT_TOP: usize = 10;

/// Is `doc` a classified excerpt ([`excerpt`]) that prints no field of an authority block
/// (a banner's declassification field may stand)? DCL030 leaves it to this rule. Returns
/// the first portion's line.
pub(super) fn excerpt_applies(doc: &Document, facts: &Facts<'_>) -> Option<usize> {
    if !facts.classified
        || facts.view.authority().first_line().is_some()
        || doc.header.classified_by.is_some()
        || !doc.header.authority.is_empty()
        || applies(doc, facts)
    {
        return None;
    }
    excerpt(doc)
}

/// A newsletter article or a web page: a `Run Date:` line in its heading, or a banner
/// that is a ceiling statement.
fn is_page(doc: &Document, facts: &Facts<'_>) -> bool {
    is_article(doc)
        || doc
            .header
            .banner
            .iter()
            .map(|b| b.line)
            .chain(facts.view.banners.iter().map(|b| b.line))
            .any(|line| is_ceiling(doc, line))
}

/// A newsletter article: a `Run Date:` line in its heading. Such an article printed
/// without its page's banner (SIDtoday's `DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION
/// IS` header, not part of the article as extracted) gets [`NO_BANNER`] in place of
/// DCL005 ([`crate::audit::precision::refine`]): the banner is the page template's, as
/// the block is.
pub(crate) fn is_article(doc: &Document) -> bool {
    doc.lines.iter().take(RUN_DATE_WITHIN).any(|l| {
        let t = l.trim_start().as_bytes();
        t.len() >= 9 && t[..9].eq_ignore_ascii_case(b"run date:")
    })
}

/// The DCL091 message for a newsletter article that prints no classification line.
pub(crate) const NO_BANNER: &str = "newsletter article prints no classification line (banner): check the banner of the publication's page";

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    if let Some(line) = excerpt_applies(doc, facts) {
        out.add(
            line,
            crate::audit::first_column(doc.line(line)),
            "text opens inside a document (a later item of a list) and prints no Classified By or Derived From: check the block on the document's first page",
        );
        return;
    }
    if let Some(((line, column), (year, month))) =
        super::missing_authority::predates_block(doc, facts)
    {
        let dated = if month == 0 {
            format!("{year}")
        } else {
            format!("{year}-{month:02}")
        };
        out.add(
            line,
            column,
            format!(
                "classified document dated {dated}, before E.O. 11652 took effect (1 June 1972): no Classified By line was asked of it (check its date)"
            ),
        );
        return;
    }
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
    fn an_excerpt_opening_inside_a_document_is_a_warning() {
        let excerpt = "SECRET//REL TO USA, FVEY//20291123\n\n\
            K. (S//REL) The fact of the presence at these sites is classified.\n\n\
            (U) Bad Aibling, Germany\n";
        assert_eq!(codes(excerpt), [(Code::PageWithoutAuthority, 3)]);
        // The first item of a list: a document of its own, its block missing.
        let whole = excerpt.replace("K. (S//REL)", "A. (S//REL)");
        let found = codes(&whole);
        assert!(
            found.contains(&(Code::MissingAuthority, 1))
                && found.iter().all(|(c, _)| *c != Code::PageWithoutAuthority),
            "{found:?}"
        );
        // A memo's subject above a later paragraph: no excerpt.
        let memo = "SECRET\n\nSUBJECT: (U) Plans\n\n2. (S) The plan.\n";
        assert!(
            codes(memo).contains(&(Code::MissingAuthority, 1)),
            "{:?}",
            codes(memo)
        );
    }

    #[test]
    fn an_article_without_a_banner_is_a_warning() {
        let article = "(U) Our Partners\n\nFROM: the team\nRun Date: 09/15/2009\n\n\
            (S) The partners share the work.\n";
        let found = audit_text(article);
        assert!(
            found.iter().all(|d| d.code != Code::MissingBanner
                && d.severity() != crate::diagnostic::Severity::Error),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|d| d.code == Code::PageWithoutAuthority && d.message == super::NO_BANNER),
            "{found:?}"
        );
        // Not an article: the missing banner stays an error.
        let memo = article.replace("Run Date: 09/15/2009", "Dated 09/15/2009");
        assert!(
            audit_text(&memo)
                .iter()
                .any(|d| d.code == Code::MissingBanner),
            "{:?}",
            audit_text(&memo)
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
