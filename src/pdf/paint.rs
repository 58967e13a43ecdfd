//! Images under withheld regions: their pixels painted over, so that no picture of the
//! withheld text stays in the file.
//!
//! Place in the pipeline: [`super::redact`] calls [`paint`] for a page whose boxes overlap
//! images (a scan under its OCR layer, a logo or seal beside a withheld banner row). Every
//! such image is decoded, the pixels under each box are overwritten with black (the box's
//! own colour), and the result is stored as a new Flate-compressed image that only this page
//! draws: an image shared with other pages is left as it is for them. Flate and JPEG are
//! decoded here, JPEG 2000, JBIG2 and CCITT fax in [`codecs`]. What cannot be decoded
//! (inline images, images drawn by a Form XObject, stencil masks, a Flate image of other
//! than 8 bits per component, data its decoder cannot read) is refused, naming the page and
//! the image. After the
//! write, [`unpainted`] checks the output the same way: every image overlapping a box must
//! show only the fill under it.

mod codecs;
mod mask;

use std::io::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::redact::Region;
use super::{Page, PdfError};
use crate::verify::pdf::content::{Image, MAX_STREAM, Matrix};

/// An image's samples, decoded: `components` bytes per pixel, rows top to bottom.
struct Pixels {
    width: usize,
    height: usize,
    components: usize,
    data: Vec<u8>,
    /// The colour space the samples are in (a DCT image is decoded to RGB or gray).
    color_space: Object,
    /// Whether the samples are the stored ones, so that the image's Decode array still
    /// applies (not after a JPEG is decoded to RGB).
    stored: bool,
}

/// Why an image cannot be painted: said in the refusal with its page and name.
type Unpaintable = String;

/// Paints the pixels of every image of `page` (page `number`) that lies under a region.
pub fn paint(
    doc: &mut Document,
    number: usize,
    page: &Page,
    regions: &[Region],
) -> Result<(), PdfError> {
    let mut todo: Vec<(ObjectId, Vec<(&Image, &Region)>)> = Vec::new();
    for image in &page.images {
        for r in regions.iter().filter(|r| overlaps(&r.bbox, &image.bbox)) {
            let Some(id) = object_id(&image.name) else {
                return Err(refuse(number, image, "an inline image cannot be painted"));
            };
            match todo.iter_mut().find(|(i, _)| *i == id) {
                Some((_, under)) => under.push((image, r)),
                None => todo.push((id, vec![(image, r)])),
            }
        }
    }
    if todo.is_empty() {
        return Ok(());
    }
    let mut resources = super::redact::own_resources(doc, page.id);
    let mut xobjects = match resources.get(b"XObject").map(|o| doc.dereference(o)) {
        Ok(Ok((_, Object::Dictionary(d)))) => d.clone(),
        _ => Dictionary::new(),
    };
    for (id, under) in todo {
        let image = under[0].0;
        let names: Vec<Vec<u8>> = xobjects
            .iter()
            .filter(|(_, v)| v.as_reference().ok() == Some(id))
            .map(|(k, _)| k.clone())
            .collect();
        if names.is_empty() {
            return Err(refuse(
                number,
                image,
                "it is drawn by a form, which cannot be rewritten for one page",
            ));
        }
        let stream = match doc.get_object(id) {
            Ok(Object::Stream(s)) => s,
            _ => return Err(refuse(number, image, "the image object is missing")),
        };
        let mut pixels = decode(doc, stream).map_err(|why| refuse(number, image, &why))?;
        for (placed, region) in &under {
            fill(&mut pixels, &placed.ctm, &region.bbox)
                .map_err(|why| refuse(number, placed, &why))?;
        }
        // Its masks map onto the same unit square: painted under the same boxes.
        let mut masks = Vec::new();
        for (key, mask_id) in mask::masks(&stream.dict) {
            let Ok(Object::Stream(m)) = doc.get_object(mask_id) else {
                return Err(refuse(number, image, "its mask object is missing"));
            };
            let mut samples = mask::decode(doc, m).map_err(|why| refuse(number, image, &why))?;
            for (placed, region) in &under {
                fill(&mut samples, &placed.ctm, &region.bbox)
                    .map_err(|why| refuse(number, placed, &why))?;
            }
            masks.push((key, mask::encode(&m.dict, &samples)));
        }
        let mut painted = encode(&stream.dict, &pixels);
        for (key, m) in masks {
            let id = doc.add_object(m);
            painted.dict.set(key, id);
        }
        let painted = doc.add_object(painted);
        for name in names {
            xobjects.set(name, painted);
        }
    }
    resources.set("XObject", xobjects);
    doc.get_dictionary_mut(page.id)
        .map_err(|e| PdfError::Damaged(format!("page {number}: {e}")))?
        .set("Resources", resources);
    Ok(())
}

/// In the written output, the first image that overlaps a box and still shows something
/// other than the fill under it, in its samples or in a mask's (page, image name), if any.
/// Each image is decoded once for all the boxes over it.
pub fn unpainted(doc: &Document, images: &[Image], regions: &[&Region]) -> Option<String> {
    for image in images {
        let over: Vec<&&Region> = regions
            .iter()
            .filter(|r| overlaps(&r.bbox, &image.bbox))
            .collect();
        if over.is_empty() {
            continue;
        }
        let stream = object_id(&image.name).and_then(|id| match doc.get_object(id) {
            Ok(Object::Stream(s)) => Some(s),
            _ => None,
        });
        let shows_only_fill = |p: Pixels| over.iter().all(|r| only_fill(&p, &image.ctm, &r.bbox));
        let clean = stream.is_some_and(|s| {
            decode(doc, s).is_ok_and(shows_only_fill)
                && mask::masks(&s.dict)
                    .into_iter()
                    .all(|(_, id)| match doc.get_object(id) {
                        Ok(Object::Stream(m)) => mask::decode(doc, m).is_ok_and(shows_only_fill),
                        _ => false,
                    })
        });
        if !clean {
            return Some(image.name.clone());
        }
    }
    None
}

fn refuse(number: usize, image: &Image, why: &str) -> PdfError {
    PdfError::Refused(format!(
        "page {number}: image {} lies under a withheld region and cannot be painted over \
         ({why}); the page cannot be released in place",
        image.name
    ))
}

fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// `12 0 R` → `(12, 0)`.
fn object_id(name: &str) -> Option<ObjectId> {
    let mut parts = name.split(' ');
    let n = parts.next()?.parse().ok()?;
    let g = parts.next()?.parse().ok()?;
    (parts.next() == Some("R")).then_some((n, g))
}

/// The filters of a stream, in order.
fn filters(dict: &Dictionary) -> Vec<Vec<u8>> {
    match dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .map(|o| o.as_name().map(<[u8]>::to_vec).unwrap_or_default())
            .collect(),
        _ => Vec::new(),
    }
}

/// Components per pixel of a colour space declaration, when it is one samples can be
/// painted in: gray, RGB, CMYK, an ICC profile of those, or an 8-bit palette index.
fn components(doc: &Document, space: &Object) -> Option<usize> {
    let space = doc.dereference(space).map_or(space, |(_, o)| o);
    match space {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" => Some(1),
            b"DeviceRGB" | b"CalRGB" => Some(3),
            b"DeviceCMYK" => Some(4),
            _ => None,
        },
        Object::Array(a) => match a.first().and_then(|o| o.as_name().ok())? {
            b"ICCBased" => {
                let profile = doc.dereference(a.get(1)?).ok()?.1.as_stream().ok()?;
                match profile.dict.get(b"N").and_then(Object::as_i64).ok()? {
                    n @ (1 | 3 | 4) => Some(n as usize),
                    _ => None,
                }
            }
            b"Indexed" | b"I" => Some(1),
            b"CalGray" => Some(1),
            b"CalRGB" => Some(3),
            _ => None,
        },
        _ => None,
    }
}

fn decode(doc: &Document, stream: &Stream) -> Result<Pixels, Unpaintable> {
    let dict = &stream.dict;
    let int = |k: &[u8]| dict.get(k).and_then(Object::as_i64).ok();
    if dict
        .get(b"ImageMask")
        .and_then(Object::as_bool)
        .unwrap_or(false)
    {
        return Err("a stencil mask".into());
    }
    let (width, height) = match (int(b"Width"), int(b"Height")) {
        (Some(w), Some(h)) if w > 0 && h > 0 && w * h <= (MAX_STREAM as i64) => {
            (w as usize, h as usize)
        }
        _ => return Err("its size is missing or too large".into()),
    };
    let filters = filters(dict);
    let names: Vec<String> = filters
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    match filters.iter().map(Vec::as_slice).collect::<Vec<_>>()[..] {
        [b"DCTDecode"] | [b"DCT"] => decode_dct(&stream.content, width, height),
        [b"JPXDecode"] => codecs::jpx(doc, dict, &stream.content, width, height),
        [b"JBIG2Decode"] => codecs::jbig2(doc, dict, &stream.content, width, height),
        [b"CCITTFaxDecode"] | [b"CCF"] => codecs::ccitt(doc, dict, &stream.content, width, height),
        [] | [b"FlateDecode"] | [b"Fl"] => {
            if int(b"BitsPerComponent") != Some(8) {
                return Err("not 8 bits per component".into());
            }
            let space = dict
                .get(b"ColorSpace")
                .map_err(|_| "no colour space".to_string())?;
            let components = components(doc, space)
                .ok_or_else(|| "a colour space whose samples cannot be painted".to_string())?;
            let data = if filters.is_empty() {
                stream.content.clone()
            } else if let Some(data) = inflate_whole(stream, width * height * components) {
                data
            } else {
                stream
                    .decompressed_content_with_limit(MAX_STREAM)
                    .map_err(|e| format!("its data cannot be decompressed ({e})"))?
            };
            if data.len() < width * height * components {
                return Err("its data is shorter than its size".into());
            }
            Ok(Pixels {
                width,
                height,
                components,
                data,
                color_space: space.clone(),
                stored: true,
            })
        }
        _ => Err(format!("{} data is not decoded", names.join("+"))),
    }
}

/// The samples of a Flate stream without `DecodeParms` (no predictor: the case of every
/// image this module writes) inflated in one call into a buffer of their size, when the
/// stream ends there cleanly; `None` sends the caller to lopdf's general decoder (damaged
/// data, predictors, more data than the size), which gives the same bytes when this does
/// (the same inflater) but grows and zeroes its buffer as it reads.
fn inflate_whole(stream: &Stream, size: usize) -> Option<Vec<u8>> {
    if size > MAX_STREAM || stream.dict.has(b"DecodeParms") || stream.dict.has(b"DP") {
        return None;
    }
    // In the read-back, the byte scan of the output has just inflated these very bytes
    // whole (compared whole): the result is what inflating them here gives.
    if let Some(data) = crate::verify::pdf::take_inflated(&stream.content) {
        return (data.len() <= size).then_some(data);
    }
    let mut out = Vec::with_capacity(size + 1);
    let mut z = flate2::Decompress::new(true);
    let status = z
        .decompress_vec(&stream.content, &mut out, flate2::FlushDecompress::Finish)
        .ok()?;
    (status == flate2::Status::StreamEnd && out.len() <= size).then_some(out)
}

fn decode_dct(jpeg: &[u8], width: usize, height: usize) -> Result<Pixels, Unpaintable> {
    use zune_jpeg::JpegDecoder;
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;

    let mut probe = JpegDecoder::new(ZCursor::new(jpeg));
    probe
        .decode_headers()
        .map_err(|e| format!("its JPEG data cannot be read ({e:?})"))?;
    let gray = probe.input_colorspace() == Some(ColorSpace::Luma);
    let (out, components, space): (_, _, &[u8]) = if gray {
        (ColorSpace::Luma, 1, b"DeviceGray")
    } else {
        (ColorSpace::RGB, 3, b"DeviceRGB")
    };
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(out)
        .set_max_width(width.max(1))
        .set_max_height(height.max(1));
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(jpeg), options);
    let data = decoder
        .decode()
        .map_err(|e| format!("its JPEG data cannot be decoded ({e:?})"))?;
    let info = decoder
        .info()
        .ok_or_else(|| "its JPEG header is missing".to_string())?;
    if (info.width as usize, info.height as usize) != (width, height) {
        return Err("its JPEG size differs from the size the PDF gives".into());
    }
    if data.len() < width * height * components {
        return Err("its JPEG data is shorter than its size".into());
    }
    Ok(Pixels {
        width,
        height,
        components,
        data,
        color_space: Object::Name(space.to_vec()),
        stored: false,
    })
}

/// The pixel rectangle `[col0, row0, col1, row1)` of an image placed by `ctm` that a page
/// box covers, one pixel larger on each side so that no partly covered pixel stays.
fn pixel_rect(pixels: &Pixels, ctm: &Matrix, bbox: &[f32; 4]) -> Result<[usize; 4], Unpaintable> {
    let [a, b, c, d, e, f] = *ctm;
    let det = a * d - b * c;
    if det.abs() < 1e-9 {
        return Err("it is drawn with no area".into());
    }
    // Page point → the image's unit square.
    let to_unit = |x: f32, y: f32| {
        let (x, y) = (x - e, y - f);
        ((d * x - c * y) / det, (a * y - b * x) / det)
    };
    let corners = [
        to_unit(bbox[0], bbox[1]),
        to_unit(bbox[2], bbox[1]),
        to_unit(bbox[0], bbox[3]),
        to_unit(bbox[2], bbox[3]),
    ];
    let (mut u0, mut u1, mut v0, mut v1) = (
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::INFINITY,
        f32::NEG_INFINITY,
    );
    for (u, v) in corners {
        u0 = u0.min(u);
        u1 = u1.max(u);
        v0 = v0.min(v);
        v1 = v1.max(v);
    }
    let (w, h) = (pixels.width as f32, pixels.height as f32);
    let clamp = |x: f32, max: usize| (x.max(0.0) as usize).min(max);
    // Row 0 is the top of the image (v = 1).
    let col0 = clamp((u0 * w).floor() - 1.0, pixels.width);
    let col1 = clamp((u1 * w).ceil() + 1.0, pixels.width);
    let row0 = clamp(((1.0 - v1) * h).floor() - 1.0, pixels.height);
    let row1 = clamp(((1.0 - v0) * h).ceil() + 1.0, pixels.height);
    Ok([col0, row0, col1, row1])
}

/// The samples a painted pixel gets: black in gray, RGB and CMYK; index 0 in a palette.
fn ink(pixels: &Pixels) -> Vec<u8> {
    match pixels.components {
        4 => vec![0, 0, 0, 255],
        n => vec![0; n],
    }
}

fn fill(pixels: &mut Pixels, ctm: &Matrix, bbox: &[f32; 4]) -> Result<(), Unpaintable> {
    let [col0, row0, col1, row1] = pixel_rect(pixels, ctm, bbox)?;
    let ink = ink(pixels);
    let n = pixels.components;
    for row in row0..row1 {
        let at = (row * pixels.width) * n;
        let span = &mut pixels.data[at + col0 * n..at + col1 * n];
        // One row of the box at a time (a pixel at a time was most of the painting).
        if ink.iter().all(|&b| b == 0) {
            span.fill(0);
        } else {
            for pixel in span.chunks_exact_mut(n) {
                pixel.copy_from_slice(&ink);
            }
        }
    }
    Ok(())
}

fn only_fill(pixels: &Pixels, ctm: &Matrix, bbox: &[f32; 4]) -> bool {
    let Ok([col0, row0, col1, row1]) = pixel_rect(pixels, ctm, bbox) else {
        return false;
    };
    let ink = ink(pixels);
    let n = pixels.components;
    let black = ink.iter().all(|&b| b == 0);
    (row0..row1).all(|row| {
        let at = (row * pixels.width) * n;
        let span = &pixels.data[at + col0 * n..at + col1 * n];
        if black {
            // Every byte of the row OR-ed together, without stopping early: a loop the
            // compiler vectorises (a painted row is all zero, so nothing is read twice).
            span.iter().fold(0u8, |any, &b| any | b) == 0
        } else {
            span.chunks_exact(n).all(|pixel| pixel == &ink[..])
        }
    })
}

/// Copies the entries of `keys` that `original` has into `dict` (a rebuilt image keeps its
/// geometry and rendering hints, nothing else of the original's dictionary).
fn copy_keys(original: &Dictionary, dict: &mut Dictionary, keys: &[&[u8]]) {
    for &key in keys {
        if let Ok(v) = original.get(key) {
            dict.set(key, v.clone());
        }
    }
}

/// The painted image as a new stream: the original's dictionary less its filters, masks
/// (the caller sets the painted ones) and metadata, with the samples Flate-compressed.
fn encode(original: &Dictionary, pixels: &Pixels) -> Stream {
    let mut dict = Dictionary::new();
    copy_keys(
        original,
        &mut dict,
        &[
            b"Type",
            b"Subtype",
            b"Width",
            b"Height",
            b"Intent",
            b"Interpolate",
        ],
    );
    dict.set("ColorSpace", pixels.color_space.clone());
    if let (true, Ok(decode)) = (pixels.stored, original.get(b"Decode")) {
        dict.set("Decode", decode.clone());
    }
    dict.set("BitsPerComponent", 8);
    let size = pixels.width * pixels.height * pixels.components;
    let samples = &pixels.data[..size];
    // The fastest level: a page scan is megabytes of samples, and the best level costs
    // several times the time for a few percent of size.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    match z.write_all(samples).and_then(|()| z.finish()) {
        Ok(compressed) => {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            Stream::new(dict, compressed)
        }
        // Writing to memory does not fail; if it did, uncompressed samples are still right.
        Err(_) => Stream::new(dict, samples.to_vec()),
    }
}
