//! `declass release --jsonl`: documents as JSON Lines records on standard input, one
//! result record per input record on standard output, in input order (the format is
//! [`crate::stream`]). This is how an engine drives declass over a corpus it holds
//! (Spark's `RDD.pipe`, see `examples/spark/`): each worker process reads its partition's
//! records and answers them, with memory bounded by one window of records whatever the
//! stream's length.
//!
//! Every release goes through the same job as a batch ([`pipeline::produce`]: guard and
//! leak check included), so a record's release and manifest are byte for byte those a
//! batch writes for the same document and `id` with `--consistency off` (the consistency
//! pass compares documents across a whole batch, which a stream never holds). A record
//! that fails is a result record with `"status": "failed"` and the reason; the stream
//! goes on. Exit 1 when any record failed, 2 when the job could not run at all.

use super::batch;
use super::files::{self, Input};
use crate::job::{self as pipeline, Format, Job};
use crate::stream::{self, Document, Line, Outcome, Reader, Source};
use std::io::{self, BufRead, Write};

/// Records released together: enough to keep every thread busy, few enough that the
/// window's documents and results stay small.
const WINDOW_RECORDS: usize = 64;
/// A window also closes once its records hold this many bytes.
const WINDOW_BYTES: usize = 64 << 20;

/// One record as read, before its release.
enum Item {
    Document { line: usize, doc: Document },
    Bad(stream::RecordError),
}

/// Releases every record of `input` and writes the results to `output`. Returns how many
/// records failed.
pub fn run(
    input: impl BufRead,
    mut output: impl Write,
    job: &Job<'_>,
    threads: usize,
) -> io::Result<usize> {
    let mut reader = Reader::new(input, stream::MAX_RECORD_BYTES);
    let mut failed = 0;
    loop {
        let window = read_window(&mut reader)?;
        if window.is_empty() {
            break;
        }
        let mut write_error = None;
        batch::run_indexed(
            window.len(),
            threads,
            |i| answer(&window[i], job),
            |_, (line, ok)| {
                if !ok {
                    failed += 1;
                }
                if write_error.is_none()
                    && let Err(e) = output.write_all(&line)
                {
                    write_error = Some(e);
                }
            },
        );
        if let Some(e) = write_error {
            return Err(e);
        }
        // Each window's results reach the engine before the next window is read, so a
        // consumer pairing records sees them as soon as they exist.
        output.flush()?;
    }
    Ok(failed)
}

/// The next records, up to the window's limits.
fn read_window(reader: &mut Reader<impl BufRead>) -> io::Result<Vec<Item>> {
    let mut window = Vec::new();
    let mut bytes = 0;
    while window.len() < WINDOW_RECORDS && bytes < WINDOW_BYTES {
        let Some(line) = reader.next_line()? else {
            break;
        };
        window.push(match line {
            Line::TooLong { number } => Item::Bad(stream::RecordError {
                line: number,
                id: None,
                message: format!(
                    "the record is longer than the {}-byte limit; skipped",
                    stream::MAX_RECORD_BYTES
                ),
            }),
            Line::Text {
                number,
                bytes: text,
            } => {
                bytes += text.len();
                match Document::from_json(number, &text) {
                    Ok(doc) => Item::Document { line: number, doc },
                    Err(e) => Item::Bad(e),
                }
            }
        });
    }
    Ok(window)
}

/// One record's result line, and whether it was released.
fn answer(item: &Item, job: &Job<'_>) -> (Vec<u8>, bool) {
    let (line, doc) = match item {
        Item::Bad(e) => return (failure(e.line, e.id.as_deref(), &e.message), false),
        Item::Document { line, doc } => (*line, doc),
    };
    let produced = match &doc.source {
        Source::Bytes(bytes) => pipeline::produce(bytes, &doc.id, job).map_err(|e| e.to_string()),
        Source::Path(path) => {
            let input = Input::File {
                path: path.clone(),
                root: None,
            };
            files::with_bytes(&input, |bytes| {
                pipeline::produce(bytes, &doc.id, job).map_err(|e| e.to_string())
            })
            .map_err(|e| e.message)
            .flatten()
        }
    };
    match produced {
        Ok(p) => {
            let (release, release_base64) = match job.format {
                Format::Pdf => (None, Some(stream::encode(&p.bytes))),
                Format::Text | Format::Json => match std::str::from_utf8(&p.bytes) {
                    Ok(text) => (Some(text), None),
                    Err(_) => (None, Some(stream::encode(&p.bytes))),
                },
            };
            let record = Outcome {
                line,
                id: Some(&doc.id),
                status: "released",
                format: Some(job.format.as_str()),
                release,
                release_base64,
                manifest: Some(&p.manifest),
                stamp: Some(&p.stamp),
                warnings: &p.warnings,
                error: None,
            };
            (record.to_line(), true)
        }
        Err(message) => (failure(line, Some(&doc.id), &message), false),
    }
}

fn failure(line: usize, id: Option<&str>, message: &str) -> Vec<u8> {
    Outcome {
        line,
        id,
        status: "failed",
        format: None,
        release: None,
        release_base64: None,
        manifest: None,
        stamp: None,
        warnings: &[],
        error: Some(message),
    }
    .to_line()
}
