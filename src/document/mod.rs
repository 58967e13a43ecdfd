//! The document model: what the parser produces and every later stage reads.
//!
//! A [`Document`] is the source lines, a [`Header`] (banner, captions, E.O. line, TAGS,
//! SUBJECT, REF, Classified By…) and [`Paragraph`]s, each tagged with its marking and where
//! that marking came from ([`Origin`]). Every source line belongs to exactly one
//! [`Element`]: that is the "nothing lost" invariant, checked by [`Document::check_tiling`].
//! No I/O here.

pub mod date;
pub mod json;
pub mod lines;
pub mod stats;
pub mod text;

pub use date::Date;
pub use lines::Lines;

use crate::diagnostic::Diagnostic;
use crate::marking::{Control, Level, Marking};

/// An inclusive, 1-based line range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineSpan {
    pub first: usize,
    pub last: usize,
}

impl LineSpan {
    pub fn one(line: usize) -> LineSpan {
        LineSpan {
            first: line,
            last: line,
        }
    }

    pub fn new(first: usize, last: usize) -> LineSpan {
        LineSpan { first, last }
    }

    pub fn contains(self, line: usize) -> bool {
        (self.first..=self.last).contains(&line)
    }
}

/// What a run of source lines is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElementKind {
    Blank,
    /// Database residue before the cable proper (row id, timestamp, reference id, origin).
    Residue,
    /// The routing block (VZCZC, DE, FM, TO, INFO and their addressee lines).
    Routing,
    Banner,
    /// A repeated classification line further down (`SECTION 02 OF 03`).
    SectionBanner,
    Caption,
    /// Office and addressee lines in the header (`EUR/NCE FOR ERIC FICHTE`).
    Addressee,
    EoLine,
    Tags,
    Subject,
    Ref,
    ClassifiedBy,
    /// Any other header line.
    HeaderText,
    /// A line among a cable's header fields that is none of them and no routing
    /// instruction (a subject line that lost its label, a stray number): its role unread,
    /// so the release withholds it wherever the document is classified above the target.
    UnreadHeader,
    /// Part of the paragraph with this index.
    Paragraph(usize),
    /// A page-break line (`KHARTOUM 00000413  002 OF 002`).
    PageBreak,
    /// Page furniture of extracted text (`Page 3 of 14`, `- 3 -`, archive stamps such as
    /// `NW 50953 DocId:32319721 Page 5`): layout, never a portion's text.
    Furniture,
    /// A rule line (`-------`): layout, no content.
    Rule,
    /// A review stamp or end-of-message marker inside the text.
    Stamp,
    Signature,
}

/// A contiguous run of lines of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element {
    pub kind: ElementKind,
    pub lines: LineSpan,
}

/// Where a paragraph's marking came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Printed on the paragraph.
    Explicit,
    /// Taken from an `ENTIRE TEXT` declaration or an unclassified banner.
    Inherited(InheritedFrom),
    /// No marking and nothing to inherit from: withheld and reported downstream.
    None,
    /// A mark was printed but could not be read: withheld and reported downstream.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InheritedFrom {
    /// The `ENTIRE TEXT` declaration on this line.
    EntireText(usize),
    /// The unclassified banner on this line.
    Banner(usize),
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Explicit => "explicit",
            Origin::Inherited(_) => "inherited",
            Origin::None => "none",
            Origin::Unknown => "unknown",
        }
    }
}

/// A classification line with where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    /// Level and controls, captions included (`UNCLAS` + caption `SENSITIVE` is U//SBU).
    pub marking: Marking,
    pub line: usize,
    pub section: Option<(u32, u32)>,
    pub serial: Option<String>,
    pub efto: bool,
    pub damaged: bool,
}

/// A caption line under the banner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caption {
    pub text: String,
    /// The control it adds; `None` for routing captions such as SIPDIS.
    pub control: Option<Control>,
    pub line: usize,
}

/// A free-text header field (addressee line, REF block).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    pub lines: LineSpan,
}

/// The declassification instruction of the E.O. line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declassify {
    /// The value as printed after `DECL:` (or `N/A`).
    pub raw: String,
    /// Set when the value is a date.
    pub date: Option<Date>,
    /// Set when the value is a token (OADR, X1, 25X1, N/A, RDS-4, GDS, TWENTY YEARS…).
    pub token: Option<String>,
}

/// What a declassification instruction says, read from its printed value: the typed form
/// the policies' date conditions and the audit work from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeclassifyOn {
    /// A date (`20320108`, `05/02/2017`, `2032-01-08`).
    Date(Date),
    /// An exemption from automatic declassification (`25X1`, `50X1-HUM`, `X1`), with the
    /// date printed beside it, if any (`25X1, 20621231`).
    Exemption { code: String, date: Option<Date> },
    /// `OADR`: originating agency's determination required.
    Oadr,
    /// `MR`: manual review.
    ManualReview,
    /// `IMPDET` (`E2 IMPDET`): impossible to determine.
    Impdet,
    /// A schedule of the older orders: `GDS`, `XGDS-2`, `RDS-4`.
    Schedule(String),
    /// `N/A`.
    NotApplicable,
    /// Anything else: an event (`Completion of operation`) or a value not read.
    Event(String),
}

impl DeclassifyOn {
    /// The name used in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            DeclassifyOn::Date(_) => "date",
            DeclassifyOn::Exemption { .. } => "exemption",
            DeclassifyOn::Oadr => "oadr",
            DeclassifyOn::ManualReview => "manual_review",
            DeclassifyOn::Impdet => "impdet",
            DeclassifyOn::Schedule(_) => "schedule",
            DeclassifyOn::NotApplicable => "not_applicable",
            DeclassifyOn::Event(_) => "event",
        }
    }

    /// The date it names, if any (a date, or an exemption's date).
    pub fn date(&self) -> Option<Date> {
        match self {
            DeclassifyOn::Date(d) => Some(*d),
            DeclassifyOn::Exemption { date, .. } => *date,
            _ => None,
        }
    }
}

impl Declassify {
    /// The instruction in typed form.
    pub fn instruction(&self) -> DeclassifyOn {
        date::read_instruction(&self.raw)
    }
}

/// A classification authority block wherever it stands (top, foot of a page, after the
/// signature, run into a banner line): `Classified By:`, `Derived From:`, `Reason:`,
/// `Declassify On:` and the older `CL BY`, `DRV FM`, `CL REASON`, `DECL ON`. Read from the
/// lines as printed; it never changes which element a line belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authority {
    /// The lines its fields stand on.
    pub lines: LineSpan,
    pub classified_by: Option<String>,
    pub derived_from: Option<String>,
    pub reason: Option<String>,
    pub declassify: Option<Declassify>,
    /// Printed in the older abbreviated forms (`CL BY`, `DECL ON`, `DRV FM`).
    pub legacy: bool,
}

/// `E.O. 12958: DECL: 05/02/2017`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EoLine {
    pub raw: String,
    /// The executive order number (`12958`, `11652`, `12065`, `12356`, `13526`).
    pub order: String,
    pub declassify: Option<Declassify>,
    pub lines: LineSpan,
}

/// The SUBJECT line, joined across its lines, with its own mark when it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub text: String,
    pub marking: Option<Marking>,
    pub origin: Origin,
    pub lines: LineSpan,
    /// Column (1-based) of the mark or of the text start, for reporting.
    pub column: usize,
}

/// Classified By / Derived From.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassifiedBy {
    /// The whole block joined into one line.
    pub raw: String,
    /// Who classified (text between `Classified By:` and the reasons).
    pub by: String,
    /// `1.4` or `1.5` (or whatever section was cited).
    pub section: Option<String>,
    /// Reason letters, lower case, in order of appearance.
    pub reasons: Vec<char>,
    pub derived: bool,
    pub lines: LineSpan,
    /// Set when the block sits inside a paragraph (`1. (U) CLASSIFIED BY …`).
    pub in_paragraph: Option<usize>,
}

/// An `ENTIRE TEXT` declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntireText {
    pub marking: Marking,
    pub line: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub residue: Option<LineSpan>,
    pub routing: Option<LineSpan>,
    pub banner: Option<Banner>,
    /// Repeated classification lines after the first (section banners).
    pub section_banners: Vec<usize>,
    /// The level each of `section_banners` reads as, in the same order. A classified
    /// section banner makes the document classified whatever its first banner says.
    pub section_levels: Vec<crate::marking::Level>,
    pub captions: Vec<Caption>,
    pub addressees: Vec<Field>,
    pub eo: Option<EoLine>,
    pub tags: Vec<String>,
    pub tags_lines: Option<LineSpan>,
    pub subject: Option<Subject>,
    pub refs: Vec<Field>,
    pub classified_by: Option<ClassifiedBy>,
    pub entire_text: Option<EntireText>,
    /// Every authority block, in line order (a cable's Classified By block is one too).
    pub authority: Vec<Authority>,
    /// The declassification field a banner line ends with (`…//20291123`, `SECRET//X1`)
    /// and that line: the document's instruction when no E.O. line or block gives one.
    pub banner_declassify: Option<(usize, Declassify)>,
    /// The document date, from the routing block or the residue.
    pub date: Option<Date>,
    /// The year, when only that is known (from the cable id).
    pub year: Option<i32>,
    /// The originating post (`FM AMEMBASSY PRAGUE` → `AMEMBASSY PRAGUE`, or the banner serial's post).
    pub origin_post: Option<String>,
}

/// A sub-paragraph with its own mark, kept under its parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubParagraph {
    pub label: String,
    pub marking: Marking,
    pub line: usize,
    pub column: usize,
}

/// What kind of portion a paragraph is: read from its lead and its layout after the body is
/// cut (`parse::kind`). Every kind is a portion, decided on its own mark; the kind tells the
/// audit and the reader what the portion is, never whether it is released.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PortionKind {
    /// A paragraph of text (`1. (S) …`, `(C) …`, an unnumbered block).
    #[default]
    Paragraph,
    /// A labelled item under a paragraph (`a. (S) …`, `(1) (C) …`, `1) (S//NF) …`).
    Subparagraph,
    /// A bulleted item (`• (TS//SI//NF) …`, `-- (C) …`, `o (U) …`).
    Bullet,
    /// A short title line standing alone (`Still Bitter`).
    Heading,
    /// A portion run in after a caption word (`PURPOSE: (U//FOUO) …`), or a caption line.
    Caption,
    /// A title carrying its mark at the end (`Summit Venues (U)`).
    Title,
    /// A row of a table laid out in columns (`1. (U) The fact that…   UNCLASSIFIED   N/A`).
    TableRow,
    /// A quotation standing as its own portion (`(C) "We will not …"`).
    Quoted,
}

impl PortionKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [PortionKind; 8] = [
        PortionKind::Paragraph,
        PortionKind::Subparagraph,
        PortionKind::Bullet,
        PortionKind::Heading,
        PortionKind::Caption,
        PortionKind::Title,
        PortionKind::TableRow,
        PortionKind::Quoted,
    ];

    /// The name used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PortionKind::Paragraph => "paragraph",
            PortionKind::Subparagraph => "subparagraph",
            PortionKind::Bullet => "bullet",
            PortionKind::Heading => "heading",
            PortionKind::Caption => "caption",
            PortionKind::Title => "title",
            PortionKind::TableRow => "table_row",
            PortionKind::Quoted => "quoted",
        }
    }
}

/// One paragraph of the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// The number as read (by sequence when the printed one was damaged).
    pub number: Option<u32>,
    /// The number exactly as printed (`¶5.`, `15.`, `1.`).
    pub printed_number: Option<String>,
    /// The printed mark, or the inherited marking; `None` when unmarked.
    pub marking: Option<Marking>,
    pub origin: Origin,
    /// The first line up to where the text starts: number, mark and spacing as printed.
    pub lead: String,
    /// The text without the lead; fragments joined with a space where a break split a
    /// sentence, lines otherwise joined with `\n`.
    pub text: String,
    pub lines: LineSpan,
    /// 1-based column of the mark on the first line (or of the text start when unmarked).
    pub mark_column: usize,
    pub subparagraphs: Vec<SubParagraph>,
    /// Set on a sub-portion (a marked sub-paragraph, bullet or list item, or the unmarked
    /// text after one): the index of the paragraph it sits under. A sub-portion is a
    /// portion of its own, decided on its own mark; its parent lists it in `subparagraphs`.
    pub parent: Option<usize>,
    /// A short title line standing alone (`Still Bitter`, `------- Summary -------`):
    /// a portion like any other, but reported as an unmarked heading rather than an
    /// unmarked paragraph.
    pub heading: bool,
    /// What kind of portion this is.
    pub kind: PortionKind,
}

impl Paragraph {
    /// The label a reader would use: `¶5`, or `¶(3rd unnumbered)`.
    pub fn label(&self, index: usize) -> String {
        match (self.number, self.parent) {
            (Some(n), _) => format!("¶{n}"),
            (None, Some(_)) => format!("sub-portion {} (line {})", index + 1, self.lines.first),
            (None, None) => format!("unnumbered paragraph {}", index + 1),
        }
    }
}

/// How the input bytes were decoded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Encoding {
    pub bom: bool,
    pub crlf: bool,
    pub lone_cr: bool,
    pub latin1: bool,
    pub markdown: bool,
}

/// A parsed document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The source lines, decoded, line ends removed (Markdown escapes undone).
    pub lines: Lines,
    pub header: Header,
    pub paragraphs: Vec<Paragraph>,
    pub elements: Vec<Element>,
    pub signature: Option<Field>,
    pub diagnostics: Vec<Diagnostic>,
    pub encoding: Encoding,
}

impl Document {
    /// Checks that the elements cover every line exactly once, in order. Returns the first
    /// line that is lost or claimed twice.
    pub fn check_tiling(&self) -> Result<(), usize> {
        let mut next = 1;
        for element in &self.elements {
            if element.lines.first != next || element.lines.last < element.lines.first {
                return Err(next);
            }
            next = element.lines.last + 1;
        }
        if next == self.lines.len() + 1 {
            Ok(())
        } else {
            Err(next)
        }
    }

    /// True when the banner, a section banner or any portion is classified.
    pub fn is_classified(&self) -> bool {
        self.top_level().is_some_and(Level::is_classified)
    }

    /// The highest level the banner, a section banner or a portion's mark reads, if any
    /// of them reads one.
    pub fn top_level(&self) -> Option<Level> {
        let banner = self.header.banner.as_ref().map(|b| b.marking.level);
        let sections = self.header.section_levels.iter().copied();
        let portions = self
            .paragraphs
            .iter()
            .filter_map(|p| p.marking.as_ref())
            .map(|m| m.level);
        banner.into_iter().chain(sections).chain(portions).max()
    }

    /// The declassification instruction of the document: the E.O. line's value, else the
    /// first authority block's `Declassify On`, else a banner's declassification field.
    pub fn declassify(&self) -> Option<&Declassify> {
        self.header
            .eo
            .as_ref()
            .and_then(|e| e.declassify.as_ref())
            .or_else(|| {
                self.header
                    .authority
                    .iter()
                    .find_map(|a| a.declassify.as_ref())
            })
            .or(self.header.banner_declassify.as_ref().map(|(_, d)| d))
    }

    /// The line as printed (1-based), or "" past the end.
    pub fn line(&self, n: usize) -> &str {
        n.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .unwrap_or("")
    }
}
