//! Unit tests of the header scanner and its line readers.

use super::*;
use crate::parse::lines::{REF, TAGS};

/// The kind of the element holding 1-based `line`.
fn kind_at(doc: &crate::document::Document, line: usize) -> Option<ElementKind> {
    doc.elements
        .iter()
        .find(|e| e.lines.first <= line && line <= e.lines.last)
        .map(|e| e.kind)
}

#[test]
fn ignore_case_affixes_agree_with_upper_casing() {
    for text in [
        "",
        "REF",
        "Reform act",
        "reformed",
        "E.O. DECL:",
        "decl:",
        "¶ decl: x",
        "ÉCL:",
    ] {
        for affix in ["REFORM", "DECL:"] {
            let upper = text.to_ascii_uppercase();
            assert_eq!(
                starts_with_ignore_case(text, affix),
                upper.starts_with(affix)
            );
            assert_eq!(ends_with_ignore_case(text, affix), upper.ends_with(affix));
        }
    }
}

#[test]
fn field_pre_filters_agree_with_their_patterns() {
    let lines = [
        "SUBJECT: X",
        " subj. x",
        "ſubject: long s",
        "TAGS: PREL",
        "\u{a0}tags PGOV",
        "REF: A. STATE 1",
        "reftels: x",
        "REFORM",
        "VZCZCXYZ",
        "FM AMEMBASSY PRAGUE",
        "O 281034Z NOV 07",
        "RUEHC/SECSTATE WASHDC",
        "ACTION EUR",
        "BT",
        "E.O. 12958: DECL: 1/1/2017",
        "¶ E.O. 12958",
        "CLASSIFIED BY: X",
        "(U) Classified by X",
        "Derived from X",
        "The subject is",
        "",
        "   ",
    ];
    for line in lines {
        assert_eq!(is_subject(line), SUBJECT.is_match(line), "{line}");
        assert_eq!(is_tags(line), TAGS.is_match(line), "{line}");
        assert_eq!(is_ref(line), REF.is_match(line), "{line}");
        assert_eq!(is_routing(line), ROUTING.is_match(line), "{line}");
    }
}

#[test]
fn prose_is_not_an_addressee_line() {
    for office in [
        "TO SECSTATE WASHDC IMMEDIATE 1234",
        "MEMORANDUM FOR THE DIRECTOR",
        "Chief, Central Security Service",
        "Department of the Army",
        "STATE FOR EAP/J, EAP/EP",
    ] {
        assert!(!reads_as_prose(office), "{office}");
    }
    for prose in [
        "The agent met the asset KESTREL in Vienna on Tuesday.",
        "Kestrel is in Vienna",
        "EAP please pass to USTR",
    ] {
        assert!(reads_as_prose(prose), "{prose}");
    }
}

#[test]
fn addressee_labels_open_a_block() {
    use super::layout::{is_addressee_label, reads_as_sentence};
    for label in [
        "MEMORANDUM FOR THE DIRECTOR",
        "* MEMORANDUM FOR: Legislative Counsel",
        "Memorandum for the Record",
        "TO: Director",
        "FROM : Chief, Station",
        "THROUGH:             THE ACTING DEPUTY ATTORNEY GENERAL",
        "ATTENTION: Mr. Scott Breckinridge",
        "DATE:         3 May 2012",
        "Cc: someone",
    ] {
        assert!(is_addressee_label(label), "{label}");
    }
    for not_label in [
        "TO ACCOMPLISH THIS THE STATION MET HIM",
        "FROMAGE",
        "TOMORROW: THE MEETING",
        "THE AGENT MET THE ASSET",
        "Memoranda were exchanged",
    ] {
        assert!(!is_addressee_label(not_label), "{not_label}");
    }
    assert!(reads_as_sentence(
        "THE SOURCE REPORTED THAT THE COURIER CARRIES THE CODE BOOKS ON FRIDAYS."
    ));
    assert!(reads_as_sentence("HE PASSED THE SCHEDULE ON TUESDAY."));
    assert!(!reads_as_sentence("Assistant Attorney General"));
    assert!(!reads_as_sentence("FROM: Robert W. Gambino"));
}

#[test]
fn a_paragraph_of_prose_above_a_banner_is_body() {
    let scan_of = |text: &str| {
        let doc = crate::parse::parse_str(text).unwrap();
        (doc.header.banner.is_some(), doc.paragraphs.len())
    };
    // Two wrapped lines of prose: the banner lower down is not the document's; the prose
    // is body (two unmarked paragraphs and the marked one).
    let prose = "The source reports that two launches left the northern harbour\n\
                 carrying rifles for the guerrilla column in the mountains.\n\n\
                 SECRET\n\n1. (S) The station will watch the harbour.\n";
    assert_eq!(scan_of(prose), (false, 2));
    // An archive's one-line note above the banner is no paragraph: the banner is read.
    let note = "This record is a partial extract of the original cable. The full text of \
                the original cable is not available.\n\nSECRET\n\n\
                1. (S) The station will watch the harbour.\n";
    assert!(scan_of(note).0);
}

#[test]
fn a_bare_capitals_ref_label_needs_a_reference_after_it() {
    use crate::parse::lines::ref_continues;
    for field in [
        "REF: MATTERS DISCUSSED",
        "Ref. your telegram",
        "REF A) LONDON 002351 B) STATE 069339",
        "REF A: VATICAN 05286",
        "REF (A) STATE 12",
        "REF BRASILIA 1837",
        "REF DIR 12345",
        "REF\u{2019} DIRECTOR 4321",
        "REF MEXICO CITY 1234",
        "REF A 09 CAIRO 074",
        "REFS A. DIRECTOR 77",
        "REFERENCES",
        "REFTEL",
    ] {
        assert!(is_ref(field), "{field}");
    }
    for prose in [
        "REF MATTERS DISCUSSED WITH THE MINISTER YESTERDAY ARE",
        "REFERENCE TO THE MEETING ON 12 MAY",
        "REF A MEETING WITH THE MINISTER",
        "REFERENCES IN TEXT",
        "REFORM OF THE MINISTRY 1990",
    ] {
        assert!(!is_ref(prose), "{prose}");
    }
    for goes_on in [
        "B. 07 AMMAN 4885",
        "(NOTAL)",
        "C) EMB LONDON (GAYLE)-NEA/IR(COBERLY) EMAILS AND",
        "HANOI 330 (IDEOLOGY RESURGENT? THE GENERAL SECRETARY'S NEW CONCEPT",
        "Embassy e-mail of May 5",
        "THIS CABLE IS SENSITIVE 2009 BRASILIA 123",
    ] {
        assert!(ref_continues("REF: A. STATE 1234", goes_on), "{goes_on}");
    }
    for ends in [
        "SENSITIVE AND MUST NOT BE SHARED WITH THE HOST PARTY.",
        "THE MINISTER SAID THAT HE WOULD COME",
        "opposition have signaled their intention to come out",
    ] {
        assert!(!ref_continues("REF: A. STATE 1234", ends), "{ends}");
    }
}

#[test]
fn a_sentence_in_capitals_is_no_header_line() {
    use crate::parse::lines::{caps_sentence, is_tags_continuation};
    for header in [
        "TO SECSTATE WASHDC IMMEDIATE 1234",
        "INFO AMEMBASSY PARIS PRIORITY",
        "DEPT PLEASE PASS TO USDA/FAS",
        "STATE FOR EUR/NCE AND INR",
        "PREL PGOV IT",
        "FOR THE AMBASSADOR FROM THE SECRETARY",
    ] {
        assert!(!caps_sentence(header), "{header}");
        assert!(!reads_as_prose(header), "{header}");
    }
    for prose in [
        "THE MINISTER SAID HE WOULD SELL THE MISSILES",
        "THIS IS THE PLAN",
    ] {
        assert!(caps_sentence(prose), "{prose}");
        assert!(reads_as_prose(prose), "{prose}");
    }
    assert!(is_tags_continuation("KNNP, MNUC, IT"));
    assert!(!is_tags_continuation(
        "THE MINISTER SAID HE WOULD SELL THE MISSILES"
    ));
}

#[test]
fn routing_notes_stay_header_lines() {
    use crate::parse::lines::caps_sentence;
    for note in [
        "ACTION TO SECSTATE WASHDC IS BEING REPEATED FOR YOUR",
        "\"NOTE BY CIB: DO NOT/NOT PROCESS. GIVE TO EAO FOR GUIDANCE\"",
    ] {
        assert!(!caps_sentence(note), "{note}");
    }
}

#[test]
fn after_the_first_field_only_a_routing_instruction_is_an_addressee() {
    let text = "CONFIDENTIAL\n\nE.O. 12958: DECL: 08/19/2015\nTAGS: PREL MARR XX\n\
                MINISTER TO DISCUSS ARMS SALE, 19 AUGUST 2005\nSTATE FOR WHA/MEX, WHA/EPSC\n\
                REF: STATE 149277\nClassified By: AMBASSADOR JOHN DOE. REASONS: 1.4(B)(D).\n\n\
                1. (C) The minister met the ambassador.\n";
    let doc = crate::parse::parse_str(text).unwrap();
    let kind_of = |line: usize| kind_at(&doc, line);
    assert_eq!(kind_of(5), Some(ElementKind::UnreadHeader));
    assert_eq!(kind_of(6), Some(ElementKind::Addressee));
    let addressees: Vec<&str> = doc
        .header
        .addressees
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(addressees, ["STATE FOR WHA/MEX, WHA/EPSC"]);
    // the fields after it are still the header's: the authority block is read
    assert!(doc.header.classified_by.is_some());
    assert!(routing_instruction("TREASURY DEPT PASS IRS"));
    assert!(!routing_instruction("DISCUSS HAITI AND OTHER ISSUES"));
}

#[test]
fn a_tags_continuation_is_a_list_of_codes() {
    use crate::parse::lines::is_tags_continuation;
    for tags in [
        "KNNP, MNUC, IT",
        "EUN",
        "UNMIK",
        "RS,JA, KS, ASEAN",
        "AU-I, CD, SU, LY",
    ] {
        assert!(is_tags_continuation(tags), "{tags}");
    }
    for other in [
        "TROOPS MOVED NORTH OF THE RIVER",
        "WE ARE LOST",
        "CLEARANCE",
        "DISCUSS HAITI AND OTHER ISSUES, 19 AUGUST 2005",
        "",
    ] {
        assert!(!is_tags_continuation(other), "{other}");
    }
}

#[test]
fn a_caps_line_without_digits_continues_a_ref_only_as_its_wrapped_end() {
    use crate::parse::lines::ref_continues;
    let finished = "REF: A. STATE 1234";
    for goes_on in [
        "¶B. NEA READ OUT: A/S WELCH MEETING",
        "C) EMB LONDON EMAILS",
        "(NOTAL)",
        "...",
    ] {
        assert!(ref_continues(finished, goes_on), "{goes_on}");
    }
    for (above, tail) in [
        (
            "REF: 08 JAN 08 BAGHDAD O/I (SELF-PROCLAIMED SISTANI",
            "EMISSARIES)",
        ),
        (
            "REF: A. BOGOTA 2409 B. STATE 81957: REPORT OF U.S.-",
            "RUSSIA MANPADS EXPERTS MEETING",
        ),
        (
            "D) 2009 MANAGUA 913 -- NICARAGUA RECOGNIZES BREAK-AWAY GEORGIA",
            "REPUBLICS",
        ),
    ] {
        assert!(ref_continues(above, tail), "{tail}");
    }
    for ends in ["TROOPS MOVED NORTH OF THE RIVER", "CONFIDENTIAL", "KEITH"] {
        assert!(!ref_continues(finished, ends), "{ends}");
    }
}

#[test]
fn before_the_fields_only_a_routing_line_is_an_addressee() {
    for line in [
        "TO RUEHC/SECSTATE WASHDC PRIORITY 1206",
        "FM AMEMBASSY PRAGUE",
        "AMEMBASSY BOGOTA PRIORITY",
        "INFO IGAD COLLECTIVE",
        "NSC FOR CLARKE, RIEDEL AND POLLACK",
        "DOC PLEASE PASS TO NOAA",
        "C O R R E C T E D  C O P Y (ADDED INFO ADDEES)",
        "ZNY SSSSS ZZH",
        "DRL",
        "...",
    ] {
        assert!(routing_line(line, None), "{line}");
    }
    // The wrapped end of the routing line above it.
    assert!(routing_line(
        "CHATTERJI",
        Some("DEPARTMENT FOR NEA/ELA, G/TIP FOR YOUSEY, NEA/ELA FOR")
    ));
    assert!(routing_line(
        "SATTERFIELD SMITH",
        Some("WHITE HOUSE FOR OVP, DEPARTMENT FOR NEA/ARP AND S/I")
    ));
    for line in ["TROOPS MOVED NORTH OF THE RIVER", "KOSOVO MONITORING GROUP"] {
        assert!(!routing_line(line, None), "{line}");
        assert!(!routing_line(line, Some("TO SECSTATE WASHDC")), "{line}");
        // a complete routing line ends in its precedence or number
        assert!(
            !routing_line(
                line,
                Some("INFO RUEHBS/AMEMBASSY BRUSSELS PRIORITY 0567 AMEMBASSY X PRIORITY")
            ),
            "{line}"
        );
    }
    let text = "SECRET\n\nFM AMEMBASSY PRAGUE\nTO SECSTATE WASHDC\nTROOPS MOVED NORTH OF THE RIVER\n\
                E.O. 12958: DECL: 08/19/2015\n\n1. (S) The plan is ready.\n";
    let doc = crate::parse::parse_str(text).unwrap();
    let kind_of = |line: usize| kind_at(&doc, line);
    assert_eq!(kind_of(4), Some(ElementKind::Addressee));
    assert_eq!(kind_of(5), Some(ElementKind::UnreadHeader));
    // the field after it is still the header's
    assert!(doc.header.eo.is_some());
}
