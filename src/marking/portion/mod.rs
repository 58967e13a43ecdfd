//! Portion-mark grammar: `(S//NF)` and every legacy form cables use (`(S/NF)`, `(S NF)`,
//! `(SNF)`, `(S-NF)`, `(c)`, `(C )`, `(S/Rel Pak)`, `(C//REL to Spain)`…).
//!
//! The parser hands this module the text of a parenthesis it found where a mark may stand;
//! this module decides whether it is a marking at all (`(3)`, `(U.S.)`, `(Afghanistan)` are
//! not), and if it is, reads it into a [`Marking`]. Tokens that look like marking tokens but
//! are not in the vocabulary are kept as `unknown`, which downstream means "fail closed".

use super::{Control, Level, Marking};
use super::{controls, country};

mod damage;
mod lookalike;
#[cfg(test)]
mod tests;

pub use damage::damaged_level_digit;
use damage::{repair, repair_token};
pub use lookalike::lookalike;

/// Where the parenthesis stands, which decides how much benefit of the doubt it gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Right after a paragraph number (`1. (c)`): lower case and short odd tokens are read as
    /// marks, because nothing else stands there.
    AfterNumber,
    /// At the start of an unnumbered line or a subject: only upper-case marks count, since
    /// `(a)`, `(b)`… label list items.
    LineStart,
}

/// Reads `raw` (with or without its parentheses) as a portion mark. `None` means "this is
/// not a marking at all".
pub fn parse(raw: &str, place: Place) -> Option<Marking> {
    match parse_strict(raw, place) {
        Some(m) if !m.is_unknown() => Some(m),
        strict => repair(raw, place).or(strict),
    }
}

/// [`parse`] without the damage repair: the mark as printed.
fn parse_strict(raw: &str, place: Place) -> Option<Marking> {
    let mut buf = [0u8; MAX_MARK];
    let (inner, trimmed, upper) = screen(raw, place, &mut buf)?;
    // Tokens borrow from the one upper-cased copy; only what a marking keeps is owned.
    let mut tokens = upper.split('/').map(str::trim).filter(|t| !t.is_empty());
    let first = tokens.next()?;
    let Some((level, lead_controls, rest)) = read_level(first) else {
        return unknown_if_marklike(raw, trimmed, place);
    };
    let mut marking = Marking::new(level);
    marking.raw = raw.trim().to_string();
    marking.controls.extend(lead_controls);
    read_controls(&mut marking, rest.into_iter().chain(tokens));
    // `(SBU)` and `(SBU-NF)` are State's own portion forms (5 FAH-1 H-246.2), not legacy.
    // A bare level (most marks: `(U)`, `(C)`) renders as its abbreviation; only marks
    // with more need the canonical form built to compare.
    let canonical_is_inner = if marking.controls.is_empty() && marking.unknown.is_empty() {
        marking.level.abbrev() == inner
    } else {
        marking.canonical() == inner
    };
    marking.legacy = !canonical_is_inner && !matches!(inner, "SBU" | "SBU-NF");
    Some(marking)
}

/// Would [`parse`] read `raw` as a mark? The same answer without building the marking:
/// the segmenter asks this of candidate marks it may then throw away, and a marking costs
/// allocations (its raw text, its control set).
pub fn is_mark(raw: &str, place: Place) -> bool {
    let mut buf = [0u8; MAX_MARK];
    let fast = screen(raw, place, &mut buf).is_some_and(|(_, trimmed, upper)| {
        upper
            .split('/')
            .map(str::trim)
            .find(|t| !t.is_empty())
            .is_some_and(|first| read_level(first).is_some() || is_marklike(trimmed, place))
    });
    // Only a mark damaged past the strict screen needs the repair tried.
    fast || repair(raw, place).is_some()
}

/// The longest text between the parentheses that can be a mark.
const MAX_MARK: usize = 48;

/// The checks on the characters of a mark. Returns the text between the parentheses, that
/// text trimmed, and the trimmed text upper-cased into `buf`; `None` when `raw` cannot be
/// a mark.
fn screen<'r, 'b>(
    raw: &'r str,
    place: Place,
    buf: &'b mut [u8; MAX_MARK],
) -> Option<(&'r str, &'r str, &'b str)> {
    let inner = raw
        .trim()
        .strip_prefix('(')
        .map(|s| s.strip_suffix(')').unwrap_or(s))
        .unwrap_or(raw.trim());
    let trimmed = inner.trim();
    if trimmed.is_empty() || trimmed.len() > MAX_MARK {
        return None;
    }
    // Bytes for chars: a non-ASCII char fails these ASCII tests either way.
    if !trimmed
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'/' | b',' | b'-'))
    {
        return None;
    }
    if place == Place::LineStart && trimmed.bytes().any(|c| c.is_ascii_lowercase()) {
        return None;
    }
    // Upper-cased on the stack: the mark is short and ASCII (both checked above), and
    // this runs for every paragraph, where a heap copy was one allocation each.
    let upper = &mut buf[..trimmed.len()];
    upper.copy_from_slice(trimmed.as_bytes());
    upper.make_ascii_uppercase();
    let upper = std::str::from_utf8(upper).expect("ASCII stays UTF-8");
    // Digits belong only to SIGMA numbers; `(C-TN9-01015)` is a reference, `(3)` a list item.
    if trimmed.bytes().any(|c| c.is_ascii_digit())
        && !(upper.contains("SG ") || upper.contains("SIGMA"))
    {
        return None;
    }
    Some((inner, trimmed, upper))
}

/// Splits the level off the first token. Returns the level, controls implied by it (`SBU`
/// is U with the SBU control) and any remainder glued on with a space or hyphen (`S NF`,
/// `S-NF`, `SNF`).
fn read_level(token: &str) -> Option<(Level, Option<Control>, Option<&str>)> {
    if let Some(found) = whole_level(token) {
        return Some((found.0, found.1, None));
    }
    // A separator inside the first token: `S NF`, `S-NF`, `SECRET NOFORN`.
    for sep in [' ', '-'] {
        if let Some((head, tail)) = token.split_once(sep)
            && let Some((level, controls)) = whole_level(head.trim())
        {
            // `SBU-NF` is one token, already handled by whole_level. `(C - ENTIRE TEXT)`
            // has a hyphen with spaces round it.
            return Some((
                level,
                controls,
                Some(tail.trim().trim_start_matches('-').trim()),
            ));
        }
    }
    // Glued: `SNF`, `CNF`, `TSNF`, `SBUNF`.
    for (glued, level, controls) in [
        ("TSNF", Level::TS, Control::Noforn),
        ("SNF", Level::S, Control::Noforn),
        ("CNF", Level::C, Control::Noforn),
        ("SBUNF", Level::U, Control::SbuNf),
    ] {
        if token == glued {
            return Some((level, Some(controls), None));
        }
    }
    None
}

/// A token that is a level on its own, with the one control some imply (`SBU`).
fn whole_level(token: &str) -> Option<(Level, Option<Control>)> {
    let found = match token {
        "U" | "UNCLASSIFIED" | "UNCLAS" => (Level::U, None),
        "C" | "CONFIDENTIAL" => (Level::C, None),
        "S" | "SECRET" => (Level::S, None),
        "TS" | "TOP SECRET" => (Level::TS, None),
        "SBU" => (Level::U, Some(Control::Sbu)),
        "SBU-NF" | "SBU NOFORN" | "SBU NF" => (Level::U, Some(Control::SbuNf)),
        "LOU" => (Level::U, Some(Control::Lou)),
        "AIUO" => (Level::U, Some(Control::Aiuo)),
        "FOUO" => (Level::U, Some(Control::Fouo)),
        "LES" => (Level::U, Some(Control::Les)),
        "LES-NF" => (Level::U, Some(Control::LesNf)),
        "CUI" | "CONTROLLED UNCLASSIFIED INFORMATION" => (Level::U, Some(Control::Cui)),
        // NATO levels written without the leading `//`; NATO RESTRICTED has no US
        // equivalent, and is read upward as C so that it is never released as U.
        "CTS" => (Level::TS, None),
        "NS" => (Level::S, None),
        "NC" | "NR" => (Level::C, None),
        "NU" => (Level::U, None),
        _ => return None,
    };
    Some(found)
}

/// Reads the control tokens after the level into `marking`.
fn read_controls<'a>(marking: &mut Marking, tokens: impl IntoIterator<Item = &'a str>) {
    read_controls_until(marking, tokens, false);
}

/// [`read_controls`], stopping at the first unknown token when `stop_at_unknown` (for a
/// caller that wants a reading only if every token is known: nothing read after an unknown
/// token can make the marking known again).
fn read_controls_until<S: AsRef<str>>(
    marking: &mut Marking,
    tokens: impl IntoIterator<Item = S>,
    stop_at_unknown: bool,
) {
    let mut in_rel = false;
    let mut tokens = tokens.into_iter();
    // Checked before the next token is drawn: drawing one may cost its repairs.
    while !(stop_at_unknown && marking.is_unknown()) {
        let Some(token) = tokens.next() else {
            break;
        };
        let token = token.as_ref().trim();
        if token.is_empty() {
            continue;
        }
        if token == "ENTIRE TEXT" {
            marking.entire_text = true;
            continue;
        }
        if let Some(list) = rel_list(token) {
            in_rel = true;
            add_rel(marking, list);
            continue;
        }
        if let Some(control) = control_token(token, marking) {
            in_rel = false;
            if control == Control::Noforn && marking.controls.remove(&Control::Sbu) {
                // `(SBU/NF)` is one control, SBU NOFORN.
                marking.controls.insert(Control::SbuNf);
            } else {
                marking.controls.insert(control);
            }
            continue;
        }
        if in_rel && token.chars().all(|c| c.is_ascii_uppercase() || c == ' ') {
            // `(S/REL TO NATO/AUS)`: a slash continuing a REL list.
            add_rel(marking, vec![token.to_string()]);
            continue;
        }
        marking.unknown.push(token.to_string());
    }
}

/// `REL`, `REL TO USA, GBR`, `REL UK`, `RELEASABLE TO ITALY`, `REL CHINA AND UK`.
fn rel_list(token: &str) -> Option<Vec<String>> {
    let rest = token
        .strip_prefix("RELEASABLE")
        .or_else(|| token.strip_prefix("REL"))?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None; // RELIDO and the like
    }
    let rest = rest.trim();
    // `REL TOUSA, FVEY`: the blank after `TO` lost in extraction. Every REL TO list starts
    // with USA, so only that glued form is taken.
    let rest = match rest.strip_prefix("TOUSA") {
        Some(r) if r.is_empty() || r.starts_with([',', ' ']) => &rest[2..],
        _ => rest.strip_prefix("TO ").unwrap_or(rest).trim(),
    };
    let rest = if rest == "TO" { "" } else { rest };
    let mut items = Vec::new();
    for part in rest.split(',').flat_map(|p| p.split(" AND ")) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        // A country or organisation is letters (`USA`, `NEW ZEALAND`, `NATO`, `ISAF-AFG`):
        // anything else (`FVEY   "'` from a banner's trailing noise) is no list entry,
        // and the token is no REL list; a banner's reading then stops before it.
        if !part
            .bytes()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, b' ' | b'-' | b'.'))
        {
            return None;
        }
        let words: Vec<&str> = part.split_whitespace().collect();
        let named = country::normalize(part).1;
        if !named && words.len() > 1 && words.iter().all(|w| w.len() == 3 || w.len() == 4) {
            // `REL TO USA KEN GBR`: space-separated codes.
            items.extend(words.iter().map(|w| w.to_string()));
        } else {
            items.push(part.to_string());
        }
    }
    Some(items)
}

fn add_rel(marking: &mut Marking, entries: Vec<String>) {
    let mut list: Vec<String> = marking.rel_to().map(<[String]>::to_vec).unwrap_or_default();
    marking
        .controls
        .retain(|c| c.kind() != super::ControlKind::RelTo);
    for entry in entries {
        let (code, _) = country::normalize(&entry);
        list.push(code);
    }
    if !list.is_empty() && !list.iter().any(|c| c == "USA") {
        list.push("USA".into());
    }
    country::sort_list(&mut list);
    marking.controls.insert(Control::RelTo(list));
}

/// One control token in portion or banner form: a fixed form from the control table, or
/// a form with a payload (SCI, SAP, AEA, FGI, DISPLAY ONLY, DL ONLY, CUI categories).
fn control_token(token: &str, marking: &Marking) -> Option<Control> {
    // FAH's `SBU/N` for SBU NOFORN.
    if token == "N" && marking.controls.contains(&Control::Sbu) {
        return Some(Control::Noforn);
    }
    if let Some((def, _)) = controls::lookup(token) {
        use super::ControlKind as K;
        // Families whose token is a payload, not the family's name: `(S//SCI)` is no
        // marking, `(S//SI)` is.
        if !matches!(def.kind, K::Sci | K::Sap | K::Aea | K::CuiCategory) {
            return Some(Control::from_kind(def.kind));
        }
    }
    structured_token(token, marking)
}

/// Tokens with a payload: `SI-G ABCD`, `COMINT`, `SAR-BP`, `RD-SG 14`, `DOE UCNI`,
/// `FGI GBR DEU`, `DISPLAY ONLY AFG`, `DL ONLY`, and after `CUI` its categories.
fn structured_token(token: &str, marking: &Marking) -> Option<Control> {
    if let Some(sci) = sci_token(token) {
        return Some(Control::Sci(sci));
    }
    if let Some((p, _)) = controls::AEA_MARKINGS
        .iter()
        .find(|(p, b)| *p == token || *b == token)
    {
        return Some(Control::Aea(p.to_string()));
    }
    if token.starts_with("RD-") || token.starts_with("FRD-") {
        return Some(Control::Aea(token.to_string()));
    }
    if token.starts_with("SAR-") {
        return Some(Control::Sap(token.to_string()));
    }
    if let Some(list) = token.strip_prefix("FGI ") {
        let mut codes: Vec<String> = list.split_whitespace().map(str::to_string).collect();
        country::sort_list(&mut codes);
        return Some(Control::Fgi(codes));
    }
    for (prefix, make) in [
        (
            "DISPLAY ONLY ",
            Control::DisplayOnly as fn(Vec<String>) -> Control,
        ),
        ("DL ONLY ", Control::DlOnly),
    ] {
        if let Some(list) = token.strip_prefix(prefix) {
            let mut codes: Vec<String> = list.split(',').map(|c| c.trim().to_string()).collect();
            country::sort_list(&mut codes);
            return Some(make(codes));
        }
    }
    if marking.controls.contains(&Control::Cui) {
        let bare = token.strip_prefix("SP-").unwrap_or(token);
        // An `SP-` category is specified whether or not it is in our list; a basic one
        // must be a known category, or it is kept as unknown.
        if token.starts_with("SP-") && !bare.is_empty() || controls::CUI_CATEGORIES.contains(&bare)
        {
            return Some(Control::CuiCategory(token.to_string()));
        }
    }
    None
}

/// An SCI control system with its compartments and sub-compartments, canonical form:
/// `SI`, `COMINT` (→ `SI`), `TALENT KEYHOLE` (→ `TK`), `SI-G ABCD`, `HCS-P XYZ`, `ECI SHK`.
fn sci_token(token: &str) -> Option<String> {
    let system_end = token.find(['-', ' ']).unwrap_or(token.len());
    let (system, rest) = token.split_at(system_end);
    for (canonical, old) in controls::SCI_SYSTEMS {
        if old.contains(&token) {
            return Some(canonical.to_string());
        }
        if *canonical == system || old.contains(&system) {
            // `SI-GAMMA`: the compartment's name spelled out, as some banners print it.
            let rest = if *canonical == "SI" && rest == "-GAMMA" {
                "-G"
            } else {
                rest
            };
            let rest_ok = rest
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b' '));
            // `ECI` is written with its compartment word after a space (`ECI SHK`); the
            // others take compartments after a hyphen.
            let ok = if *canonical == "ECI" {
                rest.starts_with(' ') && rest.len() > 1
            } else {
                rest.is_empty() || rest.starts_with('-') && rest.len() > 1
            };
            return (rest_ok && ok).then(|| format!("{canonical}{rest}"));
        }
    }
    None
}

/// Does `token` read as a control or a REL list on its own (no context needed)?
fn is_control_token(token: &str) -> bool {
    rel_list(token).is_some() || control_token(token, &NO_CONTEXT).is_some()
}

/// The marking a token is read against when no context is wanted: no controls yet, so
/// neither `SBU/N` nor a CUI category reads. Built once: this runs for every banner word.
static NO_CONTEXT: std::sync::LazyLock<Marking> =
    std::sync::LazyLock::new(|| Marking::new(Level::U));

/// The controls of a banner after its level (`SI/TK//REL TO USA, FVEY`), read with the
/// portion vocabulary but without the portion screen (a banner's control list is longer
/// than any portion mark). Damaged tokens are repaired as in marks, and flag the result.
/// `cui` says the banner's level word was `CUI`, after which category markings read.
pub fn read_banner_controls(text: &str, cui: bool) -> Marking {
    banner_controls(text, cui, false)
}

/// [`read_banner_controls`] when every token reads, else `None`. A banner is tried as
/// controls many ways (each prefix of what follows `//`, each line's words after its
/// level), most of which fail on their first word; this stops there instead of trying
/// every later word's repairs.
pub fn read_banner_controls_known(text: &str, cui: bool) -> Option<Marking> {
    let marking = banner_controls(text, cui, true);
    (!marking.is_unknown()).then_some(marking)
}

fn banner_controls(text: &str, cui: bool, stop_at_unknown: bool) -> Marking {
    let mut marking = Marking::new(Level::U);
    if cui {
        marking.controls.insert(Control::Cui);
    }
    // Tokens are repaired as the reading reaches them (a repair depends on its token
    // alone), so a reading that stops early repairs no more.
    let damaged = std::cell::Cell::new(false);
    let tokens = text
        .split('/')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .flat_map(|token| match repair_token(token, false) {
            Some(parts) if parts.len() != 1 || parts[0] != token => {
                damaged.set(true);
                parts
            }
            _ => vec![token.to_string()],
        });
    read_controls_until(&mut marking, tokens, stop_at_unknown);
    marking.damaged |= damaged.get();
    marking
}

/// A parenthesis whose first token is not a level may still be a damaged mark (`(N/SF)`,
/// `(SE)`): short upper-case tokens with a separator, or a two- or three-letter token right
/// after a number that starts like a level. Those become unknown marks; the rest are text.
fn unknown_if_marklike(raw: &str, inner: &str, place: Place) -> Option<Marking> {
    if !is_marklike(inner, place) {
        return None;
    }
    let mut marking = Marking::new(Level::TS);
    marking.raw = raw.trim().to_string();
    marking.unknown.push(inner.to_string());
    marking.legacy = true;
    Some(marking)
}

/// Does `inner`, whose first token is no level, still look like a marking?
fn is_marklike(inner: &str, place: Place) -> bool {
    let tokens: Vec<&str> = inner
        .split('/')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let all_caps_short = tokens
        .iter()
        .all(|t| (1..=6).contains(&t.len()) && t.chars().all(|c| c.is_ascii_uppercase()));
    let separated = tokens.len() > 1 && all_caps_short;
    let levelish = place == Place::AfterNumber
        && tokens.len() == 1
        && all_caps_short
        && tokens[0].len() <= 3
        && tokens[0].starts_with(['U', 'C', 'S', 'T']);
    separated || levelish
}
