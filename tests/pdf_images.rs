//! Images under withheld regions: a generated PDF draws a grey picture under its text; the
//! release must paint the picture's pixels under every box (checked by decoding the output's
//! image with lopdf, not with declass), keep the others, and refuse, naming the page and the
//! image, a picture it cannot decode.

use crate::pdf_common;

use lopdf::{Document, Object};
use pdf_common::{Picture, make, memo, rectangles, release};

const PICTURE: Picture = Picture {
    width: 100,
    height: 40,
    rect: [72.0, 600.0, 468.0, 160.0],
};

fn memo_pdf(picture: &Picture) -> Vec<u8> {
    let lines = memo("Karl Brandt");
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    make(&lines, Some(picture))
}

/// The output's one image: its samples (RGB, rows top to bottom) and size.
fn image(pdf: &[u8]) -> (Vec<u8>, usize, usize) {
    let doc = Document::load_mem(pdf).unwrap();
    let images: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .collect();
    assert_eq!(images.len(), 1, "one image in the output");
    let s = images[0];
    let int = |k: &[u8]| s.dict.get(k).unwrap().as_i64().unwrap() as usize;
    let data = s
        .decompressed_content()
        .unwrap_or_else(|_| s.content.clone());
    (data, int(b"Width"), int(b"Height"))
}

#[test]
fn pixels_under_a_box_are_painted_and_the_others_kept() {
    let (o, out) = release(&memo_pdf(&PICTURE), &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = out.expect("a released PDF");
    let boxes = rectangles(&out);
    let (data, w, h) = image(&out);
    assert_eq!((w, h), (100, 40));
    let [x0, y0, pw, ph] = PICTURE.rect;
    let (mut painted, mut kept) = (0, 0);
    for row in 0..h {
        for col in 0..w {
            // The pixel's centre on the page (row 0 is the top of the picture).
            let x = x0 + (col as f32 + 0.5) / w as f32 * pw;
            let y = y0 + ph - (row as f32 + 0.5) / h as f32 * ph;
            let under = boxes
                .iter()
                .any(|b| x >= b[0] && x <= b[0] + b[2] && y >= b[1] && y <= b[1] + b[3]);
            let px = &data[(row * w + col) * 3..][..3];
            if under {
                assert_eq!(px, [0, 0, 0], "pixel {col},{row} under a box not painted");
                painted += 1;
            } else if px == [200, 200, 200] {
                kept += 1;
            }
        }
    }
    assert!(painted > 100, "only {painted} pixels under boxes");
    assert!(kept > 1000, "only {kept} pixels kept outside the boxes");
}

#[test]
fn an_image_that_cannot_be_decoded_is_refused_naming_page_and_image() {
    // The same picture, its stream relabelled as JPEG 2000, JBIG2, CCITT fax, or a chain
    // ending in one of them: not decoded, so refused, never left with its pixels.
    let chains: [&[&[u8]]; 4] = [
        &[b"JPXDecode"],
        &[b"JBIG2Decode"],
        &[b"CCITTFaxDecode"],
        &[b"FlateDecode", b"JPXDecode"],
    ];
    for chain in chains {
        let pdf = memo_pdf(&PICTURE);
        let mut doc = Document::load_mem(&pdf).unwrap();
        for o in doc.objects.values_mut() {
            if let Object::Stream(s) = o
                && s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")
            {
                let names: Vec<Object> = chain.iter().map(|n| Object::Name(n.to_vec())).collect();
                match names.len() {
                    1 => s.dict.set("Filter", names[0].clone()),
                    _ => s.dict.set("Filter", Object::Array(names)),
                }
            }
        }
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let (o, out) = release(&bytes, &[]);
        let named: Vec<String> = chain
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        let named = named.join("+");
        assert_eq!(o.status.code(), Some(1), "{named}");
        assert!(out.is_none(), "{named}: nothing written for a refused page");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("page 1: image ") && err.contains(&format!("{named} data is not decoded")),
            "{named}: {err}"
        );
        assert!(!err.contains("Brandt"), "the error names withheld text");
    }
}
