//! Releases that hold up (issue 18): lawful exemption codes from a code set, never B1 on
//! unclassified text, the exemption log, withdrawal notices and referrals. Fixtures are in
//! `tests/fixtures/exemptions/` (see its README).

use serde_json::Value;

use crate::common;
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

// ───────────────────────────── the exemption log ─────────────────────────────

/// Releases `inputs` into a temporary directory with `--log <name>` and a manifest;
/// returns the log's text and the manifests, one per input.
fn release_with_log(inputs: &[&str], policy: &str, log: &str) -> (String, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join(log);
    let manifest = dir.path().join("manifest.json");
    let out = dir.path().join("out");
    let mut args = vec!["release"];
    args.extend_from_slice(inputs);
    let (log_s, man_s, out_s) = (
        log_path.to_str().unwrap().to_string(),
        manifest.to_str().unwrap().to_string(),
        out.to_str().unwrap().to_string(),
    );
    args.extend_from_slice(&[
        "--policy",
        policy,
        "--as-of",
        "2026-01-01",
        "--out-dir",
        &out_s,
        "--manifest",
        &man_s,
        "--log",
        &log_s,
        "--no-sync",
    ]);
    let o = declass(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m: Value = serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    let manifests = match m["documents"].as_array() {
        Some(docs) => docs.clone(),
        None => vec![m],
    };
    (std::fs::read_to_string(&log_path).unwrap(), manifests)
}

const BATCH: [&str; 4] = [
    "samples/07PRAGUE486.txt",
    "tests/fixtures/exemptions/09EFTOTRIPOLI704.txt",
    "tests/fixtures/exemptions/10LONDON21.txt",
    "tests/fixtures/exemptions/fouo-memo.txt",
];

#[test]
fn log_rows_match_manifest_decisions_one_to_one() {
    for policy in ["foia-release", "public-web", "declassify-expired"] {
        let (log, manifests) = release_with_log(&BATCH, policy, "log.json");
        let log: Value = serde_json::from_str(&log).unwrap();
        let docs = log["documents"].as_array().unwrap();
        assert_eq!(docs.len(), manifests.len(), "{policy}");
        for (doc, m) in docs.iter().zip(&manifests) {
            assert_eq!(doc["document"], m["input"]["path"]);
            assert_eq!(doc["stamp"], m["stamp"]);
            // The manifest's portions that were withheld or redacted, in order.
            let decided: Vec<(String, Value, String)> = m["subject"]
                .as_object()
                .map(|_| &m["subject"])
                .into_iter()
                .chain(m["paragraphs"].as_array().unwrap())
                .filter(|p| p["action"] == "withhold" || p["redactions"] != 0)
                .map(|p| {
                    let action = if p["action"] == "withhold" {
                        "withheld"
                    } else {
                        "redacted"
                    };
                    (
                        action.to_string(),
                        p["codes"].clone(),
                        p["rule"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let rows: Vec<(String, Value, String)> = doc["rows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["action"] != "header")
                .map(|r| {
                    let action = r["action"].as_str().unwrap().to_string();
                    (
                        action,
                        r["codes"].clone(),
                        r["rule"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let sorted = |v: &Value| {
                let mut c: Vec<String> = v
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.to_string())
                    .collect();
                c.sort();
                c
            };
            assert_eq!(rows.len(), decided.len(), "{policy} {}", doc["document"]);
            for (r, d) in rows.iter().zip(&decided) {
                assert_eq!(
                    (&r.0, sorted(&r.1), &r.2),
                    (&d.0, sorted(&d.1), &d.2),
                    "{policy}"
                );
            }
        }
    }
}

#[test]
fn the_log_holds_no_withheld_words() {
    let withheld = common::read_text("tests/fixtures/release/07PRAGUE486.withheld.txt");
    for name in ["log.csv", "log.json", "log.html"] {
        let (log, _) = release_with_log(&BATCH[..1], "foia-release", name);
        assert!(log.contains("withhold-classified"), "{name}");
        for line in withheld.lines().filter(|l| !l.trim().is_empty()) {
            // Any run of four words of a withheld sentence would be a leak.
            let words: Vec<&str> = line.split_whitespace().collect();
            for run in words.windows(4.min(words.len())) {
                let run = run.join(" ");
                assert!(!log.contains(&run), "{name} holds withheld words `{run}`");
            }
        }
    }
}

#[test]
fn the_html_log_is_a_vaughn_index() {
    let (html, _) = release_with_log(&BATCH, "foia-release", "index.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script") && !html.contains("http"));
    // One table per document that withholds something; a line for those that do not.
    assert_eq!(html.matches("<section class=\"doc\">").count(), 4);
    assert!(html.contains("Nothing withheld."));
    assert!(html.contains("<table class=\"totals\">"));
    assert!(html.contains("classified national security information (E.O. 13526)"));
    assert!(html.contains("¶1</td>"));
}

#[test]
fn a_log_with_an_unknown_extension_or_over_an_input_is_refused() {
    let o = declass(&[
        "release",
        BATCH[0],
        "--log",
        "/tmp/declass-log.txt",
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(".csv, .json or .html"),
        "{}",
        stderr(&o)
    );
    let o = declass(&[
        "release",
        BATCH[0],
        "--log",
        BATCH[0],
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

// ───────────────────────────── withdrawal notice ─────────────────────────────

#[test]
fn a_document_denied_in_full_is_released_as_a_withdrawal_notice() {
    let base = [
        "release",
        "samples/07PRAGUE486.txt",
        "--policy",
        "public-web",
        "--as-of",
        "2026-01-01",
        "--doc",
        "C0001",
    ];
    let o = declass(&base);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("UNCLASSIFIED"), "{text}");
    assert!(text.contains("DENIED IN FULL B1, 1.4(B), 1.4(D), REVIEW REQUIRED"));
    for line in [
        "WITHDRAWAL NOTICE",
        "Document:     C0001",
        "Date:        2007-05-03",
        "Originator:   (not released)",
        "Subject:      (withheld: B1, 1.4(B), 1.4(D))",
        "Pages:        1",
        "Restrictions: B1, 1.4(B), 1.4(D), REVIEW REQUIRED",
    ] {
        assert!(
            text.contains(line.replace("Date:        ", "Date:         ").as_str()),
            "{line}\n{text}"
        );
    }
    // One page, no placeholders, nothing of the document's text.
    assert!(text.lines().count() < 20, "{text}");
    assert!(!text.contains("[B1"), "{text}");
    assert!(!text.to_uppercase().contains("MISSILE DEFENSE"), "{text}");
    // The same as a PDF.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("notice.pdf");
    let mut args = base.to_vec();
    args.extend_from_slice(&["--format", "pdf", "-o", pdf.to_str().unwrap()]);
    let o = declass(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let extracted = declass::render::pdf::extract(&std::fs::read(&pdf).unwrap()).unwrap();
    let pdf_text = extracted.text();
    assert!(pdf_text.contains("WITHDRAWAL NOTICE"), "{pdf_text}");
    assert!(pdf_text.contains("C0001"), "{pdf_text}");
    assert!(!pdf_text.to_uppercase().contains("MISSILE DEFENSE"));
}

#[test]
fn a_notice_shows_what_the_policy_releases_of_the_header() {
    // Every portion withheld under B5, the header kept: the notice names the originator
    // and the addressee from the routing block.
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("deny-all.yaml");
    std::fs::write(
        &policy,
        "name: deny-all\ndescription: d\nversion: 1\nrules:\n  - {when: {origin: [explicit, inherited, none, unknown]}, action: withhold, codes: [B5]}\ndefault: {action: withhold, codes: [review]}\n",
    )
    .unwrap();
    let o = declass(&[
        "release",
        "samples/07PRAGUE486.txt",
        "--policy",
        policy.to_str().unwrap(),
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("WITHDRAWAL NOTICE"), "{text}");
    assert!(text.contains("Originator:   AMEMBASSY PRAGUE"), "{text}");
    assert!(text.contains("Addressee:    SECSTATE WASHDC"), "{text}");
    assert!(text.contains("Subject:      (withheld: B5)"), "{text}");
    assert!(text.contains("Restrictions: B5"), "{text}");
}

// ───────────────────────────── referrals ─────────────────────────────

#[test]
fn referred_portions_are_withheld_with_refer_to_and_logged() {
    let (log, manifests) = release_with_log(
        &["tests/fixtures/exemptions/referral-cable.txt"],
        "tests/fixtures/exemptions/referrals.yaml",
        "log.csv",
    );
    let m = &manifests[0];
    assert_eq!(
        m["stamp"],
        "RELEASE IN PART B1, 1.4(B), 1.4(D), REFER TO CIA, REFER TO EUR"
    );
    let paragraphs = m["paragraphs"].as_array().unwrap();
    assert_eq!(
        paragraphs[1]["codes"],
        serde_json::json!(["B1", "1.4(B)", "1.4(D)", "REFER TO CIA"])
    );
    assert_eq!(paragraphs[2]["codes"], serde_json::json!(["REFER TO EUR"]));
    let rows: Vec<&str> = log.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{log}");
    assert!(rows[0].contains(",¶2,22,S//OC,withheld,\"B1, 1.4(B), 1.4(D), REFER TO CIA\",rule 1 `refer-orcon`,Originator-controlled"), "{log}");
    assert!(
        rows[1].contains(",¶3,25,C//FGI,withheld,REFER TO EUR,rule 2 `refer-fgi-by-origin`,"),
        "{log}"
    );
    // Withheld text stays out of the log.
    assert!(!log.contains("travel plans") && !log.contains("in confidence"));
}

#[test]
fn refer_to_belongs_to_withhold_rules() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.yaml");
    std::fs::write(
        &policy,
        "name: p\ndescription: d\nversion: 1\nrules:\n  - {when: {controls: {any_of: [FGI]}}, action: release, refer_to: DOD}\ndefault: {action: withhold, codes: [review]}\n",
    )
    .unwrap();
    let o = declass(&["policy", "check", policy.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains(":5:68: error: rule: `refer_to` applies to `action: withhold`"),
        "{}",
        stdout(&o)
    );
}

// ───────────────────────────── consistency across a batch ─────────────────────────────

const QUOTED: [&str; 2] = [
    "tests/fixtures/exemptions/quoted-a.txt",
    "tests/fixtures/exemptions/quoted-b.txt",
];

/// Releases the quoted pair with `--consistency mode`: stderr and the manifests.
fn quoted_pair(mode: &str) -> (String, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.json");
    let out = dir.path().join("out");
    let o = declass(&[
        "release",
        QUOTED[0],
        QUOTED[1],
        "--as-of",
        "2026-01-01",
        "--out-dir",
        out.to_str().unwrap(),
        "--manifest",
        manifest.to_str().unwrap(),
        "--consistency",
        mode,
        "--no-sync",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m: Value = serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    (stderr(&o), m["documents"].as_array().unwrap().clone())
}

#[test]
fn a_quoted_withheld_paragraph_gets_the_same_decision_and_one_report_line() {
    let (err, docs) = quoted_pair("strict");
    let pairs: Vec<&str> = err.lines().filter(|l| l.contains(" and ")).collect();
    assert_eq!(pairs.len(), 1, "{err}");
    assert!(pairs[0].starts_with(&format!(
        "declass: consistency: {} ¶2 withheld (B1, 1.4(B), 1.4(D)) and {} ¶2 released: the same text",
        QUOTED[0], QUOTED[1]
    )), "{err}");
    let a = &docs[0]["paragraphs"][1];
    let b = &docs[1]["paragraphs"][1];
    assert_eq!(a["action"], "withhold");
    assert_eq!(b["action"], "withhold");
    // B's copy is unclassified: withheld for review, never as B1.
    assert_eq!(b["codes"], serde_json::json!(["REVIEW REQUIRED"]));
    assert!(
        b["consistency"].as_str().unwrap().contains("withheld in"),
        "{b}"
    );
    assert!(
        a["consistency"].as_str().unwrap().contains("released in"),
        "{a}"
    );
    // Nothing else changed.
    assert_eq!(docs[1]["paragraphs"][0]["action"], "release");
    assert_eq!(docs[1]["paragraphs"][2]["action"], "release");
}

#[test]
fn report_mode_only_reports_and_off_is_silent() {
    let (err, docs) = quoted_pair("report");
    assert_eq!(
        err.lines().filter(|l| l.contains("reported only")).count(),
        1,
        "{err}"
    );
    let b = &docs[1]["paragraphs"][1];
    assert_eq!(b["action"], "release");
    assert!(
        b["consistency"].as_str().unwrap().contains("reported only"),
        "{b}"
    );
    let (err, docs) = quoted_pair("off");
    assert!(err.is_empty(), "{err}");
    assert_eq!(docs[1]["paragraphs"][1]["action"], "release");
    assert!(docs[1]["paragraphs"][1].get("consistency").is_none());
}

#[test]
fn standard_input_in_a_batch_is_released_whole_and_the_pass_skipped() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(common::root())
        .args([
            "release",
            "-",
            QUOTED[1],
            "--as-of",
            "2026-01-01",
            "--no-sync",
            "--out-dir",
        ])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&common::read(QUOTED[0]))
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("consistency: skipped: standard input"),
        "{}",
        stderr(&o)
    );
    // The document read from standard input was released from its real content.
    let text = std::fs::read_to_string(out.join("stdin.release.txt")).unwrap();
    assert!(
        text.contains("PRAGUE 000201") && text.contains("The Embassy will follow up"),
        "{text}"
    );
}

/// A memo prints its declassification date in the authority block at the end, not on a
/// cable's E.O. line: declassify-expired must read it there. Under foia-release the same
/// classified paragraphs stay withheld.
#[test]
fn declassify_expired_reads_a_memo_authority_block() {
    let v = release_json("cab-memo.txt", "declassify-expired");
    let text = v["release"].as_str().unwrap();
    assert!(text.contains("old quarry"), "{text}");
    assert!(text.contains("depot at the river"), "{text}");
    assert_eq!(v["manifest"]["summary"]["withheld"], 0);
    let v = release_json("cab-memo.txt", "foia-release");
    let text = v["release"].as_str().unwrap();
    assert!(!text.contains("old quarry"), "{text}");
    assert!(!text.contains("depot at the river"), "{text}");
}

#[test]
fn a_paragraphs_codes_are_listed_in_the_documented_order_not_first_use() {
    // ¶2 of the FOUO memo names "Contractors" (B6) before "visitor badge" (B3).
    let out = release_json("fouo-memo.txt", &fixture("code-order.yaml"));
    let para = out["manifest"]["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["redactions"].as_u64() == Some(2))
        .expect("the paragraph with both redactions");
    assert_eq!(para["codes"], serde_json::json!(["B3", "B6"]), "{para}");
    let text = out["release"].as_str().unwrap();
    assert!(
        !text.contains("Contractors") && !text.contains("visitor badge"),
        "{text}"
    );
}
