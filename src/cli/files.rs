//! Input discovery and reading for every command: expands FILE|DIR|- arguments into a
//! sorted list of inputs (directories walked recursively, symlink loops broken), and reads
//! one input with an error that names it. The list is kept compact (path bytes in one
//! buffer), since a large corpus lists hundreds of thousands of files before the batch.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt;
use std::io::Read;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One input document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File {
        path: PathBuf,
        /// The directory argument it was found under, for mirroring into `--out-dir`;
        /// shared by every file found under it.
        root: Option<Arc<Path>>,
    },
}

impl Input {
    /// The input as messages and manifests name it. A path that is not UTF-8 shows its
    /// other bytes as `\xFF`, so that two names differing only there are told apart
    /// (a lossy conversion would show both as `\u{FFFD}`).
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File { path, .. } => match path.to_str() {
                Some(s) => s.to_string(),
                None => escaped(path.as_os_str().as_bytes()),
            },
        }
    }

    pub fn file_name(&self) -> Option<&str> {
        match self {
            Input::Stdin => None,
            Input::File { path, .. } => path.file_name().and_then(|n| n.to_str()),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Stdin => None,
            Input::File { path, .. } => Some(path),
        }
    }
}

/// Bytes as text, each byte that is not part of valid UTF-8 written as `\xHH`.
fn escaped(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// A file that could not be read, named.
#[derive(Debug)]
pub struct InputError {
    pub input: String,
    pub message: String,
    /// The path was given on the command line (missing, or not a file to read), rather
    /// than met in a directory walk: the job cannot run as asked.
    pub argument: bool,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.message)
    }
}

impl std::error::Error for InputError {}

/// Which files a directory walk picks up.
fn wanted(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') {
        return false;
    }
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("txt") | Some("md") | Some("text")
    )
}

/// Where the inputs of one argument come from.
#[derive(Debug)]
enum Source {
    Stdin,
    /// A file named as an argument.
    Named(PathBuf),
    /// A directory argument: its files' paths are this root's bytes followed by theirs.
    Dir(Arc<Path>),
}

/// The expanded input list, compact: a corpus of a hundred thousand files is listed in
/// one shared buffer of path bytes (each walked file keeps only what follows its root
/// argument) and eight bytes of index per file, not one heap path per file. An owned
/// [`Input`] is made on demand, by the worker that processes it.
#[derive(Debug, Default)]
pub struct Inputs {
    /// The walked files' path suffixes, back to back.
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    sources: Vec<Source>,
}

/// One input: where its suffix ends in `bytes` (it starts where the previous one ends)
/// and which source it belongs to.
#[derive(Clone, Copy, Debug)]
struct Entry {
    end: u32,
    source: u32,
}

impl Inputs {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Input `i`, made whole.
    pub fn get(&self, i: usize) -> Input {
        let start = match i {
            0 => 0,
            _ => self.entries[i - 1].end as usize,
        };
        let entry = self.entries[i];
        match &self.sources[entry.source as usize] {
            Source::Stdin => Input::Stdin,
            Source::Named(path) => Input::File {
                path: path.clone(),
                root: None,
            },
            Source::Dir(root) => {
                let suffix = &self.bytes[start..entry.end as usize];
                let mut path = Vec::with_capacity(root.as_os_str().len() + suffix.len());
                path.extend_from_slice(root.as_os_str().as_bytes());
                path.extend_from_slice(suffix);
                Input::File {
                    path: PathBuf::from(OsString::from_vec(path)),
                    root: Some(Arc::clone(root)),
                }
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Input> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Keeps the inputs `keep` accepts, in order, compacting the buffer in place.
    pub fn retain(&mut self, mut keep: impl FnMut(&Input) -> bool) {
        let mut kept = 0;
        let mut write = 0;
        let mut start = 0;
        for i in 0..self.entries.len() {
            let entry = self.entries[i];
            let end = entry.end as usize;
            if keep(&self.get(i)) {
                self.bytes.copy_within(start..end, write);
                write += end - start;
                // `write` never passes `end`, which fitted in a u32.
                self.entries[kept] = Entry {
                    end: write as u32,
                    source: entry.source,
                };
                kept += 1;
            }
            start = end;
        }
        self.entries.truncate(kept);
        self.bytes.truncate(write);
    }

    fn add_source(&mut self, source: Source) -> u32 {
        self.sources.push(source);
        // One source per argument: far fewer than 2^32.
        (self.sources.len() - 1) as u32
    }

    /// Lists an input of `source` whose path suffix is `suffix`; refused (false) only when
    /// the buffer would pass 4 GiB of path bytes.
    fn push(&mut self, source: u32, suffix: &[u8]) -> bool {
        let Ok(end) = u32::try_from(self.bytes.len() + suffix.len()) else {
            return false;
        };
        self.bytes.extend_from_slice(suffix);
        self.entries.push(Entry { end, source });
        true
    }
}

/// Expands arguments into inputs. Named files are taken whatever their extension; walked
/// directories contribute `.txt`, `.md` and `.text` files, sorted by path so output order
/// is deterministic. Unreadable directories and loops are returned as errors beside the
/// inputs found, so that one bad entry never stops the rest.
pub fn expand(args: &[PathBuf]) -> (Inputs, Vec<InputError>) {
    let mut inputs = Inputs::default();
    let mut errors = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            let source = inputs.add_source(Source::Stdin);
            inputs.push(source, b"");
            continue;
        }
        match std::fs::metadata(arg) {
            Ok(meta) if meta.is_dir() => {
                // One shared copy of the root for all the files under it.
                let root: Arc<Path> = Arc::from(arg.as_path());
                let mut walker = Walker {
                    source: inputs.add_source(Source::Dir(root)),
                    root_len: arg.as_os_str().len(),
                    seen: HashSet::new(),
                    inputs: &mut inputs,
                    errors: &mut errors,
                };
                walker.walk(arg);
            }
            Ok(meta) if meta.is_file() => {
                let source = inputs.add_source(Source::Named(arg.clone()));
                inputs.push(source, b"");
            }
            Ok(meta) => errors.push(InputError {
                input: arg.display().to_string(),
                message: format!(
                    "not a regular file ({}); give `-` to read standard input",
                    special_kind(&meta.file_type())
                ),
                argument: true,
            }),
            Err(e) => errors.push(InputError {
                input: arg.display().to_string(),
                message: io_message(&e),
                argument: true,
            }),
        }
    }
    (inputs, errors)
}

/// The walk of one directory argument.
struct Walker<'a> {
    source: u32,
    /// The length of the root argument's bytes, which every path found starts with.
    root_len: usize,
    /// Canonical directories visited, to break symlink loops.
    seen: HashSet<PathBuf>,
    inputs: &'a mut Inputs,
    errors: &'a mut Vec<InputError>,
}

impl Walker<'_> {
    fn error(&mut self, path: &Path, message: String) {
        self.errors.push(InputError {
            input: path.display().to_string(),
            message,
            argument: false,
        });
    }

    /// Walks `dir` depth first, each directory's entries in byte order of their names.
    /// That visits files in the order of a sort by path (component by component), without
    /// sorting the whole list: a directory's files all sort at the place of its name.
    fn walk(&mut self, dir: &Path) {
        let canonical = match dir.canonicalize() {
            Ok(c) => c,
            Err(e) => return self.error(dir, io_message(&e)),
        };
        if !self.seen.insert(canonical) {
            return self.error(
                dir,
                "directory already visited (symlink loop); skipped".into(),
            );
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.error(dir, io_message(&e)),
        };
        let mut entries: Vec<std::fs::DirEntry> = entries.filter_map(Result::ok).collect();
        // One owned name per entry, not one per comparison.
        entries.sort_by_cached_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let path = entry.path();
            match kind(&entry, &path) {
                Ok(Kind::Dir) => {
                    let hidden = path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.') || n == "target");
                    if !hidden {
                        self.walk(&path);
                    }
                }
                Ok(Kind::File) if wanted(&path) => self.found(&path),
                // A FIFO would block the read (and the batch) for ever; a device may
                // never end: only regular files are documents.
                Ok(Kind::Special(what)) if wanted(&path) => {
                    self.error(&path, format!("not a regular file ({what}); skipped"))
                }
                Ok(_) => {}
                Err(e) => self.error(&path, io_message(&e)),
            }
        }
    }

    /// Lists a file found: its path is the root's bytes followed by a suffix, since
    /// every path of the walk is built by joining names onto the root argument.
    fn found(&mut self, path: &Path) {
        let suffix = &path.as_os_str().as_bytes()[self.root_len..];
        if !self.inputs.push(self.source, suffix) {
            self.error(path, "too many input files to list; skipped".into());
        }
    }
}

enum Kind {
    Dir,
    File,
    /// A FIFO, socket or device, by name.
    Special(&'static str),
}

/// What an entry is, following symlinks. The entry's own type comes from the directory
/// listing without a `stat`; only a symlink needs one, to see its target.
fn kind(entry: &std::fs::DirEntry, path: &Path) -> std::io::Result<Kind> {
    let mut file_type = entry.file_type()?;
    if file_type.is_symlink() {
        file_type = std::fs::metadata(path)?.file_type();
    }
    Ok(if file_type.is_dir() {
        Kind::Dir
    } else if file_type.is_file() {
        Kind::File
    } else {
        Kind::Special(special_kind(&file_type))
    })
}

/// What a file that is neither a regular file nor a directory is, in words.
pub fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// Reads an input whole, up to one byte past the document size limit: a larger input is
/// refused here, by its real size, without being read into memory.
pub fn read(input: &Input) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    let len = read_into(input, &mut bytes)?;
    bytes.truncate(len);
    Ok(bytes)
}

thread_local! {
    /// Each worker's read buffer, kept from one input to the next: one allocation per
    /// thread instead of a large one (and its zeroing) per file.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A buffer grown past this by an unusually large input is given back after it.
const KEEP_BUFFER_BYTES: usize = 4 << 20;

/// Reads `input` into this thread's reusable buffer and hands its bytes to `use_bytes`:
/// what a batch worker does for every input, without a fresh allocation per file.
pub fn with_bytes<R>(input: &Input, use_bytes: impl FnOnce(&[u8]) -> R) -> Result<R, InputError> {
    READ_BUFFER.with_borrow_mut(|buf| {
        let len = read_into(input, buf)?;
        let result = use_bytes(&buf[..len]);
        if buf.capacity() > KEEP_BUFFER_BYTES {
            *buf = Vec::new();
        }
        Ok(result)
    })
}

/// [`read`] into a buffer the caller keeps from one input to the next: the document is
/// `buf[..len]` for the returned `len`, and the rest of `buf` is scratch. A worker that
/// reads thousands of files then allocates (and clears) its buffer once, not per file.
pub fn read_into(input: &Input, buf: &mut Vec<u8>) -> Result<usize, InputError> {
    use crate::parse::input::MAX_INPUT_BYTES;
    let error = |message: String| InputError {
        input: input.display(),
        message,
        argument: false,
    };
    // The size a `stat` gave is the file's; a read stopped one byte past the limit knows
    // only that it is larger.
    let too_large = |bytes: usize| {
        error(
            crate::parse::ParseError::TooLarge {
                bytes,
                limit: MAX_INPUT_BYTES,
            }
            .to_string(),
        )
    };
    let larger = || {
        error(format!(
            "document is larger than the {MAX_INPUT_BYTES}-byte limit for one document"
        ))
    };
    let take = MAX_INPUT_BYTES as u64 + 1;
    match input {
        Input::Stdin => {
            buf.clear();
            let result = std::io::stdin().lock().take(take).read_to_end(buf);
            match result {
                Ok(_) if buf.len() <= MAX_INPUT_BYTES => Ok(buf.len()),
                Ok(_) => Err(larger()),
                Err(e) => Err(error(io_message(&e))),
            }
        }
        Input::File { path, .. } => {
            let result = open_regular(path).and_then(|f| {
                let meta = f.metadata()?;
                if !meta.is_file() {
                    return Ok(Err(Refused::Special(special_kind(&meta.file_type()))));
                }
                // The size known up front refuses an oversized file without reading it,
                // and sizes the buffer so that the file comes in one read (and one more
                // to see its end), not a series of growing ones.
                let size = meta.len();
                if size > MAX_INPUT_BYTES as u64 {
                    return Ok(Err(Refused::Size(size)));
                }
                read_sized(f.take(take), size as usize, buf).map(Ok)
            });
            match result {
                Ok(Ok(len)) if len <= MAX_INPUT_BYTES => Ok(len),
                // A file that grew past the limit while it was read.
                Ok(Ok(_)) => Err(larger()),
                Ok(Err(Refused::Size(size))) => Err(too_large(size as usize)),
                Ok(Err(Refused::Special(what))) => {
                    Err(error(format!("not a regular file ({what}); skipped")))
                }
                Err(e) => Err(error(io_message(&e))),
            }
        }
    }
}

/// Why a file was not read.
enum Refused {
    Size(u64),
    Special(&'static str),
}

/// Opens a file for reading without blocking on a FIFO put in its place since the walk
/// (the read itself is then refused by type, not left waiting for a writer).
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

/// Reads a small file the job needs whole (a digest key): a regular file of at most
/// `limit` bytes, refused otherwise with a message saying why, never waited on.
pub fn read_small(path: &Path, limit: usize) -> Result<Vec<u8>, String> {
    let file = open_regular(path).map_err(|e| io_message(&e))?;
    let meta = file.metadata().map_err(|e| io_message(&e))?;
    if !meta.is_file() {
        return Err(format!(
            "not a regular file ({})",
            special_kind(&meta.file_type())
        ));
    }
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_message(&e))?;
    if bytes.len() > limit {
        return Err(format!("larger than the limit of {limit} bytes"));
    }
    Ok(bytes)
}

/// Reads `from` to its end into the front of `buf`, expecting about `size` bytes, and
/// returns how many came. `buf` is made at least `size + 1` long and filled read by read
/// (a buffer long enough already is neither shrunk nor cleared); only a file that grew
/// meanwhile falls back to reading the rest with a growing buffer.
fn read_sized(mut from: impl Read, size: usize, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    if buf.len() <= size {
        buf.resize(size + 1, 0);
    }
    let mut filled = 0;
    while filled < buf.len() {
        match from.read(&mut buf[filled..]) {
            Ok(0) => return Ok(filled),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    from.read_to_end(buf)?;
    Ok(buf.len())
}

/// An I/O error in words, without the OS error number noise.
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a directory".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests;
