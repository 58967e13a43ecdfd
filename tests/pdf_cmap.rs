//! declass's ToUnicode reader against lopdf's, on real maps: every map under
//! `tests/fixtures/pdf/cmap` (taken from the fonts of modern-corpus PDFs, see the README
//! there) must be read the same by both, range by range, and decode every one- and two-byte
//! string alike. The same comparison runs over the whole corpus with
//! `cargo run --release --example pdf_cmap_sweep -- ../shared/corpus/modern/pdf/*.pdf`.

#[path = "../examples/pdf_cmap_sweep.rs"]
#[allow(dead_code)]
mod sweep;

use std::path::Path;

use sweep::{Outcome, compare};

#[test]
fn every_fixture_map_is_read_as_lopdf_reads_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/cmap");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture maps")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cmap"))
        .collect();
    paths.sort();
    let mut same = 0;
    for path in &paths {
        let text = std::fs::read(path).expect("read map");
        match compare(&text) {
            Outcome::Same => same += 1,
            // Refused by both (`bfrange-1byte-cr`): the font falls back the same way.
            Outcome::BothRefuse => {}
            other => panic!("{}: {other:?}", path.display()),
        }
    }
    // No map of the fixtures is left to lopdf by declass's reader.
    assert!(same >= 11, "{same} of {} fixture maps read", paths.len());
}
