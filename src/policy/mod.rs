//! The policy stage: the reviewer's decision table, written in YAML, loaded, validated and
//! applied to a [`Document`](crate::document::Document) to give [`Decisions`].
//!
//! ```text
//! YAML text ──yaml──▶ located tree ──validate (stage 1: keys, types, values)──┐
//!           └─yaml──▶ raw serde types ──validate (stage 2: cross-key checks)──┴─▶ Policy
//! Policy + Document + Context ──decide──▶ Decisions (one per paragraph, the subject, the header)
//! ```
//!
//! A policy names itself (`name`, `description`, `version: 1`), lists ordered `rules` (the
//! first whose `when` conditions all hold decides) and a `default`. A rule releases
//! (optionally redacting spans, each replaced by its exemption codes) or withholds with
//! codes, given (`[B6]`) or `derived` from the document (`B1, 1.4(B), 1.4(D)`), or
//! refers them to another agency (`refer_to: CIA`, printed `REFER TO CIA`). Codes come
//! from the policy's code set ([`codeset`]): `policy check` rejects any other, and rejects
//! a rule citing `derived` or another classification-based code (B1, 1.4(x), 25Xn…)
//! unless its `level` is C and above; at run time an unclassified portion never gets
//! them (it is withheld as `REVIEW REQUIRED`). The
//! `header` section says what happens to each header part; `release` sets the target
//! level, the banner, the stamp words and whether withheld paragraphs keep their mark.
//! The shipped policies in `policies/` document every key line by line; in short:
//!
//! ```yaml
//! name: foia-release                      # required
//! description: One line for `policy list` # required
//! version: 1                              # required: the schema version
//! code_set: foia                          # built-in code set (default) or a code set file
//! extra_codes:                            # agency codes added to the set
//!   - {code: B3 50 USC 3024(i), summary: "intelligence sources and methods"}
//! release:                                # all optional
//!   target: U                             # highest level a release may carry (default U)
//!   banner: UNCLASSIFIED                  # default: the target's title
//!   show_original_marks: true             # withheld paragraphs keep their mark (default)
//!   withheld_size: false                  # manifests give withheld sizes (default: no)
//!   stamp: {full: RELEASE IN FULL, part: RELEASE IN PART, denied: DENIED IN FULL}
//! header:                                 # each part: keep (default) | strip | {action: redact, codes: [..]}
//!   residue: strip                        # also: routing, captions, tags, classified_by, eo, signature
//!   addressees:                           # addressees and refs may redact spans in kept lines
//!     action: keep
//!     redact: [{codes: [B6], builtin: addressee-names}]
//! rules:                                  # first match wins
//!   - name: example                       # optional (default rule-N); names must differ
//!     when:                               # all must hold; every key optional
//!       part: [paragraph, subject]
//!       level: {exact: C, at_least: C, at_most: S, one_of: [C, S]}
//!       controls: {any_of: [NOFORN], all_of: [NF], none_of: [SBU], only: [NOFORN, EXDIS]}
//!       origin: [explicit, inherited, none, unknown]  # default: explicit, inherited
//!       paragraph: {exact: 2, at_least: 1, at_most: 9, one_of: [2, 3]}
//!       tags: {any_of: [PREL], all_of: [EZ], none_of: [KNNP], only: [PREL, EZ]}
//!       post: 'PRAGUE$'                   # regex on the originating post
//!       date: {from: 2007-01-01, to: 2007-12-31}  # document date, inclusive
//!       subject: '(?i)missile'            # regex on the SUBJECT text
//!       text: '\bPojar\b'                 # regex on the portion's text
//!       declassification_passed: true     # DECL date before --as-of
//!     action: release                     # or withhold
//!     redact:                             # release only; each span replaced by its codes
//!       - {codes: [B6], terms: [Tomas Pojar], regex: '(?P<redact>Lt\. Gen\. \w+)', builtin: addressee-names}
//!     declassify: {authority: "NAME, TITLE"}  # release only; may release above the target
//!   - name: privacy
//!     when: {text: '(?i)passport', level: {at_least: C}}
//!     action: withhold
//!     codes: [B6, derived]                # withhold only; derived = B1 + the 1.4 reasons
//!     justification: "Passport numbers of private persons"  # printed in the exemption log
//!   - name: liaison
//!     when: {controls: {any_of: [ORCON]}}
//!     action: withhold
//!     refer_to: CIA                       # withheld as `REFER TO CIA` (codes optional)
//! default: {action: withhold, codes: [review]}  # required; review = REVIEW REQUIRED
//! ```
//!
//! Safety does not depend on the YAML: unmarked and unreadable portions are withheld unless
//! a rule names their origin, and a portion above the release target is released only by
//! a rule that declassifies it with a named authority. Loading refuses oversized, deeply
//! nested and alias-bomb files with a located message, never a hang. No I/O here: the CLI
//! reads files and the clock.

pub mod codes;
pub mod codeset;
mod decide;
pub mod explain;
mod model;
mod names;
mod problem;
mod raw;
mod shipped;
mod suggest;
mod validate;
pub(crate) mod yaml;

pub use codes::{Codes, render_codes};
pub use model::{StampKind, StampWords};
pub use problem::{PolicyError, Problem, ProblemSeverity};
pub use shipped::{DEFAULT_POLICY, shipped_sources, source as shipped_source};
pub use validate::MAX_RULES;
pub use yaml::{MAX_BYTES, MAX_DEPTH};

use crate::document::Date;
use crate::marking::Level;
use model::{HeaderSpec, Outcome, ReleaseSpec, Rule};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::OnceLock;

/// Policy text with the name it is reported under: a file path, or `builtin:NAME`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicySource {
    pub name: String,
    pub text: String,
}

impl PolicySource {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> PolicySource {
        PolicySource {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// A validated policy, ready to decide documents.
#[derive(Clone, Debug)]
pub struct Policy {
    pub name: String,
    pub description: String,
    /// The schema version the file declares.
    pub version: u32,
    /// Where it was loaded from (`policies/foia-release.yaml`, `builtin:foia-release`).
    pub source: String,
    text: String,
    /// The SHA-256 of `text` in hex, computed on first use: a release batch names it in
    /// every manifest, and hashing the policy again per document cost 3 % of a release.
    sha256: OnceLock<String>,
    rules: Vec<Rule>,
    default: Outcome,
    header: HeaderSpec,
    release: ReleaseSpec,
    /// The declassification authority the rules name (they must agree).
    authority: Option<String>,
    /// The default's `justification`, for the exemption log.
    default_justification: Option<String>,
    /// The codes this policy may cite.
    code_set: codeset::CodeSet,
}

/// What `decide` needs from outside the document: "today" and who declassifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The date the `declassification_passed` condition compares DECL dates with.
    pub as_of: Date,
    /// `--authority`: overrides the authority a policy names.
    pub authority: Option<String>,
}

impl Context {
    pub fn new(as_of: Date) -> Context {
        Context {
            as_of,
            authority: None,
        }
    }
}

/// What the policy decided for one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decisions {
    /// One per `doc.paragraphs[i]`, same order.
    pub paragraphs: Vec<Decision>,
    /// The SUBJECT line, decided like a paragraph by its own marking.
    pub subject: Option<Decision>,
    pub header: HeaderPlan,
    /// Whether withheld paragraphs keep their original portion mark.
    pub show_original_marks: bool,
    /// The banner of the release, e.g. `UNCLASSIFIED`.
    pub release_marking: String,
    /// The highest level the release may carry.
    pub target: Level,
    /// Set when a portion above the target was released: who declassified it, on which
    /// date (`as_of`). The release prints it (32 CFR 2001.25).
    pub declassification: Option<DeclassAuthority>,
    /// The stamp's words (`RELEASE IN FULL`, `RELEASE IN PART`, `DENIED IN FULL`).
    pub stamp_words: StampWords,
}

/// The decision for one portion (a paragraph or the subject).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub action: Action,
    pub rule: RuleRef,
    /// Which conditions held, and any safety rule that changed the outcome.
    pub why: String,
    /// Spans to redact in a released portion's text.
    pub redactions: Vec<Redaction>,
    /// Released above the target under the declassification authority.
    pub declassified: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Release,
    /// The codes cited, e.g. `B1, 1.4(B), 1.4(D)`.
    Withhold {
        codes: Codes,
    },
}

impl Action {
    pub fn is_release(&self) -> bool {
        matches!(self, Action::Release)
    }
}

/// Which part of the policy decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleRef {
    /// `rules[index]` (0-based), with its name.
    Rule {
        index: usize,
        name: String,
    },
    Default,
    /// The built-in fail-closed rule for unmarked and unreadable portions.
    FailClosed,
    /// A reviewer's decision from a decisions file (`crate::decisions`), with its reason.
    Reviewer {
        name: String,
        reason: String,
    },
}

impl RuleRef {
    /// The reviewer who decided, when it was not the policy.
    pub fn reviewer(&self) -> Option<&str> {
        match self {
            RuleRef::Reviewer { name, .. } => Some(name),
            _ => None,
        }
    }
}

impl RuleRef {
    /// The `Display` text, made in one allocation of its size: every manifest entry names
    /// its rule, and `to_string` grew the string a few bytes at a time (three reallocations
    /// a rule).
    pub fn text(&self) -> String {
        use fmt::Write;
        match self {
            RuleRef::Rule { index, name } => {
                // "rule " + at most 20 digits + " `" + name + "`".
                let mut s = String::with_capacity(name.len() + 28);
                let _ = write!(s, "rule {} `", index + 1);
                s.push_str(name);
                s.push('`');
                s
            }
            RuleRef::Default => "default".to_string(),
            RuleRef::FailClosed => "fail closed".to_string(),
            RuleRef::Reviewer { name, .. } => ["reviewer ", name].concat(),
        }
    }
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleRef::Rule { index, name } => write!(f, "rule {} `{name}`", index + 1),
            RuleRef::Default => f.write_str("default"),
            RuleRef::FailClosed => f.write_str("fail closed"),
            RuleRef::Reviewer { name, .. } => write!(f, "reviewer {name}"),
        }
    }
}

/// A span to redact: byte offsets into the portion's text (`Paragraph.text`,
/// `Subject.text`, or an addressee or REF `Field.text`), on character boundaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redaction {
    pub start: usize,
    pub end: usize,
    pub codes: Codes,
}

/// What happens to one header part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderAction {
    Keep,
    /// Left out of the release without a trace (routing noise, database residue).
    Strip,
    /// Replaced by these codes.
    Redact(Codes),
}

/// The plan for every header part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderPlan {
    pub residue: HeaderAction,
    pub routing: HeaderAction,
    pub captions: HeaderAction,
    pub addressees: HeaderAction,
    pub tags: HeaderAction,
    pub refs: HeaderAction,
    pub classified_by: HeaderAction,
    pub eo: HeaderAction,
    pub signature: HeaderAction,
    /// Spans to redact in each kept `doc.header.addressees[i].text`, same order.
    pub addressee_redactions: Vec<Vec<Redaction>>,
    /// Spans to redact in each kept `doc.header.refs[i].text`, same order.
    pub ref_redactions: Vec<Vec<Redaction>>,
}

impl HeaderPlan {
    /// Each part with its name, in header order.
    pub fn parts(&self) -> [(&'static str, &HeaderAction); 9] {
        [
            ("residue", &self.residue),
            ("routing", &self.routing),
            ("captions", &self.captions),
            ("addressees", &self.addressees),
            ("tags", &self.tags),
            ("refs", &self.refs),
            ("classified_by", &self.classified_by),
            ("eo", &self.eo),
            ("signature", &self.signature),
        ]
    }
}

/// Who declassified the released portions above the target, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclassAuthority {
    pub authority: String,
    pub date: Date,
    /// Given with `--authority` rather than named by the policy.
    pub from_command_line: bool,
}

impl fmt::Display for DeclassAuthority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Declassified by {} on {}", self.authority, self.date)
    }
}

impl Decisions {
    fn portions(&self) -> impl Iterator<Item = &Decision> {
        self.paragraphs.iter().chain(self.subject.iter())
    }

    /// Every code the release cites: withheld portions, redacted spans, redacted header
    /// parts; ordered as a stamp lists them.
    pub fn codes(&self) -> Codes {
        let mut all = Vec::new();
        for d in self.portions() {
            if let Action::Withhold { codes } = &d.action {
                all.extend(codes.iter().cloned());
            }
            all.extend(d.redactions.iter().flat_map(|r| r.codes.iter().cloned()));
        }
        for (_, action) in self.header.parts() {
            if let HeaderAction::Redact(codes) = action {
                all.extend(codes.iter().cloned());
            }
        }
        let spans = self
            .header
            .addressee_redactions
            .iter()
            .chain(&self.header.ref_redactions)
            .flatten();
        all.extend(spans.flat_map(|r| r.codes.iter().cloned()));
        all.into_iter().collect()
    }

    /// The page stamp: `RELEASE IN FULL`, `RELEASE IN PART B1, 1.4(D), B6`, or
    /// `DENIED IN FULL B1, 1.4(D)`.
    pub fn stamp(&self) -> String {
        let codes = self.codes();
        let any_released = self.portions().any(|d| d.action.is_release());
        let any_withheld = self.portions().any(|d| !d.action.is_release());
        let words = match stamp_kind(any_released, any_withheld, !codes.is_empty()) {
            StampKind::Full => &self.stamp_words.full,
            StampKind::Part => &self.stamp_words.part,
            StampKind::Denied => &self.stamp_words.denied,
        };
        if codes.is_empty() {
            words.clone()
        } else {
            format!("{words} {}", render_codes(&codes))
        }
    }
}

/// Which stamp a release carries. Anything cited (a withheld portion, a redacted span, a
/// redacted header part) makes it at least PART: a release that cites a code was not
/// released in full, and saying so would tell the reader nothing is missing. DENIED only
/// when portions were withheld and none released.
pub fn stamp_kind(any_released: bool, any_withheld: bool, any_cited: bool) -> StampKind {
    match (any_released, any_withheld, any_cited) {
        (false, true, _) => StampKind::Denied,
        (_, false, false) => StampKind::Full,
        _ => StampKind::Part,
    }
}

impl Policy {
    /// Loads and validates a policy. `Ok` carries the warnings; `Err` every problem found
    /// (or the reason the file was refused unread).
    pub fn load(source: &PolicySource) -> Result<(Policy, Vec<Problem>), PolicyError> {
        Policy::load_with(source, &|name| {
            Err(format!(
                "`{name}` is not a built-in code set, and code set files are read only when the policy is a file"
            ))
        })
    }

    /// [`Policy::load`], reading a code set file the policy names (`code_set:
    /// path.yaml`) through `read_code_set`.
    pub fn load_with(
        source: &PolicySource,
        read_code_set: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<(Policy, Vec<Problem>), PolicyError> {
        let file = source.name.as_str();
        let tree = yaml::tree(file, &source.text)?;
        let mut problems = Vec::new();
        let code_set = codeset::select(file, &source.text, read_code_set, &mut problems);
        validate::check_tree(file, &source.text, &tree, &code_set, &mut problems);
        if problems.iter().any(Problem::is_error) {
            return Err(PolicyError::Invalid(sorted(problems)));
        }
        let raw: raw::RawPolicy = yaml::typed(file, &source.text)?;
        let policy = validate::build(raw, file, &source.text, code_set, &mut problems);
        let problems = sorted(problems);
        if problems.iter().any(Problem::is_error) {
            return Err(PolicyError::Invalid(problems));
        }
        Ok((policy, problems))
    }

    /// A shipped policy by name (`foia-release` or `builtin:foia-release`). Each shipped
    /// policy is parsed once per process, when first asked for: a run loads only the one
    /// it uses (loading all four was 16 M instructions of every release's start-up).
    pub fn builtin(name: &str) -> Option<Policy> {
        static SHIPPED: [OnceLock<Option<Policy>>; shipped::COUNT] =
            [const { OnceLock::new() }; shipped::COUNT];
        let source = shipped::source(name)?;
        SHIPPED
            .get(shipped::index(name)?)?
            .get_or_init(|| Policy::load(&source).ok().map(|(p, _)| p))
            .clone()
    }

    /// The policy used when none is given: `foia-release`.
    pub fn default_policy() -> Policy {
        Policy::builtin(DEFAULT_POLICY).expect("the shipped default policy is valid (tested)")
    }

    /// SHA-256 of the policy text, lower-case hex: records which policy made a release.
    pub fn sha256(&self) -> String {
        self.sha256_hex().to_string()
    }

    /// [`Policy::sha256`] without a copy: hashed once per policy.
    pub fn sha256_hex(&self) -> &str {
        self.sha256.get_or_init(|| {
            Sha256::digest(self.text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
    }

    /// The highest level a release under this policy may carry.
    pub fn target(&self) -> Level {
        self.release.target
    }

    /// Whether a manifest may give the size of withheld portions (`release.withheld_size`,
    /// default false): their character counts and the line spans of every portion, from
    /// which the size of a withheld one between two released ones could be read.
    pub fn withheld_size(&self) -> bool {
        self.release.withheld_size
    }

    /// The rules' names, in order.
    pub fn rule_names(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.name.as_str()).collect()
    }
}

fn sorted(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| (p.line, p.column));
    problems
}

#[cfg(test)]
mod tests;
