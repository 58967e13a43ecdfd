//! Unit tests of where portions end in documents marked at their ends and in double-spaced
//! text: a mark alone under a portion's last sentence, a list item under a lead-in's colon,
//! a page number between page banners, a dash list after a finished paragraph, and the
//! lines of a double-spaced court order; what goes on across a page banner or a rule.

use crate::document::{ElementKind, Origin};
use crate::parse::parse_str;

/// (first line, last line, printed mark) of every portion (an inherited marking is none).
fn spans(text: &str) -> Vec<(usize, usize, Option<String>)> {
    parse_str(text)
        .expect("parses")
        .paragraphs
        .iter()
        .map(|p| {
            (
                p.lines.first,
                p.lines.last,
                p.marking
                    .as_ref()
                    .filter(|_| p.origin == Origin::Explicit)
                    .map(|m| m.canonical()),
            )
        })
        .collect()
}

#[test]
fn a_mark_alone_under_the_last_sentence_ends_that_portion() {
    let text = "SECRET//SI\n\nSection 3 - Processing (U)\n\
                (4) Only such communications may be processed. All others may be\n\
                retained under Sections 5 and 6.\n\
                \x20         (S//SI)\n\
                (5) Magnetic tapes may be scanned. (S)\n";
    let got = spans(text);
    assert_eq!(got[1], (4, 6, Some("S//SI".into())), "{got:?}");
    assert_eq!(got[2], (7, 7, Some("S".into())), "{got:?}");
}

#[test]
fn a_mark_alone_above_its_text_stays_that_texts() {
    // No portion marked at its end before it: the mark opens the text below.
    let text = "SECRET\n\nThe vehicles are for official use.\n(U//FOUO)\n\
                NOTE: The SOP is under revision.\n";
    let got = spans(text);
    assert!(got.iter().all(|p| p.0 != 3 || p.2.is_none()), "{got:?}");
}

#[test]
fn an_item_under_a_colon_ending_in_its_own_mark_is_a_portion() {
    let text = "SECRET//SI\n\nSection 1 - Scope (U)\n\
                \x20  In addition, the following definitions\n\
                \x20  will apply to these procedures:\n\
                \x20  (a) Acquisition means the collection of a non-\n\
                \x20      public communication. (U)\n\
                \x20  (b) Consent is the agreement. (S//SI)\n";
    let got = spans(text);
    assert_eq!(got[1], (4, 5, None), "{got:?}");
    assert_eq!(got[2], (6, 7, Some("U".into())), "{got:?}");
    // Items that run on to one mark at the paragraph's end stay in it.
    let text = "SECRET\n\n1. The request was answered. (C)\n\n\
                Gordon Noval:\nA. The search surfaced the following:\n\
                (1) A file on him, born\n\nin 1930. (S)\n";
    let got = spans(text);
    assert_eq!(got[1], (5, 9, Some("S".into())), "{got:?}");
}

#[test]
fn a_page_number_between_page_banners_is_furniture() {
    let text = "SECRET\n\n(S) The tapes may be scanned for terms that will not include\n\n\
                SECRET\n   3\nSECRET\n\nnames of persons. (S)\n";
    let doc = parse_str(text).expect("parses");
    assert_eq!(doc.paragraphs.len(), 1);
    assert_eq!(doc.paragraphs[0].lines.last, 9);
    let kind = doc
        .elements
        .iter()
        .find(|e| e.lines.contains(6))
        .map(|e| e.kind);
    assert_eq!(kind, Some(ElementKind::Furniture));
}

#[test]
fn a_dash_list_after_a_finished_paragraph_is_its_own_block() {
    let text = "UNCLASSIFIED\n\n(U//FOUO) Sessions will be hosted by the team. We hope to see you!\n\n\
                - When: 14 May 2003\n- Where: OPS2B\n\n\
                (U) The lead-in says:\n\n- When: 16 May 2003\n";
    let got = spans(text);
    assert_eq!(got[0], (3, 3, Some("U//FOUO".into())), "{got:?}");
    assert_eq!(got[1], (5, 6, None), "{got:?}");
    assert_eq!(got[2], (8, 10, Some("U".into())), "{got:?}");
}

#[test]
fn double_spaced_lines_run_on_in_an_unmarked_paragraph() {
    let text = "TOP SECRET//SI//NOFORN\n\n                 SECONDARY ORDER\n\n\
                \x20      This Court having found that the Application of the Federal Bureau of\n\n\
                Investigation (FBI) for an Order requiring the production of tangible things from\n\n\
                Verizon satisfies the requirements of 50 U.S.C. section 1861.\n\n\
                Telephony metadata includes comprehensive communications routing information.\n\n\
                \x20      IT IS HEREBY ORDERED that the Custodian of Records shall produce the\n\n\
                things.\n";
    let got = spans(text);
    let firsts: Vec<(usize, usize)> = got.iter().map(|p| (p.0, p.1)).collect();
    assert_eq!(firsts, [(3, 3), (5, 11), (13, 15)], "{got:?}");
}

/// After a page banner, text goes on in a portion marked below the banner only when it
/// plainly goes on with its sentence: the portion ends mid-sentence and the text opens in
/// lower case. A capital or a list label there starts a portion of its own, unmarked.
#[test]
fn after_a_page_banner_only_a_sentence_going_on_joins_a_lower_portion() {
    let page = |next: &str| {
        format!(
            "SECRET\n\nSUBJECT: Talks (U)\n\n\
             1. (U) The delegation arrived and the talks began with a discussion of the\n\
             SECRET\nPage 2\n{next}\n\n2. (S) The Minister asked for discretion.\n\nSECRET\n"
        )
    };
    let got = spans(&page("The Minister then confided the army will move."));
    assert_eq!(got[0], (5, 5, Some("U".into())), "{got:?}");
    assert_eq!(got[1], (8, 8, None), "{got:?}");
    let got = spans(&page("a. The Minister then confided the army will move."));
    assert_eq!(got[0], (5, 5, Some("U".into())), "{got:?}");
    let got = spans(&page("agenda for the spring, which both sides accepted."));
    assert_eq!(got[0], (5, 8, Some("U".into())), "{got:?}");
}

/// In a classified document, lines laid out in the columns of a marked table row right
/// above them are rows of their own, unmarked; prose under a marked line (typed with two
/// blanks after a sentence) is still that portion's. (The header row does not end in a
/// capitalised word: a marked heading ends its portion at its line by a rule of its own.)
#[test]
fn rows_under_a_marked_row_are_rows_of_their_own() {
    let table = "SECRET//NOFORN\n\nTitle: Targets (U)\n\n\
                 (U) Name            Role              current status\n\
                 \x20   Ahmed Karimi    courier to the network leader   active\n\
                 \x20   Yusuf Haddad    financier of the network   active\n\n\
                 (S//NF) The network uses couriers.\n\nSECRET//NOFORN\n";
    let got = spans(table);
    assert_eq!(got[1], (5, 5, Some("U".into())), "{got:?}");
    assert_eq!(got[2], (6, 7, None), "{got:?}");
    let prose = "SECRET\n\n(U) The delegation arrived on Monday.  The talks began at once and\n\
                 went on.  Both sides agreed on the agenda for the next round of talks.\n\n\
                 (S) The Minister asked for discretion.\n\nSECRET\n";
    let got = spans(prose);
    assert_eq!(got[0], (3, 4, Some("U".into())), "{got:?}");
    let open = table.replace("SECRET//NOFORN", "UNCLASSIFIED");
    let got = spans(&open);
    assert_eq!(got[1], (5, 7, Some("U".into())), "{got:?}");
}

/// A page banner wrapped onto a second line at a page's foot and the next page's top: the
/// second line is the banner's (furniture), not an unmarked portion; the paragraph cut by
/// the page break goes on after it.
#[test]
fn a_page_banner_wrapped_onto_a_second_line_is_furniture() {
    let text = "SECRET//TALENT KEYHOLE//\nREL TO USA, AUS, CAN, GBR, NZL\n\n\
                (S//TK//REL) The primary responsibility of the activity is collecting\n\n\
                SECRET//TALENT KEYHOLE//\nREL TO USA, AUS, CAN, GBR, NZL\n\
                \x0cSECRET//TALENT KEYHOLE//\nREL TO USA, AUS, CAN, GBR, NZL\n\
                signals from the collection systems.\n\n\
                (U) The site is near Alice Springs.\n";
    let doc = parse_str(text).expect("parses");
    let got = spans(text);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0], (4, 10, Some("S//TK//REL".into())), "{got:?}");
    for line in [7, 9] {
        assert!(
            doc.elements
                .iter()
                .any(|e| e.kind == ElementKind::Furniture && e.lines.first == line),
            "line {line}"
        );
    }
    // A line that does not finish the banner is no part of it.
    let text = text.replacen(
        "REL TO USA, AUS, CAN, GBR, NZL\n\x0c",
        "The next page\n\x0c",
        1,
    );
    let doc = parse_str(&text).expect("parses");
    assert!(
        !doc.elements
            .iter()
            .any(|e| e.kind == ElementKind::Furniture && e.lines.first == 7)
    );
}

/// A rule parts a page's text from what is printed under it: a footnote under a `(U)`
/// paragraph ending in its footnote number stands alone, unmarked; text going on in
/// lower case across the rule is still the paragraph's.
#[test]
fn across_a_rule_only_a_sentence_going_on_joins_a_lower_portion() {
    let page = |under: &str| {
        format!(
            "SECRET\n\nSUBJECT: Imagery (U)\n\n1. (S) The garrison grew.\n\n\
             2. (U) The imagery was shared with the analysts on 14 May and\n\
             __________\n{under}\n\nSECRET\n"
        )
    };
    let got = spans(&page("1 The imagery was collected by a new satellite."));
    assert_eq!(got[1], (7, 7, Some("U".into())), "{got:?}");
    assert_eq!(got[2], (9, 9, None), "{got:?}");
    let got = spans(&page("then with the allies on 20 May."));
    assert_eq!(got[1], (7, 9, Some("U".into())), "{got:?}");
    assert_eq!(got.len(), 2, "{got:?}");
}

#[test]
fn an_authority_block_ends_the_portion_before_it() {
    // A numbered memo whose `(U)` paragraph is followed by its authority block, a damaged
    // banner and the next memo's unmarked text: none of it is the `(U)` paragraph's.
    let text = "SECRET\n\n1. (S) The courier left on Tuesday.\n\n\
                2. (U) This review was prepared by the records office.\n\n\
                CL BY: 0605636\nCL REASON: 1.5(c)\nDECL ON: X1\nDRV FROM: SEC 5-82\n\
                CONFIDENT Ig,\n\nGary, the file was destroyed.\n";
    let doc = parse_str(text).expect("parses");
    let got = spans(text);
    assert_eq!(got[1], (5, 5, Some("U".into())), "{got:?}");
    assert!(got[2..].iter().all(|p| p.2.is_none()), "{got:?}");
    for line in 7..=10 {
        let kind = doc.elements.iter().find(|e| e.lines.contains(line));
        assert_eq!(kind.map(|e| e.kind), Some(ElementKind::Furniture), "{line}");
    }
    // Text that plainly goes on with the sentence the block interrupts is still its.
    let text = "SECRET\n\n(U) The review found that the\n\nClassified By: J. Smith\n\
                Derived From: Multiple Sources\nDeclassify On: 20320108\n\n\
                files were destroyed in 1998.\n\nThe station closed.\n";
    let got = spans(text);
    assert_eq!(got[0], (3, 9, Some("U".into())), "{got:?}");
    assert_eq!(got[1], (11, 11, None), "{got:?}");
    // A classified portion ends at the block too; printed at a page's foot (a banner
    // after it), the block lets a portion at the document's level go on over the page.
    let end = "SECRET\n\n1. (S) The station reported the meeting.\n\nCL BY 0185904\n\
               DECL ON X1\n\nThe officer met the source twice.\n\nSECRET\n";
    assert_eq!(spans(end)[1], (8, 8, None));
    let foot = end.replace("X1\n\n", "X1\nSECRET\n\n");
    assert_eq!(spans(&foot)[0], (3, 9, Some("S".into())));
}

#[test]
fn blocks_under_a_u_lead_in_stand_alone_in_a_classified_document() {
    let items = "1. (U) The delegation asked about the following:\n\
                 \x20  - the troop movements\n\
                 \x20  - the air defence sites\n\n\
                 2. (S) The Minister declined.\n";
    let got = spans(&format!("SECRET\n\n{items}"));
    assert_eq!(got[0], (3, 3, Some("U".into())), "{got:?}");
    assert_eq!(got[1], (4, 5, None), "{got:?}");
    // A quoted block after the lead-in's colon and a blank line.
    let quote = "SECRET\n\n1. (U) The cable reads in part:\n\n\
                 \x20    \"The Minister will recognise the council.\"\n\n\
                 2. (S) The station confirms it.\n";
    let got = spans(quote);
    assert_eq!(got[0], (3, 3, Some("U".into())), "{got:?}");
    assert_eq!(got[1], (5, 5, None), "{got:?}");
    // Under a classified lead-in the items go with it (the cable convention), and in an
    // unclassified document with the `(U)` one.
    let got = spans(&format!("SECRET\n\n{}", items.replace("1. (U)", "1. (S)")));
    assert_eq!(got[0], (3, 5, Some("S".into())), "{got:?}");
    let got = spans(&format!(
        "UNCLASSIFIED\n\n{}",
        items.replace("2. (S)", "2. (U)")
    ));
    assert_eq!(got[0], (3, 5, Some("U".into())), "{got:?}");
}

#[test]
fn a_short_line_ending_an_open_sentence_closes_its_portion_with_its_mark() {
    // The last line of a paragraph marked at its end is often short, like a title; it ends
    // the sentence the line above left open, so its mark is that paragraph's.
    let text = "SECRET\n\nPage 60. Use of the word is inaccurate. (C)\n\n\
                Page 58. Delete the names. Both individuals are currently employed by\n\
                GIA (C)\n\n\
                Page 61. They are not to be catagorized as diplomats. Did he want others\n\
                arrested? (U)\n\n\
                Summit Venues (S)\n";
    let got = spans(text);
    assert_eq!(got[1], (5, 6, Some("C".into())), "{got:?}");
    assert_eq!(got[2], (8, 9, Some("U".into())), "{got:?}");
    // After a blank line a short marked line is still a title of its own.
    assert_eq!(got[3], (11, 11, Some("S".into())), "{got:?}");
}

#[test]
fn a_number_the_sentence_cites_before_the_end_mark_does_not_start_a_portion() {
    let text = "CONFIDENTIAL\n\nPage 5. The name appears. (C)\n\n\
                The name of Birch appears at pages 9 and 16. Win Scot\n\
                is mentioned at pages 16, 17, and 21. (C)\n";
    let got = spans(text);
    assert_eq!(got[1], (5, 6, Some("C".into())), "{got:?}");
}

#[test]
fn a_lower_case_or_specked_end_mark_withholds() {
    let text = "CONFIDENTIAL\n\nPage 5. Delete the name. This reference describes an\n\
                officer under cover. (c)\n\n\
                Page 6. The photograph must be deleted. (C) - :\n";
    let got = spans(text);
    assert_eq!(got[0], (3, 4, Some("C".into())), "{got:?}");
    assert_eq!(got[1], (6, 6, Some("C".into())), "{got:?}");
}

#[test]
fn unmarked_items_under_a_classified_lead_in_are_its_text() {
    let text = "SECRET\n\n(S) The following are examples of lead information:\n\n\
                \x20       a) Has the target stated that he is outside the\n\
                \x20          United States?\n\n\
                \x20      b) Has a source indicated that the target is outside?\n\n\
                \x20       c) Was the lead information found abroad?\n\n\
                (S) NSA may also review information in its databases.\n";
    let got = spans(text);
    assert_eq!(got[0], (3, 10, Some("S".into())), "{got:?}");
    assert_eq!(got[1], (12, 12, Some("S".into())), "{got:?}");
    // Under a U lead-in the items stay apart, unmarked (withheld).
    let text = "SECRET\n\n(U) The following are examples of lead information:\n\n\
                \x20       a) Has the target stated that he is outside?\n";
    let got = spans(text);
    assert_eq!(got[1], (5, 5, None), "{got:?}");
}

#[test]
fn a_markdown_table_row_marked_in_its_first_cell_is_a_portion() {
    let text = "SECRET\n\n(U) Intelligence Oversight:\n\n\
                | Title | Planned Start Date | OPI |\n\
                | :-- | :--: | :--: |\n\
                | (U) Access to Databases (Functional Inspection) | 1st QTR | SID |\n\
                | (S) Clandestine SIGINT (Special Study) | 2nd QTR | SID |\n";
    let got = spans(text);
    assert_eq!(got[1], (5, 6, None), "{got:?}");
    assert_eq!(got[2], (7, 7, Some("U".into())), "{got:?}");
    assert_eq!(got[3], (8, 8, Some("S".into())), "{got:?}");
}
