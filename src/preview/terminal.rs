//! Preview → terminal text: every row with its label, marking badge, fate and deciding
//! rule, then its text wrapped at [`WIDTH`] columns; a summary at the end.
//!
//! With colour (ANSI SGR, no terminal library), badges take their level's colour and
//! withheld text is dim and struck through. Without colour the output stays readable as a
//! diff: `+ ` released lines, `- ` withheld or stripped lines, `~ ` lines with redacted
//! spans, each span shown as `[-text-]→[CODES]`.

use super::{
    BadgeClass, Fate, Preview, REVIEW_WARNING, Row, Seg, Summary, counts_line, fate_line,
    placeholder,
};
use std::fmt::Write as _;

/// The widest line the preview prints (wider only for a single word that cannot be cut…
/// which is cut).
pub const WIDTH: usize = 100;

/// ANSI SGR parameters of each kind of text; empty means plain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    /// Withheld text: dim, struck through.
    Gone,
    /// A placeholder the release prints instead (`[B6]`).
    Code,
    Dim,
    Bold,
    Badge(BadgeClass),
    Released,
    Redacted,
    Withheld,
    Warning,
}

impl Style {
    fn sgr(self) -> &'static str {
        match self {
            Style::Plain => "",
            Style::Gone => "2;9",
            Style::Code => "1;33",
            Style::Dim => "2",
            Style::Bold => "1",
            Style::Badge(BadgeClass::U) => "1;32",
            Style::Badge(BadgeClass::C) => "1;34",
            Style::Badge(BadgeClass::S) => "1;31",
            Style::Badge(BadgeClass::Ts) => "1;38;5;208",
            Style::Badge(BadgeClass::Unknown) => "1;35",
            Style::Released => "32",
            Style::Redacted => "33",
            Style::Withheld => "1;31",
            Style::Warning => "1;37;41",
        }
    }
}

/// A run of text in one style.
type Piece = (String, Style);

struct Painter {
    color: bool,
}

impl Painter {
    /// Styles `text`, whose control characters are first made harmless.
    fn paint(&self, text: &str, style: Style) -> String {
        let text = printable(text);
        if !self.color || style.sgr().is_empty() || text.is_empty() {
            text
        } else {
            format!("\x1b[{}m{text}\x1b[0m", style.sgr())
        }
    }

    /// Paints a laid-out line, joining same-styled neighbours so that a struck-through
    /// run stays struck across its spaces.
    fn line(&self, pieces: &[Piece]) -> String {
        let mut merged: Vec<Piece> = Vec::new();
        for (text, style) in pieces {
            match merged.last_mut() {
                Some((t, s)) if s == style => t.push_str(text),
                _ => merged.push((text.clone(), *style)),
            }
        }
        merged.iter().map(|(t, s)| self.paint(t, *s)).collect()
    }
}

/// Replaces control characters (an escape sequence in a cable would otherwise drive the
/// reviewer's terminal) with U+FFFD, tabs with a space.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => '\n',
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Renders the preview for a terminal; `color` turns ANSI styling on.
pub fn render(preview: &Preview, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.paint(REVIEW_WARNING, Style::Warning));
    let m = &preview.meta;
    let banner = preview
        .banner
        .as_deref()
        .unwrap_or("(no classification line)");
    for (key, value) in [
        ("document", m.document.clone()),
        ("policy", format!("{} ({})", m.policy, m.policy_source)),
        ("as of", m.as_of.to_string()),
        ("banner", format!("{banner} → {}", preview.release_banner)),
    ] {
        let _ = writeln!(out, "{key:<14}{}", p.paint(&value, Style::Plain));
    }
    let legend = if color {
        format!(
            "{} released   {} withheld   {}{} redacted span",
            p.paint("+", Style::Released),
            p.paint("- text", Style::Gone),
            p.paint("text", Style::Gone),
            p.paint("[B6]", Style::Code)
        )
    } else {
        "+ released   - withheld or stripped   ~ with redactions: [-text-]→[B6]".to_string()
    };
    let _ = writeln!(out, "legend        {legend}");
    let mut in_body = false;
    out.push('\n');
    out.push_str(&p.paint(&rule("header"), Style::Dim));
    out.push('\n');
    for row in &preview.rows {
        if !in_body && matches!(row.kind, super::RowKind::Paragraph { .. }) {
            in_body = true;
            out.push('\n');
            out.push_str(&p.paint(&rule("body"), Style::Dim));
            out.push('\n');
        } else if in_body {
            out.push('\n');
        }
        render_row(&mut out, &p, row);
    }
    out.push('\n');
    out.push_str(&p.paint(&rule("summary"), Style::Dim));
    out.push('\n');
    render_summary(&mut out, &p, &preview.summary);
    out
}

/// `── body ─────…` across the full width.
fn rule(title: &str) -> String {
    let head = format!("── {title} ");
    let fill = WIDTH.saturating_sub(head.chars().count());
    format!("{head}{}", "─".repeat(fill))
}

fn render_row(out: &mut String, p: &Painter, row: &Row) {
    // The heading: label, badge, fate, rule.
    let mut head: Vec<Piece> = vec![(row.label.clone(), Style::Bold), (" ".into(), Style::Plain)];
    if let Some(info) = &row.portion {
        head.push((
            format!("[{}]", info.badge.text),
            Style::Badge(info.badge.class),
        ));
        head.push((" ".into(), Style::Plain));
    }
    let (word, style) = match &row.fate {
        Fate::Kept => ("released".to_string(), Style::Released),
        Fate::Redacted => {
            let codes = row.redaction_codes();
            (format!("redacted {}", placeholder(&codes)), Style::Redacted)
        }
        Fate::Withheld(codes) => (format!("withheld {}", placeholder(codes)), Style::Withheld),
        Fate::Stripped => ("stripped".to_string(), Style::Withheld),
        Fate::Dropped => (
            "dropped (a control caption of the original)".to_string(),
            Style::Dim,
        ),
        Fate::Replaced(with) => (format!("re-marked as {with}"), Style::Plain),
    };
    head.push((word, style));
    if let Some(info) = &row.portion {
        if info.declassified {
            head.push((" (declassified)".into(), Style::Redacted));
        }
        let mark = if info.fail_closed {
            Style::Badge(BadgeClass::Unknown)
        } else {
            Style::Dim
        };
        head.push((" · ".into(), Style::Dim));
        head.push((format!("{}: {}", info.rule, info.why), mark));
    }
    for line in wrap(&head, WIDTH, plain(""), plain("    ")) {
        out.push_str(&p.line(&line));
        out.push('\n');
    }
    // The text, diff-like.
    let (sign, sign_style) = match row.fate {
        Fate::Kept => ("+ ", Style::Released),
        Fate::Redacted | Fate::Replaced(_) => ("~ ", Style::Redacted),
        _ => ("- ", Style::Withheld),
    };
    let gone = row.fate.loses_text() && row.fate != Fate::Redacted;
    let mut pieces: Vec<Piece> = Vec::new();
    for seg in &row.original {
        match seg {
            Seg::Text(t) => pieces.push((
                t.clone(),
                if gone && p.color {
                    Style::Gone
                } else {
                    Style::Plain
                },
            )),
            Seg::Redacted { text, codes } if p.color => {
                pieces.push((text.clone(), Style::Gone));
                pieces.push((placeholder(codes), Style::Code));
            }
            Seg::Redacted { text, codes } => {
                pieces.push((format!("[-{text}-]→{}", placeholder(codes)), Style::Plain));
            }
        }
    }
    let signed = |line: &[Piece]| {
        let mut l = vec![(sign.to_string(), sign_style)];
        l.extend(line.iter().cloned());
        l
    };
    for line in wrap(&pieces, WIDTH - 2, plain(""), plain("")) {
        out.push_str(p.line(&signed(&line)).trim_end());
        out.push('\n');
    }
}

fn render_summary(out: &mut String, p: &Painter, s: &Summary) {
    let mut field = |name: &str, value: String, style: Style| {
        let pieces = vec![(value, style)];
        let first = (format!("{name:<14}"), Style::Bold);
        for line in wrap(&pieces, WIDTH, first, (" ".repeat(14), Style::Plain)) {
            out.push_str(&p.line(&line));
            out.push('\n');
        }
    };
    field("paragraphs", counts_line(s), Style::Plain);
    if let Some(fate) = &s.subject {
        field("subject", fate_line(fate), Style::Plain);
    }
    if !s.header.is_empty() {
        let parts: Vec<String> = s.header.iter().map(|h| h.describe()).collect();
        field("header", parts.join("; "), Style::Plain);
    }
    let fail_closed = if s.fail_closed.is_empty() {
        "none".to_string()
    } else {
        format!("{}: {}", s.fail_closed.len(), s.fail_closed.join(", "))
    };
    let style = if s.fail_closed.is_empty() {
        Style::Plain
    } else {
        Style::Badge(BadgeClass::Unknown)
    };
    field("fail closed", fail_closed, style);
    if !s.declassified.is_empty() {
        field("declassified", s.declassified.join(", "), Style::Redacted);
    }
    field("stamp", s.stamp.clone(), Style::Bold);
    if let Some(why) = &s.refused {
        field("REFUSED", why.clone(), Style::Withheld);
    }
}

fn plain(text: &str) -> Piece {
    (text.to_string(), Style::Plain)
}

/// One word, possibly in several styles (a redaction can start inside a word).
type Word = Vec<Piece>;

enum Item {
    Word(Word),
    Newline,
}

/// Splits styled text into words and hard line breaks; runs of spaces become one.
fn items(pieces: &[Piece]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut word: Word = Vec::new();
    let flush = |word: &mut Word, items: &mut Vec<Item>| {
        if !word.is_empty() {
            items.push(Item::Word(std::mem::take(word)));
        }
    };
    for (text, style) in pieces {
        for c in text.chars() {
            if c == '\n' {
                flush(&mut word, &mut items);
                items.push(Item::Newline);
            } else if c.is_whitespace() {
                flush(&mut word, &mut items);
            } else {
                match word.last_mut() {
                    Some((t, s)) if s == style => t.push(c),
                    _ => word.push((c.to_string(), *style)),
                }
            }
        }
    }
    flush(&mut word, &mut items);
    items
}

fn width_of(word: &Word) -> usize {
    word.iter().map(|(t, _)| t.chars().count()).sum()
}

/// Cuts a word into pieces of at most `width` characters.
fn split_word(word: Word, width: usize) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur: Word = Vec::new();
    let mut n = 0;
    for (text, style) in word {
        for c in text.chars() {
            if n == width {
                out.push(std::mem::take(&mut cur));
                n = 0;
            }
            match cur.last_mut() {
                Some((t, s)) if *s == style => t.push(c),
                _ => cur.push((c.to_string(), style)),
            }
            n += 1;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Lays styled text out in lines of at most `width` characters; the first line starts with
/// `first`, the others with `next` (both kept as they are, and counted in the width).
fn wrap(pieces: &[Piece], width: usize, first: Piece, next: Piece) -> Vec<Vec<Piece>> {
    let indent = next.0.chars().count();
    let mut lines: Vec<Vec<Piece>> = Vec::new();
    let mut used = first.0.chars().count();
    let mut line: Vec<Piece> = vec![first];
    let mut empty = true;
    let new_line = |lines: &mut Vec<Vec<Piece>>, line: &mut Vec<Piece>| {
        lines.push(std::mem::replace(line, vec![next.clone()]));
    };
    for item in items(pieces) {
        match item {
            Item::Newline => {
                new_line(&mut lines, &mut line);
                used = indent;
                empty = true;
            }
            Item::Word(word) => {
                let room = width.saturating_sub(indent).max(1);
                for part in split_word(word, room) {
                    let w = width_of(&part);
                    if !empty && used + 1 + w > width {
                        new_line(&mut lines, &mut line);
                        used = indent;
                        empty = true;
                    }
                    if !empty {
                        // The space takes the style of both sides when they agree.
                        let before = line.last().map(|(_, s)| *s);
                        let after = part.first().map(|(_, s)| *s);
                        let style = if before == after {
                            before.unwrap_or(Style::Plain)
                        } else {
                            Style::Plain
                        };
                        line.push((" ".into(), style));
                        used += 1;
                    }
                    used += w;
                    line.extend(part);
                    empty = false;
                }
            }
        }
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Vec<Piece>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|(t, _)| t.as_str()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_the_width_and_keeps_hard_breaks() {
        let text = "aaa bbb ccc\nddd   eee";
        let lines = wrap(&[(text.into(), Style::Plain)], 7, plain(""), plain(""));
        assert_eq!(texts(&lines), ["aaa bbb", "ccc", "ddd eee"]);
    }

    #[test]
    fn cuts_a_word_longer_than_the_line() {
        let lines = wrap(
            &[("abcdefghij".into(), Style::Plain)],
            4,
            plain(""),
            plain(""),
        );
        assert_eq!(texts(&lines), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn a_word_in_two_styles_stays_one_word() {
        let pieces = vec![
            ("Pojar".to_string(), Style::Gone),
            ("'s visit".to_string(), Style::Plain),
        ];
        let lines = wrap(&pieces, 100, plain(""), plain(""));
        assert_eq!(texts(&lines), ["Pojar's visit"]);
        assert_eq!(lines[0][1], ("Pojar".to_string(), Style::Gone));
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let p = Painter { color: true };
        assert_eq!(p.paint("a\x1b[2Jb\tc", Style::Plain), "a\u{FFFD}[2Jb c");
    }

    #[test]
    fn no_escape_codes_without_colour() {
        let p = Painter { color: false };
        assert_eq!(p.paint("x", Style::Gone), "x");
        let p = Painter { color: true };
        assert_eq!(p.paint("x", Style::Gone), "\x1b[2;9mx\x1b[0m");
    }
}
