//! Tests of the output plan: collisions, outputs over inputs, per-directory checks.

use super::*;
use std::collections::HashMap;
use std::os::unix::ffi::OsStrExt;

/// A made-up disk: the files that exist, by path, and paths that are links to others.
#[derive(Default)]
struct FakeDisk {
    files: HashMap<PathBuf, Found>,
    links: HashMap<PathBuf, PathBuf>,
}

impl FakeDisk {
    fn file(mut self, path: &str, ino: u64) -> Self {
        self.files
            .insert(path.into(), Found::File(FileId { dev: 1, ino }));
        self
    }
    fn link(mut self, from: &str, to: &str) -> Self {
        self.links.insert(from.into(), to.into());
        self
    }
    fn dir(mut self, path: &str) -> Self {
        self.files.insert(path.into(), Found::Dir);
        self
    }
}

impl Disk for FakeDisk {
    /// As `output::resolve` does: `..` applied to the path as written, then links.
    fn normalise(&self, path: &Path) -> Option<PathBuf> {
        let mut lexical = Vec::new();
        for c in path.components() {
            match c {
                std::path::Component::ParentDir => {
                    lexical.pop();
                }
                std::path::Component::Normal(n) => lexical.push(n),
                _ => {}
            }
        }
        let mut out = PathBuf::from("/");
        for n in lexical {
            out.push(n);
            if let Some(to) = self.links.get(&out) {
                out = to.clone();
            }
        }
        Some(out)
    }
    fn find(&self, path: &Path) -> Option<Found> {
        self.files.get(&self.normalise(path)?).copied()
    }
}

fn plan(
    disk: &FakeDisk,
    outputs: &[(&str, Output)],
    reads: &[(&str, Read)],
) -> Result<(), Collision> {
    check(
        disk,
        outputs.len(),
        |k| (PathBuf::from(outputs[k].0), outputs[k].1),
        reads.iter().map(|(p, r)| (PathBuf::from(p), *r)),
    )
}

#[test]
fn distinct_outputs_pass() {
    let disk = FakeDisk::default()
        .file("/in/a.txt", 1)
        .file("/pol.yaml", 2);
    let outputs = [
        ("/o/a.release.txt", Output::Release(0)),
        ("/o/a.release.manifest.json", Output::Manifest(0)),
    ];
    let reads = [("/in/a.txt", Read::Input(0)), ("/pol.yaml", Read::Policy)];
    assert_eq!(plan(&disk, &outputs, &reads), Ok(()));
}

#[test]
fn two_outputs_on_one_path_are_refused_through_dots_and_links() {
    let disk = FakeDisk::default().link("/o/sub", "/o");
    let outputs = [
        ("/o/x.release.txt", Output::Release(0)),
        ("/o/sub/../x.release.txt", Output::Release(1)),
    ];
    let e = plan(&disk, &outputs, &[]).unwrap_err();
    assert_eq!(
        e,
        Collision::Outputs {
            first: Output::Release(0),
            second: Output::Release(1),
            path: "/o/sub/../x.release.txt".into()
        }
    );
    let linked = [
        ("/o/x.release.txt", Output::Release(0)),
        ("/o/sub/x.release.txt", Output::Manifest(0)),
    ];
    assert!(matches!(
        plan(&disk, &linked, &[]),
        Err(Collision::Outputs { .. })
    ));
    let message = e.describe(|i| format!("in{i}.txt"));
    assert!(
        message.contains("the release of in0.txt and the release of in1.txt"),
        "{message}"
    );
}

#[test]
fn an_output_on_a_read_file_is_refused_by_identity() {
    // The policy is reached by a hard link (same inode, other name) from the output.
    let disk = FakeDisk::default()
        .file("/pol.yaml", 7)
        .file("/o/x.release.txt", 7)
        .file("/key", 8);
    let outputs = [("/o/x.release.txt", Output::Release(0))];
    let e = plan(
        &disk,
        &outputs,
        &[("/key", Read::DigestKey), ("/pol.yaml", Read::Policy)],
    )
    .unwrap_err();
    assert!(matches!(
        e,
        Collision::Overwrites {
            read: Read::Policy,
            ..
        }
    ));
    assert!(
        e.describe(|_| String::new())
            .contains("refusing to overwrite the policy file /pol.yaml with the release of")
    );
}

#[test]
fn an_output_that_is_a_directory_is_refused() {
    let disk = FakeDisk::default().dir("/o");
    let e = plan(&disk, &[("/o", Output::Release(0))], &[]).unwrap_err();
    assert!(e.describe(|_| String::new()).contains("is a directory"));
}

#[test]
fn devices_may_take_several_outputs() {
    let mut disk = FakeDisk::default();
    disk.files.insert("/dev/null".into(), Found::Special);
    let outputs = [
        ("/dev/null", Output::Release(0)),
        ("/dev/null", Output::Manifest(0)),
    ];
    assert_eq!(plan(&disk, &outputs, &[]), Ok(()));
}

#[test]
fn several_roots_keep_apart_and_names_stay_bytes() {
    let a: Arc<Path> = Arc::from(Path::new("in/a"));
    let b: Arc<Path> = Arc::from(Path::new("other/a/"));
    let layout = Layout {
        dir: "o".into(),
        extension: "release.txt",
        roots: vec![(a.clone(), "a".into()), (b.clone(), "a-2".into())],
    };
    assert_eq!(
        layout.release(Some(Path::new("in/a/sub/x.txt")), Some(&a)),
        Path::new("o/a/sub/x.release.txt")
    );
    assert_eq!(
        layout.release(Some(Path::new("other/a/x.txt")), Some(&b)),
        Path::new("o/a-2/x.release.txt")
    );
    assert_eq!(
        layout.release(Some(Path::new("named.md")), None),
        Path::new("o/named.release.txt")
    );
    assert_eq!(layout.release(None, None), Path::new("o/stdin.release.txt"));
    let bad1 = Path::new(OsStr::from_bytes(b"d/x\xff.txt"));
    let bad2 = Path::new(OsStr::from_bytes(b"d/x\xfe.txt"));
    assert_ne!(
        layout.release(Some(bad1), None),
        layout.release(Some(bad2), None)
    );
    assert_eq!(
        manifest_beside(Path::new("o/x.release.txt")),
        Path::new("o/x.release.manifest.json")
    );
}

/// A fake disk on which the directories in `missing` do not exist, counting look-ups.
struct Missing {
    disk: FakeDisk,
    missing: Vec<PathBuf>,
    finds: std::cell::Cell<usize>,
}

impl Disk for Missing {
    fn normalise(&self, path: &Path) -> Option<PathBuf> {
        self.disk.normalise(path)
    }
    fn find(&self, path: &Path) -> Option<Found> {
        self.finds.set(self.finds.get() + 1);
        self.disk.find(path)
    }
    fn missing_dir(&self, dir: &Path) -> bool {
        self.missing
            .iter()
            .any(|m| self.normalise(dir).as_ref() == Some(m))
    }
}

#[test]
fn outputs_in_a_missing_directory_are_checked_once_per_directory() {
    let names: Vec<String> = (0..50)
        .map(|i| format!("/new/d{}/x{i}.txt", i / 10))
        .collect();
    let disk = Missing {
        disk: FakeDisk::default().file("/in/a.txt", 1),
        missing: (0..5)
            .map(|d| PathBuf::from(format!("/new/d{d}")))
            .collect(),
        finds: std::cell::Cell::new(0),
    };
    let outputs: Vec<(&str, Output)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), Output::Release(i)))
        .collect();
    let ok = check(
        &disk,
        outputs.len(),
        |k| (PathBuf::from(outputs[k].0), outputs[k].1),
        [(PathBuf::from("/in/a.txt"), Read::Input(0))],
    );
    assert_eq!(ok, Ok(()));
    assert_eq!(
        disk.finds.get(),
        0,
        "no look-up per file in a missing directory"
    );
    // Two outputs meeting in a missing directory are still refused.
    let twice = [
        ("/new/d0/x.txt", Output::Release(0)),
        ("/new/d0/../d0/x.txt", Output::Manifest(0)),
    ];
    let refused = check(
        &disk,
        2,
        |k| (PathBuf::from(twice[k].0), twice[k].1),
        std::iter::empty(),
    );
    assert!(
        matches!(refused, Err(Collision::Outputs { .. })),
        "{refused:?}"
    );
    // Outside the missing directories, every output is looked up as before.
    let finds = disk.finds.get();
    let inputs = [("/in/a.txt", Output::Release(0))];
    let over = check(
        &disk,
        1,
        |k| (PathBuf::from(inputs[k].0), inputs[k].1),
        [(PathBuf::from("/in/a.txt"), Read::Input(0))],
    );
    assert!(
        matches!(over, Err(Collision::Overwrites { .. })),
        "{over:?}"
    );
    assert!(disk.finds.get() > finds);
}
