//! Writing outputs safely (a library module, under every command that writes and the
//! review app's decisions file): a temporary file in the destination directory, made durable,
//! then renamed, so that a crash or an error never leaves a half-written release or
//! clobbers an older one (a device or FIFO is written to directly: it cannot be renamed
//! over); and refusing any output path that is an input.
//!
//! A batch commits its files in groups ([`Staged`], [`make_durable`]): every file of a
//! group is written under its temporary name, the group's data is made durable in one go,
//! and only then are the files renamed into place and their directories synced. The order
//! (data durable before the rename) is what keeps a power loss from leaving an empty or
//! truncated file at an output's name; grouping is what keeps it cheap.
//!
//! A release and its manifest are a pair ([`Member`]): staged under temporary names that
//! name their pair, the manifest renamed into place first and the release last, so that a
//! release never stands without its manifest. A kill between the two renames leaves the
//! manifest and the release's temporary; [`recover`], run before the next job writes into
//! the directory, finishes that commit (the release's digest must be the one its manifest
//! names) or, when neither was committed, removes both temporaries.

pub mod plan;

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
    let staged = stage_with(path, bytes, write, true, Member::Alone)?;
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

/// Which file of a job's output a staged file is: alone, or one of a release and its
/// manifest (the pair numbered, so that [`recover`] can tell which belong together).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    Alone,
    Manifest(u64),
    Release(u64),
}

/// A fresh number for a release and its manifest.
pub fn new_pair() -> u64 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
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
        Member::Alone,
    )?;
    let file = handle.ok_or_else(|| io::Error::other("no file handle"))?;
    Ok((staged, file))
}

/// Writes `bytes` under a temporary name beside `path`, without syncing: the caller
/// either commits at once (no durability asked) or makes a whole group durable with
/// [`make_durable`] before committing it.
pub fn stage(path: &Path, bytes: &[u8], member: Member) -> io::Result<Staged> {
    stage_with(
        path,
        bytes,
        |file, bytes| file.write_all(bytes),
        false,
        member,
    )
}

fn stage_with(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
    sync: bool,
    member: Member,
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
    // The name is kept byte for byte: recovery derives the output's name from it.
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(match member {
        Member::Alone => format!(
            ".declass-tmp.{}.{}",
            pid(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ),
        Member::Manifest(pair) => format!(".declass-tmp.{}.{pair}.m", pid()),
        Member::Release(pair) => format!(".declass-tmp.{}.{pair}.r", pid()),
    });
    let tmp = parent_of(path).join(tmp_name);
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

/// Finishes or undoes what a killed declass left in `dir`: temporary files named like
/// ours, written by a process that no longer runs (so never another run's work in
/// progress). A release whose manifest was renamed into place but not itself is renamed
/// into place when its digest is the one the manifest names (the commit was decided; only
/// the last rename was missing); every other temporary is removed. A batch commits its
/// outputs in groups, so a kill can leave a few hundred; without this they would pile up
/// run after run. Where there is no `/proc` to ask whether a process runs, nothing is done.
pub fn recover(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    // Stale temporaries by pair: (writer, pair) → (release temporary, manifest one left).
    let mut pairs: std::collections::HashMap<(u32, u64), (Option<PathBuf>, bool)> =
        std::collections::HashMap::new();
    let mut alive = std::collections::HashMap::new();
    for entry in entries.flatten() {
        if let Some(temp) = parse_temporary_bytes(&entry.file_name()) {
            handle(temp, entry.path(), &mut alive, &mut pairs);
        }
    }
    for (release, manifest_left) in pairs.into_values() {
        let Some(release) = release else { continue };
        if manifest_left || !roll_forward(&release) {
            let _ = fs::remove_file(&release);
        }
    }
}

/// Files one stale temporary: a lone one or a manifest's is removed at once (a manifest
/// temporary left means neither of its pair was committed); a release's waits for the
/// whole directory to be seen.
fn handle(
    temp: Temporary,
    path: PathBuf,
    alive: &mut std::collections::HashMap<u32, bool>,
    pairs: &mut std::collections::HashMap<(u32, u64), (Option<PathBuf>, bool)>,
) {
    let writer = temp.writer;
    let running = *alive
        .entry(writer)
        .or_insert_with(|| writer == pid() || Path::new("/proc").join(writer.to_string()).exists());
    if running {
        return;
    }
    match temp.role {
        None => {
            let _ = fs::remove_file(path);
        }
        Some(Member::Manifest(pair)) => {
            let _ = fs::remove_file(path);
            pairs.entry((writer, pair)).or_default().1 = true;
        }
        Some(Member::Release(pair)) => pairs.entry((writer, pair)).or_default().0 = Some(path),
        Some(Member::Alone) => {}
    }
}

/// Renames a release temporary into place if the manifest beside its output names its
/// digest (or, for a JSON release, is the manifest it carries).
fn roll_forward(temp: &Path) -> bool {
    let Some(output) = output_of(temp) else {
        return false;
    };
    let manifest = plan::manifest_beside(&output);
    let (Ok(manifest), Ok(bytes)) = (fs::read(&manifest), fs::read(temp)) else {
        return false;
    };
    let Ok(manifest) = serde_json::from_slice::<serde_json::Value>(&manifest) else {
        return false;
    };
    let matches = match manifest["output"]["sha256"].as_str() {
        Some(sha) => sha == crate::release::digest::sha256_hex(&bytes),
        None => serde_json::from_slice::<serde_json::Value>(&bytes)
            .is_ok_and(|release| release["manifest"] == manifest),
    };
    matches && fs::rename(temp, &output).is_ok()
}

/// The output a temporary stands for: `.NAME.declass-tmp.…` → `NAME`, same directory.
fn output_of(temp: &Path) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let name = temp.file_name()?.as_bytes();
    let marker = b".declass-tmp.";
    let at = name.windows(marker.len()).rposition(|w| w == marker)?;
    let real = name.get(1..at).filter(|n| !n.is_empty())?;
    Some(parent_of(temp).join(std::ffi::OsStr::from_bytes(real)))
}

/// A temporary file's writer and role.
#[derive(Debug, PartialEq, Eq)]
struct Temporary {
    writer: u32,
    /// `None` for a lone file.
    role: Option<Member>,
}

/// Reads `.NAME.declass-tmp.PID.N` (a lone file), `.NAME.declass-tmp.PID.N.m` or `.r` (a
/// manifest or release of pair N).
fn parse_temporary(name: &str) -> Option<Temporary> {
    let (_, rest) = name.strip_prefix('.')?.rsplit_once(".declass-tmp.")?;
    let mut parts = rest.split('.');
    let writer = parts.next()?.parse().ok()?;
    let counter: u64 = parts.next()?.parse().ok()?;
    let role = match parts.next() {
        None => None,
        Some("m") => Some(Member::Manifest(counter)),
        Some("r") => Some(Member::Release(counter)),
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(Temporary { writer, role })
}

/// [`parse_temporary`] from a name's bytes: only NAME may be other than UTF-8.
fn parse_temporary_bytes(name: &std::ffi::OsStr) -> Option<Temporary> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = name.as_bytes();
    if !bytes.starts_with(b".") {
        return None;
    }
    let marker = b".declass-tmp.";
    let at = bytes.windows(marker.len()).rposition(|w| w == marker)?;
    let tail = std::str::from_utf8(&bytes[at..]).ok()?;
    parse_temporary(&format!(".x{tail}"))
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

/// True when `output` names the same file as `input` (through links and `..`), or would,
/// or is another name for it (a hard link: same device and inode).
pub fn same_file(output: &Path, input: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some(out) = resolve(output) else {
        return false;
    };
    if input.canonicalize().is_ok_and(|input| input == out) {
        return true;
    }
    match (fs::metadata(&out), fs::metadata(input)) {
        (Ok(o), Ok(i)) => o.is_file() && o.dev() == i.dev() && o.ino() == i.ino(),
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
mod tests;
