//! The review app's HTML: the document list, the panel added to the preview page, and
//! messages. Every piece of document, file and reviewer text goes through
//! [`escape`]; nothing is loaded from outside (the one script is served by the app).

use crate::decisions::{DocumentDecisions, PortionDecision};
use crate::policy::codeset::CodeSet;
use crate::preview::Preview;
use crate::preview::html::{Interactive, render_with};
use crate::render::html::escape;
use std::fmt::Write as _;

/// The app's script: the panel's behaviour (see app.js).
pub const SCRIPT: &str = include_str!("app.js");

const CSS: &str = "body{margin:0;font:14px/1.5 system-ui,sans-serif;color:#1d232b;background:#f3f5f8}\
.wrap{max-width:1100px;margin:0 auto;padding:18px 22px}\
h1{font-size:20px}table{border-collapse:collapse;width:100%;background:#fff}\
th,td{border-bottom:1px solid #d9dee5;padding:6px 10px;text-align:left}\
td.n{text-align:right;font-variant-numeric:tabular-nums}\
.filters a{margin-right:12px}.filters a.on{font-weight:700}\
.warn{background:#b3121f;color:#fff;text-align:center;font-weight:700;padding:7px}\
.err{color:#b3121f}";

// The panel sticks to the bottom of the window; `scroll-padding-bottom` (set to its height
// by app.js, this value until then) keeps a portion scrolled into view out from under it.
const PANEL_CSS: &str = "html{scroll-padding-bottom:10rem}\
#panel{position:sticky;bottom:0;background:#fff;border-top:3px solid #1f5fbf;\
padding:8px 22px 10px;box-shadow:0 -2px 6px rgba(0,0,0,.12);z-index:5}\
#panel .bar{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 14px;margin-bottom:4px}\
#picked{font-weight:700}#picked.none{font-weight:400;color:#5b6470}\
#decide{display:flex;flex-wrap:wrap;align-items:center;gap:6px 14px}\
#decide label{display:inline-flex;align-items:center;gap:5px;white-space:nowrap;font-weight:600}\
#decide input[type=text],#decide select{font:inherit;padding:3px 5px;border:1px solid #8a94a3;border-radius:3px}\
#reviewer{width:9em}#span{width:14em}#reason{width:22em}#authority{width:15em}\
#submit{font:inherit;font-weight:700;padding:4px 12px;background:#1f5fbf;color:#fff;border:0;border-radius:3px;cursor:pointer}\
#decisions{font-size:13px;margin:4px 0 6px;padding-left:18px;max-height:7.5em;overflow:auto}#decisions li{margin:2px 0}\
#decisions .ok{color:#1b5e20;font-weight:700}#decisions .wait{color:#7a5200;font-weight:700}\
button.approve{font:inherit;font-size:12px;padding:1px 8px;margin-left:6px}\
.apperr{color:#b3121f;font-weight:700}.appwarn{color:#a3167a;font-weight:600}\
[data-row]{cursor:pointer}[data-row]:hover{outline:2px solid #1f5fbf;outline-offset:-2px}\
.picked{outline:3px solid #e06c00 !important;outline-offset:-3px;box-shadow:inset 0 0 0 9999px rgba(224,108,0,.07)}";

/// A minimal page saying why a request was refused.
pub fn message(status: u16, why: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{status}</title><style>{CSS}</style></head>\
         <body><div class=\"wrap\"><h1>{status}</h1><p>{}</p></div></body></html>\n",
        escape(why)
    )
}

/// `%XX` and `+` decoding of a query value; bad escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Query-value encoding of a document key.
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One line of the document list.
pub struct ListRow {
    key: String,
    counts: Option<[usize; 4]>,
    error: Option<String>,
}

impl ListRow {
    /// Released in full, withheld, redacted, needing review (portions withheld because
    /// their mark is missing or unreadable, plus decisions nobody approved yet).
    pub fn of(key: &str, p: &Preview, unapproved: usize) -> ListRow {
        let s = &p.summary;
        ListRow {
            key: key.to_string(),
            counts: Some([
                s.released,
                s.withheld,
                s.redacted,
                s.fail_closed.len() + unapproved,
            ]),
            error: None,
        }
    }

    pub fn failed(key: &str, error: String) -> ListRow {
        ListRow {
            key: key.to_string(),
            counts: None,
            error: Some(error),
        }
    }

    /// Whether the filter (`withheld`, `redacted`, `review`, or all) keeps this row.
    pub fn shown(&self, filter: &str) -> bool {
        let Some([_, w, r, n]) = self.counts else {
            return matches!(filter, "" | "all" | "review");
        };
        match filter {
            "withheld" => w > 0,
            "redacted" => r > 0,
            "review" => n > 0,
            _ => true,
        }
    }
}

pub fn list(rows: &[ListRow], filter: &str, decisions: &str) -> String {
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>declass review</title>\
         <style>{CSS}</style><script src=\"/app.js\" defer></script></head><body>\
         <div class=\"warn\">REVIEW COPY: CONTAINS WITHHELD MATERIAL</div><div class=\"wrap\">\
         <h1>Documents under review</h1><p>Decisions are saved to <code>{}</code>.</p><p class=\"filters\">",
        escape(decisions)
    );
    for (f, label) in [
        ("all", "all"),
        ("review", "needing review"),
        ("withheld", "with withholdings"),
        ("redacted", "with redactions"),
    ] {
        let on = if filter == f || (filter.is_empty() && f == "all") {
            " class=\"on\""
        } else {
            ""
        };
        let _ = write!(h, "<a{on} href=\"/?filter={f}\">{label}</a>");
    }
    h.push_str("</p><table id=\"docs\"><thead><tr><th>Document</th><th>Released</th><th>Withheld</th><th>Redacted</th><th>Needing review</th></tr></thead><tbody>\n");
    for r in rows {
        let name = r.key.split_once('/').map_or(r.key.as_str(), |k| k.1);
        let _ = write!(
            h,
            "<tr><td><a class=\"doc\" href=\"/doc?path={}\">{}</a></td>",
            escape(&percent_encode(&r.key)),
            escape(name)
        );
        match (&r.counts, &r.error) {
            (Some(c), _) => {
                for n in c {
                    let _ = write!(h, "<td class=\"n\">{n}</td>");
                }
            }
            (None, e) => {
                let _ = write!(
                    h,
                    "<td colspan=\"4\" class=\"err\">{}</td>",
                    escape(e.as_deref().unwrap_or(""))
                );
            }
        }
        h.push_str("</tr>\n");
    }
    let _ = writeln!(
        h,
        "</tbody></table><p>{} documents shown.</p></div></body></html>",
        rows.len()
    );
    h
}

fn decision_line(d: &PortionDecision) -> String {
    let approvals: Vec<&str> = d.approvals.iter().map(|a| a.reviewer.as_str()).collect();
    let state = if d.is_approved() {
        format!(
            "<span class=\"ok\">approved by {}</span>",
            escape(&approvals.join(", "))
        )
    } else {
        "<span class=\"wait\">awaiting a second reviewer</span>".to_string()
    };
    format!(
        "<li data-line=\"{}\"><b>{}</b> {} {} by {} on {}: {} ({}) <button type=\"button\" class=\"approve\" data-line=\"{}\">Approve</button></li>",
        d.line,
        escape(&d.label()),
        escape(d.action.word()),
        escape(&d.codes.join(", ")),
        escape(&d.reviewer),
        d.date,
        escape(&d.reason),
        state,
        d.line
    )
}

/// The preview page of one document with the decision panel.
pub fn document(
    key: &str,
    preview: &Preview,
    entry: Option<&DocumentDecisions>,
    warnings: &[String],
    codes: &CodeSet,
) -> String {
    let mut panel = format!(
        "<div id=\"panel\" data-path=\"{}\"><div class=\"bar\"><a href=\"/\">&larr; all documents</a>\
         <span id=\"picked\" class=\"none\">Click a portion to decide it.</span></div>",
        escape(key)
    );
    for w in warnings {
        let _ = write!(panel, "<div class=\"appwarn\">{}</div>", escape(w));
    }
    panel.push_str("<ul id=\"decisions\">");
    for d in entry.map_or(&[][..], |e| &e.portions) {
        panel.push_str(&decision_line(d));
    }
    panel.push_str("</ul><form id=\"decide\"><input type=\"hidden\" id=\"row\">\
        <label>Reviewer <input type=\"text\" id=\"reviewer\" autocomplete=\"off\"></label>\
        <label>Action <select id=\"action\"><option value=\"withhold\">withhold</option>\
        <option value=\"redact\">redact selected text</option><option value=\"release\">release</option></select></label>\
        <label>Code <select id=\"code\">");
    for c in codes.codes() {
        let _ = write!(panel, "<option value=\"{0}\">{0}</option>", escape(&c.code));
    }
    panel.push_str("</select></label><label>Text <input type=\"text\" id=\"span\" placeholder=\"select text in the original\"></label>\
        <label>Reason <input type=\"text\" id=\"reason\"></label>\
        <label>Authority <input type=\"text\" id=\"authority\" placeholder=\"to release above the target\"></label>\
        <button type=\"submit\" id=\"submit\">Save decision</button> <span id=\"status\" class=\"apperr\"></span></form></div>\n");
    let head = format!("<style>{PANEL_CSS}</style><script src=\"/app.js\" defer></script>\n");
    render_with(
        preview,
        Some(&Interactive {
            head: &head,
            body: &panel,
        }),
    )
}
