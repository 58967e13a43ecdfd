//! The output plan of a job, made before anything is written: where each output goes
//! (the layout under `--out-dir`), and the check that no two outputs meet and that no
//! output replaces a file the job reads (an input, the policy, the digest key).
//!
//! Paths are compared normalised (the deepest existing directory canonicalized, links and
//! `..` followed), and files that exist by identity (device and inode), so that a hard
//! link or a symlink to the policy is caught as surely as its own name. The disk is asked
//! through [`Disk`], so the check is tested against a made-up file system. A batch of
//! 100,000 inputs plans in one pass: outputs are kept as hashes of their normalised paths
//! and recomputed only on a hash match, and reads are looked up only when some output
//! already exists.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::ffi::{OsStr, OsString};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file on disk by identity: device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

/// What a path names on disk, when it exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    File(FileId),
    Dir,
    /// A device or FIFO: written to as it is, never replaced.
    Special,
}

/// What the plan asks of the file system.
pub trait Disk {
    /// Where `path` resolves, whether or not it exists yet.
    fn normalise(&self, path: &Path) -> Option<PathBuf>;
    /// What `path` names (links followed), if anything.
    fn find(&self, path: &Path) -> Option<Found>;
    /// Whether directory `dir` surely does not exist (so no file under it does); `false`
    /// when unsure. Lets the plan ask once per directory, not once per output, in the
    /// usual case of a new output directory.
    fn missing_dir(&self, _dir: &Path) -> bool {
        false
    }
}

/// The real file system.
pub struct RealDisk;

impl Disk for RealDisk {
    fn normalise(&self, path: &Path) -> Option<PathBuf> {
        super::resolve(path)
    }

    /// Asked of the path as the kernel resolves it now, else of the normalised path:
    /// `nodir/../in.txt` names no file yet, but will once `nodir` is created for the
    /// output, and then it is the input. (Normalising every output first would cost a
    /// `realpath` per file of a batch.)
    fn find(&self, path: &Path) -> Option<Found> {
        use std::os::unix::fs::MetadataExt;
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            // With its directory there, a missing file stays missing until written.
            Err(_)
                if path
                    .parent()
                    .is_none_or(|p| p.as_os_str().is_empty() || p.is_dir()) =>
            {
                return None;
            }
            Err(_) => std::fs::metadata(self.normalise(path)?).ok()?,
        };
        Some(if meta.is_dir() {
            Found::Dir
        } else if meta.is_file() {
            Found::File(FileId {
                dev: meta.dev(),
                ino: meta.ino(),
            })
        } else {
            Found::Special
        })
    }

    /// Only "not found" counts: a directory that cannot be read may still hold files.
    fn missing_dir(&self, dir: &Path) -> bool {
        matches!(std::fs::metadata(dir), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// One output of the job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// The release of input `i`.
    Release(usize),
    /// The manifest of input `i` (beside its release, or `--manifest` with `-o`).
    Manifest(usize),
    /// The one `--manifest` file holding every input's manifest.
    Combined,
    /// The exemption log (`--log`).
    Log,
}

/// One file the job reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    Input(usize),
    Policy,
    DigestKey,
}

/// Why a plan was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Collision {
    /// Two outputs would be written to one file.
    Outputs {
        first: Output,
        second: Output,
        path: PathBuf,
    },
    /// An output would replace a file the job reads.
    Overwrites {
        output: Output,
        read: Read,
        /// The file read, as the job names it.
        path: PathBuf,
    },
    /// An output path is an existing directory.
    Directory { output: Output, path: PathBuf },
}

impl Collision {
    /// The refusal in words; `input` names input `i`.
    pub fn describe(&self, input: impl Fn(usize) -> String) -> String {
        let output = |o: &Output| match o {
            Output::Release(i) => format!("the release of {}", input(*i)),
            Output::Manifest(i) => format!("the manifest of {}", input(*i)),
            Output::Combined => "the --manifest file".to_string(),
            Output::Log => "the exemption log".to_string(),
        };
        let read = |r: &Read| match r {
            Read::Input(_) => "the input",
            Read::Policy => "the policy file",
            Read::DigestKey => "the digest key",
        };
        match self {
            Collision::Outputs {
                first,
                second,
                path,
            } => format!(
                "{} and {} would both be written to {}; nothing was written",
                output(first),
                output(second),
                path.display()
            ),
            Collision::Overwrites {
                output: o,
                read: r,
                path,
            } => format!(
                "refusing to overwrite {} {} with {}; nothing was written",
                read(r),
                path.display(),
                output(o)
            ),
            Collision::Directory { output: o, path } => format!(
                "{} would be written to {}, which is a directory; give a file name, or --out-dir for a directory",
                output(o),
                path.display()
            ),
        }
    }
}

/// Checks the plan: `count` outputs, output `k` given by `output(k)` (asked again only
/// to confirm a match, so a large batch need not hold every path), against each other and
/// against `reads`.
pub fn check<D: Disk>(
    disk: &D,
    count: usize,
    output: impl Fn(usize) -> (PathBuf, Output),
    reads: impl IntoIterator<Item = (PathBuf, Read)>,
) -> Result<(), Collision> {
    let mut parents = ParentCache::default();
    let mut by_hash: HashMap<u64, usize> = HashMap::with_capacity(count);
    // Outputs whose hash an earlier, different path already took (all but never used).
    let mut spilled: HashMap<PathBuf, usize> = HashMap::new();
    let mut existing: HashMap<FileId, usize> = HashMap::new();
    for k in 0..count {
        let (path, what) = output(k);
        let (normal, absent) = parents.normalise(disk, &path);
        // In a directory missing both as written and normalised, no file exists: one
        // question per directory instead of one (and a path resolution) per output.
        let found = if absent { None } else { disk.find(&path) };
        match found {
            Some(Found::Dir) => return Err(Collision::Directory { output: what, path }),
            Some(Found::File(id)) => {
                if let Some(&first) = existing.get(&id) {
                    return Err(Collision::Outputs {
                        first: output(first).1,
                        second: what,
                        path,
                    });
                }
                existing.insert(id, k);
            }
            // Writing twice to /dev/null or a terminal loses nothing.
            Some(Found::Special) => continue,
            None => {}
        }
        let hash = hash_of(&normal);
        match by_hash.get(&hash) {
            None => {
                by_hash.insert(hash, k);
            }
            Some(&first) => {
                let (first_path, first_what) = output(first);
                if parents.normalise(disk, &first_path).0 == normal {
                    return Err(Collision::Outputs {
                        first: first_what,
                        second: what,
                        path,
                    });
                }
                if let Some(&other) = spilled.get(&normal) {
                    return Err(Collision::Outputs {
                        first: output(other).1,
                        second: what,
                        path,
                    });
                }
                spilled.insert(normal, k);
            }
        }
    }
    // A file the job reads exists; it can only be replaced by an output that exists too.
    if existing.is_empty() {
        return Ok(());
    }
    for (path, read) in reads {
        if let Some(Found::File(id)) = disk.find(&path)
            && let Some(&k) = existing.get(&id)
        {
            let output = output(k).1;
            return Err(Collision::Overwrites { output, read, path });
        }
    }
    Ok(())
}

fn hash_of(path: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}

/// Normalises outputs directory by directory: the outputs of a batch come grouped by
/// directory, so the last directory's answer serves most of them. With it, whether that
/// directory is missing (as written and normalised), so that its files need no look-up.
#[derive(Default)]
struct ParentCache {
    last: Option<(PathBuf, PathBuf, bool)>,
}

impl ParentCache {
    /// The normalised `path`, and whether its directory surely does not exist.
    fn normalise<D: Disk>(&mut self, disk: &D, path: &Path) -> (PathBuf, bool) {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let Some(name) = path.file_name() else {
            // `..` or `/`: no file name to write; resolved whole.
            let normal = disk.normalise(path).unwrap_or_else(|| path.to_path_buf());
            return (normal, false);
        };
        if let Some((given, normal, absent)) = &self.last
            && given == parent
        {
            return (normal.join(name), *absent);
        }
        let normal = disk
            .normalise(parent)
            .unwrap_or_else(|| parent.to_path_buf());
        let absent = disk.missing_dir(parent) && disk.missing_dir(&normal);
        let out = normal.join(name);
        self.last = Some((parent.to_path_buf(), normal, absent));
        (out, absent)
    }
}

/// Where releases go under `--out-dir`. A file named on the command line goes to the top
/// of the directory; the files of a directory argument keep their path under it, and when
/// several directories are given, under a directory named after each
/// (`release a b --out-dir o` writes `o/a/x.release.txt` and `o/b/x.release.txt`). Names
/// are kept byte for byte, so that two names differing in a byte that is not UTF-8 give
/// two outputs, never one.
pub struct Layout {
    pub dir: PathBuf,
    pub extension: &'static str,
    /// Each directory argument (as given) and its name under `dir`, when there are
    /// several.
    pub roots: Vec<(Arc<Path>, OsString)>,
}

impl Layout {
    /// The release path of a file (`path`, walked under `root` if any); `None` for
    /// standard input, written as `stdin.EXT`.
    pub fn release(&self, path: Option<&Path>, root: Option<&Arc<Path>>) -> PathBuf {
        let Some(path) = path else {
            return self.dir.join(format!("stdin.{}", self.extension));
        };
        let mut out = self.dir.clone();
        if let Some(root) = root {
            if let Some((_, name)) = self.roots.iter().find(|(r, _)| r == root) {
                out.push(name);
            }
            if let Some(rel) = path.strip_prefix(root).ok().and_then(Path::parent) {
                out.push(rel);
            }
        }
        out.push(file_name(path, self.extension));
        out
    }
}

/// `STEM.EXT` from a file's own name, byte for byte.
fn file_name(path: &Path, extension: &str) -> OsString {
    let mut name = path
        .file_stem()
        .map_or_else(|| OsString::from("release"), OsStr::to_os_string);
    name.push(".");
    name.push(extension);
    name
}

/// The manifest beside a release: `x.release.txt` → `x.release.manifest.json`.
pub fn manifest_beside(release: &Path) -> PathBuf {
    release.with_extension("manifest.json")
}

#[cfg(test)]
mod tests;
