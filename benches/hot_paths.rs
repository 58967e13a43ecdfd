//! Micro-benchmarks of the hot paths, for `cargo bench` (divan). Inputs are real: the seed
//! cable, cables from `tests/fixtures/cables/`, and portion marks as printed in the corpus.
//! Nothing here asserts a time; compare runs with `cargo bench -- --sample-count 200`.

use declass::audit::{self, AuditContext};
use declass::document::date::Date;
use declass::job::{self, Format, Job};
use declass::marking::portion::{self, Place};
use declass::parse;
use declass::policy::{Context, Policy};
use declass::release::leak::LeakGuard;
use declass::release::{self, Release};
use declass::render::pdf::{self, Block, PdfInput, Span};
use declass::render::text::{self, Stamping, TextOptions};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

/// Cables of different shapes: the seed (Markdown export), a long SECRET multi-section cable,
/// a CRLF file, an old 1973 cable, a short unclassified one.
const CABLES: &[(&str, &str)] = &[
    ("07PRAGUE486", include_str!("../samples/07PRAGUE486.txt")),
    (
        "09KABUL1892",
        include_str!("../tests/fixtures/cables/09KABUL1892.txt"),
    ),
    (
        "09PARIS1007",
        include_str!("../tests/fixtures/cables/09PARIS1007.txt"),
    ),
    (
        "73TEHRAN2077",
        include_str!("../tests/fixtures/cables/73TEHRAN2077.txt"),
    ),
    (
        "06KHARTOUM413",
        include_str!("../tests/fixtures/cables/06KHARTOUM413.txt"),
    ),
];

fn cable(name: &str) -> &'static str {
    CABLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .expect("cable listed in CABLES")
}

const NAMES: &[&str] = &[
    "07PRAGUE486",
    "09KABUL1892",
    "09PARIS1007",
    "73TEHRAN2077",
    "06KHARTOUM413",
];

/// Portion marks as they stand in the corpus (most frequent first), and parentheses that stand
/// in the same place but are not marks.
const MARKS: &[&str] = &[
    "(C)",
    "(SBU)",
    "(U)",
    "(S/NF)",
    "(S)",
    "(C/NF)",
    "(S//NF)",
    "(SBU/NF)",
    "(C )",
    "(C/NOFORN)",
    "(C//NF)",
    "(C/REL NATO)",
    "(SBU/REL NATO)",
    "(C//REL to Spain)",
    "(S/REL UZBEKISTAN)",
    "(S-NF)",
    "(S/NF/rel Panama)",
    "(S/Rel Pak)",
    "(N/SF)",
    "( C)",
    "(S/Noforn)",
    "(s/nf)",
    "(3)",
    "(U.S.)",
    "(Afghanistan)",
    "(Economic)",
    "(a)",
];

/// Marking grammar: every mark of [`MARKS`] once, in both places a mark may stand.
#[divan::bench(args = [Place::AfterNumber, Place::LineStart])]
fn marking_portion_parse(bencher: Bencher, place: Place) {
    bencher
        .counter(divan::counter::ItemsCount::new(MARKS.len()))
        .bench(|| {
            for mark in MARKS {
                black_box(portion::parse(black_box(mark), place));
            }
        });
}

/// Bytes to lines: decoding, line splitting and clean-up.
#[divan::bench(args = NAMES)]
fn parse_decode(bencher: Bencher, name: &str) {
    let text = cable(name);
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench(|| parse::input::decode(black_box(text.as_bytes())).expect("decodes"));
}

/// Header scan then paragraph segmentation on already-decoded lines.
#[divan::bench(args = NAMES)]
fn parse_segment(bencher: Bencher, name: &str) {
    let text = cable(name);
    let (lines, _) = parse::input::decode(text.as_bytes()).expect("decodes");
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench(|| {
            let mut scan = parse::header::scan(black_box(&lines), Some(name));
            parse::body::segment(&lines, scan.body_start, &mut scan.header)
        });
}

/// The whole first stage: bytes to `Document`.
#[divan::bench(args = NAMES)]
fn parse_whole(bencher: Bencher, name: &str) {
    let text = cable(name);
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench(|| parse::parse(black_box(text.as_bytes()), Some(name)).expect("parses"));
}

/// Policy evaluation: the built-in policy deciding every paragraph, the subject and the header
/// of an already-parsed cable.
#[divan::bench(args = NAMES)]
fn policy_decide(bencher: Bencher, name: &str) {
    let doc = parse::parse(cable(name).as_bytes(), Some(name)).expect("parses");
    let policy = Policy::default_policy();
    let ctx = Context::new(as_of());
    bencher.bench(|| policy.decide(black_box(&doc), &ctx));
}

/// The audit rules over an already-parsed cable.
#[divan::bench(args = NAMES)]
fn audit_rules(bencher: Bencher, name: &str) {
    let doc = parse::parse(cable(name).as_bytes(), Some(name)).expect("parses");
    let ctx = AuditContext { as_of: as_of() };
    bencher.bench(|| audit::audit(black_box(&doc), &ctx));
}

fn as_of() -> Date {
    Date::new(2026, 1, 1).expect("valid date")
}

fn stamping() -> Stamping {
    Stamping {
        case: None,
        doc: None,
        date: declass::document::Date::new(2026, 1, 1).unwrap(),
    }
}

/// A cable parsed, for [`released`]: the release borrows its lines.
fn parsed(name: &str) -> declass::document::Document {
    parse::parse(cable(name).as_bytes(), Some(name)).expect("parses")
}

/// A cable released under the built-in policy (decide, build).
fn released(doc: &declass::document::Document) -> Release<'_> {
    let decisions = Policy::default_policy().decide(doc, &Context::new(as_of()));
    release::build(doc, &decisions).expect("builds")
}

/// Text rendering of an already-built release.
#[divan::bench(args = NAMES)]
fn render_text(bencher: Bencher, name: &str) {
    let doc = parsed(name);
    let release = released(&doc);
    let stamping = stamping();
    bencher.bench(|| text::render(black_box(&release), &stamping, TextOptions::default()));
}

/// The leak check as a release runs it: build the guard from what was withheld and
/// released, then search the rendered text.
#[divan::bench(args = NAMES)]
fn leak_guard(bencher: Bencher, name: &str) {
    let doc = parsed(name);
    let release = released(&doc);
    let out = text::render(&release, &stamping(), TextOptions::default());
    let kept: Vec<&str> = release.released.iter().map(AsRef::as_ref).collect();
    bencher
        .counter(divan::counter::BytesCount::of_str(&out))
        .bench(|| {
            let guard = LeakGuard::new(black_box(&release.secrets), &kept);
            guard.check(black_box(&out))
        });
}

/// One document through the whole release pipeline, in memory: parse, decide, build, render,
/// leak checks, manifest.
fn release_doc(bencher: Bencher, name: &str, format: Format) {
    let text = cable(name);
    let policy = Policy::default_policy();
    let context = Context::new(as_of());
    let job = Job {
        policy: &policy,
        context: &context,
        format,
        stamping: stamping(),
        text: TextOptions::default(),
        digest_key: None,
        review: None,
        log: true,
    };
    let path = format!("{name}.txt");
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench(|| job::produce(black_box(text.as_bytes()), &path, &job));
}

/// [`release_doc`] to text.
#[divan::bench(args = NAMES)]
fn release_doc_text(bencher: Bencher, name: &str) {
    release_doc(bencher, name, Format::Text);
}

/// [`release_doc`] to PDF (typeset, read back, leak-checked).
#[divan::bench(args = NAMES)]
fn release_doc_pdf(bencher: Bencher, name: &str) {
    release_doc(bencher, name, Format::Pdf);
}

/// PDF typesetting of a real release (the input the release stage builds).
#[divan::bench(args = NAMES)]
fn render_pdf_release(bencher: Bencher, name: &str) {
    let input = declass::render::pdf_input(
        &released(&parsed(name)),
        &stamping(),
        TextOptions::default(),
    );
    bencher.bench(|| pdf::render(black_box(&input)).expect("renders"));
}

/// PDF typesetting of a cable-sized release: every source line typeset, every third paragraph
/// withheld as a box, an inline redaction on the subject line.
#[divan::bench(args = NAMES)]
fn render_pdf(bencher: Bencher, name: &str) {
    let input = pdf_input(cable(name));
    bencher.bench(|| pdf::render(black_box(&input)).expect("renders"));
}

fn pdf_input(text: &str) -> PdfInput {
    let mut blocks = Vec::new();
    let mut paragraph = 0usize;
    let mut withholding = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            withholding = false;
            blocks.push(Block::Blank);
            continue;
        }
        if parse::body::numbered_start(line).is_some() {
            paragraph += 1;
            withholding = paragraph.is_multiple_of(3);
            if withholding {
                blocks.push(Block::Withheld {
                    lead: format!("{paragraph}. (C) "),
                    codes: "B1, 1.4(B), 1.4(D)".into(),
                    height_lines: 4,
                });
            }
        }
        if withholding {
            continue;
        }
        if trimmed.starts_with("SUBJECT") {
            blocks.push(Block::Line(vec![
                Span::Text("SUBJECT: ".into()),
                Span::Redaction {
                    codes: "B1".into(),
                    width_chars: 20,
                },
            ]));
        } else {
            blocks.push(Block::Line(vec![Span::Text(line.to_string())]));
        }
    }
    PdfInput {
        header_marking: "UNCLASSIFIED".into(),
        header_ids: "Case No. F-2026-00001  Doc No. C0001  Date: 01/01/2026".into(),
        footer_stamp: "RELEASE IN PART B1, 1.4(B), 1.4(D)".into(),
        declass_block: vec!["Classified by: bench".into(), "Reason: 1.4(b), (d)".into()],
        blocks,
    }
}
