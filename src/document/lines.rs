//! [`Lines`]: the decoded source lines of a document, held as one text buffer and the
//! offsets where each line starts.
//!
//! A bulk run parses hundreds of thousands of lines; one `String` per line made the
//! allocator (and dropping documents) a fifth of parse time. One buffer costs two
//! allocations per document whatever its length, and reading a line is two offset loads.

use std::fmt;
use std::ops::Index;

/// The lines of a document, line ends removed. Line `i` (0-based) is
/// `text[starts[i]..starts[i + 1]]`: lines sit back to back in the buffer, with no
/// separator, and `starts` ends with the buffer's length.
#[derive(Clone, PartialEq, Eq)]
pub struct Lines {
    text: String,
    /// One more entry than there are lines. `u32` is enough: inputs are bounded well
    /// below 4 GB (see `parse::input::MAX_INPUT_BYTES`), and cleaning never lengthens
    /// a line.
    starts: Vec<u32>,
    /// Per line: may it hold a portion mark? False only when the line has no byte that can
    /// open a parenthesis (`(`, or 0xE2 / 0xEF, which start every look-alike one), which
    /// every mark needs. Set by the decoder's byte scan at no extra pass, so that the segmenter can
    /// skip its mark tests on most lines.
    maybe_mark: Vec<bool>,
}

impl Lines {
    /// No lines, with room for about `bytes` of text in `lines` lines.
    pub fn with_capacity(bytes: usize, lines: usize) -> Self {
        let mut starts = Vec::with_capacity(lines + 1);
        starts.push(0);
        Lines {
            text: String::with_capacity(bytes),
            starts,
            maybe_mark: Vec::with_capacity(lines),
        }
    }

    /// Appends a line (which must not hold a line break).
    pub fn push(&mut self, line: &str) {
        self.text.push_str(line);
        self.close_line_marked(line.bytes().any(|c| c == b'(' || c == 0xE2 || c == 0xEF));
    }

    /// The buffer the next line is written into; end the line with [`Lines::close_line`].
    /// Lets a caller build a cleaned line in place, without a copy of its own.
    pub(crate) fn open_line(&mut self) -> &mut String {
        &mut self.text
    }

    /// Ends the line written since the last one ended; it may hold a mark (conservative).
    #[cfg(test)]
    pub(crate) fn close_line(&mut self) {
        self.close_line_marked(true);
    }

    /// Ends the line written since the last one ended; `maybe_mark` must be true when the
    /// line holds `(`, 0xE2 or 0xEF (it may be true otherwise).
    pub(crate) fn close_line_marked(&mut self, maybe_mark: bool) {
        let end = u32::try_from(self.text.len()).expect("document text under 4 GB");
        self.starts.push(end);
        self.maybe_mark.push(maybe_mark);
    }

    // The accessors are `#[inline]`: the segmenter and header scanner call them for every
    // line from other codegen units, where a call cost more than the two loads it wraps.

    /// May line `i` (0-based) hold a portion mark? `false` means it certainly does not (no
    /// parenthesis of any form); past the end, `false`.
    #[inline]
    pub fn may_hold_mark(&self, i: usize) -> bool {
        self.maybe_mark.get(i).copied().unwrap_or(false)
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Line `i` (0-based), if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        let start = *self.starts.get(i)? as usize;
        let end = *self.starts.get(i + 1)? as usize;
        Some(&self.text[start..end])
    }

    /// The lines in order. Double-ended and exact-size, and `skip`/`nth` jump straight to
    /// a line.
    #[inline]
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + Clone + '_ {
        self.starts
            .windows(2)
            .map(|w| &self.text[w[0] as usize..w[1] as usize])
    }
}

impl Default for Lines {
    fn default() -> Self {
        Lines::with_capacity(0, 0)
    }
}

impl Index<usize> for Lines {
    type Output = str;

    #[inline]
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(line) => line,
            None => panic!("line index {i} out of range for {} lines", self.len()),
        }
    }
}

impl<'a> FromIterator<&'a str> for Lines {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut lines = Lines::default();
        for line in iter {
            lines.push(line);
        }
        lines
    }
}

/// Prints as the list of lines, as the `Vec<String>` it replaces did.
impl fmt::Debug for Lines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip() {
        let lines: Lines = ["a", "", "ccc"].into_iter().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(&lines[0], "a");
        assert_eq!(&lines[1], "");
        assert_eq!(lines.get(2), Some("ccc"));
        assert_eq!(lines.get(3), None);
        assert_eq!(lines.iter().rev().collect::<Vec<_>>(), ["ccc", "", "a"]);
        assert_eq!(lines.iter().skip(1).len(), 2);
        assert_eq!(format!("{lines:?}"), r#"["a", "", "ccc"]"#);
    }

    #[test]
    fn empty_lines() {
        let lines = Lines::default();
        assert!(lines.is_empty());
        assert_eq!(lines.get(0), None);
        assert_eq!(lines.iter().count(), 0);
    }

    #[test]
    fn lines_built_in_place() {
        let mut lines = Lines::default();
        lines.open_line().push_str("ab");
        lines.open_line().push('c');
        lines.close_line();
        lines.push("d");
        assert_eq!(lines.iter().collect::<Vec<_>>(), ["abc", "d"]);
    }
}
