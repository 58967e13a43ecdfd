//! Pretty-printed JSON written piece by piece, byte for byte as
//! `serde_json::to_writer_pretty` prints the whole document: two-space indents, `[]` for
//! an empty array. The JSON and SARIF reports write their findings as they arrive
//! instead of building the document in memory (which grew with the corpus: 274 MB for
//! JSON, 1.9 GB for SARIF at 250 MB of input); this is the part that keeps the bytes as
//! they were.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// Writes `value` as it would appear `depth` levels down in a pretty document: from its
/// first byte to its last, without the indent of its own line (the caller writes that).
pub fn value_at<W: Write + ?Sized, T: Serialize + ?Sized>(
    out: &mut W,
    value: &T,
    depth: usize,
) -> io::Result<()> {
    let formatter = Pretty {
        depth,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// Writes the indent of a line `depth` levels down.
pub fn indent<W: Write + ?Sized>(out: &mut W, depth: usize) -> io::Result<()> {
    line(out, depth, None)
}

/// `,` then a line break then room for 32 levels of indent: most line starts are one
/// slice of this, one write.
const LINE: [u8; 66] = {
    let mut line = [b' '; 66];
    line[0] = b',';
    line[1] = b'\n';
    line
};

/// Writes `,` (when `comma` is `Some(true)`) and a line break (when it is `Some`), then
/// the indent of a line `depth` levels down.
fn line<W: Write + ?Sized>(out: &mut W, depth: usize, comma: Option<bool>) -> io::Result<()> {
    let from = match comma {
        Some(true) => 0,
        Some(false) => 1,
        None => 2,
    };
    let spaces = 2 * depth;
    if 2 + spaces <= LINE.len() {
        return out.write_all(&LINE[from..2 + spaces]);
    }
    out.write_all(&LINE[from..2])?;
    for _ in 0..depth {
        out.write_all(b"  ")?;
    }
    Ok(())
}

/// `serde_json`'s `PrettyFormatter` (two spaces, `[]` and `{}` when empty), starting
/// `depth` levels down and writing each line start in one piece.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn open<W: Write + ?Sized>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: Write + ?Sized>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            line(out, self.depth, Some(false))?;
        }
        out.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: Write + ?Sized>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        line(out, self.depth, Some(!first))
    }

    fn end_array_value<W: Write + ?Sized>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: Write + ?Sized>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        line(out, self.depth, Some(!first))
    }

    fn begin_object_value<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: Write + ?Sized>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// An array whose opening `[` is written, filled one element at a time.
pub struct Array {
    /// The depth of the line the array opens on; elements sit one level further in.
    depth: usize,
    len: usize,
}

impl Array {
    /// Writes `[` and returns the array; `depth` is that of the line holding the `[`.
    pub fn open<W: Write + ?Sized>(out: &mut W, depth: usize) -> io::Result<Array> {
        out.write_all(b"[")?;
        Ok(Array { depth, len: 0 })
    }

    /// Writes one element on its own line(s).
    pub fn push<T: Serialize + ?Sized>(
        &mut self,
        out: &mut dyn Write,
        value: &T,
    ) -> io::Result<()> {
        let depth = self.next_element(out)?;
        value_at(out, value, depth)
    }

    /// Starts the next element's line, for an element the caller writes itself, as
    /// [`value_at`] would at the depth returned.
    pub fn next_element<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<usize> {
        line(out, self.depth + 1, Some(self.len > 0))?;
        self.len += 1;
        Ok(self.depth + 1)
    }

    /// Writes `]`, on its own line unless the array is empty (`[]`).
    pub fn close<W: Write + ?Sized>(self, out: &mut W) -> io::Result<()> {
        if self.len > 0 {
            line(out, self.depth, Some(false))?;
        }
        out.write_all(b"]")
    }
}

/// Writes `"key": ` on a new line `depth` levels down, after a comma unless `first`.
pub fn key<W: Write + ?Sized>(
    out: &mut W,
    name: &str,
    depth: usize,
    first: bool,
) -> io::Result<()> {
    line(out, depth, Some(!first))?;
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
    fn deep_values_match_serde_json() {
        let mut deep = json!([1, {"k": []}, "x"]);
        for _ in 0..40 {
            deep = json!({ "a": [deep, {}], "b": 2 });
        }
        let mut out = Vec::new();
        value_at(&mut out, &deep, 0).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&deep).unwrap()
        );
        let mut out = Vec::new();
        indent(&mut out, 40).unwrap();
        assert_eq!(out, vec![b' '; 80]);
    }
}
