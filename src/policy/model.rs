//! The validated policy's parts: rules with typed conditions, outcomes, redactors and the
//! header and release settings. Built by [`super::validate`], read by [`super::decide`].

use super::codes::{self, Code, Codes};
use crate::document::Date;
use crate::marking::{ControlKind, Level};
use regex::Regex;
use std::collections::BTreeSet;
use std::fmt;

/// Which portion of a document a rule looks at: the body's paragraphs or the SUBJECT line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Paragraph,
    Subject,
}

impl Part {
    pub fn from_name(s: &str) -> Option<Part> {
        match s.trim().to_ascii_lowercase().as_str() {
            "paragraph" | "paragraphs" => Some(Part::Paragraph),
            "subject" => Some(Part::Subject),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Part::Paragraph => "paragraph",
            Part::Subject => "subject",
        }
    }
}

/// Where a portion's marking came from, without the payload of [`crate::document::Origin`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OriginKind {
    Explicit,
    Inherited,
    None,
    Unknown,
}

impl OriginKind {
    pub const NAMES: [&'static str; 4] = ["explicit", "inherited", "none", "unknown"];

    pub fn from_name(s: &str) -> Option<OriginKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "explicit" => Some(OriginKind::Explicit),
            "inherited" => Some(OriginKind::Inherited),
            "none" => Some(OriginKind::None),
            "unknown" => Some(OriginKind::Unknown),
            _ => None,
        }
    }

    pub fn of(origin: crate::document::Origin) -> OriginKind {
        use crate::document::Origin;
        match origin {
            Origin::Explicit => OriginKind::Explicit,
            Origin::Inherited(_) => OriginKind::Inherited,
            Origin::None => OriginKind::None,
            Origin::Unknown => OriginKind::Unknown,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Unmarked and unreadable portions: a rule sees them only when it names them.
    pub fn needs_naming(self) -> bool {
        matches!(self, OriginKind::None | OriginKind::Unknown)
    }
}

/// A compiled regex with the text it was written as.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub source: String,
    pub regex: Regex,
}

/// Which levels a `level` condition admits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelCond {
    pub allowed: BTreeSet<Level>,
    /// How the policy wrote it, for explanations: `at least C`, `one of U, C`.
    pub written: String,
}

/// A condition on a set of names (controls, TAGS). Absent parts do not constrain;
/// `only: []` means "none at all".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetCond<T: Ord> {
    pub any_of: Option<BTreeSet<T>>,
    pub all_of: BTreeSet<T>,
    pub none_of: BTreeSet<T>,
    pub only: Option<BTreeSet<T>>,
}

impl<T: Ord + Clone> SetCond<T> {
    pub fn holds(&self, have: &BTreeSet<T>) -> bool {
        self.any_of
            .as_ref()
            .is_none_or(|a| a.iter().any(|x| have.contains(x)))
            && self.all_of.iter().all(|x| have.contains(x))
            && !self.none_of.iter().any(|x| have.contains(x))
            && self
                .only
                .as_ref()
                .is_none_or(|o| have.iter().all(|x| o.contains(x)))
    }

    /// True when the condition constrains nothing.
    pub fn is_vacuous(&self) -> bool {
        self.any_of.is_none()
            && self.all_of.is_empty()
            && self.none_of.is_empty()
            && self.only.is_none()
    }

    /// True when no set can satisfy the condition.
    pub fn impossible(&self) -> bool {
        let any_blocked = self.any_of.as_ref().is_some_and(|a| {
            a.iter().all(|x| {
                self.none_of.contains(x) || self.only.as_ref().is_some_and(|o| !o.contains(x))
            })
        });
        let all_blocked = self.all_of.iter().any(|x| {
            self.none_of.contains(x) || self.only.as_ref().is_some_and(|o| !o.contains(x))
        });
        any_blocked || all_blocked
    }

    /// True when every set that satisfies `narrower` also satisfies `self`.
    pub fn covers(&self, narrower: &SetCond<T>) -> bool {
        let excluded = |x: &T| {
            narrower.none_of.contains(x) || narrower.only.as_ref().is_some_and(|o| !o.contains(x))
        };
        let any_ok = self.any_of.as_ref().is_none_or(|a| {
            narrower.all_of.iter().any(|x| a.contains(x))
                || narrower
                    .any_of
                    .as_ref()
                    .is_some_and(|b| b.iter().all(|x| a.contains(x) || excluded(x)))
        });
        let all_ok = self.all_of.iter().all(|x| narrower.all_of.contains(x));
        let none_ok = self.none_of.iter().all(excluded);
        let only_ok = self.only.as_ref().is_none_or(|o| {
            narrower
                .only
                .as_ref()
                .is_some_and(|p| p.iter().all(|x| o.contains(x) || excluded(x)))
        });
        any_ok && all_ok && none_ok && only_ok
    }
}

/// Which paragraph numbers a `paragraph` condition admits: `lo..=hi`, and in `set` if given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberCond {
    pub lo: u32,
    pub hi: u32,
    pub set: Option<BTreeSet<u32>>,
}

impl NumberCond {
    pub fn holds(&self, n: u32) -> bool {
        (self.lo..=self.hi).contains(&n) && self.set.as_ref().is_none_or(|s| s.contains(&n))
    }

    pub fn impossible(&self) -> bool {
        self.lo > self.hi
            || self
                .set
                .as_ref()
                .is_some_and(|s| !s.iter().any(|n| (self.lo..=self.hi).contains(n)))
    }

    pub fn covers(&self, narrower: &NumberCond) -> bool {
        match &narrower.set {
            Some(s) => s
                .iter()
                .filter(|n| (narrower.lo..=narrower.hi).contains(n))
                .all(|n| self.holds(*n)),
            None => self.set.is_none() && self.lo <= narrower.lo && narrower.hi <= self.hi,
        }
    }
}

impl fmt::Display for NumberCond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(set) = &self.set {
            let list: Vec<String> = set.iter().map(u32::to_string).collect();
            parts.push(format!("one of {}", list.join(", ")));
        }
        if self.lo > 0 {
            parts.push(format!("at least {}", self.lo));
        }
        if self.hi < u32::MAX {
            parts.push(format!("at most {}", self.hi));
        }
        f.write_str(&parts.join(" and "))
    }
}

/// An inclusive document-date range; an open end is unbounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl DateRange {
    pub fn holds(&self, d: Date) -> bool {
        self.from.is_none_or(|f| f <= d) && self.to.is_none_or(|t| d <= t)
    }

    pub fn covers(&self, narrower: &DateRange) -> bool {
        let from_ok = match (self.from, narrower.from) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a <= b,
        };
        let to_ok = match (self.to, narrower.to) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => b <= a,
        };
        from_ok && to_ok
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |d: Option<Date>| d.map_or("…".to_string(), |d| d.to_string());
        write!(f, "{}..{}", show(self.from), show(self.to))
    }
}

/// Everything a rule's `when` asks; every condition given must hold.
#[derive(Clone, Debug, Default)]
pub struct Conditions {
    pub part: Option<BTreeSet<Part>>,
    pub level: Option<LevelCond>,
    pub controls: Option<SetCond<ControlKind>>,
    pub origin: Option<BTreeSet<OriginKind>>,
    pub paragraph: Option<NumberCond>,
    pub tags: Option<SetCond<String>>,
    pub post: Option<Pattern>,
    pub date: Option<DateRange>,
    pub subject: Option<Pattern>,
    pub text: Option<Pattern>,
    pub declassification_passed: Option<bool>,
}

impl Conditions {
    /// The origins the rule can see: the ones it names, or explicit and inherited, since
    /// unmarked and unreadable portions are seen only by rules that name them.
    pub fn origins(&self) -> BTreeSet<OriginKind> {
        self.origin
            .clone()
            .unwrap_or_else(|| [OriginKind::Explicit, OriginKind::Inherited].into())
    }

    /// True when the rule asks about the marking (level or controls), which unmarked
    /// portions never satisfy.
    pub fn asks_marking(&self) -> bool {
        self.level.is_some() || self.controls.is_some()
    }
}

/// Exemption codes as a policy lists them: codes of its code set (referral markers
/// included), plus `derived` (B1 and the document's 1.4 reasons).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeSpec {
    pub codes: Vec<Code>,
    pub derived: bool,
}

impl CodeSpec {
    pub fn derived() -> CodeSpec {
        CodeSpec {
            codes: Vec::new(),
            derived: true,
        }
    }

    /// The codes for a portion of a document whose Classified By line gives `reasons`.
    /// Classification-based codes (`derived`, B1, 1.4(x), 25Xn…) apply only when the
    /// portion is `classified`; otherwise they give way to the neutral `REVIEW REQUIRED`
    /// marker, and the second value says so.
    pub fn resolve(&self, reasons: &[char], classified: bool) -> (Codes, bool) {
        let mut all = Vec::new();
        let mut refused = false;
        for c in &self.codes {
            if c.is_classified() && !classified {
                refused = true;
            } else {
                all.push(c.clone());
            }
        }
        if self.derived {
            if classified {
                all.extend(codes::derived(reasons).iter().cloned());
            } else {
                refused = true;
            }
        }
        if refused {
            all.push(Code::review());
        }
        (all.into_iter().collect(), refused)
    }
}

/// A named matcher built into the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// Personal names after `FOR` in addressee lines (`EUR/NCE FOR ERIC FICHTE`).
    AddresseeNames,
}

impl Builtin {
    pub const NAMES: [&'static str; 1] = ["addressee-names"];

    pub fn from_name(s: &str) -> Option<Builtin> {
        match s.trim().to_ascii_lowercase().as_str() {
            "addressee-names" => Some(Builtin::AddresseeNames),
            _ => None,
        }
    }
}

/// What finds the spans to redact.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// Case-insensitive whole-word terms, compiled into one regex.
    Terms(Regex),
    /// A regex; when it has a group named `redact`, only that group is redacted.
    Regex(Pattern),
    Builtin(Builtin),
}

/// One `redact` entry: its matchers and the codes its spans are replaced by.
#[derive(Clone, Debug)]
pub struct Redactor {
    pub codes: CodeSpec,
    pub matchers: Vec<Matcher>,
}

/// What a rule or the default does with a portion.
#[derive(Clone, Debug)]
pub enum Outcome {
    Release { redact: Vec<Redactor> },
    Withhold { codes: CodeSpec },
}

/// One rule, in policy order.
#[derive(Clone, Debug)]
pub struct Rule {
    /// 0-based position in `rules`.
    pub index: usize,
    pub name: String,
    pub when: Conditions,
    pub outcome: Outcome,
    /// Set when the rule may release above the target; holds the authority it names.
    pub declassify: Option<Option<String>>,
    /// Why the rule withholds or redacts, in the policy's words: the exemption log's
    /// justification column.
    pub justification: Option<String>,
}

/// What happens to one header part.
#[derive(Clone, Debug)]
pub enum PartAction {
    Keep,
    Strip,
    Redact(CodeSpec),
}

#[derive(Clone, Debug)]
pub struct PartSpec {
    pub action: PartAction,
    pub redact: Vec<Redactor>,
}

impl Default for PartSpec {
    fn default() -> Self {
        PartSpec {
            action: PartAction::Keep,
            redact: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct HeaderSpec {
    pub residue: PartSpec,
    pub routing: PartSpec,
    pub captions: PartSpec,
    pub addressees: PartSpec,
    pub tags: PartSpec,
    pub refs: PartSpec,
    pub classified_by: PartSpec,
    pub eo: PartSpec,
    pub signature: PartSpec,
}

/// The page stamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StampKind {
    Full,
    Part,
    Denied,
}

/// The words of the page stamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StampWords {
    pub full: String,
    pub part: String,
    pub denied: String,
}

impl Default for StampWords {
    fn default() -> Self {
        StampWords {
            full: "RELEASE IN FULL".into(),
            part: "RELEASE IN PART".into(),
            denied: "DENIED IN FULL".into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ReleaseSpec {
    pub target: Level,
    pub banner: String,
    pub show_original_marks: bool,
    /// Whether the manifest gives the size (characters, line span) of withheld portions.
    pub withheld_size: bool,
    pub stamp: StampWords,
}

impl Default for ReleaseSpec {
    fn default() -> Self {
        ReleaseSpec {
            target: Level::U,
            banner: Level::U.title().to_string(),
            show_original_marks: true,
            withheld_size: false,
            stamp: StampWords::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(xs: &[&str]) -> BTreeSet<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn set_conditions() {
        let c = SetCond {
            any_of: Some(set(&["A", "B"])),
            none_of: set(&["C"]),
            ..SetCond::default()
        };
        assert!(c.holds(&set(&["A"])));
        assert!(!c.holds(&set(&["A", "C"])));
        assert!(!c.holds(&set(&[])));
        let only_none = SetCond::<String> {
            only: Some(BTreeSet::new()),
            ..SetCond::default()
        };
        assert!(only_none.holds(&set(&[])) && !only_none.holds(&set(&["A"])));
        let impossible = SetCond {
            all_of: set(&["A"]),
            none_of: set(&["A"]),
            ..SetCond::default()
        };
        assert!(impossible.impossible());
    }

    #[test]
    fn set_coverage() {
        let broad = SetCond::<String> {
            none_of: set(&["NF"]),
            ..SetCond::default()
        };
        let narrow = SetCond {
            only: Some(set(&["SBU"])),
            ..SetCond::default()
        };
        assert!(broad.covers(&narrow));
        assert!(!narrow.covers(&broad));
    }

    #[test]
    fn numbers_and_dates() {
        let n = NumberCond {
            lo: 2,
            hi: 5,
            set: None,
        };
        let m = NumberCond {
            lo: 0,
            hi: u32::MAX,
            set: Some([3, 4].into()),
        };
        assert!(n.covers(&m) && !m.covers(&n));
        assert!(
            NumberCond {
                lo: 5,
                hi: 2,
                set: None
            }
            .impossible()
        );
        let d = |y, m, dd| Date::new(y, m, dd).unwrap();
        let r = DateRange {
            from: Some(d(2007, 1, 1)),
            to: None,
        };
        assert!(r.holds(d(2007, 1, 1)) && !r.holds(d(2006, 12, 31)));
        assert_eq!(r.to_string(), "2007-01-01..…");
    }
}
