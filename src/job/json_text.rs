//! The text of a JSON output as its reader sees it, for the leak check and the marks
//! backstop of every manifest and JSON release ([`super::check_json`]): every key and
//! string value decoded, one per line, object members in key order, numbers and literals
//! as `serde_json` prints them. The reference is a walk of the `serde_json::Value` the
//! output parses to ([`value_text`]); [`json_text`] reads the JSON once without building
//! that tree (a fifth of a release's own work went to it), gives the same text, and
//! falls back to the reference on anything it does not read as `serde_json` would.

use std::ops::Range;

mod record;
pub use record::to_pretty_with_text;

/// The strings of a JSON document, decoded, one per line (keys included, numbers and
/// literals as written, members in key order). Text that does not parse as JSON is
/// returned as it is, so the checks still see every byte.
pub fn json_text(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut r = Reader {
        src: json,
        s: json.as_bytes(),
        at: 0,
    };
    let whole = r.value(&mut out, 0).is_some() && {
        r.blank();
        r.at == r.s.len()
    };
    if whole { out } else { value_text(json) }
}

/// The reference: a walk of the parsed `serde_json::Value` (its objects keep their keys
/// sorted, the last of a repeated key).
pub fn value_text(json: &str) -> String {
    fn walk(value: &serde_json::Value, out: &mut String) {
        match value {
            serde_json::Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    out.push_str(k);
                    out.push('\n');
                    walk(v, out);
                }
            }
            other => {
                out.push_str(&other.to_string());
                out.push('\n');
            }
        }
    }
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(value) => {
            let mut out = String::with_capacity(json.len());
            walk(&value, &mut out);
            out
        }
        Err(_) => json.to_string(),
    }
}

/// Deeper than this the reader leaves the document to the reference: well within
/// `serde_json`'s nesting limit (128), past which the reference returns it as it is.
const MAX_DEPTH: usize = 100;

struct Reader<'a> {
    src: &'a str,
    /// `src` as bytes.
    s: &'a [u8],
    at: usize,
}

/// One member of an object as written to `out`: its key, and where the member's lines
/// (key line included) lie.
struct Member {
    key: Range<usize>,
    text: Range<usize>,
}

/// Puts the members of the object whose lines start at `start` of `out` in key order, as a
/// map sorts them (a repeated key keeps its last value), when they are not already;
/// `scratch` is working space. The reader and the recorder ([`record`]) both order objects
/// here, so that their texts agree by construction.
fn order_members(out: &mut String, start: usize, members: &mut [Member], scratch: &mut String) {
    let in_order = members
        .windows(2)
        .all(|w| out[w[0].key.clone()] < out[w[1].key.clone()]);
    if in_order {
        return;
    }
    // Stable, so that among equal keys the last written is last; keep only it.
    members.sort_by(|a, b| out[a.key.clone()].cmp(&out[b.key.clone()]));
    scratch.clear();
    scratch.reserve(out.len() - start);
    for (i, m) in members.iter().enumerate() {
        let repeated = members
            .get(i + 1)
            .is_some_and(|next| out[next.key.clone()] == out[m.key.clone()]);
        if !repeated {
            scratch.push_str(&out[m.text.clone()]);
        }
    }
    out.truncate(start);
    out.push_str(scratch);
}

impl Reader<'_> {
    fn blank(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.at) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.blank();
        (self.s.get(self.at) == Some(&b)).then(|| self.at += 1)
    }

    /// Reads one value, appending its lines to `out`; `None` when it is not one that
    /// `serde_json` reads the same way.
    fn value(&mut self, out: &mut String, depth: usize) -> Option<()> {
        self.blank();
        match *self.s.get(self.at)? {
            b'"' => {
                self.string(out)?;
                out.push('\n');
            }
            b'[' => {
                self.at += 1;
                let depth = depth_below(depth)?;
                if self.eat(b']').is_none() {
                    loop {
                        self.value(out, depth)?;
                        if self.eat(b',').is_none() {
                            self.eat(b']')?;
                            break;
                        }
                    }
                }
            }
            b'{' => {
                self.at += 1;
                self.object(out, depth_below(depth)?)?;
            }
            _ => self.scalar(out)?,
        }
        Some(())
    }

    /// An object's members, then put in key order as a map sorts them (a repeated key
    /// keeps its last value), when they are not already.
    fn object(&mut self, out: &mut String, depth: usize) -> Option<()> {
        let start = out.len();
        let mut members: Vec<Member> = Vec::new();
        if self.eat(b'}').is_none() {
            loop {
                self.eat(b'"')?;
                self.at -= 1;
                let from = out.len();
                self.string(out)?;
                let key = from..out.len();
                out.push('\n');
                self.eat(b':')?;
                self.value(out, depth)?;
                members.push(Member {
                    key,
                    text: from..out.len(),
                });
                if self.eat(b',').is_none() {
                    self.eat(b'}')?;
                    break;
                }
            }
        }
        order_members(out, start, &mut members, &mut String::new());
        Some(())
    }

    /// A string at `self.at` (its opening quote), decoded onto `out`.
    fn string(&mut self, out: &mut String) -> Option<()> {
        self.at += 1;
        loop {
            // A run of plain characters up to a quote or backslash (ASCII, so the run
            // ends on a character boundary), copied as it is; a raw control character
            // in it is refused below, as `serde_json` refuses it.
            let run = memchr::memchr2(b'"', b'\\', &self.s[self.at..])?;
            let plain = &self.s[self.at..self.at + run];
            // Over the whole run, without an early exit, so that it vectorises.
            if plain.iter().fold(false, |c, &b| c | (b < 0x20)) {
                return None;
            }
            out.push_str(self.src.get(self.at..self.at + run)?);
            self.at += run;
            match self.s[self.at] {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    self.at += 1;
                    let c = match *self.s.get(self.at)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let c = self.unicode()?;
                            out.push(c);
                            continue;
                        }
                        _ => return None,
                    };
                    self.at += 1;
                    out.push(c);
                }
                _ => return None,
            }
        }
    }

    /// A `\u` escape at `self.at` (its `u`), a surrogate pair as one character; a lone
    /// surrogate is left to the reference (which refuses it).
    fn unicode(&mut self) -> Option<char> {
        let hi = self.hex4(self.at + 1)?;
        self.at += 5;
        if !(0xD800..0xE000).contains(&hi) {
            return char::from_u32(hi);
        }
        if hi >= 0xDC00 || self.s.get(self.at..self.at + 2)? != b"\\u" {
            return None;
        }
        let lo = self.hex4(self.at + 2)?;
        if !(0xDC00..0xE000).contains(&lo) {
            return None;
        }
        self.at += 6;
        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = std::str::from_utf8(self.s.get(at..at + 4)?).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    }

    /// A number or literal, as the reference prints it: integers and literals are
    /// printed as written; anything else goes through `serde_json` to be printed as it
    /// prints it.
    fn scalar(&mut self, out: &mut String) -> Option<()> {
        let len = self.s[self.at..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')))
            .unwrap_or(self.s.len() - self.at);
        let token = std::str::from_utf8(&self.s[self.at..self.at + len]).ok()?;
        self.at += len;
        let plain_integer = {
            let digits = token.strip_prefix('-').unwrap_or(token);
            token != "-0"
                && !digits.is_empty()
                && digits.len() < 19
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'))
        };
        if plain_integer || matches!(token, "true" | "false" | "null") {
            out.push_str(token);
        } else {
            let value: serde_json::Value = serde_json::from_str(token).ok()?;
            if value.is_object() || value.is_array() || value.is_string() {
                return None;
            }
            out.push_str(&value.to_string());
        }
        out.push('\n');
        Some(())
    }
}

fn depth_below(depth: usize) -> Option<usize> {
    (depth < MAX_DEPTH).then_some(depth + 1)
}

#[cfg(test)]
mod tests;
