//! The mark-anywhere guard end to end: crafted documents of issue 13 (damaged leads,
//! invisible characters before the number, marked sub-paragraphs inside a (U) paragraph,
//! look-alike marks under an UNCLASSIFIED banner, a glued `2. (C) SUMMARY:`, a body
//! flattened into the Classified By line) and two real cables: the classified words must be
//! absent from the text, JSON and PDF releases and the stamp must say PART or DENIED.
//! Ordinary prose ("secret ballot", "employee(s)", "(a)", "(1)", `(U)` marks, quoted
//! placeholder lines) must pass unchanged.

use crate::common;

use declass::document::Date;
use declass::guard::{Guard, Level, Reading};
use declass::job::{self, Format, Produced};
use declass::policy::{Context, Policy, shipped_sources};
use declass::render::pdf;

fn policy() -> Policy {
    let source = shipped_sources()
        .into_iter()
        .find(|s| s.name.contains("foia-release"))
        .expect("the shipped foia-release policy");
    Policy::load(&source).expect("loads").0
}

fn produce(input: &str, format: Format) -> Produced {
    let policy = policy();
    let context = Context::new(Date::new(2026, 1, 1).unwrap());
    let job = common::job(&policy, &context, format);
    match job::produce(input.as_bytes(), "07GUARDTEST1.txt", &job) {
        Ok(p) => p,
        Err(e) => panic!("release refused: {e}"),
    }
}

/// The text a reader gets from each format, with the manifest and the warnings.
fn outputs(input: &str) -> Vec<(Format, String, Produced)> {
    [Format::Text, Format::Json, Format::Pdf]
        .into_iter()
        .map(|f| {
            let p = produce(input, f);
            let text = match f {
                Format::Pdf => pdf::extract(&p.bytes).unwrap().text(),
                _ => String::from_utf8(p.bytes.clone()).unwrap(),
            };
            (f, text, p)
        })
        .collect()
}

/// The classified words are nowhere; the stamp says PART or DENIED; the open words stay.
fn assert_withheld(input: &str, secret: &[&str], open: &[&str]) {
    for (format, text, p) in outputs(input) {
        let all = format!("{text}\n{}\n{}", p.manifest, p.warnings.join("\n"));
        for w in secret {
            assert!(
                !all.contains(w),
                "{w} released in {}:\n{text}",
                format.as_str()
            );
        }
        for w in open {
            assert!(
                text.contains(w),
                "{w} missing from {}:\n{text}",
                format.as_str()
            );
        }
        assert!(
            p.stamp.contains("IN PART") || p.stamp.contains("DENIED"),
            "stamp {} for\n{text}",
            p.stamp
        );
    }
}

fn doc(banner: &str, body: &str) -> String {
    format!(
        "{banner}\n\nSUBJECT: GUARD TEST\n\n1. (U) Opening words OPENWORD here.\n{body}\n\n\
         9. (U) Closing words CLOSEWORD here.\n"
    )
}

#[test]
fn damaged_leads_glued_to_a_released_paragraph() {
    for lead in [
        "2 (S)", "2) (S)", "2: (S)", "(2) (S)", "- 2. (S)", "l. (S)", "２. (S)", "10, (C)",
    ] {
        let input = doc(
            "UNCLASSIFIED",
            &format!("{lead} CLASSWORD material and MORESECRET words."),
        );
        assert_withheld(
            &input,
            &["CLASSWORD", "MORESECRET"],
            &["OPENWORD", "CLOSEWORD"],
        );
        // The same after a blank line, where the parser may start a paragraph.
        let input = doc(
            "UNCLASSIFIED",
            &format!("\n{lead} CLASSWORD material and MORESECRET words."),
        );
        assert_withheld(
            &input,
            &["CLASSWORD", "MORESECRET"],
            &["OPENWORD", "CLOSEWORD"],
        );
    }
}

#[test]
fn invisible_characters_before_the_number() {
    for inv in [
        "\u{200B}", "\u{FEFF}", "\u{AD}", "\u{85}", "\u{2028}", "\u{2060}",
    ] {
        let input = doc(
            "UNCLASSIFIED",
            &format!("{inv}2. (S) CLASSWORD material and MORESECRET words."),
        );
        assert_withheld(
            &input,
            &["CLASSWORD", "MORESECRET"],
            &["OPENWORD", "CLOSEWORD"],
        );
    }
}

#[test]
fn marked_subparagraphs_inside_an_unclassified_paragraph() {
    let input = doc(
        "UNCLASSIFIED",
        "2. (U) Questions follow OPENTWO:\n\
         a. (S) CLASSWORD first question\n\
         -- (S//NF) MORESECRET sub-item\n\
         b. (U) Open question OPENTHREE.",
    );
    assert_withheld(
        &input,
        &["CLASSWORD", "MORESECRET"],
        &["OPENWORD", "OPENTWO", "OPENTHREE", "CLOSEWORD"],
    );
}

#[test]
fn look_alike_marks_under_an_unclassified_banner() {
    for mark in [
        "(С)",         // Cyrillic Es
        "(Ѕ)",         // Cyrillic Dze
        "(Τ\u{0405})", // Greek Tau, Cyrillic Dze
        "（C）",       // full-width parentheses
        "﹙S﹚",       // small parentheses
        "(Ｓ//ＮＦ)",  // full-width letters
        "(\u{200B}C)", // zero-width space inside
        "(C\u{200D})", // zero-width joiner inside
        "(SECERT)",    // misspelt: unreadable
    ] {
        let input = doc(
            "UNCLASSIFIED",
            &format!("2. {mark} CLASSWORD material and MORESECRET words."),
        );
        assert_withheld(
            &input,
            &["CLASSWORD", "MORESECRET"],
            &["OPENWORD", "CLOSEWORD"],
        );
    }
}

#[test]
fn glued_summary_in_an_unclassified_paragraph() {
    let input = doc(
        "UNCLASSIFIED",
        "2. (U) The visit OPENTWO went well. 3. (C) SUMMARY: CLASSWORD said MORESECRET.",
    );
    // The parser gives a line holding a glued mark to the higher mark (the model is
    // line-based), so the (U) words before it on that line go with it; the lines around
    // stay released.
    assert_withheld(
        &input,
        &["CLASSWORD", "MORESECRET"],
        &["OPENWORD", "CLOSEWORD"],
    );
}

#[test]
fn a_mark_in_the_middle_of_prose_is_withheld_to_its_boundary() {
    // No paragraph number before it: only the guard sees this one.
    let input = doc(
        "UNCLASSIFIED",
        "2. (U) The visit OPENTWO went well; the minister said (C) CLASSWORD and MORESECRET.",
    );
    assert_withheld(
        &input,
        &["CLASSWORD", "MORESECRET"],
        &["OPENWORD", "OPENTWO", "CLOSEWORD"],
    );
}

#[test]
fn body_flattened_into_the_classified_by_line() {
    let input = "C O N F I D E N T I A L SECTION 01 OF 01 BAKU 000999\n\nSIPDIS\n\n\
                 E.O. 12958: DECL: 08/10/2018\nTAGS: PREL PGOV\n\
                 SUBJECT: (U) TEST OF A FLATTENED BODY\n\n\
                 Classified By: Acting DCM, Reasons 1.4 (b) (d) 1. (C) Summary: CLASSWORD \
                 said MORESECRET things. 2. (C) More THIRDSECRET words.\n";
    assert_withheld(input, &["CLASSWORD", "MORESECRET", "THIRDSECRET"], &[]);
}

#[test]
fn real_cable_with_a_glued_summary() {
    let input = include_str!("fixtures/guard/08BUDAPEST821.txt");
    // Words of the glued `2. (C) SUMMARY:` portion. The whole body stands on one line,
    // which the parser gives to the higher mark: the cable is denied in full.
    assert_withheld(input, &["Jeno Faller", "Vilmos Hamikus"], &[]);
}

#[test]
fn real_cable_with_the_body_in_the_classified_by_line() {
    let input = include_str!("fixtures/guard/08BAKU761.txt");
    assert_withheld(
        input,
        &[
            "BP and SOCAR acknowledged",
            "offshore oil and gas production",
        ],
        &[],
    );
}

#[test]
fn guard_withholdings_are_counted_and_reported_without_text() {
    let input = doc(
        "UNCLASSIFIED",
        "2. (U) The visit went well; the minister said (C) CLASSWORD and MORESECRET.",
    );
    let p = produce(&input, Format::Text);
    let manifest: serde_json::Value = serde_json::from_str(&p.manifest).unwrap();
    assert_eq!(manifest["summary"]["guard_withheld"], 1);
    let entry = &manifest["guard"][0];
    assert_eq!(entry["code"], "DCL060");
    assert_eq!(entry["line"], 6);
    assert_eq!(entry["level"], "C");
    assert_eq!(entry["cause"], "mark-above-target");
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].contains("line 6") && p.warnings[0].contains("DCL060"));
    assert!(!p.warnings[0].contains("CLASSWORD"));
}

#[test]
fn ordinary_prose_passes_unchanged() {
    let body = "2. (U) The employee(s) voted in the secret ballot; see (a), (b), (c) and (1).\n\
                PERSON(S) NAMED IN (A) AND (B) AND (C) ATTENDED; (C-130) (U.S.) (CIA).\n\
                3. (SBU) Reasons 1.4 (c) and (d) were cited; the Secretary said so.\n\
                4. (U) A plain line quoting a (U//FOUO) mark and a (CUI) one.\n\
                6. (U) Top secret clearance holders, Confidential informants: none.";
    let input = doc("UNCLASSIFIED", body);
    for (format, text, p) in outputs(&input) {
        assert_eq!(p.stamp, "RELEASE IN FULL", "{}:\n{text}", format.as_str());
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        if format == Format::Text {
            for line in body.lines() {
                assert!(text.contains(line), "{line} changed:\n{text}");
            }
        }
    }
}

#[test]
fn placeholders_the_policy_prints_pass_the_backstop() {
    // ¶2 is withheld by the policy and printed as `2. (S//NF) [B1]` (a box reading
    // `2. (S//NF)   B1` in the PDF): the original mark before a placeholder is allowed.
    let input = "SECRET//NOFORN\n\nSUBJECT: (U) PLACEHOLDERS\n\n1. (U) Open OPENWORD.\n\n\
                 2. (S//NF) CLASSWORD here.\n\n3. (U) Open CLOSEWORD.\n";
    for (format, text, p) in outputs(input) {
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert!(!text.contains("CLASSWORD"), "{}", format.as_str());
        assert!(text.contains("OPENWORD") && text.contains("CLOSEWORD"));
        assert!(p.stamp.contains("IN PART"));
    }
}

#[test]
fn the_api_verify_calls() {
    let guard = Guard::new(Level::U);
    let release = "UNCLASSIFIED    RELEASE IN PART B1\n\n1. (U) Open.\n2. (S//NF) [B1]\n\
                   3. (C) [B1, 1.4(B)]\nSUBJECT: (C) [B1]\n";
    assert!(
        guard.blocking(release).is_empty(),
        "placeholders after marks pass"
    );
    let leaked = "1. (U) Open.\n2. (S//NF) Leaked words.\n";
    let hits = guard.blocking(leaked);
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].line, hits[0].column), (2, 4));
    assert_eq!(hits[0].reading, Reading::Level(Level::S));
    assert!(hits[0].text_follows);
    let all = guard.scan(leaked);
    assert_eq!(all.len(), 2, "every token, U included");
    assert!(Guard::new(Level::S).blocking(leaked).is_empty());
}
