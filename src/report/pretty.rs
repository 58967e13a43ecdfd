//! Pretty-printed JSON written piece by piece, byte for byte as
//! `serde_json::to_writer_pretty` prints the whole document: two-space indents, `[]` for
//! an empty array. The JSON and SARIF reports write their findings as they arrive
//! instead of building the document in memory (which grew with the corpus: 274 MB for
//! JSON, 1.9 GB for SARIF at 250 MB of input); this is the part that keeps the bytes as
//! they were.

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// Writes `value` as it would appear `depth` levels down in a pretty document: from its
/// first byte to its last, without the indent of its own line (the caller writes that).
pub fn value_at<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    depth: usize,
) -> io::Result<()> {
    let mut formatter = PrettyFormatter::new();
    // The formatter indents by how many objects and arrays are open: open `depth` of
    // them where nobody sees, so that nested lines of `value` get their full indent.
    for _ in 0..depth {
        formatter.begin_object(&mut io::sink())?;
    }
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// Writes the indent of a line `depth` levels down.
pub fn indent(out: &mut dyn Write, depth: usize) -> io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut n = 2 * depth;
    while n > 0 {
        let step = n.min(SPACES.len());
        out.write_all(&SPACES[..step])?;
        n -= step;
    }
    Ok(())
}

/// An array whose opening `[` is written, filled one element at a time.
pub struct Array {
    /// The depth of the line the array opens on; elements sit one level further in.
    depth: usize,
    len: usize,
}

impl Array {
    /// Writes `[` and returns the array; `depth` is that of the line holding the `[`.
    pub fn open(out: &mut dyn Write, depth: usize) -> io::Result<Array> {
        out.write_all(b"[")?;
        Ok(Array { depth, len: 0 })
    }

    /// Writes one element on its own line(s).
    pub fn push<T: Serialize + ?Sized>(
        &mut self,
        out: &mut dyn Write,
        value: &T,
    ) -> io::Result<()> {
        out.write_all(if self.len == 0 { b"\n" } else { b",\n" })?;
        indent(out, self.depth + 1)?;
        value_at(out, value, self.depth + 1)?;
        self.len += 1;
        Ok(())
    }

    /// Writes `]`, on its own line unless the array is empty (`[]`).
    pub fn close(self, out: &mut dyn Write) -> io::Result<()> {
        if self.len > 0 {
            out.write_all(b"\n")?;
            indent(out, self.depth)?;
        }
        out.write_all(b"]")
    }
}

/// Writes `"key": ` on a new line `depth` levels down, after a comma unless `first`.
pub fn key(out: &mut dyn Write, name: &str, depth: usize, first: bool) -> io::Result<()> {
    out.write_all(if first { b"\n" } else { b",\n" })?;
    indent(out, depth)?;
    serde_json::to_writer(&mut *out, name)?;
    out.write_all(b": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pieces_match_the_whole_document() {
        for items in [
            vec![],
            vec![json!(1)],
            vec![json!({"a": [1, {"b": []}]}), json!("x")],
        ] {
            let whole = json!({ "head": { "k": [true] }, "items": items, "tail": {} });
            let expected = serde_json::to_string_pretty(&whole).unwrap();

            let mut out = Vec::new();
            out.push(b'{');
            key(&mut out, "head", 1, true).unwrap();
            value_at(&mut out, &whole["head"], 1).unwrap();
            key(&mut out, "items", 1, false).unwrap();
            let mut array = Array::open(&mut out, 1).unwrap();
            for item in &items {
                array.push(&mut out, item).unwrap();
            }
            array.close(&mut out).unwrap();
            key(&mut out, "tail", 1, false).unwrap();
            value_at(&mut out, &whole["tail"], 1).unwrap();
            out.extend_from_slice(b"\n}");
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

    #[test]
    fn deep_indents() {
        let mut out = Vec::new();
        indent(&mut out, 40).unwrap();
        assert_eq!(out, vec![b' '; 80]);
    }
}
