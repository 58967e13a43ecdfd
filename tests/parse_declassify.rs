//! The declassification instruction read wherever a document prints it (issue 16): each
//! case is a small fixture document written here, in the forms the modern corpus holds
//! (a memo's authority block at the foot, a newsletter's block run into one line, the
//! older agency forms `DECL ON`, `DECLON`, `DECL BY X1`, `DECL : OADR`, the bare
//! `E2 IMPDET`, a banner's trailing field, OCR damage), checked in the model
//! ([`Document::declassify`]) and in the JSON (`header.declassify`) the scorer and users
//! read.

use declass::document::{DeclassifyOn, Document};
use declass::parse::parse_str;

fn parse(text: &str) -> Document {
    parse_str(text).expect("a fixture parses")
}

/// `header.declassify` of the JSON form: (raw, kind, date, exemption).
fn json_declassify(doc: &Document) -> Option<(String, String, Option<String>, Option<String>)> {
    let json = serde_json::to_value(doc.to_json(None)).expect("serializes");
    let d = &json["header"]["declassify"];
    let s = |k: &str| d[k].as_str().map(str::to_owned);
    Some((s("raw")?, s("kind")?, s("date"), s("exemption")))
}

/// (fixture, raw value, JSON kind, ISO date, exemption code)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

const CASES: &[Case] = &[
    // A modern memo: the block at the foot, right-aligned, over the bottom banner.
    (
        "TOP SECRET//SI//NOFORN\n\n(U) The program.\n\n\
         \x20                       Derived From: NSA/CSSM 1-52\n\
         \x20                              Dated: 20070108\n\
         \x20                      Declassify On: 20320108\n\
         TOP SECRET//SI//NOFORN\n",
        "20320108",
        "date",
        Some("2032-01-08"),
        None,
    ),
    // A newsletter's block run into one line after the banner.
    (
        "TOP SECRET // SI / TK // REL TO USA AUS CAN GBR NZL\n\
         DERIVED FROM: NSA/CSSM 1-52, DATED 08 JAN 2007 DECLASSIFY ON: 20320108\n\n\
         (U) A story.\n",
        "20320108",
        "date",
        Some("2032-01-08"),
        None,
    ),
    // Exemptions and manual review.
    (
        "SECRET//NOFORN\n\n(S//NF) Text.\n\nClassified By: J. Doe\nReason: 1.4(c)\nDeclassify On: 50X1-HUM\n",
        "50X1-HUM",
        "exemption",
        None,
        Some("50X1-HUM"),
    ),
    (
        "SECRET\n\n(S) Text.\n\nDerived From: Guide 1\nDeclassify On: 25X1\n",
        "25X1",
        "exemption",
        None,
        Some("25X1"),
    ),
    (
        "SECRET\n\n(S) Text.\n\nDerived From: Guide 1\nDeclassify On: MR\n",
        "MR",
        "manual_review",
        None,
        None,
    ),
    // The older agency forms.
    (
        "SECRET\n\n1. (S) Text.\n\nHandle Via Talent-Keyhole Channels cL BY:\nDECL : OADR\nDRV FM: MIS 1-87\n",
        "OADR",
        "oadr",
        None,
        None,
    ),
    (
        "SECRET\n\n1. (S) Text.\n\nCL BY 012345\nCL REASON 1.5(c)\nDECL X1\nDRV HUM 2-82\n",
        "X1",
        "exemption",
        None,
        Some("X1"),
    ),
    (
        "SECRET\n\n1. (S) Text.\n\nCL BY 012345\nCL REASON 1.5 (b,c, &d)\nDECL BY X1\n",
        "X1",
        "exemption",
        None,
        Some("X1"),
    ),
    (
        "SECRET\n\n1. (S) Text.\n\n          DRV FM: NSA/CSSM 1-52\n\
         \x20         Dated: 23 November 2004 DECLON: 20291123\n",
        "20291123",
        "date",
        Some("2029-11-23"),
        None,
    ),
    (
        "SECRET\n\n1. (S) Text.\n\n          Dated: 24 Feb 98\n           DECL ON: Xl\n",
        "Xl",
        "exemption",
        None,
        Some("X1"),
    ),
    (
        "SECRET\n\n1. (S) Text.\n\nDECL ON: X\nCL REASON: 1.5(c)\n",
        "X",
        "event",
        None,
        None,
    ),
    // `E2 IMPDET` has no label; it stands alone or in a line of routing text.
    (
        "SECRET\n\n1. (S) Text.\n\nE2 IMPDET\nCL BY 063344\n",
        "E2 IMPDET",
        "impdet",
        None,
        None,
    ),
    (
        "SECRET\n\n1. (S) Text.\n\nFILES 4SB/PHYS. SD E2 IMPDET CL\n- BY 130. 33\n",
        "E2 IMPDET",
        "impdet",
        None,
        None,
    ),
    // A memo's `DECL:` with no E.O. line in the header.
    (
        "CONFIDENTIAL\n\nMEMORANDUM FOR THE RECORD\n\n1. (C) Text.\n\nDECL: 05/02/2017\n",
        "05/02/2017",
        "date",
        Some("2017-05-02"),
        None,
    ),
    // The value under an empty label, and a letter-spaced date.
    (
        "SECRET\n\n(S) Text.\n\n                 Declassify On:\n                 20320108\n",
        "20320108",
        "date",
        Some("2032-01-08"),
        None,
    ),
    (
        "SECRET\n\n(S) Text.\n\n     Declassify On: 2 0 3 2 0 1 0 8\n",
        "2 0 3 2 0 1 0 8",
        "date",
        Some("2032-01-08"),
        None,
    ),
    // OCR damaged the label past reading: the date where the block's last field stands.
    (
        "TOP SECRET//COMINT\n\n(TS) Text.\n\n              Derived From: NSA/CSSM 1-52\n\
         \x20                    Dated: 20070108\n\
         \x20                        i: 20340401\n",
        "20340401",
        "date",
        Some("2034-04-01"),
        None,
    ),
    // Only a banner's trailing field carries the instruction.
    (
        "TOP SECRET//COMINT//REL TO USA, AUS, CAN, GBR, NZL//20291123\n\n(TS//SI//REL) Sites.\n",
        "20291123",
        "date",
        Some("2029-11-23"),
        None,
    ),
];

#[test]
fn every_printed_form_is_read() {
    for (i, (text, raw, kind, date, exemption)) in CASES.iter().enumerate() {
        let doc = parse(text);
        let d = doc
            .declassify()
            .unwrap_or_else(|| panic!("case {i}: nothing read in\n{text}"));
        assert_eq!(d.raw, *raw, "case {i}");
        let json = json_declassify(&doc).unwrap_or_else(|| panic!("case {i}: no JSON"));
        assert_eq!(json.0, *raw, "case {i}");
        assert_eq!(json.1, *kind, "case {i}");
        assert_eq!(json.2.as_deref(), *date, "case {i}");
        assert_eq!(json.3.as_deref(), *exemption, "case {i}");
    }
}

#[test]
fn an_authority_block_comes_before_a_banner_field() {
    let doc = parse(
        "SECRET//COMINT//20291123\n\n(S) Text.\n\nDerived From: Guide\nDeclassify On: 20350101\n",
    );
    assert_eq!(doc.declassify().map(|d| d.raw.as_str()), Some("20350101"));
    let (line, banner) = doc.header.banner_declassify.as_ref().expect("kept");
    assert_eq!((*line, banner.raw.as_str()), (1, "20291123"));
}

#[test]
fn text_that_only_looks_like_a_label_is_not_read() {
    for text in [
        // Upper-case OCR noise opening with DECL and reading as no instruction.
        "SECRET\n\n1. (S) Text.\n\nDECL ASS) 7 A rity theation agent in the group\n",
        // Prose.
        "SECRET\n\n(S) The office may declassify on request; DECLASSIFIED ON review.\n",
        // A banner under an empty label is not its value.
        "TOP SECRET//SI//NOFORN\n\n(TS//SI//NF) Text.\n\n          Declassify On:\n          TOP SECRET//SI//NOFORN\n",
    ] {
        let doc = parse(text);
        assert_eq!(doc.declassify(), None, "{text}");
    }
}

#[test]
fn a_cable_keeps_its_eo_line_reading() {
    let text = "CONFIDENTIAL\n\nE.O. 12958: DECL: 05/02/2017\nTAGS: PREL\n\
                SUBJECT: TEST\n\n1. (C) Text.\n";
    let doc = parse(text);
    let eo = doc.header.eo.as_ref().expect("E.O. line read");
    assert_eq!(
        eo.declassify.as_ref().map(|d| d.raw.as_str()),
        Some("05/02/2017")
    );
    assert!(
        doc.header.authority.is_empty(),
        "{:?}",
        doc.header.authority
    );
    assert_eq!(
        doc.declassify().map(|d| d.instruction()),
        Some(DeclassifyOn::Date(
            declass::document::Date::new(2017, 5, 2).expect("a date")
        ))
    );
}

#[test]
fn a_header_run_into_one_line_stops_at_tags() {
    // Database residue with the E.O. line glued after the post, no E.O. line of its own.
    let text = "Cable dated:2005-08-17]C O N F I D E N T I A L LIMA 003571SIPDISE.O. 12958: DECL: \
                08/16/2015TAGS: EMIN PGOV PE\n\nClassified By: Ambassador. Reason: 1.4 (b,d)\n\n\
                1. (C) Text.\n";
    let doc = parse(text);
    let d = doc.declassify().expect("read");
    assert_eq!(d.raw, "08/16/2015");
}
