//! PDF input against its `pdftotext -layout` twin: for every PDF of a folder, the portions and
//! marks `declass` reads from the PDF and from the text beside it.
//!
//! Run: `cargo run --release --example pdf_compare -- ../shared/corpus/modern`
//! (a folder with `pdf/NAME.pdf` and `text/NAME.txt`). Prints one row per PDF and, for
//! each that differs, the first mark that differs; the totals at the end.

use std::path::Path;

fn marks(doc: &declass::document::Document) -> Vec<String> {
    doc.paragraphs
        .iter()
        .map(|p| {
            p.marking
                .as_ref()
                .map_or_else(|| "-".to_string(), |m| m.raw.split_whitespace().collect())
        })
        .collect()
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/modern".into());
    let dir = Path::new(&dir);
    let mut names: Vec<_> = std::fs::read_dir(dir.join("pdf"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    names.sort();
    let (mut same, mut differ, mut failed, mut no_twin) = (0, 0, 0, 0);
    println!(
        "{:<70} {:>5} {:>5} {:>5} {:>5}  result",
        "pdf", "pdfP", "txtP", "pdfM", "txtM"
    );
    for path in names {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path)?;
        let name = format!("{stem}.pdf");
        let from_pdf = declass::parse::parse(&bytes, Some(&name));
        let twin = dir.join("text").join(format!("{stem}.txt"));
        let from_text = std::fs::read(&twin)
            .ok()
            .map(|b| declass::parse::parse(&b, Some(&name)));
        let short: String = stem.chars().take(70).collect();
        match (from_pdf, from_text) {
            (Err(e), None) => {
                no_twin += 1;
                println!(
                    "{short:<70} {:>5} {:>5} {:>5} {:>5}  no twin; {e}",
                    "-", "-", "-", "-"
                );
            }
            (Err(e), _) => {
                failed += 1;
                println!(
                    "{short:<70} {:>5} {:>5} {:>5} {:>5}  FAILED: {e}",
                    "-", "-", "-", "-"
                );
            }
            (Ok(_), None) => {
                no_twin += 1;
                println!("{short:<70}  read, but no text twin");
            }
            (Ok(_), Some(Err(e))) => {
                no_twin += 1;
                println!("{short:<70}  read; twin unreadable: {e}");
            }
            (Ok(p), Some(Ok(t))) => {
                let (mp, mt) = (marks(&p), marks(&t));
                let marked = |m: &[String]| m.iter().filter(|s| *s != "-").count();
                let result = if mp == mt {
                    same += 1;
                    "same".to_string()
                } else {
                    differ += 1;
                    let i = mp
                        .iter()
                        .zip(&mt)
                        .position(|(a, b)| a != b)
                        .unwrap_or(mp.len().min(mt.len()));
                    format!(
                        "differ at portion {}: pdf {:?} text {:?}",
                        i + 1,
                        mp.get(i).map_or("(none)", String::as_str),
                        mt.get(i).map_or("(none)", String::as_str)
                    )
                };
                println!(
                    "{short:<70} {:>5} {:>5} {:>5} {:>5}  {result}",
                    mp.len(),
                    mt.len(),
                    marked(&mp),
                    marked(&mt)
                );
            }
        }
    }
    println!("\nsame {same}, differ {differ}, failed {failed}, no twin {no_twin}");
    Ok(())
}
