//! The unmarked rule of the independent leak checker: text a release must withhold
//! because it carries no mark in a classified document.
//!
//! Place in the project: beside the pipeline, with the marked-portion rule of `mod.rs`
//! (whose mark reader it reuses, sharing nothing with `src/`). The marked rule
//! fingerprints portions whose mark is above the target; nothing else independent of the
//! parser looked at unmarked paragraphs, unmarked subjects, unmarked headings and list
//! items, or text after a classified portion up to the next mark, which declass must
//! withhold in a classified document (MARKINGS.md §2.2: an unmarked paragraph in a
//! classified document is an error, so it is read as classified; fail closed).
//!
//! The rule:
//! - A document is *classified* when one of its banner lines (read here: a line that is a
//!   level word, letter-spaced or not, alone or followed by `//`, `/` or a capitals-only
//!   cable tail such as `PRAGUE 000486` or `SECTION 01 OF 02`) or one of its portion
//!   marks is above the target. Only classified documents are read further.
//! - The source is cut into *blocks*: lines between blank lines, a line that opens with a
//!   mark (after its lead) or carries a mark glued behind a paragraph number starting a
//!   new one. A block that opens with a mark is that portion's own paragraph (its
//!   continuation lines, no blank between them). A block with no opening mark whose line
//!   ends in a mark (`SUBJECT: … (U)`, a title `… (S//NF)`) is marked by that trailing
//!   mark. Every other block is *unmarked*.
//! - In an unmarked block, lines of document furniture that a release prints by design
//!   (below) are left out and cut the block into segments. No run of `RUN` words of a
//!   segment (all of it when it has `MIN_RUN` to `RUN` words) may stand in the release,
//!   and no line of two or more words may stand in the release as a whole line of its
//!   own (a short heading run on under a portion, or a wrapped subject's last line).
//!   A run or line that also stands in the source in a U or SBU portion's own paragraph
//!   is an explained repeat.
//! - Each block with a hit is named once, at the line where its first released run or
//!   line starts, with a kind from the nearest mark before it: `unmarked-after-U` when that
//!   mark is at or below the target (the run-on case: a person judges each, since a
//!   portion may go on past a blank line in the source's own layout),
//!   `unmarked-after-classified` when it is above the target, `unmarked` when no mark
//!   stands before it. The last two are leaks.
//!
//! Furniture a release keeps by design, each allowed for a reason (docs/MARKINGS.md §2.3,
//! §3, §4.2; the cable header the release format prints, walk of `release`):
//! - banner and classification lines: the release replaces them with its own marking, so
//!   no words of the original come out but the post and serial, which are routing;
//! - cable routing (`VZCZC…`, `ZNY…`, `DE …`, `FM …`, `TO …`, `INFO …`, `BT`, `NNNN`, a
//!   precedence and date-time group such as `O 031330Z MAY 07`, a line holding a routing
//!   indicator such as `RUEHC/SECSTATE WASHDC`): transmission data, not content;
//! - header fields of the authority block and the cable header (`E.O.`, `TAGS`, `REF`,
//!   `Classified By`, `Reason`, `DECL`, `Derived From`, `Declassify On`, `CL BY`, `DRV FM`)
//!   and the routing captions (`SIPDIS`, `NOFORN`, `EXDIS`…): markings and references
//!   that describe the document and that the release format prints (REF lines go out as
//!   references; their numbers carry no text);
//! - a `REF` field's continuation lines (lettered references, message numbers) and an
//!   authority field's wrapped lines (at most two, short): the same fields;
//! - a memo's address fields of at most twelve words (`MEMORANDUM FOR`, `TO:`, `FROM:`,
//!   `DATE:`, `THRU:`, `ATTN:`): who and when, printed as the release's header;
//! - above a cable's subject line (where no mark stands before it), lines in capitals and
//!   addressee lines (`STATE FOR NEA/MAG`), and wrapped TAGS lines of codes only: the
//!   routing and addressing of the header (the release prints addressees, names
//!   redacted);
//! - a database dump's row of metadata (`2009-08-24 05:53:00<TAB>09BERN351<TAB>…`), its
//!   `header ends` delimiter, a date stamp line (`Wednesday, 26 March 2008, 12:45`), the
//!   NARA identification form that heads a JFK record: archive data, not the document's.
//!
//! A run of a block that the shape-read furniture above also holds (a header run together
//! on one line in a dump) is furniture printed again, not a hit; a run that stands in an
//! unmarked block after a U portion is counted as a repeat for the leak kinds, since that
//! block is itself judged as `unmarked-after-U`. A page banner ends a block like a blank
//! line.
//!
//! A subject, a heading, a salutation, a signature block, a caption or a table row is
//! NOT furniture: each of them is content that needs a mark.

use super::{Level, MIN_RUN, Mark, RUN, after_section_number, joined, paren_mark, words};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// What stands before an unmarked block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The nearest mark before it is at or below the target: a possible run-on, judged by
    /// a person.
    AfterOpen,
    /// The nearest mark before it is above the target: a leak.
    AfterWithheld,
    /// No mark stands before it: a leak.
    NoMark,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::AfterOpen, Kind::AfterWithheld, Kind::NoMark];

    /// The name printed by the sweep.
    pub fn name(self) -> &'static str {
        match self {
            Kind::AfterOpen => "unmarked-after-U",
            Kind::AfterWithheld => "unmarked-after-classified",
            Kind::NoMark => "unmarked",
        }
    }

    /// Whether a hit of this kind is a leak as it stands (not a case for a person).
    pub fn is_leak(self) -> bool {
        self != Kind::AfterOpen
    }
}

/// An unmarked block whose words the release prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockHit {
    /// 1-based source line where the first released run (or line) starts.
    pub line: usize,
    pub kind: Kind,
    /// The words also stand in a U or SBU portion's own paragraph.
    pub repeat: bool,
}

/// What the unmarked rule found in one release.
#[derive(Clone, Debug, Default)]
pub struct Found {
    /// Unmarked blocks with two or more words to check (in classified documents only).
    pub checked: usize,
    pub hits: Vec<BlockHit>,
}

/// The release as the rule reads it: the hashes of its runs of `RUN` words and of each of
/// its lines' words, and its words joined (a hashed match is confirmed on them).
pub struct Released {
    runs: HashSet<u64>,
    pub(super) joined: String,
    lines: HashSet<u64>,
}

/// A word's hash: each word is hashed once, runs and lines combine the hashes.
fn word_hash(w: &str) -> u64 {
    let mut h = DefaultHasher::new();
    w.hash(&mut h);
    h.finish()
}

/// The hash of a run of words, from their hashes (order matters).
fn run_hash(hashes: &[u64]) -> u64 {
    hashes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &x| {
        (h ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
    })
}

impl Released {
    pub fn new(release: &str) -> Released {
        let all = words(release);
        let hashes: Vec<u64> = all.iter().map(|w| word_hash(w)).collect();
        let runs = hashes.windows(RUN).map(run_hash).collect();
        let lines = release
            .lines()
            .map(words)
            .filter(|w| w.len() >= 2)
            .map(|w| run_hash(&w.iter().map(|w| word_hash(w)).collect::<Vec<_>>()))
            .collect();
        Released {
            runs,
            joined: joined(&all),
            lines,
        }
    }
}

/// A line of a block: its line number and its text (marks and what precedes an opening
/// mark left out).
struct Piece {
    line: usize,
    text: String,
}

/// A block of the source: lines between blank lines and marks.
struct Block {
    /// Index of its first piece.
    first: usize,
    /// The level of the mark that governs it (opening or trailing), if any.
    mark: Option<Level>,
    /// The level of the nearest mark before the block.
    before: Option<Level>,
    pieces: Vec<Piece>,
}

/// A banner line's level: a level word, letter-spaced or not, alone or followed by
/// `//`, `/` or a capitals-only tail.
pub fn banner_level(line: &[char]) -> Option<Level> {
    let text: String = line.iter().collect();
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 90 {
        return None;
    }
    // collapse letter spacing: `C O N F I D E N T I A L PRAGUE 0486`
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let spaced = tokens
        .iter()
        .take_while(|t| t.chars().count() == 1 && t.chars().all(|c| c.is_ascii_uppercase()))
        .count();
    let (head, rest) = if spaced >= 4 {
        (tokens[..spaced].concat(), tokens[spaced..].join(" "))
    } else {
        (String::new(), String::new())
    };
    let collapsed = if spaced >= 4 {
        format!("{head} {rest}")
    } else {
        text.to_owned()
    };
    let collapsed = collapsed.trim();
    for (word, level) in [
        ("TOP SECRET", Level::TS),
        ("TOPSECRET", Level::TS),
        ("SECRET", Level::S),
        ("CONFIDENTIAL", Level::C),
        ("UNCLASSIFIED", Level::U),
    ] {
        let Some(tail) = collapsed.strip_prefix(word) else {
            continue;
        };
        let ok = tail.is_empty()
            || tail.starts_with('/')
            || (tail.starts_with(' ')
                && !tail.chars().any(|c| c.is_lowercase())
                && tail.split_whitespace().count() <= 6);
        return ok.then_some(level);
    }
    None
}

/// A mark at the end of `chars` (`SUBJECT: … (U)`, a title `… (S//NF)`), if any: a bare
/// letter only in capitals and not after a section number or a list of reason letters.
fn trailing_mark(chars: &[char]) -> Option<(Mark, usize)> {
    let mut end = chars.len();
    while end > 0 && (chars[end - 1].is_whitespace() || chars[end - 1] == '.') {
        end -= 1;
    }
    if end == 0 || chars[end - 1] != ')' {
        return None;
    }
    let open = chars[..end].iter().rposition(|&c| c == '(')?;
    let m = paren_mark(&chars[open..end])?;
    if m.len != end - open || open == 0 {
        return None;
    }
    let before = &chars[..open];
    let tail: String = before.iter().rev().take(6).collect::<String>();
    let reasons = tail.trim_start().starts_with("dna") || tail.trim_start().starts_with("DNA");
    let ok = m
        .letter
        .is_none_or(|l| l.is_ascii_uppercase() && !after_section_number(before) && !reasons)
        && before
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .is_none_or(|c| *c != ',');
    ok.then_some((m, open))
}

/// Whether `line` is furniture a release prints by design (see the module doc).
fn furniture(line: &str) -> bool {
    let t = line.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
    if t.is_empty() {
        return true;
    }
    let chars: Vec<char> = t.chars().collect();
    if banner_level(&chars).is_some() {
        return true;
    }
    let upper = t.to_ascii_uppercase();
    let first = upper
        .split(|c: char| c.is_whitespace() || c == ':')
        .next()
        .unwrap_or("");
    let caps = !t.chars().any(|c| c.is_lowercase());
    // cable routing
    if caps
        && (first.starts_with("VZCZC")
            || first.starts_with("ZNY")
            || first.starts_with("ZNR")
            || matches!(first, "DE" | "FM" | "TO" | "INFO" | "BT" | "NNNN" | "XMT"))
    {
        return true;
    }
    if caps && precedence_dtg(&upper) {
        return true;
    }
    if caps && (routing_indicator(&upper) || indicators(&upper)) {
        return true;
    }
    if date_stamp(t) || metadata_row(t) || dump_delimiter(t) {
        return true;
    }
    // header fields
    let fields = [
        "E.O.",
        "E.0.",
        "E. O.",
        "EO 1",
        "E.O 1",
        "TAGS",
        "REF",
        "REFS",
        "REFTEL",
        "CLASSIFIED BY",
        "CLASSIFIED BY:",
        "REASON",
        "REASONS",
        "DECL",
        "DECL:",
        "DERIVED FROM",
        "DECLASSIFY ON",
        "CL BY",
        "CL REASON",
        "DRV FM",
        "DRV FRM",
        "DECL ON",
    ];
    // a memo's address fields (`MEMORANDUM FOR: Director`, `FROM: …`, `DATE: …`): who
    // and when, which the release prints as its header
    let memo = [
        "MEMORANDUM FOR",
        "TO:",
        "FROM:",
        "DATE:",
        "THRU:",
        "THROUGH:",
        "ATTN:",
    ];
    if memo.iter().any(|f| upper.starts_with(f)) && t.split_whitespace().count() <= 12 {
        return true;
    }
    // words prose may open with count as a field only before a colon or a citation
    let prose_like = ["REASON", "REASONS", "DECL", "DERIVED FROM", "DECLASSIFY ON"];
    if fields.iter().any(|f| {
        let Some(after) = upper.strip_prefix(f) else {
            return false;
        };
        let next = after.trim_start().chars().next();
        if prose_like.contains(f) {
            return next.is_none_or(|c| c == ':' || c.is_ascii_digit());
        }
        after
            .chars()
            .next()
            .is_none_or(|c| c == ':' || c == ' ' || c == '.' || c.is_ascii_digit())
    }) {
        return true;
    }
    // routing and handling captions, alone on their line or listed (`SIPDIS, NOFORN`),
    // letter-spaced or not (`C O R R E C T E D C O P Y`); a field may follow them on the
    // line (`SIPDIS E.O. 12958: …`)
    let collapsed = collapse_spacing(&upper);
    let mut rest = collapsed.trim();
    let mut any = false;
    loop {
        let r = rest.trim_start_matches([' ', ',', '-', '.', ';']);
        match CAPTIONS.iter().find(|c| {
            r.starts_with(*c)
                && r[c.len()..]
                    .chars()
                    .next()
                    .is_none_or(|n| !n.is_ascii_alphanumeric())
        }) {
            // `CORRECTED COPY - ADDING ADDRESSEE`: the note says what the retransmission
            // corrected
            Some(c) if c.starts_with("CORRECTED") => return true,
            Some(c) => {
                rest = &r[c.len()..];
                any = true;
            }
            None => {
                rest = r;
                break;
            }
        }
    }
    any && (rest.is_empty() || furniture(rest))
}

/// Routing and handling captions of a cable (MARKINGS.md §2.3), and the word `CAPTION`
/// that announces a corrected one.
const CAPTIONS: &[&str] = &[
    "SIPDIS",
    "NOFORN",
    "NODIS",
    "EXDIS",
    "LIMDIS",
    "STADIS",
    "SENSITIVE",
    "INFORM CONSULS",
    "CORRECTED COPY",
    "CORRECTED CAPTION",
    "CAPTION",
    "SPECAT EXCLUSIVE",
    "SPECAT",
];

/// The line with runs of letter-spaced capitals closed up: `C O R R E C T E D COPY` →
/// `CORRECTED COPY`.
fn collapse_spacing(upper: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    for tok in upper.split_whitespace() {
        if tok.chars().count() == 1 && tok.chars().all(|c| c.is_ascii_uppercase()) {
            run.push_str(tok);
            continue;
        }
        if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
        out.push(tok.to_owned());
    }
    if !run.is_empty() {
        out.push(run);
    }
    out.join(" ")
}

/// A line of routing indicators after an optional precedence: `RR RUEHCD RUEHGD RUEHHO`.
fn indicators(upper: &str) -> bool {
    let toks: Vec<&str> = upper.split_whitespace().collect();
    let body = match toks.first() {
        Some(&("O" | "OO" | "P" | "PP" | "R" | "RR" | "Z" | "ZZ")) => &toks[1..],
        _ => &toks[..],
    };
    !body.is_empty()
        && body.iter().all(|t| {
            let t = t.trim_end_matches(['\\', ',']);
            t.len() >= 5 && t.starts_with('R') && t.chars().all(|c| c.is_ascii_uppercase())
        })
}

/// The delimiter a database dump prints between a cable's metadata and its text:
/// `----------------- header ends ----------------`.
fn dump_delimiter(t: &str) -> bool {
    t.trim_matches(|c: char| c == '-' || c.is_whitespace())
        .eq_ignore_ascii_case("header ends")
}

/// A date stamp alone on its line, as a page of cables heads each: `Wednesday, 26 March
/// 2008, 12:45`.
fn date_stamp(t: &str) -> bool {
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let w: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    w.len() == 5
        && DAYS.contains(&w[0])
        && w[1].chars().all(|c| c.is_ascii_digit())
        && w[3].len() == 4
        && w[3].chars().all(|c| c.is_ascii_digit())
        && w[4].contains(':')
}

/// A row of a cable database dump: `2009-08-24 05:53:00<TAB>09BERN351<TAB>…`, its date,
/// message id, origin and classification (the cable's own text after them is read on the
/// next lines).
fn metadata_row(t: &str) -> bool {
    // a row number may come first: `96338<TAB>2007-02-13 06:01:00<TAB>…`
    let t = match t.split_once('\t') {
        Some((id, rest)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => t,
    };
    let b = t.as_bytes();
    b.len() > 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[19] == b'\t'
}

/// A precedence and date-time group: `O 031330Z MAY 07`, `R 121212Z JAN 09`.
fn precedence_dtg(upper: &str) -> bool {
    let prec = |p: &str| matches!(p, "O" | "OO" | "P" | "PP" | "R" | "RR" | "Z" | "ZZ");
    let toks: Vec<&str> = upper.split_whitespace().collect();
    // one or two precedences (action, info): `O R 272314Z JAN 10`
    let n = toks.iter().take(2).take_while(|t| prec(t)).count();
    let Some(dtg) = toks.get(n).filter(|_| n > 0) else {
        return false;
    };
    dtg.len() == 7 && dtg.ends_with('Z') && dtg[..6].chars().all(|c| c.is_ascii_digit())
}

/// A routing indicator and office: `RUEHC/SECSTATE WASHDC`, `RHEHNSC/NSC WASHDC`.
fn routing_indicator(upper: &str) -> bool {
    upper.split_whitespace().take(2).any(|tok| {
        let Some((ri, _)) = tok.split_once('/') else {
            return false;
        };
        ri.len() >= 5 && ri.starts_with('R') && ri.chars().all(|c| c.is_ascii_uppercase())
    })
}

/// A continuation line of a REF field: a lettered reference of at most twelve words
/// (`B. STATE 1234`, `¶B. 07 AMMAN 4885`, `(C) 09X`, `C: …`), or a message number of at
/// most eight words (`09 CAIRO 1556`). Prose run on under a REF is not one.
fn ref_continuation(line: &str) -> bool {
    let t = line.trim_start().trim_start_matches('¶');
    // `¶C. 2008 STATE 115523  Classified By: …`: a reference, then the authority block
    if let Some(at) = t.to_ascii_uppercase().find("CLASSIFIED BY") {
        return at > 0 && ref_continuation(&t[..at]) && furniture(&t[at..]);
    }
    let n = t.split_whitespace().count();
    let caps = !t.chars().any(|c| c.is_lowercase());
    let mut c = t.chars();
    let lettered = match (c.next(), c.next(), c.next()) {
        (Some(l), Some('.' | ')' | ':'), _) => l.is_ascii_uppercase(),
        (Some('('), Some(l), Some(')')) => l.is_ascii_uppercase(),
        _ => false,
    };
    (lettered && (n <= 12 || (caps && n <= 30)))
        || (n <= 8 && t.chars().any(|c| c.is_ascii_digit()))
}

/// A continuation line of an authority block's field (`Classified By: … Counselor`
/// then `for reasons 1.4 (b) and (d).`): at most eight words, or at most twelve that
/// cite the reasons, at most two lines.
fn authority_continuation(line: &str) -> bool {
    let n = line.split_whitespace().count();
    let l = line.to_ascii_lowercase();
    n <= 8 || (n <= 12 && l.contains("reason") && (l.contains("1.4") || l.contains("1.5")))
}

/// Whether a line opens an authority field whose wrapped lines go on below it.
fn authority_field(upper: &str) -> bool {
    [
        "CLASSIFIED BY",
        "CL BY",
        "DERIVED FROM",
        "DRV FM",
        "REASON",
        "CL REASON",
    ]
    .iter()
    .any(|f| upper.starts_with(f))
}

/// An addressee line of a cable's header, before its subject: capitals only, at most
/// twelve words, naming offices (`STATE FOR NEA/MAG AND ISN`, `DEPT PASS TO ATF`,
/// `AMEMBASSY NICOSIA`, `NSC WASHINGTON DC`). The release prints them (names redacted).
fn addressee(line: &str) -> bool {
    let t = line.trim();
    if t.chars().any(|c| c.is_lowercase()) || t.split_whitespace().count() > 12 {
        return false;
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| w.contains('/'))
        || words.windows(2).any(|p| p == ["PASS", "TO"])
        || words.first().is_some_and(|w| {
            matches!(
                *w,
                "FOR"
                    | "STATE"
                    | "DEPT"
                    | "DEPT."
                    | "DEPARTMENT"
                    | "SECSTATE"
                    | "AMEMBASSY"
                    | "AMCONSUL"
                    | "USMISSION"
                    | "NSC"
                    | "USDAO"
                    | "CIA"
                    | "SECDEF"
                    | "JOINT"
            ) && words.iter().skip(1).any(|w| {
                matches!(*w, "FOR" | "PASS" | "WASHDC" | "WASHINGTON" | "DC") || w.len() >= 3
            })
        })
}

/// A line of a cable's header above its subject line: capitals only, at most twelve
/// words (addressees, offices, wrapped TAGS: `SA, NATO`, `ENRG, TRGY`, `DIA WASHINGTON
/// DC`). Only read so where the source has a subject line with no mark before it: what
/// stands above a cable's subject is its routing and addressing, which the release prints.
fn header_caps(line: &str) -> bool {
    !line.chars().any(|c| c.is_lowercase()) || addressee_mixed(line)
}

/// An addressee line in mixed case: `State for EUR/NB and OES/OA`: `for` and an office
/// symbol with a slash, at most twelve words.
fn addressee_mixed(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() <= 12
        && words.iter().any(|w| w.eq_ignore_ascii_case("for"))
        && words
            .iter()
            .any(|w| w.contains('/') && w.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2)
}

/// A wrapped line of a TAGS field: country and subject codes only (`RS, GG, UP, BO`,
/// `PGOV, ZL, AF`).
fn tag_list(line: &str) -> bool {
    let toks: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    toks.len() >= 2
        && toks
            .iter()
            .all(|t| (2..=5).contains(&t.len()) && t.chars().all(|c| c.is_ascii_uppercase()))
}

/// The first piece that opens a subject line (`SUBJECT:`, `SUBJ:`), if no mark stands
/// before it.
fn subject_piece(lines: &[(usize, Vec<char>)], marks: &[(usize, Mark, usize)]) -> Option<usize> {
    let first_mark = marks.first().map_or(usize::MAX, |m| m.0);
    lines
        .iter()
        .take(first_mark.min(lines.len()))
        .position(|(_, c)| {
            let t: String = c
                .iter()
                .collect::<String>()
                .trim_start()
                .to_ascii_uppercase();
            t.starts_with("SUBJECT") || t.starts_with("SUBJ:")
        })
}

/// The pieces of a NARA identification form that heads a JFK record (`JFK Assassination
/// System` … `Identification Form`, up to the next `## Page` line): the archive's finding
/// aid, written at release and unclassified by nature, which the release prints.
fn nara_form(lines: &[(usize, Vec<char>)]) -> Option<(usize, usize)> {
    let text = |k: usize| lines[k].1.iter().collect::<String>();
    let start = (0..lines.len().min(15)).find(|&k| text(k).trim() == "JFK Assassination System")?;
    let end = (start + 1..lines.len())
        .find(|&k| text(k).starts_with("## Page"))
        .unwrap_or(lines.len());
    Some((start, end))
}

/// Cuts the pieces into blocks (see the module doc).
fn blocks(
    lines: &[(usize, Vec<char>)],
    (marks, starts): &(Vec<(usize, Mark, usize)>, Vec<bool>),
) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    let mut before: Option<Level> = None;
    let mut m = 0;
    for (k, (line, chars)) in lines.iter().enumerate() {
        let on_line: Vec<&(usize, Mark, usize)> = {
            while m < marks.len() && marks[m].0 < k {
                m += 1;
            }
            marks[m..].iter().take_while(|x| x.0 == k).collect()
        };
        // a blank line ends a block, and so does a page banner: what follows a page
        // break is not taken as the portion before's own text (a page break inside a U
        // paragraph is a run-on for a person to judge)
        if chars.iter().all(|c| c.is_whitespace()) || banner_level(chars).is_some() {
            open = false;
            continue;
        }
        if let Some(first) = on_line.first() {
            // text before a glued mark belongs to the block it ends
            if !starts[k] {
                let cut = super::start_of_glued(chars, first.2);
                if open && out.last().is_some_and(|b| b.mark.is_none()) {
                    let text: String = chars[..cut].iter().collect();
                    out.last_mut()
                        .unwrap()
                        .pieces
                        .push(Piece { line: *line, text });
                }
            }
            let last = on_line.last().unwrap();
            let text: String = chars[last.2..].iter().collect();
            out.push(Block {
                first: k,
                mark: Some(last.1.level),
                before,
                pieces: vec![Piece { line: *line, text }],
            });
            open = true;
            before = Some(last.1.level);
            continue;
        }
        let trailing = trailing_mark(chars);
        let text: String = match trailing {
            Some((_, open)) => chars[..open].iter().collect(),
            None => chars.iter().collect(),
        };
        if !open {
            out.push(Block {
                first: k,
                mark: None,
                before,
                pieces: Vec::new(),
            });
            open = true;
        }
        let block = out.last_mut().unwrap();
        block.pieces.push(Piece { line: *line, text });
        if let Some((t, _)) = trailing
            && block.mark.is_none()
        {
            block.mark = Some(t.level);
            before = Some(t.level);
        }
    }
    out
}

/// The words of a segment, each with its line number.
type Segment = Vec<(usize, String)>;

/// An unmarked block's segments: its non-furniture lines' words, cut at furniture lines.
fn segments(
    block: &Block,
    header: bool,
    after_ref: &mut bool,
    furniture_words: &mut Vec<String>,
) -> Vec<Segment> {
    let mut out: Vec<Segment> = vec![Vec::new()];
    // the field whose wrapped lines may follow: a REF (whose lettered references may
    // stand after a blank line), or an authority field (with the lines it may still take)
    let mut in_ref = *after_ref;
    let mut in_authority = 0;
    let mut subject = false;
    for p in &block.pieces {
        let upper = p.text.trim_start().to_ascii_uppercase();
        subject |= upper.starts_with("SUBJ");
        let field = furniture(&p.text);
        let strict = field
            || (in_ref && ref_continuation(&p.text))
            || (in_authority > 0 && authority_continuation(&p.text));
        let skip = strict
            || (block.before.is_none() && !subject && addressee(&p.text))
            || (header && !subject && header_caps(&p.text))
            || (block.before.is_none() && tag_list(&p.text));
        in_ref = (field && upper.starts_with("REF")) || (in_ref && skip);
        in_authority = if field && authority_field(&upper) {
            2
        } else if in_authority > 0 && skip {
            in_authority - 1
        } else {
            0
        };
        if skip {
            out.push(Vec::new());
            // only the furniture read by its own shape explains a run printed again; an
            // addressee or a page title is read so only by where it stands
            if strict {
                furniture_words.extend(words(&p.text));
            }
            continue;
        }
        let seg = out.last_mut().unwrap();
        for w in words(&super::without_placeholders(&p.text)) {
            seg.push((p.line, w));
        }
    }
    *after_ref = in_ref;
    out.retain(|s| !s.is_empty());
    out
}

/// Checks the unmarked blocks of a classified source against a release.
pub(super) fn check(
    lines: &[(usize, Vec<char>)],
    marks: &(Vec<(usize, Mark, usize)>, Vec<bool>),
    released: &Released,
    target: Level,
) -> Found {
    let banner = lines.iter().filter_map(|(_, c)| banner_level(c)).max();
    let top = marks.0.iter().map(|m| m.1.level).max();
    if banner.max(top).is_none_or(|l| l <= target) {
        return Found::default();
    }
    let form = nara_form(lines);
    let mut blocks = blocks(lines, marks);
    if let Some((from, to)) = form {
        blocks.retain(|b| b.mark.is_some() || b.first < from || b.first >= to);
    }
    let subject = subject_piece(lines, &marks.0);
    // the words of U and SBU portions' own paragraphs, for explained repeats
    let open: Vec<String> = blocks
        .iter()
        .filter(|b| b.mark.is_some_and(|l| l <= target))
        .map(|b| {
            let text: String = b.pieces.iter().map(|p| p.text.clone() + " ").collect();
            joined(&words(&super::without_placeholders(&text)))
        })
        .collect();

    let mut found = Found::default();
    // every unmarked block's segments, and the words of the furniture left out of them
    let mut after_ref = false;
    let mut furniture_words = Vec::new();
    let mut unmarked = Vec::new();
    for block in &blocks {
        if block.mark.is_some() {
            after_ref = false;
            continue;
        }
        let header = block.before.is_none() && subject.is_some_and(|s| block.first <= s);
        let segs = segments(block, header, &mut after_ref, &mut furniture_words);
        unmarked.push((block, segs));
    }
    // A run the furniture holds too is furniture printed again (a header run together on
    // one line in a database dump): what the release prints by design.
    let furniture_text = joined(&furniture_words);
    // A run that also stands in an unmarked block after a U portion is counted as a
    // repeat: that block is a hit of its own kind, which a person judges.
    let mut run_ons = Vec::new();
    for (block, segs) in &unmarked {
        if block.before.is_some_and(|l| l <= target) {
            for seg in segs {
                let ws: Vec<String> = seg.iter().map(|(_, w)| w.clone()).collect();
                run_ons.push(joined(&ws));
            }
        }
    }
    let repeat = |needle: &str, kind: Kind| {
        open.iter().any(|u| u.contains(needle))
            || (kind != Kind::AfterOpen && run_ons.iter().any(|u| u.contains(needle)))
    };
    for (block, segs) in &unmarked {
        let kind = match block.before {
            None => Kind::NoMark,
            Some(l) if l <= target => Kind::AfterOpen,
            Some(_) => Kind::AfterWithheld,
        };
        if segs.iter().all(|s| s.len() < 2) {
            continue;
        }
        found.checked += 1;
        let mut hit: Option<BlockHit> = None;
        let mut note = |line: usize, needle: &str| {
            if furniture_text.contains(needle) {
                return;
            }
            let r = repeat(needle, kind);
            if hit.as_ref().is_none_or(|h| h.repeat && !r) {
                hit = Some(BlockHit {
                    line,
                    kind,
                    repeat: r,
                });
            }
        };
        for seg in segs {
            let ws: Vec<&str> = seg.iter().map(|(_, w)| w.as_str()).collect();
            let hs: Vec<u64> = ws.iter().map(|w| word_hash(w)).collect();
            let join = |ws: &[&str]| {
                let mut s = String::from(" ");
                for w in ws {
                    s.push_str(w);
                    s.push(' ');
                }
                s
            };
            if ws.len() >= RUN {
                for (i, run) in hs.windows(RUN).enumerate() {
                    if released.runs.contains(&run_hash(run)) {
                        let needle = join(&ws[i..i + RUN]);
                        if released.joined.contains(&needle) {
                            note(seg[i].0, &needle);
                        }
                    }
                }
            } else if ws.len() >= MIN_RUN {
                let needle = join(&ws);
                if released.joined.contains(&needle) {
                    note(seg[0].0, &needle);
                }
            }
            // each line of two or more words printed whole as a line of the release
            let mut i = 0;
            while i < seg.len() {
                let line = seg[i].0;
                let n = seg[i..].iter().take_while(|(l, _)| *l == line).count();
                // a letter-spaced stamp (`D R A F T`) is one word, not five
                let long = ws[i..i + n]
                    .iter()
                    .filter(|w| w.chars().count() > 1)
                    .count();
                if long >= 2 && released.lines.contains(&run_hash(&hs[i..i + n])) {
                    note(line, &join(&ws[i..i + n]));
                }
                i += n;
            }
        }
        if let Some(h) = hit {
            found.hits.push(h);
        }
    }
    found
}
