//! Damaged portion marks repaired: the OCR and extraction damage a printed mark suffers
//! (separators read as letters, letters read as digits, split tokens, `(8)` for `(S)`).
//! The strict grammar in the parent module tries a mark as printed first; only a mark it
//! cannot read whole comes here, and a repair counts only if every token then reads.

use super::{MAX_MARK, Place, is_control_token, parse_strict, whole_level};
use crate::marking::{Level, Marking};

/// OCR and extraction damage on a mark, repaired: separators misread as letters
/// (`(TS//SIIINF)`, `(TSIISI//NF)`, `(TS//SI/INF)`, `(TS#SI#NF)`, `(TS/'/'SI)`), letters
/// misread as digits (`(U//F0U0)`, `(TS//S1//NF)`, `(TS//8 1//NF)`), split tokens
/// (`(U//FO UO)`, `(S/ /NF)`). The repaired mark is accepted only if every token is then
/// known: a guess that leaves anything unknown is no reading (the caller's fallback keeps
/// it unreadable). `None` when nothing needed or could be repaired.
pub(super) fn repair(raw: &str, place: Place) -> Option<Marking> {
    let inner = raw.trim();
    let inner = inner.strip_prefix('(').unwrap_or(inner);
    let inner = inner.strip_suffix(')').unwrap_or(inner).trim();
    if inner.is_empty() || inner.len() > MAX_MARK || !inner.is_ascii() {
        return None;
    }
    // OCR damage comes in capitals; a lower-case parenthesis is prose or a label.
    if inner.bytes().any(|c| c.is_ascii_lowercase())
        || !inner.bytes().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, b' ' | b'/' | b',' | b'-' | b'#' | b'\'' | b'.')
        })
    {
        return None;
    }
    let cleaned = inner.replace('#', "/").replace(['\''], "");
    let first_char = cleaned.bytes().next()?;
    if !matches!(first_char, b'U' | b'C' | b'S' | b'T' | b'1') {
        return None;
    }
    let mut fixed: Vec<String> = Vec::new();
    for (k, token) in cleaned.split('/').map(str::trim).enumerate() {
        let token = token.trim_matches([',', '.', ' ']);
        if token.is_empty() {
            continue;
        }
        // OCR's `.` between a REL list's entries is their comma (`REL TO USA. FVEY`).
        let token = if token.starts_with("REL") {
            token.replace(". ", ", ")
        } else {
            token.to_string()
        };
        let token = token.as_str();
        let parts = repair_token(token, k == 0 && fixed.is_empty())?;
        fixed.extend(parts);
    }
    if fixed.len() < 2 {
        // A lone damaged level (`(8)`) is the parser's call, with its context.
        return None;
    }
    let text = format!("({})", fixed.join("//"));
    let mut m = parse_strict(&text, place)?;
    if m.is_unknown() {
        return None;
    }
    m.raw = raw.trim().to_string();
    m.damaged = true;
    m.legacy = true;
    Some(m)
}

/// The bytes some repair of [`repair_token`] acts on: the blank it squeezes out, the
/// characters `read_as_letters` maps (`0 Q 1 L J 8 5`, and the `I` of `IJ`), the `I`/`J` of a
/// separator read as letters (`II`, `JJ`) and the `I` stripped from either end.
const REPAIRED: &[u8] = b" 0Q1LJ85I";

/// A token's characters OCR confuses read as the letters they stand for: `IJ` as `U`
/// (leftmost first, as `str::replace` would: the pair cannot overlap itself), then `0 Q`
/// as `O`, `1 L J` as `I`, `8 5` as `S`; one pass.
fn read_as_letters(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(match c {
            'I' if chars.peek() == Some(&'J') => {
                chars.next();
                'U'
            }
            '0' | 'Q' => 'O',
            '1' | 'L' | 'J' => 'I',
            '8' | '5' => 'S',
            c => c,
        });
    }
    out
}

/// One token of a damaged mark, repaired into the tokens it stood for; `None` when no
/// repair makes it known. `first` says it must start with a level.
pub(super) fn repair_token(token: &str, first: bool) -> Option<Vec<String>> {
    let known = |t: &str| {
        if first {
            whole_level(t).is_some()
        } else {
            is_control_token(t)
        }
    };
    if known(token) {
        return Some(vec![token.to_string()]);
    }
    // Every repair below acts on a blank, a digit or letter OCR confuses, or an `I`/`J`
    // standing for a separator: a token with none of them (`STATE`, `PRAGUE`) would only be
    // tried again as printed. Banners pass every word of a line through here, so that case
    // returns now instead of allocating its candidates.
    if !token.bytes().any(|c| REPAIRED.contains(&c)) {
        return None;
    }
    // Rel lists keep their spaces; short tokens lose them (`FO UO`, `8 1`).
    let squeezed: String = if token.starts_with("REL") {
        token.to_string()
    } else if first && token == "1S" {
        // `(1S//SI)`: the T of TS read as a 1 (the only level a digit can begin).
        "TS".to_string()
    } else {
        token.chars().filter(|c| *c != ' ').collect()
    };
    let letters = read_as_letters(&squeezed);
    // The second candidate is tried only when it differs: the same string would fail the
    // same way twice.
    let second = (letters != squeezed).then_some(letters);
    for candidate in std::iter::once(squeezed).chain(second) {
        if known(&candidate) {
            return Some(vec![candidate]);
        }
        // `//` read as `II` or `III`, glued: `SIIINF`, `TSIISI`.
        for sep in ["IIII", "III", "II", "JJ"] {
            // Every place the separator may stand: `SIIINF` is `SI` `//` `NF`, not `S`.
            // Overlapping positions too, so no match_indices. Compared as bytes: a banner's
            // token may hold any char, and an ASCII match always sits on char boundaries.
            for at in (0..candidate.len())
                .filter(|&at| candidate.as_bytes()[at..].starts_with(sep.as_bytes()))
            {
                let (a, b) = (&candidate[..at], &candidate[at + sep.len()..]);
                let a = if first {
                    whole_level(a).map(|_| a)
                } else {
                    Some(a)
                };
                if let Some(a) = a
                    && (first || is_control_token(a))
                    && let Some(mut rest) = repair_token(b, false)
                {
                    rest.insert(0, a.to_string());
                    return Some(rest);
                }
            }
        }
        // A separator read as `I` glued to a token: `INF`, `IFOUO`, `SII`.
        if !first {
            for stripped in [candidate.strip_prefix('I'), candidate.strip_suffix('I')]
                .into_iter()
                .flatten()
            {
                if is_control_token(stripped) {
                    return Some(vec![stripped.to_string()]);
                }
            }
        }
    }
    None
}

/// `(8)` or `(5)` where the parser's context says a mark stands (after a paragraph number
/// in a document whose other paragraphs carry marks): OCR's reading of `(S)`. The result
/// is `S`, flagged damaged; the parser alone knows the context, so it alone calls this.
pub fn damaged_level_digit(raw: &str) -> Option<Marking> {
    let inner = raw.trim().strip_prefix('(')?.strip_suffix(')')?.trim();
    matches!(inner, "8" | "5").then(|| {
        let mut m = Marking::new(Level::S);
        m.raw = raw.trim().to_string();
        m.damaged = true;
        m.legacy = true;
        m
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two-step definition the one pass replaced.
    fn by_replace(t: &str) -> String {
        t.replace("IJ", "U")
            .chars()
            .map(|c| match c {
                '0' | 'Q' => 'O',
                '1' | 'L' | 'J' => 'I',
                '8' | '5' => 'S',
                c => c,
            })
            .collect()
    }

    #[test]
    fn read_as_letters_is_replace_then_map() {
        let alphabet = ['I', 'J', 'U', '0', 'Q', '1', 'L', '8', '5', 'S', ' ', 'é'];
        // Every string of up to four characters over the alphabet that matters.
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        for w in &words {
            assert_eq!(read_as_letters(w), by_replace(w), "{w:?}");
        }
    }

    #[test]
    fn tokens_without_repairable_bytes_are_not_repaired() {
        assert_eq!(repair_token("STATE", false), None);
        assert_eq!(repair_token("NF", false), Some(vec!["NF".to_string()]));
        assert_eq!(repair_token("F0U0", false), Some(vec!["FOUO".to_string()]));
        assert_eq!(
            repair_token("SIIINF", false),
            Some(vec!["SI".to_string(), "NF".to_string()])
        );
    }
}
