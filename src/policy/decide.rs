//! Applying a policy to a document: each paragraph and the SUBJECT line go through the
//! rules in order (first match wins, then the default), and the safety rules are enforced
//! here whatever the YAML says:
//!
//! - **Fail closed.** An unmarked (origin `none`) or unreadable (origin `unknown`) portion is
//!   seen only by rules that name that origin; if none matches, it is withheld.
//! - **Release target.** A portion above the target level is released only by a rule with
//!   `declassify` and an authority (the rule's, or `--authority`, which overrides it);
//!   otherwise it is withheld and the explanation says why.
//! - Unmarked and unreadable portions never match level or control conditions.
//! - **Classified codes on classified portions only.** `derived` and the code set's
//!   classification-based codes (B1, 1.4(x), 25Xn…) resolve only for a portion at C or
//!   above (an unmarked one counts at the document's highest level); elsewhere they give
//!   way to the neutral `REVIEW REQUIRED` marker, never B1. Validation rejects rules that
//!   could do this; the check here covers the default and the fail-closed path.

use super::codes;
use super::model::*;
use super::names;
use super::{
    Action, Context, Decision, Decisions, DeclassAuthority, HeaderAction, HeaderPlan, Policy,
    Redaction, RuleRef,
};
use crate::document::{Date, Document, Field};
use crate::marking::{ControlKind, Level, Marking};
use std::collections::BTreeSet;

/// What the rules see of the document as a whole.
struct Facts<'a> {
    classified: bool,
    /// The level an unmarked portion is assumed to carry: the document's highest.
    level: Level,
    reasons: &'a [char],
    tags: BTreeSet<String>,
    post: Option<&'a str>,
    date: Option<Date>,
    subject: Option<&'a str>,
    decl: Option<Date>,
    as_of: Date,
}

impl<'a> Facts<'a> {
    fn of(doc: &'a Document, ctx: &Context) -> Facts<'a> {
        let h = &doc.header;
        let level = h
            .banner
            .iter()
            .map(|b| b.marking.level)
            .chain(
                doc.paragraphs
                    .iter()
                    .filter_map(|p| known(p.marking.as_ref()))
                    .map(|m| m.level),
            )
            .max()
            .unwrap_or(Level::U);
        Facts {
            classified: doc.is_classified(),
            level,
            reasons: h.classified_by.as_ref().map_or(&[], |c| &c.reasons),
            tags: h.tags.iter().map(|t| t.to_ascii_uppercase()).collect(),
            post: h.origin_post.as_deref(),
            date: h.date,
            subject: h.subject.as_ref().map(|s| s.text.as_str()),
            // The E.O. line's value, else an authority block's `Declassify On`, else a
            // banner's declassification field: memos print theirs in the block.
            decl: doc.declassify().and_then(|d| d.date),
            as_of: ctx.as_of,
        }
    }

    fn passed(&self) -> bool {
        self.decl.is_some_and(|d| d < self.as_of)
    }
}

/// A marking that can be matched: present and readable.
fn known(m: Option<&Marking>) -> Option<&Marking> {
    m.filter(|m| !m.is_unknown())
}

/// One portion being decided: a paragraph or the subject.
struct Portion<'a> {
    part: Part,
    number: Option<u32>,
    marking: Option<&'a Marking>,
    origin: OriginKind,
    text: &'a str,
}

impl Portion<'_> {
    /// The level the release target is checked against: the printed one (a mark with an
    /// unknown token keeps the level it shows; the parser reads an unreadable level as
    /// TS), or for an unmarked portion the document's highest.
    fn level(&self, facts: &Facts) -> Level {
        self.marking.map_or(facts.level, |m| m.level)
    }

    /// Whether classification-based codes may be cited for this portion.
    fn classified(&self, facts: &Facts) -> bool {
        self.level(facts) >= Level::C
    }
}

/// Said in a decision's `why` when classification-based codes gave way.
const NOT_CLASSIFIED: &str = "the codes cited include B1 or an E.O. 13526 citation, which only classified information may carry, and this portion is not classified: withheld as REVIEW REQUIRED for a reviewer to name the exemption";

impl Policy {
    /// The justification the policy attaches to the rule (or default) that decided: the
    /// exemption log prints it.
    pub fn justification<'a>(&'a self, rule: &'a RuleRef) -> Option<&'a str> {
        match rule {
            RuleRef::Rule { index, .. } => self.rules.get(*index)?.justification.as_deref(),
            RuleRef::Default => self.default_justification.as_deref(),
            RuleRef::FailClosed => None,
            RuleRef::Reviewer { reason, .. } => Some(reason),
        }
    }

    /// The code set the policy's codes come from.
    pub fn code_set(&self) -> &super::codeset::CodeSet {
        &self.code_set
    }
}

impl Policy {
    /// Decides every paragraph, the subject and the header of `doc`.
    pub fn decide(&self, doc: &Document, ctx: &Context) -> Decisions {
        let facts = Facts::of(doc, ctx);
        let paragraphs: Vec<Decision> = doc
            .paragraphs
            .iter()
            .map(|p| {
                self.decide_portion(
                    &Portion {
                        part: Part::Paragraph,
                        number: p.number,
                        marking: p.marking.as_ref(),
                        origin: OriginKind::of(p.origin),
                        text: &p.text,
                    },
                    &facts,
                    ctx,
                )
            })
            .collect();
        let subject = doc.header.subject.as_ref().map(|s| {
            self.decide_portion(
                &Portion {
                    part: Part::Subject,
                    number: None,
                    marking: s.marking.as_ref(),
                    origin: OriginKind::of(s.origin),
                    text: &s.text,
                },
                &facts,
                ctx,
            )
        });
        let declassification = paragraphs
            .iter()
            .chain(subject.iter())
            .any(|d| d.declassified)
            .then(|| self.authority(ctx, None))
            .flatten()
            .map(|(authority, from_command_line)| DeclassAuthority {
                authority,
                date: ctx.as_of,
                from_command_line,
            });
        Decisions {
            paragraphs,
            subject,
            header: self.header_plan(doc, &facts),
            show_original_marks: self.release.show_original_marks,
            release_marking: self.release.banner.clone(),
            target: self.release.target,
            declassification,
            stamp_words: self.release.stamp.clone(),
        }
    }

    /// The declassification authority in force: `--authority`, else the rule's, else the
    /// policy's. The flag says whether it came from the command line.
    fn authority(&self, ctx: &Context, rule: Option<&Rule>) -> Option<(String, bool)> {
        if let Some(a) = ctx.authority.as_ref().filter(|a| !a.trim().is_empty()) {
            return Some((a.trim().to_string(), true));
        }
        rule.and_then(|r| r.declassify.clone().flatten())
            .or_else(|| self.authority.clone())
            .map(|a| (a, false))
    }

    fn decide_portion(&self, p: &Portion, facts: &Facts, ctx: &Context) -> Decision {
        for rule in &self.rules {
            if p.origin.needs_naming() && !rule.when.origins().contains(&p.origin) {
                continue;
            }
            if let Some(why) = holds(&rule.when, p, facts) {
                let why = if why.is_empty() {
                    "no conditions".to_string()
                } else {
                    why
                };
                return self.apply(Some(rule), &rule.outcome, why, p, facts, ctx);
            }
        }
        if p.origin.needs_naming() {
            let classified = p.classified(facts);
            let codes = if facts.classified {
                codes::derived(facts.reasons)
            } else {
                match &self.default {
                    Outcome::Withhold { codes } => codes.resolve(facts.reasons, classified).0,
                    Outcome::Release { .. } => {
                        CodeSpec::derived().resolve(facts.reasons, classified).0
                    }
                }
            };
            let what = if p.origin == OriginKind::None {
                "unmarked"
            } else {
                "mark unreadable"
            };
            return Decision {
                action: Action::Withhold { codes },
                rule: RuleRef::FailClosed,
                why: format!(
                    "{what} (origin {}) and no rule names origin {}",
                    p.origin.name(),
                    p.origin.name()
                ),
                redactions: Vec::new(),
                declassified: false,
            };
        }
        self.apply(
            None,
            &self.default,
            "no rule matched".to_string(),
            p,
            facts,
            ctx,
        )
    }

    fn apply(
        &self,
        rule: Option<&Rule>,
        outcome: &Outcome,
        mut why: String,
        p: &Portion,
        facts: &Facts,
        ctx: &Context,
    ) -> Decision {
        let rule_ref = rule.map_or(RuleRef::Default, |r| RuleRef::Rule {
            index: r.index,
            name: r.name.clone(),
        });
        let redact = match outcome {
            Outcome::Withhold { codes } => {
                let (codes, refused) = codes.resolve(facts.reasons, p.classified(facts));
                if refused {
                    why.push_str("; ");
                    why.push_str(NOT_CLASSIFIED);
                }
                return Decision {
                    action: Action::Withhold { codes },
                    rule: rule_ref,
                    why,
                    redactions: Vec::new(),
                    declassified: false,
                };
            }
            Outcome::Release { redact } => redact,
        };
        let level = p.level(facts);
        let target = self.release.target;
        let mut declassified = false;
        if level > target {
            let declassify = rule.is_some_and(|r| r.declassify.is_some());
            match (declassify, self.authority(ctx, rule)) {
                (true, Some((authority, _))) => {
                    declassified = true;
                    why.push_str(&format!(
                        "; level {level} is above the release target {target}: declassified by {authority} on {}",
                        ctx.as_of
                    ));
                }
                (true, None) => {
                    why.push_str(&format!(
                        "; but level {level} is above the release target {target} and no declassification authority was given (set `declassify.authority` or pass --authority): withheld"
                    ));
                    return withhold_above_target(rule_ref, why, facts);
                }
                (false, _) => {
                    let who = rule.map_or("the default".to_string(), |r| {
                        format!("rule {} `{}`", r.index + 1, r.name)
                    });
                    why.push_str(&format!(
                        "; but level {level} is above the release target {target} and {who} has no `declassify`: withheld"
                    ));
                    return withhold_above_target(rule_ref, why, facts);
                }
            }
        }
        Decision {
            action: Action::Release,
            rule: rule_ref,
            why,
            redactions: redactions(redact, p.text, facts.reasons, p.classified(facts)),
            declassified,
        }
    }

    fn header_plan(&self, doc: &Document, facts: &Facts) -> HeaderPlan {
        let h = &self.header;
        let action = |spec: &PartSpec| match &spec.action {
            PartAction::Keep => HeaderAction::Keep,
            PartAction::Strip => HeaderAction::Strip,
            PartAction::Redact(codes) => {
                HeaderAction::Redact(codes.resolve(facts.reasons, facts.classified).0)
            }
        };
        let spans = |spec: &PartSpec, fields: &[Field]| -> Vec<Vec<Redaction>> {
            fields
                .iter()
                .map(|f| match spec.action {
                    PartAction::Keep => {
                        redactions(&spec.redact, &f.text, facts.reasons, facts.classified)
                    }
                    _ => Vec::new(),
                })
                .collect()
        };
        HeaderPlan {
            residue: action(&h.residue),
            routing: action(&h.routing),
            captions: action(&h.captions),
            addressees: action(&h.addressees),
            tags: action(&h.tags),
            refs: action(&h.refs),
            classified_by: action(&h.classified_by),
            eo: action(&h.eo),
            signature: action(&h.signature),
            addressee_redactions: spans(&h.addressees, &doc.header.addressees),
            ref_redactions: spans(&h.refs, &doc.header.refs),
        }
    }
}

fn withhold_above_target(rule: RuleRef, why: String, facts: &Facts) -> Decision {
    Decision {
        action: Action::Withhold {
            codes: codes::derived(facts.reasons),
        },
        rule,
        why,
        redactions: Vec::new(),
        declassified: false,
    }
}

/// The conditions that held, in words, or `None` when one fails.
fn holds(c: &Conditions, p: &Portion, facts: &Facts) -> Option<String> {
    let mut why = Why(String::new());
    if let Some(parts) = &c.part {
        if !parts.contains(&p.part) {
            return None;
        }
        why.add(format_args!("part {}", p.part.name()));
    }
    if c.asks_marking() {
        let m = known(p.marking)?;
        if let Some(l) = &c.level {
            if !l.allowed.contains(&m.level) {
                return None;
            }
            why.add(format_args!("level {} {}", m.level, l.written));
        }
        if let Some(s) = &c.controls {
            let have: BTreeSet<ControlKind> = m.kinds().collect();
            if !s.holds(&have) {
                return None;
            }
            why.add_with(|out| describe_set(out, "controls", &have, s, |k| k.name()));
        }
    }
    if let Some(origins) = &c.origin {
        if !origins.contains(&p.origin) {
            return None;
        }
        why.add(format_args!("origin {}", p.origin.name()));
    }
    if let Some(n) = &c.paragraph {
        let number = p.number.filter(|x| n.holds(*x))?;
        why.add(format_args!("paragraph {number} is {n}"));
    }
    if let Some(t) = &c.tags {
        if !t.holds(&facts.tags) {
            return None;
        }
        why.add_with(|out| describe_set(out, "TAGS", &facts.tags, t, String::as_str));
    }
    if let Some(re) = &c.post {
        let post = facts.post.filter(|s| re.regex.is_match(s))?;
        why.add(format_args!("post {post} matches /{}/", re.source));
    }
    if let Some(range) = &c.date {
        let date = facts.date.filter(|d| range.holds(*d))?;
        why.add(format_args!("document date {date} is in {range}"));
    }
    if let Some(re) = &c.subject {
        facts.subject.filter(|s| re.regex.is_match(s))?;
        why.add(format_args!("subject matches /{}/", re.source));
    }
    if let Some(re) = &c.text {
        if !re.regex.is_match(p.text) {
            return None;
        }
        why.add(format_args!("text matches /{}/", re.source));
    }
    if let Some(want) = c.declassification_passed {
        if facts.passed() != want {
            return None;
        }
        match (facts.decl, want) {
            (Some(d), true) => why.add(format_args!("DECL {d} is before {}", facts.as_of)),
            (Some(d), false) => why.add(format_args!("DECL {d} is not before {}", facts.as_of)),
            (None, _) => why.add(format_args!("no DECL date")),
        }
    }
    Some(why.0)
}

/// The conditions that held, joined with `; ` as they are written: one string, where a
/// `Vec` of one `format!` each and a `join` allocated three times a condition.
struct Why(String);

/// Room for the reasons of a typical rule (a level, controls, a DECL date): reserved at
/// the first reason, so that the string is not grown a few bytes at a time as they are
/// written, and a rule that fails before any reason allocates nothing.
const WHY_ROOM: usize = 128;

impl Why {
    fn add(&mut self, part: std::fmt::Arguments<'_>) {
        use std::fmt::Write;
        self.add_with(|out| {
            let _ = out.write_fmt(part);
        });
    }

    /// [`Why::add`] for a reason `write` appends to the string itself.
    fn add_with(&mut self, write: impl FnOnce(&mut String)) {
        if self.0.is_empty() {
            self.0.reserve(WHY_ROOM);
        } else {
            self.0.push_str("; ");
        }
        write(&mut self.0);
    }
}

/// `{what} {have} ({asked})`: the set the portion has and what the condition asks of it,
/// each list joined with `, ` (or `none`), the asks with `; `. Written into `out` in
/// place, where a `String` a list, a `Vec` of asks and two joins allocated half a dozen
/// times a condition.
fn describe_set<T: Ord>(
    out: &mut String,
    what: &str,
    have: &BTreeSet<T>,
    cond: &SetCond<T>,
    name: impl Fn(&T) -> &str,
) {
    let list = |out: &mut String, s: &BTreeSet<T>| {
        if s.is_empty() {
            out.push_str("none");
        }
        for (k, x) in s.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            out.push_str(name(x));
        }
    };
    out.push_str(what);
    out.push(' ');
    list(out, have);
    out.push_str(" (");
    let mut first = true;
    let mut ask = |out: &mut String, asked: &str, s: &BTreeSet<T>| {
        if !first {
            out.push_str("; ");
        }
        first = false;
        out.push_str(asked);
        out.push(' ');
        list(out, s);
    };
    if let Some(any) = &cond.any_of {
        ask(out, "any of", any);
    }
    if !cond.all_of.is_empty() {
        ask(out, "all of", &cond.all_of);
    }
    if !cond.none_of.is_empty() {
        ask(out, "none of", &cond.none_of);
    }
    if let Some(only) = &cond.only {
        ask(out, "only", only);
    }
    out.push(')');
}

/// The spans the redactors find in `text`: sorted, overlapping spans merged with their
/// codes united, every offset on a character boundary. `classified` says whether the
/// text may carry classification-based codes.
pub fn redactions(
    redactors: &[Redactor],
    text: &str,
    reasons: &[char],
    classified: bool,
) -> Vec<Redaction> {
    let mut found: Vec<Redaction> = Vec::new();
    for r in redactors {
        let codes = r.codes.resolve(reasons, classified).0;
        for m in &r.matchers {
            let spans: Vec<(usize, usize)> = match m {
                Matcher::Terms(re) => re.find_iter(text).map(|m| (m.start(), m.end())).collect(),
                Matcher::Regex(p) => p
                    .regex
                    .captures_iter(text)
                    .filter_map(|c| c.name("redact").or_else(|| c.get(0)))
                    .map(|m| (m.start(), m.end()))
                    .collect(),
                Matcher::Builtin(Builtin::AddresseeNames) => names::addressee_names(text),
            };
            found.extend(
                spans
                    .into_iter()
                    .filter(|(s, e)| s < e)
                    .map(|(start, end)| Redaction {
                        start,
                        end,
                        codes: codes.clone(),
                    }),
            );
        }
    }
    found.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Redaction> = Vec::new();
    for r in found {
        match merged.last_mut() {
            Some(last) if r.start < last.end => {
                last.end = last.end.max(r.end);
                last.codes.extend_from(&r.codes);
            }
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod describe_tests {
    use super::*;

    /// The former `describe_set` (a `String` a list, a `Vec` of asks, two joins): the
    /// reference the in-place writer must equal byte for byte.
    fn reference(what: &str, have: &BTreeSet<String>, cond: &SetCond<String>) -> String {
        let list = |s: &BTreeSet<String>| {
            if s.is_empty() {
                "none".to_string()
            } else {
                s.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
            }
        };
        let mut asked = Vec::new();
        if let Some(any) = &cond.any_of {
            asked.push(format!("any of {}", list(any)));
        }
        if !cond.all_of.is_empty() {
            asked.push(format!("all of {}", list(&cond.all_of)));
        }
        if !cond.none_of.is_empty() {
            asked.push(format!("none of {}", list(&cond.none_of)));
        }
        if let Some(only) = &cond.only {
            asked.push(format!("only {}", list(only)));
        }
        format!("{what} {} ({})", list(have), asked.join("; "))
    }

    #[test]
    fn a_set_is_described_as_the_joined_lists_said() {
        let set = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<BTreeSet<_>>();
        let sets = [set(&[]), set(&["NF"]), set(&["NF", "OC", "REL"])];
        let mut cases = 0;
        for have in &sets {
            for any in [None, Some(&sets[0]), Some(&sets[2])] {
                for all in &sets {
                    for none in &sets[..2] {
                        for only in [None, Some(&sets[1])] {
                            let cond = SetCond {
                                any_of: any.cloned(),
                                all_of: all.clone(),
                                none_of: none.clone(),
                                only: only.cloned(),
                            };
                            let mut out = String::from("level C; ");
                            describe_set(&mut out, "controls", have, &cond, String::as_str);
                            assert_eq!(
                                out,
                                format!("level C; {}", reference("controls", have, &cond)),
                                "{have:?} {any:?} {all:?} {none:?} {only:?}"
                            );
                            cases += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(cases, 108);
    }
}
