//! PDF input against its `pdftotext -layout` twin: for every PDF of a folder, the portions and
//! marks `declass` reads from the PDF and from the text beside it, and a class for each
//! difference.
//!
//! Run: `cargo run --release --example pdf_compare -- ../shared/corpus/modern [--detail]`
//! (a folder with `pdf/NAME.pdf` and `text/NAME.txt`). Prints one Markdown row per PDF: pages,
//! pages without a text layer, portions and marked portions from each side, and the class:
//! - `same`: the same sequence of portions with the same marks;
//! - `cuts`: the same marks in the same order, but unmarked portions cut differently (where
//!   blank lines fall between rows);
//! - `order`: the same marks, in another order (reading order of columns or boxes);
//! - `marks`: marks read on one side only (listed as `+pdf` / `-pdf`); with `--detail`, the
//!   twin's line and ours for each, to explain it;
//! - `no text`: no page has a text layer (refused with the pages named), `failed`: any other
//!   error. The totals per class end the table.

use std::collections::BTreeMap;
use std::path::Path;

use declass::document::Document;

fn marks(doc: &Document) -> Vec<String> {
    doc.paragraphs
        .iter()
        .map(|p| {
            p.marking
                .as_ref()
                .map_or_else(|| "-".to_string(), |m| m.raw.split_whitespace().collect())
        })
        .collect()
}

/// The marks of marked portions, with the (1-based) line each starts on.
fn marked(doc: &Document) -> Vec<(String, usize)> {
    doc.paragraphs
        .iter()
        .filter_map(|p| {
            p.marking
                .as_ref()
                .map(|m| (m.raw.split_whitespace().collect(), p.lines.first))
        })
        .collect()
}

/// Marks on one side and not the other, counted as multisets: (only in a, only in b).
fn multiset_diff(a: &[(String, usize)], b: &[(String, usize)]) -> (Vec<usize>, Vec<usize>) {
    let mut left: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (m, _)) in a.iter().enumerate() {
        left.entry(m).or_default().push(i);
    }
    let mut only_b = Vec::new();
    for (j, (m, _)) in b.iter().enumerate() {
        match left
            .get_mut(m.as_str())
            .and_then(|v| (!v.is_empty()).then(|| v.remove(0)))
        {
            Some(_) => {}
            None => only_b.push(j),
        }
    }
    let mut only_a: Vec<usize> = left.into_values().flatten().collect();
    only_a.sort_unstable();
    (only_a, only_b)
}

fn line(doc: &Document, n: usize) -> String {
    let l = doc.line(n);
    let l: String = l.split_whitespace().collect::<Vec<_>>().join(" ");
    l.chars().take(110).collect()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let detail = args.iter().any(|a| a == "--detail");
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "../shared/corpus/modern".into());
    let dir = Path::new(&dir);
    let mut names: Vec<_> = std::fs::read_dir(dir.join("pdf"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    names.sort();
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    println!("| pdf | pages | no text | pdfP | txtP | pdfM | txtM | class | difference |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for path in names {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path)?;
        let name = format!("{stem}.pdf");
        // Pages and pages without text come from the reading itself.
        let (pages, textless) = match declass::pdf::read(&bytes) {
            Ok(t) => (
                t.pages.len().to_string(),
                declass::pdf::input::pages_list(&t.textless_pages()),
            ),
            Err(_) => ("-".into(), String::new()),
        };
        let from_pdf = declass::parse::parse(&bytes, Some(&name));
        let from_text = std::fs::read(dir.join("text").join(format!("{stem}.txt")))
            .ok()
            .map(|b| declass::parse::parse(&b, Some(&name)));
        let row = |class: &str, counts: [String; 4], what: String| {
            println!(
                "| {stem} | {pages} | {textless} | {} | {} | {} | {} | {class} | {what} |",
                counts[0], counts[1], counts[2], counts[3]
            );
        };
        let dash = || ["-", "-", "-", "-"].map(String::from);
        let (p, t) = match (from_pdf, from_text) {
            (Err(e), _) => {
                let class = if e
                    .to_string()
                    .contains("no page of the PDF has a text layer")
                {
                    "no text"
                } else {
                    "failed"
                };
                *totals.entry(class).or_default() += 1;
                row(class, dash(), e.to_string());
                continue;
            }
            (Ok(_), None) => {
                *totals.entry("no twin").or_default() += 1;
                row("no twin", dash(), String::new());
                continue;
            }
            (Ok(_), Some(Err(e))) => {
                *totals.entry("no twin").or_default() += 1;
                row("no twin", dash(), format!("twin unreadable: {e}"));
                continue;
            }
            (Ok(p), Some(Ok(t))) => (p, t),
        };
        let (mp, mt) = (marked(&p), marked(&t));
        let strip = |m: &[(String, usize)]| m.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>();
        let (only_p, only_t) = multiset_diff(&mp, &mt);
        let (class, what) = if marks(&p) == marks(&t) {
            ("same", String::new())
        } else if strip(&mp) == strip(&mt) {
            (
                "cuts",
                format!(
                    "{} unmarked portions vs {}",
                    p.paragraphs.len() - mp.len(),
                    t.paragraphs.len() - mt.len()
                ),
            )
        } else if only_p.is_empty() && only_t.is_empty() {
            let i = mp
                .iter()
                .zip(&mt)
                .position(|(a, b)| a.0 != b.0)
                .unwrap_or(0);
            ("order", format!("first at marked portion {}", i + 1))
        } else {
            let list = |v: &[usize], m: &[(String, usize)]| {
                let mut s: Vec<String> = v.iter().take(4).map(|&i| m[i].0.clone()).collect();
                if v.len() > 4 {
                    s.push(format!("… {} in all", v.len()));
                }
                s.join(" ")
            };
            (
                "marks",
                format!(
                    "+pdf {} / -pdf {}",
                    if only_p.is_empty() {
                        "none".into()
                    } else {
                        list(&only_p, &mp)
                    },
                    if only_t.is_empty() {
                        "none".into()
                    } else {
                        list(&only_t, &mt)
                    }
                ),
            )
        };
        *totals.entry(class).or_default() += 1;
        let count = |d: &Document, m: &[(String, usize)]| {
            [d.paragraphs.len().to_string(), m.len().to_string()]
        };
        let [a, c] = count(&p, &mp);
        let [b, d] = count(&t, &mt);
        row(class, [a, b, c, d], what.replace('|', "/"));
        if detail && class == "marks" {
            for &i in only_p.iter().take(6) {
                eprintln!(
                    "{stem}\n  +pdf {:<20} ours : {}",
                    mp[i].0,
                    line(&p, mp[i].1)
                );
            }
            for &j in only_t.iter().take(6) {
                eprintln!(
                    "{stem}\n  -pdf {:<20} twin : {}",
                    mt[j].0,
                    line(&t, mt[j].1)
                );
            }
        }
    }
    let sum: Vec<String> = totals.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!("\n{}", sum.join(", "));
    Ok(())
}
