//! The decision manifest: a JSON record of every decision in a release, for reviewers and
//! auditors. It names the policy, the tool and the output by digest, and for every
//! paragraph the marking, the rule that matched, the action and the codes.
//!
//! It never carries withheld text, nor anything that would confirm a guess at it: the
//! source and withheld portions are digested only with the user's key (HMAC-SHA256, no
//! digest at all without one), since a plain hash of a source whose withheld answer is
//! "No." is confirmed by hashing the few candidate sources. Sizes of withheld portions
//! (characters, and the line spans from which the size of a withheld portion between two
//! released ones can be read) appear only when the policy says `withheld_size: true`.

use super::digest::hmac_sha256_hex;
use super::{Entry, Release};
use crate::document::{Date, Document};
use crate::policy::Codes;
use serde::Serialize;

/// Manifest schema version.
pub const SCHEMA_VERSION: u32 = 1;

/// What the manifest records besides the release itself.
pub struct ManifestInput<'a> {
    pub input_path: &'a str,
    pub input_bytes: &'a [u8],
    pub policy_name: &'a str,
    pub policy_sha256: &'a str,
    pub as_of: Date,
    pub case: Option<&'a str>,
    pub doc_id: Option<&'a str>,
    pub format: &'a str,
    /// SHA-256 of the rendered output.
    pub output_sha256: Option<String>,
    /// Key for HMAC digests of the source and of withheld content.
    pub digest_key: Option<&'a [u8]>,
    /// Whether sizes of withheld portions may be given (the policy's `withheld_size`).
    pub withheld_size: bool,
    /// Notes of the batch consistency pass, by paragraph index.
    pub consistency: Option<&'a std::collections::BTreeMap<usize, String>>,
    /// For a PDF input, the page and line on the page of each line of its text (line `n`
    /// is `origins[n - 1]`), so that every portion says where a reviewer finds it.
    pub origins: Option<&'a [crate::pdf::Origin]>,
}

/// Written by hand for the manifest file and its checks (`src/job/manifest_json.rs`, in
/// `serde_json`'s pretty layout; unit tests hold it to this derive's bytes), and through the
/// derive inside a JSON release. A field added here fails to compile there until it is
/// written.
#[derive(Serialize)]
pub struct Manifest<'a> {
    pub schema: u32,
    pub tool: Tool,
    pub input: FileRef<'a>,
    pub policy: PolicyRef<'a>,
    pub as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<&'a str>,
    pub banner: &'a str,
    pub stamp: String,
    pub declassification: &'a [String],
    pub output: OutputRef<'a>,
    pub summary: Summary,
    pub subject: Option<EntryJson<'a>>,
    pub paragraphs: Vec<EntryJson<'a>>,
    /// What the mark-anywhere guard withheld (DCL060): location and cause, never text.
    pub guard: &'a [super::GuardEntry],
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct FileRef<'a> {
    pub path: &'a str,
    /// HMAC-SHA256 of the source with the user's key; absent without a key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hmac_sha256: Option<String>,
}

#[derive(Serialize)]
pub struct PolicyRef<'a> {
    pub name: &'a str,
    pub sha256: &'a str,
}

#[derive(Serialize)]
pub struct OutputRef<'a> {
    pub format: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Serialize)]
pub struct Summary {
    pub paragraphs: usize,
    pub released: usize,
    pub withheld: usize,
    pub redactions: usize,
    pub fail_closed: usize,
    pub guard_withheld: usize,
}

#[derive(Serialize)]
pub struct EntryJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub printed_number: Option<&'a str>,
    pub marking: Option<&'a str>,
    pub origin: &'static str,
    pub rule: &'a str,
    pub action: &'static str,
    pub codes: &'a Codes,
    /// First and last source line; only when the policy gives withheld sizes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<[usize; 2]>,
    /// PDF input: the page the portion starts on. A box on that page shows as much.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// PDF input: first and last line as page and line on the page (`p3:12`); like
    /// `lines`, only when the policy gives withheld sizes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_lines: Option<[String; 2]>,
    /// Characters of the portion; for a withheld one only when the policy gives sizes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chars: Option<usize>,
    pub redactions: usize,
    /// HMAC-SHA256 of the paragraph text, with the user's key; only for withheld
    /// paragraphs and only when a key was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hmac_sha256: Option<String>,
    /// What the batch consistency pass said about this paragraph, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistency: Option<&'a str>,
    /// `reviewer` when a reviewer decision overrode the policy (absent: the policy decided).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<&'static str>,
    /// The reviewer who decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<&'a str>,
}

fn entry_json<'a>(e: &'a Entry, text: &str, m: &ManifestInput<'_>) -> EntryJson<'a> {
    let key = m.digest_key;
    EntryJson {
        number: e.number,
        printed_number: e.printed_number.as_deref(),
        marking: e.marking.as_deref(),
        origin: e.origin,
        rule: &e.rule,
        action: if e.released { "release" } else { "withhold" },
        codes: &e.codes,
        lines: m.withheld_size.then_some([e.lines.0, e.lines.1]),
        page: origin(m, e.lines.0).map(|o| o.page),
        page_lines: match (origin(m, e.lines.0), origin(m, e.lines.1)) {
            (Some(a), Some(b)) if m.withheld_size => Some([a.to_string(), b.to_string()]),
            _ => None,
        },
        chars: (e.released || m.withheld_size).then_some(e.chars),
        redactions: e.redactions,
        hmac_sha256: match (e.released, key) {
            (false, Some(k)) => Some(hmac_sha256_hex(k, text.as_bytes())),
            _ => None,
        },
        consistency: None,
        decided_by: e.reviewer.is_some().then_some("reviewer"),
        reviewer: e.reviewer.as_deref(),
    }
}

/// Where a 1-based line of a PDF input's text is, when the input is a PDF.
fn origin(m: &ManifestInput<'_>, line: usize) -> Option<crate::pdf::Origin> {
    let i = line.checked_sub(1)?;
    m.origins?.get(i).copied()
}

/// Builds the manifest of `release` made from `doc`.
pub fn build<'a>(
    doc: &'a Document,
    release: &'a Release,
    m: &'a ManifestInput<'a>,
) -> Manifest<'a> {
    let paragraphs: Vec<EntryJson<'a>> = release
        .entries
        .iter()
        .map(|e| {
            let mut j = entry_json(e, &doc.paragraphs[e.index].text, m);
            j.consistency = m
                .consistency
                .and_then(|n| n.get(&e.index))
                .map(String::as_str);
            j
        })
        .collect();
    let withheld = release.entries.iter().filter(|e| !e.released).count();
    Manifest {
        schema: SCHEMA_VERSION,
        tool: Tool {
            name: "declass",
            version: env!("CARGO_PKG_VERSION"),
        },
        input: FileRef {
            path: m.input_path,
            hmac_sha256: m.digest_key.map(|k| hmac_sha256_hex(k, m.input_bytes)),
        },
        policy: PolicyRef {
            name: m.policy_name,
            sha256: m.policy_sha256,
        },
        as_of: m.as_of.to_string(),
        case: m.case,
        doc: m.doc_id,
        banner: &release.banner,
        stamp: release.stamp.to_string(),
        declassification: &release.declassification,
        output: OutputRef {
            format: m.format,
            sha256: m.output_sha256.clone(),
        },
        summary: Summary {
            paragraphs: release.entries.len(),
            released: release.entries.len() - withheld,
            withheld,
            redactions: release.entries.iter().map(|e| e.redactions).sum(),
            fail_closed: release
                .entries
                .iter()
                .filter(|e| !e.released && (e.origin == "none" || e.origin == "unknown"))
                .count(),
            guard_withheld: release.guard.len(),
        },
        subject: release
            .subject
            .as_ref()
            .zip(doc.header.subject.as_ref())
            .map(|(e, s)| entry_json(e, &s.text, m)),
        paragraphs,
        guard: &release.guard,
    }
}
