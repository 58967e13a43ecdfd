//! `declass verify`: does an existing release carry anything it must not, and does it come
//! from the source it is checked against? Built not to trust the parser.
//!
//! ```text
//! release bytes ──reading──▶ pieces (text, JSON strings, PDF pages/annotations/metadata/strings/bytes)
//!                                │ normalised: encodings, invisible characters, ligatures, look-alikes
//!                                ├──check ◀── what the policy withheld (parse + decide + build: the parser's view)
//!                                ├──check ◀── what the source marks above the target (independent: marks, no parser)
//!                                └──belongs ◀── the source's letters (release lines must occur in it)
//! ```
//!
//! Before them, for a PDF release: **hidden** — [`pdf::cover`]: text under a filled box
//! (painted before it, invisibly, or in its colour), found from the drawing alone; a
//! finding names the page and the box.
//!
//! Four checks, each naming findings by place and line, never by text:
//! 1. **Withheld** — the release stage's own leak check, re-derived from the source under the
//!    policy ([`crate::release::leak`], plus the letter-stream matcher of [`needles`]).
//! 2. **Marked** — [`independent`]: every stretch of the source under a mark above the
//!    policy's target, found without `src/parse` or `src/marking`, must not appear (runs of
//!    eight words; exempt when the same run is under a mark at or below the target).
//!    When the release declares a declassification, text above the target may be released
//!    and this check is skipped (the report says so).
//! 3. **Belongs** — [`belongs`]: most content lines of the release occur in the source, and a
//!    manifest (embedded in a JSON release or given with `--manifest`) names the source's
//!    digest and the release's.
//!
//! 4. **Marks** — the mark-anywhere [`crate::guard`] (which shares no code with the parser
//!    either) over every piece the release shows a reader (text, JSON strings, page text,
//!    annotations, metadata): a mark above the target, or an unreadable one, that governs
//!    text is a finding; the only such marks a release may carry are the original marks
//!    printed before a placeholder (`2. (S//NF) [B1]`), which govern nothing. Raw byte
//!    scans and other streams are left to checks 1 and 2: binary data is not prose.

mod belongs;
mod check;
pub mod decode;
mod independent;
mod marks;
mod needles;
pub mod normalize;
pub(crate) mod pdf;
pub mod reading;

use std::fmt;

use crate::job::JobError;
use crate::parse;
use crate::policy::{Context, Policy};
use crate::release;
use crate::release::digest::sha256_hex;
use marks::Level;
use needles::Wanted;
use reading::{Piece, Place, Reading};

pub use check::Leak;
pub use reading::Kind;

/// What kind of problem a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// Material the policy withheld (by the parser's reading of the source).
    Withheld,
    /// Text the source marks above the release target (read without the parser).
    Marked,
    /// The release, or its manifest, does not belong to the source.
    Mismatch,
    /// Text under a box of a PDF: hidden from a viewer, there for anyone who copies it.
    Hidden,
}

/// One finding: what and where, never the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub what: String,
    pub place: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            FindingKind::Withheld => write!(f, "withheld {} found at {}", self.what, self.place),
            FindingKind::Marked => write!(f, "{} found at {}", self.what, self.place),
            FindingKind::Mismatch => write!(f, "{}", self.what),
            FindingKind::Hidden => write!(f, "{} at {}", self.what, self.place),
        }
    }
}

/// What `verify` found.
#[derive(Debug)]
pub struct Report {
    pub kind: Kind,
    pub findings: Vec<Finding>,
    /// Labels of the withheld items found (`¶4`, `subject`), in document order.
    pub withheld: Vec<String>,
    /// Parts of the release that could not be read: the result is not a clean bill.
    pub incomplete: Vec<String>,
    /// Things the reader should know that are no finding.
    pub remarks: Vec<String>,
    /// Content lines compared with the source, and how many occur in it.
    pub lines_checked: usize,
    pub lines_found: usize,
}

/// Why `verify` could not run.
#[derive(Debug)]
pub enum VerifyError {
    Release(reading::ReadError),
    Source(JobError),
    Manifest(String),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Release(e) => write!(f, "release: {e}"),
            VerifyError::Source(e) => write!(f, "source: {e}"),
            VerifyError::Manifest(why) => write!(f, "manifest: {why}"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// What to verify.
pub struct Inputs<'a> {
    pub release: &'a [u8],
    pub source: &'a [u8],
    /// The source's file name (the parser reads cable ids from it).
    pub source_name: Option<&'a str>,
    /// A manifest given beside the release.
    pub manifest: Option<&'a [u8]>,
}

pub fn verify(
    inputs: &Inputs<'_>,
    policy: &Policy,
    context: &Context,
) -> Result<Report, VerifyError> {
    let reading = reading::read(inputs.release).map_err(VerifyError::Release)?;
    let mut pieces = reading.pieces;
    let manifest = match inputs.manifest {
        Some(bytes) => {
            let (text, _) = decode::decode(bytes);
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| VerifyError::Manifest(format!("not JSON: {e}")))?;
            // The manifest is an output too: it is checked like the release.
            pieces.push(Piece::new(
                Place::Json("manifest file".into()),
                &text,
                false,
            ));
            Some(value)
        }
        None => reading.manifest.clone(),
    };
    let mut report = Report {
        kind: reading.kind,
        findings: Vec::new(),
        withheld: Vec::new(),
        incomplete: reading.notes,
        remarks: Vec::new(),
        lines_checked: 0,
        lines_found: 0,
    };

    // 0. Text under a box: found from the PDF's drawing alone.
    for c in &reading.covered {
        report.findings.push(Finding {
            kind: FindingKind::Hidden,
            what: "text under a box".into(),
            place: c.place(),
        });
    }

    // 1. What the policy withheld, by the parser's reading.
    let doc = parse::parse(inputs.source, inputs.source_name)
        .map_err(|e| VerifyError::Source(JobError::Parse(e)))?;
    let decisions = policy.decide(&doc, context);
    let built =
        release::build(&doc, &decisions).map_err(|e| VerifyError::Source(JobError::Release(e)))?;
    let (wanted, released) = withheld_and_released(&built);
    for leak in check::find(&pieces, &wanted, &released) {
        report.withheld.push(leak.label.clone());
        report.findings.push(Finding {
            kind: FindingKind::Withheld,
            what: leak.label,
            place: leak.place,
        });
    }

    // 2. What the source marks above the target, without the parser.
    // A PDF source is read as its text (the parser's input too), not as its bytes.
    let source_text = match crate::pdf::is_pdf(inputs.source) {
        true => {
            crate::pdf::read(inputs.source)
                .map_err(|e| VerifyError::Source(JobError::Parse(parse::ParseError::Pdf(e))))?
                .text
        }
        false => decode::decode(inputs.source).0,
    };
    let source_text = normalize::normalize(&source_text);
    let target = Level::from_abbrev(decisions.target.abbrev()).unwrap_or(Level::U);
    let declares_declassification = decisions.declassification.is_some()
        && pieces.iter().any(|p| {
            p.text
                .lines()
                .any(|l| l.trim_start().starts_with("Declassified by:"))
        });
    if declares_declassification {
        report.remarks.push(
            "the release declares a declassification: text above the target may be released, \
             so the check of marked text was not made"
                .into(),
        );
    } else {
        let scan = independent::scan(&source_text, target);
        let labels: Vec<String> = scan
            .classified
            .iter()
            .map(|s| {
                format!(
                    "text under a ({}) mark at source line {}",
                    s.level.abbrev(),
                    s.line
                )
            })
            .collect();
        let wanted: Vec<Wanted> = scan
            .classified
            .iter()
            .zip(&labels)
            .map(|(s, label)| Wanted {
                label: label.clone(),
                text: &s.text,
                term: false,
            })
            .collect();
        for leak in check::find(&pieces, &wanted, &[scan.cleared.as_str()]) {
            report.findings.push(Finding {
                kind: FindingKind::Marked,
                what: leak.label,
                place: leak.place,
            });
        }
    }

    // 4. Marks the release itself carries, read by the guard (no parser, no source).
    let marks = crate::guard::Guard::new(release::guard_level(decisions.target));
    for piece in pieces.iter().filter(|p| shown_to_readers(&p.place)) {
        for hit in marks.blocking(&piece.text) {
            let level = match hit.reading {
                crate::guard::Reading::Level(l) => format!("a ({}) mark", l.abbrev()),
                crate::guard::Reading::Unreadable => "an unreadable mark".to_string(),
            };
            report.findings.push(Finding {
                kind: FindingKind::Marked,
                what: format!("{level} governing text"),
                place: format!("{} column {}", piece.locate(hit.line), hit.column),
            });
        }
    }

    // 3. The release belongs to the source.
    let stamps = &decisions.stamp_words;
    let furniture = belongs::Furniture {
        banner: &decisions.release_marking,
        stamps: [&stamps.full, &stamps.part, &stamps.denied],
    };
    let b = belongs::check(&pieces, &source_text, &furniture);
    report.lines_checked = b.checked;
    report.lines_found = b.found;
    if b.mismatch() {
        report.findings.push(Finding {
            kind: FindingKind::Mismatch,
            what: format!(
                "release does not match source: {} of {} content lines occur in it (first missing: {})",
                b.found,
                b.checked,
                b.missing.join(", ")
            ),
            place: String::new(),
        });
    }
    if let Some(m) = &manifest {
        manifest_findings(m, inputs, &mut report);
    }
    Ok(report)
}

/// Whether a piece is something the release shows a reader, which the guard judges; raw
/// byte scans and undecoded streams are not prose.
fn shown_to_readers(place: &Place) -> bool {
    !matches!(place, Place::Bytes(_) | Place::Stream(_))
}

/// A manifest names its source and its release by digest: both must be these.
fn manifest_findings(m: &serde_json::Value, inputs: &Inputs<'_>, report: &mut Report) {
    let digest = |path: &[&str]| {
        path.iter()
            .try_fold(m, |v, k| v.get(k))
            .and_then(serde_json::Value::as_str)
    };
    match digest(&["input", "sha256"]) {
        Some(d) if d != sha256_hex(inputs.source) => report.findings.push(Finding {
            kind: FindingKind::Mismatch,
            what: "release does not match source: the manifest's input digest is not the source's"
                .into(),
            place: String::new(),
        }),
        // Manifests name the source only by a keyed digest (or not at all), which verify
        // cannot check without the key: the source is matched by content (check 3).
        _ => {}
    }
    if inputs.manifest.is_some()
        && let Some(d) = digest(&["output", "sha256"])
        && d != sha256_hex(inputs.release)
    {
        report.findings.push(Finding {
            kind: FindingKind::Mismatch,
            what: "the manifest describes another release: its output digest is not the release's"
                .into(),
            place: String::new(),
        });
    }
}

/// What a built release withheld (the secrets to look for, redacted terms as terms) and
/// what it released (runs of which are exempt).
fn withheld_and_released<'a>(built: &'a release::Release<'_>) -> (Vec<Wanted<'a>>, Vec<&'a str>) {
    let wanted = built
        .secrets
        .iter()
        .map(|s| Wanted {
            label: s.label.clone(),
            text: s.text(),
            term: s.label.starts_with("redaction"),
        })
        .collect();
    (wanted, built.released.iter().map(AsRef::as_ref).collect())
}

/// The parser-based check alone, as the release stage's leak check sees it: the labels of
/// withheld items found in a release (what `job::verify` returned before this module).
pub fn withheld_labels(
    release_bytes: &[u8],
    source: &[u8],
    source_name: Option<&str>,
    policy: &Policy,
    context: &Context,
) -> Result<Vec<String>, JobError> {
    let reading: Reading = reading::read(release_bytes)
        .map_err(|e| JobError::Pdf(crate::render::pdf::PdfError::Unsupported(e.to_string())))?;
    let doc = parse::parse(source, source_name).map_err(JobError::Parse)?;
    let decisions = policy.decide(&doc, context);
    let built = release::build(&doc, &decisions)?;
    let (wanted, released) = withheld_and_released(&built);
    Ok(check::find(&reading.pieces, &wanted, &released)
        .into_iter()
        .map(|l| l.label)
        .collect())
}
