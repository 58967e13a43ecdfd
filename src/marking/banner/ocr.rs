//! OCR damage on a banner line: separators read as letters (`SECRETIISII/NOFORN`) and
//! blanks inside words (`T OP SECRET//SII/NOF ORN`). The strict reading in the parent
//! module runs first; these readings are tried when it fails or leaves a token unknown,
//! and count only when the repaired line reads whole with every token known.

use super::{BannerLine, could_be_banner, read_line};

/// A banner OCR damaged: its separators (`SECRETIISII/NOFORN`), or blanks inside its words
/// (`T OP SECRET//SII/NOF ORN`, `TOP SECR ET//SI//NOFORN`; a short line only, read without
/// its blanks).
pub(super) fn read_ocr(line: &str) -> Option<BannerLine> {
    read_ocr_separators(line).or_else(|| read_ocr_blanks(line))
}

/// A short banner with blanks inside its words, read without them (`T OP SECRET//SII/NOF
/// ORN`): the part of [`read_ocr`] that may read a line the pre-filter rejects as printed.
pub(super) fn read_ocr_blanks(line: &str) -> Option<BannerLine> {
    let t = line.trim();
    // Cheap tests first (this runs on every line no other reading took), the length
    // before any scan of the line: a banner is short, shouts, and starts with a
    // level's first letter.
    if t.len() > 40 {
        return None;
    }
    let shouts = t.starts_with(['T', 'S', 'C', 'U'])
        && !t.bytes().any(|b| b.is_ascii_lowercase())
        && t.contains(' ');
    if !shouts {
        return None;
    }
    let packed: String = t.chars().filter(|c| *c != ' ').collect();
    let mut b = read_ocr_separators(&packed)?;
    b.marking.raw = t.to_string();
    Some(b)
}

/// What OCR makes of a banner's `//` (`II`, `l/l`, `I/`, `Jl`, `!/`), upper-cased.
const OCR_SEPARATOR: &str = r"(?:[IL1|J!/\\]{1,3}|H)";
/// The controls an OCR'd banner is read with: the common IC ones, `SI` with its `I` as OCR
/// prints it.
const OCR_TOKEN: &str = r"S[IL1]|TK|HCS|COM[IL1J]NT|NOFORN|ORCON|PROPIN|RELIDO|IMCON|FISA|FOUO|REL(?: TO)?|X[IL1!\]]|[0-9]{8}|2[0-9OQIL]{7}";

/// A banner whose separators OCR damaged (`TOP SECRETIISII/NOFORN`, `TOPSECRETIISIJlREL TO
/// USA, CAN`): the level, then controls between separator look-alikes. Read with the
/// separators written as `//`, as damaged; a line that does not read whole so is no banner.
fn read_ocr_separators(line: &str) -> Option<BannerLine> {
    use std::sync::LazyLock;
    static SHAPE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(&format!(
            r"^(TOP ?SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)((?:{OCR_SEPARATOR}(?:{OCR_TOKEN}))+)(\s.*)?$"
        ))
        .expect("static regex")
    });
    static PART: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(&format!(r"{OCR_SEPARATOR}({OCR_TOKEN})")).expect("static regex")
    });
    let t = line.trim();
    // The pre-filter first: this runs on every line no banner reading took.
    if !could_be_banner(t) || t.len() > 120 {
        return None;
    }
    // Blanks as one (`TOP     SECRET//COM1NT`, `REL TO USA,   FVEY`): a layout's gaps.
    // Accented capitals OCR put for plain ones (`COMÌNT`, `2Ö291123`) as their letter.
    let mut upper = String::with_capacity(t.len());
    for (k, word) in t.split_whitespace().enumerate() {
        if k > 0 {
            upper.push(' ');
        }
        for c in word.chars() {
            upper.push(unaccent(c)?.to_ascii_uppercase());
        }
    }
    let caps = SHAPE.captures(&upper)?;
    let level = caps[1].replace("TOPSECRET", "TOP SECRET");
    let mut repaired = level;
    for part in PART.captures_iter(&caps[2]) {
        let token = match &part[1] {
            "SL" | "S1" => "SI",
            t if t.starts_with("COM") => "COMINT",
            t if t.starts_with('X') => "X1",
            t => t,
        };
        repaired.push_str("//");
        if token.len() == 8 && token.starts_with('2') {
            // A declassification date with digits OCR'd as letters (`2029II23`, `2Q291123`).
            repaired.extend(token.chars().map(|c| match c {
                'O' | 'Q' => '0',
                'I' | 'L' => '1',
                c => c,
            }));
        } else {
            repaired.push_str(token);
        }
    }
    let tail = caps.get(3).map_or("", |m| m.as_str());
    // `REL USA, FVEY`: the `TO` OCR or the writer dropped.
    let tail = match repaired.strip_suffix("//REL") {
        Some(_) if !tail.trim_start().starts_with("TO ") => format!(" TO{tail}"),
        _ => tail.to_string(),
    };
    repaired.push_str(&tail);
    let mut banner = read_line(&repaired)?;
    if !banner.marking.unknown.is_empty() {
        return None;
    }
    banner.damaged = true;
    banner.marking.raw = t.to_string();
    Some(banner)
}

/// An ASCII char as it is, an accented Latin letter as its plain one (`Ì` → `I`, `Ö` →
/// `O`); `None` for any other char, which no banner holds.
fn unaccent(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let plain = match c {
        'À'..='Å' | 'à'..='å' => 'A',
        'È'..='Ë' | 'è'..='ë' => 'E',
        'Ì'..='Ï' | 'ì'..='ï' => 'I',
        'Ò'..='Ö' | 'ò'..='ö' => 'O',
        'Ù'..='Ü' | 'ù'..='ü' => 'U',
        _ => return None,
    };
    Some(plain)
}
