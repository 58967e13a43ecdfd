//! The leak check: the last gate before any output is written, and the whole of
//! `declass verify`. Given what was withheld (paragraphs, redacted terms) and the text of an
//! output (a text release, the text extracted from a PDF, a manifest), it reports which
//! withheld items appear in it, by label only: never the leaked text itself.
//!
//! Matching is on normalised words (letters and digits only, lower case), so whitespace,
//! case, punctuation and line wrapping do not hide a leak. A withheld paragraph leaks when
//! any run of [`SHINGLE`] consecutive words of it appears in the output, unless that same run
//! is also part of what was released (a sentence quoted in two paragraphs is not a leak of
//! the withheld one). A short withheld paragraph leaks when all its words appear in a row.
//! A redacted term leaks when its words appear in a row.

use std::collections::{HashMap, HashSet};

/// Words in a run that counts as a leak.
pub const SHINGLE: usize = 8;

/// Withheld paragraphs shorter than this many words are checked whole only if they have at
/// least [`MIN_SHORT_WORDS`] words; shorter ones (`Comment`, `Summary`) are too common to
/// tell a leak from a coincidence.
pub const MIN_SHORT_WORDS: usize = 4;

/// One thing that must not appear in an output.
#[derive(Clone, Debug)]
pub struct Secret {
    /// How a report names it: `¶4`, `subject`, `redaction in ¶2`.
    pub label: String,
    pub text: String,
}

/// What the check needs: the withheld items, and the released text whose word runs are
/// exempt because they were released legitimately.
#[derive(Default)]
pub struct LeakGuard {
    /// Hash of a word run → indices of the secrets containing it.
    runs: HashMap<u64, Vec<usize>>,
    /// Run lengths to look for (SHINGLE, and shorter ones for short secrets and terms).
    lengths: Vec<usize>,
    labels: Vec<String>,
}

/// Splits text into normalised words.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The normalised words of `text` as 64-bit hashes, without allocating a string per
/// word: letters and digits only, lower-cased (FNV-1a over the lower-cased characters).
pub fn word_hashes(text: &str) -> Vec<u64> {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut h = OFFSET;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            in_word = true;
            if c.is_ascii() {
                h = (h ^ u64::from(c.to_ascii_lowercase() as u8)).wrapping_mul(PRIME);
            } else {
                for l in c.to_lowercase() {
                    h = (h ^ u64::from(u32::from(l))).wrapping_mul(PRIME);
                }
            }
        } else if in_word {
            out.push(h);
            h = OFFSET;
            in_word = false;
        }
    }
    if in_word {
        out.push(h);
    }
    out
}

/// A run of word hashes to one hash (order matters).
fn run_hash(words: &[u64]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for &w in words {
        h = (h.rotate_left(23) ^ w).wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
    h ^ (h >> 29)
}

impl LeakGuard {
    /// Builds a guard for `secrets`, exempting runs that also occur in `released` (the
    /// released pieces in document order).
    pub fn new(secrets: &[Secret], released: &[&str]) -> LeakGuard {
        let mut guard = LeakGuard::default();
        let mut wanted: HashMap<usize, Vec<(u64, usize)>> = HashMap::new();
        for (i, secret) in secrets.iter().enumerate() {
            let w = word_hashes(&secret.text);
            guard.labels.push(secret.label.clone());
            if w.len() >= SHINGLE {
                for run in w.windows(SHINGLE) {
                    wanted.entry(SHINGLE).or_default().push((run_hash(run), i));
                }
            } else if !w.is_empty()
                && (w.len() >= MIN_SHORT_WORDS || secret.label.starts_with("redaction"))
            {
                wanted.entry(w.len()).or_default().push((run_hash(&w), i));
            }
        }
        // Runs that were released legitimately are not evidence of a leak. The released
        // pieces are taken in document order as one sequence, so that a run across two
        // released lines (a routing block, a wrapped header) is exempt too.
        let wanted_hashes: HashSet<u64> = wanted
            .values()
            .flat_map(|runs| runs.iter().map(|&(h, _)| h))
            .collect();
        let mut exempt: HashSet<u64> = HashSet::new();
        let released_words: Vec<u64> = released.iter().flat_map(|t| word_hashes(t)).collect();
        for &len in wanted.keys() {
            if released_words.len() >= len {
                // Only runs that some secret contains matter.
                exempt.extend(
                    released_words
                        .windows(len)
                        .map(run_hash)
                        .filter(|h| wanted_hashes.contains(h)),
                );
            }
        }
        let mut lengths: Vec<usize> = wanted.keys().copied().collect();
        lengths.sort_unstable();
        guard.lengths = lengths;
        for (_, runs) in wanted {
            for (hash, i) in runs {
                if exempt.contains(&hash) {
                    continue;
                }
                let entry = guard.runs.entry(hash).or_default();
                if !entry.contains(&i) {
                    entry.push(i);
                }
            }
        }
        guard
    }

    /// True when there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The labels of the secrets found in `output`, in secret order, each once.
    pub fn check(&self, output: &str) -> Vec<String> {
        if self.runs.is_empty() {
            return Vec::new();
        }
        let w = word_hashes(output);
        let mut hit: Vec<bool> = vec![false; self.labels.len()];
        for &len in &self.lengths {
            if w.len() < len {
                continue;
            }
            for run in w.windows(len) {
                if let Some(idx) = self.runs.get(&run_hash(run)) {
                    for &i in idx {
                        hit[i] = true;
                    }
                }
            }
        }
        hit.iter()
            .enumerate()
            .filter(|&(_, &h)| h)
            .map(|(i, _)| self.labels[i].clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(label: &str, text: &str) -> Secret {
        Secret {
            label: label.into(),
            text: text.into(),
        }
    }

    const PARA: &str =
        "Pojar said the meetings were cordial and productive. The Russians went to great length.";

    #[test]
    fn eight_words_in_a_row_leak_whatever_the_case_and_wrapping() {
        let g = LeakGuard::new(&[secret("¶4", PARA)], &[]);
        assert!(g.check("nothing here").is_empty());
        assert_eq!(
            g.check("x POJAR said the\nmeetings   were cordial AND productive y"),
            ["¶4"]
        );
        assert_eq!(
            g.check("said the meetings were cordial and-productive. The Russians"),
            ["¶4"]
        );
        // Seven words are not enough.
        assert!(
            g.check("said the meetings were cordial and productive")
                .len()
                <= 1
        );
        assert!(
            g.check("the meetings were cordial and productive")
                .is_empty()
        );
    }

    #[test]
    fn released_runs_are_exempt() {
        let shared = "the delegation met the minister in Moscow on the second day";
        let g = LeakGuard::new(
            &[secret(
                "¶1",
                &format!("Secret part one two three. {shared}"),
            )],
            &[shared],
        );
        assert!(g.check(shared).is_empty());
        assert_eq!(
            g.check("Secret part one two three. the delegation met"),
            ["¶1"]
        );
    }

    #[test]
    fn redacted_terms_leak_whole() {
        let g = LeakGuard::new(
            &[secret("redaction in addressee line 3", "Eric Fichte")],
            &[],
        );
        assert_eq!(
            g.check("EUR/NCE FOR ERIC\nFICHTE"),
            ["redaction in addressee line 3"]
        );
        assert!(g.check("EUR/NCE FOR [B6]").is_empty());
    }

    #[test]
    fn word_hashes_agree_with_words() {
        let text = "Pojar SAID: the Meeting's — naïve ÉTÉ 2017!";
        let by_string: Vec<u64> = words(text).iter().map(|w| word_hashes(w)[0]).collect();
        assert_eq!(word_hashes(text), by_string);
        assert_eq!(word_hashes("ÉTÉ"), word_hashes("été"));
    }

    #[test]
    fn very_short_paragraphs_are_not_checked() {
        let g = LeakGuard::new(&[secret("¶3", "Comment")], &[]);
        assert!(g.is_empty());
    }
}
