//! The audit's view of a document: portions, banners, authority block and furniture.
//!
//! `Document ──view──▶ View ──rules──▶ Diagnostics`. The rules that judge modern
//! documents (memos, briefings, newsletters, pdftotext dumps) read this view and not the
//! parser's model directly, so that a richer model (portion kinds, authority blocks, page
//! furniture) plugs in by changing this adapter only. Today's model knows the cable header
//! well and little else, so the adapter also reads, from the source lines, what the model
//! does not carry yet: every banner line (top and bottom of each page, e-mail
//! `Classification:` lines), the authority lines wherever they stand, and which unmarked
//! paragraphs are portions at all ([`judge`]). No I/O.

pub mod cui;
pub mod judge;
pub mod scan;

use crate::document::{Document, Origin};
use crate::marking::Marking;
pub use judge::Judgement;
pub use scan::{Authority, AuthorityField};

/// What a portion of the view is, as far as the model says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortionKind {
    Subject,
    Paragraph,
    Subparagraph,
    Heading,
}

/// One portion: a marked one, or an unmarked one with the adapter's judgement of it.
pub struct ViewPortion<'a> {
    pub kind: PortionKind,
    /// The readable mark, printed or declared by `ENTIRE TEXT`; `None` when unmarked or
    /// unreadable.
    pub marking: Option<&'a Marking>,
    pub line: usize,
    pub column: usize,
    /// Index of the parent portion in [`View::portions`], for sub-portions.
    pub parent: Option<usize>,
}

/// Where a banner line stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BannerPlace {
    /// A whole-line classification line (top or bottom of a page, section banner).
    Line,
    /// An e-mail `Classification:` line.
    Email,
}

/// One banner line of the document.
pub struct ViewBanner {
    pub marking: Marking,
    pub line: usize,
    pub column: usize,
    pub place: BannerPlace,
    /// False when only the level could be read (`TOP SECRET//COMINT/`, OCR damage after
    /// the level): its controls are not judged.
    pub read: bool,
}

/// The audit's view of one document.
pub struct View<'a> {
    /// Readable and unmarked portions, in line order.
    pub portions: Vec<ViewPortion<'a>>,
    /// Every banner line, in line order.
    pub banners: Vec<ViewBanner>,
    /// The authority fields, read when a rule first asks ([`View::authority`]).
    authority: std::cell::OnceCell<Authority>,
    /// The lines [`scan::authority`] passes over: banner lines.
    banner_lines: Vec<usize>,
    doc: &'a Document,
    /// The CUI banner lines, designation indicator and CUI portion marks.
    pub cui: cui::Cui,
    /// Lines that stand between two pages, in order: the model's page-break lines (a
    /// cable's `BAKU 00001771 002 OF 003`). A banner before one and a banner after it are
    /// on different pages. Page headings of Markdown extractions (`## Page 7`,
    /// [`is_page_heading`]) are asked of the lines by the rule that needs them.
    pub page_breaks: Vec<usize>,
}

impl<'a> View<'a> {
    pub fn of(doc: &'a Document) -> View<'a> {
        let scanned = scan::scan(doc);
        View {
            portions: portions(doc),
            banners: scanned.banners,
            authority: std::cell::OnceCell::new(),
            banner_lines: scanned.banner_lines,
            doc,
            cui: cui::scan(doc),
            page_breaks: page_breaks(doc),
        }
    }

    /// The authority fields found on the document's lines, each at its first line. Read
    /// once, on the first call: only the rules for classified documents ask.
    pub fn authority(&self) -> &Authority {
        self.authority
            .get_or_init(|| scan::authority(self.doc, &self.banner_lines))
    }

    /// Is line `line` one of the document's banner lines?
    pub fn is_banner_line(&self, line: usize) -> bool {
        self.banners.iter().any(|b| b.line == line)
    }

    /// Is there a page break strictly between lines `a` and `b` (`a < b`) of `doc`: a
    /// page-break line of the model, or a Markdown page heading?
    pub fn page_break_between(&self, doc: &Document, a: usize, b: usize) -> bool {
        let at = self.page_breaks.partition_point(|&l| l <= a);
        self.page_breaks.get(at).is_some_and(|&l| l < b)
            || (a + 1..b).any(|l| is_page_heading(doc.line(l)))
    }

    /// The readable marked portions.
    pub fn marked(&self) -> impl Iterator<Item = (&ViewPortion<'a>, &'a Marking)> + '_ {
        self.portions
            .iter()
            .filter_map(|p| p.marking.map(|m| (p, m)))
    }

    /// The marked portions banner `i` answers for: those between the banner lines before
    /// and after it (a page's top banner and its bottom one frame the same text), and for
    /// the first banner, which carries the overall classification, every portion.
    pub fn framed_by(
        &self,
        i: usize,
    ) -> impl Iterator<Item = (&ViewPortion<'a>, &'a Marking)> + '_ {
        let (after, before) = if i == 0 {
            (0, usize::MAX)
        } else {
            (
                self.banners[i - 1].line,
                self.banners.get(i + 1).map_or(usize::MAX, |b| b.line),
            )
        };
        self.marked()
            .filter(move |(p, _)| p.line > after && p.line < before)
    }
}

/// The model's page-break lines (see [`View::page_breaks`]). pdftotext's form feeds are
/// not among them: the parser turns them into blanks and keeps no trace, so pages of such
/// dumps are read from their banners (DCL089) until the model carries them.
fn page_breaks(doc: &Document) -> Vec<usize> {
    doc.elements
        .iter()
        .filter(|e| e.kind == crate::document::ElementKind::PageBreak)
        .flat_map(|e| e.lines.first..=e.lines.last)
        .collect()
}

/// A page break as a Markdown extraction prints it: `## Page 7`.
pub fn is_page_heading(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("## Page ")
        .is_some_and(|n| n.trim().bytes().all(|b| b.is_ascii_digit()))
}

fn counts(origin: Origin) -> bool {
    matches!(
        origin,
        Origin::Explicit | Origin::Inherited(crate::document::InheritedFrom::EntireText(_))
    )
}

/// The portions of today's model: subject, paragraphs (headings included) and their
/// marked sub-paragraphs.
fn portions(doc: &Document) -> Vec<ViewPortion<'_>> {
    let mut out = Vec::new();
    if let Some(s) = &doc.header.subject {
        out.push(ViewPortion {
            kind: PortionKind::Subject,
            marking: s
                .marking
                .as_ref()
                .filter(|m| counts(s.origin) && !m.is_unknown()),
            line: s.lines.first,
            column: s.column,
            parent: None,
        });
    }
    for p in &doc.paragraphs {
        let kind = if p.heading {
            PortionKind::Heading
        } else if p.parent.is_some() {
            PortionKind::Subparagraph
        } else {
            PortionKind::Paragraph
        };
        let index = out.len();
        // A sub-portion is listed once, as its parent's sub-paragraph below.
        if p.parent.is_none() {
            out.push(ViewPortion {
                kind,
                marking: p
                    .marking
                    .as_ref()
                    .filter(|m| counts(p.origin) && !m.is_unknown()),
                line: p.lines.first,
                column: p.mark_column,
                parent: None,
            });
        }
        for sub in &p.subparagraphs {
            out.push(ViewPortion {
                kind: PortionKind::Subparagraph,
                marking: Some(&sub.marking).filter(|m| !m.is_unknown()),
                line: sub.line,
                column: sub.column,
                parent: (p.parent.is_none()).then_some(index),
            });
        }
    }
    out
}
