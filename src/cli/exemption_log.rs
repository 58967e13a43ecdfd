//! `declass release --log FILE.csv|.json|.html`: the exemption log written as the batch
//! goes, one document at a time in input order, under a temporary name renamed into
//! place (after a sync) only once the batch is done, so a failed run never leaves half a
//! log at the name. The rows come leak-checked from the library.

use super::files;
use crate::document::Date;
use crate::output::{self, Staged};
use crate::policy::Policy;
use crate::release::log::{DocumentLog, LogFormat, LogMeta, LogWriter};
use anyhow::bail;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

pub struct LogSink {
    path: PathBuf,
    staged: Staged,
    writer: Option<LogWriter<BufWriter<File>>>,
    /// The first write error: the log is then not committed, and the run fails.
    error: Option<String>,
}

impl LogSink {
    /// Opens the log for writing; its format comes from the extension.
    pub fn open(
        path: &Path,
        policy: &Policy,
        as_of: Date,
        case: Option<String>,
    ) -> anyhow::Result<LogSink> {
        let Some(format) = LogFormat::from_path(path) else {
            bail!(
                "{}: the exemption log is written as .csv, .json or .html; name the file with one of these extensions",
                path.display()
            );
        };
        let io =
            |e: std::io::Error| anyhow::anyhow!("{}: {}", path.display(), files::io_message(&e));
        let (staged, file) = output::stream(path).map_err(io)?;
        let meta = LogMeta::new(policy, as_of, case);
        let writer = LogWriter::new(format, meta, BufWriter::new(file)).map_err(io)?;
        Ok(LogSink {
            path: path.to_path_buf(),
            staged,
            writer: Some(writer),
            error: None,
        })
    }

    /// Writes one document's rows; the first failure is kept for [`LogSink::finish`].
    pub fn document(&mut self, log: &DocumentLog) {
        if self.error.is_some() {
            return;
        }
        if let Some(w) = self.writer.as_mut()
            && let Err(e) = w.document(log)
        {
            self.error = Some(files::io_message(&e));
        }
    }

    /// Writes the totals, makes the file durable and renames it into place.
    pub fn finish(mut self) -> anyhow::Result<()> {
        let name = self.path.display().to_string();
        if let Some(e) = self.error.take() {
            bail!("{name}: {e}; exemption log not written");
        }
        let writer = self.writer.take().expect("finished once");
        let io = |e: std::io::Error| anyhow::anyhow!("{name}: {}", files::io_message(&e));
        let (buf, _) = writer.finish().map_err(io)?;
        let file = buf.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_data().map_err(io)?;
        self.staged.commit().map_err(io)?;
        output::sync_dir(&output::parent_of(&self.path));
        Ok(())
    }
}
