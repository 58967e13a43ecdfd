//! Reviewer decisions: the human step between the policy and the release.
//!
//! ```text
//! Document ──policy──▶ Decisions ──decisions::apply──▶ Decisions ──release──▶ Release
//! ```
//!
//! A decisions file (YAML) names documents by their content digest and path or id, and
//! portions by number, first line and a digest of their text. Each decision releases,
//! withholds or redacts spans of one portion, with the codes, the reviewer, the date, the
//! reason and, for a release above the target, a declassification authority; other
//! reviewers may approve it. [`load`] validates a file against the policy's code set and
//! reports every problem at once with line:column; [`apply`] overrides the policy's
//! decisions and refuses (falls back to the policy, reported) anything stale or unsafe.
//! No I/O here: the CLI reads the file, the review app writes it through [`to_yaml`].

mod apply;
mod load;
mod write;

pub use apply::{Applied, Refusal, apply, digest_text};
pub use load::load;
pub use write::to_yaml;

use crate::document::Date;

/// A validated decisions file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecisionsFile {
    pub documents: Vec<DocumentDecisions>,
}

/// The decisions about one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentDecisions {
    /// The input's path as the reviewer saw it; matched by file name.
    pub path: Option<String>,
    /// The `--doc` id, matched exactly.
    pub id: Option<String>,
    /// SHA-256 (hex) of the input's bytes when the decisions were made.
    pub sha256: String,
    pub portions: Vec<PortionDecision>,
    /// Where the entry starts in the file, for reports.
    pub at: (usize, usize),
}

/// Which portion a decision is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortionRef {
    Subject,
    /// A paragraph by the number the parser read (`None`: unnumbered).
    Paragraph(Option<u32>),
}

/// What the reviewer decided for one portion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    Release,
    Withhold,
    /// Released with these spans redacted.
    Redact(Vec<SpanSelector>),
}

impl ReviewAction {
    pub fn word(&self) -> &'static str {
        match self {
            ReviewAction::Release => "release",
            ReviewAction::Withhold => "withhold",
            ReviewAction::Redact(_) => "redact",
        }
    }
}

/// A span to redact: character offsets into the portion's text (end exclusive), or every
/// occurrence of an exact text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpanSelector {
    Offsets { start: usize, end: usize },
    Text(String),
}

/// A second reviewer's sign-off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    pub reviewer: String,
    pub date: Date,
}

/// One reviewer decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortionDecision {
    pub portion: PortionRef,
    /// First source line of the portion.
    pub line: usize,
    /// SHA-256 (hex) of the portion's text when decided: see [`digest_text`].
    pub text_sha256: String,
    pub action: ReviewAction,
    /// Canonical codes of the policy's code set.
    pub codes: Vec<String>,
    pub reviewer: String,
    pub date: Date,
    pub reason: String,
    /// Who declassified, for a release above the target.
    pub authority: Option<String>,
    pub approvals: Vec<Approval>,
    /// Where the decision starts in the file, for reports.
    pub at: (usize, usize),
}

impl PortionDecision {
    /// Approved by someone other than the reviewer who made it.
    pub fn is_approved(&self) -> bool {
        self.approvals.iter().any(|a| a.reviewer != self.reviewer)
    }

    /// `¶4`, `paragraph at line 12`, `subject`.
    pub fn label(&self) -> String {
        match self.portion {
            PortionRef::Subject => "subject".to_string(),
            PortionRef::Paragraph(Some(n)) => format!("¶{n}"),
            PortionRef::Paragraph(None) => format!("paragraph at line {}", self.line),
        }
    }
}

impl DecisionsFile {
    /// The entry for the input at `path` (matched by file name) or with `id`.
    pub fn for_document(&self, path: &str, id: Option<&str>) -> Option<&DocumentDecisions> {
        let name = file_name(path);
        self.documents.iter().find(|d| {
            d.id.as_deref().is_some_and(|i| Some(i) == id)
                || d.path.as_deref().is_some_and(|p| file_name(p) == name)
        })
    }

    /// The entry for the input at `path`, created when missing.
    pub fn for_document_mut(&mut self, path: &str, sha256: &str) -> &mut DocumentDecisions {
        let name = file_name(path);
        let i = match self
            .documents
            .iter()
            .position(|d| d.path.as_deref().is_some_and(|p| file_name(p) == name))
        {
            Some(i) => i,
            None => {
                self.documents.push(DocumentDecisions {
                    path: Some(path.to_string()),
                    id: None,
                    sha256: sha256.to_string(),
                    portions: Vec::new(),
                    at: (0, 0),
                });
                self.documents.len() - 1
            }
        };
        &mut self.documents[i]
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The review step of a release job: the decisions file, what it is called in reports,
/// and whether unapproved decisions refuse the document (`--require-approval`).
#[derive(Clone, Copy, Debug)]
pub struct Review<'a> {
    pub file: &'a DecisionsFile,
    pub name: &'a str,
    pub require_approval: bool,
}

impl Review<'_> {
    /// Applies the decisions to one document's policy decisions. Returns the warnings
    /// (each refusal, located in the decisions file), or the unapproved portions when
    /// approval is required.
    pub fn run(
        &self,
        doc: &crate::document::Document,
        input: &[u8],
        path: &str,
        id: Option<&str>,
        decisions: &mut crate::policy::Decisions,
    ) -> Result<Vec<String>, Vec<String>> {
        let applied = apply(self.file, doc, input, path, id, decisions);
        if self.require_approval && !applied.unapproved.is_empty() {
            return Err(applied.unapproved);
        }
        Ok(applied
            .refusals
            .iter()
            .map(|r| {
                format!(
                    "{}:{}:{}: reviewer decision on {}: {}",
                    self.name, r.at.0, r.at.1, r.portion, r.message
                )
            })
            .collect())
    }
}
