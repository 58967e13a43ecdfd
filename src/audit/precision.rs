//! Refines what the parser reported before the rules add theirs: `parser findings ──▶
//! audit findings`.
//!
//! The parser reports every unmarked run of text of a classified document (DCL001, DCL007)
//! and a missing banner (DCL005) from what its model holds. The audit knows more through
//! its [`View`]: which runs are portions at all ([`judge`](super::view::judge)), and the
//! banner lines a memo or a pdftotext dump carries at the top and bottom of each page.
//! A definite portion stays an error; a definite non-portion is dropped; what cannot be
//! told apart becomes DCL080 (warning). A classified document that is not portion-marked
//! (no readable mark, or fewer marks than unmarked portions) is one DCL081 at its first
//! line, not one error per paragraph.

use super::remnant;
use super::view::judge::{FRAGMENT, is_furniture, judge, judge_text};
use super::view::{Judgement, View};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Document, InheritedFrom, Origin, Paragraph};
use std::borrow::Cow;

/// Returns the parser's findings about `doc` as the audit reports them.
pub fn refine(doc: &Document, view: &View<'_>, parsed: &[Diagnostic]) -> Vec<Diagnostic> {
    // Read once, when an item under an unclassified lead-in first asks (a scan of every
    // paragraph's mark, not to be repeated per finding).
    let classified = std::cell::OnceCell::new();
    // Where an excerpt's first marked portion stands, read once when first asked.
    let excerpt = std::cell::OnceCell::new();
    // The words of the short marked paragraphs, gathered when a fragment first asks.
    let twins = std::cell::OnceCell::new();
    let judged: Vec<Option<Judgement>> = parsed
        .iter()
        .map(|d| {
            if !matches!(d.code, Code::UnmarkedParagraph | Code::UnmarkedHeading) {
                return None;
            }
            let p = paragraph_at(doc, d.line)?;
            let judged = judge_run(doc, view, d.line, p.lines.last);
            if judged == Judgement::NotPortion(FRAGMENT)
                && d.code == Code::UnmarkedParagraph
                && marked_twin(doc, p, &twins)
            {
                return Some(Judgement::Ambiguous(MARKED_TWIN));
            }
            if matches!(judged, Judgement::Portion | Judgement::Ambiguous(_))
                && let Some(lead_in) = under_lead_in(doc, d.line)
            {
                // Under an unclassified lead-in in a classified document an item does not
                // take the lead-in's mark: the release withholds it as unmarked (it may be
                // the classified part), so the writer is told to mark it.
                let unclassified_lead = lead_in
                    .marking
                    .as_ref()
                    .is_none_or(|m| !m.level.is_classified());
                return Some(
                    if unclassified_lead && *classified.get_or_init(|| doc.is_classified()) {
                        Judgement::Ambiguous(UNDER_U_LEAD_IN)
                    } else {
                        Judgement::NotPortion(UNDER_LEAD_IN)
                    },
                );
            }
            if judged == Judgement::Portion {
                if continues_open_sentence(doc, view, d.line) {
                    return Some(Judgement::Ambiguous(OPEN_SENTENCE));
                }
                if let Some(why) = remnant_of(doc, view, d.line, &excerpt) {
                    return Some(Judgement::Ambiguous(why));
                }
            }
            Some(judged)
        })
        .collect();
    // A document with more unmarked portions than marked ones is not portion-marked (older
    // than portion marking, or marked as a whole): one finding, not one per paragraph.
    let marked = view.marked().count();
    // A run read as the rest of an open sentence, a wrapped cell, an excerpt's tail or a
    // cover sheet's entry still counts here: whether the document is portion-marked does
    // not turn on how its split portions are judged.
    let unmarked = judged
        .iter()
        .filter(|j| {
            matches!(
                j,
                Some(Judgement::Portion | Judgement::Ambiguous(OPEN_SENTENCE))
            ) || matches!(j, Some(Judgement::Ambiguous(why)) if remnant::ALL.contains(why))
        })
        .count();
    let fold = unmarked > 0 && (marked == 0 || marked < unmarked);
    // A memo's numbered paragraphs are portion-marked when most of them print a mark: an
    // unmarked one among them lacks its mark even where the document as a whole reads as
    // not portion-marked (routing slips and form fields around the numbered body). Not
    // when as many are unmarked (the numbered steps of a procedure under one marked
    // heading).
    let (marked_numbers, unmarked_numbers) = doc
        .paragraphs
        .iter()
        .filter(|p| p.number.is_some())
        .fold((0, 0), |(m, u), p| match p.origin {
            Origin::Explicit => (m + 1, u),
            Origin::None => (m, u + 1),
            _ => (m, u),
        });
    let numbered_marked = marked_numbers > unmarked_numbers;
    // And only beside a marked numbered paragraph (the one before or after it).
    let numbered: Vec<&Paragraph> = doc
        .paragraphs
        .iter()
        .filter(|p| p.number.is_some())
        .collect();
    let among_marked = |d: &Diagnostic| {
        let Some(i) = numbered.iter().position(|p| p.lines.first == d.line) else {
            return false;
        };
        let marked = |j: usize| {
            numbered
                .get(j)
                .is_some_and(|p| p.origin == Origin::Explicit)
        };
        numbered_marked && ((i > 0 && marked(i - 1)) || marked(i + 1))
    };
    let mut out = Vec::with_capacity(parsed.len());
    for (d, judgement) in parsed.iter().zip(&judged) {
        match (d.code, judgement) {
            (Code::UnmarkedHeading, Some(Judgement::NotPortion(FRAGMENT))) if !fold => {
                out.push(d.clone());
            }
            (_, Some(Judgement::NotPortion(_) | Judgement::Marked)) => {}
            (_, Some(j)) if fold && !(*j == Judgement::Portion && among_marked(d)) => {}
            (Code::UnmarkedHeading, _) => out.push(d.clone()),
            (_, Some(Judgement::Portion)) => {
                let last = paragraph_at(doc, d.line).map(|p| p.lines.last);
                let start = last.map_or(d.line, |last| run_start(doc, view, d.line, last));
                let mut moved = if start == d.line {
                    relocate(doc, view, d)
                } else {
                    let mut moved = d.clone();
                    moved.line = start;
                    moved.column = crate::audit::first_column(doc.line(start));
                    moved
                };
                if let Some(line) = last.and_then(|last| prose_start(doc, moved.line, last)) {
                    moved.line = line;
                    moved.column = crate::audit::first_column(doc.line(line));
                }
                out.push(moved);
            }
            (_, Some(Judgement::Ambiguous(why))) => {
                let line = paragraph_at(doc, d.line)
                    .map_or(d.line, |p| run_start(doc, view, d.line, p.lines.last));
                let column = if line == d.line {
                    d.column
                } else {
                    crate::audit::first_column(doc.line(line))
                };
                out.push(Diagnostic::new(
                    Code::UnmarkedText,
                    line,
                    column,
                    format!("unmarked text, {why}: mark it if it is a portion"),
                ));
            }
            (Code::UnmarkedSubject, _) => out.extend(super::subject::refine(doc, d)),
            (Code::MissingBanner, _)
                if !view.banners.is_empty() || !view.cui.banners.is_empty() => {}
            // A newsletter article without its page's banner: DCL091 (warning) says so.
            (Code::MissingBanner, _) if super::rules::is_article(doc) => out.push(Diagnostic::new(
                Code::PageWithoutAuthority,
                d.line,
                d.column,
                super::rules::NO_BANNER,
            )),
            // `(CUI)` is the CUI program's canonical portion mark, not a legacy `(U//CUI)`.
            (Code::LegacyMarking, _) if is_cui_mark(doc, d) => {}
            _ => out.push(d.clone()),
        }
    }
    if fold {
        out.push(Diagnostic::new(
            Code::NoPortionMarks,
            1,
            1,
            format!(
                "classified document not portion-marked: {unmarked} unmarked portions, \
                 {marked} readable marks; every unmarked paragraph is withheld"
            ),
        ));
    }
    out
}

/// The parser's findings, with those it could not make added: the parser reports unmarked
/// portions only in a document it reads as classified (its first banner, a section banner
/// or a classified mark). The audit also reads a document as classified from a banner
/// the parser does not hold (a page foot, a second page's head: the [`View`]'s banners),
/// and such a document is not released as unclassified because its first lines lack a
/// banner. Its unmarked portions, and those that took an unclassified first banner's
/// level, are then reported as the parser reports them in a classified document, and
/// [`refine`] judges them like the parser's own.
pub fn parsed_findings<'d>(doc: &'d Document, classified: bool) -> Cow<'d, [Diagnostic]> {
    if !classified || parser_classified(doc) {
        return Cow::Borrowed(&doc.diagnostics);
    }
    let unmarked = |origin: Origin| {
        matches!(
            origin,
            Origin::None | Origin::Inherited(InheritedFrom::Banner(_))
        )
    };
    let mut out = doc.diagnostics.clone();
    if let Some(s) = doc.header.subject.as_ref().filter(|s| unmarked(s.origin)) {
        out.push(Diagnostic::new(
            Code::UnmarkedSubject,
            s.lines.first,
            s.column,
            "subject line has no portion mark in a classified document",
        ));
    }
    for (i, p) in doc.paragraphs.iter().enumerate() {
        if !unmarked(p.origin) {
            continue;
        }
        out.push(crate::parse::unmarked_portion(p, i));
    }
    out.sort_by_key(|d| (d.line, d.column));
    Cow::Owned(out)
}

/// Did the parser read `doc` as classified (and so report its unmarked portions)?
fn parser_classified(doc: &Document) -> bool {
    let h = &doc.header;
    h.banner
        .as_ref()
        .is_some_and(|b| b.marking.level.is_classified())
        || h.section_levels.iter().any(|l| l.is_classified())
        || doc
            .paragraphs
            .iter()
            .filter_map(|p| p.marking.as_ref())
            .chain(h.subject.iter().filter_map(|s| s.marking.as_ref()))
            .any(|m| m.level.is_classified())
}

/// Lines of unwrapped text (Markdown, e-mail) longer than this hold a paragraph each.
const UNWRAPPED: usize = 160;

/// Reports, in a classified document, an unmarked paragraph the parser joined to the
/// marked one above it: in unwrapped text (a SIDtoday Markdown page, one paragraph per
/// line) a long line of prose after a line that ends a sentence is a paragraph of its
/// own, and without a mark of its own it is an unmarked portion. Wrapped text (pdftotext
/// output) never has such lines, nor do layout tables (their cells are apart by runs of
/// blanks), so the check stays quiet there. List items (`- `, `* `) open with no capital
/// and belong to the lead-in above them.
///
/// The same holds under an unmarked paragraph that opens with lines that are no portion
/// (a `FROM:` line, a `Run Date:` field, a caption): the parser joins the article's first
/// paragraph to them, and judging the run by its first line drops the paragraph with its
/// heading. Not in a document that is not portion-marked (DCL081 says that once).
pub fn absorbed(doc: &Document, view: &View<'_>, out: &mut Vec<Diagnostic>) {
    let folded = out.iter().any(|d| d.code == Code::NoPortionMarks);
    let reported: std::collections::BTreeSet<usize> = out
        .iter()
        .filter(|d| matches!(d.code, Code::UnmarkedParagraph | Code::UnmarkedText))
        .map(|d| d.line)
        .collect();
    let paragraphs = doc.paragraphs.iter().filter(|p| match &p.marking {
        Some(_) => p.origin == crate::document::Origin::Explicit,
        // Judged only when some later line is long enough to be a paragraph of its own:
        // wrapped text (every cable) never has one, and judging every unmarked run of a
        // cable cost the audit time on bulk for nothing.
        None => {
            let first = doc.line(p.lines.first);
            // Once for a run the parser already reported an unmarked portion in.
            !folded
                && reported
                    .range(p.lines.first..=p.lines.last)
                    .next()
                    .is_none()
                && (p.lines.first + 1..=p.lines.last.min(doc.lines.len()))
                    .any(|l| doc.line(l).len() > UNWRAPPED)
                && matches!(
                    judge(first, first, view.is_banner_line(p.lines.first)),
                    Judgement::NotPortion(_)
                )
        }
    });
    for p in paragraphs {
        let mut previous = doc.line(p.lines.first).trim_end();
        for line in p.lines.first + 1..=p.lines.last.min(doc.lines.len()) {
            let text = doc.line(line).trim();
            if text.is_empty() {
                continue;
            }
            // Bytes bound characters from above: most lines stop here, cheaply.
            if text.len() <= UNWRAPPED {
                previous = doc.line(line).trim_end();
                continue;
            }
            if starts_unwrapped_paragraph(previous, text)
                && !view.is_banner_line(line)
                && !reported.contains(&line)
                && judge(text, text, false) == Judgement::Portion
            {
                out.push(Diagnostic::new(
                    Code::UnmarkedParagraph,
                    line,
                    crate::audit::first_column(doc.line(line)),
                    format!(
                        "paragraph has no portion mark in a classified document (joined to the \
                         {} above it)",
                        if p.marking.is_some() {
                            "marked paragraph"
                        } else {
                            "unmarked lines"
                        }
                    ),
                ));
            }
            previous = doc.line(line).trim_end();
        }
    }
}

/// Does the long (trimmed) line `text`, under the line `previous`, open a paragraph of
/// unwrapped text? It follows a sentence's end, or a short field line of its own (`Run
/// Date: 05/12/2006`): either way the long line starts a paragraph. Not after a colon: a
/// quoted report or list under a lead-in belongs to it. And it is prose: long, in one
/// column, opening with a capital, twenty words or more, its letters not spaced out.
fn starts_unwrapped_paragraph(previous: &str, text: &str) -> bool {
    let short = previous.trim();
    let field = short.chars().count() < 80
        && short.contains(':')
        && short.ends_with(|c: char| c.is_ascii_digit());
    let ends_sentence = previous.ends_with(['.', '!', '?', '"', '”', ')']) || field;
    // Asked only after a sentence's end: three passes over a long line, which a
    // cable's run-on paragraph lines mostly do not need.
    let prose = || {
        let words = text.split_whitespace().count();
        // OCR that spaces the letters out (`t h e m e t a d a t a`) is no prose.
        let spaced = text
            .split_whitespace()
            .filter(|w| w.chars().count() == 1)
            .count()
            * 4
            > words;
        text.chars().count() > UNWRAPPED
            && !text.contains("   ")
            && text.starts_with(|c: char| c.is_uppercase() || c == '"' || c == '“')
            && words >= 20
            && !spaced
    };
    ends_sentence && prose()
}

/// How many short lines may stand above the prose an unmarked run is reported at.
const BYLINE_LINES: usize = 4;

/// Where the prose of an unmarked run that opens with a byline starts: in unwrapped text
/// (a SIDtoday page, one paragraph per line) a run of a few short lines that end no
/// sentence (`Corporate Communications, Meade Operations Center (F74)`, `Run Date:
/// 06/23/2008`) and then a long line of prose ([`starts_unwrapped_paragraph`]) is the
/// article's byline block joined to its first paragraph; the finding is the paragraph's,
/// so it points there. `None` when the run does not open so.
fn prose_start(doc: &Document, first: usize, last: usize) -> Option<usize> {
    let mut previous = doc.line(first).trim_end();
    let mut short = 0;
    for line in first + 1..=last.min(doc.lines.len()) {
        let text = doc.line(line).trim();
        if text.is_empty() {
            continue;
        }
        let above = previous.trim();
        if above.chars().count() >= 80 || above.ends_with(['.', '!', '?']) {
            return None;
        }
        short += 1;
        if short > BYLINE_LINES {
            return None;
        }
        if text.len() > UNWRAPPED && starts_unwrapped_paragraph(previous, text) {
            return Some(line);
        }
        previous = doc.line(line).trim_end();
    }
    None
}

/// Judges the unmarked run of lines `first..=last`.
/// Leading page furniture and classification lines (an image link, a page number, a
/// banner, a line of a classification authority block) are skipped: the parser joins them
/// with the text under them, and judging the
/// run by them alone would drop a real unmarked portion (a title whose mark was removed,
/// under a newsletter's image link). Routing lines and captions are not skipped: an
/// address block or a caption's own lines continue below them.
fn judge_run(doc: &Document, view: &View<'_>, first: usize, last: usize) -> Judgement {
    let Some((start, layout)) = skip_layout(doc, view, first, last) else {
        // Nothing but authority lines and furniture: no portion.
        return Judgement::NotPortion(AUTHORITY_LINE);
    };
    // A line `skip_layout` did not skip is known to be no banner and no furniture: the
    // judge need not ask again.
    let judge_at = |line: &str, text: &str, banner: bool| {
        if layout {
            judge(line, text, banner)
        } else {
            judge_text(line, text)
        }
    };
    if start == first || doc.line(start).trim().is_empty() {
        let p = paragraph_at(doc, first).map_or("", |p| p.text.as_str());
        return judge_at(doc.line(first), p, view.is_banner_line(first));
    }
    let rest: Vec<&str> = (start..=last).map(|l| doc.line(l)).collect();
    judge_at(doc.line(start), &rest.join("\n"), false)
}

/// The line at which the text of the unmarked run `first..=last` starts, as [`judge_run`]
/// judges it: past its leading layout lines, or `first` when nothing but layout stands
/// in it. Asked apart from the judgement, which the finding's place does not need: the
/// findings' second pass asked `judge_run` again for it, and judging a run (a dozen
/// regexes over its text) was the larger part of this module's cost on bulk.
fn run_start(doc: &Document, view: &View<'_>, first: usize, last: usize) -> usize {
    skip_layout(doc, view, first, last)
        .map(|(l, _)| l)
        .filter(|&l| !doc.line(l).trim().is_empty())
        .unwrap_or(first)
}

/// The first line of `first..=last` that is not blank, a banner, page furniture or an
/// authority line (`last` when all are), and whether it is one of those (only `last` can
/// be); `None` when the run ends on an authority line with only such lines before it.
fn skip_layout(
    doc: &Document,
    view: &View<'_>,
    first: usize,
    last: usize,
) -> Option<(usize, bool)> {
    let mut start = first;
    loop {
        let text = doc.line(start);
        // What `judge` would call furniture or a banner line, without its other tests.
        let authority = authority_line(doc, start);
        let skip =
            text.trim().is_empty() || view.is_banner_line(start) || is_furniture(text) || authority;
        if start >= last && authority {
            return None;
        }
        if !skip || start >= last {
            return Some((start, skip));
        }
        start += 1;
    }
}

/// Points an unmarked-portion finding past the first lines that are no portion themselves
/// (a caption `KEY TOPIC AREAS:`, an image link, page furniture, a form's `SUBJECT` box
/// under its `APPROVAL` box) to where the text starts: the parser joins such lines with
/// the text under them. Each line is judged alone; when every line after the first is
/// one of those too, the finding points at the second (as it did before the walk).
fn relocate(doc: &Document, view: &View<'_>, d: &Diagnostic) -> Diagnostic {
    let Some(p) = paragraph_at(doc, d.line) else {
        return d.clone();
    };
    let no_portion = |l: usize| {
        let text = doc.line(l);
        matches!(
            judge(text, text, view.is_banner_line(l)),
            Judgement::NotPortion(_)
        )
    };
    let next_text = |l: usize| (l + 1..=p.lines.last).find(|&k| !doc.line(k).trim().is_empty());
    let mut line = d.line;
    let mut second = None;
    // Not past a line that opens a subject or a list item (`c. Letter, AHAJA, Subject:`):
    // a portion starts there, whatever its first line reads as alone.
    let starts_portion = |l: usize| {
        let t = doc.line(l).trim();
        subject_with_text(t) || list_item(t)
    };
    while no_portion(line) && (line == d.line || !starts_portion(line)) {
        match next_text(line) {
            Some(next) => {
                second.get_or_insert(next);
                line = next;
            }
            None => {
                line = second.unwrap_or(d.line);
                break;
            }
        }
    }
    let mut moved = d.clone();
    if line != d.line {
        moved.line = line;
        moved.column = crate::audit::first_column(doc.line(line));
    }
    moved
}

/// Does the line open a subject field with its text in the same cell (`SUBJECT
/// Recommended Requirements for`, `SUBJECT: Talks`)? A subject is a portion: the walk of
/// [`relocate`] stops there. A form's bare `SUBJECT` box caption, with only another box's
/// caption after a wide gap (`SUBJECT          KCC SUSPENSE`), is no such line.
fn subject_with_text(line: &str) -> bool {
    let t = line.trim();
    let cell = t.find("   ").map_or(t, |end| &t[..end]);
    cell.get(..7)
        .is_some_and(|head| head.eq_ignore_ascii_case("subject"))
        && cell[7..]
            .trim_start_matches([':', ';', ' '])
            .chars()
            .any(char::is_alphabetic)
}

/// Does the mark `d` points at read `(CUI` (the CUI scheme's own portion mark)?
fn is_cui_mark(doc: &Document, d: &Diagnostic) -> bool {
    let at: String = doc
        .line(d.line)
        .chars()
        .skip(d.column.saturating_sub(1))
        .take(4)
        .collect();
    at == "(CUI"
}

/// Why a classification authority line (`CL REASON 1.5(c)`, `DECL BY X1`) is not a
/// portion: the parser's authority block holds it.
const AUTHORITY_LINE: &str = "a classification authority line";

/// Why an unmarked list under a marked lead-in is not a portion of its own.
const UNDER_LEAD_IN: &str = "a list under the marked lead-in above";
/// Why an unmarked item under a `U` lead-in in a classified document is a warning: it is
/// withheld on release, and may be an item the writer left unmarked or the lead-in's own.
const UNDER_U_LEAD_IN: &str = "an item under an unclassified lead-in in a classified document, withheld on release until marked";

/// Why an unmarked run that goes on with a sentence the marked portion above leaves open
/// is a warning, not an error.
const OPEN_SENTENCE: &str = "it reads as the rest of a sentence the marked portion above leaves open (across a page foot or a blank line)";

/// How long the last line of a portion is, at least, for its open end to be a sentence
/// wrapped at the measure (a short last line is a heading or a list item).
const WRAPPED_LINE: usize = 40;

/// Does the unmarked paragraph starting at `line` go on with a sentence the marked
/// paragraph right above leaves open? That paragraph runs over two lines or more, its
/// last line is long (wrapped at the measure) and ends in a lower-case letter or a comma,
/// and only blanks, banners, authority lines and page furniture stand between them (a
/// page foot, `Derived From: …` / `TOP SECRET//SI//NOFORN`, or a form's blank line);
/// the run starts at the column of that last line, with no list label. The parser split
/// one portion there; whether it is one cannot be told for sure (release withholds the
/// run in any case), so it is a warning.
fn continues_open_sentence(doc: &Document, view: &View<'_>, line: usize) -> bool {
    let Some(i) = paragraph_index(doc, line).filter(|&i| i > 0) else {
        return false;
    };
    let above = &doc.paragraphs[i - 1];
    let text_lines: Vec<usize> = (above.lines.first..=above.lines.last.min(doc.lines.len()))
        .filter(|&l| !doc.line(l).trim().is_empty())
        .collect();
    let (Some(&last), true) = (text_lines.last(), text_lines.len() >= 2) else {
        return false;
    };
    if above.origin != Origin::Explicit {
        return false;
    }
    // The first cell of a line laid out in columns (a form's right-hand boxes follow).
    let cell = |l: usize| {
        let t = doc.line(l).trim_end();
        let start = crate::audit::first_column(t) - 1;
        let body: String = t.chars().skip(start).collect();
        let end = body.find("   ").unwrap_or(body.len());
        (start, body[..end].trim_end().to_owned())
    };
    let (column, end) = cell(last);
    let open = end.chars().count() >= WRAPPED_LINE
        && end.ends_with(|c: char| c.is_lowercase() || c == ',');
    let between = remnant::only_between(doc, above.lines.last, line, &|l| layout(doc, view, l));
    let (own, first) = cell(line);
    // A list item further down the run is a portion of its own the parser joined on.
    let item_below = (line + 1..=doc.paragraphs[i].lines.last.min(doc.lines.len()))
        .any(|l| list_item(doc.line(l).trim()));
    open && between
        && !item_below
        && own.abs_diff(column) <= 1
        && first.starts_with(char::is_alphanumeric)
        && !list_item(&first)
}

/// Is the unmarked run at `line`, read as a portion, the rest of something else
/// ([`remnant`]): a wrapped table cell, an excerpt's opening tail, a cover sheet's entry?
/// Returns the reason for the warning. `excerpt` caches the excerpt's first portion.
fn remnant_of(
    doc: &Document,
    view: &View<'_>,
    line: usize,
    excerpt: &std::cell::OnceCell<Option<usize>>,
) -> Option<&'static str> {
    let skip = |l: usize| layout(doc, view, l);
    if remnant::wrapped_cell(doc, line, &skip) {
        return Some(remnant::WRAPPED_CELL);
    }
    let first_marked = *excerpt.get_or_init(|| super::rules::excerpt(doc));
    if remnant::excerpt_tail(doc, line, first_marked, &skip) {
        return Some(remnant::EXCERPT_TAIL);
    }
    remnant::cover_sheet(doc, line).then_some(remnant::COVER_SHEET)
}

/// Why a short unmarked heading whose words the document marks elsewhere is a warning.
const MARKED_TWIN: &str = "a short heading whose words the document marks elsewhere (its table of contents entry or another occurrence carries a mark)";

/// Is the one-line unmarked paragraph `p` a heading the document marks elsewhere: some
/// marked paragraph reads the same words (case and a trailing colon aside)? A wiki's
/// table of contents repeats each section heading with its mark (`• 1 (TS//REL)
/// Overview`): the heading in the body without one has lost it. Asked only of runs too
/// short to be judged a portion ([`FRAGMENT`]), which are otherwise not reported.
/// `twins` holds the words of the document's short marked paragraphs, gathered once: a
/// fragment has fewer than twelve letters, so its twin is short too (asked per fragment,
/// the scan of every paragraph cost the modern corpus's audit an eighth of its time).
fn marked_twin(
    doc: &Document,
    p: &Paragraph,
    twins: &std::cell::OnceCell<std::collections::HashSet<String>>,
) -> bool {
    /// Longer texts cannot be a fragment's twin (a fragment has fewer than 12 letters).
    const SHORT: usize = 80;
    let words = |t: &str| {
        t.trim()
            .trim_end_matches(':')
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    if p.lines.first != p.lines.last || p.text.len() > SHORT {
        return false;
    }
    let own = words(&p.text);
    let twins = twins.get_or_init(|| {
        doc.paragraphs
            .iter()
            .filter(|q| q.origin == Origin::Explicit && q.text.len() <= SHORT)
            .map(|q| words(&q.text))
            .collect()
    });
    own.chars().any(char::is_alphabetic) && twins.contains(&own)
}

/// How far back a list item looks for its lead-in, in paragraphs.
const LEAD_IN_REACH: usize = 12;

/// Is the unmarked paragraph starting at `line` an item of a list (or a quotation) under
/// a marked lead-in? The lead-in is the nearest marked paragraph above, and its text ends
/// with a colon (`(U) Here are the key dates:`); the paragraph and every unmarked one
/// between them stand indented right of the lead-in's first line, or open with a bullet.
/// Unmarked items and tables under a marked lead-in are that portion's (they take its
/// mark; release withholds unmarked text in any case, so this only keeps the audit from
/// calling them unmarked portions). Returns the lead-in. Not when the next paragraph is a marked item at the
/// list's indentation: then the items are portions of their own and this one lacks its
/// mark.
fn under_lead_in(doc: &Document, line: usize) -> Option<&Paragraph> {
    let i = doc.paragraphs.partition_point(|p| p.lines.first < line);
    let indent = |p: &Paragraph| {
        (p.lines.first..=p.lines.last)
            .map(|l| doc.line(l))
            .find(|t| !t.trim().is_empty())
            .map(|t| (crate::audit::first_column(t), t.trim_start()))
    };
    let (own, _) = doc.paragraphs.get(i).and_then(indent)?;
    let mut items = vec![doc.paragraphs.get(i)];
    for j in (i.saturating_sub(LEAD_IN_REACH)..i).rev() {
        let q = &doc.paragraphs[j];
        if q.origin != crate::document::Origin::Explicit {
            items.push(Some(q));
            continue;
        }
        let (lead, _) = indent(q)?;
        if !leads_in(&q.text) {
            return None;
        }
        let in_list = items
            .iter()
            .flatten()
            .all(|p| indent(p).is_some_and(|(col, text)| col > lead || list_item(text)));
        // A marked sibling right after: the items are portions of their own.
        let marked_sibling = doc.paragraphs.get(i + 1).is_some_and(|n| {
            n.origin == crate::document::Origin::Explicit
                && indent(n)
                    .is_some_and(|(col, text)| (col > lead || list_item(text)) && col >= own)
        });
        return (in_list && !marked_sibling).then_some(q);
    }
    None
}

/// Does a portion's text lead in to a list: it ends with a colon, or its last line with a
/// colon is followed only by list items the parser joined to it (`… (common):` / `•
/// request`)?
fn leads_in(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .rposition(|l| l.ends_with(':'))
        .is_some_and(|k| lines[k + 1..].iter().all(|l| list_item(l)))
}

/// Does the (trimmed) line open with a list label: a bullet, or a number or letter with a
/// full stop or parenthesis (`1.`, `a)`, `(2)`), then a blank?
fn list_item(t: &str) -> bool {
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    // U+F000-U+F0FF: the Symbol and Wingdings fonts' bullets as pdftotext leaves them
    // (`\u{f0b7}` is Symbol's `•`), private-use code points no text starts a word with.
    if matches!(
        first,
        '-' | '*' | '•' | '▪' | '◦' | '●' | 'o' | '\u{f000}'..='\u{f0ff}'
    ) {
        return chars.next() == Some(' ');
    }
    let label: String = t.chars().take_while(|c| !c.is_whitespace()).collect();
    let body = label.trim_start_matches('(');
    let body = body
        .strip_suffix(['.', ')'])
        .filter(|b| !b.is_empty() && label.len() < t.len());
    body.is_some_and(|b| {
        (b.len() <= 2 && b.bytes().all(|c| c.is_ascii_digit()))
            || (b.len() == 1 && b.bytes().all(|c| c.is_ascii_lowercase()))
    })
}

/// The paragraph that starts at `line`, found by binary search (paragraphs are in order).
fn paragraph_at(doc: &Document, line: usize) -> Option<&Paragraph> {
    paragraph_index(doc, line).map(|i| &doc.paragraphs[i])
}

/// The index of the paragraph that starts at `line`.
pub(super) fn paragraph_index(doc: &Document, line: usize) -> Option<usize> {
    let i = doc.paragraphs.partition_point(|p| p.lines.first < line);
    doc.paragraphs
        .get(i)
        .is_some_and(|p| p.lines.first == line)
        .then_some(i)
}

/// Is line `l` layout that may stand inside a portion's run without ending it: a banner,
/// an authority block's line or page furniture?
fn layout(doc: &Document, view: &View<'_>, l: usize) -> bool {
    view.is_banner_line(l) || authority_line(doc, l) || is_furniture(doc.line(l))
}

/// Is line `l` a line of one of the document's authority blocks?
fn authority_line(doc: &Document, l: usize) -> bool {
    doc.header.authority.iter().any(|a| a.lines.contains(l))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;

    use crate::audit::unmarked_lines;

    /// The lines of `text` the audit warns of as unmarked text (DCL080).
    fn warned_lines(text: &str) -> Vec<usize> {
        crate::audit::lines_of(text, Code::UnmarkedText)
    }

    const LONG: &str = "The station reported that the meeting with the source took place on \
                        Tuesday in the capital, and that the source said the minister would \
                        travel to the border region next week with two of his advisers.";

    #[test]
    fn an_unwrapped_paragraph_joined_to_a_marked_one_is_reported() {
        let text = format!("SECRET\n(S) {LONG}\n{LONG}\nSECRET\n");
        assert_eq!(unmarked_lines(&text), [3]);
    }

    #[test]
    fn an_unwrapped_paragraph_under_routing_lines_is_reported() {
        // A newsletter article: its first paragraph joined to the `FROM:` and `Run Date:`
        // lines above it, which are no portion themselves.
        let text = format!(
            "SECRET\n(S) Title of the article\n\nFROM: the mission team\n\
             Run Date: 10/19/2009\n{LONG}\n(S) {LONG}\nSECRET\n"
        );
        assert_eq!(unmarked_lines(&text), [6]);
        // Marked, it is no finding.
        let marked = text.replace("2009\nThe", "2009\n(S) The");
        assert!(unmarked_lines(&marked).is_empty());
    }

    #[test]
    fn wrapped_lines_and_quotes_under_a_lead_in_are_not() {
        let wrapped = "SECRET\n(S) The station reported that the meeting took place.\n\
                       The source said the minister would travel next week.\nSECRET\n";
        assert!(unmarked_lines(wrapped).is_empty());
        let quoted =
            format!("SECRET\n(S) The station sent the following report:\n{LONG}\nSECRET\n");
        assert!(unmarked_lines(&quoted).is_empty());
    }

    #[test]
    fn an_indented_list_under_a_marked_lead_in_is_its_portion() {
        let head = "SECRET\n\n(S) The station reported the meeting with the source.\n\n\
                    (S) Here are the key dates for the leave year:\n\n";
        let list = format!(
            "{head}       09 January 2005: Employees are required to take their time off.\n\n{}",
            "       16 October 2005: First pay period that leave can be used before.\n\n\
             (U) To restore leave, please complete the form and send it in.\n\nSECRET\n"
        );
        assert!(
            unmarked_lines(&list).is_empty(),
            "{:?}",
            unmarked_lines(&list)
        );
        // Under a `U` lead-in in a classified document the items are withheld as unmarked
        // on release (they may be the classified part): a warning at each.
        let under_u = list.replace("(S) Here are", "(U) Here are");
        assert!(unmarked_lines(&under_u).is_empty());
        assert_eq!(warned_lines(&under_u), [7, 9]);
        // Not indented and not a bullet: a paragraph of its own, unmarked.
        let flush = format!(
            "{head}The officer met the source twice in May and reported both meetings.\n\n\
             (U) To restore leave, please complete the form and send it in.\n\nSECRET\n"
        );
        assert_eq!(unmarked_lines(&flush), [7]);
        // A marked item after it: the items are portions, and this one lacks its mark.
        let siblings = format!(
            "{head}       The officer met the source twice in May and reported both meetings.\n\n{}",
            "       (S) The source said the minister would travel to the border soon.\n\nSECRET\n"
        );
        assert_eq!(unmarked_lines(&siblings), [7]);
    }

    #[test]
    fn list_labels_and_lead_ins() {
        for item in [
            "\u{f0b7}   Cyber espionage is the theft of information",
            "• request",
            "- item",
            "1. HTTP GET",
            "12) twelve",
            "(2) two",
            "a. first",
        ] {
            assert!(super::list_item(item), "{item}");
        }
        for not in [
            "•request",
            "Section 1.",
            "123. no",
            "A. Heading",
            "1.",
            "oh no",
        ] {
            assert!(!super::list_item(not), "{not}");
        }
        assert!(super::leads_in("(S) The message is either:\n• request"));
        assert!(super::leads_in("(S) Here are the dates:"));
        assert!(!super::leads_in("(S) The dates: below.\nThe rest."));
    }

    #[test]
    fn authority_lines_are_no_portion() {
        let block = "SECRET\n\n1. (S) The station reported the meeting with the source.\n\n\
                     CL BY 0185904\n\nCL REASON 1.5 (b,c,d)\nDECL ON X1\n\nSECRET\n";
        assert!(
            unmarked_lines(block).is_empty(),
            "{:?}",
            unmarked_lines(block)
        );
        // Prose after the block is still judged.
        let after = block.replace(
            "X1\n\nSECRET",
            "X1\n\nThe officer met the source twice in May and reported both meetings.\n\nSECRET",
        );
        assert_eq!(unmarked_lines(&after), [10]);
    }

    #[test]
    fn a_sentence_left_open_at_a_page_foot_is_a_warning() {
        // A form's blank line inside the sentence (the parser joins one across page
        // banners by itself).
        let text = "SECRET\n\n(S) The purpose of this agreement was to ensure the mutual exchange\n\
                    of SIGINT and cooperation for developing the capabilities of the Military\n\n\
                    SIGINT organization and NSA, in order that we may carry out the missions.\n\n\
                    SECRET\n";
        let found = crate::audit::audit_text(text);
        assert!(
            found
                .iter()
                .any(|d| d.line == 6 && d.code == Code::UnmarkedText),
            "{found:?}"
        );
        assert!(
            unmarked_lines(text).is_empty(),
            "{:?}",
            unmarked_lines(text)
        );
        // The sentence above ends: a paragraph of its own, unmarked.
        let closed = text.replace("of the Military\n", "of the Military.\n");
        assert_eq!(unmarked_lines(&closed), [6]);
    }

    #[test]
    fn a_wiki_reference_list_is_warned_of_and_a_numbered_list_stays_an_error() {
        let page = "TOP SECRET//SI//NOFORN\n\n(TS//SI) The service targeted the account.[1]\n\n\
                    (U) References\n\n  1. ↑\n  2. ↑ Report OW52244603: OSC, Washington Post, 20 Nov 2006\n\
                    \x20 3. ↑ Putin Condemns Reporter's Killing, Moscow Times, 11 October 2006\n\n\
                    TOP SECRET//SI//NOFORN\n";
        assert!(
            unmarked_lines(page).is_empty(),
            "{:?}",
            unmarked_lines(page)
        );
        assert_eq!(warned_lines(page), [8, 9]);
        // The same items without the back-link arrow are numbered paragraphs: portions.
        let list = page.replace("↑ ", "");
        assert_eq!(unmarked_lines(&list), [8, 9]);
    }

    #[test]
    fn symbol_font_bullets_under_a_lead_in_are_its_list() {
        // pdftotext leaves Symbol's bullet as U+F0B7: the items under a `U` lead-in in a
        // classified document are warned of (withheld until marked), as with `•`.
        let text = "SECRET\n\n(S) The station reported the meeting with the source.\n\n\
                    (U) I would like to distinguish the two terms:\n\n\
                    \u{f0b7}   Cyber espionage is the theft of information stored as digital data.\n\n\
                    \u{f0b7}   Cyber attack is activity meant to disrupt the data networks.\n\nSECRET\n";
        assert!(
            unmarked_lines(text).is_empty(),
            "{:?}",
            unmarked_lines(text)
        );
        assert_eq!(warned_lines(text), [7, 9]);
        // Without the glyph, flush with the lead-in: paragraphs of their own, unmarked.
        let flush = text.replace("\u{f0b7}   ", "");
        assert_eq!(unmarked_lines(&flush), [7, 9]);
    }

    #[test]
    fn a_short_heading_marked_in_the_contents_is_warned_of() {
        let page = "TOP SECRET//SI//REL TO USA, FVEY\n\nContents\n  • 1 (TS//REL) Overview\n\
                    \x20 • 2 (TS//REL) Design\n\n(TS//REL) Overview\n\n\
                    (TS//REL) This element schedules the attacks of the service.\n\n\
                    (TS//REL) Design\n\nTOP SECRET//SI//REL TO USA, FVEY\n";
        assert!(warned_lines(page).is_empty(), "{:?}", warned_lines(page));
        let removed = page.replace("\n(TS//REL) Overview\n", "\nOverview\n");
        assert_eq!(warned_lines(&removed), [7]);
        // A short heading the document marks nowhere stays unreported (a fragment).
        let other = removed.replace("\nOverview\n", "\nSummary\n");
        assert!(
            warned_lines(&other).is_empty(),
            "{:?}",
            warned_lines(&other)
        );
    }

    #[test]
    fn an_unmarked_paragraph_under_a_byline_is_reported_at_its_prose() {
        let text = format!(
            "SECRET\n(U) Follow the Honey\n\nFROM:\n\
             Corporate Communications, Meade Operations Center (F74)\nRun Date: 06/23/2008\n\
             {LONG}\n(S) {LONG}\nSECRET\n"
        );
        assert_eq!(unmarked_lines(&text), [7]);
        let marked = text.replace("2008\nThe", "2008\n(S) The");
        assert!(
            unmarked_lines(&marked).is_empty(),
            "{:?}",
            unmarked_lines(&marked)
        );
    }

    #[test]
    fn a_title_under_an_image_link_is_judged() {
        let text = "![img](img.png)\nGoing After the Network - All of It\nFROM:\n\
                    Liaison Officer\n\n(S) The station reported the meeting.\n";
        let found = crate::audit::audit_text(text);
        assert!(
            found
                .iter()
                .any(|d| d.line == 2 && d.code == Code::UnmarkedText),
            "{found:?}"
        );
    }
}
