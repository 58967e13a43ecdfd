//! The independent leak checker (`tests/independent/`) as a command, for the corpus sweep.
//!
//! Place in the project: outside the pipeline. It reads a source and the release declass
//! made of it, with its own mark reader, and names every classified portion whose opening
//! words the release prints (`PATH:LINE: LEVEL`), and every unmarked block of a classified
//! source whose words the release prints (`PATH:LINE: KIND`, the kinds of
//! `independent::unmarked`: `unmarked-after-U`, `unmarked-after-classified`, `unmarked`),
//! never the words.
//!
//! usage: `leakcheck SOURCE RELEASE [--target U|SBU|C|S|TS] [--explained FILE] [--repeats]
//! [--backlog N] [--run-ons-max N]`
//!
//! SOURCE and RELEASE are two files, or two directories: then every `.txt`, `.md` or
//! `.text` file under SOURCE is paired with `RELEASE/<same dir>/<stem>.release.txt` (or
//! `.release.json`); sources with no release (refused by declass) are counted. Entries of
//! the `--explained` file (`PATH:LINE reason`, `#` comments; PATH matches the end of a
//! source path) are counted apart and do not fail the run. `--repeats` also prints the
//! hits explained as repeats of text under a U or SBU mark.
//!
//! Two summary lines go to stderr: the marked rule's counts, then the unmarked rule's
//! (blocks checked, and per kind the unexplained hits, the explained ones and the repeats).
//!
//! `--backlog N` tolerates N unexplained hits of the unmarked rule's leak kinds (a corpus
//! whose hits are not all read yet; every hit is printed all the same); `--run-ons-max N`
//! fails the run when more than N `unmarked-after-U` hits (run-ons, which a person judges
//! and which are otherwise only counted) are found.
//!
//! Exit 0 when no marked-rule hit and the unmarked rule stays within those bounds, 1
//! otherwise, 2 when it could not run.

#[path = "../tests/independent/mod.rs"]
mod independent;

use independent::Level;
use independent::unmarked::Kind;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Options {
    source: PathBuf,
    release: PathBuf,
    target: Level,
    explained: Vec<independent::Explained>,
    repeats: bool,
    /// Unexplained hits of the unmarked rule's leak kinds tolerated: the backlog not yet
    /// read for a corpus (the sweep names it); 0 unless given.
    backlog: usize,
    /// `unmarked-after-U` hits tolerated (run-ons a person judges); unlimited unless given.
    run_ons_max: Option<usize>,
}

fn usage() -> String {
    "usage: leakcheck SOURCE RELEASE [--target U|SBU|C|S|TS] [--explained FILE] [--repeats] [--backlog N] [--run-ons-max N]"
        .to_owned()
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    let mut target = Level::U;
    let mut explained = Vec::new();
    let mut repeats = false;
    let mut backlog = 0;
    let mut run_ons_max = None;
    let number = |v: Option<String>, name: &str| -> Result<usize, String> {
        let v = v.ok_or_else(usage)?;
        v.parse().map_err(|_| format!("{name}: not a number: {v}"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--target" => {
                let v = args.next().ok_or_else(usage)?;
                target = Level::parse_target(&v).ok_or(format!("--target: unknown level {v}"))?;
            }
            "--explained" => {
                let v = args.next().ok_or_else(usage)?;
                explained = read_explained(Path::new(&v))?;
            }
            "--repeats" => repeats = true,
            "--backlog" => backlog = number(args.next(), "--backlog")?,
            "--run-ons-max" => run_ons_max = Some(number(args.next(), "--run-ons-max")?),
            "-h" | "--help" => return Err(usage()),
            _ if a.starts_with("--") => return Err(format!("unknown option {a}\n{}", usage())),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    let [source, release] = <[PathBuf; 2]>::try_from(paths).map_err(|_| usage())?;
    Ok(Options {
        source,
        release,
        target,
        explained,
        repeats,
        backlog,
        run_ons_max,
    })
}

fn read_explained(path: &Path) -> Result<Vec<independent::Explained>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    independent::explained_entries(&text)
        .map_err(|n| format!("{}:{n}: expected `PATH:LINE reason`", path.display()))
}

/// Every document under `dir`, in path order.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("txt" | "md" | "text")
        ) {
            out.push(p);
        }
    }
    Ok(())
}

/// The release of `source` under the release directory, if declass wrote one.
fn release_of(opts: &Options, source: &Path) -> Option<PathBuf> {
    let rel = source.strip_prefix(&opts.source).ok()?;
    let stem = rel.file_stem()?.to_str()?;
    let dir = opts.release.join(rel.parent().unwrap_or(Path::new("")));
    ["release.txt", "release.json"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| p.is_file())
}

#[derive(Default)]
struct Totals {
    sources: usize,
    unreleased: usize,
    checked: usize,
    open: usize,
    open_released: usize,
    /// The unmarked rule's blocks checked.
    blocks: usize,
    /// Hits by rule (row 0 the marked rule, rows 1 to 3 the unmarked rule's kinds in
    /// `Kind::ALL` order) and by `Slot` (repeats, explained, unexplained).
    slots: [[usize; 3]; 4],
}

impl Totals {
    /// Whether the run fails: a marked-rule hit, more unexplained leak-kind hits of the
    /// unmarked rule than the backlog, or more run-ons than allowed.
    fn fails(&self, opts: &Options) -> bool {
        let hits = |row: usize| self.slots[row][Slot::Hit as usize];
        let leaks: usize = Kind::ALL
            .iter()
            .enumerate()
            .filter(|(_, k)| k.is_leak())
            .map(|(i, _)| hits(i + 1))
            .sum();
        let run_ons = hits(1);
        hits(0) > 0 || leaks > opts.backlog || opts.run_ons_max.is_some_and(|m| run_ons > m)
    }
}

/// Where a hit of either rule is counted (its column in `Totals::slots`).
#[derive(Clone, Copy)]
enum Slot {
    /// Its words also stand under a U or SBU mark.
    Repeat,
    /// Listed in the `--explained` file.
    Explained,
    /// Unexplained: printed as `PATH:LINE: KIND`.
    Hit,
}

/// Sorts one hit (printed at `at`) into its slot, printing it when it is unexplained (or
/// a repeat under `--repeats`). A closed pipe (`| head`) is not an error of the check.
fn tally(
    opts: &Options,
    source: &str,
    line: usize,
    repeat: bool,
    at: &str,
    out: &mut impl Write,
) -> Slot {
    if repeat {
        if opts.repeats {
            let _ = writeln!(out, "{at} (repeat of text under a U mark)");
        }
        Slot::Repeat
    } else if opts.explained.iter().any(|e| e.covers(source, line)) {
        Slot::Explained
    } else {
        let _ = writeln!(out, "{at}");
        Slot::Hit
    }
}

fn check_pair(opts: &Options, source: &Path, release: &Path, t: &mut Totals) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    let src = std::fs::read(source).map_err(|e| format!("{}: {e}", source.display()))?;
    let rel = std::fs::read(release).map_err(|e| format!("{}: {e}", release.display()))?;
    let src = String::from_utf8_lossy(&src);
    let rel = independent::release_text(&rel);
    let report = independent::report(&src, &rel, opts.target);
    t.checked += report.checked;
    t.open += report.open;
    t.open_released += report.open_released;
    t.blocks += report.unmarked.checked;
    let name = source.to_string_lossy();
    // both rules' hits, each with its row in `Totals::slots`: the marked rule's first,
    // then the unmarked rule's by kind
    let marked = report
        .hits
        .iter()
        .map(|h| (h.line, h.repeat, h.level.to_string(), 0));
    let unmarked = report.unmarked.hits.iter().map(|h| {
        let k = Kind::ALL.iter().position(|&k| k == h.kind).unwrap_or(0);
        (h.line, h.repeat, h.kind.name().to_owned(), k + 1)
    });
    for (line, repeat, what, row) in marked.chain(unmarked) {
        let at = format!("{}:{line}: {what}", source.display());
        let slot = tally(opts, &name, line, repeat, &at, &mut stdout);
        t.slots[row][slot as usize] += 1;
    }
    Ok(())
}

fn run(opts: &Options) -> Result<Totals, String> {
    let mut t = Totals::default();
    if opts.source.is_dir() {
        if !opts.release.is_dir() {
            return Err(format!(
                "{}: SOURCE is a directory, so RELEASE must be one",
                opts.release.display()
            ));
        }
        let mut sources = Vec::new();
        walk(&opts.source, &mut sources)?;
        for source in &sources {
            t.sources += 1;
            match release_of(opts, source) {
                Some(release) => check_pair(opts, source, &release, &mut t)?,
                None => t.unreleased += 1,
            }
        }
    } else {
        t.sources = 1;
        check_pair(opts, &opts.source, &opts.release, &mut t)?;
    }
    Ok(t)
}

fn main() -> ExitCode {
    let opts = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("leakcheck: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(t) => {
            eprintln!(
                "leakcheck: {} sources ({} without a release), {} portions above {} checked: {} hits; {} explained by the list, {} repeats of text under a U mark; portions at or below {} released: {} of {}",
                t.sources,
                t.unreleased,
                t.checked,
                opts.target,
                t.slots[0][Slot::Hit as usize],
                t.slots[0][Slot::Explained as usize],
                t.slots[0][Slot::Repeat as usize],
                opts.target,
                t.open_released,
                t.open
            );
            let kinds: Vec<String> = Kind::ALL
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    format!(
                        "{} {} (+{} explained, {} repeats)",
                        k.name(),
                        t.slots[i + 1][Slot::Hit as usize],
                        t.slots[i + 1][Slot::Explained as usize],
                        t.slots[i + 1][Slot::Repeat as usize]
                    )
                })
                .collect();
            eprintln!(
                "leakcheck: unmarked blocks in classified sources checked: {}; hits: {}",
                t.blocks,
                kinds.join(", ")
            );
            ExitCode::from(u8::from(t.fails(&opts)))
        }
        Err(e) => {
            eprintln!("leakcheck: {e}");
            ExitCode::from(2)
        }
    }
}
