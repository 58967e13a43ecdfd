use super::linebreak::{RowBuilder, redaction_chunks};
use super::*;

fn text_atoms(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// `wrap` as it was before words were moved as slices: every atom on its own. The two must
/// agree on everything.
fn wrap_atom_by_atom(atoms: &[u8], boxes: &[RedactionAtom], cols: usize) -> (Vec<Row>, usize) {
    let width = |a: u8, k: usize| match a {
        BOX => boxes[k].width,
        BREAK => 0,
        _ => 1,
    };
    let mut b = RowBuilder::new();
    let mut pending_spaces = 0usize;
    let mut next_box = 0;
    let mut i = 0;
    while i < atoms.len() {
        match atoms[i] {
            SPACE => {
                pending_spaces += 1;
                i += 1;
            }
            BREAK => {
                b.end_row(false);
                pending_spaces = 0;
                i += 1;
            }
            _ => {
                let end = atoms[i..]
                    .iter()
                    .position(|&a| a == SPACE || a == BREAK)
                    .map_or(atoms.len(), |p| i + p);
                let word = &atoms[i..end];
                let mut k = next_box;
                let total: usize = word
                    .iter()
                    .map(|&a| {
                        let w = width(a, k);
                        k += usize::from(a == BOX);
                        w
                    })
                    .sum();
                let spaces = if b.col == 0 && b.continuation {
                    0
                } else {
                    pending_spaces
                };
                if b.col + spaces + total <= cols {
                    b.spaces(spaces);
                } else {
                    b.wrap_row();
                }
                for &atom in word {
                    if b.col + width(atom, next_box) > cols && b.col > 0 {
                        b.wrap_row();
                    }
                    if atom == BOX {
                        b.redaction(&boxes[next_box]);
                        next_box += 1;
                    } else {
                        b.glyph(atom);
                    }
                }
                pending_spaces = 0;
                i = end;
            }
        }
    }
    let end_col = (b.col + pending_spaces).min(cols);
    b.end_row(true);
    (b.rows, end_col)
}

fn row_text(row: &Row) -> String {
    let mut s = String::new();
    for p in row {
        if let Piece::Text { col, bytes } = p {
            while s.len() < *col {
                s.push(' ');
            }
            s.push_str(std::str::from_utf8(bytes).unwrap());
        }
    }
    s
}

#[test]
fn wraps_at_spaces_and_drops_continuation_indent() {
    let (rows, end) = wrap(&text_atoms("  aaa bbb   ccc dd"), &[], 9);
    let lines: Vec<String> = rows.iter().map(row_text).collect();
    assert_eq!(lines, ["  aaa bbb", "ccc dd"]);
    assert_eq!(end, 6);
}

#[test]
fn lines_that_fit_are_one_row_as_word_by_word() {
    for line in [
        "",
        "   ",
        "  ab  c  ",
        "abc",
        "a b",
        " 123456789",
        "123456789 ",
    ] {
        for cols in [9, 10, 12] {
            let atoms = text_atoms(line);
            assert_eq!(
                wrap(&atoms, &[], cols),
                wrap_atom_by_atom(&atoms, &[], cols),
                "{line:?} in {cols}"
            );
        }
    }
}

#[test]
fn hard_breaks_overlong_words() {
    let (rows, _) = wrap(&text_atoms("ab abcdefghij k"), &[], 4);
    let lines: Vec<String> = rows.iter().map(row_text).collect();
    assert_eq!(lines, ["ab", "abcd", "efgh", "ij k"]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Whatever the words, spaces and boxes, rows stay within the width and every glyph and
    /// box comes out once, in order.
    #[test]
    fn wrapping_keeps_everything_in_order(
        tokens in proptest::collection::vec((0usize..4, "[a-z()]{0,30}", proptest::option::of(1usize..40)), 0..40),
        cols in 5usize..80,
    ) {
        let mut atoms = Vec::new();
        let mut boxes = Vec::new();
        let mut expected = Vec::new();
        for (spaces, word, redaction) in &tokens {
            atoms.extend(std::iter::repeat_n(SPACE, *spaces));
            atoms.extend(word.bytes());
            expected.extend(word.bytes().map(|b| (b, 0)));
            if let Some(width) = redaction {
                let width = (*width).min(cols);
                atoms.push(BOX);
                boxes.push(RedactionAtom { width, label: Vec::new() });
                expected.push((b'#', width));
            }
        }
        let (rows, end) = wrap(&atoms, &boxes, cols);
        proptest::prop_assert!(end <= cols);
        let mut seen = Vec::new();
        for row in &rows {
            let mut col = 0;
            for piece in row {
                match piece {
                    Piece::Text { col: c, bytes } => {
                        proptest::prop_assert!(*c >= col);
                        col = c + bytes.len();
                        seen.extend(bytes.iter().filter(|&&b| b != b' ').map(|&b| (b, 0)));
                    }
                    Piece::Redaction { col: c, width, .. } => {
                        proptest::prop_assert!(*c >= col);
                        col = c + width;
                        seen.push((b'#', *width));
                    }
                }
            }
            proptest::prop_assert!(col <= cols, "row wider than {} cells", cols);
        }
        proptest::prop_assert_eq!(seen, expected);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Moving fitting words whole gives the same rows as placing every atom on its own,
    /// with spaces, hard breaks, boxes inside words and words longer than a line.
    #[test]
    fn words_as_slices_match_atom_by_atom(
        tokens in proptest::collection::vec(
            (0usize..4, "[a-z\u{b6}]{0,90}", proptest::option::of(1usize..40), proptest::bool::ANY),
            0..40,
        ),
        cols in 1usize..80,
    ) {
        let mut atoms = Vec::new();
        let mut boxes = Vec::new();
        for (spaces, word, redaction, hard_break) in &tokens {
            atoms.extend(std::iter::repeat_n(SPACE, *spaces));
            let mut enc = Encoder::default();
            let bytes = enc.encode_str(word);
            let (head, tail) = bytes.split_at(bytes.len() / 2);
            atoms.extend_from_slice(head);
            if let Some(width) = redaction {
                atoms.push(BOX);
                boxes.push(RedactionAtom { width: (*width).min(cols), label: b"B6".to_vec() });
            }
            atoms.extend_from_slice(tail);
            if *hard_break {
                atoms.push(BREAK);
            }
        }
        proptest::prop_assert_eq!(
            wrap(&atoms, &boxes, cols),
            wrap_atom_by_atom(&atoms, &boxes, cols)
        );
    }
}

#[test]
fn wide_redactions_are_cut_to_lines_and_keep_codes() {
    let chunks = redaction_chunks(b"B6".to_vec(), 200).unwrap();
    assert_eq!(
        chunks.iter().map(|c| c.width).collect::<Vec<_>>(),
        [78, 78, 44]
    );
    assert!(chunks.iter().all(|c| c.label == b"B6"));
    let grown = redaction_chunks(b"B1, 1.4(B)".to_vec(), 3).unwrap();
    assert_eq!(grown[0].width, 12);
    assert!(redaction_chunks(Vec::new(), 0).is_err());
}
