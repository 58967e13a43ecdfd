use super::*;
use crate::job::{Format, test_produce};

fn same(json: &str) {
    assert_eq!(json_text(json), value_text(json), "{json:?}");
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
            same(&p.manifest);
            same(std::str::from_utf8(&p.bytes).unwrap());
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked}");
}
