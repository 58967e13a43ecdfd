//! Writing outputs safely: a temporary file in the destination directory, fsync, then
//! rename, so that a crash or an error never leaves a half-written release or clobbers an
//! older one (a device or FIFO is written to directly: it cannot be renamed over); and
//! refusing any output path that is an input.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically, and makes the rename durable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |file, bytes| file.write_all(bytes))?;
    sync_dir(&parent_of(path));
    Ok(())
}

/// [`write_atomic`] for one file of a batch: the file's data is synced before the
/// rename, but the directory is synced once for the whole batch with [`sync_dir`],
/// which keeps a batch of thousands of files from paying a directory sync per file.
pub fn write_atomic_batched(path: &Path, bytes: &[u8], sync: bool) -> io::Result<()> {
    write_atomic_inner(path, bytes, sync, |file, bytes| file.write_all(bytes))
}

/// Makes the renames in `dir` durable.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The directory a path's file lives in (`.` for a bare name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// [`write_atomic`] with the write itself supplied, so that tests can inject a failure
/// half-way and check that nothing is left behind.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    write_atomic_inner(path, bytes, true, write)
}

fn write_atomic_inner(
    path: &Path,
    bytes: &[u8],
    sync: bool,
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    // A device or a FIFO (`-o /dev/full`, `/dev/null`, a pipe) is written to as it is: a
    // rename would replace the device node with a regular file.
    if fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut file = File::options().write(true).open(path)?;
        return write(&mut file, bytes);
    }
    let dir = parent_of(path);
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
        // Without the sync a rename is still atomic against a crash of the process, but
        // not against a crash of the machine.
        if sync {
            file.sync_data()?;
        }
        drop(file);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Where `path` would resolve to: the deepest existing ancestor canonicalized (links
/// followed), the rest appended with `.` and `..` applied. A path through a directory that
/// does not exist yet (`new/../in.txt`) still resolves to what it names.
pub fn resolve(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    // Apply `..` lexically first, so that a missing directory cannot hide a step back.
    let mut lexical = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name()?.to_os_string());
        if !existing.pop() {
            return None;
        }
    }
    let mut resolved = existing.canonicalize().ok()?;
    for part in rest.iter().rev() {
        resolved.push(part);
    }
    Some(resolved)
}

/// True when `output` names the same file as `input` (through links and `..`), or would.
pub fn same_file(output: &Path, input: &Path) -> bool {
    match (resolve(output), input.canonicalize()) {
        (Some(out), Ok(input)) => out == input,
        _ => false,
    }
}

/// True when `dir` is `root` or lies inside it, whether or not `dir` exists yet.
pub fn inside(dir: &Path, root: &Path) -> bool {
    match (resolve(dir), root.canonicalize()) {
        (Some(d), Ok(r)) => d.starts_with(r),
        _ => false,
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
