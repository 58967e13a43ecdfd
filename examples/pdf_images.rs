//! Lists the images each page of a PDF draws: object, size in pixels, bits, colour space,
//! filters, and the share of the page they cover. For seeing why an in-place release
//! refuses a page (an image under a withheld region) and which images could be painted.
//!
//! Run: `cargo run --example pdf_images -- FILE.pdf...`

use lopdf::Object;

fn name_or_list(o: Option<&Object>) -> String {
    match o {
        Some(Object::Name(n)) => String::from_utf8_lossy(n).into_owned(),
        Some(Object::Array(a)) => a
            .iter()
            .map(|o| name_or_list(Some(o)))
            .collect::<Vec<_>>()
            .join("+"),
        Some(Object::Reference(_)) => "ref".into(),
        Some(_) => "?".into(),
        None => "-".into(),
    }
}

fn main() -> anyhow::Result<()> {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let text = match declass::pdf::read(&bytes) {
            Ok(t) => t,
            Err(e) => {
                println!("{path}\terror: {e}");
                continue;
            }
        };
        let doc = declass::pdf::load(&bytes)?;
        for (i, page) in text.pages.iter().enumerate() {
            let [x0, y0, x1, y1] = page.media_box;
            let area = ((x1 - x0) * (y1 - y0)).max(1.0);
            for image in &page.images {
                let [a, b, c, d] = image.bbox;
                let share = 100.0 * (c - a) * (d - b) / area;
                let dict = image
                    .name
                    .split(' ')
                    .next()
                    .and_then(|n| n.parse::<u32>().ok())
                    .and_then(|n| doc.get_object((n, 0)).ok())
                    .and_then(|o| o.as_stream().ok())
                    .map(|s| s.dict.clone());
                let field = |k: &[u8]| dict.as_ref().and_then(|d| d.get(k).ok().cloned());
                let int = |k: &[u8]| field(k).and_then(|o| o.as_i64().ok()).unwrap_or(0);
                println!(
                    "{path}\tp{}\t{}\t{}x{}\tbpc {}\t{}\t{}\t{share:.0}%\ty {b:.0}-{d:.0}",
                    i + 1,
                    image.name,
                    int(b"Width"),
                    int(b"Height"),
                    int(b"BitsPerComponent"),
                    name_or_list(field(b"ColorSpace").as_ref()),
                    name_or_list(field(b"Filter").as_ref()),
                );
            }
        }
    }
    Ok(())
}
