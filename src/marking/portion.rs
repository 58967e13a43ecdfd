//! Portion-mark grammar: `(S//NF)` and every legacy form cables use (`(S/NF)`, `(S NF)`,
//! `(SNF)`, `(S-NF)`, `(c)`, `(C )`, `(S/Rel Pak)`, `(C//REL to Spain)`…).
//!
//! The parser hands this module the text of a parenthesis it found where a mark may stand;
//! this module decides whether it is a marking at all (`(3)`, `(U.S.)`, `(Afghanistan)` are
//! not), and if it is, reads it into a [`Marking`]. Tokens that look like marking tokens but
//! are not in the vocabulary are kept as `unknown`, which downstream means "fail closed".

use super::{Control, Level, Marking};
use super::{controls, country};

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

/// A parenthesis that reads as a portion mark only once look-alike characters are folded
/// to ASCII: full-width forms (`（C）`, `(Ｓ)`), Cyrillic or Greek letters that print like
/// Latin ones (`(С)`, `(Ѕ//NF)`), or invisible characters inside (`(S\u{200B})`). Such a
/// mark cannot be read as printed, and must never be taken for text: the caller withholds
/// what follows it. `raw` runs from the opening to the closing parenthesis (either form).
/// Returns the marking it would read as; `None` when the folded text is no mark either, or
/// when nothing needed folding (an ordinary mark is [`parse`]'s business).
pub fn lookalike(raw: &str, place: Place) -> Option<Marking> {
    if raw.is_ascii() || raw.chars().count() > MAX_MARK + 2 {
        return None;
    }
    let mut folded = String::with_capacity(raw.len());
    for c in raw.chars() {
        if super::is_invisible(c) {
            continue;
        }
        folded.push(fold_char(c)?);
    }
    parse(&folded, place)
}

/// The ASCII character a look-alike prints as; `None` for a character no mark holds.
fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let folded = match c {
        // Full-width ASCII block (`（`, `Ｓ`, `／`).
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
        '\u{3000}' => ' ',
        '\u{FE59}' | '\u{207D}' | '\u{208D}' | '\u{2768}' | '\u{276A}' | '\u{27EE}' => '(',
        '\u{FE5A}' | '\u{207E}' | '\u{208E}' | '\u{2769}' | '\u{276B}' | '\u{27EF}' => ')',
        '\u{2044}' | '\u{2215}' | '\u{29F8}' => '/',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        // Cyrillic and Greek capitals and small letters that print as Latin ones.
        'С' | 'с' | 'Ϲ' | 'ϲ' => 'C',
        'Ѕ' | 'ѕ' => 'S',
        'Т' | 'т' | 'Τ' => 'T',
        'О' | 'о' | 'Ο' | 'ο' => 'O',
        'Е' | 'е' | 'Ε' => 'E',
        'А' | 'а' | 'Α' => 'A',
        'Н' | 'Η' => 'H',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Р' | 'р' | 'Ρ' => 'P',
        'Х' | 'х' | 'Χ' => 'X',
        'В' | 'Β' => 'B',
        'І' | 'і' | 'Ι' => 'I',
        'Ј' | 'ј' => 'J',
        'Ν' => 'N',
        'Ζ' => 'Z',
        'Υ' | 'У' => 'Y',
        'Ս' | 'Ꮪ' => 'S',
        'Ꮯ' => 'C',
        _ if c.is_whitespace() => ' ',
        _ => return None,
    };
    Some(folded)
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
    let mut in_rel = false;
    for token in tokens {
        let token = token.trim();
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
    let rest = rest.strip_prefix("TO ").unwrap_or(rest).trim();
    let rest = if rest == "TO" { "" } else { rest };
    let mut items = Vec::new();
    for part in rest.split(',').flat_map(|p| p.split(" AND ")) {
        let part = part.trim();
        if part.is_empty() {
            continue;
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
    rel_list(token).is_some() || control_token(token, &Marking::new(Level::U)).is_some()
}

/// OCR and extraction damage on a mark, repaired: separators misread as letters
/// (`(TS//SIIINF)`, `(TSIISI//NF)`, `(TS//SI/INF)`, `(TS#SI#NF)`, `(TS/'/'SI)`), letters
/// misread as digits (`(U//F0U0)`, `(TS//S1//NF)`, `(TS//8 1//NF)`), split tokens
/// (`(U//FO UO)`, `(S/ /NF)`). The repaired mark is accepted only if every token is then
/// known: a guess that leaves anything unknown is no reading (the caller's fallback keeps
/// it unreadable). `None` when nothing needed or could be repaired.
fn repair(raw: &str, place: Place) -> Option<Marking> {
    let inner = raw.trim();
    let inner = inner.strip_prefix('(').unwrap_or(inner);
    let inner = inner.strip_suffix(')').unwrap_or(inner).trim();
    if inner.is_empty() || inner.len() > MAX_MARK || !inner.is_ascii() {
        return None;
    }
    // OCR damage comes in capitals; a lower-case parenthesis is prose or a label.
    if inner.bytes().any(|c| c.is_ascii_lowercase())
        || !inner.bytes().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, b' ' | b'/' | b',' | b'-' | b'#' | b'\'' | b'.')
        })
    {
        return None;
    }
    let cleaned = inner.replace('#', "/").replace(['\''], "");
    let first_char = cleaned.bytes().next()?;
    if !matches!(first_char, b'U' | b'C' | b'S' | b'T') {
        return None;
    }
    let mut fixed: Vec<String> = Vec::new();
    for (k, token) in cleaned.split('/').map(str::trim).enumerate() {
        let token = token.trim_matches([',', '.', ' ']);
        if token.is_empty() {
            continue;
        }
        let parts = repair_token(token, k == 0 && fixed.is_empty())?;
        fixed.extend(parts);
    }
    if fixed.len() < 2 {
        // A lone damaged level (`(8)`) is the parser's call, with its context.
        return None;
    }
    let text = format!("({})", fixed.join("//"));
    let mut m = parse_strict(&text, place)?;
    if m.is_unknown() {
        return None;
    }
    m.raw = raw.trim().to_string();
    m.damaged = true;
    m.legacy = true;
    Some(m)
}

/// One token of a damaged mark, repaired into the tokens it stood for; `None` when no
/// repair makes it known. `first` says it must start with a level.
fn repair_token(token: &str, first: bool) -> Option<Vec<String>> {
    let known = |t: &str| {
        if first {
            whole_level(t).is_some()
        } else {
            is_control_token(t)
        }
    };
    if known(token) {
        return Some(vec![token.to_string()]);
    }
    // Rel lists keep their spaces; short tokens lose them (`FO UO`, `8 1`).
    let squeezed: String = if token.starts_with("REL") {
        token.to_string()
    } else {
        token.chars().filter(|c| *c != ' ').collect()
    };
    let digits = |t: &str| -> String {
        t.replace("IJ", "U")
            .chars()
            .map(|c| match c {
                '0' | 'Q' => 'O',
                '1' | 'L' => 'I',
                '8' | '5' => 'S',
                c => c,
            })
            .collect()
    };
    for candidate in [squeezed.clone(), digits(&squeezed)] {
        if known(&candidate) {
            return Some(vec![candidate]);
        }
        // `//` read as `II` or `III`, glued: `SIIINF`, `TSIISI`.
        for sep in ["III", "II"] {
            // Every place the separator may stand: `SIIINF` is `SI` `//` `NF`, not `S`.
            // Overlapping positions too, so no match_indices. Compared as bytes: a banner's
            // token may hold any char, and an ASCII match always sits on char boundaries.
            for at in (0..candidate.len())
                .filter(|&at| candidate.as_bytes()[at..].starts_with(sep.as_bytes()))
            {
                let (a, b) = (&candidate[..at], &candidate[at + sep.len()..]);
                let a = if first {
                    whole_level(a).map(|_| a)
                } else {
                    Some(a)
                };
                if let Some(a) = a
                    && (first || is_control_token(a))
                    && let Some(mut rest) = repair_token(b, false)
                {
                    rest.insert(0, a.to_string());
                    return Some(rest);
                }
            }
        }
        // A separator read as `I` glued to a token: `INF`, `IFOUO`, `SII`.
        if !first {
            for stripped in [candidate.strip_prefix('I'), candidate.strip_suffix('I')]
                .into_iter()
                .flatten()
            {
                if is_control_token(stripped) {
                    return Some(vec![stripped.to_string()]);
                }
            }
        }
    }
    None
}

/// The controls of a banner after its level (`SI/TK//REL TO USA, FVEY`), read with the
/// portion vocabulary but without the portion screen (a banner's control list is longer
/// than any portion mark). Damaged tokens are repaired as in marks, and flag the result.
/// `cui` says the banner's level word was `CUI`, after which category markings read.
pub fn read_banner_controls(text: &str, cui: bool) -> Marking {
    let mut marking = Marking::new(Level::U);
    if cui {
        marking.controls.insert(Control::Cui);
    }
    let mut tokens: Vec<String> = Vec::new();
    for token in text.split('/').map(str::trim).filter(|t| !t.is_empty()) {
        match repair_token(token, false) {
            Some(parts) if parts.len() != 1 || parts[0] != token => {
                marking.damaged = true;
                tokens.extend(parts);
            }
            _ => tokens.push(token.to_string()),
        }
    }
    read_controls(&mut marking, tokens.iter().map(String::as_str));
    marking
}

/// `(8)` or `(5)` where the parser's context says a mark stands (after a paragraph number
/// in a document whose other paragraphs carry marks): OCR's reading of `(S)`. The result
/// is `S`, flagged damaged; the parser alone knows the context, so it alone calls this.
pub fn damaged_level_digit(raw: &str) -> Option<Marking> {
    let inner = raw.trim().strip_prefix('(')?.strip_suffix(')')?.trim();
    matches!(inner, "8" | "5").then(|| {
        let mut m = Marking::new(Level::S);
        m.raw = raw.trim().to_string();
        m.damaged = true;
        m.legacy = true;
        m
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_mark_agrees_with_parse() {
        for raw in [
            "(U)",
            "(C)",
            "(S)",
            "(TS)",
            "(SBU)",
            "(SBU-NF)",
            "(S/NF)",
            "(C//NF)",
            "(SNF)",
            "(S NF)",
            "(S-NF)",
            "(TSNF)",
            "(SBUNF)",
            "(C/REL TO USA, GBR)",
            "(S//REL UK)",
            "(C/XYZ)",
            "(ZZ/QQ)",
            "(CX)",
            "(TQ)",
            "(a)",
            "(A)",
            "(3)",
            "(C-TN9-01015)",
            "(S SG 14)",
            "(LOU)",
            "(FOUO)",
            "(U//FOUO)",
            "(NATO)",
            "()",
            "( )",
            "(C",
            "C)",
            "(c)",
            "(s/nf)",
            "(CONFIDENTIAL)",
            "(SECRET NOFORN)",
            "(S//FGI GBR)",
            "(Ü)",
            "(THIS IS A VERY LONG PARENTHETICAL REMARK THAT IS NOT A MARK)",
        ] {
            for place in [Place::LineStart, Place::AfterNumber] {
                assert_eq!(
                    is_mark(raw, place),
                    parse(raw, place).is_some(),
                    "{raw} {place:?}"
                );
            }
        }
    }

    fn canon(raw: &str) -> String {
        parse(raw, Place::AfterNumber)
            .unwrap_or_else(|| panic!("{raw} should be a marking"))
            .canonical()
    }

    fn not_mark(raw: &str) {
        assert!(
            parse(raw, Place::AfterNumber).is_none(),
            "{raw} should not be a marking"
        );
    }

    #[test]
    fn strict_forms() {
        assert_eq!(canon("(S//NF)"), "S//NF");
        assert_eq!(canon("(TS//SI//NF)"), "TS//SI//NF");
        assert_eq!(canon("(S//REL TO USA, GBR)"), "S//REL TO USA, GBR");
        assert_eq!(canon("(U//FOUO)"), "U//FOUO");
        assert_eq!(canon("(S//FGI//NF)"), "S//FGI//NF");
        assert!(!parse("(S//NF)", Place::AfterNumber).unwrap().legacy);
    }

    #[test]
    fn legacy_separators() {
        for raw in [
            "(S/NF)",
            "(S NF)",
            "(SNF)",
            "(S-NF)",
            "(s/nf)",
            "(S/Noforn)",
        ] {
            let m = parse(raw, Place::AfterNumber).unwrap();
            assert_eq!(m.canonical(), "S//NF", "{raw}");
            assert!(m.legacy, "{raw} is legacy");
            assert_eq!(m.raw, raw);
        }
        assert_eq!(canon("(C/NOFORN)"), "C//NF");
        assert_eq!(canon("(C NF)"), "C//NF");
    }

    #[test]
    fn sbu_family() {
        assert_eq!(canon("(SBU)"), "U//SBU");
        assert_eq!(canon("(SBU/NF)"), "U//SBU-NF");
        assert_eq!(canon("(SBU//NF)"), "U//SBU-NF");
        assert_eq!(canon("(SBU-NF)"), "U//SBU-NF");
        assert_eq!(canon("(SBU/N)"), "U//SBU-NF");
        assert_eq!(canon("(sbu)"), "U//SBU");
        assert_eq!(canon("(SBU )"), "U//SBU");
    }

    #[test]
    fn spacing_and_case() {
        assert_eq!(canon("(c)"), "C");
        assert_eq!(canon("(C )"), "C");
        assert_eq!(canon("( C)"), "C");
        assert_eq!(canon("( C )"), "C");
        assert!(parse("(C )", Place::AfterNumber).unwrap().legacy);
    }

    #[test]
    fn rel_lists_with_names() {
        assert_eq!(canon("(S/Rel Pak)"), "S//REL TO USA, PAK");
        assert_eq!(canon("(C//REL to Spain)"), "C//REL TO USA, ESP");
        assert_eq!(canon("(S/NF/rel Panama)"), "S//NF/REL TO USA, PAN");
        assert_eq!(canon("(C/REL NATO)"), "C//REL TO USA, NATO");
        assert_eq!(canon("(S/REL TO NATO/AUS)"), "S//REL TO USA, AUS, NATO");
        assert_eq!(
            canon("(C//REL TO USA, KEN, GBR//)"),
            "C//REL TO USA, GBR, KEN"
        );
        assert_eq!(canon("(S/Rel China and UK)"), "S//REL TO USA, CHN, GBR");
        assert_eq!(canon("(C/Releasable to Italy)"), "C//REL TO USA, ITA");
        assert_eq!(canon("(Secret/Rel Armenia)"), "S//REL TO USA, ARM");
        assert_eq!(canon("(S//REL)"), "S//REL");
    }

    #[test]
    fn unknown_tokens_are_kept() {
        let m = parse("(N/SF)", Place::AfterNumber).unwrap();
        assert!(m.is_unknown());
        assert_eq!(m.level, Level::TS, "unknown reads as most restrictive");
        let m = parse("(S/XYZZY)", Place::AfterNumber).unwrap();
        assert_eq!(m.level, Level::S);
        assert_eq!(m.unknown, ["XYZZY"]);
        assert!(parse("(SE)", Place::AfterNumber).unwrap().is_unknown());
    }

    #[test]
    fn not_markings() {
        for raw in [
            "(3)",
            "(U.S.)",
            "(Afghanistan)",
            "(Economic)",
            "(TSCTP)",
            "(SCUD-B destruction)",
            "(TF/Embassy Tbilisi telcon)",
            "(ref A)",
            "()",
        ] {
            not_mark(raw);
        }
        assert!(parse("(a)", Place::LineStart).is_none());
        assert!(parse("(c)", Place::LineStart).is_none());
        assert!(parse("(C)", Place::LineStart).is_some());
    }

    #[test]
    fn references_with_digits_are_not_marks() {
        not_mark("(C-TN9-01015)");
        assert_eq!(canon("(S//REL TO FIVE EYES)"), "S//REL TO USA, FVEY");
    }

    #[test]
    fn nato_levels_read_upward() {
        assert_eq!(canon("(NC)"), "C");
        assert_eq!(canon("(NS)"), "S");
    }

    #[test]
    fn lookalike_marks_are_read_as_marks() {
        for raw in [
            "(\u{421})",
            "\u{FF08}C\u{FF09}",
            "(\u{FF33})",
            "(S\u{200B})",
            "(\u{405}//NF)",
            "(\u{422}S)",
        ] {
            assert!(lookalike(raw, Place::LineStart).is_some(), "{raw:?}");
        }
        for raw in ["(C)", "(\u{416})", "(\u{e9}t\u{e9})", "(\u{FF11})"] {
            assert!(lookalike(raw, Place::LineStart).is_none(), "{raw:?}");
        }
    }

    #[test]
    fn other_controls() {
        assert_eq!(canon("(S//NF//XD)"), "S//NF//XD");
        assert_eq!(canon("(TS//SAR-BP//NF)"), "TS//SAR-BP//NF");
        assert_eq!(canon("(S//FGI GBR DEU//NF)"), "S//FGI DEU GBR//NF");
        assert_eq!(canon("(U//LES)"), "U//LES");
    }
}
