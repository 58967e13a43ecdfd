//! Planted-defect test of the audit (issue 21): one defect at a time is planted in a copy
//! of each real modern document under `tests/fixtures/audit/modern/` (fixtures copied from
//! the modern corpus; see the README there), and the audit must report a new finding at the
//! planted line. The six kinds: a portion's mark removed, the banner lowered, a portion
//! marked above the banner, the declassification line deleted, a control removed from the
//! banner, a sub-portion marked above its parent.
//!
//! The harness takes a directory: `DECLASS_PLANTED_DIR=/path cargo test --test
//! audit_planted -- --nocapture` runs it over other labelled documents and prints the rates
//! per kind and the errors per clean document.

use declass::audit::{AuditContext, audit};
use declass::diagnostic::{Diagnostic, Severity};
use declass::document::Date;
use declass::marking::Level;
use regex::Regex;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::LazyLock;

use crate::common;

/// A portion mark at the start of a line, after an optional number, letter or bullet.
static MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\s*(?:\d{1,2}[.)]|[a-z][.)]|\(\d{1,2}\)|[•\-*o])?\s*)\((U|C|S|TS)((?://[^)]*)?)\)\s*",
    )
    .expect("regex")
});

/// A sub-portion: a mark after a letter, bracketed number or bullet.
static SUB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[a-z][.)]|\(\d{1,2}\)|[•\-*o])\s*\(").expect("regex"));

static DECL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bdeclassify\s+on\b|\bDECL\s+ON\b|\bDECL\s*:").expect("regex")
});

static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bclassified\s+by\b|\bderived\s+from\s*:|^\s*derived\s+from\b|\bCL\s*BY\b|\bDRV\s*FM\b|^\s*reason\s*:")
        .expect("regex")
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    MarkRemoved,
    BannerLowered,
    PortionAboveBanner,
    DeclassifyDeleted,
    BannerControlRemoved,
    SubAboveParent,
}

const KINDS: [Kind; 6] = [
    Kind::MarkRemoved,
    Kind::BannerLowered,
    Kind::PortionAboveBanner,
    Kind::DeclassifyDeleted,
    Kind::BannerControlRemoved,
    Kind::SubAboveParent,
];

/// A planted copy: the text, the lines a finding must stand on, and the line deleted (for
/// mapping the clean findings onto the planted text).
struct Planted {
    text: String,
    expect: Vec<usize>,
    /// Lines (1-based, of the clean text) that planting deleted.
    deleted: Vec<usize>,
}

fn abbrev_up(l: Level) -> Option<Level> {
    match l {
        Level::U => Some(Level::C),
        Level::C => Some(Level::S),
        Level::S => Some(Level::TS),
        Level::TS => None,
    }
}

fn abbrev_down(l: Level) -> Option<Level> {
    match l {
        Level::TS => Some(Level::S),
        Level::S => Some(Level::C),
        Level::C => Some(Level::U),
        Level::U => None,
    }
}

fn level_of(abbrev: &str) -> Level {
    Level::from_name(abbrev).expect("level")
}

fn join(lines: &[String]) -> String {
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// Classified portion marks before prose: (line index, mark level).
fn marked_lines(lines: &[String]) -> Vec<(usize, Level)> {
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let c = MARK.captures(l)?;
            let rest = &l[c.get(0).expect("match").end()..];
            (rest.split_whitespace().count() >= 6).then(|| (i, level_of(&c[2])))
        })
        .collect()
}

/// Banner lines: the level word (glued `TOPSECRET` too, as extraction leaves it) alone or
/// before `//`. (index, level, byte range of the level word)
fn banners(lines: &[String]) -> Vec<(usize, Level)> {
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| BANNER.captures(l).map(|c| (i, banner_level(&c[1]))))
        .collect()
}

static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(TOP\s*SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)\s*(?://|$)").expect("regex")
});

fn banner_level(word: &str) -> Level {
    if word.starts_with("TOP") {
        Level::TS
    } else {
        level_of(word)
    }
}

/// Replaces the level word of banner line `line` with `to`.
fn set_banner_level(line: &str, to: Level) -> String {
    let c = BANNER.captures(line).expect("banner");
    let g = c.get(1).expect("level");
    format!("{}{}{}", &line[..g.start()], to.title(), &line[g.end()..])
}

fn set_mark_level(line: &str, to: Level) -> String {
    let c = MARK.captures(line).expect("mark");
    let g = c.get(2).expect("level");
    format!("{}{}{}", &line[..g.start()], to.abbrev(), &line[g.end()..])
}

fn plant(text: &str, kind: Kind) -> Option<Planted> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let marks = marked_lines(&lines);
    let banner_lines = banners(&lines);
    let top = banner_lines.iter().map(|b| b.1).max();
    match kind {
        Kind::MarkRemoved => {
            let &(i, _) = marks.iter().find(|(_, l)| l.is_classified())?;
            let c = MARK.captures(&lines[i]).expect("mark");
            let (lead, all) = (c.get(1).expect("lead"), c.get(0).expect("all"));
            lines[i] = format!("{}{}", lead.as_str(), &lines[i][all.end()..]);
            Some(Planted {
                text: join(&lines),
                expect: vec![i + 1],
                deleted: Vec::new(),
            })
        }
        Kind::BannerLowered => {
            // Below the highest portion, so that the banner is wrong, not just lower.
            let highest = marks.iter().map(|m| m.1).max()?;
            let lower = abbrev_down(highest)?;
            let &(i, level) = banner_lines.iter().find(|(_, l)| *l > lower)?;
            let _ = level;
            lines[i] = set_banner_level(&lines[i], lower);
            Some(Planted {
                text: join(&lines),
                expect: vec![i + 1],
                deleted: Vec::new(),
            })
        }
        Kind::PortionAboveBanner => {
            let above = abbrev_up(top?)?;
            let &(i, _) = marks.first()?;
            lines[i] = set_mark_level(&lines[i], above);
            Some(Planted {
                text: join(&lines),
                expect: vec![i + 1],
                deleted: Vec::new(),
            })
        }
        Kind::DeclassifyDeleted => {
            // Every copy: a pdftotext dump repeats the block on each page.
            let hits: Vec<usize> = (0..lines.len())
                .filter(|&i| DECL.is_match(&lines[i]))
                .collect();
            if hits.is_empty() {
                return None;
            }
            let mut deleted = Vec::new();
            for &i in hits.iter().rev() {
                let at = DECL.find(&lines[i]).expect("decl").start();
                if lines[i][..at].trim().is_empty() {
                    lines.remove(i);
                    deleted.push(i + 1);
                } else {
                    lines[i].truncate(at);
                }
            }
            deleted.reverse();
            // At the authority block that remains, else at the top of the document.
            let mut expect: Vec<usize> = lines
                .iter()
                .position(|l| BLOCK.is_match(l))
                .map(|b| vec![b + 1])
                .unwrap_or_default();
            expect.push(1);
            if let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) {
                expect.push(first + 1);
            }
            if let Some(&(b, _)) = banner_lines.first() {
                expect.push(b + 1 - deleted.iter().filter(|&&d| d <= b).count());
            }
            Some(Planted {
                text: join(&lines),
                expect,
                deleted,
            })
        }
        Kind::BannerControlRemoved => {
            // A control some portion carries: NOFORN, else the SCI system.
            let carried = |token: &str| {
                lines.iter().any(|l| {
                    MARK.captures(l)
                        .is_some_and(|c| c[3].split(['/', ' ', ',']).any(|t| t == token))
                })
            };
            let (segment, token) = [
                ("NOFORN", "NF"),
                ("NOFORN", "NOFORN"),
                ("SI", "SI"),
                ("COMINT", "SI"),
            ]
            .into_iter()
            .find(|(_, t)| carried(t))?;
            let seg =
                Regex::new(&format!(r"\s*//\s*{segment}\b(?:\s*/\s*[A-Z]+)*")).expect("regex");
            let i = banner_lines
                .iter()
                .map(|b| b.0)
                .find(|&i| seg.is_match(&lines[i]))?;
            let _ = token;
            lines[i] = seg.replace(&lines[i], "").into_owned();
            Some(Planted {
                text: join(&lines),
                expect: vec![i + 1],
                deleted: Vec::new(),
            })
        }
        Kind::SubAboveParent => {
            let top = top?;
            let all: Vec<(usize, Level)> = lines
                .iter()
                .enumerate()
                .filter_map(|(i, l)| MARK.captures(l).map(|c| (i, level_of(&c[2]))))
                .collect();
            let pair = all.windows(2).find(|w| {
                SUB.is_match(&lines[w[1].0])
                    && !SUB.is_match(&lines[w[0].0])
                    && w[1].1 <= w[0].1
                    && (abbrev_up(w[0].1).is_some_and(|l| l <= top) || w[1].1 > Level::U)
            })?;
            let ((p, parent), (s, _)) = (pair[0], pair[1]);
            match abbrev_up(parent).filter(|&l| l <= top) {
                Some(up) => lines[s] = set_mark_level(&lines[s], up),
                None => {
                    let sub = pair[1].1;
                    lines[p] = set_mark_level(&lines[p], abbrev_down(sub)?);
                }
            }
            Some(Planted {
                text: join(&lines),
                expect: vec![s + 1],
                deleted: Vec::new(),
            })
        }
    }
}

fn run(text: &str) -> Vec<Diagnostic> {
    let doc = declass::parse::parse_str(text).expect("parses");
    let ctx = AuditContext {
        as_of: Date::new(2026, 1, 1).expect("date"),
    };
    audit(&doc, &ctx)
}

fn dir() -> PathBuf {
    std::env::var_os("DECLASS_PLANTED_DIR").map_or_else(
        || common::root().join("tests/fixtures/audit/modern"),
        PathBuf::from,
    )
}

#[test]
fn planted_defects_are_reported_at_their_line() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("planted dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no documents in {}", dir().display());
    let mut tally = [(0usize, 0usize); 6];
    let mut info_only = [0usize; 6];
    let mut errors_per_doc = Vec::new();
    let mut missed = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read");
        let clean = run(&text);
        errors_per_doc.push(
            clean
                .iter()
                .filter(|d| d.severity() == Severity::Error)
                .count(),
        );
        for (k, kind) in KINDS.iter().enumerate() {
            let Some(planted) = plant(&text, *kind) else {
                continue;
            };
            // A finding is new when its line, code or message is: a banner that already
            // lacked ORCON and now lacks NOFORN too says so in its message.
            let before: BTreeSet<(usize, _, String)> = clean
                .iter()
                .filter(|d| !planted.deleted.contains(&d.line))
                .map(|d| {
                    let shift = planted.deleted.iter().filter(|&&del| del < d.line).count();
                    (d.line - shift, d.code, d.message.clone())
                })
                .collect();
            let (new, info): (Vec<Diagnostic>, Vec<Diagnostic>) = run(&planted.text)
                .into_iter()
                .filter(|d| !before.contains(&(d.line, d.code, d.message.clone())))
                .partition(|d| d.severity() >= Severity::Warning);
            let found = new.iter().any(|d| planted.expect.contains(&d.line));
            // Reported only as info (DCL053: a sub-portion above its lead-in is allowed by
            // CAPCO, so the rule only informs): counted apart, never as found.
            if !found && info.iter().any(|d| planted.expect.contains(&d.line)) {
                info_only[k] += 1;
            }
            tally[k].0 += 1;
            if found {
                tally[k].1 += 1;
            } else {
                let elsewhere: Vec<String> = new
                    .iter()
                    .map(|d| format!("{}@{}", d.code, d.line))
                    .collect();
                missed.push(format!(
                    "{kind:?} {}:{:?}, new findings {elsewhere:?}",
                    path.file_name().unwrap().to_string_lossy(),
                    planted.expect
                ));
            }
        }
    }
    let (planted, reported) = tally.iter().fold((0, 0), |a, t| (a.0 + t.0, a.1 + t.1));
    for ((kind, (n, hit)), info) in KINDS.iter().zip(tally).zip(info_only) {
        println!("{kind:?}: {hit}/{n} reported at the planted line (and {info} more as info only)");
    }
    errors_per_doc.sort_unstable();
    let median = errors_per_doc[errors_per_doc.len() / 2];
    println!(
        "all kinds: {reported}/{planted}; clean documents: errors per document {errors_per_doc:?}, median {median}"
    );
    for m in &missed {
        println!("missed: {m}");
    }
    // Floors measured on the fixtures; raise them as the parser and the rules improve.
    if std::env::var_os("DECLASS_PLANTED_DIR").is_none() {
        assert!(planted >= 35, "only {planted} defects planted");
        assert!(
            reported * 100 >= planted * 95,
            "{reported}/{planted} reported at the planted line"
        );
    }
}
