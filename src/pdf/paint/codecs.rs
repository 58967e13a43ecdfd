//! Decoders for the image filters of scanned PDFs beyond JPEG and Flate: JPEG 2000
//! (`JPXDecode`), JBIG2 (`JBIG2Decode`) and CCITT fax (`CCITTFaxDecode`), so that such a
//! scan under a withheld region can be painted like any other (most refused scans of the
//! corpus were these).
//!
//! Place in the pipeline: [`super::decode`] hands one image stream here by its filter; the
//! samples come back as 8-bit [`Pixels`] that [`super::fill`] paints and
//! [`super::encode`] stores as a new Flate image. The decoders are the pure-Rust
//! `hayro-*` crates. Anything they cannot read, or that does not match the size the PDF
//! gives, is an [`Unpaintable`] reason: the page is refused, never released unpainted.

use lopdf::{Dictionary, Document, Object};

use super::{Pixels, Unpaintable, components};
use crate::verify::pdf::content::MAX_STREAM;

/// White and black as 8-bit gray samples, as a bi-level filter's output means them in
/// `DeviceGray` (0 is black unless `BlackIs1`); an image's `Decode` array still applies.
const WHITE: u8 = 255;
const BLACK: u8 = 0;

/// A JPEG 2000 image: its samples at 8 bits, alpha dropped (the painted copy keeps no
/// soft mask either), in the colour space the PDF declares or else the one the data has.
pub(super) fn jpx(
    doc: &Document,
    dict: &Dictionary,
    data: &[u8],
    width: usize,
    height: usize,
) -> Result<Pixels, Unpaintable> {
    use hayro_jpeg2000::{DecodeSettings, DecoderContext, Image};

    let declared = dict.get(b"ColorSpace").ok();
    // With an `Indexed` space in the PDF the data holds palette indices: keep them so.
    let indexed = declared.is_some_and(|s| is_indexed(doc, s));
    let settings = DecodeSettings {
        resolve_palette_indices: !indexed,
        ..DecodeSettings::default()
    };
    let image = Image::new(data, &settings)
        .map_err(|e| format!("its JPEG 2000 data cannot be read ({e:?})"))?;
    if (image.width() as usize, image.height() as usize) != (width, height) {
        return Err("its JPEG 2000 size differs from the size the PDF gives".into());
    }
    if indexed && image.original_bit_depth() != 8 {
        // Indices scaled to 8 bits would name other palette entries.
        return Err("its JPEG 2000 palette indices are not 8 bits".into());
    }
    let channels = usize::from(image.color_space().num_channels());
    let stride = channels + usize::from(image.has_alpha());
    if channels == 0 || width * height * stride > MAX_STREAM {
        return Err("its JPEG 2000 samples are too large or have no colour".into());
    }
    let mut context = DecoderContext::default();
    let all = image
        .decode(&mut context)
        .map_err(|e| format!("its JPEG 2000 data cannot be decoded ({e:?})"))?
        .data_u8();
    if all.len() < width * height * stride {
        return Err("its JPEG 2000 data is shorter than its size".into());
    }
    let samples = if stride == channels {
        all
    } else {
        all.chunks_exact(stride)
            .flat_map(|pixel| &pixel[..channels])
            .copied()
            .collect()
    };
    let color_space = match declared {
        Some(space) if components(doc, space) == Some(channels) => space.clone(),
        Some(_) => return Err("its JPEG 2000 data does not fit its colour space".into()),
        None => device_space(channels)?,
    };
    Ok(Pixels {
        width,
        height,
        components: channels,
        data: samples,
        color_space,
        // The decoder already mapped the samples to 8 bits and its own colour space.
        stored: false,
    })
}

/// A JBIG2 image embedded in a PDF, with its `JBIG2Globals` if the parameters name them.
pub(super) fn jbig2(
    doc: &Document,
    dict: &Dictionary,
    data: &[u8],
    width: usize,
    height: usize,
) -> Result<Pixels, Unpaintable> {
    use hayro_jbig2::{DecodeSettings, Globals, Page};

    let settings = DecodeSettings::default();
    let globals = match params(doc, dict).and_then(|p| p.get(b"JBIG2Globals").ok()) {
        Some(reference) => {
            let stream = doc
                .dereference(reference)
                .ok()
                .and_then(|(_, o)| o.as_stream().ok())
                .ok_or_else(|| "its JBIG2 globals are missing".to_string())?;
            let bytes = stream
                .decompressed_content_with_limit(MAX_STREAM)
                .unwrap_or_else(|_| stream.content.clone());
            Some(
                Globals::new(&bytes, &settings)
                    .map_err(|e| format!("its JBIG2 globals cannot be read ({e:?})"))?,
            )
        }
        None => None,
    };
    let page = Page::new_embedded(data, globals.as_ref(), &settings)
        .map_err(|e| format!("its JBIG2 data cannot be read ({e:?})"))?;
    if (page.width() as usize, page.height() as usize) != (width, height) {
        return Err("its JBIG2 size differs from the size the PDF gives".into());
    }
    let mut rows = Rows::new(width, height, BLACK)?;
    page.decode(&mut rows)
        .map_err(|e| format!("its JBIG2 data cannot be decoded ({e:?})"))?;
    rows.finish(width, height)
}

/// A CCITT fax image (Group 3 or 4), its parameters read as the PDF defines their defaults.
pub(super) fn ccitt(
    doc: &Document,
    dict: &Dictionary,
    data: &[u8],
    width: usize,
    height: usize,
) -> Result<Pixels, Unpaintable> {
    use hayro_ccitt::{DecodeSettings, DecoderContext, EncodingMode, decode};

    let p = params(doc, dict);
    let int = |k: &[u8], default: i64| {
        p.and_then(|p| p.get(k).and_then(Object::as_i64).ok())
            .unwrap_or(default)
    };
    let flag = |k: &[u8], default: bool| {
        p.and_then(|p| p.get(k).and_then(Object::as_bool).ok())
            .unwrap_or(default)
    };
    if usize::try_from(int(b"Columns", 1728)).ok() != Some(width) {
        return Err("its fax width differs from the size the PDF gives".into());
    }
    let k = int(b"K", 0);
    let settings = DecodeSettings {
        columns: width as u32,
        rows: height as u32,
        end_of_block: flag(b"EndOfBlock", true),
        end_of_line: flag(b"EndOfLine", false),
        rows_are_byte_aligned: flag(b"EncodedByteAlign", false),
        encoding: match k {
            k if k < 0 => EncodingMode::Group4,
            0 => EncodingMode::Group3_1D,
            _ => EncodingMode::Group3_2D,
        },
        strict: false,
    };
    // `BlackIs1` false (the default): black pixels are 0, as `DeviceGray` draws them.
    let black = if flag(b"BlackIs1", false) {
        WHITE
    } else {
        BLACK
    };
    let mut rows = Rows::new(width, height, black)?;
    let mut context = DecoderContext::new(settings);
    decode(data, &mut rows, &mut context)
        .map_err(|e| format!("its fax data cannot be decoded ({e:?})"))?;
    rows.finish(width, height)
}

/// A filter's parameters: `DecodeParms` as a dictionary, or the one of a one-entry array.
fn params<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    let p = dict.get(b"DecodeParms").or_else(|_| dict.get(b"DP")).ok()?;
    let p = doc.dereference(p).map_or(p, |(_, o)| o);
    match p {
        Object::Dictionary(d) => Some(d),
        Object::Array(a) if a.len() == 1 => doc
            .dereference(&a[0])
            .ok()
            .and_then(|(_, o)| o.as_dict().ok()),
        _ => None,
    }
}

fn is_indexed(doc: &Document, space: &Object) -> bool {
    let space = doc.dereference(space).map_or(space, |(_, o)| o);
    matches!(space, Object::Array(a)
        if matches!(a.first().and_then(|o| o.as_name().ok()), Some(b"Indexed" | b"I")))
}

fn device_space(channels: usize) -> Result<Object, Unpaintable> {
    let name: &[u8] = match channels {
        1 => b"DeviceGray",
        3 => b"DeviceRGB",
        4 => b"DeviceCMYK",
        _ => return Err(format!("its JPEG 2000 data has {channels} colour channels")),
    };
    Ok(Object::Name(name.to_vec()))
}

/// Rows of a bi-level image as 8-bit gray, filled by either decoder: each row cut or
/// padded (white) to the width, as decoders may push whole bytes past it.
struct Rows {
    data: Vec<u8>,
    width: usize,
    rows: usize,
    black: u8,
    white: u8,
}

impl Rows {
    fn new(width: usize, height: usize, black: u8) -> Result<Self, Unpaintable> {
        if width * height > MAX_STREAM {
            return Err("its size is too large".into());
        }
        Ok(Self {
            data: Vec::with_capacity(width * height),
            width,
            rows: 0,
            black,
            white: if black == BLACK { WHITE } else { BLACK },
        })
    }

    fn ink(&self, black: bool) -> u8 {
        if black { self.black } else { self.white }
    }

    fn end_row(&mut self) {
        self.rows += 1;
        self.data.resize(self.rows * self.width, self.white);
    }

    /// The samples: every row the size gives, those the data did not reach left white.
    fn finish(mut self, width: usize, height: usize) -> Result<Pixels, Unpaintable> {
        if self.rows > height {
            return Err("its data has more rows than its size".into());
        }
        self.data.truncate(self.rows * width);
        self.data.resize(width * height, self.white);
        Ok(Pixels {
            width,
            height,
            components: 1,
            data: self.data,
            color_space: Object::Name(b"DeviceGray".to_vec()),
            // Samples as the filter gives them: the image's `Decode` array still applies.
            stored: true,
        })
    }
}

impl hayro_jbig2::Decoder for Rows {
    fn push_pixel(&mut self, black: bool) {
        let v = self.ink(black);
        self.data.push(v);
    }

    fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
        let v = self.ink(black);
        let n = self.data.len() + 8 * chunk_count as usize;
        self.data.resize(n, v);
    }

    fn next_line(&mut self) {
        self.end_row();
    }
}

impl hayro_ccitt::Decoder for Rows {
    fn push_row(&mut self, changes: &[u32]) {
        let start = self.rows * self.width;
        let (white, black) = (self.white, self.black);
        self.data.resize(start + self.width, white);
        let row = &mut self.data[start..];
        // Pairs of changes bound the black runs; an odd last change runs black to the end.
        for pair in changes.chunks(2) {
            let from = (pair[0] as usize).min(self.width);
            let to = pair
                .get(1)
                .map_or(self.width, |&c| (c as usize).min(self.width));
            row[from..to.max(from)].fill(black);
        }
        self.end_row();
    }
}
