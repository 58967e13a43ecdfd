//! Adjacent withheld rows with different labels, set so tight that their boxes overlap
//! (13-point text on 14-point leading: a box is 1.2 sizes tall): the release cuts both back
//! to the middle of the overlap, so they meet there, each label in its own box, and the
//! page is released instead of refused. `verify` finds no text under either box.

use crate::pdf_common;

use pdf_common::{make_sized, rectangles, release, verify};

#[test]
fn overlapping_boxes_of_adjacent_rows_meet_mid_overlap() {
    // The banner (withheld as furniture) right above a SECRET portion (withheld with its
    // codes): two labels, two boxes, on adjacent rows.
    let lines = [
        "SECRET",
        "1. (S) The source Dmitri Kuznetsov met the officer in Vienna.",
        "",
        "2. (U) The meeting was routine and ended at noon.",
        "",
        "SECRET",
    ];
    let source = make_sized(&lines, None, 13.0);
    let (o, out) = release(&source, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = out.expect("a released PDF");
    assert!(!String::from_utf8_lossy(&out).contains("Kuznetsov"));
    let rects = rectangles(&out);
    // Boxes as [x0, y0, x1, y1], top first.
    let mut boxes: Vec<[f32; 4]> = rects
        .iter()
        .map(|r| [r[0], r[1], r[0] + r[2], r[1] + r[3]])
        .collect();
    boxes.sort_by(|a, b| b[3].total_cmp(&a[3]));
    assert!(boxes.len() >= 2, "{boxes:?}");
    let (upper, lower) = (boxes[0], boxes[1]);
    // Uncut they would overlap by 1.6 points (13 * 1.2 - 14); cut, they meet.
    assert!(
        (upper[1] - lower[3]).abs() < 0.01,
        "the boxes do not meet: {upper:?} {lower:?}"
    );
    // Each still covers its row's letters (baselines 740 and 726, 13 points).
    assert!(
        upper[1] <= 740.0 && upper[3] >= 740.0 + 0.7 * 13.0,
        "{upper:?}"
    );
    assert!(
        lower[1] <= 726.0 - 0.2 * 13.0 && lower[3] >= 726.0 + 0.5 * 13.0,
        "{lower:?}"
    );
    // Nothing is hidden under either box, by verify's own reading.
    let (_, said) = verify(&out, &source);
    assert!(!said.contains("text under a box"), "{said}");
}
