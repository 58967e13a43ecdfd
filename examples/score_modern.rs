//! Scores the parser against the hand-labelled modern documents (`tests/fixtures/modern`).
//!
//! Place in the project: outside the pipeline, judging its first stage. It parses each
//! `docs/<name>.txt` with the library's public parse API, turns the model into the label
//! kinds in one small adapter ([`found::adapt`], the only code that knows the model), and
//! compares with `labels/<name>.json`, which were written by reading the documents, never
//! from declass's output. Per document and per genre it prints: portions found with the
//! right boundaries (%), markings read right (%), banner lines read right (x/y) and
//! `Declassify On` read (x/y). How the labels were made and what each number means:
//! `docs/evaluation.md`.
//!
//! usage: `score_modern [DIR] [--each]` (DIR defaults to `tests/fixtures/modern`; `--each`
//! also lists every labelled item the parser missed). Exit 0 when scored, 2 when the
//! labels could not be read.
//!
//! `examples/planted.rs` and `tests/modern_labels.rs` include this file as a module.

use std::path::Path;
use std::process::ExitCode;

/// The labels as written in `labels/<name>.json` (schema: the fixture README).
pub mod labels {
    use serde::Deserialize;
    use std::path::Path;

    #[derive(Debug, Clone, Deserialize)]
    pub struct Label {
        pub name: String,
        pub genre: String,
        pub classified: bool,
        pub banners: Vec<Banner>,
        pub portions: Vec<Portion>,
        pub authority: Vec<Authority>,
        pub furniture: Vec<Furniture>,
    }

    /// Lines that are not portions (page numbers, bylines, routing slips, OCR noise).
    #[derive(Debug, Clone, Deserialize)]
    pub struct Furniture {
        pub first: usize,
        pub last: usize,
        pub kind: String,
    }

    #[derive(Debug, Clone, Deserialize)]
    pub struct Banner {
        pub line: usize,
        pub canonical: String,
        pub level: String,
    }

    #[derive(Debug, Clone, Deserialize)]
    pub struct Portion {
        pub first: usize,
        pub last: usize,
        pub kind: String,
        pub printed: Option<String>,
        pub canonical: Option<String>,
        pub level: Option<String>,
        #[serde(default)]
        pub damaged: bool,
        #[serde(default)]
        pub parent: Option<usize>,
    }

    #[derive(Debug, Clone, Deserialize)]
    pub struct Authority {
        pub field: String,
        pub line: usize,
        pub value: String,
    }

    /// One labelled document: its label and its text.
    pub struct Case {
        pub label: Label,
        pub text: String,
    }

    /// Reads every `labels/*.json` under `dir` with its `docs/<name>.txt`, sorted by name.
    pub fn load(dir: &Path) -> Result<Vec<Case>, String> {
        let labels = dir.join("labels");
        let entries =
            std::fs::read_dir(&labels).map_err(|e| format!("{}: {e}", labels.display()))?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        let mut cases = Vec::new();
        for path in paths {
            let json =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let label: Label = serde_json::from_str(&json)
                .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
            let doc = dir.join("docs").join(format!("{}.txt", label.name));
            let text =
                std::fs::read_to_string(&doc).map_err(|e| format!("{}: {e}", doc.display()))?;
            cases.push(Case { label, text });
        }
        if cases.is_empty() {
            return Err(format!("{}: no labels", labels.display()));
        }
        Ok(cases)
    }

    /// The lines of a document as the labels number them (1-based: `lines[n - 1]`).
    pub fn lines(text: &str) -> Vec<&str> {
        text.split('\n').collect()
    }
}

/// Markings reduced to what both sides can be compared on.
pub mod mark {
    use std::collections::BTreeSet;

    /// Level and control set of a canonical marking (`TOP SECRET//SI/TK//REL TO USA, FVEY`
    /// or `TS//SI//NF`), with synonyms folded (COMINT = SI, NOFORN = NF, ORCON = OC) and
    /// declassification tokens dropped (`20291123`, `X1`, `MR`, `OADR`): a banner's trailing
    /// date is the declassification instruction, scored apart.
    pub fn norm(canonical: &str) -> (String, BTreeSet<String>) {
        let upper = canonical.to_uppercase();
        let mut groups = upper.split("//").map(str::trim);
        let level = match groups.next().unwrap_or("") {
            "TOP SECRET" | "TS" => "TS",
            "SECRET" | "S" => "S",
            "CONFIDENTIAL" | "C" => "C",
            "UNCLASSIFIED" | "U" => "U",
            other => other,
        }
        .to_owned();
        let mut controls = BTreeSet::new();
        for group in groups {
            if let Some(rest) = group.strip_prefix("REL") {
                let mut countries: Vec<&str> = rest
                    .split([',', ' ', '/'])
                    .filter(|c| !c.is_empty() && *c != "TO")
                    .collect();
                // FVEY names USA among its members: `REL TO FVEY` is `REL TO USA, FVEY`.
                if countries.contains(&"FVEY") && !countries.contains(&"USA") {
                    countries.push("USA");
                }
                countries.sort_unstable();
                controls.insert(format!("REL {}", countries.join(",")).trim().to_owned());
                continue;
            }
            for token in group.split(['/', ',']).map(str::trim) {
                if token.is_empty() || is_declassification(token) {
                    continue;
                }
                controls.insert(synonym(token).to_owned());
            }
        }
        (level, controls)
    }

    fn is_declassification(token: &str) -> bool {
        let digits = token.chars().filter(char::is_ascii_digit).count();
        digits >= 6
            || matches!(token, "MR" | "OADR")
            || (token.starts_with('X') && token.len() <= 2)
            || token.starts_with("25X")
            || token.starts_with("50X")
    }

    fn synonym(token: &str) -> &str {
        match token {
            "COMINT" => "SI",
            "NOFORN" => "NF",
            "ORCON" => "OC",
            "TALENT KEYHOLE" => "TK",
            "FOR OFFICIAL USE ONLY" => "FOUO",
            "SI-GAMMA" => "SI-G",
            "PROPIN" => "PR",
            other => other,
        }
    }

    /// Levels in order, for planting marks above or below one.
    pub const LEVELS: [&str; 4] = ["U", "C", "S", "TS"];

    pub fn rank(level: &str) -> Option<usize> {
        LEVELS.iter().position(|l| *l == level)
    }
}

/// What the parser found, in the label's terms. This is the one place that reads the
/// model: when the model grows (portion kinds, page furniture), only this changes.
pub mod found {
    use declass::document::Document;
    use serde_json::Value;

    pub struct Portion {
        pub first: usize,
        /// The last line with text (trailing blank lines the model may keep are dropped).
        pub last: usize,
        pub kind: &'static str,
        /// The canonical marking when one was printed and read.
        pub canonical: Option<String>,
        /// How the model says the marking came (`explicit`, `inherited`, `none`, `unknown`).
        pub origin: String,
    }

    pub struct Banner {
        pub line: usize,
        pub level: String,
        /// Known only for the first banner in today's model.
        pub canonical: Option<String>,
    }

    pub struct Found {
        pub portions: Vec<Portion>,
        pub banners: Vec<Banner>,
        /// The declassification instruction as printed, when read.
        pub declassify: Option<String>,
    }

    pub fn adapt(doc: &Document, lines: &[&str]) -> Found {
        let json = serde_json::to_value(doc.to_json(None)).unwrap_or(Value::Null);
        let trim = |first: usize, mut last: usize| {
            while last > first
                && lines
                    .get(last - 1)
                    .is_none_or(|l| l.trim_matches(|c: char| c.is_whitespace()).is_empty())
            {
                last -= 1;
            }
            last
        };
        let explicit = |m: &Value| {
            (m["origin"] == "explicit")
                .then(|| m["canonical"].as_str().map(str::to_owned))
                .flatten()
        };
        let mut portions = Vec::new();
        let subject = &json["header"]["subject"];
        if let Some(span) = span(&subject["lines"]) {
            portions.push(Portion {
                first: span.0,
                last: trim(span.0, span.1),
                kind: "subject",
                canonical: explicit(&subject["marking"]),
                origin: origin(&subject["marking"]),
            });
        }
        for (i, p) in json["paragraphs"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some((first, last)) = span(&p["lines"]) else {
                continue;
            };
            let heading = doc.paragraphs.get(i).is_some_and(|p| p.heading);
            let kind = if heading {
                "heading"
            } else if p.get("parent").is_some() {
                "subparagraph"
            } else {
                "paragraph"
            };
            portions.push(Portion {
                first,
                last: trim(first, last),
                kind,
                canonical: explicit(&p["marking"]),
                origin: origin(&p["marking"]),
            });
        }
        let mut banners = Vec::new();
        let banner = &json["banner"];
        if let (Some(line), Some(level)) = (banner["line"].as_u64(), banner["level"].as_str()) {
            banners.push(Banner {
                line: line as usize,
                level: level.to_owned(),
                canonical: banner["canonical"].as_str().map(str::to_owned),
            });
        }
        let header = &doc.header;
        for (line, level) in header.section_banners.iter().zip(&header.section_levels) {
            banners.push(Banner {
                line: *line,
                level: level.to_string(),
                canonical: None,
            });
        }
        let declassify = json["header"]["declassify"]["raw"]
            .as_str()
            .map(str::to_owned);
        Found {
            portions,
            banners,
            declassify,
        }
    }

    fn origin(m: &Value) -> String {
        m["origin"].as_str().unwrap_or("none").to_owned()
    }

    fn span(v: &Value) -> Option<(usize, usize)> {
        let a = v.get(0)?.as_u64()? as usize;
        let b = v.get(1)?.as_u64()? as usize;
        Some((a, b))
    }
}

/// The comparison of labels with what was found.
pub mod score {
    use super::found::{self, Found};
    use super::labels::{self, Case};
    use super::mark;

    /// Hits out of a total.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Ratio {
        pub hit: usize,
        pub total: usize,
    }

    impl Ratio {
        pub fn add(&mut self, other: Ratio) {
            self.hit += other.hit;
            self.total += other.total;
        }
        fn count(&mut self, hit: bool) {
            self.total += 1;
            self.hit += usize::from(hit);
        }
        pub fn percent(self) -> f64 {
            if self.total == 0 {
                100.0
            } else {
                100.0 * self.hit as f64 / self.total as f64
            }
        }
    }

    #[derive(Clone, Debug, Default)]
    pub struct DocScore {
        pub name: String,
        pub genre: String,
        /// Labelled portions with a found portion of the same first and last line.
        pub bounds: Ratio,
        /// Labelled marked portions (mark legible to us) read to the same level and controls.
        pub marks: Ratio,
        /// Labelled banner lines found as banners of the same level (and controls, where the
        /// model gives them).
        pub banners: Ratio,
        /// 1/1 when a printed `Declassify On` was read to the same value; 0/0 when none printed.
        pub declassify: Ratio,
        /// What was missed, for `--each`.
        pub misses: Vec<String>,
    }

    pub fn document(case: &Case) -> DocScore {
        let label = &case.label;
        let lines = labels::lines(&case.text);
        let mut s = DocScore {
            name: label.name.clone(),
            genre: label.genre.clone(),
            ..DocScore::default()
        };
        let found =
            match declass::parse::parse(case.text.as_bytes(), Some(&format!("{}.txt", label.name)))
            {
                Ok(doc) => found::adapt(&doc, &lines),
                // A document the parser refuses scores nothing.
                Err(_) => Found {
                    portions: Vec::new(),
                    banners: Vec::new(),
                    declassify: None,
                },
            };
        for p in &label.portions {
            let same = found.portions.iter().find(|f| f.first == p.first);
            let bounded = same.is_some_and(|f| f.last == p.last);
            s.bounds.count(bounded);
            if !bounded {
                s.misses.push(match same {
                    Some(f) => format!(
                        "{}-{} {}: found ending at {}",
                        p.first, p.last, p.kind, f.last
                    ),
                    None => format!("{}-{} {}: no portion starts here", p.first, p.last, p.kind),
                });
            }
            let Some(canonical) = p.canonical.as_deref().filter(|_| !p.damaged) else {
                continue;
            };
            let read = same.and_then(|f| f.canonical.as_deref());
            let right = read.is_some_and(|r| mark::norm(r) == mark::norm(canonical));
            s.marks.count(right);
            if !right {
                s.misses.push(format!(
                    "{} mark {canonical}: read {} ({})",
                    p.first,
                    read.unwrap_or("nothing"),
                    same.map_or("no portion", |f| f.origin.as_str())
                ));
            }
        }
        for b in &label.banners {
            let want = mark::norm(&b.canonical);
            let got = found.banners.iter().find(|f| f.line == b.line);
            let right = got.is_some_and(|f| {
                f.level == b.level && f.canonical.as_deref().is_none_or(|c| mark::norm(c) == want)
            });
            s.banners.count(right);
            if !right {
                s.misses.push(format!(
                    "{} banner {}: read {}",
                    b.line,
                    b.canonical,
                    got.map_or("nothing".to_owned(), |f| f
                        .canonical
                        .clone()
                        .unwrap_or_else(|| f.level.clone()))
                ));
            }
        }
        let printed: Vec<String> = label
            .authority
            .iter()
            .filter(|a| a.field == "declassify_on")
            .map(|a| squash(&a.value))
            .filter(|v| !v.is_empty())
            .collect();
        if !printed.is_empty() {
            let got = found.declassify.as_deref().map(squash);
            let right = got
                .as_deref()
                .is_some_and(|g| !g.is_empty() && printed.iter().any(|v| g.contains(v.as_str())));
            s.declassify.count(right);
            if !right {
                s.misses.push(format!(
                    "Declassify On {}: read {}",
                    printed[0],
                    got.unwrap_or_else(|| "nothing".to_owned())
                ));
            }
        }
        s
    }

    /// Upper case, whitespace removed: `2 0 3 2 0` and `20320` compare equal.
    fn squash(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect()
    }

    /// Sums of a set of document scores.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct Totals {
        pub documents: usize,
        pub bounds: Ratio,
        pub marks: Ratio,
        pub banners: Ratio,
        pub declassify: Ratio,
    }

    pub fn totals<'a>(scores: impl IntoIterator<Item = &'a DocScore>) -> Totals {
        let mut t = Totals::default();
        for s in scores {
            t.documents += 1;
            t.bounds.add(s.bounds);
            t.marks.add(s.marks);
            t.banners.add(s.banners);
            t.declassify.add(s.declassify);
        }
        t
    }

    /// Totals per genre, in name order, then `all`.
    pub fn by_genre(scores: &[DocScore]) -> Vec<(String, Totals)> {
        let mut genres: Vec<&str> = scores.iter().map(|s| s.genre.as_str()).collect();
        genres.sort_unstable();
        genres.dedup();
        let mut out: Vec<(String, Totals)> = genres
            .into_iter()
            .map(|g| (g.to_owned(), totals(scores.iter().filter(|s| s.genre == g))))
            .collect();
        out.push(("all".to_owned(), totals(scores)));
        out
    }
}

fn ratio(r: score::Ratio) -> String {
    format!("{}/{}", r.hit, r.total)
}

fn row(name: &str, t: &score::Totals) -> String {
    format!(
        "{name:<58} {:>6.1}% {:>9} {:>6.1}% {:>9} {:>9} {:>7}",
        t.bounds.percent(),
        ratio(t.bounds),
        t.marks.percent(),
        ratio(t.marks),
        ratio(t.banners),
        ratio(t.declassify),
    )
}

#[allow(dead_code)] // also compiled as a module of planted.rs and of the test, which have their own main
fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = "tests/fixtures/modern".to_owned();
    let mut each = false;
    for arg in args.by_ref() {
        match arg.as_str() {
            "--each" => each = true,
            a if a.starts_with('-') => {
                eprintln!("usage: score_modern [DIR] [--each]");
                return ExitCode::from(2);
            }
            a => dir = a.to_owned(),
        }
    }
    let cases = match labels::load(Path::new(&dir)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("score_modern: {e}");
            return ExitCode::from(2);
        }
    };
    let scores: Vec<score::DocScore> = cases.iter().map(score::document).collect();
    println!(
        "{:<58} {:>7} {:>9} {:>7} {:>9} {:>9} {:>7}",
        "document", "bounds", "", "marks", "", "banners", "declass"
    );
    for s in &scores {
        println!("{}", row(&s.name, &score::totals([s])));
        if each {
            for m in &s.misses {
                println!("    {m}");
            }
        }
    }
    println!();
    for (genre, t) in score::by_genre(&scores) {
        println!(
            "{}",
            row(&format!("{genre} ({} documents)", t.documents), &t)
        );
    }
    ExitCode::SUCCESS
}
