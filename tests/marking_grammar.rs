//! The marking grammar of docs/markings-grammar.md, form by form: every portion and banner
//! form the document names, read through the library's public grammar (`marking::portion`,
//! `marking::banner`), with its level, its controls, its damaged flag, or "unreadable".
//!
//! The adversarial rows hold the fail-closed rules: a token the grammar does not know is
//! kept and reported, never dropped, and the portion never reads lower than its level token;
//! a damaged mark never reads as something lower than it is (`(U//F0U0)` keeps FOUO, `(5)`
//! is never U); a REL TO list keeps every country. The document cases at the end check the
//! same rules where the parser, not the grammar alone, decides.

use declass::marking::banner;
use declass::marking::portion::{self, Place};
use declass::marking::{Level, Marking};

/// What a form must read as.
#[derive(Debug)]
enum Reads {
    /// A mark: level, controls in portion form (canonical order), damaged flag.
    Mark(Level, &'static [&'static str], bool),
    /// Unreadable as a whole: the level it is held at (at least its level token) and the
    /// tokens kept as unknown.
    Unreadable(Level, &'static [&'static str]),
    /// No mark at all (a list label, a number, prose).
    NotAMark,
}

use Level::{C, S, TS, U};
use Reads::{Mark, NotAMark, Unreadable};

/// Portion marks where they stand after a paragraph number (the most permissive place).
const PORTIONS: &[(&str, Reads)] = &[
    // Today's IC form and its legacy separators.
    ("(S//NF)", Mark(S, &["NF"], false)),
    ("(S-NF)", Mark(S, &["NF"], false)),
    ("(S/NF)", Mark(S, &["NF"], false)),
    ("(SNF)", Mark(S, &["NF"], false)),
    ("(S NF)", Mark(S, &["NF"], false)),
    ("(U)", Mark(U, &[], false)),
    ("(c)", Mark(C, &[], false)),
    ("(TS)", Mark(TS, &[], false)),
    // SCI systems, compartments and their older names.
    (
        "(TS//SI//REL TO USA, FVEY)",
        Mark(TS, &["SI", "REL TO USA, FVEY"], false),
    ),
    ("(TS//SI-G ABCD//NF)", Mark(TS, &["SI-G ABCD", "NF"], false)),
    (
        "(TS//HCS-P//OC/NF)",
        Mark(TS, &["HCS-P", "OC", "NF"], false),
    ),
    ("(TS//ECI SHK//NF)", Mark(TS, &["ECI SHK", "NF"], false)),
    ("(TS//SI/TK//NF)", Mark(TS, &["SI", "TK", "NF"], false)),
    ("(TS//COMINT//NF)", Mark(TS, &["SI", "NF"], false)),
    ("(TS//TALENT KEYHOLE//NF)", Mark(TS, &["TK", "NF"], false)),
    ("(S-CCO)", Mark(S, &["SI"], false)),
    // SAP, AEA, FGI.
    ("(S//SAR-BP//NF)", Mark(S, &["SAR-BP", "NF"], false)),
    ("(S//RD)", Mark(S, &["RD"], false)),
    ("(C//FRD)", Mark(C, &["FRD"], false)),
    ("(U//DCNI)", Mark(U, &["DCNI"], false)),
    ("(U//UCNI)", Mark(U, &["UCNI"], false)),
    ("(S//FGI GBR//NF)", Mark(S, &["FGI GBR", "NF"], false)),
    ("(C//FGI)", Mark(C, &["FGI"], false)),
    // Dissemination controls.
    ("(S//ORCON)", Mark(S, &["OC"], false)),
    ("(S//OC-USGOV)", Mark(S, &["OC-USGOV"], false)),
    ("(S//NOFORN)", Mark(S, &["NF"], false)),
    (
        "(S//REL TO USA, GBR, AUS, CAN, NZL, NATO)",
        Mark(S, &["REL TO USA, AUS, CAN, GBR, NZL, NATO"], false),
    ),
    ("(S//REL)", Mark(S, &["REL"], false)),
    ("(S//RELIDO)", Mark(S, &["RELIDO"], false)),
    ("(U//PROPIN)", Mark(U, &["PR"], false)),
    ("(S//IMC)", Mark(S, &["IMC"], false)),
    ("(S//FISA)", Mark(S, &["FISA"], false)),
    ("(S//DSEN)", Mark(S, &["DSEN"], false)),
    ("(S//RSEN)", Mark(S, &["RS"], false)),
    (
        "(S//DISPLAY ONLY AFG)",
        Mark(S, &["DISPLAY ONLY AFG"], false),
    ),
    ("(S//WNINTEL)", Mark(S, &["WNINTEL"], false)),
    ("(S//NOCONTRACT)", Mark(S, &["NOCONTRACT"], false)),
    // Non-IC controls.
    ("(C//LIMDIS)", Mark(C, &["DS"], false)),
    ("(S//EXDIS)", Mark(S, &["XD"], false)),
    ("(S//NODIS)", Mark(S, &["ND"], false)),
    ("(SBU)", Mark(U, &["SBU"], false)),
    ("(SBU-NF)", Mark(U, &["SBU-NF"], false)),
    ("(U//LES)", Mark(U, &["LES"], false)),
    ("(U//LES-NF)", Mark(U, &["LES-NF"], false)),
    ("(U//FOUO)", Mark(U, &["FOUO"], false)),
    ("(U//SSI)", Mark(U, &["SSI"], false)),
    ("(LOU)", Mark(U, &["LOU"], false)),
    ("(U/AIUO)", Mark(U, &["AIUO"], false)),
    ("(AIUO)", Mark(U, &["AIUO"], false)),
    // CUI: the control marking, categories, limited dissemination controls.
    ("(CUI)", Mark(U, &["CUI"], false)),
    ("(CUI//SP-PRVCY)", Mark(U, &["CUI", "SP-PRVCY"], false)),
    (
        "(CUI//SP-CTI//NOFORN)",
        Mark(U, &["NF", "CUI", "SP-CTI"], false),
    ),
    (
        "(CUI//PRVCY//FEDCON)",
        Mark(U, &["CUI", "PRVCY", "FEDCON"], false),
    ),
    ("(CUI//NOCON)", Mark(U, &["CUI", "NOCON"], false)),
    ("(CUI//DL ONLY)", Mark(U, &["CUI", "DL ONLY"], false)),
    // ENTIRE TEXT declarations read as the level they declare.
    ("(C - ENTIRE TEXT)", Mark(C, &[], false)),
    ("(S-ENTIRE TEXT)", Mark(S, &[], false)),
    // OCR and extraction damage, repaired and flagged.
    ("(U//F0U0)", Mark(U, &["FOUO"], true)),
    ("(U//FO UO)", Mark(U, &["FOUO"], true)),
    ("(U//FOUQ)", Mark(U, &["FOUO"], true)),
    ("(TS//SIIINF)", Mark(TS, &["SI", "NF"], true)),
    ("(TSIISI//NF)", Mark(TS, &["SI", "NF"], true)),
    ("(TS//SI/INF)", Mark(TS, &["SI", "NF"], true)),
    ("(TS#SI#NF)", Mark(TS, &["SI", "NF"], true)),
    ("(TS//8 1//NF)", Mark(TS, &["SI", "NF"], true)),
    // OCR's `.` for a REL list's comma, `J` for `I`, `1` for the T of TS, `IIII` for `//`.
    (
        "(S//SI//REL TO USA. FVEY)",
        Mark(S, &["SI", "REL TO USA, FVEY"], true),
    ),
    ("(TS//SJ)", Mark(TS, &["SI"], true)),
    ("(1S//SI)", Mark(TS, &["SI"], true)),
    ("(TS//SIIIINF)", Mark(TS, &["SI", "NF"], true)),
    // Spelled-out compartment and a REL TO glued to its first country.
    ("(TS//SI-GAMMA)", Mark(TS, &["SI-G"], false)),
    (
        "(S//REL TOUSA, FVEY)",
        Mark(S, &["REL TO USA, FVEY"], false),
    ),
    // Unknown tokens: kept, reported, never dropped; never below the level token.
    ("(S/XYZZY)", Unreadable(S, &["XYZZY"])),
    ("(U//XYZZY)", Unreadable(U, &["XYZZY"])),
    ("(CUI//XYZQ)", Unreadable(U, &["XYZQ"])),
    ("(S//MR)", Unreadable(S, &["MR"])),
    // No level token at all: held at the top.
    ("(N/SF)", Unreadable(TS, &["N/SF"])),
    ("(SE)", Unreadable(TS, &["SE"])),
    // Not marks: numbers, labels, references. `(8)` and `(5)` are the parser's to read
    // as `(S)` where its context says a mark stands (see the document cases).
    ("(8)", NotAMark),
    ("(5)", NotAMark),
    ("(a)", NotAMark),
    ("(3)", NotAMark),
    ("(C-TN9-01015)", NotAMark),
    ("(U.S.)", NotAMark),
];

fn controls(m: &Marking) -> Vec<String> {
    m.controls.iter().map(|c| c.portion_form()).collect()
}

fn check(what: &str, got: Option<&Marking>, want: &Reads) -> Result<(), String> {
    match (want, got) {
        (NotAMark, None) => Ok(()),
        (NotAMark, Some(m)) => Err(format!("{what}: read as {m}, expected no mark")),
        (_, None) => Err(format!("{what}: not read as a mark, expected {want:?}")),
        (Mark(level, ctl, damaged), Some(m)) => {
            let ok = m.level == *level
                && controls(m) == *ctl
                && m.damaged == *damaged
                && !m.is_unknown();
            ok.then_some(()).ok_or_else(|| {
                format!(
                    "{what}: read as {m} (controls {:?}, damaged {}, unknown {:?}), expected {want:?}",
                    controls(m),
                    m.damaged,
                    m.unknown
                )
            })
        }
        (Unreadable(level, unknown), Some(m)) => {
            let ok = m.is_unknown() && m.level == *level && m.unknown == *unknown;
            ok.then_some(()).ok_or_else(|| {
                format!(
                    "{what}: read as {m} (unknown {:?}), expected {want:?}",
                    m.unknown
                )
            })
        }
    }
}

#[test]
fn every_portion_form_reads_as_the_grammar_says() {
    let failures: Vec<String> = PORTIONS
        .iter()
        .filter_map(|(raw, want)| {
            check(raw, portion::parse(raw, Place::AfterNumber).as_ref(), want).err()
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_mark_at_a_line_start_reads_the_same_when_upper_case() {
    // At an unnumbered line start only lower case is refused (`(a)` labels a list item);
    // every upper-case form reads as it does after a number, except a lone short token
    // without a level (`(SE)`), which there may be an abbreviation, not a damaged mark.
    for (raw, _) in PORTIONS {
        if raw.bytes().any(|b| b.is_ascii_lowercase()) {
            continue;
        }
        if *raw == "(SE)" {
            assert!(portion::parse(raw, Place::LineStart).is_none());
            continue;
        }
        assert_eq!(
            portion::parse(raw, Place::LineStart),
            portion::parse(raw, Place::AfterNumber),
            "{raw}"
        );
    }
    assert!(portion::parse("(c)", Place::LineStart).is_none());
}

#[test]
fn adversarial_marks_fail_closed() {
    let read = |raw: &str| portion::parse(raw, Place::AfterNumber);
    // A damaged FOUO is FOUO, not a plain (U) that a policy could release as U.
    let m = read("(U//F0U0)").unwrap();
    assert!(m.damaged && m.has(declass::marking::ControlKind::Fouo));
    // Digits are never read as U, by the grammar or by its repair.
    for raw in ["(5)", "(8)", "(0)", "(U5)"] {
        assert!(
            read(raw).is_none_or(|m| m.level > U || m.is_unknown()),
            "{raw}"
        );
    }
    assert_eq!(
        portion::damaged_level_digit("(5)").map(|m| (m.level, m.damaged)),
        Some((S, true))
    );
    assert_eq!(portion::damaged_level_digit("(0)"), None);
    // The OCR repairs never read a parenthesis lower than its printed level, and never make
    // a mark of prose: `(1S)` alone, `(IS)` (Islamic State), `(SJ)` are no marks, and a REL
    // list with noise in it is no known control.
    for raw in ["(1S)", "(SJ)", "(TOUSA)"] {
        assert!(
            portion::parse(raw, Place::LineStart).is_none_or(|m| m.is_unknown() || m.level > U),
            "{raw}"
        );
    }
    assert!(portion::parse("(IS)", Place::LineStart).is_none_or(|m| m.level == TS));
    let noisy = read("(S//REL TO USA, FVEY'S)").or_else(|| read("(S//REL TO USA, FV3Y)"));
    assert!(noisy.as_ref().is_none_or(|m| m.level == S), "{noisy:?}");
    // A sentence with the words of a glued REL TO is no banner.
    assert!(banner::parse_line("SECRET talks TOUSA began").is_none());
    // Every country of a REL TO list is kept, tetragraphs as printed.
    let m = read("(TS//SI//REL TO USA, FVEY)").unwrap();
    assert_eq!(
        m.rel_to(),
        Some(&["USA".to_string(), "FVEY".to_string()][..])
    );
    // `(S//NF)` and `(S-NF)` are the same marking; only the legacy flag tells them apart.
    let (a, b) = (read("(S//NF)").unwrap(), read("(S-NF)").unwrap());
    assert_eq!((a.level, &a.controls), (b.level, &b.controls));
    assert!(!a.legacy && b.legacy);
    // A repair that would leave any token unknown is refused: the mark stays unreadable.
    let m = read("(TS//SIIIXQ)").unwrap();
    assert!(m.is_unknown() && !m.damaged && m.level == TS);
}

/// A banner row: input, level, controls (portion forms), unknown tokens, declassification
/// field.
type BannerRow = (
    &'static str,
    Level,
    &'static [&'static str],
    &'static [&'static str],
    Option<&'static str>,
);

const BANNERS: &[BannerRow] = &[
    ("SECRET//NOFORN", S, &["NF"], &[], None),
    (
        "TOP SECRET//SI//ORCON/NOFORN",
        TS,
        &["SI", "OC", "NF"],
        &[],
        None,
    ),
    (
        "TOP SECRET//SI-G ABCD//REL TO USA, FVEY",
        TS,
        &["SI-G ABCD", "REL TO USA, FVEY"],
        &[],
        None,
    ),
    ("TOP SECRET//COMINT//MR", TS, &["SI"], &[], Some("MR")),
    (
        "SECRET//NOFORN//20320108",
        S,
        &["NF"],
        &[],
        Some("20320108"),
    ),
    ("SECRET//X1", S, &[], &[], Some("X1")),
    ("SECRET//25X1", S, &[], &[], Some("25X1")),
    ("SECRET//ORCON//OADR", S, &["OC"], &[], Some("OADR")),
    ("SECRET NOFORN SENSITIVE", S, &["NF", "SBU"], &[], None),
    ("C O N F I D E N T I A L", C, &[], &[], None),
    ("SECRET//RESTRICTED DATA", S, &["RD"], &[], None),
    ("UNCLASSIFIED//DOD UCNI", U, &["DCNI"], &[], None),
    (
        "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        U,
        &["FOUO"],
        &[],
        None,
    ),
    (
        "UNCLASSIFIED//ADMINISTRATIVE - INTERNAL USE ONLY",
        U,
        &["AIUO"],
        &[],
        None,
    ),
    ("CUI", U, &["CUI"], &[], None),
    (
        "CONTROLLED UNCLASSIFIED INFORMATION",
        U,
        &["CUI"],
        &[],
        None,
    ),
    (
        "CUI//SP-PRVCY//NOFORN",
        U,
        &["NF", "CUI", "SP-PRVCY"],
        &[],
        None,
    ),
    (
        "CUI//SP-CTI//FEDCON",
        U,
        &["CUI", "SP-CTI", "FEDCON"],
        &[],
        None,
    ),
    // Damaged separators are repaired.
    ("TOP SECRET//SIIINOFORN", TS, &["SI", "NF"], &[], None),
    // OCR'd separators with trailing noise: the noise is no REL TO entry.
    (
        "TOP SECRETIISl/lREL USA, FVEY      \"'",
        TS,
        &["SI", "REL TO USA, FVEY"],
        &[],
        None,
    ),
    // Spaces round the separators, space-separated REL TO codes, a glued `TOUSA`,
    // the spelled-out SI compartment.
    (
        "TOP SECRET // SI / TK // REL TO USA AUS CAN GBR NZL",
        TS,
        &["SI", "TK", "REL TO USA, AUS, CAN, GBR, NZL"],
        &[],
        None,
    ),
    (
        "SECRET//REL TOUSA,FVEY",
        S,
        &["REL TO USA, FVEY"],
        &[],
        None,
    ),
    (
        "TOP SECRET // SI-GAMMA / TALENT KEYHOLE // ORCON",
        TS,
        &["SI-G", "TK", "OC"],
        &[],
        None,
    ),
    // A banner with a control the grammar does not know is still a banner.
    ("SECRET//XYZZY//NOFORN", S, &["NF"], &["XYZZY"], None),
];

#[test]
fn every_banner_form_reads_as_the_grammar_says() {
    let mut failures = Vec::new();
    for (line, level, ctl, unknown, declassify) in BANNERS {
        let Some(b) = banner::parse_line(line) else {
            failures.push(format!("{line}: not read as a banner"));
            continue;
        };
        let got = (
            b.marking.level,
            controls(&b.marking),
            b.marking.unknown.clone(),
            b.declassify.as_deref(),
        );
        if got
            != (
                *level,
                ctl.iter().map(|s| s.to_string()).collect(),
                unknown.iter().map(|s| s.to_string()).collect(),
                *declassify,
            )
        {
            failures.push(format!("{line}: read as {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    for sentence in ["SECRET Lorem ipsum dolor sit amet", "Secret talks began"] {
        assert!(banner::parse_line(sentence).is_none(), "{sentence}");
    }
}

/// A small classified document around the forms the parser, not the grammar alone, reads.
const DOC: &str = "SECRET//NOFORN

SUBJECT: (U) Grammar cases

1. (S//NF) A marked paragraph.

2. (5) A paragraph whose mark OCR read as a digit.

3. (U//F0U0) A damaged FOUO paragraph.

4. (U//QQQQ) A paragraph with an unknown token.

5. (C - ENTIRE TEXT) A paragraph declaring its whole text.
";

#[test]
fn in_a_document_damage_and_unknown_tokens_never_lower_a_portion() {
    let doc = declass::parse::parse_str(DOC).expect("parses");
    let mark = |n: u32| {
        doc.paragraphs
            .iter()
            .find(|p| p.number == Some(n))
            .unwrap_or_else(|| panic!("no paragraph {n}"))
            .marking
            .as_ref()
    };
    // `(5)` is never U: read as S, or left unmarked (withheld as unmarked).
    assert!(mark(2).is_none_or(|m| m.level == S), "{:?}", mark(2));
    let fouo = mark(3).expect("(U//F0U0) is a mark");
    assert!(fouo.damaged && fouo.has(declass::marking::ControlKind::Fouo));
    // The unknown token is kept and reported; the portion keeps its level token.
    let unknown = mark(4).expect("(U//QQQQ) is a mark");
    assert_eq!(unknown.unknown, ["QQQQ"]);
    assert!(unknown.level >= U);
    assert!(
        doc.diagnostics
            .iter()
            .any(|d| d.code == declass::diagnostic::Code::UnknownMarking && d.line == 11),
        "{:?}",
        doc.diagnostics
    );
    let entire = mark(5).expect("(C - ENTIRE TEXT) is a mark");
    assert!(entire.entire_text && entire.level == C);
}
