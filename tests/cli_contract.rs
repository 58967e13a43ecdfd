//! The command-line contract, command by command: for a missing path, an unreadable file,
//! a binary file and an invalid policy, the exact exit code (docs/cli.md: 0 done, 1 some
//! files failed / findings / leak, 2 could not run, a missing path included) and a message
//! that names the file exactly once. Then completions for every shell and the man page.

use crate::common;

use common::{declass_in, stderr, stdout};
use std::path::Path;
use std::process::Output;

const AS_OF: &str = "2026-01-01";

/// A plain document every command can read.
const DOC: &str = "UNCLASSIFIED\n\n1. (U) A paragraph anyone may read.\n";

/// A policy with a missing key and an unknown one: invalid, two problems at least.
const BAD_POLICY: &str = "name: broken\nbogus: 1\n";

/// A readable file whose read fails: the kernel refuses to read a process's memory at
/// address 0 with EIO, whoever runs the test (root ignores file permissions, not this).
const UNREADABLE: &str = "/proc/self/mem";

const MISSING: &str = "no/such/doc.txt";
const BINARY: &str = "binary.txt";
const MISSING_MESSAGE: &str = "declass: no/such/doc.txt: no such file or directory\n";
const UNREADABLE_MESSAGE: &str = "declass: /proc/self/mem: Input/output error\n";
const BINARY_MESSAGE: &str =
    "declass: binary.txt: binary data (control byte at offset 0): not a text document\n";

/// A directory holding `doc.txt`, `binary.txt`, `bad.yaml` and `doc.release.txt` (the
/// release of `doc.txt`, for `verify`). `binary.txt` is not UTF-8 from its fourth byte.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("doc.txt"), DOC).unwrap();
    std::fs::write(p.join(BINARY), b"\x00\x01\x02\xff not text").unwrap();
    std::fs::write(p.join("bad.yaml"), BAD_POLICY).unwrap();
    let o = run(
        p,
        &[
            "release",
            "--as-of",
            AS_OF,
            "doc.txt",
            "-o",
            "doc.release.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    declass_in(dir, args)
}

/// Each command with a document argument, as argument lists around one `{}` (the
/// document under test).
const COMMANDS: &[&[&str]] = &[
    &["parse", "{}"],
    &["parse", "--format", "json", "{}"],
    &["audit", "--as-of", AS_OF, "{}"],
    &["release", "--as-of", AS_OF, "{}"],
    &[
        "release", "--as-of", AS_OF, "--format", "pdf", "{}", "-o", "out.pdf",
    ],
    &["preview", "--as-of", AS_OF, "{}"],
    &[
        "preview",
        "--as-of",
        AS_OF,
        "--compare",
        "foia-release",
        "public-web",
        "{}",
    ],
    &["policy", "explain", "--as-of", AS_OF, "{}"],
    &["verify", "--as-of", AS_OF, "{}", "--source", "doc.txt"],
    &[
        "verify",
        "--as-of",
        AS_OF,
        "doc.release.txt",
        "--source",
        "{}",
    ],
];

fn with(command: &[&str], doc: &'static str) -> Vec<&'static str> {
    command
        .iter()
        .map(|a| if *a == "{}" { doc } else { a })
        .map(|a| -> &'static str { Box::leak(a.to_string().into_boxed_str()) })
        .collect()
}

/// Runs every command on `doc` and checks its exit code and its whole stderr.
fn every_command(doc: &'static str, code: i32, message: &str, binary_release_is_fine: bool) {
    let dir = workspace();
    for command in COMMANDS {
        let args = with(command, doc);
        let o = run(dir.path(), &args);
        // `verify` reads a release as an attacker would, whatever its bytes: a binary
        // release is read and searched, not refused as a document would be.
        if binary_release_is_fine && args[0] == "verify" && args[3] == doc {
            assert_ne!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
            assert!(!stderr(&o).contains("binary data"), "{args:?}");
            continue;
        }
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        let expected = if args[0] == "verify" && args.last() == Some(&doc) && doc == BINARY {
            message.replace("binary.txt: ", "binary.txt: source: ")
        } else {
            message.to_string()
        };
        assert_eq!(err, expected, "{args:?}");
        assert_eq!(err.matches(doc).count(), 1, "{args:?} names the file once");
    }
}

#[test]
fn a_missing_path_exits_2_for_every_command() {
    every_command(MISSING, 2, MISSING_MESSAGE, false);
}

#[test]
fn a_missing_path_among_others_still_exits_2_and_nothing_is_done() {
    let dir = workspace();
    for command in [
        &["parse", "doc.txt", MISSING][..],
        &["audit", "--as-of", AS_OF, "doc.txt", MISSING],
        &["policy", "explain", "--as-of", AS_OF, "doc.txt", MISSING],
        &[
            "release",
            "--as-of",
            AS_OF,
            "--out-dir",
            "out",
            "doc.txt",
            MISSING,
        ],
        &[
            "preview",
            "--as-of",
            AS_OF,
            "--compare",
            "foia-release",
            "public-web",
            "doc.txt",
            MISSING,
        ],
    ] {
        let o = run(dir.path(), command);
        assert_eq!(o.status.code(), Some(2), "{command:?}");
        assert_eq!(stderr(&o), MISSING_MESSAGE, "{command:?}");
        assert_eq!(stdout(&o), "", "{command:?}: nothing done");
    }
    assert!(!dir.path().join("out").exists(), "no release written");
}

#[test]
fn an_unreadable_file_exits_1_for_every_command() {
    every_command(UNREADABLE, 1, UNREADABLE_MESSAGE, false);
}

#[test]
fn a_binary_file_exits_1_for_every_command() {
    every_command(BINARY, 1, BINARY_MESSAGE, true);
}

#[test]
fn a_failed_file_among_others_exits_1_and_the_others_are_done() {
    let dir = workspace();
    let o = run(dir.path(), &["parse", "doc.txt", BINARY]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), BINARY_MESSAGE);
    assert!(stdout(&o).starts_with("doc.txt\n"), "{}", stdout(&o));
}

#[test]
fn an_invalid_policy_exits_2_for_every_command_that_takes_one() {
    let dir = workspace();
    let last = "declass: policy bad.yaml is invalid; nothing done\n";
    for command in [
        &["release", "--policy", "bad.yaml", "doc.txt"][..],
        &["preview", "--policy", "bad.yaml", "doc.txt"],
        &["preview", "--compare", "bad.yaml", "public-web", "doc.txt"],
        &["policy", "explain", "--policy", "bad.yaml", "doc.txt"],
        &[
            "verify",
            "--policy",
            "bad.yaml",
            "doc.release.txt",
            "--source",
            "doc.txt",
        ],
    ] {
        let o = run(dir.path(), command);
        assert_eq!(o.status.code(), Some(2), "{command:?}");
        let err = stderr(&o);
        assert!(err.ends_with(last), "{command:?}: {err}");
        // Every problem is located as file:line:column.
        for line in err.lines().filter(|l| !l.starts_with("declass:")) {
            assert!(line.starts_with("bad.yaml:"), "{command:?}: {line}");
            assert!(line.contains(": error: "), "{command:?}: {line}");
        }
        assert_eq!(stdout(&o), "", "{command:?}: nothing done");
    }
    let o = run(dir.path(), &["policy", "check", "bad.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).ends_with("bad.yaml: invalid: 4 errors, 0 warnings\n"));
}

#[test]
fn policy_check_on_a_missing_unreadable_or_binary_file_exits_2() {
    let dir = workspace();
    for (file, message) in [
        (MISSING, MISSING_MESSAGE.to_string()),
        (UNREADABLE, UNREADABLE_MESSAGE.to_string()),
        (
            BINARY,
            "declass: binary.txt: not UTF-8 text (invalid byte at offset 3)\n".to_string(),
        ),
    ] {
        let o = run(dir.path(), &["policy", "check", file]);
        assert_eq!(o.status.code(), Some(2), "{file}");
        assert_eq!(stderr(&o), message, "{file}");
    }
}

#[test]
fn explain_an_unknown_code_exits_2_and_a_known_one_0() {
    let dir = workspace();
    let o = run(dir.path(), &["explain", "NOPE"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "declass: error: unknown code `NOPE`; `declass explain --list` lists the codes\n"
    );
    let o = run(dir.path(), &["explain", "DCL001"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("DCL001 "));
}

#[test]
fn quiet_keeps_errors_and_drops_notes() {
    let dir = workspace();
    let args = [
        "preview",
        "--as-of",
        AS_OF,
        "doc.txt",
        "--html",
        "review.html",
    ];
    let loud = run(dir.path(), &args);
    assert_eq!(loud.status.code(), Some(0));
    assert!(stderr(&loud).contains("review copy"), "{}", stderr(&loud));
    let quiet = run(
        dir.path(),
        &["--quiet"].iter().chain(&args).copied().collect::<Vec<_>>(),
    );
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(stderr(&quiet), "");
    let o = run(dir.path(), &["-q", "parse", BINARY]);
    assert_eq!(stderr(&o), BINARY_MESSAGE, "errors are never quieted");
}

#[test]
fn color_is_one_global_setting() {
    let dir = workspace();
    let audit = |extra: &[&str]| {
        let mut args = vec!["audit", "--as-of", AS_OF, "--fail-on", "never"];
        args.extend_from_slice(extra);
        args.push("doc.txt");
        stdout(&run(dir.path(), &args))
    };
    let never = audit(&["--color", "never"]);
    assert!(!never.contains('\x1b'));
    // Before or after the subcommand, for audit and preview alike.
    let o = run(
        dir.path(),
        &["--color", "always", "preview", "--as-of", AS_OF, "doc.txt"],
    );
    assert!(stdout(&o).contains('\x1b'), "{}", stdout(&o));
    let o = run(
        dir.path(),
        &["preview", "--as-of", AS_OF, "doc.txt", "--color", "never"],
    );
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn completions_for_every_shell_and_the_man_page() {
    let dir = workspace();
    for (shell, marker) in [
        ("bash", "complete -F _declass"),
        ("zsh", "#compdef declass"),
        ("fish", "complete -c declass"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = run(dir.path(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        assert!(script.contains(marker), "{shell}");
        for command in ["release", "audit", "fail-on", "as-of", "quiet"] {
            assert!(script.contains(command), "{shell} completes {command}");
        }
    }
    let o = run(dir.path(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(dir.path(), &["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.contains(".TH declass 1"), "{page}");
    assert!(page.contains("Exit status:"));
    for command in [
        "declass\\-release(1)",
        "declass\\-audit(1)",
        "declass\\-completions(1)",
    ] {
        assert!(page.contains(command), "the man page lists {command}");
    }
}

/// `review` serves a web app, so only what stops it before it starts is run here: a
/// missing path and an invalid policy exit 2 with the message every command gives, and
/// nothing is written.
#[test]
fn review_refuses_a_missing_path_and_an_invalid_policy_with_2() {
    let dir = workspace();
    let o = run(
        dir.path(),
        &["review", "--decisions", "d.json", "--as-of", AS_OF, MISSING],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stderr(&o), MISSING_MESSAGE);
    let o = run(
        dir.path(),
        &[
            "review",
            "--decisions",
            "d.json",
            "--policy",
            "bad.yaml",
            "doc.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).ends_with("declass: policy bad.yaml is invalid; nothing done\n"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("d.json").exists(), "nothing written");
}

/// A SECRET cable: a portion above its UNCLASSIFIED banner (audit findings), and a
/// withheld paragraph whose words `verify` must not find in a release.
const FINDINGS_DOC: &str = "UNCLASSIFIED\n\n1. (S) A secret paragraph about Karl Brandt.\n";
const SECRET_DOC: &str = "SECRET\n\nClassified By: John Doe, Director\nReason: 1.4(b)\n\
    Declassify On: 20301231\n\n1. (S) A secret paragraph about Karl Brandt.\n\n2. (U) An open one.\n";

#[test]
fn findings_exit_1_and_a_clean_run_0_for_every_command_that_judges() {
    let dir = workspace();
    let p = dir.path();
    std::fs::write(p.join("findings.txt"), FINDINGS_DOC).unwrap();
    std::fs::write(p.join("secret.txt"), SECRET_DOC).unwrap();

    // audit: findings at or above --fail-on are a 1, named by file:line:col on stdout.
    let o = run(p, &["audit", "--as-of", AS_OF, "doc.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(p, &["audit", "--as-of", AS_OF, "findings.txt"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("findings.txt:3:4: DCL083 error: "),
        "{}",
        stdout(&o)
    );
    assert_eq!(stderr(&o), "");
    let o = run(
        p,
        &[
            "audit",
            "--as-of",
            AS_OF,
            "--fail-on",
            "never",
            "findings.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // verify: a clean release is a 0; withheld words found in a release are a 1.
    let o = run(
        p,
        &[
            "release",
            "--as-of",
            AS_OF,
            "secret.txt",
            "-o",
            "secret.out.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let release = std::fs::read_to_string(p.join("secret.out.txt")).unwrap();
    assert!(!release.contains("Brandt"), "{release}");
    let verify = |file: &str| {
        run(
            p,
            &["verify", "--as-of", AS_OF, file, "--source", "secret.txt"],
        )
    };
    let o = verify("secret.out.txt");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    std::fs::write(
        p.join("leaky.txt"),
        format!("{release}\n1. A secret paragraph about Karl Brandt.\n"),
    )
    .unwrap();
    let o = verify("leaky.txt");
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        all.contains("leaky.txt: LEAK: withheld material found: ¶1"),
        "{all}"
    );
    assert!(
        !all.contains("Brandt"),
        "the report names no withheld text: {all}"
    );

    // policy check: a valid policy is a 0 (an invalid one is a 2, above).
    let o = run(p, &["policy", "check", "builtin:foia-release"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("builtin:foia-release: ok: "));

    // Decisions that differ between two policies are a report, not a finding.
    let o = run(
        p,
        &[
            "preview",
            "--as-of",
            AS_OF,
            "--compare",
            "foia-release",
            "public-web",
            "secret.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// The other files a command reads besides its documents: audit's config, and the
/// reviewers' decisions file of release and preview. Invalid, missing, unreadable or
/// binary, each is a 2 with the file named once, and nothing is done.
#[test]
fn a_bad_config_or_decisions_file_exits_2_naming_it() {
    let dir = workspace();
    let p = dir.path();
    let config = |file: &str| run(p, &["audit", "--as-of", AS_OF, "--config", file, "doc.txt"]);
    for (file, message) in [
        (
            "bad.yaml",
            "declass: error: bad.yaml:1:1: unknown field `name`, expected one of rules, include, exclude, fail-on\n",
        ),
        (
            MISSING,
            "declass: error: no/such/doc.txt: no such file or directory\n",
        ),
        (
            UNREADABLE,
            "declass: error: /proc/self/mem: Input/output error\n",
        ),
        (
            BINARY,
            "declass: error: binary.txt: stream did not contain valid UTF-8\n",
        ),
    ] {
        let o = config(file);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        assert_eq!(stderr(&o), message, "{file}");
        assert_eq!(stdout(&o), "", "{file}: nothing done");
    }
    for command in [
        &["release", "--as-of", AS_OF, "--out-dir", "out"][..],
        &["preview", "--as-of", AS_OF],
    ] {
        let with_decisions = |file: &str| {
            let mut args = command.to_vec();
            args.extend_from_slice(&["--decisions", file, "doc.txt"]);
            run(p, &args)
        };
        let o = with_decisions("bad.yaml");
        assert_eq!(o.status.code(), Some(2), "{command:?}");
        let err = stderr(&o);
        assert!(
            err.ends_with("declass: decisions file bad.yaml is invalid; nothing done\n"),
            "{command:?}: {err}"
        );
        for line in err.lines().filter(|l| !l.starts_with("declass:")) {
            assert!(line.starts_with("bad.yaml:"), "{command:?}: {line}");
        }
        for (file, message) in [
            (
                MISSING,
                "declass: error: no/such/doc.txt: no such file or directory\n",
            ),
            (BINARY, "declass: error: binary.txt: not UTF-8 (byte 3)\n"),
        ] {
            let o = with_decisions(file);
            assert_eq!(o.status.code(), Some(2), "{command:?} {file}");
            assert_eq!(stderr(&o), message, "{command:?} {file}");
            assert_eq!(stdout(&o), "", "{command:?} {file}: nothing done");
        }
    }
    assert!(!p.join("out").exists(), "no release written");
}
