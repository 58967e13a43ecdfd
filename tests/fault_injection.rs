//! Fault injection: a batch release of 1,000 cables is killed with SIGKILL at random points
//! (fixed seed), again and again into the same output directory. After every kill each
//! output present must be complete (byte for byte the output of an uninterrupted run) and
//! pass `declass verify`; a temporary file may be left by the killed process but is never
//! named like an output; and a final re-run completes every release.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const FILES: usize = 1_000;
const KILLS: usize = 5;
const AS_OF: &str = "2026-01-01";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_declass"))
}

/// 1,000 small cables: the smaller fixtures, cycled under new names.
fn make_inputs(dir: &Path) -> Vec<String> {
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
            name
        })
        .collect()
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

/// Checks every file in `out` against the complete run in `reference`; returns the
/// releases present and the temporaries left.
fn check_outputs(out: &Path, reference: &Path) -> (Vec<String>, usize) {
    let mut releases = Vec::new();
    let mut temporaries = 0;
    for e in fs::read_dir(out).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if is_temporary(&name) {
            // Never picked up as an output: hidden, and not named like one.
            assert!(
                !name.ends_with(".txt") && !name.ends_with(".json"),
                "{name}"
            );
            temporaries += 1;
            continue;
        }
        let expected = fs::read(reference.join(&name))
            .unwrap_or_else(|_| panic!("{name}: not an output of a complete run"));
        let got = fs::read(out.join(&name)).unwrap();
        assert!(got == expected, "{name}: incomplete or different output");
        if let Some(stem) = name.strip_suffix(".release.txt") {
            releases.push(stem.to_string());
        }
    }
    releases.sort();
    (releases, temporaries)
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
    let reference = tmp.path().join("reference");
    let out = tmp.path().join("out");
    let names = make_inputs(&input);

    // An uninterrupted run: the expected outputs, and how long a run takes.
    let started = Instant::now();
    let status = release(&input, &reference).status().unwrap();
    let full = started.elapsed();
    assert!(status.success(), "the reference run succeeds");
    assert_eq!(
        fs::read_dir(&reference).unwrap().count(),
        2 * FILES,
        "a release and a manifest per input"
    );
    // Every reference release passes the leak check against its source (each distinct
    // pair once: the inputs are copies of a few cables).
    let policy = declass::policy::Policy::default_policy();
    let ctx = declass::policy::Context::new(declass::document::Date::new(2026, 1, 1).unwrap());
    let mut checked = std::collections::HashSet::new();
    for name in &names {
        let rel = fs::read(reference.join(format!("{name}.release.txt"))).unwrap();
        let src = fs::read(input.join(format!("{name}.txt"))).unwrap();
        if !checked.insert((rel.clone(), src.clone())) {
            continue;
        }
        let file = format!("{name}.txt");
        let leaks =
            declass::release::pipeline::verify(&rel, &src, Some(&file), &policy, &ctx).unwrap();
        assert!(leaks.is_empty(), "{name}: {leaks:?}");
    }
    eprintln!(
        "reference run: {full:?}; {} distinct releases verified",
        checked.len()
    );

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut killed_with_work_left = 0;
    for round in 0..KILLS {
        // Each run starts from what the last killed run left: outputs are replaced, never
        // truncated, while the kill lands.
        let delay = full.mul_f64(0.05 + 0.85 * rng.below(1000) as f64 / 1000.0);
        let mut child = release(&input, &out).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        if !finished {
            killed_with_work_left += 1;
        }
        let (present, temporaries) = check_outputs(&out, &reference);
        // `declass verify` itself on a few of them.
        for _ in 0..present.len().min(3) {
            let stem = &present[rng.below(present.len() as u64) as usize];
            verify_cli(
                &out.join(format!("{stem}.release.txt")),
                &input.join(format!("{stem}.txt")),
            );
        }
        eprintln!(
            "round {round}: killed after {delay:?}: {} releases complete, {temporaries} temporaries",
            present.len()
        );
    }
    assert!(
        killed_with_work_left > 0,
        "at least one kill interrupted a run"
    );

    // A re-run completes the rest.
    let status = release(&input, &out).status().unwrap();
    assert!(status.success());
    let (present, _) = check_outputs(&out, &reference);
    assert_eq!(present.len(), FILES, "every release present after a re-run");
    let manifests = fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            let e = e.as_ref().unwrap().file_name();
            e.to_str().unwrap().ends_with(".release.manifest.json")
        })
        .count();
    assert_eq!(manifests, FILES);
}
