//! Input and result records of the JSON Lines interface.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// An input record as it is written; exactly one of `text`, `base64`, `path`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Option<String>,
    text: Option<String>,
    base64: Option<String>,
    path: Option<String>,
}

/// A document to release, from one input record.
#[derive(Debug)]
pub struct Document {
    /// How the result and the manifest name it.
    pub id: String,
    pub source: Source,
}

/// Where a document's bytes are.
#[derive(Debug)]
pub enum Source {
    /// In the record (`text`, as UTF-8, or `base64`, as stored).
    Bytes(Vec<u8>),
    /// In a file, read by the caller with its usual limits and checks.
    Path(PathBuf),
}

/// Why an input record could not be read. The message never quotes the record: it may
/// hold the document's text.
#[derive(Debug, PartialEq, Eq)]
pub struct RecordError {
    /// The input line, from 1.
    pub line: usize,
    /// The record's `id`, when it could be read.
    pub id: Option<String>,
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record on line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for RecordError {}

impl Document {
    /// Reads the record on input line `line`.
    pub fn from_json(line: usize, bytes: &[u8]) -> Result<Document, RecordError> {
        let error = |id: Option<String>, message: String| RecordError { line, id, message };
        let raw: Raw = serde_json::from_slice(bytes).map_err(|e| {
            // serde_json's message may quote an unknown key, never a string value; its
            // column is kept, not the text around it.
            error(None, format!("not a record: {e}"))
        })?;
        let given = [raw.text.is_some(), raw.base64.is_some(), raw.path.is_some()]
            .iter()
            .filter(|&&g| g)
            .count();
        if given != 1 {
            return Err(error(
                raw.id,
                "give exactly one of \"text\", \"base64\" or \"path\"".into(),
            ));
        }
        if let Some(path) = raw.path {
            if path.is_empty() {
                return Err(error(raw.id, "\"path\" is empty".into()));
            }
            return Ok(Document {
                id: raw.id.unwrap_or_else(|| path.clone()),
                source: Source::Path(PathBuf::from(path)),
            });
        }
        let Some(id) = raw.id else {
            return Err(error(
                None,
                "a record with \"text\" or \"base64\" needs an \"id\"".into(),
            ));
        };
        let bytes = match (raw.text, raw.base64) {
            (Some(text), _) => text.into_bytes(),
            (None, Some(b64)) => match STANDARD.decode(b64.as_bytes()) {
                Ok(bytes) => bytes,
                Err(e) => return Err(error(Some(id), format!("\"base64\" is not base64: {e}"))),
            },
            (None, None) => unreachable!("one source was counted"),
        };
        Ok(Document {
            id,
            source: Source::Bytes(bytes),
        })
    }
}

/// The result record of one input record, written as one JSON line.
#[derive(Serialize)]
pub struct Outcome<'a> {
    /// The input line this answers.
    pub line: usize,
    pub id: Option<&'a str>,
    /// `released` (a release was produced and passed every check) or `failed`.
    pub status: &'static str,
    /// The output format (`text`, `json`, `pdf`), for a release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    /// The release as text (text and JSON formats).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<&'a str>,
    /// The release as base64 (PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_base64: Option<String>,
    /// The manifest, as the exact bytes a batch writes beside the release (a JSON text
    /// in a string, so that a consumer can store it byte for byte).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stamp: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub warnings: &'a [String],
    /// Why no release was produced; names places, never withheld text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
}

impl Outcome<'_> {
    /// The record as one line of JSON, with its newline.
    pub fn to_line(&self) -> Vec<u8> {
        let mut line = serde_json::to_vec(self).expect("a result record serialises");
        line.push(b'\n');
        line
    }
}

/// Encodes bytes (a PDF release) for a result record.
pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_base64_and_path_records_are_read() {
        let d = Document::from_json(1, br#"{"id": "a", "text": "x\u00e9"}"#).unwrap();
        assert_eq!(d.id, "a");
        assert!(matches!(d.source, Source::Bytes(ref b) if b == "xé".as_bytes()));
        let d = Document::from_json(2, br#"{"id": "b", "base64": "/w=="}"#).unwrap();
        assert!(matches!(d.source, Source::Bytes(ref b) if b == &[0xff]));
        let d = Document::from_json(3, br#"{"path": "dir/c.txt"}"#).unwrap();
        assert_eq!(d.id, "dir/c.txt");
        assert!(matches!(d.source, Source::Path(ref p) if p.to_str() == Some("dir/c.txt")));
    }

    #[test]
    fn bad_records_are_errors_naming_the_line_never_the_text() {
        let e =
            Document::from_json(7, br#"{"id": "a", "text": "SECRET WORDS", "x": 1}"#).unwrap_err();
        assert_eq!(e.line, 7);
        assert!(e.message.contains("unknown field"), "{}", e.message);
        assert!(!e.message.contains("SECRET WORDS"));
        let e = Document::from_json(1, br#"{"id": "a", "text": "t", "path": "p"}"#).unwrap_err();
        assert_eq!(e.id.as_deref(), Some("a"));
        let e = Document::from_json(1, br#"{"text": "t"}"#).unwrap_err();
        assert!(e.message.contains("needs an \"id\""));
        let e = Document::from_json(1, br#"{"id": "a", "base64": "!!"}"#).unwrap_err();
        assert!(e.message.contains("not base64"));
        let e = Document::from_json(1, b"{\"id\": \"a\", \"text\": \"SECRET").unwrap_err();
        assert!(!e.message.contains("SECRET"), "{}", e.message);
    }

    #[test]
    fn a_result_is_one_line() {
        let warnings = vec!["w".to_string()];
        let line = Outcome {
            line: 1,
            id: Some("a"),
            status: "released",
            format: Some("text"),
            release: Some("A\nB\n"),
            release_base64: None,
            manifest: Some("{}\n"),
            stamp: None,
            warnings: &warnings,
            error: None,
        }
        .to_line();
        assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
        let v: serde_json::Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(v["release"], "A\nB\n");
        assert_eq!(v["warnings"][0], "w");
    }
}
