//! Fault injection: a batch release of 1,000 cables is killed with SIGKILL at random points
//! (fixed seed), again and again into the same output directory. After every kill each
//! output present must be complete (the release byte for byte what the library produces
//! for its source, which passes the leak check; the manifest whole JSON naming that
//! release's digest) and pass `declass verify`; a temporary file may be left by the killed
//! process but is never named like an output; and a final re-run completes every release.
//!
//! A release and its manifest are a pair: after every kill each release has its manifest
//! (the manifest is renamed into place first), and once the directory is recovered (what
//! every run does before it writes there) each manifest has its release too.

use crate::common;

use declass::document::Date;
use declass::job::{self, Format};
use declass::policy::{Context, Policy};
use declass::release::digest::sha256_hex;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILES: usize = 1_000;
const KILLS: usize = 5;
const AS_OF: &str = "2026-01-01";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_declass"))
}

/// 1,000 small cables: the smaller fixtures, cycled under new names. Returns each name
/// with the fixture it copies.
fn make_inputs(dir: &Path) -> Vec<(String, PathBuf)> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cables");
    let mut small: Vec<PathBuf> = fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| fs::metadata(p).unwrap().len() < 3_000)
        .collect();
    small.sort();
    assert!(small.len() >= 4, "enough small fixtures");
    fs::create_dir_all(dir).unwrap();
    (0..FILES)
        .map(|i| {
            let src = &small[i % small.len()];
            let stem = src.file_stem().unwrap().to_str().unwrap();
            let name = format!("{stem}-{i:04}");
            fs::copy(src, dir.join(format!("{name}.txt"))).unwrap();
            (name, src.clone())
        })
        .collect()
}

/// What an uninterrupted run writes for each fixture: the library's release, checked by
/// the leak check against its source.
fn expected(fixtures: impl Iterator<Item = PathBuf>) -> HashMap<PathBuf, Vec<u8>> {
    let policy = Policy::default_policy();
    let context = Context::new(Date::new(2026, 1, 1).unwrap());
    let job = common::job(&policy, &context, Format::Text);
    let mut out = HashMap::new();
    for src in fixtures {
        if out.contains_key(&src) {
            continue;
        }
        let bytes = fs::read(&src).unwrap();
        let name = src.file_name().unwrap().to_str().unwrap();
        let produced = job::produce(&bytes, name, &job).unwrap();
        let leaks = declass::verify::withheld_labels(
            &produced.bytes,
            &bytes,
            Some(name),
            &policy,
            &context,
        )
        .unwrap();
        assert!(leaks.is_empty(), "{name}: {leaks:?}");
        out.insert(src, produced.bytes);
    }
    out
}

fn release(input: &Path, out: &Path) -> Command {
    let mut cmd = bin();
    cmd.args(["release", "--as-of", AS_OF, "-j", "2", "--out-dir"])
        .arg(out)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// A small deterministic generator (xorshift64*), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.contains(".declass-tmp.")
}

/// What a directory of outputs holds.
struct Found {
    /// Names whose release is present, sorted.
    present: Vec<String>,
    /// Names whose manifest is present, sorted.
    manifests: Vec<String>,
    /// Names whose release waits under a temporary name, its pair's manifest committed.
    pending: Vec<String>,
    temporaries: usize,
}

/// Checks every file in `out`.
fn check_outputs(
    out: &Path,
    input: &Path,
    sources: &HashMap<String, PathBuf>,
    releases: &HashMap<PathBuf, Vec<u8>>,
) -> Found {
    let mut present = Vec::new();
    let mut manifests = Vec::new();
    let mut pending = Vec::new();
    let mut temporaries = 0;
    for e in fs::read_dir(out).unwrap() {
        let file = e.unwrap().file_name().into_string().unwrap();
        if is_temporary(&file) {
            // Never taken for an output: hidden, and not named like one.
            assert!(
                !file.ends_with(".txt") && !file.ends_with(".json"),
                "{file}"
            );
            temporaries += 1;
            if let Some((name, _)) = file
                .strip_prefix('.')
                .and_then(|f| f.split_once(".release.txt.declass-tmp."))
                .filter(|_| file.ends_with(".r"))
            {
                pending.push(name.to_string());
            }
            continue;
        }
        let got = fs::read(out.join(&file)).unwrap();
        if let Some(name) = file.strip_suffix(".release.txt") {
            let expected = &releases[&sources[name]];
            assert!(&got == expected, "{file}: incomplete or different release");
            present.push(name.to_string());
        } else if let Some(name) = file.strip_suffix(".release.manifest.json") {
            let m: serde_json::Value = serde_json::from_slice(&got)
                .unwrap_or_else(|e| panic!("{file}: not whole JSON: {e}"));
            let source = input.join(format!("{name}.txt"));
            assert_eq!(m["input"]["path"], source.display().to_string(), "{file}");
            let release = &releases[&sources[name]];
            assert_eq!(m["output"]["sha256"], sha256_hex(release), "{file}");
            manifests.push(name.to_string());
        } else {
            panic!("{file}: not an output of a release");
        }
    }
    present.sort();
    manifests.sort();
    Found {
        present,
        manifests,
        pending,
        temporaries,
    }
}

/// Every release has its manifest; every manifest has its release, or (just after a kill,
/// before recovery) its release waiting under a temporary name.
fn assert_pairs(found: &Found, recovered: bool) {
    for name in &found.present {
        assert!(
            found.manifests.binary_search(name).is_ok(),
            "{name}: a release without its manifest"
        );
    }
    for name in &found.manifests {
        let paired = found.present.binary_search(name).is_ok();
        let waiting = !recovered && found.pending.contains(name);
        assert!(paired || waiting, "{name}: a manifest without its release");
    }
}

fn verify_cli(release: &Path, source: &Path) {
    let o = bin()
        .args(["verify", "--as-of", AS_OF, "--source"])
        .arg(source)
        .arg(release)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}: {}",
        release.display(),
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn killed_batch_releases_leave_only_complete_outputs_and_a_rerun_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    let inputs = make_inputs(&input);
    let releases = expected(inputs.iter().map(|(_, src)| src.clone()));
    let sources: HashMap<String, PathBuf> = inputs.into_iter().collect();

    // How long a whole run takes, from a tenth of the batch.
    let sample = tmp.path().join("sample");
    fs::create_dir(&sample).unwrap();
    for (name, _) in sources.iter().take(FILES / 10) {
        fs::copy(
            input.join(format!("{name}.txt")),
            sample.join(format!("{name}.txt")),
        )
        .unwrap();
    }
    let started = Instant::now();
    assert!(
        release(&sample, &tmp.path().join("sample-out"))
            .status()
            .unwrap()
            .success()
    );
    let full = started.elapsed() * 10;

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut interrupted = 0;
    for round in 0..KILLS {
        // Each run starts from what the last killed run left: outputs are replaced, never
        // truncated, while the kill lands.
        let delay = full.mul_f64(0.05 + 0.6 * rng.below(1000) as f64 / 1000.0);
        let mut child = release(&input, &out).spawn().unwrap();
        std::thread::sleep(delay.max(Duration::from_millis(20)));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        let found = check_outputs(&out, &input, &sources, &releases);
        assert_pairs(&found, false);
        // What the next run does first: finish or undo the killed run's last commits.
        declass::output::recover(&out);
        let found = check_outputs(&out, &input, &sources, &releases);
        assert_pairs(&found, true);
        let Found {
            present,
            temporaries,
            ..
        } = found;
        // `declass verify` itself on a few of them.
        for _ in 0..present.len().min(3) {
            let name = &present[rng.below(present.len() as u64) as usize];
            verify_cli(
                &out.join(format!("{name}.release.txt")),
                &input.join(format!("{name}.txt")),
            );
        }
        eprintln!(
            "round {round}: killed after {delay:?} (a run takes about {full:?}): {} releases \
             complete, {temporaries} temporaries",
            present.len()
        );
    }
    assert!(interrupted > 0, "at least one kill interrupted a run");

    // A re-run completes the rest.
    assert!(release(&input, &out).status().unwrap().success());
    let found = check_outputs(&out, &input, &sources, &releases);
    assert_pairs(&found, true);
    let present = found.present;
    assert_eq!(present.len(), FILES, "every release present after a re-run");
    let manifests = fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            let e = e.as_ref().unwrap().file_name();
            e.to_str().unwrap().ends_with(".release.manifest.json")
        })
        .count();
    assert_eq!(manifests, FILES, "every manifest present after a re-run");
}

/// The state a kill between a pair's two renames leaves (the manifest in place, the
/// release still under its temporary name), and one before either (both temporaries):
/// the next run into the directory finishes the first and removes the second.
#[test]
fn the_next_run_finishes_a_commit_cut_between_its_two_renames() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    let inputs = make_inputs(&input);
    let first = input.join(format!("{}.txt", inputs[0].0));
    assert!(release(&first, &out).status().unwrap().success());
    let name = &inputs[0].0;
    let released = out.join(format!("{name}.release.txt"));
    let bytes = fs::read(&released).unwrap();
    let mut child = bin()
        .arg("--version")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let dead = child.id();
    child.wait().unwrap();
    fs::rename(
        &released,
        out.join(format!(".{name}.release.txt.declass-tmp.{dead}.7.r")),
    )
    .unwrap();
    for (file, role) in [("b.release.manifest.json", "m"), ("b.release.txt", "r")] {
        fs::write(
            out.join(format!(".{file}.declass-tmp.{dead}.8.{role}")),
            "partial",
        )
        .unwrap();
    }
    let second = input.join(format!("{}.txt", inputs[1].0));
    assert!(release(&second, &out).status().unwrap().success());
    assert_eq!(fs::read(&released).unwrap(), bytes, "the release finished");
    let mut left: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    let mut want = [0, 1]
        .iter()
        .flat_map(|&i| {
            let n = &inputs[i].0;
            [
                format!("{n}.release.manifest.json"),
                format!("{n}.release.txt"),
            ]
        })
        .collect::<Vec<_>>();
    want.sort();
    assert_eq!(left, want, "no temporary left, no half pair");
}
