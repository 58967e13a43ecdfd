//! Header fields the body segmenter finds below the header (a memo's SUBJECT under its
//! other header lines, an E.O. line or TAGS the scanner did not reach): their facts are read
//! into the header. Called from [`super::segment`].

use crate::document::{ElementKind, Header, LineSpan, Origin, Subject};
use crate::parse::lines::SUBJECT;

/// Reads the facts of a header field the body found (E.O. line, TAGS) when the header
/// scanner did not: the audit and the policies' date conditions need them.
pub(super) fn read_field(header: &mut Header, kind: ElementKind, i: usize, t: &str) {
    match kind {
        ElementKind::EoLine if header.eo.is_none() => {
            if let Some((order, declassify)) = crate::parse::fields::read_eo(t) {
                header.eo = Some(crate::document::EoLine {
                    raw: t.to_string(),
                    order,
                    declassify,
                    lines: LineSpan::one(i + 1),
                });
            }
        }
        ElementKind::Subject if header.subject.as_ref().is_none_or(|s| s.text.is_empty()) => {
            // A memo's SUBJECT line below its other header lines: the subject, with its
            // mark before or after the text. It takes the place of an empty one (a fax
            // cover's blank `SUBJECT:` field above the memo).
            let after = SUBJECT.find(t).map_or(0, |m| m.end());
            let (marking, text) = crate::parse::fields::read_subject(&t[after..]);
            header.subject = Some(Subject {
                text,
                marking,
                origin: Origin::None,
                lines: LineSpan::one(i + 1),
                column: t[..after].chars().count() + 1,
            });
        }
        ElementKind::Tags if header.tags.is_empty() => {
            header.tags = crate::parse::fields::read_tags(t);
            header.tags_lines = Some(LineSpan::one(i + 1));
        }
        _ => {}
    }
}

/// A line continuing the SUBJECT the body found (`read_field`) on the line before: its
/// text joins the subject's, and a mark ending it is the subject's when it printed none.
pub(super) fn extend_subject(header: &mut Header, i: usize, t: &str) {
    let Some(subject) = header.subject.as_mut() else {
        return;
    };
    if subject.lines.last != i {
        return;
    }
    subject.lines.last = i + 1;
    for word in t.split_whitespace() {
        subject.text.push(' ');
        subject.text.push_str(word);
    }
    if subject.marking.is_none() {
        subject.marking = crate::parse::kind::trailing_mark(t).map(|(_, m)| m);
    }
}
