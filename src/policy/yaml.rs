//! Policy text to YAML, safely: the size limit, the nesting and alias budgets, and the
//! mapping of every parser refusal to a located [`PolicyError`]. Produces either a located
//! [`Node`] tree (stage one of validation reads it: it keeps duplicate keys so that all of
//! them can be reported) or the typed raw policy (stage two).

use super::problem::{PolicyError, Problem};
use serde::de::{Deserialize, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{DuplicateKeyPolicy, Error as YamlError, Location, MergeKeyPolicy, Spanned};
use std::fmt;

/// Policy files larger than this are refused unread: a real policy is a few kilobytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Nesting deeper than this is refused. A policy needs six levels; each level costs the
/// deserializer tens of kilobytes of stack in a debug build, so 64 could overflow a 2 MiB
/// worker thread: 16 leaves a wide margin on any thread.
pub const MAX_DEPTH: usize = 16;

/// A located YAML value. Mappings keep their entries in order, duplicates included.
#[derive(Clone, Debug)]
pub enum Node {
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
    Seq(Vec<Spanned<Node>>),
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl Node {
    /// What the node is, in words, for "expected X, found Y".
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Map(_) => "a mapping",
            Node::Seq(_) => "a list",
            Node::Null => "nothing (null)",
            Node::Bool(_) => "true/false",
            Node::Int(_) | Node::Float(_) => "a number",
            Node::Str(_) => "text",
        }
    }

    /// The text of a non-null scalar, as the typed stage will read it into a string.
    pub fn text(&self) -> Option<String> {
        match self {
            Node::Str(s) => Some(s.clone()),
            Node::Int(i) => Some(i.to_string()),
            Node::Float(f) => Some(f.to_string()),
            Node::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(i64::try_from(v).map_or(Node::Str(v.to_string()), Node::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Str(v))
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<Node>>()? {
                    items.push(item);
                }
                Ok(Node::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<Node>>()? {
                    let value = map.next_value::<Spanned<Node>>()?;
                    entries.push((key, value));
                }
                Ok(Node::Map(entries))
            }
        }
        d.deserialize_any(NodeVisitor)
    }
}

/// 1-based line and column of a location.
pub fn pos(loc: &Location) -> (usize, usize) {
    (loc.line() as usize, loc.column() as usize)
}

/// Parser options: strict YAML 1.2 booleans (so `NO` stays Norway), no merge keys, one
/// document, and budgets sized for a policy, far below the library defaults.
fn options(duplicates: DuplicateKeyPolicy) -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_documents: 1,
            // Room for MAX_RULES short rules (about 13 events and 10 nodes each) within
            // the MAX_BYTES a file may have.
            max_events: 1_000_000,
            max_nodes: 500_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_recorded_anchor_events: 20_000,
            max_recorded_anchor_bytes: MAX_BYTES,
            max_total_scalar_bytes: 4 * MAX_BYTES,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 20_000,
            max_replay_stack_depth: 16,
        },
        duplicate_keys: duplicates,
        merge_keys: MergeKeyPolicy::Error,
        strict_booleans: true,
        with_snippet: false,
    }
}

fn check_size(file: &str, text: &str) -> Result<(), PolicyError> {
    if text.len() > MAX_BYTES {
        return Err(PolicyError::TooLarge {
            file: file.to_string(),
            bytes: text.len(),
            limit: MAX_BYTES,
        });
    }
    Ok(())
}

/// Parses the text into a located tree, duplicate keys kept.
pub fn tree(file: &str, text: &str) -> Result<Spanned<Node>, PolicyError> {
    check_size(file, text)?;
    serde_saphyr::from_str_with_options(text, options(DuplicateKeyPolicy::PassThrough))
        .map_err(|e| refusal(file, &e))
}

/// Parses the text into the typed raw policy.
pub fn typed<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, PolicyError> {
    check_size(file, text)?;
    serde_saphyr::from_str_with_options(text, options(DuplicateKeyPolicy::Error))
        .map_err(|e| refusal(file, &e))
}

/// Maps a parser error to the refusal the user sees: a located message without the
/// parser's own location suffix.
fn refusal(file: &str, e: &YamlError) -> PolicyError {
    // The use site of an alias is where the user can act; the inner error says what broke.
    let (line, column) = e.location().map_or((1, 1), |l| pos(&l));
    let mut e = e.without_snippet();
    while let YamlError::AliasError { error, .. } | YamlError::WithSnippet { error, .. } = e {
        e = error;
    }
    let file = file.to_string();
    let expansion = |message: &str| PolicyError::Expansion {
        file: file.clone(),
        line,
        column,
        message: format!("{message}; refused"),
    };
    match e {
        YamlError::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => PolicyError::TooDeep {
                file,
                line,
                column,
                limit: MAX_DEPTH,
            },
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => {
                expansion("YAML aliases expand beyond the limit (an alias bomb?)")
            }
            BudgetBreach::Documents { .. } => PolicyError::Invalid(vec![Problem::error(
                &file,
                (line, column),
                "a policy file holds one YAML document; found a second (`---`)",
            )]),
            _ => expansion("YAML file has more nodes or text than any policy needs"),
        },
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => {
            expansion("YAML aliases expand beyond the limit (an alias bomb?)")
        }
        other => {
            let text = other.to_string();
            // The parser's flow-collection guard reports deep nesting this way.
            if text.contains("recursion limit exceeded") || text.contains("nesting limit") {
                return PolicyError::TooDeep {
                    file,
                    line,
                    column,
                    limit: MAX_DEPTH,
                };
            }
            let message = match text.find(" at line ") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            PolicyError::Invalid(vec![Problem::error(
                &file,
                (line, column),
                format!("YAML: {message}"),
            )])
        }
    }
}

/// Where the character `index` of a scalar's value sits in the file, for pointing at a
/// position inside a regex. Follows plain, single-quoted and double-quoted scalars on one
/// line; anything else (a block scalar, a value folded over lines) points at the scalar.
pub fn position_in_scalar(text: &str, at: &Location, index: usize) -> (usize, usize) {
    let start = pos(at);
    let Some(offset) = at.span().byte_offset().map(|o| o as usize) else {
        return start;
    };
    let Some(source) = text.get(offset..) else {
        return start;
    };
    let mut chars = source.chars().peekable();
    let quote = match chars.peek() {
        Some('\'') | Some('"') => chars.next(),
        Some('|') | Some('>') => return start,
        _ => None,
    };
    let mut column = start.1 + usize::from(quote.is_some());
    let mut decoded = 0;
    while decoded < index {
        let Some(c) = chars.next() else {
            return start;
        };
        let width = match (quote, c) {
            (_, '\n') => return start,
            (Some('\''), '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
                2
            }
            (Some('"'), '\\') => {
                let escape = chars.next();
                let extra = match escape {
                    Some('x') => 2,
                    Some('u') => 4,
                    Some('U') => 8,
                    _ => 0,
                };
                for _ in 0..extra {
                    chars.next();
                }
                2 + extra
            }
            _ => 1,
        };
        column += width;
        decoded += 1;
    }
    (start.0, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_keys(node: &Node) -> Vec<String> {
        match node {
            Node::Map(entries) => entries.iter().filter_map(|(k, _)| k.value.text()).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn tree_keeps_duplicates_and_locations() {
        let t = tree("t.yaml", "a: 1\nb: x\na: 2\n").unwrap();
        assert_eq!(map_keys(&t.value), ["a", "b", "a"]);
        let Node::Map(entries) = &t.value else {
            panic!()
        };
        assert_eq!(pos(&entries[2].0.referenced), (3, 1));
        assert_eq!(pos(&entries[1].1.referenced), (2, 4));
    }

    #[test]
    fn strict_booleans_keep_country_codes() {
        let t = tree("t.yaml", "tags: [NO, yes, true]\n").unwrap();
        let Node::Map(entries) = &t.value else {
            panic!()
        };
        let Node::Seq(items) = &entries[0].1.value else {
            panic!()
        };
        assert!(matches!(items[0].value, Node::Str(ref s) if s == "NO"));
        assert!(matches!(items[1].value, Node::Str(_)));
        assert!(matches!(items[2].value, Node::Bool(true)));
    }

    #[test]
    fn refusals_are_located() {
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(
            tree("d.yaml", &deep),
            Err(PolicyError::TooDeep { line: 1, .. })
        ));
        let big = "#".repeat(MAX_BYTES + 1);
        assert!(matches!(
            tree("b.yaml", &big),
            Err(PolicyError::TooLarge { .. })
        ));
        match tree("s.yaml", "a: [1, 2\nb: c\n") {
            Err(PolicyError::Invalid(p)) => {
                assert_eq!((p[0].line, p[0].column), (2, 2));
                assert!(p[0].message.starts_with("YAML: "), "{}", p[0].message);
                assert!(!p[0].message.contains(" at line "), "{}", p[0].message);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            tree("m.yaml", "a: &a {x: 1}\nb:\n  <<: *a\n"),
            Err(PolicyError::Invalid(_))
        ));
        assert!(matches!(
            tree("two.yaml", "a: 1\n---\nb: 2\n"),
            Err(PolicyError::Invalid(_))
        ));
    }

    #[test]
    fn positions_inside_scalars() {
        let text = "p: ab(c\nq: 'x''(y'\nr: \"\\\\d(z\"\n";
        let t = tree("t.yaml", text).unwrap();
        let Node::Map(e) = &t.value else { panic!() };
        // Plain: `(` is character 2 of `ab(c`, at column 6.
        assert_eq!(position_in_scalar(text, &e[0].1.referenced, 2), (1, 6));
        // Single-quoted: value `x'(y`, `(` is character 2; source `'x''(y'`.
        assert_eq!(position_in_scalar(text, &e[1].1.referenced, 2), (2, 8));
        // Double-quoted: value `\d(z`, `(` is character 2; source `"\\d(z"`.
        assert_eq!(position_in_scalar(text, &e[2].1.referenced, 2), (3, 8));
    }
}
