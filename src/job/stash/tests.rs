use super::*;
use crate::job::{Format, test_produce};
use std::io::{self, Cursor};

const CABLE: &[u8] = include_bytes!("../../../tests/fixtures/exemptions/quoted-a.txt");

fn produced() -> Produced {
    let mut p = test_produce(CABLE, "dir/quoted-a.txt", Format::Text).unwrap();
    p.warnings.push("a warning".into());
    // Every optional field of a row, both ways.
    if let Some(r) = p.log.rows.first_mut() {
        r.consistency = Some("the same text is withheld in b ¶2".into());
    }
    p
}

fn same(a: &Produced, b: &Produced) {
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.manifest, b.manifest);
    assert_eq!(a.stamp, b.stamp);
    assert_eq!(
        (a.pages, a.released, a.withheld),
        (b.pages, b.released, b.withheld)
    );
    assert_eq!(a.warnings, b.warnings);
    assert_eq!(a.log, b.log);
}

#[test]
fn a_release_reads_back_as_it_was_encoded() {
    let p = produced();
    assert!(!p.log.rows.is_empty(), "the fixture withholds something");
    same(&decode(&encode(&p)).unwrap(), &p);
}

#[test]
fn a_cut_or_padded_record_does_not_decode() {
    let bytes = encode(&produced());
    for cut in [0, 1, 8, bytes.len() / 2, bytes.len() - 1] {
        assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(decode(&longer).is_none());
}

#[test]
fn documents_come_back_by_number_and_absent_ones_are_none() {
    let p = produced();
    let record = encode(&p);
    let mut w = StashWriter::new(Cursor::new(Vec::new()), u64::MAX);
    w.push(Some(&record));
    w.push(None);
    w.push(Some(&record));
    let stash = w.finish().unwrap();
    same(&stash.take(0).unwrap(), &p);
    assert!(stash.take(1).is_none());
    same(&stash.take(2).unwrap(), &p);
    assert!(stash.take(3).is_none());
}

#[test]
fn past_the_budget_documents_are_not_stashed() {
    let record = encode(&produced());
    let budget = record.len() as u64 * 2;
    let mut w = StashWriter::new(Cursor::new(Vec::new()), budget);
    for _ in 0..3 {
        w.push(Some(&record));
    }
    let stash = w.finish().unwrap();
    assert!(stash.take(0).is_some());
    assert!(stash.take(1).is_some());
    assert!(stash.take(2).is_none());
}

/// A file that takes a few bytes and then fails, as a full disk does.
struct Full(Cursor<Vec<u8>>, usize);

impl Write for Full {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = self.1.saturating_sub(self.0.get_ref().len());
        if room == 0 {
            return Err(io::Error::other("no space left"));
        }
        self.0.write(&buf[..buf.len().min(room)])
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for Full {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Seek for Full {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

#[test]
fn after_a_write_error_nothing_is_taken_back() {
    let record = encode(&produced());
    // Room for one record and half of the next: the error may come as the buffer is
    // flushed, after records were counted in; the whole stash is then given up.
    let room = record.len() * 3 / 2;
    let mut w = StashWriter::new(Full(Cursor::new(Vec::new()), room), u64::MAX);
    for _ in 0..200 {
        w.push(Some(&record));
    }
    assert!(w.finish().is_none());
}

#[test]
fn a_forgotten_document_is_zeroed_and_reads_as_absent() {
    let p = produced();
    let record = encode(&p);
    let mut w = StashWriter::new(Cursor::new(Vec::new()), u64::MAX);
    for _ in 0..3 {
        w.push(Some(&record));
    }
    w.forget(1);
    w.forget(7);
    let stash = w.finish().unwrap();
    same(&stash.take(0).unwrap(), &p);
    assert!(stash.take(1).is_none());
    same(&stash.take(2).unwrap(), &p);
    // The file holds the other two records and zeros where the forgotten one was.
    let file = stash.file.into_inner().unwrap().into_inner();
    let n = record.len();
    assert_eq!(&file[..n], &record[..]);
    assert!(file[n..2 * n].iter().all(|&b| b == 0));
    assert_eq!(&file[2 * n..], &record[..]);
}

#[test]
fn a_release_pushed_whole_is_the_record_encode_makes() {
    // The consistency pass hands the stash the release itself: its file must hold the
    // bytes `push` of `encode` writes, with the same budget and error handling.
    let p = produced();
    let record = encode(&p);
    assert_eq!(record_len(&p), record.len());
    let mut by_record = StashWriter::new(Cursor::new(Vec::new()), u64::MAX);
    let mut by_release = StashWriter::new(Cursor::new(Vec::new()), u64::MAX);
    for present in [true, false, true] {
        by_record.push(present.then_some(record.as_slice()));
        by_release.push_produced(present.then_some(&p));
    }
    let (a, b) = (by_record.finish().unwrap(), by_release.finish().unwrap());
    assert_eq!(a.starts, b.starts);
    same(&b.take(2).unwrap(), &p);
    assert!(b.take(1).is_none());
    assert_eq!(
        a.file.into_inner().unwrap().into_inner(),
        b.file.into_inner().unwrap().into_inner()
    );
    // Past the budget and after a write error, as `push`.
    let mut w = StashWriter::new(Cursor::new(Vec::new()), record.len() as u64 * 2);
    for _ in 0..3 {
        w.push_produced(Some(&p));
    }
    let stash = w.finish().unwrap();
    assert!(stash.take(1).is_some() && stash.take(2).is_none());
    let room = record.len() * 3 / 2;
    let mut w = StashWriter::new(Full(Cursor::new(Vec::new()), room), u64::MAX);
    for _ in 0..200 {
        w.push_produced(Some(&p));
    }
    assert!(w.finish().is_none());
}
