//! The manifest written by hand: the bytes `serde_json`'s pretty printer makes of a
//! [`Manifest`] (two-space indent, `"key": value`, members in field order, optional
//! fields skipped as the derive skips them), and beside them the reader's text that the
//! leak check and the marks backstop read ([`super::json_text::json_text`]: each key and
//! string decoded, one per line, members in key order, integers as written). Both are
//! streamed into their buffers in one walk of the manifest; the text's members are
//! written in key order straight away, so nothing is sorted afterwards.
//!
//! Why by hand: through serde's generic serializer every key, value and punctuation mark
//! was a dynamic call, and every object's members were sorted again for the text, about a
//! twentieth of a release's instructions. The serde derive stays: the JSON release embeds
//! the manifest through it, and the unit tests compare both writers' bytes and text with
//! it on every fixture cable.

use crate::release::GuardEntry;
use crate::release::manifest::{EntryJson, FileRef, Manifest, OutputRef, PolicyRef, Summary, Tool};

/// The manifest as pretty JSON with a trailing newline (what `to_string_pretty` gives,
/// plus `\n`) and its reader's text.
pub fn manifest_with_text(m: &Manifest<'_>) -> (String, String) {
    let mut w = Writer {
        json: String::with_capacity(4096),
        indent: 0,
        first: true,
        long_number: false,
    };
    w.manifest_json(m);
    // The reader may read an integer of 19 digits or more another way (as the recorder
    // knows): none is ever this large, but if one were, serde's path decides.
    if w.long_number {
        return super::json_text::to_pretty_with_text(m);
    }
    w.json.push('\n');
    let mut text = String::with_capacity(w.json.len() / 2);
    manifest_text(&mut text, m);
    (w.json, text)
}

/// The JSON side: the pretty printer's layout, kept as an indent level and whether the
/// open array or object has a member yet.
struct Writer {
    json: String,
    indent: usize,
    first: bool,
    /// An integer of 19 digits or more was written.
    long_number: bool,
}

impl Writer {
    fn open(&mut self, bracket: char) {
        self.json.push(bracket);
        self.indent += 1;
        self.first = true;
    }

    /// Closes an array or object: on its own line when it has members, right after the
    /// opening bracket (`[]`, `{}`) when it has none.
    fn close(&mut self, bracket: char) {
        self.indent -= 1;
        if !self.first {
            self.newline();
        }
        self.json.push(bracket);
        // The container just closed is a member of the one around it.
        self.first = false;
    }

    fn newline(&mut self) {
        self.json.push('\n');
        for _ in 0..self.indent {
            self.json.push_str("  ");
        }
    }

    /// Starts the next member of an array.
    fn item(&mut self) {
        if !self.first {
            self.json.push(',');
        }
        self.newline();
        self.first = false;
    }

    /// Starts the next member of an object with `key` (a field name: nothing to escape).
    fn key(&mut self, key: &str) {
        self.item();
        self.json.push('"');
        self.json.push_str(key);
        self.json.push_str("\": ");
    }

    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        push_string(&mut self.json, value);
    }

    fn opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.str(key, v);
        }
    }

    fn str_or_null(&mut self, key: &str, value: Option<&str>) {
        self.key(key);
        match value {
            Some(v) => push_string(&mut self.json, v),
            None => self.json.push_str("null"),
        }
    }

    fn int(&mut self, key: &str, value: usize) {
        self.key(key);
        self.number(value);
    }

    fn number(&mut self, value: usize) {
        self.long_number |= value >= 1_000_000_000_000_000_000;
        push_int(&mut self.json, value);
    }

    fn strings<'s>(&mut self, key: &str, values: impl IntoIterator<Item = &'s str>) {
        self.key(key);
        self.open('[');
        for v in values {
            self.item();
            push_string(&mut self.json, v);
        }
        self.close(']');
    }

    /// Every struct is taken apart by name with no `..`: a field added to the manifest
    /// fails to compile here (and in [`manifest_text`]) until both writers write it, so
    /// that nothing serde would write is left out of the JSON or out of the text checked.
    fn manifest_json(&mut self, m: &Manifest<'_>) {
        let Manifest {
            schema,
            tool: Tool { name, version },
            input: FileRef { path, hmac_sha256 },
            policy,
            as_of,
            case,
            doc,
            banner,
            stamp,
            declassification,
            output: OutputRef { format, sha256 },
            summary,
            subject,
            paragraphs,
            guard,
        } = m;
        self.open('{');
        self.int("schema", *schema as usize);
        self.key("tool");
        self.open('{');
        self.str("name", name);
        self.str("version", version);
        self.close('}');
        self.key("input");
        self.open('{');
        self.str("path", path);
        self.opt_str("hmac_sha256", hmac_sha256.as_deref());
        self.close('}');
        let PolicyRef {
            name,
            sha256: policy_sha256,
        } = policy;
        self.key("policy");
        self.open('{');
        self.str("name", name);
        self.str("sha256", policy_sha256);
        self.close('}');
        self.str("as_of", as_of);
        self.opt_str("case", *case);
        self.opt_str("doc", *doc);
        self.str("banner", banner);
        self.str("stamp", stamp);
        self.strings(
            "declassification",
            declassification.iter().map(String::as_str),
        );
        self.key("output");
        self.open('{');
        self.str("format", format);
        self.opt_str("sha256", sha256.as_deref());
        self.close('}');
        let Summary {
            paragraphs: n_paragraphs,
            released,
            withheld,
            redactions,
            fail_closed,
            guard_withheld,
        } = summary;
        self.key("summary");
        self.open('{');
        self.int("paragraphs", *n_paragraphs);
        self.int("released", *released);
        self.int("withheld", *withheld);
        self.int("redactions", *redactions);
        self.int("fail_closed", *fail_closed);
        self.int("guard_withheld", *guard_withheld);
        self.close('}');
        self.key("subject");
        match subject {
            Some(e) => self.entry(e),
            None => self.json.push_str("null"),
        }
        self.key("paragraphs");
        self.open('[');
        for e in paragraphs {
            self.item();
            self.entry(e);
        }
        self.close(']');
        self.key("guard");
        self.open('[');
        for g in *guard {
            self.item();
            self.guard_entry(g);
        }
        self.close(']');
        self.close('}');
    }

    fn entry(&mut self, e: &EntryJson<'_>) {
        let EntryJson {
            number,
            printed_number,
            marking,
            origin,
            rule,
            action,
            codes,
            lines,
            page,
            page_lines,
            chars,
            redactions,
            hmac_sha256,
            consistency,
            decided_by,
            reviewer,
        } = e;
        self.open('{');
        if let Some(n) = number {
            self.int("number", *n as usize);
        }
        self.opt_str("printed_number", *printed_number);
        self.str_or_null("marking", *marking);
        self.str("origin", origin);
        self.str("rule", rule);
        self.str("action", action);
        self.strings("codes", codes.texts());
        if let Some([a, b]) = lines {
            self.key("lines");
            self.open('[');
            self.item();
            self.number(*a);
            self.item();
            self.number(*b);
            self.close(']');
        }
        if let Some(p) = page {
            self.int("page", *p);
        }
        if let Some([a, b]) = page_lines {
            self.strings("page_lines", [a.as_str(), b.as_str()]);
        }
        if let Some(c) = chars {
            self.int("chars", *c);
        }
        self.int("redactions", *redactions);
        self.opt_str("hmac_sha256", hmac_sha256.as_deref());
        self.opt_str("consistency", *consistency);
        self.opt_str("decided_by", *decided_by);
        self.opt_str("reviewer", *reviewer);
        self.close('}');
    }

    fn guard_entry(&mut self, g: &GuardEntry) {
        let GuardEntry {
            code,
            line,
            column,
            cause,
            level,
            part,
        } = g;
        self.open('{');
        self.str("code", code.id());
        self.int("line", *line);
        self.int("column", *column);
        self.str("cause", cause);
        self.str("level", level);
        self.str("part", part);
        self.close('}');
    }
}

/// A JSON string as `serde_json` writes it: quotes, backslashes and control characters
/// escaped (`\b \t \n \f \r` by name, the others as `\u00XX`), everything else as it is.
fn push_string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        start = i + 1;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Decimal digits of `n`, as `serde_json` (and the reader) write an integer.
fn push_int(out: &mut String, mut n: usize) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &buf[at..] {
        out.push(char::from(d));
    }
}

/// The reader's text, members of every object in key order (byte order of the keys, as
/// the map the reader's reference builds sorts them). Each `line` is a key, a string or
/// an integer on a line of its own. Structs taken apart with no `..`, as in
/// [`Writer::manifest_json`].
fn manifest_text(out: &mut String, m: &Manifest<'_>) {
    let Manifest {
        schema,
        tool: Tool { name, version },
        input: FileRef { path, hmac_sha256 },
        policy,
        as_of,
        case,
        doc,
        banner,
        stamp,
        declassification,
        output: OutputRef { format, sha256 },
        summary,
        subject,
        paragraphs,
        guard,
    } = m;
    line_to(out, "as_of");
    line_to(out, as_of);
    line_to(out, "banner");
    line_to(out, banner);
    opt_line(out, "case", *case);
    line_to(out, "declassification");
    for d in *declassification {
        line_to(out, d);
    }
    opt_line(out, "doc", *doc);
    line_to(out, "guard");
    for g in *guard {
        guard_text(out, g);
    }
    line_to(out, "input");
    opt_line(out, "hmac_sha256", hmac_sha256.as_deref());
    line_to(out, "path");
    line_to(out, path);
    line_to(out, "output");
    line_to(out, "format");
    line_to(out, format);
    opt_line(out, "sha256", sha256.as_deref());
    line_to(out, "paragraphs");
    for e in paragraphs {
        entry_text(out, e);
    }
    let PolicyRef {
        name: policy_name,
        sha256: policy_sha256,
    } = policy;
    line_to(out, "policy");
    line_to(out, "name");
    line_to(out, policy_name);
    line_to(out, "sha256");
    line_to(out, policy_sha256);
    line_to(out, "schema");
    int_line(out, *schema as usize);
    line_to(out, "stamp");
    line_to(out, stamp);
    line_to(out, "subject");
    match subject {
        Some(e) => entry_text(out, e),
        None => line_to(out, "null"),
    }
    let Summary {
        paragraphs: n_paragraphs,
        released,
        withheld,
        redactions,
        fail_closed,
        guard_withheld,
    } = summary;
    line_to(out, "summary");
    for (key, n) in [
        ("fail_closed", fail_closed),
        ("guard_withheld", guard_withheld),
        ("paragraphs", n_paragraphs),
        ("redactions", redactions),
        ("released", released),
        ("withheld", withheld),
    ] {
        line_to(out, key);
        int_line(out, *n);
    }
    line_to(out, "tool");
    line_to(out, "name");
    line_to(out, name);
    line_to(out, "version");
    line_to(out, version);
}

fn line_to(out: &mut String, s: &str) {
    out.push_str(s);
    out.push('\n');
}

fn int_line(out: &mut String, n: usize) {
    push_int(out, n);
    out.push('\n');
}

fn opt_line(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        line_to(out, key);
        line_to(out, v);
    }
}

/// An entry's text, its keys in byte order: `action`, `chars`, `codes`, `consistency`,
/// `decided_by`, `hmac_sha256`, `lines`, `marking`, `number`, `origin`, `page`,
/// `page_lines`, `printed_number`, `redactions`, `reviewer`, `rule`.
fn entry_text(out: &mut String, e: &EntryJson<'_>) {
    let EntryJson {
        number,
        printed_number,
        marking,
        origin,
        rule,
        action,
        codes,
        lines,
        page,
        page_lines,
        chars,
        redactions,
        hmac_sha256,
        consistency,
        decided_by,
        reviewer,
    } = e;
    line_to(out, "action");
    line_to(out, action);
    if let Some(c) = chars {
        line_to(out, "chars");
        int_line(out, *c);
    }
    line_to(out, "codes");
    for c in codes.texts() {
        line_to(out, c);
    }
    opt_line(out, "consistency", *consistency);
    opt_line(out, "decided_by", *decided_by);
    opt_line(out, "hmac_sha256", hmac_sha256.as_deref());
    if let Some([a, b]) = lines {
        line_to(out, "lines");
        int_line(out, *a);
        int_line(out, *b);
    }
    line_to(out, "marking");
    line_to(out, marking.unwrap_or("null"));
    if let Some(n) = number {
        line_to(out, "number");
        int_line(out, *n as usize);
    }
    line_to(out, "origin");
    line_to(out, origin);
    if let Some(p) = page {
        line_to(out, "page");
        int_line(out, *p);
    }
    if let Some([a, b]) = page_lines {
        line_to(out, "page_lines");
        line_to(out, a);
        line_to(out, b);
    }
    opt_line(out, "printed_number", *printed_number);
    line_to(out, "redactions");
    int_line(out, *redactions);
    opt_line(out, "reviewer", *reviewer);
    line_to(out, "rule");
    line_to(out, rule);
}

/// A guard entry's text, keys in byte order: `cause`, `code`, `column`, `level`, `line`,
/// `part`.
fn guard_text(out: &mut String, g: &GuardEntry) {
    let GuardEntry {
        code,
        line,
        column,
        cause,
        level,
        part,
    } = g;
    line_to(out, "cause");
    line_to(out, cause);
    line_to(out, "code");
    line_to(out, code.id());
    line_to(out, "column");
    int_line(out, *column);
    line_to(out, "level");
    line_to(out, level);
    line_to(out, "line");
    int_line(out, *line);
    line_to(out, "part");
    line_to(out, part);
}

#[cfg(test)]
mod tests;
