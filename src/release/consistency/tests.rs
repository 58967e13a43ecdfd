//! Tests of the cross-document consistency pass: signatures, conflicts, fixes.

use super::*;

const A: &str = "The Foreign Minister told the Ambassador that his government would \
                 not support the resolution unless the sanctions language was softened \
                 and the reporting deadline moved to the autumn session.";

#[test]
fn word_hashes_are_fnv_of_the_lower_cased_words() {
    let reference = |text: &str| -> Vec<u64> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| fnv(w.chars().flat_map(char::to_lowercase)))
            .collect()
    };
    for text in [
        A,
        "",
        "  --  ",
        "ÉCOLE Straße İstanbul ΣΟΦΊΑ naïve café-au-lait 1.4(b) (S//NF) x",
        "mixed\u{a0}spaces\ttabs\nand İ at the end İ",
        "日本語のテキスト and ASCII",
    ] {
        assert_eq!(word_hashes(text), reference(text), "{text:?}");
    }
}

#[test]
fn slot_values_from_halves_are_those_of_the_64_bit_definition() {
    // Shingle hashes as the pass makes them, and the edges of the 64-bit range.
    let mut hashes: Vec<u64> = (0..2000u64)
        .map(|i| mix64(i.wrapping_mul(0x9e37)))
        .collect();
    hashes.extend([
        0,
        1,
        u64::MAX,
        u64::MAX - 1,
        1 << 32,
        (1 << 32) - 1,
        1 << 63,
    ]);
    hashes.extend(SEEDS);
    for h in hashes {
        for j in 0..K {
            assert_eq!(
                slot_value(h as u32, (h >> 32) as u32, j),
                slot_value_64(h, j),
                "h {h:#x}, function {j}"
            );
        }
    }
}

#[test]
fn the_same_text_is_similar_and_other_text_is_not() {
    let a = minhash(A).unwrap();
    assert_eq!(estimate(&a, &minhash(A).unwrap()), 1.0);
    let quoted = format!("As reported in reftel, {A}");
    assert!(estimate(&a, &minhash(&quoted).unwrap()) >= THRESHOLD);
    let other = minhash(
        "Embassy officers met the mayor to discuss the new airport terminal and the \
         schedule for the opening ceremony next spring, which he hopes to attend.",
    )
    .unwrap();
    assert!(estimate(&a, &other) < 0.2);
    assert!(minhash("End summary.").is_none());
    assert!(minhash("This is an action request. Please see paragraph 4.").is_none());
}

fn sig(name: &str, fates: &[(Fate, &str, &[&str], bool)]) -> DocSig {
    DocSig {
        name: name.into(),
        paras: fates
            .iter()
            .enumerate()
            .map(|(i, (fate, text, codes, classified))| ParaSig {
                index: i,
                label: format!("¶{}", i + 1),
                fate: *fate,
                codes: Codes::from_texts(codes.iter()),
                classified: *classified,
                minhash: minhash(text).unwrap(),
            })
            .collect(),
    }
}

#[test]
fn a_withheld_paragraph_released_elsewhere_is_withheld_in_both() {
    let other =
        "Embassy officers met the mayor to discuss the new airport terminal and its opening.";
    let docs = [
        sig("a.txt", &[(Fate::Withheld, A, &["B1", "1.4(D)"], true)]),
        sig(
            "b.txt",
            &[
                (Fate::Released, other, &[], false),
                (Fate::Released, &format!("Reftel said: {A}"), &[], false),
            ],
        ),
    ];
    let out = run(&docs, Mode::Strict);
    assert_eq!(out.conflicts, 1);
    assert_eq!(out.report.len(), 1);
    assert!(out.report[0].starts_with("a.txt ¶1 withheld (B1, 1.4(D)) and b.txt ¶2 released"));
    // b's paragraph is unclassified: withheld, but never as B1.
    assert_eq!(out.fixes[&1].withhold[&1], ["REVIEW REQUIRED"]);
    assert!(out.fixes[&0].withhold.is_empty());
    assert!(out.fixes[&0].notes[&0].contains("released in b.txt ¶2"));
    let report = run(&docs, Mode::Report);
    assert_eq!(report.conflicts, 1);
    assert!(report.fixes[&1].withhold.is_empty());
    assert!(run(&docs, Mode::Off).report.is_empty());
}

#[test]
fn paragraphs_of_one_document_or_one_fate_do_not_conflict() {
    let docs = [sig(
        "a.txt",
        &[
            (Fate::Withheld, A, &["B5"], false),
            (Fate::Released, A, &[], false),
        ],
    )];
    assert!(find(&docs).is_empty());
    let same = [
        sig("a.txt", &[(Fate::Released, A, &[], false)]),
        sig("b.txt", &[(Fate::Released, A, &[], false)]),
    ];
    assert!(find(&same).is_empty());
}
