//! The masks of an image under a withheld region: a stencil `Mask` or a soft mask
//! (`SMask`) is a picture of its own, and in a mixed-raster scan (a background picture, a
//! foreground colour layer and a JBIG2 stencil holding the letters' shapes) it is the
//! mask that shows the text. Each is painted under the boxes like the image it masks and
//! kept, so the page still looks as it did; dropping it would leave the foreground layer
//! drawn unmasked over the whole page.
//!
//! Place in the pipeline: [`super::paint`] decodes, fills and re-encodes every mask of an
//! image it paints; [`super::unpainted`] checks the written masks the same way.

use std::io::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::{Pixels, Unpaintable, codecs, decode_dct, filters, inflate_whole};
use crate::verify::pdf::content::MAX_STREAM;

/// The image masks `dict` names: `(key, object)` for a soft mask and a stencil mask (a
/// colour-key `Mask` array names no picture).
pub(super) fn masks(dict: &Dictionary) -> Vec<(&'static [u8], ObjectId)> {
    [&b"SMask"[..], b"Mask"]
        .into_iter()
        .filter_map(|key| match dict.get(key) {
            Ok(Object::Reference(id)) => Some((key, *id)),
            _ => None,
        })
        .collect()
}

/// A mask's samples as 8-bit gray (one component): a stencil's bits as 0 and 255.
pub(super) fn decode(doc: &Document, stream: &Stream) -> Result<Pixels, Unpaintable> {
    let dict = &stream.dict;
    let int = |k: &[u8]| dict.get(k).and_then(Object::as_i64).ok();
    let (width, height) = match (int(b"Width"), int(b"Height")) {
        (Some(w), Some(h)) if w > 0 && h > 0 && w * h <= (MAX_STREAM as i64) => {
            (w as usize, h as usize)
        }
        _ => return Err("its mask's size is missing or too large".into()),
    };
    let filters = filters(dict);
    let mut pixels = match filters.iter().map(Vec::as_slice).collect::<Vec<_>>()[..] {
        [b"JBIG2Decode"] => codecs::jbig2(doc, dict, &stream.content, width, height)?,
        [b"CCITTFaxDecode"] | [b"CCF"] => codecs::ccitt(doc, dict, &stream.content, width, height)?,
        [b"DCTDecode"] | [b"DCT"] => decode_dct(&stream.content, width, height)?,
        [] | [b"FlateDecode"] | [b"Fl"] => {
            let bits = int(b"BitsPerComponent");
            let size = match bits {
                Some(1) => width.div_ceil(8) * height,
                Some(8) => width * height,
                _ => return Err("its mask is neither 1 nor 8 bits per sample".into()),
            };
            let data = if filters.is_empty() {
                stream.content.clone()
            } else if let Some(data) = inflate_whole(stream, size) {
                // The case of every mask [`encode`] writes: in the read-back, the bytes
                // the byte scan has just inflated, not inflated a second time.
                data
            } else {
                stream
                    .decompressed_content_with_limit(MAX_STREAM)
                    .map_err(|e| format!("its mask cannot be decompressed ({e})"))?
            };
            let samples = if bits == Some(1) {
                unpack(&data, width, height)
            } else {
                data
            };
            if samples.len() < width * height {
                return Err("its mask's data is shorter than its size".into());
            }
            Pixels {
                width,
                height,
                components: 1,
                data: samples,
                color_space: Object::Name(b"DeviceGray".to_vec()),
                stored: true,
            }
        }
        _ => return Err("its mask's data is not decoded".into()),
    };
    if pixels.components != 1 {
        return Err("its mask has colour".into());
    }
    pixels.data.truncate(width * height);
    Ok(pixels)
}

/// The eight 8-bit samples (0 and 255) of each byte of 1-bit rows, most significant bit
/// first: a row is unpacked a byte at a time (a bit at a time was 8 % of releasing a scan).
const SPREAD: [[u8; 8]; 256] = {
    let mut table = [[0u8; 8]; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            if byte & (0x80 >> bit) != 0 {
                table[byte][bit] = 255;
            }
            bit += 1;
        }
        byte += 1;
    }
    table
};

/// 1-bit rows (each padded to a byte) as 8-bit samples, 0 and 255.
fn unpack(data: &[u8], width: usize, height: usize) -> Vec<u8> {
    let stride = width.div_ceil(8);
    let (whole, rest) = (width / 8, width % 8);
    let mut out = Vec::with_capacity(width * height);
    for row in data.chunks_exact(stride).take(height) {
        for &byte in &row[..whole] {
            out.extend_from_slice(&SPREAD[usize::from(byte)]);
        }
        // The padding bits of the last byte are not samples.
        if rest > 0 {
            out.extend_from_slice(&SPREAD[usize::from(row[whole])][..rest]);
        }
    }
    out
}

/// The painted mask as a new stream: a stencil again at 1 bit (its `Decode` kept), a soft
/// mask at 8 bits, Flate-compressed, with none of the original's filters or metadata.
pub(super) fn encode(original: &Dictionary, pixels: &Pixels) -> Stream {
    let stencil = original
        .get(b"ImageMask")
        .and_then(Object::as_bool)
        .unwrap_or(false);
    let mut dict = Dictionary::new();
    super::copy_keys(
        original,
        &mut dict,
        &[b"Type", b"Subtype", b"Width", b"Height", b"Interpolate"],
    );
    if let (true, Ok(decode)) = (pixels.stored, original.get(b"Decode")) {
        dict.set("Decode", decode.clone());
    }
    let samples = &pixels.data[..pixels.width * pixels.height];
    let packed;
    let body: &[u8] = if stencil {
        dict.set("ImageMask", true);
        dict.set("BitsPerComponent", 1);
        packed = pack(samples, pixels.width);
        &packed
    } else {
        dict.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
        dict.set("BitsPerComponent", 8);
        samples
    };
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    match z.write_all(body).and_then(|()| z.finish()) {
        Ok(compressed) => {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            Stream::new(dict, compressed)
        }
        Err(_) => Stream::new(dict, body.to_vec()),
    }
}

/// 8-bit samples as 1-bit rows padded to a byte: a sample of 128 or more is a 1 bit.
/// Eight samples make a byte (a sample at a time through an index was 4 % of a scan).
fn pack(samples: &[u8], width: usize) -> Vec<u8> {
    let width = width.max(1);
    let stride = width.div_ceil(8);
    let mut out = Vec::with_capacity(stride * (samples.len() / width));
    for row in samples.chunks_exact(width) {
        let mut eights = row.chunks_exact(8);
        for eight in &mut eights {
            // The top bit of each of the eight samples, gathered into one byte: shifted
            // to the bottom of its byte, then multiplied so that sample i's bit lands on
            // bit 63 - i (the products occupy distinct bits: no carries), first sample
            // highest as in the rows. Checked against a bit-at-a-time reading in the tests.
            let word = u64::from_be_bytes(eight.try_into().unwrap_or([0; 8]));
            let tops = (word >> 7) & 0x0101_0101_0101_0101;
            out.push((tops.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8);
        }
        let tail = eights.remainder();
        if !tail.is_empty() {
            let byte = tail.iter().fold(0u8, |byte, &v| (byte << 1) | (v >> 7));
            // The padding bits are 0, after the samples.
            out.push(byte << (8 - tail.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stencil_bits_unpack_and_pack_back() {
        // 10 pixels a row: two bytes, the last six bits padding.
        let rows = [0b1010_0000, 0b1100_0000, 0b0000_0001, 0b0100_0000];
        let samples = unpack(&rows, 10, 2);
        assert_eq!(samples.len(), 20);
        assert_eq!(&samples[..10], &[255, 0, 255, 0, 0, 0, 0, 0, 255, 255]);
        assert_eq!(&samples[10..], &[0, 0, 0, 0, 0, 0, 0, 255, 0, 255]);
        assert_eq!(pack(&samples, 10), rows);
    }

    #[test]
    fn byte_at_a_time_matches_bit_at_a_time_at_every_width() {
        // The rows of every width from 1 to 24 (whole bytes and 1-7 bits of padding),
        // bytes from a fixed pseudo-random sequence, padding bits set too.
        let mut state = 0x2545_f491_u32;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        };
        for width in 1..=24usize {
            let (stride, height) = (width.div_ceil(8), 3);
            let rows: Vec<u8> = (0..stride * height).map(|_| next()).collect();
            let bit = |row: usize, x: usize| rows[row * stride + x / 8] & (0x80 >> (x % 8)) != 0;
            let expected: Vec<u8> = (0..height)
                .flat_map(|row| (0..width).map(move |x| (row, x)))
                .map(|(row, x)| if bit(row, x) { 255 } else { 0 })
                .collect();
            let samples = unpack(&rows, width, height);
            assert_eq!(samples, expected, "width {width}");
            // Packed back: the same bits, the padding cleared.
            let packed = pack(&samples, width);
            for row in 0..height {
                for x in 0..stride * 8 {
                    let got = packed[row * stride + x / 8] & (0x80 >> (x % 8)) != 0;
                    assert_eq!(got, x < width && bit(row, x), "width {width} x {x}");
                }
            }
            // Gray samples: 128 and above are a 1 bit.
            let gray: Vec<u8> = (0..width).map(|x| (x * 37 % 256) as u8).collect();
            let packed = pack(&gray, width);
            for (x, &v) in gray.iter().enumerate() {
                assert_eq!(packed[x / 8] & (0x80 >> (x % 8)) != 0, v >= 128);
            }
        }
    }

    #[test]
    fn only_referenced_masks_are_pictures() {
        let mut dict = Dictionary::new();
        dict.set("SMask", Object::Reference((7, 0)));
        dict.set("Mask", Object::Array(vec![0.into(), 10.into()]));
        assert_eq!(masks(&dict), vec![(&b"SMask"[..], (7, 0))]);
    }
}
