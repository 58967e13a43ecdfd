//! Where the document's banner stands, for the header scanner ([`super::scanner`]): the
//! first classification line near the top that no portion, running prose, later page or
//! page foot comes before. Everything above the line found is header text, released as the
//! header is, so the search stops wherever the text above would be body instead.

use super::scanner::Scanner;
use super::*;
use crate::marking::Level;
use crate::parse::furniture;

/// How many non-blank lines (archive ids, scanner noise) may stand above a banner read
/// among OCR specks for it to be the document's banner.
const SPECKS_ABOVE: usize = 3;

impl Scanner<'_> {
    /// The banner: the first classification line with a post and serial or a section, or
    /// else the first classification line, within the first lines and before the body.
    pub(super) fn find_banner(&self, from: usize) -> Option<(usize, BannerLine)> {
        let mut fallback = None;
        // The highest level of a stamp passed over among specks: no line of a lower level
        // further down is the banner (`UNCLASSIFIED` under a `SECRET` stamp the search
        // skipped would make everything above it header text, and lower the rest).
        let mut passed: Option<Level> = None;
        let end = self.lines.len().min(from + BANNER_WINDOW);
        for k in from..end {
            let line = &self.lines[k];
            // Nothing after a portion is the banner: the lines above it would be read as
            // header text and released as the header is. Nor after a paragraph of running
            // prose, two lines of it wrapped (`The source reports that two launches left
            // the northern harbour` / `carrying rifles for …`, a scan's first page above a
            // banner printed lower down): prose is body, where an unmarked line of a
            // classified document is withheld. (An archive's one-line note, `This record is
            // a partial extract of the original cable. …`, is not a paragraph.)
            // Nor past the number of a later page: a document's header is on its first
            // page, and what stands on a later page above a banner printed lower down (a
            // scan's stamps, a file number, a distribution line) is that page's text.
            if is_body_start(line)
                || is_subject(line)
                || self.prose_paragraph(k)
                || furniture::later_page_number(line.trim())
            {
                break;
            }
            // The line read as a banner: alone on its line (`plain`), or glued to fields
            // or embedded in a line, which is the banner at once.
            let found = match banner_grammar::parse_line(line) {
                Some(b) => Some((b, true)),
                None => banner_grammar::parse_glued(line)
                    .map(|(b, _)| b)
                    .or_else(|| banner_grammar::find_embedded(line))
                    .map(|b| (b, false)),
            };
            let Some((b, plain)) = found else {
                continue;
            };
            if passed.is_some_and(|p| b.marking.level < p) {
                break;
            }
            if !plain || b.serial.is_some() || b.section.is_some() {
                return Some((k, b));
            }
            // A stamp read among OCR specks is the banner only near the top: the lines
            // above a banner are header text, released as the header is, and a stamp
            // further down is a page's foot.
            let above = (from..k)
                .filter(|&j| !self.lines[j].trim().is_empty())
                .count();
            if b.specks && above > SPECKS_ABOVE {
                passed = passed.max(Some(b.marking.level));
                continue;
            }
            // Nor is a page's foot: a classification line that ends its page with text
            // above it (a scan whose top stamp OCR lost, `SECRET` under the cable's last
            // line) closes that text; taken for the banner, everything above it would be
            // header text, released as the header is. The page is body then, withheld
            // where unmarked in a classified document. The search ends there: a line
            // further down (`UNCLASSIFIED` on the next page) taken for the banner would
            // make all of it header text, and lower the rest.
            if above > SPECKS_ABOVE && furniture::ends_page(self.lines.iter().skip(k + 1)) {
                break;
            }
            fallback.get_or_insert((k, b));
        }
        fallback
    }

    /// Do line `k` and the next both read as running prose (a wrapped paragraph)? In
    /// capitals, which have no lower-case words to count (a scan's cable text, its top
    /// stamp lost): a sentence (`caps_sentence`) with a line of text next to it, above
    /// or below (`THE ASSET SAID HE WOULD TRAVEL TO HAVANA` / `ON FRIDAY WITH THE PLANS.`).
    /// A one-line note alone between blanks is no paragraph.
    fn prose_paragraph(&self, k: usize) -> bool {
        let prose = |j: usize| {
            self.lines
                .get(j)
                .is_some_and(|l| lower_case_prose_words(l) >= PROSE_WORDS)
        };
        if prose(k) && prose(k + 1) {
            return true;
        }
        let text = |j: usize| {
            self.lines.get(j).is_some_and(|l| {
                !l.trim().is_empty()
                    && banner_grammar::parse_line(l).is_none()
                    && banner_grammar::parse_glued(l).is_none()
            })
        };
        caps_sentence(&self.lines[k]) && (text(k + 1) || (k > 0 && text(k - 1)))
    }

    /// A banner wrapped onto the next line (`TOP SECRET // SI-GAMMA / TALENT KEYHOLE //
    /// ORCON /` over `PROPIN / RELIDO/ REL TO USA, FVEY *`, a system's accreditation line):
    /// the line ends in a separator and the two read as one banner of the same level with
    /// every control known. A footnote star after the controls is dropped.
    pub(super) fn wrapped_banner(&self, at: usize, first: &BannerLine) -> Option<BannerLine> {
        let head = self.lines[at].trim();
        let next = self.lines.get(at + 1)?.trim().trim_end_matches(['*', ' ']);
        if !head.ends_with('/') || next.is_empty() || next.starts_with('(') {
            return None;
        }
        let b = banner_grammar::parse_line(&format!("{head} {next}"))?;
        (b.marking.level == first.marking.level
            && b.marking.unknown.is_empty()
            && b.serial.is_none()
            && b.marking.controls.len() > first.marking.controls.len())
        .then_some(b)
    }
}
