//! Policy tests on small synthetic documents and the seed cable: every condition and
//! action, first-match ordering, the safety rules, and each validation problem at its
//! exact line and column.

use super::*;
use crate::document::Document;

const SEED: &[u8] = include_bytes!("../../samples/07PRAGUE486.txt");

/// A cable with one paragraph of each kind the rules care about.
const CABLE: &str = "VZCZCXYZ0029
OO RUEHWEB

DE RUEHPG #0486/01 1231330
ZNY CCCCC ZZH
O 031330Z MAY 07
FM AMEMBASSY PRAGUE
TO RUEHC/SECSTATE WASHDC IMMEDIATE 8995

C O N F I D E N T I A L PRAGUE 000486

SIPDIS

EUR/NCE FOR ERIC FICHTE

E.O. 12958: DECL: 05/02/2017
TAGS: PREL EZ
SUBJECT: (C) MISSILE DEFENSE TALKS

REF: STATE 12345

Classified By: Someone
for reasons 1.4 (b) and (d).

¶1. (C) First about missile defense.

¶2. (SBU) Second mentions Tomas Pojar and Martin Bartak.

¶3. (U) Plain.

¶4. (S//NF) Secret noforn.

¶5. Unmarked paragraph here.

¶6. (C//NF/QXZ) Unknown mark.

¶7. (U//SBU-NF) Sensitive noforn.
GRABER
";

fn date(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}

fn ctx() -> Context {
    Context::new(date("2026-01-01"))
}

fn cable() -> Document {
    crate::parse::parse_str(CABLE).unwrap()
}

fn seed() -> Document {
    crate::parse::parse(SEED, Some("07PRAGUE486.txt")).unwrap()
}

/// A policy from a rules block and a default, with the boilerplate around them.
fn with_rules(rules: &str, default: &str) -> String {
    format!("name: t\ndescription: test\nversion: 1\nrules:\n{rules}\ndefault: {default}\n")
}

fn load(yaml: &str) -> (Policy, Vec<Problem>) {
    match Policy::load(&PolicySource::new("t.yaml", yaml)) {
        Ok(ok) => ok,
        Err(e) => panic!("policy should load:\n{e}\n---\n{yaml}"),
    }
}

fn policy(yaml: &str) -> Policy {
    load(yaml).0
}

/// Every problem (errors or warnings) as `line:column: severity: message`.
fn problems(yaml: &str) -> Vec<String> {
    let list = match Policy::load(&PolicySource::new("t.yaml", yaml)) {
        Ok((_, warnings)) => warnings,
        Err(e) => e.problems(),
    };
    list.iter()
        .map(|p| format!("{}:{}: {}: {}", p.line, p.column, p.severity, p.message))
        .collect()
}

const WITHHOLD: &str = "{action: withhold, codes: [B5]}";

/// Which paragraphs (by number) a single-rule release policy releases from the cable.
fn released_by(when: &str) -> Vec<u32> {
    let p = policy(&with_rules(
        &format!(
            "  - name: r\n    when: {when}\n    action: release\n    declassify: {{authority: X}}"
        ),
        WITHHOLD,
    ));
    let doc = cable();
    let d = p.decide(&doc, &ctx());
    doc.paragraphs
        .iter()
        .zip(&d.paragraphs)
        .filter(|(_, d)| d.action.is_release())
        .filter_map(|(p, _)| p.number)
        .collect()
}

fn codes_of(d: &Decision) -> String {
    match &d.action {
        Action::Release => "release".into(),
        Action::Withhold { codes } => render_codes(codes),
    }
}

// ───────────────────────────── conditions ─────────────────────────────

#[test]
fn level_conditions() {
    assert_eq!(released_by("{level: {exact: C}}"), [1]);
    assert_eq!(released_by("{level: {at_least: C}}"), [1, 4]);
    assert_eq!(released_by("{level: {at_most: U}}"), [2, 3, 7]);
    assert_eq!(released_by("{level: {one_of: [U, S]}}"), [2, 3, 4, 7]);
    assert_eq!(released_by("{level: {one_of: S}}"), [4]);
    assert_eq!(
        released_by("{level: {at_least: confidential, at_most: secret}}"),
        [1, 4]
    );
}

#[test]
fn control_conditions() {
    assert_eq!(
        released_by("{controls: {any_of: [NOFORN, SBU-NF]}}"),
        [4, 7]
    );
    assert_eq!(released_by("{controls: {all_of: [NF]}}"), [4]);
    assert_eq!(
        released_by("{controls: {none_of: [NOFORN, SBU]}}"),
        [1, 3, 7]
    );
    assert_eq!(released_by("{controls: {only: [SBU]}}"), [1, 2, 3]);
    assert_eq!(released_by("{controls: {only: []}}"), [1, 3]);
}

#[test]
fn origin_conditions_and_unmarked_portions() {
    // Without naming an origin, a rule never sees unmarked (¶5) or unreadable (¶6) ones.
    assert_eq!(released_by("{}"), [1, 2, 3, 4, 7]);
    assert_eq!(released_by("{origin: explicit}"), [1, 2, 3, 4, 7]);
    assert_eq!(released_by("{origin: none}"), [5]);
    assert_eq!(released_by("{origin: [unknown]}"), [6]);
    // Unmarked and unreadable portions never match level or control conditions.
    assert_eq!(
        released_by("{origin: [none, unknown, explicit], level: {at_least: U}}"),
        [1, 2, 3, 4, 7]
    );
    assert_eq!(
        released_by("{origin: [none], controls: {only: []}}"),
        Vec::<u32>::new()
    );
}

#[test]
fn paragraph_conditions() {
    assert_eq!(released_by("{paragraph: {exact: 3}}"), [3]);
    assert_eq!(
        released_by("{paragraph: {at_least: 2, at_most: 4}}"),
        [2, 3, 4]
    );
    assert_eq!(released_by("{paragraph: {one_of: [1, 7, 9]}}"), [1, 7]);
}

#[test]
fn header_field_conditions() {
    assert_eq!(released_by("{tags: {any_of: [prel, XX]}}"), [1, 2, 3, 4, 7]);
    assert!(released_by("{tags: {all_of: [PREL, PGOV]}}").is_empty());
    assert!(released_by("{tags: {none_of: [EZ]}}").is_empty());
    assert_eq!(released_by("{tags: {only: [PREL, EZ, RU]}}").len(), 5);
    assert_eq!(released_by("{post: 'PRAGUE$'}").len(), 5);
    assert!(released_by("{post: '^AMEMBASSY BERLIN$'}").is_empty());
    assert_eq!(
        released_by("{date: {from: 2007-05-01, to: 2007-05-31}}").len(),
        5
    );
    assert_eq!(released_by("{date: {from: 2007-05-03}}").len(), 5);
    assert!(released_by("{date: {to: 2007-05-02}}").is_empty());
    assert_eq!(released_by("{subject: '(?i)missile'}").len(), 5);
    assert!(released_by("{subject: 'TRADE'}").is_empty());
}

#[test]
fn text_condition() {
    assert_eq!(released_by(r"{text: '\bPojar\b'}"), [2]);
    assert_eq!(released_by("{text: '(?i)noforn'}"), [4, 7]);
}

#[test]
fn declassification_passed_compares_with_as_of() {
    let p = policy(&with_rules(
        "  - name: passed\n    when: {declassification_passed: true, paragraph: {exact: 1}}\n    action: release\n    declassify: {authority: A}",
        WITHHOLD,
    ));
    let doc = cable();
    let released = |as_of: &str| {
        p.decide(&doc, &Context::new(date(as_of))).paragraphs[0]
            .action
            .is_release()
    };
    assert!(released("2026-01-01"));
    assert!(released("2017-05-03"));
    // DECL 2017-05-02: on that day it has not yet passed.
    assert!(!released("2017-05-02"));
    assert!(!released("2010-01-01"));
    let not_passed = policy(&with_rules(
        "  - name: not-passed\n    when: {declassification_passed: false}\n    action: withhold\n    codes: [B6]",
        "{action: withhold, codes: [B5]}",
    ));
    let d = not_passed.decide(&doc, &Context::new(date("2010-01-01")));
    assert_eq!(codes_of(&d.paragraphs[0]), "B6");
    assert!(
        d.paragraphs[0]
            .why
            .contains("DECL 2017-05-02 is not before 2010-01-01")
    );
}

#[test]
fn subject_is_decided_like_a_paragraph() {
    let p = policy(&with_rules(
        "  - name: subject-only\n    when: {part: subject}\n    action: withhold\n    codes: [B6]\n  - name: rest\n    when: {part: [paragraph]}\n    action: withhold\n    codes: [B5]",
        WITHHOLD,
    ));
    let d = p.decide(&cable(), &ctx());
    let s = d.subject.as_ref().unwrap();
    assert_eq!(codes_of(s), "B6");
    assert!(s.why.contains("part subject"), "{}", s.why);
    assert_eq!(codes_of(&d.paragraphs[0]), "B5");
    // The seed's subject is unmarked in a classified cable: fail closed.
    let d = Policy::default_policy().decide(&seed(), &ctx());
    assert_eq!(d.subject.unwrap().rule, RuleRef::FailClosed);
}

// ───────────────────────────── actions ─────────────────────────────

#[test]
fn first_match_wins() {
    let p = policy(&with_rules(
        "  - name: first\n    when: {level: {at_least: C}}\n    action: withhold\n    codes: [B5]\n  - name: second\n    when: {level: {exact: C}}\n    action: release",
        "{action: withhold, codes: [B6]}",
    ));
    let d = p.decide(&cable(), &ctx());
    assert_eq!(codes_of(&d.paragraphs[0]), "B5");
    assert_eq!(
        d.paragraphs[0].rule,
        RuleRef::Rule {
            index: 0,
            name: "first".into()
        }
    );
    assert_eq!(d.paragraphs[2].rule, RuleRef::Default);
    assert_eq!(codes_of(&d.paragraphs[2]), "B6");
    assert_eq!(d.paragraphs[2].why, "no rule matched");
}

#[test]
fn withhold_codes_given_derived_or_both() {
    let p = policy(&with_rules(
        "  - name: given\n    when: {paragraph: {exact: 2}}\n    action: withhold\n    codes: [b(7)(c), (b)(6)]\n  - name: derived\n    when: {paragraph: {exact: 1}, level: {at_least: C}}\n    action: withhold\n    codes: derived\n  - name: both\n    when: {paragraph: {exact: 4}, level: {at_least: C}}\n    action: withhold\n    codes: [B6, derived, B3 INA]",
        WITHHOLD,
    ));
    let d = p.decide(&cable(), &ctx());
    assert_eq!(codes_of(&d.paragraphs[1]), "B6, B7(C)");
    assert_eq!(codes_of(&d.paragraphs[0]), "B1, 1.4(B), 1.4(D)");
    assert_eq!(codes_of(&d.paragraphs[3]), "B1, 1.4(B), 1.4(D), B3 INA, B6");
}

#[test]
fn classified_codes_never_reach_unclassified_portions() {
    // The default may cite `derived` (with a warning); at run time it applies B1 only
    // to classified portions and marks the rest REVIEW REQUIRED.
    let p = policy(&with_rules(
        "  - name: names\n    when: {paragraph: {exact: 9}}\n    action: withhold\n    codes: [B6]",
        "{action: withhold, codes: [derived]}",
    ));
    let d = p.decide(&cable(), &ctx());
    assert_eq!(codes_of(&d.paragraphs[0]), "B1, 1.4(B), 1.4(D)");
    assert_eq!(codes_of(&d.paragraphs[2]), "REVIEW REQUIRED");
    assert!(
        d.paragraphs[2].why.contains("not classified"),
        "{}",
        d.paragraphs[2].why
    );
    assert_eq!(codes_of(&d.paragraphs[6]), "REVIEW REQUIRED");
    // A rule that could cite them on U is rejected where its codes are written.
    let found = problems(&with_rules(
        "  - name: noforn\n    when: {controls: {any_of: [NOFORN]}}\n    action: withhold\n    codes: [25X1]",
        WITHHOLD,
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("8:12: error: rule 1 `noforn` cites 25X1"),
        "{found:?}"
    );
}

#[test]
fn redactions_by_terms_and_regex() {
    let p = policy(&with_rules(
        r#"  - name: names
    when: {paragraph: {exact: 2}}
    action: release
    redact:
      - codes: [B6]
        terms: [tomas pojar, Pojar, "Martin Bartak"]
      - codes: [B7(C)]
        regex: 'and (?P<redact>Martin) '
      - codes: [B5]
        regex: 'Second'"#,
        WITHHOLD,
    ));
    let doc = cable();
    let d = p.decide(&doc, &ctx());
    let text = &doc.paragraphs[1].text;
    let spans: Vec<(&str, String)> = d.paragraphs[1]
        .redactions
        .iter()
        .map(|r| (&text[r.start..r.end], render_codes(&r.codes)))
        .collect();
    assert_eq!(
        spans,
        [
            ("Second", "B5".to_string()),
            ("Tomas Pojar", "B6".to_string()),
            // Overlapping spans merge, with their codes united.
            ("Martin Bartak", "B6, B7(C)".to_string()),
        ]
    );
    assert_eq!(
        d.stamp(),
        "RELEASE IN PART B1, 1.4(B), 1.4(D), B5, B6, B7(C)"
    );
}

#[test]
fn redaction_offsets_are_char_boundaries() {
    let p = policy(&with_rules(
        "  - name: r\n    action: release\n    redact: [{codes: [B6], terms: [Müller]}]",
        WITHHOLD,
    ));
    let doc = crate::parse::parse_str(
        "UNCLASSIFIED\n\nSUBJECT: (U) X\n\n1. (U) Ärger mit Herrn Müller, sagt Müller.\n",
    )
    .unwrap();
    let d = p.decide(&doc, &ctx());
    let text = &doc.paragraphs[0].text;
    let found: Vec<&str> = d.paragraphs[0]
        .redactions
        .iter()
        .map(|r| &text[r.start..r.end])
        .collect();
    assert_eq!(found, ["Müller", "Müller"]);
}

#[test]
fn header_plan() {
    let p = policy(
        "name: t\ndescription: d\nversion: 1\nheader:\n  routing: strip\n  tags: {action: redact, codes: [B5]}\n  addressees:\n    action: keep\n    redact: [{codes: [B6], builtin: addressee-names}]\n  refs:\n    action: keep\n    redact: [{codes: [B5], regex: '\\d+'}]\ndefault: {action: withhold, codes: [derived]}\n",
    );
    let doc = cable();
    let d = p.decide(&doc, &ctx());
    assert_eq!(d.header.routing, HeaderAction::Strip);
    assert_eq!(
        d.header.tags,
        HeaderAction::Redact(Codes::from_texts(["B5"]))
    );
    assert_eq!(d.header.residue, HeaderAction::Keep);
    let a = &d.header.addressee_redactions[0][0];
    assert_eq!(
        &doc.header.addressees[0].text[a.start..a.end],
        "ERIC FICHTE"
    );
    let r = &d.header.ref_redactions[0][0];
    assert_eq!(&doc.header.refs[0].text[r.start..r.end], "12345");
}

#[test]
fn release_settings_and_stamps() {
    let p = policy(
        "name: t\ndescription: d\nversion: 1\nrelease:\n  target: U\n  banner: UNCLASSIFIED//FOR PUBLIC RELEASE\n  show_original_marks: false\n  stamp: {full: RELEASED IN FULL, part: RELEASED IN PART, denied: DENIED}\nrules:\n  - name: all\n    action: release\n    declassify: {authority: A}\n  - name: unmarked\n    when: {origin: [none, unknown]}\n    action: release\n    declassify: {authority: A}\ndefault: {action: withhold, codes: [B5]}\n",
    );
    let d = p.decide(&cable(), &ctx());
    assert_eq!(d.release_marking, "UNCLASSIFIED//FOR PUBLIC RELEASE");
    assert!(!d.show_original_marks);
    assert_eq!(d.stamp(), "RELEASED IN FULL");
    let denied = policy(&with_rules(
        "  - name: none\n    when: {paragraph: {exact: 99}}\n    action: release",
        "{action: withhold, codes: [B5]}",
    ));
    let d = denied.decide(&cable(), &ctx());
    assert_eq!(d.stamp(), "DENIED IN FULL B1, 1.4(B), 1.4(D), B5");
    assert_eq!(d.target, Level::U);
}

// ───────────────────────────── safety ─────────────────────────────

#[test]
fn fail_closed_whatever_the_default() {
    let (p, warnings) = load(&with_rules(
        "  - name: plain\n    when: {level: {exact: U}}\n    action: release",
        "{action: release}",
    ));
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("default is `release`"))
    );
    let doc = cable();
    let d = p.decide(&doc, &ctx());
    for i in [4, 5] {
        assert_eq!(d.paragraphs[i].rule, RuleRef::FailClosed, "¶{}", i + 1);
        assert_eq!(codes_of(&d.paragraphs[i]), "B1, 1.4(B), 1.4(D)");
    }
    assert!(d.paragraphs[4].why.contains("unmarked (origin none)"));
    assert!(d.paragraphs[5].why.contains("origin unknown"));
}

#[test]
fn fail_closed_in_an_unclassified_document_uses_the_default_codes() {
    let p = policy(&with_rules(
        "  - name: u\n    when: {level: {exact: U}}\n    action: release",
        "{action: withhold, codes: [B5]}",
    ));
    let doc = crate::parse::parse_str("SUBJECT: X\n\n1. (U) One.\n\n2. (U//QXZ) Two.\n").unwrap();
    assert!(!doc.is_classified());
    let d = p.decide(&doc, &ctx());
    assert_eq!(d.paragraphs[1].rule, RuleRef::FailClosed);
    assert_eq!(codes_of(&d.paragraphs[1]), "B5");
}

#[test]
fn above_target_needs_a_declassification_authority() {
    let doc = cable();
    // No `declassify`: forced to withhold, and the explanation says why.
    let p = policy(&with_rules("  - name: all\n    action: release", WITHHOLD));
    let d = p.decide(&doc, &ctx());
    assert_eq!(codes_of(&d.paragraphs[0]), "B1, 1.4(B), 1.4(D)");
    assert!(
        d.paragraphs[0].why.contains("above the release target U"),
        "{}",
        d.paragraphs[0].why
    );
    assert!(d.paragraphs[0].why.contains("has no `declassify`"));
    assert!(d.paragraphs[2].action.is_release());
    assert!(d.declassification.is_none());
    // `declassify` without an authority anywhere: still withheld.
    let p = policy(&with_rules(
        "  - name: all\n    action: release\n    declassify: {}",
        WITHHOLD,
    ));
    let d = p.decide(&doc, &ctx());
    assert!(!d.paragraphs[0].action.is_release());
    assert!(
        d.paragraphs[0]
            .why
            .contains("no declassification authority")
    );
    // ... released once --authority names one.
    let cli = Context {
        authority: Some("Jane Roe, Reviewer".into()),
        ..ctx()
    };
    let d = p.decide(&doc, &cli);
    assert!(d.paragraphs[0].action.is_release() && d.paragraphs[0].declassified);
    let a = d.declassification.unwrap();
    assert_eq!(
        a.to_string(),
        "Declassified by Jane Roe, Reviewer on 2026-01-01"
    );
    assert!(a.from_command_line);
}

#[test]
fn command_line_authority_overrides_the_policy() {
    let p = policy(&with_rules(
        "  - name: all\n    action: release\n    declassify: {authority: Policy Person}",
        WITHHOLD,
    ));
    let doc = cable();
    let d = p.decide(&doc, &ctx());
    let a = d.declassification.unwrap();
    assert_eq!(
        (a.authority.as_str(), a.from_command_line),
        ("Policy Person", false)
    );
    let d = p.decide(
        &doc,
        &Context {
            authority: Some("CLI Person".into()),
            ..ctx()
        },
    );
    assert_eq!(d.declassification.unwrap().authority, "CLI Person");
}

#[test]
fn unmarked_and_unreadable_portions_are_held_to_the_target_too() {
    let p = policy(&with_rules(
        "  - name: unreadable\n    when: {origin: [none, unknown]}\n    action: release",
        WITHHOLD,
    ));
    let d = p.decide(&cable(), &ctx());
    // ¶6 `(C//NF/QXZ)`: the level printed is C, the unknown token does not lower it.
    assert!(!d.paragraphs[5].action.is_release());
    let why = &d.paragraphs[5].why;
    assert!(
        why.contains("level C is above the release target U"),
        "{why}"
    );
    // ¶5 is unmarked in a document whose highest portion is S: it is taken as S.
    let why = &d.paragraphs[4].why;
    assert!(
        why.contains("level S is above the release target U"),
        "{why}"
    );
}

// ───────────────────────────── the seed ─────────────────────────────

fn released(d: &Decisions) -> Vec<usize> {
    d.paragraphs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.action.is_release())
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn seed_with_foia_release() {
    let d = Policy::default_policy().decide(&seed(), &ctx());
    assert_eq!(released(&d), [2, 3, 9]);
    for i in [1, 4, 5, 6, 7, 8] {
        assert_eq!(codes_of(&d.paragraphs[i - 1]), "B1, 1.4(B), 1.4(D)", "¶{i}");
    }
    assert_eq!(d.header.addressee_redactions[0].len(), 1);
    assert_eq!(d.stamp(), "RELEASE IN PART B1, 1.4(B), 1.4(D), B6");
    assert!(d.declassification.is_none());
}

#[test]
fn seed_with_declassify_expired() {
    let p = Policy::builtin("declassify-expired").unwrap();
    let d = p.decide(&seed(), &ctx());
    assert_eq!(released(&d), (1..=9).collect::<Vec<_>>());
    let a = d.declassification.unwrap();
    assert_eq!(a.date, date("2026-01-01"));
    assert!(
        a.authority.contains("Declassify On date"),
        "{}",
        a.authority
    );
    // Before the DECL date nothing classified is released.
    let d = p.decide(&seed(), &Context::new(date("2017-05-01")));
    assert_eq!(released(&d), [2, 3, 9]);
    assert!(d.declassification.is_none());
}

#[test]
fn seed_with_public_web_and_internal_sbu() {
    let d = Policy::builtin("public-web")
        .unwrap()
        .decide(&seed(), &ctx());
    assert!(released(&d).is_empty());
    assert_eq!(d.header.routing, HeaderAction::Strip);
    assert_eq!(d.header.addressees, HeaderAction::Strip);
    // The SBU paragraphs are unclassified: held for review, never B1.
    assert_eq!(
        d.stamp(),
        "DENIED IN FULL B1, 1.4(B), 1.4(D), REVIEW REQUIRED"
    );
    let d = Policy::builtin("builtin:internal-sbu")
        .unwrap()
        .decide(&seed(), &ctx());
    assert_eq!(released(&d), [2, 3, 9]);
    let d = Policy::builtin("internal-sbu")
        .unwrap()
        .decide(&cable(), &ctx());
    // ¶7 is SBU NOFORN: kept out.
    assert!(!d.paragraphs[6].action.is_release());
}

#[test]
fn shipped_policies_are_clean_and_never_release_unmarked() {
    let sources = shipped_sources();
    assert_eq!(sources.len(), 4);
    for source in sources {
        let (p, warnings) = Policy::load(&source).unwrap_or_else(|e| panic!("{e}"));
        assert!(warnings.is_empty(), "{}: {warnings:?}", source.name);
        assert!(!p.description.contains('\n'));
        assert_eq!(p.sha256().len(), 64);
        for rule in &p.rules {
            let unmarked = rule.when.origins().iter().any(|o| o.needs_naming());
            assert!(
                !unmarked,
                "{} rule {} names unmarked portions",
                p.name, rule.name
            );
        }
    }
    assert_eq!(Policy::default_policy().name, "foia-release");
    assert!(Policy::builtin("nope").is_none());
}

// ───────────────────────────── validation ─────────────────────────────

#[test]
fn every_stage_one_problem_in_one_pass() {
    let yaml = "name: bad
descripton: typo
version: 2
release:
  target: SBU
rules:
  - name: one
    when:
      levle: {at_least: C}
      controls: {any_of: [NOFRON]}
      text: 'ab(c'
      paragraph: {exact: two}
      date: {from: 2007-13-01}
      origin: [explicit, nowhere]
    action: withhold
    codes: [B10, b6]
  - action: relase
    redact: [{codes: [B6], builtin: adressee-names}]
    when: [level]
    codes: ~
default:
  action: withhold
  codes: [B1]
  action: release
";
    assert_eq!(
        problems(yaml),
        [
            "2:1: error: unknown key `descripton` in `policy` (did you mean `description`?); expected one of: name, description, version, code_set, extra_codes, release, header, rules, default",
            "3:10: error: `version`: unsupported schema version `2`; this declass reads version 1",
            "5:11: error: `target`: `SBU` is a control, not a level; write `level: {exact: U}` with `controls: {any_of: [SBU]}`",
            "9:7: error: unknown key `levle` in `when` (did you mean `level`?); expected one of: part, level, controls, origin, paragraph, tags, post, date, subject, text, declassification_passed",
            "10:27: error: `any_of`: unknown control `NOFRON` (did you mean `NOFORN`?); controls are SCI, SAP, AEA, FGI, RSEN, FOUO, ORCON, ORCON-USGOV, IMCON, NOFORN, PROPIN, REL TO, RELIDO, EYES ONLY, DSEN, FISA, DISPLAY ONLY, WNINTEL, NOCONTRACT, LIMDIS, EXDIS, NODIS, SBU, SBU NOFORN, LES, LES NOFORN, SSI, LIMITED OFFICIAL USE, ADMINISTRATIVE - INTERNAL USE ONLY, CUI, CUI CATEGORY, FEDCON, NOCON, DL ONLY",
            "11:16: error: `text`: invalid regex `ab(c`: unclosed group at character 3 of the pattern",
            "12:26: error: `exact` expects a whole number ≥ 0; found two",
            "13:20: error: `from`: `2007-13-01` is not a date; write YYYY-MM-DD, e.g. 2007-05-02",
            "14:26: error: `origin`: unknown origin `nowhere`; expected one of: explicit, inherited, none, unknown",
            "16:13: error: `codes`: `B10` is not in the code set `foia` (did you mean `B1`?); cite a code of the set, `derived` (B1 and the document's 1.4 reasons) or `review` (withheld for a reviewer), or add the code under `extra_codes`",
            "17:13: error: `action`: unknown action `relase` (did you mean `release`?); expected one of: release, withhold",
            "18:37: error: `builtin`: unknown builtin matcher `adressee-names` (did you mean `addressee-names`?); expected one of: addressee-names",
            "19:11: error: `when` expects a mapping with keys part, level, controls, origin, paragraph, tags, post, date, subject, text, declassification_passed; found a list",
            "20:12: error: `codes` has no value; expected an exemption code of the code set (B1…B9, B7(A)…, `derived`, `review`) or a list of them",
            "24:3: error: duplicate key `action` in `default` (first at line 22, column 3)",
        ]
    );
}

#[test]
fn missing_keys_are_reported_at_their_mapping() {
    assert_eq!(
        problems("name: x\nversion: 1\nrules:\n  - name: r\n    when: {}\n"),
        [
            "1:1: error: `policy` is missing required key `description`",
            "1:1: error: `policy` is missing required key `default`",
            "4:5: error: `rules` is missing required key `action`",
        ]
    );
    assert_eq!(
        problems("- a list\n"),
        [
            "1:1: error: a policy is a YAML mapping with `name`, `description`, `version`, `rules` and `default`; found a list"
        ]
    );
}

#[test]
fn stage_two_problems() {
    let yaml = "name: t
description: d
version: 1
header:
  tags: {action: redact}
  eo:
    action: keep
    redact: [{codes: [B6], terms: [x]}]
  routing: {action: strip, codes: [B5]}
rules:
  - name: a
    action: release
    codes: [B6]
    declassify: {authority: One}
  - name: a
    action: withhold
    redact: [{codes: [B6], terms: [x]}]
    declassify: {authority: Two}
  - name: c
    action: withhold
  - name: d
    action: release
    redact: [{codes: [B6]}]
  - name: e
    action: release
    redact: [{codes: [B6], terms: ['  ']}]
default: {action: withhold, codes: []}
";
    let all = problems(yaml).join("\n");
    for expected in [
        "5:9: error: header `tags`: `redact` needs `codes`, e.g. {action: redact, codes: [B6]}",
        "7:5: error: header `eo`: spans can be redacted only in `addressees` and `refs`",
        "9:12: error: header `routing`: `codes` apply only to `action: redact`, not `strip`",
        "13:12: error: rule: `codes` apply to `action: withhold`; a release redacts with `redact` entries, each with its own codes",
        "15:5: error: duplicate rule name `a` (also rule 1); explanations name rules, so names must differ",
        "17:14: error: rule: `redact` applies to `action: release`; a withheld portion is withheld whole",
        "18:17: error: `declassify` applies only to `action: release`",
        "18:17: error: declassification authority `Two` differs from `One` in rule 1; a release names one authority",
        "20:13: error: rule: `withhold` needs `codes`, e.g. [B6] or [derived] (B1 and the document's 1.4 reasons)",
        "23:14: error: `redact` entry needs `terms`, `regex` or `builtin` to find what to redact",
        "26:14: error: `redact` entry: `terms` lists no term",
        "16:13: error: rule: `withhold` needs `codes`, e.g. [B6] or [derived] (B1 and the document's 1.4 reasons)",
        "27:36: error: default: `withhold` needs at least one exemption code",
    ] {
        assert!(all.contains(expected), "missing:\n{expected}\nin:\n{all}");
    }
}

#[test]
fn warnings_for_dead_rules_and_unsafe_choices() {
    let yaml = with_rules(
        "  - name: classified
    when: {level: {at_least: C}}
    action: withhold
    codes: derived
  - name: secret
    when: {level: {exact: S}, text: x}
    action: withhold
    codes: [B1]
  - name: impossible
    when: {level: {at_least: S, at_most: C}}
    action: withhold
    codes: [B1]
  - name: unmarked
    when: {origin: none}
    action: release",
        "{action: release}",
    );
    assert_eq!(
        problems(&yaml),
        [
            "9:5: warning: rule 2 `secret` is shadowed by rule 1 `classified`, which comes first and matches everything it matches",
            "13:5: warning: rule 3 `impossible` can never match: its level conditions admit no level",
            "17:5: warning: rule 4 `unmarked` releases portions whose marking is missing (origin none); a reviewer must have read them",
            "20:19: warning: default is `release`: any portion no rule covers is released; a withhold default is safer",
        ]
    );
}

#[test]
fn refusals() {
    let source = |text: String| PolicySource::new("x.yaml", text);
    // 10,000 levels of block sequences on one line, of flow mappings, of flow lists; and
    // 300 levels of indented mappings. Refused on a 2 MiB thread, the smallest a worker
    // gets, with the place where the limit was crossed.
    let deep = [
        format!("{}x\n", "- ".repeat(10_000)),
        format!("a: {}x{}\n", "{a: ".repeat(10_000), "}".repeat(10_000)),
        format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
        (0..300).map(|i| format!("{}a:\n", " ".repeat(i))).collect(),
    ];
    let refused = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            deep.into_iter()
                .map(|text| match Policy::load(&source(text)) {
                    Err(PolicyError::TooDeep {
                        line,
                        column,
                        limit,
                        ..
                    }) => (line, column, limit),
                    other => panic!("{other:?}"),
                })
                .collect::<Vec<_>>()
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(
        refused,
        [(1, 33, 16), (1, 64, 16), (1, 20, 16), (17, 17, 16)]
    );
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g"])
    {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let e = Policy::load(&source(bomb)).unwrap_err();
    assert!(matches!(e, PolicyError::Expansion { .. }), "{e:?}");
    assert!(e.to_string().contains("alias bomb"), "{e}");
    let big = format!("name: x\n#{}\n", "x".repeat(MAX_BYTES));
    assert!(matches!(
        Policy::load(&source(big)),
        Err(PolicyError::TooLarge { .. })
    ));
}

#[test]
fn the_schema_in_the_module_doc_is_a_valid_policy() {
    let doc = include_str!("mod.rs");
    let yaml: String = doc
        .lines()
        .skip_while(|l| *l != "//! ```yaml")
        .skip(1)
        .take_while(|l| *l != "//! ```")
        .map(|l| {
            format!(
                "{}\n",
                l.trim_start_matches("//!").strip_prefix(' ').unwrap_or("")
            )
        })
        .collect();
    assert!(yaml.contains("declassification_passed"), "{yaml}");
    let (p, warnings) = load(&yaml);
    assert_eq!(p.rule_names(), ["example", "privacy", "liaison"]);
    // The example names every origin while releasing: the one warning it deserves.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .message
            .contains("releases portions whose marking is missing")
    );
}

#[test]
fn a_rule_refs_text_is_its_display() {
    let refs = [
        RuleRef::Rule {
            index: 0,
            name: "release-unclassified".into(),
        },
        RuleRef::Rule {
            index: usize::MAX - 1,
            name: "a name with `backticks` and ünïcode".into(),
        },
        RuleRef::Rule {
            index: 41,
            name: String::new(),
        },
        RuleRef::Default,
        RuleRef::FailClosed,
        RuleRef::Reviewer {
            name: "J. Smith".into(),
            reason: "reviewed".into(),
        },
    ];
    for r in &refs {
        assert_eq!(r.text(), r.to_string(), "{r:?}");
    }
}
