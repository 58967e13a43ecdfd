//! Validation stage two: turns the typed raw policy into a [`crate::policy::Policy`] and
//! checks what spans several keys (an action and its codes, rule names, the
//! declassification authority, a default of `release`). Runs only on a tree stage one
//! passed; the rule analysis that follows is [`super::analyse`].

use super::analyse::{analyse, never_matches};
use super::tree::{parse_code, unknown_word};
use super::*;
use crate::document::Date;
use crate::marking::Level;
use crate::policy::Policy;
use crate::policy::codes::{self};
use crate::policy::codeset::{self, CodeSet};
use crate::policy::problem::Problem;
use crate::policy::raw::{self, List, RawPart, RawPolicy, RawRedact};
use crate::policy::yaml::pos;
use regex::RegexBuilder;
use serde_saphyr::Spanned;
use std::collections::{BTreeSet, HashMap};

pub(super) struct Build<'a> {
    pub(super) file: &'a str,
    pub(super) codes: &'a CodeSet,
    pub(super) problems: &'a mut Vec<Problem>,
}

impl Build<'_> {
    pub(super) fn error<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        let p = Problem::error(self.file, pos(&at.referenced), message);
        self.problems.push(p);
    }

    pub(super) fn warning<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        let p = Problem::warning(self.file, pos(&at.referenced), message);
        self.problems.push(p);
    }
}

/// Stage two: the typed raw policy to a [`Policy`], with the checks that span keys.
pub fn build(
    raw: RawPolicy,
    file: &str,
    text: &str,
    codes: CodeSet,
    problems: &mut Vec<Problem>,
) -> Policy {
    let mut b = Build {
        file,
        codes: &codes,
        problems,
    };
    let release = release_spec(&mut b, raw.release);
    let header = header_spec(&mut b, raw.header);
    let mut rules = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for (index, r) in raw.rules.iter().enumerate() {
        let name = r
            .value
            .name
            .clone()
            .unwrap_or_else(|| format!("rule-{}", index + 1));
        if let Some(first) = names.insert(name.clone(), index) {
            b.error(
                r,
                format!(
                    "duplicate rule name `{name}` (also rule {}); explanations name rules, so names must differ",
                    first + 1
                ),
            );
        }
        rules.push(rule(&mut b, index, name, r));
    }
    let authority = common_authority(&mut b, &raw.rules);
    let default = default_outcome(&mut b, &raw.default);
    analyse(&mut b, &raw.rules, &rules);
    for (rule, at) in rules.iter().zip(&raw.rules) {
        if never_matches(&rule.when).is_some() {
            continue; // warned about above; it cites nothing on anything
        }
        if let Some(message) = codeset::classified_codes_problem(rule) {
            let at = at
                .value
                .codes
                .as_ref()
                .map_or(&at.referenced, |c| &c.referenced);
            b.problems.push(Problem::error(file, pos(at), message));
        }
    }
    Policy {
        name: raw.name.value,
        description: raw.description.value,
        version: raw.version.value,
        source: file.to_string(),
        text: text.to_string(),
        sha256: std::sync::OnceLock::new(),
        rules,
        default,
        header,
        release,
        authority,
        default_justification: raw.default.value.justification.clone(),
        code_set: codes,
    }
}

fn release_spec(b: &mut Build, raw: Option<Spanned<raw::RawRelease>>) -> ReleaseSpec {
    let mut spec = ReleaseSpec::default();
    let Some(raw) = raw.map(|r| r.value) else {
        return spec;
    };
    if let Some(level) = raw.target.as_deref().and_then(|t| parse_level(t).ok()) {
        spec.target = level;
        spec.banner = level.title().to_string();
    }
    if let Some(banner) = raw.banner {
        if let Some(level) = banner_level(&banner.value)
            && level < spec.target
        {
            b.warning(
                &banner,
                format!(
                    "the banner `{}` says {}, below the release target {}: a portion up to {} may be released under it; raise the banner or lower `target`",
                    banner.value,
                    level.abbrev(),
                    spec.target.abbrev(),
                    spec.target.abbrev()
                ),
            );
        }
        spec.banner = banner.value;
    }
    if let Some(show) = raw.show_original_marks {
        spec.show_original_marks = show;
    }
    if let Some(size) = raw.withheld_size {
        spec.withheld_size = size;
    }
    if let Some(stamp) = raw.stamp {
        let words = &mut spec.stamp;
        for (slot, value) in [
            (&mut words.full, stamp.full),
            (&mut words.part, stamp.part),
            (&mut words.denied, stamp.denied),
        ] {
            if let Some(v) = value {
                *slot = v;
            }
        }
    }
    spec
}

/// The level a banner states: read as a classification line, else its first word
/// (`UNCLASSIFIED//FOR PUBLIC RELEASE`); `None` when it states none.
fn banner_level(banner: &str) -> Option<Level> {
    if let Some(line) = crate::marking::banner::parse_line(banner) {
        return Some(line.marking.level);
    }
    let head = banner.split("//").next().unwrap_or(banner);
    Level::from_name(head).or_else(|| {
        let first = head.split(|c: char| !c.is_ascii_alphabetic()).next()?;
        Level::from_name(first)
    })
}

fn code_spec(set: &CodeSet, list: &List<String>) -> CodeSpec {
    let mut spec = CodeSpec::default();
    for item in &list.0 {
        match parse_code(set, item) {
            Ok(None) => spec.derived = true,
            Ok(Some(code)) => spec.codes.push(code),
            Err(_) => {} // reported by stage one
        }
    }
    spec.codes.sort();
    spec.codes.dedup();
    spec
}

fn redactors(b: &mut Build, list: &[Spanned<RawRedact>]) -> Vec<Redactor> {
    list.iter()
        .filter_map(|r| match redactor(b.codes, &r.value) {
            Ok(built) => Some(built),
            Err(message) => {
                b.error(r, message);
                None
            }
        })
        .collect()
}

/// One `redact` entry. A matcher that cannot be built is an error, never dropped: a
/// missing matcher would release what the reviewer meant to redact.
pub(super) fn redactor(set: &CodeSet, r: &RawRedact) -> Result<Redactor, String> {
    let mut matchers = Vec::new();
    if let Some(terms) = &r.terms {
        let mut terms: Vec<&str> = terms
            .0
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return Err("`redact` entry: `terms` lists no term".into());
        }
        // Longest first, so that `Tomas Pojar` wins over `Pojar` at the same place.
        terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let alternation: Vec<String> = terms
            .iter()
            .map(|t| {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                let start = if word(t.chars().next()) { r"\b" } else { "" };
                let end = if word(t.chars().last()) { r"\b" } else { "" };
                format!("{start}{}{end}", regex::escape(t))
            })
            .collect();
        let re = RegexBuilder::new(&format!("(?i)(?:{})", alternation.join("|")))
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|_| {
                format!(
                    "`redact` entry: its {} terms make a pattern over the regex size limit; split them over several entries",
                    terms.len()
                )
            })?;
        matchers.push(Matcher::Terms(re));
    }
    if let Some(p) = &r.regex {
        let regex = compile_regex(&p.value).map_err(|(_, m)| m)?;
        matchers.push(Matcher::Regex(Pattern {
            source: p.value.clone(),
            regex,
        }));
    }
    if let Some(name) = &r.builtin {
        let builtin = Builtin::from_name(name)
            .ok_or_else(|| unknown_word(name, &Builtin::NAMES, "builtin matcher"))?;
        matchers.push(Matcher::Builtin(builtin));
    }
    if matchers.is_empty() {
        return Err(
            "`redact` entry needs `terms`, `regex` or `builtin` to find what to redact".into(),
        );
    }
    Ok(Redactor {
        codes: code_spec(set, &r.codes),
        matchers,
    })
}

fn header_spec(b: &mut Build, raw: Option<raw::RawHeader>) -> HeaderSpec {
    let mut spec = HeaderSpec::default();
    let Some(h) = raw else { return spec };
    // Only parts made of free-text fields can have spans redacted inside them.
    let parts = [
        (&mut spec.residue, h.residue, "residue", false),
        (&mut spec.routing, h.routing, "routing", false),
        (&mut spec.captions, h.captions, "captions", false),
        (&mut spec.addressees, h.addressees, "addressees", true),
        (&mut spec.tags, h.tags, "tags", false),
        (&mut spec.refs, h.refs, "refs", true),
        (
            &mut spec.classified_by,
            h.classified_by,
            "classified_by",
            false,
        ),
        (&mut spec.eo, h.eo, "eo", false),
        (&mut spec.signature, h.signature, "signature", false),
    ];
    for (slot, raw, name, spans) in parts {
        if let Some(raw) = raw {
            *slot = part_spec(b, &raw, name, spans);
        }
    }
    spec
}

fn part_spec(b: &mut Build, raw: &Spanned<RawPart>, name: &str, spans: bool) -> PartSpec {
    let (word, codes, redact) = match &raw.value {
        RawPart::Word(w) => (w.as_str(), None, &[][..]),
        RawPart::Full(m) => (m.action.as_str(), m.codes.as_ref(), &m.redact[..]),
    };
    let action = match (word.trim().to_ascii_lowercase().as_str(), codes) {
        ("redact", Some(codes)) => PartAction::Redact(code_spec(b.codes, codes)),
        ("redact", None) => {
            b.error(
                raw,
                format!(
                    "header `{name}`: `redact` needs `codes`, e.g. {{action: redact, codes: [B6]}}"
                ),
            );
            PartAction::Redact(CodeSpec::derived())
        }
        (other, Some(_)) => {
            b.error(
                raw,
                format!("header `{name}`: `codes` apply only to `action: redact`, not `{other}`"),
            );
            PartAction::Keep
        }
        ("strip", None) => PartAction::Strip,
        _ => PartAction::Keep,
    };
    let mut redactors = Vec::new();
    if !redact.is_empty() {
        if !spans {
            b.error(
                raw,
                format!("header `{name}`: spans can be redacted only in `addressees` and `refs`"),
            );
        } else if !matches!(action, PartAction::Keep) {
            b.error(
                raw,
                format!("header `{name}`: `redact` spans apply only to a part that is kept"),
            );
        }
        for r in redact {
            match redactor(b.codes, r) {
                Ok(built) => redactors.push(built),
                Err(message) => b.error(raw, format!("header `{name}`: {message}")),
            }
        }
    }
    PartSpec {
        action,
        redact: redactors,
    }
}

fn rule(b: &mut Build, index: usize, name: String, r: &Spanned<raw::RawRule>) -> Rule {
    let raw = &r.value;
    let when = conditions(b, &raw.when);
    let release = raw.action.value.trim().eq_ignore_ascii_case("release");
    let outcome = outcome(
        b,
        &raw.action,
        raw.codes.as_ref(),
        &raw.redact,
        raw.refer_to.as_ref(),
        "rule",
    );
    let declassify = raw
        .declassify
        .as_ref()
        .map(|d| d.value.authority.clone().filter(|a| !a.trim().is_empty()));
    if let Some(d) = &raw.declassify
        && !release
    {
        b.error(d, "`declassify` applies only to `action: release`");
    }
    Rule {
        index,
        name,
        when,
        outcome,
        declassify,
        justification: raw
            .justification
            .as_ref()
            .map(|j| j.trim().to_string())
            .filter(|j| !j.is_empty()),
    }
}

fn outcome(
    b: &mut Build,
    action: &Spanned<String>,
    codes: Option<&Spanned<List<String>>>,
    redact: &[Spanned<RawRedact>],
    refer_to: Option<&Spanned<String>>,
    what: &str,
) -> Outcome {
    if action.value.trim().eq_ignore_ascii_case("release") {
        if let Some(r) = refer_to {
            b.error(
                r,
                format!("{what}: `refer_to` applies to `action: withhold`; a referred portion is withheld until the other agency answers"),
            );
        }
        if let Some(c) = codes {
            b.error(
                c,
                format!("{what}: `codes` apply to `action: withhold`; a release redacts with `redact` entries, each with its own codes"),
            );
        }
        Outcome::Release {
            redact: redactors(b, redact),
        }
    } else {
        if let Some(r) = redact.first() {
            b.error(
                r,
                format!("{what}: `redact` applies to `action: release`; a withheld portion is withheld whole"),
            );
        }
        let referral = refer_to.and_then(|r| {
            let agency = r.value.trim();
            if agency.is_empty() {
                b.error(r, format!("{what}: `refer_to` names no agency"));
                None
            } else {
                Some(codes::Code::referral(agency))
            }
        });
        let mut codes = match codes {
            Some(c) if !c.value.0.is_empty() => code_spec(b.codes, &c.value),
            None if referral.is_some() => CodeSpec::default(),
            Some(c) => {
                b.error(
                    c,
                    format!("{what}: `withhold` needs at least one exemption code"),
                );
                CodeSpec::derived()
            }
            None => {
                b.error(
                    action,
                    format!("{what}: `withhold` needs `codes`, e.g. [B6] or [derived] (B1 and the document's 1.4 reasons)"),
                );
                CodeSpec::derived()
            }
        };
        if let Some(r) = referral {
            codes.codes.push(r);
            codes.codes.sort();
        }
        Outcome::Withhold { codes }
    }
}

fn default_outcome(b: &mut Build, d: &Spanned<raw::RawDefault>) -> Outcome {
    let out = outcome(
        b,
        &d.value.action,
        d.value.codes.as_ref(),
        &d.value.redact,
        None,
        "default",
    );
    let cited = codeset::classification_codes(&out);
    if !cited.is_empty() {
        let at = d
            .value
            .codes
            .as_ref()
            .map_or(&d.referenced, |c| &c.referenced);
        b.problems.push(Problem::warning(
            b.file,
            pos(at),
            format!(
                "the default cites {}, which only classified information may carry: unclassified portions no rule covers are withheld as REVIEW REQUIRED instead; a rule with `level: {{at_least: C}}` says so openly",
                cited.join(", ")
            ),
        ));
    }
    if matches!(out, Outcome::Release { .. }) {
        b.warning(
            &d.value.action,
            "default is `release`: any portion no rule covers is released; a withhold default is safer",
        );
    }
    out
}

pub(super) fn conditions(b: &mut Build, w: &raw::RawWhen) -> Conditions {
    Conditions {
        part: w
            .part
            .as_ref()
            .map(|l| l.0.iter().filter_map(|p| Part::from_name(p)).collect()),
        level: w.level.as_ref().map(level_cond),
        controls: w
            .controls
            .as_ref()
            .map(|s| set_cond(s, |c| parse_control(c).ok())),
        origin: w.origin.as_ref().map(|l| {
            l.0.iter()
                .filter_map(|o| OriginKind::from_name(o))
                .collect()
        }),
        paragraph: w.paragraph.as_ref().map(|n| {
            let mut c = NumberCond {
                lo: n.at_least.unwrap_or(0),
                hi: n.at_most.unwrap_or(u32::MAX),
                set: n.one_of.as_ref().map(|l| l.0.iter().copied().collect()),
            };
            if let Some(exact) = n.exact {
                let set = c.set.get_or_insert_with(|| [exact].into());
                set.retain(|x| *x == exact);
            }
            c
        }),
        tags: w
            .tags
            .as_ref()
            .map(|s| set_cond(s, |t| Some(t.trim().to_ascii_uppercase()))),
        post: w.post.as_ref().and_then(|p| pattern(b, p)),
        date: w.date.as_ref().map(|d| DateRange {
            from: d.from.as_deref().and_then(|s| Date::parse_iso(s.trim())),
            to: d.to.as_deref().and_then(|s| Date::parse_iso(s.trim())),
        }),
        subject: w.subject.as_ref().and_then(|p| pattern(b, p)),
        text: w.text.as_ref().and_then(|p| pattern(b, p)),
        declassification_passed: w.declassification_passed,
    }
}

/// A condition's regex. Stage one compiled it already; should it fail here, the error
/// is reported rather than the condition dropped, which would widen the rule.
fn pattern(b: &mut Build, p: &Spanned<String>) -> Option<Pattern> {
    match compile_regex(&p.value) {
        Ok(regex) => Some(Pattern {
            source: p.value.clone(),
            regex,
        }),
        Err((_, message)) => {
            b.error(p, message);
            None
        }
    }
}

fn level_cond(l: &raw::RawLevel) -> LevelCond {
    let level = |s: &Option<String>| s.as_deref().and_then(|s| parse_level(s).ok());
    let mut allowed: BTreeSet<Level> = Level::ALL.into_iter().collect();
    let mut written = Vec::new();
    if let Some(e) = level(&l.exact) {
        allowed.retain(|x| *x == e);
        written.push(format!("is {e}"));
    }
    if let Some(lo) = level(&l.at_least) {
        allowed.retain(|x| *x >= lo);
        written.push(format!("is at least {lo}"));
    }
    if let Some(hi) = level(&l.at_most) {
        allowed.retain(|x| *x <= hi);
        written.push(format!("is at most {hi}"));
    }
    if let Some(list) = &l.one_of {
        let set: BTreeSet<Level> = list.0.iter().filter_map(|s| parse_level(s).ok()).collect();
        allowed.retain(|x| set.contains(x));
        let names: Vec<&str> = set.iter().map(|l| l.abbrev()).collect();
        written.push(format!("is one of {}", names.join(", ")));
    }
    LevelCond {
        allowed,
        written: written.join(" and "),
    }
}

fn set_cond<T: Ord>(s: &raw::RawSet, parse: impl Fn(&str) -> Option<T>) -> SetCond<T> {
    let set = |l: &Option<List<String>>| {
        l.as_ref()
            .map(|l| l.0.iter().filter_map(|x| parse(x)).collect::<BTreeSet<T>>())
    };
    SetCond {
        any_of: set(&s.any_of),
        all_of: set(&s.all_of).unwrap_or_default(),
        none_of: set(&s.none_of).unwrap_or_default(),
        only: set(&s.only),
    }
}

/// A release states one declassification authority, so the rules must agree on it.
fn common_authority(b: &mut Build, raw: &[Spanned<raw::RawRule>]) -> Option<String> {
    let mut first: Option<(String, usize)> = None;
    for (i, r) in raw.iter().enumerate() {
        let Some(d) = &r.value.declassify else {
            continue;
        };
        let Some(a) = d.value.authority.as_ref().filter(|a| !a.trim().is_empty()) else {
            continue;
        };
        match &first {
            None => first = Some((a.clone(), i)),
            Some((f, j)) if f != a => b.error(
                d,
                format!(
                    "declassification authority `{a}` differs from `{f}` in rule {}; a release names one authority",
                    j + 1
                ),
            ),
            Some(_) => {}
        }
    }
    first.map(|(a, _)| a)
}
