//! Fuzzing is not run in CI; what it found is. Every input saved under
//! `tests/fixtures/fuzz/<target>/` (crashes the fuzzers found, minimised, and inputs kept
//! because they once broke an invariant) is replayed here through the same target bodies
//! the fuzzers run (`fuzz/targets.rs`), together with the committed seed corpora.

use crate::fuzz_targets as targets;

use std::fs;
use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    let mut failed = Vec::new();
    for dir in [
        root.join("tests/fixtures/fuzz").join(target),
        root.join("fuzz/seeds").join(target),
    ] {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let bytes = fs::read(&path).unwrap();
            if std::panic::catch_unwind(|| run(&bytes)).is_err() {
                failed.push(path.display().to_string());
            }
            n += 1;
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: these inputs panicked: {failed:#?}"
    );
    n
}

#[test]
fn marking_inputs() {
    assert!(replay("marking", targets::marking) > 0);
}

#[test]
fn parse_inputs() {
    assert!(replay("parse", targets::parse) > 0);
}

#[test]
fn policy_inputs() {
    assert!(replay("policy", targets::policy) > 0);
}

#[test]
fn pipeline_inputs() {
    assert!(replay("pipeline", targets::pipeline) > 0);
}

/// The oracle itself: a release with a withheld paragraph pasted back in is caught.
#[test]
#[should_panic(expected = "leaked")]
fn the_pipeline_oracle_catches_a_leak() {
    use declass::policy::{Context, Policy};
    let source = fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/07PRAGUE486.txt"
    ))
    .unwrap();
    let doc = declass::parse::parse(&source, Some("07PRAGUE486.txt")).unwrap();
    let policy = Policy::default_policy();
    let ctx = Context::new(declass::document::Date::new(2026, 1, 1).unwrap());
    let withheld = doc
        .paragraphs
        .iter()
        .enumerate()
        .find(|(i, p)| {
            !policy.decide(&doc, &ctx).paragraphs[*i].action.is_release()
                && targets::words(&p.text).len() >= targets::RUN
        })
        .map(|(_, p)| p.text.to_uppercase())
        .unwrap();
    targets::assert_no_withheld_text(&doc, &policy, &ctx, "", &format!("x\n{withheld}\n"));
}

/// The pipeline crashes: a TAGS field in the body swallowed the lines below it, and a
/// classified paragraph (`¶1. (S/NF) An expatriatl businessman…`, a `… NOFORo technical
/// information …` line) was released as header text; paragraphs whose `¶` had turned into
/// `Â¶` were read as addressee lines (`Â¶1. (C) THIS IS AN ACTION REQUEST…`); the banner
/// was looked for past a marked paragraph (`Â¶4. (C) We also discussed the issue…`), which
/// became header text; a Classified By block went on into `.¶1. (C) Summary. The…`, or
/// into `. (C) Summary. The visit…`; `Â¶5. (S      ) As an aside…` (a mark padded with
/// blanks) was an addressee line. All are withheld now.
#[test]
fn the_swallowed_lines_of_the_pipeline_crashes_are_withheld() {
    use declass::job::{Format, Job, produce};
    use declass::policy::{Context, Policy};
    use declass::render::text::{Stamping, TextOptions};
    let policy = Policy::default_policy();
    let context = Context::new(declass::document::Date::new(2026, 1, 1).unwrap());
    let job = Job {
        policy: &policy,
        context: &context,
        format: Format::Text,
        stamping: Stamping {
            case: None,
            doc: None,
            date: context.as_of,
        },
        text: TextOptions::default(),
        digest_key: None,
        review: None,
        log: true,
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz/pipeline");
    for (file, swallowed) in [
        (
            "crash-50edb772-tags-swallowed-paragraph",
            "expatriatl businessman",
        ),
        (
            "crash-77a65560-tags-swallowed-routing",
            "NOFORo technical information",
        ),
        (
            "crash-3dc8630a-damaged-lead-read-as-addressee",
            "ACTION REQUEST",
        ),
        (
            "crash-7a94a3f6-banner-looked-for-past-a-portion",
            "We also discussed the issue",
        ),
        (
            "crash-3ebea83c-classified-by-swallowed-paragraph",
            "Summary. The",
        ),
        (
            "crash-9d495957-dot-lead-in-classified-by",
            "Summary. The visit",
        ),
        (
            "crash-0d61666d-padded-mark-after-damaged-lead",
            "Bassim said the pace",
        ),
    ] {
        let bytes = fs::read(dir.join(file)).unwrap();
        let out = produce(&bytes[1..], "07FUZZ1.txt", &job).unwrap();
        let text = String::from_utf8(out.bytes).unwrap();
        assert!(!text.contains(swallowed), "{file}: {swallowed:?} released");
    }
}
