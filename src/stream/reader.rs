//! Reading JSON Lines with a bounded line length: a line longer than the limit is read
//! through to its newline without being kept, so one oversized record costs no memory
//! and the records after it are still read.

use std::io::{self, BufRead};

/// One input line, numbered from 1.
pub enum Line {
    /// The line's bytes, without the newline (and without a `\r` before it).
    Text { number: usize, bytes: Vec<u8> },
    /// A line longer than the limit, skipped.
    TooLong { number: usize },
}

/// Lines of a JSON Lines stream. Blank lines are skipped (they hold no record) but
/// counted, so line numbers match the input.
pub struct Reader<R> {
    inner: R,
    limit: usize,
    number: usize,
}

impl<R: BufRead> Reader<R> {
    pub fn new(inner: R, limit: usize) -> Reader<R> {
        Reader {
            inner,
            limit,
            number: 0,
        }
    }

    /// The next non-blank line, `None` at the end of the stream.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        loop {
            let mut bytes = Vec::new();
            let mut too_long = false;
            let mut any = false;
            loop {
                let buf = self.inner.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                any = true;
                let (chunk, ends) = match memchr_newline(buf) {
                    Some(i) => (&buf[..i], Some(i + 1)),
                    None => (buf, None),
                };
                if !too_long {
                    if bytes.len() + chunk.len() > self.limit {
                        too_long = true;
                        bytes = Vec::new();
                    } else {
                        bytes.extend_from_slice(chunk);
                    }
                }
                let used = ends.unwrap_or(buf.len());
                self.inner.consume(used);
                if ends.is_some() {
                    break;
                }
            }
            if !any {
                return Ok(None);
            }
            self.number += 1;
            let number = self.number;
            if too_long {
                return Ok(Some(Line::TooLong { number }));
            }
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some(Line::Text { number, bytes }));
        }
    }
}

fn memchr_newline(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str, limit: usize) -> Vec<String> {
        let mut reader = Reader::new(io::BufReader::with_capacity(4, input.as_bytes()), limit);
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            out.push(match line {
                Line::Text { number, bytes } => {
                    format!("{number}:{}", String::from_utf8(bytes).unwrap())
                }
                Line::TooLong { number } => format!("{number}:too long"),
            });
        }
        out
    }

    #[test]
    fn lines_are_numbered_and_blank_ones_skipped() {
        assert_eq!(lines("a\n\n b \r\nc", 100), ["1:a", "3: b ", "4:c"]);
    }

    #[test]
    fn an_overlong_line_is_skipped_and_the_next_one_read() {
        assert_eq!(
            lines("short\nthis line is too long\nok\n", 10),
            ["1:short", "2:too long", "3:ok"]
        );
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_read() {
        assert_eq!(lines("0123456789\n", 10), ["1:0123456789"]);
    }
}
