//! Looking for withheld text in a read release: the letter-stream matcher and the word-based
//! leak check together, each finding named by label and place.
//!
//! Place in `verify`: used by both leak checks (what the parser and policy withheld, and
//! what the source marks above the target). The letter stream ([`super::needles`]) catches
//! text whose word breaks were tampered with; the word-based check
//! ([`crate::release::leak::LeakGuard`]) catches short withheld items that are too short
//! for the letter stream to tell from chance. Each reads every piece, and each piece with
//! hyphenated line ends joined.

use super::needles::{Haystack, Needles, Wanted};
use super::normalize::join_hyphenated;
use super::reading::Piece;
use crate::release::leak::{LeakGuard, Secret};

/// A withheld item found in the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leak {
    pub label: String,
    /// Where it was found (`page 2 line 14 (stream 12 0 R)`), never the text.
    pub place: String,
}

/// The items of `wanted` found in `pieces` and not exempt by `exempt` (text that may be
/// released), in the order of `wanted`, each once.
pub fn find(pieces: &[Piece], wanted: &[Wanted<'_>], exempt: &[&str]) -> Vec<Leak> {
    let mut found: Vec<Option<String>> = vec![None; wanted.len()];

    let needles = Needles::new(wanted);
    if !needles.is_empty() {
        let mut hay = Haystack::default();
        for (i, p) in pieces.iter().enumerate() {
            hay.push(i, &p.text);
        }
        let exempt_letters = Haystack::plain(&exempt.join("\n"));
        for (w, at) in needles.leaks(&hay.letters, &exempt_letters) {
            let (piece, line) = hay.origin[at];
            found[w] = Some(pieces[piece as usize].locate(line as usize));
        }
    }

    let secrets: Vec<Secret> = wanted
        .iter()
        .map(|w| Secret::new(w.label.clone(), w.text))
        .collect();
    let guard = LeakGuard::new(&secrets, exempt);
    if !guard.is_empty() {
        for p in pieces {
            let joined = join_hyphenated(&p.text);
            for text in [p.text.as_str(), joined.as_str()] {
                for label in guard.check(text) {
                    if let Some(i) = wanted.iter().position(|w| w.label == label)
                        && found[i].is_none()
                    {
                        found[i] = Some(p.place.to_string());
                    }
                }
            }
        }
    }

    found
        .into_iter()
        .zip(wanted)
        .filter_map(|(place, w)| {
            place.map(|place| Leak {
                label: w.label.clone(),
                place,
            })
        })
        .collect()
}
