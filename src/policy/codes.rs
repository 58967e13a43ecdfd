//! Exemption codes as values: the [`Code`] type a validated policy holds, the [`Codes`]
//! list a decision, release plan, stamp and exemption log carry (kept in the one order
//! every list of codes is printed in, turned into text only when printed or serialised),
//! and the markers the engine itself writes (`REVIEW REQUIRED`, `REFER TO <agency>`).
//! Which codes exist is not decided here but by the policy's code set
//! ([`super::codeset`]); this module only knows their shape.
//!
//! **The order.** A stamp, a withheld paragraph and the exemption log list codes the way
//! State stamps them, whatever order a policy wrote them in:
//!
//! 1. `B1`, then the E.O. 13526 citations that explain it: `1.4(A)`–`1.4(H)`, `25X1`–`25X9`,
//!    `50X1-HUM`, `50X2-WMD`, `75X`;
//! 2. `B2`–`B9` in statute order, each bare code before its subsections and statute tags
//!    (`B3`, `B3 INA`, `B7(A)`, `B7(C)`);
//! 3. Privacy Act exemptions (`PA (j)(2)`, `PA (k)(5)`), then FOIA exclusions (`EXCL (c)(1)`),
//!    then `NR` (non-responsive);
//! 4. referrals (`REFER TO CIA`), then `REVIEW REQUIRED`;
//! 5. any other code an agency adds, alphabetically.
//!
//! Within a group codes sort by their text, so the order is total and deterministic.

use std::cmp::Ordering;
use std::fmt;
use std::sync::{Arc, LazyLock};

/// The word a policy writes in a `codes` list for "B1 plus the document's 1.4 reasons".
pub const DERIVED: &str = "derived";

/// The word a policy writes for "withheld until a reviewer names the exemption".
pub const REVIEW: &str = "review";

/// The neutral marker of a portion withheld without a lawful exemption named yet: an
/// unclassified portion a rule would have cited under B1, or one the policy sends to a
/// reviewer. It is not an exemption and never claims one.
pub const REVIEW_REQUIRED: &str = "REVIEW REQUIRED";

/// The prefix of a referral marker: `REFER TO CIA`.
pub const REFER_PREFIX: &str = "REFER TO";

/// One exemption code of a code set, as a validated policy holds it. Its text is shared:
/// a code is cloned into every decision that cites it, and a clone is a reference count.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Code {
    text: Arc<str>,
    classified: bool,
}

impl Code {
    /// `text` in its canonical form; `classified` when the code may be cited only for
    /// classified information (B1 and its E.O. 13526 citations).
    pub fn new(text: impl Into<String>, classified: bool) -> Code {
        Code {
            text: Arc::from(text.into()),
            classified,
        }
    }

    /// The neutral `REVIEW REQUIRED` marker.
    pub fn review() -> Code {
        Code::new(REVIEW_REQUIRED, false)
    }

    /// The referral marker `REFER TO <agency>`.
    pub fn referral(agency: &str) -> Code {
        let agency = agency.split_whitespace().collect::<Vec<_>>().join(" ");
        Code::new(format!("{REFER_PREFIX} {}", agency.to_uppercase()), false)
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True for codes that apply only to classified information.
    pub fn is_classified(&self) -> bool {
        self.classified
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Code) -> Ordering {
        compare(&self.text, &other.text).then(self.classified.cmp(&other.classified))
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares two rendered codes in the documented order.
pub fn compare(a: &str, b: &str) -> Ordering {
    order_key(a).cmp(&order_key(b))
}

/// Where a code sorts: (group, statute number, 0 for a bare code or 1 for a subsection or
/// tag, text).
fn order_key(code: &str) -> (u8, u8, u8, &str) {
    let b = code.as_bytes();
    let eo = |rank: u8| (0, rank, 0, code);
    match b {
        [b'B', b'1'] => (0, 0, 0, code),
        [b'1', b'.', b'4', ..] => eo(1),
        [b'2', b'5', b'X', ..] => eo(2),
        [b'5', b'0', b'X', ..] => eo(3),
        [b'7', b'5', b'X', ..] => eo(4),
        [b'B', d @ b'2'..=b'9', rest @ ..] => (1, *d - b'0', u8::from(!rest.is_empty()), code),
        _ if code.starts_with("PA ") => (2, 0, 0, code),
        _ if code.starts_with("EXCL") => (3, 0, 0, code),
        _ if code == "NR" => (4, 0, 0, code),
        _ if code.starts_with(REFER_PREFIX) => (5, 0, 0, code),
        _ if code == REVIEW_REQUIRED => (6, 0, 0, code),
        _ => (7, 0, 0, code),
    }
}

/// The key a written code is looked up by: upper case, without spaces, parentheses,
/// hyphens or colons, so that `(b)(6)`, `b6`, `B(6)` and `B6` are one code, as are
/// `b(7)(c)` and `B7(C)`, `1.4 d` and `1.4(D)`, `50X1 HUM` and `50X1-HUM`.
pub fn lookup_key(written: &str) -> String {
    written
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '-' | ':' | '§'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// B1 followed by the document's reason letters, as State cites it: `B1, 1.4(B), 1.4(D)`.
/// Letters outside a–h are dropped (they are audit findings, not categories).
pub fn derived(reasons: &[char]) -> Codes {
    let letters = reasons
        .iter()
        .map(|r| r.to_ascii_uppercase())
        .filter(|r| ('A'..='H').contains(r));
    let [b1, categories @ ..] = &*DERIVED_CODES;
    std::iter::once(b1.clone())
        .chain(letters.map(|r| categories[usize::from(r as u8 - b'A')].clone()))
        .collect()
}

/// `B1` and `1.4(A)` to `1.4(H)`, made once: [`derived`] runs for every portion a rule
/// cites them for, and hands out shared copies.
static DERIVED_CODES: LazyLock<[Code; 9]> = LazyLock::new(|| {
    std::array::from_fn(|i| match i {
        0 => Code::new("B1", true),
        _ => Code::new(format!("1.4({})", char::from(b'A' + i as u8 - 1)), true),
    })
});

/// A list of codes as a decision, a plan, a stamp and a log carry it: in the documented
/// order, each code once. Every list of codes is ordered here and nowhere else; it turns
/// into text only where it is printed (`Display`: `B1, 1.4(B), 1.4(D)`) or serialised
/// (a JSON array of the codes' texts).
///
/// Shared, not copied: a list is never changed once made (a union makes a new one), and
/// the same list is handed to every portion a rule withholds, to the release's blocks,
/// entries and plan; a clone is a reference count, not a `Vec` of `String`s (27 k of
/// those on 300 bulk cables). An empty list allocates nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Codes(Arc<[Code]>);

impl Codes {
    /// Codes known only by their text (a reviewer's decisions file, a stamp): whether
    /// each is classification-based is read from the text, as [`is_classification_based`].
    pub fn from_texts<S: AsRef<str>>(texts: impl IntoIterator<Item = S>) -> Codes {
        texts
            .into_iter()
            .map(|t| {
                let t = t.as_ref();
                Code::new(t, is_classification_based(t))
            })
            .collect()
    }

    /// The one `REVIEW REQUIRED` marker.
    pub fn review() -> Codes {
        Codes(Arc::from([Code::review()]))
    }

    /// Both lists' codes, in order, each once.
    pub fn union(&self, other: &Codes) -> Codes {
        self.iter().chain(other.iter()).cloned().collect()
    }

    /// Adds `other`'s codes, keeping the order.
    pub fn extend_from(&mut self, other: &Codes) {
        *self = self.union(other);
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Code> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when a code of this text is listed.
    pub fn contains(&self, text: &str) -> bool {
        self.iter().any(|c| c.as_str() == text)
    }

    /// The codes' texts, in order (for output that lists them one by one).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.iter().map(Code::as_str)
    }
}

impl FromIterator<Code> for Codes {
    fn from_iter<I: IntoIterator<Item = Code>>(codes: I) -> Codes {
        let mut v: Vec<Code> = codes.into_iter().collect();
        v.sort();
        // One code per text: the same text read with two classification flags is one code.
        v.dedup_by(|a, b| a.as_str() == b.as_str());
        Codes(Arc::from(v))
    }
}

impl<'a> IntoIterator for &'a Codes {
    type Item = &'a Code;
    type IntoIter = std::slice::Iter<'a, Code>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Codes {
    /// The same texts in the same order.
    fn eq(&self, texts: &[&str; N]) -> bool {
        self.texts().eq(texts.iter().copied())
    }
}

impl fmt::Display for Codes {
    /// `B1, 1.4(B), 1.4(D)`, as a stamp or a withheld paragraph prints them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(c.as_str())?;
        }
        Ok(())
    }
}

impl serde::Serialize for Codes {
    /// A JSON array of the codes' texts, in order.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.texts())
    }
}

/// Renders codes for a stamp or a withheld paragraph: `B1, 1.4(B), 1.4(D)`.
pub fn render_codes(codes: &Codes) -> String {
    codes.to_string()
}

/// True for a rendered code that only classified information may carry: B1 and the
/// E.O. 13526 citations that follow it. Used where only the text is at hand (a stamp
/// or manifest); policies know it from their code set.
pub fn is_classification_based(code: &str) -> bool {
    order_key(code).0 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_and_rendered_like_state() {
        let codes = derived(&['d', 'b', 'd', 'z']);
        assert_eq!(render_codes(&codes), "B1, 1.4(B), 1.4(D)");
        // The shared codes are the ones made from their texts, every letter.
        let all = derived(&['h', 'G', 'f', 'e', 'D', 'c', 'b', 'A', 'i']);
        let made: Codes = std::iter::once(Code::new("B1", true))
            .chain(('A'..='H').map(|r| Code::new(format!("1.4({r})"), true)))
            .collect();
        assert_eq!(all, made);
        assert_eq!(
            render_codes(&all),
            "B1, 1.4(A), 1.4(B), 1.4(C), 1.4(D), 1.4(E), 1.4(F), 1.4(G), 1.4(H)"
        );
        let union = Codes::from_texts(["B6", "1.4(D)", "B1", "B6"]);
        assert_eq!(render_codes(&union), "B1, 1.4(D), B6");
        let union = Codes::from_texts(["B7(C)", "B3 INA"]).union(&Codes::from_texts(["B3"]));
        assert_eq!(union.texts().collect::<Vec<_>>(), ["B3", "B3 INA", "B7(C)"]);
        assert_eq!(union.len(), 3);
        assert!(union.contains("B3 INA") && !union.contains("B6"));
        assert_eq!(Codes::default().to_string(), "");
        // One code per text, whatever flag each copy was read with.
        let twice: Codes = [Code::new("ZZ", true), Code::new("ZZ", false)]
            .into_iter()
            .collect();
        assert_eq!(twice.len(), 1);
    }

    #[test]
    fn one_documented_order() {
        let written = [
            "ZZ AGENCY",
            REVIEW_REQUIRED,
            "REFER TO CIA",
            "NR",
            "EXCL (c)(1)",
            "PA (k)(5)",
            "B7(C)",
            "B6",
            "B3 INA",
            "B2",
            "75X",
            "50X1-HUM",
            "25X1",
            "1.4(D)",
            "B1",
        ];
        let sorted = Codes::from_texts(written);
        let mut expected: Vec<&str> = written.to_vec();
        expected.reverse();
        assert_eq!(sorted.texts().collect::<Vec<_>>(), expected);
        assert!(Code::new("B1", true) < Code::new("B6", false));
    }

    #[test]
    fn written_forms_share_a_key() {
        for (a, b) in [
            ("(b)(6)", "B6"),
            ("b(7)(c)", "B7(C)"),
            ("1.4 d", "1.4(D)"),
            ("50X1 HUM", "50X1-HUM"),
            ("b3 ina", "B3 INA"),
        ] {
            assert_eq!(lookup_key(a), lookup_key(b), "{a}");
        }
        assert_ne!(lookup_key("B7"), lookup_key("B7(C)"));
    }

    #[test]
    fn serialised_as_texts_in_order() {
        let codes = Codes::from_texts(["B6", "B1"]);
        assert_eq!(serde_json::to_string(&codes).unwrap(), r#"["B1","B6"]"#);
        assert_eq!(codes, ["B1", "B6"]);
        assert!(codes.iter().next().is_some_and(Code::is_classified));
    }

    #[test]
    fn markers() {
        assert_eq!(Code::referral("  cia ").as_str(), "REFER TO CIA");
        assert!(is_classification_based("25X1") && is_classification_based("B1"));
        assert!(!is_classification_based("B6") && !is_classification_based(REVIEW_REQUIRED));
    }
}
