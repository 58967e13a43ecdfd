//! The header scanner: from the top of the text to where the body starts. Finds database
//! residue, the routing block, the banner, captions, addressee lines, the E.O. line, TAGS,
//! SUBJECT (joined across lines, with its own mark), REF and Classified By, and records
//! each as an element so that every header line is accounted for.
//!
//! [`scan`] here drives the scan and holds the line predicates and small readers of header
//! lines (residue, glued fields, subject marks); [`scanner`] holds the scanner's state and
//! what it does with each header field.

mod banner_search;
mod layout;
mod scanner;
#[cfg(test)]
mod tests;

use super::fields;
use super::lines::{
    PROSE_WORDS, SUBJECT, caps_sentence, first_visible, is_body_start, is_page_break, is_ref,
    is_rule, is_subject, is_tags, is_tags_continuation, lower_case_prose_words, numbered_start,
    ref_continues, starts_with_ignore_case,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{
    Banner, Caption, Element, ElementKind, EoLine, Field, Header, LineSpan, Lines, Origin, Subject,
};
use crate::marking::banner::{self as banner_grammar, BannerLine};
use regex::Regex;
use std::sync::LazyLock;

use scanner::Scanner;

pub struct HeaderScan {
    pub header: Header,
    pub elements: Vec<Element>,
    /// 0-based index of the first body line.
    pub body_start: usize,
    pub diagnostics: Vec<Diagnostic>,
}

static ROUTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(VZCZC|DE\s+[A-Z]{4}|ZNY\b|ZNR\b|ZZH\b|FM\s|TO\s|INFO\s|XMT\s|BT\s*$|[OPRZ]{1,2}\s+\d{6}Z\b|RUE[A-Z]{3}/|R[A-Z]{6}/|PP\s+RUE|RR\s+RUE|OO\s+RUE|ZEN\b|ACTION\s)",
    )
    .expect("static regex")
});
static REF_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*¶?\s*(?:\([A-Z]\)|[A-Z][.)])\s+\S").expect("static regex"));
/// A lettered REF item that names a message (`(C) SAN JOSE 01692`, `B. 08 STATE 1234`):
/// its letter is a list label even when it looks like a portion mark.
static REF_MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*¶?\s*(?:\([A-Z]\)|[A-Z][.)])\s+(?:\d{2}\s+)?[A-Z][A-Za-z .'/-]*\s\d{1,6}\b")
        .expect("static regex")
});
static CABLE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{2}[A-Z][A-Z0-9]*\d+$").expect("static regex"));
static CSV_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d+,\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2},").expect("static regex")
});
static KEY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(id|date|refid|origin|classification|destination|header|Cable dated)\s*:")
        .expect("static regex")
});
static DATE_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}$").expect("static regex"));
static REASON_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(REASONS?|DECLASSIFY\s+ON)\s*:").expect("static regex"));

/// `ROUTING.is_match` (case-sensitive): each alternative starts with one of these.
fn is_routing(line: &str) -> bool {
    matches!(
        first_visible(line),
        Some('V' | 'D' | 'Z' | 'F' | 'T' | 'I' | 'X' | 'B' | 'O' | 'P' | 'R' | 'A')
    ) && ROUTING.is_match(line)
}

/// A cable's routing proper (a date-time group, `FM`, `VZCZC`, `DE RUE…`, routing
/// indicators): a routing line that does not start with `TO`, `INFO`, `ACTION` or `XMT`,
/// which start sentences too. (The routing pattern, already built, is reused: building
/// another costs more than the lines it reads.)
fn is_cable_routing(line: &str) -> bool {
    is_routing(line)
        && !matches!(
            line.split_whitespace().next(),
            Some("TO" | "INFO" | "ACTION" | "XMT")
        )
}

/// How many non-blank lines below the banner [`cable_ahead`] reads.
const CABLE_WINDOW: usize = 30;

/// Does a cable's own header line (its routing proper, an E.O. line, TAGS), which no memo
/// prints, follow within the first lines from `from`, before anything that starts the body?
fn cable_ahead(lines: &Lines, from: usize) -> bool {
    lines
        .iter()
        .skip(from)
        .filter(|l| !l.trim().is_empty())
        .take(CABLE_WINDOW)
        .take_while(|l| !is_body_start(l))
        .any(|l| is_cable_routing(l) || fields::is_eo_line(l) || is_tags(l))
}

/// How many lines down the banner is looked for.
const BANNER_WINDOW: usize = 150;

pub fn scan(lines: &Lines, name: Option<&str>) -> HeaderScan {
    let mut s = Scanner {
        lines,
        header: Header::default(),
        // One element per line until they are merged: room for the body's too, which
        // parse appends to these, so the list is allocated once.
        elements: Vec::with_capacity(lines.len()),
        diagnostics: Vec::new(),
    };
    let mut i = s.residue();
    let banner_at = s.find_banner(i);
    let mut routing_top = false;
    if let Some((at, _)) = &banner_at {
        // Everything between residue and banner: routing or other header text.
        let routing_seen = (i..*at).any(|k| is_routing(&lines[k]));
        let mut first_routing = None;
        for (k, line) in lines.iter().enumerate().take(*at).skip(i) {
            if line.trim().is_empty() {
                s.push(ElementKind::Blank, k);
            } else if routing_seen {
                first_routing.get_or_insert(k);
                s.push(ElementKind::Routing, k);
                s.routing_fact(line);
            } else {
                s.push(ElementKind::HeaderText, k);
            }
        }
        if let Some(first) = first_routing {
            s.header.routing = Some(LineSpan::new(first + 1, *at));
        }
        i = *at;
    } else {
        // No banner: routing lines at the top are still routing.
        while i < lines.len() && (lines[i].trim().is_empty() || is_routing(&lines[i])) {
            let kind = if lines[i].trim().is_empty() {
                ElementKind::Blank
            } else {
                routing_top = true;
                ElementKind::Routing
            };
            s.routing_fact(&lines[i]);
            s.push(kind, i);
            i += 1;
        }
    }
    // A cable layout (a routing block, a banner with the telegram's serial or section, or
    // the routing, E.O. or TAGS lines of a cable below the banner) has office lines after
    // the banner; other layouts have addressees only under a label.
    let cable = routing_top
        || s.header.routing.is_some()
        || banner_at
            .as_ref()
            .is_some_and(|(_, b)| b.serial.is_some() || b.section.is_some())
        || cable_ahead(lines, banner_at.as_ref().map_or(i, |(at, _)| at + 1));
    if let Some((at, line)) = banner_at {
        let wrapped = s.wrapped_banner(at, &line);
        let next = at + 1 + usize::from(wrapped.is_some());
        s.set_banner(at, wrapped.unwrap_or(line));
        s.glued_fields(at);
        if next > at + 1 {
            s.push(ElementKind::Banner, at + 1);
        }
        i = next;
    }
    let body_start = s.fields(i, cable);
    s.finish(name);
    HeaderScan {
        header: s.header,
        elements: s.elements,
        body_start,
        diagnostics: s.diagnostics,
    }
}

static GLUED_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(E\.?\s?O\.?\s*1\d{4}|TAGS\b:?|SUBJECT\s*:|REF\s*:|CLASSIFIED\s+BY\b)")
        .expect("static regex")
});

/// `text.to_ascii_uppercase().ends_with(suffix)` for an upper-case ASCII `suffix`,
/// without the copy.
fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Cuts a flattened run of header fields at each field keyword.
fn split_glued(rest: &str) -> Vec<&str> {
    // A keyword at the very start (after a stray `¶`) is not a second field.
    let starts: Vec<usize> = GLUED_FIELD
        .find_iter(rest)
        .map(|m| m.start())
        .filter(|&st| rest[..st].chars().any(char::is_alphanumeric))
        .collect();
    let mut pieces = Vec::new();
    let mut from = 0;
    for &st in &starts {
        if st > from {
            pieces.push(&rest[from..st]);
        }
        from = st;
    }
    pieces.push(&rest[from..]);
    pieces
}

/// A truncated preview: a line ending in `...` within the first lines, followed (after
/// blanks) by residue, routing or a classification line, which start the full copy.
fn preview_end(lines: &Lines) -> Option<usize> {
    for (k, line) in lines.iter().enumerate().take(60) {
        let t = line.trim_end();
        if !(t.ends_with("...") && t.trim().len() > 3) {
            continue;
        }
        let next = lines
            .iter()
            .skip(k + 1)
            .position(|l| !l.trim().is_empty())?
            + k
            + 1;
        let n = &lines[next];
        // Only a structured copy (residue or routing first) replaces the preview; a
        // flattened one-line copy is read as header text after it.
        if is_residue_start(n.trim()) || is_routing(n) {
            return Some(k + 1);
        }
    }
    None
}

fn is_residue_start(t: &str) -> bool {
    (!t.is_empty() && t.len() <= 10 && t.chars().all(|c| c.is_ascii_digit()))
        || CSV_ROW.is_match(t)
        || t.starts_with("id:")
        || t.starts_with("Cable dated:")
        || fields::residue_date(t).is_some()
}

/// The end (exclusive) of a residue block starting at `k`, if one starts there.
fn residue_block(lines: &Lines, k: usize) -> Option<usize> {
    let first = lines.get(k)?.trim();
    if !is_residue_start(first) {
        return None;
    }
    let csv = CSV_ROW.is_match(first);
    let mut end = k;
    let mut after_id = false;
    let mut i = k;
    let mut taken = 0;
    while i < lines.len() && taken < 14 {
        let t = lines[i].trim();
        if t.is_empty() {
            i += 1;
            continue;
        }
        if csv {
            // A CSV row runs until its quoted text field opens on the routing block.
            end = i + 1;
            if t.contains("\"VZCZC") || t.contains(",\"") && t.ends_with('"') {
                return Some(end);
            }
            if is_routing(t) {
                return Some(i);
            }
            i += 1;
            taken += 1;
            continue;
        }
        let is_residue = (t.len() <= 10 && t.chars().all(|c| c.is_ascii_digit()))
            || fields::residue_date(t).is_some()
            || DATE_ONLY.is_match(t)
            || KEY_LINE.is_match(t)
            || CABLE_ID.is_match(t)
            || (after_id
                && t.len() < 60
                && !is_routing(t)
                && banner_grammar::parse_line(t).is_none())
            || (end > k
                && banner_grammar::parse_line(t)
                    .is_some_and(|b| b.serial.is_none() && b.section.is_none()));
        if !is_residue {
            break;
        }
        after_id = CABLE_ID.is_match(t);
        end = i + 1;
        if t.starts_with("header:") {
            break;
        }
        i += 1;
        taken += 1;
    }
    (end > k).then_some(end)
}

/// `date: 3/28/2008 10:22` → the date.
fn residue_key_date(t: &str) -> Option<crate::document::Date> {
    let rest = t.strip_prefix("date:")?.trim();
    crate::document::Date::parse_cable(rest.split_whitespace().next()?)
}

/// Does `next` (a trimmed line) wrap the SUBJECT read so far (`taken` lines)? A subject
/// wraps over a few lines in its own case: an upper-case subject does not go on into a
/// line with lower case, and no subject runs past four lines. What does not wrap is body.
/// Nor does an e-mail's next header field (`Signed By: …` under `Subject: (U) RE: …`).
fn subject_wraps(sofar: &str, next: &str, taken: usize) -> bool {
    let upper = |s: &str| !s.chars().any(char::is_lowercase);
    taken < 4 && next.len() <= 120 && (!upper(sofar) || upper(next)) && !is_mail_field(next)
}

/// Does `t` (a trimmed line) open with an e-mail header field's label: one to three words
/// in mixed case (`Signed By:`, `Cc:`, `Sent:`, `Attachments:`) and a colon? A cable
/// subject's wrapped line is in capitals (`AND THE PARTIES: …`), never such a label.
pub(crate) fn is_mail_field(t: &str) -> bool {
    let Some((label, _)) = t.split_once(':') else {
        return false;
    };
    let words: Vec<&str> = label.split(' ').collect();
    (1..=3).contains(&words.len())
        && words.iter().all(|w| {
            let mut c = w.chars();
            c.next().is_some_and(|f| f.is_ascii_uppercase())
                && !c.as_str().is_empty()
                && c.all(|x| x.is_ascii_alphabetic())
        })
        && words
            .iter()
            .any(|w| w.chars().skip(1).any(|c| c.is_ascii_lowercase()))
}

/// Does a line read as running prose rather than an addressee or office line? Addressee
/// lines are names, offices and routing (`TO SECSTATE WASHDC`, `Chief, Central Security
/// Service`, `Department of the Army`): every word capitalised, upper case or a title's small
/// word. A lower-case word that is not one of those (`The agent met KESTREL`, `he is in
/// Vienna`) is a sentence: taking it as an addressee would release it with the header,
/// unmarked, so such a line starts the body, where an unmarked line of a classified
/// document is withheld (fail closed: a misread costs readability, never a leak).
/// In capitals, a sentence (`caps_sentence`) is prose too.
fn reads_as_prose(t: &str) -> bool {
    lower_case_prose_words(t) > 0 || caps_sentence(t)
}

/// A cable's routing instruction between its header fields: `STATE FOR WHA/MEX, WHA/EPSC`,
/// `TREASURY DEPT PASS IRS`, `NSC FOR RESTREPO.`, `FOR THE AMBASSADOR`. Of the 78 lines
/// the header read as addressees after an E.O. or TAGS line in the five corpora, 32 were
/// such, each with `FOR` or `PASS` (one more line with `FOR` was a subject's wrapped
/// tail); the rest were subject lines that lost their label (`DISCUSS HAITI AND OTHER
/// ISSUES, 19 AUGUST 2005`), tags under a misspelt label, stray numbers and dates: body
/// text, decided by its marks. A sentence in capitals with `FOR` in it still passes
/// (`docs/security.md`, what the defences do not cover).
fn routing_instruction(t: &str) -> bool {
    t.split(|c: char| c.is_whitespace() || c == ',')
        .any(|w| w == "FOR" || w == "PASS")
}

/// Is `t` a cable's routing line, read between its banner and its first header field? The
/// header is released as the policy says for the header, whatever the document's level, so
/// a line is taken as routing only by a routing line's own signs: codes and numbers
/// (`RUEHC/SECSTATE WASHDC 1234`, `R 232045Z DEC 92`), a routing instruction (`STATE FOR
/// WHA/CAR`, `DOC PLEASE PASS TO NOAA`), a routing word first (`FM`, `INFO`, `AMEMBASSY`,
/// `ZNY`, `SIPDIS`, a corrected-copy note) or a precedence or collective last (`AMEMBASSY
/// BOGOTA PRIORITY`, `INFO IGAD COLLECTIVE`), one short code (`DRL`, `TERREP`), or the
/// wrapped end of the routing line above it (`wrapped_from`: `NEA/ELA FOR` / `CHATTERJI`).
/// Of the 8,330 lines the header read as addressees in the five corpora, 86 have none of
/// these (names of officials alone, `DEPT OF COMMERCE - MATTHEW GAISFORD`, `KOSOVO
/// MONITORING GROUP`): each is now an unread header line, released as before in an
/// unclassified document and withheld in a classified one (28 lines of 23 classified
/// documents, measured against stop 37's releases). What this refuses is a line of
/// text in capitals that no sentence word marks as prose (`TROOPS MOVED NORTH OF THE
/// RIVER` under `TO SECSTATE WASHDC`), which as an addressee went out with the header.
fn routing_line(t: &str, wrapped_from: Option<&str>) -> bool {
    const FIRST: [&str; 22] = [
        "FM",
        "FROM",
        "TO",
        "INFO",
        "ACTION",
        "AMEMBASSY",
        "AMCONSUL",
        "AMEMB",
        "AMCON",
        "SECSTATE",
        "USMISSION",
        "USDEL",
        "ZNY",
        "ZEN",
        "ZFF",
        "ZFR",
        "BT",
        "RR",
        "PP",
        "OO",
        "SIPDIS",
        "NOFORN",
    ];
    const LAST: [&str; 3] = ["COLLECTIVE", "WASHDC", "DC"];
    const SHORT_CODE: usize = 8;
    if t.bytes().any(|b| b.is_ascii_digit() || b == b'/') {
        return true;
    }
    let words: Vec<&str> = t
        .split(|c: char| !(c.is_ascii_alphabetic() || c == '\'' || c == '-'))
        .filter(|w| w.bytes().any(|b| b.is_ascii_alphabetic()))
        .collect();
    let is = |w: &str, set: &[&str]| set.iter().any(|s| s.eq_ignore_ascii_case(w));
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        // Punctuation alone (`\`, `...`): nothing to read, nothing to leak.
        return true;
    };
    words.iter().any(|w| is(w, &["FOR", "PASS"]))
        || is(first, &FIRST)
        || is(last, &LAST)
        || is(last, &PRECEDENCE)
        // `C O R R E C T E D  C O P Y (ADDED INFO ADDEES)`, `CORRECTED COPY`
        || t.starts_with("C O R R E C T E D")
        || starts_with_ignore_case(t, "CORRECTED")
        || (words.len() == 1 && first.len() <= SHORT_CODE)
        || wrapped_from.is_some_and(|above| {
            super::lines::unfinished(above) || wraps_at_width(above)
        })
}

/// A cable's precedence words: a routing line ends in one (`AMEMBASSY BOGOTA PRIORITY`).
const PRECEDENCE: [&str; 4] = ["PRIORITY", "IMMEDIATE", "ROUTINE", "NIACT"];

/// A routing line wrapped onto the next (`super::lines::wraps_onto`) that does not end
/// complete: a precedence word or a number ends a routing line.
fn wraps_at_width(above: &str) -> bool {
    let above = above.trim_end();
    super::lines::wraps_onto(above)
        && !above.ends_with(|c: char| c.is_ascii_digit())
        && !PRECEDENCE.iter().any(|p| above.ends_with(p))
}

/// Leading caption words of a longer line; `Some` only when at least one adds a control.
fn caption_prefix(t: &str) -> Option<Vec<crate::marking::Control>> {
    let mut controls = Vec::new();
    let mut words = 0;
    for word in t.split_whitespace() {
        match banner_grammar::parse_caption(word) {
            Some(Some(c)) => controls.push(c),
            Some(None) => {}
            None => break,
        }
        words += 1;
    }
    (words > 0 && !controls.is_empty()).then_some(controls)
}
