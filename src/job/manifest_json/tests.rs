use super::*;
use crate::job::json_text::{json_text, to_pretty_with_text};

/// Both writers on `m`: the same bytes as serde's pretty printer, and the same text as
/// the recorder and as the reader of those bytes.
fn same_as_serde(m: &Manifest<'_>) {
    let (json, text) = manifest_with_text(m);
    let (want_json, want_text) = to_pretty_with_text(m);
    assert_eq!(json, want_json);
    assert_eq!(text, want_text, "{json}");
    assert_eq!(text, json_text(&json), "{json}");
}

/// Every fixture cable's manifest (tests/fixtures/cables and exemptions), with nothing
/// optional and with every optional part given (a key, sizes, a case and a document id,
/// consistency notes, PDF origins), and with reviewer decisions, guard entries and
/// strings that need escaping put in by hand.
#[test]
fn manifests_are_the_bytes_and_text_serde_makes() {
    let policy = crate::policy::Policy::default_policy();
    let as_of = crate::document::Date::new(2026, 1, 1).unwrap();
    let context = crate::policy::Context::new(as_of);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let notes: std::collections::BTreeMap<usize, String> = [
        (0, "same text as ¶2 of b.txt".to_string()),
        (3, "\"x\"\n\u{1}\u{7f}\t\u{8}\u{c}\r\\".into()),
    ]
    .into();
    let origins: Vec<crate::pdf::Origin> = (0..2000)
        .map(|i| crate::pdf::Origin {
            page: i / 40 + 1,
            line: i % 40 + 1,
        })
        .collect();
    let guard = vec![crate::release::GuardEntry {
        code: crate::diagnostic::Code::GuardWithheld,
        line: 12,
        column: 3,
        cause: "mark-above-target",
        level: "S",
        part: "¶3 \"quoted\"".into(),
    }];
    let mut checked = 0;
    for dir in ["cables", "exemptions"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let input = std::fs::read(e.path()).unwrap();
            let Ok(doc) = crate::parse::parse(&input, None) else {
                continue;
            };
            let decisions = policy.decide(&doc, &context);
            let Ok(release) = crate::release::build(&doc, &decisions) else {
                continue;
            };
            for full in [false, true] {
                let m = crate::release::manifest::ManifestInput {
                    input_path: if full {
                        "in/a \"b\"\u{2}.txt"
                    } else {
                        "in/a.txt"
                    },
                    input_bytes: &input,
                    policy_name: &policy.name,
                    policy_sha256: policy.sha256_hex(),
                    as_of,
                    case: full.then_some("F-1"),
                    doc_id: full.then_some("DOC\\1"),
                    format: "text",
                    output_sha256: full.then(|| "ab".repeat(32)),
                    digest_key: full.then_some(b"key".as_slice()),
                    withheld_size: full,
                    consistency: full.then_some(&notes),
                    origins: full.then_some(origins.as_slice()),
                };
                let mut manifest = crate::release::manifest::build(&doc, &release, &m);
                same_as_serde(&manifest);
                if full {
                    manifest.guard = &guard;
                    for p in manifest.paragraphs.iter_mut().step_by(2) {
                        p.decided_by = Some("reviewer");
                        p.reviewer = Some("j.doe");
                        p.marking = None;
                    }
                    same_as_serde(&manifest);
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked}");
}

#[test]
fn strings_are_escaped_as_serde_escapes_them() {
    let all: String = (0u8..=0x7f)
        .map(char::from)
        .chain("é—\u{2028}🙂".chars())
        .collect();
    for s in [
        "",
        "plain",
        "a\"b\\c",
        "\n\r\t\u{8}\u{c}\u{0}\u{1f}",
        all.as_str(),
    ] {
        let mut out = String::new();
        push_string(&mut out, s);
        assert_eq!(out, serde_json::to_string(s).unwrap());
    }
    for n in [0usize, 7, 10, 99, 1234567, usize::MAX] {
        let mut out = String::new();
        push_int(&mut out, n);
        assert_eq!(out, n.to_string());
    }
}
