//! The letter-stream comparison: runs of withheld words looked for in a release with every
//! space, punctuation mark and invisible character taken out.
//!
//! Place in `verify`: the matcher behind both leak checks ([`super::check`]). A word-based
//! check ([`crate::release::leak`]) is beaten by anything that changes where words break
//! without changing what a reader sees: one glyph per PDF text operator, kerned glyph
//! arrays, soft hyphens, zero-width spaces, a word hyphenated across lines. Here a secret's
//! run of [`RUN`] words becomes one *needle*, the concatenation of its letters and digits
//! (folded by [`super::normalize::fold_char`]), and a release is read as one *haystack* of
//! letters; where the words break no longer matters. A needle is short enough to be a
//! coincidence below [`MIN_LETTERS`] letters, so those are left to the word-based check.
//!
//! A needle that also occurs in the text a release may legitimately carry (the released
//! portions) is exempt, as in the word-based check.
//!
//! Search is Rabin–Karp: needles are keyed by a hash of their first `k` letters (`k` at most
//! [`KEY`]), and the haystack is rolled once per distinct `k`.

use std::collections::{HashMap, HashSet};

use super::normalize::fold_char;

/// Words in a run that counts as a leak (as in the word-based check).
pub const RUN: usize = crate::release::leak::SHINGLE;
/// A secret shorter than [`RUN`] words is looked for whole when it has at least this many.
pub const MIN_WORDS: usize = crate::release::leak::MIN_SHORT_WORDS;
/// Needles with fewer letters are too likely to occur by chance across word boundaries.
pub const MIN_LETTERS: usize = 20;
/// A redacted term (a name) is looked for from this many letters.
pub const MIN_TERM_LETTERS: usize = 8;
/// The longest needle prefix that keys the search.
const KEY: usize = 32;
const BASE: u64 = 0x100_0000_01b3;

/// One thing that must not appear, as the checks name it.
pub struct Wanted<'a> {
    /// The label a finding carries (`¶4`, `source line 30 (C)`): never the text.
    pub label: String,
    pub text: &'a str,
    /// A redacted term: looked for whole, however few words.
    pub term: bool,
}

/// The needles of a set of secrets.
pub struct Needles {
    needles: Vec<Vec<char>>,
    /// For each needle, the secrets it comes from.
    owners: Vec<Vec<usize>>,
    /// By key length: first-`k`-letters hash → needles.
    keyed: Vec<(usize, HashMap<u64, Vec<usize>>)>,
}

/// The letters of a text, each with the index of the piece and line it came from.
#[derive(Default)]
pub struct Haystack {
    pub letters: Vec<char>,
    /// `(piece, line)` for each letter.
    pub origin: Vec<(u32, u32)>,
}

impl Haystack {
    /// Adds `text`, one line at a time, as piece `piece`.
    pub fn push(&mut self, piece: usize, text: &str) {
        let piece = u32::try_from(piece).unwrap_or(u32::MAX);
        for (line, l) in text.split('\n').enumerate() {
            let line = u32::try_from(line + 1).unwrap_or(u32::MAX);
            for c in l.chars() {
                fold_char(c, |f| {
                    self.letters.push(f);
                    self.origin.push((piece, line));
                });
            }
        }
    }

    /// A haystack of one text, without origins (for exempt text and sources).
    pub fn plain(text: &str) -> Vec<char> {
        let mut out = Vec::with_capacity(text.len());
        text.chars().for_each(|c| fold_char(c, |f| out.push(f)));
        out
    }
}

/// The words of `text` as folded letter strings.
pub fn folded_words(text: &str) -> Vec<Vec<char>> {
    let mut words = Vec::new();
    let mut word = Vec::new();
    for c in text.chars() {
        let mut any = false;
        fold_char(c, |f| {
            word.push(f);
            any = true;
        });
        // A character that folds to nothing ends a word unless it is invisible (a soft
        // hyphen inside a word does not break it).
        if !any && !super::normalize::is_invisible(c) && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

impl Needles {
    pub fn new(wanted: &[Wanted<'_>]) -> Needles {
        let mut index: HashMap<Vec<char>, usize> = HashMap::new();
        let mut needles: Vec<Vec<char>> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (i, w) in wanted.iter().enumerate() {
            let words = folded_words(w.text);
            let (len, min) = if w.term {
                (words.len(), MIN_TERM_LETTERS)
            } else if words.len() >= RUN {
                (RUN, MIN_LETTERS)
            } else if words.len() >= MIN_WORDS {
                (words.len(), MIN_LETTERS)
            } else {
                continue;
            };
            if len == 0 {
                continue;
            }
            for run in words.windows(len) {
                let needle: Vec<char> = run.concat();
                if needle.len() < min {
                    continue;
                }
                let n = *index.entry(needle.clone()).or_insert_with(|| {
                    needles.push(needle);
                    owners.push(Vec::new());
                    needles.len() - 1
                });
                if owners[n].last() != Some(&i) {
                    owners[n].push(i);
                }
            }
        }
        let mut keyed: Vec<(usize, HashMap<u64, Vec<usize>>)> = Vec::new();
        for (n, needle) in needles.iter().enumerate() {
            let k = needle.len().min(KEY);
            let h = hash(&needle[..k]);
            let slot = match keyed.iter().position(|(kk, _)| *kk == k) {
                Some(s) => s,
                None => {
                    keyed.push((k, HashMap::new()));
                    keyed.len() - 1
                }
            };
            keyed[slot].1.entry(h).or_default().push(n);
        }
        Needles {
            needles,
            owners,
            keyed,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// Every needle found in `hay`, with the position of its first occurrence.
    pub fn find(&self, hay: &[char]) -> HashMap<usize, usize> {
        let mut found = HashMap::new();
        for (k, table) in &self.keyed {
            let k = *k;
            if hay.len() < k {
                continue;
            }
            let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(BASE));
            let mut h = hash(&hay[..k]);
            for start in 0..=hay.len() - k {
                if start > 0 {
                    h = h
                        .wrapping_sub(u64::from(hay[start - 1]).wrapping_mul(top))
                        .wrapping_mul(BASE)
                        .wrapping_add(u64::from(hay[start + k - 1]));
                }
                let Some(candidates) = table.get(&h) else {
                    continue;
                };
                for &n in candidates {
                    let needle = &self.needles[n];
                    if hay.get(start..start + needle.len()) == Some(needle.as_slice()) {
                        found.entry(n).or_insert(start);
                    }
                }
            }
        }
        found
    }

    /// The secrets found in `hay` but not in `exempt`: for each, its label index and the
    /// haystack position of its first needle found.
    pub fn leaks(&self, hay: &[char], exempt: &[char]) -> Vec<(usize, usize)> {
        let found = self.find(hay);
        if found.is_empty() {
            return Vec::new();
        }
        let allowed: HashSet<usize> = self.find(exempt).into_keys().collect();
        let mut first: HashMap<usize, usize> = HashMap::new();
        for (n, at) in found {
            if allowed.contains(&n) {
                continue;
            }
            for &owner in &self.owners[n] {
                let e = first.entry(owner).or_insert(at);
                *e = (*e).min(at);
            }
        }
        let mut out: Vec<(usize, usize)> = first.into_iter().collect();
        out.sort_unstable();
        out
    }
}

fn hash(letters: &[char]) -> u64 {
    letters.iter().fold(0u64, |h, &c| {
        h.wrapping_mul(BASE).wrapping_add(u64::from(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARA: &str =
        "Pojar said the meetings were cordial and productive. The Russians went far.";

    fn wanted(text: &str) -> Wanted<'_> {
        Wanted {
            label: "¶4".into(),
            text,
            term: false,
        }
    }

    #[test]
    fn a_run_is_found_however_its_words_are_broken() {
        let n = Needles::new(&[wanted(PARA)]);
        for hay in [
            "x P o j a r  s a i d t h e m e e t i n g s w e r e c o r d i a l a n d p r o d u c t i v e",
            "Po\u{ad}jar said the meet-\nings were cor\u{200b}dial and produc-\ntive",
            "ＰＯＪＡＲ SAID THE MEETINGS WERE CORDIAL AND ＰＲＯＤＵＣＴＩＶＥ",
        ] {
            let hay = Haystack::plain(hay);
            assert_eq!(n.leaks(&hay, &[]).len(), 1, "{hay:?}");
        }
        let hay = Haystack::plain("Pojar said the meetings were cordial and");
        assert!(n.leaks(&hay, &[]).is_empty(), "seven words are not a run");
    }

    #[test]
    fn runs_released_elsewhere_are_exempt() {
        let n = Needles::new(&[wanted(PARA)]);
        let hay = Haystack::plain("the meetings were cordial and productive. The Russians went");
        let exempt = Haystack::plain("The meetings were cordial and productive. The Russians went");
        assert!(n.leaks(&hay, &exempt).is_empty());
        assert_eq!(n.leaks(&hay, &[]), [(0, 0)]);
    }

    #[test]
    fn short_needles_are_left_to_the_word_check() {
        let n = Needles::new(&[wanted("It was a no.")]);
        assert!(n.is_empty());
        let n = Needles::new(&[Wanted {
            label: "redaction".into(),
            text: "Eric Fichte",
            term: true,
        }]);
        let hay = Haystack::plain("for E r i c F i c h t e");
        assert_eq!(n.leaks(&hay, &[]).len(), 1);
    }
}
