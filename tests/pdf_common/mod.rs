//! Small PDFs made by the tests themselves (with lopdf, not declass's writer): lines of
//! Helvetica text at known places, optionally an RGB image drawn under them, and helpers to
//! read back what an output draws. Each PDF test crate includes this with
//! `mod pdf_common;` and uses the part it needs.

#![allow(dead_code)] // each test crate uses a subset

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

/// Baseline of the first line, and the distance between lines (points).
pub const TOP: f32 = 740.0;
pub const LEADING: f32 = 14.0;
pub const LEFT: f32 = 72.0;

/// Baseline of the 0-based line `i`.
pub fn baseline(i: usize) -> f32 {
    TOP - LEADING * i as f32
}

/// An RGB image of one grey colour, drawn at `rect` (`[x, y, w, h]` in page space).
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rect: [f32; 4],
}

/// A one-page letter-size PDF showing `lines`, each with its own `Tj`, over `picture`.
pub fn make(lines: &[&str], picture: Option<&Picture>) -> Vec<u8> {
    make_sized(lines, picture, 11.0)
}

/// [`make`] with the text set at `size` points (on the same [`LEADING`]).
pub fn make_sized(lines: &[&str], picture: Option<&Picture>, size: f32) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type1".to_vec())),
        ("BaseFont", Object::Name(b"Helvetica".to_vec())),
        ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
        // Every glyph half an em wide, said in the file (a standard font without `Widths`
        // is read with the standard metrics): the tests place boxes by this advance.
        ("FirstChar", Object::Integer(0)),
        ("LastChar", Object::Integer(255)),
        ("Widths", Object::Array(vec![Object::Integer(500); 256])),
    ]));
    let mut resources = Dictionary::from_iter([(
        "Font",
        Object::Dictionary(Dictionary::from_iter([("F1", Object::Reference(font))])),
    )]);
    let mut ops = Vec::new();
    if let Some(p) = picture {
        let pixels = vec![200u8; (p.width * p.height * 3) as usize];
        let mut image = Stream::new(
            Dictionary::from_iter([
                ("Type", Object::Name(b"XObject".to_vec())),
                ("Subtype", Object::Name(b"Image".to_vec())),
                ("Width", Object::Integer(p.width.into())),
                ("Height", Object::Integer(p.height.into())),
                ("ColorSpace", Object::Name(b"DeviceRGB".to_vec())),
                ("BitsPerComponent", Object::Integer(8)),
            ]),
            pixels,
        );
        image.compress().unwrap();
        let id = doc.add_object(image);
        resources.set(
            "XObject",
            Dictionary::from_iter([("Im1", Object::Reference(id))]),
        );
        let [x, y, w, h] = p.rect;
        ops.extend([
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![w.into(), 0.into(), 0.into(), h.into(), x.into(), y.into()],
            ),
            Operation::new("Do", vec![Object::Name(b"Im1".to_vec())]),
            Operation::new("Q", vec![]),
        ]);
    }
    for (i, line) in lines.iter().enumerate() {
        ops.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec![Object::Name(b"F1".to_vec()), size.into()]),
            Operation::new("Td", vec![LEFT.into(), baseline(i).into()]),
            Operation::new(
                "Tj",
                vec![Object::String(
                    line.as_bytes().to_vec(),
                    StringFormat::Literal,
                )],
            ),
            Operation::new("ET", vec![]),
        ]);
    }
    let content = doc.add_object(Stream::new(
        Dictionary::new(),
        Content { operations: ops }.encode().unwrap(),
    ));
    let page = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Page".to_vec())),
        ("Parent", Object::Reference(pages_id)),
        ("Contents", Object::Reference(content)),
        ("Resources", Object::Dictionary(resources)),
        (
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
        ),
    ]));
    doc.objects.insert(
        pages_id,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(vec![Object::Reference(page)])),
            ("Count", Object::Integer(1)),
        ])),
    );
    let catalog = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
    ]));
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A marked memo: banner, one SECRET portion naming `name`, one unclassified portion.
pub fn memo(name: &str) -> Vec<String> {
    vec![
        "SECRET".into(),
        String::new(),
        format!("1. (S) The source {name} met the officer in Vienna."),
        String::new(),
        "2. (U) The meeting was routine and ended at noon.".into(),
        String::new(),
        "SECRET".into(),
    ]
}

/// The rectangles (`re` operands: x, y, w, h) the content of each page of `pdf` draws.
pub fn rectangles(pdf: &[u8]) -> Vec<[f32; 4]> {
    let doc = Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    for (_, id) in doc.get_pages() {
        let content = doc.get_page_content(id);
        for op in Content::decode(&content).unwrap().operations {
            if op.operator == "re" {
                let n: Vec<f32> = op.operands.iter().map(|o| o.as_float().unwrap()).collect();
                out.push([n[0], n[1], n[2], n[3]]);
            }
        }
    }
    out
}

/// Runs `declass release IN --format pdf` in a fresh directory on `pdf`, with `extra`
/// arguments; returns the process output and the released file, if written.
pub fn release(pdf: &[u8], extra: &[&str]) -> (std::process::Output, Option<Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.pdf"), pdf).unwrap();
    let mut args = vec![
        "release",
        "in.pdf",
        "--format",
        "pdf",
        "--as-of",
        "2026-01-01",
        "-o",
        "out.pdf",
    ];
    args.extend_from_slice(extra);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    let out = std::fs::read(dir.path().join("out.pdf")).ok();
    (o, out)
}

/// Runs `verify` on `release` against `source`: exit code and everything printed.
pub fn verify(release: &[u8], source: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("out.pdf"), release).unwrap();
    std::fs::write(dir.path().join("in.pdf"), source).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_declass"))
        .current_dir(dir.path())
        .args([
            "verify",
            "out.pdf",
            "--source",
            "in.pdf",
            "--as-of",
            "2026-01-01",
        ])
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code(), said)
}
