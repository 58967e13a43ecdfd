//! Unit tests of line leads: numbers, labels, bullets, damaged leads and the marks after
//! them, and marks glued mid-line.

use super::*;

fn kind(line: &str) -> Option<LeadKind> {
    lead_mark(line).map(|m| m.kind)
}

#[test]
fn leads_that_carry_a_mark() {
    for (line, want) in [
        ("(C) Local police", LeadKind::Bare),
        ("1. (C) Text", LeadKind::Number),
        ("¶12. (S/NF) Text", LeadKind::Number),
        ("a. (S) Text", LeadKind::Label),
        ("II. (U) Text", LeadKind::Label),
        ("l. (S) Text", LeadKind::Label),
        ("(a) (S) Text", LeadKind::Label),
        ("-- (C) Bosnia", LeadKind::Bullet),
        ("\u{2022} (S) Item", LeadKind::Bullet),
        ("o (S) Item", LeadKind::Bullet),
        ("Answer: (C) Baku commentators", LeadKind::Label),
        ("2 (S) Text", LeadKind::DamagedNumber),
        ("2) (S) Text", LeadKind::DamagedNumber),
        ("2: (S) Text", LeadKind::DamagedNumber),
        ("10, (C) Text", LeadKind::DamagedNumber),
        ("(2) (S) Text", LeadKind::DamagedNumber),
        ("- 2. (S) Text", LeadKind::DamagedNumber),
        ("\u{FF12}. (S) Text", LeadKind::DamagedNumber),
        ("\u{200B}2. (S) Text", LeadKind::DamagedNumber),
        ("\u{FEFF}\u{AD}2. (S) Text", LeadKind::DamagedNumber),
        ("\u{2028}2. (S) Text", LeadKind::Number),
        ("1.2. (U) Text", LeadKind::Label),
        ("0 .3. (U//FOUO) Text", LeadKind::Label),
        ("D.7. (S//NF) Text", LeadKind::Label),
        ("tl.7. (S/1Nf1 The fact", LeadKind::Label),
        ("\u{2022} 2.1 (U) IPsec", LeadKind::Label),
        (
            "   \u{2022} 9.2.1 (U//FOUO) Activity Leads",
            LeadKind::Label,
        ),
    ] {
        assert_eq!(kind(line), Some(want), "{line:?}");
    }
}

#[test]
fn a_heading_hash_or_an_opening_quote_is_no_lead() {
    for line in [
        "# (U) The SID Design Team",
        "\"(U//FOUO) SIDtoday articles may not be republished\"",
        "\u{201C}(C) The Review Board",
    ] {
        let m = lead_mark(line).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(m.kind, LeadKind::Bare, "{line}");
        assert!(line[m.text_start..].starts_with(['T', 'S']), "{line}");
    }
    // A quote before words is text, not a lead; a quoted mark mid-line is no lead mark.
    assert_eq!(kind("\"Quoted words (C) here"), None);
    assert_eq!(kind("He said \"(S) nothing\""), None);
}

#[test]
fn lookalike_marks_are_unreadable_not_absent() {
    for line in [
        "(TS//S!//NF) Identify the purpose",
        "\u{2022} (TS/ZSIZ/NF) Recognize",
        "a) (TS#SW/NF) Incorrect.",
        "(\u{421}) Text",
        "\u{FF08}C\u{FF09} Text",
        "1. (\u{405}) Text",
        "(S\u{200B}) Text",
        "tl.7. (S/1Nf1 The fact that",
        "D.6. (S!/N ..) The fact",
        "0 .2. (UJ/FOUO) The fact",
        "0.4. (C// REL TO USA, AUS, CAN, GB R, CONFIDENTIAU/      1.4 (c)",
        // The `//` read as `II`, the mark wrapped over two lines (its `)` on the next).
        "  1.6. (SIIREL TO USA,           SECRETII            1.4(c)*   25 Years*",
        "(TSIISI The fact",
        "(CllNF) Text",
    ] {
        let m = lead_mark(line).unwrap_or_else(|| panic!("{line:?}"));
        assert!(m.marking.is_unknown(), "{line:?}");
    }
}

#[test]
fn text_is_not_a_lead() {
    for line in [
        "The (C) minister",
        "In 2 (C) cases",
        "(3) the third item",
        "(a) the first item",
        "(U.S.) policy",
        "Ambassador (S) said",
        "(c) lower case at a line start",
        "SUBJECT: (C) TALKS",
        "REF: (C) STATE 1234",
        "1.4 (B/D)",
        "1. 4 (b) and (d)",
        "1.4. (b) and (d)",
        "In 2.1 (c) cases",
        // A reason letter after a section of the order, whatever its case.
        "1.4 (c) 20320108",
        "1.4(C) and (D)",
        "1.5 (b)",
        " 1.4(B/D). ",
        "1.4 (b, d)",
        "1.4 (B AND D)",
        "(See the annex for details",
        "(Sill) text",
        // OCR noise before the list label `(u)`: no U is read from a lost number.
        "; (u) Memorandum to the FBI, dated 6 May 1968;",
    ] {
        assert_eq!(kind(line), None, "{line:?}");
    }
    // A section number before a mark no reason citation prints labels a portion (a
    // classification guide's `4.4 (S//TK) Mission 7500 …`, `5.1.6.1 (U) Facility Name: …`).
    assert_eq!(kind("     4.4 (S//TK) Mission 7500"), Some(LeadKind::Label));
    assert_eq!(kind("5.1.6.1 (U) Facility Name"), Some(LeadKind::Label));
    assert_eq!(kind("2.1 (C//NF) Text"), Some(LeadKind::Label));
    // Upper case, or a level that withholds, is still a mark after a lost number.
    assert_eq!(kind("; (U) Text"), Some(LeadKind::DamagedNumber));
    assert_eq!(kind("; (s) Text"), Some(LeadKind::DamagedNumber));
}

#[test]
fn byte_scans_agree_with_a_byte_loop() {
    let text = "ab(c\u{FF08}d \u{B6}e\u{2028}f(g hijklmnopqrstuvwxyz(";
    let b = text.as_bytes();
    for start in 0..b.len() {
        let t = std::str::from_utf8(&b[start..]);
        if let Ok(t) = t {
            let naive = t.as_bytes()[..t.len().min(LEAD_WINDOW)]
                .iter()
                .any(|&c| c == b'(' || c >= 0x80);
            assert_eq!(could_lead(t), naive, "{t:?}");
        }
    }
    assert!(!could_lead("The minister said that nothing would change"));
}

#[test]
fn glued_marks_mid_line() {
    let line = "This is an action request. See Paragraph 6. 2. (C) SUMMARY: Ref points";
    let (at, m) = glued_mark(line, 0).unwrap();
    assert_eq!(&line[at..at + 3], "(C)");
    assert_eq!(m.level, Level::C);
    let cab = "Classified By: DCM X, Reasons 1.4 (b) (d) 1. (C) Summary: BP and SOCAR";
    assert_eq!(glued_mark(cab, 0).unwrap().1.level, Level::C);
    assert!(glued_mark("reasons 1.4 (B) and (D).", 0).is_none());
    assert!(glued_mark("reasons 1.5 (C)", 0).is_none());
    assert!(glued_mark("see para 2 (C)", 0).is_none());
    let two = "1. (U) a. 2. (C) b. 3. (S) c. 4. (U) d.";
    assert_eq!(glued_mark(two, 0).unwrap().1.level, Level::S);
    assert!(glued_mark("x. 2. (\u{421}) y", 0).unwrap().1.is_unknown());
}

#[test]
fn a_table_rows_first_cell_leads_the_next_cells_mark() {
    for (line, cell, text) in [
        (
            "Mobile Country     (U) A decimal digit code which",
            "Mobile Country",
            "A decimal",
        ),
        (
            "Packet Data   (U) Packet Data Services",
            "Packet Data",
            "Packet",
        ),
        (
            "TADIG codes        (S//SI//REL) A number",
            "TADIG codes",
            "A number",
        ),
    ] {
        let m = lead_mark(line).unwrap_or_else(|| panic!("{line:?}"));
        assert_eq!(m.kind, LeadKind::Cell, "{line:?}");
        assert_eq!(line[..m.mark_start].trim(), cell, "{line:?}");
        assert!(line[m.text_start..].starts_with(text), "{line:?}");
    }
    for line in [
        // One blank is prose; a cell ending a sentence or clause is prose's end.
        "Mobile Country (U) A decimal",
        "the text ends here.     (U) The next",
        "said that:     (U) The next",
        // Lower case: a left column's prose, or a reason letter after a section.
        "and the minister    (U) The next",
        "Reason 1.4     (c) 20291123",
        // Too long or too many words for a row's label.
        "This is a rather long sentence start    (U) The next",
        "One two three four five    (U) The next",
        "Code (MCC)/        mobile network.",
    ] {
        assert_eq!(kind(line), None, "{line:?}");
    }
}

#[test]
fn long_caption_words_and_wiki_edit_tags() {
    let m = lead_mark("MONKEYROCKET: (U//FOUO) Receiving larger volume").unwrap();
    assert_eq!(
        (m.kind, m.marking.canonical()),
        (LeadKind::Label, "U//FOUO".into())
    );
    assert_eq!(kind("SUBJECTIVELY: (U) words"), Some(LeadKind::Label));
    assert_eq!(kind("CLASSIFICATION: (U) words"), None);
    // A form's caption that only starts with a field word is a caption; the field's own
    // phrases stay the header's and the authority block's.
    let m = lead_mark("   CLASSIFICATION GUIDE TITLE/NUMBER: (U//FOUO) NSA/CSS").unwrap();
    assert_eq!(
        (m.kind, m.marking.canonical()),
        (LeadKind::Label, "U//FOUO".into())
    );
    for line in [
        "CLASSIFIED BY: (U) words",
        "REASON FOR CLASSIFICATION: (U) words",
        "DERIVED FROM: (U) words",
        "CLASSIFICATION GUIDE: (U) words",
        "SUBJECT LINE: (U) words",
    ] {
        assert_eq!(kind(line), None, "{line:?}");
    }
    let m = lead_mark("[edit] (U) Yahoo Webmessenger").unwrap();
    assert_eq!(m.kind, LeadKind::Bare);
    assert_eq!(
        &"[edit] (U) Yahoo Webmessenger"[m.text_start..],
        "Yahoo Webmessenger"
    );
    assert_eq!(kind("[edit](U) glued"), None);
    assert_eq!(kind("[citation] (U) words"), None);
}

#[test]
fn a_later_cells_mark_after_a_column_gap() {
    let row = "(U) This field indicates whether    (S//SI//REL) It would also show";
    let (at, m) = glued_or_cell_mark(row, 4).unwrap();
    assert!(row[at..].starts_with("(S//SI//REL)"));
    assert_eq!(m.level, Level::S);
    // Deciding whether a line is marked reads only marks after a number.
    assert!(glued_mark(row, 4).is_none());
    // One blank is prose; lower case after a section number is a reason letter.
    assert!(glued_or_cell_mark("the rule in section 3 (C) applies", 0).is_none());
    assert!(glued_or_cell_mark("TOP SECRET//     1.4(c)    20291123", 0).is_none());
    assert!(glued_or_cell_mark("CONFIDENTIAL       1.4 (c)   20291123", 0).is_none());
    // A gap at the line's start, or after a caption, makes a lead, not a later cell.
    assert!(glued_or_cell_mark("      (S) text", 0).is_none());
    assert!(glued_or_cell_mark("Subject:        (U) RE: REQUEST", 0).is_none());
}
