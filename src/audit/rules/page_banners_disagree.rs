//! DCL089 page-banners-disagree: the head and foot banners of one page carry different
//! levels.
//!
//! Why: the top and bottom banners of a page both carry the page's classification (32 CFR
//! 2001.20); two levels on one page is a marking error whichever is right. A lowered page
//! foot is framed by the same portions as the page head, so the framing rule (DCL082) only
//! sees it when a portion above it stands on the page; comparing the banners against each
//! other sees it always. The parser turns form feeds into blanks, so pages are read from
//! the banners themselves: banner lines with nothing but blanks or short furniture (page
//! and document numbers) between them are one page's foot and the next page's head, and a
//! page runs from a head to the next foot, unless a page break stands between them: a page
//! heading (`## Page 7`, as Markdown extractions print page breaks) or a page-break line
//! of the model (`BAKU 00001771 002 OF 003`). pdftotext's form feeds would be the surest
//! break, but the model keeps none (see [`View::page_breaks`](crate::audit::view::View)). Banners of different
//! pages are not compared: an interior page may rightly carry a lower level than the
//! first. Ceiling statements and
//! e-mail `Classification:` lines are not page banners, nor are level words that frame
//! no marked portion or that start right of a page's centre (the cells of a
//! classification guide's table).
//!
//! Example:
//! ```text
//! TOP SECRET//SI//NOFORN
//! (S//SI) Text.
//! SECRET//SI//NOFORN        <- DCL089: below TOP SECRET at line 1, same page
//! TOP SECRET//SI//NOFORN
//! ```

use super::{Findings, Rule, Scope, is_ceiling};
use crate::audit::view::BannerPlace;
use crate::diagnostic::Code;
use crate::marking::Level;

/// The last column a page banner starts at. pdftotext keeps the page's layout: a banner is
/// centred on a page 80 to 100 columns wide, so it starts before column 50; a level word
/// further right is a cell of a table (a classification guide's `Classification` column).
const CENTRE: usize = 50;

/// Page furniture between a page's foot banner and the next page's head banner: a blank
/// line, a page number or a document number (short, no portion mark, no sentence).
fn is_furniture(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || (t.len() <= 24 && !t.contains('(') && t.split_whitespace().count() <= 4)
}

pub const RULE: Rule = Rule {
    code: Code::PageBannersDisagree,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    // (line, column, level) of each page banner line: the view's, and the parser's own
    // banner when the view could not read that line (OCR damage the parser repairs,
    // `T OP SECRET//SII/NOF ORN`).
    let mut banners: Vec<(usize, usize, Level)> = facts
        .view
        .banners
        .iter()
        .filter(|b| b.place == BannerPlace::Line && b.column <= CENTRE && !is_ceiling(doc, b.line))
        .map(|b| (b.line, b.column, b.marking.level))
        .collect();
    if let Some(h) = &doc.header.banner
        && !banners.iter().any(|b| b.0 == h.line)
        && !is_ceiling(doc, h.line)
    {
        let at = banners.partition_point(|b| b.0 < h.line);
        let column = crate::audit::first_column(doc.line(h.line));
        banners.insert(at, (h.line, column, h.marking.level));
    }
    // One level throughout, the common case, needs no pages.
    if banners.windows(2).all(|w| w[0].2 == w[1].2) {
        return;
    }
    // A page runs from the last banner line of one run of banners (lines with nothing
    // but blanks or short furniture between them: a page foot and the next page's
    // head) to the first of the next run.
    let runs: Vec<&[(usize, usize, Level)]> = banners
        .chunk_by(|a, b| (a.0 + 1..b.0).all(|l| is_furniture(doc.line(l))))
        .collect();
    let mut reported = Vec::new();
    for pair in runs.windows(2) {
        let (Some(&head), Some(&foot)) = (pair[0].last(), pair[1].first()) else {
            continue;
        };
        // A page break between them (a page heading `## Page 7`, as Markdown
        // extractions print them, or a page line of the model) puts them on
        // different pages.
        if facts.view.page_break_between(doc, head.0, foot.0) {
            continue;
        }
        // A page holds a marked portion: level words standing between rows of a
        // classification guide's table frame none, and are not page banners.
        if !facts
            .view
            .marked()
            .any(|(p, _)| p.line > head.0 && p.line < foot.0)
        {
            continue;
        }
        let (high, low) = if head.2 > foot.2 {
            (head, foot)
        } else if foot.2 > head.2 {
            (foot, head)
        } else {
            continue;
        };
        // A page foot that is also the next page's head is reported once.
        if reported.contains(&low.0) {
            continue;
        }
        reported.push(low.0);
        out.add_with_fix(
            low.0,
            low.1,
            format!(
                "banner {} is below the banner {} at line {} of the same page",
                low.2.title(),
                high.2.title(),
                high.0
            ),
            high.2.title(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;

    fn lines(text: &str) -> Vec<usize> {
        crate::audit::lines_of(text, Code::PageBannersDisagree)
    }

    #[test]
    fn a_lowered_page_foot_is_reported_and_a_lower_interior_page_is_not() {
        let body = "(S//SI) The first page holds secret text of some length here.\n\n";
        let lowered = format!(
            "TOP SECRET//SI//NOFORN\n\n{body}SECRET//SI//NOFORN\n\u{c}TOP SECRET//SI//NOFORN\n\n\
             (TS//SI//NF) The second page holds top secret text of some length.\n\n\
             TOP SECRET//SI//NOFORN\n"
        );
        assert_eq!(lines(&lowered), [5]);
        // Each page banner at its own page's level: legal (32 CFR 2001.20(c)).
        let interior = format!(
            "TOP SECRET//SI//NOFORN\n\n(TS//SI//NF) The first page holds top secret text.\n\n\
             TOP SECRET//SI//NOFORN\n\u{c}SECRET//SI\n\n{body}SECRET//SI\n"
        );
        assert_eq!(lines(&interior), Vec::<usize>::new());
        // A Markdown page heading between head and foot: two pages, not compared.
        let two_pages = "SECRET\n\n(S) The first page holds secret text of some length.\n\n\
             ## Page 2\n\n(C) The second page holds confidential text only.\n\nCONFIDENTIAL\n";
        assert_eq!(lines(two_pages), Vec::<usize>::new());
        // A page line of the model between the head of one page and the head of the
        // next (no foot banners): two pages, not compared.
        let page_line = "TOP SECRET//SI\n\n(TS//SI) The first page holds top secret text here.\n\n\
             BAKU 00001771 002 OF 003\n\nSECRET//SI\n\n(S//SI) The second page holds secret text.\n\n\
             SECRET//SI\n";
        let doc = crate::parse::parse_str(page_line).expect("parses");
        assert!(
            doc.elements
                .iter()
                .any(|e| e.kind == crate::document::ElementKind::PageBreak && e.lines.first == 5)
        );
        assert_eq!(lines(page_line), Vec::<usize>::new());
    }
}
