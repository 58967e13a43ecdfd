//! Writing outputs safely: a temporary file in the destination directory, made durable,
//! then renamed, so that a crash or an error never leaves a half-written release or
//! clobbers an older one (a device or FIFO is written to directly: it cannot be renamed
//! over); and refusing any output path that is an input.
//!
//! A batch commits its files in groups ([`Staged`], [`make_durable`]): every file of a
//! group is written under its temporary name, the group's data is made durable in one go,
//! and only then are the files renamed into place and their directories synced. The order
//! (data durable before the rename) is what keeps a power loss from leaving an empty or
//! truncated file at an output's name; grouping is what keeps it cheap.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically, and makes the rename durable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |file, bytes| file.write_all(bytes))?;
    sync_dir(&parent_of(path));
    Ok(())
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
    // Without the sync a rename is still atomic against a crash of the process, but not
    // against a crash of the machine.
    let staged = stage_with(path, bytes, write, true)?;
    staged.commit()
}

/// A file written under a temporary name in its destination directory, waiting to be
/// renamed to its real name by [`Staged::commit`]. Dropped without a commit, it removes
/// its temporary file, so a failure never leaves one behind (a killed process may).
#[derive(Debug)]
pub struct Staged {
    /// The temporary name; `None` once renamed, or for a device written to directly.
    tmp: Option<PathBuf>,
    path: PathBuf,
}

/// A file written bit by bit (an exemption log, as a batch goes) under a temporary name
/// beside `path`: the returned [`File`] writes to it, and committing the [`Staged`] (after
/// a sync) renames it into place.
pub fn stream(path: &Path) -> io::Result<(Staged, File)> {
    let mut handle = None;
    let staged = stage_with(
        path,
        &[],
        |file, _| {
            handle = Some(file.try_clone()?);
            Ok(())
        },
        false,
    )?;
    let file = handle.ok_or_else(|| io::Error::other("no file handle"))?;
    Ok((staged, file))
}

/// Writes `bytes` under a temporary name beside `path`, without syncing: the caller
/// either commits at once (no durability asked) or makes a whole group durable with
/// [`make_durable`] before committing it.
pub fn stage(path: &Path, bytes: &[u8]) -> io::Result<Staged> {
    stage_with(path, bytes, |file, bytes| file.write_all(bytes), false)
}

fn stage_with(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
    sync: bool,
) -> io::Result<Staged> {
    // A device or a FIFO (`-o /dev/full`, `/dev/null`, a pipe) is written to as it is: a
    // rename would replace the device node with a regular file.
    if fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut file = File::options().write(true).open(path)?;
        write(&mut file, bytes)?;
        return Ok(Staged {
            tmp: None,
            path: path.to_path_buf(),
        });
    }
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "output path has no file name")
    })?;
    let tmp = parent_of(path).join(format!(
        ".{}.declass-tmp.{}.{}",
        name.to_string_lossy(),
        pid(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    // From here on, dropping `staged` removes the temporary file.
    let staged = Staged {
        tmp: Some(tmp),
        path: path.to_path_buf(),
    };
    let tmp = staged.tmp.as_deref().unwrap_or(path);
    let mut file = File::options().write(true).create_new(true).open(tmp)?;
    write(&mut file, bytes)?;
    if sync {
        file.sync_data()?;
    }
    Ok(staged)
}

/// Removes the temporary files that a killed declass left in `dir`: named like ours,
/// written by a process that no longer runs (so never another run's work in progress).
/// A batch commits its outputs in groups, so a kill can leave a few hundred of them; they
/// are never taken for outputs, but without this they would pile up run after run. Where
/// there is no `/proc` to ask whether a process runs, nothing is removed.
pub fn remove_stale_temporaries(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(writer) = name.to_str().and_then(temporary_writer) else {
            continue;
        };
        if writer != pid() && !Path::new("/proc").join(writer.to_string()).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary file's name (`.NAME.declass-tmp.PID.N`), if it is one.
fn temporary_writer(name: &str) -> Option<u32> {
    let (_, rest) = name.strip_prefix('.')?.rsplit_once(".declass-tmp.")?;
    let (writer, counter) = rest.split_once('.')?;
    counter.parse::<u64>().ok()?;
    writer.parse().ok()
}

/// The process id, asked once: it names temporary files apart from another process's.
fn pid() -> u32 {
    static PID: OnceLock<u32> = OnceLock::new();
    *PID.get_or_init(std::process::id)
}

impl Staged {
    /// The name the file gets when committed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the file into place (atomic: readers see the old file or the new one).
    pub fn commit(mut self) -> io::Result<()> {
        match self.tmp.take() {
            Some(tmp) => fs::rename(&tmp, &self.path).inspect_err(|_| {
                let _ = fs::remove_file(&tmp);
            }),
            None => Ok(()),
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Makes the data of every staged file durable, before any of them is renamed into
/// place. Returns the directories holding them (sorted, once each): the ones to sync
/// after the renames.
///
/// One `syncfs(2)` per file system holding them, rather than an `fdatasync` per file: on
/// bulk (6,448 cables, 12,890 files) the per-file syncs were 12,890 journal commits, and
/// the run spent most of its wall time waiting for them; a group of 256 cables (512 files)
/// now costs one `syncfs` and one directory `fsync` (26 of each on bulk). `syncfs` also
/// writes back other processes' dirty data on that file system, which a per-file sync would
/// not; a pool of 8 threads overlapping the per-file syncs (so that the journal coalesces
/// them) keeps all 12,890 calls and was slower in interleaved runs (bulk, loaded machine:
/// 16–29 s wall against 4–24 s with `syncfs`, 31–41 s with a sync per file). Since Linux
/// 5.8 `syncfs` reports write-back errors, so a failed write fails the group instead of
/// being renamed into place.
pub fn make_durable(staged: &[&Staged]) -> io::Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = staged
        .iter()
        .filter(|s| s.tmp.is_some())
        .map(|s| parent_of(&s.path))
        .collect();
    dirs.sort();
    dirs.dedup();
    let mut devices = Vec::new();
    for dir in &dirs {
        let d = File::open(dir)?;
        let dev = std::os::unix::fs::MetadataExt::dev(&d.metadata()?);
        if !devices.contains(&dev) {
            devices.push(dev);
            sync_filesystem(&d, staged)?;
        }
    }
    Ok(dirs)
}

#[cfg(target_os = "linux")]
fn sync_filesystem(dir: &File, _staged: &[&Staged]) -> io::Result<()> {
    Ok(rustix::fs::syncfs(dir)?)
}

/// Where there is no `syncfs`, each file's data is synced on its own.
#[cfg(not(target_os = "linux"))]
fn sync_filesystem(_dir: &File, staged: &[&Staged]) -> io::Result<()> {
    for tmp in staged.iter().filter_map(|s| s.tmp.as_deref()) {
        File::open(tmp)?.sync_data()?;
    }
    Ok(())
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
    fn staged_files_appear_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.release.txt");
        let b = dir.path().join("b.release.txt");
        fs::write(&b, "old").unwrap();
        let sa = stage(&a, b"new a").unwrap();
        let sb = stage(&b, b"new b").unwrap();
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
        drop(stage(&a, b"release").unwrap());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_failed_rename_keeps_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.release.txt");
        let staged = stage(&a, b"release").unwrap();
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
        remove_stale_temporaries(dir.path());
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        let mut want = names[1..].to_vec();
        want.sort();
        assert_eq!(left, want, "only the dead process's temporary is gone");
        assert_eq!(temporary_writer(".x.declass-tmp.12.3"), Some(12));
        assert_eq!(temporary_writer("x.declass-tmp.12.3"), None);
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
