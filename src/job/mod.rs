//! The job: one document through the whole pipeline, bytes in and bytes out, with no I/O:
//! parse, decide, build the release, render it, then check the rendered bytes and the manifest
//! for withheld material before anything is handed back to be written. The CLI, the fuzz
//! targets and the property tests all go through here, so every output is guarded.
//!
//! Two guards stand on every output. The leak check looks for the withheld material
//! itself; the mark-anywhere [`crate::guard`] (which does not trust the parser) is the
//! backstop: a rendered output (the text, the text read back from a PDF with its metadata
//! strings, the manifest, the JSON's release text) that still carries a mark above the
//! target, or an unreadable one, governing text is refused with its location only.

use crate::document::Document;
use crate::guard::{Guard, Reading};
use crate::parse::{self, ParseError};
use crate::policy::{Context, Policy};
use crate::release::consistency::{self, DocSig, Fixes};
use crate::release::leak::{LeakGuard, ParagraphWords};
use crate::release::log::{self, DocumentLog};
use crate::release::manifest::{self, ManifestInput};
use crate::release::notice;
use crate::release::{Release, ReleaseError, build};
use crate::render::pdf::{self, PdfError};
use crate::render::text::{self, Stamping, TextOptions};
use std::fmt;

mod json_text;
mod manifest_json;
pub mod stash;

use json_text::to_pretty_with_text;

/// Output format of a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    /// The text release and its manifest in one JSON document.
    Json,
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Pdf => "pdf",
        }
    }

    /// The file extension of outputs in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "release.txt",
            Format::Json => "release.json",
            Format::Pdf => "pdf",
        }
    }
}

/// Everything about a release job that is the same for every document of a batch.
pub struct Job<'a> {
    pub policy: &'a Policy,
    pub context: &'a Context,
    pub format: Format,
    pub stamping: Stamping,
    pub text: TextOptions,
    pub digest_key: Option<&'a [u8]>,
    /// Reviewer decisions applied after the policy (`--decisions`).
    pub review: Option<crate::decisions::Review<'a>>,
    /// Make the exemption log's rows (`--log`): without it [`Produced::log`] is empty.
    pub log: bool,
}

/// What one document produced.
pub struct Produced {
    pub bytes: Vec<u8>,
    /// The manifest, as pretty JSON, already leak-checked.
    pub manifest: String,
    pub stamp: String,
    pub pages: usize,
    pub released: usize,
    pub withheld: usize,
    pub warnings: Vec<String>,
    /// The exemption log rows, already leak-checked; empty unless [`Job::log`].
    pub log: DocumentLog,
}

#[derive(Debug)]
pub enum JobError {
    Parse(ParseError),
    Release(ReleaseError),
    Pdf(PdfError),
    /// `--require-approval`: these portions carry reviewer decisions nobody approved.
    Unapproved(Vec<String>),
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Parse(e) => e.fmt(f),
            JobError::Release(e) => e.fmt(f),
            JobError::Pdf(e) => write!(f, "PDF: {e}"),
            JobError::Unapproved(p) => write!(
                f,
                "refused (--require-approval): reviewer decisions not approved by a second reviewer: {}",
                p.join(", ")
            ),
        }
    }
}

impl std::error::Error for JobError {}

impl From<ReleaseError> for JobError {
    fn from(e: ReleaseError) -> JobError {
        JobError::Release(e)
    }
}

/// Releases one document. `path` is how the manifest names the input.
pub fn produce(input: &[u8], path: &str, job: &Job<'_>) -> Result<Produced, JobError> {
    produce_with(input, path, job, None)
}

/// [`produce`], with the batch consistency pass's amendments for this document.
pub fn produce_with(
    input: &[u8],
    path: &str,
    job: &Job<'_>,
    fixes: Option<&Fixes>,
) -> Result<Produced, JobError> {
    let name = std::path::Path::new(path)
        .file_name()
        .and_then(|n| n.to_str());
    let doc = parse::parse(input, name).map_err(JobError::Parse)?;
    produce_doc_with(&doc, input, path, job, fixes)
}

/// One parse and one decision for both passes of a consistent batch release: the
/// document's signature (of the policy's decisions, before any amendment or review) and its
/// release as [`produce`] makes it (amended by nothing, checked like every output), which
/// the release pass takes from a [`stash`] instead of parsing the document again. The
/// paragraphs' words are hashed once, for the signature and the leak guard. An error is
/// the parse's; the release's own error is the inner one.
pub fn sign_and_produce(
    input: &[u8],
    path: &str,
    job: &Job<'_>,
) -> Result<(DocSig, Result<Produced, JobError>), JobError> {
    let name = std::path::Path::new(path)
        .file_name()
        .and_then(|n| n.to_str());
    let doc = parse::parse(input, name).map_err(JobError::Parse)?;
    let decisions = job.policy.decide(&doc, job.context);
    let words = consistency::paragraph_words(&doc);
    let sig = DocSig::of_words(path, &doc, &decisions, &words);
    Ok((
        sig,
        produce_decided(&doc, decisions, input, path, job, None, Some(&words)),
    ))
}

/// Releases an already-parsed document.
pub fn produce_doc(
    doc: &Document,
    input: &[u8],
    path: &str,
    job: &Job<'_>,
) -> Result<Produced, JobError> {
    produce_doc_with(doc, input, path, job, None)
}

fn produce_doc_with(
    doc: &Document,
    input: &[u8],
    path: &str,
    job: &Job<'_>,
    fixes: Option<&Fixes>,
) -> Result<Produced, JobError> {
    let mut decisions = job.policy.decide(doc, job.context);
    if let Some(f) = fixes {
        f.apply(&mut decisions);
    }
    produce_decided(doc, decisions, input, path, job, fixes, None)
}

/// The release of `doc` under `decisions` (the policy's, amended by `fixes` when given);
/// `words`, the paragraphs' word hashes when the caller has them.
fn produce_decided(
    doc: &Document,
    mut decisions: crate::policy::Decisions,
    input: &[u8],
    path: &str,
    job: &Job<'_>,
    fixes: Option<&Fixes>,
    words: Option<&ParagraphWords>,
) -> Result<Produced, JobError> {
    let reviewed = match &job.review {
        Some(r) => r
            .run(
                doc,
                input,
                path,
                job.stamping.doc.as_deref(),
                &mut decisions,
            )
            .map_err(JobError::Unapproved)?,
        None => Vec::new(),
    };
    let release = build(doc, &decisions)?;
    // A document denied in full is released as a withdrawal notice.
    let release = match notice::applies(&release) {
        true => notice::replace(doc, &decisions, release, job.stamping.doc.as_deref()),
        false => release,
    };
    let guard = guard_for(&release, words);
    let marks = Guard::new(crate::release::released_level(doc, &decisions));
    let mut warnings: Vec<String> = release.guard.iter().map(ToString::to_string).collect();
    warnings.extend(reviewed);
    // The manifest and the exemption log name the input by its path. A file name made
    // from the document's title (`…-jumping-into-yorkshires-village-life.txt`) carries a
    // withheld title into them: the input is then named by a neutral label, and the
    // release goes on instead of being refused.
    let path = if guard.check(path).is_empty() && marks.blocking(path).is_empty() {
        path
    } else {
        warnings.push(format!(
            "the input's file name carries withheld text: the manifest and log name it \"{WITHHELD_NAME}\""
        ));
        WITHHELD_NAME
    };
    let label = job.stamping.doc.as_deref().unwrap_or(path);
    // A PDF's lines are placed by page and line on the page in the manifest.
    let mut origins = None;
    // The text release is checked as it is written; a PDF through the text read back
    // from it.
    let (bytes, pages, text_out) = match job.format {
        // JSON bytes are made below, once the manifest exists.
        Format::Text | Format::Json => {
            let text_out = text::render(&release, &job.stamping, job.text);
            if crate::pdf::is_pdf(input) {
                // Read again (it parsed before): the document keeps no pages.
                origins = crate::pdf::read(input).ok().map(|t| t.origins);
            }
            check(&guard, &text_out)?;
            backstop(&marks, &text_out, "text")?;
            if job.format == Format::Text {
                (text_out.into_bytes(), 0, None)
            } else {
                (Vec::new(), 0, Some(text_out))
            }
        }
        // A PDF released as a PDF keeps its pages: redacted in place (src/pdf).
        Format::Pdf if crate::pdf::is_pdf(input) => {
            let out = crate::pdf::release::in_place(
                input,
                doc,
                &release,
                &marks,
                &in_place_options(&release, job),
            )
            .map_err(|e| JobError::Pdf(PdfError::Unsupported(e.to_string())))?;
            check(&guard, &out.readback.all)?;
            backstop(&marks, &out.readback.text, "PDF")?;
            origins = Some(out.origins);
            (out.bytes, out.pages, None)
        }
        Format::Pdf => {
            let input = crate::render::pdf_input(&release, &job.stamping, job.text);
            let out = pdf::render(&input).map_err(JobError::Pdf)?;
            warnings.extend(out.warnings);
            let extracted = pdf::extract(&out.bytes).map_err(JobError::Pdf)?;
            if extracted.has_xmp || extracted.has_incremental_updates {
                return Err(JobError::Pdf(PdfError::Unsupported(
                    "rendered PDF carries XMP or incremental updates".into(),
                )));
            }
            let mut all = extracted.text();
            for (k, v) in &extracted.info {
                all.push('\n');
                all.push_str(k);
                all.push(' ');
                all.push_str(v);
            }
            for s in extracted.metadata.iter().chain(&extracted.other_strings) {
                all.push('\n');
                all.push_str(s);
            }
            check(&guard, &all)?;
            backstop(&marks, &all, "PDF")?;
            (out.bytes, out.pages, None)
        }
    };
    let output_sha =
        (job.format != Format::Json).then(|| crate::release::digest::sha256_hex(&bytes));
    let m = ManifestInput {
        input_path: path,
        input_bytes: input,
        policy_name: &job.policy.name,
        policy_sha256: job.policy.sha256_hex(),
        as_of: job.context.as_of,
        case: job.stamping.case.as_deref(),
        doc_id: job.stamping.doc.as_deref(),
        format: job.format.as_str(),
        output_sha256: output_sha,
        digest_key: job.digest_key,
        withheld_size: job.policy.withheld_size(),
        consistency: fixes.map(|f| &f.notes),
        origins: origins.as_deref(),
    };
    let manifest = manifest::build(doc, &release, &m);
    let (manifest_json, manifest_text) = manifest_json::manifest_with_text(&manifest);
    check_json(&guard, &marks, &manifest_text, "manifest")?;
    let bytes = if job.format == Format::Json {
        let value = serde_json::json!({
            "release": text_out.unwrap_or_default(),
            "manifest": manifest,
        });
        let (s, text) = to_pretty_with_text(&value);
        check_json(&guard, &marks, &text, "JSON")?;
        s.into_bytes()
    } else {
        bytes
    };
    // The rows are made (and checked) only for a log that will be written.
    let log = if job.log {
        let mut log = log::rows(label, doc, &decisions, &release, job.policy);
        if let Some(f) = fixes {
            log.note(&f.notes);
        }
        check(&guard, &log.text())?;
        log
    } else {
        DocumentLog::default()
    };
    let withheld = release.entries.iter().filter(|e| !e.released).count();
    Ok(Produced {
        bytes,
        manifest: manifest_json,
        stamp: release.stamp.to_string(),
        pages,
        released: release.entries.len() - withheld,
        withheld,
        warnings,
        log,
    })
}

/// The stamps and box width of an in-place release: `--fixed-width N` makes every box as
/// wide as N characters of 10-point Courier.
fn in_place_options(release: &Release, job: &Job<'_>) -> crate::pdf::redact::Options {
    let ids = job.stamping.ids();
    crate::pdf::redact::Options {
        fixed_width: job.text.fixed_width.map(|n| n as f32 * 6.0),
        banner: release.banner.clone(),
        stamp: [release.stamp.to_string(), ids]
            .join("  ")
            .trim()
            .to_string(),
    }
}

fn guard_for<'r>(release: &'r Release, words: Option<&ParagraphWords>) -> LeakGuard<'r> {
    let released: Vec<&str> = release.released.iter().map(AsRef::as_ref).collect();
    LeakGuard::with_words(&release.secrets, &released, words)
}

/// Refuses an output that still carries a mark above the target (or an unreadable one)
/// governing text: the structure was misread somewhere the release builder did not see.
fn backstop(marks: &Guard, output: &str, what: &'static str) -> Result<(), JobError> {
    match marks.blocking(output).first() {
        None => Ok(()),
        Some(hit) => Err(JobError::Release(ReleaseError::Guard {
            output: what,
            line: hit.line,
            column: hit.column,
            level: match hit.reading {
                Reading::Level(l) => l.abbrev(),
                Reading::Unreadable => "unreadable",
            },
        })),
    }
}

/// How manifests and logs name an input whose file name carries withheld text.
pub const WITHHELD_NAME: &str = "(file name withheld)";

/// Checks a JSON output as its reader sees it: every key and string value decoded, one
/// per line. Read raw, an escape joins its letter to the next word (`\nDaves` reads as
/// `nDaves`), which hides a withheld word from the token check and makes a released one
/// look withheld; and the whole release, one raw line, would read as one run-on line to
/// the marks backstop. serde_json escapes only quotes, backslashes and control
/// characters, so no mark or word is spelled differently once decoded. `text` is that
/// reading ([`json_text::json_text`]), made as the JSON is written
/// ([`to_pretty_with_text`]).
fn check_json(
    guard: &LeakGuard,
    marks: &Guard,
    text: &str,
    what: &'static str,
) -> Result<(), JobError> {
    check(guard, text)?;
    backstop(marks, text, what)
}

/// Releases `input` as the unit tests of the job's parts do: the built-in policy as of
/// 2026-01-01, with a case number, in `format`.
#[cfg(test)]
fn test_produce(input: &[u8], path: &str, format: Format) -> Result<Produced, JobError> {
    test_job(format, true, |job| produce(input, path, job))
}

/// Runs `f` with the job of [`test_produce`], making the exemption log's rows or not.
#[cfg(test)]
fn test_job<T>(format: Format, log: bool, f: impl FnOnce(&Job<'_>) -> T) -> T {
    let policy = Policy::default_policy();
    let as_of = crate::document::Date::new(2026, 1, 1).expect("a date");
    let context = Context::new(as_of);
    let job = Job {
        policy: &policy,
        context: &context,
        format,
        stamping: Stamping {
            case: Some("F-2026-00001".into()),
            doc: None,
            date: as_of,
        },
        text: TextOptions::default(),
        digest_key: None,
        review: None,
        log,
    };
    f(&job)
}

fn check(guard: &LeakGuard, output: &str) -> Result<(), JobError> {
    let labels = guard.check(output);

    if labels.is_empty() {
        Ok(())
    } else {
        Err(JobError::Release(ReleaseError::Leak { labels }))
    }
}

#[cfg(test)]
mod tests;
