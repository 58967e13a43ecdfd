//! Images under withheld regions: a generated PDF draws a grey picture under its text; the
//! release must paint the picture's pixels under every box (checked by decoding the output's
//! image with lopdf, not with declass), keep the others, and refuse, naming the page and the
//! image, a picture it cannot decode. The picture also comes as JPEG 2000 and CCITT fax data
//! written by another producer (tests/fixtures/pdf/images).

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

/// Checks the output's one image against the boxes: every pixel under a box painted black
/// (`components` samples of 0), and most of the others still `kept` (a box over a picture
/// reaches across the whole picture, so what is left outside is whole rows).
fn assert_painted(out: &[u8], picture: &Picture, components: usize, kept_px: &[u8]) {
    let boxes = rectangles(out);
    let (data, w, h) = image(out);
    assert_eq!((w, h), (100, 40));
    assert_eq!(
        data.len(),
        w * h * components,
        "8-bit samples, {components} a pixel"
    );
    let [x0, y0, pw, ph] = picture.rect;
    // A box over the picture spans it whole: the scan's ink is not bounded by the text.
    let over: Vec<_> = boxes
        .iter()
        .filter(|b| b[0] < x0 + pw && b[0] + b[2] > x0 && b[1] < y0 + ph && b[1] + b[3] > y0)
        .collect();
    assert!(!over.is_empty(), "no box over the picture");
    for b in over {
        assert!(
            b[0] <= x0 && b[0] + b[2] >= x0 + pw,
            "box {b:?} stops inside the picture"
        );
    }
    let (mut painted, mut kept, mut outside) = (0, 0, 0);
    for row in 0..h {
        for col in 0..w {
            // The pixel's centre on the page (row 0 is the top of the picture).
            let x = x0 + (col as f32 + 0.5) / w as f32 * pw;
            let y = y0 + ph - (row as f32 + 0.5) / h as f32 * ph;
            let under = boxes
                .iter()
                .any(|b| x >= b[0] && x <= b[0] + b[2] && y >= b[1] && y <= b[1] + b[3]);
            let px = &data[(row * w + col) * components..][..components];
            if under {
                assert!(
                    px.iter().all(|&v| v == 0),
                    "pixel {col},{row} under a box not painted"
                );
                painted += 1;
            } else {
                outside += 1;
                // Within a few levels: JPEG 2000 is lossy at the fixture's size.
                if px.iter().zip(kept_px).all(|(&a, &b)| a.abs_diff(b) <= 8) {
                    kept += 1;
                }
            }
        }
    }
    assert!(painted > 100, "only {painted} pixels under boxes");
    assert!(
        outside >= 200 && kept * 2 > outside,
        "only {kept} of {outside} pixels kept outside the boxes"
    );
}

#[test]
fn pixels_under_a_box_are_painted_and_the_others_kept() {
    let (o, out) = release(&memo_pdf(&PICTURE), &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_painted(&out.expect("a released PDF"), &PICTURE, 3, &[200, 200, 200]);
}

#[test]
fn a_box_over_a_scan_wider_than_the_text_reaches_across_it() {
    // A scan set wider than the text block (off-centre to the right): the ink of a withheld
    // line may run past its glyphs and past the margin's mirror, so the box spans the
    // picture, and every pixel under it is painted.
    let wide = Picture {
        width: 100,
        height: 40,
        rect: [20.0, 600.0, 580.0, 160.0],
    };
    let (o, out) = release(&memo_pdf(&wide), &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_painted(&out.expect("a released PDF"), &wide, 3, &[200, 200, 200]);
}

/// The memo with its picture's stream replaced: `data` under `filter`, with `extra` entries
/// set in the image dictionary and `drop` ones removed.
fn with_picture(data: &[u8], filter: &str, extra: Vec<(&str, Object)>, drop: &[&str]) -> Vec<u8> {
    let mut doc = Document::load_mem(&memo_pdf(&PICTURE)).unwrap();
    for o in doc.objects.values_mut() {
        if let Object::Stream(s) = o
            && s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")
        {
            s.set_content(data.to_vec());
            s.dict
                .set("Filter", Object::Name(filter.as_bytes().to_vec()));
            for key in drop {
                s.dict.remove(key.as_bytes());
            }
            for (key, value) in &extra {
                s.dict.set(*key, value.clone());
            }
        }
    }
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn jpeg_2000_and_fax_pictures_under_a_box_are_painted() {
    // The picture as another producer (Pillow with OpenJPEG and libtiff, see
    // scripts/make_image_fixtures.py) encodes it: a JPEG 2000 codestream, the PDF giving no
    // colour space (the data's own is used), and CCITT Group 4 of its bi-level twin.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pdf/images");
    let j2k = std::fs::read(format!("{dir}/picture.j2k")).unwrap();
    let jpx = with_picture(
        &j2k,
        "JPXDecode",
        vec![],
        &["ColorSpace", "BitsPerComponent"],
    );
    let (o, out) = release(&jpx, &[]);
    assert!(
        o.status.success(),
        "JPX: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_painted(&out.expect("a released PDF"), &PICTURE, 3, &[200, 200, 200]);

    let g4 = std::fs::read(format!("{dir}/picture.g4")).unwrap();
    let mut parms = lopdf::Dictionary::new();
    parms.set("K", -1);
    parms.set("Columns", 100);
    parms.set("Rows", 40);
    // Pillow writes its fax TIFF as MinIsBlack: the white picture's bits are 1, which the
    // fax code carries as black runs; `BlackIs1` true is how such data goes into a PDF.
    parms.set("BlackIs1", true);
    let fax = with_picture(
        &g4,
        "CCITTFaxDecode",
        vec![
            ("DecodeParms", Object::Dictionary(parms)),
            ("ColorSpace", Object::Name(b"DeviceGray".to_vec())),
            ("BitsPerComponent", Object::Integer(1)),
        ],
        &[],
    );
    let (o, out) = release(&fax, &[]);
    assert!(
        o.status.success(),
        "fax: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // White (255) inside the black frame, as the filter's samples mean it in DeviceGray.
    assert_painted(&out.expect("a released PDF"), &PICTURE, 1, &[255]);
}

#[test]
fn an_image_that_cannot_be_decoded_is_refused_naming_page_and_image() {
    // The same picture, its Flate stream relabelled as JPEG 2000, JBIG2, CCITT fax, or a
    // chain ending in one of them: data the decoder cannot read, or a chain not decoded, so
    // refused, never left with its pixels.
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
            err.contains("page 1: image ") && err.contains("cannot be painted over"),
            "{named}: {err}"
        );
        assert!(!err.contains("Brandt"), "the error names withheld text");
    }
}
