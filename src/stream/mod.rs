//! The JSON Lines interface, for engines that drive declass one record at a time (Spark's
//! `RDD.pipe`, a queue consumer, a shell pipeline): documents come in as records on one
//! stream and results go out as records on another, one result per input record and in
//! input order, so that the caller pairs them by position as well as by `id`.
//!
//! This module is the format only: reading input records with a bounded line length
//! ([`Reader`]), and the result records ([`Outcome`]). The command that runs the release on
//! each record is `declass release --jsonl` (in `cli::stream`). A record that cannot be
//! read (bad JSON, an unknown key, a line over the limit, undecodable base64) is an error
//! *record* in its place, never the end of the stream.
//!
//! Input, one JSON object per line:
//! `{"id": "a.txt", "text": "…"}`, `{"id": "a.txt", "base64": "…"}` (bytes exactly as
//! stored, any encoding), or `{"path": "dir/a.txt"}` (read from the file system; `id`
//! defaults to the path). `id` names the document in its manifest and result.

mod reader;
mod record;

pub use reader::{Line, Reader};
pub use record::{Document, Outcome, RecordError, Source, encode};

/// The longest input line read: a document at the parser's limit, base64-encoded, with
/// room for the record around it. A longer line is skipped to its end and reported.
pub const MAX_RECORD_BYTES: usize = crate::parse::input::MAX_INPUT_BYTES / 3 * 4 + 64 * 1024;
