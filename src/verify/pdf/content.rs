//! Content streams → positioned text: a small interpreter of the text and graphics-state
//! operators, and the two ways of laying the result out as lines.
//!
//! Place in `verify::pdf`: called for every page, every Form XObject a page draws (to a
//! depth limit) and every annotation appearance. Strings are decoded with their font's
//! encoding (ToUnicode, Differences, WinAnsi …), glyph advances come from the font's widths
//! when it has them, so one `Tj` per glyph and kerned `TJ` arrays lay out as the words a
//! viewer shows. [`reading_order`] sorts fragments into rows; [`stream_order`] keeps the
//! order the stream shows them in, for text drawn out of order on purpose.

use std::collections::HashMap;
use std::rc::Rc;

pub mod cmap;
mod font;
mod geometry;
mod order;
mod path;
mod std14;
mod xobject;

use font::{Font, load_font};
pub use geometry::{IDENTITY, Matrix};
use geometry::{apply, grow, mul, unit_box};
pub use order::{reading_order, stream_order};
pub use path::Clip;
use path::Subpath;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

/// Nesting of Form XObjects followed before giving up (and reporting it).
const MAX_DEPTH: usize = 12;
/// Refuse to inflate a content stream beyond this.
pub const MAX_STREAM: usize = 64 << 20;
/// A horizontal gap wider than this share of the font size is a space between words.
const WORD_GAP: f32 = 0.2;
/// A kern in a `TJ` array moving right by more than this (thousandths of an em) is a space.
const KERN_SPACE: f32 = 200.0;

/// A run of text where the page shows it.
#[derive(Clone, Debug)]
pub struct Fragment {
    pub x: f32,
    pub y: f32,
    /// Where the run ends, by the font's advances.
    pub end: f32,
    pub size: f32,
    pub text: String,
    /// `12 0 R`: the stream that drew it.
    pub stream: String,
    /// The index of the operation that drew it in that stream (in-place redaction edits it).
    pub op: usize,
}

/// An image drawn on the page: what it is and the box it covers (page space).
#[derive(Clone, Debug)]
pub struct Image {
    /// `12 0 R`, or `inline` for an inline image.
    pub name: String,
    pub bbox: [f32; 4],
    /// The matrix that maps the image's unit square onto the page (in-place redaction
    /// maps a box back to the image's pixels with it).
    pub ctm: Matrix,
    /// Paint order on the page, as for glyphs and fills.
    pub order: u32,
}

/// A colour as RGB (gray and CMYK converted); `None` for a pattern or an unknown space.
pub type Colour = Option<[f32; 3]>;

const BLACK: Colour = Some([0.0, 0.0, 0.0]);

/// How a glyph is painted: in a colour, or not at all (text render modes 3 and 7, the
/// mode of OCR layers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ink {
    Invisible,
    Painted(Colour),
}

/// One shown glyph: the page-space box of its advance from a little below the baseline to
/// about cap height, when it was painted, and how.
#[derive(Clone, Copy, Debug)]
pub struct Glyph {
    pub bbox: [f32; 4],
    /// Paint order on the page (what is painted later covers what was painted before).
    pub order: u32,
    pub ink: Ink,
    /// Its text is a space (nothing shown, nothing to hide).
    pub blank: bool,
}

/// Where a [`Glyph`] is in the content that showed it, so that it alone can be taken out:
/// the operation, the string in it (its index in a `TJ` array; 0 for `Tj`, `'` and `"`)
/// and the bytes of its code in that string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GlyphSource {
    pub op: usize,
    pub item: usize,
    pub start: usize,
    pub len: usize,
    /// Drawn by the stream the interpreter was run on, not by a form it drew.
    pub top: bool,
    /// The `TJ` adjustment (thousandths of the font size, negative moves right) that moves
    /// as far as the glyph did; NaN when the font size is 0 and no number can.
    pub kern: f32,
}

/// A filled path: the page-space box of its points inside the clip, when it was painted,
/// and its colour.
#[derive(Clone, Copy, Debug)]
pub struct Fill {
    pub bbox: [f32; 4],
    pub order: u32,
    pub colour: Colour,
    /// The clip it was painted under is known exactly (none, or one rectangle on the page
    /// axes): `bbox` is then all it may paint. Otherwise it may paint less.
    pub sure: bool,
}

/// Below and above the baseline, in font sizes, of the box a glyph is taken to cover.
const GLYPH_BELOW: f32 = 0.2;
const GLYPH_ABOVE: f32 = 0.7;

fn number(o: Option<&Object>) -> f32 {
    match o {
        Some(Object::Integer(i)) => *i as f32,
        Some(Object::Real(r)) => *r,
        _ => 0.0,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

/// A resource dictionary chain: the first that has a name wins.
#[derive(Clone)]
pub struct Resources<'a> {
    pub dicts: Vec<&'a Dictionary>,
}

impl<'a> Resources<'a> {
    fn lookup(&self, doc: &'a Document, category: &[u8], name: &[u8]) -> Option<&'a Object> {
        for d in &self.dicts {
            if let Ok(cat) = d.get(category)
                && let Object::Dictionary(cat) = deref(doc, cat)
                && let Ok(o) = cat.get(name)
            {
                return Some(o);
            }
        }
        None
    }
}

/// Where the string being shown is: the stream, the operation, the string's index in it.
struct Shown<'s> {
    stream: &'s str,
    op: usize,
    item: usize,
    /// Not drawn by a form.
    top: bool,
}

#[derive(Clone)]
struct TextState<'a> {
    ctm: Matrix,
    font: Option<Rc<Font<'a>>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
    fill: Colour,
    stroke: Colour,
    /// The text render mode (`Tr`).
    render: i64,
    /// Where painting is clipped to (`None`: nowhere, the whole page).
    clip: Option<Clip>,
}

/// A colour from `sc`-style operands: one, three or four numbers (gray, RGB, CMYK); a
/// pattern name or another count gives `None`.
fn colour(operands: &[Object]) -> Colour {
    if operands.iter().any(|o| o.as_name().is_ok()) {
        return None;
    }
    let n: Vec<f32> = operands.iter().map(|o| number(Some(o))).collect();
    match n[..] {
        [g] => Some([g, g, g]),
        [r, g, b] => Some([r, g, b]),
        [c, m, y, k] => Some([
            (1.0 - c) * (1.0 - k),
            (1.0 - m) * (1.0 - k),
            (1.0 - y) * (1.0 - k),
        ]),
        _ => None,
    }
}

/// The initial colour of a colour space set with `cs`: black, except for patterns.
fn space_colour(operands: &[Object]) -> Colour {
    match operands.first().and_then(|o| o.as_name().ok()) {
        Some(b"Pattern") => None,
        _ => BLACK,
    }
}

/// Runs content streams and collects what they show.
pub struct Interpreter<'a> {
    doc: &'a Document,
    /// Fonts by the address of their dictionary in the document: one font object used by
    /// many pages and forms is loaded (and its ToUnicode map parsed) once.
    fonts: HashMap<usize, Rc<Font<'a>>>,
    pub fragments: Vec<Fragment>,
    /// Images drawn, with the boxes they cover.
    pub images: Vec<Image>,
    /// Forms drawn (so the caller does not read them again as loose streams).
    pub forms_drawn: Vec<ObjectId>,
    pub notes: Vec<String>,
    /// Every glyph shown and every path filled on the page, in page space, with their
    /// paint order: what `verify` needs to find text under a box.
    pub glyphs: Vec<Glyph>,
    /// Where each of `glyphs` was shown (same index).
    pub glyph_sources: Vec<GlyphSource>,
    pub fills: Vec<Fill>,
    /// The paint order of each shading (`sh`) painted on the page.
    pub shadings: Vec<u32>,
    /// Paint operations so far on the page.
    order: u32,
    /// The subpaths of the path being built, until it is painted.
    path: Vec<Subpath>,
    /// `W`/`W*` was given: the path clips once it is painted (or ended with `n`).
    clip_next: bool,
    /// The clip in force where the stream being run was drawn (a form's caller's, cut to
    /// its `/BBox`); `None` on the page itself.
    entry_clip: Option<Clip>,
    /// The box of the glyphs shown with a clipping render mode (4-7) since `BT`: they
    /// join the clip at `ET`.
    text_clip: Option<[f32; 4]>,
}

impl<'a> Interpreter<'a> {
    pub fn new(doc: &'a Document) -> Interpreter<'a> {
        Interpreter {
            doc,
            fonts: HashMap::new(),
            fragments: Vec::new(),
            images: Vec::new(),
            forms_drawn: Vec::new(),
            notes: Vec::new(),
            glyphs: Vec::new(),
            glyph_sources: Vec::new(),
            fills: Vec::new(),
            shadings: Vec::new(),
            order: 0,
            path: Vec::new(),
            clip_next: false,
            entry_clip: None,
            text_clip: None,
        }
    }

    /// Forgets what the last page drew, keeping the fonts loaded.
    pub fn next_page(&mut self) {
        self.fragments.clear();
        self.images.clear();
        self.forms_drawn.clear();
        self.notes.clear();
        self.glyphs.clear();
        self.glyph_sources.clear();
        self.fills.clear();
        self.shadings.clear();
        self.order = 0;
        self.path.clear();
        self.clip_next = false;
        self.entry_clip = None;
        self.text_clip = None;
    }

    /// Runs `content` (decoded bytes) drawn by `stream` with `resources` under `ctm`.
    pub fn run(
        &mut self,
        content: &[u8],
        stream: &str,
        resources: &Resources<'a>,
        ctm: Matrix,
        depth: usize,
        stack: &mut Vec<ObjectId>,
    ) {
        let ops = match Content::decode(content) {
            Ok(c) => c.operations,
            Err(_) => {
                self.notes
                    .push(format!("stream {stream}: content could not be decoded (its strings are still read byte by byte)"));
                return;
            }
        };
        self.run_ops(&ops, stream, resources, ctm, depth, stack);
    }

    /// [`Interpreter::run`] on operations already decoded (a caller that edits them keeps
    /// them, instead of decoding the stream twice).
    pub fn run_ops(
        &mut self,
        ops: &[Operation],
        stream: &str,
        resources: &Resources<'a>,
        ctm: Matrix,
        depth: usize,
        stack: &mut Vec<ObjectId>,
    ) {
        let mut gs = TextState {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            fill: BLACK,
            stroke: BLACK,
            render: 0,
            clip: self.entry_clip,
        };
        let mut saved: Vec<TextState<'a>> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        for (index, op) in ops.iter().enumerate() {
            let a = &op.operands;
            match op.operator.as_str() {
                "q" => saved.push(gs.clone()),
                "Q" => {
                    if let Some(s) = saved.pop() {
                        gs = s;
                    }
                }
                "cm" if a.len() == 6 => {
                    let m = [0, 1, 2, 3, 4, 5].map(|i| number(a.get(i)));
                    gs.ctm = mul(&m, &gs.ctm);
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                    self.text_clip = None;
                }
                "ET" => {
                    // Glyphs shown to clip (modes 4-7) clip by their outlines, known here
                    // only by their boxes.
                    if let Some(bbox) = self.text_clip.take() {
                        gs.clip = Some(Clip { bbox, exact: false }.within(gs.clip));
                    }
                }
                "Tf" => {
                    gs.size = number(a.get(1));
                    gs.font = a
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| self.font(resources, name));
                }
                "Tc" => gs.char_spacing = number(a.first()),
                "Tw" => gs.word_spacing = number(a.first()),
                "Tz" => gs.scale = number(a.first()) / 100.0,
                "TL" => gs.leading = number(a.first()),
                "Ts" => gs.rise = number(a.first()),
                "Tr" => gs.render = number(a.first()) as i64,
                "g" | "rg" | "k" | "sc" | "scn" => gs.fill = colour(a),
                "G" | "RG" | "K" | "SC" | "SCN" => gs.stroke = colour(a),
                "cs" => gs.fill = space_colour(a),
                "CS" => gs.stroke = space_colour(a),
                "m" | "l" | "c" | "v" | "y" | "re" | "W" | "W*" | "f" | "F" | "f*" | "B" | "B*"
                | "b" | "b*" | "S" | "s" | "n" => self.path_op(&op.operator, a, &mut gs),
                "sh" => {
                    self.order += 1;
                    self.shadings.push(self.order);
                }
                "Td" | "TD" => {
                    let (tx, ty) = (number(a.first()), number(a.get(1)));
                    if op.operator == "TD" {
                        gs.leading = -ty;
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                    tm = tlm;
                }
                "Tm" if a.len() == 6 => {
                    tlm = [0, 1, 2, 3, 4, 5].map(|i| number(a.get(i)));
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" => {
                    if op.operator == "\"" {
                        gs.word_spacing = number(a.first());
                        gs.char_spacing = number(a.get(1));
                    }
                    if op.operator != "Tj" {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    if let Some(Object::String(bytes, _)) = a.last() {
                        let at = Shown {
                            stream,
                            op: index,
                            item: 0,
                            top: depth == 0,
                        };
                        self.show(bytes, &gs, &mut tm, &at);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = a.first() {
                        for (n, item) in items.iter().enumerate() {
                            match item {
                                Object::String(bytes, _) => {
                                    let at = Shown {
                                        stream,
                                        op: index,
                                        item: n,
                                        top: depth == 0,
                                    };
                                    self.show(bytes, &gs, &mut tm, &at)
                                }
                                other => {
                                    let k = number(Some(other));
                                    let tx = -k / 1000.0 * gs.size * gs.scale;
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    if -k > KERN_SPACE
                                        && let Some(last) = self.fragments.last_mut()
                                    {
                                        // A wide kern is a word space whatever the widths say.
                                        last.text.push(' ');
                                    }
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    if let Some(name) = a.first().and_then(|o| o.as_name().ok()) {
                        self.draw_form(resources, name, &gs, depth, stack);
                    }
                }
                "BI" => {
                    self.order += 1;
                    self.images.push(Image {
                        name: "inline".into(),
                        bbox: unit_box(&gs.ctm),
                        ctm: gs.ctm,
                        order: self.order,
                    })
                }
                _ => {}
            }
        }
    }

    fn font(&mut self, resources: &Resources<'a>, name: &[u8]) -> Option<Rc<Font<'a>>> {
        let doc = self.doc;
        let dict = match resources.lookup(doc, b"Font", name).map(|o| deref(doc, o)) {
            Some(Object::Dictionary(d)) => d,
            _ => return None,
        };
        let key = dict as *const Dictionary as usize;
        if let Some(f) = self.fonts.get(&key) {
            return Some(f.clone());
        }
        let font = Rc::new(load_font(doc, dict));
        self.fonts.insert(key, font.clone());
        Some(font)
    }

    fn show(&mut self, bytes: &[u8], gs: &TextState<'a>, tm: &mut Matrix, at: &Shown<'_>) {
        let trm = mul(tm, &gs.ctm);
        let x = trm[4] + trm[2] * gs.rise;
        let y = trm[5] + trm[3] * gs.rise;
        let vertical = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
        let horizontal = (trm[0] * trm[0] + trm[1] * trm[1]).sqrt();
        let size = (gs.size * vertical).abs().max(0.1);
        self.order += 1;
        let ink = match gs.render {
            3 | 7 => Ink::Invisible,
            1 | 5 => Ink::Painted(gs.stroke),
            _ => Ink::Painted(gs.fill),
        };
        let (below, above) = (
            gs.rise - GLYPH_BELOW * gs.size,
            gs.rise + GLYPH_ABOVE * gs.size,
        );
        let order = self.order;
        // `from`..`to`: the glyph's advance (scaled); `code`: its bytes in the string.
        let glyph = |from: f32, to: f32, code: (usize, usize), it: &mut Interpreter<'a>| {
            let mut bbox = None;
            for (gx, gy) in [(from, below), (to, below), (from, above), (to, above)] {
                grow(&mut bbox, apply(&trm, gx, gy));
            }
            if let Some(bbox) = bbox {
                if gs.render >= 4 {
                    let clip = &mut it.text_clip;
                    grow(clip, (bbox[0], bbox[1]));
                    grow(clip, (bbox[2], bbox[3]));
                }
                it.glyphs.push(Glyph {
                    bbox,
                    order,
                    ink,
                    blank: false,
                });
                let unscaled = (to - from) / gs.scale;
                it.glyph_sources.push(GlyphSource {
                    op: at.op,
                    item: at.item,
                    start: code.0,
                    len: code.1,
                    top: at.top,
                    kern: if gs.size == 0.0 || gs.scale == 0.0 {
                        f32::NAN
                    } else {
                        -unscaled / gs.size * 1000.0
                    },
                });
            }
        };
        let first_glyph = self.glyphs.len();
        let (text, advance) = match &gs.font {
            Some(font) => {
                let step = if font.two_byte { 2 } else { 1 };
                let mut advance = 0.0;
                for (n, code) in bytes.chunks(step).enumerate() {
                    let c = code.iter().fold(0u32, |n, &b| n << 8 | u32::from(b));
                    let start = advance;
                    advance += font.width(c) / 1000.0 * gs.size + gs.char_spacing;
                    if step == 1 && c == 32 {
                        advance += gs.word_spacing;
                    }
                    glyph(
                        start * gs.scale,
                        advance * gs.scale,
                        (n * step, code.len()),
                        self,
                    );
                }
                (font.decode(bytes), advance * gs.scale)
            }
            None => {
                let each = 0.5 * gs.size * gs.scale;
                for i in 0..bytes.len() {
                    glyph(i as f32 * each, (i + 1) as f32 * each, (i, 1), self);
                }
                (
                    bytes.iter().map(|&b| char::from(b)).collect(),
                    bytes.len() as f32 * each,
                )
            }
        };
        *tm = mul(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], tm);
        // A glyph whose text is a space shows nothing: when the text has one character per
        // glyph, they are told apart (otherwise every glyph counts as ink).
        let shown = &mut self.glyphs[first_glyph..];
        if text.chars().count() == shown.len() {
            for (g, c) in shown.iter_mut().zip(text.chars()) {
                g.blank = c.is_whitespace();
            }
        }
        if text.is_empty() {
            return;
        }
        self.fragments.push(Fragment {
            x,
            y,
            end: x + advance * horizontal,
            size,
            text,
            stream: at.stream.to_string(),
            op: at.op,
        });
    }
}
