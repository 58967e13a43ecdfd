//! Plants one marking defect at a time in copies of the labelled modern documents and
//! counts how many the audit reports where they were planted.
//!
//! Place in the project: outside the pipeline, judging the audit. For every classified
//! document in `tests/fixtures/modern` it makes, in memory, one copy per defect kind that
//! the document allows (the labels say where the marks, banners and authority lines are):
//! a portion's mark removed, the banner lowered one level, a portion marked above the
//! banner, the `Declassify On` line deleted, a control missing from the banner, a
//! subparagraph marked above its parent. Each copy keeps every line number. A defect is
//! a hit when the audit of the copy reports a finding (code and line) that the audit of the
//! clean document does not, at a line where the defect lives (see [`Plant::lines`]). The
//! clean documents' error-level findings are counted too: the audit's false alarms.
//!
//! usage: `planted [DIR] [--each]` (DIR defaults to `tests/fixtures/modern`; `--each` lists
//! every miss and every clean document's error codes). "Today" is fixed (2026-01-01) so the
//! numbers do not move with the clock. Exit 0 when run, 2 when the labels could not be read.
//!
//! `tests/modern_labels.rs` includes this file as a module.

#[allow(dead_code)] // only the label loader and the mark reader are used here
#[path = "score_modern.rs"]
pub mod score_modern;

use declass::audit::{AuditContext, audit};
use declass::diagnostic::{Code, Severity};
use declass::document::Date;
use score_modern::labels::{self, Case, Label};
use score_modern::mark;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

/// The defect kinds, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    MarkRemoved,
    BannerLowered,
    AboveBanner,
    DeclassifyDeleted,
    ControlMissing,
    SubAboveParent,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::MarkRemoved,
        Kind::BannerLowered,
        Kind::AboveBanner,
        Kind::DeclassifyDeleted,
        Kind::ControlMissing,
        Kind::SubAboveParent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::MarkRemoved => "portion mark removed",
            Kind::BannerLowered => "banner lowered",
            Kind::AboveBanner => "portion above the banner",
            Kind::DeclassifyDeleted => "Declassify On deleted",
            Kind::ControlMissing => "control missing from banner",
            Kind::SubAboveParent => "subparagraph above parent",
        }
    }
}

/// One planted copy.
pub struct Plant {
    pub kind: Kind,
    pub text: String,
    /// Lines where a new finding counts as reporting this defect: the changed line (for a
    /// portion's mark also the portion's first line); for a deleted declassification line also the rest of the authority block and line 1 (a
    /// missing field is reported at the block, or at the banner line or line 1 when no block is left).
    pub lines: Vec<usize>,
}

/// The copies `case` allows, one per kind at most.
pub fn plants(case: &Case) -> Vec<Plant> {
    let label = &case.label;
    let lines = labels::lines(&case.text);
    Kind::ALL
        .iter()
        .filter_map(|&kind| {
            let (changes, hit) = match kind {
                Kind::MarkRemoved => mark_removed(label, &lines)?,
                Kind::BannerLowered => banner_lowered(label, &lines)?,
                Kind::AboveBanner => above_banner(label, &lines)?,
                Kind::DeclassifyDeleted => declassify_deleted(label, &lines)?,
                Kind::ControlMissing => control_missing(label, &lines)?,
                Kind::SubAboveParent => sub_above_parent(label, &lines)?,
            };
            let mut copy: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            for (line, text) in changes {
                copy[line - 1] = text;
            }
            Some(Plant {
                kind,
                text: copy.join("\n"),
                lines: hit,
            })
        })
        .collect()
}

/// Replaced lines (1-based line, new text) and the lines a hit may stand at.
type Change = (Vec<(usize, String)>, Vec<usize>);

fn rank(level: Option<&str>) -> Option<usize> {
    level.and_then(mark::rank)
}

/// The highest portion level the labels give.
fn top_portion(label: &Label) -> Option<usize> {
    label
        .portions
        .iter()
        .filter(|p| !p.damaged)
        .filter_map(|p| rank(p.level.as_deref()))
        .max()
}

/// The line that prints a portion's mark: its first line, or for a trailing mark the last
/// line of the portion that carries it.
fn mark_line(p: &labels::Portion, lines: &[&str]) -> Option<usize> {
    let printed = p.printed.as_deref()?;
    (p.first..=p.last)
        .find(|&n| n == p.first && lines[n - 1].contains(printed))
        .or_else(|| {
            (p.first..=p.last)
                .rev()
                .find(|&n| lines[n - 1].contains(printed))
        })
}

/// The readable marked portions with the line that prints each one's mark.
fn marked<'a>(
    label: &'a Label,
    lines: &'a [&str],
) -> impl Iterator<Item = (usize, &'a labels::Portion, usize)> + 'a {
    label
        .portions
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.damaged && p.canonical.is_some())
        .filter_map(|(i, p)| Some((i, p, mark_line(p, lines)?)))
}

/// A portion's mark replaced on the line that prints it; a hit may stand at the portion's
/// first line or at that line.
fn remark(p: &labels::Portion, at: usize, lines: &[&str], with: &str) -> Option<Change> {
    let printed = p.printed.as_deref()?;
    let text = lines[at - 1].replacen(printed, with, 1);
    let mut hit = vec![p.first, at];
    hit.dedup();
    Some((vec![(at, text)], hit))
}

fn mark_removed(label: &Label, lines: &[&str]) -> Option<Change> {
    let (_, p, at) =
        marked(label, lines).find(|(_, p, _)| rank(p.level.as_deref()).is_some_and(|r| r > 0))?;
    remark(p, at, lines, "")
}

/// The printed level words one level down, tried in order.
const LOWER: [(&str, &str); 3] = [
    ("TOP SECRET", "SECRET"),
    ("SECRET", "CONFIDENTIAL"),
    ("CONFIDENTIAL", "UNCLASSIFIED"),
];

fn banner_lowered(label: &Label, lines: &[&str]) -> Option<Change> {
    let top = top_portion(label)?;
    label.banners.iter().find_map(|b| {
        let line = lines[b.line - 1];
        // A TOP SECRET banner printed with spread letters or runs of spaces ("T OP
        // SECRET", "TOP      SECRET") is lowered as a whole: replacing only its
        // "SECRET" would plant "TOP CONFIDENTIAL", which is no banner at all.
        if let Some(m) = spread_top_secret().find(line) {
            let lowered = format!("{}SECRET{}", &line[..m.start()], &line[m.end()..]);
            return (mark::rank(b.level.as_str())? == top && mark::rank("S")? < top)
                .then(|| (vec![(b.line, lowered)], vec![b.line]));
        }
        let (from, to) = LOWER.iter().find(|(from, _)| line.contains(from))?;
        // Lowered below what the portions carry, or it is not a defect.
        (mark::rank(b.level.as_str())? == top && mark::rank(&abbrev(to))? < top)
            .then(|| (vec![(b.line, line.replacen(from, to, 1))], vec![b.line]))
    })
}

/// "TOP SECRET" with its words or letters spread by OCR or layout.
fn spread_top_secret() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"T\s*O\s*P\s+SECRET").expect("a valid pattern"))
}

fn abbrev(word: &str) -> String {
    mark::norm(word).0
}

fn above_banner(label: &Label, lines: &[&str]) -> Option<Change> {
    let top = label
        .banners
        .iter()
        .filter_map(|b| mark::rank(&b.level))
        .max()?;
    let higher = mark::LEVELS.get(top + 1)?;
    let (_, p, at) = marked(label, lines).next()?;
    remark(p, at, lines, &format!("({higher})"))
}

fn declassify_deleted(label: &Label, lines: &[&str]) -> Option<Change> {
    let targets: Vec<usize> = label
        .authority
        .iter()
        .filter(|a| a.field == "declassify_on" && !a.value.trim().is_empty())
        .map(|a| a.line)
        .collect();
    if targets.is_empty() {
        return None;
    }
    let changes = targets
        .iter()
        .map(|&n| {
            let line = lines[n - 1];
            let upper = line.to_uppercase();
            // Only the declassification part of a line that carries more (SIDtoday's
            // "DERIVED FROM: … DECLASSIFY ON: 20320108", a banner run into the CAB).
            let cut = upper
                .find("DECLASSIFY ON")
                .or_else(|| upper.find("DECL"))
                .filter(|&at| line.is_char_boundary(at))
                .unwrap_or(0);
            (n, line[..cut].trim_end().to_owned())
        })
        .collect();
    let mut hit: Vec<usize> = label.authority.iter().map(|a| a.line).collect();
    hit.push(1);
    // Document-level findings point at the banner line when one is read (audit::anchor).
    hit.extend(label.banners.first().map(|b| b.line));
    hit.sort_unstable();
    hit.dedup();
    Some((changes, hit))
}

/// Banner control groups in the order a missing one matters most: SCI, then NOFORN, then
/// the rest.
fn preference(group: &str) -> usize {
    let (_, tokens) = mark::norm(&format!("U//{group}"));
    if tokens
        .iter()
        .any(|t| ["SI", "TK", "HCS", "G", "SI-G"].contains(&t.as_str()))
    {
        0
    } else if tokens.contains("NF") {
        1
    } else {
        2
    }
}

fn control_missing(label: &Label, lines: &[&str]) -> Option<Change> {
    let carried: BTreeSet<String> = label
        .portions
        .iter()
        .filter_map(|p| p.canonical.as_deref())
        .flat_map(|c| mark::norm(c).1)
        .collect();
    let banner = label.banners.first()?;
    let mut groups: Vec<&str> = banner.canonical.split("//").collect();
    let level = groups.remove(0);
    let mut candidates: Vec<usize> = (0..groups.len())
        .filter(|&i| {
            let (_, tokens) = mark::norm(&format!("U//{}", groups[i]));
            !tokens.is_empty() && tokens.iter().any(|t| carried.contains(t))
        })
        .collect();
    candidates.sort_by_key(|&i| preference(groups[i]));
    let drop = *candidates.first()?;
    let kept: Vec<&str> = std::iter::once(level)
        .chain(
            groups
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, g)| *g),
        )
        .collect();
    let line = lines[banner.line - 1];
    let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
    Some((
        vec![(banner.line, format!("{indent}{}", kept.join("//")))],
        vec![banner.line],
    ))
}

fn sub_above_parent(label: &Label, lines: &[&str]) -> Option<Change> {
    let (sub, at, higher) = marked(label, lines).find_map(|(_, p, at)| {
        let parent = label.portions.get(p.parent?)?;
        let parent_rank = rank(parent.level.as_deref())?;
        let higher = mark::LEVELS.get(parent_rank + 1)?;
        (rank(p.level.as_deref())? <= parent_rank).then_some((p, at, higher))
    })?;
    remark(sub, at, lines, &format!("({higher})"))
}

/// The fixed "today" of every audit here.
pub fn context() -> AuditContext {
    AuditContext {
        as_of: Date::new(2026, 1, 1).expect("a valid date"),
    }
}

/// (code, line, severity) of every finding of the audit of `text`.
pub fn findings(text: &str, name: &str) -> Vec<(Code, usize, Severity)> {
    match declass::parse::parse(text.as_bytes(), Some(name)) {
        Ok(doc) => audit(&doc, &context())
            .into_iter()
            .map(|d| (d.code, d.line, d.severity()))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Hits and plants of one kind.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub planted: usize,
    pub hit: usize,
    /// Hits whose new finding at the planted line is error-level.
    pub hit_error: usize,
    /// Copies with a new finding anywhere (at the planted line or elsewhere): the defect
    /// was noticed, if not where it is.
    pub noticed: usize,
}

pub struct Report {
    pub kinds: Vec<(Kind, Tally)>,
    /// Misses: document, kind, and what the miss was: the changed lines and the new
    /// findings elsewhere (for `--each`).
    pub misses: Vec<(String, Kind, String)>,
    /// Error-level findings per clean classified document, with their codes.
    pub clean: Vec<(String, usize, Vec<String>)>,
}

impl Report {
    pub fn total(&self) -> Tally {
        let mut t = Tally::default();
        for (_, k) in &self.kinds {
            t.planted += k.planted;
            t.hit += k.hit;
            t.hit_error += k.hit_error;
            t.noticed += k.noticed;
        }
        t
    }

    pub fn tally(&self, kind: Kind) -> Tally {
        self.kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| *t)
            .unwrap_or_default()
    }

    /// Median error count over the clean documents (the lower middle for an even count).
    pub fn median_errors(&self) -> usize {
        let mut counts: Vec<usize> = self.clean.iter().map(|(_, n, _)| *n).collect();
        counts.sort_unstable();
        counts
            .get(counts.len().saturating_sub(1) / 2)
            .copied()
            .unwrap_or(0)
    }
}

pub fn run(cases: &[Case]) -> Report {
    let mut kinds: Vec<(Kind, Tally)> = Kind::ALL.iter().map(|k| (*k, Tally::default())).collect();
    let mut misses = Vec::new();
    let mut clean = Vec::new();
    for case in cases.iter().filter(|c| c.label.classified) {
        let name = format!("{}.txt", case.label.name);
        let before = findings(&case.text, &name);
        let known: BTreeSet<(Code, usize)> = before.iter().map(|(c, l, _)| (*c, *l)).collect();
        let errors: Vec<String> = before
            .iter()
            .filter(|(_, _, s)| *s == Severity::Error)
            .map(|(c, l, _)| format!("{c}@{l}"))
            .collect();
        clean.push((case.label.name.clone(), errors.len(), errors));
        for plant in plants(case) {
            let anywhere: Vec<(Code, usize, Severity)> = findings(&plant.text, &name)
                .into_iter()
                .filter(|(c, l, _)| !known.contains(&(*c, *l)))
                .collect();
            let new: Vec<&(Code, usize, Severity)> = anywhere
                .iter()
                .filter(|(_, l, _)| plant.lines.contains(l))
                .collect();
            let tally = &mut kinds
                .iter_mut()
                .find(|(k, _)| *k == plant.kind)
                .expect("every kind")
                .1;
            tally.planted += 1;
            tally.hit += usize::from(!new.is_empty());
            tally.hit_error += usize::from(new.iter().any(|(_, _, s)| *s == Severity::Error));
            tally.noticed += usize::from(!anywhere.is_empty());
            if new.is_empty() {
                // Scratch copies of the misses for reading them with `declass audit`.
                if let Ok(dir) = std::env::var("PLANTED_DUMP") {
                    let file = format!("{dir}/{}.{:?}.txt", case.label.name, plant.kind);
                    if let Err(e) = std::fs::write(&file, &plant.text) {
                        eprintln!("planted: cannot write {file}: {e}");
                    }
                }
                let changed: Vec<String> = case
                    .text
                    .lines()
                    .zip(plant.text.lines())
                    .enumerate()
                    .filter(|(_, (a, b))| a != b)
                    .map(|(i, (_, b))| format!("line {}: {:?}", i + 1, b.trim()))
                    .collect();
                let elsewhere: Vec<String> = anywhere
                    .iter()
                    .map(|(c, l, _)| format!("{c}@{l}"))
                    .collect();
                let why = format!(
                    "{}; new findings elsewhere: [{}]",
                    changed.join(", "),
                    elsewhere.join(" ")
                );
                misses.push((case.label.name.clone(), plant.kind, why));
            }
        }
    }
    Report {
        kinds,
        misses,
        clean,
    }
}

#[allow(dead_code)] // also compiled as a module of the test, which has its own main
fn main() -> ExitCode {
    let mut dir = "tests/fixtures/modern".to_owned();
    let mut each = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--each" => each = true,
            a if a.starts_with('-') => {
                eprintln!("usage: planted [DIR] [--each]");
                return ExitCode::from(2);
            }
            a => dir = a.to_owned(),
        }
    }
    let cases = match labels::load(Path::new(&dir)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("planted: {e}");
            return ExitCode::from(2);
        }
    };
    let report = run(&cases);
    println!("planted defects (hit: a new finding at the planted line)");
    println!(
        "{:<30} {:>5} {:>8} {:>8} {:>11} {:>9}",
        "kind", "hit", "planted", "%", "hit(error)", "noticed"
    );
    let rows = report
        .kinds
        .iter()
        .copied()
        .chain([(Kind::MarkRemoved, report.total())]);
    for (i, (kind, t)) in rows.enumerate() {
        let name = if i == Kind::ALL.len() {
            "all"
        } else {
            kind.name()
        };
        let pct = if t.planted == 0 {
            0.0
        } else {
            100.0 * t.hit as f64 / t.planted as f64
        };
        println!(
            "{name:<30} {:>5} {:>8} {pct:>7.1}% {:>11} {:>9}",
            t.hit, t.planted, t.hit_error, t.noticed
        );
    }
    if each {
        for (name, kind, why) in &report.misses {
            println!("    missed: {name}: {}", kind.name());
            println!("        {why}");
        }
    }
    let total: usize = report.clean.iter().map(|(_, n, _)| n).sum();
    println!();
    println!(
        "clean classified documents: {} documents, {total} errors, median {} per document",
        report.clean.len(),
        report.median_errors()
    );
    for (name, n, codes) in &report.clean {
        if each {
            println!("{name:<80} {n:>4}  {}", codes.join(" "));
        } else {
            println!("{name:<80} {n:>4}");
        }
    }
    ExitCode::SUCCESS
}
