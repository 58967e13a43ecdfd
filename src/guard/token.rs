//! What counts as a marking-shaped token, read from folded characters ([`super::fold`]).
//!
//! Two shapes: a parenthesised portion mark anywhere in a line (`(C)`, `(S//NF)`,
//! `(TS//SI//REL TO USA, FVEY)`, `(S-NF)`, `(C - ENTIRE TEXT)`, `(U//FOUO)`, `(SBU)`,
//! `(CUI)`, `(SECRET)`, any case and spacing), and a banner-shaped line (`SECRET//NOFORN`,
//! `S E C R E T`, `TOP SECRET`, `CONFIDENTIAL SECTION 01 OF 02`). The grammar here is
//! deliberately small and written apart from `src/marking/`: it only needs the level, or
//! the fact that something looks like a mark and cannot be read.
//!
//! What is not a token, so that ordinary prose passes: a single letter glued to a word
//! (`employee(s)`, `PERSON(S)`), enumerators (`(C)` after a `(B)`), E.O. 13526 reason letters (`1.4(c)`,
//! `Reasons 1.4 (b) and (d)`), `(C-130)` and other words that only start like a level.

/// What a token says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    U,
    C,
    S,
    TS,
}

impl Level {
    /// `U`, `C`, `S` or `TS`.
    pub fn abbrev(self) -> &'static str {
        match self {
            Level::U => "U",
            Level::C => "C",
            Level::S => "S",
            Level::TS => "TS",
        }
    }

    /// The inverse of [`Level::abbrev`].
    pub fn from_abbrev(s: &str) -> Option<Level> {
        match s {
            "U" => Some(Level::U),
            "C" => Some(Level::C),
            "S" => Some(Level::S),
            "TS" => Some(Level::TS),
            _ => None,
        }
    }
}

/// How a token reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reading {
    Level(Level),
    /// Looks like a classification mark but cannot be read (`(SECERT)`, `(S#NF)`, `(Ş)`,
    /// `2. (8)`): treated as the most restrictive case.
    Unreadable,
}

/// The specks OCR puts before a level inside a mark (`(^S#SI//NF)`, `(~TS//SI)`): a mark
/// that opens with one is still a mark, unreadable. The pre-filter lets a `(` before one
/// through to the token reader.
pub(super) const OCR_SPECKS: [char; 3] = ['^', '~', '#'];

/// Level words, longest first so that `TOP SECRET` wins over `TS`-less readings.
const LEVELS: &[(&str, Level)] = &[
    ("TOP SECRET", Level::TS),
    ("TOPSECRET", Level::TS),
    ("UNCLASSIFIED", Level::U),
    ("CONFIDENTIAL", Level::C),
    ("SECRET", Level::S),
    ("UNCLAS", Level::U),
    ("TS", Level::TS),
    ("S", Level::S),
    ("C", Level::C),
    ("U", Level::U),
];

/// Controls that stand for an unclassified level when they lead a mark (`(SBU)`).
const U_CONTROLS: &[&str] = &[
    "SBU", "FOUO", "LOU", "LES", "CUI", "SSI", "OUO", "LIMDIS", "UCNI", "SBU-NF", "LES-NF",
];

/// Control words a mark or banner may carry after its level with a space before them.
const CONTROLS: &[&str] = &[
    "NF",
    "NOFORN",
    "ORCON",
    "OC",
    "REL",
    "TO",
    "RELIDO",
    "PROPIN",
    "PR",
    "IMCON",
    "IMC",
    "FISA",
    "DSEN",
    "SI",
    "TK",
    "HCS",
    "G",
    "COMINT",
    "GAMMA",
    "SAR",
    "RD",
    "FRD",
    "CNWDI",
    "LIMDIS",
    "EXDIS",
    "NODIS",
    "SBU",
    "LES",
    "FOUO",
    "UCNI",
    "ENTIRE",
    "TEXT",
    "SIPDIS",
    "NOCONTRACT",
    "WNINTEL",
    "CCO",
    "FGI",
    "EYES",
    "ONLY",
    "USA",
    "FVEY",
    "NATO",
    "MR",
    "SPECAT",
    "STADIS",
    "CHEROKEE",
    "NOFORNDIS",
    "CUI",
    "AND",
    "USG",
    "USGOV",
    "X1",
    "X2",
];

/// Reads the content of a parenthesised token (the folded characters between the
/// parentheses). `after_lead` says the token stands right after a paragraph number.
pub fn read_mark(content: &str, after_lead: bool) -> Option<Reading> {
    let trimmed = content.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 80 {
        return None;
    }
    // The common case, one ASCII character (`(C)`, `(s)`, `(8)`, `(a)`), read without the
    // general path's allocations; the answers are the same.
    if let [b] = trimmed.as_bytes() {
        return match b.to_ascii_uppercase() {
            b'S' => Some(Reading::Level(Level::S)),
            b'C' => Some(Reading::Level(Level::C)),
            b'U' => Some(Reading::Level(Level::U)),
            b'8' | b'5' if after_lead => Some(Reading::Unreadable),
            _ => None,
        };
    }
    read_general(trimmed, after_lead)
}

/// Reads the first word of a `(` that no `)` closes on its line (`(S//` before a line
/// break, `(S/1Nf1 The fact…` where OCR lost the `)`). No prose opens a parenthesis with an
/// upper-case level letter and a slash, so what [`read_mark`] cannot read is still a
/// mark: unreadable.
pub fn read_unclosed(word: &str, after_lead: bool) -> Option<Reading> {
    read_mark(word, after_lead).or_else(|| {
        let upper_level = ["TS/", "S/", "C/", "U/"]
            .iter()
            .any(|p| word.starts_with(p));
        // `SIISU/REhrf` (`(S//SI/REL` as OCR read it): a short upper-case word starting
        // with a level letter, then a slash.
        let damaged = word.split_once('/').is_some_and(|(head, _)| {
            (2..=6).contains(&head.len())
                && head.bytes().all(|b| b.is_ascii_uppercase())
                && head.starts_with(['T', 'S', 'C', 'U'])
                && !CONTROLS.contains(&head)
                && !U_CONTROLS.contains(&head)
        });
        // `SIIREL`, `TSIISI` (`(S//REL`, `(TS//SI` with the `//` read as two strokes): a
        // level, two strokes, then a control's capitals.
        let strokes = ["TS", "S", "C", "U"].iter().any(|level| {
            word.strip_prefix(level).is_some_and(|rest| {
                let b = rest.as_bytes();
                b.len() >= 4
                    && b[..2].iter().all(|c| b"IlJ1|".contains(c))
                    && b[2..4].iter().all(u8::is_ascii_uppercase)
            })
        });
        (upper_level || damaged || strokes).then_some(Reading::Unreadable)
    })
}

/// [`read_mark`] for any trimmed, non-empty content.
fn read_general(trimmed: &str, after_lead: bool) -> Option<Reading> {
    let has_lower = trimmed.chars().any(|c| c.is_lowercase());
    let upper = normalise(&trimmed.to_uppercase());
    // OCR reads `(S)` as `(8)` or `(5)`: only a mark right after a paragraph number.
    if after_lead && (upper == "8" || upper == "5") {
        return Some(Reading::Unreadable);
    }
    // A lone letter that did not fold to ASCII: `(Ş)`, `(Ç)`. (A lowercase `(c)` / `(s)`
    // is read like an upper-case one, any case as the grammar says: list items `(c)` after
    // a `(b)` and reason letters are told apart by the caller, and a letter glued to a
    // word, `employee(s)`, never reaches here.)
    if single_letter(trimmed).is_some_and(|c| !c.is_ascii()) {
        return Some(Reading::Unreadable);
    }
    if let Some(rest) = upper.strip_prefix("//") {
        return Some(read_foreign(rest));
    }
    // OCR specks before the level (`(^S#SI//NF)`, `(~TS//SI)`): what follows reads as a
    // mark, so the token is one, but its damage leaves it unreadable.
    if trimmed.starts_with(OCR_SPECKS) {
        let bare = trimmed.trim_start_matches(OCR_SPECKS);
        if !bare.is_empty() && read_general(bare, after_lead).is_some() {
            return Some(Reading::Unreadable);
        }
    }
    let words = LEVELS
        .iter()
        .copied()
        .chain(U_CONTROLS.iter().map(|w| (*w, Level::U)));
    for (word, level) in words {
        if let Some(reading) = upper
            .strip_prefix(word)
            .and_then(|rest| read_rest(rest, level, has_lower))
        {
            return Some(reading);
        }
    }
    // A level word misspelt by one letter: `(SECERT)`, `(CONFIDENTAIL)`.
    let first = upper.split(['/', ' ', '-', ',']).next().unwrap_or("");
    if !has_lower && near_level_word(first) {
        return Some(Reading::Unreadable);
    }
    None
}

/// What follows the level word decides whether the token is a mark at all.
fn read_rest(rest: &str, level: Level, has_lower: bool) -> Option<Reading> {
    let Some(first) = rest.chars().next() else {
        return Some(Reading::Level(level));
    };
    if first.is_alphanumeric() {
        // `(CIA)`, `(C130)`, `(SA)`: another word that only starts like a level.
        return None;
    }
    let body = rest.trim_start_matches(['/', '-', ',', ' ', ':']);
    if body.is_empty() {
        return Some(Reading::Level(level));
    }
    if !matches!(first, '/' | '-' | ',' | ' ' | ':') {
        // `(S#NF)`, `(S;NF)`: a level and a symbol no prose puts there (`(U.S.)` and
        // `(C.)` are prose).
        // With a `//` after it the token is a mark's structure whatever OCR did to the
        // case of a control (`(S#SI//RCb)`).
        let junk = "#;*_=+|\\<>~^".contains(first);
        return (junk && (!has_lower || rest.contains("//"))).then_some(Reading::Unreadable);
    }
    let words: Vec<&str> = body
        .split(['/', '-', ',', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    if words
        .first()
        .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
    {
        // `(C-130)`, `(S-300)`, `(C/2)`.
        return None;
    }
    let all_controls = words.iter().all(|w| CONTROLS.contains(w));
    // After `//` any uppercase control-like words; after a single `/` or `-` the first
    // word must be a known control (`(S/NF)`, `(S-NF)`, not `(C/O EMBASSY)`).
    let first_control = words.first().is_some_and(|w| CONTROLS.contains(w));
    let structured =
        rest.starts_with("//") || (first_control && rest.trim_start().starts_with(['/', '-']));
    if all_controls || (structured && !has_lower && rest_is_markish(body)) {
        Some(Reading::Level(level))
    } else {
        None
    }
}

/// After `//` or `-`, an uppercase mark continues with control-like words: letters,
/// digits, separators and REL TO lists.
fn rest_is_markish(body: &str) -> bool {
    body.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "/-, ".contains(c))
}

/// A NATO level standing bare at a portion's lead (`(NS) The plans …`, `a. (CTS) …`): the
/// parser reads these as marks, so the guard must too, or a misread portion under one would
/// go out unchecked. Only at a lead: `(NC)` in running prose is a state's abbreviation.
/// `(NU)` is left out: a U reading withholds nothing.
pub fn read_nato(content: &str) -> Option<Reading> {
    let level = match content.trim().to_ascii_uppercase().as_str() {
        "CTS" | "CTSA" | "CTS-A" | "CTS-B" | "CTS-BOHEMIA" => Level::TS,
        "NS" | "NSAT" => Level::S,
        "NC" | "NCA" | "NR" => Level::C,
        _ => return None,
    };
    Some(Reading::Level(level))
}

/// `(//GBR S)`, `(//NS)`, `(//CTS)`: a non-US mark; its level if one can be found.
fn read_foreign(rest: &str) -> Reading {
    let mut level = None;
    for w in rest.split(['/', ' ', ',', '-']).filter(|w| !w.is_empty()) {
        let l = match w {
            "TS" | "CTS" | "CTSA" | "TOP" => Some(Level::TS),
            "S" | "NS" | "SECRET" => Some(Level::S),
            "C" | "NC" | "CONFIDENTIAL" | "R" | "NR" | "RESTRICTED" => Some(Level::C),
            "U" | "NU" | "UNCLASSIFIED" => Some(Level::U),
            _ => None,
        };
        if l.is_some() {
            level = l.max(level);
        }
    }
    level.map_or(Reading::Unreadable, Reading::Level)
}

fn single_letter(s: &str) -> Option<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) if c.is_alphabetic() => Some(c),
        _ => None,
    }
}

/// Collapses runs of spaces and the spaces around `/` and `-`.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        let glue = out.ends_with(['/', '-']) || w.starts_with(['/', '-']);
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Within one edit (substitution, insertion, deletion or swap of neighbours) of a
/// spelled-out level, but not the level itself.
pub fn near_level_word(w: &str) -> bool {
    if w.len() < 5 {
        return false;
    }
    ["SECRET", "CONFIDENTIAL", "UNCLASSIFIED"]
        .iter()
        .any(|l| *l != w && within_one_edit(w.as_bytes(), l.as_bytes()))
}

fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[p..], &b[p..]);
    if la == lb {
        ra.len() <= 1
            || ra[1..] == rb[1..]
            || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
    } else if la > lb {
        ra[1..] == *rb
    } else {
        *ra == rb[1..]
    }
}

/// Reads a banner-shaped line (folded, trimmed): a level spelled out, or letter-spaced,
/// alone or followed by controls, a `//` block, or a section and serial number. Banners
/// are upper case; a line with a lowercase letter is prose. A letter-spaced level
/// (`C O N F I D E N T I A L BAKU 000761 SIPDIS ...`) is a banner whatever follows it, as
/// no prose is written that way; the second value says whether other text follows it on
/// the line (a flattened banner).
pub fn read_banner(line: &str) -> Option<(Reading, bool)> {
    let words: Vec<&str> = line.split_whitespace().take(64).collect();
    // `S E C R E T`, `T O P  S E C R E T`: join the leading single letters.
    let spaced = words
        .iter()
        .take_while(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()))
        .count();
    // A letter-spaced level is a banner whatever the rest of the line is; otherwise a
    // banner is a short upper-case line.
    if spaced < 4 && (line.len() > 160 || line.chars().any(|c| c.is_lowercase())) {
        return None;
    }
    let (head, rest_words): (String, &[&str]) = if spaced >= 4 {
        (words[..spaced].concat(), &words[spaced..])
    } else if words.len() >= 2 && words[0] == "TOP" {
        (format!("TOP {}", words[1]), &words[2..])
    } else if let Some(w) = words.first() {
        (w.to_string(), &words[1..])
    } else {
        return None;
    };
    // `SECRET//NOFORN`: the level word ends at the first separator.
    let (level_word, glued) = match head.find(['/', '-']) {
        Some(i) => (&head[..i], &head[i..]),
        None => (head.as_str(), ""),
    };
    let level_word = level_word.replace("TOPSECRET", "TOP SECRET");
    let level = match level_word.as_str() {
        "TOP SECRET" => Level::TS,
        "SECRET" => Level::S,
        "CONFIDENTIAL" => Level::C,
        "UNCLASSIFIED" | "UNCLAS" => Level::U,
        w if glued.is_empty() && rest_words.is_empty() && near_level_word(w) => {
            return Some((Reading::Unreadable, false));
        }
        _ => return None,
    };
    if !glued.is_empty() {
        return Some((Reading::Level(level), false));
    }
    let Some(first) = rest_words.first() else {
        return Some((Reading::Level(level), false));
    };
    let serial = *first == "SECTION" || first.chars().all(|c| c.is_ascii_digit());
    let controls = rest_words.iter().all(|w| {
        w.split(['/', ','])
            .filter(|p| !p.is_empty())
            .all(|p| CONTROLS.contains(&p) || p == "-")
    });
    let slashed = first.starts_with('/');
    if serial || controls || slashed {
        Some((Reading::Level(level), false))
    } else if spaced >= 4 {
        Some((Reading::Level(level), true))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(s: &str) -> Option<Reading> {
        read_mark(s, false)
    }

    #[test]
    fn a_bare_nato_level_reads_as_its_level() {
        assert_eq!(read_nato("NS"), Some(Reading::Level(Level::S)));
        assert_eq!(read_nato("cts"), Some(Reading::Level(Level::TS)));
        assert_eq!(read_nato("NR"), Some(Reading::Level(Level::C)));
        assert_eq!(read_nato("NU"), None);
        assert_eq!(read_nato("NSA"), None);
    }

    #[test]
    fn reads_every_form_of_the_grammar() {
        let l = |l| Some(Reading::Level(l));
        assert_eq!(mark("C"), l(Level::C));
        assert_eq!(mark("S//NF"), l(Level::S));
        assert_eq!(mark("TS//SI//REL TO USA, FVEY"), l(Level::TS));
        assert_eq!(mark("S/NF"), l(Level::S));
        assert_eq!(mark("S-NF"), l(Level::S));
        assert_eq!(mark("C - ENTIRE TEXT"), l(Level::C));
        assert_eq!(mark("SBU"), l(Level::U));
        assert_eq!(mark("U//FOUO"), l(Level::U));
        assert_eq!(mark("CUI"), l(Level::U));
        assert_eq!(mark("CONFIDENTIAL"), l(Level::C));
        assert_eq!(mark("Secret"), l(Level::S));
        assert_eq!(mark(" s // nf "), l(Level::S));
        assert_eq!(mark("TOP SECRET//NOFORN"), l(Level::TS));
        assert_eq!(mark("//GBR S"), l(Level::S));
        assert_eq!(mark("S//SAR-XYZ 123"), l(Level::S));
    }

    #[test]
    fn unreadable_marks_are_reported_as_such() {
        assert_eq!(mark("SECERT"), Some(Reading::Unreadable));
        assert_eq!(mark("S#NF"), Some(Reading::Unreadable));
        // OCR damage seen in an NSA course module (modern corpus): a control's case lost
        // after `//`, a speck before the level, a `(S//SI/REL` read as one word.
        assert_eq!(mark("S#SI//RCb"), Some(Reading::Unreadable));
        assert_eq!(mark("^S#SI//NF"), Some(Reading::Unreadable));
        assert_eq!(mark("~TS//SI"), Some(Reading::Unreadable));
        assert_eq!(
            read_unclosed("SIISU/REhrf", false),
            Some(Reading::Unreadable)
        );
        // Prose keeps its parentheses.
        assert_eq!(mark("^_^"), None);
        assert_eq!(mark("#1"), None);
        assert_eq!(read_unclosed("see/also", false), None);
        assert_eq!(read_unclosed("CIA", false), None);
        assert_eq!(read_unclosed("COMINT/ELINT/", false), None);
        assert_eq!(mark("Ş"), Some(Reading::Unreadable));
        assert_eq!(mark("//XYZ"), Some(Reading::Unreadable));
        assert_eq!(
            read_mark("8", true),
            Some(Reading::Unreadable),
            "OCR (8) after a number"
        );
        assert_eq!(read_mark("8", false), None);
    }

    #[test]
    fn prose_in_parentheses_is_not_a_mark() {
        for s in [
            "a",
            "1",
            "CIA",
            "C-130",
            "S-300",
            "Secretariat",
            "see below",
            "USA",
            "SA",
            "U.S.",
            "C/2",
            "C/O THE EMBASSY",
            "C.",
            "Confidential source said so",
            "c/o the embassy",
            "B",
        ] {
            assert_eq!(mark(s), None, "{s}");
        }
        assert_eq!(read_mark("s", true), Some(Reading::Level(Level::S)));
        // Any case: a lowercase mark is a mark (lists and reasons are the scanner's).
        assert_eq!(mark("s"), Some(Reading::Level(Level::S)));
        assert_eq!(mark("c"), Some(Reading::Level(Level::C)));
    }

    #[test]
    fn one_character_marks_read_as_the_general_path_does() {
        for b in 0x21u8..0x7F {
            let c = (b as char).to_string();
            for lead in [false, true] {
                assert_eq!(read_mark(&c, lead), read_general(&c, lead), "{c} {lead}");
                assert_eq!(read_mark(&format!(" {c} "), lead), read_general(&c, lead));
            }
        }
    }

    #[test]
    fn banners() {
        let l = |l| Some((Reading::Level(l), false));
        assert_eq!(read_banner("SECRET//NOFORN"), l(Level::S));
        assert_eq!(read_banner("S E C R E T"), l(Level::S));
        assert_eq!(read_banner("T O P  S E C R E T"), l(Level::TS));
        assert_eq!(read_banner("TOP SECRET"), l(Level::TS));
        assert_eq!(read_banner("CONFIDENTIAL"), l(Level::C));
        assert_eq!(
            read_banner("C O N F I D E N T I A L SECTION 01 OF 02 BAKU 000761"),
            l(Level::C)
        );
        assert_eq!(read_banner("SECRET NOFORN"), l(Level::S));
        assert_eq!(read_banner("UNCLASSIFIED"), l(Level::U));
        assert_eq!(read_banner("SECERT"), Some((Reading::Unreadable, false)));
        assert_eq!(
            read_banner("C O N F I D E N T I A L BAKU 000761 SIPDIS DOE FOR"),
            Some((Reading::Level(Level::C), true))
        );
        let long = format!("S E C R E T STATE 1 Mixed case {}", "text ".repeat(40));
        assert_eq!(read_banner(&long), Some((Reading::Level(Level::S), true)));
        for prose in [
            "SECRET SERVICE AGENTS ARRIVED",
            "Secret",
            "THE SECRET BALLOT",
            "CONFIDENTIALITY",
            "SECRETARY RICE",
        ] {
            assert_eq!(read_banner(prose), None, "{prose}");
        }
    }
}
