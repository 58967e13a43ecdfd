//! The width attack: a box's geometry must not tell the length of what it covers. Two PDFs
//! that differ only in the length of a withheld name are released; the rectangles drawn in
//! the outputs (read from their content streams with lopdf) must be the same, with and
//! without `--fixed-width`.

use crate::pdf_common;

use pdf_common::{make, memo, rectangles, release};

fn boxes(name: &str, extra: &[&str]) -> Vec<[f32; 4]> {
    let lines = memo(name);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (o, out) = release(&make(&lines, None), extra);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = out.expect("a released PDF");
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains(name), "the withheld name is in the output");
    rectangles(&out)
}

#[test]
fn box_geometry_does_not_depend_on_the_withheld_length() {
    let short = boxes("Li", &[]);
    let long = boxes("Maximilian Alexander Oberhuber-Schwarzenberg", &[]);
    assert!(!short.is_empty(), "no box drawn over the withheld portion");
    assert_eq!(short, long);
}

#[test]
fn fixed_width_boxes_do_not_depend_on_it_either() {
    let short = boxes("Li", &["--fixed-width", "30"]);
    let long = boxes(
        "Maximilian Alexander Oberhuber-Schwarzenberg",
        &["--fixed-width", "30"],
    );
    assert!(!short.is_empty(), "no box drawn over the withheld portion");
    assert_eq!(short, long);
    // 30 characters of 6 pt, plus the 2 pt margin on each side.
    assert!(
        short.iter().all(|r| (r[2] - 184.0).abs() < 0.01),
        "{short:?}"
    );
}
