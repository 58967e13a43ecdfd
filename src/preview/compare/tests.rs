//! Tests of the policy comparison: rows, summaries and the streamed output.

use super::*;
use crate::policy::{Context, Policy};

#[test]
fn same_policy_changes_nothing_and_public_web_strips_routing() {
    let bytes = include_bytes!("../../../samples/07PRAGUE486.txt");
    let doc = crate::parse::parse(bytes, Some("07PRAGUE486.txt")).unwrap();
    let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
    let foia = Policy::builtin("foia-release").unwrap().decide(&doc, &ctx);
    let web = Policy::builtin("public-web").unwrap().decide(&doc, &ctx);
    assert!(diff(&doc, &foia, &foia).is_empty());
    assert!(header_diff(&doc, &foia, &foia).is_empty());
    let changes = diff(&doc, &foia, &web);
    // public-web releases only plain U: the SBU paragraphs 2, 3 and 9 are withheld.
    let labels: Vec<&str> = changes.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["¶2", "¶3", "¶9"]);
    assert!(changes.iter().all(|c| c.kind == ChangeKind::NewlyWithheld));
    let parts: Vec<&str> = header_diff(&doc, &foia, &web)
        .iter()
        .map(|h| h.part)
        .collect();
    assert_eq!(parts, ["routing", "addressees"]);
}

/// A report over the sample cable added `times` times (every other one unchanged),
/// with one error, as a run adds them.
/// What [`Report::add`] takes, one document.
type Added = (String, Vec<Change>, Vec<HeaderChange>);

fn report(times: usize) -> (Report, Vec<Added>) {
    let bytes = include_bytes!("../../../samples/07PRAGUE486.txt");
    let doc = crate::parse::parse(bytes, Some("07PRAGUE486.txt")).unwrap();
    let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
    let (foia, web) = (
        Policy::builtin("foia-release").unwrap(),
        Policy::builtin("public-web").unwrap(),
    );
    let id = |p: &Policy| PolicyId {
        name: p.name.clone(),
        source: p.source.clone(),
        sha256: p.sha256(),
    };
    let (a, b) = (foia.decide(&doc, &ctx), web.decide(&doc, &ctx));
    let added = (0..times)
        .map(|i| {
            let (changes, header) = if i % 2 == 0 {
                (diff(&doc, &a, &b), header_diff(&doc, &a, &b))
            } else {
                (Vec::new(), Vec::new())
            };
            (format!("dir/\"{i}\".txt"), changes, header)
        })
        .collect();
    let mut r = Report::new(id(&foia), id(&web), ctx.as_of);
    r.add_error("bad.txt".into(), "not text".into());
    (r, added)
}

#[test]
fn a_streamed_report_is_the_whole_report_byte_for_byte() {
    for times in [0, 1, 2, 5] {
        for format in [Format::Text, Format::Json] {
            let (mut whole, added) = report(times);
            let (mut streamed, _) = report(0);
            let mut out = Vec::new();
            streamed.write_head(format, &mut out).unwrap();
            for (path, changes, header) in added {
                whole.add(path.clone(), changes.clone(), header.clone());
                streamed.add(path, changes, header);
                streamed.write_pending(format, &mut out).unwrap();
                assert!(streamed.documents.is_empty(), "nothing kept once written");
            }
            streamed.write_tail(format, &mut out).unwrap();
            let expected = match format {
                Format::Text => whole.to_text(),
                Format::Json => whole.to_json(),
            };
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected,
                "{times} {format:?}"
            );
        }
    }
}
