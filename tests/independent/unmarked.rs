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
//!   NARA identification form that heads a JFK record (its title read through OCR damage,
//!   `; JFK Assassination System`, `identification Form`, within the first sixty lines;
//!   the form runs from the top to the archive's first page stamp after its title, or, with
//!   none within a hundred lines, to the end of its fields, so that a one-page record's own
//!   text after them is checked): archive data, not the document's;
//! - the stamps and page furniture of `stamps` (dates, numbers, message ids, a dump's
//!   metadata fields, distribution codes, the JFK release and page stamps, a scan's
//!   declassification stamp, IC system banners, version lines, page numbers, a banner's
//!   wrapped control words), each justified there: shapes no sentence takes;
//! - a cable's header run together on one line (`C O N F I D E N T I A L SECTION 01 OF 02
//!   MOSCOW 001537 SIPDIS E.O. 12958: … TAGS: …`, or an addressee run into its E.O. line):
//!   furniture only when each of its pieces is (post and serial, caption, field, TAGS codes,
//!   addressee), with no lower case and no subject;
//! - a TO or INFO addressee wrapped (`CIA WASHINGTON DC PRIORITY`): routing;
//! - by where it stands: the header of a cable runs down to its subject line, or to its last
//!   E.O., TAGS or authority field above the first mark when its subject stands after a mark
//!   or is missing; a `SECTION nn OF nn` banner's next lines up to the first mark are that
//!   section's header printed again, where an addressee line (a long one too: capitals, a
//!   `FOR` and an office symbol, at most thirty words) is furniture; a REF title left open
//!   (`("CUBA'S ECONOMY: WHERE TWO PLUS TWO` / `EQUALS THREE"`) takes its next short line;
//!   a dump's origin line right under its message id (`09THEHAGUE404` / `Embassy The
//!   Hague`); the JFK collection's four-line `Released under the John F. Kennedy …` stamp; a
//!   running head or foot (the same line of two to twelve words standing alone three times
//!   or more); a cable's signature (its last line, one to three names in capitals). A line
//!   of a lone `\` (a dump's line end) is a blank line.
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
use std::collections::{HashMap, HashSet};
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
    if banner_level(&chars).is_some() || super::stamps::stamp(t.trim()) {
        return true;
    }
    // runs of spaces closed up: `Classified  By:`
    let upper = if t.contains("  ") || t.contains('\t') {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase()
    } else {
        t.to_ascii_uppercase()
    };
    if header_run(t, &upper) {
        return true;
    }
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
    // a TO or INFO addressee wrapped: `CIA WASHINGTON DC PRIORITY\`, `AMEMBASSY ROME
    // IMMEDIATE 5907`
    let last = upper
        .split_whitespace()
        .rev()
        .map(|w| w.trim_end_matches('\\'))
        .find(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()));
    // (no verb or pronoun a sentence needs: `WE CONSIDER THIS A PRIORITY` is prose; an
    // office's name may hold `OF`, `THE`: `DEPT OF JUSTICE WASHINGTON DC PRIORITY`)
    let sentence_word = upper.split_whitespace().any(|w| {
        matches!(
            w,
            "A" | "AN"
                | "IS"
                | "ARE"
                | "WAS"
                | "BE"
                | "THIS"
                | "THAT"
                | "WE"
                | "IT"
                | "HAS"
                | "HAVE"
                | "WILL"
                | "NOT"
        )
    });
    if caps
        && !sentence_word
        && upper.split_whitespace().count() <= 8
        && last.is_some_and(|w| matches!(w, "PRIORITY" | "IMMEDIATE" | "ROUTINE" | "FLASH"))
    {
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
        "REFTELS",
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
        "ATTENTION:",
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
        // a bare `REF` (no colon) is a field only with a reference after it: an all-caps
        // sentence may open with the word (`REF MATTERS DISCUSSED WITH …`)
        if f.starts_with("REF") && after.starts_with(' ') {
            let rest = after.trim();
            return rest.is_empty() || rest.starts_with(':') || ref_continuation(rest);
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

/// A cable's header run together on one line after its banner, as a dump prints it:
/// `C O N F I D E N T I A L SECTION 01 OF 02 MOSCOW 001537 SIPDIS E.O. 12958: DECL:
/// 04/06/2017 TAGS: PINR MARR RS`. It is furniture only when every piece of it is: cut
/// at the field and caption words, each piece must be the post and serial, a caption, a
/// header field (a TAGS field of codes only) or an addressee line; no lower case, and no
/// subject (a subject is content).
fn header_run(t: &str, upper: &str) -> bool {
    if t.chars().any(|c| c.is_lowercase()) || upper.contains("SUBJ") {
        return false;
    }
    // (a dump's truncation mark before it: `...C O N F I D E N T I A L`)
    let collapsed = collapse_spacing(upper.trim_start_matches('.'));
    let banner = ["TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED"]
        .iter()
        .find_map(|w| collapsed.trim().strip_prefix(w));
    let tail = match banner {
        Some(tail) if tail.starts_with(' ') => tail,
        Some(_) => return false,
        None => collapsed.trim(),
    };
    let cut = |w: &str| {
        matches!(
            w,
            "SIPDIS" | "SENSITIVE" | "NOFORN" | "EXDIS" | "NODIS" | "LIMDIS" | "TAGS" | "TAGS:"
        ) || w.starts_with("E.O")
    };
    let mut chunks: Vec<Vec<&str>> = vec![Vec::new()];
    for w in tail.split_whitespace() {
        if cut(w) {
            chunks.push(Vec::new());
        }
        chunks.last_mut().unwrap().push(w);
    }
    chunks.retain(|c| !c.is_empty());
    // with no banner, the line must hold a header field: an addressee line run into its
    // E.O. line (`TREASURY FOR TORGERSON E.O. 12958: DECL: …`)
    let field = chunks
        .iter()
        .any(|c| c[0].starts_with("E.O") || c[0].starts_with("TAGS"));
    (banner.is_some() || (field && chunks.len() >= 2))
        && chunks.iter().all(|c| {
            let text = c.join(" ");
            if c[0].starts_with("TAGS") {
                return c.len() <= 20 && c[1..].iter().all(|w| w.len() <= 8);
            }
            (banner.is_some() && post_serial(c))
                || furniture(&text)
                || addressee(&text)
                || addressee_long(&text)
        })
}

/// A long addressee line of a cable's header, as a section repeats it or a dump runs it
/// together: capitals only, at most thirty words, an office symbol with a slash and a
/// `FOR` (`DEPT. FOR EUR/WE, PD/ECA (SEXTON), WHITE HOUSE FOR …, PLEASE PASS TO NSC FOR
/// AMB. FREID`).
fn addressee_long(line: &str) -> bool {
    let t = line.trim().trim_end_matches('\\').trim_end();
    let ws: Vec<&str> = t.split_whitespace().collect();
    !t.chars().any(|c| c.is_lowercase())
        && ws.len() <= 30
        && ws.contains(&"FOR")
        && ws.iter().any(|w| w.contains('/'))
}

/// A cable's post and serial, after an optional section count: `SECTION 01 OF 02 MOSCOW
/// 001537`, `THE HAGUE 000684`.
fn post_serial(ws: &[&str]) -> bool {
    let ws = match ws {
        ["SECTION", _, "OF", _, rest @ ..] => rest,
        _ => ws,
    };
    let Some((serial, post)) = ws.split_last() else {
        return false;
    };
    serial.len() >= 3
        && serial.chars().all(|c| c.is_ascii_digit())
        && !post.is_empty()
        && post.len() <= 4
        && post.iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_uppercase() || c == '.' || c == '\'')
        })
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
    // letter-spaced `C O R R E C T E D C O P Y`, closed up into one word
    "CORRECTEDCOPY",
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
    // a dump's line-end `\` is no word
    let t = line
        .trim_start()
        .trim_start_matches('¶')
        .trim_end()
        .trim_end_matches('\\')
        .trim_end();
    // `¶C. 2008 STATE 115523  Classified By: …`: a reference, then the authority block
    if let Some(at) = t.to_ascii_uppercase().find("CLASSIFIED BY") {
        return at > 0 && ref_continuation(&t[..at]) && furniture(&t[at..]);
    }
    let n = t.split_whitespace().count();
    // a reference's handling note alone on its line: `(notal)`
    if t.eq_ignore_ascii_case("(NOTAL)") {
        return true;
    }
    let caps = !t.chars().any(|c| c.is_lowercase());
    let mut c = t.chars();
    let lettered = match (c.next(), c.next(), c.next()) {
        (Some(l), Some('.' | ')' | ':'), _) => l.is_ascii_uppercase(),
        (Some('('), Some(l), Some(')')) => l.is_ascii_uppercase(),
        _ => false,
    };
    let toks: Vec<&str> = t.split_whitespace().collect();
    let numbers = toks
        .iter()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .count();
    let labels = toks
        .iter()
        .filter(|w| w.len() == 2 && w.ends_with(')') && w.as_bytes()[0].is_ascii_uppercase())
        .count();
    (lettered && (n <= 12 || (caps && n <= 30)))
        || (n <= 8 && t.chars().any(|c| c.is_ascii_digit()))
        || (caps && n <= 16 && numbers >= 2 && labels >= 1)
}

/// A continuation line of an authority block's field (`Classified By: … Counselor`
/// then `for reasons 1.4 (b) and (d).`): at most eight words, or at most twelve that
/// cite the reasons, at most two lines.
fn authority_continuation(line: &str) -> bool {
    let n = line.split_whitespace().count();
    let l = line.to_ascii_lowercase();
    n <= 8 || (n <= 12 && l.contains("reason") && (l.contains("1.4") || l.contains("1.5")))
}

/// Whether a line leaves a reference's title open: a `(` or `"` not closed on it, or a
/// closing hyphen.
fn title_open(line: &str) -> bool {
    let t = line.trim_end();
    let opened = |o: char, c: char| t.matches(o).count() > t.matches(c).count();
    opened('(', ')') || t.matches('"').count() % 2 == 1 || t.ends_with('-')
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
    let t = line.trim().trim_end_matches('\\').trim_end();
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

/// A routing instruction: the words `FOR` or `PASS` (`TREASURY DEPT PASS IRS`).
fn routing_words(line: &str) -> bool {
    line.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w == "FOR" || w == "PASS")
}

/// A line of tag codes only, whatever stands between them (`CI, AR, EC, BR \`, a wrapped
/// TAGS line with the export's line-end escape): every run of letters two to five capitals.
fn codes_only(line: &str) -> bool {
    let mut runs = line
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .peekable();
    runs.peek().is_some()
        && runs.all(|w| (2..=5).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase()))
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

/// The last header field line (`E.O.`, `TAGS`, `Classified By`) above the first mark, if
/// any: what stands above it is the header's routing and addressing too.
fn last_header_field(
    lines: &[(usize, Vec<char>)],
    marks: &[(usize, Mark, usize)],
) -> Option<usize> {
    let first_mark = marks.first().map_or(usize::MAX, |m| m.0);
    (0..first_mark.min(lines.len())).rev().find(|&k| {
        // (every field named holds an `E`, `T` or `C`, in either case: most lines of a
        // scan with no mark are read no further)
        let c = &lines[k].1;
        let lead = c.iter().find(|c| !c.is_whitespace());
        if !lead.is_some_and(|l| matches!(l, 'E' | 'e' | 'T' | 't' | 'C' | 'c'))
            && !c.windows(4).any(|w| w == ['E', '.', 'O', '.'])
        {
            return false;
        }
        let t: String = c.iter().collect::<String>();
        let u = t.trim_start().to_ascii_uppercase();
        ["E.O.", "E.O ", "EO 1", "TAGS", "CLASSIFIED BY"]
            .iter()
            .any(|f| u.starts_with(f))
            || u.contains(" E.O. 1")
    })
}

/// The pieces of a NARA identification form that heads a JFK record (`JFK Assassination
/// System` … `Identification Form`, up to the next page or the end of its fields): the
/// archive's finding aid, written at release and unclassified by nature, which the release
/// prints.
/// How far below its title a NARA form's page may end (its fields, comments and the
/// reviewer's stamp: at most a hundred lines in the JFK scans).
const FORM_LINES: usize = 100;

fn nara_form(lines: &[(usize, Vec<char>)]) -> Option<(usize, usize)> {
    let text = |k: usize| lines[k].1.iter().collect::<String>();
    // its title, OCR-damaged too: `; JFK Assassination System Date: 6/24/201`, `JER
    // Assassination Systent`, `identification Form`
    let title = |k: usize| {
        let l = text(k).to_lowercase();
        (l.contains("assassinatio") && l.contains("sys"))
            || l.trim_matches(|c: char| !c.is_alphabetic()) == "identification form"
    };
    // the form is the record's first page: from the top (a scan may put its fields above
    // the title) when the title stands within the first sixty lines
    let title_at = (0..lines.len().min(60)).find(|&k| title(k))?;
    let start = 0;
    // it ends at the next page: a `## Page` line, or the archive's page stamp (`HW 50955
    // Docld:32276192 Page 1`, `Page 1`)
    let page_stamp = |k: usize| {
        let t = text(k);
        let ws: Vec<&str> = t.split_whitespace().collect();
        t.starts_with("## Page")
            || (ws.len() <= 6
                && ws.len() >= 2
                && ws[ws.len() - 2] == "Page"
                && ws[ws.len() - 1].chars().all(|c| c.is_ascii_digit()))
    };
    let stamp = (title_at + 1..lines.len()).find(|&k| page_stamp(k));
    let page_end = stamp.unwrap_or(lines.len());
    // With no page stamp within `FORM_LINES` of the title, it ends where its fields end:
    // a one-page record goes on after them on the same page with no stamp between
    // (`COMMENTS : Goodwin Papers …`, then the report), and that text is the document's.
    // The last field line (`RECORD NUMBER : …`, `TO:`) within sixty lines of the title,
    // and its value wrapped down to the next blank line.
    let field = |k: usize| {
        let t = text(k);
        let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
        t.split_once(':').is_some_and(|(label, _)| {
            let ws = label.split_whitespace().count();
            (1..=5).contains(&ws)
                && label.chars().any(|c| c.is_ascii_uppercase())
                && label
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || matches!(c, ' ' | '.' | '/'))
        })
    };
    let last_field = (title_at + 1..lines.len().min(title_at + 60))
        .rev()
        .find(|&k| field(k))
        .unwrap_or(title_at);
    let fields_end = (last_field + 1..lines.len().min(last_field + 8))
        .find(|&k| lines[k].1.iter().all(|c| c.is_whitespace()))
        .unwrap_or(lines.len().min(last_field + 8));
    // (a scan that puts the field labels above the title has their values below it, down
    // to the page's end: there the page ends the form)
    let labels_above = (0..title_at).filter(|&k| field(k)).count() >= 3;
    let near = stamp.is_some_and(|k| k <= title_at + FORM_LINES);
    Some((
        start,
        if near || labels_above {
            page_end
        } else {
            fields_end
        },
    ))
}

/// Source lines (1-based) that are furniture by where they stand, read over the whole
/// source (see the module doc): a dump's origin line under its message id, the JFK
/// collection's four-line release stamp, and a running head or foot.
fn context_furniture(lines: &[(usize, Vec<char>)]) -> HashSet<usize> {
    let text: Vec<String> = lines.iter().map(|(_, c)| c.iter().collect()).collect();
    let blank = |k: usize| text.get(k).is_none_or(|t| t.trim().is_empty());
    let mut out = HashSet::new();
    let next_filled = |k: usize| (k + 1..lines.len().min(k + 4)).find(|&j| !blank(j));
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut alone: HashMap<&str, Vec<usize>> = HashMap::new();
    for t in &text {
        let t = t.trim();
        if !t.is_empty() {
            *counts.entry(t).or_default() += 1;
        }
    }
    // a cable's signature: its last line, one to three names in capitals (`VAN VOORST`,
    // `KUBISKE KUBISKE`), which the release prints as its signature
    if let Some(k) = (0..lines.len()).rev().find(|&k| !blank(k)) {
        let t = text[k].trim();
        let n = t.split_whitespace().count();
        if (1..=3).contains(&n)
            && t.chars()
                .all(|c| c.is_ascii_uppercase() || matches!(c, ' ' | '.' | '-' | '\''))
        {
            out.insert(lines[k].0);
        }
    }
    for (k, t) in text.iter().enumerate() {
        let t = t.trim();
        // `09THEHAGUE404` then `Embassy The Hague`: a dump's message id and origin
        if super::stamps::message_id(t)
            && let Some(j) = next_filled(k)
        {
            let o = text[j].trim();
            let origin = [
                "Embassy ",
                "Consulate ",
                "Mission ",
                "USMission",
                "US Mission ",
            ]
            .iter()
            .any(|p| o.starts_with(p))
                || o == "Secretary of State";
            if origin && o.split_whitespace().count() <= 5 {
                out.insert(lines[j].0);
            }
        }
        // `Released under the John F. Kennedy` / `Assassination Records Collection Act of`
        // / `1992 (44 USC 2107 Note). Case#:NW` / `88613 Date: 09-18-2025`
        if t.len() <= 80
            && (t.contains("ennedy") || t.contains("ENNEDY"))
            && t.to_lowercase()
                .contains("eleased under the john f. kennedy")
            && t.split_whitespace().count() <= 7
        {
            out.insert(lines[k].0);
            let mut j = k;
            for _ in 0..3 {
                let Some(n) = next_filled(j) else { break };
                let l = text[n].to_lowercase();
                let stamp_words = ["act of", "usc", "case", "date:"]
                    .iter()
                    .any(|w| l.contains(w));
                if text[n].split_whitespace().count() > 6 || !stamp_words {
                    break;
                }
                out.insert(lines[n].0);
                j = n;
            }
        }
    }
    // a running head or foot: the same line of two to twelve words three or more times,
    // each time alone between blank lines
    for (k, t) in text.iter().enumerate() {
        let t = t.trim();
        if counts.get(t).is_some_and(|&c| c >= 3)
            && (k == 0 || blank(k - 1))
            && blank(k + 1)
            && (2..=12).contains(&t.split_whitespace().count())
        {
            alone.entry(t).or_default().push(lines[k].0);
        }
    }
    for at in alone.into_values().filter(|v| v.len() >= 3) {
        out.extend(at);
    }
    out
}

/// Lines (1-based) of a cable section's repeated header: the lines after a `SECTION nn OF
/// nn` banner (or a banner with the post's serial) up to the first mark, at most eight, where an addressee line is the
/// section's addressing printed again.
fn section_heads(lines: &[(usize, Vec<char>)], marks: &[(usize, Mark, usize)]) -> HashSet<usize> {
    let marked: HashSet<usize> = marks.iter().map(|m| m.0).collect();
    let mut out = HashSet::new();
    for (k, (_, c)) in lines.iter().enumerate() {
        // (a banner opens with a capital: most lines are not read further)
        if !c
            .iter()
            .find(|c| !c.is_whitespace())
            .is_some_and(|c| c.is_ascii_uppercase())
        {
            continue;
        }
        // a cable's banner: with a section count, or with the post's serial (a dump holds
        // several cables: `S E C R E T BERN 000260 \`)
        if banner_level(c).is_none() {
            continue;
        }
        let t = collapse_spacing(&c.iter().collect::<String>().to_ascii_uppercase());
        let serial = t
            .trim_end_matches(|c: char| c == '\\' || c.is_whitespace())
            .rsplit(' ')
            .next()
            .is_some_and(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_digit()));
        if !(t.contains("SECTION ") || serial) {
            continue;
        }
        for (j, (line, _)) in lines.iter().enumerate().skip(k + 1).take(8) {
            if marked.contains(&j) {
                break;
            }
            out.insert(*line);
        }
    }
    out
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
        // (a dump's line of a lone `\` is a blank line)
        if chars.iter().all(|c| c.is_whitespace() || *c == '\\') || banner_level(chars).is_some() {
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
    header_end: Option<usize>,
    (context, sections): (&HashSet<usize>, &HashSet<usize>),
    after_ref: &mut bool,
    furniture_words: &mut Vec<String>,
) -> Vec<Segment> {
    let mut out: Vec<Segment> = vec![Vec::new()];
    // the field whose wrapped lines may follow: a REF (whose lettered references may
    // stand after a blank line), or an authority field (with the lines it may still take)
    let mut in_ref = *after_ref;
    let mut in_authority = 0;
    let mut subject = false;
    // after an E.O. or TAGS line, what a cable's header still holds besides its fields is
    // routing instructions (`STATE FOR WHA/MEX`, `PASS TO DHS`): another caps line there
    // (a subject that lost its label) is text
    let mut past_fields = false;
    // the last REF line left a title open (`REF: HAVANA 490 ("CUBA'S ECONOMY: …`, `B.
    // STATE 81957: REPORT OF U.S.-`): its next line, if short, is the rest of that title
    let mut open_title = false;
    for p in &block.pieces {
        // the header runs down to its end line, not over the rest of the block that
        // holds it (`TAGS: PREL` then a line of caps prose, no blank between)
        let header = header_end.is_some_and(|end| p.line <= end);
        let upper = p.text.trim_start().to_ascii_uppercase();
        // (a subject run into a header line counts too: `… E.O. 12958: … SUBJECT: …`)
        subject |=
            upper.starts_with("SUBJ") || upper.contains(" SUBJECT") || upper.contains(" SUBJ:");
        let field = furniture(&p.text);
        let title = in_ref && open_title && p.text.split_whitespace().count() <= 8;
        open_title = title_open(&p.text);
        let strict = field
            || title
            || context.contains(&p.line)
            || (in_ref && ref_continuation(&p.text))
            || (in_authority > 0 && authority_continuation(&p.text));
        let skip = strict
            || ((block.before.is_none() || sections.contains(&p.line))
                && !subject
                && (addressee(&p.text) || addressee_long(&p.text)))
            || (header
                && !subject
                && header_caps(&p.text)
                && (!past_fields || routing_words(&p.text) || codes_only(&p.text)))
            || (block.before.is_none() && tag_list(&p.text));
        past_fields |= field && (upper.starts_with("E.O") || upper.starts_with("TAGS"));
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
    // the header's end: its subject line, or its last E.O., TAGS or authority field
    // above the first mark (a header with its subject after the first mark, or none)
    let subject = subject_piece(lines, &marks.0).max(last_header_field(lines, &marks.0));
    let context = context_furniture(lines);
    let sections = section_heads(lines, &marks.0);
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
        let header_end = subject
            .filter(|&s| block.before.is_none() && block.first <= s)
            .map(|s| lines[s].0);
        let segs = segments(
            block,
            header_end,
            (&context, &sections),
            &mut after_ref,
            &mut furniture_words,
        );
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
