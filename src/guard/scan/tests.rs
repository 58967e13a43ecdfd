//! Tests of the line scan: tokens, what they govern, and the pre-filter's shortcuts.

use super::*;

fn levels(text: &str) -> Vec<(usize, Reading, bool)> {
    scan(text)
        .into_iter()
        .map(|h| (h.line, h.reading, h.text_follows))
        .collect()
}

const S: Reading = Reading::Level(Level::S);
const C: Reading = Reading::Level(Level::C);

#[test]
fn marks_anywhere_in_a_line() {
    assert_eq!(
        levels("1. (U) Fine. 2. (C) SUMMARY: no."),
        vec![(1, Reading::Level(Level::U), true), (1, C, true)]
    );
    assert_eq!(
        levels("2 (S) x\n2) (S) x\n2: (S) x\n- 2. (S) x"),
        vec![(1, S, true), (2, S, true), (3, S, true), (4, S, true)]
    );
    assert_eq!(
        levels("l. (S) x\n２. (S) x\n\u{200B}2. (S) x"),
        vec![(1, S, true), (2, S, true), (3, S, true)]
    );
}

#[test]
fn what_a_token_governs_ends_at_the_next_boundary() {
    let text = "A. (U) Questions:\n1) (S/NF) Secret one\ngoes on\n2) (U) Open";
    let hits = scan(text);
    let s = hits.iter().find(|h| h.reading == S).unwrap();
    let (a, b) = s.governs.unwrap();
    assert_eq!(&text[a..b], "(S/NF) Secret one\ngoes on");
    let text = "Intro (C)\nmore\n\nnext";
    let h = &scan(text)[0];
    assert_eq!(
        &text[h.governs.unwrap().0..h.governs.unwrap().1],
        "Intro (C)\nmore"
    );
}

#[test]
fn a_placeholder_after_a_mark_is_not_text() {
    assert_eq!(levels("2. (S//NF) [B1, 1.4(B)]"), vec![(1, S, false)]);
    assert_eq!(levels("SUBJECT: (C) [B1]"), vec![(1, C, false)]);
    assert_eq!(levels("5. (S//NF)        B1, 1.4(D)"), vec![(1, S, false)]);
    assert_eq!(levels("5. (S//NF) B1 troops"), vec![(1, S, true)]);
    assert_eq!(levels("5. (S//NF) 1500"), vec![(1, S, true)]);
}

#[test]
fn an_unclosed_mark_is_read_by_its_first_word() {
    // OCR lost the `)`: the mark still governs the text after it (a row of a
    // classification guide, corpus modern/ic).
    let found = levels("tl.7. (S/1Nf1 The fact that TAREX personnel are assigned to embassies");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(matches!(
        found[0].1,
        Reading::Level(Level::S) | Reading::Unreadable
    ));
    assert!(found[0].2, "text follows the mark");
    // Before another `(`, too: `(C// REL TO USA, … CONFIDENTIAL/   1.4 (c)`.
    let found = levels("0.4. (C// REL TO USA, AUS, CAN, GBR, CONFIDENTIAL/   1.4 (c)   25 years");
    assert!(
        found.iter().any(|f| f.1 == Reading::Level(Level::C)),
        "{found:?}"
    );
    // Prose in an unclosed parenthesis is not a mark.
    assert!(levels("The annex (see the table on page 4").is_empty());
    assert!(levels("Staff (some of them on leave").is_empty());
}

#[test]
fn prose_is_not_a_token() {
    let prose = "The employee(s) voted in the secret ballot.\n\
                 PERSON(S) NAMED (A) AND (B) AND (C) ATTENDED.\n\
                 Classified By: Amb. X, Reasons 1.4 (b) and (d)\n\
                 REASON: 1.4(C), (D)\n\
                 The (a) clause, (b) part and (c) suffix; (1) one; (C-130); (U.S.)\n\
                 [B1, 1.4(C)]";
    assert_eq!(levels(prose), vec![]);
}

#[test]
fn a_reason_or_statute_letter_makes_no_list_for_a_mark_below() {
    // Found by props_guard: a `(c)` portion under an authority line was read as the next
    // item of a list the reason letters `(b) and (d)` were taken to open.
    for above in [
        "Classified By: Counselor X\nfor reasons 1.4 (b) and (d).\n",
        "REASON: 1.4(B)\n",
        "exempt under (b)(1) of the Act.\n",
        "under 5 U.S.C. 552(b) as amended.\n",
    ] {
        let text = format!("(U) Open text.\n{above}(c) The minister said more.\n");
        let found = levels(&text);
        assert!(found.iter().any(|t| t.1 == C), "{above:?}: {found:?}");
    }
    // The reason letters going on over a line break are no mark either.
    let wrapped = "Classified By: Counselor X, for reasons 1.4 (b)\n(c) and (d)\n";
    assert_eq!(levels(wrapped), vec![]);
    // A list item `(b)` still makes the `(c)` below it an item.
    let list = "(U) The parts:\n(a) one;\n(b) two;\n(c) three.\n";
    assert!(levels(list).iter().all(|t| t.1 != C), "{:?}", levels(list));
}

#[test]
fn banners_govern_what_follows() {
    let text = "Open text\nSECRET\nclassified words\n\n(U) open again";
    let hits = scan(text);
    assert_eq!(hits[0].shape, Shape::Banner);
    let (a, b) = hits[0].governs.unwrap();
    assert_eq!(&text[a..b], "SECRET\nclassified words");
    assert_eq!(hits[1].reading, Reading::Level(Level::U));
}

#[test]
fn the_whole_text_pre_check_agrees_with_the_line_pre_check() {
    let per_line = |text: &str| {
        let mut start = 0;
        loop {
            let (end, maybe) = line_end(text, start);
            if maybe || end == text.len() {
                return maybe;
            }
            start = end + 1;
        }
    };
    for text in [
        "",
        "plain words\nmore words",
        "  \"printed_number\": \"¶1.\",\n  \"codes\": [\"B1\", \"1.4(B)\"]",
        "x\n   SECRET",
        "x\n \t CONFIDENTIAL",
        "xS\nyC",
        "text (С) hidden",
        "text \u{200B}words",
        "a (  s) b",
        "a (\nS) b",
        "a (Café)",
        "Café ¶ ünïcode (b) (1)",
        "12345678901234567890 ( 8",
        "12345678\n12345678U",
    ] {
        assert_eq!(any_line_needs_a_look(text), per_line(text), "{text:?}");
    }
    // The pre-check never hides a token.
    assert!(!scan("x\n   SECRET\nwords").is_empty());
    assert!(!scan("12345678901234567890 （Ｃ） words").is_empty());
}

#[test]
fn look_alikes_are_marked_disguised() {
    let hits = scan("1. (U) text (С) hidden");
    assert_eq!(hits[1].reading, C);
    assert!(hits[1].disguised && !hits[0].disguised);
}

/// A mark whose `(` OCR read as a brace or bracket is a mark, unreadable whatever level
/// it shows (fail closed), as an unclosed `(SIISU/` is.
#[test]
fn marks_opened_by_a_brace_or_bracket_are_unreadable() {
    let u = Reading::Unreadable;
    for (text, column) in [
        ("c) -{SIISU/REhrf Running a query on an identifier", 5),
        ("{S//NF} The network uses couriers.", 1),
        ("[S//NF] The network uses couriers.", 1),
        ("2. [S//NF) The network uses couriers.", 4),
        ("{TS//SI//NF) The program collects.", 1),
        ("{•TS//SI//NE).You can see it.", 1),
        ("{S) The station reported.", 1),
        ("{U) Still damaged, so unreadable.", 1),
        ("The cable {S/NF said so", 11),
        ("{^S#SI//NF} Specks inside.", 1),
    ] {
        let hits = scan(text);
        assert_eq!(hits.len(), 1, "{text}");
        assert_eq!(
            (hits[0].reading, hits[0].column, hits[0].text_follows),
            (u, column, true),
            "{text}"
        );
        assert!(
            !crate::guard::Guard::new(Level::TS)
                .blocking(text)
                .is_empty()
        );
    }
}

/// Brackets and braces in prose are no marks: an editor's letter (`[S]he`, `[C]`), a
/// placeholder, an unclosed bracket without a `/`, words that are no level.
#[test]
fn brackets_in_prose_are_not_marks() {
    for text in [
        "[S]he said the [C]ourt would rule.",
        "the [C] variant and the [S] one",
        "[B1, 1.4(C)]",
        "[S PROHIBITED. He left.",
        "{PCP/SOVIET} desk",
        "x{S//NF} glued to a word",
        "{s) lower case is a list",
        "[see below]",
        "{Canada} and [Turkey]",
    ] {
        assert_eq!(levels(text), vec![], "{text}");
    }
}

#[test]
fn a_bare_nato_level_is_a_mark_only_at_a_lead() {
    assert_eq!(
        levels("(NS) the NATO plans\na. (CTS) more\nThe office in Raleigh (NC) shut."),
        vec![(1, S, true), (2, Reading::Level(Level::TS), true)]
    );
}
