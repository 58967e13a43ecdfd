//! The release plan: what the release does with each part of the document, in reading
//! order, with the original text kept beside it.
//!
//! The release builder ([`super::plan`]) is the one walk of the document for release
//! purposes. As it emits the release's blocks it records, for every header part, the
//! subject and every paragraph, an [`Item`]: the part's fate, its original text cut into
//! kept and redacted segments (with codes), the lead the release prints, whether the
//! original mark is shown, and what the mark-anywhere guard did. The preview reads these
//! items instead of re-deriving the release, so the two cannot disagree. Items carry
//! withheld text: they are never rendered into a release.

use crate::document::LineSpan;
use crate::policy::{Codes, HeaderAction, Redaction};

/// A piece of a part's original text: kept, or redacted with its codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Text(String),
    Redacted { text: String, codes: Codes },
}

/// What the release does with a part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Released verbatim.
    Kept,
    /// Released with some spans replaced by their codes (see the item's [`Seg`]s).
    Redacted,
    /// Replaced by its exemption codes.
    Withheld(Codes),
    /// Left out of the release without a trace (routing, residue, addressees…).
    Stripped,
    /// Printed as this text instead (the banner becomes the release's banner).
    Replaced(String),
    /// Left out because it describes the classified original (a control caption).
    Dropped,
}

impl Fate {
    /// True when something of the original does not reach the release.
    pub fn loses_text(&self) -> bool {
        !matches!(self, Fate::Kept | Fate::Replaced(_))
    }

    /// The word a reviewer reads: `released`, `redacted`, `withheld`, `stripped`…
    pub fn word(&self) -> &'static str {
        match self {
            Fate::Kept => "released",
            Fate::Redacted => "redacted",
            Fate::Withheld(_) => "withheld",
            Fate::Stripped => "stripped",
            Fate::Replaced(_) => "re-marked",
            Fate::Dropped => "dropped",
        }
    }

    /// The fate of a header part under the policy's action for it.
    pub fn of_header(action: &HeaderAction) -> Fate {
        match action {
            HeaderAction::Keep => Fate::Kept,
            HeaderAction::Strip => Fate::Stripped,
            HeaderAction::Redact(codes) => Fate::Withheld(codes.clone()),
        }
    }
}

/// Which part of the document an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// A header part, named as the policy's `header` section names it (`routing`,
    /// `addressees`…), or `banner`.
    Header(&'static str),
    /// A rule line (`----`), released as it is.
    Rule,
    Subject,
    /// `doc.paragraphs[index]`.
    Paragraph(usize),
}

/// What the mark-anywhere guard did to a part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guarded {
    No,
    /// Some spans withheld (this many).
    Part(usize),
    /// Withheld whole: the guarded material reached into the lead (or it is a subject).
    Whole,
}

/// One part of the document as the release treats it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub part: Part,
    /// Source lines covered.
    pub lines: LineSpan,
    /// Portions: the number and mark as printed (`¶1. (C) `, `SUBJ: `); empty otherwise.
    pub lead: String,
    /// What the release prints before the text, or before a withheld portion's codes
    /// (`¶5. (C) ` for a printed `15. (C) `, the number repaired; `¶1. ` when the policy
    /// hides original marks).
    pub release_lead: String,
    /// The original text cut at the redactions; lines separated by `\n`.
    pub segments: Vec<Seg>,
    pub fate: Fate,
    /// A withheld portion's lead shows its original mark.
    pub mark_shown: bool,
    pub guarded: Guarded,
}

/// The items of a document, in reading order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub items: Vec<Item>,
}

/// Cuts `text` at the redactions (byte spans on character boundaries; bad ones skipped, as
/// the release skips them).
pub fn segments(text: &str, redactions: &[Redaction]) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in redactions {
        let (start, end) = (r.start.max(at), r.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start > at {
            out.push(Seg::Text(text[at..start].to_string()));
        }
        out.push(Seg::Redacted {
            text: text[start..end].to_string(),
            codes: r.codes.clone(),
        });
        at = end;
    }
    if at < text.len() {
        out.push(Seg::Text(text[at..].to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_skip_bad_spans() {
        let r = |start, end| Redaction {
            start,
            end,
            codes: Codes::from_texts(["B6"]),
        };
        let segs = segments("héllo world", &[r(0, 2), r(7, 12), r(7, 9)]);
        assert_eq!(
            segs,
            [
                Seg::Text("héllo ".into()),
                Seg::Redacted {
                    text: "world".into(),
                    codes: Codes::from_texts(["B6"])
                }
            ]
        );
    }
}
