//! Property tests of fail-closed release whatever the structure: generated documents
//! (UNCLASSIFIED or SECRET banner, header lines, numbered and un-numbered paragraphs) get
//! marks of random levels planted at random places — at a line start, after a label
//! (`2.`, `a.`, `(1)`, `1)`), after a bullet, after a caption (`SUMMARY: (S)`), mid-line,
//! after a page break — some behind invisible characters (zero-width space, BOM, soft
//! hyphen) or written with look-alikes (Cyrillic С, full-width parentheses). Every planted
//! mark above the target is followed by words found nowhere else; none of them may appear
//! in the text release, the JSON release or (for some cases) the PDF.
//!
//! The words are checked as plain substrings of the output, so that no reading of the
//! release (by declass or by the test) can hide them.

use crate::common;

use declass::document::Date;
use declass::job::{self, Format};
use declass::policy::{Context, Policy};
use proptest::prelude::*;
use proptest::sample::select;

const NAME: &str = "09PROPGUARD1.txt";

/// Ordinary words from syllables without `q`: no generated word contains a tag.
fn word() -> impl Strategy<Value = String> {
    const SYL: &[&str] = &[
        "ba", "ko", "ri", "tel", "mun", "sa", "dor", "vi", "len", "pa", "gro", "ish", "te", "lo",
        "mar", "cu", "fe", "zan", "ol", "per",
    ];
    prop::collection::vec(select(SYL), 1..4).prop_map(|s| s.concat())
}

fn words(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(word(), n)
}

/// The tag of planted word `i`: `qz`, the number in letters a–p, then `x`. No tag is a
/// substring of another, and no ordinary word contains one.
fn tag(i: usize) -> String {
    let mut s = String::from("qz");
    let mut n = i;
    loop {
        s.push((b'a' + (n % 16) as u8) as char);
        n /= 16;
        if n == 0 {
            break;
        }
    }
    s.push('x');
    s
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    U,
    C,
    S,
    TS,
}

/// Marks as documents print them, by level.
const MARKS: &[(&str, Level)] = &[
    ("(U)", Level::U),
    ("(U//FOUO)", Level::U),
    ("(SBU)", Level::U),
    ("(SBU/NF)", Level::U),
    ("(C)", Level::C),
    ("(c)", Level::C),
    ("(C//NF)", Level::C),
    ("(C/NF)", Level::C),
    ("( C )", Level::C),
    ("(C//REL TO USA, GBR)", Level::C),
    ("(S)", Level::S),
    ("(S//NF)", Level::S),
    ("(S/NF)", Level::S),
    ("(S-NF)", Level::S),
    ("(s/nf)", Level::S),
    ("(S//SI//REL)", Level::S),
    ("(SECRET)", Level::S),
    ("(TS)", Level::TS),
    ("(TS//SI//NF)", Level::TS),
    ("(TS//SI)", Level::TS),
];

/// Where a mark is planted.
#[derive(Clone, Debug)]
enum Place {
    /// A new line that opens with the mark.
    LineStart,
    /// A new line `2. (S) …`, `a. (S) …`, `(1) (S) …`, `1) (S) …`.
    AfterLabel(&'static str),
    /// A new line `-- (S) …`.
    AfterBullet(&'static str),
    /// A new line `SUMMARY: (S) …`.
    AfterCaption(&'static str),
    /// Inside an existing line, between two of its words.
    MidLine,
    /// A new line after a form feed, or after a page-break line.
    AfterPageBreak { form_feed: bool },
}

fn place() -> impl Strategy<Value = Place> {
    prop_oneof![
        Just(Place::LineStart),
        select(
            &[
                "2. ", "7.", "a. ", "B. ", "(1) ", "1) ", "¶4. ", "2 ", "3: ", "10, ", "iv. ",
                "l. ", "２. "
            ][..]
        )
        .prop_map(Place::AfterLabel),
        select(&["-- ", "- ", "--", "* ", "• ", "o ", "> "][..]).prop_map(Place::AfterBullet),
        select(
            &[
                "SUMMARY: ",
                "Comment: ",
                "PURPOSE: ",
                "Subject: ",
                "REF: ",
                "TAGS: "
            ][..]
        )
        .prop_map(Place::AfterCaption),
        Just(Place::MidLine),
        any::<bool>().prop_map(|form_feed| Place::AfterPageBreak { form_feed }),
    ]
}

/// How the mark is disguised.
#[derive(Clone, Copy, Debug)]
enum Disguise {
    None,
    /// An invisible character before the line's lead.
    BeforeLead(char),
    /// An invisible character right before the mark.
    BeforeMark(char),
    /// The level letter written with a Cyrillic look-alike (С, Ѕ, Т).
    Cyrillic,
    /// Full-width parentheses.
    FullWidth,
}

fn disguise() -> impl Strategy<Value = Disguise> {
    let invisible = select(&['\u{200B}', '\u{FEFF}', '\u{00AD}'][..]);
    prop_oneof![
        3 => Just(Disguise::None),
        1 => invisible.clone().prop_map(Disguise::BeforeLead),
        1 => invisible.prop_map(Disguise::BeforeMark),
        1 => Just(Disguise::Cyrillic),
        1 => Just(Disguise::FullWidth),
    ]
}

#[derive(Clone, Debug)]
struct Plant {
    mark: (&'static str, Level),
    place: Place,
    disguise: Disguise,
    /// Where in the document (a line index, taken modulo the line count).
    at: prop::sample::Index,
    /// Where in a line, for mid-line plants.
    word_at: prop::sample::Index,
    /// How many tagged words follow the mark, and the ordinary words after them.
    tagged: usize,
    tail: Vec<String>,
}

fn plant() -> impl Strategy<Value = Plant> {
    (
        select(MARKS),
        place(),
        disguise(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        2usize..7,
        words(0..6),
    )
        .prop_map(|(mark, place, disguise, at, word_at, tagged, tail)| Plant {
            mark,
            place,
            disguise,
            at,
            word_at,
            tagged,
            tail,
        })
}

#[derive(Clone, Debug)]
struct Para {
    numbered: bool,
    mark: &'static str,
    words: Vec<String>,
}

#[derive(Clone, Debug)]
struct Doc {
    secret: bool,
    subject: Vec<String>,
    paras: Vec<Para>,
    width: usize,
    plants: Vec<Plant>,
}

fn para(secret: bool) -> impl Strategy<Value = Para> {
    let marks: &'static [&'static str] = if secret {
        &["(U)", "(SBU)", "(C)", "(S)", "(S//NF)", ""]
    } else {
        &["(U)", "(SBU)", "(U)", ""]
    };
    (any::<bool>(), select(marks), words(3..30)).prop_map(|(numbered, mark, words)| Para {
        numbered,
        mark,
        words,
    })
}

fn doc() -> impl Strategy<Value = Doc> {
    any::<bool>().prop_flat_map(|secret| {
        (
            words(2..6),
            prop::collection::vec(para(secret), 1..7),
            30usize..90,
            prop::collection::vec(plant(), 1..5),
        )
            .prop_map(move |(subject, paras, width, plants)| Doc {
                secret,
                subject,
                paras,
                width,
                plants,
            })
    })
}

/// The mark as planted, disguised.
fn disguised(mark: &str, d: Disguise) -> String {
    match d {
        Disguise::Cyrillic => {
            let mut done = false;
            mark.chars()
                .map(|c| {
                    let look = match c {
                        'C' => 'С',
                        'S' => 'Ѕ',
                        'T' => 'Т',
                        _ => c,
                    };
                    if !done && look != c {
                        done = true;
                        look
                    } else {
                        c
                    }
                })
                .collect()
        }
        Disguise::FullWidth => mark.replace('(', "（").replace(')', "）"),
        Disguise::BeforeMark(c) => format!("{c}{mark}"),
        Disguise::None | Disguise::BeforeLead(_) => mark.to_owned(),
    }
}

impl Doc {
    fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = vec![
            if self.secret {
                "S E C R E T SECTION 01 OF 02 PRAGUE 000486".into()
            } else {
                "UNCLASSIFIED PRAGUE 000486".into()
            },
            String::new(),
            "SIPDIS".into(),
            String::new(),
            if self.secret {
                "E.O. 12958: DECL: 05/02/2017".into()
            } else {
                "E.O. 12958: N/A".into()
            },
            "TAGS: PREL PGOV EZ".into(),
            format!(
                "SUBJECT: {} {}",
                if self.secret { "(C)" } else { "(U)" },
                self.subject.join(" ")
            ),
            String::new(),
        ];
        if self.secret {
            lines.push("Classified By: Political Counselor Mike Dodman".into());
            lines.push("for reasons 1.4 (b) and (d).".into());
            lines.push(String::new());
        }
        let mut n = 0;
        for p in &self.paras {
            let mut line = String::new();
            if p.numbered {
                n += 1;
                line.push_str(&format!("{n}. "));
            }
            if !p.mark.is_empty() {
                line.push_str(p.mark);
                line.push(' ');
            }
            for w in &p.words {
                if line.len() + w.len() + 1 > self.width && !line.ends_with(' ') {
                    lines.push(std::mem::take(&mut line));
                }
                if !line.is_empty() && !line.ends_with(' ') {
                    line.push(' ');
                }
                line.push_str(w);
            }
            line.push('.');
            lines.push(line);
            lines.push(String::new());
        }
        lines.push("GRABER".into());
        lines
    }

    /// The document with every plant in place, and the tags that must not be released.
    fn render(&self) -> (String, Vec<String>) {
        let mut lines = self.lines();
        let mut secret_tags = Vec::new();
        let mut next = 0;
        for p in &self.plants {
            let tags: Vec<String> = (0..p.tagged)
                .map(|_| {
                    next += 1;
                    tag(next)
                })
                .collect();
            let mut text = tags
                .iter()
                .map(|t| format!("{t}mun"))
                .chain(p.tail.iter().cloned())
                .collect::<Vec<_>>()
                .join(" ");
            if p.mark.1 > Level::U {
                secret_tags.extend(tags);
            }
            let mark = disguised(p.mark.0, p.disguise);
            let lead_invisible = match p.disguise {
                Disguise::BeforeLead(c) => c.to_string(),
                _ => String::new(),
            };
            // never before the banner line
            let at = 1 + p.at.index(lines.len());
            let new_line = |lead: &str| format!("{lead_invisible}{lead}{mark} {text}");
            match &p.place {
                Place::LineStart => lines.insert(at, new_line("")),
                Place::AfterLabel(l) | Place::AfterBullet(l) | Place::AfterCaption(l) => {
                    lines.insert(at, new_line(l))
                }
                Place::AfterPageBreak { form_feed: true } => {
                    lines.insert(at, format!("\u{0C}{}", new_line("")))
                }
                Place::AfterPageBreak { form_feed: false } => {
                    lines.insert(at, new_line(""));
                    lines.insert(at, String::new());
                    lines.insert(at, "PRAGUE 00000486  002 OF 002".into());
                }
                Place::MidLine => {
                    // inside the first non-blank line from `at` on (the banner excepted),
                    // never inside planted text: a mark there would change the level of
                    // the planted words after it
                    let Some(k) = (at..lines.len())
                        .chain(1..at)
                        .find(|&k| !lines[k].trim().is_empty() && !lines[k].contains("qz"))
                    else {
                        continue;
                    };
                    let w: Vec<&str> = lines[k].split(' ').collect();
                    let cut = 1 + p.word_at.index(w.len().max(1));
                    let cut = cut.min(w.len());
                    text.push(' ');
                    let glued = format!(
                        "{} {lead_invisible}{mark} {text}{}",
                        w[..cut].join(" "),
                        w[cut..].join(" ")
                    );
                    lines[k] = glued.trim_end().to_owned();
                }
            }
        }
        let mut s = lines.join("\n");
        s.push('\n');
        (s, secret_tags)
    }
}

/// The tags found in `output` (case-insensitive).
fn found(output: &str, tags: &[String]) -> Vec<String> {
    let lower = output.to_lowercase();
    tags.iter()
        .filter(|t| lower.contains(t.as_str()))
        .cloned()
        .collect()
}

/// Releases `text` in `format`; the tags any written output shows. A refused release
/// writes nothing and shows none.
fn leaked(text: &str, tags: &[String], format: Format) -> Vec<String> {
    let policy = Policy::default_policy();
    let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
    let Ok(out) = job::produce(text.as_bytes(), NAME, &common::job(&policy, &ctx, format)) else {
        return Vec::new();
    };
    let mut seen = found(&out.manifest, tags);
    seen.extend(found(&out.stamp, tags));
    match format {
        Format::Pdf => {
            seen.extend(found(&String::from_utf8_lossy(&out.bytes), tags));
            let pdf = declass::render::pdf::extract(&out.bytes).expect("a PDF declass made reads");
            seen.extend(found(&pdf.text(), tags));
        }
        Format::Text | Format::Json => {
            seen.extend(found(&String::from_utf8_lossy(&out.bytes), tags));
        }
    }
    seen.sort();
    seen.dedup();
    seen
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// No word after a planted C, S or TS mark is in the text or JSON release.
    #[test]
    fn no_word_after_a_classified_mark_is_released(d in doc()) {
        let (text, tags) = d.render();
        for format in [Format::Text, Format::Json] {
            let seen = leaked(&text, &tags, format);
            prop_assert!(
                seen.is_empty(),
                "{} release prints words planted after a classified mark: {:?}\n--- document\n{}",
                format.as_str(),
                seen,
                text
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    /// The same for the PDF: its bytes and its extracted text.
    #[test]
    fn no_word_after_a_classified_mark_is_in_the_pdf(d in doc()) {
        let (text, tags) = d.render();
        let seen = leaked(&text, &tags, Format::Pdf);
        prop_assert!(
            seen.is_empty(),
            "PDF release prints words planted after a classified mark: {:?}\n--- document\n{}",
            seen,
            text
        );
    }
}

/// A few fixed cases of the property, one per kind of place, so that a failure names its
/// cause without shrinking.
#[test]
fn each_place_on_its_own() {
    let body = "UNCLASSIFIED PRAGUE 000486\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PREL\nSUBJECT: (U) talks\n\n1. (U) Opening words of the first paragraph.\n\n";
    let cases: &[(&str, &str)] = &[
        ("line start", "(S) qzax mun\n"),
        ("after a label", "2. (S) qzax mun\n"),
        ("after a damaged label", "2) (S) qzax mun\n"),
        ("after a letter label", "a. (S) qzax mun\n"),
        ("after a bullet", "-- (S) qzax mun\n"),
        ("after a caption", "SUMMARY: (S) qzax mun\n"),
        (
            "mid-line",
            "2. (U) Plain words here. (S) qzax mun and more.\n",
        ),
        (
            "glued paragraph",
            "2. (U) Plain words here. 3. (C) qzax mun and more.\n",
        ),
        ("after a form feed", "\u{0C}(S) qzax mun\n"),
        ("behind a zero-width space", "\u{200B}2. (S) qzax mun\n"),
        ("behind a BOM", "\u{FEFF}(S) qzax mun\n"),
        ("behind a soft hyphen", "2. \u{00AD}(S) qzax mun\n"),
        ("behind a next-line character", "\u{85}2. (S) qzax mun\n"),
        ("behind a line separator", "\u{2028}2. (S) qzax mun\n"),
        ("after a damaged number l.", "l. (S) qzax mun\n"),
        ("after full-width digits", "２. (S) qzax mun\n"),
        ("Cyrillic C", "2. (С) qzax mun\n"),
        ("full-width parentheses", "2. （S） qzax mun\n"),
        ("full-width letter", "2. (Ｓ) qzax mun\n"),
    ];
    let tags = vec!["qzax".to_owned()];
    let mut failed = Vec::new();
    for (what, plant) in cases {
        let text = format!("{body}{plant}\nGRABER\n");
        for format in [Format::Text, Format::Json] {
            if !leaked(&text, &tags, format).is_empty() {
                failed.push(format!("{what} ({})", format.as_str()));
            }
        }
    }
    assert!(failed.is_empty(), "classified words released: {failed:#?}");
}

/// A plain unclassified document: numbered `(U)`/`(SBU)` paragraphs, each holding a tag,
/// with more U marks planted after labels and bullets and mid-line.
#[derive(Clone, Debug)]
struct Plain {
    paras: Vec<(&'static str, Vec<String>)>,
    plants: Vec<(&'static str, &'static str, prop::sample::Index, Vec<String>)>,
}

fn plain() -> impl Strategy<Value = Plain> {
    (
        prop::collection::vec((select(&["(U)", "(SBU)", "(U)"][..]), words(3..20)), 1..6),
        prop::collection::vec(
            (
                select(&["(U)", "(SBU)"][..]),
                select(&["", "a. ", "-- ", "* ", "(2) ", " "][..]),
                any::<prop::sample::Index>(),
                words(3..8),
            ),
            0..3,
        ),
    )
        .prop_map(|(paras, plants)| Plain { paras, plants })
}

impl Plain {
    /// The document and the tag of every paragraph and planted line.
    fn render(&self) -> (String, Vec<String>) {
        let mut lines: Vec<String> = [
            "UNCLASSIFIED PRAGUE 000486",
            "",
            "SIPDIS",
            "",
            "E.O. 12958: N/A",
            "TAGS: PREL PGOV EZ",
            "SUBJECT: (U) a plain cable",
            "",
        ]
        .map(String::from)
        .to_vec();
        let mut tags = Vec::new();
        for (i, (mark, words)) in self.paras.iter().enumerate() {
            tags.push(tag(i + 1));
            lines.push(format!(
                "{}. {mark} {} {}mun {}.",
                i + 1,
                words[0],
                tag(i + 1),
                words[1..].join(" ")
            ));
            lines.push(String::new());
        }
        let first_body = 8;
        for (j, (mark, lead, at, words)) in self.plants.iter().enumerate() {
            let t = tag(100 + j);
            let text = format!("{lead}{mark} {}mun {}", t, words.join(" "));
            tags.push(t);
            let k = first_body + 1 + at.index(lines.len() - first_body);
            if lead == &" " {
                // mid-line: after the paragraph line before `k`
                let host = (first_body..k)
                    .rev()
                    .find(|&h| !lines[h].is_empty())
                    .unwrap();
                lines[host] = format!("{}{text}", lines[host]);
            } else {
                lines.insert(k, text);
            }
        }
        lines.push("GRABER".into());
        (lines.join("\n") + "\n", tags)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// The guard must not become a reason to withhold everything: in an unclassified
    /// document whose every portion is marked U or SBU, every portion is released.
    #[test]
    fn unclassified_portions_are_released(d in plain()) {
        let (text, tags) = d.render();
        let policy = Policy::default_policy();
        let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
        let out = job::produce(text.as_bytes(), NAME, &common::job(&policy, &ctx, Format::Text));
        let out = match out {
            Ok(out) => out,
            Err(e) => return Err(TestCaseError::fail(format!("refused: {e}\n--- document\n{text}"))),
        };
        let release = String::from_utf8(out.bytes).unwrap();
        let missing: Vec<&String> = tags.iter().filter(|t| !release.contains(t.as_str())).collect();
        prop_assert!(
            missing.is_empty(),
            "U portions withheld: {:?}\n--- document\n{}\n--- release\n{}",
            missing,
            text,
            release
        );
    }
}
