use super::*;

#[test]
fn writes_and_replaces_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    write_atomic(&path, b"one").unwrap();
    write_atomic(&path, b"two").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"two");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary left"
    );
}

#[test]
fn injected_failure_leaves_old_file_and_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    write_atomic(&path, b"old release").unwrap();
    let err = write_atomic_with(&path, b"new release", |f, b| {
        f.write_all(&b[..3])?;
        Err(io::Error::other("injected failure"))
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "injected failure");
    assert_eq!(fs::read(&path).unwrap(), b"old release");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn staged_files_appear_only_when_committed() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.release.txt");
    let b = dir.path().join("b.release.txt");
    fs::write(&b, "old").unwrap();
    let sa = stage(&a, b"new a", Member::Alone).unwrap();
    let sb = stage(&b, b"new b", Member::Alone).unwrap();
    assert!(!a.exists(), "nothing at the real name before the commit");
    assert_eq!(fs::read(&b).unwrap(), b"old");
    make_durable(&[&sa, &sb]).unwrap();
    sa.commit().unwrap();
    sb.commit().unwrap();
    assert_eq!(fs::read(&a).unwrap(), b"new a");
    assert_eq!(fs::read(&b).unwrap(), b"new b");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary left"
    );
}

#[test]
fn a_staged_file_dropped_uncommitted_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.release.txt");
    drop(stage(&a, b"release", Member::Alone).unwrap());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_failed_rename_keeps_the_old_file_and_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.release.txt");
    let staged = stage(&a, b"release", Member::Alone).unwrap();
    // A directory now stands at the real name: the rename fails.
    fs::create_dir(&a).unwrap();
    fs::write(a.join("keep"), "x").unwrap();
    assert!(staged.commit().is_err());
    assert!(a.join("keep").exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn only_temporaries_of_dead_processes_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let names = [
        format!(".a.release.txt.declass-tmp.{dead}.7"),
        format!(".a.release.txt.declass-tmp.{}.8", pid()),
        "a.release.txt".to_string(),
        format!("a.release.txt.declass-tmp.{dead}.9"),
        format!(".b.release.txt.declass-tmp.{dead}.x"),
    ];
    for n in &names {
        fs::write(dir.path().join(n), "x").unwrap();
    }
    recover(dir.path());
    assert_eq!(
        listing(dir.path()),
        sorted(&names[1..]),
        "only the dead process's temporary is gone"
    );
    assert_eq!(
        parse_temporary(".x.declass-tmp.12.3"),
        Some(Temporary {
            writer: 12,
            role: None
        })
    );
    assert_eq!(
        parse_temporary(".x.declass-tmp.12.3.r"),
        Some(Temporary {
            writer: 12,
            role: Some(Member::Release(3))
        })
    );
    assert_eq!(parse_temporary("x.declass-tmp.12.3"), None);
    assert_eq!(parse_temporary(".x.declass-tmp.12.3.q"), None);
}

fn listing(dir: &Path) -> Vec<String> {
    let mut left: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    left
}

fn sorted(names: &[String]) -> Vec<String> {
    let mut names = names.to_vec();
    names.sort();
    names
}

#[test]
fn recovery_finishes_a_pair_whose_manifest_was_committed_and_drops_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let d = dir.path();
    let manifest = |sha: &str| format!("{{\"output\": {{\"sha256\": \"{sha}\"}}}}");
    let sha = crate::release::digest::sha256_hex(b"release a");
    // a: manifest committed, release still a temporary → finished.
    fs::write(d.join("a.release.manifest.json"), manifest(&sha)).unwrap();
    fs::write(
        d.join(format!(".a.release.txt.declass-tmp.{dead}.1.r")),
        "release a",
    )
    .unwrap();
    // b: neither committed → both temporaries removed.
    fs::write(
        d.join(format!(".b.release.manifest.json.declass-tmp.{dead}.2.m")),
        "m",
    )
    .unwrap();
    fs::write(
        d.join(format!(".b.release.txt.declass-tmp.{dead}.2.r")),
        "release b",
    )
    .unwrap();
    // c: a manifest naming another release → the temporary is not taken for it.
    fs::write(d.join("c.release.manifest.json"), manifest(&"0".repeat(64))).unwrap();
    fs::write(
        d.join(format!(".c.release.txt.declass-tmp.{dead}.3.r")),
        "release c",
    )
    .unwrap();
    recover(d);
    assert_eq!(
        listing(d),
        [
            "a.release.manifest.json",
            "a.release.txt",
            "c.release.manifest.json"
        ]
    );
    assert_eq!(fs::read(d.join("a.release.txt")).unwrap(), b"release a");
}

#[test]
fn a_device_is_written_to_never_replaced() {
    let err = write_atomic(Path::new("/dev/full"), b"release").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::StorageFull);
    use std::os::unix::fs::FileTypeExt;
    let meta = fs::metadata("/dev/full").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/full is still a device"
    );
    write_atomic(Path::new("/dev/null"), b"release").unwrap();
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn same_file_sees_through_relative_paths() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    fs::write(&input, "x").unwrap();
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    assert!(same_file(&sub.join("../a.txt"), &input));
    fs::hard_link(&input, dir.path().join("hard.txt")).unwrap();
    assert!(same_file(&dir.path().join("hard.txt"), &input));
    assert!(!same_file(&dir.path().join("b.txt"), &input));
    assert!(inside(&sub, dir.path()));
    // An output directory not created yet is inside the tree it will be made in.
    assert!(inside(&sub.join("new/deeper"), dir.path()));
    assert!(!inside(&dir.path().join("../elsewhere"), &sub));
}
