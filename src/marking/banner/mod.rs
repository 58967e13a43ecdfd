//! Banner and caption lines: the cable's classification line (`C O N F I D E N T I A L
//! SECTION 01 OF 02 STATE 000284`, `UNCLAS SENSITIVE`, `SECRET//NOFORN`), including the
//! letter-spaced, mixed-case and damaged forms the corpus holds, and the caption lines under
//! it (`NOFORN`, `SENSITIVE`, `EXDIS`… but not `SIPDIS`, which is routing).

use super::portion;
use super::{Control, Level, Marking};

mod noise;
mod ocr;
mod spacing;
#[cfg(test)]
mod tests;

use ocr::read_ocr;
pub use spacing::collapse_letter_spacing;

/// A classification line read from a cable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BannerLine {
    pub marking: Marking,
    /// `SECTION 01 OF 02` as (1, 2).
    pub section: Option<(u32, u32)>,
    /// What follows the level: post and serial (`PRAGUE 000486`).
    pub serial: Option<String>,
    /// `UNCLAS E F T O` / `UNCLAS EFTO`: encrypt for transmission only, not a control.
    pub efto: bool,
    /// Read through damage: doubled or missing letters, mixed case, a stray prefix, OCR'd
    /// separators (`TOP SECRET//SII/NOFORN`).
    pub damaged: bool,
    /// The declassification field older IC banners end with (`//20320108`, `//X1`, `//MR`,
    /// `//25X1`, `//OADR`): not a control, kept so the authority reading can use it.
    pub declassify: Option<String>,
    /// Read among OCR specks or from a column beside other text (`me SECRET Os.`, `RETURN
    /// TO CIA. | SECRET`): a page's stamp, not a line a header starts with.
    pub specks: bool,
}

/// Does `text` hold `SECRET` or `CONFIDENTIAL` (in capitals)? The screen of the readings
/// that need a level word spelled whole (stamps among OCR specks, the audit's noisy page
/// banners); it runs on every line no other reading took. The searchers are built once:
/// `str::contains` builds one per call, which cost more than the search on short lines.
pub fn names_level_word(text: &str) -> bool {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static SECRET: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("SECRET"));
    static CONFIDENTIAL: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("CONFIDENTIAL"));
    let b = text.as_bytes();
    SECRET.find(b).is_some() || CONFIDENTIAL.find(b).is_some()
}

/// Reads a whole line as a classification line, or `None` if it is not one. The rest of
/// the line after the level must be controls, a section, a post and serial, or nothing:
/// a sentence that starts with "SECRET" is not a banner.
pub fn parse_line(line: &str) -> Option<BannerLine> {
    // Most lines fail the pre-filter. Then the strict reading and the OCR separator
    // reading (which filters the trimmed line, and a trimmed line passes only if the
    // line does) both fail, and only the reading without blanks is left to try.
    if !could_be_banner(line) {
        return ocr::read_ocr_blanks(line).or_else(|| noise::read_noisy(line));
    }
    match read_line(line) {
        // An unknown token may be OCR's (`SECRET//Xl`): the OCR reading, when it reads whole.
        Some(b) if !b.marking.unknown.is_empty() => Some(read_ocr(line).unwrap_or(b)),
        Some(b) => Some(b),
        None => read_ocr(line).or_else(|| noise::read_noisy(line)),
    }
}

fn read_line(line: &str) -> Option<BannerLine> {
    // The pre-filter on the untrimmed line first, sparing most lines the trim: blanks
    // after the text only ever let more lines through it, never fewer.
    if !could_be_banner(line) {
        return None;
    }
    let original = line.trim();
    if original.is_empty() || original.len() > 120 || !could_be_banner(original) {
        return None;
    }
    // A parenthesised level is a portion mark, alone on its line or not
    // (`(SECRET//REL CHINA)`): read as a banner it would be a repeated banner, not the
    // portion it marks. Banners are never in parentheses.
    if original.starts_with('(') {
        return None;
    }
    let stripped = original.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    let prefix_damage = stripped.len() != original.len();
    let mut buf = [0u8; 120];
    let mut upper = collapse_letter_spacing(ascii_upper(stripped, &mut buf));
    if upper.contains("FOR OFFICIAL USE ONLY") {
        upper = upper.replace("FOR OFFICIAL USE ONLY", "FOUO");
    }
    let (level, mut controls, rest, damaged_level) = read_level_word(&upper)?;
    let mut banner = BannerLine {
        marking: Marking::new(level),
        section: None,
        serial: None,
        efto: false,
        damaged: prefix_damage || damaged_level,
        declassify: None,
        specks: false,
    };
    let mut rest = rest.trim_start();
    // Level-attached words: SENSITIVE, EFTO, controls after // or a space.
    loop {
        if let Some(r) = rest.strip_prefix("SENSITIVE") {
            controls.push(Control::Sbu);
            rest = r.trim_start();
        } else if let Some(r) = rest.strip_prefix("EFTO") {
            banner.efto = true;
            rest = r.trim_start();
        } else if let Some(r) = rest.strip_prefix("//") {
            let end = r.find(" SECTION").unwrap_or(r.len());
            let (ctl, after) = r.split_at(end);
            let ctl = read_declassify(ctl, &mut banner);
            let (parsed, leftover) = banner_controls(ctl, controls.contains(&Control::Cui));
            banner.damaged |= parsed.damaged;
            controls.extend(parsed.controls);
            // A banner with a control the grammar does not know is still a banner: its
            // level stands, the token is kept and reported.
            banner.marking.unknown.extend(parsed.unknown);
            rest = after.trim_start();
            if !leftover.is_empty() {
                banner.serial = Some(leftover.to_string());
            }
        } else if let Some((words, parsed)) =
            spaced_controls(rest, controls.contains(&Control::Cui))
        {
            // `SECRET NOFORN SENSITIVE`, `CONFIDENTIAL WNINTEL NOFORN`: older banners
            // separate controls with spaces. Only a line that is all controls reads so,
            // which no sentence is.
            controls.extend(parsed.controls);
            banner.marking.legacy = true;
            rest = &rest[words..];
        } else {
            break;
        }
    }
    if let Some(r) = rest.strip_prefix("SECTION") {
        let r = r.trim_start();
        let nums: Vec<&str> = r.splitn(4, ' ').collect();
        if nums.len() >= 3 && nums[1] == "OF" {
            let a = nums[0].parse().ok()?;
            let b = nums[2].parse().ok()?;
            banner.section = Some((a, b));
            rest = nums.get(3).copied().unwrap_or("").trim_start();
        } else {
            return None;
        }
    }
    let rest = rest.trim();
    if !rest.is_empty() {
        if !looks_like_serial(rest) {
            return None;
        }
        banner.serial = Some(rest.to_string());
    }
    banner.marking.controls.extend(controls);
    banner.marking.raw = original.to_string();
    Some(banner)
}

/// The controls after a banner's first `//`, and what follows them that is no control (a
/// post and serial: `SECRET//NOFORN BAGHDAD 000123`). The longest prefix, cut at a space,
/// that reads with every token known wins; when none does, the whole is read and its
/// unknown tokens kept.
fn banner_controls(ctl: &str, cui: bool) -> (Marking, &str) {
    let mut end = ctl.len();
    loop {
        if !ctl[..end].trim().is_empty()
            && let Some(marking) = portion::read_banner_controls_known(&ctl[..end], cui)
        {
            return (marking, ctl[end..].trim());
        }
        match ctl[..end].rfind(' ') {
            Some(i) => end = i,
            None => return (portion::read_banner_controls(ctl, cui), ""),
        }
    }
}

/// Strips the declassification field from the end of a banner's controls into `banner`.
fn read_declassify<'a>(ctl: &'a str, banner: &mut BannerLine) -> &'a str {
    // The field may be the only one after the level (`SECRET//X1`).
    let (head, tail) = match ctl.rfind("//") {
        Some(cut) => (&ctl[..cut], &ctl[cut + 2..]),
        None => ("", ctl),
    };
    let tail = tail.trim();
    if is_declassify_value(tail) {
        banner.declassify = Some(tail.to_string());
        return head;
    }
    ctl
}

/// `20320108`, `X1`…`X8`, `25X1`, `50X1-HUM`, `MR`, `OADR`: a declassification date,
/// event code or exemption as IC banners printed them before 2008.
pub fn is_declassify_value(v: &str) -> bool {
    let b = v.as_bytes();
    let date = b.len() == 8 && b.iter().all(u8::is_ascii_digit);
    let x = matches!(v, "MR" | "OADR")
        || (b.len() == 2 && b[0] == b'X' && (b'1'..=b'8').contains(&b[1]));
    let exemption = v.split_once('X').is_some_and(|(a, e)| {
        matches!(a, "25" | "50" | "75") && !e.is_empty() && e.as_bytes()[0].is_ascii_digit()
    });
    date || x || exemption
}

/// Space-separated controls filling the rest of a banner line: the bytes they take and
/// what they read as; `None` unless every word is a control.
fn spaced_controls(rest: &str, cui: bool) -> Option<(usize, Marking)> {
    let rest_trim = rest.trim_end();
    if rest_trim.is_empty() || rest_trim.contains('/') {
        return None;
    }
    let marking = portion::read_banner_controls_known(
        &rest_trim.split(' ').collect::<Vec<_>>().join("/"),
        cui,
    )?;
    (!marking.controls.is_empty()).then_some((rest_trim.len(), marking))
}

/// A cheap test run before the real parse on every body line: does the line start like a
/// level word, spelled out or letter-spaced (`S E C R E T`, `S e c r e t`)? Bytes, not
/// chars: the bytes of a non-ASCII char are never ASCII letters, so skipping to the first
/// ASCII letter is the same either way.
fn could_be_banner(t: &str) -> bool {
    let b = t.as_bytes();
    let b = match b.iter().position(u8::is_ascii_alphabetic) {
        Some(start) => &b[start..],
        None => return false,
    };
    if b.len() >= 5 && b[1] == b' ' && b[3] == b' ' && b[2].is_ascii_alphabetic() {
        return true;
    }
    // The level words and the damaged forms seen in the corpus, by first letter: most
    // lines start with another letter, and a prose line starting with S or C meets three
    // prefixes, not twelve.
    let prefixes: &[&[u8]] = match b[0].to_ascii_uppercase() {
        b'S' => &[b"SS E", b"SSECRET", b"SECRET"],
        b'E' => &[b"ECRET"],
        b'N' => &[b"NCLAS"],
        b'T' => &[b"TOP SECRET", b"TOPSECRET"],
        b'C' => &[
            b"CONFIDENTIA",
            b"CCONFIDENTIAL",
            b"CC O",
            b"CUI",
            b"CONTROLLED UNCLASSIFIED",
        ],
        b'O' => &[b"ONFIDENTIAL"],
        b'U' => &[b"UNCLAS"],
        b'L' => &[b"LIMITED OFFICIAL USE"],
        _ => return false,
    };
    prefixes
        .iter()
        .any(|p| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p))
}

/// A classification line with the rest of the header glued onto it, as flattened exports
/// print it (`C O N F I D E N T I A L ANKARA 001472 SIPDIS E.O. 12958: …`): the longest
/// prefix that reads as a banner with a post and serial. Returns it and the prefix length.
pub fn parse_glued(line: &str) -> Option<(BannerLine, usize)> {
    if !could_be_banner(line.trim()) {
        return None;
    }
    // Cut at spaces, and where a serial runs into the next word (`CAIRO 000326FOR NEA`).
    let bytes = line.as_bytes();
    let cuts: Vec<usize> = line
        .char_indices()
        .filter(|&(i, c)| {
            i <= 140
                && (c == ' ' || (c.is_ascii_alphabetic() && i > 0 && bytes[i - 1].is_ascii_digit()))
        })
        .map(|(i, _)| i)
        .collect();
    for &cut in cuts.iter().rev() {
        if let Some(b) = parse_line(&line[..cut])
            && (b.serial.is_some() || b.section.is_some())
        {
            return Some((b, cut));
        }
    }
    None
}

/// A letter-spaced classification line glued after other text on the same line (a
/// routing line and a tab, in some exports): `… TRIPOLI 0005\tS E C R E T SECTION 01 OF 02
/// BERN 000351`. Only letter-spaced levels are looked for, which prose never contains.
pub fn find_embedded(line: &str) -> Option<BannerLine> {
    const SPACED: [&str; 4] = [
        "T O P S E C R E T",
        "S E C R E T",
        "C O N F I D E N T I A L",
        "U N C L A S",
    ];
    let at = SPACED
        .iter()
        .filter_map(|p| line.find(p))
        .filter(|&i| i > 0)
        .min()?;
    let rest = &line[at..];
    let mut b = parse_line(rest).or_else(|| parse_glued(rest).map(|(b, _)| b))?;
    b.damaged = true;
    Some(b)
}

/// `PRAGUE 000486`, `STATE 284`, `BUENOS AIRES 002291`, `USNATO 000123`: upper-case words
/// then a number, nothing after.
/// One pass over the words, no list of them: every word but the last is tested as the
/// next one is seen.
fn looks_like_serial(rest: &str) -> bool {
    let mut count = 0;
    let mut last = None;
    for word in rest.split_whitespace() {
        if let Some(before) = last.replace(word)
            && !before
                .chars()
                .all(|c| c.is_ascii_uppercase() || "'.-".contains(c))
        {
            return false;
        }
        count += 1;
    }
    last.is_some_and(|l| l.chars().all(|c| c.is_ascii_digit())) && (2..=5).contains(&count)
}

/// `text` with ASCII letters upper-cased, written into `buf` (which must be long enough):
/// banners and captions are short, and every header line is tried as one, so a heap copy
/// per try was a measurable share of all allocations.
fn ascii_upper<'a>(text: &str, buf: &'a mut [u8]) -> &'a str {
    let upper = &mut buf[..text.len()];
    upper.copy_from_slice(text.as_bytes());
    upper.make_ascii_uppercase();
    std::str::from_utf8(upper).expect("upper-casing ASCII keeps UTF-8 valid")
}

/// The level word at the start of a normalised line, with the damage seen in the corpus
/// (`CC ONFIDENTIAL`, `ONFIDENTIAL`, `CONFIDENTIA`).
fn read_level_word(upper: &str) -> Option<(Level, Vec<Control>, &str, bool)> {
    const WORDS: &[(&str, Level, bool)] = &[
        ("TOP SECRET", Level::TS, false),
        ("SECRET", Level::S, false),
        ("CONFIDENTIAL", Level::C, false),
        ("CC ONFIDENTIAL", Level::C, true),
        ("CCONFIDENTIAL", Level::C, true),
        ("ONFIDENTIAL", Level::C, true),
        ("CONFIDENTIA", Level::C, true),
        ("SS ECRET", Level::S, true),
        ("SSECRET", Level::S, true),
        ("ECRET", Level::S, true),
        ("NCLASSIFIED", Level::U, true),
        ("NCLAS", Level::U, true),
        ("UNCLASSIFIED", Level::U, false),
        ("UNCLAS", Level::U, false),
    ];
    // `TOP     SECRET//COMINT`: a page layout's wide gap between the two words.
    if let Some(rest) = upper
        .strip_prefix("TOP  ")
        .map(|r| r.trim_start_matches(' '))
        .and_then(|r| r.strip_prefix("SECRET"))
        && (rest.is_empty() || rest.starts_with([' ', '/']))
    {
        return Some((Level::TS, Vec::new(), rest, false));
    }
    for (word, level, damaged) in WORDS {
        if let Some(rest) = upper.strip_prefix(word)
            && (rest.is_empty() || rest.starts_with([' ', '/']))
        {
            return Some((*level, Vec::new(), rest, *damaged));
        }
    }
    for word in ["CUI", "CONTROLLED UNCLASSIFIED INFORMATION"] {
        if let Some(rest) = upper.strip_prefix(word)
            && (rest.is_empty() || rest.starts_with([' ', '/']))
        {
            return Some((Level::U, vec![Control::Cui], rest, false));
        }
    }
    if let Some(rest) = upper.strip_prefix("LIMITED OFFICIAL USE")
        && (rest.is_empty() || rest.starts_with([' ', '/']))
    {
        return Some((Level::U, vec![Control::Lou], rest, false));
    }
    None
}

/// A caption line under the banner. `Some(None)` is a routing caption (SIPDIS…) that adds
/// no control; `None` means the line is not a caption.
pub fn parse_caption(line: &str) -> Option<Option<Control>> {
    // The longest caption, letter-spaced, is under 40 characters.
    if line.trim().len() > 40 {
        return None;
    }
    // Every caption is letters and spaces, with dots only at its end: a line with any other
    // char cannot become one (collapsing only drops spaces), and is refused before the
    // copies are made.
    if !line
        .trim()
        .bytes()
        .all(|c| c.is_ascii_alphabetic() || c == b' ' || c == b'.')
    {
        return None;
    }
    let mut buf = [0u8; 40];
    let upper = collapse_letter_spacing(ascii_upper(line.trim(), &mut buf));
    let word = upper.trim_end_matches(['.', ' ']);
    let control = match word {
        "NOFORN" => Some(Control::Noforn),
        "SENSITIVE" => Some(Control::Sbu),
        "EXDIS" => Some(Control::Exdis),
        "NODIS" => Some(Control::Nodis),
        "LIMDIS" => Some(Control::Limdis),
        "SIPDIS" | "STADIS" | "INFORM CONSULS" | "CORRECTED COPY" | "CORRECTEDCOPY" | "CXR"
        | "AIDAC" | "NOFORN SIPDIS" => None,
        "SPECAT EXCLUSIVE" => Some(Control::Nodis),
        _ => return None,
    };
    if word == "NOFORN SIPDIS" {
        return Some(Some(Control::Noforn));
    }
    Some(control)
}
