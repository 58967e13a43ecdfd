//! The consistency pass in bounded memory: the signatures of a batch go to files, split
//! by LSH band key into [`PARTITIONS`] partitions, and the candidate buckets are read back
//! one partition at a time. Memory then holds one partition's band keys (16 bytes an
//! entry, a 64th of the batch's) and the conflicts found, never every signature: a batch
//! of a million cables costs disk, not RAM.
//!
//! ```text
//! add(doc, DocSig) ──▶ records: one fixed-size record a paragraph (its MinHash, fate,
//!                               document, position; label and codes in `meta`)
//!                  ──▶ part[key >> 58]: (band key, paragraph id, fate) per band
//! finish ──▶ per partition: sort ▶ buckets of one key ▶ pairs of other documents and
//!            other fates ▶ records read back ▶ Jaccard ≥ THRESHOLD ▶ Conflicts
//!        ──▶ all conflicts sorted ▶ resolve (as the in-memory `run`) ▶ Outcome
//! ```
//!
//! A pair sharing several band keys lands in several buckets, perhaps in several
//! partitions; it is judged only in the bucket of the smallest key it shares, which is
//! the bucket where the in-memory [`super::find`] (buckets in key order, a set of pairs
//! seen) judges it. So the findings, their order and the report are the same, which the
//! tests check.
//!
//! The files are whatever the caller's `open` gives (the CLI: unlinked temporary files
//! under `TMPDIR`, gone when the process ends); this module does no I/O of its own.

use super::{Conflict, DocSig, Fate, K, Mode, Outcome, ParaSig, THRESHOLD, band_keys, estimate};
use crate::policy::Codes;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Partitions of the band keys: at 20× the bulk corpus (at most 1.4 million signed
/// paragraphs, 22 million band entries) one partition is about 6 MB in memory.
pub const PARTITIONS: usize = 64;

/// Bytes of one paragraph record: document, position, paragraph index (u32 each), fate,
/// classified (u8 each), where its label and codes are in `meta` (u64 offset, u32 length),
/// then the MinHash (K × u32), all little-endian.
const RECORD: usize = 4 + 4 + 4 + 1 + 1 + 8 + 4 + 4 * K;
/// Bytes of one band entry: key (u64), paragraph id (u32), fate (u8).
const ENTRY: usize = 8 + 4 + 1;

/// The spill files could not be written or read back.
#[derive(Debug)]
pub struct SpillError(pub io::Error);

impl std::fmt::Display for SpillError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the consistency pass's temporary files: {}", self.0)
    }
}

impl std::error::Error for SpillError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<io::Error> for SpillError {
    fn from(e: io::Error) -> SpillError {
        SpillError(e)
    }
}

/// A batch's signatures on their way to files; [`Spill::finish`] finds the conflicts.
pub struct Spill<F: Read + Write + Seek> {
    parts: Vec<BufWriter<F>>,
    records: BufWriter<F>,
    meta: BufWriter<F>,
    meta_len: u64,
    paragraphs: u32,
}

impl<F: Read + Write + Seek> Spill<F> {
    /// A spill over `PARTITIONS + 2` files, each from `open` (empty, readable and
    /// writable).
    pub fn new(mut open: impl FnMut() -> io::Result<F>) -> Result<Spill<F>, SpillError> {
        let parts = (0..PARTITIONS)
            .map(|_| open().map(BufWriter::new))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Spill {
            parts,
            records: BufWriter::new(open()?),
            meta: BufWriter::new(open()?),
            meta_len: 0,
            paragraphs: 0,
        })
    }

    /// Adds document number `doc` (how the outcome's fixes and `name` refer to it; give
    /// them in increasing order for the report to follow the batch's order).
    pub fn add(&mut self, doc: usize, sig: &DocSig) -> Result<(), SpillError> {
        for (pos, p) in sig.paras.iter().enumerate() {
            let id = self.paragraphs;
            self.paragraphs = id.checked_add(1).ok_or_else(|| {
                io::Error::other("more than 4,294,967,295 paragraphs in one batch")
            })?;
            // The record is fixed-size and the meta strings go straight to their file:
            // no buffer is allocated a paragraph.
            let meta_len: usize = meta_strings(p).map(|m| 4 + m.len()).sum();
            let mut rec = [0u8; RECORD];
            let mut at = 0;
            let mut put = |bytes: &[u8]| {
                rec[at..at + bytes.len()].copy_from_slice(bytes);
                at += bytes.len();
            };
            put(&narrow(doc)?.to_le_bytes());
            put(&narrow(pos)?.to_le_bytes());
            put(&narrow(p.index)?.to_le_bytes());
            put(&[p.fate as u8, u8::from(p.classified)]);
            put(&self.meta_len.to_le_bytes());
            put(&narrow(meta_len)?.to_le_bytes());
            for v in &p.minhash {
                put(&v.to_le_bytes());
            }
            debug_assert_eq!(at, RECORD);
            self.records.write_all(&rec)?;
            for m in meta_strings(p) {
                self.meta.write_all(&(m.len() as u32).to_le_bytes())?;
                self.meta.write_all(m.as_bytes())?;
            }
            self.meta_len += meta_len as u64;
            for key in band_keys(&p.minhash) {
                let mut entry = [0u8; ENTRY];
                entry[..8].copy_from_slice(&key.to_le_bytes());
                entry[8..12].copy_from_slice(&id.to_le_bytes());
                entry[12] = p.fate as u8;
                self.parts[partition(key)].write_all(&entry)?;
            }
        }
        Ok(())
    }

    /// The conflicting pairs of everything added, resolved as `mode` says; `name` gives a
    /// document's name by the number it was added with.
    pub fn finish(self, mode: Mode, name: impl Fn(usize) -> String) -> Result<Outcome, SpillError> {
        if mode == Mode::Off {
            return Ok(Outcome::default());
        }
        let mut records = rewind(self.records)?;
        let mut meta = rewind(self.meta)?;
        let mut found: Vec<Found> = Vec::new();
        for part in self.parts {
            let part = rewind(part)?;
            scan(part, &mut records, &mut found)?;
        }
        found.sort_by_key(|f| (f.conflict.stricter, f.conflict.laxer));
        // Record ids by (document, position), for `resolve`'s look-ups.
        let ids: std::collections::BTreeMap<(usize, usize), u32> = found
            .iter()
            .flat_map(|f| [(f.conflict.stricter, f.ids.0), (f.conflict.laxer, f.ids.1)])
            .collect();
        let conflicts: Vec<Conflict> = found.into_iter().map(|f| f.conflict).collect();
        let para = |at: (usize, usize)| -> Result<ParaSig, SpillError> {
            let rec = read_record(&mut records, ids[&at])?;
            rec.sig(&mut meta)
        };
        super::resolve(&conflicts, mode, para, name)
    }
}

/// A conflict and the record ids of its (stricter, laxer) paragraphs.
struct Found {
    conflict: Conflict,
    ids: (u32, u32),
}

/// One paragraph read back: everything but the label and codes, which stay in `meta`.
struct Record {
    doc: usize,
    pos: usize,
    index: usize,
    fate: Fate,
    classified: bool,
    meta_at: u64,
    meta_len: usize,
    minhash: [u32; K],
}

impl Record {
    fn sig<M: Read + Seek>(&self, meta: &mut M) -> Result<ParaSig, SpillError> {
        meta.seek(SeekFrom::Start(self.meta_at))?;
        let mut bytes = vec![0u8; self.meta_len];
        meta.read_exact(&mut bytes)?;
        let mut strings = decode_meta(&bytes)?;
        let label = if strings.is_empty() {
            return Err(corrupt());
        } else {
            strings.remove(0)
        };
        Ok(ParaSig {
            index: self.index,
            label,
            fate: self.fate,
            codes: Codes::from_texts(strings),
            classified: self.classified,
            minhash: self.minhash,
        })
    }
}

/// The bucket scan of one partition: every pair in a bucket from different documents,
/// with different fates, whose smallest shared band key is this bucket's and whose
/// estimated similarity reaches the threshold.
fn scan<R: Read, S: Read + Seek>(
    part: R,
    records: &mut S,
    found: &mut Vec<Found>,
) -> Result<(), SpillError> {
    let mut entries: Vec<(u64, u32, u8)> = Vec::new();
    let mut reader = BufReader::new(part);
    let mut entry = [0u8; ENTRY];
    while read_full(&mut reader, &mut entry)? {
        let key = u64::from_le_bytes(entry[..8].try_into().map_err(|_| corrupt())?);
        let id = u32::from_le_bytes(entry[8..12].try_into().map_err(|_| corrupt())?);
        entries.push((key, id, entry[12]));
    }
    // Grouped by key alone: within a bucket the order decides nothing (a pair is found
    // once, at its smallest shared key; which of its two is stricter comes from the fates;
    // `finish` sorts what is found), so the ids and fates need not be compared.
    entries.sort_unstable_by_key(|e| e.0);
    for bucket in entries.chunk_by(|a, b| a.0 == b.0) {
        // As in `find`: a bucket of one fate holds no conflict.
        if bucket.len() < 2 || bucket.iter().all(|e| e.2 == bucket[0].2) {
            continue;
        }
        let key = bucket[0].0;
        let recs = bucket
            .iter()
            .map(|e| read_record(records, e.1).map(|r| (e.1, r)))
            .collect::<Result<Vec<_>, _>>()?;
        for (x, (ida, a)) in recs.iter().enumerate() {
            for (idb, b) in &recs[x + 1..] {
                if a.doc == b.doc || a.fate == b.fate {
                    continue;
                }
                if smallest_shared_key(&a.minhash, &b.minhash) != Some(key) {
                    continue;
                }
                let similarity = estimate(&a.minhash, &b.minhash);
                if similarity < THRESHOLD {
                    continue;
                }
                let ((s, sid), (l, lid)) = if a.fate > b.fate {
                    ((a, *ida), (b, *idb))
                } else {
                    ((b, *idb), (a, *ida))
                };
                found.push(Found {
                    conflict: Conflict {
                        stricter: (s.doc, s.pos),
                        laxer: (l.doc, l.pos),
                        similarity,
                    },
                    ids: (sid, lid),
                });
            }
        }
    }
    Ok(())
}

/// The smallest band key two signatures share, if any.
fn smallest_shared_key(a: &[u32; K], b: &[u32; K]) -> Option<u64> {
    let kb = band_keys(b);
    band_keys(a).into_iter().filter(|k| kb.contains(k)).min()
}

fn partition(key: u64) -> usize {
    // PARTITIONS is 64: the top six bits of a splitmix64 output are uniform.
    (key >> 58) as usize % PARTITIONS
}

fn read_record<S: Read + Seek>(records: &mut S, id: u32) -> Result<Record, SpillError> {
    records.seek(SeekFrom::Start(u64::from(id) * RECORD as u64))?;
    let mut b = [0u8; RECORD];
    records.read_exact(&mut b)?;
    let u32_at = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let fate = match b[12] {
        0 => Fate::Released,
        1 => Fate::Redacted,
        2 => Fate::Withheld,
        _ => return Err(corrupt()),
    };
    let mut minhash = [0u32; K];
    for (i, v) in minhash.iter_mut().enumerate() {
        *v = u32_at(26 + 4 * i);
    }
    Ok(Record {
        doc: u32_at(0) as usize,
        pos: u32_at(4) as usize,
        index: u32_at(8) as usize,
        fate,
        classified: b[13] != 0,
        meta_at: u64::from_le_bytes(b[14..22].try_into().map_err(|_| corrupt())?),
        meta_len: u32_at(22) as usize,
        minhash,
    })
}

/// The strings of a paragraph's meta: the label, then each code, each written as a u32
/// length and its bytes.
fn meta_strings(p: &ParaSig) -> impl Iterator<Item = &str> {
    std::iter::once(p.label.as_str()).chain(p.codes.texts())
}

fn decode_meta(mut bytes: &[u8]) -> Result<Vec<String>, SpillError> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let (len, rest) = bytes.split_at_checked(4).ok_or_else(corrupt)?;
        let len = u32::from_le_bytes(len.try_into().map_err(|_| corrupt())?) as usize;
        let (s, rest) = rest.split_at_checked(len).ok_or_else(corrupt)?;
        out.push(String::from_utf8(s.to_vec()).map_err(|_| corrupt())?);
        bytes = rest;
    }
    Ok(out)
}

/// Fills `buf`, or returns false at a clean end of the input.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> Result<bool, SpillError> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) if filled == 0 => return Ok(false),
            Ok(0) => return Err(corrupt()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(true)
}

fn rewind<F: Write + Seek>(w: BufWriter<F>) -> Result<F, SpillError> {
    let mut f = w.into_inner().map_err(|e| SpillError(e.into_error()))?;
    f.flush()?;
    f.seek(SeekFrom::Start(0))?;
    Ok(f)
}

fn narrow(n: usize) -> Result<u32, SpillError> {
    u32::try_from(n).map_err(|_| SpillError(io::Error::other("a count beyond 32 bits")))
}

/// What was read back is not what was written: a file changed under the pass.
fn corrupt() -> SpillError {
    SpillError(io::Error::new(
        io::ErrorKind::InvalidData,
        "read back different from what was written",
    ))
}

#[cfg(test)]
mod tests {
    use super::super::{Fate, ParaSig, minhash, run};
    use super::*;
    use std::io::Cursor;

    /// Paragraph texts, some shared between documents under different fates, some
    /// near-duplicates, some unrelated, so that buckets mix every case.
    fn texts() -> Vec<String> {
        let base = [
            "The Foreign Minister told the Ambassador that his government would not support the resolution unless the sanctions language was softened",
            "Embassy officers met the mayor to discuss the new airport terminal and the schedule for the opening ceremony next spring",
            "The delegation will arrive on Tuesday and expects to meet the Minister of Finance about the debt rescheduling talks in Paris",
            "Opposition leaders said privately that they would boycott the elections if the electoral commission was not reformed before June",
            "The central bank governor warned that reserves would fall below three months of imports by the end of the fiscal year",
        ];
        let mut out: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        for s in base {
            out.push(format!("As reported in reftel, {s}"));
            out.push(format!("{s} and nothing more was said"));
        }
        out
    }

    fn batch() -> Vec<DocSig> {
        let texts = texts();
        let fates = [Fate::Released, Fate::Redacted, Fate::Withheld];
        (0..12)
            .map(|d| DocSig {
                name: format!("doc{d:02}.txt"),
                paras: (0..6)
                    .map(|p| {
                        let t = (d * 7 + p * 3) % texts.len();
                        ParaSig {
                            index: p * 2,
                            label: format!("¶{}", p + 1),
                            fate: fates[(d + p) % 3],
                            codes: if (d + p) % 3 == 0 {
                                Codes::default()
                            } else {
                                Codes::from_texts([
                                    "B1".into(),
                                    format!("1.4({})", ["B", "D"][d % 2]),
                                ])
                            },
                            classified: d % 2 == 0,
                            minhash: minhash(&texts[t]).unwrap(),
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    fn spilled(docs: &[DocSig], mode: Mode) -> Outcome {
        let mut spill = Spill::new(|| Ok(Cursor::new(Vec::new()))).unwrap();
        for (d, s) in docs.iter().enumerate() {
            spill.add(d, s).unwrap();
        }
        spill.finish(mode, |d| docs[d].name.clone()).unwrap()
    }

    #[test]
    fn spilling_finds_what_the_in_memory_pass_finds() {
        let docs = batch();
        for mode in [Mode::Strict, Mode::Report] {
            let memory = run(&docs, mode);
            let spill = spilled(&docs, mode);
            assert!(memory.conflicts > 10, "a batch with conflicts to compare");
            assert_eq!(spill.conflicts, memory.conflicts);
            assert_eq!(spill.report, memory.report);
            assert_eq!(spill.fixes, memory.fixes);
        }
        assert!(spilled(&docs, Mode::Off).report.is_empty());
    }

    #[test]
    fn a_file_that_fails_is_an_error() {
        struct Full;
        impl Read for Full {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Ok(0)
            }
        }
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        impl Seek for Full {
            fn seek(&mut self, _: SeekFrom) -> io::Result<u64> {
                Ok(0)
            }
        }
        let docs = batch();
        let mut spill = Spill::new(|| Ok(Full)).unwrap();
        // Buffered: the error may come from `add` or from `finish`, never a silent pass.
        let added: Result<(), SpillError> = docs
            .iter()
            .enumerate()
            .try_for_each(|(d, s)| spill.add(d, s));
        let err = match added {
            Err(e) => e,
            Ok(()) => spill
                .finish(Mode::Strict, |d| docs[d].name.clone())
                .err()
                .unwrap(),
        };
        assert!(err.to_string().contains("no space left"), "{err}");
        assert!(Spill::<Full>::new(|| Err(io::Error::other("cannot create"))).is_err());
    }
}
