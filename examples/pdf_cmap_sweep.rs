//! Compares declass's ToUnicode reader with lopdf's on every font of every PDF given (or
//! every CMap file given): both must read the same ranges and decode every one- and
//! two-byte string, and the codes each range starts and ends with, to the same text. A map
//! declass's reader declines goes to lopdf in a release, so it is counted, not compared.
//! With `--dump DIR`, each distinct map is also written there (for fixtures).
//!
//! Run: `cargo run --release --example pdf_cmap_sweep -- ../shared/corpus/modern/pdf/*.pdf`
//! (exit 1 when any map is read differently).

use std::collections::HashSet;

use declass::pdf::ToUnicode;
use lopdf::{Document, Encoding, Object};

/// How one map compared.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Both read it, the same way.
    Same,
    /// declass's reader declined it (lopdf reads it, or refuses it: `lopdf_reads`).
    Declined { lopdf_reads: bool },
    /// Both refused it: no map (the font's other encoding is used).
    BothRefuse,
    /// Read differently: what differs first.
    Differs(String),
}

/// Compares the two readers on one map's text.
pub fn compare(text: &[u8]) -> Outcome {
    let theirs = ToUnicode::lopdf_reading(text);
    let Some(ours) = ToUnicode::read(text) else {
        return match theirs {
            Some(_) => Outcome::Declined { lopdf_reads: true },
            None => Outcome::BothRefuse,
        };
    };
    let Some(theirs) = theirs else {
        return Outcome::Differs("lopdf refuses the map, declass reads it".into());
    };
    let Encoding::UnicodeMapEncoding(map) = &theirs else {
        unreachable!("lopdf_reading gives maps only");
    };
    let mut strings: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
    strings.extend((0..=u16::MAX).map(|c| c.to_be_bytes().to_vec()));
    for len in 1..=4u8 {
        let lopdf_ranges: Vec<String> = map.bf_ranges[usize::from(len) - 1]
            .iter()
            .map(|(r, t)| format!("{}..={} {t:?}", r.start(), r.end()))
            .collect();
        let own: Vec<String> = ours
            .ranges(len)
            .iter()
            .map(|r| format!("{}..={} {:?}", r.start, r.end, r.target))
            .collect();
        if lopdf_ranges != own {
            let at = lopdf_ranges.iter().zip(&own).position(|(a, b)| a != b);
            return Outcome::Differs(format!(
                "{len}-byte ranges: lopdf {} ({:?}), declass {} ({:?})",
                lopdf_ranges.len(),
                at.and_then(|i| lopdf_ranges.get(i)),
                own.len(),
                at.and_then(|i| own.get(i)),
            ));
        }
        for r in ours.ranges(len) {
            for code in [r.start, r.end, r.end.saturating_add(1)] {
                strings.push(code.to_be_bytes()[4 - usize::from(len)..].to_vec());
            }
        }
    }
    for s in &strings {
        let (a, b) = (theirs.bytes_to_string(s).ok(), Some(ours.decode(s)));
        if a != b {
            return Outcome::Differs(format!("{s:02X?}: lopdf {a:?}, declass {b:?}"));
        }
    }
    Outcome::Same
}

/// Every ToUnicode map of a PDF's fonts (each stream once), decoded.
pub fn maps_of(doc: &Document) -> Vec<(String, Vec<u8>)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (id, object) in &doc.objects {
        let Ok(dict) = object.as_dict() else { continue };
        let Ok(to_unicode) = dict.get(b"ToUnicode") else {
            continue;
        };
        let (key, stream) = match to_unicode {
            Object::Reference(r) => match doc.get_object(*r).and_then(Object::as_stream) {
                Ok(s) => (format!("{} {} R", r.0, r.1), s),
                Err(_) => continue,
            },
            Object::Stream(s) => (format!("in {} {} R", id.0, id.1), s),
            _ => continue,
        };
        if !seen.insert(key.clone()) {
            continue;
        }
        if let Ok(text) = stream.get_plain_content_with_limit(64 << 20) {
            out.push((key, text));
        }
    }
    out
}

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let dump = match args.iter().position(|a| a == "--dump") {
        Some(i) => {
            let dir = args.get(i + 1).cloned().unwrap_or_default();
            args.drain(i..(i + 2).min(args.len()));
            std::fs::create_dir_all(&dir)?;
            Some(dir)
        }
        None => None,
    };
    let (mut files, mut unreadable, mut maps) = (0, 0, 0);
    let (mut same, mut declined, mut declined_read, mut refused) = (0, 0, 0, 0);
    let mut differ = Vec::new();
    let mut dumped = HashSet::new();
    for path in &args {
        let bytes = std::fs::read(path)?;
        files += 1;
        let found = if bytes.starts_with(b"%PDF") || bytes.windows(5).any(|w| w == b"%PDF-") {
            match Document::load_mem(&bytes) {
                Ok(doc) => maps_of(&doc),
                Err(_) => {
                    unreadable += 1;
                    continue;
                }
            }
        } else {
            vec![("file".to_string(), bytes)]
        };
        for (key, text) in found {
            maps += 1;
            if let Some(dir) = &dump
                && dumped.insert(text.clone())
            {
                let name = format!("{dir}/{:04}.cmap", dumped.len());
                std::fs::write(name, &text)?;
            }
            match compare(&text) {
                Outcome::Same => same += 1,
                Outcome::Declined { lopdf_reads } => {
                    declined += 1;
                    if lopdf_reads {
                        declined_read += 1;
                        println!("declined (lopdf reads it): {path} {key}");
                    }
                }
                Outcome::BothRefuse => refused += 1,
                Outcome::Differs(what) => differ.push(format!("{path} {key}: {what}")),
            }
        }
    }
    for d in &differ {
        println!("DIFFERS {d}");
    }
    println!(
        "{files} files ({unreadable} not loaded by lopdf), {maps} ToUnicode maps: {same} read the \
         same, {} differ, {declined} declined by declass's reader ({declined_read} of them \
         read by lopdf), {refused} refused by both",
        differ.len()
    );
    if !differ.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
