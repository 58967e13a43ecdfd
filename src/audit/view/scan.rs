//! Reads, from the source lines, the banners and authority lines that today's model does
//! not carry for non-cable documents: every whole-line classification line (top and bottom
//! of each page of a pdftotext dump, repeated and section banners), e-mail
//! `Classification:` lines, and the classification authority fields wherever they stand,
//! in their modern (`Classified By:`, `Derived From:`, `Declassify On:`, `Reason:`) and
//! older (`CL BY`, `DRV FM`, `DECL ON`, `CL REASON`, `E2 IMPDET`) forms.

use super::{BannerPlace, ViewBanner};
use crate::audit::first_column;
use crate::document::Document;
use crate::marking::banner;
use regex::Regex;
use std::sync::LazyLock;

/// One field of the classification authority block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorityField {
    ClassifiedBy,
    DerivedFrom,
    Declassify,
    Reason,
}

/// The authority fields found, each at its first line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authority {
    pub classified_by: Option<usize>,
    pub derived_from: Option<usize>,
    pub declassify: Option<usize>,
    pub reason: Option<usize>,
}

impl Authority {
    /// The first line of the block: the first field found, if any.
    pub fn first_line(&self) -> Option<usize> {
        [
            self.classified_by,
            self.derived_from,
            self.declassify,
            self.reason,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn record(&mut self, field: AuthorityField, line: usize) {
        let slot = match field {
            AuthorityField::ClassifiedBy => &mut self.classified_by,
            AuthorityField::DerivedFrom => &mut self.derived_from,
            AuthorityField::Declassify => &mut self.declassify,
            AuthorityField::Reason => &mut self.reason,
        };
        slot.get_or_insert(line);
    }
}

/// What [`scan`] found.
pub struct Scanned {
    pub banners: Vec<ViewBanner>,
    /// The lines read as a whole-line, e-mail or noisy banner, in order: no field is
    /// looked for on them ([`authority`]).
    pub banner_lines: Vec<usize>,
}

/// The field labels. A label counts with its colon, as an abbreviation, or at the start
/// of a line in title or upper case: "information derived from" in prose is not a field.
/// `DRV` alone opens a line of older blocks before its source (`DRV HUM 2-82`).
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<by>(?i:(?-u:\b)CLASSIFIED\s+BY\s*:|(?-u:\b)CL\s*BY(?-u:\b))|^\s*(?:Classified [Bb]y|CLASSIFIED BY)(?-u:\b))",
        r"|(?P<drv>(?i:(?-u:\b)DERIVED\s+FROM\s*:|(?-u:\b)DRV\s*(?:FM|FRM|FROM)(?-u:\b))|^\s*(?:Derived [Ff]rom|DERIVED FROM|DRV\s+[A-Z]))",
        r"|(?P<decl>(?i:(?-u:\b)DECLASSIFY\s+ON\s*:|(?-u:\b)DECL\s*ON(?-u:\b)|(?-u:\b)DECL\s*:|(?-u:\b)DECL\s+OADR(?-u:\b)|(?-u:\b)IMPDET(?-u:\b)|(?-u:\b)DECLASSIFICATION\s+DATE\s*:)|^\s*(?:Declassify [Oo]n|DECLASSIFY ON)(?-u:\b))",
        r"|(?P<why>(?i:(?-u:\b)CL\s+REASON(?-u:\b)|(?-u:\b)reasons?\s*:?\s*1\.[45](?-u:\b))|^\s*(?:Reason|REASON)\s*:)",
    ))
    .expect("static regex")
});

/// `Classification: SECRET//NOFORN` at the head of an e-mail.
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*classification\s*:\s*(\S.*)$").expect("static regex"));

/// A line that opens with a level word and a slash, or is the level word alone, but
/// that the banner grammar cannot read whole (`TOP SECRET//COMINT/`, `TOP SECRETIISl/lREL`).
static UNREAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(TOP\s*SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)\s*(?:/|I[IlS]|$)")
        .expect("static regex")
});

fn unread_banner(text: &str) -> Option<crate::marking::Level> {
    unread_words(text).or_else(|| unread_spaced(text))
}

/// [`unread_banner`] of a letter-spaced banner whose controls OCR damaged past reading
/// (`T O P S E C R E T / / C < ) M I NT/720291123`): the level's letters joined back
/// first, as the banner grammar joins them. Only a line that opens letter-spaced
/// (a capital, a blank, a capital), or with `TOP` written whole before a letter-spaced
/// rest (`TOP   S E C R E T   / /   SI …`), is tried.
fn unread_spaced(text: &str) -> Option<crate::marking::Level> {
    let t = text.trim_start();
    let t = t.strip_prefix("TOP ").map_or(t, str::trim_start).as_bytes();
    if !(t.len() > 3 && t[0].is_ascii_uppercase() && t[1] == b' ' && t[2].is_ascii_uppercase()) {
        return None;
    }
    let joined = banner::collapse_letter_spacing(text.trim());
    unread_words(&joined)
}

fn unread_words(text: &str) -> Option<crate::marking::Level> {
    let c = UNREAD.captures(text)?;
    crate::marking::Level::from_name(&c[1].split_whitespace().collect::<Vec<_>>().join(" "))
        .or_else(|| c[1].starts_with("TOP").then_some(crate::marking::Level::TS))
}

/// A level word in capitals on a short line of OCR noise, the way scanned memos print
/// their page banners (`--° SECRET a)`, `SECRET 20 Jug ¢F`, `RETURN TO CIA. | SECRET =
/// ww`): one level word in the line (a form's `SECRET CONFIDENTIAL UNCLASSIFIED` boxes are
/// none), standing apart from letters, and at most three lower-case words beside it, so
/// that no sentence holds it; never a table cell, nor a damaged banner with controls
/// (its level word may have lost a `TOP`). Read by level only (`read: false`).
fn noisy_banner(text: &str) -> Option<crate::marking::Level> {
    use crate::marking::Level;
    let t = text.trim();
    if t.len() > 60 || !banner::names_level_word(t) {
        return None;
    }
    let upper = t.to_ascii_uppercase();
    let levels = ["SECRET", "CONFIDENTIAL", "UNCLASSIFIED"]
        .iter()
        .map(|w| upper.matches(w).count())
        .sum::<usize>();
    if levels != 1 {
        return None;
    }
    let (word, level) = if let Some(at) = t.find("CONFIDENTIAL") {
        ((at, "CONFIDENTIAL".len()), Level::C)
    } else {
        let at = t.find("SECRET")?;
        let top = t[..at].trim_end().ends_with("TOP");
        ((at, "SECRET".len()), if top { Level::TS } else { Level::S })
    };
    let apart = |c: Option<char>| c.is_none_or(|c| !c.is_alphabetic());
    let (before, after) = (&t[..word.0], &t[word.0 + word.1..]);
    if !apart(before.chars().next_back()) || !apart(after.chars().next()) {
        return None;
    }
    // Not a damaged banner with controls (`TOF SECRET//SL7NOFORK-`, `I'OP SECRET'IISI`):
    // its level word may have lost a damaged `TOP`, and reading it as SECRET would lower it.
    let near: String = before.chars().rev().take(6).collect();
    // `CONFIDENTIAL When Filled In` is a form's conditional marking, not a page banner,
    // quoted or not (`"CONFIDENTIAL" When`); and a level word in double quotes is named,
    // not printed as a banner.
    let when = after
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_uppercase()
        .starts_with("WHEN");
    let quote = |c: Option<char>| c.is_some_and(|c| matches!(c, '"' | '“' | '”'));
    let quoted = quote(before.chars().next_back()) && quote(after.chars().next());
    if when
        || quoted
        || after.trim_start().starts_with(['/', '\'', '|'])
        || (level == Level::S && near.contains(['O', 'o', 'P', 'p', 'F', 'f', '0']))
    {
        return None;
    }
    // Nor a word of a title or subject (`SUBJECT: SECRET MEETINGS`, `"SECRET" MEETING`).
    let next: String = after
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    if next.len() >= 3 && next.chars().all(|c| c.is_uppercase()) {
        return None;
    }
    // Nor a cell of a table or a slide's layout (runs of blanks between columns).
    if t.contains("    ") {
        return None;
    }
    let lower_words = t
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() >= 2 && w.starts_with(|c: char| c.is_lowercase()))
        .count();
    (lower_words <= 3).then_some(level)
}

/// Reads a banner line the banner grammar refused, after undoing what extraction and older
/// usage do to it: glued level words (`TOPSECRET`), a blank before the separator
/// (`TOP SECRET //COMINT`), and `COMINT`, the older name of the SI control system. The
/// level word is never changed, so a reread banner has the level it prints.
fn reread(text: &str) -> Option<banner::BannerLine> {
    let mut fixed = text.replacen("TOPSECRET", "TOP SECRET", 1);
    while fixed.contains(" //") {
        fixed = fixed.replace(" //", "//");
    }
    let fixed = fixed.replace("//COMINT", "//SI");
    if fixed == text {
        return None;
    }
    banner::parse_line(&fixed)
}

/// The words that end a ceiling statement (`DYNAMIC PAGE -- HIGHEST POSSIBLE
/// CLASSIFICATION IS`); the banner stands after them, on the same line or the next.
const CEILING: &str = "CLASSIFICATION IS ";

/// The labels of an authority block run into a ceiling statement's line after its banner.
const AFTER_CEILING: [&str; 3] = [" DERIVED FROM", " CLASSIFIED BY", " DECLASSIFY ON"];

/// The banner of a ceiling statement printed on one line with it, and the column where
/// the banner starts: `DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS TOP SECRET // SI
/// / TK // REL TO USA AUS CAN GBR NZL DERIVED FROM: …`. The banner runs to the first
/// authority label. (The two-line form's banner is a line of its own, read as any other.)
fn ceiling_banner(text: &str) -> Option<(usize, banner::BannerLine)> {
    let at = text.find(CEILING)? + CEILING.len();
    let rest = &text[at..];
    let end = AFTER_CEILING
        .iter()
        .filter_map(|l| rest.find(l))
        .min()
        .unwrap_or(rest.len());
    let printed = rest[..end].trim();
    if printed.is_empty() {
        return None;
    }
    let read = banner::parse_line(printed).or_else(|| reread(printed))?;
    Some((text[..at].chars().count() + 1, read))
}

/// Could `text` hold a ceiling statement ([`CEILING`])? One searcher built for the run:
/// building one for every line (`str::contains`) cost more than the search.
fn may_hold_ceiling(text: &str) -> bool {
    static FINDER: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(CEILING));
    FINDER.find(text.as_bytes()).is_some()
}

/// A banner line read by its level only: its controls are not known (`read: false`).
fn by_level(level: crate::marking::Level, line: usize, text: &str) -> ViewBanner {
    ViewBanner {
        marking: crate::marking::Marking::new(level),
        line,
        column: first_column(text),
        place: BannerPlace::Line,
        read: false,
    }
}

/// Reads every banner line of `doc`. The authority fields are read apart, by
/// [`authority`], and only when a rule asks for them (the view keeps them lazy): every
/// rule that does is one for classified documents, and the field search reads every
/// line, so an unclassified document (a third of bulk's cables) no longer pays for it.
pub fn scan(doc: &Document) -> Scanned {
    let mut banners = Vec::new();
    let mut banner_lines = Vec::new();
    for (i, text) in doc.lines.iter().enumerate() {
        let line = i + 1;
        if let Some(b) = banner::parse_line(text) {
            banners.push(ViewBanner {
                marking: b.marking,
                line,
                column: first_column(text),
                place: BannerPlace::Line,
                read: true,
            });
            banner_lines.push(line);
            continue;
        }
        // The unread-banner regex is anchored on a level word's first letter: screened
        // by it, most lines skip the regex.
        if text.trim_start().starts_with(['T', 'S', 'C', 'U'])
            && let Some(level) = unread_banner(text)
        {
            if let Some(b) = reread(text) {
                banners.push(ViewBanner {
                    marking: b.marking,
                    line,
                    column: first_column(text),
                    place: BannerPlace::Line,
                    read: true,
                });
                banner_lines.push(line);
                continue;
            }
            banners.push(by_level(level, line, text));
            banner_lines.push(line);
            continue;
        }
        // A ceiling statement and its banner run into one line (SIDtoday pages). The line
        // is still searched for fields: the authority block runs on after the banner.
        if may_hold_ceiling(text)
            && let Some((column, b)) = ceiling_banner(text)
        {
            banners.push(ViewBanner {
                marking: b.marking,
                line,
                column,
                place: BannerPlace::Line,
                read: true,
            });
        }
        // `Classification:` opens the line: screened before the (slower) captures.
        if text.trim_start().starts_with(['C', 'c'])
            && text.contains(':')
            && let Some(c) = EMAIL.captures(text)
            && let Some(b) = banner::parse_line(&c[1])
        {
            banners.push(ViewBanner {
                marking: b.marking,
                line,
                column: c
                    .get(1)
                    .map_or(1, |m| text[..m.start()].chars().count() + 1),
                place: BannerPlace::Email,
                read: true,
            });
            banner_lines.push(line);
            continue;
        }
        if let Some(level) = noisy_banner(text) {
            banners.push(by_level(level, line, text));
            banner_lines.push(line);
        }
    }
    Scanned {
        banners,
        banner_lines,
    }
}

/// The authority fields of `doc`, each at the first line that holds it, read on every
/// line but the banner lines [`scan`] listed (`banner_lines`, in order).
pub fn authority(doc: &Document, banner_lines: &[usize]) -> Authority {
    let mut authority = Authority::default();
    let mut banners = banner_lines.iter().peekable();
    for (i, text) in doc.lines.iter().enumerate() {
        let line = i + 1;
        if banners.next_if_eq(&&line).is_some() {
            continue;
        }
        // The DFA answers "is there a field" cheaply; captures (a backtracker) only run on
        // the few lines that hold one: captures on every line were two thirds of the audit.
        if !FIELD.is_match(text) {
            continue;
        }
        for c in FIELD.captures_iter(text) {
            let field = if c.name("by").is_some() {
                AuthorityField::ClassifiedBy
            } else if c.name("drv").is_some() {
                AuthorityField::DerivedFrom
            } else if c.name("decl").is_some() {
                AuthorityField::Declassify
            } else {
                AuthorityField::Reason
            };
            authority.record(field, line);
        }
    }
    authority
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_str;

    /// What the view reads of `text`: its banners and its authority fields.
    struct Read {
        banners: Vec<ViewBanner>,
        authority: Authority,
    }

    fn scanned(text: &str) -> Read {
        let doc = parse_str(text).expect("parses");
        let s = scan(&doc);
        Read {
            authority: authority(&doc, &s.banner_lines),
            banners: s.banners,
        }
    }

    #[test]
    fn a_level_word_in_ocr_noise_is_a_banner_by_level() {
        use crate::marking::Level;
        assert_eq!(noisy_banner("--° SECRET a)"), Some(Level::S));
        assert_eq!(noisy_banner("SECRET 20 Jug ¢F"), Some(Level::S));
        assert_eq!(
            noisy_banner("RETURN TO CIA. | CONFIDENTIAL = ww"),
            Some(Level::C)
        );
        assert_eq!(noisy_banner("fesreae cette a SECRET"), Some(Level::S));
        // A sentence, a form's boxes, a table cell, a damaged banner, a conditional mark.
        assert_eq!(
            noisy_banner("the report he sent was SECRET as we know"),
            None
        );
        assert_eq!(
            noisy_banner("(] secret (1) CONFIDENTIAL [7] UNCLASSIFIED"),
            None
        );
        assert_eq!(noisy_banner("--city         SECRET"), None);
        assert_eq!(noisy_banner("TOF SECRET//SL7NOFORK-"), None);
        assert_eq!(noisy_banner("I O r SECRET"), None);
        assert_eq!(noisy_banner("CONFIDENTIAL When Filled In"), None);
        assert_eq!(noisy_banner("\"CONFIDENTIAL\" When"), None);
        assert_eq!(noisy_banner("CONFIDENTIAL - when filled in"), None);
        assert_eq!(noisy_banner("marked “SECRET” here"), None);
        assert_eq!(noisy_banner("SECRETARY of State"), None);
        assert_eq!(noisy_banner("SUBJECT: SECRET MEETINGS, TAXES"), None);
    }

    #[test]
    fn modern_and_older_authority_forms_are_found() {
        let s = scanned(
            "SECRET//NOFORN\n\n(S//NF) Text.\n\nClassified By: J. Smith\nReason: 1.4(c)\n\
             Declassify On: 20320108\nSECRET//NOFORN\n",
        );
        assert_eq!(s.authority.classified_by, Some(5));
        assert_eq!(s.authority.reason, Some(6));
        assert_eq!(s.authority.declassify, Some(7));
        assert_eq!(s.banners.iter().map(|b| b.line).collect::<Vec<_>>(), [1, 8]);
        // A letter-spaced banner whose controls OCR damaged: read by its level.
        let spaced = scanned(
            "TOP SECRET//SI//NOFORN\n\n(TS//SI//NF) Text.\n\n\
             T O P S E C R E T / / C < ) M I NT/720291123\n\n(S//SI) More.\n",
        );
        assert_eq!(spaced.banners.len(), 2);
        assert_eq!(spaced.banners[1].line, 5);
        assert!(!spaced.banners[1].read);
        assert_eq!(spaced.banners[1].marking.level, crate::marking::Level::TS);
        // `TOP` printed whole before the letter-spaced rest is still the level's word.
        let top = scanned(
            "(TS//SI//REL) Text.\n\n\
             TOP   S E C R E T   / /   SI   / / R E    L   TO      OSA,      P V E Y\n",
        );
        assert_eq!(top.banners.len(), 1);
        assert!(!top.banners[0].read);
        assert_eq!(top.banners[0].marking.level, crate::marking::Level::TS);
        let comint = scanned("TOP SECRET //COMINT//NOFORN\n\n(TS//SI//NF) Text.\n");
        assert!(comint.banners[0].read);
        assert_eq!(comint.banners[0].marking.banner(), "TOP SECRET//SI//NOFORN");
        let old = scanned("SECRET\n\n1. (S) Text.\n\nCL BY 0667387\nDRV FM COV 1-82\nE2 IMPDET\n");
        assert_eq!(old.authority.classified_by, Some(5));
        assert_eq!(old.authority.derived_from, Some(6));
        assert_eq!(old.authority.declassify, Some(7));
    }

    #[test]
    fn a_ceiling_statement_run_into_its_banner_is_a_banner() {
        let s = scanned(
            "DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS TOP SECRET // SI / TK // REL TO \
             USA AUS CAN GBR NZL DERIVED FROM: NSA/CSSM 1-52, DATED 08 JAN 2007 DECLASSIFY ON: \
             20320108\n\n(S//SI) Text.\n",
        );
        assert_eq!(s.banners.len(), 1);
        assert_eq!(s.banners[0].column, 52);
        assert_eq!(s.banners[0].marking.level, crate::marking::Level::TS);
        assert_eq!(s.authority.derived_from, Some(1));
        // The statement alone on its line holds no banner: the next line does.
        let two = scanned("DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS\nSECRET//NOFORN\n");
        assert_eq!(two.banners.iter().map(|b| b.line).collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn every_label_form_is_a_field() {
        for line in [
            "Classified By: J. Smith",
            "CL BY 0667387",
            "CLBY 063344",
            "Derived From: NSA/CSSM 1-52",
            "DRV FM COV 1-82",
            "DRV HUM 2-82",
            "Declassify On: 20320108",
            "DECL ON: X1",
            "E2 IMPDET",
            "DECLASSIFICATION DATE: 20320108",
            "Reason: 1.4(c)",
            "CL REASON 1.5 (b,c)",
            "reasons 1.4 (c) and (d)",
        ] {
            assert!(FIELD.is_match(line), "{line}");
        }
        assert!(!FIELD.is_match("The station reported the meeting."));
        assert!(may_hold_ceiling(
            "DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS TOP"
        ));
        assert!(!may_hold_ceiling("CLASSIFICATION: SECRET"));
    }

    #[test]
    fn prose_is_not_a_field_and_email_lines_are_banners() {
        let s =
            scanned("Classification: SECRET//NOFORN\n\n(S//NF) Data derived from the source.\n");
        assert_eq!(s.authority, Authority::default());
        assert_eq!(s.banners.len(), 1);
        assert_eq!(s.banners[0].place, BannerPlace::Email);
    }
}
