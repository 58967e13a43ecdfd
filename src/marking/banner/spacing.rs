//! Letter-spaced banners (`C O N F I D E N T I A L`, `S E C R E T`): runs of single
//! letters joined back into words before the level word is read. Shared by the banner
//! and caption readers.

/// `C O N F I D E N T I A L` → `CONFIDENTIAL`: joins runs of three or more single letters.
/// Words are split on single spaces and joined again by single spaces (so empty words
/// before the first one vanish); one pass over the bytes, no list of words.
pub fn collapse_letter_spacing(upper: &str) -> String {
    let bytes = upper.as_bytes();
    let mut out = String::with_capacity(upper.len());
    // The pending run of single-letter words: where its first letter is, and how many.
    // Its letters stand every other byte (`A B C`).
    let mut run = (0, 0);
    let mut start = 0;
    loop {
        let end = bytes[start..]
            .iter()
            .position(|&c| c == b' ')
            .map_or(bytes.len(), |k| start + k);
        let word = &upper[start..end];
        if is_single_letter(word) {
            if run.1 == 0 {
                run.0 = start;
            }
            run.1 += 1;
        } else {
            flush_run(upper, run, &mut out);
            run.1 = 0;
            push_word(&mut out, word);
        }
        if end == bytes.len() {
            break;
        }
        start = end + 1;
    }
    flush_run(upper, run, &mut out);
    out
}

/// Writes a run of single letters: joined into one word when three or more, else as
/// the separate words they were.
fn flush_run(upper: &str, (first, count): (usize, usize), out: &mut String) {
    let letters = (0..count).map(|k| &upper[first + 2 * k..first + 2 * k + 1]);
    if count >= 3 {
        push_word(out, "");
        letters.for_each(|l| out.push_str(l));
    } else {
        letters.for_each(|l| push_word(out, l));
    }
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

pub(super) fn is_single_letter(w: &str) -> bool {
    w.len() == 1 && w.as_bytes()[0].is_ascii_alphabetic()
}
