//! Reviewer decisions (`--decisions`) over a fixture cable: every kind of decision applied
//! (text, manifest and exemption log checked), stale decisions refused and left to the
//! policy, a release above the target without authority refused, a malformed file reported
//! at line:column, and `--require-approval`.

use crate::common;

use declass::decisions::{self, DecisionsFile, Review, digest_text};
use declass::document::Date;
use declass::job::{self, Format, JobError, Produced};
use declass::parse;
use declass::policy::{Context, Policy};

const CABLE: &str = "tests/fixtures/cables/09BERN351.txt";

fn input() -> Vec<u8> {
    common::read(CABLE)
}

/// One decision for paragraph `n` of the cable as parsed now: its line and text digest.
fn about(n: u32, body: &str) -> String {
    let doc = parse::parse(&input(), Some("09BERN351.txt")).unwrap();
    let p = doc.paragraphs.iter().find(|p| p.number == Some(n)).unwrap();
    format!(
        "      - portion: {n}\n        line: {}\n        text_sha256: {}\n{body}",
        p.lines.first,
        digest_text(&p.text)
    )
}

fn file_with(decisions: &[String]) -> String {
    format!(
        "version: 1\ndocuments:\n  - path: cables/09BERN351.txt\n    sha256: {}\n    decisions:\n{}",
        declass::release::digest::sha256_hex(&input()),
        decisions.concat()
    )
}

const WHO: &str = "        reviewer: alice\n        date: 2026-01-02\n";

fn load(text: &str, policy: &Policy) -> DecisionsFile {
    decisions::load("decisions.yaml", text, policy.code_set()).unwrap_or_else(|e| panic!("{e}"))
}

fn release(
    bytes: &[u8],
    file: &DecisionsFile,
    require_approval: bool,
) -> Result<Produced, JobError> {
    release_under(&Policy::default_policy(), bytes, file, require_approval)
}

fn release_under(
    policy: &Policy,
    bytes: &[u8],
    file: &DecisionsFile,
    require_approval: bool,
) -> Result<Produced, JobError> {
    let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
    let mut job = common::job(policy, &ctx, Format::Json);
    job.review = Some(Review {
        file,
        name: "decisions.yaml",
        require_approval,
    });
    job::produce(bytes, "cables/09BERN351.txt", &job)
}

fn paragraph_json(p: &Produced, n: u64) -> serde_json::Value {
    let m: serde_json::Value = serde_json::from_str(&p.manifest).unwrap();
    m["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["number"] == n)
        .unwrap()
        .clone()
}

fn text_of(p: &Produced) -> String {
    let v: serde_json::Value = serde_json::from_slice(&p.bytes).unwrap();
    v["release"].as_str().unwrap().to_string()
}

#[test]
fn every_kind_of_decision_is_applied_and_named_in_manifest_and_log() {
    let policy = Policy::default_policy();
    let yaml = file_with(&[
        // ¶2 (SBU), released by the policy: two spans redacted, by offsets and by text.
        about(
            2,
            &format!(
                "        action: redact\n        spans:\n          - {{ start: 0, end: 4 }}\n          - text: Hannibal Gaddafi\n        codes: [b6]\n{WHO}        reason: names of private persons\n        approvals:\n          - {{ reviewer: bob, date: 2026-01-03 }}\n"
            ),
        ),
        // ¶3 (C), withheld by the policy: released under the originator's authority.
        about(
            3,
            &format!(
                "        action: release\n{WHO}        reason: originator declassified it\n        authority: Department of State, A/GIS/IPS\n"
            ),
        ),
        // ¶5 (U), released by the policy: withheld whole.
        about(
            5,
            &format!(
                "        action: withhold\n        codes: [B6]\n{WHO}        reason: identifies a person\n"
            ),
        ),
    ]);
    let file = load(&yaml, &policy);
    let out = release(&input(), &file, false).unwrap_or_else(|e| panic!("{e}"));
    let text = text_of(&out);
    assert!(!text.contains("Hannibal Gaddafi"), "{text}");
    assert!(!text.contains("Merz's public"), "{text}");
    assert!(text.contains("public apology"), "{text}");
    assert!(!text.contains("Minimize considered"), "{text}");
    assert!(
        text.contains("Declassified by: Department of State, A/GIS/IPS"),
        "{text}"
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);

    let p2 = paragraph_json(&out, 2);
    assert_eq!(p2["decided_by"], "reviewer");
    assert_eq!(p2["reviewer"], "alice");
    assert_eq!(p2["action"], "release");
    assert_eq!(p2["redactions"], 3);
    let p3 = paragraph_json(&out, 3);
    assert_eq!(
        (p3["action"].as_str(), p3["decided_by"].as_str()),
        (Some("release"), Some("reviewer"))
    );
    let p5 = paragraph_json(&out, 5);
    assert_eq!(p5["action"], "withhold");
    assert_eq!(p5["codes"], serde_json::json!(["B6"]));
    let p1 = paragraph_json(&out, 1);
    assert!(
        p1.get("decided_by").is_none(),
        "the policy decided ¶1: {p1}"
    );

    let row = out.log.rows.iter().find(|r| r.portion == "¶5").unwrap();
    assert_eq!(row.rule, "reviewer alice");
    assert_eq!(row.codes, ["B6"]);
    assert_eq!(row.justification, "identifies a person");
}

#[test]
fn a_reviewer_redaction_inside_a_policy_redaction_narrows_nothing() {
    // The shipped FOIA policy, but releasing unclassified paragraphs with a name redacted.
    let text = include_str!("../policies/foia-release.yaml").replace(
        "    # Released as is.\n    action: release\n",
        "    action: release\n    redact:\n      - codes: [B6]\n        terms: [Hannibal Gaddafi]\n",
    );
    assert!(
        text.contains("terms: [Hannibal Gaddafi]"),
        "the policy was edited"
    );
    let (policy, _) =
        Policy::load(&declass::policy::PolicySource::new("redacting.yaml", text)).unwrap();
    let plain = release_under(&policy, &input(), &DecisionsFile::default(), false).unwrap();
    assert!(
        !text_of(&plain).contains("Hannibal"),
        "the policy redacts the name"
    );

    // The reviewer redacts only the surname, with another code: the first name stays
    // redacted, and the overlapping spans carry both codes.
    let surname = format!(
        "        action: redact\n        spans:\n          - text: Gaddafi\n        codes: [B7(C)]\n{WHO}        reason: the surname\n"
    );
    let file = load(&file_with(&[about(2, &surname)]), &policy);
    let out = release_under(&policy, &input(), &file, false).unwrap();
    let released = text_of(&out);
    assert!(!released.contains("Hannibal"), "{released}");
    assert!(!released.contains("Gaddafi"), "{released}");
    assert!(released.contains("[B6, B7(C)]"), "{released}");
    assert_eq!(paragraph_json(&out, 2)["decided_by"], "reviewer");
}

#[test]
fn a_stale_decision_is_reported_and_the_policy_decides() {
    let policy = Policy::default_policy();
    let withhold =
        format!("        action: withhold\n        codes: [B6]\n{WHO}        reason: r\n");
    let file = load(&file_with(&[about(5, &withhold)]), &policy);
    // The document was edited after the decision: none of its decisions apply.
    let edited = String::from_utf8(input())
        .unwrap()
        .replace("Minimize considered", "Minimize reconsidered")
        .into_bytes();
    let out = release(&edited, &file, false).unwrap();
    assert!(text_of(&out).contains("Minimize reconsidered"));
    assert!(paragraph_json(&out, 5).get("decided_by").is_none());
    let w = out.warnings.join("\n");
    assert!(w.starts_with("decisions.yaml:"), "{w}");
    assert!(w.contains("¶5") && w.contains("changed"), "{w}");

    // Same document, but the decision recorded other text for the portion.
    let wrong = file_with(&[about(5, &withhold)]).replace(
        &digest_text("Minimize considered."),
        &digest_text("something else"),
    );
    assert_ne!(
        wrong,
        file_with(&[about(5, &withhold)]),
        "the digest was replaced"
    );
    let out = release(&input(), &load(&wrong, &policy), false).unwrap();
    assert!(text_of(&out).contains("Minimize considered"));
    assert!(
        out.warnings.join("\n").contains("text changed"),
        "{:?}",
        out.warnings
    );
}

#[test]
fn a_release_above_the_target_without_authority_is_refused() {
    let policy = Policy::default_policy();
    let release_3 = format!("        action: release\n{WHO}        reason: looks harmless\n");
    let out = release(
        &input(),
        &load(&file_with(&[about(3, &release_3)]), &policy),
        false,
    )
    .unwrap();
    let p3 = paragraph_json(&out, 3);
    assert_eq!(p3["action"], "withhold");
    assert!(p3.get("decided_by").is_none());
    let w = out.warnings.join("\n");
    assert!(
        w.contains("¶3") && w.contains("without a declassification `authority`"),
        "{w}"
    );
    assert!(!text_of(&out).contains("Declassified by"));
}

#[test]
fn unknown_keys_and_bad_values_are_all_reported_with_line_and_column() {
    let policy = Policy::default_policy();
    let text = "version: 1\ndocuments:\n  - path: a.txt\n    sha256: 1234\n    decisions:\n      - portion: 2\n        line: 5\n        text_sha256: \"00000000000000000000000000000000000000000000000000000000000000ab\"\n        actoin: withhold\n        codes: [B99]\n        reviewer: alice\n        date: 2026-13-01\n        reason: r\n";
    let err = decisions::load("d.yaml", text, policy.code_set()).unwrap_err();
    let lines: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    let all = lines.join("\n");
    assert!(
        all.contains("d.yaml:4:13: error: `sha256` must be a SHA-256"),
        "{all}"
    );
    assert!(
        all.contains("d.yaml:9:9: error: unknown key `actoin`"),
        "{all}"
    );
    assert!(
        all.contains("d.yaml:10:17: error: `B99` is not in the code set"),
        "{all}"
    );
    assert!(
        all.contains("d.yaml:12:15: error: `date` must be a date"),
        "{all}"
    );
}

#[test]
fn the_cli_reports_a_bad_decisions_file_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d.yaml");
    std::fs::write(
        &d,
        "version: 1\ndocuments:\n  - path: x.txt\n    sha256: 00\n    colour: red\n",
    )
    .unwrap();
    let out = common::declass(&[
        "release",
        CABLE,
        "--decisions",
        d.to_str().unwrap(),
        "-o",
        dir.path().join("out.txt").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    assert!(
        err.contains("d.yaml:5:5: error: unknown key `colour`"),
        "{err}"
    );
    assert!(!dir.path().join("out.txt").exists());
}

#[test]
fn require_approval_refuses_unapproved_decisions_and_lists_them() {
    let policy = Policy::default_policy();
    let withhold = |approvals: &str| {
        format!(
            "        action: withhold\n        codes: [B6]\n{WHO}        reason: r\n{approvals}"
        )
    };
    let unapproved = load(&file_with(&[about(5, &withhold(""))]), &policy);
    match release(&input(), &unapproved, true) {
        Err(JobError::Unapproved(p)) => assert_eq!(p, ["¶5"]),
        other => panic!("expected a refusal, got {:?}", other.map(|p| p.warnings)),
    }
    // Approving one's own decision is no second review.
    let own = "        approvals:\n          - { reviewer: alice, date: 2026-01-02 }\n";
    let own = load(&file_with(&[about(5, &withhold(own))]), &policy);
    assert!(matches!(
        release(&input(), &own, true),
        Err(JobError::Unapproved(_))
    ));
    let bob = "        approvals:\n          - { reviewer: bob, date: 2026-01-03 }\n";
    let approved = load(&file_with(&[about(5, &withhold(bob))]), &policy);
    let out = release(&input(), &approved, true).unwrap();
    assert_eq!(paragraph_json(&out, 5)["action"], "withhold");
    // Without the flag an unapproved decision applies.
    let out = release(&input(), &unapproved, false).unwrap();
    assert_eq!(paragraph_json(&out, 5)["decided_by"], "reviewer");
}

#[test]
fn the_written_file_reads_back_to_the_same_decisions() {
    let policy = Policy::default_policy();
    let yaml = file_with(&[
        about(
            2,
            &format!(
                "        action: redact\n        spans:\n          - {{ start: 0, end: 4 }}\n          - text: \"a \\\"quoted\\\" name: here\"\n        codes: [B6]\n{WHO}        reason: \"line one\\nline two #not a comment\"\n        approvals:\n          - {{ reviewer: bob, date: 2026-01-03 }}\n"
            ),
        ),
        about(
            3,
            &format!("        action: release\n{WHO}        reason: r\n        authority: State\n"),
        ),
    ]);
    let file = load(&yaml, &policy);
    let again = load(&decisions::to_yaml(&file), &policy);
    let strip = |f: &DecisionsFile| {
        let mut f = f.clone();
        for d in &mut f.documents {
            d.at = (0, 0);
            for p in &mut d.portions {
                p.at = (0, 0);
            }
        }
        f
    };
    assert_eq!(strip(&again), strip(&file));
}
