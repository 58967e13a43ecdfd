//! The exemption log as a Vaughn index: one self-contained HTML page (inline CSS, no
//! script, nothing fetched) with, for each document, a heading (id, pages, stamp) and a
//! table of its withheld and redacted portions, then the totals by code with each code's
//! summary. Every string is escaped. Prints on A4 landscape, one document never split
//! from its heading.

use super::{DocumentLog, LogMeta, Render, Totals};
use crate::render::html::escape;
use std::io::{self, Write};

pub struct Html;

const CSS: &str = r#"
body { font: 13px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1b1b; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 24px 0 4px; }
p.meta, p.stamp { margin: 2px 0; color: #444; }
table { border-collapse: collapse; width: 100%; margin-top: 6px; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
td.codes { font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
tr.header td { color: #555; }
tr.redacted td.action { color: #8a5a00; }
tr.withheld td.action { color: #a11; }
section.doc { break-inside: avoid-page; }
p.none { color: #2e7d32; }
@page { size: A4 landscape; margin: 12mm; }
"#;

impl Render for Html {
    fn begin(&mut self, out: &mut dyn Write, meta: &LogMeta) -> io::Result<()> {
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>Exemption log (Vaughn index)</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
             <h1>Exemption log (Vaughn index)</h1>\n<p class=\"meta\">Policy {} (sha256 {}), as of {}{}</p>\n",
            escape(&meta.policy),
            escape(&meta.policy_sha256),
            escape(&meta.as_of.to_string()),
            meta.case
                .as_deref()
                .map_or(String::new(), |c| format!(", case {}", escape(c)))
        )
    }

    fn document(&mut self, out: &mut dyn Write, doc: &DocumentLog) -> io::Result<()> {
        write!(
            out,
            "<section class=\"doc\">\n<h2>{}</h2>\n<p class=\"stamp\">{} page{}, {} portion{}: {}</p>\n",
            escape(&doc.document),
            doc.pages,
            plural(doc.pages),
            doc.portions,
            plural(doc.portions),
            escape(&doc.stamp)
        )?;
        if doc.rows.is_empty() {
            return writeln!(out, "<p class=\"none\">Nothing withheld.</p>\n</section>");
        }
        writeln!(
            out,
            "<table class=\"doc\">\n<tr><th>Page</th><th>Portion</th><th>Line</th><th>Marking</th>\
             <th>Action</th><th>Codes</th><th>Rule</th><th>Justification</th></tr>"
        )?;
        for r in &doc.rows {
            let note = r
                .consistency
                .as_deref()
                .map_or(String::new(), |c| format!("<br><em>{}</em>", escape(c)));
            writeln!(
                out,
                "<tr class=\"{kind}\"><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>\
                 <td>{}</td><td class=\"action\">{kind}</td><td class=\"codes\">{}</td><td>{}</td>\
                 <td>{}{note}</td></tr>",
                r.page,
                escape(&r.portion),
                r.line,
                escape(&r.marking),
                escape(&r.codes.to_string()),
                escape(&r.rule),
                escape(&r.justification),
                kind = r.kind.as_str(),
            )?;
        }
        writeln!(out, "</table>\n</section>")
    }

    fn end(&mut self, out: &mut dyn Write, meta: &LogMeta, totals: &Totals) -> io::Result<()> {
        write!(
            out,
            "<h2>Totals</h2>\n<p class=\"meta\">{} document{}, {} row{}</p>\n\
             <table class=\"totals\">\n<tr><th>Code</th><th>Rows</th><th>Meaning</th></tr>\n",
            totals.documents,
            plural(totals.documents),
            totals.rows,
            plural(totals.rows)
        )?;
        for (code, n) in &totals.by_code {
            writeln!(
                out,
                "<tr><td class=\"codes\">{}</td><td class=\"num\">{n}</td><td>{}</td></tr>",
                escape(code),
                escape(meta.summary(code))
            )?;
        }
        writeln!(out, "</table>\n</body>\n</html>")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_names_is_escaped() {
        assert_eq!(
            super::escape("<script>\"x\" & 'y'"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
    }
}
