//! Input discovery and reading for every command: expands FILE|DIR|- arguments into a
//! sorted list of inputs (directories walked recursively, symlink loops broken), and reads
//! one input with an error that names it.

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
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
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File { path, .. } => path.display().to_string(),
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

/// A file that could not be read, named.
#[derive(Debug)]
pub struct InputError {
    pub input: String,
    pub message: String,
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

/// Expands arguments into inputs. Named files are taken whatever their extension; walked
/// directories contribute `.txt`, `.md` and `.text` files, sorted by path so output order
/// is deterministic. Unreadable directories and loops are returned as errors beside the
/// inputs found, so that one bad entry never stops the rest.
pub fn expand(args: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(arg) {
            Ok(meta) if meta.is_dir() => {
                // One shared copy of the root for all the files under it.
                let root: Arc<Path> = Arc::from(arg.as_path());
                let mut seen = HashSet::new();
                let mut found = Vec::new();
                walk(arg, &mut seen, &mut found, &mut errors);
                inputs.extend(found.into_iter().map(|path| Input::File {
                    path,
                    root: Some(Arc::clone(&root)),
                }));
            }
            Ok(_) => inputs.push(Input::File {
                path: arg.clone(),
                root: None,
            }),
            Err(e) => errors.push(InputError {
                input: arg.display().to_string(),
                message: io_message(&e),
            }),
        }
    }
    (inputs, errors)
}

/// Walks `dir` depth first, each directory's entries in byte order of their names. That
/// visits files in the order of a sort by path (component by component), without sorting
/// the whole list: a directory's files all sort at the place of its name.
fn walk(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    found: &mut Vec<PathBuf>,
    errors: &mut Vec<InputError>,
) {
    let canonical = match dir.canonicalize() {
        Ok(c) => c,
        Err(e) => {
            errors.push(InputError {
                input: dir.display().to_string(),
                message: io_message(&e),
            });
            return;
        }
    };
    if !seen.insert(canonical) {
        errors.push(InputError {
            input: dir.display().to_string(),
            message: "directory already visited (symlink loop); skipped".into(),
        });
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(InputError {
                input: dir.display().to_string(),
                message: io_message(&e),
            });
            return;
        }
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
                    walk(&path, seen, found, errors);
                }
            }
            Ok(Kind::Other) if wanted(&path) => found.push(path),
            Ok(Kind::Other) => {}
            Err(e) => errors.push(InputError {
                input: path.display().to_string(),
                message: io_message(&e),
            }),
        }
    }
}

enum Kind {
    Dir,
    Other,
}

/// Whether an entry is a directory, following symlinks. The entry's own type comes from
/// the directory listing without a `stat`; only a symlink needs one, to see its target.
fn kind(entry: &std::fs::DirEntry, path: &Path) -> std::io::Result<Kind> {
    let file_type = entry.file_type()?;
    let is_dir = if file_type.is_symlink() {
        std::fs::metadata(path)?.is_dir()
    } else {
        file_type.is_dir()
    };
    Ok(if is_dir { Kind::Dir } else { Kind::Other })
}

/// Reads an input whole, up to one byte past the document size limit: a larger input is
/// refused here, by its real size, without being read into memory.
pub fn read(input: &Input) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    let len = read_into(input, &mut bytes)?;
    bytes.truncate(len);
    Ok(bytes)
}

/// [`read`] into a buffer the caller keeps from one input to the next: the document is
/// `buf[..len]` for the returned `len`, and the rest of `buf` is scratch. A worker that
/// reads thousands of files then allocates (and clears) its buffer once, not per file.
pub fn read_into(input: &Input, buf: &mut Vec<u8>) -> Result<usize, InputError> {
    use crate::parse::input::MAX_INPUT_BYTES;
    let error = |message: String| InputError {
        input: input.display(),
        message,
    };
    let too_large = |bytes: usize| {
        error(
            crate::parse::ParseError::TooLarge {
                bytes,
                limit: MAX_INPUT_BYTES,
            }
            .to_string(),
        )
    };
    let take = MAX_INPUT_BYTES as u64 + 1;
    match input {
        Input::Stdin => {
            buf.clear();
            let result = std::io::stdin().lock().take(take).read_to_end(buf);
            match result {
                Ok(_) if buf.len() <= MAX_INPUT_BYTES => Ok(buf.len()),
                Ok(_) => Err(error(format!(
                    "document is over the {MAX_INPUT_BYTES}-byte limit for one document"
                ))),
                Err(e) => Err(error(io_message(&e))),
            }
        }
        Input::File { path, .. } => {
            let result = std::fs::File::open(path).and_then(|f| {
                // The size known up front refuses an oversized file without reading it,
                // and sizes the buffer so that the file comes in one read (and one more
                // to see its end), not a series of growing ones.
                let size = f.metadata().map_or(0, |m| m.len());
                if size > MAX_INPUT_BYTES as u64 {
                    return Ok(Err(size));
                }
                read_sized(f.take(take), size as usize, buf).map(Ok)
            });
            match result {
                Ok(Ok(len)) if len <= MAX_INPUT_BYTES => Ok(len),
                // A file that grew past the limit while it was read.
                Ok(Ok(len)) => Err(too_large(len)),
                Ok(Err(size)) => Err(too_large(size as usize)),
                Err(e) => Err(error(io_message(&e))),
            }
        }
    }
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
mod tests {
    use super::*;

    fn shown(inputs: &[Input], root: &Path) -> Vec<String> {
        inputs
            .iter()
            .map(|i| {
                let path = i.path().expect("a file");
                path.strip_prefix(root)
                    .expect("under root")
                    .display()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn walk_order_is_path_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // `a/` sorts before `a-b.txt` and `a.txt` by path (component by component), though
        // `/` is after `-` and `.` in bytes.
        for name in ["a.txt", "a-b.txt", "a/z.txt", "a/b/c.md", "b.text", "B.txt"] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "text").unwrap();
        }
        for skipped in [".hidden.txt", "notes.pdf", "target/x.txt", ".git/y.txt"] {
            let path = root.join(skipped);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "text").unwrap();
        }
        let (inputs, errors) = expand(&[root.to_path_buf()]);
        assert!(errors.is_empty());
        let mut by_path: Vec<PathBuf> = inputs.iter().map(|i| i.path().unwrap().into()).collect();
        by_path.sort();
        let sorted: Vec<&Path> = by_path.iter().map(PathBuf::as_path).collect();
        let walked: Vec<&Path> = inputs.iter().map(|i| i.path().unwrap()).collect();
        assert_eq!(walked, sorted);
        assert_eq!(
            shown(&inputs, root),
            ["B.txt", "a/b/c.md", "a/z.txt", "a-b.txt", "a.txt", "b.text"]
        );
        let Input::File { root: Some(r), .. } = &inputs[0] else {
            panic!("a walked file keeps its root");
        };
        assert_eq!(&**r, root);
    }

    #[test]
    fn sized_read_takes_what_is_there() {
        for (text, guess) in [("", 0), ("abc", 3), ("abc", 0), ("abcdef", 2), ("ab", 10)] {
            let mut bytes = Vec::new();
            let len = read_sized(text.as_bytes(), guess, &mut bytes).unwrap();
            assert_eq!(
                &bytes[..len],
                text.as_bytes(),
                "{text} with a guess of {guess}"
            );
            // A reused buffer, longer than the text and holding the last one's bytes.
            let mut reused = b"left over from a longer document".to_vec();
            let len = read_sized(text.as_bytes(), guess, &mut reused).unwrap();
            assert_eq!(&reused[..len], text.as_bytes(), "{text} reusing a buffer");
        }
    }

    #[test]
    fn files_are_read_whole_and_oversized_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.txt");
        std::fs::write(&path, "UNCLASSIFIED\n1. Text.\n").unwrap();
        let input = Input::File {
            path: path.clone(),
            root: None,
        };
        assert_eq!(read(&input).unwrap(), b"UNCLASSIFIED\n1. Text.\n");
        let big = std::fs::File::create(&path).unwrap();
        big.set_len(crate::parse::input::MAX_INPUT_BYTES as u64 + 5)
            .unwrap();
        let e = read(&input).unwrap_err();
        assert!(e.message.contains("over the"), "{}", e.message);
        assert!(
            e.message
                .contains(&(crate::parse::input::MAX_INPUT_BYTES + 5).to_string())
        );
    }
}
