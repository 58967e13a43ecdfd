//! Validation's last pass, run by stage two once the rules are built: warns about rules
//! that can never match, rules an earlier rule shadows (found through an index of
//! candidate earlier rules, so that large policies stay linear), and rules that release
//! unmarked portions.

use super::build::Build;
use super::*;
use crate::marking::Level;
use crate::policy::raw::{self};
use serde_saphyr::Spanned;
use std::collections::{BTreeSet, HashMap};

/// Warns about rules that can never match, rules an earlier rule shadows, and rules that
/// release unmarked portions.
pub(super) fn analyse(b: &mut Build, raw: &[Spanned<raw::RawRule>], rules: &[Rule]) {
    let mut shadows = ShadowIndex::default();
    for (j, rule) in rules.iter().enumerate() {
        let at = &raw[j];
        let earlier = shadows.shadowing(rules, &rule.when);
        shadows.add(j, &rule.when);
        if let Some(why) = never_matches(&rule.when) {
            b.warning(
                at,
                format!("rule {} `{}` can never match: {why}", j + 1, rule.name),
            );
            continue;
        }
        if let Some(earlier) = earlier {
            b.warning(
                at,
                format!(
                    "rule {} `{}` is shadowed by rule {} `{}`, which comes first and matches everything it matches",
                    j + 1,
                    rule.name,
                    earlier.index + 1,
                    earlier.name
                ),
            );
        }
        let unmarked: Vec<&str> = rule
            .when
            .origins()
            .into_iter()
            .filter(|o| o.needs_naming())
            .map(OriginKind::name)
            .collect();
        if matches!(rule.outcome, Outcome::Release { .. }) && !unmarked.is_empty() {
            b.warning(
                at,
                format!(
                    "rule {} `{}` releases portions whose marking is {} (origin {}); a reviewer must have read them",
                    j + 1,
                    rule.name,
                    if unmarked.contains(&"none") { "missing" } else { "unreadable" },
                    unmarked.join(", ")
                ),
            );
        }
    }
}

/// The earlier rules a later one is compared with for shadowing, filed by their three
/// patterns (`text`, `subject`, `post`). A rule can only cover one whose patterns it
/// leaves out or repeats word for word, so a rule looks in the 8 files its own patterns
/// (or their absence) name instead of through every earlier rule: a policy of 20,000
/// distinct `text:` rules checked in 40 s by the pairwise search, and checks in linear
/// time this way. A file of rules with the same patterns is searched up to
/// [`SHADOW_CANDIDATES`] rules, which keeps the worst case (thousands of rules with no
/// pattern at all) linear too; shadowing is a warning, and a shadow beyond that window
/// goes unreported, as others the conservative [`covers`] cannot prove already do.
#[derive(Default)]
pub(super) struct ShadowIndex<'r> {
    files: HashMap<PatternKey<'r>, Vec<usize>>,
}

/// The patterns of a rule, by source text: `text`, `subject`, `post`.
type PatternKey<'r> = [Option<&'r str>; 3];

/// How many earlier rules with the same patterns a rule is compared with.
const SHADOW_CANDIDATES: usize = 64;

impl<'r> ShadowIndex<'r> {
    fn key(c: &Conditions) -> PatternKey<'_> {
        [&c.text, &c.subject, &c.post].map(|p| p.as_ref().map(|p| p.source.as_str()))
    }

    pub(super) fn add(&mut self, index: usize, c: &'r Conditions) {
        let file = self.files.entry(Self::key(c)).or_default();
        if file.len() < SHADOW_CANDIDATES {
            file.push(index);
        }
    }

    /// The first earlier rule (in policy order) found to cover `later`.
    pub(super) fn shadowing<'a>(&self, rules: &'a [Rule], later: &Conditions) -> Option<&'a Rule> {
        let own = Self::key(later);
        let mut first: Option<usize> = None;
        // Each pattern of an earlier rule is absent, or the later rule's own.
        for mask in 0..8u8 {
            let kept = |k: usize| mask & (1 << k) != 0;
            if (0..3).any(|k| kept(k) && own[k].is_none()) {
                continue;
            }
            let key: PatternKey<'_> = [0, 1, 2].map(|k| own[k].filter(|_| kept(k)));
            let Some(file) = self.files.get(&key) else {
                continue;
            };
            if let Some(&i) = file
                .iter()
                .take_while(|&&i| first.is_none_or(|f| i < f))
                .find(|&&i| covers(&rules[i].when, later))
            {
                first = Some(i);
            }
        }
        first.map(|i| &rules[i])
    }
}

pub(super) fn never_matches(c: &Conditions) -> Option<String> {
    if c.part.as_ref().is_some_and(BTreeSet::is_empty) {
        return Some("`part` lists no part".into());
    }
    if c.origin.as_ref().is_some_and(BTreeSet::is_empty) {
        return Some("`origin` lists no origin".into());
    }
    if c.level.as_ref().is_some_and(|l| l.allowed.is_empty()) {
        return Some("its level conditions admit no level".into());
    }
    if c.controls.as_ref().is_some_and(SetCond::impossible) {
        return Some("its control conditions contradict each other".into());
    }
    if c.tags.as_ref().is_some_and(SetCond::impossible) {
        return Some("its TAGS conditions contradict each other".into());
    }
    if c.paragraph.as_ref().is_some_and(NumberCond::impossible) {
        return Some("its paragraph conditions admit no number".into());
    }
    if c.date
        .as_ref()
        .is_some_and(|d| matches!((d.from, d.to), (Some(f), Some(t)) if f > t))
    {
        return Some("its date range ends before it starts".into());
    }
    if c.paragraph.is_some()
        && c.part
            .as_ref()
            .is_some_and(|p| !p.contains(&Part::Paragraph))
    {
        return Some("the subject has no paragraph number".into());
    }
    if c.asks_marking() && c.origins().iter().all(|o| o.needs_naming()) {
        return Some("unmarked and unreadable portions have no level or controls to match".into());
    }
    None
}

/// True when every portion `later` matches is also matched by `earlier` (conservative: a
/// false answer may still be a shadow this check cannot prove).
pub(super) fn covers(earlier: &Conditions, later: &Conditions) -> bool {
    // Without copying the sets: this runs for many pairs of rules in a large policy.
    const BOTH_PARTS: [Part; 2] = [Part::Paragraph, Part::Subject];
    const SEEN: [OriginKind; 2] = [OriginKind::Explicit, OriginKind::Inherited];
    let parts_covered = match (&earlier.part, &later.part) {
        (None, _) => true,
        (Some(e), None) => BOTH_PARTS.iter().all(|p| e.contains(p)),
        (Some(e), Some(l)) => l.is_subset(e),
    };
    let origins_covered = match (&earlier.origin, &later.origin) {
        (None, None) => true,
        (None, Some(l)) => l.iter().all(|o| SEEN.contains(o)),
        (Some(e), None) => SEEN.iter().all(|o| e.contains(o)),
        (Some(e), Some(l)) => l.is_subset(e),
    };
    let marked_only = later
        .origin
        .as_ref()
        .is_none_or(|o| o.iter().all(|o| !o.needs_naming()))
        || later.asks_marking();
    let same_regex = |a: &Option<Pattern>, b: &Option<Pattern>| match (a, b) {
        (None, _) => true,
        (Some(a), Some(b)) => a.source == b.source,
        (Some(_), None) => false,
    };
    parts_covered
        && origins_covered
        && match (&earlier.level, &later.level) {
            (None, _) => true,
            (Some(e), Some(l)) => l.allowed.is_subset(&e.allowed),
            (Some(e), None) => e.allowed.len() == Level::ALL.len() && marked_only,
        }
        && match (&earlier.controls, &later.controls) {
            (None, _) => true,
            (Some(e), Some(l)) => e.covers(l),
            (Some(e), None) => e.is_vacuous() && marked_only,
        }
        && match (&earlier.paragraph, &later.paragraph) {
            (None, _) => true,
            (Some(e), Some(l)) => e.covers(l),
            (Some(_), None) => false,
        }
        && match (&earlier.tags, &later.tags) {
            (None, _) => true,
            (Some(e), Some(l)) => e.covers(l),
            (Some(_), None) => false,
        }
        && match (&earlier.date, &later.date) {
            (None, _) => true,
            (Some(e), Some(l)) => e.covers(l),
            (Some(_), None) => false,
        }
        && same_regex(&earlier.post, &later.post)
        && same_regex(&earlier.subject, &later.subject)
        && same_regex(&earlier.text, &later.text)
        && match (
            earlier.declassification_passed,
            later.declassification_passed,
        ) {
            (None, _) => true,
            (Some(e), Some(l)) => e == l,
            (Some(_), None) => false,
        }
}
