//! CLI contract tests for `declass preview`: the terminal view and the HTML page of the
//! seed against their snapshots, HTML escaping of hostile text, refusing to overwrite an
//! input, colour switches, and `--compare` on a small folder. Snapshots live in
//! `tests/snapshots/preview/`; after checking a change by eye, rewrite them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test integration preview_cli`.

use declass::document::Date;
use declass::policy::{Context, Policy};
use std::path::PathBuf;

use crate::common;
use common::{declass, declass_env_in, root, snapshot, stderr, stdout};

const SEED: &str = "samples/07PRAGUE486.txt";
const HOSTILE: &str = "tests/fixtures/preview/hostile.txt";
const HOSTILE_POLICY: &str = "tests/fixtures/preview/hostile-policy.yaml";
const COMPARE_DIR: &str = "tests/fixtures/preview/compare";
const COMPARE_EDIT: &str = "tests/fixtures/preview/compare-edit.yaml";

fn html_of(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("preview.html");
    let mut all: Vec<&str> = args.to_vec();
    let out_str = out.to_str().unwrap().to_string();
    all.extend(["--html", &out_str]);
    let o = declass(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "--html prints nothing on stdout");
    std::fs::read_to_string(&out).unwrap()
}

// ───────────────────────────── terminal ─────────────────────────────

#[test]
fn terminal_preview_of_the_seed_matches_the_snapshot() {
    let o = declass(&["preview", SEED, "--color", "never", "--as-of", "2026-01-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "no escape codes with --color never");
    for line in out.lines() {
        assert!(
            line.chars().count() <= 100,
            "longer than 100 columns: {line}"
        );
    }
    snapshot("preview", "seed.txt", &out);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let args = ["preview", SEED, "--as-of", "2026-01-01"];
    let with = |extra: &[&str], env: &[(&str, &str)]| {
        let mut all = args.to_vec();
        all.extend(extra);
        stdout(&declass_env_in(root(), &all, env)).contains('\x1b')
    };
    // stdout is a pipe here, so auto means no colour.
    assert!(!with(&[], &[]));
    assert!(with(&["--color", "always"], &[]));
    assert!(with(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!with(&["--color", "auto"], &[("NO_COLOR", "1")]));
    assert!(!with(&["--color", "never"], &[]));
    let coloured = stdout(&declass(&[
        "preview",
        SEED,
        "--as-of",
        "2026-01-01",
        "--color",
        "always",
    ]));
    assert!(
        coloured.contains("\x1b[2;9m"),
        "withheld text dim and struck"
    );
    assert!(coloured.contains("\x1b[1;34m[C]"), "C badge in blue");
    assert!(coloured.contains("\x1b[1;32m[U//SBU]"), "U badge in green");
    assert!(
        coloured.contains("\x1b[1;35m[unmarked]"),
        "unmarked in magenta"
    );
}

#[test]
fn terminal_calls_out_fail_closed_portions() {
    let o = declass(&[
        "preview",
        HOSTILE,
        "--color",
        "never",
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("fail closed   2: ¶4 (unmarked), ¶5 (mark unreadable)"),
        "{out}"
    );
    assert!(out.contains("¶5 [unknown (C//XYZZY)] withheld"), "{out}");
}

// ───────────────────────────── HTML ─────────────────────────────

#[test]
fn html_preview_of_the_seed_matches_the_snapshot() {
    let page = html_of(&["preview", SEED, "--as-of", "2026-01-01"]);
    assert!(page.contains("REVIEW COPY — CONTAINS WITHHELD MATERIAL — NOT FOR RELEASE"));
    snapshot("preview", "seed.html", &page);
}

#[test]
fn html_is_self_contained() {
    let page = html_of(&["preview", SEED, "--as-of", "2026-01-01"]);
    let lower = page.to_ascii_lowercase();
    for banned in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "http:",
        "https:",
    ] {
        assert!(!lower.contains(banned), "the page contains {banned}");
    }
}

#[test]
fn html_escapes_hostile_text() {
    let page = html_of(&[
        "preview",
        HOSTILE,
        "--policy",
        HOSTILE_POLICY,
        "--as-of",
        "2026-01-01",
    ]);
    let lower = page.to_ascii_lowercase();
    for raw in [
        "<script",
        "<img",
        "<iframe",
        "</main></main>",
        "<u>",
        "<b>bold</b>",
        "<b>hostile</b>",
    ] {
        assert!(!lower.contains(raw), "unescaped {raw} in the page");
    }
    // Our own stylesheet is the only <style>, and the cable's stays text.
    assert_eq!(lower.matches("<style").count(), 1);
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "an ampersand &amp; and &quot;double&quot; and &#39;single&#39; quotes",
        "&lt;img src=x onerror=alert(2)&gt; and &lt;/div&gt;&lt;/main&gt; &amp; friends",
        "&lt;iframe src=&quot;javascript:alert(4)&quot;&gt;&lt;/iframe&gt;",
        "&lt;style&gt;body{display:none}&lt;/style&gt;",
        "&lt;SCRIPT&gt;ALERT(&#39;SUBJECT&#39;)&lt;/SCRIPT&gt; &amp; &quot;QUOTED&quot; SUBJECT",
        "<del title=\"redacted as [B6]\">&lt;b&gt;bold&lt;/b&gt;</del>",
        "&lt;b&gt;hostile&lt;/b&gt; &amp; co",
        "release-&lt;u&gt;unclassified&lt;/u&gt;",
        "JOHN &quot;JACK&quot; O&#39;HARA",
    ] {
        assert!(page.contains(escaped), "missing escaped text: {escaped}");
    }
}

#[test]
fn html_refuses_to_overwrite_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("cable.txt");
    std::fs::copy(root().join(SEED), &doc).unwrap();
    let before = std::fs::read(&doc).unwrap();
    let doc_str = doc.to_str().unwrap();
    let o = declass(&["preview", doc_str, "--html", doc_str]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("refusing to overwrite the input"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&doc).unwrap(), before);
    // Nor the policy file.
    let policy = dir.path().join("p.yaml");
    std::fs::copy(root().join("policies/public-web.yaml"), &policy).unwrap();
    let policy_str = policy.to_str().unwrap();
    let o = declass(&[
        "preview", doc_str, "--policy", policy_str, "--html", policy_str,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("refusing to overwrite the input"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary left"
    );
}

#[test]
fn preview_takes_one_document() {
    let o = declass(&["preview", SEED, SEED]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("preview takes one document"),
        "{}",
        stderr(&o)
    );
    let o = declass(&["preview", COMPARE_DIR]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("use --compare"), "{}", stderr(&o));
}

// ───────────────────────────── compare ─────────────────────────────

#[test]
fn compare_on_a_small_folder_matches_the_snapshot() {
    let o = declass(&[
        "preview",
        "--compare",
        "foia-release",
        COMPARE_EDIT,
        COMPARE_DIR,
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.ends_with(
        "4 documents compared, 3 changed; 19 portions changed: 11 newly released, \
         1 newly withheld, 7 with other codes or redactions\n"
    ));
    snapshot("preview", "compare.txt", &out);
}

#[test]
fn compare_json_is_stable_and_holds_no_text() {
    let o = declass(&[
        "preview",
        "--compare",
        "foia-release",
        COMPARE_EDIT,
        COMPARE_DIR,
        "--as-of",
        "2026-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["totals"]["documents"], 4);
    assert_eq!(v["totals"]["documents_changed"], 3);
    assert_eq!(v["totals"]["paragraphs_changed"], 19);
    assert_eq!(v["totals"]["newly_released"], 11);
    assert_eq!(v["totals"]["newly_withheld"], 1);
    assert_eq!(v["totals"]["codes_changed"], 7);
    snapshot("preview", "compare.json", &out);
    // Words of the withheld paragraphs never appear, only numbers, marks, rules, codes.
    for word in ["Gilead", "Viread", "patent", "missiles", "BELARUS"] {
        assert!(!out.contains(word), "compare printed document text: {word}");
    }
}

#[test]
fn compare_the_same_policy_changes_nothing_and_bad_files_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join(COMPARE_DIR).join("05PRAGUE337.txt"),
        dir.path().join("a.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let d = dir.path().to_str().unwrap();
    let o = declass(&[
        "preview",
        "--compare",
        "public-web",
        "public-web",
        d,
        "--as-of",
        "2026-01-01",
    ]);
    let out = stdout(&o);
    assert!(
        out.ends_with(
            "1 document compared, 0 changed; 0 portions changed: 0 newly released, \
             0 newly withheld, 0 with other codes or redactions\n\
             1 document could not be compared\n"
        ),
        "{out}"
    );
    assert!(
        stderr(&o).contains("empty.txt: empty document"),
        "{}",
        stderr(&o)
    );
    assert_eq!(o.status.code(), Some(1), "a file that failed gives exit 1");
}

#[test]
fn compare_reports_a_bad_policy_and_conflicting_flags() {
    let o = declass(&[
        "preview",
        "--compare",
        "foia-release",
        "no-such-policy",
        COMPARE_DIR,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-policy"), "{}", stderr(&o));
    let o = declass(&[
        "preview",
        "--compare",
        "foia-release",
        "public-web",
        COMPARE_DIR,
        "--html",
        "x.html",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = declass(&["preview", SEED, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "--format needs --compare");
}

// ───────────────────────────── library ─────────────────────────────

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The preview's release column is what `declass release` prints, paragraph by paragraph,
/// on every fixture cable.
#[test]
fn release_column_matches_the_release() {
    let mut cables: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/cables"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    cables.push(root().join(SEED));
    cables.sort();
    let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
    for policy in ["foia-release", "public-web"] {
        let policy = Policy::builtin(policy).unwrap();
        for path in &cables {
            let bytes = std::fs::read(path).unwrap();
            let doc = declass::parse::parse(&bytes, None).unwrap();
            let d = policy.decide(&doc, &ctx);
            let Ok(release) = declass::release::build(&doc, &d) else {
                continue;
            };
            let text = normalize(&declass::render::text::render(
                &release,
                &declass::render::text::Stamping {
                    case: None,
                    doc: None,
                    date: ctx.as_of,
                },
                Default::default(),
            ));
            let meta = declass::preview::Meta {
                document: path.display().to_string(),
                policy: policy.name.clone(),
                policy_source: policy.source.clone(),
                as_of: ctx.as_of,
            };
            let view = declass::preview::build(&doc, &d, meta);
            assert_eq!(view.summary.stamp, release.stamp.to_string());
            for row in &view.rows {
                if !matches!(row.kind, declass::preview::RowKind::Paragraph { .. }) {
                    continue;
                }
                let mut cell = row.release_lead.clone();
                match &row.fate {
                    declass::preview::Fate::Withheld(codes) => {
                        cell.push_str(&declass::preview::placeholder(codes))
                    }
                    _ => {
                        for seg in &row.original {
                            match seg {
                                declass::preview::Seg::Text(t) => cell.push_str(t),
                                declass::preview::Seg::Redacted { codes, .. } => {
                                    cell.push_str(&declass::preview::placeholder(codes))
                                }
                            }
                        }
                    }
                }
                assert!(
                    text.contains(&normalize(&cell)),
                    "{} {} under {}: the release does not print\n{cell}",
                    path.display(),
                    row.label,
                    policy.name
                );
            }
        }
    }
}
