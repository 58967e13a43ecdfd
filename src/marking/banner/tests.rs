//! Unit tests of the banner and caption grammar: strict, letter-spaced, damaged and OCR'd
//! banners, sentences that must not read as banners, and the pre-filter.

use super::spacing::is_single_letter;
use super::*;

#[test]
fn ocr_separators_read_as_a_damaged_banner() {
    for (line, want) in [
        ("TOP SECRETIISII/NOFORN", "TS//SI//NF"),
        ("TOPSECRETIISIJlREL TO USA, CAN", "TS//SI//REL TO USA, CAN"),
        ("TOP SECRETIISl/lREL USA, FVEY", "TS//SI//REL TO USA, FVEY"),
    ] {
        let b = super::parse_line(line).unwrap_or_else(|| panic!("{line:?}"));
        assert!(b.damaged, "{line:?}");
        assert_eq!(b.marking.level, super::Level::TS, "{line:?}");
        assert_eq!(b.marking.canonical(), want, "{line:?}");
    }
    for (line, want) in [
        ("T OP SECRET//SII/NOF ORN", "TS//SI//NF"),
        ("TOP SECR ET//SI//NOFORN", "TS//SI//NF"),
        ("SECRETIIX1", "S"),
    ] {
        let b = super::parse_line(line).unwrap_or_else(|| panic!("{line:?}"));
        assert_eq!(b.marking.canonical(), want, "{line:?}");
    }
    for line in [
        "SECRETARY Rice said",
        "SECRETLY",
        "CONFIDENTIAL1 page",
        "SO IT IS",
    ] {
        assert!(super::parse_line(line).is_none(), "{line:?}");
    }
}

fn read(line: &str) -> BannerLine {
    parse_line(line).unwrap_or_else(|| panic!("{line} should be a banner"))
}

#[test]
fn letter_spaced_with_section_and_serial() {
    let b = read("C O N F I D E N T I A L SECTION 01 OF 02 STATE 000284");
    assert_eq!(b.marking.level, Level::C);
    assert_eq!(b.section, Some((1, 2)));
    assert_eq!(b.serial.as_deref(), Some("STATE 000284"));
    assert!(!b.damaged);
    assert_eq!(read("S E C R E T STATE 002634").marking.level, Level::S);
    assert_eq!(
        read("C O N F I D E N T I A L PRAGUE 000486")
            .serial
            .as_deref(),
        Some("PRAGUE 000486")
    );
}

#[test]
fn damaged_and_mixed_case() {
    let b = read("S e c r e t section 01 of 02 kinshasa 000189");
    assert_eq!(b.marking.level, Level::S);
    assert_eq!(b.section, Some((1, 2)));
    for line in [
        "CC O N F I D E N T I A L",
        "O N F I D E N T I A L SECTION 01 OF 03 ANKARA 000123",
        ".C O N F I D E N T I A L PANAMA 000829",
    ] {
        let b = read(line);
        assert_eq!(b.marking.level, Level::C, "{line}");
        assert!(b.damaged, "{line}");
    }
}

#[test]
fn unclassified_forms() {
    let b = read("UNCLAS SENSITIVE SECTION 01 OF 04 MEXICO 002160");
    assert_eq!(b.marking.canonical(), "U//SBU");
    let b = read("UNCLAS E F T O SECTION 01 OF 02 ROME 001234");
    assert!(b.efto);
    assert_eq!(b.marking.canonical(), "U");
    assert_eq!(read("UNCLAS MOSCOW 002700").marking.level, Level::U);
    assert_eq!(read("UNCLASSIFIED").marking.level, Level::U);
    assert_eq!(
        read("LIMITED OFFICIAL USE ROME 01234").marking.canonical(),
        "U//LOU"
    );
}

#[test]
fn strict_banners_with_controls() {
    assert_eq!(read("SECRET//NOFORN").marking.canonical(), "S//NF");
    assert_eq!(
        read("SECRET//NOFORN//EXDIS").marking.canonical(),
        "S//NF//XD"
    );
    let b = read("SECRET//NOFORN SECTION 01 OF 02 BAGHDAD 000123");
    assert_eq!(b.marking.canonical(), "S//NF");
    assert_eq!(b.section, Some((1, 2)));
    assert_eq!(
        read("UNCLASSIFIED//FOR OFFICIAL USE ONLY")
            .marking
            .canonical(),
        "U//FOUO"
    );
}

#[test]
fn sentences_are_not_banners() {
    for line in [
        "SECRET SERVICE AGENTS ARRIVED ON MONDAY.",
        "Confidential sources say the minister will resign",
        "UNCLASSIFIED TEXT FOLLOWS, FOR THE PRESS",
        "SUBJECT: CONFIDENTIAL",
        // Portion marks alone on their line are portions, not banners.
        "(SECRET//REL CHINA)",
        "(S//NF)",
        "(TS//SI//REL TO USA, FVEY)",
    ] {
        assert!(parse_line(line).is_none(), "{line}");
    }
}

#[test]
fn collapse_joins_only_runs_of_three() {
    for (line, joined) in [
        ("C O N F I D E N T I A L", "CONFIDENTIAL"),
        ("A B", "A B"),
        ("A B C", "ABC"),
        ("X A B C DE", "XABC DE"),
        ("UNCLAS E F T O SECTION", "UNCLAS EFTO SECTION"),
        ("A  B C D", "A  BCD"),
        ("", ""),
        (" A B C ", "ABC "),
        ("  X  Y", "X  Y"),
        ("   ", ""),
    ] {
        assert_eq!(collapse_letter_spacing(line), joined, "{line:?}");
    }
}

/// The word-list form `collapse_letter_spacing` had, to hold the byte scan to it.
fn collapse_by_words(upper: &str) -> String {
    let words: Vec<&str> = upper.split(' ').collect();
    let mut out = String::with_capacity(upper.len());
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        while j < words.len() && is_single_letter(words[j]) {
            j += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if j - i >= 3 {
            words[i..j].iter().for_each(|w| out.push_str(w));
            i = j;
        } else {
            out.push_str(words[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn collapse_agrees_with_the_word_list_form() {
    crate::testing::each_string(&[" ", "A", "B", "CD", "É"], 7, |line| {
        assert_eq!(
            collapse_letter_spacing(line),
            collapse_by_words(line),
            "{line:?}"
        );
    });
}

#[test]
fn prefilter_passes_every_banner_form() {
    for line in [
        "S E C R E T",
        "s e c r e t",
        "..CONFIDENTIAL",
        "(Confidential",
        "ECRET",
        "limited official use",
        "CC O N F",
    ] {
        assert!(could_be_banner(line), "{line}");
    }
    for line in ["", "1234", "Ambassador met", "¶1. (C)", "PRAGUE 000486"] {
        assert!(!could_be_banner(line), "{line}");
    }
}

#[test]
fn captions() {
    assert_eq!(parse_caption("NOFORN"), Some(Some(Control::Noforn)));
    assert_eq!(parse_caption("SENSITIVE "), Some(Some(Control::Sbu)));
    assert_eq!(parse_caption("SIPDIS"), Some(None));
    assert_eq!(parse_caption("E X D I S"), Some(Some(Control::Exdis)));
    assert_eq!(parse_caption("Pojar said"), None);
}

#[test]
fn the_prefilter_skips_only_lines_no_reading_takes() {
    // parse_line as it was before lines failing the pre-filter went straight to the
    // reading without blanks.
    let reference = |line: &str| match read_line(line) {
        Some(b) if !b.marking.unknown.is_empty() => Some(ocr::read_ocr(line).unwrap_or(b)),
        Some(b) => Some(b),
        None => ocr::read_ocr(line),
    };
    for line in [
        "SECRET//NOFORN",
        "  SECRET//NOFORN  ",
        "S E C R E T",
        "SEC RET//NF",
        "T OP SECRET//SII/NOF ORN",
        "TOP SECR ET//SI//NOFORN",
        "TOPSECRETIISIJlREL TO USA, CAN",
        "UNCLAS SECTION 01 OF 02 STATE 000284",
        "SUBJECT: THE VISIT",
        "STATE FOR EUR",
        "C O N F I D E N T I A L ANKARA 001472",
        "1. (C) Text.",
        "",
        "   ",
        "S",
        "U NCLASSIFIED",
    ] {
        assert_eq!(parse_line(line), reference(line), "{line:?}");
    }
}

#[test]
fn a_level_word_among_ocr_specks_is_a_damaged_banner() {
    for (line, want) in [
        ("me SECRET Os.", "S"),
        ("2 SECRET", "S"),
        ("\"7 © SECRET", "S"),
        ("SECRET _ OS 8 1971/A", "S"),
        (". . : SECRET NOFORN SENSITIVE Poe", "S//NF//SBU"),
        ("RETURN TO CIA. | SECRET = ww", "S"),
        (
            "I, Beverly C. Queen, Chief Deputy              TOP SECRET//SI//NOFORN",
            "TS//SI//NF",
        ),
    ] {
        let b = read(line);
        assert!(b.damaged, "{line:?}");
        assert_eq!(b.marking.canonical(), want, "{line:?}");
    }
    for line in [
        // Sentences in capitals, numbered paragraphs, words around the level.
        "IS SECRET",
        "OF THE SECRET",
        "fesreae cette a SECRET",
        "The SECRET talks",
        "SECRET.",
        // A cable's trailer: its serial, then the level.
        "2000HANOI00686 - CONFIDENTIAL",
        // Table rows with a classification column.
        "--Location Area Code           SECRET//COMINT",
        "or Klieglights)                                SECRET//COMINT",
        "A4. (S//SI) The fact that NSA can        SECRET//COMINT",
        "--country                      SECRET         SECRET//COMINT",
    ] {
        assert!(parse_line(line).is_none(), "{line:?}");
    }
}

#[test]
fn a_damaged_level_word_among_specks_is_a_damaged_banner() {
    for (line, want) in [
        ("2 SECREL ee", "S"),
        ("SKCRET", "S"),
        ("me 5ECRET Os.", "S"),
        ("TOP SEORET", "TS"),
        ("C0NFIDENTLAL", "C"),
        // A stroke glued to the stamp's edge (an epic FOIA report's page foot).
        ("SECRET-", "S"),
        ("TOP SECRET_", "TS"),
    ] {
        let b = read(line);
        assert!(b.damaged, "{line:?}");
        assert_eq!(b.marking.canonical(), want, "{line:?}");
    }
    for line in [
        // Words of capitals near a level but not a damaged copy of it: other lengths, two
        // letters of SECRET changed, a heading of real words, a sentence.
        "TRADE SECRETS",
        "SECRETE",
        "SECDEF",
        "2 SECTOR ee",
        "SECRETARIAT",
        "CONFIDENTIALITY",
        "IS SECREL",
        "The SECREL talks",
        "IS SECRET-",
        "SECRET-LEVEL TALKS ON THE",
    ] {
        assert!(parse_line(line).is_none(), "{line:?}");
    }
}

#[test]
fn layout_gaps_and_ocr_dates_in_a_banner() {
    for (line, want) in [
        ("TOP     SECRET//COMINT//20291123", "TS//SI"),
        ("TOP      SECRET//COMINT//2029II23", "TS//SI"),
        ("TOP     SECRET//COMINT//2Q291123", "TS//SI"),
        ("TOP     SECRET//COM1NT//20291123", "TS//SI"),
    ] {
        assert_eq!(read(line).marking.canonical(), want, "{line:?}");
    }
}
