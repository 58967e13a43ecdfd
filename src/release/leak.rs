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

//!
//! How it is fast: every word is hashed once to a `u64` (lower-cased on the fly, no string
//! per word), and a run of words is keyed by a polynomial hash of its word hashes, which a
//! prefix of the text gives for any run length in O(1) ([`Windows`]). The guard keeps the
//! small set of runs it looks for in an open-addressing table; an output is scanned once,
//! and only the runs found in it are then looked for in the released text (usually none
//! are, so the released text is not read at all).

use crate::document::Paragraph;

/// Words in a run that counts as a leak.
pub const SHINGLE: usize = 8;

/// Withheld paragraphs shorter than this many words are checked whole only if they have at
/// least [`MIN_SHORT_WORDS`] words; shorter ones (`Comment`, `Summary`) are too common to
/// tell a leak from a coincidence.
pub const MIN_SHORT_WORDS: usize = 4;

/// One thing that must not appear in an output.
///
/// Its fields are private so that a secret said to be a paragraph's whole text is that
/// text by construction ([`Secret::whole_paragraph`] copies it from the paragraph): the
/// guard takes such a secret's word hashes from [`ParagraphWords`] unread, and a secret
/// with other words under that paragraph's index would be looked for as the wrong words.
#[derive(Clone, Debug)]
pub struct Secret {
    /// How a report names it: `¶4`, `subject`, `redaction in ¶2`.
    pub label: String,
    text: String,
    /// The paragraph whose whole text `text` is (a paragraph withheld whole), so that the
    /// guard can take its word hashes from [`ParagraphWords`] instead of hashing it again.
    paragraph: Option<usize>,
}

impl Secret {
    /// A secret whose words are hashed from `text` itself.
    pub fn new(label: impl Into<String>, text: impl Into<String>) -> Secret {
        Secret {
            label: label.into(),
            text: text.into(),
            paragraph: None,
        }
    }

    /// Paragraph `index` of its document, withheld whole: its text is the paragraph's,
    /// so the guard may take its word hashes from that document's [`ParagraphWords`].
    pub fn whole_paragraph(
        label: impl Into<String>,
        index: usize,
        paragraph: &Paragraph,
    ) -> Secret {
        Secret {
            label: label.into(),
            text: paragraph.text.clone(),
            paragraph: Some(index),
        }
    }

    /// What must not appear.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// What the check needs: the runs of words to look for, and the released text whose runs
/// are exempt because they were released legitimately.
#[derive(Default)]
pub struct LeakGuard<'a> {
    /// The runs to look for, with the secrets that contain them.
    wanted: RunTable,
    /// Every word of those runs: a run can end at a word of the output only when that word
    /// and the ones before it, as many as the run is long, are all in here.
    words: WordFilter,
    /// Run lengths to look for (SHINGLE, and shorter ones for short secrets and terms).
    lengths: Vec<usize>,
    labels: Vec<&'a str>,
    /// The released pieces in document order, read only when an output contains a run
    /// that some secret contains.
    released: Vec<&'a str>,
    /// The wanted runs in `released`, found the first time an output needs them: a
    /// release's outputs (its text, manifest and file name) are checked against the same
    /// pieces, which would otherwise be read again for each.
    exempt: std::cell::OnceCell<Vec<u64>>,
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
    let mut out = Vec::new();
    push_word_hashes(text, &mut out);
    out
}

/// Appends the hash of each normalised word of `text` to `out` ([`for_each_word`]'s).
/// Not inlined: in a function of its own the splitter's state stays in registers, where
/// inlined into [`ParagraphWords::of`]'s loop it took twice the instructions a byte.
#[inline(never)]
pub fn push_word_hashes(text: &str, out: &mut Vec<u64>) {
    out.reserve(text.len() / 6);
    for_each_word(text, |h| out.push(h));
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// What a byte is to the word splitter: an ASCII letter or digit lower-cased (1 to 127,
/// positive as an `i8`), [`SEP`] for other ASCII (it ends a word), [`NON_ASCII`] for a byte
/// of a multi-byte character (negative as an `i8`). One signed test tells a letter or digit
/// from both others.
const BYTE_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            SEP
        };
        b += 1;
    }
    t
};
const SEP: u8 = 0;
const NON_ASCII: u8 = 0x80;

/// True for the class of an ASCII letter or digit (neither [`SEP`] nor [`NON_ASCII`]).
#[inline(always)]
fn is_letter(class: u8) -> bool {
    class.cast_signed() > 0
}

/// Calls `f` with the hash of each normalised word of `text`, in order (what
/// [`word_hashes`] collects): FNV-1a over the UTF-8 bytes of the lower-cased letters and
/// digits. ASCII goes through one table look-up a byte; other characters through
/// `char::is_alphanumeric` and `char::to_lowercase`, as [`words`] does. The consistency
/// signature hashes paragraphs with this same function, so that the words of a withheld
/// paragraph are hashed once for both ([`ParagraphWords`]).
///
/// One pass over the bytes, the hash folded as they are read: a run of ASCII letters and
/// digits is a tight loop of a look-up, a test and a multiply a byte, a run of ASCII
/// separators one of a look-up and a test; the state (inside a word or not) is looked at
/// only where a run ends, not at every byte.
pub fn for_each_word(text: &str, mut f: impl FnMut(u64)) {
    let bytes = text.as_bytes();
    let mut h = FNV_OFFSET;
    // `h` holds a word begun and not yet handed to `f`.
    let mut in_word = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let class = BYTE_CLASS[usize::from(b)];
        if is_letter(class) {
            in_word = true;
            h = (h ^ u64::from(class)).wrapping_mul(FNV_PRIME);
            i += 1;
            // The rest of the run through a slice iterator: no bounds check a byte.
            for &b in &bytes[i..] {
                let class = BYTE_CLASS[usize::from(b)];
                if !is_letter(class) {
                    break;
                }
                h = (h ^ u64::from(class)).wrapping_mul(FNV_PRIME);
                i += 1;
            }
            continue;
        }
        if class == SEP {
            if in_word {
                f(h);
                h = FNV_OFFSET;
                in_word = false;
            }
            i += 1;
            for &b in &bytes[i..] {
                if BYTE_CLASS[usize::from(b)] != SEP {
                    break;
                }
                i += 1;
            }
            continue;
        }
        // A character of more than one byte.
        let c = char_at(text, i);
        i += c.len_utf8();
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for &b in l.encode_utf8(&mut buf).as_bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
                }
            }
            in_word = true;
        } else if in_word {
            f(h);
            h = FNV_OFFSET;
            in_word = false;
        }
    }
    if in_word {
        f(h);
    }
}

/// The character starting at byte `i` of `text`, which is a character boundary.
fn char_at(text: &str, i: usize) -> char {
    text[i..]
        .chars()
        .next()
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The base of the polynomial run hash (odd, so that its powers never vanish mod 2^64).
const BASE: u64 = 0x9e37_79b9_7f4a_7c15;
/// Spreads a run hash over all 64 bits, so that its top bits can index the table.
const MIX: u64 = 0xff51_afd7_ed55_8ccd;
/// How many prefix hashes [`Windows`] keeps: more than the longest run looked for.
const RING: usize = 16;
const _: () = assert!(SHINGLE < RING);

/// `BASE^n` for every run length.
const POWERS: [u64; RING] = {
    let mut p = [1u64; RING];
    let mut n = 1;
    while n < RING {
        p[n] = p[n - 1].wrapping_mul(BASE);
        n += 1;
    }
    p
};

/// The key of a run of word hashes: `(Σ w_i·BASE^(len-1-i) + len)·MIX` mod 2^64. The same
/// as [`Windows`] gives for that run anywhere in a text (the tests' reference).
#[cfg(test)]
fn run_key(words: &[u64]) -> u64 {
    let h = words
        .iter()
        .fold(0u64, |h, &w| h.wrapping_mul(BASE).wrapping_add(w));
    finish(h, words.len())
}

fn finish(h: u64, len: usize) -> u64 {
    h.wrapping_add(len as u64).wrapping_mul(MIX)
}

/// Rolling run keys over a stream of word hashes: with the prefix hash `P_j` of the first
/// `j` words, the run of `len` words ending at word `j` hashes to `P_j - P_(j-len)·BASE^len`,
/// so each word costs one multiply-add and each window one more, whatever its length.
struct Windows {
    prefix: [u64; RING],
    /// Words seen so far.
    count: usize,
}

impl Windows {
    fn new() -> Windows {
        Windows {
            prefix: [0; RING],
            count: 0,
        }
    }

    /// Adds the next word.
    fn push(&mut self, word: u64) {
        let last = self.prefix[self.count % RING];
        self.count += 1;
        self.prefix[self.count % RING] = last.wrapping_mul(BASE).wrapping_add(word);
    }

    /// The key of the run of `len` words ending with the last word pushed, if there are
    /// that many (`len` < [`RING`]).
    fn key(&self, len: usize) -> Option<u64> {
        if len > self.count {
            return None;
        }
        let end = self.prefix[self.count % RING];
        let start = self.prefix[(self.count - len) % RING];
        Some(finish(
            end.wrapping_sub(start.wrapping_mul(POWERS[len])),
            len,
        ))
    }
}

/// The length of the runs looked for in a secret of `words` words: [`SHINGLE`], or all
/// its words when it is shorter; `None` when it is too short to tell a leak from a
/// coincidence (a redacted term is looked for however short).
fn run_length(secret: &Secret, words: usize) -> Option<usize> {
    if words >= SHINGLE {
        Some(SHINGLE)
    } else if words > 0 && (words >= MIN_SHORT_WORDS || secret.label.starts_with("redaction")) {
        Some(words)
    } else {
        None
    }
}

/// The word hashes of every paragraph of a document, in one buffer: made once by the
/// batch consistency pass for its signatures ([`crate::release::consistency::DocSig`]) and
/// taken by the leak guard for the paragraphs withheld whole, so that each of their words
/// is hashed once for both.
#[derive(Default)]
pub struct ParagraphWords {
    hashes: Vec<u64>,
    /// Paragraph `i`'s hashes are `hashes[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
    /// Each paragraph's text length in bytes: a secret of another length is not that
    /// paragraph's text, and is hashed itself.
    lens: Vec<usize>,
}

impl ParagraphWords {
    /// Hashes the words of each of `texts` (a document's paragraphs, in order).
    pub fn of<'t>(texts: impl IntoIterator<Item = &'t str>) -> ParagraphWords {
        let mut out = ParagraphWords::default();
        for text in texts {
            push_word_hashes(text, &mut out.hashes);
            out.ends.push(out.hashes.len());
            out.lens.push(text.len());
        }
        out
    }

    /// The word hashes of paragraph `i`.
    pub fn get(&self, i: usize) -> Option<&[u64]> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1],
        };
        self.hashes.get(start..end)
    }

    /// The hashes of `secret`'s words when it is the whole text of a paragraph held here.
    fn of_secret(&self, secret: &Secret) -> Option<&[u64]> {
        let i = secret.paragraph?;
        (self.lens.get(i) == Some(&secret.text.len()))
            .then(|| self.get(i))
            .flatten()
    }
}

/// Buffers [`LeakGuard::new`] fills and empties for every document, kept per thread so
/// that a batch allocates (and grows) them once rather than once a document.
#[derive(Default)]
struct Scratch {
    /// (run key, secret index) of every run of every secret.
    wanted: Vec<(u64, u32)>,
    /// The word hashes of one secret.
    words: Vec<u64>,
    /// The word hashes of every run looked for, for the [`WordFilter`].
    all_words: Vec<u64>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Scratch grown past this many entries by an unusually large document is given back.
const KEEP_SCRATCH: usize = 1 << 18;

impl<'a> LeakGuard<'a> {
    /// Builds a guard for `secrets`, exempting runs that also occur in `released` (the
    /// released pieces in document order).
    pub fn new(secrets: &'a [Secret], released: &[&'a str]) -> LeakGuard<'a> {
        LeakGuard::with_words(secrets, released, None)
    }

    /// [`LeakGuard::new`], taking the word hashes of the secrets that are a paragraph's
    /// whole text from `known` (hashed already by the consistency pass) instead of
    /// hashing them again. The guard is the same either way.
    pub fn with_words(
        secrets: &'a [Secret],
        released: &[&'a str],
        known: Option<&ParagraphWords>,
    ) -> LeakGuard<'a> {
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch {
                wanted,
                words: w,
                all_words,
            } = scratch;
            wanted.clear();
            all_words.clear();
            let mut lengths: Vec<usize> = Vec::new();
            for (i, secret) in secrets.iter().enumerate() {
                let words: &[u64] = match known.and_then(|k| k.of_secret(secret)) {
                    Some(hashes) => hashes,
                    None => {
                        w.clear();
                        push_word_hashes(&secret.text, w);
                        w
                    }
                };
                let Some(len) = run_length(secret, words.len()) else {
                    continue;
                };
                // Secrets beyond u32::MAX cannot come from one document of bounded size.
                let index = u32::try_from(i).unwrap_or(u32::MAX - 1);
                let mut windows = Windows::new();
                for &word in words {
                    windows.push(word);
                    if let Some(key) = windows.key(len) {
                        wanted.push((key, index));
                    }
                }
                all_words.extend_from_slice(words);
                if !lengths.contains(&len) {
                    lengths.push(len);
                }
            }
            lengths.sort_unstable();
            let table = RunTable::new(wanted);
            let filter = WordFilter::new(all_words);
            if wanted.capacity() > KEEP_SCRATCH || all_words.capacity() > KEEP_SCRATCH {
                *scratch = Scratch::default();
            }
            LeakGuard {
                wanted: table,
                words: filter,
                lengths,
                labels: secrets.iter().map(|s| s.label.as_str()).collect(),
                released: released.to_vec(),
                exempt: std::cell::OnceCell::new(),
            }
        })
    }

    /// True when there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.wanted.is_empty()
    }

    /// The labels of the secrets found in `output`, in secret order, each once.
    pub fn check(&self, output: &str) -> Vec<String> {
        if self.wanted.is_empty() {
            return Vec::new();
        }
        let mut found = self.wanted_runs_in(&[output]);
        if found.is_empty() {
            return Vec::new();
        }
        // Runs that were released legitimately are not evidence of a leak. The released
        // pieces are taken in document order as one sequence, so that a run across two
        // released lines (a routing block, a wrapped header) is exempt too.
        let exempt = self
            .exempt
            .get_or_init(|| self.wanted_runs_in(&self.released));
        found.retain(|key| exempt.binary_search(key).is_err());
        let mut hit = vec![false; self.labels.len()];
        for key in found {
            self.wanted.secrets_of(key, |i| hit[i] = true);
        }
        hit.iter()
            .zip(&self.labels)
            .filter(|&(&h, _)| h)
            .map(|(_, &label)| label.to_string())
            .collect()
    }

    /// The keys of the wanted runs that occur in `pieces` (read as one sequence of words),
    /// sorted, each once.
    fn wanted_runs_in(&self, pieces: &[&str]) -> Vec<u64> {
        let mut found = Vec::new();
        let mut windows = Windows::new();
        // How many words in a row, ending with the last one, the filter holds: a run of
        // `len` words is looked up only when it is at least `len` (the lengths are sorted),
        // which settles most words of an output with one bit.
        let mut streak = 0usize;
        for piece in pieces {
            for_each_word(piece, |word| {
                windows.push(word);
                if !self.words.may_hold(word) {
                    streak = 0;
                    return;
                }
                streak += 1;
                for &len in &self.lengths {
                    if len > streak {
                        break;
                    }
                    let Some(key) = windows.key(len) else {
                        break;
                    };
                    if self.wanted.contains(key) {
                        found.push(key);
                    }
                }
            });
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// The words of the runs looked for, as a bit set over their hashes (a Bloom filter of one
/// hash function): a word not in it is in no wanted run. A false "may hold" costs only a
/// look-up in the [`RunTable`]; there are no false "holds not".
#[derive(Default)]
struct WordFilter {
    bits: Vec<u64>,
    /// A word's bit is the top bits of its mixed hash: `(word · MIX) >> shift`.
    shift: u32,
}

impl WordFilter {
    fn new(words: &[u64]) -> WordFilter {
        if words.is_empty() {
            return WordFilter::default();
        }
        // About 16 bits a word: under 1 in 10 of the other words passes.
        let bits = (words.len() * 16).next_power_of_two().max(512);
        let mut filter = WordFilter {
            bits: vec![0; bits / 64],
            shift: 64 - bits.trailing_zeros(),
        };
        for &w in words {
            let b = filter.bit(w);
            filter.bits[b / 64] |= 1 << (b % 64);
        }
        filter
    }

    fn bit(&self, word: u64) -> usize {
        (word.wrapping_mul(MIX) >> self.shift) as usize
    }

    fn may_hold(&self, word: u64) -> bool {
        let b = self.bit(word);
        self.bits
            .get(b / 64)
            .is_some_and(|w| w >> (b % 64) & 1 == 1)
    }
}

/// The wanted runs: an open-addressing hash table of (run key, secret) entries with linear
/// probing, at most half full, so that a key not wanted (nearly every window of an output)
/// is settled by the first empty slot, usually the first one looked at. Built in one pass,
/// without sorting. A run that several secrets contain has one entry per secret. (A bit
/// filter in front of it saved nothing measurable: the check's cost is in reading words.)
/// A miss reads only `secrets`, so that array is kept narrow (`u32`) to stay in cache.
///
/// Its two arrays are taken from the last table dropped on this thread ([`TABLES`]): a
/// batch allocates them once, not once a document. Only `secrets` is cleared for a new
/// table; `keys` may hold a former table's keys, which are never read: every probe looks
/// at a slot's key only once its `secrets` entry says the slot is filled, and only
/// [`RunTable::insert`] fills one, writing its key first.
#[derive(Default)]
struct RunTable {
    /// At least as long as `secrets`; only `keys[..secrets.len()]` belongs to the table.
    keys: Vec<u64>,
    /// The secret's index plus one; 0 marks an empty slot. Its length is the table's
    /// number of slots (a power of two).
    secrets: Vec<u32>,
    /// A key's first slot is its top bits (the best mixed): `key >> shift`.
    shift: u32,
    len: usize,
}

/// The arrays of the last [`RunTable`] dropped on this thread, for the next one.
#[derive(Default)]
struct TablePool {
    keys: Vec<u64>,
    secrets: Vec<u32>,
}

thread_local! {
    static TABLES: std::cell::RefCell<TablePool> = std::cell::RefCell::new(TablePool::default());
}

impl Drop for RunTable {
    fn drop(&mut self) {
        // A table grown past the scratch limit by an unusually large document is freed;
        // `try_with`, `try_borrow_mut`: a table dropped while the thread's storage is torn
        // down, or while the pool is in use, is freed as any other.
        if self.secrets.capacity() > KEEP_SCRATCH || self.secrets.capacity() == 0 {
            return;
        }
        let (keys, secrets) = (
            std::mem::take(&mut self.keys),
            std::mem::take(&mut self.secrets),
        );
        let _ = TABLES.try_with(|pool| {
            if let Ok(mut pool) = pool.try_borrow_mut()
                && pool.secrets.capacity() < secrets.capacity()
            {
                *pool = TablePool { keys, secrets };
            }
        });
    }
}

impl RunTable {
    fn new(entries: &[(u64, u32)]) -> RunTable {
        if entries.is_empty() {
            return RunTable::default();
        }
        let slots = (entries.len() * 2).next_power_of_two().max(16);
        let TablePool {
            mut keys,
            mut secrets,
        } = TABLES
            .try_with(|pool| pool.try_borrow_mut().map(|mut p| std::mem::take(&mut *p)))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        // Every slot empty; the keys are left as they are (see the type's comment).
        secrets.clear();
        secrets.resize(slots, 0);
        if keys.len() < slots {
            keys.resize(slots, 0);
        }
        let mut table = RunTable {
            keys,
            secrets,
            shift: 64 - slots.trailing_zeros(),
            len: 0,
        };
        for &(key, secret) in entries {
            table.insert(key, secret + 1);
        }
        table
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds `key` for `secret` (an index plus one).
    fn insert(&mut self, key: u64, secret: u32) {
        let mask = self.secrets.len() - 1;
        let mut s = (key >> self.shift) as usize;
        while self.secrets[s] != 0 {
            if self.keys[s] == key && self.secrets[s] == secret {
                return;
            }
            s = (s + 1) & mask;
        }
        self.keys[s] = key;
        self.secrets[s] = secret;
        self.len += 1;
    }

    fn contains(&self, key: u64) -> bool {
        if self.len == 0 {
            return false;
        }

        let mask = self.secrets.len() - 1;
        let mut s = (key >> self.shift) as usize;
        while self.secrets[s] != 0 {
            if self.keys[s] == key {
                return true;
            }
            s = (s + 1) & mask;
        }
        false
    }

    /// Calls `f` with the index of each secret containing the run `key`.
    fn secrets_of(&self, key: u64, mut f: impl FnMut(usize)) {
        if self.len == 0 {
            return;
        }
        let mask = self.secrets.len() - 1;
        let mut s = (key >> self.shift) as usize;
        while self.secrets[s] != 0 {
            if self.keys[s] == key {
                f(self.secrets[s] as usize - 1);
            }
            s = (s + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests;
