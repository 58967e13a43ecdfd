//! Tests of the leak check: shingles, short secrets, redacted terms, and runs shared
//! with released text.

use super::*;

fn secret(label: &str, text: &str) -> Secret {
    Secret::new(label, text)
}

const PARA: &str =
    "Pojar said the meetings were cordial and productive. The Russians went to great length.";

#[test]
fn eight_words_in_a_row_leak_whatever_the_case_and_wrapping() {
    let secrets = [secret("¶4", PARA)];
    let g = LeakGuard::new(&secrets, &[]);
    assert!(g.check("nothing here").is_empty());
    assert_eq!(
        g.check("x POJAR said the\nmeetings   were cordial AND productive y"),
        ["¶4"]
    );
    assert_eq!(
        g.check("said the meetings were cordial and-productive. The Russians"),
        ["¶4"]
    );
    // Seven words are not enough.
    assert!(
        g.check("said the meetings were cordial and productive")
            .len()
            <= 1
    );
    assert!(
        g.check("the meetings were cordial and productive")
            .is_empty()
    );
}

#[test]
fn released_runs_are_exempt() {
    let shared = "the delegation met the minister in Moscow on the second day";
    let secrets = [secret(
        "¶1",
        &format!("Secret part one two three. {shared}"),
    )];
    let g = LeakGuard::new(&secrets, &[shared]);
    assert!(g.check(shared).is_empty());
    assert_eq!(
        g.check("Secret part one two three. the delegation met"),
        ["¶1"]
    );
}

#[test]
fn redacted_terms_leak_whole() {
    let secrets = [secret("redaction in addressee line 3", "Eric Fichte")];
    let g = LeakGuard::new(&secrets, &[]);
    assert_eq!(
        g.check("EUR/NCE FOR ERIC\nFICHTE"),
        ["redaction in addressee line 3"]
    );
    assert!(g.check("EUR/NCE FOR [B6]").is_empty());
}

#[test]
fn word_hashes_agree_with_words() {
    let text = "Pojar SAID: the Meeting's — naïve ÉTÉ 2017!";
    let by_string: Vec<u64> = words(text).iter().map(|w| word_hashes(w)[0]).collect();
    assert_eq!(word_hashes(text), by_string);
    assert_eq!(word_hashes("ÉTÉ"), word_hashes("été"));
}

#[test]
fn rolling_keys_match_keys_of_the_run() {
    let w = word_hashes("one two three four five six seven eight nine ten eleven twelve");
    let mut windows = Windows::new();
    for (j, &word) in w.iter().enumerate() {
        windows.push(word);
        for len in 1..RING {
            let want = (len <= j + 1).then(|| run_key(&w[j + 1 - len..=j]));
            assert_eq!(windows.key(len), want, "run of {len} ending at word {j}");
        }
    }
    // The same words in another length, or another order, key differently.
    assert_ne!(run_key(&w[..3]), run_key(&w[..4]));
    assert_ne!(run_key(&w[..2]), run_key(&[w[1], w[0]]));
}

#[test]
fn a_run_is_exempt_across_released_pieces_only_when_released() {
    let term = secret("redaction in ¶2", "Eric Fichte");
    // Released elsewhere, split over two released lines: not evidence of a leak.
    let g = LeakGuard::new(std::slice::from_ref(&term), &["FOR ERIC", "FICHTE AND"]);
    assert!(g.check("EUR/NCE FOR ERIC FICHTE").is_empty());
    let g = LeakGuard::new(std::slice::from_ref(&term), &["FOR ERIC", "SMITH FICHTE"]);
    assert_eq!(g.check("EUR/NCE FOR ERIC FICHTE"), ["redaction in ¶2"]);
}

#[test]
fn labels_come_in_secret_order_each_once() {
    let secrets = [
        secret("¶1", "alpha beta gamma delta"),
        secret("¶2", "one two three four five six seven eight nine"),
        secret("¶3", "alpha beta gamma delta"),
    ];
    let g = LeakGuard::new(&secrets, &[]);
    let out = "nine? one two three four five six seven eight nine. ALPHA beta gamma delta";
    assert_eq!(g.check(out), ["¶1", "¶2", "¶3"]);
    assert_eq!(g.check(&format!("{out} {out}")), ["¶1", "¶2", "¶3"]);
}

/// The guard as it was first written, on strings: the reference the fast one must agree
/// with.
fn reference(secrets: &[Secret], released: &[&str], output: &str) -> Vec<String> {
    use std::collections::HashSet;
    let runs = |w: &[String], len: usize| -> HashSet<Vec<String>> {
        w.windows(len).map(<[String]>::to_vec).collect()
    };
    let released: Vec<String> = released.iter().flat_map(|t| words(t)).collect();
    let out = words(output);
    let mut found = Vec::new();
    for s in secrets {
        let w = words(&s.text);
        let len = if w.len() >= SHINGLE {
            SHINGLE
        } else if !w.is_empty() && (w.len() >= MIN_SHORT_WORDS || s.label.starts_with("redaction"))
        {
            w.len()
        } else {
            continue;
        };
        let exempt = runs(&released, len);
        let shown = runs(&out, len);
        if runs(&w, len)
            .iter()
            .any(|r| !exempt.contains(r) && shown.contains(r))
        {
            found.push(s.label.clone());
        }
    }
    found
}

#[test]
fn agrees_with_the_reference_on_random_texts() {
    // Few distinct words, so that runs repeat between secrets, releases and outputs.
    const VOCAB: [&str; 6] = ["Pojar", "said", "THE", "été", "9", "x-ray"];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let text = |len: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
        let seps = [" ", "\n", ", ", "-"];
        (0..len)
            .map(|_| format!("{}{}", VOCAB[next(VOCAB.len())], seps[next(seps.len())]))
            .collect()
    };
    let mut hits = 0;
    for _ in 0..3000 {
        let secrets: Vec<Secret> = (0..1 + next(3))
            .map(|i| {
                let label = if next(2) == 0 {
                    format!("redaction {i}")
                } else {
                    format!("¶{i}")
                };
                let len = next(12);
                secret(&label, &text(len, &mut next))
            })
            .collect();
        let released: Vec<String> = (0..next(3)).map(|_| text(next(14), &mut next)).collect();
        let released: Vec<&str> = released.iter().map(String::as_str).collect();
        let output = text(next(24), &mut next);
        let want = reference(&secrets, &released, &output);
        hits += want.len();
        let guard = LeakGuard::new(&secrets, &released);
        assert_eq!(
            guard.check(&output),
            want,
            "{secrets:?} {released:?} {output:?}"
        );
        // The exempt runs the guard found for the first output serve every later one: a
        // second output is judged as a fresh guard judges it.
        let second = text(next(24), &mut next);
        assert_eq!(
            guard.check(&second),
            reference(&secrets, &released, &second),
            "{secrets:?} {released:?} {second:?}"
        );
    }
    assert!(
        hits > 100,
        "the cases find leaks as well as clean outputs ({hits})"
    );
}

#[test]
fn the_run_table_keeps_every_secret_of_a_key() {
    let entries: Vec<(u64, u32)> = (0..100u64)
        .map(|k| (k.wrapping_mul(MIX), (k % 7) as u32))
        .chain([(5u64.wrapping_mul(MIX), 3), (5u64.wrapping_mul(MIX), 3)])
        .collect();
    let table = RunTable::new(&entries);
    assert_eq!(
        table.len, 101,
        "one entry per (key, secret), repeats dropped"
    );
    for k in 0..100u64 {
        assert!(table.contains(k.wrapping_mul(MIX)));
        let mut got = Vec::new();
        table.secrets_of(k.wrapping_mul(MIX), |i| got.push(i));
        got.sort_unstable();
        let want = if k == 5 {
            vec![3, 5]
        } else {
            vec![(k % 7) as usize]
        };
        assert_eq!(got, want, "key {k}");
    }
    assert!(!table.contains(100u64.wrapping_mul(MIX)));
    assert!(!RunTable::new(&[]).contains(0));
}

#[test]
fn a_table_built_on_a_dropped_tables_arrays_holds_only_its_own_keys() {
    // Written for this test: the second table takes the first's arrays (same thread), whose
    // keys are left in place; none of them may be found in it, and all of its own must.
    let first: Vec<(u64, u32)> = (0..300u64).map(|k| (k.wrapping_mul(MIX), 0)).collect();
    drop(RunTable::new(&first));
    let second: Vec<(u64, u32)> = (1000..1010u64).map(|k| (k.wrapping_mul(MIX), 2)).collect();
    let table = RunTable::new(&second);
    assert!(
        table.keys.len() >= 1024,
        "the second table reuses the first's keys ({})",
        table.keys.len()
    );
    assert_eq!(table.secrets.len(), 32, "sized for its own entries");
    for k in 0..300u64 {
        assert!(!table.contains(k.wrapping_mul(MIX)), "stale key {k}");
        table.secrets_of(k.wrapping_mul(MIX), |i| {
            panic!("stale key {k} gave secret {i}")
        });
    }
    for k in 1000..1010u64 {
        let mut got = Vec::new();
        table.secrets_of(k.wrapping_mul(MIX), |i| got.push(i));
        assert_eq!(got, vec![2], "key {k}");
    }
    assert_eq!(table.len, 10);
}

#[test]
fn very_short_paragraphs_are_not_checked() {
    let secrets = [secret("¶3", "Comment")];
    let g = LeakGuard::new(&secrets, &[]);
    assert!(g.is_empty());
}

#[test]
fn paragraph_words_are_the_word_hashes_of_each_paragraph() {
    let paras = [PARA, "", "naïve ÉTÉ Straße, über 2017"];
    let words = ParagraphWords::of(paras);
    for (i, p) in paras.iter().enumerate() {
        assert_eq!(words.get(i), Some(word_hashes(p).as_slice()), "{p:?}");
    }
    assert_eq!(words.get(3), None);
}

#[test]
fn a_guard_from_known_paragraph_words_is_the_guard_from_the_texts() {
    let paras = [
        PARA,
        "Short one here now.",
        "naïve ÉTÉ words: Über die Straße and more words to make eight of them",
    ];
    let words = ParagraphWords::of(paras);
    let secrets: Vec<Secret> = paras
        .iter()
        .enumerate()
        .map(|(i, t)| Secret {
            label: format!("¶{i}"),
            text: t.to_string(),
            paragraph: Some(i),
        })
        .collect();
    let known = LeakGuard::with_words(&secrets, &[], Some(&words));
    let hashed = LeakGuard::new(&secrets, &[]);
    for output in [
        PARA,
        "x POJAR said the\nmeetings were cordial AND productive y",
        paras[2],
        "NAIVE ÉTÉ WORDS über DIE straße and MORE",
        "short ONE here now",
        "nothing here at all",
    ] {
        assert_eq!(known.check(output), hashed.check(output), "{output:?}");
    }
    assert_eq!(known.check(paras[2]), ["¶2"]);
    assert_eq!(known.check("short ONE here now"), ["¶1"]);
    // A secret that is not its paragraph's whole text (another length) is hashed itself.
    let other = [Secret {
        label: "¶0".into(),
        text: "completely different text of some eight words or more".into(),
        paragraph: Some(0),
    }];
    let g = LeakGuard::with_words(&other, &[], Some(&words));
    assert_eq!(
        g.check("Completely different text of some eight words or"),
        ["¶0"]
    );
    assert!(g.check(PARA).is_empty());
}

/// A paragraph's secret is built from the paragraph: its text is the paragraph's, and
/// the guard from the document's known word hashes is the guard from the texts.
#[test]
fn a_whole_paragraph_secret_is_its_paragraphs_text() {
    let doc = crate::parse::parse_str(
        "SECRET\n\n1. (S) The army will move two brigades to the border in April.\n\n\
         2. (U) The talks went on.\n\nSECRET\n",
    )
    .expect("parses");
    let words = ParagraphWords::of(doc.paragraphs.iter().map(|p| p.text.as_str()));
    let secrets = [Secret::whole_paragraph("¶1", 0, &doc.paragraphs[0])];
    assert_eq!(secrets[0].text(), doc.paragraphs[0].text);
    let known = LeakGuard::with_words(&secrets, &[], Some(&words));
    let hashed = LeakGuard::new(&secrets, &[]);
    let output = "the ARMY will move two brigades to the border";
    assert_eq!(known.check(output), ["¶1"]);
    assert_eq!(known.check(output), hashed.check(output));
}

/// The word filter skips only windows it can rule out: every run of a secret is found
/// wherever it stands, among words of the secrets or not, for every run length.
#[test]
fn the_word_filter_never_hides_a_run() {
    let vocabulary: Vec<String> = (0..60).map(|i| format!("w{}", i * 7919 % 1000)).collect();
    let long: Vec<&str> = (0..40).map(|i| vocabulary[i * 13 % 60].as_str()).collect();
    let short = ["alpha", "beta", "gamma", "delta", "epsilon"];
    let secrets = [
        secret("¶1", &long.join(" ")),
        secret("¶2", &short.join(" ")),
        secret("redaction in ¶3", "Kilo"),
    ];
    let g = LeakGuard::new(&secrets, &[]);
    let noise = "zz yy xx";
    // Words of the secrets around the run make the streak longer than the run.
    let around = format!("{} {}", long[3], short[1]);
    for start in 0..=long.len() - SHINGLE {
        let run = long[start..start + SHINGLE].join(" ");
        for (before, after) in [(noise, noise), (around.as_str(), around.as_str())] {
            assert_eq!(
                g.check(&format!("{before} {run} {after}")),
                ["¶1"],
                "{start}"
            );
        }
        // Seven words of it are not a leak.
        let seven = long[start..start + SHINGLE - 1].join(" ");
        assert!(g.check(&format!("{noise} {seven} {noise}")).is_empty());
    }
    assert_eq!(g.check(&format!("{around} {} x", short.join(" "))), ["¶2"]);
    assert_eq!(
        g.check(&format!("{} kilo {}", long[5], short[0])),
        ["redaction in ¶3"]
    );
    assert!(g.check("alpha beta gamma delta").is_empty());
}

/// The splitter against its definition (the words of [`words`], each character
/// lower-cased on its own, hashed with FNV-1a over the UTF-8 bytes) on many generated texts: runs of ASCII letters and separators,
/// non-ASCII letters, digits, marks and spaces in every order, starting and ending
/// anywhere, so that each way a run of one kind gives way to another is crossed.
#[test]
fn word_hashes_agree_with_words_on_generated_texts() {
    let fnv = |w: &str| {
        let lower: String = w.chars().flat_map(char::to_lowercase).collect();
        lower.bytes().fold(FNV_OFFSET, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
        })
    };
    let pieces = [
        "a",
        "Z",
        "7",
        "the",
        "SAID",
        " ",
        "  ",
        "\n",
        "-",
        "(S//NF)",
        "'",
        "é",
        "É",
        "ß",
        "İ",
        "Σ",
        "ΣΟΦΊΑ",
        "٣",
        "—",
        "\u{a0}",
        "“",
        "日本",
        "\u{301}",
        "x\u{301}",
        "ǅ",
        "½",
        "🙂",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..4000 {
        let mut text = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 12) as usize;
        for k in 0..len {
            let r = state.rotate_left(5 * k as u32);
            text.push_str(pieces[(r % pieces.len() as u64) as usize]);
        }
        let want: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(fnv)
            .collect();
        assert_eq!(word_hashes(&text), want, "{text:?}");
    }
}
