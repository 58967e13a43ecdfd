//! Decisions file text to a validated [`DecisionsFile`], like policies are validated: the
//! text goes through the policy's safe YAML reader (size, depth and alias budgets), then
//! one walk over the located tree collects every problem (unknown or duplicate keys, wrong
//! types, bad digests and dates, codes outside the policy's code set) with its line and
//! column, so the reviewer fixes the file in one round.

use super::{
    Approval, DecisionsFile, DocumentDecisions, PortionDecision, PortionRef, ReviewAction,
    SpanSelector,
};
use crate::document::Date;
use crate::policy::codeset::CodeSet;
use crate::policy::yaml::{self, Node, pos};
use crate::policy::{PolicyError, Problem};
use serde_saphyr::Spanned;

/// The one schema version there is.
const VERSION: i64 = 1;

const TOP_KEYS: &[&str] = &["version", "documents"];
const DOC_KEYS: &[&str] = &["path", "id", "sha256", "decisions"];
const DECISION_KEYS: &[&str] = &[
    "portion",
    "line",
    "text_sha256",
    "action",
    "spans",
    "codes",
    "reviewer",
    "date",
    "reason",
    "authority",
    "approvals",
];
const SPAN_KEYS: &[&str] = &["start", "end", "text"];
const APPROVAL_KEYS: &[&str] = &["reviewer", "date"];

/// Reads and validates a decisions file; `codes` is the policy's code set, which every
/// cited code must belong to. Every problem is reported, in file order.
pub fn load(file: &str, text: &str, codes: &CodeSet) -> Result<DecisionsFile, PolicyError> {
    if text.trim().is_empty() {
        return Ok(DecisionsFile::default());
    }
    let root = yaml::tree(file, text)?;
    let mut w = Walk {
        file,
        codes,
        problems: Vec::new(),
    };
    let out = w.top(&root);
    if w.problems.is_empty() {
        Ok(out)
    } else {
        w.problems.sort_by_key(|p| (p.line, p.column));
        Err(PolicyError::Invalid(w.problems))
    }
}

type Entries<'a> = Vec<(&'a str, &'a Spanned<Node>)>;

struct Walk<'a> {
    file: &'a str,
    codes: &'a CodeSet,
    problems: Vec<Problem>,
}

impl Walk<'_> {
    fn error(&mut self, at: &Spanned<Node>, message: impl Into<String>) {
        self.problems
            .push(Problem::error(self.file, pos(&at.referenced), message));
    }

    /// The entries of a mapping whose keys are all known and unique.
    fn map<'n>(&mut self, node: &'n Spanned<Node>, known: &[&str], what: &str) -> Entries<'n> {
        let Node::Map(entries) = &node.value else {
            self.error(
                node,
                format!("`{what}` must be a mapping; found {}", node.value.kind()),
            );
            return Vec::new();
        };
        let mut out: Entries<'n> = Vec::new();
        for (k, v) in entries {
            let Node::Str(name) = &k.value else {
                self.error(k, format!("keys in `{what}` must be text"));
                continue;
            };
            if !known.contains(&name.as_str()) {
                self.error(
                    k,
                    format!(
                        "unknown key `{name}` in `{what}`; expected one of: {}",
                        known.join(", ")
                    ),
                );
            } else if out.iter().any(|(n, _)| n == name) {
                self.error(k, format!("duplicate key `{name}` in `{what}`"));
            } else {
                out.push((name.as_str(), v));
            }
        }
        out
    }

    fn text(&mut self, node: &Spanned<Node>, key: &str) -> Option<String> {
        match &node.value {
            Node::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Node::Str(_) => {
                self.error(node, format!("`{key}` must not be empty"));
                None
            }
            other => {
                self.error(
                    node,
                    format!("`{key}` must be text; found {}", other.kind()),
                );
                None
            }
        }
    }

    fn count(&mut self, node: &Spanned<Node>, key: &str) -> Option<usize> {
        match &node.value {
            Node::Int(i) if *i >= 0 => Some(*i as usize),
            other => {
                self.error(
                    node,
                    format!(
                        "`{key}` must be a whole number, 0 or more; found {}",
                        other.kind()
                    ),
                );
                None
            }
        }
    }

    fn digest(&mut self, node: &Spanned<Node>, key: &str) -> Option<String> {
        let message = format!("`{key}` must be a SHA-256 in hex (64 digits, in quotes)");
        match &node.value {
            Node::Str(s) if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(s.to_ascii_lowercase())
            }
            _ => {
                self.error(node, message);
                None
            }
        }
    }

    fn date(&mut self, node: &Spanned<Node>, key: &str) -> Option<Date> {
        let s = self.text(node, key)?;
        let d = Date::parse_iso(&s);
        if d.is_none() {
            self.error(
                node,
                format!("`{key}` must be a date YYYY-MM-DD; found `{s}`"),
            );
        }
        d
    }

    fn list<'n>(&mut self, node: &'n Spanned<Node>, key: &str) -> &'n [Spanned<Node>] {
        match &node.value {
            Node::Seq(items) => items,
            Node::Null => &[],
            other => {
                self.error(
                    node,
                    format!("`{key}` must be a list; found {}", other.kind()),
                );
                &[]
            }
        }
    }

    fn missing(&mut self, node: &Spanned<Node>, key: &str, what: &str) {
        self.error(node, format!("`{what}` needs `{key}`"));
    }

    fn top(&mut self, root: &Spanned<Node>) -> DecisionsFile {
        let entries = self.map(root, TOP_KEYS, "decisions file");
        let mut out = DecisionsFile::default();
        let mut version = false;
        for (key, v) in entries {
            match key {
                "version" => {
                    version = true;
                    if !matches!(v.value, Node::Int(VERSION)) {
                        self.error(v, format!("`version` must be {VERSION}"));
                    }
                }
                _ => {
                    for d in self.list(v, "documents") {
                        if let Some(d) = self.document(d) {
                            out.documents.push(d);
                        }
                    }
                }
            }
        }
        if !version && matches!(root.value, Node::Map(_)) {
            self.missing(root, "version", "decisions file");
        }
        out
    }

    fn document(&mut self, node: &Spanned<Node>) -> Option<DocumentDecisions> {
        let entries = self.map(node, DOC_KEYS, "documents[]");
        let (mut path, mut id, mut sha256, mut portions) = (None, None, None, Vec::new());
        for (key, v) in entries {
            match key {
                "path" => path = self.text(v, key),
                "id" => id = self.text(v, key),
                "sha256" => sha256 = Some(self.digest(v, key)),
                _ => {
                    for d in self.list(v, key) {
                        if let Some(d) = self.decision(d) {
                            portions.push(d);
                        }
                    }
                }
            }
        }
        if path.is_none() && id.is_none() {
            self.error(node, "`documents[]` needs `path` or `id`");
        }
        let Some(sha256) = sha256 else {
            self.missing(node, "sha256", "documents[]");
            return None;
        };
        let mut seen: Vec<(usize, &PortionRef)> = Vec::new();
        for p in &portions {
            if seen.contains(&(p.line, &p.portion)) {
                self.problems.push(Problem::error(
                    self.file,
                    p.at,
                    format!(
                        "a second decision for {} (line {}) in the same document",
                        p.label(),
                        p.line
                    ),
                ));
            }
            seen.push((p.line, &p.portion));
        }
        Some(DocumentDecisions {
            path,
            id,
            sha256: sha256?,
            portions,
            at: pos(&node.referenced),
        })
    }

    fn portion_ref(&mut self, v: &Spanned<Node>) -> Option<PortionRef> {
        match &v.value {
            Node::Int(n) if *n >= 0 && *n <= i64::from(u32::MAX) => {
                Some(PortionRef::Paragraph(Some(*n as u32)))
            }
            Node::Str(s) if s == "subject" => Some(PortionRef::Subject),
            Node::Str(s) if s == "unnumbered" => Some(PortionRef::Paragraph(None)),
            other => {
                self.error(
                    v,
                    format!(
                        "`portion` must be a paragraph number, `subject` or `unnumbered`; found {}",
                        other.kind()
                    ),
                );
                None
            }
        }
    }

    fn decision(&mut self, node: &Spanned<Node>) -> Option<PortionDecision> {
        let entries = self.map(node, DECISION_KEYS, "decisions[]");
        let mut portion = None;
        let mut line = None;
        let mut digest = None;
        let mut action = None;
        let mut spans: Option<Vec<SpanSelector>> = None;
        let mut codes = Vec::new();
        let mut codes_at = None;
        let (mut reviewer, mut date, mut reason, mut authority) = (None, None, None, None);
        let mut approvals = Vec::new();
        let mut ok = true;
        for (key, v) in entries {
            match key {
                "portion" => portion = self.portion_ref(v),
                "line" => line = self.count(v, key).filter(|l| *l > 0),
                "text_sha256" => digest = self.digest(v, key),
                "action" => {
                    action = match v.value.text().as_deref() {
                        Some(a @ ("release" | "withhold" | "redact")) => Some(a.to_string()),
                        _ => {
                            self.error(v, "`action` must be one of: release, withhold, redact");
                            None
                        }
                    }
                }
                "spans" => {
                    let list = self.list(v, key);
                    spans = Some(list.iter().filter_map(|s| self.span(s)).collect());
                }
                "codes" => {
                    codes_at = Some(v);
                    for c in self.list(v, key) {
                        let Some(text) = self.text(c, "codes[]") else {
                            ok = false;
                            continue;
                        };
                        match self.codes.lookup(&text) {
                            Ok(code) => codes.push(code.as_str().to_string()),
                            Err(message) => {
                                ok = false;
                                self.error(c, message);
                            }
                        }
                    }
                }
                "reviewer" => reviewer = self.text(v, key),
                "date" => date = self.date(v, key),
                "reason" => reason = self.text(v, key),
                "authority" => authority = self.text(v, key),
                _ => {
                    for a in self.list(v, key) {
                        if let Some(a) = self.approval(a) {
                            approvals.push(a);
                        }
                    }
                }
            }
        }
        for (key, present) in [
            ("portion", portion.is_some()),
            ("line", line.is_some()),
            ("text_sha256", digest.is_some()),
            ("action", action.is_some()),
            ("reviewer", reviewer.is_some()),
            ("date", date.is_some()),
            ("reason", reason.is_some()),
        ] {
            if !present && !self.has_key(node, key) {
                self.missing(node, key, "decisions[]");
            }
        }
        let action = match (action.as_deref(), spans) {
            (Some("redact"), Some(s)) if !s.is_empty() => Some(ReviewAction::Redact(s)),
            (Some("redact"), _) => {
                self.error(node, "`action: redact` needs `spans` (at least one)");
                None
            }
            (Some(_), Some(_)) => {
                self.error(node, "`spans` go with `action: redact` only");
                None
            }
            (Some("release"), None) => Some(ReviewAction::Release),
            (Some(_), None) => Some(ReviewAction::Withhold),
            (None, _) => None,
        };
        match (&action, codes.is_empty(), codes_at) {
            (Some(ReviewAction::Release), false, Some(at)) => {
                self.error(
                    at,
                    "`codes` go with `withhold` and `redact`; a release cites none",
                );
                ok = false;
            }
            (Some(ReviewAction::Withhold | ReviewAction::Redact(_)), true, _) if ok => {
                self.error(
                    node,
                    "a withholding or redaction needs `codes` (at least one)",
                );
                ok = false;
            }
            _ => {}
        }
        Some(PortionDecision {
            portion: portion?,
            line: line?,
            text_sha256: digest?,
            action: action?,
            codes: ok.then_some(codes)?,
            reviewer: reviewer?,
            date: date?,
            reason: reason?,
            authority,
            approvals,
            at: pos(&node.referenced),
        })
    }

    /// Whether a mapping has the key at all (its value was already reported if bad).
    fn has_key(&self, node: &Spanned<Node>, key: &str) -> bool {
        matches!(&node.value, Node::Map(e) if e.iter().any(|(k, _)| matches!(&k.value, Node::Str(s) if s == key)))
    }

    fn span(&mut self, node: &Spanned<Node>) -> Option<SpanSelector> {
        let entries = self.map(node, SPAN_KEYS, "spans[]");
        let (mut start, mut end, mut text) = (None, None, None);
        for (key, v) in entries {
            match key {
                "start" => start = self.count(v, key),
                "end" => end = self.count(v, key),
                _ => text = self.text(v, key),
            }
        }
        match (start, end, text) {
            (Some(start), Some(end), None) if start < end => {
                Some(SpanSelector::Offsets { start, end })
            }
            (None, None, Some(t)) => Some(SpanSelector::Text(t)),
            (Some(_), Some(_), None) => {
                self.error(node, "a span's `start` must be before its `end`");
                None
            }
            _ => {
                if matches!(node.value, Node::Map(_)) {
                    self.error(
                        node,
                        "a span is `start` and `end` (character offsets) or `text`",
                    );
                }
                None
            }
        }
    }

    fn approval(&mut self, node: &Spanned<Node>) -> Option<Approval> {
        let entries = self.map(node, APPROVAL_KEYS, "approvals[]");
        let (mut reviewer, mut date) = (None, None);
        for (key, v) in entries {
            match key {
                "reviewer" => reviewer = self.text(v, key),
                _ => date = self.date(v, key),
            }
        }
        if reviewer.is_none() && !self.has_key(node, "reviewer") {
            self.missing(node, "reviewer", "approvals[]");
        }
        if date.is_none() && !self.has_key(node, "date") {
            self.missing(node, "date", "approvals[]");
        }
        Some(Approval {
            reviewer: reviewer?,
            date: date?,
        })
    }
}
