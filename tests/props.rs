//! Property tests across the pipeline: generated cable-like documents (banner, header
//! fields, numbered paragraphs with real, legacy and unknown marks, blank lines, page
//! breaks, CRLF and lone CR) under generated small policies (built from the shipped rule
//! shapes). They check that parsing never panics and loses no line, that every paragraph
//! comes out exactly once (released or withheld), that releases are deterministic, and
//! that the leak check catches withheld text planted back into a release however it is
//! re-cased, re-spaced or re-wrapped.

use crate::common;

use declass::document::{Date, Document};
use declass::job::{self, Format, Produced};
use declass::policy::{Action, Context, Policy, PolicySource};
use proptest::prelude::*;
use proptest::sample::select;

const NAME: &str = "07PROPTEST1.txt";

/// Portion marks as cables print them: current, legacy, lower case, spaced, and ones the
/// grammar cannot read (which must fail closed).
const MARKS: &[&str] = &[
    "(U)",
    "(SBU)",
    "(C)",
    "(S)",
    "(S/NF)",
    "(S//NF)",
    "(C//NF)",
    "(SBU/NF)",
    "(C/REL NATO)",
    "(C//REL to Spain)",
    "(S-NF)",
    "(S/Rel Pak)",
    "(c)",
    "(C )",
    "( C)",
    "(s/nf)",
    "(U//FOUO)",
    "(LOU)",
    "(N/SF)",
    "(S//XQZ)",
    "(TS)",
    "",
];

const BANNERS: &[&str] = &[
    "C O N F I D E N T I A L PRAGUE 000486",
    "S E C R E T SECTION 01 OF 02 BERN 000351",
    "UNCLAS SECTION 01 OF 02 STATE 040904",
    "UNCLASSIFIED",
    "SECRET//NOFORN",
    "CONFIDENTIAL",
    "UNCLAS E F T O LONDON 002883",
];

/// A pronounceable word from syllables: a vocabulary large enough that two generated
/// paragraphs share a run of eight words only by construction, never by chance.
fn word() -> impl Strategy<Value = String> {
    const SYL: &[&str] = &[
        "ba", "ko", "ri", "tel", "mun", "sa", "dor", "vi", "len", "pa", "gro", "ish", "te", "lo",
        "mar", "cu", "fe", "zan", "ol", "per",
    ];
    prop::collection::vec(select(SYL), 1..4).prop_map(|s| s.concat())
}

/// A tag no generated word can equal, naming paragraph `i` (`qzb`, `qzc`…).
fn token(i: usize) -> String {
    let mut s = String::from("qz");
    let mut n = i + 1;
    while n > 0 {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    s
}

#[derive(Clone, Debug)]
struct Para {
    mark: &'static str,
    sign: bool,
    words: Vec<String>,
    blanks_after: usize,
    page_break_after: bool,
}

#[derive(Clone, Debug)]
struct Cable {
    banner: &'static str,
    subject_mark: &'static str,
    subject: Vec<String>,
    classified_by: bool,
    paras: Vec<Para>,
    width: usize,
    eol: &'static str,
}

fn para() -> impl Strategy<Value = Para> {
    (
        select(MARKS),
        any::<bool>(),
        prop::collection::vec(word(), 3..40),
        0usize..3,
        prop::bool::weighted(0.15),
    )
        .prop_map(|(mark, sign, words, blanks_after, page_break_after)| Para {
            mark,
            sign,
            words,
            blanks_after,
            page_break_after,
        })
}

fn cable() -> impl Strategy<Value = Cable> {
    (
        select(BANNERS),
        select(MARKS),
        prop::collection::vec(word(), 1..8),
        any::<bool>(),
        prop::collection::vec(para(), 1..9),
        30usize..90,
        select(&["\n", "\n", "\r\n", "\r"][..]),
    )
        .prop_map(
            |(banner, subject_mark, subject, classified_by, paras, width, eol)| Cable {
                banner,
                subject_mark,
                subject,
                classified_by,
                paras,
                width,
                eol,
            },
        )
}

impl Cable {
    /// The text of paragraph `i`: its words with its token in the middle, so that every
    /// run of eight words through the middle is unique to it.
    fn body(&self, i: usize) -> Vec<String> {
        let mut w = self.paras[i].words.clone();
        w.insert(w.len() / 2, token(i));
        if let Some(first) = w.first_mut() {
            let mut c = first.chars();
            if let Some(f) = c.next() {
                *first = f.to_uppercase().chain(c).collect();
            }
        }
        w
    }

    fn render(&self) -> String {
        let mut lines: Vec<String> = vec![
            self.banner.to_string(),
            String::new(),
            "SIPDIS".into(),
            String::new(),
            "E.O. 12958: DECL: 05/02/2017".into(),
            "TAGS: PREL PGOV EZ".into(),
            format!("SUBJECT: {} {}", self.subject_mark, self.subject.join(" ")),
            String::new(),
        ];
        if self.classified_by {
            lines.push("Classified By: Political Counselor Mike Dodman".into());
            lines.push("for reasons 1.4 (b) and (d).".into());
            lines.push(String::new());
        }
        for (i, p) in self.paras.iter().enumerate() {
            let lead = format!(
                "{}{}. {}{}",
                if p.sign { "¶" } else { "" },
                i + 1,
                p.mark,
                if p.mark.is_empty() { "" } else { " " }
            );
            let mut line = lead;
            for w in self.body(i) {
                if line.len() + w.len() + 1 > self.width && !line.ends_with(' ') {
                    lines.push(std::mem::take(&mut line));
                }
                if !line.is_empty() && !line.ends_with(' ') {
                    line.push(' ');
                }
                line.push_str(&w);
            }
            line.push('.');
            lines.push(line);
            for _ in 0..p.blanks_after.max(1) {
                lines.push(String::new());
            }
            if p.page_break_after {
                lines.push("PRAGUE 00000486  002 OF 003".into());
                lines.push(String::new());
            }
        }
        lines.push("GRABER".into());
        lines.push(String::new());
        lines.push(self.banner.to_string());
        let mut text = lines.join(self.eol);
        text.push_str(self.eol);
        text
    }
}

/// Rule shapes from the shipped policies, plus a few the generated documents exercise.
const RULES: &[&str] = &[
    "  - name: release-unclassified\n    when:\n      level: {at_most: U}\n      controls: {only: [SBU, LOU]}\n    action: release\n",
    "  - name: withhold-classified\n    when:\n      level: {at_least: C}\n    action: withhold\n    codes: [derived]\n",
    "  - name: declassify\n    when:\n      level: {at_least: C}\n      controls: {none_of: [AEA, FGI]}\n    action: release\n    declassify:\n      authority: \"Jane Roe, Reviewer\"\n",
    "  - name: privacy\n    when:\n      text: '(?i)\\bmun'\n    action: withhold\n    codes: [B6]\n",
    "  - name: redact-terms\n    when:\n      level: {at_most: U}\n    action: release\n    redact:\n      - {codes: [B6], regex: '\\bko\\w*'}\n",
    "  - name: late-paragraphs\n    when:\n      paragraph: {at_least: 3}\n    action: withhold\n    codes: [B5]\n",
    "  - name: release-sbu\n    when:\n      controls: {any_of: [SBU]}\n    action: release\n",
    "  - name: withhold-nf\n    when:\n      level: {at_least: C}\n      controls: {any_of: [NOFORN]}\n    action: withhold\n    codes: [B1, derived]\n",
    "  - name: review-nf\n    when:\n      controls: {any_of: [NOFORN]}\n    action: withhold\n    codes: [review]\n",
];

const HEADER_PARTS: &[&str] = &[
    "residue",
    "routing",
    "captions",
    "tags",
    "refs",
    "classified_by",
    "eo",
    "signature",
];

fn policy_yaml() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(select(RULES), 0..5),
        any::<bool>(),
        prop::collection::vec(
            select(&["keep", "strip", "{action: redact, codes: [B3]}"][..]),
            8,
        ),
        select(&["[derived]", "[B1]", "[B5, derived]"][..]),
    )
        .prop_map(|(rules, show_marks, header, default_codes)| {
            let mut y = String::from(
                "name: generated\ndescription: a generated policy\nversion: 1\n\
                 release:\n  target: U\n",
            );
            y.push_str(&format!("  show_original_marks: {show_marks}\nheader:\n"));
            for (part, action) in HEADER_PARTS.iter().zip(&header) {
                y.push_str(&format!("  {part}: {action}\n"));
            }
            let mut seen = Vec::new();
            y.push_str("rules:");
            if rules.is_empty() {
                y.push_str(" []");
            }
            y.push('\n');
            for r in rules {
                if !seen.contains(&r) {
                    seen.push(r);
                    y.push_str(r);
                }
            }
            y.push_str(&format!(
                "default:\n  action: withhold\n  codes: {default_codes}\n"
            ));
            y
        })
}

fn load(yaml: &str) -> Policy {
    match Policy::load(&PolicySource::new("generated.yaml", yaml)) {
        Ok((p, _)) => p,
        Err(e) => panic!("generated policy refused: {:?}\n{yaml}", e.problems()),
    }
}

fn context() -> Context {
    Context::new(Date::new(2026, 1, 1).unwrap())
}

fn produce(bytes: &[u8], policy: &Policy, ctx: &Context) -> Option<Produced> {
    let job = common::job(policy, ctx, Format::Text);
    // A release refused at the gate or by the leak check is a correct outcome: nothing
    // would be written. The properties are about what is written.
    job::produce(bytes, NAME, &job).ok()
}

fn parse(bytes: &[u8]) -> Document {
    declass::parse::parse(bytes, Some(NAME)).expect("a generated cable parses")
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Index of the parsed paragraph holding generated paragraph `i`'s token.
fn holder(doc: &Document, i: usize) -> Vec<usize> {
    let t = token(i);
    (0..doc.paragraphs.len())
        .filter(|&j| {
            doc.paragraphs[j]
                .text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == t)
        })
        .collect()
}

/// How a planted copy of withheld words is disguised.
#[derive(Clone, Debug)]
enum Disguise {
    Case(Vec<bool>),
    Spacing(Vec<&'static str>),
    Wrap {
        width: usize,
        indent: usize,
        crlf: bool,
    },
}

fn disguise() -> impl Strategy<Value = Disguise> {
    prop_oneof![
        prop::collection::vec(any::<bool>(), 64).prop_map(Disguise::Case),
        prop::collection::vec(
            select(
                &[
                    " ", "  ", "\t", " \n ", "\r\n", ", ", " - ", "; ", ".\n\n", "   "
                ][..]
            ),
            64
        )
        .prop_map(Disguise::Spacing),
        (4usize..60, 0usize..8, any::<bool>()).prop_map(|(width, indent, crlf)| Disguise::Wrap {
            width,
            indent,
            crlf
        }),
    ]
}

fn apply(words: &[&str], d: &Disguise) -> String {
    match d {
        Disguise::Case(flips) => words
            .join(" ")
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if flips[i % flips.len()] {
                    c.to_uppercase().next().unwrap_or(c)
                } else {
                    c.to_lowercase().next().unwrap_or(c)
                }
            })
            .collect(),
        Disguise::Spacing(seps) => {
            let mut s = String::new();
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    s.push_str(seps[i % seps.len()]);
                }
                s.push_str(w);
            }
            s
        }
        Disguise::Wrap {
            width,
            indent,
            crlf,
        } => {
            let eol = if *crlf { "\r\n" } else { "\n" };
            let pad = " ".repeat(*indent);
            let mut out = String::new();
            let mut line = pad.clone();
            for w in words {
                if line.len() > pad.len() && line.len() + w.len() + 1 > *width {
                    out.push_str(&line);
                    out.push_str(eol);
                    line = pad.clone();
                }
                if line.len() > pad.len() {
                    line.push(' ');
                }
                line.push_str(w);
            }
            out.push_str(&line);
            out
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(doc) = declass::parse::parse(&bytes, Some(NAME)) {
            prop_assert_eq!(doc.check_tiling(), Ok(()));
        }
    }

    #[test]
    fn parse_never_panics_on_damaged_cables(
        c in cable(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..12),
    ) {
        let mut bytes = c.render().into_bytes();
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => {
                    bytes.remove(i);
                }
            }
        }
        if let Ok(doc) = declass::parse::parse(&bytes, Some(NAME)) {
            prop_assert_eq!(doc.check_tiling(), Ok(()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Every line belongs to exactly one element, and every generated paragraph to exactly
    /// one parsed paragraph.
    #[test]
    fn every_line_and_paragraph_is_accounted_for_once(c in cable()) {
        let doc = parse(c.render().as_bytes());
        prop_assert_eq!(doc.check_tiling(), Ok(()));
        for i in 0..c.paras.len() {
            prop_assert_eq!(holder(&doc, i).len(), 1, "paragraph {} in {:#?}", i + 1, doc.paragraphs);
        }
    }

    /// In a release, each paragraph is there exactly once as released text, or is absent
    /// and listed as withheld; the manifest agrees.
    #[test]
    fn every_paragraph_is_released_or_withheld_exactly_once(c in cable(), yaml in policy_yaml()) {
        let text = c.render();
        let policy = load(&yaml);
        let ctx = context();
        let Some(out) = produce(text.as_bytes(), &policy, &ctx) else {
            return Ok(());
        };
        let doc = parse(text.as_bytes());
        let decisions = policy.decide(&doc, &ctx);
        let release = String::from_utf8(out.bytes).unwrap();
        prop_assert_eq!(out.released + out.withheld, doc.paragraphs.len());
        let manifest: serde_json::Value = serde_json::from_str(&out.manifest).unwrap();
        let entries = manifest["paragraphs"].as_array().unwrap();
        prop_assert_eq!(entries.len(), doc.paragraphs.len());
        let mut withheld = 0;
        for i in 0..c.paras.len() {
            let j = holder(&doc, i)[0];
            let released = matches!(decisions.paragraphs[j].action, Action::Release);
            let action = if released { "release" } else { "withhold" };
            prop_assert_eq!(entries[j]["action"].as_str(), Some(action));
            let redacted = !decisions.paragraphs[j].redactions.is_empty();
            if released && !redacted {
                prop_assert_eq!(count(&release, &token(i)), 1, "¶{} released once", i + 1);
            } else if !released {
                withheld += 1;
                prop_assert_eq!(count(&release, &token(i)), 0, "¶{} withheld", i + 1);
            }
        }
        prop_assert!(withheld <= out.withheld);
    }

    #[test]
    fn releases_are_deterministic(c in cable(), yaml in policy_yaml()) {
        let text = c.render();
        let ctx = context();
        let a = produce(text.as_bytes(), &load(&yaml), &ctx);
        let b = produce(text.as_bytes(), &load(&yaml), &ctx);
        match (a, b) {
            (Some(a), Some(b)) => {
                prop_assert!(a.bytes == b.bytes, "release bytes differ");
                prop_assert_eq!(a.manifest, b.manifest);
                prop_assert_eq!(a.stamp, b.stamp);
            }
            (None, None) => {}
            _ => prop_assert!(false, "one run refused, the other did not"),
        }
    }

    /// Withheld words put back into a release, disguised, are always found by `verify`.
    #[test]
    fn the_leak_check_finds_every_planted_leak(
        c in cable(),
        yaml in policy_yaml(),
        pick in any::<prop::sample::Index>(),
        len in 8usize..30,
        d in disguise(),
        place in any::<prop::sample::Index>(),
    ) {
        let text = c.render();
        let policy = load(&yaml);
        let ctx = context();
        let Some(out) = produce(text.as_bytes(), &policy, &ctx) else {
            return Ok(());
        };
        let release = String::from_utf8(out.bytes).unwrap();
        let clean = declass::verify::withheld_labels(release.as_bytes(), text.as_bytes(), Some(NAME), &policy, &ctx).unwrap();
        prop_assert!(clean.is_empty(), "a release as produced verifies clean: {:?}", clean);
        let doc = parse(text.as_bytes());
        let decisions = policy.decide(&doc, &ctx);
        // Withheld paragraphs long enough to leak through a run of eight words.
        let candidates: Vec<(usize, usize)> = (0..c.paras.len())
            .map(|i| (i, holder(&doc, i)[0]))
            .filter(|&(_, j)| !decisions.paragraphs[j].action.is_release())
            .filter(|&(_, j)| declass::release::leak::words(&doc.paragraphs[j].text).len() >= 8)
            .collect();
        if candidates.is_empty() {
            return Ok(());
        }
        let (i, j) = candidates[pick.index(candidates.len())];
        // A run through the paragraph's token, so that nothing released can exempt it.
        let p = &doc.paragraphs[j];
        let all: Vec<&str> = p.text.split_whitespace().collect();
        let at = all.iter().position(|w| w.contains(&token(i))).unwrap();
        let len = len.min(all.len());
        let start = at.saturating_sub(len / 2).min(all.len() - len);
        let planted = apply(&all[start..start + len], &d);
        let lines: Vec<&str> = release.split('\n').collect();
        let k = place.index(lines.len() + 1);
        let mut leaked = lines[..k].join("\n");
        leaked.push('\n');
        leaked.push_str(&planted);
        leaked.push('\n');
        leaked.push_str(&lines[k..].join("\n"));
        let found = declass::verify::withheld_labels(leaked.as_bytes(), text.as_bytes(), Some(NAME), &policy, &ctx).unwrap();
        prop_assert!(
            found.contains(&p.label(j)),
            "planted {:?} of {} not found (found {:?})",
            planted,
            p.label(j),
            found
        );
    }
}
