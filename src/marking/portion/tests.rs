//! Unit tests of the portion-mark grammar: strict forms, legacy forms, damage repair and
//! look-alike folding, and the agreement of the cheap `is_mark` test with `parse`.

use super::*;

#[test]
fn is_mark_agrees_with_parse() {
    for raw in [
        "(U)",
        "(C)",
        "(S)",
        "(TS)",
        "(SBU)",
        "(SBU-NF)",
        "(S/NF)",
        "(C//NF)",
        "(SNF)",
        "(S NF)",
        "(S-NF)",
        "(TSNF)",
        "(SBUNF)",
        "(C/REL TO USA, GBR)",
        "(S//REL UK)",
        "(C/XYZ)",
        "(ZZ/QQ)",
        "(CX)",
        "(TQ)",
        "(a)",
        "(A)",
        "(3)",
        "(C-TN9-01015)",
        "(S SG 14)",
        "(LOU)",
        "(FOUO)",
        "(U//FOUO)",
        "(NATO)",
        "()",
        "( )",
        "(C",
        "C)",
        "(c)",
        "(s/nf)",
        "(CONFIDENTIAL)",
        "(SECRET NOFORN)",
        "(S//FGI GBR)",
        "(Ü)",
        "(THIS IS A VERY LONG PARENTHETICAL REMARK THAT IS NOT A MARK)",
    ] {
        for place in [Place::LineStart, Place::AfterNumber] {
            assert_eq!(
                is_mark(raw, place),
                parse(raw, place).is_some(),
                "{raw} {place:?}"
            );
        }
    }
}

fn canon(raw: &str) -> String {
    parse(raw, Place::AfterNumber)
        .unwrap_or_else(|| panic!("{raw} should be a marking"))
        .canonical()
}

fn not_mark(raw: &str) {
    assert!(
        parse(raw, Place::AfterNumber).is_none(),
        "{raw} should not be a marking"
    );
}

#[test]
fn strict_forms() {
    assert_eq!(canon("(S//NF)"), "S//NF");
    assert_eq!(canon("(TS//SI//NF)"), "TS//SI//NF");
    assert_eq!(canon("(S//REL TO USA, GBR)"), "S//REL TO USA, GBR");
    assert_eq!(canon("(U//FOUO)"), "U//FOUO");
    assert_eq!(canon("(S//FGI//NF)"), "S//FGI//NF");
    assert!(!parse("(S//NF)", Place::AfterNumber).unwrap().legacy);
}

#[test]
fn legacy_separators() {
    for raw in [
        "(S/NF)",
        "(S NF)",
        "(SNF)",
        "(S-NF)",
        "(s/nf)",
        "(S/Noforn)",
    ] {
        let m = parse(raw, Place::AfterNumber).unwrap();
        assert_eq!(m.canonical(), "S//NF", "{raw}");
        assert!(m.legacy, "{raw} is legacy");
        assert_eq!(m.raw, raw);
    }
    assert_eq!(canon("(C/NOFORN)"), "C//NF");
    assert_eq!(canon("(C NF)"), "C//NF");
}

#[test]
fn sbu_family() {
    assert_eq!(canon("(SBU)"), "U//SBU");
    assert_eq!(canon("(SBU/NF)"), "U//SBU-NF");
    assert_eq!(canon("(SBU//NF)"), "U//SBU-NF");
    assert_eq!(canon("(SBU-NF)"), "U//SBU-NF");
    assert_eq!(canon("(SBU/N)"), "U//SBU-NF");
    assert_eq!(canon("(sbu)"), "U//SBU");
    assert_eq!(canon("(SBU )"), "U//SBU");
}

#[test]
fn spacing_and_case() {
    assert_eq!(canon("(c)"), "C");
    assert_eq!(canon("(C )"), "C");
    assert_eq!(canon("( C)"), "C");
    assert_eq!(canon("( C )"), "C");
    assert!(parse("(C )", Place::AfterNumber).unwrap().legacy);
}

#[test]
fn rel_lists_with_names() {
    assert_eq!(canon("(S/Rel Pak)"), "S//REL TO USA, PAK");
    assert_eq!(canon("(C//REL to Spain)"), "C//REL TO USA, ESP");
    assert_eq!(canon("(S/NF/rel Panama)"), "S//NF/REL TO USA, PAN");
    assert_eq!(canon("(C/REL NATO)"), "C//REL TO USA, NATO");
    assert_eq!(canon("(S/REL TO NATO/AUS)"), "S//REL TO USA, AUS, NATO");
    assert_eq!(
        canon("(C//REL TO USA, KEN, GBR//)"),
        "C//REL TO USA, GBR, KEN"
    );
    assert_eq!(canon("(S/Rel China and UK)"), "S//REL TO USA, CHN, GBR");
    assert_eq!(canon("(C/Releasable to Italy)"), "C//REL TO USA, ITA");
    assert_eq!(canon("(Secret/Rel Armenia)"), "S//REL TO USA, ARM");
    assert_eq!(canon("(S//REL)"), "S//REL");
}

#[test]
fn unknown_tokens_are_kept() {
    let m = parse("(N/SF)", Place::AfterNumber).unwrap();
    assert!(m.is_unknown());
    assert_eq!(m.level, Level::TS, "unknown reads as most restrictive");
    let m = parse("(S/XYZZY)", Place::AfterNumber).unwrap();
    assert_eq!(m.level, Level::S);
    assert_eq!(m.unknown, ["XYZZY"]);
    assert!(parse("(SE)", Place::AfterNumber).unwrap().is_unknown());
}

#[test]
fn not_markings() {
    for raw in [
        "(3)",
        "(U.S.)",
        "(Afghanistan)",
        "(Economic)",
        "(TSCTP)",
        "(SCUD-B destruction)",
        "(TF/Embassy Tbilisi telcon)",
        "(ref A)",
        "()",
    ] {
        not_mark(raw);
    }
    assert!(parse("(a)", Place::LineStart).is_none());
    assert!(parse("(c)", Place::LineStart).is_none());
    assert!(parse("(C)", Place::LineStart).is_some());
}

#[test]
fn references_with_digits_are_not_marks() {
    not_mark("(C-TN9-01015)");
    assert_eq!(canon("(S//REL TO FIVE EYES)"), "S//REL TO USA, FVEY");
}

#[test]
fn nato_levels_read_upward() {
    assert_eq!(canon("(NC)"), "C");
    assert_eq!(canon("(NS)"), "S");
}

#[test]
fn lookalike_marks_are_read_as_marks() {
    for raw in [
        "(\u{421})",
        "\u{FF08}C\u{FF09}",
        "(\u{FF33})",
        "(S\u{200B})",
        "(\u{405}//NF)",
        "(\u{422}S)",
    ] {
        assert!(lookalike(raw, Place::LineStart).is_some(), "{raw:?}");
    }
    for raw in ["(C)", "(\u{416})", "(\u{e9}t\u{e9})", "(\u{FF11})"] {
        assert!(lookalike(raw, Place::LineStart).is_none(), "{raw:?}");
    }
}

#[test]
fn other_controls() {
    assert_eq!(canon("(S//NF//XD)"), "S//NF//XD");
    assert_eq!(canon("(TS//SAR-BP//NF)"), "TS//SAR-BP//NF");
    assert_eq!(canon("(S//FGI GBR DEU//NF)"), "S//FGI DEU GBR//NF");
    assert_eq!(canon("(U//LES)"), "U//LES");
}

#[test]
fn banner_controls_known_is_the_full_reading_when_it_reads_whole() {
    let texts = [
        "NOFORN",
        "SI/TK//REL TO USA, FVEY",
        "SIIINF",
        "F0U0",
        "SECTION/01/OF/02/STATE/000284",
        "NOFORN/STATE/000284",
        "REL TO USA/NATO/AUS",
        "REL TO USA/NATO/AUS/XYZZY",
        "SBU/N",
        "SP-PRVCY/FEDCON",
        "ORCON/NOFORN/X1",
        "",
        "SIPDIS",
        "NF/SIPDIS/NF",
    ];
    for text in texts {
        for cui in [false, true] {
            let full = read_banner_controls(text, cui);
            let known = read_banner_controls_known(text, cui);
            if full.is_unknown() {
                assert_eq!(known, None, "{text:?} cui {cui}");
            } else {
                assert_eq!(known, Some(full), "{text:?} cui {cui}");
            }
        }
    }
}
