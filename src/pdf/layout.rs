//! Positioned fragments → lines of text laid out the way `pdftotext -layout` lays them out.
//!
//! Place in `pdf`: [`super::read`] runs each page's content through the interpreter of
//! `verify::pdf::content`, then hands the fragments here. Rows are fragments on one baseline;
//! each fragment is put at the column its x position gives (the page's typical character
//! pitch), and a vertical gap of more than one line pitch becomes blank lines, so the parser
//! sees the paragraph breaks and indents a reader sees. Every row remembers its fragments and
//! box, so a line the release withholds can be found again on the page.

use std::collections::HashMap;

use crate::verify::pdf::content::Fragment;

/// A horizontal gap wider than this share of the font size separates words.
const WORD_GAP: f32 = 0.2;
/// At most this many blank lines stand for one vertical gap (a half-empty page is not
/// forty blank lines).
const MAX_BLANKS: usize = 3;
/// A fragment repeating an earlier one's text within this share of the font size across
/// and ([`DUP_ACROSS`]) up or down is the same text drawn again (fake bold, a shadow, a
/// page that draws its text layer twice): it is read once, as `pdftotext` does.
const DUP_ALONG: f32 = 0.1;
const DUP_ACROSS: f32 = 0.2;

/// One row of text on a page.
#[derive(Clone, Debug)]
pub struct Row {
    /// The row's text as laid out (leading spaces included).
    pub text: String,
    /// Indexes into the page's fragments.
    pub fragments: Vec<usize>,
    /// `[x0, y0, x1, y1]` in page space: from the lowest descender to the highest ascender
    /// the font size allows.
    pub bbox: [f32; 4],
    pub baseline: f32,
    /// The largest font size on the row.
    pub size: f32,
}

/// A page's lines: rows, and blank lines (`None`) standing for vertical gaps.
pub fn lay_out(fragments: &[Fragment]) -> Vec<Option<Row>> {
    let mut order: Vec<usize> = (0..fragments.len())
        .filter(|&i| !fragments[i].text.trim().is_empty())
        .collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (&fragments[a], &fragments[b]);
        fb.y.total_cmp(&fa.y).then(fa.x.total_cmp(&fb.x))
    });
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let f = &fragments[i];
        match groups.last_mut() {
            Some(g) => {
                let first = &fragments[g[0]];
                if (first.y - f.y).abs() < 0.5 * first.size.max(f.size) {
                    g.push(i);
                } else {
                    groups.push(vec![i]);
                }
            }
            None => groups.push(vec![i]),
        }
    }
    let pitch = char_pitch(fragments);
    let line_pitch = line_pitch(&groups, fragments);
    let repeats = repeats(fragments);
    let mut out = Vec::new();
    let mut previous: Option<f32> = None;
    for mut g in groups {
        g.sort_by(|&a, &b| fragments[a].x.total_cmp(&fragments[b].x));
        let baseline = fragments[g[0]].y;
        if let Some(prev) = previous {
            let gaps = ((prev - baseline) / line_pitch).round() as usize;
            out.extend(std::iter::repeat_n(
                None,
                gaps.saturating_sub(1).min(MAX_BLANKS),
            ));
        }
        previous = Some(baseline);
        out.push(Some(row(&g, fragments, &repeats, pitch, baseline)));
    }
    // Columns count from the page's leftmost text, as in `pdftotext -layout`: a page's
    // margin is not an indent (it would make every first line look indented under the
    // one before it on a page with a narrower margin).
    let margin = out
        .iter()
        .flatten()
        .map(|r| r.text.len() - r.text.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    for r in out.iter_mut().flatten() {
        r.text.drain(..margin);
    }
    out
}

/// Which fragments repeat an earlier fragment's text at (nearly) the same place.
fn repeats(fragments: &[Fragment]) -> Vec<bool> {
    let mut seen: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut out = vec![false; fragments.len()];
    for (i, f) in fragments.iter().enumerate() {
        let key = f.text.trim();
        if key.is_empty() {
            continue;
        }
        let earlier = seen.entry(key).or_default();
        out[i] = earlier.iter().any(|&j| {
            let e = &fragments[j];
            (e.size - f.size).abs() <= DUP_ALONG * f.size
                && (e.x - f.x).abs() <= DUP_ALONG * f.size
                && (e.y - f.y).abs() <= DUP_ACROSS * f.size
        });
        if !out[i] {
            earlier.push(i);
        }
    }
    out
}

/// Lays out one row. A repeated fragment stays in the row (its glyphs go with the row's
/// when the row is withheld) but its text is not written twice.
fn row(g: &[usize], fragments: &[Fragment], repeats: &[bool], pitch: f32, baseline: f32) -> Row {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut prev_end: Option<f32> = None;
    let mut size: f32 = 0.0;
    let mut bbox = [
        f32::INFINITY,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NEG_INFINITY,
    ];
    for &i in g {
        let f = &fragments[i];
        size = size.max(f.size);
        bbox[0] = bbox[0].min(f.x);
        bbox[2] = bbox[2].max(f.end.max(f.x));
        bbox[1] = bbox[1].min(f.y - 0.25 * f.size);
        bbox[3] = bbox[3].max(f.y + 0.85 * f.size);
        if repeats[i] {
            continue;
        }
        let touching = prev_end.is_some_and(|e| f.x - e <= WORD_GAP * f.size);
        if !touching {
            let column = (f.x.max(0.0) / pitch).round() as usize;
            let at = if chars == 0 {
                column
            } else {
                column.max(chars + 1)
            };
            while chars < at {
                text.push(' ');
                chars += 1;
            }
        }
        for c in f.text.chars() {
            // Control characters from a broken encoding would end the line early.
            let c = if c.is_control() { ' ' } else { c };
            text.push(c);
            chars += 1;
        }
        prev_end = Some(f.end);
    }
    Row {
        text: text.trim_end().to_string(),
        fragments: g.to_vec(),
        bbox,
        baseline,
        size,
    }
}

/// The page's typical advance per character: the median over fragments of a few characters.
fn char_pitch(fragments: &[Fragment]) -> f32 {
    let mut pitches: Vec<f32> = fragments
        .iter()
        .filter_map(|f| {
            let n = f.text.chars().count();
            let w = f.end - f.x;
            (n >= 3 && w > 0.0).then(|| w / n as f32)
        })
        .collect();
    if pitches.is_empty() {
        return 6.0;
    }
    pitches.sort_by(f32::total_cmp);
    pitches[pitches.len() / 2].max(1.0)
}

/// The page's typical distance between baselines: the most common one, in half points.
fn line_pitch(groups: &[Vec<usize>], fragments: &[Fragment]) -> f32 {
    let mut counts: std::collections::BTreeMap<u32, usize> = std::collections::BTreeMap::new();
    for w in groups.windows(2) {
        let gap = fragments[w[0][0]].y - fragments[w[1][0]].y;
        if gap > 0.5 {
            *counts.entry((gap * 2.0).round() as u32).or_default() += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(gap, n)| (**n, std::cmp::Reverse(**gap)))
        .map_or(12.0, |(gap, _)| *gap as f32 / 2.0)
        .max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frag(x: f32, y: f32, text: &str) -> Fragment {
        Fragment {
            x,
            y,
            end: x + 6.0 * text.chars().count() as f32,
            size: 10.0,
            text: text.into(),
            stream: "1 0 R".into(),
            op: 0,
        }
    }

    #[test]
    fn rows_columns_and_blank_lines() {
        let fragments = vec![
            frag(72.0, 700.0, "(U) First"),
            frag(72.0 + 6.0 * 10.0, 700.0, "line."),
            frag(72.0, 688.0, "second line"),
            frag(72.0, 652.0, "(S) After a gap"),
        ];
        let lines = lay_out(&fragments);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.as_ref().map_or(String::new(), |r| r.text.clone()))
            .collect();
        assert_eq!(
            text,
            ["(U) First line.", "second line", "", "", "(S) After a gap"]
        );
    }

    #[test]
    fn text_drawn_twice_in_place_is_read_once_and_kept_in_the_row() {
        let mut fragments = vec![
            frag(72.0, 700.0, "(S) Bold"),
            frag(72.0 + 6.0 * 9.0, 700.0, "words"),
        ];
        // Fake bold: the same runs again, a fraction of a point to the right.
        fragments.push(frag(72.3, 700.0, "(S) Bold"));
        fragments.push(frag(72.3 + 6.0 * 9.0, 700.1, "words"));
        // The same word elsewhere on the row is text, not a repeat.
        fragments.push(frag(300.0, 700.0, "words"));
        let lines = lay_out(&fragments);
        let row = lines[0].as_ref().unwrap();
        let words: Vec<&str> = row.text.split_whitespace().collect();
        assert_eq!(words, ["(S)", "Bold", "words", "words"]);
        assert_eq!(row.fragments.len(), 5);
    }
}
