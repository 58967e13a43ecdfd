//! Readers for single header fields: the E.O. line and its declassification value, the
//! Classified By block and its reason letters, TAGS, the routing date line. Each takes text
//! already cut out by the header scanner and returns the field's meaning.

use crate::document::{ClassifiedBy, Date, Declassify, LineSpan, date::pivot};
use crate::marking::Marking;
use crate::marking::portion::{self, Place};
use regex::Regex;
use std::sync::LazyLock;

static EO_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*¶?\s*E\.?\s?[O0]\.?\s*(1[0-9]{4})\b\s*:?\s*(.*)$").expect("static regex")
});
static DECL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bDECL(?:ASSIFY)?(?:\s+ON)?\s*[:;.]?\s*(.*)$").expect("static regex")
});
static CAB_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\(U\)\s*)?(CLASSIFIED\s+BY|DERIVED\s+FROM|CLASSIFIED\s+ON\s+BY)\b")
        .expect("static regex")
});
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    // `1.4`, `1. 4` (wrapped), `1,4`, `1.5.D.`; the letters follow.
    Regex::new(r"\b1\s*[.,:]\s*([2-6])(?:\s*\.)?").expect("static regex")
});
static ROUTING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[OPRZ]{1,2}\s+(\d{2})\d{4}Z\s+([A-Z]{3})\s+(\d{2})\b").expect("static regex")
});
static RESIDUE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})-(\d{2})-(\d{2})\s+\d{2}:\d{2}(:\d{2})?$").expect("static regex")
});

/// The subject's mark and text from what follows `SUBJECT:`: a mark before the text
/// (`(C) Visit of …`, read off the text) or, in memos marked at the end of each portion,
/// at its end (`Request for Records (U)`, kept in the text as printed).
pub fn read_subject(rest: &str) -> (Option<Marking>, String) {
    let trimmed = rest.trim_start();
    if trimmed.starts_with('(')
        && let Some(close) = trimmed.find(')')
        && let Some(m) = portion::parse(&trimmed[..=close], Place::AfterNumber)
    {
        let text = trimmed[close + 1..].trim_start_matches([':', ' ']).trim();
        return (Some(m), collapse_spaces(text));
    }
    let text = collapse_spaces(trimmed);
    let marking = super::kind::trailing_mark(&text).map(|(_, m)| m);
    (marking, text)
}

fn collapse_spaces(s: &str) -> String {
    // Written straight into the result: a `Vec` of the words and a `join` cost two
    // allocations more for every subject line.
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Does the line start an E.O. field?
pub fn is_eo_line(line: &str) -> bool {
    // The pattern is anchored: after blanks comes `¶` or `E`. Testing that first spares
    // most lines a regex search.
    matches!(first_visible(line), Some('¶' | 'E' | 'e')) && EO_START.is_match(line)
}

/// Does the line start a Classified By / Derived From block?
pub fn is_cab_line(line: &str) -> bool {
    // After blanks: `(U)`, `CLASSIFIED` or `DERIVED`.
    matches!(first_visible(line), Some('(' | 'C' | 'c' | 'D' | 'd')) && CAB_START.is_match(line)
}

fn first_visible(line: &str) -> Option<char> {
    line.trim_start().chars().next()
}

/// Reads an E.O. field (its lines joined) into the order number and declassify value.
pub fn read_eo(joined: &str) -> Option<(String, Option<Declassify>)> {
    let caps = EO_START.captures(joined)?;
    let order = caps[1].to_string();
    let rest = caps[2].trim();
    Some((order, read_declassify(rest)))
}

/// The value after `DECL:`; `N/A` when the line says so; `None` when there is nothing.
pub fn read_declassify(rest: &str) -> Option<Declassify> {
    let value = match DECL.captures(rest) {
        Some(c) => c.get(1).map_or("", |m| m.as_str()).trim().to_string(),
        None => {
            let upper = rest.trim().to_ascii_uppercase();
            if upper.starts_with("N/A") || upper.starts_with("NA ") || upper == "NA" {
                "N/A".to_string()
            } else if upper.starts_with("RDS")
                || upper.starts_with("GDS")
                || upper.starts_with("XGDS")
                || upper.starts_with("OADR")
            {
                rest.trim().to_string()
            } else {
                return None;
            }
        }
    };
    let value = value.trim_end_matches(['\\', ' ']).to_string();
    if value.is_empty() {
        return None;
    }
    let first = value.split_whitespace().next().unwrap_or("");
    let date = Date::parse_cable(first);
    let token = if date.is_some() {
        None
    } else {
        // RDS-4 6/5/99 …: the token carries a date of its own, kept in raw.
        Some(value.to_ascii_uppercase())
    };
    Some(Declassify {
        raw: value,
        date,
        token,
    })
}

/// Reads a Classified By / Derived From block (its lines joined with spaces).
pub fn read_cab(joined: &str, lines: LineSpan, in_paragraph: Option<usize>) -> ClassifiedBy {
    let start = CAB_START.find(joined).map_or(0, |m| m.end());
    let derived = joined[..start].to_ascii_uppercase().contains("DERIVED");
    let body = joined[start..].trim_start_matches([':', ' ', '.']);
    let (by, reasons, section) = match SECTION.captures(body) {
        Some(caps) => {
            let whole = caps.get(0).expect("group 0");
            let by = cut_reason_words(&body[..whole.start()]);
            let section = format!("1.{}", &caps[1]);
            (by, reason_letters(&body[whole.end()..]), Some(section))
        }
        None => (cut_reason_words(body), Vec::new(), None),
    };
    ClassifiedBy {
        raw: joined.trim().to_string(),
        by,
        section,
        reasons,
        derived,
        lines,
        in_paragraph,
    }
}

/// Does `next` (a trimmed line) go on with the authority block read so far? Only while the
/// block is unfinished (no section and reason letters yet), or when the line is the rest of
/// the reasons (`(b) and (d).`, `and (d)`) or a `Reason:` / `Declassify On:` / `Derived
/// From:` line. A finished block followed by prose ends: the text under a Classified By
/// line is never taken for part of it.
pub fn cab_wraps(cab: &ClassifiedBy, next: &str) -> bool {
    static MORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(REASONS?\b|DECL(ASSIFY)?\b|DERIVED\s+FROM\b|(AND|OR|&)?\s*\(?[A-H]\)?(\s*(,|AND|OR|&)\s*\(?[A-H]\)?)*\s*[.;]?\s*$)")
            .expect("static regex")
    });
    // A block that states its declassification instruction is complete too: a derivative
    // block (`Derived From` / `Dated` / `Declassify On`) cites no reasons, and without
    // this every short line after it (page furniture, the next page's prose) would be
    // taken into it.
    static DECLASSIFY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bDECL(ASSIFY)?\s*(ON)?\s*:\s*\S").expect("static regex")
    });
    let finished =
        cab.section.is_some() && !cab.reasons.is_empty() || DECLASSIFY.is_match(&cab.raw);
    (!finished && next.len() <= 100) || next.len() <= 4 || (next.len() <= 60 && MORE.is_match(next))
}

/// The classifier's name without the trailing "for reasons", "Reason:", "per" words.
fn cut_reason_words(s: &str) -> String {
    let upper = s.to_ascii_uppercase();
    let mut end = s.len();
    for word in [
        " FOR REASONS",
        " FOR REASON",
        ", REASONS",
        " REASONS",
        ", REASON",
        " REASON",
        " PER ",
        " DUE TO",
        " BASED ON",
        " E.O.",
    ] {
        if let Some(i) = upper.find(word) {
            end = end.min(i);
        }
    }
    s[..end]
        .trim()
        .trim_end_matches([',', ';', '.', ':'])
        .trim()
        .to_string()
}

/// Letters after the section number: `(b) and (d)`, `(B,D)`, `b and d`, `(B/D)`, `(b+d)`,
/// `.D.`. Stops at the first word that is neither a letter nor a connector.
pub fn reason_letters(s: &str) -> Vec<char> {
    // The reasons end with their sentence: `(b) and (d). (S) A/DCM …` stops at `. `.
    let s = s.find(". ").map_or(s, |i| &s[..i]);
    let mut letters = Vec::new();
    for token in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        if token.is_empty() {
            continue;
        }
        let lower = token.to_ascii_lowercase();
        if lower.len() == 1 && lower.as_bytes()[0].is_ascii_alphabetic() {
            let c = lower.chars().next().expect("one char");
            if !letters.contains(&c) {
                letters.push(c);
            }
        } else if matches!(lower.as_str(), "and" | "or") {
            continue;
        } else {
            break;
        }
    }
    letters
}

/// `TAGS: PREL PGOV MASS` or `TAGS AF, EFIN, PK` → the tag list.
pub fn read_tags(joined: &str) -> Vec<String> {
    let rest = joined.trim_start();
    let rest = rest.get(4..).unwrap_or("").trim_start_matches([':', ' ']);
    rest.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The date of a routing date-time group line (`O 031330Z MAY 07`).
pub fn routing_date(line: &str) -> Option<Date> {
    let caps = ROUTING_DATE.captures(line.trim())?;
    let day: u32 = caps[1].parse().ok()?;
    let month = month_number(&caps[2])?;
    let year = pivot(caps[3].parse().ok()?);
    Date::new(year, month, day)
}

/// The date of a residue timestamp line (`2008-07-15 12:40:00`).
pub fn residue_date(line: &str) -> Option<Date> {
    let caps = RESIDUE_DATE.captures(line.trim())?;
    Date::new(
        caps[1].parse().ok()?,
        caps[2].parse().ok()?,
        caps[3].parse().ok()?,
    )
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

/// The year from a cable id or file name such as `07PRAGUE486`.
pub fn year_from_id(id: &str) -> Option<i32> {
    let b = id.as_bytes();
    if b.len() > 3 && b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2].is_ascii_alphabetic() {
        return Some(pivot(u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0')));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cab(s: &str) -> ClassifiedBy {
        read_cab(s, LineSpan::one(1), None)
    }

    #[test]
    fn reason_variants() {
        let c = cab(
            "Classified By: Political-Economic Counselor Mike Dodman for reasons 1.4 (b) and (d).",
        );
        assert_eq!(c.reasons, ['b', 'd']);
        assert_eq!(c.section.as_deref(), Some("1.4"));
        assert_eq!(c.by, "Political-Economic Counselor Mike Dodman");
        assert_eq!(
            cab("CLASSIFIED BY DCM PSIMONS PER 1.5 (B) AND (D)").reasons,
            ['b', 'd']
        );
        assert_eq!(
            cab("Classified By: Amb. X, Reasons 1.4(B,D)").reasons,
            ['b', 'd']
        );
        assert_eq!(
            cab("Classified By: X, Reasons 1. 4 (b) and (d).").reasons,
            ['b', 'd']
        );
        assert_eq!(
            cab("CLASSIFIED BY: X. REASON: 1.4 (b), (d)").reasons,
            ['b', 'd']
        );
        assert_eq!(cab("Classified by X for reason 1.5.D.").reasons, ['d']);
        assert_eq!(cab("Classified by X, 1.4 b and d").reasons, ['b', 'd']);
        assert_eq!(
            cab("Classified By: X, Reason 1.4 (B/D)").reasons,
            ['b', 'd']
        );
        assert_eq!(
            cab("Classified By: X, reasons 1.4 (b+d)").reasons,
            ['b', 'd']
        );
        assert_eq!(
            cab("Classified By: X, reasons 1,4 (C) AND (D)").reasons,
            ['c', 'd']
        );
        let d = cab("Derived From: Multiple Sources");
        assert!(d.derived && d.reasons.is_empty());
    }

    #[test]
    fn eo_values() {
        let (order, d) = read_eo("E.O. 12958: DECL: 05/02/2017").unwrap();
        assert_eq!(order, "12958");
        assert_eq!(d.unwrap().date.unwrap().to_string(), "2017-05-02");
        let (_, d) = read_eo("E.O. 12958: N/A").unwrap();
        assert_eq!(d.unwrap().token.as_deref(), Some("N/A"));
        let (_, d) = read_eo("EO 12958 DECL: 2020/02/23").unwrap();
        assert_eq!(d.unwrap().date.unwrap().to_string(), "2020-02-23");
        let (_, d) = read_eo("E.o. 12958: decl: 6/3/08").unwrap();
        assert_eq!(d.unwrap().date.unwrap().to_string(), "2008-06-03");
        let (_, d) = read_eo("E.O. 12958: DECL: OADR").unwrap();
        assert_eq!(d.unwrap().token.as_deref(), Some("OADR"));
        let (order, d) = read_eo("E.O. 12065: RDS-4 6/5/99 (GERLACH, FREDERICK H.) OR-M").unwrap();
        assert_eq!(order, "12065");
        assert!(d.unwrap().token.unwrap().starts_with("RDS-4"));
        let (_, d) = read_eo("E.O. 12958: DECL: 1.6X1").unwrap();
        assert_eq!(d.unwrap().token.as_deref(), Some("1.6X1"));
        let (_, d) = read_eo("E.O. 12958: DECL:").unwrap();
        assert!(d.is_none());
    }

    #[test]
    fn dates_from_routing_and_ids() {
        assert_eq!(
            routing_date("O 031330Z MAY 07").unwrap().to_string(),
            "2007-05-03"
        );
        assert_eq!(
            residue_date("2008-07-15 12:40:00").unwrap().to_string(),
            "2008-07-15"
        );
        assert_eq!(year_from_id("07PRAGUE486"), Some(2007));
        assert_eq!(year_from_id("89STATE123"), Some(1989));
    }

    #[test]
    fn tags() {
        assert_eq!(read_tags("TAGS: PREL PGOV MASS"), ["PREL", "PGOV", "MASS"]);
        assert_eq!(read_tags("TAGS AF, EFIN, PK"), ["AF", "EFIN", "PK"]);
    }
}
