//! Writing outputs safely: a temporary file in the destination directory, fsync, then
//! rename, so that a crash or an error never leaves a half-written release or clobbers an
//! older one (a device or FIFO is written to directly: it cannot be renamed over); and
//! refusing any output path that is an input.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |file, bytes| file.write_all(bytes))
}

/// [`write_atomic`] with the write itself supplied, so that tests can inject a failure
/// half-way and check that nothing is left behind.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    // A device or a FIFO (`-o /dev/full`, `/dev/null`, a pipe) is written to as it is: a
    // rename would replace the device node with a regular file.
    if fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut file = File::options().write(true).open(path)?;
        return write(&mut file, bytes);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "output path has no file name")
    })?;
    let tmp = dir.join(format!(
        ".{}.declass-tmp.{}.{}",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = File::options().write(true).create_new(true).open(&tmp)?;
        write(&mut file, bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// True when `output` names the same file as `input` (through links and `..`), or would.
pub fn same_file(output: &Path, input: &Path) -> bool {
    let Ok(input) = input.canonicalize() else {
        return false;
    };
    if let Ok(out) = output.canonicalize() {
        return out == input;
    }
    // The output does not exist yet: compare its would-be canonical path.
    match (output.parent(), output.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            parent.canonicalize().is_ok_and(|p| p.join(name) == input)
        }
        _ => false,
    }
}

/// True when `dir` is `root` or lies inside it, or would once created.
pub fn inside(dir: &Path, root: &Path) -> bool {
    match (would_be_canonical(dir), root.canonicalize()) {
        (Some(d), Ok(r)) => d.starts_with(r),
        _ => false,
    }
}

/// The canonical form of `path`, or for a path not created yet, its nearest existing
/// ancestor's canonical form with the missing names appended.
fn would_be_canonical(path: &Path) -> Option<PathBuf> {
    let mut missing = Vec::new();
    let mut at = path;
    loop {
        if let Ok(mut found) = at.canonicalize() {
            found.extend(missing.iter().rev());
            return Some(found);
        }
        missing.push(at.file_name()?);
        at = match at.parent()? {
            p if p.as_os_str().is_empty() => Path::new("."),
            p => p,
        };
    }
}

#[cfg(test)]
mod tests {
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
        assert!(!same_file(&dir.path().join("b.txt"), &input));
        assert!(inside(&sub, dir.path()));
        // An output directory not created yet is inside the tree it will be made in.
        assert!(inside(&sub.join("new/deeper"), dir.path()));
        assert!(!inside(&dir.path().join("../elsewhere"), &sub));
    }
}
