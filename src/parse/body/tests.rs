//! Unit tests of the body's line predicates (`lines.rs`): the hand-written readers held to
//! the patterns they replace, body starts, rules, stamps and numbered leads.

use crate::parse::lines::*;
use regex::Regex;
use std::sync::LazyLock;

fn owned(found: Option<(&str, u32, usize)>) -> Option<(String, u32, usize)> {
    found.map(|(lead, number, after)| (lead.to_string(), number, after))
}

/// The pattern `numbered_start` reads by hand, applied as the regex it once was.
fn by_regex(line: &str) -> Option<(String, u32, usize)> {
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\s*(?:-{2,}[-\s]*)?(?:¶\s*)?)(\d{1,3})\s*\.(?:\s+|\(|$)").unwrap()
    });
    let caps = NUMBERED.captures(line)?;
    let number: u32 = caps[2].parse().ok()?;
    let end = caps.get(2).expect("group 2").end();
    let after = line[end..].find('.').map_or(end, |d| end + d + 1);
    Some((caps[1].to_string(), number, after))
}

#[test]
fn numbered_start_matches_its_pattern_on_every_short_line() {
    crate::testing::each_string(
        &[" ", "-", "¶", "1", "0", ".", "(", "a", "\u{a0}", "٣", "²"],
        5,
        |line| assert_eq!(owned(numbered_start(line)), by_regex(line), "{line:?}"),
    );
}

fn mark_by_regex(s: &str) -> Option<(&str, usize, usize)> {
    static MARK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*(\([^()]{0,48}\))[\s:.\-]*").unwrap());
    let caps = MARK.captures(s)?;
    let g = caps.get(1).unwrap();
    Some((g.as_str(), g.start(), caps.get(0).unwrap().end()))
}

#[test]
fn mark_at_matches_its_pattern() {
    crate::testing::each_string(
        &[" ", "(", ")", "S", "/", ":", "-", "\u{a0}", "é"],
        6,
        |text| {
            let hand = mark_at(text).map(|m| (m.mark, m.start, m.end));
            assert_eq!(hand, mark_by_regex(text), "{text:?}");
        },
    );
    let long = |n: usize| format!(" ({}) text", "é".repeat(n));
    for text in [long(47), long(48), long(49), "(S//NF) - . : Text".into()] {
        let hand = mark_at(&text).map(|m| (m.mark, m.start, m.end));
        assert_eq!(hand, mark_by_regex(&text), "{text:?}");
    }
}

#[test]
fn summary_and_damaged_leads_start_the_body() {
    for line in [
        "SUMMARY: text",
        "  begin summary",
        "--- Summary",
        "\u{a0}Summary.",
        "ſummary: the long s folds to s",
        "l. (S) Text",
        "*1) (C) Text",
    ] {
        assert!(is_body_start(line), "{line}");
    }
    for line in [
        "The summary",
        "Summaryless",
        "C. (C) PARIS 7527",
        "l. S Text",
    ] {
        assert!(!is_body_start(line), "{line}");
    }
}

#[test]
fn rules_and_stamps() {
    for line in ["-------", " === ", "---- header ends ----", "*_*", "- - -"] {
        assert!(is_rule(line), "{line}");
    }
    for line in [
        "--",
        "-- The minister said",
        "---- headers ----",
        "-- he ends --",
    ] {
        assert!(!is_rule(line), "{line}");
    }
    let stamp = "Declassified/Released US Department of State EO Systematic Review";
    assert!(is_stamp(stamp));
    assert!(is_stamp("NNNN"));
    assert!(!is_stamp(
        "The cable was Declassified / Released in 2010 by the Department"
    ));
}

#[test]
fn numbered_start_on_real_leads() {
    for line in [
        "1. (C) Text",
        "¶12. (S/NF) Text",
        "------¶3. (C) Text",
        "  -- 4.(U)",
        " - 5. text",
        "1234. text",
        "12.5 million",
        "7.",
        "¶ 8 . (C)",
        "3.text",
        "\t9.\u{a0}(C)",
    ] {
        assert_eq!(owned(numbered_start(line)), by_regex(line), "{line:?}");
    }
    assert_eq!(numbered_start("¶12. (C) T"), Some(("¶", 12, 5)));
}
