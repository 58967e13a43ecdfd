//! The bad-input matrix: every way a document, a policy, an argument or the file system can
//! be wrong, run through the built binary, each with the exact message and exit code it
//! must give. Exit 2 means the job could not run (arguments, policy, an output that is an
//! input); exit 1 means some input of the batch failed and the others went on. Every case
//! also checks that nothing partial was written.

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/07PRAGUE486.txt");

/// Runs `declass` in `dir`, so that messages name files as the user typed them.
fn declass(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run declass")
}

/// Runs `declass` as an unprivileged user when the tests run as root: root reads and writes
/// through any permission bits, so only an unprivileged process can meet a file it may not
/// read or a directory it may not write.
fn declass_unprivileged(dir: &Path, args: &[&str]) -> Output {
    if !privileged(dir) {
        return declass(dir, args);
    }
    // The build directory may not be open to other users: run a link (or copy) of the
    // binary from a directory that is.
    let bin_dir = tempfile::tempdir().unwrap();
    fs::set_permissions(bin_dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let exe = bin_dir.path().join("declass");
    let built = Path::new(env!("CARGO_BIN_EXE_declass"));
    if fs::hard_link(built, &exe).is_err() {
        fs::copy(built, &exe).unwrap();
    }
    fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).unwrap();
    Command::new(&exe)
        .current_dir(dir)
        .args(args)
        .uid(65534)
        .gid(65534)
        .output()
        .expect("run declass as nobody")
}

/// True when this process reads a file whose permission bits forbid it (root).
fn privileged(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    fs::write(&probe, "x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::read(&probe).is_ok();
    fs::remove_file(&probe).unwrap();
    readable
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed")
}

/// A temporary directory anyone may enter, holding the sample as `in.txt`.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::copy(SAMPLE, dir.path().join("in.txt")).unwrap();
    dir
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && !p.is_symlink() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

fn no_temporaries(dir: &Path) {
    let left: Vec<String> = tree(dir)
        .into_iter()
        .filter(|f| f.contains(".declass-tmp."))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// A one-document failure: exit 1, the message naming the file, nothing on stdout, and
/// (with `-o`) no output file.
fn assert_refused(dir: &Path, file: &str, message: &str) {
    let o = declass(dir, &["release", file, "-o", "out.txt"]);
    assert_eq!(stderr(&o), format!("declass: {file}: {message}\n"));
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty());
    assert!(
        !dir.join("out.txt").exists(),
        "no output for a refused input"
    );
    no_temporaries(dir);
}

#[test]
fn an_empty_file_is_refused() {
    let dir = workdir();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    assert_refused(dir.path(), "empty.txt", "empty document: no text to parse");
    fs::write(dir.path().join("blank.txt"), " \n\t\r\n\n").unwrap();
    assert_refused(dir.path(), "blank.txt", "empty document: no text to parse");
}

#[test]
fn a_binary_file_is_refused() {
    let dir = workdir();
    fs::write(dir.path().join("nul.txt"), b"UNCLASSIFIED\n\0\x01\x02").unwrap();
    assert_refused(
        dir.path(),
        "nul.txt",
        "binary data (control byte at offset 13): not a text document",
    );
    // UTF-16 text is binary to a reader of cables: it is full of NUL bytes.
    let utf16: Vec<u8> = "UNCLASSIFIED\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fs::write(
        dir.path().join("utf16.txt"),
        [&[0xff, 0xfe][..], &utf16].concat(),
    )
    .unwrap();
    assert_refused(
        dir.path(),
        "utf16.txt",
        "binary data (control byte at offset 3): not a text document",
    );
}

#[test]
fn a_200_mb_single_line_is_refused_by_its_real_size() {
    use std::io::Write;
    let dir = workdir();
    let path = dir.path().join("huge.txt");
    let mut f = fs::File::create(&path).unwrap();
    f.write_all(b"UNCLASSIFIED\n1. (U) ").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..200 {
        f.write_all(&chunk).unwrap();
    }
    drop(f);
    let size = fs::metadata(&path).unwrap().len();
    let started = std::time::Instant::now();
    assert_refused(
        dir.path(),
        "huge.txt",
        &format!("document is {size} bytes, over the 33554432-byte limit for one document"),
    );
    assert!(
        started.elapsed().as_secs() < 10,
        "refused without reading it all"
    );
}

#[test]
fn invalid_utf8_is_read_as_latin1() {
    let dir = workdir();
    let mut text = fs::read(SAMPLE).unwrap();
    // `café` in Latin-1, and a byte sequence that is not UTF-8.
    text.extend_from_slice(b"\n\n9. (U) Caf\xe9 talk \xc3\x28 ended.\n");
    fs::write(dir.path().join("latin1.txt"), &text).unwrap();
    let o = declass(
        dir.path(),
        &["release", "latin1.txt", "--as-of", "2026-01-01"],
    );
    assert_eq!(stderr(&o), "");
    assert_eq!(code(&o), 0);
    let out = String::from_utf8(o.stdout).expect("the release is UTF-8");
    assert!(out.contains("9. (U) Café talk Ã( ended."), "{out}");
}

#[test]
fn crlf_lone_cr_and_bom_release_like_plain_lf() {
    let dir = workdir();
    let lf = fs::read_to_string(SAMPLE).unwrap();
    let variants = [
        ("crlf.txt", lf.replace('\n', "\r\n").into_bytes()),
        ("cr.txt", lf.replace('\n', "\r").into_bytes()),
        ("bom.txt", [&b"\xEF\xBB\xBF"[..], lf.as_bytes()].concat()),
        (
            "bom-crlf.txt",
            [&b"\xEF\xBB\xBF"[..], lf.replace('\n', "\r\n").as_bytes()].concat(),
        ),
    ];
    let plain = declass(dir.path(), &["release", "in.txt", "--as-of", "2026-01-01"]);
    assert_eq!(code(&plain), 0);
    for (name, bytes) in variants {
        fs::write(dir.path().join(name), bytes).unwrap();
        let o = declass(dir.path(), &["release", name, "--as-of", "2026-01-01"]);
        assert_eq!(stderr(&o), "", "{name}");
        assert_eq!(code(&o), 0, "{name}");
        assert!(
            o.stdout == plain.stdout,
            "{name} releases as the LF file does"
        );
    }
}

#[test]
fn a_symlink_loop_is_reported_and_the_rest_released() {
    let dir = workdir();
    let docs = dir.path().join("docs");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::copy(SAMPLE, docs.join("a.txt")).unwrap();
    fs::copy(SAMPLE, docs.join("sub/b.txt")).unwrap();
    std::os::unix::fs::symlink("..", docs.join("sub/back")).unwrap();
    let o = declass(dir.path(), &["release", "docs", "--out-dir", "out"]);
    assert_eq!(
        stderr(&o),
        "declass: docs/sub/back: directory already visited (symlink loop); skipped\n"
    );
    assert_eq!(code(&o), 1);
    assert_eq!(
        tree(&dir.path().join("out")),
        [
            "a.release.manifest.json",
            "a.release.txt",
            "sub/b.release.manifest.json",
            "sub/b.release.txt"
        ]
    );
}

#[test]
fn an_unreadable_file_is_named_and_the_rest_released() {
    let dir = workdir();
    let secret = dir.path().join("secret.txt");
    fs::copy(SAMPLE, &secret).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(dir.path().join("in.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o777)).unwrap();
    let o = declass_unprivileged(
        dir.path(),
        &["release", "secret.txt", "in.txt", "--out-dir", "out"],
    );
    assert_eq!(stderr(&o), "declass: secret.txt: permission denied\n");
    assert_eq!(code(&o), 1);
    assert_eq!(
        tree(&out),
        ["in.release.manifest.json", "in.release.txt"],
        "the readable input is released"
    );
}

#[test]
fn an_output_directory_that_is_not_writable_leaves_earlier_outputs_intact() {
    let dir = workdir();
    let out = dir.path().join("out");
    let o = declass(
        dir.path(),
        &[
            "release",
            "in.txt",
            "--out-dir",
            "out",
            "--as-of",
            "2026-01-01",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let before: Vec<Vec<u8>> = tree(&out)
        .iter()
        .map(|f| fs::read(out.join(f)).unwrap())
        .collect();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o555)).unwrap();
    let o = declass_unprivileged(
        dir.path(),
        &[
            "release",
            "in.txt",
            "--out-dir",
            "out",
            "--as-of",
            "2027-01-01",
        ],
    );
    assert_eq!(
        stderr(&o),
        "declass: in.txt: out/in.release.manifest.json: permission denied\n"
    );
    assert_eq!(code(&o), 1);
    let after: Vec<Vec<u8>> = tree(&out)
        .iter()
        .map(|f| fs::read(out.join(f)).unwrap())
        .collect();
    assert_eq!(before, after, "earlier outputs intact, nothing added");
    fs::set_permissions(&out, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn writing_to_a_full_disk_fails_cleanly_and_keeps_the_device() {
    let dir = workdir();
    let o = declass(dir.path(), &["release", "in.txt", "-o", "/dev/full"]);
    assert_eq!(
        stderr(&o),
        "declass: in.txt: /dev/full: No space left on device\n"
    );
    assert_eq!(code(&o), 1);
    let o = declass(
        dir.path(),
        &[
            "release",
            "in.txt",
            "-o",
            "out.txt",
            "--manifest",
            "/dev/full",
        ],
    );
    // The release and its manifest are a pair: neither is written, and the file failed.
    assert_eq!(
        stderr(&o),
        "declass: in.txt: /dev/full: No space left on device\n"
    );
    assert_eq!(code(&o), 1);
    assert!(
        !dir.path().join("out.txt").exists(),
        "no release without its manifest"
    );
    let meta = fs::metadata("/dev/full").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/full was written to, not replaced"
    );
    // No temporary of the writer's left beside the device (temporaries are made in the
    // output's own directory). Only /dev itself is listed, by the writer's marker: a
    // benchmark on the same machine keeps (and removes) its outputs in /dev/shm/declass-*
    // while this test runs.
    let left: Vec<String> = fs::read_dir("/dev")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".declass-tmp."))
        .collect();
    assert!(left.is_empty(), "temporaries left in /dev: {left:?}");
}

#[test]
fn an_output_path_equal_to_the_input_is_refused() {
    let dir = workdir();
    let before = fs::read(dir.path().join("in.txt")).unwrap();
    for out in ["in.txt", "./in.txt", "../{}/in.txt"] {
        let name = dir.path().file_name().unwrap().to_str().unwrap();
        let out = out.replace("{}", name);
        let o = declass(dir.path(), &["release", "in.txt", "-o", &out]);
        assert_eq!(
            stderr(&o),
            "declass: error: refusing to overwrite the input in.txt with the release of in.txt; nothing was written\n"
        );
        assert_eq!(code(&o), 2);
    }
    let o = declass(dir.path(), &["release", "in.txt", "--manifest", "in.txt"]);
    assert_eq!(
        stderr(&o),
        "declass: error: refusing to overwrite the input in.txt with the --manifest file; nothing was written\n"
    );
    assert_eq!(code(&o), 2);
    let o = declass(dir.path(), &["release", ".", "--out-dir", "releases"]);
    assert_eq!(
        stderr(&o),
        "declass: error: refusing to write releases inside the input tree .: give an --out-dir outside it\n"
    );
    assert_eq!(code(&o), 2);
    assert_eq!(fs::read(dir.path().join("in.txt")).unwrap(), before);
    assert_eq!(tree(dir.path()), ["in.txt"]);
}

/// A bad policy stops the job before any document is read: exit 2, every problem located.
fn assert_policy_refused(policy_text: &[u8], expected: &str) {
    let dir = workdir();
    fs::write(dir.path().join("p.yaml"), policy_text).unwrap();
    let started = std::time::Instant::now();
    let o = declass(
        dir.path(),
        &["release", "in.txt", "--policy", "p.yaml", "-o", "out.txt"],
    );
    assert!(started.elapsed().as_secs() < 10, "refused quickly");
    assert_eq!(
        stderr(&o),
        format!("{expected}declass: policy p.yaml is invalid; nothing done\n")
    );
    assert_eq!(code(&o), 2);
    assert_eq!(tree(dir.path()), ["in.txt", "p.yaml"], "nothing written");
}

#[test]
fn an_empty_policy_is_refused() {
    assert_policy_refused(
        b"",
        "p.yaml:1:1: error: a policy is a YAML mapping with `name`, `description`, `version`, \
         `rules` and `default`; found nothing (null)\n",
    );
}

#[test]
fn a_policy_that_is_not_yaml_is_refused() {
    assert_policy_refused(
        b"name: [unclosed\n",
        "p.yaml:1:7: error: YAML: unclosed bracket '['\n",
    );
    let dir = workdir();
    fs::write(dir.path().join("p.yaml"), b"name: caf\xe9\n").unwrap();
    let o = declass(dir.path(), &["release", "in.txt", "--policy", "p.yaml"]);
    assert_eq!(
        stderr(&o),
        "declass: error: p.yaml: not UTF-8 text (invalid byte at offset 9)\n"
    );
    assert_eq!(code(&o), 2);
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    assert_policy_refused(
        bomb.as_bytes(),
        "p.yaml:5:8: error: YAML aliases expand beyond the limit (an alias bomb?); refused\n",
    );
}

#[test]
fn a_policy_10000_levels_deep_is_refused() {
    let deep = format!("rules: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert_policy_refused(
        deep.as_bytes(),
        "p.yaml:1:24: error: YAML nested deeper than 16 levels; refused\n",
    );
    let deep = format!("rules: {}{}\n", "{a: ".repeat(10_000), "}".repeat(10_000));
    assert_policy_refused(
        deep.as_bytes(),
        "p.yaml:1:68: error: YAML nested deeper than 16 levels; refused\n",
    );
}

fn policy_with_regex(regex: &str) -> String {
    format!(
        "name: big\ndescription: d\nversion: 1\nrules:\n  - when:\n      text: '{regex}'\n    \
         action: release\ndefault: {{action: withhold, codes: [derived]}}\n"
    )
}

#[test]
fn a_policy_with_a_1_mb_regex_is_refused() {
    assert_policy_refused(
        policy_with_regex(&"a".repeat(1_000_000)).as_bytes(),
        "p.yaml:6:13: error: `text`: regex is 1000000 bytes, over the 10240-byte limit\n",
    );
    assert_policy_refused(
        policy_with_regex(&"a".repeat(1 << 20)).as_bytes(),
        "p.yaml:1:1: error: policy file is 1048710 bytes, over the 1048576-byte limit; refused\n",
    );
    // Short to write, huge once compiled.
    assert_policy_refused(
        policy_with_regex(r"(\w{1000}){1000}").as_bytes(),
        "p.yaml:6:13: error: `text`: regex `(\\w{1000}){1000}` compiles to more than 1048576 \
         bytes; simplify it\n",
    );
}

#[test]
fn a_policy_with_duplicate_keys_is_refused() {
    let text = "name: dup\nname: again\ndescription: d\nversion: 1\nrules: []\n\
                default: {action: withhold, codes: [derived]}\n";
    assert_policy_refused(
        text.as_bytes(),
        "p.yaml:2:1: error: duplicate key `name` in `policy` (first at line 1, column 1)\n",
    );
}

#[test]
fn a_malformed_as_of_is_a_usage_error() {
    let dir = workdir();
    for bad in ["2026-13-01", "yesterday", "2026-02-30", "01/02/2026", ""] {
        let o = declass(dir.path(), &["release", "in.txt", "--as-of", bad]);
        assert_eq!(
            stderr(&o),
            format!(
                "error: invalid value '{bad}' for '--as-of <YYYY-MM-DD>': expected a calendar \
                 date as YYYY-MM-DD, e.g. --as-of 2026-01-01\n\nFor more information, try '--help'.\n"
            ),
            "{bad}"
        );
        assert_eq!(code(&o), 2);
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn a_batch_with_bad_files_keeps_earlier_outputs_and_writes_no_partial_file() {
    let dir = workdir();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        fs::copy(SAMPLE, docs.join(name)).unwrap();
    }
    let o = declass(
        dir.path(),
        &[
            "release",
            "docs",
            "--out-dir",
            "out",
            "--as-of",
            "2026-01-01",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = dir.path().join("out");
    let earlier = fs::read(out.join("b.release.txt")).unwrap();
    // b turns binary, c empty; a stays good and a new good d appears.
    fs::write(docs.join("b.txt"), b"SECRET\n\0\0\0").unwrap();
    fs::write(docs.join("c.txt"), b"").unwrap();
    fs::copy(SAMPLE, docs.join("d.txt")).unwrap();
    let o = declass(
        dir.path(),
        &[
            "release",
            "docs",
            "--out-dir",
            "out",
            "--as-of",
            "2026-01-01",
        ],
    );
    assert_eq!(
        stderr(&o),
        "declass: docs/b.txt: binary data (control byte at offset 7): not a text document\n\
         declass: docs/c.txt: empty document: no text to parse\n"
    );
    assert_eq!(code(&o), 1);
    assert_eq!(
        fs::read(out.join("b.release.txt")).unwrap(),
        earlier,
        "the earlier output of a failing input is intact"
    );
    assert!(out.join("d.release.txt").exists());
    no_temporaries(&out);
    let verify = declass(
        dir.path(),
        &[
            "verify",
            "out/d.release.txt",
            "--source",
            "docs/d.txt",
            "--as-of",
            "2026-01-01",
        ],
    );
    assert_eq!(
        code(&verify),
        0,
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}
