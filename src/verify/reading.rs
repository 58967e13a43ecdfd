//! A release read as an attacker would: every place text can be, as normalised pieces that
//! know where they came from.
//!
//! Place in `verify`: the first step. [`read`] takes the release's bytes: a PDF (`%PDF`
//! anywhere in the first 1024 bytes) goes to [`super::pdf`]; anything else is decoded
//! whatever its encoding ([`super::decode`]) and, when it is a JSON release, split into its
//! strings. Every piece is normalised ([`super::normalize`]); the checks read the pieces and
//! name findings by [`Place`] and line, never by the text.

use std::fmt;

use super::decode::{Encoding, decode};
use super::normalize::normalize;
use super::pdf;

/// How far into a file the `%PDF` header may be and still be read as a PDF, as viewers do.
const PDF_HEADER_REACH: usize = 1024;

/// Where a piece of a release is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A text release.
    Text,
    /// A string of a JSON release, by its path (`release`, `manifest.paragraphs[2].rule`).
    Json(String),
    /// A page's text in reading order (rows top to bottom).
    Page(usize),
    /// A page's text in the order its content streams show it.
    PageStream(usize),
    /// An annotation of a page: its strings and appearance.
    Annotation { page: usize, object: String },
    /// An entry of the Info dictionary.
    Info(String),
    /// A metadata (XMP) stream.
    Metadata(String),
    /// The strings of one object.
    Object(String),
    /// Another stream's decoded bytes (an attachment, an unused form).
    Stream(String),
    /// Strings found by a byte scan of the file (outside any structure the parser read).
    Bytes(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Text => f.write_str("text"),
            Place::Json(path) => write!(f, "JSON {path}"),
            Place::Page(p) => write!(f, "page {p}"),
            Place::PageStream(p) => write!(f, "page {p} (content stream order)"),
            Place::Annotation { page, object } => write!(f, "page {page} annotation {object}"),
            Place::Info(key) => write!(f, "Info /{key}"),
            Place::Metadata(object) => write!(f, "metadata stream {object}"),
            Place::Object(object) => write!(f, "strings of object {object}"),
            Place::Stream(object) => write!(f, "stream {object}"),
            Place::Bytes(offset) => write!(f, "byte scan from offset {offset}"),
        }
    }
}

/// One place's text.
#[derive(Clone, Debug)]
pub struct Piece {
    pub place: Place,
    /// Normalised text, `\n` between lines.
    pub text: String,
    /// Content a release prints (as opposed to metadata, strings, byte scans): what must
    /// come from the source.
    pub content: bool,
    /// For page text, the stream each line's first glyph came from (`12 0 R`).
    pub line_streams: Vec<String>,
}

impl Piece {
    pub fn new(place: Place, text: &str, content: bool) -> Piece {
        Piece {
            place,
            text: normalize(text),
            content,
            line_streams: Vec::new(),
        }
    }

    /// Where line `line` (from 1) of this piece is.
    pub fn locate(&self, line: usize) -> String {
        let mut s = format!("{} line {line}", self.place);
        if let Some(stream) = self.line_streams.get(line.wrapping_sub(1))
            && !stream.is_empty()
        {
            s.push_str(&format!(" (stream {stream})"));
        }
        s
    }
}

/// What kind of release was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Text(Encoding),
    Json(Encoding),
    Pdf,
}

/// A release, read.
#[derive(Debug)]
pub struct Reading {
    pub kind: Kind,
    pub pieces: Vec<Piece>,
    /// The JSON release's embedded manifest, if any.
    pub manifest: Option<serde_json::Value>,
    /// Things the reader could not read, which the report lists (a damaged PDF part).
    pub notes: Vec<String>,
    /// Boxes of a PDF with text under them.
    pub covered: Vec<pdf::cover::Covered>,
}

/// Why a release could not be read at all.
#[derive(Debug)]
pub enum ReadError {
    Empty,
    Pdf(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Empty => f.write_str("the release is empty"),
            ReadError::Pdf(why) => write!(f, "cannot read the PDF: {why}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// Where the `%PDF` header is, if within reach.
pub fn pdf_header(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(PDF_HEADER_REACH + 5)];
    head.windows(5).position(|w| w == b"%PDF-")
}

pub fn read(bytes: &[u8]) -> Result<Reading, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if pdf_header(bytes).is_some() {
        let pdf = pdf::read(bytes).map_err(ReadError::Pdf)?;
        return Ok(Reading {
            kind: Kind::Pdf,
            pieces: pdf.pieces,
            manifest: None,
            notes: pdf.notes,
            covered: pdf.covered,
        });
    }
    let (text, encoding) = decode(bytes);
    if text.trim_start().starts_with('{')
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(&text)
    {
        let mut pieces = Vec::new();
        json_strings(&value, String::new(), &mut pieces);
        let manifest = value.get("manifest").cloned();
        return Ok(Reading {
            kind: Kind::Json(encoding),
            pieces,
            manifest,
            notes: Vec::new(),
            covered: Vec::new(),
        });
    }
    Ok(Reading {
        kind: Kind::Text(encoding),
        pieces: vec![Piece::new(Place::Text, &text, true)],
        manifest: None,
        notes: Vec::new(),
        covered: Vec::new(),
    })
}

/// Every string of a JSON value (keys included), the top-level `release` counted as content.
fn json_strings(value: &serde_json::Value, path: String, out: &mut Vec<Piece>) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            let content = path == "release";
            out.push(Piece::new(Place::Json(path), s, content));
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                json_strings(v, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                out.push(Piece::new(Place::Json(format!("{p} (key)")), k, false));
                json_strings(v, p, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_found_behind_leading_bytes() {
        assert_eq!(pdf_header(b"x%PDF-1.4\n"), Some(1));
        assert_eq!(pdf_header(b"plain text"), None);
    }

    #[test]
    fn json_releases_are_read_string_by_string() {
        let r =
            read(br#"{"release": "UNCLASSIFIED\nline two", "manifest": {"stamp": "X"}}"#).unwrap();
        assert!(matches!(r.kind, Kind::Json(_)));
        let release = r
            .pieces
            .iter()
            .find(|p| p.place == Place::Json("release".into()));
        assert!(release.is_some_and(|p| p.content && p.text.ends_with("line two")));
        assert!(r.manifest.is_some());
    }
}
