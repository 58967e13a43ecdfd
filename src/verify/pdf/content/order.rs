//! Laying out the interpreter's fragments ([`super::Fragment`]) as lines of text: in
//! reading order (rows by position) or in the order the stream shows them.

use super::*;

/// Lines of text top to bottom, fragments left to right; and the stream of each line.
pub fn reading_order(fragments: &[Fragment]) -> (String, Vec<String>) {
    let mut sorted: Vec<&Fragment> = fragments.iter().collect();
    sorted.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<&Fragment>> = Vec::new();
    for f in sorted {
        match rows.last_mut() {
            Some(row) if (row[0].y - f.y).abs() < 0.5 * row[0].size.max(f.size) => row.push(f),
            _ => rows.push(vec![f]),
        }
    }
    let mut text = String::new();
    let mut streams = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        join_row(&row, &mut text);
        text.push('\n');
        streams.push(row[0].stream.clone());
    }
    (text, streams)
}

/// The fragments in the order the streams showed them, a new line where the baseline moves.
pub fn stream_order(fragments: &[Fragment]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut streams = Vec::new();
    let mut row: Vec<&Fragment> = Vec::new();
    for f in fragments {
        if let Some(first) = row.first()
            && (first.y - f.y).abs() >= 0.5 * first.size.max(f.size)
        {
            join_row(&row, &mut text);
            text.push('\n');
            streams.push(row[0].stream.clone());
            row.clear();
        }
        row.push(f);
    }
    if !row.is_empty() {
        join_row(&row, &mut text);
        text.push('\n');
        streams.push(row[0].stream.clone());
    }
    (text, streams)
}

fn join_row(row: &[&Fragment], out: &mut String) {
    let mut prev: Option<&Fragment> = None;
    for f in row {
        if let Some(p) = prev {
            let gap = f.x - p.end;
            if (gap > WORD_GAP * f.size || gap < -f.size) && !p.text.ends_with(' ') {
                out.push(' ');
            }
        }
        out.push_str(&f.text);
        prev = Some(f);
    }
}
