//! Input discovery and reading for every command: expands FILE|DIR|- arguments into a
//! sorted list of inputs (directories walked recursively, symlink loops broken), and reads
//! one input with an error that names it.

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File {
        path: PathBuf,
        /// The directory argument it was found under, for mirroring into `--out-dir`.
        root: Option<PathBuf>,
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
                let mut seen = HashSet::new();
                let mut found = Vec::new();
                walk(arg, &mut seen, &mut found, &mut errors);
                found.sort();
                inputs.extend(found.into_iter().map(|path| Input::File {
                    path,
                    root: Some(arg.clone()),
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
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                let hidden = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.') || n == "target");
                if !hidden {
                    walk(&path, seen, found, errors);
                }
            }
            Ok(_) if wanted(&path) => found.push(path),
            Ok(_) => {}
            Err(e) => errors.push(InputError {
                input: path.display().to_string(),
                message: io_message(&e),
            }),
        }
    }
}

/// Reads an input whole, up to one byte past the document size limit: a larger input is
/// refused here, by its real size, without being read into memory.
pub fn read(input: &Input) -> Result<Vec<u8>, InputError> {
    use crate::parse::input::MAX_INPUT_BYTES;
    let mut bytes = Vec::new();
    let take = MAX_INPUT_BYTES as u64 + 1;
    let result = match input {
        Input::Stdin => std::io::stdin()
            .lock()
            .take(take)
            .read_to_end(&mut bytes)
            .map(|_| None),
        Input::File { path, .. } => std::fs::File::open(path).and_then(|mut f| {
            f.by_ref().take(take).read_to_end(&mut bytes)?;
            Ok(f.metadata().ok().map(|m| m.len()))
        }),
    };
    let error = |message: String| InputError {
        input: input.display(),
        message,
    };
    match result {
        Ok(_) if bytes.len() <= MAX_INPUT_BYTES => Ok(bytes),
        Ok(Some(size)) => Err(error(
            crate::parse::ParseError::TooLarge {
                bytes: (size as usize).max(bytes.len()),
                limit: MAX_INPUT_BYTES,
            }
            .to_string(),
        )),
        Ok(None) => Err(error(format!(
            "document is over the {MAX_INPUT_BYTES}-byte limit for one document"
        ))),
        Err(e) => Err(error(io_message(&e))),
    }
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
