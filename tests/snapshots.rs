//! Snapshot tests of the release: the text release, its manifest and the JSON release of
//! the seed and of every fixture cable under the default policy and a fixed `--as-of`.
//!
//! These are the safety net for refactors of the release path: any change to what a
//! release prints shows here as a diff. `UPDATE_SNAPSHOTS=1 cargo test --test integration snapshots`
//! rewrites them (read the diff before committing it).

use crate::common;

use declass::document::Date;
use declass::job::{Format, produce};
use declass::policy::{Context, Policy};

/// The seed and the fixture cables, as (snapshot name, path relative to the repository).
fn inputs() -> Vec<(String, String)> {
    let mut out = vec![(
        "07PRAGUE486".to_string(),
        "samples/07PRAGUE486.txt".to_string(),
    )];
    let dir = common::root().join("tests/fixtures/cables");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/cables")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    for n in names {
        let stem = n.trim_end_matches(".txt").to_string();
        out.push((stem, format!("tests/fixtures/cables/{n}")));
    }
    out
}

/// Releases `path` in `format`; a refused release is snapshotted as its error, so that a
/// change in what is refused shows too.
fn release(path: &str, format: Format) -> (String, String) {
    let policy = Policy::default_policy();
    let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
    let job = common::job(&policy, &ctx, format);
    match produce(&common::read(path), path, &job) {
        Ok(p) => (
            String::from_utf8(p.bytes).expect("UTF-8 output"),
            p.manifest,
        ),
        Err(e) => (format!("refused: {e}\n"), String::new()),
    }
}

#[test]
fn text_release_and_manifest_of_seed_and_fixture_cables() {
    let inputs = inputs();
    assert!(inputs.len() > 30, "the fixture cables are there");
    for (name, path) in &inputs {
        let (text, manifest) = release(path, Format::Text);
        common::snapshot("release", &format!("{name}.release.txt"), &text);
        common::snapshot("release", &format!("{name}.manifest.json"), &manifest);
    }
}

#[test]
fn json_release_of_seed_and_fixture_cables() {
    for (name, path) in &inputs() {
        let (json, _) = release(path, Format::Json);
        common::snapshot("release", &format!("{name}.release.json"), &json);
    }
}
