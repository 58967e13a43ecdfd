use super::analyse::{ShadowIndex, covers, never_matches};
use super::build::{Build, conditions, redactor};
use super::*;
use crate::marking::ControlKind;
use crate::policy::codeset::CodeSet;
use crate::policy::raw::{self, List, RawRedact};

#[test]
fn regex_errors_carry_the_position() {
    let (index, message) = compile_regex("ab(c").unwrap_err();
    assert_eq!(index, Some(2));
    assert!(message.contains("unclosed group"), "{message}");
    assert!(message.contains("at character 3"), "{message}");
    let (index, _) = compile_regex(&"a".repeat(MAX_REGEX_BYTES + 1)).unwrap_err();
    assert_eq!(index, None);
    let (_, message) = compile_regex("(?:a{1000}){1000}").unwrap_err();
    assert!(message.contains("compiles to more than"), "{message}");
}

#[test]
fn terms_too_many_for_one_pattern_are_an_error() {
    let terms: Vec<String> = (0..5_000)
        .map(|i| format!("Person Number {i:05}"))
        .collect();
    let r = RawRedact {
        codes: List(vec!["B6".into()]),
        terms: Some(List(terms)),
        regex: None,
        builtin: None,
    };
    let e = redactor(CodeSet::builtin("foia").unwrap(), &r).unwrap_err();
    assert!(e.contains("over the regex size limit"), "{e}");
}

#[test]
fn levels_and_controls_explain_mixups() {
    assert!(parse_level("SBU").unwrap_err().contains("is a control"));
    assert!(
        parse_level("CONFIDENTAL")
            .unwrap_err()
            .contains("did you mean `CONFIDENTIAL`")
    );
    assert!(parse_control("SECRET").unwrap_err().contains("is a level"));
    assert!(
        parse_control("NOFRON")
            .unwrap_err()
            .contains("did you mean `NOFORN`")
    );
    assert_eq!(parse_control("rel to"), Ok(ControlKind::RelTo));
}

fn cond(yaml: &str) -> Conditions {
    let w: raw::RawWhen = serde_saphyr::from_str(yaml).unwrap();
    let mut problems = Vec::new();
    let mut b = Build {
        file: "t.yaml",
        codes: CodeSet::builtin("foia").unwrap(),
        problems: &mut problems,
    };
    let c = conditions(&mut b, &w);
    assert!(problems.is_empty(), "{problems:?}");
    c
}

#[test]
fn never_matching_conditions() {
    for yaml in [
        "level: {at_least: S, at_most: C}",
        "controls: {all_of: [NOFORN], none_of: [NF]}",
        "controls: {any_of: [NOFORN], only: [SBU]}",
        "paragraph: {at_least: 5, at_most: 2}",
        "paragraph: {one_of: [1, 2], at_least: 3}",
        "date: {from: 2008-01-01, to: 2007-01-01}",
        "part: subject\nparagraph: {exact: 1}",
        "origin: none\nlevel: {exact: C}",
        "tags: {all_of: [PREL], none_of: [prel]}",
    ] {
        assert!(never_matches(&cond(yaml)).is_some(), "{yaml}");
    }
    for yaml in [
        "level: {at_least: C}",
        "origin: [explicit, none]\nlevel: {exact: C}",
        "controls: {only: []}",
    ] {
        assert!(never_matches(&cond(yaml)).is_none(), "{yaml}");
    }
}

#[test]
fn shadowing() {
    let shadows = |a: &str, b: &str| covers(&cond(a), &cond(b));
    assert!(shadows("level: {at_least: C}", "level: {exact: S}"));
    assert!(!shadows("level: {exact: S}", "level: {at_least: C}"));
    assert!(shadows("{}", "level: {exact: S}\ntext: x"));
    assert!(!shadows("text: x", "text: y"));
    assert!(shadows("text: x", "text: x\nparagraph: {exact: 2}"));
    assert!(shadows(
        "controls: {none_of: [NOFORN]}",
        "controls: {only: [SBU]}\nlevel: {exact: U}"
    ));
    assert!(!shadows("{}", "origin: [none]"));
    assert!(shadows("origin: [none, explicit]", "origin: [none]"));
    assert!(shadows(
        "paragraph: {at_least: 1, at_most: 9}",
        "paragraph: {one_of: [2, 3]}"
    ));
    assert!(!shadows(
        "declassification_passed: true",
        "declassification_passed: false"
    ));
    assert!(shadows("part: [paragraph, subject]", "{}"));
    assert!(!shadows("part: [paragraph]", "{}"));
    assert!(shadows("origin: [explicit, inherited, none]", "{}"));
    assert!(!shadows("origin: [explicit]", "{}"));
}

#[test]
fn the_pattern_index_finds_what_comparing_every_pair_finds() {
    let whens = [
        "{}",
        "text: a",
        "text: b",
        "subject: s",
        "text: a\nsubject: s",
        "text: a\npost: p",
        "level: {exact: S}",
        "text: a\nlevel: {exact: S}",
        "post: p\nsubject: s\ntext: a",
        "paragraph: {exact: 2}",
        "text: b\nparagraph: {exact: 2}",
        "origin: [none]",
    ];
    // Every order of a few of them, as policies: the first shadowing rule is the same.
    for start in 0..whens.len() {
        let rules: Vec<Rule> = (0..whens.len())
            .map(|k| {
                let i = (start + k * 5) % whens.len();
                Rule {
                    index: k,
                    name: format!("r{k}"),
                    when: cond(whens[i]),
                    outcome: Outcome::Release { redact: Vec::new() },
                    declassify: None,
                    justification: None,
                }
            })
            .collect();
        let mut index = ShadowIndex::default();
        for (j, rule) in rules.iter().enumerate() {
            let pairwise = rules[..j].iter().find(|e| covers(&e.when, &rule.when));
            let indexed = index.shadowing(&rules, &rule.when);
            assert_eq!(
                indexed.map(|r| r.index),
                pairwise.map(|r| r.index),
                "rule {j} of order {start}"
            );
            index.add(j, &rule.when);
        }
    }
}
