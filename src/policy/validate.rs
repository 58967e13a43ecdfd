//! Validation in two stages, each collecting every problem it finds with its line and
//! column.
//!
//! 1. [`check_tree`] walks the located YAML tree against the schema table of
//!    [`super::raw`]: unknown keys (with "did you mean"), duplicate keys, missing keys,
//!    wrong types, and every scalar value: levels, controls, origins, exemption codes,
//!    dates, actions and regexes (compiled, with the position of a syntax error).
//! 2. [`build`] turns the typed raw policy into a [`Policy`] and checks what spans
//!    several keys: an action and its codes, rule names, the declassification authority,
//!    rules that can never match or are shadowed by an earlier rule, a default of
//!    `release`.
//!
//! Stage two runs only on a tree stage one passed, so that its findings are never echoes
//! of a stage-one error.

use super::Policy;
use super::codes::{self, Code};
use super::codeset::{self, CodeSet};
use super::model::*;
use super::problem::Problem;
use super::raw::{self, Field, List, RawPart, RawPolicy, RawRedact, Shape, Vocab};
use super::suggest::did_you_mean;
use super::yaml::{Node, pos, position_in_scalar};
use crate::document::Date;
use crate::marking::{ControlKind, Level};
use regex::{Regex, RegexBuilder};
use serde_saphyr::Spanned;
use std::collections::{BTreeSet, HashMap};

/// Policies with more rules than this are refused: loading and deciding are linear in
/// the number of rules, and a release tries each rule on each portion in turn.
pub const MAX_RULES: usize = 20_000;
/// Regex sources longer than this are refused.
pub const MAX_REGEX_BYTES: usize = 10 * 1024;
/// Compiled regex programs larger than this are refused.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

// ───────────────────────────── stage one ─────────────────────────────

struct Walk<'a> {
    file: &'a str,
    text: &'a str,
    codes: &'a CodeSet,
    problems: &'a mut Vec<Problem>,
}

/// Stage one: checks the tree against the schema, value by value; exemption codes
/// against the policy's code set.
pub fn check_tree(
    file: &str,
    text: &str,
    root: &Spanned<Node>,
    codes: &CodeSet,
    problems: &mut Vec<Problem>,
) {
    let mut walk = Walk {
        file,
        text,
        codes,
        problems,
    };
    if !matches!(root.value, Node::Map(_)) {
        walk.error(
            root,
            format!(
                "a policy is a YAML mapping with `name`, `description`, `version`, `rules` and `default`; found {}",
                root.value.kind()
            ),
        );
        return;
    }
    if let Node::Map(entries) = &root.value
        && let Some((
            key,
            Spanned {
                value: Node::Seq(rules),
                ..
            },
        )) = entries
            .iter()
            .find(|(k, _)| k.value.text().as_deref() == Some("rules"))
        && rules.len() > MAX_RULES
    {
        walk.error(
            key,
            format!(
                "`rules` lists {} rules, over the limit of {MAX_RULES}; refused",
                rules.len()
            ),
        );
        return;
    }
    walk.node(root, Shape::Map(raw::POLICY), "policy");
}

impl Walk<'_> {
    fn error(&mut self, at: &Spanned<Node>, message: impl Into<String>) {
        let p = Problem::error(self.file, pos(&at.referenced), message);
        self.problems.push(p);
    }

    fn node(&mut self, node: &Spanned<Node>, shape: Shape, key: &str) {
        match (shape, &node.value) {
            (_, Node::Null) => self.error(
                node,
                format!("`{key}` has no value; expected {}", expected(shape)),
            ),
            (Shape::Map(fields), Node::Map(entries)) => self.map(node, entries, fields, key),
            (Shape::WordOrMap(_, fields), Node::Map(entries)) => {
                self.map(node, entries, fields, key)
            }
            (Shape::WordOrMap(vocab, _), _) => self.node(node, Shape::Value(vocab), key),
            (Shape::Seq(inner), Node::Seq(items)) | (Shape::List(inner), Node::Seq(items)) => {
                for item in items {
                    self.node(item, *inner, key);
                }
            }
            (Shape::List(inner), Node::Map(_)) => self.error(
                node,
                format!(
                    "`{key}` expects {} or a list of them; found a mapping",
                    expected(*inner)
                ),
            ),
            (Shape::List(inner), _) => self.node(node, *inner, key),
            (Shape::Text, Node::Map(_) | Node::Seq(_))
            | (Shape::Value(_), Node::Map(_) | Node::Seq(_))
            | (Shape::Seq(_) | Shape::Map(_), _) => self.error(
                node,
                format!(
                    "`{key}` expects {}; found {}",
                    expected(shape),
                    node.value.kind()
                ),
            ),
            (Shape::Text, _) => {}
            (Shape::Int, Node::Int(i)) if u32::try_from(*i).is_ok() => {}
            (Shape::Int, _) => self.error(
                node,
                format!(
                    "`{key}` expects a whole number ≥ 0; found {}",
                    node.value
                        .text()
                        .unwrap_or_else(|| node.value.kind().into())
                ),
            ),
            (Shape::Bool, Node::Bool(_)) => {}
            (Shape::Bool, _) => self.error(
                node,
                format!("`{key}` expects true or false; found {}", node.value.kind()),
            ),
            (Shape::Value(vocab), scalar) => {
                let text = scalar.text().unwrap_or_default();
                if let Err((at, message)) = self.value(vocab, &text, node) {
                    self.problems.push(Problem::error(
                        self.file,
                        at,
                        format!("`{key}`: {message}"),
                    ));
                }
            }
        }
    }

    fn map(
        &mut self,
        node: &Spanned<Node>,
        entries: &[(Spanned<Node>, Spanned<Node>)],
        fields: &[Field],
        key: &str,
    ) {
        let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
        // A misspelt key is reported once, as unknown, not also as the key it misses.
        let mut suggested = Vec::new();
        for (k, v) in entries {
            let Some(name) = k.value.text() else {
                self.error(
                    k,
                    format!("keys in `{key}` are words; found {}", k.value.kind()),
                );
                continue;
            };
            if let Some((line, column)) = seen.get(&name) {
                self.error(
                    k,
                    format!(
                        "duplicate key `{name}` in `{key}` (first at line {line}, column {column})"
                    ),
                );
                continue;
            }
            seen.insert(name.clone(), pos(&k.referenced));
            match fields.iter().find(|f| f.key == name) {
                Some(field) => self.node(v, field.shape, field.key),
                None => {
                    let suggestion = did_you_mean(&name, fields.iter().map(|f| f.key));
                    suggested.extend(suggestion);
                    let hint =
                        suggestion.map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                    let known: Vec<&str> = fields.iter().map(|f| f.key).collect();
                    self.error(
                        k,
                        format!(
                            "unknown key `{name}` in `{key}`{hint}; expected one of: {}",
                            known.join(", ")
                        ),
                    );
                }
            }
        }
        for field in fields.iter().filter(|f| f.required) {
            if !seen.contains_key(field.key) && !suggested.contains(&field.key) {
                self.error(
                    node,
                    format!("`{key}` is missing required key `{}`", field.key),
                );
            }
        }
    }

    /// Checks one scalar against its vocabulary; on failure, where and why.
    fn value(
        &self,
        vocab: Vocab,
        text: &str,
        node: &Spanned<Node>,
    ) -> Result<(), ((usize, usize), String)> {
        let at = pos(&node.referenced);
        let fail = |m: String| Err((at, m));
        match vocab {
            Vocab::Version => match text.trim() {
                "1" => Ok(()),
                v => fail(format!(
                    "unsupported schema version `{v}`; this declass reads version 1"
                )),
            },
            Vocab::Level => parse_level(text).map(|_| ()).map_err(|m| (at, m)),
            Vocab::Control => parse_control(text).map(|_| ()).map_err(|m| (at, m)),
            Vocab::Origin => one_of(text, &OriginKind::NAMES, "origin")
                .map(|_| ())
                .map_err(|m| (at, m)),
            Vocab::Part => Part::from_name(text)
                .map(|_| ())
                .ok_or_else(|| (at, unknown_word(text, &["paragraph", "subject"], "part"))),
            Vocab::Code => parse_code(self.codes, text)
                .map(|_| ())
                .map_err(|m| (at, m)),
            Vocab::Date => Date::parse_iso(text.trim()).map(|_| ()).ok_or_else(|| {
                (
                    at,
                    format!("`{text}` is not a date; write YYYY-MM-DD, e.g. 2007-05-02"),
                )
            }),
            Vocab::Action => one_of(text, &["release", "withhold"], "action")
                .map(|_| ())
                .map_err(|m| (at, m)),
            Vocab::PartAction => one_of(text, &["keep", "strip", "redact"], "header action")
                .map(|_| ())
                .map_err(|m| (at, m)),
            Vocab::Builtin => Builtin::from_name(text)
                .map(|_| ())
                .ok_or_else(|| (at, unknown_word(text, &Builtin::NAMES, "builtin matcher"))),
            Vocab::Line => match text.char_indices().find(|(_, c)| c.is_control()) {
                None => Ok(()),
                Some((i, c)) => {
                    let index = text[..i].chars().count();
                    let at = position_in_scalar(self.text, &node.referenced, index);
                    Err((
                        at,
                        format!(
                            "holds the control character U+{:04X}; it is printed as one line of the release, which a newline or tab would break",
                            u32::from(c)
                        ),
                    ))
                }
            },
            Vocab::Regex => match compile_regex(text) {
                Ok(_) => Ok(()),
                Err((index, message)) => {
                    let at =
                        index.map_or(at, |i| position_in_scalar(self.text, &node.referenced, i));
                    Err((at, message))
                }
            },
        }
    }
}

/// What a shape expects, in words.
fn expected(shape: Shape) -> String {
    match shape {
        Shape::Text => "text".into(),
        Shape::Int => "a whole number".into(),
        Shape::Bool => "true or false".into(),
        Shape::Value(v) => vocab_name(v).into(),
        Shape::List(inner) => format!("{} or a list of them", expected(*inner)),
        Shape::Seq(inner) => format!("a list of {}", expected(*inner)),
        Shape::Map(fields) => {
            let keys: Vec<&str> = fields.iter().map(|f| f.key).collect();
            format!("a mapping with keys {}", keys.join(", "))
        }
        Shape::WordOrMap(v, _) => format!("{} or a mapping with `action`", vocab_name(v)),
    }
}

fn vocab_name(v: Vocab) -> &'static str {
    match v {
        Vocab::Version => "the schema version (1)",
        Vocab::Level => "a level (U, C, S, TS)",
        Vocab::Control => "a control (NOFORN, SBU, REL TO, EXDIS…)",
        Vocab::Origin => "an origin (explicit, inherited, none, unknown)",
        Vocab::Part => "a part (paragraph, subject)",
        Vocab::Code => "an exemption code of the code set (B1…B9, B7(A)…, `derived`, `review`)",
        Vocab::Regex => "a regex",
        Vocab::Date => "a date (YYYY-MM-DD)",
        Vocab::Action => "an action (release, withhold)",
        Vocab::PartAction => "a header action (keep, strip, redact)",
        Vocab::Builtin => "a builtin matcher (addressee-names)",
        Vocab::Line => "one line of text",
    }
}

fn unknown_word(text: &str, known: &[&str], what: &str) -> String {
    let hint = did_you_mean(text.trim(), known.iter().copied())
        .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
    format!(
        "unknown {what} `{}`{hint}; expected one of: {}",
        text.trim(),
        known.join(", ")
    )
}

fn one_of<'k>(text: &str, known: &[&'k str], what: &str) -> Result<&'k str, String> {
    let t = text.trim().to_ascii_lowercase();
    known
        .iter()
        .find(|k| **k == t)
        .copied()
        .ok_or_else(|| unknown_word(text, known, what))
}

pub fn parse_level(text: &str) -> Result<Level, String> {
    if let Some(level) = Level::from_name(text) {
        return Ok(level);
    }
    if let Some(kind) = ControlKind::from_name(text) {
        return Err(format!(
            "`{}` is a control, not a level; write `level: {{exact: U}}` with `controls: {{any_of: [{}]}}`",
            text.trim(),
            kind.name()
        ));
    }
    let names = [
        "U",
        "C",
        "S",
        "TS",
        "UNCLASSIFIED",
        "CONFIDENTIAL",
        "SECRET",
        "TOP SECRET",
    ];
    let hint = did_you_mean(&text.trim().to_ascii_uppercase(), names)
        .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
    Err(format!(
        "unknown level `{}`{hint}; levels are U, C, S, TS",
        text.trim()
    ))
}

pub fn parse_control(text: &str) -> Result<ControlKind, String> {
    if let Some(kind) = ControlKind::from_name(text) {
        return Ok(kind);
    }
    if Level::from_name(text).is_some() {
        return Err(format!(
            "`{}` is a level, not a control; put it under `level`",
            text.trim()
        ));
    }
    let names: Vec<&str> = ControlKind::ALL.iter().map(|k| k.name()).collect();
    let hint = did_you_mean(&text.trim().to_ascii_uppercase(), names.iter().copied())
        .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
    Err(format!(
        "unknown control `{}`{hint}; controls are {}",
        text.trim(),
        names.join(", ")
    ))
}

/// A code of the set, the word `review` (the REVIEW REQUIRED marker), or `None` for the
/// word `derived`.
fn parse_code(set: &CodeSet, text: &str) -> Result<Option<Code>, String> {
    let word = text.trim();
    if word.eq_ignore_ascii_case(codes::DERIVED) {
        return Ok(None);
    }
    if word.eq_ignore_ascii_case(codes::REVIEW) {
        return Ok(Some(Code::review()));
    }
    set.lookup(text).map(Some)
}

/// Compiles a policy regex under the size limits. On failure: the character index in
/// the pattern where the syntax error is, when known, and a message.
pub fn compile_regex(pattern: &str) -> Result<Regex, (Option<usize>, String)> {
    if pattern.len() > MAX_REGEX_BYTES {
        return Err((
            None,
            format!(
                "regex is {} bytes, over the {MAX_REGEX_BYTES}-byte limit",
                pattern.len()
            ),
        ));
    }
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::Syntax(s) => {
                let index = caret_index(&s, pattern);
                let what = s
                    .lines()
                    .rev()
                    .find_map(|l| l.strip_prefix("error: "))
                    .unwrap_or("syntax error")
                    .to_string();
                let at = index.map_or(String::new(), |i| {
                    format!(" at character {} of the pattern", i + 1)
                });
                (index, format!("invalid regex `{pattern}`: {what}{at}"))
            }
            regex::Error::CompiledTooBig(limit) => (
                None,
                format!("regex `{pattern}` compiles to more than {limit} bytes; simplify it"),
            ),
            other => (None, format!("invalid regex `{pattern}`: {other}")),
        })
}

/// The regex crate prints a one-line pattern indented by four spaces with a caret line
/// under it; the caret's offset is the character index of the error.
fn caret_index(message: &str, pattern: &str) -> Option<usize> {
    if pattern.contains('\n') {
        return None;
    }
    let lines: Vec<&str> = message.lines().collect();
    let caret = lines
        .iter()
        .position(|l| l.contains('^') && l.chars().all(|c| c == ' ' || c == '^'))?;
    let column = lines[caret].chars().position(|c| c == '^')?;
    column.checked_sub(4)
}

// ───────────────────────────── stage two ─────────────────────────────

struct Build<'a> {
    file: &'a str,
    codes: &'a CodeSet,
    problems: &'a mut Vec<Problem>,
}

impl Build<'_> {
    fn error<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        let p = Problem::error(self.file, pos(&at.referenced), message);
        self.problems.push(p);
    }

    fn warning<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
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
fn redactor(set: &CodeSet, r: &RawRedact) -> Result<Redactor, String> {
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

fn conditions(b: &mut Build, w: &raw::RawWhen) -> Conditions {
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

// ─────────────────────── never-match and shadowing ───────────────────────

/// Warns about rules that can never match, rules an earlier rule shadows, and rules that
/// release unmarked portions.
fn analyse(b: &mut Build, raw: &[Spanned<raw::RawRule>], rules: &[Rule]) {
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
struct ShadowIndex<'r> {
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

    fn add(&mut self, index: usize, c: &'r Conditions) {
        let file = self.files.entry(Self::key(c)).or_default();
        if file.len() < SHADOW_CANDIDATES {
            file.push(index);
        }
    }

    /// The first earlier rule (in policy order) found to cover `later`.
    fn shadowing<'a>(&self, rules: &'a [Rule], later: &Conditions) -> Option<&'a Rule> {
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

fn never_matches(c: &Conditions) -> Option<String> {
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
fn covers(earlier: &Conditions, later: &Conditions) -> bool {
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

#[cfg(test)]
mod tests;
