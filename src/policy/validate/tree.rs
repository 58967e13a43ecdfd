//! Validation stage one: walks the located YAML tree against the schema table of
//! [`crate::policy::raw`] and checks every key and scalar value (levels, controls,
//! origins, exemption codes, dates, actions, regexes), collecting each problem with its
//! line and column. Its parsers of single values are shared with stage two.

use super::*;
use crate::document::Date;
use crate::marking::{ControlKind, Level};
use crate::policy::codes::{self, Code};
use crate::policy::codeset::CodeSet;
use crate::policy::problem::Problem;
use crate::policy::raw::{self, Field, Shape, Vocab};
use crate::policy::suggest::did_you_mean;
use crate::policy::yaml::{Node, pos, position_in_scalar};
use regex::{Regex, RegexBuilder};
use serde_saphyr::Spanned;
use std::collections::HashMap;

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

pub(super) fn unknown_word(text: &str, known: &[&str], what: &str) -> String {
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
pub(super) fn parse_code(set: &CodeSet, text: &str) -> Result<Option<Code>, String> {
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
