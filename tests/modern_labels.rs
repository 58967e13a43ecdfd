//! The hand-labelled modern documents (`tests/fixtures/modern`, fixtures) as a regression
//! gate: the parser scored against the labels (`examples/score_modern.rs`) and the audit
//! against planted defects (`examples/planted.rs`), with floors set to the numbers measured
//! when the labels were made. A drop below any floor fails; when work on the parser or
//! the audit raises a number, raise its floor here (`docs/evaluation.md` says how).

use crate::planted;

use planted::score_modern::labels::{self, Case};
use planted::score_modern::{mark, score};
use planted::{Kind, Tally};
use std::path::Path;

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/modern");
    labels::load(&dir).expect("the labelled fixtures load")
}

/// Parser floors per genre: (genre, boundaries, markings, banners, Declassify On), each
/// (hits, labelled). The labelled totals are fixed by the labels; a change there means the
/// labels changed and the row must be re-measured.
type Row = (
    &'static str,
    (usize, usize),
    (usize, usize),
    (usize, usize),
    (usize, usize),
);

const PARSE_FLOORS: [Row; 5] = [
    // ic markings 350 → 346: four site-book headings print two marks (`B. (U) FBI
    // Headquarters (DC) (C)`); the portion is held at the higher (fail closed), the
    // labels read the leading (U).
    // ic 377/358 → 388/367 (h16s): table rows at a first cell's gap, `[edit] (U)`, long
    // one-word and multi-word captions, the Turkey paper's subject. Four auroragold rows
    // are held at their S cells (fail closed) where the labels read the first cell's (U).
    // ic 388 → 390 (h16p): a dash list after a finished paragraph is a block of its own;
    // a page number alone between page banners is furniture.
    // ic 390 → 393 (lead, stop 31): in a numbered document only a numbered paragraph runs
    // on across a blank; a bare-marked or caption portion ends at its block.
    // ic 393/367 → 389/364 (hsafe2, fail closed, lowered on purpose): in a classified
    // document a line laid out in the columns of a marked row's last line, a capital in
    // its first cell, is a row of its own, unmarked (withheld); wrapped cells of
    // classification-guide rows now read so (the readings that changed: GSM 73 80 85 97,
    // cryptanalysis 101, Cuban 48, NYT FISA memo), where the labels give them the row's
    // mark. Unmarked rows were released under the row's lower mark
    // (tests/independent/adversarial/table-row-runon.txt).
    // ic 393/367 → 407/368 (h16q): a marked wiki heading ends at its line, an unmarked
    // bullet after marked ones is the next item, a sentence left open at a page foot goes on
    // past the banners, page and footnote numbers over a banner or a mark are furniture, an
    // indented answer goes on under its numbered question, `SUBJECT (TS//SI//NF)` without a
    // colon starts a portion, a caption marked `(U//FOUO):` ends at its line. The GSM
    // guide's TS row takes the next page's table header (one boundary lost, withheld).
    // ic → 402/365 (lead, hsafe2 and h16q merged, measured on the merged tree): hsafe2's
    // unmarked table rows cost some of h16q's gains.
    // ic → 448/479, 411/434, 104/110, 13/13 (h16y, stop 36): two held-out documents
    // labelled (the GCHQ visit precis, the NATO cyber talking points), 46/49 and 46/47 of
    // them read before any change; the first 22 documents unchanged at 402/365/90/12.
    // ic → 510/542, 472/495, 112/119, 13/13 (h16z, stop 37): two held-out documents (the
    // Politkovskaya Intellipedia page, the Menwith Hill guide pages), 60/63 and 51/61
    // before any change; 62/63 and 61/61 after (a section number before a mark no reason
    // citation prints labels a portion: `4.4 (S//TK)`); the first 24 unchanged.
    // ic → 529/567, 495/519, 122/129, 14/14 (h16y, stop 38): two held-out documents (the
    // Pine Gap guide's first pages, the targeting-rationale sheet), 19/25 and 22/24 read
    // before any change, 19/25 and 23/24 after (a caption that only starts with a field
    // word, `CLASSIFICATION GUIDE TITLE/NUMBER: (U//FOUO)`); the first 26 unchanged.
    ("ic", (529, 567), (495, 519), (122, 129), (14, 14)),
    // jfk boundaries 83 → 82: a prose line right after a banner is no longer taken as an
    // addressee (it was released with the header, unmarked); it starts the body.
    // jfk boundaries 83 → 99, markings 84 → 85 (h16j): a memo's closing block (signature,
    // attachments, distribution, `cc:`) is furniture, not the last portion's text; a marked
    // list item runs over its unmarked sub-items; a SUBJECT under the FROM line is read.
    // jfk markings 85 → 86: h16j + h16s merged (a subject under FROM read by both rules).
    // jfk boundaries 99 → 98 (hsafe2, fail closed, lowered on purpose): across a page
    // banner only text going on in lower case repairs a portion marked below the banner,
    // and rows of their own stand unmarked; the readings that changed: `104-10331-10186`
    // 69 (`SUBJECT: (U) Status …` / `the documents …` after a page banner) and
    // `104-10113-10404` 110 (`3 [py Distribution: …`), each now a portion of its own.
    // jfk 99/86 → 110/94 (h16r): paragraph numbers behind OCR specks (`1,`, `7 5.`, `*9.`),
    // damaged marks at a portion's end (`(C`, `(8)`, `(Cc)`) and after a number or label
    // (`2. (8)`, `£. (s)`, and the block under `£.` its text), a scrawled signature above
    // `Attachment:`.
    // jfk → 109/94 (hsafe2 + h16r merged, measured on the merged tree).
    // jfk 109 → 108 (hsafe3, lowered on purpose, fail closed): in a classified document a
    // block under a lead-in marked U stands alone, unmarked (withheld), where the labels read
    // the cable convention (104-10065-10144 28-36 `(U) … They are:` over names; 104-10145-10075
    // 27-46 `(U) … include the following:` over lettered items); +1 104-10330-10077 (an
    // authority block ends the portion before it).
    // jfk 108 → 110 (h16x): a page's running SUBJECT header repeating a subject that OCR'd
    // cover lines pushed past the first four portions is furniture (jfk__104-10331-10186).
    // jfk → 135/162, 115/127, 30/35 (h16y): two held-out documents (104-10067-10373,
    // 144-10001-10153), 24/38 and 20/29 before, 25/38 and 21/29 after (a short last line
    // ending an open sentence closes its paragraph with its mark); the first 20 unchanged.
    // jfk → 140/175, 118/133, 39/45, 8/8 (h16z): one held-out document (104-10427-10052,
    // OGC weekly items cut by redaction boxes), 5/13 and 3/6 before and after; its
    // `DECL__OADR` is read now (a form's underscored blanks).
    // jfk → 146/189, 129/145 (h16y, stop 38): one held-out memo (104-10140-10343), 6/14
    // and 10/12 before any change, 6/14 and 11/12 after (`(2) (8) Issues:` read as S).
    ("jfk", (146, 189), (129, 145), (39, 45), (8, 8)),
    // legal 33/28 → 41/31 (h16p): a mark alone under a portion's last sentence ends it, an
    // item under a lead-in's colon that ends in its own mark is a portion, a page number
    // between page banners is furniture, double-spaced unmarked prose runs on.
    // legal 41/31 → 44/32 (h16q): an indented list under an unmarked lead-in goes on to
    // the mark ending it; an e-mail subject stops at `Signed By:`; a quoted message's text
    // under its `Subject:` header starts a portion.
    // legal 44/32 → 45/33 (hsafe3, measured): the Ashcroft memo's 46-66 `(S)` portion is
    // found whole and its mark read.
    // legal → 61/64, 49/49, 26/26, 4/4 (h16y): the 702 targeting procedures (excerpt),
    // 14/17 before, 16/17 after (unmarked items under a classified lead-in are its text).
    // legal → 69/73, 51/52, 32/32, 4/5 (h16z): the Attorney General's pen-register
    // reports (excerpt), 8/9 and 2/3 before and after, banners 4/6 → 6/6 (`SECRET-`).
    ("legal", (69, 73), (51, 52), (32, 32), (4, 5)),
    // newsletter 116 → 118 (h16p): an unmarked dash list after `… future sessions!`.
    // newsletter 118 → 122 (h16r): SIDtoday prints a paragraph to a line; an unmarked line
    // under a marked one is a portion of its own.
    // newsletter → 195/202, 197/197 (h16y): three held-out documents, 45/74 marks and
    // boundaries before (a Markdown table's rows unread), 73/74 and 74/74 after.
    // newsletter → 225/232, 227/227, 30/30, 18/18 (h16z): two held-out documents, 29/30
    // and 30/30 before, 30/30 after (a `From:` byline under a title wrapped onto two lines).
    // newsletter → 251/258, 253/253, 32/32, 19/19 (h16y, stop 38): two held-out
    // articles, every portion and mark read before any change.
    ("newsletter", (251, 258), (253, 253), (32, 32), (19, 19)),
    // all 625/594 → 636/604: h16j + h16s merged, measured on the merged tree.
    // all 636/604 → 648/607 (h16p).
    // all 648 → 651 (lead, stop 31, the numbered run-on rule above).
    // all 651/607 → 646/604 (hsafe2: the ic and jfk rows above).
    // all 651/607 → 668/609 (h16q, the ic and legal rows above).
    // all → 662/606 (hsafe2 + h16q merged, measured on the merged tree).
    // all 651/607 → 666/615 (h16r, the jfk and newsletter rows above).
    // all → 677/614 (lead, hsafe2, h16q, h16r merged, measured on the merged tree).
    // all 677/614 → 677/615 (hsafe3, the jfk and legal rows above).
    // all 677 → 679 (h16x, the jfk row above).
    // all → 839/907, 772/807, 185/196, 41/41 (h16y): 76 documents; the first 68 still
    // 679/729, 615/641, 164/174, 38/38; the eight held-out ones 129 → 160 of 178
    // boundaries and 127 → 157 of 166 markings.
    // all → 944/1022, 868/907, 213/226, 43/44 (h16z, stop 37): 82 documents; the first 76
    // still 839/907, 772/807, 185/196, 41/41; the six held-out ones 102 → 105 of 115
    // boundaries, 86 → 96 of 100 markings, 26 → 28 of 30 banners, 1 → 2 of 3 Declassify On.
    // all → 995/1087, 928/969, 225/238, 45/46 (h16y, stop 38): five held-out documents,
    // 51/65, 58/62, 12/12, 2/2 before any change, 51/65, 60/62 after.
    ("all", (995, 1087), (928, 969), (225, 238), (45, 46)),
];

/// Audit floors per planted defect kind: (kind, hits, planted).
const PLANTED_FLOORS: [(Kind, usize, usize); 6] = [
    // 42 → 43 and 19 → 20 (h16q): the Ashcroft procedures' lead-in and list read as one
    // portion, so its removed or raised `(S)` is reported where it stands.
    // 42 → 43 (h16r): measured after the parser rules of the jfk and newsletter rows.
    // 44 (h16q + h16r merged, measured on the merged tree).
    // 44 → 43 (hsafe3, lowered on purpose): the bullet of ic__2015-…-iran-current-topics
    // under `(U) Director's Talking Points:` whose mark is removed now stands alone, unmarked
    // (withheld: blocks under a U lead-in in a classified document); the audit's precision
    // pass (src/audit, not this change's) reports no DCL001 for it there.
    // 43 → 44 (lead, merged): the audit warns of an unmarked item under a `(U)` lead-in in
    // a classified document (DCL080), so that bullet is reported where it stands.
    // 44/49 → 49/56 and the rows below (h16y): measured on the 76 documents; the first
    // 68 still give 44/49, 31/31, 20/20, 38/38, 20/21, 5/5, 84 errors, 29 at zero.
    // 49/56 → 52/60 and the rows below (h16z): measured on the 82 documents; the first
    // 76 unchanged (175/186); the six held-out ones 17/20.
    // All six rows (h16y, stop 38): the five held-out documents add 14 hits of 15
    // planted (a removed mark of the targeting sheet's first portion is reported at the
    // unmarked title above it, not at the portion); the first 82 documents unchanged.
    // 52 → 57 on the first 82 (h21a, audit only): a pipe table's unmarked row among
    // marked rows (SIDtoday OIG schedule), an unmarked heading the wiki's contents marks
    // (poisennut `Overview`), a lettered item joined to the next one's trailing mark (702
    // minimization `(e)`), a form's SUBJECT box walked past to the subject's text (FISA
    // memo), a byline block walked past to the article's first paragraph
    // (follow-the-honey). Both measured together at the stop-38 merge.
    (Kind::MarkRemoved, 61, 65),
    (Kind::BannerLowered, 42, 42),
    (Kind::AboveBanner, 25, 26),
    (Kind::DeclassifyDeleted, 45, 46),
    (Kind::ControlMissing, 29, 31),
    // 1 → 5 (h16p): the nesting pass links the sub-items to their parents.
    (Kind::SubAboveParent, 9, 11),
];

/// Error-level findings on the clean classified documents: at most this many in all, and
/// this median per document (a ceiling, not a floor: these are false alarms).
// 110 (audit round 7) → 118 with trailing marks read: documents whose only marks were
// trailing now read as classified, so their unmarked portions (OCR-damaged `(8)`, `(Ss)`)
// are reported, and memo subjects found in the body are now read (unmarked: `DCL002`).
// 118 → 121: prose lines after a banner are no longer addressees released with the
// header; unmarked, they are portions the audit reports.
// 121 → 123, median 1 → 2: addressee lines only where the layout has them (a cable's office
// lines, lines under a memo label); letterheads and title lines after the banner are body,
// unmarked portions the audit reports (`ic__2014-theintercept-ferguson-visit-precis` line 11,
// `ic__2018-theintercept-pages-from-oakstar-weekly-2013-03-22` line 9).
// 123 → 121: page banners printed in OCR noise (`--° SECRET a)`) are read by level.
// 121 → 122: an unmarked bullet joined to the marked bullet above it, among marked
// bullets (`ic__2014-derspiegel-explanation-of-the-poisennut-product-and-its-role-when`
// line 35, `• See the … Maven Project.`): a real unmarked portion, now reported.
// 122 → 114, median 2 → 1: a newsletter article or web page that prints no field of an
// authority block gets one DCL091 warning in place of DCL030 + DCL040 errors (SIDtoday
// pages g20, third-party relationships and 2009-10-19, the SSO wiki overview).
// 122 → 135 (h16j): memo subjects now read under the FROM line are unmarked in six JFK
// memos (`DCL002`, real: the labels mark them unmarked); a DCI staff-meeting memo's
// subject now reads `(U)`, so its unmarked and damaged-mark paragraphs are reported (4
// `DCL001`, real); two lines at the edge of a closing block stand as unmarked portions
// (`jfk__104-10331-10186` line 144, a wide initials line; `jfk__docid-34432000` line 108,
// an OCR'd signature title in lower case), two header lines of `jfk__104-10331-10186`.
// h21 + h16j merged: 114 + 13 = 127 (both changes as described above), median 1; with
// h16s: 126 (rows held at a later cell, subjects read; measured on the merged tree).
// 126 → 125 (h16p): measured after the nesting and trailing-mark changes.
// 126 → 105 (h21c): runs the audit now reads as no portion (release and downgrade stamps,
// memo address blocks, letterheads, originator lines, file paths, runs made mostly of
// authority fields) are not reported, and ambiguous ones (signature blocks, form fields,
// menus of short items, OCR noise of forms, a run ending or a subject opening with a
// damaged mark, `(8)`, `(SJJREL TO USA, FVEY)`) are DCL080 warnings. Judged false by the
// labels: g20 19, Turkey 10, ferguson 11, 104-10062-10036 39, 104-10110-10073 5,
// 104-10145-10075 6, 104-10306-10027 46, 104-10312-10001 4 112 122, 104-10330-10077 43,
// 104-10331-10186 11 18 144, 104-10331-10187 82, 180-10141-10232 84 89 99,
// docid-34432000 108, Ashcroft 5 10. Left and judged real: DCL030/DCL040/DCL005 where the
// text has no authority block or banner; unmarked prose, steps and subjects the labels
// read as unmarked portions (BLARNEY 13, 104-10330-10077 18 23 35 53, JFK subjects, SSO
// 83, poisennut 35, 104-10306-10027 98 146, Ashcroft 19, Cuban 3); DCL014 where portions
// without REL TO stand under a REL TO banner. Left and false, the parser's reading: NYT
// FISA memo 15 (the subject's fourth line), Turkey 53 and 104-10145-10441 13 and Ashcroft
// 32 (a marked portion split at a page break or a trailing mark), 104-10306-10027 64 (a
// damaged mark inside the run), 104-10331-10186 125 (`(s)`); the view's: NYT 206 DCL084
// (the letter-spaced banners at 160-161 unread, so the page runs from 108), 180-10141-10232
// DCL010 55 (a form's `Unclassified` field read as a banner), 104-10331-10186 DCL002 9 (an
// empty `SUBJECT:` caption: kept, a cable's subject text may stand below it); OCR: DCL003 Turkey 85, Iran
// 59; the judge's: 104-10062-10036 18 and 104-10306-10027 24 (a routing slip and a fax
// cover, prose-like), GSM 53 (a table header joined to its first row).
// h16p + h21c merged, with the numbered run-on rule (stop 31): 106, measured on the merged
// tree. Changed against h21c's 105: SSO overview 135 (a wiki page's `This page was last
// modified` footer no longer runs on under the bare-marked portion above it: false, page
// furniture), 104-10065-10378 58 (an unmarked paragraph after item `a (S)` stands alone:
// real as printed), 104-10331-10186 9 (the empty `SUBJECT:` caption, kept as h21c judged),
// Ashcroft one fewer.
// 106 → 110 (hsafe2, fail closed): the rows of their own and the text after a page
// banner above stand unmarked (`DCL001`), real as the parser now reads them.
// 106 → 105 (h16q): Turkey 53 (a sentence across a page break, now one portion), Ashcroft
// 32 (the lead-in and its list one portion) and GSM 53 (the next page's table header now
// under the TS row) gone; NYT 11 → 15 (the `SUBJECT (TS//SI//NF)` line starts a portion;
// its fourth line, after a blank, still stands alone: false); poisennut 96 new (a wiki
// footer and CAB, read before as text of the `(U//FOUO) Issues` heading and released
// with it, now stand alone unmarked: withheld, reported).
// 110 (hsafe2 + h16q merged, measured on the merged tree: hsafe2's +4 and h16q's -1 do not
// simply add; measured 110).
// 106 → 105 (h16r): gone, `jfk__104-10145-10441` 13 (the `A.`… list under `a. (S) …
// project files:` is that item's), `104-10306-10027` 64 (`7 5.` read as paragraph 5, so ¶4
// ends at its damaged `(10)`: a DCL080 warning) and `104-10331-10186` 125 (the block under
// `£. (s)` is that item's text); new, `104-10306-10027` 94 and 101: paragraphs 6 and 8,
// no longer run into the marked ones, print no mark (real, as the labels read them).
// 109 (hsafe2, h16q, h16r merged, measured on the merged tree).
// h21d: 104. The two false errors read above are gone, each by a general rule: FISA memo
// DCL084 206 (a letter-spaced banner whose controls OCR damaged, `T O P S E C R E T / / C
// < ) M I NT/…` at 161, is read by its level, so the page of 206 starts there) and
// 180-10141-10232 DCL010 55 (the value of a form's bare `CLASSIFICATION :` label, printed
// below the label column, is not compared as the banner). Planted hits unchanged (155).
// 107 (h21d merged onto the above, measured on the merged tree).
// 107 → 109 (lead, fail closed, raised on purpose): a paragraph of running prose above the
// banner is body, no longer header text released as the header is; jfk__180-10141-10213's
// fax header and routing-slip lines above its `SECRET` banner (`COMMENTS (Number each comment
// te show from` / `te whom. …`) now stand as unmarked text (DCL001 at 3 and 44, withheld)
// and its banner is not read (DCL030/DCL040 at line 1 instead of 53).
// 109 → 91 (h21e, every error read and judged in docs/audit.md, "Round 13"): false
// errors removed by general rules: wiki footers and template parameters (SSO 135,
// poisennut 96), a fax header and a routing sheet's caption (180-10141-10213 3, 44), a
// form's foot with a `DRV FM` block (NYT 46), sentences left open across a page foot or a
// form's blank line (Turkey 53, NYT 15: now DCL080 warnings), an empty `SUBJECT:` in a
// column of bare labels (104-10331-10186 9), a subject marked at the end of its last line
// past a blank (104-10135-10185 76), a `CL BY` broken over two lines (104-10110-10073 51),
// a `Derived` label cut by the page edge (CSEC 1), no Reason asked before E.O. 12958
// (104-10312-10001 132), a REL TO banner over `(U)` portions only (Cuban 1 DCL014); and
// DCL091 warnings in place of DCL005 on a newsletter article without its page's banner
// (SIDtoday 2009-10-19) and of DCL030 on an excerpt opening at a later list item (US
// sites, GSM guide, Cuban).
// 109 → 110 (hsafe3): ic__2013-cbc-nsa-csec-partnership's `(SIIREl TO USA, CAN))` (24) and
// `(TSIISIIIIREL …` (65) are read as damaged marks, unreadable (DCL003, withheld; they were
// unmarked text, withheld too, before); blarney-site-book 47 no longer unmarked (-1).
// Merged (stop 34, lead): 91 (h21e) + 1 (hsafe3's damaged marks, less blarney 47) = 92;
// an unmarked item under a `(U)` lead-in in a classified document, withheld on release
// since hsafe3, is a DCL080 warning (it was no finding), which keeps the planted Iran
// bullet (158/164) without new errors.
// 92 → 84 (h21f): a wrapped table cell or sub-row of the marked row above (GSM 73, 80, 85;
// Cuban 48), an excerpt's opening tail (Cuban 3), a cover sheet's entries (104-10062-10036
// 18, 104-10306-10027 24) are DCL080 warnings; a document dated before E.O. 11652 took
// effect (docid-34432000, March 1972) gets DCL091 in place of DCL030.
// 84 → 100 (h16y): the seven classified held-out documents bring 16 (104-10067-10373 8:
// its unmarked paragraphs and memo header; the GCHQ precis 5, the NATO talking points 3:
// unmarked titles, header lines and a page's text after a U caption); the first 61 still 84.
// 100 → 122 (h16z): the five classified held-out documents bring 22 (the Politkovskaya
// page 16: its generated footnote list and navigation links, labelled furniture, read as
// unmarked portions; Menwith 3, the GSM article 2, the pen-register reports 1); the first
// 68 classified documents still 100.
// 122 → 138 (h16y, stop 38): the five classified held-out documents bring 16 (the
// OCR'd memo 104-10140-10343 9: no banner printed, so DCL005/030/040, its unmarked subject
// and task-force blocks; the targeting sheet 4: its example lists under the TS lead-in,
// withheld; the Pine Gap pages 3); the first 74 classified documents still 122.
// 122 → 109 on the first 74 (h21a): a wiki's generated reference list (`2. ↑ Report …`)
// is DCL080, not DCL001 (Politkovskaya 12); Symbol-font bullets (U+F0B7) under a `(U)`
// lead-in are its list, DCL080 (NATO 1). Both together at the stop-38 merge: 125.
const CLEAN_ERRORS_MAX: usize = 125;
const CLEAN_MEDIAN_MAX: usize = 1;
/// Clean classified documents with no error at all: at least this many (a floor). 25 at
/// e5e4b40 → 29 (h21e); 29 at h21f (the documents it moved keep a real error each).
/// 29 → 33 (h16y): four of the seven classified held-out documents have no error.
/// 33 → 35 (h16z): two of the five classified held-out documents have no error.
/// 35 → 37 (h16y, stop 38): the two held-out newsletters have no error.
const CLEAN_AT_ZERO_MIN: usize = 37;

fn check(what: &str, got: score::Ratio, floor: (usize, usize), failures: &mut Vec<String>) {
    if got.total != floor.1 {
        failures.push(format!(
            "{what}: {} labelled, the floor table says {}: re-measure this row",
            got.total, floor.1
        ));
    } else if got.hit < floor.0 {
        failures.push(format!(
            "{what}: {}/{} is below the floor {}/{}",
            got.hit, got.total, floor.0, floor.1
        ));
    } else if got.hit > floor.0 {
        eprintln!(
            "{what}: {}/{} is above the floor {}: raise it",
            got.hit, got.total, floor.0
        );
    }
}

#[test]
fn parser_scores_hold_their_floors() {
    let scores: Vec<score::DocScore> = cases().iter().map(score::document).collect();
    let genres = score::by_genre(&scores);
    let mut failures = Vec::new();
    for (genre, bounds, marks, banners, declassify) in PARSE_FLOORS {
        let (_, t) = genres
            .iter()
            .find(|(g, _)| g == genre)
            .unwrap_or_else(|| panic!("no labelled documents of genre {genre}"));
        check(
            &format!("{genre} boundaries"),
            t.bounds,
            bounds,
            &mut failures,
        );
        check(&format!("{genre} markings"), t.marks, marks, &mut failures);
        check(
            &format!("{genre} banners"),
            t.banners,
            banners,
            &mut failures,
        );
        check(
            &format!("{genre} Declassify On"),
            t.declassify,
            declassify,
            &mut failures,
        );
    }
    assert_eq!(
        genres.len(),
        PARSE_FLOORS.len(),
        "a genre without a floor row"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn planted_defects_and_clean_errors_hold_their_floors() {
    let report = planted::run(&cases());
    let mut failures = Vec::new();
    for (kind, hit, planted) in PLANTED_FLOORS {
        let Tally {
            planted: n, hit: h, ..
        } = report.tally(kind);
        let got = score::Ratio { hit: h, total: n };
        check(kind.name(), got, (hit, planted), &mut failures);
    }
    let errors: usize = report.clean.iter().map(|(_, n, _)| n).sum();
    if errors > CLEAN_ERRORS_MAX {
        failures.push(format!(
            "clean documents: {errors} errors, the ceiling is {CLEAN_ERRORS_MAX}"
        ));
    }
    let at_zero = report.clean.iter().filter(|(_, n, _)| *n == 0).count();
    if at_zero < CLEAN_AT_ZERO_MIN {
        failures.push(format!(
            "clean documents: {at_zero} without errors, the floor is {CLEAN_AT_ZERO_MIN}"
        ));
    }
    if report.median_errors() > CLEAN_MEDIAN_MAX {
        failures.push(format!(
            "clean documents: median {} errors, the ceiling is {CLEAN_MEDIAN_MAX}",
            report.median_errors()
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn labels_are_consistent_with_their_documents() {
    let cases = cases();
    assert!(cases.len() >= 65, "{} labelled documents", cases.len());
    for case in &cases {
        let label = &case.label;
        let lines = labels::lines(&case.text);
        let blank = |n: usize| lines[n - 1].trim().is_empty();
        for p in &label.portions {
            assert!(
                1 <= p.first && p.first <= p.last && p.last <= lines.len(),
                "{}: portion {}-{} outside the document",
                label.name,
                p.first,
                p.last
            );
            assert!(
                !blank(p.first) && !blank(p.last),
                "{}: portion {}-{} starts or ends on a blank line",
                label.name,
                p.first,
                p.last
            );
            if let Some(printed) = &p.printed {
                let span = lines[p.first - 1..p.last].join("\n");
                assert!(
                    span.contains(printed.as_str()),
                    "{}: {printed} not printed in {}-{}",
                    label.name,
                    p.first,
                    p.last
                );
            }
            if let Some(parent) = p.parent {
                assert!(
                    parent < label.portions.len(),
                    "{}: parent {parent} of {}",
                    label.name,
                    p.first
                );
            }
        }
        for b in &label.banners {
            assert!(
                !blank(b.line),
                "{}: banner line {} is blank",
                label.name,
                b.line
            );
            assert!(
                mark::rank(&b.level).is_some(),
                "{}: banner level {}",
                label.name,
                b.level
            );
        }
        // Every line with text belongs to some label item: nothing was skipped unread.
        let mut covered = vec![false; lines.len() + 1];
        let spans = label
            .portions
            .iter()
            .map(|p| (p.first, p.last))
            .chain(label.furniture.iter().map(|f| (f.first, f.last)))
            .chain(label.banners.iter().map(|b| (b.line, b.line)))
            .chain(label.authority.iter().map(|a| (a.line, a.line)));
        for (first, last) in spans {
            for c in covered
                .iter_mut()
                .take(last.min(lines.len()) + 1)
                .skip(first)
            {
                *c = true;
            }
        }
        for (i, line) in lines.iter().enumerate() {
            let text = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}');
            assert!(
                covered[i + 1] || text.is_empty(),
                "{}: line {} is in no label item",
                label.name,
                i + 1
            );
        }
        let classified = label
            .banners
            .iter()
            .map(|b| b.level.as_str())
            .chain(label.portions.iter().filter_map(|p| p.level.as_deref()))
            .any(|l| mark::rank(l).is_some_and(|r| r > 0));
        assert_eq!(
            classified, label.classified,
            "{}: classified flag",
            label.name
        );
    }
}

#[test]
fn marks_compare_on_level_and_controls_whatever_their_spelling() {
    assert_eq!(
        mark::norm("TOP SECRET//COMINT//REL TO USA, AUS, CAN, GBR, NZL//20291123"),
        mark::norm("TS//SI//REL TO AUS, CAN, GBR, NZL, USA")
    );
    assert_eq!(mark::norm("SECRET//NOFORN"), mark::norm("S//NF"));
    assert_ne!(mark::norm("S//SI//REL"), mark::norm("S//SI//NF"));
    assert_ne!(mark::norm("TS//SI"), mark::norm("S//SI"));
}

#[test]
fn every_defect_kind_is_planted_somewhere() {
    let report = planted::run(&cases());
    for kind in Kind::ALL {
        assert!(
            report.tally(kind).planted > 0,
            "{} planted nowhere",
            kind.name()
        );
    }
}
