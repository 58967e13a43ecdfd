//! CLI contract tests for `declass audit` and `declass explain`: arguments in; stdout,
//! stderr and exit code out. Exit 0: no finding at or above `--fail-on`; 1: some; 2: the
//! audit could not run (bad arguments, bad config, missing input).

use std::process::Command;

use crate::common;
use common::{declass, declass_env_in, root};

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/audit")
        .join(name)
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const AS_OF: [&str; 2] = ["--as-of", "2026-01-01"];

#[test]
fn exit_codes_follow_fail_on() {
    let clean = fixture("clean-cable.txt");
    let warning = fixture("DCL011-banner-above-portions.txt");
    let error = fixture("DCL001-unmarked-paragraph.txt");
    let code = |args: &[&str]| {
        let mut all = vec!["audit"];
        all.extend(AS_OF);
        all.extend(args);
        declass(&all).status.code()
    };
    assert_eq!(code(&[&clean]), Some(0));
    assert_eq!(
        code(&[&warning]),
        Some(0),
        "a warning is below the default error"
    );
    assert_eq!(code(&["--fail-on", "warning", &warning]), Some(1));
    assert_eq!(code(&[&error]), Some(1));
    assert_eq!(code(&["--fail-on", "never", &error]), Some(0));
    // Info findings fail only at --fail-on info.
    let info = fixture("DCL043-declassification-due.txt");
    assert_eq!(code(&["--fail-on", "warning", &info]), Some(0));
    assert_eq!(code(&["--fail-on", "info", &info]), Some(1));
}

#[test]
fn bad_arguments_exit_2() {
    let clean = fixture("clean-cable.txt");
    for args in [
        vec!["audit", "--as-of", "2026-1-1", &clean],
        vec!["audit", "--fail-on", "sometimes", &clean],
        vec!["audit", "--format", "xml", &clean],
    ] {
        let out = declass(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_missing_input_stops_the_audit_before_any_file() {
    let error = fixture("DCL001-unmarked-paragraph.txt");
    let out = declass(&[
        "audit",
        "--as-of",
        "2026-01-01",
        "--format",
        "jsonl",
        "no/such/file.txt",
        &error,
    ]);
    // A missing path is the one rule of every command: the job asked for cannot run, so
    // nothing is audited (docs/cli.md).
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "declass: no/such/file.txt: no such file or directory\n"
    );
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn a_file_that_is_not_text_fails_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), b"\x00\x01binary").unwrap();
    std::fs::copy(fixture("clean-cable.txt"), dir.path().join("b.txt")).unwrap();
    let out = declass_env_in(dir.path(), &["audit", "--as-of", "2026-01-01", "."], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("a.txt: binary data"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("No findings in 1 file, 1 file could not be read."));
}

#[test]
fn config_found_upward_sets_severities_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("cables/drafts");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(
        fixture("DCL001-unmarked-paragraph.txt"),
        dir.path().join("cables/a.txt"),
    )
    .unwrap();
    std::fs::copy(fixture("DCL001-unmarked-paragraph.txt"), sub.join("b.txt")).unwrap();
    std::fs::write(
        dir.path().join(".declass.yaml"),
        "rules:\n  unmarked-paragraph: warning\n  DCL043: off\nexclude: [cables/drafts]\n",
    )
    .unwrap();
    let out = declass_env_in(
        &dir.path().join("cables"),
        &["audit", "--as-of", "2026-01-01", "--format", "jsonl", "."],
        &[],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("\"severity\":\"warning\""), "{stdout}");
    assert!(!stdout.contains("b.txt"), "excluded file audited: {stdout}");
    assert!(stdout.contains("\"files\":1"), "{stdout}");
}

#[test]
fn bad_config_exits_2_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("audit.yaml");
    std::fs::write(&config, "rules:\n  DCL004: loud\nincludes: [x]\n").unwrap();
    let out = declass(&[
        "audit",
        "--config",
        config.to_str().unwrap(),
        &fixture("clean-cable.txt"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("audit.yaml:3:1: unknown field `includes`"),
        "{stderr}"
    );
    std::fs::write(&config, "rules:\n  DCL004: loud\n  DCL999: off\n").unwrap();
    let out = declass(&[
        "audit",
        "--config",
        config.to_str().unwrap(),
        &fixture("clean-cable.txt"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("audit.yaml:2:11: invalid setting `loud`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("audit.yaml:3:3: unknown rule `DCL999`"),
        "{stderr}"
    );
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let file = fixture("DCL001-unmarked-paragraph.txt");
    let always = declass(&["audit", "--color", "always", &file]);
    assert!(text(&always.stdout).contains("\x1b["));
    let never = declass(&["audit", "--color", "never", &file]);
    assert!(!text(&never.stdout).contains("\x1b["));
    let no_color = declass_env_in(root(), &["audit", &file], &[("NO_COLOR", "1")]);
    assert!(!text(&no_color.stdout).contains("\x1b["));
    // Not a terminal: auto stays plain too.
    assert!(!text(&declass(&["audit", &file]).stdout).contains("\x1b["));
}

#[test]
fn explain_prints_the_registry() {
    let out = declass(&["explain", "DCL010"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("DCL010 banner-below-portion (error)"),
        "{stdout}"
    );
    assert!(stdout.contains("Example:"), "{stdout}");
    let by_name = declass(&["explain", "banner-below-portion"]);
    assert_eq!(text(&by_name.stdout), stdout);
    let list = text(&declass(&["explain", "--list"]).stdout);
    for code in declass::diagnostic::Code::ALL {
        assert!(list.contains(code.id()), "{} not listed", code.id());
    }
    let unknown = declass(&["explain", "DCL999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("unknown code `DCL999`"));
}

#[test]
fn stdin_is_audited() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_declass"))
        .args(["audit", "--as-of", "2026-01-01", "--format", "jsonl", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let input = std::fs::read(fixture("DCL001-unmarked-paragraph.txt")).unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("\"path\":\"<stdin>\""));
}
