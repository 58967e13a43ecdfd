//! Release bytes → text, whatever the encoding they were saved in.
//!
//! Place in `verify`: the first step for a text or JSON release, before [`super::normalize`].
//! A release re-saved as UTF-16 carries every letter with a NUL beside it, so a check that
//! reads it as UTF-8 sees no words at all. The encoding is taken from a byte-order mark when
//! there is one, otherwise from where the NUL bytes fall, then UTF-8, then Latin-1, which
//! decodes any byte sequence, so nothing is ever left unread.

/// The encoding a text was read in, for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
    Latin1,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Utf32Le => "UTF-32LE",
            Encoding::Utf32Be => "UTF-32BE",
            Encoding::Latin1 => "Latin-1",
        }
    }
}

/// How many leading bytes the NUL-pattern guess looks at.
const SAMPLE: usize = 4096;

/// The text of `bytes` and the encoding it was read in. A byte-order mark is dropped.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    let (encoding, body) = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (Encoding::Utf8, rest),
        [0xFF, 0xFE, 0, 0, rest @ ..] => (Encoding::Utf32Le, rest),
        [0, 0, 0xFE, 0xFF, rest @ ..] => (Encoding::Utf32Be, rest),
        [0xFF, 0xFE, rest @ ..] => (Encoding::Utf16Le, rest),
        [0xFE, 0xFF, rest @ ..] => (Encoding::Utf16Be, rest),
        _ => (guess(bytes), bytes),
    };
    let text = match encoding {
        Encoding::Utf8 => match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            // Invalid UTF-8 after a BOM, or a guess that failed: every byte still counts.
            Err(_) => latin1(body),
        },
        Encoding::Latin1 => latin1(body),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let units = body.chunks(2).map(|p| {
                let pair = [p[0], p.get(1).copied().unwrap_or(0)];
                if encoding == Encoding::Utf16Le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            });
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
        Encoding::Utf32Le | Encoding::Utf32Be => body
            .chunks(4)
            .map(|q| {
                let mut quad = [0u8; 4];
                quad[..q.len()].copy_from_slice(q);
                let n = if encoding == Encoding::Utf32Le {
                    u32::from_le_bytes(quad)
                } else {
                    u32::from_be_bytes(quad)
                };
                char::from_u32(n).unwrap_or(char::REPLACEMENT_CHARACTER)
            })
            .collect(),
    };
    (text, encoding)
}

/// The encoding of text without a byte-order mark: wide encodings by the place of their NUL
/// bytes (ASCII text in UTF-16LE has a NUL after every letter), else UTF-8 if valid, else
/// Latin-1.
fn guess(bytes: &[u8]) -> Encoding {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if sample.len() >= 4 {
        let quads = sample.len() / 4;
        let mut zero_at = [0usize; 4];
        for q in sample.chunks_exact(4) {
            for (i, &b) in q.iter().enumerate() {
                zero_at[i] += usize::from(b == 0);
            }
        }
        let most = |n: usize| n * 10 >= quads * 8;
        let few = |n: usize| n * 10 <= quads;
        if most(zero_at[1]) && most(zero_at[2]) && most(zero_at[3]) && few(zero_at[0]) {
            return Encoding::Utf32Le;
        }
        if most(zero_at[0]) && most(zero_at[1]) && most(zero_at[2]) && few(zero_at[3]) {
            return Encoding::Utf32Be;
        }
        let even = zero_at[0] + zero_at[2];
        let odd = zero_at[1] + zero_at[3];
        let pairs = quads * 2;
        // Any noticeable share of NULs on one side only: plain text has none at all.
        if odd * 10 >= pairs * 3 && even * 20 <= pairs {
            return Encoding::Utf16Le;
        }
        if even * 10 >= pairs * 3 && odd * 20 <= pairs {
            return Encoding::Utf16Be;
        }
    }
    if std::str::from_utf8(bytes).is_ok() {
        Encoding::Utf8
    } else {
        Encoding::Latin1
    }
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for u in text.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn every_unicode_form_decodes_to_the_same_text() {
        let text = "1. (S) Pojar said ¶ the meetings — été\n";
        for le in [true, false] {
            for bom in [true, false] {
                let (got, enc) = decode(&utf16(text, le, bom));
                assert_eq!(got, text, "le {le} bom {bom}");
                assert_eq!(
                    enc,
                    if le {
                        Encoding::Utf16Le
                    } else {
                        Encoding::Utf16Be
                    }
                );
            }
        }
        let mut le32 = vec![0xFF, 0xFE, 0, 0];
        let mut be32 = Vec::new();
        for c in text.chars() {
            le32.extend_from_slice(&u32::from(c).to_le_bytes());
            be32.extend_from_slice(&u32::from(c).to_be_bytes());
        }
        assert_eq!(decode(&le32), (text.to_string(), Encoding::Utf32Le));
        assert_eq!(decode(&be32), (text.to_string(), Encoding::Utf32Be));
        let bom8 = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(&bom8), (text.to_string(), Encoding::Utf8));
        assert_eq!(decode(text.as_bytes()), (text.to_string(), Encoding::Utf8));
    }

    #[test]
    fn bytes_that_are_no_utf8_still_decode() {
        let (got, enc) = decode(b"caf\xe9 \xff");
        assert_eq!(enc, Encoding::Latin1);
        assert_eq!(got, "café ÿ");
    }
}
