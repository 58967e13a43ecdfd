//! DCL060 guard-withheld: a mark above a portion's own level governs text the parser read
//! as part of that portion.
//!
//! Why: the release guard ([`crate::guard`]) does not trust the parser: when it finds such
//! a mark in text about to be released, it withholds from the mark to the next boundary
//! (fail closed). The audit reports the same places, so that the structure (or the
//! marking) is fixed before a release withholds more than it needs to. The guard reads
//! each paragraph with its own level as the target; marks at or below it are not
//! reported (and marked sub-paragraphs above it are also DCL053).
//!
//! Example:
//! ```text
//! 1. (U) The visit went well. 2. (C) SUMMARY: ...   <- DCL060: a C mark inside a (U) paragraph
//! ```

use super::{Findings, Rule, Scope};
use crate::diagnostic::Code;
use crate::guard::Guard;
use crate::release::guard_level;

pub const RULE: Rule = Rule {
    code: Code::GuardWithheld,
    check,
};

fn check(Scope { doc, .. }: Scope<'_>, out: &mut Findings<'_>) {
    // One buffer for the document's paragraphs: a new string each was an allocation per
    // paragraph of every audited file.
    let mut text = String::new();
    for (i, p) in doc.paragraphs.iter().enumerate() {
        // Unmarked and unreadable paragraphs are withheld whole already (DCL001, DCL003).
        let Some(m) = &p.marking else {
            continue;
        };
        let guard = Guard::new(guard_level(m.level));
        text.clear();
        text.push_str(&p.lead);
        text.push_str(&p.text);
        for w in guard.withholdings(&text) {
            let level = w.level.map_or("an unreadable", |l| l.abbrev());
            out.add(
                p.lines.first + text[..w.start].matches('\n').count(),
                w.column,
                format!(
                    "{level} mark ({}) governs text inside {} ({}); a release withholds it \
                     to the next boundary",
                    w.cause.as_str(),
                    p.label(i),
                    m.level.abbrev()
                ),
            );
        }
    }
}
