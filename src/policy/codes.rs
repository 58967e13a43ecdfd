//! The FOIA exemption vocabulary a policy may cite: 5 U.S.C. 552(b)(1)–(9), the (b)(7)
//! subsections, State's (b)(3) statute tags and the E.O. 13526 §1.4 categories that follow a
//! B1. Every code is defined once, here, with a one-line summary; parsing, rendering,
//! ordering and "did you mean" all read these tables.
//!
//! Codes are rendered the way State stamps them: `B1, 1.4(B), 1.4(D)`, `B6`, `B7(C)`,
//! `B3 INA`.

use super::suggest::did_you_mean;

/// One exemption a policy may cite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exemption {
    /// Canonical form, as rendered in a release.
    pub code: &'static str,
    pub summary: &'static str,
}

/// The FOIA exemptions, in statute order.
pub const EXEMPTIONS: &[Exemption] = &[
    Exemption {
        code: "B1",
        summary: "classified national security information (E.O. 13526)",
    },
    Exemption {
        code: "B2",
        summary: "internal personnel rules and practices",
    },
    Exemption {
        code: "B3",
        summary: "exempted by statute (State adds the statute tag, e.g. `B3 INA`)",
    },
    Exemption {
        code: "B4",
        summary: "trade secrets and confidential commercial information",
    },
    Exemption {
        code: "B5",
        summary: "deliberative process, attorney-client and work product privileges",
    },
    Exemption {
        code: "B6",
        summary: "personal privacy",
    },
    Exemption {
        code: "B7(A)",
        summary: "law enforcement: interference with enforcement proceedings",
    },
    Exemption {
        code: "B7(B)",
        summary: "law enforcement: right to a fair trial",
    },
    Exemption {
        code: "B7(C)",
        summary: "law enforcement: personal privacy",
    },
    Exemption {
        code: "B7(D)",
        summary: "law enforcement: confidential source",
    },
    Exemption {
        code: "B7(E)",
        summary: "law enforcement: techniques, procedures or guidelines",
    },
    Exemption {
        code: "B7(F)",
        summary: "law enforcement: life or physical safety",
    },
    Exemption {
        code: "B8",
        summary: "financial institution examination reports",
    },
    Exemption {
        code: "B9",
        summary: "geological and geophysical data on wells",
    },
];

/// The statute tags State appends to B3.
pub const B3_TAGS: &[&str] = &[
    "INA",
    "FS ACT",
    "ARMSEXP",
    "CIA PERS/ORG",
    "EXPORT CONTROL",
    "IRAN",
];

/// E.O. 13526 §1.4 classification categories, cited after B1.
pub const CATEGORIES: &[Exemption] = &[
    Exemption {
        code: "1.4(A)",
        summary: "military plans, weapons systems or operations",
    },
    Exemption {
        code: "1.4(B)",
        summary: "foreign government information",
    },
    Exemption {
        code: "1.4(C)",
        summary: "intelligence activities, sources or methods, or cryptology",
    },
    Exemption {
        code: "1.4(D)",
        summary: "foreign relations or foreign activities, including confidential sources",
    },
    Exemption {
        code: "1.4(E)",
        summary: "scientific, technological or economic matters",
    },
    Exemption {
        code: "1.4(F)",
        summary: "programs for safeguarding nuclear materials or facilities",
    },
    Exemption {
        code: "1.4(G)",
        summary: "vulnerabilities or capabilities of systems, installations or plans",
    },
    Exemption {
        code: "1.4(H)",
        summary: "weapons of mass destruction",
    },
];

/// The word a policy writes in a `codes` list for "B1 plus the document's 1.4 reasons".
pub const DERIVED: &str = "derived";

/// Every canonical code, for suggestions and documentation.
pub fn all_codes() -> Vec<String> {
    let mut all: Vec<String> = EXEMPTIONS.iter().map(|e| e.code.to_string()).collect();
    all.extend(B3_TAGS.iter().map(|t| format!("B3 {t}")));
    all.extend(CATEGORIES.iter().map(|c| c.code.to_string()));
    all
}

/// Reads a code as a policy writes it (`B1`, `b6`, `(b)(6)`, `b(7)(C)`, `B7C`, `B3 INA`,
/// `1.4(d)`, `1.4 D`) and returns its canonical form, or a message naming the bad value
/// with a suggestion.
pub fn canonical(code: &str) -> Result<String, String> {
    let upper = code.trim().to_ascii_uppercase();
    if let Some(tag) = b3_tag(&upper) {
        return match B3_TAGS.iter().find(|t| **t == tag) {
            Some(t) => Ok(format!("B3 {t}")),
            None => Err(format!(
                "unknown B3 statute tag `{tag}`{}; known tags: {}",
                hint(did_you_mean(&tag, B3_TAGS.iter().copied())),
                B3_TAGS.join(", ")
            )),
        };
    }
    // Without spaces and parentheses every form collapses to B6, B7C, 1.4D.
    let squashed: String = upper
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
        .collect();
    if let Some(letter) = squashed.strip_prefix("1.4")
        && let [l @ b'A'..=b'H'] = letter.as_bytes()
    {
        return Ok(format!("1.4({})", *l as char));
    }
    if let Some(rest) = squashed.strip_prefix('B') {
        let found = match rest.as_bytes() {
            [d @ b'1'..=b'9'] if *d != b'7' => Some(format!("B{}", *d as char)),
            [b'7', s @ b'A'..=b'F'] => Some(format!("B7({})", *s as char)),
            _ => None,
        };
        if let Some(found) = found {
            return Ok(found);
        }
        if rest == "7" {
            return Err(format!(
                "`{}` needs its subsection: one of B7(A), B7(B), B7(C), B7(D), B7(E), B7(F)",
                code.trim()
            ));
        }
    }
    let all = all_codes();
    let suggestion = did_you_mean(&upper, all.iter().map(String::as_str))
        .or_else(|| did_you_mean(&squashed, all.iter().map(String::as_str)));
    Err(format!(
        "unknown exemption code `{}`{}; codes are B1–B9, B7(A)–B7(F), `B3 <statute>`, 1.4(A)–1.4(H) or `{DERIVED}`",
        code.trim(),
        hint(suggestion)
    ))
}

/// `B3 INA`, `(B)(3) INA`, `B(3) FS ACT` → the tag; `B3` alone → `None`.
fn b3_tag(upper: &str) -> Option<String> {
    let rest = ["(B)(3)", "B(3)", "B3"]
        .iter()
        .find_map(|p| upper.strip_prefix(p))?;
    let tag = rest.trim().trim_start_matches(':').trim();
    let tag = tag
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(tag);
    (!tag.is_empty()).then(|| tag.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn hint(suggestion: Option<&str>) -> String {
    suggestion.map_or(String::new(), |s| format!(" (did you mean `{s}`?)"))
}

/// B1 followed by the document's reason letters, as State cites it: `B1, 1.4(B), 1.4(D)`.
/// Letters outside a–h are dropped (they are audit findings, not categories).
pub fn derived(reasons: &[char]) -> Vec<String> {
    let mut codes = vec!["B1".to_string()];
    codes.extend(
        reasons
            .iter()
            .map(|r| r.to_ascii_uppercase())
            .filter(|r| ('A'..='H').contains(r))
            .map(|r| format!("1.4({r})")),
    );
    sorted_union(codes)
}

/// Orders codes as a stamp lists them (B1 and its categories, then B2…B9) and drops
/// duplicates.
pub fn sorted_union(codes: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = codes.into_iter().collect();
    v.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    v.dedup();
    v
}

/// Statute order; a 1.4 category sorts right after B1.
fn sort_key(code: &str) -> (u8, u8, &str) {
    let b = code.as_bytes();
    match b {
        [b'1', b'.', b'4', ..] => (1, 1, code),
        [b'B', d, rest @ ..] if d.is_ascii_digit() => {
            (*d - b'0', if rest.is_empty() { 0 } else { 2 }, code)
        }
        _ => (u8::MAX, 0, code),
    }
}

/// Renders codes for a stamp or a withheld paragraph: `B1, 1.4(B), 1.4(D)`.
pub fn render_codes(codes: &[String]) -> String {
    codes.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_defined_once() {
        let all = all_codes();
        let unique: HashSet<_> = all.iter().collect();
        assert_eq!(all.len(), unique.len());
        for code in &all {
            assert_eq!(canonical(code).as_deref(), Ok(code.as_str()), "{code}");
        }
    }

    #[test]
    fn written_forms_are_read() {
        for (written, canon) in [
            ("b1", "B1"),
            ("(b)(6)", "B6"),
            ("b(7)(c)", "B7(C)"),
            ("B7C", "B7(C)"),
            ("B7(C)", "B7(C)"),
            ("1.4(d)", "1.4(D)"),
            ("1.4 D", "1.4(D)"),
            ("b3 ina", "B3 INA"),
            ("(b)(3) CIA PERS/ORG", "B3 CIA PERS/ORG"),
            ("B3 (FS ACT)", "B3 FS ACT"),
            ("B3", "B3"),
        ] {
            assert_eq!(canonical(written).as_deref(), Ok(canon), "{written}");
        }
    }

    #[test]
    fn unknown_codes_name_the_value_and_suggest() {
        let e = canonical("B10").unwrap_err();
        assert!(
            e.contains("`B10`") && e.contains("did you mean `B1`"),
            "{e}"
        );
        let e = canonical("B7").unwrap_err();
        assert!(e.contains("subsection"), "{e}");
        let e = canonical("B3 INAA").unwrap_err();
        assert!(e.contains("did you mean `INA`"), "{e}");
        assert!(canonical("1.4(J)").is_err());
        assert!(canonical("25X1").is_err());
    }

    #[test]
    fn derived_and_rendered_like_state() {
        let codes = derived(&['d', 'b', 'd', 'z']);
        assert_eq!(render_codes(&codes), "B1, 1.4(B), 1.4(D)");
        let union = sorted_union(["B6".to_string(), "1.4(D)".into(), "B1".into(), "B6".into()]);
        assert_eq!(render_codes(&union), "B1, 1.4(D), B6");
        let union = sorted_union(["B7(C)".to_string(), "B3 INA".into(), "B3".into()]);
        assert_eq!(union, ["B3", "B3 INA", "B7(C)"]);
    }
}
