//! The combined manifest of a batch (`release DIR --out-dir O --manifest FILE`), written
//! as the batch reports each document in input order, so that memory stays flat however
//! many documents the batch holds. It is a temporary file beside its destination, renamed
//! into place only when the batch is done and every byte is durable; a failure at any
//! point leaves no file behind and fails the run.
//!
//! The bytes are those the batch used to build in memory: one document's manifest alone
//! when the batch has one input, else `{"documents": [` with each manifest on its own,
//! separated by `,\n`, then `]}`.

use super::files;
use crate::output::{self, Staged};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct ManifestSink {
    path: PathBuf,
    body: Body,
    /// The first error: the manifest is then not committed, and the run fails.
    error: Option<String>,
}

enum Body {
    /// One input: its manifest alone (kept until the end, it is the whole file).
    Single(Option<String>),
    /// Several inputs: the JSON array as it grows.
    Streamed {
        staged: Staged,
        writer: BufWriter<File>,
        written: usize,
    },
}

impl ManifestSink {
    /// Opens the manifest at `path` for a batch of `total` inputs.
    pub fn open(path: &Path, total: usize) -> anyhow::Result<ManifestSink> {
        let body = if total == 1 {
            Body::Single(None)
        } else {
            let (staged, file) = output::stream(path)
                .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), files::io_message(&e)))?;
            let mut writer = BufWriter::new(file);
            writer
                .write_all(b"{\"documents\": [\n")
                .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), files::io_message(&e)))?;
            Body::Streamed {
                staged,
                writer,
                written: 0,
            }
        };
        Ok(ManifestSink {
            path: path.to_path_buf(),
            body,
            error: None,
        })
    }

    /// Adds one document's manifest; the first failure is kept for [`ManifestSink::finish`].
    pub fn document(&mut self, manifest: String) {
        if self.error.is_some() {
            return;
        }
        match &mut self.body {
            Body::Single(slot) => *slot = Some(manifest),
            Body::Streamed {
                writer, written, ..
            } => {
                let separator: &[u8] = if *written == 0 { b"" } else { b",\n" };
                let result = writer
                    .write_all(separator)
                    .and_then(|()| writer.write_all(manifest.as_bytes()));
                match result {
                    Ok(()) => *written += 1,
                    Err(e) => self.error = Some(files::io_message(&e)),
                }
            }
        }
    }

    /// Closes the array, makes the file durable and renames it into place. The error is
    /// the reason alone (the caller names the file and counts a failed output).
    pub fn finish(self) -> Result<(), String> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let io = |e: std::io::Error| files::io_message(&e);
        match self.body {
            Body::Single(manifest) => {
                let body = manifest.unwrap_or_else(|| "{\"documents\": [\n]}\n".to_string());
                output::write_atomic(&self.path, body.as_bytes()).map_err(io)
            }
            Body::Streamed {
                staged, mut writer, ..
            } => {
                writer.write_all(b"]}\n").map_err(io)?;
                let file = writer.into_inner().map_err(|e| io(e.into_error()))?;
                file.sync_data().map_err(io)?;
                staged.commit().map_err(io)?;
                output::sync_dir(&output::parent_of(&self.path));
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(total: usize, manifests: &[&str]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let mut sink = ManifestSink::open(&path, total).unwrap();
        for m in manifests {
            sink.document(m.to_string());
        }
        sink.finish().unwrap();
        std::fs::read_to_string(&path).unwrap()
    }

    #[test]
    fn one_input_is_its_manifest_alone() {
        assert_eq!(written(1, &["{\"a\": 1}\n"]), "{\"a\": 1}\n");
    }

    #[test]
    fn several_inputs_are_one_array_in_order() {
        assert_eq!(
            written(3, &["{\"a\": 1}\n", "{\"b\": 2}\n"]),
            "{\"documents\": [\n{\"a\": 1}\n,\n{\"b\": 2}\n]}\n"
        );
    }

    #[test]
    fn a_batch_with_no_manifest_is_an_empty_array() {
        assert_eq!(written(1, &[]), "{\"documents\": [\n]}\n");
        assert_eq!(written(2, &[]), "{\"documents\": [\n]}\n");
    }

    #[test]
    fn nothing_is_left_behind_when_not_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let mut sink = ManifestSink::open(&path, 2).unwrap();
        sink.document("{}".into());
        drop(sink);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
