//! Consistency across a release batch: the same or nearly the same paragraph in two
//! documents (a quoted REFTEL paragraph, repeated talking points, a near-duplicate draft)
//! must not be withheld in one and released in the other, or the withheld text is public.
//!
//! ```text
//! pass 1: every document ──parse, decide──▶ DocSig (per paragraph: fate, codes, MinHash)
//!         DocSigs ──LSH buckets──▶ candidate pairs ──Jaccard ≥ 0.7, fates differ──▶ Conflicts
//!         Conflicts ──resolve(strict)──▶ Fixes per document (+ one report line per pair)
//! pass 2: the release, each document's decisions amended by its Fixes before rendering
//! ```
//!
//! **Similarity.** A paragraph's text is lower-cased and split into words; its 8-word
//! shingles (paragraphs under [`MIN_WORDS`] words are left out) are hashed and
//! summarised by a one-permutation MinHash signature of [`K`] values (one hash a
//! shingle, empty bins densified; see [`minhash_of`]). Two
//! paragraphs of different documents whose estimated Jaccard similarity is at least
//! [`THRESHOLD`] are the same text. Candidates come from locality-sensitive hashing
//! ([`BANDS`] bands of [`ROWS`] values), so the cost is linear in the number of paragraphs
//! plus the candidate pairs; no text is kept, only 256 bytes per paragraph, and the CLI
//! keeps even those on disk ([`Spill`]), one partition of band keys in memory at a time.
//!
//! **Fates** are ordered withheld > redacted > released. A pair conflicts when its fates
//! differ. In `strict` mode (the default) the less strict paragraph is withheld with the
//! codes of the stricter one; a classification-based code (B1, 1.4(x)…) is replaced by
//! `REVIEW REQUIRED` when that paragraph is not itself classified, as everywhere else.
//! Both paragraphs carry a note naming the other, in the manifest and the exemption log.
//! In `report` mode the pairs are only reported and noted. Chains (A like B, B like C, C
//! not like A) are resolved pair by pair on the first pass's decisions, not transitively.

use crate::document::Document;
use crate::marking::Level;
use crate::policy::codes::{self, Codes};
use crate::policy::{Action, Decision, Decisions};
use crate::release::leak::ParagraphWords;
use std::collections::{BTreeMap, HashSet};

mod spill;
pub use spill::{Spill, SpillError};

/// Words per shingle.
pub const SHINGLE: usize = 8;
/// Paragraphs with fewer words are not compared: formulas such as "This is an action
/// request. Please see paragraph 4." recur across unrelated cables under every marking,
/// and say nothing a reader could not guess.
pub const MIN_WORDS: usize = 12;
/// Signature values (bins) per paragraph.
pub const K: usize = 64;
/// LSH bands and rows per band (`BANDS * ROWS == K`): a pair with Jaccard 0.7 becomes a
/// candidate with probability 1 − (1 − 0.7⁴)¹⁶ ≈ 0.99.
pub const BANDS: usize = 16;
pub const ROWS: usize = 4;
/// Estimated Jaccard similarity at or above which two paragraphs are the same text.
pub const THRESHOLD: f64 = 0.7;

/// What `--consistency` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Report conflicting pairs and give both the stricter decision.
    Strict,
    /// Report conflicting pairs, change nothing.
    Report,
    Off,
}

/// What became of a paragraph, strictest last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fate {
    Released,
    Redacted,
    Withheld,
}

impl Fate {
    fn of(d: &Decision) -> Fate {
        match &d.action {
            Action::Withhold { .. } => Fate::Withheld,
            Action::Release if d.redactions.is_empty() => Fate::Released,
            Action::Release => Fate::Redacted,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Fate::Released => "released",
            Fate::Redacted => "redacted",
            Fate::Withheld => "withheld",
        }
    }
}

/// One paragraph as the pass sees it: no text.
#[derive(Clone, Debug)]
struct ParaSig {
    index: usize,
    label: String,
    fate: Fate,
    codes: Codes,
    classified: bool,
    minhash: [u32; K],
}

/// One document's paragraphs, for the pass.
#[derive(Clone, Debug)]
pub struct DocSig {
    /// How reports name the document (its input path).
    pub name: String,
    paras: Vec<ParaSig>,
}

impl DocSig {
    /// The signature of a decided document.
    pub fn of(name: &str, doc: &Document, decisions: &Decisions) -> DocSig {
        DocSig::of_words(name, doc, decisions, &paragraph_words(doc))
    }

    /// [`DocSig::of`] from the word hashes of the document's paragraphs
    /// ([`paragraph_words`]), which the release's leak guard takes too.
    pub fn of_words(
        name: &str,
        doc: &Document,
        decisions: &Decisions,
        words: &ParagraphWords,
    ) -> DocSig {
        let paras = doc
            .paragraphs
            .iter()
            .zip(&decisions.paragraphs)
            .enumerate()
            .filter_map(|(index, (p, d))| {
                let minhash = minhash_of(words.get(index)?)?;
                let fate = Fate::of(d);
                let codes = match &d.action {
                    Action::Withhold { codes } => codes.clone(),
                    Action::Release => d
                        .redactions
                        .iter()
                        .flat_map(|r| r.codes.iter().cloned())
                        .collect(),
                };
                Some(ParaSig {
                    index,
                    // `map_or_else`: `map_or` made the unnumbered label for every
                    // paragraph, numbered or not, and dropped it.
                    label: p
                        .number
                        .map_or_else(|| format!("paragraph {}", index + 1), |n| format!("¶{n}")),
                    fate,
                    codes,
                    classified: p.marking.as_ref().is_some_and(|m| m.level >= Level::C),
                    minhash,
                })
            })
            .collect();
        DocSig {
            name: name.to_string(),
            paras,
        }
    }
}

/// A pair of paragraphs in different documents, the same text, decided differently.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// (document, position in its `DocSig`) of the stricter paragraph.
    pub stricter: (usize, usize),
    /// The other one.
    pub laxer: (usize, usize),
    pub similarity: f64,
}

/// The amendments for one document: paragraph index → what to do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fixes {
    /// Paragraphs to withhold (strict mode), with their codes.
    pub withhold: BTreeMap<usize, Codes>,
    /// A note per paragraph involved in a conflict, for the manifest and the log.
    pub notes: BTreeMap<usize, String>,
}

impl Fixes {
    pub fn is_empty(&self) -> bool {
        self.withhold.is_empty() && self.notes.is_empty()
    }

    /// Amends `decisions` in place: withheld paragraphs get their codes, and every noted
    /// decision's `why` ends with its note.
    pub fn apply(&self, decisions: &mut Decisions) {
        for (i, codes) in &self.withhold {
            if let Some(d) = decisions.paragraphs.get_mut(*i) {
                d.action = Action::Withhold {
                    codes: codes.clone(),
                };
                d.redactions.clear();
                d.declassified = false;
            }
        }
        for (i, note) in &self.notes {
            if let Some(d) = decisions.paragraphs.get_mut(*i) {
                d.why.push_str("; consistency: ");
                d.why.push_str(note);
            }
        }
    }
}

/// The outcome of the pass over a batch.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub conflicts: usize,
    /// One line per conflicting pair, in document order.
    pub report: Vec<String>,
    /// The amendments by document (its index among the signatures, or the number
    /// [`Spill::add`] was given); documents with none are absent.
    pub fixes: BTreeMap<usize, Fixes>,
}

/// Finds the conflicting pairs of a batch held in memory and, in strict mode, how to
/// resolve them. The CLI uses [`Spill`], whose memory does not grow with the batch; this
/// is the reference it is tested against, and serves library callers with a few documents.
pub fn run(docs: &[DocSig], mode: Mode) -> Outcome {
    if mode == Mode::Off {
        return Outcome::default();
    }
    let conflicts = find(docs);
    let para = |(d, p): (usize, usize)| -> Result<ParaSig, std::convert::Infallible> {
        Ok(docs[d].paras[p].clone())
    };
    match resolve(&conflicts, mode, para, |d| docs[d].name.clone()) {
        Ok(out) => out,
        Err(never) => match never {},
    }
}

/// The outcome of `conflicts` (sorted, each pair once): a report line per pair and the
/// amendments. `para` reads a paragraph's signature by (document, position), `name` a
/// document's name; both are called only for paragraphs in a conflict.
fn resolve<E>(
    conflicts: &[Conflict],
    mode: Mode,
    mut para: impl FnMut((usize, usize)) -> Result<ParaSig, E>,
    name: impl Fn(usize) -> String,
) -> Result<Outcome, E> {
    let mut out = Outcome {
        conflicts: conflicts.len(),
        ..Outcome::default()
    };
    for c in conflicts {
        let (sd, ld) = (c.stricter.0, c.laxer.0);
        let (s, l) = (para(c.stricter)?, para(c.laxer)?);
        let (sname, lname) = (name(sd), name(ld));
        let codes_text = |p: &ParaSig| {
            if p.codes.is_empty() {
                String::new()
            } else {
                format!(" ({})", codes::render_codes(&p.codes))
            }
        };
        let resolution = match mode {
            Mode::Strict => format!("{lname} {} withheld", l.label),
            _ => "reported only".to_string(),
        };
        out.report.push(format!(
            "{sname} {} {}{} and {lname} {} {}: the same text (similarity {:.2}); {resolution}",
            s.label,
            s.fate.word(),
            codes_text(&s),
            l.label,
            l.fate.word(),
            c.similarity
        ));
        let verb = if mode == Mode::Strict {
            "withheld here as there"
        } else {
            "reported only"
        };
        note(
            out.fixes.entry(ld).or_default(),
            l.index,
            format!(
                "the same text is {} in {sname} {}{}: {verb}",
                s.fate.word(),
                s.label,
                codes_text(&s)
            ),
        );
        note(
            out.fixes.entry(sd).or_default(),
            s.index,
            format!(
                "the same text is {} in {lname} {}: {}",
                l.fate.word(),
                l.label,
                if mode == Mode::Strict {
                    "withheld there too"
                } else {
                    "reported only"
                }
            ),
        );
        if mode == Mode::Strict {
            let lawful: Codes = if l.classified {
                s.codes.clone()
            } else {
                let kept: Codes = s
                    .codes
                    .iter()
                    .filter(|c| !codes::is_classification_based(c.as_str()))
                    .cloned()
                    .collect();
                if kept.len() < s.codes.len() || kept.is_empty() {
                    kept.union(&Codes::review())
                } else {
                    kept
                }
            };
            let fixes = out.fixes.entry(ld).or_default();
            let slot = fixes.withhold.entry(l.index).or_default();
            slot.extend_from(&lawful);
        }
    }
    Ok(out)
}

fn note(fixes: &mut Fixes, index: usize, text: String) {
    fixes
        .notes
        .entry(index)
        .and_modify(|n| {
            n.push_str("; ");
            n.push_str(&text);
        })
        .or_insert(text);
}

/// Every pair of paragraphs in different documents with the same text and different
/// fates, each pair once, in document order.
pub fn find(docs: &[DocSig]) -> Vec<Conflict> {
    let all: Vec<(usize, usize)> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, s)| (0..s.paras.len()).map(move |p| (d, p)))
        .collect();
    let sig = |(d, p): (usize, usize)| &docs[d].paras[p];
    // One (band key, paragraph) entry per band, sorted so that each bucket is a run:
    // 16 bytes an entry, where a map of vectors cost several times that.
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(all.len() * BANDS);
    for (id, at) in all.iter().enumerate() {
        for key in band_keys(&sig(*at).minhash) {
            keyed.push((key, id as u32));
        }
    }
    keyed.sort_unstable();
    let buckets = keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .map(|run| run.iter().map(|(_, id)| *id).collect::<Vec<u32>>());
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut conflicts = Vec::new();
    for members in buckets {
        // Only pairs whose fates differ matter; a bucket of one fate costs nothing more.
        let fates: HashSet<Fate> = members.iter().map(|&i| sig(all[i as usize]).fate).collect();
        if fates.len() < 2 {
            continue;
        }
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                let (pa, pb) = (all[a as usize], all[b as usize]);
                if pa.0 == pb.0 || sig(pa).fate == sig(pb).fate {
                    continue;
                }
                let key = (a.min(b), a.max(b));
                if !seen.insert(key) {
                    continue;
                }
                let similarity = estimate(&sig(pa).minhash, &sig(pb).minhash);
                if similarity < THRESHOLD {
                    continue;
                }
                let (stricter, laxer) = if sig(pa).fate > sig(pb).fate {
                    (pa, pb)
                } else {
                    (pb, pa)
                };
                conflicts.push(Conflict {
                    stricter,
                    laxer,
                    similarity,
                });
            }
        }
    }
    conflicts.sort_by_key(|c| (c.stricter, c.laxer));
    conflicts
}

/// The LSH key of each band of a signature: two paragraphs are candidates when any key
/// is shared (the band number is hashed in, so keys of different bands differ).
fn band_keys(m: &[u32; K]) -> [u64; BANDS] {
    let mut keys = [0u64; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        *key = m[band * ROWS..(band + 1) * ROWS]
            .iter()
            .fold(band as u64, |h, v| mix64(h ^ u64::from(*v)));
    }
    keys
}

/// The share of equal MinHash values: an estimate of the Jaccard similarity.
fn estimate(a: &[u32; K], b: &[u32; K]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / K as f64
}

/// The word hashes of each paragraph of `doc` ([`crate::release::leak::for_each_word`]'s), for
/// [`DocSig::of_words`] and the leak guard.
pub fn paragraph_words(doc: &Document) -> ParagraphWords {
    ParagraphWords::of(doc.paragraphs.iter().map(|p| p.text.as_str()))
}

/// [`minhash_of`] the words of `text`.
#[cfg(test)]
fn minhash(text: &str) -> Option<[u32; K]> {
    minhash_of(&word_hashes(text))
}

/// The signature of a paragraph's shingles (`words`: its word hashes), or `None` when
/// it is too short.
///
/// One-permutation MinHash with optimal densification (Shrivastava 2017): each shingle
/// is hashed once; the top 6 bits of the hash pick one of the [`K`] bins and the low 32
/// bits are its value; a bin keeps its smallest value. A bin no shingle fell in (most of
/// them in a 12-word paragraph: 5 shingles for 64 bins) takes the value of the first
/// filled bin in its own fixed order of the bins ([`PROBE`]). For two paragraphs the
/// first bin of that order filled in either holds the smallest hash of their union in
/// it, which both share exactly when it is a shingle of both: each bin agrees with
/// probability the Jaccard similarity, as a bin of `K` independent hash functions does,
/// so the estimate ([`estimate`]) and the LSH bands are used as before, for one hash a
/// shingle instead of [`K`]. The tests compare both estimators with the exact Jaccard
/// similarity over generated pairs of 12 to 400 words.
fn minhash_of(words: &[u64]) -> Option<[u32; K]> {
    if words.len() < MIN_WORDS {
        return None;
    }
    let mut sig = [u32::MAX; K];
    // Bit `b` set: bin `b` holds a shingle's value (a value may itself be u32::MAX).
    let mut filled = 0u64;
    for window in words.windows(SHINGLE.min(words.len())) {
        let h = mix64(shingle_hash(window));
        let bin = (h >> 58) as usize;
        sig[bin] = sig[bin].min(h as u32);
        filled |= 1 << bin;
    }
    densify(&mut sig, filled);
    Some(sig)
}

/// Fills each empty bin of `sig` with the value of the first filled bin (`filled`, never
/// 0) in that bin's [`PROBE`] order. Only filled bins are read, and they are not written:
/// the order of the empty bins does not matter.
fn densify(sig: &mut [u32; K], filled: u64) {
    if filled == u64::MAX {
        return;
    }
    let count = filled.count_ones() as usize;
    if count > FEW_FILLED {
        // Many filled bins: a walk down the probe order meets one within a few steps.
        for (j, probe) in PROBE.iter().enumerate() {
            if filled >> j & 1 == 0
                && let Some(&from) = probe.iter().find(|&&b| filled >> b & 1 == 1)
            {
                sig[j] = sig[usize::from(from)];
            }
        }
        return;
    }
    // Few (a short paragraph's 5 shingles fill at most 5): the first in probe order is
    // the filled bin of lowest rank in it, found among the few instead of down the
    // probe order, which passes about K / (count + 1) empty bins first.
    let mut bins = [0u8; FEW_FILLED];
    let mut rest = filled;
    for slot in bins.iter_mut().take(count) {
        *slot = rest.trailing_zeros() as u8;
        rest &= rest - 1;
    }
    let bins = &bins[..count];
    for (j, rank) in RANK.iter().enumerate() {
        if filled >> j & 1 == 0 {
            let mut best = bins[0];
            for &b in &bins[1..] {
                if rank[usize::from(b)] < rank[usize::from(best)] {
                    best = b;
                }
            }
            sig[j] = sig[usize::from(best)];
        }
    }
}

/// Up to this many filled bins, [`densify`] compares ranks instead of probing.
const FEW_FILLED: usize = 8;

/// `RANK[j][b]`: where bin `b` stands in bin `j`'s probe order (`PROBE[j][RANK[j][b]] == b`).
const RANK: [[u8; K]; K] = {
    let mut t = [[0u8; K]; K];
    let mut j = 0;
    while j < K {
        let mut i = 0;
        while i < K {
            t[j][PROBE[j][i] as usize] = i as u8;
            i += 1;
        }
        j += 1;
    }
    t
};

/// The FNV-1a hash of a shingle's word hashes.
fn shingle_hash(window: &[u64]) -> u64 {
    window.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, w| {
        (h ^ w).wrapping_mul(0x0100_0000_01b3)
    })
}

/// For each bin, the order in which an empty one looks for a filled bin to copy: a
/// pseudo-random permutation of the bins per bin (Fisher–Yates over a fixed splitmix64
/// sequence), independent across bins, the same on every run.
const PROBE: [[u8; K]; K] = {
    let mut t = [[0u8; K]; K];
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut j = 0;
    while j < K {
        let mut i = 0;
        while i < K {
            t[j][i] = i as u8;
            i += 1;
        }
        let mut i = K - 1;
        while i > 0 {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let r = (mix64(x) % (i as u64 + 1)) as usize;
            let swap = t[j][i];
            t[j][i] = t[j][r];
            t[j][r] = swap;
            i -= 1;
        }
        j += 1;
    }
    t
};

/// The FNV-1a hash of each word of `text` (maximal runs of alphanumeric characters,
/// lower-cased; over their UTF-8 bytes), in order: the leak check's word hashes
/// ([`crate::release::leak::word_hashes`]), which the signatures are made of ([`paragraph_words`]).
#[cfg(test)]
fn word_hashes(text: &str) -> Vec<u64> {
    crate::release::leak::word_hashes(text)
}

/// FNV-1a over a word's characters: the definition [`word_hashes`] follows, kept as the
/// reference its test compares with.
#[cfg(test)]
fn fnv(chars: impl Iterator<Item = char>) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for c in chars {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The splitmix64 finaliser: spreads a shingle's hash over all 64 bits.
const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests;
