//! Releases that hold up (issue 18): lawful exemption codes from a code set, never B1 on
//! unclassified text, the exemption log, withdrawal notices and referrals. Fixtures are in
//! `tests/fixtures/exemptions/` (see its README).

use serde_json::Value;

mod common;
use common::{declass, stderr, stdout};

const DIR: &str = "tests/fixtures/exemptions";

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// The release of one fixture under `policy` as JSON (text and manifest).
fn release_json(name: &str, policy: &str) -> Value {
    let o = declass(&[
        "release",
        &fixture(name),
        "--policy",
        policy,
        "--as-of",
        "2026-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("JSON release")
}

/// Every code any portion of a manifest cites.
fn cited(manifest: &Value) -> Vec<String> {
    let portions = manifest["paragraphs"].as_array().unwrap().iter().chain(
        manifest["subject"]
            .as_object()
            .map(|_| &manifest["subject"]),
    );
    portions
        .flat_map(|p| p["codes"].as_array().unwrap().clone())
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

// ───────────────────────────── lawful codes ─────────────────────────────

#[test]
fn sbu_noforn_cables_are_released_never_b1() {
    for policy in ["foia-release", "declassify-expired"] {
        let v = release_json("09EFTOTRIPOLI704.txt", policy);
        let m = &v["manifest"];
        assert_eq!(m["stamp"], "RELEASE IN FULL", "{policy}");
        assert_eq!(m["summary"]["withheld"], 0, "{policy}");
        let v = release_json("10LONDON21.txt", policy);
        assert!(v["manifest"]["summary"]["paragraphs"].as_u64().unwrap() >= 7);
        assert_eq!(v["manifest"]["summary"]["withheld"], 0, "{policy}");
        assert!(!v["release"].as_str().unwrap().contains("B1"));
    }
}

#[test]
fn sbu_noforn_withheld_by_a_restrictive_policy_is_review_not_b1() {
    for policy in ["public-web", "internal-sbu"] {
        let v = release_json("09EFTOTRIPOLI704.txt", policy);
        let m = &v["manifest"];
        assert_eq!(m["summary"]["released"], 0, "{policy}");
        let codes = cited(m);
        assert!(!codes.is_empty(), "{policy}");
        assert!(
            codes.iter().all(|c| c == "REVIEW REQUIRED"),
            "{policy}: {codes:?}"
        );
        assert!(!m["stamp"].as_str().unwrap().contains("B1"), "{policy}");
    }
}

#[test]
fn a_fouo_memo_is_released() {
    let v = release_json("fouo-memo.txt", "foia-release");
    let m = &v["manifest"];
    assert_eq!(m["summary"]["withheld"], 0);
    assert_eq!(m["stamp"], "RELEASE IN FULL");
    assert!(cited(m).is_empty());
    assert!(
        v["release"]
            .as_str()
            .unwrap()
            .contains("visitor badge request")
    );
}

#[test]
fn derived_on_unclassified_portions_is_rejected_at_check_time() {
    let path = fixture("derived-on-unclassified.yaml");
    let o = declass(&["policy", "check", &path]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "{path}:12:12: error: rule 1 `withhold-noforn` cites `derived` (B1)"
        )),
        "{out}"
    );
    assert!(first.contains("does not restrict `level` to C and above"));
    // The same policy cannot be used for a release either.
    let o = declass(&[
        "release",
        &fixture("09EFTOTRIPOLI704.txt"),
        "--policy",
        &path,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
}

#[test]
fn codes_outside_the_code_set_are_rejected() {
    let path = fixture("code-outside-the-set.yaml");
    let o = declass(&["policy", "check", &path]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "{path}:11:17: error: `codes`: `B10` is not in the code set `foia`"
        )),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!("{path}:11:22: error: `codes`: `B7` is not in"))
            && lines[1].contains("B7(A), B7(B)"),
        "{out}"
    );
}

#[test]
fn an_agency_code_set_file_replaces_the_shipped_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("agency-codes.yaml"),
        "name: agency\ndescription: d\nversion: 1\ncodes:\n  - {code: B6, summary: privacy}\n  - {code: AG-1, summary: agency code}\n",
    )
    .unwrap();
    let policy = dir.path().join("p.yaml");
    std::fs::write(
        &policy,
        "name: p\ndescription: d\nversion: 1\ncode_set: agency-codes.yaml\nrules:\n  - {when: {paragraph: {exact: 1}}, action: withhold, codes: [AG-1]}\ndefault: {action: withhold, codes: [B1]}\n",
    )
    .unwrap();
    let o = declass(&["policy", "check", policy.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains(":7:37: error: `codes`: `B1` is not in the code set `agency`"),
        "{out}"
    );
}
