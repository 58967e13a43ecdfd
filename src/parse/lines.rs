//! Line predicates shared by the header scanner and the body segmenter: what kind of line a
//! line is (page break, stamp, rule, numbered start, body start, a `Classification:` banner
//! line, a header field line: SUBJECT, TAGS, REF, E.O.) and the small readers of a line's
//! start (a mark at the start, leading blanks). Pure functions of one line, no state: the
//! first step of parsing. Both [`super::header`] and [`super::body`] use this module and
//! neither imports the other, so the two stages stay independent.

use super::fields;
use crate::document::ElementKind;
use crate::marking::portion::{self, Place};
use regex::Regex;
use std::sync::LazyLock;

/// A short damaged lead before a mark: `l. (S)`, `Â¶1. (C)` (a UTF-8 `¶` read as Latin-1),
/// `*1) (C)`, `. (C)`; the mark may be padded with blanks (`(S      )`).
pub(super) static DAMAGED_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[^\s(]{0,5}[.)]\s*(\([^()]{1,200}\))").expect("static regex")
});
pub(super) static LABELLED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*¶?\s*(?:[IVX]{1,5}|[A-Z])\.\s*").expect("static regex"));
pub(super) static PAGE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*[A-Z][A-Z .'&-]{1,40}?\s+\d{2,8}\s+0*\d{1,3}(?:\.\d{1,2})?\s+OF\s+0*\d{1,3}\s*$",
    )
    .expect("static regex")
});
pub(super) static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(NNNN\s*$|BT\s*$|#\d{4}\s*$|.*Declassified/Released\s+US\s+Department\s+of\s+State)")
        .expect("static regex")
});
pub(super) static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[A-Z][A-Z.'/-]*(?: [A-Z][A-Z.'/-]*){0,2}\s*$").expect("static regex")
});
pub(super) static TITLE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s*$").expect("static regex"));
pub(super) static SUMMARY_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(BEGIN\s+SUMMARY|SUMMARY\s*[:.]|SUMMARY\s*$|-+\s*SUMMARY)")
        .expect("static regex")
});

/// Is this a page-break line (`KHARTOUM 00000413  002 OF 002`, `MADRID 00000174 001.2 OF 002`)?
pub fn is_page_break(line: &str) -> bool {
    // The pattern ends in a number: a line whose last visible char is no digit (most
    // lines end in a letter or a full stop) needs no substring search.
    let ends_in_digit = line
        .trim_end()
        .chars()
        .next_back()
        .is_some_and(char::is_numeric);
    ends_in_digit && line.contains(" OF ") && PAGE_BREAK.is_match(line)
}

/// End-of-message markers and review stamps inside the text.
pub(super) fn is_stamp(line: &str) -> bool {
    stamp_trimmed(line, line.trim())
}

/// [`is_stamp`] for a line whose trimmed form `t` the caller already has.
pub(super) fn stamp_trimmed(line: &str, t: &str) -> bool {
    (t.len() <= 5 || (t.len() > 40 && t.contains("Declassified/"))) && STAMP.is_match(line)
}

/// A rule line: only dashes, equals signs, underscores or stars (`-------`), or the
/// database's `---- header ends ----`.
pub fn is_rule(line: &str) -> bool {
    rule_trimmed(line.trim())
}

/// [`is_rule`] for a trimmed line (the marks it starts with are never blanks, so the
/// test is the same on the line or its trimmed form).
pub(super) fn rule_trimmed(t: &str) -> bool {
    if !t.starts_with(['-', '=', '_', '*']) {
        return false;
    }
    // Lines of dashes are common and almost never carry the words: copy only when they do.
    let replaced;
    let t = if t.contains("header ends") {
        replaced = t.replace("header ends", "");
        replaced.as_str()
    } else {
        t
    };
    t.trim().len() >= 3 && t.chars().all(|c| matches!(c, '-' | '=' | '_' | '*' | ' '))
}

/// A numbered paragraph start: (lead before the number, number as printed, text after).
///
/// The form, as a pattern: `^(\s*(?:-{2,}[-\s]*)?(?:¶\s*)?)(\d{1,3})\s*\.(?:\s+|\(|$)`
/// (a run of dashes may stand before the number in PDF-derived text: `------¶3. (C)`).
/// Read by hand: it runs on every body line, where a regex with captures cost several
/// hundred instructions a line; the unit tests hold the two to the same answers.
pub fn numbered_start(line: &str) -> Option<(&str, u32, usize)> {
    // The lead is the whole run of blanks, dashes and `¶` before the first other char:
    // nothing in it can be a digit, so the number starts right after it.
    let body = line.trim_start_matches(|c: char| c.is_whitespace() || c == '-' || c == '¶');
    let lead_len = line.len() - body.len();
    if !body.as_bytes().first()?.is_ascii_digit() || !is_number_lead(&line[..lead_len]) {
        return None;
    }
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    // A longer number, or one running on into another numeric char, is no paragraph
    // number (the pattern's `\d` would take a non-ASCII digit too, which then does not
    // read as a number either).
    let after_digits = &body[digits..];
    if digits > 3 || after_digits.chars().next().is_some_and(char::is_numeric) {
        return None;
    }
    let dot = after_digits.trim_start();
    let rest = dot.strip_prefix('.')?;
    if !(rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '(')) {
        return None;
    }
    let number: u32 = body[..digits].parse().ok()?;
    let after = line.len() - rest.len();
    Some((&line[..lead_len], number, after))
}

/// Does a run of blanks, dashes and `¶` read as `\s*(?:-{2,}[-\s]*)?(?:¶\s*)?`? Each part
/// can only be taken whole: what follows it is never what it could stop early for.
pub(super) fn is_number_lead(lead: &str) -> bool {
    let rest = lead.trim_start();
    let rest = if rest.starts_with("--") {
        rest.trim_start_matches(|c: char| c == '-' || c.is_whitespace())
    } else {
        rest
    };
    let rest = match rest.strip_prefix('¶') {
        Some(r) => r.trim_start(),
        None => rest,
    };
    rest.is_empty()
}

/// Does this line start the body (used by the header scanner to know where to stop)?
pub fn is_body_start(line: &str) -> bool {
    let t = line.trim_start();
    // SUMMARY_START can only match from a `B`, an `S` (or `ſ`, which case-folds to it)
    // or a dash: the regex is not run on the other lines.
    let summary_like = t.starts_with(['B', 'b', 'S', 's', 'ſ', '-']);
    if numbered_start(line).is_some() || (summary_like && SUMMARY_START.is_match(line)) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('¶')
        && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    if t.starts_with('(')
        && let Some(m) = mark_at(t)
        && portion::is_mark(m.mark, Place::LineStart)
    {
        return true;
    }
    // A readable mark after a damaged lead starts a portion, never header text: read as
    // an addressee line, it would be released whatever its mark says.
    // (It stands before a parenthesis: without a `(`, the regex is not run.)
    if line.contains('(')
        && let Some(m) = DAMAGED_LEAD.captures(line)
        && portion::parse(&m[1], Place::AfterNumber).is_some_and(|m| !m.is_unknown())
    {
        // `¶C. (C) PARIS 7527`: the third item of a REF list, labelled twice.
        let lead = line[..m.get(1).map_or(0, |g| g.start())].trim();
        let label = lead.trim_start_matches('¶').trim_end_matches(['.', ')']);
        let inner = m[1].trim_matches(['(', ')']).trim();
        return !(label.len() == 1 && label.eq_ignore_ascii_case(inner));
    }
    false
}

/// The banner a `Classification: UNCLASSIFIED//FOR OFFICIAL USE ONLY` line prints, as
/// e-mails and memo pages repeat it on every page.
pub(super) fn classification_value(t: &str) -> Option<&str> {
    let label = t.get(..15)?;
    label
        .eq_ignore_ascii_case("classification:")
        .then(|| &t[15..])
}

pub(super) fn ends_sentence(t: &str) -> bool {
    t.ends_with([
        '.', '!', '?', ':', ';', '"', ')', ']', '\'', '”', '’', '-', '=',
    ])
}

/// A parenthesis where a portion mark may stand, at the start of a text.
pub(super) struct MarkAt<'a> {
    /// The parenthesis, `(` to `)`.
    pub(super) mark: &'a str,
    /// Where it starts, after leading blanks.
    pub(super) start: usize,
    /// Where the text after it starts, past blanks, colons, dots and dashes.
    pub(super) end: usize,
}

/// `^\s*(\([^()]{0,48}\))[\s:.\-]*` read by hand: blanks, an opening parenthesis, at most
/// 48 chars without a parenthesis, the closing one, then separators. Several hundred
/// instructions less than a regex with captures, on a test run for most body lines; the
/// unit tests hold the two to the same answers.
pub(super) fn mark_at(s: &str) -> Option<MarkAt<'_>> {
    let start = leading_ws(s);
    let inner = s[start..].strip_prefix('(')?;
    let close = inner.find(['(', ')'])?;
    if inner.as_bytes()[close] != b')' || inner[..close].chars().count() > 48 {
        return None;
    }
    let mark_end = start + 1 + close + 1;
    let tail = s[mark_end..]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '-'));
    Some(MarkAt {
        mark: &s[start..mark_end],
        start,
        end: s.len() - tail.len(),
    })
}

pub(super) fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

pub(super) fn starts_lower(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_lowercase())
}

/// `(B)` → `B`; anything else → None.
pub(super) fn single_letter(raw: &str) -> Option<char> {
    let inner = raw.trim_start_matches('(').trim_end_matches(')').trim();
    let mut chars = inner.chars();
    let c = chars.next()?;
    (chars.next().is_none() && c.is_ascii_alphabetic()).then_some(c)
}

pub(super) static SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*SUBJ(?:ECT)?\s*[:.]\s*").expect("static regex"));
pub(super) static TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*TAGS\b\s*:?").expect("static regex"));
/// A REF field's label: in capitals (`REF A. STATE 1`, `REFTEL`), or in any case with its
/// colon or period (`Ref: …`, `References.`). A sentence that opens with the word in
/// ordinary case (`Reference is made to your communication …`) is prose: read as a field,
/// it would go out with the header's REF lines, unmarked text of a classified document.
/// Group 1 is the colon or period of the capitals form, when printed; without it the
/// label alone does not make a field (`is_ref`).
pub(super) static REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:REF|REFS|REFTEL|REFTELS|REFERENCE|REFERENCES)\b\s*([:.])?|(?i:ref|refs|reftel|reftels|reference|references)\s*[:.])",
    )
    .expect("static regex")
});

/// The first char after leading blanks: the field patterns below are anchored there, and
/// testing it first spares most lines a regex search (several hundred instructions).
pub(super) fn first_visible(line: &str) -> Option<char> {
    line.trim_start().chars().next()
}

/// `SUBJECT.is_match`; `ſ` (long s) case-folds to `s`.
pub(super) fn is_subject(line: &str) -> bool {
    matches!(first_visible(line), Some('S' | 's' | 'ſ')) && SUBJECT.is_match(line)
}

/// `TAGS.is_match`.
pub(super) fn is_tags(line: &str) -> bool {
    matches!(first_visible(line), Some('T' | 't')) && TAGS.is_match(line)
}

/// A REF field's first line: its label (`REF`), and then either the label's colon or
/// period, or a reference after it (`reference_follows`). An all-capitals text whose
/// banner OCR lost may open a sentence with the word (`REF MATTERS DISCUSSED WITH THE
/// MINISTER …`): read as a field, the sentence would go out with the header's REF lines.
pub(super) fn is_ref(line: &str) -> bool {
    if !matches!(first_visible(line), Some('R' | 'r')) {
        return false;
    }
    let Some(c) = REF.captures(line) else {
        return false;
    };
    let label = c.get(0).map_or(0, |m| m.end());
    let capitals_bare = line[..label]
        .ends_with(|c: char| c.is_ascii_uppercase() || c.is_whitespace())
        && c.get(1).is_none();
    !capitals_bare || reference_follows(&line[label..])
}

/// Does the text after a bare `REF` label name a reference? A list label with its
/// punctuation (`A.`, `A)`, `(A)`, `A:`), or a message designator: a token with a digit
/// among the first three after an optional bare letter label, every word before it a
/// word of capitals that is no English function word (`DIR 12345`, `MEXICO CITY 1234`,
/// `A 09 CAIRO 074`). Nothing after the label is a field's heading, whose next lines only
/// go on as references (`ref_continues`). OCR's stray marks after the label are skipped.
pub(super) fn reference_follows(tail: &str) -> bool {
    const NOT_A_PLACE: [&str; 16] = [
        "ON", "IN", "OF", "AT", "TO", "BY", "FOR", "WITH", "FROM", "THE", "A", "AN", "IS", "ARE",
        "WAS", "AND",
    ];
    let t = tail.trim_start_matches(|c: char| {
        c.is_whitespace() || "\u{2019}\u{2018}'\"\u{201c}\u{201d}?}{!;),|>".contains(c)
    });
    let mut words = t.split_whitespace().peekable();
    let Some(&first) = words.peek() else {
        return true;
    };
    let label_char = |s: &str| {
        let mut cs = s.chars();
        cs.next().is_some_and(|c| c.is_ascii_alphanumeric()) && cs.next().is_none()
    };
    let inner = first
        .strip_prefix('(')
        .and_then(|w| w.strip_suffix(')'))
        .unwrap_or("");
    if label_char(inner)
        || first
            .strip_suffix(['.', ')', ':', ','])
            .is_some_and(label_char)
    {
        return true;
    }
    if first.len() == 1 && first.chars().all(|c| c.is_ascii_uppercase()) {
        words.next();
    }
    for word in words.take(3) {
        if word.chars().any(|c| c.is_ascii_digit()) {
            return true;
        }
        let bare = word.trim_end_matches([',', '.', ';', ':']);
        let capitals = !bare.is_empty()
            && bare
                .chars()
                .all(|c| c.is_ascii_uppercase() || matches!(c, '/' | '-' | '\''));
        if !capitals || NOT_A_PLACE.contains(&bare) {
            return false;
        }
    }
    false
}

/// Does `t` (a trimmed line under an open REF field, `above` the trimmed line before it) go
/// on listing references? References name messages, offices and dates (`B. 07 AMMAN 4885`,
/// `(NOTAL)`, `Embassy e-mail of May 5`); a line of running prose (`opposition have signaled
/// their intention to come out`, or in capitals a sentence, `caps_sentence`, with no
/// designator's digits on it) is body that a damaged REF line swallowed: released as a REF
/// it would print unmarked text of a classified document, so it ends the field (body,
/// withheld when unmarked).
///
/// A line in capitals with no digit on it names no message: it goes on only as a lettered
/// item (`C) EMB LONDON EMAILS`), a parenthesis (`(NOTAL)`), or the wrapped end of a line
/// left unfinished above (`… (SELF-PROCLAIMED SISTANI` / `EMISSARIES)`, `… REPORT OF
/// U.S.-` / `RUSSIA MANPADS EXPERTS MEETING`). Under a finished reference (`REF: A.
/// STATE 1234`) such a line is a sentence or a subject that lost its label (`TROOPS MOVED
/// NORTH OF THE RIVER`, which has no two sentence words for `caps_sentence`): body, read
/// by its own marks. Against stop 37's releases of the five corpora, this withholds
/// `PP RUEHWEB` under a truncated preview's REF (two cables) and, in 02ROME1196, a page
/// banner in the middle of a REF list ends it (the REF items and the authority block
/// after it are read as body: withheld, the exemption codes B1 alone). A cost in
/// readability only: a page banner must not let the REF go on below it, because the
/// guard withholds a REF line a banner token governs, and a banner read as page furniture
/// would take that check away from the lines under it (stop 38's adversarial review:
/// `REF: …` / `SECRET` / `agent Cardinal` released in full).
pub fn ref_continues(above: &str, t: &str) -> bool {
    if lower_case_prose_words(t) >= PROSE_WORDS {
        return false;
    }
    if t.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    if caps_sentence(t) {
        return false;
    }
    t.chars().any(char::is_lowercase)
        || !t.chars().any(char::is_alphabetic)
        || t.starts_with('(')
        || ref_item_label(t)
        || unfinished(above)
        || wraps_onto(above)
}

/// `C) …`, `C. …`, `(C) …`, `¶C. …`: a lettered item of a list of references.
fn ref_item_label(t: &str) -> bool {
    let t = t.strip_prefix('¶').unwrap_or(t).trim_start();
    let b = t.as_bytes();
    match b {
        [b'(', l, b')', b' ', ..] | [l, b')' | b'.', b' ', ..] => l.is_ascii_uppercase(),
        _ => false,
    }
}

/// Is `t` perhaps the wrapped end of the line `above`? Exports wrap header lines at 55 to
/// 69 columns (`… RECOGNIZES BREAK-AWAY GEORGIA` / `REPUBLICS`, `… AND DRL/MLGA` / `LYNN
/// SICADE`), so a line of [`WRAP_FLOOR`] characters or more may go on below; a shorter one
/// (`REF: A. STATE 1234`, `TO SECSTATE WASHDC`) is complete, and a line of capitals under
/// it (`TROOPS MOVED NORTH OF THE RIVER`) is not its continuation.
pub fn wraps_onto(above: &str) -> bool {
    above.trim_end().chars().count() >= WRAP_FLOOR
}

/// The shortest line [`wraps_onto`] takes to have been wrapped.
pub const WRAP_FLOOR: usize = 50;

/// Does a header line stop mid-phrase, so that the next line is its wrapped end? It ends
/// in a joining mark (`,` `;` `:` `-` `&` `(`) or a joining word (`AND`, `OF`, `FOR`,
/// `TO`, `THE`), or leaves a parenthesis or a quotation open. Not `/`: a banner line ends
/// in it (`SECRET//TALENT KEYHOLE//`), and the line under a page banner is no wrapped
/// end of anything.
pub fn unfinished(line: &str) -> bool {
    const JOINING: [&str; 7] = ["AND", "OF", "FOR", "TO", "THE", "PASS", "IN"];
    let t = line.trim_end();
    let opens = |open: char, close: char| {
        t.chars().filter(|&c| c == open).count() > t.chars().filter(|&c| c == close).count()
    };
    t.ends_with([',', ';', ':', '-', '&', '('])
        || t.rsplit(' ')
            .next()
            .is_some_and(|w| JOINING.iter().any(|j| j.eq_ignore_ascii_case(w)))
        || opens('(', ')')
        || t.chars().filter(|&c| c == '"').count() % 2 == 1
}

/// Does `t` read as a sentence in capitals? Two of the verbs and pronouns sentences carry
/// and header lines (routing, offices, addressees, tags, reference titles) rarely do
/// (`THE MINISTER SAID HE WOULD SELL …`, `… AND MUST NOT BE SHARED …`). A cable's text in
/// capitals has no lower-case words for `lower_case_prose_words` to count; read as a
/// header line it would go out with the header.
pub fn caps_sentence(t: &str) -> bool {
    const SENTENCE_WORDS: [&str; 25] = [
        "IS", "ARE", "WAS", "WERE", "WILL", "WOULD", "HAS", "HAVE", "HAD", "BE", "BEEN", "IT",
        "HE", "SHE", "THEY", "WE", "NOT", "WHICH", "WHO", "SAID", "THAT", "THIS", "SHOULD",
        "COULD", "MUST",
    ];
    // Two different ones: a routing note says `DO NOT/NOT PROCESS` or `… IS BEING
    // REPEATED FOR YOUR ACTION` (kept as header lines, where the addressee names are
    // redacted as the policy says).
    let mut words = t
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| SENTENCE_WORDS.contains(w));
    words
        .next()
        .is_some_and(|first| words.any(|other| other != first))
}

/// The lower-case words (not a title's small words) that make a line running prose: a
/// header line (an office, a routing line, a REF, a page title) has fewer.
pub const PROSE_WORDS: usize = 3;

/// The lower-case words of `t` that are not a title's small words (`of`, `the`…): a
/// header line (an office, a routing line, a REF, a page title) has few, running prose
/// many.
pub fn lower_case_prose_words(t: &str) -> usize {
    const TITLE_WORDS: [&str; 12] = [
        "of", "the", "and", "for", "on", "in", "to", "at", "a", "an", "de", "y",
    ];
    t.split(|c: char| c.is_whitespace() || c == '/' || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .filter(|w| !TITLE_WORDS.contains(w))
        .count()
}

/// `text.to_ascii_uppercase().starts_with(prefix)` for an upper-case ASCII `prefix`,
/// without the copy.
pub(super) fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// A line that continues a TAGS line: a list of tag codes (`KNNP, MNUC, IT`) or one code
/// (`EUN`, `UNMIK`). Tag codes are short: subject codes of four letters, countries of two,
/// a few organisations of five (`ASEAN`). Of the 211 lines under a TAGS line in the five
/// corpora, every wrapped tag list is such a line but one (`CLEARANCE`, the wrapped end of
/// an unclassified cable's `COUNTRY CLEARANCE`); a line of longer words, or of several
/// words without a list's commas, is something else (a subject line that lost its label,
/// a sentence in capitals: `TROOPS MOVED NORTH OF THE RIVER`), which read as tags would go
/// out with the header whatever the document's level. Not tags, it is read by its own
/// shape, and a misread costs only readability.
pub fn is_tags_continuation(t: &str) -> bool {
    const LONGEST_CODE: usize = 5;
    let is_code = |w: &&str| {
        w.len() <= LONGEST_CODE
            && w.bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'-')
    };
    let codes: Vec<&str> = t.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    !codes.is_empty()
        && codes.iter().all(is_code)
        && (codes.len() == 1 || t.contains(','))
        && !caps_sentence(t)
}

/// The element kind of a header field line (REF, E.O., TAGS, SUBJECT), for header
/// material the body finds before its first numbered paragraph.
pub fn field_kind(line: &str) -> Option<ElementKind> {
    if fields::is_eo_line(line) {
        Some(ElementKind::EoLine)
    } else if is_tags(line) {
        Some(ElementKind::Tags)
    } else if is_subject(line) {
        Some(ElementKind::Subject)
    } else if is_ref(line) && !starts_with_ignore_case(line.trim_start(), "REFORM") {
        Some(ElementKind::Ref)
    } else {
        None
    }
}

/// The banner a ceiling statement prints on its own line (`DYNAMIC PAGE -- HIGHEST POSSIBLE
/// CLASSIFICATION IS TOP SECRET // SI / TK // REL TO USA AUS CAN GBR NZL DERIVED FROM: …`,
/// a newsletter's page foot with the banner and authority block run into it): the text
/// after `CLASSIFICATION IS` up to an authority field. The line is a banner, never a
/// portion's text.
pub(super) fn ceiling_value(t: &str) -> Option<&str> {
    if !(t.starts_with("DYNAMIC PAGE") || t.starts_with("HIGHEST POSSIBLE")) {
        return None;
    }
    const IS: &str = "CLASSIFICATION IS";
    let rest = &t[t.find(IS)? + IS.len()..];
    let end = ["DERIVED FROM", "CLASSIFIED BY", "DECLASSIFY ON"]
        .iter()
        .filter_map(|f| rest.find(f))
        .min()
        .unwrap_or(rest.len());
    let value = rest[..end].trim();
    (!value.is_empty()).then_some(value)
}

/// The first line of a ceiling statement whose banner is printed on the next line
/// (`DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS`): [`ceiling_value`] finds no value.
pub(super) fn is_ceiling_lead(t: &str) -> bool {
    (t.starts_with("DYNAMIC PAGE") || t.starts_with("HIGHEST POSSIBLE"))
        && t.ends_with("CLASSIFICATION IS")
}

/// A Markdown image line of an exported page (`![img-0.jpeg](img-0.jpeg)`).
pub(super) fn is_image_line(t: &str) -> bool {
    t.starts_with("![") && t.ends_with(')') && t.contains("](")
}

/// A newsletter byline's date line (`Run Date: 04/12/2006`).
pub(super) fn is_run_date(t: &str) -> bool {
    t.starts_with("Run Date:") && t.len() <= 40
}

/// A short line of OCR noise: at most 16 bytes, no word of four letters or more, and a
/// character prose and labels do not use there (`|`, `<`, `\`, `_`, a curly quote, an em
/// dash): `a |`, `“<ul`, `_—`.
pub(super) fn is_ocr_noise(t: &str) -> bool {
    if t.len() > 16 {
        return false;
    }
    let mut run = 0;
    for c in t.chars() {
        run = if c.is_alphabetic() { run + 1 } else { 0 };
        if run >= 4 {
            return false;
        }
    }
    t.chars().any(|c| {
        matches!(
            c,
            '|' | '<' | '\\' | '_' | '~' | '^' | '{' | '}' | '\u{201C}' | '\u{201D}' | '\u{2014}'
        )
    })
}
