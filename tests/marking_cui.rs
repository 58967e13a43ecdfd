//! CUI documents parsed and audited: banner, portions, limited dissemination controls and
//! the roll-up, on the fixtures of `tests/fixtures/cui/` (written for the tests from the
//! CUI Marking Handbook's examples; see its README). A classified banner never carries CUI
//! (DoDM 5200.48), and the roll-up says it left it out.

use crate::common;

use declass::audit::{AuditContext, audit};
use declass::diagnostic::Code;
use declass::document::{Date, Document, Origin};
use declass::marking::rollup::roll_up;
use declass::marking::{ControlKind, Level, Marking};

fn parsed(name: &str) -> Document {
    let bytes = common::read(format!("tests/fixtures/cui/{name}"));
    let doc = declass::parse::parse(&bytes, Some(name)).expect("parses");
    assert_eq!(
        doc.check_tiling(),
        Ok(()),
        "{name}: every line in one element"
    );
    doc
}

/// The printed marks: the subject's, then each explicitly marked paragraph's.
fn printed(doc: &Document) -> Vec<&Marking> {
    doc.header
        .subject
        .iter()
        .filter_map(|s| s.marking.as_ref())
        .chain(
            doc.paragraphs
                .iter()
                .filter(|p| p.origin == Origin::Explicit)
                .filter_map(|p| p.marking.as_ref()),
        )
        .collect()
}

fn canonical(marks: &[&Marking]) -> Vec<String> {
    marks.iter().map(|m| m.canonical()).collect()
}

fn banner(doc: &Document) -> &Marking {
    &doc.header.banner.as_ref().expect("a banner").marking
}

fn codes(doc: &Document) -> Vec<Code> {
    let ctx = AuditContext {
        as_of: Date::new(2026, 1, 1).unwrap(),
    };
    audit(doc, &ctx).into_iter().map(|d| d.code).collect()
}

/// The banner rules that compare a banner with its portions.
const BANNER_RULES: [Code; 3] = [
    Code::BannerBelowPortion,
    Code::PortionControlNotInBanner,
    Code::BannerControlInNoPortion,
];

#[test]
fn basic_cui_memo() {
    let doc = parsed("basic-memo.txt");
    assert_eq!(banner(&doc).canonical(), "CUI");
    assert_eq!(banner(&doc).banner(), "CUI");
    assert_eq!(canonical(&printed(&doc)), ["U", "U", "CUI", "U"]);
    let rolled = roll_up(printed(&doc), false, Level::U);
    assert_eq!(&rolled.marking.canonical(), "CUI");
    assert!(rolled.dropped.is_empty());
    let found = codes(&doc);
    assert!(BANNER_RULES.iter().all(|c| !found.contains(c)), "{found:?}");
}

#[test]
fn specified_category_reads_in_banner_and_portions() {
    let doc = parsed("specified-privacy.txt");
    let b = banner(&doc);
    assert_eq!(b.canonical(), "CUI//SP-PRVCY");
    assert!(b.is_cui() && b.has(ControlKind::CuiCategory) && !b.is_unknown());
    assert_eq!(
        canonical(&printed(&doc)),
        ["U", "U", "CUI//SP-PRVCY", "CUI//SP-PRVCY"]
    );
    let rolled = roll_up(printed(&doc), false, Level::U);
    assert_eq!(rolled.marking.canonical(), b.canonical());
    let found = codes(&doc);
    assert!(BANNER_RULES.iter().all(|c| !found.contains(c)), "{found:?}");
}

#[test]
fn limited_dissemination_controls_roll_up_into_the_banner() {
    let doc = parsed("ldc-noforn.txt");
    let b = banner(&doc);
    assert_eq!(b.canonical(), "CUI//SP-CTI//NF/FEDCON");
    assert!(b.has(ControlKind::Noforn) && b.has(ControlKind::Fedcon));
    assert_eq!(
        canonical(&printed(&doc)),
        ["U", "U", "CUI//SP-CTI//NF", "CUI//FEDCON", "U"]
    );
    let rolled = roll_up(printed(&doc), false, Level::U);
    assert_eq!(rolled.marking.canonical(), b.canonical());
    let found = codes(&doc);
    assert!(BANNER_RULES.iter().all(|c| !found.contains(c)), "{found:?}");

    // The same memo with FEDCON left off its banner: the audit asks for it.
    let text = String::from_utf8(common::read("tests/fixtures/cui/ldc-noforn.txt")).unwrap();
    let short = text.replace("CUI//SP-CTI//NOFORN/FEDCON", "CUI//SP-CTI//NOFORN");
    let doc = declass::parse::parse_str(&short).expect("parses");
    let ctx = AuditContext {
        as_of: Date::new(2026, 1, 1).unwrap(),
    };
    let missing: Vec<_> = audit(&doc, &ctx)
        .into_iter()
        .filter(|d| d.code == Code::PortionControlNotInBanner)
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].message.starts_with("FEDCON"),
        "{}",
        missing[0].message
    );
    assert_eq!(missing[0].line, 11);
}

#[test]
fn cui_in_a_classified_document_stays_out_of_the_banner_and_is_reported() {
    let doc = parsed("classified-with-cui.txt");
    assert_eq!(banner(&doc).canonical(), "S");
    let marks = printed(&doc);
    assert_eq!(canonical(&marks), ["U", "S", "CUI", "U"]);
    let rolled = roll_up(marks, false, Level::U);
    assert_eq!(rolled.marking.canonical(), "S");
    assert!(rolled.dropped.contains(&ControlKind::Cui), "{rolled:?}");
    // No banner finding asks for CUI in the SECRET banner.
    let ctx = AuditContext {
        as_of: Date::new(2026, 1, 1).unwrap(),
    };
    let cui_asked = audit(&doc, &ctx)
        .into_iter()
        .any(|d| BANNER_RULES.contains(&d.code) && d.message.contains("CUI"));
    assert!(!cui_asked);
}
