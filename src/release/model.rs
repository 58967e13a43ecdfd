//! The release model: what a release is (its blocks, stamp, manifest entries, guard
//! entries, and the secrets the leak check looks for) and why one is refused. The
//! renderers read these types; they know nothing of how a release is built.

use crate::diagnostic::Code;
use crate::marking::Level;
use crate::policy::{Codes, StampWords, render_codes};
use crate::release::leak::Secret;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// One line (or block) of a release, in reading order. `'d` is the document's: a line
/// released as it stands in the source is borrowed from it, not copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block<'d> {
    /// A line released verbatim.
    Text(Cow<'d, str>),
    /// A line with redacted spans.
    Spans(Vec<Span>),
    Blank,
    /// A withheld paragraph: its number (and mark when the policy shows marks) and codes.
    Withheld {
        lead: String,
        codes: Codes,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Redacted(Codes),
}

/// The page stamp's kind: decided in the policy stage ([`crate::policy::stamp_kind`]).
pub use crate::policy::StampKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub kind: StampKind,
    /// Union of the codes used, in the documented order.
    pub codes: Codes,
    /// The policy's words for each kind.
    pub words: StampWords,
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words = match self.kind {
            StampKind::Full => &self.words.full,
            StampKind::Part => &self.words.part,
            StampKind::Denied => &self.words.denied,
        };
        if self.codes.is_empty() {
            f.write_str(words)
        } else {
            write!(f, "{words} {}", render_codes(&self.codes))
        }
    }
}

/// The decision on one paragraph, for the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub index: usize,
    pub number: Option<u32>,
    pub printed_number: Option<String>,
    pub marking: Option<String>,
    pub origin: &'static str,
    pub rule: String,
    pub released: bool,
    /// The codes cited for this paragraph, in the one documented order of [`Codes`].
    pub codes: Codes,
    pub lines: (usize, usize),
    pub chars: usize,
    pub redactions: usize,
    /// The reviewer whose decision overrode the policy's, if one did.
    pub reviewer: Option<String>,
}

/// A release, ready to render. Its released lines borrow from the document (`'d`) where
/// they are the source's own text, so that a release copies no line it keeps as it is.
#[derive(Clone, Debug)]
pub struct Release<'d> {
    /// The release's classification line (`UNCLASSIFIED`).
    pub banner: String,
    pub stamp: Stamp,
    /// 32 CFR 2001.25 block when classified material was declassified; empty otherwise.
    pub declassification: Vec<String>,
    pub blocks: Vec<Block<'d>>,
    pub entries: Vec<Entry>,
    pub subject: Option<Entry>,
    /// What must not appear in any output. Never rendered.
    pub secrets: Vec<Secret>,
    /// What was released, whose word runs are not evidence of a leak: pieces read as one
    /// sequence of words (a word never runs on from one piece into the next).
    pub released: Vec<Cow<'d, str>>,
    /// What the mark-anywhere guard withheld, in reading order.
    pub guard: Vec<GuardEntry>,
}

/// One withholding by the mark-anywhere guard (DCL060), for the manifest and the report.
/// Never carries the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GuardEntry {
    pub code: Code,
    /// 1-based source line and column of the token that governs the withheld material.
    pub line: usize,
    pub column: usize,
    /// `mark-above-target`, `mark-unreadable`, `look-alike-mark` or `banner-line`.
    pub cause: &'static str,
    /// The token's level (`C`, `S`, `TS`), or `unreadable`.
    pub level: &'static str,
    /// Which part of the release it was in (`¶3`, `subject`, `Classified By line`).
    pub part: String,
}

impl fmt::Display for GuardEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {} {}: a {} token ({}) governs text in the {}; withheld to \
             the next boundary (fail closed)",
            self.line,
            self.column,
            self.code,
            self.code.name(),
            self.level,
            self.cause,
            self.part
        )
    }
}

/// Why a release was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReleaseError {
    /// Released material is above the policy's target and was not declassified.
    Gate {
        label: String,
        level: Level,
        target: Level,
    },
    /// Withheld material appears in the output (labels only).
    Leak { labels: Vec<String> },
    /// The guard found a mark above the target (or an unreadable one) governing text in a
    /// rendered output (`text`, `PDF text`, `manifest`). Location only, never the text.
    Guard {
        output: &'static str,
        line: usize,
        column: usize,
        level: &'static str,
    },
}

impl fmt::Display for ReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReleaseError::Gate {
                label,
                level,
                target,
            } => write!(
                f,
                "release gate: {label} is {level}, above the policy's target {target}, and no \
                 declassification authority was given; nothing written"
            ),
            ReleaseError::Leak { labels } => write!(
                f,
                "leak check: withheld material found in the output ({}); nothing written",
                labels.join(", ")
            ),
            ReleaseError::Guard {
                output,
                line,
                column,
                level,
            } => write!(
                f,
                "release guard ({}): the {output} output carries a {level} mark that governs \
                 text at line {line}, column {column}; nothing written",
                Code::GuardWithheld
            ),
        }
    }
}

impl std::error::Error for ReleaseError {}
