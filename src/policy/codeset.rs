//! Code sets: which exemption codes a policy may cite, and which of them only classified
//! information may carry. A code set is a YAML file (`policies/codesets/foia.yaml` is
//! shipped and built in); a policy picks one with `code_set:` (a built-in name or a file
//! the command line reads) and may add its agency's codes with `extra_codes:`. Validation
//! looks every written code up here, so a code outside the set is an error at its
//! line:column, and a rule that could cite a classification-based code on an
//! unclassified portion is rejected ([`classified_codes_problem`]).
//!
//! No I/O here: a code set file is read by the caller's `read` function.

use super::codes::{self, Code, DERIVED, REVIEW};
use super::model::{Conditions, Outcome, Rule};
use super::problem::{PolicyError, Problem};
use super::suggest::did_you_mean;
use super::yaml::{self, pos};
use crate::marking::Level;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The code set a policy gets when it names none.
pub const DEFAULT_CODE_SET: &str = "foia";

/// The code sets built into the binary.
const BUILTIN: &[(&str, &str)] = &[("foia", include_str!("../../policies/codesets/foia.yaml"))];

/// One code as a code set (or a policy's `extra_codes`) writes it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCodeDef {
    pub code: String,
    pub summary: String,
    #[serde(default)]
    pub classified: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodeSet {
    name: String,
    #[allow(dead_code)] // read for the file's own documentation; required by the schema
    description: String,
    version: Spanned<u32>,
    codes: Vec<Spanned<RawCodeDef>>,
}

/// The two policy keys that choose the code set, read before the policy is validated
/// (every other key is left for validation to check).
#[derive(Debug, Default, Deserialize)]
struct CodeKeys {
    #[serde(default)]
    code_set: Option<Spanned<String>>,
    #[serde(default)]
    extra_codes: Vec<Spanned<RawCodeDef>>,
}

/// One code of a set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeDef {
    pub code: String,
    pub summary: String,
    pub classified: bool,
}

/// A validated code set: its codes in file order and an index by lookup key.
#[derive(Clone, Debug)]
pub struct CodeSet {
    pub name: String,
    defs: Vec<CodeDef>,
    index: HashMap<String, usize>,
}

impl CodeSet {
    /// Parses a code set file; `Err` carries every problem with its line and column.
    pub fn parse(file: &str, text: &str) -> Result<CodeSet, Vec<Problem>> {
        let raw: RawCodeSet = yaml::typed(file, text).map_err(|e| e.problems())?;
        let mut problems = Vec::new();
        if raw.version.value != 1 {
            problems.push(Problem::error(
                file,
                pos(&raw.version.referenced),
                format!(
                    "unsupported code set version `{}`; this declass reads version 1",
                    raw.version.value
                ),
            ));
        }
        let mut set = CodeSet {
            name: raw.name,
            defs: Vec::new(),
            index: HashMap::new(),
        };
        set.add(file, &raw.codes, &mut problems);
        if set.defs.is_empty() && problems.is_empty() {
            problems.push(Problem::error(file, (1, 1), "a code set lists no code"));
        }
        if problems.iter().any(Problem::is_error) {
            Err(problems)
        } else {
            Ok(set)
        }
    }

    /// A built-in code set by name (`foia`), parsed once per process.
    pub fn builtin(name: &str) -> Option<&'static CodeSet> {
        static SETS: OnceLock<Vec<CodeSet>> = OnceLock::new();
        let sets = SETS.get_or_init(|| {
            BUILTIN
                .iter()
                .map(|(n, text)| {
                    CodeSet::parse(&format!("builtin:codeset/{n}"), text)
                        .expect("the shipped code sets are valid (tested)")
                })
                .collect()
        });
        let i = BUILTIN.iter().position(|(n, _)| *n == name.trim())?;
        Some(&sets[i])
    }

    /// The names of the built-in code sets.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(n, _)| *n)
    }

    /// Adds codes (a set's own, or a policy's `extra_codes`), reporting duplicates and
    /// empty codes at their entry.
    fn add(&mut self, file: &str, defs: &[Spanned<RawCodeDef>], problems: &mut Vec<Problem>) {
        for d in defs {
            let at = pos(&d.referenced);
            let code = d
                .value
                .code
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if code.is_empty() || codes::lookup_key(&code).is_empty() {
                problems.push(Problem::error(file, at, "a code entry has an empty `code`"));
                continue;
            }
            if code.eq_ignore_ascii_case(DERIVED) || code.eq_ignore_ascii_case(REVIEW) {
                problems.push(Problem::error(
                    file,
                    at,
                    format!("`{code}` is a word policies use, not a code"),
                ));
                continue;
            }
            let i = self.defs.len();
            let mut fresh = true;
            for name in std::iter::once(&code).chain(&d.value.aliases) {
                let key = codes::lookup_key(name);
                if let Some(&j) = self.index.get(&key) {
                    problems.push(Problem::error(
                        file,
                        at,
                        format!(
                            "`{name}` is already in the code set as `{}`; each code is defined once",
                            self.defs[j].code
                        ),
                    ));
                    fresh = false;
                    break;
                }
            }
            if !fresh {
                continue;
            }
            for name in std::iter::once(&code).chain(&d.value.aliases) {
                self.index.insert(codes::lookup_key(name), i);
            }
            self.defs.push(CodeDef {
                code,
                summary: d.value.summary.trim().to_string(),
                classified: d.value.classified,
            });
        }
    }

    /// Every code in file order.
    pub fn codes(&self) -> &[CodeDef] {
        &self.defs
    }

    /// The code a policy wrote (`(b)(6)`, `b7c`, `1.4 d`), or a message naming it with the
    /// closest codes of the set.
    pub fn lookup(&self, written: &str) -> Result<Code, String> {
        let key = codes::lookup_key(written);
        if let Some(&i) = self.index.get(&key) {
            let d = &self.defs[i];
            return Ok(Code::new(d.code.clone(), d.classified));
        }
        let narrower: Vec<&str> = self
            .defs
            .iter()
            .filter(|d| !key.is_empty() && codes::lookup_key(&d.code).starts_with(&key))
            .map(|d| d.code.as_str())
            .take(8)
            .collect();
        let hint = if narrower.len() > 1 {
            format!(
                "; it needs its subsection or tag: one of {}",
                narrower.join(", ")
            )
        } else {
            let keyed: Vec<(String, &str)> = self
                .defs
                .iter()
                .map(|d| (codes::lookup_key(&d.code), d.code.as_str()))
                .collect();
            did_you_mean(&key, keyed.iter().map(|(k, _)| k.as_str()))
                .and_then(|k| keyed.iter().find(|(kk, _)| kk == k))
                .map_or(String::new(), |(_, c)| format!(" (did you mean `{c}`?)"))
        };
        Err(format!(
            "`{}` is not in the code set `{}`{hint}; cite a code of the set, `{DERIVED}` (B1 and the document's 1.4 reasons) or `{REVIEW}` (withheld for a reviewer), or add the code under `extra_codes`",
            written.trim(),
            self.name
        ))
    }
}

/// The code set a policy uses: the one its `code_set` key names (a built-in name, else a
/// file read by `read`), plus its `extra_codes`. Problems are reported at the policy's
/// keys, or in the code set file at their own line and column. On any problem the result
/// still holds every code it could read, so that validation goes on.
pub fn select(
    file: &str,
    text: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
    problems: &mut Vec<Problem>,
) -> CodeSet {
    let keys: CodeKeys = match yaml::typed(file, text) {
        Ok(k) => k,
        // The shape of these keys is reported by stage one of validation.
        Err(PolicyError::Invalid(_)) | Err(_) => CodeKeys::default(),
    };
    let builtin = || {
        CodeSet::builtin(DEFAULT_CODE_SET)
            .expect("the default code set is built in")
            .clone()
    };
    let mut set = match &keys.code_set {
        None => builtin(),
        Some(name) => {
            let at = pos(&name.referenced);
            match CodeSet::builtin(&name.value) {
                Some(s) => s.clone(),
                None => match read(name.value.trim()) {
                    Ok(body) => match CodeSet::parse(name.value.trim(), &body) {
                        Ok(s) => s,
                        Err(found) => {
                            problems.push(Problem::error(
                                file,
                                at,
                                format!("code set `{}` is invalid (problems below)", name.value),
                            ));
                            problems.extend(found);
                            builtin()
                        }
                    },
                    Err(why) => {
                        let known: Vec<&str> = CodeSet::builtin_names().collect();
                        problems.push(Problem::error(
                            file,
                            at,
                            format!(
                                "code set `{}` is neither a built-in one ({}) nor a readable file: {why}",
                                name.value,
                                known.join(", ")
                            ),
                        ));
                        builtin()
                    }
                },
            }
        }
    };
    set.add(file, &keys.extra_codes, problems);
    set
}

/// The problem with a rule that could cite a classification-based code (`derived`, B1,
/// 1.4(x), 25Xn…) on an unclassified portion: its `when` does not restrict `level` to C
/// and above. `None` when the rule cites none, or cannot match unclassified portions.
pub fn classified_codes_problem(rule: &Rule) -> Option<String> {
    let cited = classification_codes(&rule.outcome);
    if cited.is_empty() || restricted_to_classified(&rule.when) {
        return None;
    }
    Some(format!(
        "rule {} `{}` cites {}, which only classified information may carry (E.O. 13526 sec. 1.1), but its `when` does not restrict `level` to C and above, so it could cite them on unclassified portions; add `level: {{at_least: C}}`, or cite an exemption that fits unclassified material (e.g. B5, B6, B7(E)) or `{REVIEW}`",
        rule.index + 1,
        rule.name,
        cited.join(", ")
    ))
}

/// The classification-based codes an outcome cites, as written: `derived` and codes the
/// set marks `classified`, in withheld codes or redaction codes.
pub fn classification_codes(outcome: &Outcome) -> Vec<String> {
    let specs: Vec<&super::model::CodeSpec> = match outcome {
        Outcome::Withhold { codes, .. } => vec![codes],
        Outcome::Release { redact } => redact.iter().map(|r| &r.codes).collect(),
    };
    let mut cited = Vec::new();
    for spec in specs {
        if spec.derived {
            cited.push(format!("`{DERIVED}` (B1)"));
        }
        cited.extend(
            spec.codes
                .iter()
                .filter(|c| c.is_classified())
                .map(|c| c.as_str().to_string()),
        );
    }
    cited.dedup();
    cited
}

/// True when a portion a rule matches is certainly C or above.
fn restricted_to_classified(when: &Conditions) -> bool {
    when.level
        .as_ref()
        .is_some_and(|l| l.allowed.iter().all(|x| *x >= Level::C))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foia() -> &'static CodeSet {
        CodeSet::builtin("foia").unwrap()
    }

    #[test]
    fn the_shipped_set_has_every_required_code() {
        let set = foia();
        for code in [
            "B1",
            "B2",
            "B3",
            "B4",
            "B5",
            "B6",
            "B7(A)",
            "B7(B)",
            "B7(C)",
            "B7(D)",
            "B7(E)",
            "B7(F)",
            "B8",
            "B9",
            "1.4(A)",
            "1.4(H)",
            "25X1",
            "25X5",
            "25X9",
            "50X1-HUM",
            "50X2-WMD",
            "75X",
            "PA (j)(2)",
            "PA (k)(5)",
            "EXCL (c)(1)",
            "NR",
        ] {
            assert_eq!(
                set.lookup(code).map(|c| c.as_str().to_string()),
                Ok(code.to_string())
            );
        }
        assert!(set.lookup("B1").unwrap().is_classified());
        assert!(set.lookup("25X1").unwrap().is_classified());
        assert!(!set.lookup("B6").unwrap().is_classified());
        // The set is printed in the documented order, so listing it changes nothing.
        let listed: Vec<String> = set.codes().iter().map(|d| d.code.clone()).collect();
        let mut ordered = listed.clone();
        ordered.sort_by(|a, b| codes::compare(a, b));
        assert_eq!(listed.len(), ordered.len());
    }

    #[test]
    fn written_forms_are_read() {
        for (written, canon) in [
            ("b1", "B1"),
            ("(b)(6)", "B6"),
            ("b(7)(c)", "B7(C)"),
            ("B7C", "B7(C)"),
            ("1.4(d)", "1.4(D)"),
            ("1.4 D", "1.4(D)"),
            ("b3 ina", "B3 INA"),
            ("(b)(3) CIA PERS/ORG", "B3 CIA PERS/ORG"),
            ("50x1 hum", "50X1-HUM"),
            ("non-responsive", "NR"),
        ] {
            assert_eq!(foia().lookup(written).unwrap().as_str(), canon, "{written}");
        }
    }

    #[test]
    fn unknown_codes_name_the_value_and_suggest() {
        let e = foia().lookup("B10").unwrap_err();
        assert!(
            e.contains("`B10`") && e.contains("not in the code set `foia`"),
            "{e}"
        );
        let e = foia().lookup("B7").unwrap_err();
        assert!(e.contains("subsection") && e.contains("B7(C)"), "{e}");
        let e = foia().lookup("B3 INAA").unwrap_err();
        assert!(e.contains("did you mean `B3 INA`"), "{e}");
        assert!(foia().lookup("1.4(J)").is_err());
        assert!(foia().lookup("25X10").is_err());
    }

    #[test]
    fn a_code_set_file_is_checked_with_positions() {
        let bad = "name: x\ndescription: d\nversion: 1\ncodes:\n  - {code: B6, summary: a}\n  - {code: b(6), summary: b}\n";
        let problems = CodeSet::parse("x.yaml", bad).unwrap_err();
        assert_eq!(
            (problems[0].line, problems[0].column),
            (6, 5),
            "{problems:?}"
        );
        assert!(problems[0].message.contains("already in the code set"));
        let unknown_key =
            "name: x\ndescription: d\nversion: 1\ncodes:\n  - {code: B6, summery: a}\n";
        assert!(CodeSet::parse("x.yaml", unknown_key).is_err());
    }

    #[test]
    fn a_policy_extends_or_replaces_the_set() {
        let policy = "code_set: agency.yaml\nextra_codes:\n  - {code: B3 50 USC 3024(i), summary: sources and methods}\n";
        let read = |name: &str| {
            assert_eq!(name, "agency.yaml");
            Ok("name: agency\ndescription: d\nversion: 1\ncodes:\n  - {code: B6, summary: privacy}\n".to_string())
        };
        let mut problems = Vec::new();
        let set = select("p.yaml", policy, &read, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(set.name, "agency");
        assert!(set.lookup("B6").is_ok() && set.lookup("B1").is_err());
        assert_eq!(
            set.lookup("b3 50 usc 3024(i)").unwrap().as_str(),
            "B3 50 USC 3024(i)"
        );
        let missing = |_: &str| Err("no such file".to_string());
        let mut problems = Vec::new();
        select(
            "p.yaml",
            "code_set: nowhere.yaml\n",
            &missing,
            &mut problems,
        );
        assert_eq!((problems[0].line, problems[0].column), (1, 11));
    }
}
