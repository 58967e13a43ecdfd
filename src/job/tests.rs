//! Tests of the job as a whole: the exemption log's rows made only when asked, and the
//! consistency pass's one hashing of the paragraphs' words giving the same release.

use super::*;

const CABLES: [(&[u8], &str); 3] = [
    (
        include_bytes!("../../tests/fixtures/exemptions/quoted-a.txt"),
        "quoted-a.txt",
    ),
    (
        include_bytes!("../../tests/fixtures/exemptions/10LONDON21.txt"),
        "10LONDON21.txt",
    ),
    (
        include_bytes!("../../tests/fixtures/exemptions/cab-memo.txt"),
        "cab-memo.txt",
    ),
];

fn same_outputs(a: &Produced, b: &Produced) {
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.manifest, b.manifest);
    assert_eq!(a.stamp, b.stamp);
    assert_eq!(
        (a.pages, a.released, a.withheld),
        (b.pages, b.released, b.withheld)
    );
    assert_eq!(a.warnings, b.warnings);
}

#[test]
fn without_a_log_no_rows_are_made_and_the_outputs_are_the_same() {
    let mut rows = 0;
    for format in [Format::Text, Format::Json] {
        for (input, path) in CABLES {
            let with = test_job(format, true, |job| produce(input, path, job)).unwrap();
            let without = test_job(format, false, |job| produce(input, path, job)).unwrap();
            rows += with.log.rows.len();
            assert_eq!(without.log, DocumentLog::default(), "{path}");
            same_outputs(&with, &without);
        }
    }
    assert!(rows > 0, "the fixtures withhold something");
}

#[test]
fn signing_and_producing_gives_the_release_produce_gives() {
    for format in [Format::Text, Format::Json, Format::Pdf] {
        for (input, path) in CABLES {
            let direct = test_job(format, true, |job| produce(input, path, job)).unwrap();
            let (sig, signed) = test_job(format, true, |job| sign_and_produce(input, path, job))
                .map(|(sig, p)| (sig, p.unwrap()))
                .unwrap();
            same_outputs(&direct, &signed);
            assert_eq!(direct.log, signed.log, "{path}");
            let doc = parse::parse(input, Some(path)).unwrap();
            let policy = Policy::default_policy();
            let context = Context::new(crate::document::Date::new(2026, 1, 1).unwrap());
            let decisions = policy.decide(&doc, &context);
            assert_eq!(
                format!("{sig:?}"),
                format!("{:?}", DocSig::of(path, &doc, &decisions)),
                "{path}"
            );
        }
    }
}
