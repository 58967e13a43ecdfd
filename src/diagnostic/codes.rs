//! The one table of diagnostic codes. `declass explain CODE`, the SARIF `rules[]`, the
//! docs and the audit all read this table; nothing else defines a code.

use serde::{Serialize, Serializer};
use std::fmt;

/// How much a finding matters; `--fail-on` compares against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_name(name: &str) -> Option<Severity> {
        match name.to_ascii_lowercase().as_str() {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The metadata of one code.
pub struct CodeInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
}

macro_rules! codes {
    ($( $variant:ident = $id:literal, $name:literal, $sev:ident, $summary:literal, $explanation:literal; )*) => {
        /// A diagnostic code. Stable: a code is never renumbered or reused.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            pub fn info(self) -> &'static CodeInfo {
                match self {
                    $( Code::$variant => &CodeInfo {
                        id: $id,
                        name: $name,
                        severity: Severity::$sev,
                        summary: $summary,
                        explanation: $explanation,
                    }, )*
                }
            }
        }
    };
}

codes! {
    UnmarkedParagraph = "DCL001", "unmarked-paragraph", Error,
        "Paragraph has no portion mark in a classified document",
        "Every paragraph of a classified document carries its own portion mark, unless the \
         document declares `ENTIRE TEXT`. declass never guesses: an unmarked paragraph is \
         withheld by every policy until someone marks it. The audit reads a document as \
         classified from any banner line it finds (a page foot, a later page's head), not \
         only from the first, so a memo whose classified banner stands at a page foot is \
         held to its portion marks too. A row of a Markdown pipe table whose other body \
         rows print a mark in their first cell is a portion without one, whatever \
         paragraph the parser put the table in; so is a lettered or numbered item joined \
         to the next item of its list (`(e) ...` / `(f) ... (S)`), one mark printed for \
         the two.\n\nExample:\n  C O N F I D E N T I A L\n  \
         1. (C) Marked.\n  2. Unmarked.   <- DCL001";
    UnmarkedSubject = "DCL002", "unmarked-subject", Error,
        "Subject line has no portion mark in a classified document",
        "The subject line is a portion of its own. In a classified cable it must be marked \
         (`SUBJECT: (U) ...`) or it is treated like an unmarked paragraph.\n\nExample:\n  \
         SUBJECT: TALKS WITH THE MINISTER   <- DCL002 in a SECRET cable";
    UnknownMarking = "DCL003", "unknown-marking", Error,
        "Portion mark uses a token outside the marking vocabulary",
        "A parenthesis that stands where a mark stands and looks like one, but holds a token \
         declass does not know (`(N/SF)`, `(SE)`). It is read as the most restrictive case \
         and withheld until corrected.\n\nExample:\n  3. (N/SF) The minister said...   <- DCL003";
    LegacyMarking = "DCL004", "legacy-marking", Warning,
        "Portion mark uses a legacy or non-canonical form",
        "Legacy forms (`(S/NF)`, `(S NF)`, `(C )`, `(S/Rel Pak)`) are read correctly but \
         differ from the canonical CAPCO form, which separates categories with `//` and \
         lists REL TO countries as trigraphs after USA. The fix shows the canonical form.\n\n\
         Example:\n  1. (S/NF) ...   <- DCL004, fix: (S//NF)";
    MissingBanner = "DCL005", "missing-banner", Error,
        "No classification line found",
        "A cable's first line gives its classification. Without one declass cannot tell \
         whether unmarked paragraphs are unclassified, so it treats them as unmarked.\n\n\
         Example:\n  SIPDIS\n  1. The minister said...   <- DCL005: the text starts with no banner";
    UnmarkedHeading = "DCL007", "unmarked-heading", Warning,
        "Heading has no portion mark in a classified document",
        "Headings are portions too. An unmarked heading in a classified document is withheld \
         like an unmarked paragraph, but reported apart because it is usually a topic line.\n\n\
         Example:\n  Still Bitter   <- DCL007 between two (C) paragraphs";
    DamagedBanner = "DCL006", "damaged-banner", Warning,
        "Classification line is damaged but readable",
        "The banner was read through damage (`CC O N F I D E N T I A L`, `O N F I D E N T I A L`, \
         a stray prefix). Check the level is right.\n\n\
         Example:\n  CC O N F I D E N T I A L SECTION 01 OF 02 STATE 000284   <- DCL006, read as CONFIDENTIAL";
    BannerBelowPortion = "DCL010", "banner-below-portion", Error,
        "Banner is below the highest portion (under-classified)",
        "The banner must carry the highest level of any portion (32 CFR 2001.21(b)).\n\n\
         Example:\n  C O N F I D E N T I A L\n  1. (S) ...   <- DCL010: banner C, portion S";
    BannerAbovePortions = "DCL011", "banner-above-portions", Warning,
        "Banner is above every portion (over-classified)",
        "No portion reaches the banner's level. Legal only for classification by \
         compilation, which needs a written explanation. Not judged while a mark is unreadable \
         or a paragraph unmarked. \
         Not judged against a ceiling statement (`HIGHEST POSSIBLE CLASSIFICATION IS` over \
         a banner line), which bounds the page's portions and need not equal their roll-up.\n\n\
         Example:\n  S E C R E T MADRID 005480\n  1. (C) ...\n  \
         2. (U) ...   <- DCL011: banner SECRET, highest portion C";
    PortionControlNotInBanner = "DCL012", "portion-control-not-in-banner", Error,
        "A control in a portion is missing from the banner",
        "Controls such as NOFORN roll up into the banner. A `(S//NF)` portion under a \
         `SECRET` banner without NOFORN under-protects the document. Some portions REL TO and \
         others not also make the document NOFORN. A bare SCI system in a portion (SI) is \
         carried by a banner that names a compartment of it (SI-G); a compartment is not \
         carried by its bare system. The fix shows the banner with the control \
         added.\n\nExample:\n  S E C R E T STATE 000123\n  1. (S/NF) ...   <- DCL012, fix: SECRET//NOFORN";
    BannerControlInNoPortion = "DCL013", "banner-control-in-no-portion", Warning,
        "A banner control is found in no portion",
        "The banner carries a control (e.g. NOFORN) that no portion requires, or a control \
         on unclassified information (SBU) above a classified level. Not judged while a mark \
         is unreadable or a paragraph unmarked. Cable distribution captions (EXDIS, NODIS, \
         LIMDIS) are left out: State applies them to the whole cable and never portion-marks \
         them. \
         Not judged against a ceiling statement (`HIGHEST POSSIBLE CLASSIFICATION IS` over \
         a banner line), which bounds the page's portions and need not equal their roll-up.\n\n\
         Example:\n  C O N F I D E N T I A L LONDON 000123\n  NOFORN\n  1. (C) ...   \
         <- DCL013: NOFORN found in no portion";
    RelToMismatch = "DCL014", "rel-to-mismatch", Error,
        "Banner REL TO list differs from the intersection of portion lists",
        "When every portion is REL TO, the banner is REL TO the intersection of their \
         lists (USA always kept; FVEY, ACGU, TEYE expanded); a bare `(S//REL)` needs a banner \
         REL TO list; a banner REL TO over a portion without one is wrong, as the document is \
         then NOFORN. \
         Not judged against a ceiling statement (`HIGHEST POSSIBLE CLASSIFICATION IS` over \
         a banner line), which bounds the page's portions and need not equal their roll-up.\n\n\
         Example:\n  SECRET//REL TO USA, GBR, FRA\n  1. (S//REL TO USA, GBR) ...   \
         <- DCL014: the intersection is USA, GBR";
    NofornWithRel = "DCL020", "noforn-with-rel", Error,
        "NOFORN combined with REL TO, RELIDO, EYES or DISPLAY ONLY",
        "NOFORN forbids foreign release; a release list on the same portion contradicts it.\n\n\
         Example:\n  4. (S/NF/rel Panama) ...   <- DCL020";
    DisWithoutNoforn = "DCL021", "dis-without-noforn", Warning,
        "EXDIS or NODIS without NOFORN",
        "EXDIS and NODIS each require NOFORN in current rules, and cannot appear together. \
         Checked on portions and on the banner with its captions.\n\nExample:\n  \
         C O N F I D E N T I A L STATE 000123\n  EXDIS   <- DCL021: EXDIS without NOFORN";
    SbuOnClassified = "DCL022", "sbu-on-classified", Warning,
        "SBU on a classified portion",
        "SBU, FOUO, LIMDIS and LES-as-SBU are controls on unclassified information; on a \
         classified portion SBU is dropped.\n\nExample:\n  2. (C/SBU) ...   <- DCL022";
    OrconOnUnclassified = "DCL023", "orcon-on-unclassified", Warning,
        "ORCON on an unclassified portion",
        "ORCON may be used only with C, S or TS.\n\nExample:\n  4. (U//OC) ...   <- DCL023";
    MissingAuthority = "DCL030", "missing-authority", Error,
        "Classified document without Classified By or Derived From",
        "Every classified document names its classification authority and reasons \
         (`Classified By: ... Reasons 1.4 (b) and (d)`). Cables under the orders before E.O. \
         12958 (11652, 12065, 12356) are not judged: their format had no such block.\n\n\
         Example:\n  C O N F I D E N T I A L PRAGUE 000123\n  E.O. 12958: DECL: 05/02/2017\n  \
         1. (C) ...   <- DCL030 at the banner: no Classified By";
    ReasonOutOfRange = "DCL031", "reason-out-of-range", Error,
        "Classification reason letter outside a-h",
        "E.O. 12958 section 1.4 reasons run from (a) to (h); section 1.5 before 2003 ran (a) \
         to (g). A letter outside the list cites nothing.\n\nExample:\n  \
         Classified By: Ambassador X for reasons 1.4 (b) and (j).   <- DCL031";
    ReasonSectionDate = "DCL032", "reason-section-date", Warning,
        "Reason section does not fit the document date",
        "Citations dated before 22 Sep 2003 use 1.5; from that day they use 1.4 (E.O. 12958 as \
         amended). With only the year known, 2003 is not judged.\n\nExample:\n  \
         O 031330Z MAY 07\n  Classified By: DCM X, reasons 1.5 (b) and (d).   <- DCL032, fix: 1.4";
    EoNaOnClassified = "DCL033", "eo-na-on-classified", Error,
        "`E.O. 12958: N/A` on a classified document",
        "N/A is the declassification line of unclassified cables.\n\nExample:\n  \
         C O N F I D E N T I A L ROME 000123\n  E.O. 12958: N/A   <- DCL033";
    MissingDeclassification = "DCL040", "missing-declassification", Error,
        "Classified document without a readable declassification value",
        "A classified document carries exactly one Declassify-On value: a date, an event or \
         an exemption code (`E.O. 12958: DECL: 05/02/2017`). A value that starts like a date but \
         is not one is unreadable.\n\nExample:\n  E.O. 12958: DECL: 05/02/207   <- DCL040";
    DeclassificationOutOfRange = "DCL041", "declassification-out-of-range", Warning,
        "Declassification date before the document or more than 25 years after it",
        "A date must fall after the document date and at most 25 years past it, unless an \
         exemption code (25X#, 50X#) is cited.\n\nExample:\n  O 031330Z MAY 07\n  \
         E.O. 12958: DECL: 05/02/2037   <- DCL041: 30 years after the document";
    LegacyDeclassification = "DCL042", "legacy-declassification", Info,
        "Legacy declassification token",
        "Each order had its own tokens; past its cut-off a token means nothing under the order \
         in force: GDS and XGDS after 1 Dec 1978, RDS after 1 Aug 1982, OADR after 14 Oct \
         1995, X1-X8 from 22 Sep 2003, 25X1-human after 27 Jun 2010. When such material is \
         reused the value becomes the source date + 25 years.\n\nExample:\n  O 031330Z MAY 07\n  \
         E.O. 12958: DECL: 1.6X1   <- DCL042";
    DeclassificationDue = "DCL043", "declassification-due", Info,
        "Declassification date has passed: due for review",
        "The DECL date is before the --as-of date: the document is due for declassification \
         review.\n\nExample:\n  E.O. 12958: DECL: 05/02/2017   <- DCL043 with --as-of 2026-01-01";
    ParagraphOutOfSequence = "DCL050", "paragraph-out-of-sequence", Warning,
        "Paragraph number out of sequence",
        "The printed number does not follow the previous paragraph. declass reads damaged \
         numbers by sequence (`15.` where 5 is expected reads as 5) and reports what it read.\n\n\
         Example:\n  4. (C) ...\n  15. (C) ...   <- DCL050: printed 15 read as 5";
    ContinuationJoined = "DCL051", "continuation-joined", Info,
        "Fragment joined to the paragraph it continues",
        "A blank line or page break split a sentence; the fragment after it was joined to \
         the paragraph before it.\n\nExample:\n  ...and there\n\n  is even talk of military \
         cooperation.   <- DCL051";
    PageBreakResidue = "DCL052", "page-break-residue", Info,
        "Page-break or section line inside the body",
        "Lines such as `KHARTOUM 00000413  002 OF 002` or a repeated SECTION banner are kept \
         out of paragraph text.\n\nExample:\n  KHARTOUM 00000413  002 OF 002   <- DCL052";
    SubparagraphAboveParent = "DCL053", "subparagraph-above-parent", Info,
        "Sub-paragraph marked above its parent",
        "Legal, but worth a look: the parent paragraph is not raised by its sub-paragraph, \
         and a release that keeps the parent must still withhold the item.\n\nExample:\n  \
         3. (C) The minister listed:\n     A. (S) ...   <- DCL053";
    FalseParagraphNumber = "DCL054", "false-paragraph-number", Info,
        "A number at line start was read as text, not a paragraph",
        "A line such as `27. DCM and Poloff...` after `...on April` ends a sentence split by \
         a break; it is read as text of the paragraph before it.\n\nExample:\n  \
         2. (SBU) ... on April\n\n  27. DCM and Poloff...   <- DCL054";
    InheritedMarking = "DCL055", "inherited-marking", Info,
        "Unmarked paragraph inherits its marking",
        "An unmarked paragraph takes the marking of an `ENTIRE TEXT` declaration, or of an \
         unclassified banner.\n\nExample:\n  1. C - ENTIRE TEXT.\n  2. The minister...   \
         <- DCL055: inherits C";
    EncodingRepaired = "DCL056", "encoding-repaired", Info,
        "Input was not UTF-8 and was read as Latin-1",
        "Bytes that are not UTF-8 are read as Latin-1 (0xB6 is the paragraph sign).\n\nExample:\n  a file saved as Windows-1252   <- DCL056";
    GuardWithheld = "DCL060", "guard-withheld", Warning,
        "A mark above the target, or an unreadable mark, governs text the release would print",
        "The release guard scans everything about to be released (body, header parts, \
         signature, trailing text) line by line for marking-shaped tokens anywhere in a \
         line, including look-alike letters, full-width or small parentheses and invisible \
         characters, and for banner-shaped lines. It shares no code with the parser. A \
         token above the policy's target, or one that looks like a mark but cannot be read, \
         followed by text means the document's structure was misread there: the material \
         from the token to the next boundary (the next line whose lead carries a mark, a \
         banner line, a blank line, or the end of the part) is withheld as fail closed, \
         counted in the stamp and the manifest, and never printed. Mark the portion on a \
         line of its own (or fix the parser) to release what is releasable.\n\nExample:\n  \
         1. (U) The visit went well. 2. (C) SUMMARY: ...   <- DCL060 (withheld from `(C)`)";
    UnmarkedText = "DCL080", "unmarked-text", Warning,
        "Unmarked text that may not be a portion (a heading, caption, signature or continuation)",
        "In a classified document the audit reports an unmarked run of text as an error \
         (DCL001) only when it is certainly a portion: numbered, lettered or bulleted, or a \
         sentence of prose. Page furniture, captions without text, tables of contents, \
         address, routing and distribution lines, a memo's address block or letterhead, \
         release and downgrade stamps (`RELEASE UNDER THE ... RECORDS ACT`, `UNCLASSIFIED \
         WHEN SEPARATED`), a routing sheet's printed caption, a fax header, a wiki page's \
         footer, originator lines (`OLC:RSG:jms`), file paths and runs made mostly \
         of authority fields (`CL BY`, `DRV FM`) are not reported at all. What lies between \
         is this warning: a short title, a signature block (a name over `Chief, ...`), form \
         fields (`Caption: value` lines), a list of short items (a menu), OCR noise of a form \
         (`|` box rules, one- and two-letter scraps), text that reads as the continuation of \
         a page above, the rest of a sentence a marked portion leaves open across a page \
         foot or a blank line (its last line long and ending in a lower-case letter or a \
         comma), a wrapped cell or sub-row of the marked table row above (no label of its \
         own, its cells under that row's columns, the row's cell left open), the tail of a \
         portion that opens an excerpt (lower case, above its first marked portion, which is \
         a later item of a list), an instruction or entry of a routing slip or fax cover \
         sheet above the memo (below the sheet's title, above the memo's subject or first \
         marked portion), a run or subject that opens or ends with what may be a damaged mark \
         (`(SJJREL TO USA, FVEY)`, `... banking. (8)`), an entry of a wiki page's generated \
         reference list (`2. ↑ Report ...`: a citation, which the page marks where it cites \
         it, but whose title may be classified), a heading too short to judge whose words \
         the document marks elsewhere (a wiki's contents entry `• 1 (TS//REL) Overview` over \
         an unmarked `Overview`). Look, and mark it if it is a portion. \
         Release still withholds it.\n\nExample:\n  \
         SECRET//NOFORN\n  (S//NF) The station reported\n  the meeting.   <- DCL080: continuation";
    NoPortionMarks = "DCL081", "no-portion-marks", Warning,
        "Classified document without a single portion mark",
        "A classified document none of whose portions carries a mark was written before \
         portion marking (E.O. 12065, 1978) or was marked as a whole. Reporting every \
         paragraph would drown the finding; it is reported once, at the first line. Release \
         withholds every unmarked paragraph. A numbered paragraph is still DCL001 when most \
         numbered paragraphs carry a mark and the one before or after it does: the body \
         is portion-marked, the text around it (routing slips, form fields) is not.\n\nExample:\n  SECRET\n  The station reported \
         the meeting.   <- DCL081 at line 1";
    PageBannerBelowPortion = "DCL082", "page-banner-below-portion", Error,
        "A banner line is below a portion it frames, or the first banner below the document",
        "Every page carries a banner at its top and bottom, at least as high as the highest \
         portion of the page; the first page carries the overall classification of the \
         document (32 CFR 2001.20, CAPCO Register). A banner line is compared with the \
         portions between it and the banner lines before and after it, and the first banner \
         with every portion. Reported at the banner line. A scanned memo's banner printed \
         among OCR noise (`--° SECRET a)`, `RETURN TO CIA. | SECRET = ww`: one level word, \
         no sentence, no table column, no damaged controls after it) counts by its level; \
         so do DCL083 and DCL089.\n\nExample:\n  CONFIDENTIAL   <- DCL082\n  \
         (S) Text.\n  CONFIDENTIAL   <- DCL082";
    PortionAboveBanner = "DCL083", "portion-above-banner", Error,
        "A portion is marked above every banner of the document",
        "A portion whose level is above every banner line of the document makes the document \
         wrongly marked whichever is wrong: the portion over-classified or the banners too \
         low. Reported at the portion, so that the writer sees the mark that does not fit.\n\nExample:\n  \
         SECRET//NOFORN\n  (TS//SI//NF) Text.   <- DCL083\n  SECRET//NOFORN";
    BannerMissingControl = "DCL084", "banner-missing-control", Error,
        "A banner line lacks a control that a portion it frames carries",
        "SCI, SAP and atomic energy controls and dissemination controls (NOFORN, ORCON, \
         PROPIN, IMCON, RELIDO, FISA…) of a portion must appear in the banner of its page and \
         of the document, or the page travels with fewer restrictions than its content. REL TO \
         is DCL014's. A control is not asked of a banner part OCR damaged that may be it \
         (`TOP SECRET//SI//?NORORN` holds NOFORN). Reported at the banner line.\n\n\
         Example:\n  SECRET   <- DCL084: NOFORN\n  \
         (S//NF) Text.";
    CuiMissingDesignation = "DCL085", "cui-missing-designation", Error,
        "A CUI document lacks its designation indicator (Controlled by, CUI Category, POC)",
        "The first page of a CUI document names who designated it (`Controlled by:`), its \
         category (`CUI Category:`) and a point of contact (`POC:`) (32 CFR 2002.20(b)(3), \
         DoDI 5200.48). Reported at the first CUI banner line, naming what is missing.\n\n\
         Example:\n  CUI   <- DCL085: no Controlled by, no CUI Category, no POC\n  (CUI) Text.";
    CuiInClassifiedBanner = "DCL086", "cui-in-classified-banner", Error,
        "A classified banner line carries CUI",
        "In a classified document CUI is shown in the portion marks of the unclassified \
         portions, never in the banner line, where it reads as a control of the classified \
         content (DoDI 5200.48). Reported at the banner line.\n\nExample:\n  \
         SECRET//CUI   <- DCL086\n  (S) Text.\n  (CUI) Names.";
    CuiUnmarkedPortion = "DCL087", "cui-unmarked-portion", Error,
        "A portion has no mark in a portion-marked CUI document",
        "Portion marking CUI is optional, but a document that marks some portions marks \
         them all (32 CFR 2002.20(f)). Only portions are judged: numbered or bulleted text \
         and sentences of prose, not captions, routing lines or page furniture. Reported at \
         the portion.\n\nExample:\n  CUI\n  (CUI) Names.\n  The meeting is on Tuesday.   \
         <- DCL087";
    CuiUnknownControl = "DCL088", "cui-unknown-control", Warning,
        "A CUI banner part is neither a category nor a limited dissemination control",
        "The parts after `CUI//` are categories (`SP-PRVCY`) and the limited dissemination \
         controls of the CUI Registry (NOFORN, FED ONLY, FEDCON, NOCON, DL ONLY, REL TO, \
         DISPLAY ONLY, ATTORNEY-CLIENT, ATTORNEY-WP). A warning: an agency may know a \
         category this list does not. Reported at the banner line.\n\nExample:\n  \
         CUI//FED CONTRACTORS   <- DCL088";
    PageBannersDisagree = "DCL089", "page-banners-disagree", Error,
        "Two banner lines of the same page carry different levels",
        "The banner at the top and the one at the bottom of a page both carry the page's (or \
         the document's) classification (32 CFR 2001.20(b), (c)): whichever is right, two \
         levels on one page are a marking error a reader cannot settle. Pages are read from \
         the banners: lines with only blanks or page numbers between them are a page's foot \
         and the next page's head; a `## Page N` heading between two banners puts them on \
         different pages. Interior pages may carry a lower level than the first, so \
         banners of different pages are not compared. Ceiling statements (`HIGHEST POSSIBLE \
         CLASSIFICATION IS`), e-mail `Classification:` lines and level words that frame no \
         marked portion (a classification guide's table cells) are not page banners. \
         Reported at the lower banner line.\n\nExample:\n  \
         TOP SECRET//SI//NOFORN\n  (S//SI) Text.\n  SECRET//SI//NOFORN   <- DCL089\n  \
         TOP SECRET//SI//NOFORN\n  (TS//SI//NF) Text.";
    SubparagraphAboveStatement = "DCL090", "subparagraph-above-statement", Warning,
        "Sub-paragraph marked above a parent that stands on its own",
        "A sub-item under a lead-in (`The minister listed:`) may be higher than the lead-in: \
         each is a portion of its own (DCL053, info). A parent that is a statement of its own \
         (a sentence ending in a full stop, not a heading and not ending in `:`, `the \
         following` or `as follows`) is more often marked too low than rightly below the \
         item that elaborates it, so this is a warning: check the parent's mark. Ambiguous \
         by nature, hence not an error.\n\nExample:\n  \
         2. (S) Contingency plans are updated as access changes.\n     \
         * (TS) The plans are coordinated with CENTCOM.   <- DCL090";
    PageWithoutAuthority = "DCL091", "page-without-authority", Warning,
        "Newsletter article or web page prints no authority block",
        "A classified newsletter article or web page (a `Run Date:` line, a `DYNAMIC PAGE -- \
         HIGHEST POSSIBLE CLASSIFICATION IS` or `accredited security level of this system is` \
         ceiling) whose text prints no authority field at all: no Classified By, Derived From, \
         Declassify On or E.O. line. Such a page is one item of a publication (SIDtoday, a \
         wiki) whose template and the publication carry the block: most of its articles print \
         none, so the missing block cannot be told from the page as extracted. Reported as a \
         warning instead of DCL030 and DCL040 (errors): a document kept as a file of its own \
         still needs the block. A page that prints part of a block (a Derived From without \
         its Declassify On) is judged by DCL030 and DCL040 as any document. A newsletter \
         article that prints no classification line at all gets DCL091 in place of DCL005 \
         (error), for the same reason: the banner is the page template's (SIDtoday's \
         `DYNAMIC PAGE` header), not the article's, and is not part of the article as \
         extracted. And a text that opens inside a document (its first marked portion a \
         later item of a list, `b. (U)`, `21. (U)`, with no memo subject above it) holds \
         pages from the middle of a document whose first page, where the block stands, is \
         not part of the file: it gets DCL091 at that portion in place of DCL030, when it \
         prints no field of a block. A missing declassification value stays DCL040 there: \
         until 2008 every page's banner could carry it. A classified document dated before \
         E.O. 11652 took effect (1 June 1972) with no Classified By also gets DCL091 in place \
         of DCL030: the order's implementing directive (National Security Council, 17 May \
         1972, 37 FR 10053, \"Identification of Classifier\") first asked that the \
         classifier be named on the document. The date is the document's, else a month and \
         year ending a line above a memo's or letter's subject (`MAR 7 1972`).\n\nExample:\n  \
         DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS\n  TOP SECRET//SI//REL TO USA, FVEY   \
         <- DCL091\n  (U) Title\n  Run Date: 09/15/2009\n  (S//REL) ...";
}

impl Code {
    pub fn id(self) -> &'static str {
        self.info().id
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn severity(self) -> Severity {
        self.info().severity
    }

    /// Looks a code up by id (`DCL001`) or name (`unmarked-paragraph`), case-insensitive.
    pub fn from_id(s: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.id().eq_ignore_ascii_case(s) || c.name().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for code in Code::ALL {
            let info = code.info();
            assert!(ids.insert(info.id), "duplicate id {}", info.id);
            assert!(names.insert(info.name), "duplicate name {}", info.name);
            assert!(info.id.starts_with("DCL") && info.id.len() == 6);
            assert!(!info.summary.is_empty() && !info.explanation.is_empty());
            assert!(
                info.explanation.contains("Example:"),
                "{} has no example",
                info.id
            );
            assert_eq!(Code::from_id(info.id), Some(*code));
            assert_eq!(Code::from_id(info.name), Some(*code));
        }
    }
}
