//! `declass audit --fix`: rewrites legacy and damaged portion marks to their canonical
//! CAPCO form. `text ──fix──▶ (text, Changes)`; the CLI writes the result and the log.
//!
//! Two repairs, both only where a mark stands (line start, after a number, letter, bullet
//! or caption) and only when they are safe:
//! - **legacy** (DCL004): a mark read through a legacy form (`(S/NF)`, `(S-NF)`, `(c)`) is
//!   written in its canonical form (`(S//NF)`, `(C)`). The canonical form is built from the
//!   marking read, and must read back to the same level and controls.
//! - **damaged** (DCL003): a mark that cannot be read, whose control tokens read once the
//!   OCR confusions `0`→`O`, `!`/`Î`/`l`→`I` are undone (`(U//F0U0)` → `(U//FOUO)`). The
//!   level token is never touched, and the repair is made only when exactly one reading
//!   results.
//!
//! A level never changes and no control is added: each rewrite is checked by reading the
//! new mark back. Line ends (`\r\n`) and every other byte are kept. No I/O.

use crate::diagnostic::Code;
use crate::marking::Marking;
use crate::marking::portion::{self, Place};
use regex::Regex;
use std::sync::LazyLock;

/// One rewritten mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// 1-based line.
    pub line: usize,
    /// The mark as printed, parentheses included.
    pub before: String,
    pub after: String,
    /// DCL004 (legacy form) or DCL003 (damaged mark).
    pub rule: Code,
}

/// A mark where marks stand: after blanks and an optional label, bullet or caption.
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(\s*(?:¶?\d{1,2}[.)]|[a-zA-Z][.)]|\(\d{1,2}\)|[•\-*o>▪]|[A-Z][A-Z /&'-]{1,40}:)?\s*)",
        r"(\([^()\n]{1,40}\))"
    ))
    .expect("static regex")
});

/// Fixes every mark of `text`; returns the new text and the changes, in line order.
pub fn fix(text: &str) -> (String, Vec<Change>) {
    let mut out = String::with_capacity(text.len());
    let mut changes = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        match fix_line(line) {
            Some((fixed, before, after, rule)) => {
                out.push_str(&fixed);
                changes.push(Change {
                    line: i + 1,
                    before,
                    after,
                    rule,
                });
            }
            None => out.push_str(line),
        }
    }
    (out, changes)
}

fn fix_line(line: &str) -> Option<(String, String, String, Code)> {
    let c = PLACE.captures(line)?;
    let mark = c.get(2)?;
    let raw = mark.as_str();
    let (after, rule) = repair(raw)?;
    let fixed = format!("{}{after}{}", &line[..mark.start()], &line[mark.end()..]);
    Some((fixed, raw.to_string(), after, rule))
}

/// The canonical or repaired form of the mark `raw`, when a safe one exists.
pub fn repair(raw: &str) -> Option<(String, Code)> {
    // `(CUI)` is the CUI program's own portion mark (32 CFR 2002.20), not a legacy form of
    // `(U//CUI)`: rewriting it would mark a CUI document in the classified scheme.
    if raw.starts_with("(CUI") {
        return None;
    }
    if let Some(read) = portion::parse(raw, Place::LineStart).filter(|m| !m.is_unknown()) {
        if !read.legacy {
            return None;
        }
        let after = format!("({})", read.canonical());
        return (same(&read, &after) && printed_level(raw, &after))
            .then_some((after, Code::LegacyMarking));
    }
    let inner = raw.strip_prefix('(')?.strip_suffix(')')?;
    let (level, rest) = inner.split_once("//")?;
    let folded: String = rest.chars().map(fold).collect();
    if folded == rest {
        return None;
    }
    let candidate = format!("({level}//{folded})");
    let read = portion::parse(&candidate, Place::LineStart)?;
    if read.is_unknown() || !level_is(level, &read) {
        return None;
    }
    let after = if read.legacy {
        format!("({})", read.canonical())
    } else {
        candidate
    };
    same(&read, &after).then_some((after, Code::UnknownMarking))
}

/// Does the printed mark say the level its canonical form writes? Its letters open with
/// the level's (`(SECRET -NOFORN)`, OCR's `(TSIISIIINF)`, spaced `( T S / / S I )`), or,
/// for an unclassified mark that prints no level, the canonical form only adds the `U`
/// before the printed control (`(FOUO)`, `(AIUO)`). Not so for another scheme's mark or
/// a parenthesis of prose the grammar reads as a level (`(NR)`, "no record", read as
/// NATO's C): rewriting it to `(C)` would print a level the document does not show.
fn printed_level(raw: &str, after: &str) -> bool {
    let letters = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    let (printed, canonical) = (letters(raw), letters(after));
    let level = after
        .trim_start_matches('(')
        .split(['/', ')'])
        .next()
        .unwrap_or("");
    printed.starts_with(level) || (level == "U" && canonical.ends_with(&printed))
}

/// OCR confusions inside control tokens.
fn fold(c: char) -> char {
    match c {
        '0' => 'O',
        '!' | 'Î' | 'Ï' | 'ì' | 'í' | '|' => 'I',
        other => other,
    }
}

/// Does the printed level token read as the level of `m`?
fn level_is(token: &str, m: &Marking) -> bool {
    crate::marking::Level::from_name(token) == Some(m.level)
}

/// Does `after` read back as exactly `m`: the same level and the same controls?
fn same(m: &Marking, after: &str) -> bool {
    portion::parse(after, Place::LineStart).is_some_and(|r| {
        !r.is_unknown() && !r.legacy && r.level == m.level && r.controls == m.controls
    })
}

/// A unified diff of the changes (`--dry-run`), three lines of context, `a/` and `b/`
/// paths as `git apply` expects.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    // Fixes replace marks inside lines: the two texts have the same lines, some changed.
    let changed: Vec<usize> = (0..old.len().min(new.len()))
        .filter(|&i| old[i] != new[i])
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    let path = path.trim_start_matches("./").trim_start_matches('/');
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(3);
        let mut end = (changed[k] + 3).min(old.len() - 1);
        let mut group = vec![changed[k]];
        while k + 1 < changed.len() && changed[k + 1] <= end + 4 {
            k += 1;
            group.push(changed[k]);
            end = (changed[k] + 3).min(old.len() - 1);
        }
        let len = end - start + 1;
        out.push_str(&format!(
            "@@ -{},{len} +{},{len} @@\n",
            start + 1,
            start + 1
        ));
        for i in start..=end {
            if group.contains(&i) {
                push_line(&mut out, '-', old[i]);
                push_line(&mut out, '+', new[i]);
            } else {
                push_line(&mut out, ' ', old[i]);
            }
        }
        k += 1;
    }
    out
}

fn push_line(out: &mut String, sign: char, line: &str) {
    out.push(sign);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_and_damaged_marks_become_canonical() {
        let text =
            "SECRET//NOFORN\n\n1. (S/NF) Text.\n\n(U//F0U0) More text.\n   •  (TS//S!//NF) Item.\n";
        let (fixed, changes) = fix(text);
        assert_eq!(
            fixed,
            "SECRET//NOFORN\n\n1. (S//NF) Text.\n\n(U//FOUO) More text.\n   •  (TS//SI//NF) Item.\n"
        );
        let lines: Vec<(usize, Code)> = changes.iter().map(|c| (c.line, c.rule)).collect();
        assert_eq!(
            lines,
            [
                (3, Code::LegacyMarking),
                // The grammar reads OCR's digit-for-letter `F0U0` as FOUO: a legacy
                // spelling, not an unknown mark.
                (5, Code::LegacyMarking),
                (6, Code::UnknownMarking)
            ]
        );
    }

    #[test]
    fn fixing_is_idempotent_and_never_changes_a_level() {
        let text = "(C/NF) a\r\n(S-NF) b\r\n(U//F0U0) c\r\n(TS//SI//NF) d\r\n(X//Q) e\r\n";
        let (once, changes) = fix(text);
        assert!(once.contains("\r\n"), "line ends kept");
        let (twice, again) = fix(&once);
        assert_eq!(once, twice);
        assert!(again.is_empty());
        for c in &changes {
            let before = portion::parse(&c.before, Place::LineStart);
            let after = portion::parse(&c.after, Place::LineStart).expect("mark");
            let printed = c.before[1..].split(['/', '-', ')']).next().unwrap_or("");
            assert_eq!(
                crate::marking::Level::from_name(printed),
                Some(after.level),
                "{c:?}"
            );
            if let Some(before) = before.filter(|b| !b.is_unknown()) {
                assert_eq!(before.level, after.level, "{c:?}");
                assert_eq!(before.controls, after.controls, "{c:?}");
            }
        }
    }

    #[test]
    fn prose_parentheses_and_unreadable_marks_are_left_alone() {
        assert_eq!(repair("(CUI)"), None);
        // `(NR)` ("no record") reads as NATO's C: printing `(C)` would show a level the
        // document does not print.
        assert_eq!(repair("(NR)"), None);
        assert_eq!(
            repair("(AIUO)"),
            Some(("(U//AIUO)".to_string(), Code::LegacyMarking))
        );
        assert_eq!(
            repair("(SECRET -NOFORN)"),
            Some(("(S//NF)".to_string(), Code::LegacyMarking))
        );
        let text = "The talks (in Paris) went well.\n(S//ZZZ) Unknown control.\n(3) Item.\n";
        let (fixed, changes) = fix(text);
        assert_eq!(fixed, text);
        assert!(changes.is_empty());
    }

    #[test]
    fn a_rel_list_gets_its_usa_and_nothing_else() {
        // Every REL TO list is the originator's and starts with USA (MARKINGS.md §1.3
        // `rel = "REL TO USA" {", " CC}`, example 9: `(C/REL LIBYA)` is `REL TO USA,
        // LBY`): USA is no control and releases to no one, so writing it adds nothing.
        for (raw, canonical) in [
            ("(S//REL NATO)", "(S//REL TO USA, NATO)"),
            ("(S/REL TO GBR)", "(S//REL TO USA, GBR)"),
            ("(C//REL TO NATO, USA)", "(C//REL TO USA, NATO)"),
        ] {
            let (after, rule) = repair(raw).expect(raw);
            assert_eq!((after.as_str(), rule), (canonical, Code::LegacyMarking));
            let before = portion::parse(raw, Place::LineStart).expect(raw);
            let read = portion::parse(&after, Place::LineStart).expect(raw);
            assert_eq!(before.controls, read.controls, "{raw}");
            assert_eq!(before.rel_to(), read.rel_to(), "{raw}");
        }
        // A bare REL takes the banner's list: nothing to write.
        assert_eq!(repair("(S//REL)"), None);
        assert_eq!(repair("(S//REL TO USA, NATO)"), None);
    }

    #[test]
    fn the_diff_shows_each_changed_line() {
        let before = "a\nb\n(S/NF) c\nd\n";
        let (after, _) = fix(before);
        let diff = unified_diff("x.txt", before, &after);
        assert_eq!(
            diff,
            "--- a/x.txt\n+++ b/x.txt\n@@ -1,4 +1,4 @@\n a\n b\n-(S/NF) c\n+(S//NF) c\n d\n"
        );
    }
}
