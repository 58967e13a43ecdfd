//! Where a document's layout has addressee lines, for the header scanner
//! ([`super::scanner`]): policies keep addressee lines, so a line is one only where the
//! layout puts addressees, never because it merely follows the banner.
//!
//! Two layouts have them: a cable (a routing block, or a banner that carries the telegram's
//! serial or section), whose office and passing lines (`STATE FOR EUR/SE`, `PLEASE PASS TO
//! USTR`) stand between the banner and the E.O. line; and a memo or message whose addressees
//! follow a label (`MEMORANDUM FOR`, `TO:`, `FROM:`, `THRU:`, `ATTENTION:`, …), with the
//! lines wrapped under it. Anything else after the banner that is no known header part is
//! body: an unmarked portion, withheld in a classified document. ALL-CAPS prose (old agency
//! messages, OCR) cannot be told from an office line by its case, so its place decides.

/// Labels that open an addressee block when they start a line and a colon follows.
const COLON_LABELS: [&str; 16] = [
    "TO",
    "FROM",
    "THRU",
    "THROUGH",
    "VIA",
    "ATTN",
    "ATTENTION",
    "INFO",
    "CC",
    "BCC",
    "FOR",
    "DATE",
    "SENT",
    "ACTION",
    "ADDRESSEES",
    "REPLY TO ATTN OF",
];

/// Labels that open an addressee block with or without a colon.
const MEMO_LABELS: [&str; 4] = ["MEMORANDUM FOR", "MEMORANDUM TO", "MEMO FOR", "MEMO TO"];

/// How many lines may wrap under one label (`FROM: Kenneth L. Wainstein` / `Assistant
/// Attorney General` / `National Security Division`).
const BLOCK_LINES: usize = 4;

/// Does a (trimmed) line start with an addressee label? OCR noise before it (`* MEMORANDUM
/// FOR:`, `| TO:`) is skipped.
pub(super) fn is_addressee_label(t: &str) -> bool {
    let t = t.trim_start_matches(['*', '|', '•', '·', '\'', '"', ' ']);
    let b = t.as_bytes();
    let starts = |label: &str| {
        b.len() >= label.len()
            && b[..label.len()].eq_ignore_ascii_case(label.as_bytes())
            && !b.get(label.len()).is_some_and(u8::is_ascii_alphanumeric)
    };
    if MEMO_LABELS.iter().any(|l| starts(l)) {
        return true;
    }
    COLON_LABELS.iter().any(|label| {
        starts(label)
            && t[label.len()..]
                .trim_start_matches([' ', '\t', '.'])
                .starts_with(':')
    })
}

/// Does a line read as a sentence, whatever its case? An addressee line is a name, a title or
/// an office; a line of many words, or of several ending in a full stop, is running text.
pub(super) fn reads_as_sentence(t: &str) -> bool {
    let words = t.split_whitespace().count();
    words > 10 || (words >= 5 && t.trim_end().ends_with(['.', '!', '?']))
}

/// The addressee reading of one document's header.
pub(super) struct Addressees {
    /// A cable layout: its lines between the banner and the fields are office lines.
    pub(super) cable: bool,
    /// Lines taken under the last label, while its block is open.
    block: usize,
    /// The 0-based index of the last line taken in a label block.
    last: Option<usize>,
}

impl Addressees {
    pub(super) fn new(cable: bool) -> Self {
        Addressees {
            cable,
            block: 0,
            last: None,
        }
    }

    /// Is line `i` (trimmed `t`) an addressee line of a memo or message layout: a label
    /// line, or a line wrapped directly under one (no blank line, no other header part
    /// between), that does not read as a sentence?
    pub(super) fn in_label_block(&mut self, i: usize, t: &str) -> bool {
        if reads_as_sentence(t) {
            return false;
        }
        if is_addressee_label(t) {
            self.block = 0;
            self.last = Some(i);
            return true;
        }
        // A wrapped line is a name, title or office: a few words, no full stop ending a
        // sentence (`Washington, D.C.` ends in an abbreviation's).
        let words = t.split_whitespace().count();
        let wraps = words <= 8 && (words <= 3 || !t.trim_end().ends_with(['.', '!', '?']));
        if wraps && self.last.is_some_and(|k| k + 1 == i) && self.block < BLOCK_LINES {
            self.block += 1;
            self.last = Some(i);
            return true;
        }
        false
    }
}
