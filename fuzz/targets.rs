//! The bodies of the fuzz targets, kept apart from libFuzzer so that the regression test
//! (`tests/fuzz_regressions.rs`; `tests/integration.rs` includes this file by path) replays every saved
//! input through exactly the checks the fuzzer ran.
//!
//! Each function must not panic on any input; a panic is a finding. The pipeline target
//! also checks the release against an oracle of its own (not the library's `LeakGuard`):
//! no run of [`RUN`] normalised words of a withheld paragraph may appear in the output
//! unless it was also released legitimately.

#![allow(dead_code)]

use declass::document::{Date, Document, ElementKind};
use declass::job::{self, Format, Job};
use declass::marking::{banner, portion, rollup};
use declass::policy::{Action, Context, Policy, PolicySource};
use declass::render::text::{Stamping, TextOptions};
use std::collections::HashSet;

/// Separates the document from the policy in a pipeline input.
pub const SEPARATOR: &[u8] = b"\n%%%%POLICY%%%%\n";

/// Words in a run that counts as a leak, by the definition.
pub const RUN: usize = 8;

/// The name every fuzzed document is released under (it only supplies a year).
const NAME: &str = "07FUZZ1.txt";

const SHIPPED: [&str; 4] = [
    "foia-release",
    "declassify-expired",
    "public-web",
    "internal-sbu",
];

/// The marking grammar: portion marks, banner lines, captions and the roll-up.
pub fn marking(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut marks = Vec::new();
    for place in [portion::Place::AfterNumber, portion::Place::LineStart] {
        if let Some(m) = portion::parse(text, place) {
            let _ = (m.canonical(), m.banner(), m.is_unknown());
            marks.push(m);
        }
    }
    for line in text.lines() {
        if let Some(b) = banner::parse_line(line) {
            let _ = (b.marking.canonical(), b.marking.banner());
            marks.push(b.marking);
        }
        if let Some((b, _)) = banner::parse_glued(line) {
            marks.push(b.marking);
        }
        if let Some(b) = banner::find_embedded(line) {
            marks.push(b.marking);
        }
        let _ = banner::parse_caption(line);
        let _ = banner::collapse_letter_spacing(&line.to_ascii_uppercase());
    }
    let rolled = rollup::rollup(marks.iter(), data.len().is_multiple_of(2));
    let _ = (rolled.canonical(), rolled.banner());
}

/// The document parser: never panics, and every line belongs to exactly one element.
pub fn parse(data: &[u8]) {
    let Ok(doc) = declass::parse::parse(data, Some(NAME)) else {
        return;
    };
    if let Err(line) = doc.check_tiling() {
        panic!("line {line} lost or claimed twice");
    }
    for p in &doc.paragraphs {
        assert!(
            p.lines.first >= 1 && p.lines.first <= p.lines.last && p.lines.last <= doc.lines.len(),
            "paragraph span {:?} outside the document",
            p.lines
        );
    }
    let ctx = declass::audit::AuditContext {
        as_of: date(2026, 1, 1),
    };
    let _ = declass::audit::audit(&doc, &ctx);
}

/// The policy loader: any text either loads or is refused with a problem; a policy that
/// loads decides and releases the sample cable without a panic.
pub fn policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = PolicySource::new("fuzz.yaml", text);
    match Policy::load(&source) {
        Ok((policy, _warnings)) => {
            let doc = sample();
            let ctx = Context::new(date(2026, 1, 1));
            let decisions = policy.decide(doc, &ctx);
            assert_eq!(decisions.paragraphs.len(), doc.paragraphs.len());
            let _ = declass::release::build(doc, &decisions);
        }
        Err(e) => {
            let problems = e.problems();
            assert!(!problems.is_empty(), "a refused policy names a problem");
            for p in problems {
                let _ = p.to_string();
            }
        }
    }
}

/// The whole release: `[flags] document [SEPARATOR policy]`. Without a separator one of the
/// shipped policies is used. Any `Ok` release is checked by [`assert_no_withheld_text`].
pub fn pipeline(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let (doc_bytes, policy_bytes) = match find(rest, SEPARATOR) {
        Some(i) => (&rest[..i], Some(&rest[i + SEPARATOR.len()..])),
        None => (rest, None),
    };
    let (policy, policy_text) = match policy_bytes {
        None => {
            let name = SHIPPED[usize::from(flags >> 6)];
            // Its text, so that the oracle knows the banner and stamp words it prints.
            let text = declass::policy::shipped_sources()
                .into_iter()
                .find(|s| s.name == format!("builtin:{name}"))
                .expect("shipped policy")
                .text;
            (Policy::builtin(name).expect("shipped policy"), text)
        }
        Some(p) => {
            let Ok(text) = std::str::from_utf8(p) else {
                return;
            };
            match Policy::load(&PolicySource::new("fuzz.yaml", text)) {
                Ok((policy, _)) => (policy, text.to_string()),
                Err(_) => return,
            }
        }
    };
    let format = match flags & 0x0f {
        0x0f => Format::Pdf,
        0x0e => Format::Json,
        _ => Format::Text,
    };
    let as_of = if flags & 0x10 == 0 {
        date(2026, 1, 1)
    } else {
        date(2008, 6, 30)
    };
    let context = Context::new(as_of);
    let job = Job {
        policy: &policy,
        context: &context,
        format,
        stamping: Stamping {
            case: (flags & 0x20 != 0).then(|| "F-2026-00001".to_string()),
            doc: None,
            date: declass::document::Date::new(2026, 1, 1).unwrap(),
        },
        text: TextOptions {
            fixed_width: (flags & 0x20 != 0).then_some(40),
        },
        digest_key: None,
        review: None,
        log: true,
    };
    let Ok(produced) = job::produce(doc_bytes, NAME, &job) else {
        return;
    };
    let doc = declass::parse::parse(doc_bytes, Some(NAME)).expect("parsed once already");
    let output = match format {
        Format::Pdf => declass::render::pdf::extract(&produced.bytes)
            .expect("a PDF we wrote can be read back")
            .text(),
        Format::Json => String::from_utf8(produced.bytes.clone()).expect("JSON is UTF-8"),
        Format::Text => String::from_utf8(produced.bytes.clone()).expect("text is UTF-8"),
    };
    assert_no_withheld_text(&doc, &policy, &context, &policy_text, &output);
    assert_no_withheld_text(&doc, &policy, &context, &policy_text, &produced.manifest);
}

/// The oracle: re-decides the document and looks for every withheld paragraph's word runs
/// in `output`. What may legitimately be printed is the document with every withheld
/// paragraph cut down to its lead, and the policy's own text (banner, stamp words,
/// authority, codes). An output line whose words come verbatim from that material is
/// known; a run of [`RUN`] words of a withheld paragraph that touches any other line, and
/// does not itself occur in the allowed material, is a leak. (Judging line by line keeps
/// header lines the policy strips from making new runs out of their neighbours.)
pub fn assert_no_withheld_text(
    doc: &Document,
    policy: &Policy,
    context: &Context,
    policy_text: &str,
    output: &str,
) {
    let decisions = policy.decide(doc, context);
    assert_no_portion_in_header(doc, &decisions, &words(output));
    let withheld: Vec<usize> = (0..doc.paragraphs.len())
        .filter(|&i| matches!(decisions.paragraphs[i].action, Action::Withhold { .. }))
        .collect();
    if withheld.is_empty() {
        return;
    }
    // What may be printed, in document order.
    let mut allowed_words: Vec<String> = Vec::new();
    // The elements say which lines are a paragraph's: a paragraph's span may enclose
    // header lines repeated at a section break, which are not part of it.
    let mut seen = vec![false; doc.paragraphs.len()];
    for element in &doc.elements {
        match element.kind {
            ElementKind::Paragraph(i) => {
                if !std::mem::replace(&mut seen[i], true) {
                    let p = &doc.paragraphs[i];
                    allowed_words.extend(words(&p.lead));
                    if !withheld.contains(&i) {
                        allowed_words.extend(words(&p.text));
                    }
                }
            }
            _ => {
                for line in element.lines.first..=element.lines.last {
                    allowed_words.extend(words(doc.line(line)));
                }
            }
        }
    }
    let policy_words = words(policy_text);
    let mut allowed: HashSet<&[String]> = allowed_words.windows(RUN).collect();
    allowed.extend(policy_words.windows(RUN));
    let allowed_text = format!(" {} ", allowed_words.join(" "));
    // Words the renderer makes up: codes, stamp and banner words, ids and dates.
    let mut generated: HashSet<String> = policy_words.iter().cloned().collect();
    for &i in &withheld {
        generated.extend(words(&doc.paragraphs[i].lead));
    }
    generated.extend(
        [
            "b1", "1", "4", "a", "b", "c", "d", "e", "f", "g", "h", "2026", "2008", "01", "00001",
        ]
        .map(String::from),
    );
    let mut out_words: Vec<String> = Vec::new();
    let mut suspect: Vec<bool> = Vec::new();
    for line in output.lines() {
        let w = words(line);
        // Each piece between placeholders (`EUR/NCE FOR [B6]`) comes from allowed material,
        // or the line is made of generated words.
        let known = line
            .split(['[', ']'])
            .step_by(2)
            .map(words)
            .all(|p| p.is_empty() || allowed_text.contains(&format!(" {} ", p.join(" "))))
            || w.iter().all(|x| generated.contains(x));
        suspect.extend(std::iter::repeat_n(!known, w.len()));
        out_words.extend(w);
    }
    let mut printed: HashSet<&[String]> = HashSet::new();
    for (k, run) in out_words.windows(RUN).enumerate() {
        if suspect[k..k + RUN].iter().any(|&s| s) {
            printed.insert(run);
        }
    }
    for &i in &withheld {
        let w = words(&doc.paragraphs[i].text);
        for run in w.windows(RUN) {
            if printed.contains(run) && !allowed.contains(run) {
                panic!(
                    "withheld {} leaked: {:?}",
                    doc.paragraphs[i].label(i),
                    run.join(" ")
                );
            }
        }
    }
}

/// A line the parser filed as header material (a REF, TAGS or SUBJECT continuation, an
/// addressee line…) that starts like a portion above the release target (`¶2. (S/NF) …`,
/// `(C) …`) must not be printed: a header field swallowed a classified paragraph.
fn assert_no_portion_in_header(
    doc: &Document,
    decisions: &declass::policy::Decisions,
    out_words: &[String],
) {
    if decisions.declassification.is_some() {
        return;
    }
    for element in &doc.elements {
        if matches!(
            element.kind,
            ElementKind::Paragraph(_) | ElementKind::Banner | ElementKind::SectionBanner
        ) {
            continue;
        }
        for n in element.lines.first..=element.lines.last {
            let line = doc.line(n);
            // A lead as printed or damaged (`¶2.`, `l.`, `Â¶1.`, `*1)`), then a mark.
            let t = line.trim_start();
            let first = t.split_whitespace().next().unwrap_or("");
            let lead = (!first.starts_with('(')
                && first.chars().count() <= 6
                && first.ends_with(['.', ')']))
            .then_some(first);
            let t = lead.map_or(t, |l| t[l.len()..].trim_start());
            let Some(rest) = t.strip_prefix('(') else {
                continue;
            };
            let Some(close) = rest.find(')') else {
                continue;
            };
            // `(C) SAO PAULO 73`, `C. (C) PARIS 7527`: an item of a REF list, not a mark.
            let inner = rest[..close].trim();
            let label = lead.map(|l| l.trim_start_matches('¶').trim_end_matches(['.', ')']));
            if inner.len() < 2 && label.is_none_or(|l| l.eq_ignore_ascii_case(inner)) {
                continue;
            }
            let Some(mark) = portion::parse(&rest[..close], portion::Place::AfterNumber) else {
                continue;
            };
            if mark.is_unknown() || mark.level <= decisions.target {
                continue;
            }
            let w = words(&rest[close + 1..]);
            if w.len() >= 4 && out_words.windows(w.len()).any(|run| run == w.as_slice()) {
                panic!(
                    "line {n}, marked {}, filed as {:?} and printed",
                    mark.canonical(),
                    element.kind
                );
            }
        }
    }
}

/// Normalised words: letters and digits, lower case.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn date(year: i32, month: u32, day: u32) -> Date {
    Date::new(year, month, day).expect("valid date")
}

/// The seed cable, parsed once.
fn sample() -> &'static Document {
    static DOC: std::sync::OnceLock<Document> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        declass::parse::parse(
            include_bytes!("../samples/07PRAGUE486.txt"),
            Some("07PRAGUE486.txt"),
        )
        .expect("the sample parses")
    })
}
