//! CLI contract tests for `declass policy check|explain|list`: arguments in; stdout,
//! stderr and exit code out. Policies under test live in `tests/fixtures/policies/`; the
//! expected `explain` output of the seed cable is `tests/snapshots/policy_explain_seed.txt`.

use std::path::Path;
use std::process::Output;

use crate::common;
use common::{declass, stderr, stdout};

const SEED: &str = "samples/07PRAGUE486.txt";
const FIXTURES: &str = "tests/fixtures/policies";

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// `policy check` on one fixture: the exit code and every line but the summary.
fn check(name: &str) -> (i32, Vec<String>) {
    let o = declass(&["policy", "check", &fixture(name)]);
    let out = stdout(&o);
    let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
    let summary = lines.pop().expect("a summary line");
    assert!(summary.starts_with(&fixture(name)), "{summary}");
    (o.status.code().unwrap(), lines)
}

// ───────────────────────────── check ─────────────────────────────

#[test]
fn check_accepts_the_shipped_policies_and_a_policy_using_every_key() {
    let o = declass(&[
        "policy",
        "check",
        "policies/foia-release.yaml",
        "policies/declassify-expired.yaml",
        "policies/public-web.yaml",
        "policies/internal-sbu.yaml",
        "builtin:foia-release",
        &fixture("valid-every-key.yaml"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 6, "{out}");
    for line in out.lines() {
        assert!(line.contains(": ok: `"), "{line}");
        assert!(line.contains(", 0 warnings, sha256 "), "{line}");
    }
    assert!(out.contains("valid-every-key.yaml: ok: `every-key`, 4 rules, 0 warnings"));
}

#[test]
fn check_reports_warnings_with_exit_zero() {
    let (code, lines) = check("warnings.yaml");
    assert_eq!(code, 0);
    let f = fixture("warnings.yaml");
    assert_eq!(
        lines,
        [
            format!(
                "{f}:9:5: warning: rule 2 `secret` is shadowed by rule 1 `classified`, which comes first and matches everything it matches"
            ),
            format!(
                "{f}:13:5: warning: rule 3 `impossible` can never match: its control conditions contradict each other"
            ),
            format!(
                "{f}:17:5: warning: rule 4 `unmarked` releases portions whose marking is missing (origin none); a reviewer must have read them"
            ),
            format!(
                "{f}:21:11: warning: default is `release`: any portion no rule covers is released; a withhold default is safer"
            ),
        ]
    );
}

#[test]
fn check_reports_unknown_keys_with_suggestions() {
    let (code, lines) = check("unknown-keys.yaml");
    assert_eq!(code, 2);
    let f = fixture("unknown-keys.yaml");
    assert_eq!(
        lines,
        [
            format!(
                "{f}:2:1: error: unknown key `descripton` in `policy` (did you mean `description`?); expected one of: name, description, version, code_set, extra_codes, release, header, rules, default"
            ),
            format!(
                "{f}:6:5: error: unknown key `wehn` in `rules` (did you mean `when`?); expected one of: name, when, action, codes, redact, declassify, refer_to, justification"
            ),
            format!(
                "{f}:9:5: error: unknown key `note` in `rules`; expected one of: name, when, action, codes, redact, declassify, refer_to, justification"
            ),
            format!(
                "{f}:10:42: error: unknown key `reason` in `default`; expected one of: action, codes, redact, justification"
            ),
        ]
    );
}

#[test]
fn check_reports_duplicate_keys() {
    let (code, lines) = check("duplicate-keys.yaml");
    assert_eq!(code, 2);
    let f = fixture("duplicate-keys.yaml");
    assert_eq!(
        lines,
        [
            format!("{f}:8:7: error: duplicate key `level` in `when` (first at line 7, column 7)"),
            format!(
                "{f}:14:3: error: duplicate key `codes` in `default` (first at line 13, column 3)"
            ),
        ]
    );
}

#[test]
fn check_reports_unknown_levels_controls_and_codes() {
    let (code, lines) = check("bad-values.yaml");
    assert_eq!(code, 2);
    let f = fixture("bad-values.yaml");
    let controls = "controls are SCI, SAP, AEA, FGI, RSEN, FOUO, ORCON, ORCON-USGOV, IMCON, NOFORN, PROPIN, REL TO, RELIDO, EYES ONLY, DSEN, FISA, DISPLAY ONLY, WNINTEL, NOCONTRACT, LIMDIS, EXDIS, NODIS, SBU, SBU NOFORN, LES, LES NOFORN, SSI, LIMITED OFFICIAL USE, ADMINISTRATIVE - INTERNAL USE ONLY, CUI, CUI CATEGORY, FEDCON, NOCON, DL ONLY";
    let codes = "cite a code of the set, `derived` (B1 and the document's 1.4 reasons) or `review` (withheld for a reviewer), or add the code under `extra_codes`";
    assert_eq!(
        lines,
        [
            format!(
                "{f}:5:11: error: `target`: unknown level `CONFIDENTAL` (did you mean `CONFIDENTIAL`?); levels are U, C, S, TS"
            ),
            format!(
                "{f}:9:27: error: `one_of`: `SBU` is a control, not a level; write `level: {{exact: U}}` with `controls: {{any_of: [SBU]}}`"
            ),
            format!(
                "{f}:10:28: error: `none_of`: unknown control `NOFRON` (did you mean `NOFORN`?); {controls}"
            ),
            format!(
                "{f}:10:43: error: `none_of`: unknown control `REL TOO` (did you mean `REL TO`?); {controls}"
            ),
            format!(
                "{f}:12:17: error: `codes`: `B7(G)` is not in the code set `foia` (did you mean `B7(A)`?); {codes}"
            ),
            format!(
                "{f}:12:34: error: `codes`: `B3 INAA` is not in the code set `foia` (did you mean `B3 INA`?); {codes}"
            ),
        ]
    );
}

#[test]
fn check_reports_invalid_regexes_at_the_error() {
    let (code, lines) = check("bad-regex.yaml");
    assert_eq!(code, 2);
    let f = fixture("bad-regex.yaml");
    assert_eq!(
        lines,
        [
            // `Pojar (said`: the unclosed group opens at character 7, column 20.
            format!(
                "{f}:7:20: error: `text`: invalid regex `Pojar (said`: unclosed group at character 7 of the pattern"
            ),
            // Double-quoted `"\\d{2,1}"`: the escape takes two columns for one character.
            format!(
                "{f}:8:20: error: `subject`: invalid regex `\\d{{2,1}}`: invalid repetition count range, the start must be <= the end at character 3 of the pattern"
            ),
            format!(
                "{f}:12:17: error: `regex`: invalid regex `[Name`: unclosed character class at character 1 of the pattern"
            ),
        ]
    );
}

#[test]
fn check_reports_yaml_syntax_errors() {
    let (code, lines) = check("syntax-error.yaml");
    assert_eq!(code, 2);
    assert_eq!(
        lines,
        [format!(
            "{}:2:14: error: YAML: unclosed quote",
            fixture("syntax-error.yaml")
        )]
    );
}

#[test]
fn check_refuses_an_alias_bomb_quickly() {
    let start = std::time::Instant::now();
    let o = declass(&["policy", "check", &fixture("alias-bomb.yaml")]);
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    assert_eq!(o.status.code(), Some(2));
    let f = fixture("alias-bomb.yaml");
    assert_eq!(
        stdout(&o),
        format!(
            "{f}:6:8: error: YAML aliases expand beyond the limit (an alias bomb?); refused\n{f}: refused: 1 error, 0 warnings\n"
        )
    );
}

#[test]
fn check_refuses_deep_nesting_and_oversized_files() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.yaml");
    std::fs::write(&deep, format!("rules:\n  {}x\n", "- ".repeat(10_000))).unwrap();
    let big = dir.path().join("big.yaml");
    std::fs::write(&big, format!("name: x\n#{}\n", "x".repeat(2 << 20))).unwrap();
    let o = declass(&[
        "policy",
        "check",
        deep.to_str().unwrap(),
        big.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let (deep, big) = (deep.display(), big.display());
    assert_eq!(
        stdout(&o),
        format!(
            "{deep}:2:33: error: YAML nested deeper than 16 levels; refused\n{deep}: refused: 1 error, 0 warnings\n\
             {big}:1:1: error: policy file is 2097162 bytes, over the 1048576-byte limit; refused\n{big}: refused: 1 error, 0 warnings\n"
        )
    );
}

#[test]
fn check_reports_a_missing_file_and_goes_on() {
    let o = declass(&[
        "policy",
        "check",
        "no/such.yaml",
        "policies/foia-release.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "declass: no/such.yaml: no such file or directory\n"
    );
    assert!(stdout(&o).starts_with("policies/foia-release.yaml: ok"));
}

// ───────────────────────────── list ─────────────────────────────

#[test]
fn list_shows_the_shipped_policies() {
    let o = declass(&["policy", "list"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let names: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "foia-release",
            "declassify-expired",
            "public-web",
            "internal-sbu"
        ]
    );
    let first = out.lines().next().unwrap();
    assert!(first.ends_with("(default)"), "{first}");
    assert!(first.contains("U and SBU released"), "{first}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in &names {
        assert!(
            root.join(format!("policies/{name}.yaml")).exists(),
            "{name}"
        );
    }
}

// ───────────────────────────── explain ─────────────────────────────

#[test]
fn explain_the_seed_matches_the_snapshot() {
    let o = declass(&["policy", "explain", "--as-of", "2026-01-01", SEED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let snapshot =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/policy_explain_seed.txt");
    let actual = stdout(&o);
    if std::env::var_os("DECLASS_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap();
    assert!(
        actual == expected,
        "explain output differs from {}; rerun with DECLASS_UPDATE_SNAPSHOTS=1 after checking it\n--- actual\n{actual}",
        snapshot.display()
    );
    // What the snapshot says, asserted on its own so that a careless update shows.
    let withheld =
        |n: u32| format!("¶{n}        C            explicit  withhold  B1, 1.4(B), 1.4(D)\n");
    for n in [1, 4, 5, 6, 7, 8] {
        assert!(expected.contains(&withheld(n)), "¶{n}");
    }
    for n in [2, 3, 9] {
        assert!(
            expected.contains(&format!("¶{n}        U//SBU       explicit  release\n")),
            "¶{n}"
        );
    }
    assert!(expected.contains("stamp     RELEASE IN PART B1, 1.4(B), 1.4(D), B6\n"));
}

#[test]
fn explain_with_the_default_is_explain_with_foia_release() {
    let a = declass(&["policy", "explain", "--as-of", "2026-01-01", SEED]);
    let b = declass(&[
        "policy",
        "explain",
        "--policy",
        "foia-release",
        "--as-of",
        "2026-01-01",
        SEED,
    ]);
    let c = declass(&[
        "policy",
        "explain",
        "--policy",
        "policies/foia-release.yaml",
        "--as-of",
        "2026-01-01",
        SEED,
    ]);
    assert_eq!(stdout(&a), stdout(&b));
    // Only the source named in the first line differs when the file is given.
    let skip_first = |o: &Output| stdout(o).lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(skip_first(&a), skip_first(&c));
    assert!(stdout(&c).starts_with("policy    foia-release (policies/foia-release.yaml)\n"));
}

#[test]
fn explain_the_seed_with_declassify_expired() {
    let o = declass(&[
        "policy",
        "explain",
        "--policy",
        "declassify-expired",
        "--as-of",
        "2026-01-01",
        SEED,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for n in [1, 4, 5, 6, 7, 8] {
        assert!(
            out.contains(&format!(
                "¶{n}        C            explicit  release (declassified)\n"
            )),
            "¶{n}\n{out}"
        );
    }
    for n in [2, 3, 9] {
        assert!(out.contains(&format!("¶{n}        U//SBU       explicit  release\n")));
    }
    assert!(out.contains("DECL 2017-05-02 is before 2026-01-01"));
    assert!(out.contains(
        "declass   Declassified by the original classifier's Declassify On date (E.O. 13526, sec. 1.5) on 2026-01-01 (policy)\n"
    ), "{out}");
    // --authority names the reviewer instead.
    let o = declass(&[
        "policy",
        "explain",
        "--policy",
        "declassify-expired",
        "--as-of",
        "2026-01-01",
        "--authority",
        "Jane Roe, Senior Reviewer",
        SEED,
    ]);
    let out = stdout(&o);
    assert!(out.contains("authority Jane Roe, Senior Reviewer\n"));
    assert!(out.contains(
        "declass   Declassified by Jane Roe, Senior Reviewer on 2026-01-01 (--authority)\n"
    ));
    // Before the DECL date the classified paragraphs stay withheld.
    let o = declass(&[
        "policy",
        "explain",
        "--policy",
        "declassify-expired",
        "--as-of",
        "2017-05-01",
        SEED,
    ]);
    let out = stdout(&o);
    assert_eq!(
        out.matches("withhold  B1, 1.4(B), 1.4(D)").count(),
        7,
        "{out}"
    );
    assert!(!out.contains("declass   "));
}

#[test]
fn explain_the_seed_with_public_web_releases_nothing() {
    let o = declass(&[
        "policy",
        "explain",
        "--policy",
        "public-web",
        "--as-of",
        "2026-01-01",
        SEED,
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let portions: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with('¶') || l.starts_with("subject "))
        .collect();
    assert_eq!(portions.len(), 10);
    assert!(portions.iter().all(|l| l.contains(" withhold  ")), "{out}");
    assert!(out.contains("routing strip;"));
    assert!(out.contains("addressees strip;"));
    assert!(out.contains("stamp     DENIED IN FULL B1, 1.4(B), 1.4(D), REVIEW REQUIRED\n"));
}

#[test]
fn explain_with_an_invalid_policy_exits_2_with_every_problem() {
    let o = declass(&[
        "policy",
        "explain",
        "--policy",
        &fixture("unknown-keys.yaml"),
        "--as-of",
        "2026-01-01",
        SEED,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 5, "{err}");
    assert!(err.ends_with(
        "declass: policy tests/fixtures/policies/unknown-keys.yaml is invalid; nothing done\n"
    ));
}

#[test]
fn explain_prints_policy_warnings_on_stderr() {
    let o = declass(&[
        "policy",
        "explain",
        "--policy",
        &fixture("warnings.yaml"),
        "--as-of",
        "2026-01-01",
        SEED,
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o).lines().count(), 4);
    // The fail-closed rule holds even under a policy that releases by default.
    assert!(stdout(&o).contains("subject   -            none      withhold  B1, 1.4(B), 1.4(D)\n"));
}

#[test]
fn bad_as_of_unknown_policy_and_missing_document_are_usage_errors() {
    for bad in ["2026-1-1", "2026-02-30", "01/01/2026", "today"] {
        let o = declass(&["policy", "explain", "--as-of", bad, SEED]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&o).contains("expected a calendar date as YYYY-MM-DD, e.g. --as-of 2026-01-01"),
            "{}",
            stderr(&o)
        );
    }
    let o = declass(&["policy", "explain", "--policy", "foia-relase", SEED]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "declass: error: foia-relase: no such policy file, nor a shipped policy (shipped: foia-release, declassify-expired, public-web, internal-sbu)\n"
    );
    let o = declass(&["policy", "explain", "--as-of", "2026-01-01", "no/such.txt"]);
    // A missing path exits 2 for every command (it was 1 here, 2 for audit and release).
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "declass: no/such.txt: no such file or directory\n"
    );
}

#[test]
fn explain_without_as_of_uses_today() {
    let o = declass(&["policy", "explain", SEED]);
    assert_eq!(o.status.code(), Some(0));
    let line = stdout(&o).lines().nth(2).unwrap().to_string();
    let date = line.strip_prefix("as of     ").expect("an as-of line");
    assert_eq!(date.len(), 10);
    assert!(
        date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
        "{date}"
    );
    assert!(date > "2025-01-01", "{date}");
}

#[test]
fn explain_shows_redactions_header_actions_and_the_authority() {
    let o = declass(&[
        "policy",
        "explain",
        "--policy",
        &fixture("valid-every-key.yaml"),
        "--as-of",
        "2026-01-01",
        SEED,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for expected in [
        "          rule 1 `subject-on-missiles`: part subject; origin none; subject matches /(?i)missile/\n",
        "          redact \"Tomas Pojar\" as B6\n",
        "routing redact as B2;",
        "          addressee \"EUR/NCE FOR ERIC FICHTE\": redact \"ERIC FICHTE\" as B6\n",
        "          ref \"REF: IIR 6 824 0072 07\": redact \"6 824 0072 07\" as B5\n",
        "withheld paragraphs lose their original mark\n",
        "declass   Declassified by Jane Roe, Senior Reviewer on 2026-01-01 (policy)\n",
        "stamp     RELEASED IN PART B2, B5, B6, B7(C), REVIEW REQUIRED\n",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

// ───────────────────────── banners, stamps, scale ─────────────────────────

/// `policy check` on a policy written to a temporary file: exit code, stdout.
fn check_text(text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.yaml");
    std::fs::write(&path, text).unwrap();
    let o = declass(&["policy", "check", path.to_str().unwrap()]);
    (o.status.code().unwrap(), stdout(&o))
}

const RULES: &str = "rules:\n  - {name: all, action: withhold, codes: [B5]}\ndefault: {action: withhold, codes: [B5]}\n";

#[test]
fn check_rejects_control_characters_in_banners_and_stamps() {
    for release in [
        "release:\n  banner: \"UNCLASSIFIED\\nRELEASE IN FULL\"\n",
        "release:\n  stamp: {part: \"RELEASE IN PART\\r\"}\n",
        "release:\n  stamp: {denied: \"DENIED\\tIN FULL\"}\n",
    ] {
        let text = format!("name: t\ndescription: d\nversion: 1\n{release}{RULES}");
        let (code, out) = check_text(&text);
        assert_eq!(code, 2, "{release}: {out}");
        assert!(out.contains("holds the control character U+00"), "{out}");
        assert!(out.contains("printed as one line of the release"), "{out}");
    }
}

#[test]
fn check_warns_when_the_target_is_above_the_banner() {
    let text = format!(
        "name: t\ndescription: d\nversion: 1\nrelease:\n  target: TS\n  banner: UNCLASSIFIED//FOR PUBLIC RELEASE\n{RULES}"
    );
    let (code, out) = check_text(&text);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(":6:11: warning: the banner `UNCLASSIFIED//FOR PUBLIC RELEASE` says U, below the release target TS"),
        "{out}"
    );
    // A banner at the target's level, or a target that defaults its banner: no warning.
    for release in [
        "release:\n  target: S\n  banner: SECRET//REL TO USA\n",
        "release:\n  target: C\n",
    ] {
        let text = format!("name: t\ndescription: d\nversion: 1\n{release}{RULES}");
        let (code, out) = check_text(&text);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains(", 0 warnings,"), "{release}: {out}");
    }
}

/// A policy of `n` short `text:` rules, under the file size limit up to 20,000.
fn many_rules(n: usize) -> String {
    let mut text = String::from("name: big\ndescription: d\nversion: 1\nrules:\n");
    for i in 0..n {
        text.push_str(&format!("- {{when: {{text: w{i}}}, action: release}}\n"));
    }
    text.push_str("default: {action: withhold, codes: [B5]}\n");
    text
}

#[test]
fn check_takes_the_rule_limit_and_refuses_one_more() {
    let limit = declass::policy::MAX_RULES;
    let (code, out) = check_text(&many_rules(limit));
    assert_eq!(code, 0, "{}", out.lines().last().unwrap_or(""));
    assert!(out.contains(&format!("{limit} rules, 0 warnings")), "{out}");
    let (code, out) = check_text(&many_rules(limit + 1));
    assert_eq!(code, 2);
    assert!(
        out.contains(&format!(
            "`rules` lists {} rules, over the limit of {limit}",
            limit + 1
        )),
        "{}",
        out.lines().next().unwrap_or("")
    );
}
