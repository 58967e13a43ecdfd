//! Page and archive furniture the unmarked rule reads by shape alone: stamps and
//! running lines a release prints by design, none of which can hold a sentence.
//!
//! Place in the project: under `unmarked`'s `furniture`, beside the pipeline; it shares
//! nothing with `src/`. Each shape below is written so that prose cannot take it: a
//! fixed phrase, or a line of numbers and codes only, or a field name of a dump's
//! metadata. Why each is furniture:
//! - a date, date-time or number stamp alone on its line (`2/22/2008 14:46`,
//!   `2009-07-07`, `14-0000`, `104-10427-10052`): a dump's date field, a scan's page or
//!   record stamp; numbers only, no words;
//! - a list of message ids (`07THEHAGUE297|07THEHAGUE418`): a dump's reference field;
//! - a line of distribution codes (`DINT-00 DODE-00 WHA-00`): a cable's INFO list wrapped;
//! - a dump's metadata field (`id: 114649`, `refid: …`, `origin: …`, `classification: …`,
//!   `destination: …`, `header:`) and its note `This record is a partial extract of the
//!   original cable…`: archive data, not the cable's;
//! - the JFK collection's release stamp (`… 2025 RELEASE UNDER THE PRESIDENT JOHN F.
//!   KENNEDY ASSASSINATION RECORDS ACT OF 1992 |`) and page stamp (`NW 47055 DocId:32271017
//!   Page 1`, `HW 50955 Docld: 32423736`, `32423736 Page 2`), and a Markdown export's page
//!   or record heading (`## Page 3`, `# 104-10331-10333`, `# docid-32404534`): written by
//!   the archive on every page;
//! - a declassification stamp of a scan (`DECLASSIFICATION AUTHORITY DERIVED FROM:`, `FBI
//!   AUTOMATIC DECLASSIFICATION GUIDE`, `DATE 03-20-2020`, OCR-damaged: a word of ten or
//!   more letters opening in `DECL`, at most six words, in capitals): the reviewer's stamp;
//! - a page number (`PAGE 001`, `Page 3 of 14`), a wiki printout's running head (`…
//!   - WikiInfo`), and a banner's control words wrapped onto their own line
//!   (`KEYHOLE//ORCON/PROPIN/RELIDO/REL TO USA, FVEY`): page furniture and marking;
//! - an IC system banner's lead-in (`DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS`,
//!   `The accredited security level of this system is:`, letter-spaced or not) and a
//!   document's version line (`Version 17 (Final)`, `Last Updated 09/07/11`): the banner
//!   and the edition, which the release replaces or keeps as furniture.

/// Whether `t` (a trimmed line) is a stamp of the shapes above.
pub(super) fn stamp(t: &str) -> bool {
    // (every other shape holds at most twenty words: a line of prose is read no further
    // than a dump's note and a letter-spaced system banner)
    if t.split_whitespace().nth(20).is_some() {
        return dump_field(t) || system_banner(t);
    }
    numbers_only(t)
        || message_ids(t)
        || distribution(t)
        || dump_field(t)
        || jfk_stamp(t)
        || declass_stamp(t)
        || system_banner(t)
        || version_line(t)
        || page_number(t)
        || control_line(t)
        || wiki_head(t)
}

/// A page number: `PAGE 001`, `Page 3`, `Page 3 of 14`.
fn page_number(t: &str) -> bool {
    let ws: Vec<&str> = t.split_whitespace().collect();
    let num = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    match ws.as_slice() {
        [p, n] => p.eq_ignore_ascii_case("page") && num(n),
        [p, n, "of", m] => p.eq_ignore_ascii_case("page") && num(n) && num(m),
        _ => false,
    }
}

/// A banner's control words wrapped onto a line of their own:
/// `KEYHOLE//ORCON/PROPIN/RELIDO/REL TO USA, FVEY *`: its first word a run of controls
/// joined by `//` (no `)`: `SIISI//NF)` is a damaged mark, not a wrapped banner), then only
/// controls (capitals joined by `/`) and short codes (`REL TO USA, FVEY`), at most twelve
/// words: no word a sentence needs.
fn control_line(t: &str) -> bool {
    let ws: Vec<&str> = t.split_whitespace().collect();
    let upper = |w: &str| {
        w.chars().any(|c| c.is_ascii_uppercase())
            && w.chars().all(|c| {
                c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '/' | '-' | ',')
            })
    };
    let Some((first, rest)) = ws.split_first() else {
        return false;
    };
    ws.len() <= 12
        && first.contains("//")
        && upper(first)
        && rest.iter().all(|w| {
            *w == "*" || (upper(w) && (w.contains('/') || w.trim_end_matches(',').len() <= 4))
        })
}

/// The running head of a wiki page printed to PDF: `POISONNUT Product - WikiInfo` (OCR:
/// `Wikilnfo`), at most eight words.
fn wiki_head(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    (l.ends_with("- wikiinfo") || l.ends_with("- wikilnfo")) && t.split_whitespace().count() <= 8
}

/// Digits with `-`, `/`, `:`, `.` between them, in at most three space-separated groups:
/// a date, time, page or record stamp.
fn numbers_only(t: &str) -> bool {
    let groups: Vec<&str> = t.split_whitespace().collect();
    !groups.is_empty()
        && groups.len() <= 3
        && groups.iter().all(|g| {
            g.chars().next().is_some_and(|c| c.is_ascii_digit())
                && g.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | ':' | '.'))
        })
}

/// A message id: `07THEHAGUE297`, `09STATE124636`.
pub(super) fn message_id(w: &str) -> bool {
    let b = w.as_bytes();
    let letters = b
        .iter()
        .skip(2)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && letters >= 2
        && b[2 + letters..].iter().all(u8::is_ascii_digit)
        && b.len() > 2 + letters
}

/// Message ids joined by `|`.
fn message_ids(t: &str) -> bool {
    t.contains('|') && t.split('|').all(|w| message_id(w.trim()))
}

/// Distribution codes of a cable's INFO list: `DINT-00  DODE-00  WHA-00`.
fn distribution(t: &str) -> bool {
    let ws: Vec<&str> = t.split_whitespace().collect();
    ws.len() >= 2
        && ws.iter().all(|w| {
            let Some((code, n)) = w.split_once('-') else {
                return false;
            };
            (1..=6).contains(&code.len())
                && code.chars().all(|c| c.is_ascii_uppercase())
                && n.len() == 2
                && n.chars().all(|c| c.is_ascii_digit())
        })
}

/// A metadata field of a cable dump, or its note on a partial extract.
fn dump_field(t: &str) -> bool {
    const KEYS: [&str; 7] = [
        "id:",
        "date:",
        "refid:",
        "origin:",
        "classification:",
        "destination:",
        "header:",
    ];
    let short = t.split_whitespace().count() <= 4;
    // a cable page's `Class: SECRET`, `Date: Fri Jun 16 10:23:00 2006`, `Key: 06LONDON4338`
    let page = match t.split_once(':') {
        Some(("Class", v)) => v.split_whitespace().count() <= 2,
        Some(("Key", v)) => message_id(v.trim()),
        Some(("Date", v)) => {
            v.split_whitespace().count() <= 6 && v.chars().filter(char::is_ascii_digit).count() >= 4
        }
        _ => false,
    };
    page || (short && KEYS.iter().any(|k| t.starts_with(k)))
        || t.starts_with("This record is a partial extract of the original cable.")
}

/// The JFK collection's release and page stamps, and a Markdown export's page or record
/// heading.
fn jfk_stamp(t: &str) -> bool {
    if (t.contains("KENNEDY") || t.contains("Kennedy"))
        && t.to_ascii_uppercase()
            .contains("RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT")
        && t.split_whitespace().count() <= 20
    {
        return true;
    }
    // (the shapes below open with `N`, `H`, a digit or `#`: most lines are none of them)
    if !t.starts_with(['N', 'H', '#']) && !t.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let ws: Vec<&str> = t.split_whitespace().collect();
    // `NW 47055 DocId:32271017 Page 1`, `HW 50955 Docld: 32423736`, `HW 50955 DoclId`
    // (the NW or HW number is the archive's; what follows it is its doc id, OCR-damaged)
    let nw = ws.len() >= 2
        && ws.len() <= 6
        && matches!(ws[0], "NW" | "HW")
        && ws[1].chars().all(|c| c.is_ascii_digit());
    // `32423736 Page 2`
    let page = ws.len() == 3
        && ws[1] == "Page"
        && [ws[0], ws[2]]
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_digit()));
    // `## Page 3`, `# 104-10331-10333`, `# docid-32404534`
    let heading = t.starts_with('#') && {
        let rest: Vec<&str> = t.trim_start_matches('#').split_whitespace().collect();
        match rest.as_slice() {
            ["Page", n] => n.chars().all(|c| c.is_ascii_digit()),
            [id] => {
                let id = id.strip_prefix("docid-").unwrap_or(id);
                !id.is_empty() && id.chars().all(|c| c.is_ascii_digit() || c == '-')
            }
            _ => false,
        }
    };
    nw || page || heading
}

/// A scan's declassification stamp, OCR-damaged or not.
fn declass_stamp(t: &str) -> bool {
    if t.chars().any(|c| c.is_lowercase()) {
        return false;
    }
    let ws: Vec<&str> = t.split_whitespace().collect();
    if ws.is_empty() || ws.len() > 6 {
        return false;
    }
    let long_decl = ws.iter().any(|w| {
        let letters: String = w.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        letters.starts_with("DECL") && letters.len() >= 10
    });
    let date = ws.len() == 2 && ws[0] == "DATE" && numbers_only(ws[1]);
    long_decl || date
}

/// An IC system banner's lead-in line.
fn system_banner(t: &str) -> bool {
    if !(t.contains("CLASSIFICATION IS") || t.contains("ccredited") || t.contains("c c r e d")) {
        return false;
    }
    let closed: String = t
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    (closed.contains("highestpossibleclassificationis") && t.split_whitespace().count() <= 8)
        || closed.starts_with("theaccreditedsecuritylevelofthissystemis")
}

/// A document's version line: `Version 17 (Final)`, `Updated 10/17/11`, `Last Updated
/// 09/07/11`.
fn version_line(t: &str) -> bool {
    let ws: Vec<&str> = t.split_whitespace().collect();
    match ws.as_slice() {
        ["Version", n] | ["Version", n, _] => n.chars().all(|c| c.is_ascii_digit()),
        ["Updated", d] | ["Last", "Updated", d] => numbers_only(d),
        _ => false,
    }
}
