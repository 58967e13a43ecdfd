//! Preview → one self-contained HTML page: inline CSS, no script, nothing fetched.
//!
//! A header box (the document's banner, the policy, the as-of date, the summary), then a
//! CSS grid with one row per header part, the subject and each paragraph: the original and
//! the release side by side, so that every paragraph lines up with what becomes of it, and
//! the deciding rule and codes beside them. Cells take their marking's colour class
//! (`m-u`, `m-c`, `m-s`, `m-ts`, `m-x`); what the release withholds is hatched. Every piece
//! of document and policy text goes through [`escape`]: a cable that contains `<script>`
//! shows it as text. The page says on top and bottom that it is a review copy.

use super::{
    BadgeClass, Fate, Preview, REVIEW_WARNING, Row, RowKind, Seg, Summary, counts_line, fate_line,
    placeholder,
};
use crate::policy::{Codes, render_codes};
use std::fmt::Write as _;

use crate::render::html::escape;

const CSS: &str = r#"
:root {
  --u: #2e7d32; --u-bg: #eef7ee;
  --c: #1f5fbf; --c-bg: #edf3fc;
  --s: #c62828; --s-bg: #fcefef;
  --ts: #e06c00; --ts-bg: #fdf3e8;
  --x: #a3167a; --x-bg: #fbeef7;
  --ink: #1d232b; --muted: #5d6875; --line: #d9dee5; --paper: #ffffff; --page: #f3f5f8;
  --hatch: repeating-linear-gradient(135deg, #f4dede 0 7px, #fbf4f4 7px 14px);
}
* { box-sizing: border-box; }
html { background: var(--page); }
body { margin: 0; color: var(--ink);
  font: 14px/1.5 "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
.warn { background: #b3121f; color: #fff; text-align: center; font-weight: 700;
  letter-spacing: .08em; padding: 7px 12px; font-size: 13px; }
.wrap { max-width: 1500px; margin: 0 auto; padding: 18px 22px 28px; }
.top { display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: 18px;
  background: var(--paper); border: 1px solid var(--line); border-radius: 8px;
  padding: 14px 20px; box-shadow: 0 1px 2px rgba(0,0,0,.05); }
h1 { font-size: 20px; margin: 0 0 8px; font-weight: 650; }
.banners { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin-bottom: 12px; }
.banner { font: 600 12px/1 "DejaVu Sans Mono", Menlo, Consolas, monospace; padding: 6px 9px;
  border-radius: 4px; border: 1px solid; letter-spacing: .04em; }
.arrow { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dl.meta dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em;
  padding-top: 2px; }
dl.meta dd { margin: 0; }
.src { color: var(--muted); font-size: 12px; }
.stamp { font-weight: 700; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
.counts { display: flex; gap: 8px; margin-bottom: 10px; }
.count { flex: 1; border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; text-align: center; }
.count b { display: block; font-size: 22px; line-height: 1.2; }
.count span { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.count.rel b { color: var(--u); }
.count.red b { color: #9a6a00; }
.count.wh { background: var(--hatch); }
.count.wh b { color: var(--s); }
ul.facts { margin: 0; padding: 0; list-style: none; font-size: 13px; }
ul.facts li { padding: 2px 0; }
ul.facts .k { color: var(--muted); display: inline-block; min-width: 92px; }
.alert { color: var(--x); font-weight: 600; }
.refused { color: var(--s); font-weight: 700; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin: 14px 2px 10px;
  font-size: 12px; color: var(--muted); }
.legend .sw { display: inline-block; width: 26px; height: 14px; vertical-align: -3px; margin-right: 5px;
  border-radius: 2px; border: 1px solid var(--line); }
.grid { display: grid; grid-template-columns: 104px minmax(0, 1fr) minmax(0, 1fr) 250px;
  background: var(--paper); border: 1px solid var(--line); border-radius: 8px; overflow: clip; }
.grid > div { padding: 8px 12px; border-top: 1px solid var(--line); }
.grid > .colhead { position: sticky; top: 0; z-index: 1; border-top: 0; background: #e9edf2; font-size: 11px; font-weight: 700;
  text-transform: uppercase; letter-spacing: .08em; color: var(--muted); padding: 7px 12px; }
.gutter { text-align: right; white-space: nowrap; }
.label { font-weight: 700; display: block; }
.part { font-size: 11.5px; color: var(--muted); }
.grid > div.h { padding-top: 4px; padding-bottom: 4px; }
.badge { display: inline-block; margin-top: 3px; font: 700 11px/1 "DejaVu Sans Mono", Menlo, Consolas, monospace;
  padding: 3px 5px; border-radius: 3px; color: #fff; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.h .text { font: 11.5px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.orig { border-left: 4px solid transparent; }
.orig.m-h { border-left-color: #c3cad3; background: #fafbfc; }
.orig.m-h.withheld { background: repeating-linear-gradient(135deg, #eceff3 0 7px, #fff 7px 14px); }
.rel { border-left: 1px solid var(--line); }
.rel.gone { background: var(--hatch); }
.ph { font: 700 12px/1 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #20262e; color: #fff;
  padding: 2px 5px; border-radius: 3px; white-space: nowrap; }
.gone .ph { background: #fff; color: var(--s); border: 1px solid var(--s); }
.orig.withheld .text { color: #4a3f40; }
del { text-decoration-color: var(--s); text-decoration-thickness: 2px; background: #f7d9d9; }
.none { color: var(--muted); font-style: italic; font-size: 12px; }
.note { font-size: 12px; border-left: 1px solid var(--line); background: #fbfcfd; }
.note.h .fate { margin-bottom: 0; }
.fate { display: inline-block; font-weight: 700; font-size: 11px; text-transform: uppercase;
  letter-spacing: .06em; padding: 2px 6px; border-radius: 3px; margin-bottom: 3px; }
.f-released { background: #e3f2e4; color: #1b5e20; }
.f-redacted { background: #fff1c9; color: #7a5200; }
.f-withheld, .f-stripped { background: #f9dcdc; color: #8e1b1b; }
.f-dropped, .f-re-marked { background: #e9edf2; color: var(--muted); }
.f-declassified { background: #fff1c9; color: #7a5200; margin-left: 4px; }
.by { float: right; font-size: 10.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); border: 1px solid var(--line); border-radius: 3px; padding: 1px 5px; margin-left: 6px; }
.by-reviewer { color: #fff; background: #5b2a86; border-color: #5b2a86; }
.codes { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-weight: 700; }
.rule { display: block; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11.5px; }
.why { display: block; color: var(--muted); }
.rule.fc { color: var(--x); font-weight: 700; }
.m-u .badge, .badge.m-u { background: var(--u); } .orig.m-u { border-left-color: var(--u); background: var(--u-bg); }
.m-c .badge, .badge.m-c { background: var(--c); } .orig.m-c { border-left-color: var(--c); background: var(--c-bg); }
.m-s .badge, .badge.m-s { background: var(--s); } .orig.m-s { border-left-color: var(--s); background: var(--s-bg); }
.m-ts .badge, .badge.m-ts { background: var(--ts); } .orig.m-ts { border-left-color: var(--ts); background: var(--ts-bg); }
.m-x .badge, .badge.m-x { background: var(--x); } .orig.m-x { border-left-color: var(--x); background: var(--x-bg); }
.banner.m-u { color: var(--u); border-color: var(--u); background: var(--u-bg); }
.banner.m-c { color: var(--c); border-color: var(--c); background: var(--c-bg); }
.banner.m-s { color: var(--s); border-color: var(--s); background: var(--s-bg); }
.banner.m-ts { color: var(--ts); border-color: var(--ts); background: var(--ts-bg); }
.banner.m-x { color: var(--x); border-color: var(--x); background: var(--x-bg); }
.orig.withheld.m-u { background: repeating-linear-gradient(135deg, var(--u-bg) 0 7px, #fff 7px 14px); }
.orig.withheld.m-c { background: repeating-linear-gradient(135deg, var(--c-bg) 0 7px, #fff 7px 14px); }
.orig.withheld.m-s { background: repeating-linear-gradient(135deg, var(--s-bg) 0 7px, #fff 7px 14px); }
.orig.withheld.m-ts { background: repeating-linear-gradient(135deg, var(--ts-bg) 0 7px, #fff 7px 14px); }
.orig.withheld.m-x { background: repeating-linear-gradient(135deg, var(--x-bg) 0 7px, #fff 7px 14px); }
.sep { grid-column: 1 / -1; background: #eef1f5; font-size: 11px; font-weight: 700; color: var(--muted);
  text-transform: uppercase; letter-spacing: .08em; padding: 5px 12px !important; }
footer { margin-top: 16px; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  html, body { background: #fff; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10px; }
  .wrap { max-width: none; padding: 6px 0 0; }
  .top, .grid { box-shadow: none; border-radius: 0; }
  .grid { grid-template-columns: 80px minmax(0, 1fr) minmax(0, 1fr) 160px; }
  .grid > div { break-inside: avoid; padding: 4px 7px; }
  .grid > .colhead { position: static; }
  .gutter { white-space: normal; }
  .h .text, .part, .rule, .badge, .ph, .banner, .stamp { font-size: 8.5px; }
  .note, .legend { font-size: 9px; }
  .count b { font-size: 16px; }
  .warn { border: 2px solid #b3121f; }
}
"#;

/// Renders the page.
pub fn render(preview: &Preview) -> String {
    render_with(preview, None)
}

/// What the review app ([`crate::review`]) adds to the page: markup for the head (its
/// script tag) and for the end of the body (its decision panel). Portion rows then carry
/// `data-row` (their index in `preview.rows`) so that a click can name the portion.
pub struct Interactive<'a> {
    pub head: &'a str,
    pub body: &'a str,
}

/// [`render`], with the review app's additions.
pub fn render_with(preview: &Preview, app: Option<&Interactive<'_>>) -> String {
    let mut h = String::new();
    let m = &preview.meta;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <title>Review copy: {} under {}</title>\n<style>{CSS}</style>\n{}</head>\n<body>\n",
        escape(&m.document),
        escape(&m.policy),
        app.map_or("", |a| a.head)
    );
    let _ = writeln!(h, "<div class=\"warn\">{}</div>", escape(REVIEW_WARNING));
    h.push_str("<div class=\"wrap\">\n");
    top(&mut h, preview);
    legend(&mut h);
    h.push_str("<main class=\"grid\">\n");
    h.push_str(
        "<div class=\"colhead gutter\">Part</div><div class=\"colhead\">Original</div>\
         <div class=\"colhead\">Release</div><div class=\"colhead\">Decision</div>\n",
    );
    let mut in_body = false;
    for (i, row) in preview.rows.iter().enumerate() {
        if !in_body && matches!(row.kind, RowKind::Paragraph { .. }) {
            in_body = true;
            h.push_str("<div class=\"sep\">Body</div>\n");
        }
        render_row(&mut h, row, app.map(|_| i));
    }
    h.push_str("</main>\n");
    if let Some(a) = app {
        h.push_str(a.body);
    }
    let _ = writeln!(
        h,
        "<footer class=\"warn\">{}</footer>",
        escape(REVIEW_WARNING)
    );
    h.push_str("</div>\n</body>\n</html>\n");
    h
}

fn top(h: &mut String, p: &Preview) {
    let m = &p.meta;
    let s = &p.summary;
    h.push_str("<header class=\"top\">\n<div>\n");
    let _ = writeln!(h, "<h1>{}</h1>", escape(&m.document));
    let banner_class = p
        .rows
        .iter()
        .filter_map(|r| r.portion.as_ref())
        .map(|i| i.badge.class)
        .max_by_key(|c| rank(*c))
        .unwrap_or(BadgeClass::U);
    let original = p.banner.as_deref().unwrap_or("(no classification line)");
    let _ = writeln!(
        h,
        "<div class=\"banners\"><span class=\"banner {}\" title=\"original banner\">{}</span>\
         <span class=\"arrow\">→</span><span class=\"banner m-u\" title=\"release banner\">{}</span></div>",
        banner_class.css(),
        escape(original),
        escape(&p.release_banner)
    );
    h.push_str("<dl class=\"meta\">\n");
    let _ = writeln!(
        h,
        "<dt>Policy</dt><dd><b>{}</b> <span class=\"src\">{}</span></dd>",
        escape(&m.policy),
        escape(&m.policy_source)
    );
    let _ = writeln!(h, "<dt>As of</dt><dd>{}</dd>", m.as_of);
    let _ = writeln!(
        h,
        "<dt>Stamp</dt><dd class=\"stamp\">{}</dd>",
        escape(&s.stamp)
    );
    if let Some(why) = &s.refused {
        let _ = writeln!(
            h,
            "<dt>Release</dt><dd class=\"refused\">REFUSED: {}</dd>",
            escape(why)
        );
    }
    h.push_str("</dl>\n</div>\n");
    summary(h, s);
    h.push_str("</header>\n");
}

/// Orders badge classes by how much they hide, for the banner's colour.
fn rank(c: BadgeClass) -> u8 {
    match c {
        BadgeClass::U => 0,
        BadgeClass::C => 1,
        BadgeClass::S => 2,
        BadgeClass::Ts => 3,
        BadgeClass::Unknown => 0,
    }
}

fn summary(h: &mut String, s: &Summary) {
    h.push_str("<section class=\"summary\" aria-label=\"summary\">\n<div class=\"counts\">");
    let _ = write!(
        h,
        "<div class=\"count rel\"><b>{}</b><span>released</span></div>\
         <div class=\"count red\"><b>{}</b><span>redacted</span></div>\
         <div class=\"count wh\"><b>{}</b><span>withheld</span></div>",
        s.released, s.redacted, s.withheld
    );
    h.push_str("</div>\n<ul class=\"facts\">\n");
    let _ = writeln!(
        h,
        "<li><span class=\"k\">Paragraphs</span>{}</li>",
        escape(&counts_line(s))
    );
    if let Some(fate) = &s.subject {
        let _ = writeln!(
            h,
            "<li><span class=\"k\">Subject</span>{}</li>",
            escape(&fate_line(fate))
        );
    }
    if !s.header.is_empty() {
        let parts: Vec<String> = s.header.iter().map(|h| h.describe()).collect();
        let _ = writeln!(
            h,
            "<li><span class=\"k\">Header</span>{}</li>",
            escape(&parts.join("; "))
        );
    }
    if s.fail_closed.is_empty() {
        h.push_str("<li><span class=\"k\">Fail closed</span>none</li>\n");
    } else {
        let _ = writeln!(
            h,
            "<li class=\"alert\"><span class=\"k\">Fail closed</span>{}: {}</li>",
            s.fail_closed.len(),
            escape(&s.fail_closed.join(", "))
        );
    }
    if !s.declassified.is_empty() {
        let _ = writeln!(
            h,
            "<li><span class=\"k\">Declassified</span>{}</li>",
            escape(&s.declassified.join(", "))
        );
    }
    h.push_str("</ul>\n</section>\n");
}

fn legend(h: &mut String) {
    h.push_str("<div class=\"legend\">");
    for (class, name) in [
        ("m-u", "Unclassified"),
        ("m-c", "Confidential"),
        ("m-s", "Secret"),
        ("m-ts", "Top Secret"),
        ("m-x", "Unmarked or unreadable"),
    ] {
        let _ = write!(
            h,
            "<span><span class=\"badge {class}\">&nbsp;</span> {name}</span>"
        );
    }
    h.push_str(
        "<span><span class=\"sw\" style=\"background: var(--hatch)\"></span>withheld from the release</span>\
         <span><del>struck</del> redacted span</span></div>\n",
    );
}

fn render_row(h: &mut String, row: &Row, index: Option<usize>) {
    let gone = row.fate.loses_text() && row.fate != Fate::Redacted;
    let (row_class, marking) = match &row.portion {
        Some(info) => ("p", info.badge.class.css()),
        None => ("h", "m-h"),
    };
    let withheld = if gone { " withheld" } else { "" };
    let data = match (index, &row.portion) {
        (Some(i), Some(_)) => format!(" data-row=\"{i}\""),
        _ => String::new(),
    };
    // Gutter: the label, and the badge of a portion.
    let _ = write!(h, "<div class=\"gutter {row_class}\"{data}>");
    match &row.portion {
        None => {
            let _ = write!(
                h,
                "<span class=\"part\">{}</span>",
                escape(&row.label.replace('_', " "))
            );
        }
        Some(info) => {
            let _ = write!(
                h,
                "<span class=\"label\">{}</span><span class=\"badge {}\">{}</span>",
                escape(&row.label),
                info.badge.class.css(),
                escape(&info.badge.text)
            );
        }
    }
    h.push_str("</div>\n");
    // Original: everything, redacted spans struck through.
    let _ = write!(
        h,
        "<div class=\"orig {row_class} {marking}{withheld}\"{data}><div class=\"text\">"
    );
    h.push_str(&escape(&row.lead));
    for seg in &row.original {
        match seg {
            Seg::Text(t) => h.push_str(&escape(t)),
            Seg::Redacted { text, codes } => {
                let _ = write!(
                    h,
                    "<del title=\"redacted as {}\">{}</del>",
                    escape(&placeholder(codes)),
                    escape(text)
                );
            }
        }
    }
    h.push_str("</div></div>\n");
    // Release: what the public sees.
    let _ = write!(
        h,
        "<div class=\"rel {row_class}{}\">",
        if gone { " gone" } else { "" }
    );
    match &row.fate {
        Fate::Kept | Fate::Redacted => {
            h.push_str("<div class=\"text\">");
            h.push_str(&escape(&row.release_lead));
            for seg in &row.original {
                match seg {
                    Seg::Text(t) => h.push_str(&escape(t)),
                    Seg::Redacted { codes, .. } => {
                        let _ = write!(
                            h,
                            "<span class=\"ph\">{}</span>",
                            escape(&placeholder(codes))
                        );
                    }
                }
            }
            h.push_str("</div>");
        }
        Fate::Withheld(codes) => {
            let _ = write!(
                h,
                "<div class=\"text\">{}<span class=\"ph\">{}</span></div>",
                escape(&row.release_lead),
                escape(&placeholder(codes))
            );
        }
        Fate::Stripped => h.push_str("<span class=\"none\">stripped: not in the release</span>"),
        Fate::Dropped => {
            h.push_str("<span class=\"none\">dropped: a control caption of the original</span>")
        }
        Fate::Replaced(with) => {
            let _ = write!(h, "<div class=\"text\">{}</div>", escape(with));
        }
    }
    h.push_str("</div>\n");
    // Decision: fate, codes, rule and why.
    let word = row.fate.word();
    let _ = write!(h, "<div class=\"note {row_class}\">");
    // Who decided, so that a reviewer's override never reads as the policy's.
    if let Some(info) = &row.portion {
        h.push_str(match info.reviewer {
            Some(_) => "<span class=\"by by-reviewer\">reviewer</span>",
            None => "<span class=\"by\">policy</span>",
        });
    }
    let _ = write!(h, "<span class=\"fate f-{word}\">{word}</span>");
    let codes = match &row.fate {
        Fate::Withheld(codes) => codes.clone(),
        Fate::Redacted => row.redaction_codes(),
        _ => Codes::default(),
    };
    if !codes.is_empty() {
        let _ = write!(
            h,
            " <span class=\"codes\">{}</span>",
            escape(&render_codes(&codes))
        );
    }
    if let Some(info) = &row.portion {
        if info.declassified {
            h.push_str(" <span class=\"fate f-declassified\">declassified</span>");
        }
        let _ = write!(
            h,
            "<span class=\"rule{}\">{}</span><span class=\"why\">{}</span>",
            if info.fail_closed { " fc" } else { "" },
            escape(&info.rule),
            escape(&info.why)
        );
    }
    h.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }
}
