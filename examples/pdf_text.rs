//! Prints the text `declass` reads from a PDF, laid out as `pdftotext -layout` would: for
//! comparing the two by eye or with `diff`.
//!
//! Run: `cargo run --example pdf_text -- FILE.pdf`

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: pdf_text FILE.pdf"))?;
    let bytes = std::fs::read(&path)?;
    let text = declass::pdf::read(&bytes)?;
    print!("{}", text.text);
    Ok(())
}
