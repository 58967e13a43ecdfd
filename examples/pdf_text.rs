//! Prints the text `declass` reads from a PDF, laid out as `pdftotext -layout` would: for
//! comparing the two by eye or with `diff`. With `--fragments PAGE`, the positioned
//! fragments of that page instead (x, end, y, size, text), in paint order.
//!
//! Run: `cargo run --example pdf_text -- FILE.pdf [--fragments PAGE]`

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or_else(|| anyhow::anyhow!("usage: pdf_text FILE.pdf [--fragments PAGE]"))?;
    let bytes = std::fs::read(path)?;
    let text = declass::pdf::read(&bytes)?;
    match args.iter().position(|a| a == "--fragments") {
        Some(i) => {
            let n: usize = args.get(i + 1).map_or(Ok(1), |p| p.parse())?;
            let page = text
                .pages
                .get(n.saturating_sub(1))
                .ok_or_else(|| anyhow::anyhow!("no page {n}"))?;
            for f in &page.fragments {
                println!(
                    "{:8.2} {:8.2} {:8.2} {:6.2} {:?}",
                    f.x, f.end, f.y, f.size, f.text
                );
            }
        }
        None => print!("{}", text.text),
    }
    Ok(())
}
