//! Classification authority blocks wherever they stand: the last reading of the parser.
//!
//! Cables print their Classified By block under the header, where the header scanner cuts
//! it out; other documents print the block at the top, at the foot of the first page, after
//! the signature, or run into a banner line (`… DERIVED FROM: NSA/CSSM 1-52, DATED 08 JAN
//! 2007 DECLASSIFY ON: 20320108`). This pass reads every line for the block's labels, new
//! (`Classified By:`, `Derived From:`, `Reason:`, `Declassify On:`) and old (`CL BY`,
//! `DRV FM`, `CL REASON`, `DECL ON`, `DECLON`, `DECL:`, `DECL BY X1`, `DECL X1`, the bare
//! `E2 IMPDET`), and gathers neighbouring ones into [`Authority`] blocks. A `Declassify
//! On` whose label OCR damaged past reading is still read where the block's last field
//! stands, and a banner's trailing declassification field (`…//20291123`) is kept for the
//! document that prints no other ([`Document::declassify`] chooses). It only reads: which
//! element a line belongs to, and so what is released, is the segmenter's decision, never
//! changed here.

use crate::document::{Authority, Declassify, Document, LineSpan};
use regex::Regex;
use std::sync::LazyLock;

/// A label of the block, anywhere in a line, with its separator. The word boundaries are
/// ASCII ones (the labels are ASCII): a Unicode `\b` keeps the regex engine off its DFA on
/// any line with a non-ASCII character (`¶`), and this runs on every line of a document.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(CLASSIFIED\s+BY|DERIVED\s+FROM|DECLASSI[A-Z1]{1,2}\s+ON|DECL\s*ON|DECL\s+BY|DECL|[EF]-?[2Z?]\s+IMPDET|DR?V\s+FM|DRV\s+FROM|CL\s+BY|CL\s+REASON|REASONS?(?:\s+FOR\s+CLASSIFICATION)?|DATED)(?-u:\b)[ \t]*[:;]?",
    )
    .expect("static regex")
});

/// The fields of a cable header that follow `DECL:` when the header is run into one line.
static RUN_ON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"TAGS\s*:|SUBJECT\s*:").expect("static regex"));

/// An E.O. citation ending the text before a label (`… E.O. 12958: ` before `DECL:`).
static EO_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)E\.?\s?O\.?\s*1\d{4}\s*[:;]?\s*$").expect("static regex"));

fn after_eo(before: &str) -> bool {
    EO_BEFORE.is_match(before)
}

/// Lines between two fields of one block (a blank line, a wrapped value).
const MAX_GAP: usize = 2;
/// The longest label OCR may have damaged past reading before a `Declassify On` date.
const MAX_DAMAGED_LABEL: usize = 16;
/// The longest value taken from the line under an empty label (`Declassify On:` right-aligned
/// with its value below).
const MAX_VALUE_BELOW: usize = 40;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    ClassifiedBy,
    DerivedFrom,
    Reason,
    Declassify,
    Dated,
}

/// One label found: its field, whether printed in the older form, the value after it.
struct Found {
    field: Field,
    legacy: bool,
    value: String,
}

/// Reads every authority block of the document into `doc.header.authority`.
pub fn read(doc: &mut Document) {
    let mut blocks: Vec<Authority> = Vec::new();
    let mut last_line = 0;
    // The E.O. line's `DECL:` is the header's, read there.
    let eo = doc.header.eo.as_ref().map(|e| e.lines);
    for (i, line) in doc.lines.iter().enumerate() {
        if eo.is_some_and(|s| s.contains(i + 1)) {
            continue;
        }
        // Every label has a colon after it or is an old upper-case form (`E2 IMPDET` has
        // no label at all): most lines have neither, and skip the search.
        if !may_hold_label(line) {
            continue;
        }
        let n = i + 1;
        let found = fields(line, eo.is_some());
        if found.is_empty() {
            if let Some(block) = blocks.last_mut().filter(|b| b.lines.last + 1 == n) {
                damaged_declassify(block, line, n);
            }
            continue;
        }
        let opens = found
            .iter()
            .any(|f| !matches!(f.field, Field::Reason | Field::Dated));
        let joins = blocks
            .last()
            .is_some_and(|b| n <= last_line + MAX_GAP + 1 && b.lines.last < n);
        if !joins && !opens {
            // `Reason:` or `Dated:` alone is a block's only when it follows one.
            continue;
        }
        if !joins {
            blocks.push(Authority {
                lines: LineSpan::one(n),
                classified_by: None,
                derived_from: None,
                reason: None,
                declassify: None,
                legacy: false,
            });
        }
        let block = blocks
            .last_mut()
            .expect("a block was just pushed or joined");
        block.lines.last = n;
        last_line = n;
        for f in found {
            block.legacy |= f.legacy;
            let value = if f.value.is_empty() {
                value_below(doc, n).unwrap_or_default()
            } else {
                f.value
            };
            let slot = match f.field {
                Field::ClassifiedBy => &mut block.classified_by,
                Field::DerivedFrom => &mut block.derived_from,
                Field::Reason => &mut block.reason,
                Field::Dated => continue,
                Field::Declassify => {
                    if block.declassify.is_none() && !value.is_empty() {
                        block.declassify = Some(declassify(&value));
                    }
                    continue;
                }
            };
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value);
            }
        }
    }
    doc.header.authority = blocks;
    doc.header.banner_declassify = banner_declassify(doc);
}

/// A line right under a block that has no `Declassify On` yet, printed as a label OCR
/// damaged past reading and a date (`i: 20340401` under `Dated: 20070108`): the
/// instruction is the block's last field, and nothing else in a block is a bare date
/// after a short label.
fn damaged_declassify(block: &mut Authority, line: &str, n: usize) {
    if block.declassify.is_some() {
        return;
    }
    let Some((label, value)) = line.trim().split_once(':') else {
        return;
    };
    let value = value.trim();
    let short_label = label.chars().count() <= MAX_DAMAGED_LABEL && !label.contains("  ");
    if short_label
        && value.len() >= 8
        && value.bytes().all(|b| b.is_ascii_digit())
        && matches!(
            crate::document::date::read_instruction(value),
            crate::document::DeclassifyOn::Date(_)
        )
    {
        block.declassify = Some(declassify(value));
        block.lines.last = n;
    }
}

/// The declassification field the first banner line carrying one ends with
/// (`TOP SECRET//COMINT//REL TO USA, AUS//20291123`, `SECRET//X1`): the document's
/// instruction when it prints no other.
fn banner_declassify(doc: &Document) -> Option<(usize, Declassify)> {
    let h = &doc.header;
    h.banner
        .iter()
        .map(|b| b.line)
        .chain(h.section_banners.iter().copied())
        .find_map(|n| {
            let read = crate::marking::banner::parse_line(doc.line(n))?;
            Some((n, declassify(&read.declassify?)))
        })
}

/// Does the line hold a colon, `CL `, `DECL`, `DRV`, `DV FM` or `IMPDET`? A literal alternation
/// (which the regex crate searches with a vectorised multi-literal prefilter) where five
/// substring searches cost several times as much, on every line of a document.
fn may_hold_label(line: &str) -> bool {
    static HINT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r":|CL |DECL|DRV|DV FM|IMPDET").expect("static regex"));
    HINT.is_match(line)
}

/// Could [`LABEL`] match in the line? Each of its alternatives holds one of these words in
/// any case (`CL`: CLASSIFIED BY, CL BY, CL REASON, DECL…, DECLASSIFY ON; `REA`: REASON),
/// none of them a letter with a non-ASCII case fold (only `K` and `S` have one, `K`
/// and `ſ`), so an ASCII case-blind search finds every line the regex could match; the
/// regex runs on those only.
fn may_match_label(line: &str) -> bool {
    let b = line.as_bytes();
    (0..b.len()).any(|i| {
        let rest = &b[i..];
        let starts = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
        match b[i].to_ascii_uppercase() {
            b'C' => starts(b"CL"),
            b'D' => starts(b"DERIVED") || starts(b"DRV") || starts(b"DV") || starts(b"DATED"),
            b'I' => starts(b"IMPDET"),
            b'R' => starts(b"REA"),
            _ => false,
        }
    })
}

/// The labels on one line and the value after each, up to the next label. `eo_read`: the
/// header read an E.O. line, so an E.O. line's `DECL:` reprinted further down (database
/// residue running the header into one line) is that line's again, not a block's.
fn fields(line: &str, eo_read: bool) -> Vec<Found> {
    if !may_match_label(line) {
        return Vec::new();
    }
    // A form's blanks typed over (`CL BY__2100049`, `DECL__OADR`): the underscores part
    // label and value like a blank does (an underscore is a word character, so the label
    // would not end at a word boundary before it).
    if line.contains("__") {
        return fields_of(&line.replace('_', " "), eo_read);
    }
    fields_of(line, eo_read)
}

/// The authority fields of one line, its blanks already read as blanks.
fn fields_of(line: &str, eo_read: bool) -> Vec<Found> {
    let starts_at = line
        .trim_start()
        .trim_start_matches("(U)")
        .trim_start()
        .len();
    let line_start = line.len() - starts_at;
    // An upper-case label counts without a colon in its old form, at the line start, or
    // after another label of the line (`… 1-52, DATED 08 JAN 2007 DECLASSIFY ON: …`).
    let mut seen = false;
    let matches: Vec<regex::Match<'_>> = LABEL
        .find_iter(line)
        .filter(|m| {
            let text = m.as_str();
            let word = text.trim_end_matches([':', ';', ' ', '\t']);
            let colon = text.ends_with([':', ';']);
            let upper = word == word.to_ascii_uppercase();
            // A bare `DECL` is the old label only where a label may stand: anywhere else
            // an upper-case word of text may open with it.
            let anywhere = is_legacy(word) && !is_bare_decl(word);
            let ok = colon || (upper && (anywhere || seen || m.start() == line_start));
            let reprint =
                eo_read && word.eq_ignore_ascii_case("DECL") && after_eo(&line[..m.start()]);
            let ok = ok && !reprint;
            seen |= ok;
            ok
        })
        .collect();
    let mut out = Vec::with_capacity(matches.len());
    for (k, m) in matches.iter().enumerate() {
        let end = matches.get(k + 1).map_or(line.len(), |next| next.start());
        let word = m.as_str().trim_end_matches([':', ';', ' ', '\t']);
        let upper = word.to_ascii_uppercase();
        let upper: String = upper.split_whitespace().collect::<Vec<_>>().join(" ");
        let field = match upper.as_str() {
            "CLASSIFIED BY" | "CL BY" => Field::ClassifiedBy,
            // `DV FM`: the old Derived From label as some CIA forms print it.
            "DERIVED FROM" | "DRV FM" | "DV FM" | "DRV FROM" => Field::DerivedFrom,
            "DATED" => Field::Dated,
            u if u.starts_with("DECL") || u.ends_with("IMPDET") => Field::Declassify,
            _ => Field::Reason,
        };
        // `E2 IMPDET` is a label-less value: the instruction itself.
        let value = if upper.ends_with("IMPDET") {
            word.to_string()
        } else {
            let value = &line[m.end()..end];
            // A header run into one line goes on with TAGS and SUBJECT after the value.
            let value = RUN_ON.find(value).map_or(value, |t| &value[..t.start()]);
            value.trim().trim_end_matches([',', ';']).trim().to_string()
        };
        // Without its colon a bare `DECL` may be the start of damaged text (`DECL ASS) 7
        // A rity …`): a label only when what follows reads as an instruction.
        let colon = m.as_str().trim_end().ends_with([':', ';']);
        if is_bare_decl(word)
            && !colon
            && matches!(
                crate::document::date::read_instruction(&value),
                crate::document::DeclassifyOn::Event(_)
            )
        {
            continue;
        }
        out.push(Found {
            field,
            // An E.O. line's `DECL:` is today's form, not the old block's.
            legacy: is_legacy(word) && !after_eo(&line[..m.start()]),
            value,
        });
    }
    out
}

/// The older abbreviated labels (`CL BY`, `DECL ON`, `DECLON`, `DECL BY`, `DECL`, `DRV FM`,
/// `DV FM`, `DRV FROM`, `CL REASON`) and the label-less `E2 IMPDET`.
fn is_legacy(word: &str) -> bool {
    let w: String = word.split_whitespace().collect::<Vec<_>>().join(" ");
    matches!(
        w.as_str(),
        "CL BY"
            | "DECL ON"
            | "DECLON"
            | "DECL BY"
            | "DECL"
            | "DRV FM"
            | "DV FM"
            | "DRV FROM"
            | "CL REASON"
    ) || w.ends_with("IMPDET")
}

/// `DECL` or `DECL BY` without a colon: old labels, but also words a line of text may
/// hold in upper case.
fn is_bare_decl(word: &str) -> bool {
    let w: String = word.split_whitespace().collect::<Vec<_>>().join(" ");
    matches!(w.as_str(), "DECL" | "DECL BY")
}

/// The value printed on the next non-blank line under an empty label, when short.
fn value_below(doc: &Document, n: usize) -> Option<String> {
    (n + 1..=n + MAX_GAP)
        .map(|k| doc.line(k).trim())
        .find(|t| !t.is_empty())
        .filter(|t| {
            t.chars().count() <= MAX_VALUE_BELOW
                && fields(t, false).is_empty()
                // The banner under a right-aligned empty label is not its value.
                && crate::marking::banner::parse_line(t).is_none()
        })
        .map(str::to_string)
}

/// A `Declassify On` value as the E.O. line's reader keeps it: raw, and the date when the
/// value opens with one.
fn declassify(value: &str) -> Declassify {
    let date = crate::document::date::read_instruction(value).date();
    Declassify {
        raw: value.to_string(),
        date,
        token: date.is_none().then(|| value.to_ascii_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use crate::document::DeclassifyOn;
    use crate::parse::parse_str;

    #[test]
    fn a_block_at_the_foot_of_a_memo() {
        let text = "SECRET//NOFORN\n\n1. (S//NF) The program.\n\n\
                    Derived From: NSA/CSSM 1-52\n\
                    Dated: 20070108\n\
                    Declassify On: 20320108\n\nSECRET//NOFORN\n";
        let doc = parse_str(text).expect("parses");
        let a = &doc.header.authority;
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].derived_from.as_deref(), Some("NSA/CSSM 1-52"));
        assert_eq!(a[0].lines.first, 5);
        assert_eq!(a[0].lines.last, 7);
        let d = doc.declassify().expect("read");
        assert_eq!(d.date.map(|d| d.to_string()).as_deref(), Some("2032-01-08"));
        assert!(matches!(d.instruction(), DeclassifyOn::Date(_)));
    }

    #[test]
    fn a_block_run_into_one_line() {
        let text = "TOP SECRET//SI//REL\n\n(U) Text.\n\n\
                    TOP SECRET//SI//REL DERIVED FROM: NSA/CSSM 1-52, DATED 08 JAN 2007 DECLASSIFY ON: 25X1\n";
        let doc = parse_str(text).expect("parses");
        let a = &doc.header.authority[0];
        assert_eq!(a.derived_from.as_deref(), Some("NSA/CSSM 1-52"));
        let d = a.declassify.as_ref().expect("read");
        assert_eq!(
            d.instruction(),
            DeclassifyOn::Exemption {
                code: "25X1".into(),
                date: None
            }
        );
    }

    #[test]
    fn legacy_forms() {
        let text = "SECRET\n\n1. (S) Text of the memo.\n\n\
                    CL BY 0053212\nCL REASON 1.5 (C)\nDECL ON OADR\nDRV FM HUM 4-82\n";
        let doc = parse_str(text).expect("parses");
        let a = &doc.header.authority[0];
        assert!(a.legacy);
        assert_eq!(a.classified_by.as_deref(), Some("0053212"));
        assert_eq!(a.reason.as_deref(), Some("1.5 (C)"));
        assert_eq!(a.derived_from.as_deref(), Some("HUM 4-82"));
        assert_eq!(
            a.declassify.as_ref().map(|d| d.instruction()),
            Some(DeclassifyOn::Oadr)
        );
    }

    #[test]
    fn a_form_typed_over_its_blanks() {
        // A CIA form's block: the values typed on the underscored blanks.
        let text = "SECRET\n\n1. (S) Text of the memo.\n\n\
                    CL BY__2100049\nDECL__OADR\nDRV_Multiple __\n";
        let doc = parse_str(text).expect("parses");
        let a = &doc.header.authority[0];
        assert_eq!(a.classified_by.as_deref(), Some("2100049"));
        assert_eq!(
            a.declassify.as_ref().map(|d| d.instruction()),
            Some(DeclassifyOn::Oadr)
        );
    }

    #[test]
    fn dv_fm_is_derived_from() {
        let text = "SECRET\n\n1. (S) Text of the memo.\n\n\
                    CL BY: 0185904\nDECL ON: X1\nCL REASON: 1.5(c)\nDV FM: AHB 70-9 MULTIPLE\n";
        let doc = parse_str(text).expect("parses");
        let a = &doc.header.authority[0];
        assert!(a.legacy);
        assert_eq!(a.derived_from.as_deref(), Some("AHB 70-9 MULTIPLE"));
    }

    #[test]
    fn the_prefilters_are_the_searches_they_replace() {
        let lines = [
            "",
            "CL BY 0053212",
            "cl by",
            "DECLASSIFY ON: 25X1",
            "Derived From: NSA/CSSM 1-52",
            "DRV FM HUM 4-82",
            "DV FM: AHB 70-9 MULTIPLE",
            "DV FM AHB 70-9",
            "E2 IMPDET",
            "F-Z IMPDET",
            "REASON 1.5 (C)",
            "REAſON: 1.4",
            "CLAſſIFIED BY: X",
            "Dated: 20070108",
            "dAtEd 2007",
            "A line of prose with nothing in it",
            "TIME: 10:30",
            "NUCLEAR AREA",
            "¶1. (C) DECL",
            "DEC",
            "IMPDE",
            "C",
        ];
        for line in lines {
            let five = line.contains(':')
                || line.contains("CL ")
                || line.contains("DECL")
                || line.contains("DRV")
                || line.contains("DV FM")
                || line.contains("IMPDET");
            assert_eq!(super::may_hold_label(line), five, "{line:?}");
            if super::LABEL.is_match(line) {
                assert!(super::may_match_label(line), "{line:?}");
            }
        }
        assert!(!super::may_match_label("TIME: 10:30"));
    }

    #[test]
    fn prose_is_no_block() {
        let text = "UNCLASSIFIED\n\n1. (U) The paper was classified by the agency and dated \
                    in May; the reason was not given.\n";
        let doc = parse_str(text).expect("parses");
        assert!(
            doc.header.authority.is_empty(),
            "{:?}",
            doc.header.authority
        );
    }
}
