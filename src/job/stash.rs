//! A batch's releases kept aside between the two passes of a consistent batch release,
//! so that each document is parsed once. The consistency pass parses and decides every
//! document anyway; it then also produces the document's release as the release pass
//! would with no amendment ([`super::sign_and_produce`]: rendered, leak-checked and
//! guarded like any other) and stashes it here. The release pass takes a document's
//! release back instead of parsing it again, unless the pass amended it (those are
//! produced again with their amendments) or it is not here.
//!
//! ```text
//! pass 1 ──Produced──▶ encode ──▶ StashWriter (one file, appended in input order)
//! pass 2 ──doc i, no amendment──▶ Stash::take(i) ──▶ Produced ──▶ staged, committed
//!        ──amended, absent, unreadable──▶ produced again (one more parse)
//! ```
//!
//! Memory holds one offset per document; the bytes go to whatever file the caller gives
//! (the CLI: an unlinked temporary file). The stash is only a shortcut: past its byte
//! budget, after any write error (the whole stash is then given up), or when a record
//! does not read back whole, a document is simply produced again, which is what the
//! release did before the stash existed.

use super::Produced;
use crate::policy::Codes;
use crate::release::log::{DocumentLog, LogRow, RowKind};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// Appends encoded releases in input order.
pub struct StashWriter<F: Read + Write + Seek> {
    file: BufWriter<F>,
    /// Where each document's record starts; one more entry than documents given, so
    /// document `i` is `starts[i]..starts[i + 1]` (empty when it was not stashed).
    starts: Vec<u64>,
    budget: u64,
    failed: bool,
    forgotten: Vec<usize>,
}

impl<F: Read + Write + Seek> StashWriter<F> {
    /// A stash writing to `file` (empty, readable and writable) at most `budget` bytes.
    pub fn new(file: F, budget: u64) -> StashWriter<F> {
        StashWriter {
            file: BufWriter::new(file),
            starts: vec![0],
            budget,
            failed: false,
            forgotten: Vec::new(),
        }
    }

    /// Adds the next document (documents come in order, 0, 1, 2…): its encoded release
    /// ([`encode`]), or `None` when it has none to stash (it failed, or could not be read).
    pub fn push(&mut self, record: Option<&[u8]>) {
        let end = *self.starts.last().unwrap_or(&0);
        let end = match record {
            Some(r) if !self.failed && end + r.len() as u64 <= self.budget => {
                match self.file.write_all(r) {
                    Ok(()) => end + r.len() as u64,
                    Err(_) => {
                        // This record, or one buffered before it, may be half written:
                        // the whole stash is given up (see `finish`).
                        self.failed = true;
                        end
                    }
                }
            }
            _ => end,
        };
        self.starts.push(end);
    }

    /// [`StashWriter::push`] of `produced`'s record ([`encode`]), written to the file
    /// piece by piece: the same bytes, without the record in memory.
    pub fn push_produced(&mut self, produced: Option<&Produced>) {
        let end = *self.starts.last().unwrap_or(&0);
        let end = match produced {
            Some(p) if !self.failed => {
                let len = record_len(p) as u64;
                if end + len > self.budget {
                    end
                } else {
                    let mut result = Ok(());
                    write_record(p, |b: &[u8]| {
                        if result.is_ok() {
                            result = self.file.write_all(b);
                        }
                    });
                    match result {
                        Ok(()) => end + len,
                        Err(_) => {
                            // As in `push`: a record half written gives up the stash.
                            self.failed = true;
                            end
                        }
                    }
                }
            }
            _ => end,
        };
        self.starts.push(end);
    }

    /// Overwrites document `doc`'s record with zeros and never gives it back: the
    /// consistency pass amended it, so the release pass produces it again, and the
    /// unamended release (which may show a paragraph the amendment withholds) is not
    /// left in the file for the rest of the run.
    pub fn forget(&mut self, doc: usize) {
        let (Some(&start), Some(&end)) = (self.starts.get(doc), self.starts.get(doc + 1)) else {
            return;
        };
        self.forgotten.push(doc);
        if start == end || self.failed {
            return;
        }
        let zeros = vec![0u8; usize::try_from(end - start).unwrap_or(0)];
        let rewritten = self.file.flush().and_then(|()| {
            let file = self.file.get_mut();
            file.seek(SeekFrom::Start(start))?;
            file.write_all(&zeros)?;
            file.seek(SeekFrom::End(0)).map(|_| ())
        });
        if rewritten.is_err() {
            self.failed = true;
        }
    }

    /// The stash to read from, or `None` when a write failed: every document is then
    /// produced again, never taken from a file that may hold part of a record.
    pub fn finish(self) -> Option<Stash<F>> {
        if self.failed {
            return None;
        }
        let mut file = self.file.into_inner().ok()?;
        file.seek(SeekFrom::Start(0)).ok()?;
        let mut forgotten = self.forgotten;
        forgotten.sort_unstable();
        forgotten.dedup();
        Some(Stash {
            file: Mutex::new(file),
            starts: self.starts,
            forgotten,
        })
    }
}

/// The stashed releases, read by any thread.
pub struct Stash<F: Read + Seek> {
    file: Mutex<F>,
    starts: Vec<u64>,
    /// Documents given to [`StashWriter::forget`], sorted: they read as absent.
    forgotten: Vec<usize>,
}

impl<F: Read + Seek> Stash<F> {
    /// Document `doc`'s release as the consistency pass produced it, or `None` when it
    /// was not stashed or does not read back whole (the caller then produces it again).
    pub fn take(&self, doc: usize) -> Option<Produced> {
        let (start, end) = (*self.starts.get(doc)?, *self.starts.get(doc + 1)?);
        if start == end || self.forgotten.binary_search(&doc).is_ok() {
            return None;
        }
        let len = usize::try_from(end - start).ok()?;
        // Read into fresh capacity rather than a zeroed buffer: the zeroing was a pass
        // over every record for nothing. A short read leaves `buf` short: not taken.
        let mut buf = Vec::with_capacity(len);
        {
            let mut file = self.file.lock().ok()?;
            file.seek(SeekFrom::Start(start)).ok()?;
            (&mut *file).take(end - start).read_to_end(&mut buf).ok()?;
        }
        (buf.len() == len).then(|| decode(&buf)).flatten()
    }
}

/// A release as bytes for the stash: every field of [`Produced`], lengths first.
pub fn encode(p: &Produced) -> Vec<u8> {
    let log_bytes: usize = p.log.rows.iter().map(row_size).sum();
    let mut out = Vec::with_capacity(p.bytes.len() + p.manifest.len() + log_bytes + 256);
    write_record(p, |b: &[u8]| out.extend_from_slice(b));
    out
}

/// The length of [`encode`]'s record of `p`, without making it.
pub fn record_len(p: &Produced) -> usize {
    let mut len = 0;
    write_record(p, |b: &[u8]| len += b.len());
    len
}

/// Hands [`encode`]'s record of `p` to `out` piece by piece, in order: the stash writes
/// them straight to its file, without a buffer of the whole record (one large allocation
/// and copy a document).
fn write_record<S: FnMut(&[u8])>(p: &Produced, mut out: S) {
    let put = |out: &mut S, bytes: &[u8]| {
        out(&(bytes.len() as u64).to_le_bytes());
        out(bytes);
    };
    let num = |out: &mut S, n: usize| out(&(n as u64).to_le_bytes());
    put(&mut out, &p.bytes);
    put(&mut out, p.manifest.as_bytes());
    put(&mut out, p.stamp.as_bytes());
    num(&mut out, p.pages);
    num(&mut out, p.released);
    num(&mut out, p.withheld);
    num(&mut out, p.warnings.len());
    for w in &p.warnings {
        put(&mut out, w.as_bytes());
    }
    let log = &p.log;
    put(&mut out, log.document.as_bytes());
    put(&mut out, log.stamp.as_bytes());
    num(&mut out, log.pages);
    num(&mut out, log.portions);
    num(&mut out, log.rows.len());
    for r in &log.rows {
        num(&mut out, r.page);
        put(&mut out, r.portion.as_bytes());
        num(&mut out, r.line);
        put(&mut out, r.marking.as_bytes());
        out(&[match r.kind {
            RowKind::Withheld => 0,
            RowKind::Redacted => 1,
            RowKind::Header => 2,
        }]);
        num(&mut out, r.codes.len());
        for c in &r.codes {
            put(&mut out, c.as_str().as_bytes());
        }
        put(&mut out, r.rule.as_bytes());
        put(&mut out, r.justification.as_bytes());
        match &r.consistency {
            Some(c) => {
                out(&[1]);
                put(&mut out, c.as_bytes());
            }
            None => out(&[0]),
        }
        match r.paragraph {
            Some(i) => {
                out(&[1]);
                num(&mut out, i);
            }
            None => out(&[0]),
        }
    }
}

/// About the bytes a log row takes, to size the buffer once.
fn row_size(r: &LogRow) -> usize {
    64 + r.portion.len()
        + r.marking.len()
        + r.rule.len()
        + r.justification.len()
        + r.codes.texts().map(|c| c.len() + 8).sum::<usize>()
        + r.consistency.as_ref().map_or(0, String::len)
}

/// The release [`encode`] wrote, or `None` when `bytes` is not one whole record.
pub fn decode(bytes: &[u8]) -> Option<Produced> {
    let mut r = Reader(bytes);
    let out_bytes = r.bytes()?.to_vec();
    let manifest = r.string()?;
    let stamp = r.string()?;
    let (pages, released, withheld) = (r.num()?, r.num()?, r.num()?);
    let warnings = (0..r.count()?)
        .map(|_| r.string())
        .collect::<Option<Vec<_>>>()?;
    let document = r.string()?;
    let log_stamp = r.string()?;
    let (log_pages, portions) = (r.num()?, r.num()?);
    let rows = (0..r.count()?)
        .map(|_| {
            Some(LogRow {
                page: r.num()?,
                portion: r.string()?,
                line: r.num()?,
                marking: r.string()?,
                kind: match r.byte()? {
                    0 => RowKind::Withheld,
                    1 => RowKind::Redacted,
                    2 => RowKind::Header,
                    _ => return None,
                },
                codes: Codes::from_texts(
                    (0..r.count()?)
                        .map(|_| r.string())
                        .collect::<Option<Vec<_>>>()?,
                ),
                rule: r.string()?,
                justification: r.string()?,
                consistency: match r.byte()? {
                    0 => None,
                    1 => Some(r.string()?),
                    _ => return None,
                },
                paragraph: match r.byte()? {
                    0 => None,
                    1 => Some(r.num()?),
                    _ => return None,
                },
            })
        })
        .collect::<Option<Vec<_>>>()?;
    if !r.0.is_empty() {
        return None;
    }
    Some(Produced {
        bytes: out_bytes,
        manifest,
        stamp,
        pages,
        released,
        withheld,
        warnings,
        log: DocumentLog {
            document,
            stamp: log_stamp,
            pages: log_pages,
            portions,
            rows,
        },
    })
}

/// Reads [`encode`]'s fields back, every length checked against what is left.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn num(&mut self) -> Option<usize> {
        let (n, rest) = self.0.split_first_chunk::<8>()?;
        self.0 = rest;
        usize::try_from(u64::from_le_bytes(*n)).ok()
    }

    /// A count of items still to read: never more than the bytes left, so a damaged
    /// count cannot ask for a huge allocation.
    fn count(&mut self) -> Option<usize> {
        self.num().filter(|&n| n <= self.0.len())
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.num()?;
        if n > self.0.len() {
            return None;
        }
        let (b, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(b)
    }

    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests;
