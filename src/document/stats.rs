//! Corpus statistics (`declass parse --stats`): per document, its lines, paragraphs by
//! where their marking came from, the first line the parse lost (if any) and its
//! diagnostics by code; summed over a corpus and rendered as a table.

use super::{Document, Origin};
use crate::diagnostic::Code;
use std::collections::BTreeMap;
use std::fmt;

/// What one document, or a sum of them, holds.
#[derive(Clone, Debug, Default)]
pub struct DocStats {
    pub lines: usize,
    pub paragraphs: usize,
    pub explicit: usize,
    pub inherited: usize,
    pub unmarked: usize,
    pub unknown: usize,
    /// The first source line no element covers: a parser bug, counted apart.
    pub lost_line: Option<usize>,
    pub codes: BTreeMap<Code, usize>,
}

impl DocStats {
    pub fn of(doc: &Document) -> DocStats {
        let mut s = DocStats {
            lines: doc.lines.len(),
            paragraphs: doc.paragraphs.len(),
            lost_line: doc.check_tiling().err(),
            ..DocStats::default()
        };
        for p in &doc.paragraphs {
            match p.origin {
                Origin::Explicit => s.explicit += 1,
                Origin::Inherited(_) => s.inherited += 1,
                Origin::None => s.unmarked += 1,
                Origin::Unknown => s.unknown += 1,
            }
        }
        for d in &doc.diagnostics {
            *s.codes.entry(d.code).or_default() += 1;
        }
        s
    }
}

/// A corpus summary: the documents' sums and how many files parsed, failed, lost lines.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub total: DocStats,
    pub parsed: usize,
    pub failed: usize,
    pub losing_lines: usize,
}

impl Corpus {
    /// Adds one parsed document.
    pub fn add(&mut self, o: &DocStats) {
        self.parsed += 1;
        self.losing_lines += usize::from(o.lost_line.is_some());
        let t = &mut self.total;
        t.lines += o.lines;
        t.paragraphs += o.paragraphs;
        t.explicit += o.explicit;
        t.inherited += o.inherited;
        t.unmarked += o.unmarked;
        t.unknown += o.unknown;
        for (code, n) in &o.codes {
            *t.codes.entry(*code).or_default() += n;
        }
    }
}

impl fmt::Display for Corpus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.total;
        let pct = |n: usize| {
            if t.paragraphs == 0 {
                0.0
            } else {
                100.0 * n as f64 / t.paragraphs as f64
            }
        };
        writeln!(f, "files parsed        {}", self.parsed)?;
        writeln!(f, "files failed        {}", self.failed)?;
        writeln!(f, "files losing lines  {}", self.losing_lines)?;
        writeln!(f, "lines               {}", t.lines)?;
        writeln!(f, "paragraphs          {}", t.paragraphs)?;
        writeln!(
            f,
            "  marking recognized {:>7} ({:.1}%)  explicit {} + inherited {}",
            t.explicit + t.inherited,
            pct(t.explicit + t.inherited),
            t.explicit,
            t.inherited
        )?;
        writeln!(
            f,
            "  unmarked           {:>7} ({:.1}%)",
            t.unmarked,
            pct(t.unmarked)
        )?;
        writeln!(
            f,
            "  unknown mark       {:>7} ({:.1}%)",
            t.unknown,
            pct(t.unknown)
        )?;
        writeln!(f, "diagnostics by code")?;
        for (code, n) in &t.codes {
            writeln!(f, "  {} {:<32} {n}", code.id(), code.name())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_sums_its_documents() {
        let doc = crate::parse::parse(b"UNCLASSIFIED\n\n1. (U) One.\n\n2. Two.\n", None).unwrap();
        let one = DocStats::of(&doc);
        assert_eq!(one.paragraphs, 2);
        assert_eq!(one.explicit + one.inherited + one.unmarked + one.unknown, 2);
        let mut corpus = Corpus::default();
        corpus.add(&one);
        corpus.add(&one);
        corpus.failed = 1;
        assert_eq!(corpus.total.paragraphs, 4);
        let table = corpus.to_string();
        assert!(table.starts_with("files parsed        2\nfiles failed        1\n"));
        assert!(table.contains("paragraphs          4\n"));
    }
}
