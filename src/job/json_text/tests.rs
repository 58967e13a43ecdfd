use super::*;
use crate::job::{Format, test_produce};

fn same(json: &str) {
    assert_eq!(json_text(json), value_text(json), "{json:?}");
}

/// Calls `check` with the manifest and the JSON release of every fixture cable that
/// releases (tests/fixtures/cables and exemptions); more than ten must.
fn for_each_fixture_output(mut check: impl FnMut(&str, &[u8])) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for dir in ["cables", "exemptions"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let path = e.path();
            if path.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let input = std::fs::read(&path).unwrap();
            let Ok(p) = test_produce(&input, &path.display().to_string(), Format::Json) else {
                continue;
            };
            check(&p.manifest, &p.bytes);
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked}");
}

#[test]
fn decodes_escapes_so_words_stand_apart() {
    let text = json_text(r#"{"release": "NOAA FOR\nDaves \"quoted\"", "n": 3}"#);
    assert!(text.lines().any(|l| l == "NOAA FOR"));
    assert!(text.lines().any(|l| l == "Daves \"quoted\""));
    assert!(text.lines().any(|l| l == "3"));
    assert!(!text.contains("\\n"));
}

#[test]
fn keeps_text_that_is_not_json() {
    assert_eq!(json_text("not {json"), "not {json");
}

#[test]
fn reads_as_the_parsed_value_reads() {
    for json in [
        r#"{"b": 1, "a": [true, false, null], "c": {"z": "x", "y": ""}}"#,
        r#"{"k": 1, "k": 2, "a": "first", "k": "last"}"#,
        r#"{"é": 1, "e": 2, "E": 3, "\u00e9x": 4, "a\"b": 5}"#,
        r#"["\u0041\u00e9\ud83d\ude00 \/ \b\f\r\t", "\\n is not a newline"]"#,
        r#"[0, -1, 12345678901234567890, -0, 1.5, -2.50, 1e5, 1E-3, 0.1, 123456789012345678]"#,
        r#"  {"nested": [[{"b": [], "a": {}}], {}], "x": -0.0 }  "#,
        "{}",
        "[]",
        "\"alone\"",
        "17",
        // Not JSON, or not JSON as serde_json reads it: the text as it is.
        "",
        "{\"a\": 01}",
        "[1,]",
        "{\"a\" 1}",
        "\"lone \\ud800 surrogate\"",
        "\"trailing \\udc00 alone\"",
        "\"raw \u{1} control\"",
        "\"bad \\x escape\"",
        "[1] [2]",
        "tru",
        "[\"unterminated",
        "{\"a\": 1} x",
    ] {
        same(json);
    }
    let deep = format!("{}1{}", "[".repeat(140), "]".repeat(140));
    same(&deep);
    let deep = format!("{}1{}", "[".repeat(110), "]".repeat(110));
    same(&deep);
}

/// Every manifest and JSON release of the fixture cables, read both ways.
#[test]
fn manifests_and_json_releases_read_as_the_parsed_value_reads() {
    for_each_fixture_output(|manifest, bytes| {
        same(manifest);
        same(std::str::from_utf8(bytes).unwrap());
    });
}

/// The JSON the recorder writes is `to_string_pretty`'s, and the text it records is what
/// [`json_text`] reads from that JSON.
fn recorded_as_read<T: serde::Serialize + ?Sized>(value: &T) {
    let (json, text) = to_pretty_with_text(value);
    assert_eq!(json, serde_json::to_string_pretty(value).unwrap() + "\n");
    assert_eq!(text, json_text(&json), "{json}");
}

#[test]
fn the_recorded_text_is_the_text_read_back() {
    for json in [
        r#"{"b": 1, "a": [true, false, null], "c": {"z": "x", "y": ""}}"#,
        r#"{"é": 1, "e": 2, "E": 3, "\u00e9x": 4, "a\"b": 5}"#,
        r#"["\u0041\u00e9\ud83d\ude00 \/ \b\f\r\t \u0001\u001f", "\\n is not a newline"]"#,
        r#"[0, -1, 12345678901234567890, 1.5, -2.50, 1e5, 1E-3, 0.1, 123456789012345678]"#,
        r#"[-9223372036854775808, 1234567890123456789, 999999999999999999]"#,
        r#"{"nested": [[{"b": [], "a": {}}], {}], "x": -0.0, "y": {"d": {"c": 1, "b": 2}}}"#,
        "{}",
        "[]",
        "\"alone\"",
        "17",
        "null",
    ] {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        recorded_as_read(&value);
    }
    // Nesting the reader leaves to its reference, and past serde_json's own limit.
    for depth in [99, 100, 101, 140] {
        let mut value = serde_json::Value::from(1);
        for _ in 0..depth {
            value = serde_json::Value::Array(vec![value]);
        }
        recorded_as_read(&value);
    }
}

#[test]
fn the_recorded_text_follows_structs_maps_and_keys_as_read() {
    #[derive(serde::Serialize)]
    struct Inner<'a> {
        zeta: &'a str,
        alpha: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        gone: Option<u8>,
        mid: Vec<Inner<'a>>,
    }
    #[derive(serde::Serialize)]
    struct Outer<'a> {
        schema: u32,
        tool: Inner<'a>,
        notes: std::collections::BTreeMap<usize, String>,
        pairs: Vec<(i64, f64)>,
        big: u128,
        bytes: &'a [u8],
        unit: (),
        flag: bool,
    }
    let leaf = |z| Inner {
        zeta: z,
        alpha: None,
        gone: None,
        mid: Vec::new(),
    };
    let value = Outer {
        schema: 1,
        tool: Inner {
            zeta: "tab\there \"quoted\" \\ back\nslash \u{7f} \u{1b} é ¶",
            alpha: Some(7),
            gone: Some(3),
            mid: vec![leaf("one"), leaf(""), leaf("Daves\r\n")],
        },
        notes: [(10, "ten".into()), (2, "two".into()), (100, "a".into())].into(),
        pairs: vec![(-5, 0.5), (0, 1e300)],
        big: u128::MAX,
        bytes: b"\x00\xff",
        unit: (),
        flag: true,
    };
    recorded_as_read(&value);
    // A map written with a repeated key: the reader keeps its last value.
    struct Repeated;
    impl serde::Serialize for Repeated {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map([("k", "first"), ("a", "x"), ("k", "last")])
        }
    }
    recorded_as_read(&Repeated);
}

/// Every manifest and JSON release of the fixture cables: the text their checks read is
/// the text read back from the bytes written.
#[test]
fn fixture_outputs_are_checked_on_their_text_as_read() {
    for_each_fixture_output(|manifest, bytes| {
        let manifest: serde_json::Value = serde_json::from_str(manifest).unwrap();
        let whole: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        recorded_as_read(&manifest);
        recorded_as_read(&whole);
    });
}

/// The manifests themselves (their structs, members not in key order, fields skipped),
/// with every optional part given: a key, sizes, consistency notes.
#[test]
fn fixture_manifests_are_recorded_as_read() {
    let policy = crate::policy::Policy::default_policy();
    let as_of = crate::document::Date::new(2026, 1, 1).unwrap();
    let context = crate::policy::Context::new(as_of);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cables");
    let notes: std::collections::BTreeMap<usize, String> = [
        (0, "same text as ¶2 of b.txt".to_string()),
        (3, "\"x\"\n".into()),
    ]
    .into();
    let mut checked = 0;
    for e in std::fs::read_dir(root).unwrap().flatten() {
        let input = std::fs::read(e.path()).unwrap();
        let Ok(doc) = crate::parse::parse(&input, None) else {
            continue;
        };
        let decisions = policy.decide(&doc, &context);
        let Ok(release) = crate::release::build(&doc, &decisions) else {
            continue;
        };
        for sized in [false, true] {
            let m = crate::release::manifest::ManifestInput {
                input_path: "in/a \"b\".txt",
                input_bytes: &input,
                policy_name: &policy.name,
                policy_sha256: policy.sha256_hex(),
                as_of,
                case: sized.then_some("F-1"),
                doc_id: None,
                format: "text",
                output_sha256: sized.then(|| "ab".repeat(32)),
                digest_key: sized.then_some(b"key".as_slice()),
                withheld_size: sized,
                consistency: sized.then_some(&notes),
                origins: None,
            };
            recorded_as_read(&crate::release::manifest::build(&doc, &release, &m));
        }
        checked += 1;
    }
    assert!(checked > 10, "{checked}");
}
