//! Text under a box: glyphs a filled shape hides, found from the drawing alone.
//!
//! Place in `verify::pdf`: the interpreter records every glyph a page shows and every path
//! it fills, in paint order ([`super::content::Interpreter`]); [`covered`] reports the boxes
//! with text under them. It knows nothing of how a release drew its boxes or removed its
//! glyphs: a box is any filled shape at least [`MIN_BOX`] points on each side, and a glyph is
//! under it when their boxes overlap and the glyph is hidden by it: painted before it,
//! painted invisibly (an OCR layer's render mode), or painted after it in its colour. Text a
//! box hides is still in the file for anyone who copies it out or deletes the box.
//! Findings name the page and the box, never the text.

use super::content::{Colour, Fill, Glyph, Image, Ink};

/// A filled shape thinner than this (points) is a rule or an underline, not a box that can
/// hide a line of text.
pub const MIN_BOX: f32 = 2.0;

/// The share of a glyph's width and of its height a box must cover to hide it.
const HIDDEN_SHARE: f32 = 0.3;

/// Colours closer than this on every channel (0-1) cannot be told apart on the page.
const SAME_COLOUR: f32 = 0.1;

/// A box with text under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Covered {
    /// 1-based page.
    pub page: usize,
    /// `[x0, y0, x1, y1]` of the box, in points.
    pub bbox: [f32; 4],
}

impl Covered {
    /// `page 3, box x 72-540 y 600-615`: where, never what.
    pub fn place(&self) -> String {
        let [x0, y0, x1, y1] = self.bbox;
        format!(
            "page {}, box x {x0:.0}-{x1:.0} y {y0:.0}-{y1:.0}",
            self.page
        )
    }
}

fn same(a: Colour, b: Colour) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (0..3).all(|i| (a[i] - b[i]).abs() < SAME_COLOUR),
        // A pattern cannot be compared: taken as the same (fail closed).
        _ => true,
    }
}

/// Whether `fill` covers enough of `glyph` to hide it: [`HIDDEN_SHARE`] of its width and
/// of its height. Glyph boxes are estimates (widths from the font, a fixed height); a glyph
/// that only touches a box's edge is read by anyone looking at the page.
fn covers(fill: &Fill, glyph: &Glyph) -> bool {
    covers_box(&fill.bbox, &glyph.bbox)
}

fn covers_box(f: &[f32; 4], g: &[f32; 4]) -> bool {
    let across = f[2].min(g[2]) - f[0].max(g[0]);
    let up = f[3].min(g[3]) - f[1].max(g[1]);
    across > 0.0
        && up > 0.0
        && across >= HIDDEN_SHARE * (g[2] - g[0])
        && up >= HIDDEN_SHARE * (g[3] - g[1])
}

/// What a page painted, for [`covered`].
pub struct Painted<'a> {
    pub glyphs: &'a [Glyph],
    pub fills: &'a [Fill],
    pub images: &'a [Image],
    /// Paint order of each shading (`sh`), which may cover anything.
    pub shadings: &'a [u32],
}

/// Whether `fill` hides `glyph`. Text in the box's colour painted after it is hidden unless
/// something else was painted under the text in between (white text on a blue band that
/// lies on a white page, or on a picture or a shading).
fn hides(fill: &Fill, glyph: &Glyph, page: &Painted<'_>) -> bool {
    if glyph.blank || !covers(fill, glyph) {
        return false;
    }
    let between = |order: u32| fill.order < order && order < glyph.order;
    match glyph.ink {
        // An OCR layer over a scan that lies on a white page background: the background
        // fill is under the picture, and the picture is what the page shows there. A dark
        // box, or a white one over the picture (whiteout), still hides the text under it.
        Ink::Invisible => {
            !(same(fill.colour, Some([1.0, 1.0, 1.0]))
                && page
                    .images
                    .iter()
                    .any(|i| i.order > fill.order && covers_box(&i.bbox, &glyph.bbox)))
        }
        Ink::Painted(_) if glyph.order < fill.order => true,
        Ink::Painted(colour) => {
            same(colour, fill.colour)
                && !page
                    .images
                    .iter()
                    .any(|i| between(i.order) && covers_box(&i.bbox, &glyph.bbox))
                && !page
                    .fills
                    .iter()
                    .any(|f| between(f.order) && !same(colour, f.colour) && covers(f, glyph))
                && !page.shadings.iter().any(|&o| between(o))
        }
    }
}

/// Whether `fill` is big enough to hide a line of text (not a rule or an underline), and
/// known to paint all of its box: a fill under a clip known only by its bounding box (a
/// curve, several subpaths, glyph outlines) may paint less than the box, so it is taken to
/// hide nothing. What it might hide is then read and judged like any visible text (it is
/// in the parse and the leak checks), never dropped unjudged.
fn is_box(fill: &Fill) -> bool {
    let [x0, y0, x1, y1] = fill.bbox;
    fill.sure && x1 - x0 >= MIN_BOX && y1 - y0 >= MIN_BOX
}

/// The glyphs (indexes into `painted.glyphs`) that some box hides: exactly those that make
/// [`covered`] report a box. Taking them out of the drawing leaves [`covered`] nothing to
/// report.
pub fn hidden(painted: &Painted<'_>) -> Vec<usize> {
    let boxes: Vec<&Fill> = painted.fills.iter().filter(|f| is_box(f)).collect();
    if boxes.is_empty() {
        return Vec::new();
    }
    (0..painted.glyphs.len())
        .filter(|&i| boxes.iter().any(|f| hides(f, &painted.glyphs[i], painted)))
        .collect()
}

/// The boxes of page `page` that hide text, each once, in paint order.
pub fn covered(page: usize, painted: &Painted<'_>) -> Vec<Covered> {
    let mut out: Vec<Covered> = Vec::new();
    for fill in painted.fills {
        if !is_box(fill) {
            continue;
        }
        if painted.glyphs.iter().any(|g| hides(fill, g, painted))
            && !out.iter().any(|c| c.bbox == fill.bbox)
        {
            out.push(Covered {
                page,
                bbox: fill.bbox,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLACK: Colour = Some([0.0, 0.0, 0.0]);
    const WHITE: Colour = Some([1.0, 1.0, 1.0]);

    fn glyph(x: f32, order: u32, ink: Ink) -> Glyph {
        Glyph {
            bbox: [x, 100.0, x + 5.0, 109.0],
            order,
            ink,
            blank: false,
        }
    }

    fn boxed(order: u32) -> Fill {
        Fill {
            bbox: [50.0, 95.0, 200.0, 112.0],
            order,
            colour: BLACK,
            sure: true,
        }
    }

    #[test]
    fn text_painted_before_a_box_over_it_is_hidden() {
        let found = covered(
            2,
            &Painted {
                glyphs: &[glyph(60.0, 1, Ink::Painted(BLACK))],
                fills: &[boxed(2)],
                images: &[],
                shadings: &[],
            },
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].place(), "page 2, box x 50-200 y 95-112");
    }

    #[test]
    fn a_white_label_on_the_box_is_not_hidden() {
        let label = glyph(60.0, 3, Ink::Painted(WHITE));
        assert!(
            covered(
                1,
                &Painted {
                    glyphs: &[label],
                    fills: &[boxed(2)],
                    images: &[],
                    shadings: &[]
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn text_on_the_box_in_its_colour_or_invisible_is_hidden() {
        for ink in [Ink::Painted(BLACK), Ink::Invisible, Ink::Painted(None)] {
            assert_eq!(
                covered(
                    1,
                    &Painted {
                        glyphs: &[glyph(60.0, 3, ink)],
                        fills: &[boxed(2)],
                        images: &[],
                        shadings: &[]
                    }
                )
                .len(),
                1
            );
        }
    }

    #[test]
    fn an_ocr_layer_over_a_scan_on_a_white_background_is_not_hidden() {
        let page_fill = |order| Fill {
            bbox: [0.0, 0.0, 612.0, 792.0],
            order,
            colour: WHITE,
            sure: true,
        };
        let scan = |order| Image {
            name: "7 0 R".into(),
            bbox: [0.0, 0.0, 612.0, 792.0],
            ctm: [612.0, 0.0, 0.0, 792.0, 0.0, 0.0],
            order,
        };
        let ocr = glyph(60.0, 3, Ink::Invisible);
        let page = |fills: &[Fill], images: &[Image]| {
            covered(
                1,
                &Painted {
                    glyphs: std::slice::from_ref(&ocr),
                    fills,
                    images,
                    shadings: &[],
                },
            )
            .len()
        };
        // Background, scan, text: the text is the scan's.
        assert_eq!(page(&[page_fill(1)], &[scan(2)]), 0);
        // A whiteout over the scan, or a black box under the scan, still hides it.
        assert_eq!(page(&[page_fill(2)], &[scan(1)]), 1);
        assert_eq!(page(&[boxed(1)], &[scan(2)]), 1);
        // No picture over the background: hidden, as before.
        assert_eq!(page(&[page_fill(1)], &[]), 1);
    }

    #[test]
    fn text_beside_a_box_and_rules_over_text_are_not_boxes_hiding_text() {
        let beside = glyph(300.0, 1, Ink::Painted(BLACK));
        assert!(
            covered(
                1,
                &Painted {
                    glyphs: &[beside],
                    fills: &[boxed(2)],
                    images: &[],
                    shadings: &[]
                }
            )
            .is_empty()
        );
        let rule = Fill {
            bbox: [50.0, 100.0, 200.0, 101.0],
            order: 2,
            colour: BLACK,
            sure: true,
        };
        assert!(
            covered(
                1,
                &Painted {
                    glyphs: &[glyph(60.0, 1, Ink::Painted(BLACK))],
                    fills: &[rule],
                    images: &[],
                    shadings: &[]
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn a_picture_between_a_box_and_text_in_its_colour_shows_the_text() {
        let picture = Image {
            name: "7 0 R".into(),
            bbox: [40.0, 90.0, 300.0, 120.0],
            ctm: [260.0, 0.0, 0.0, 30.0, 40.0, 90.0],
            order: 2,
        };
        let text = glyph(60.0, 3, Ink::Painted(BLACK));
        assert!(
            covered(
                1,
                &Painted {
                    glyphs: &[text],
                    fills: &[boxed(1)],
                    images: &[picture],
                    shadings: &[]
                }
            )
            .is_empty()
        );
        // A blue band between a white page and white text shows the text.
        let page = Fill {
            bbox: [0.0, 0.0, 600.0, 800.0],
            order: 1,
            colour: WHITE,
            sure: true,
        };
        let band = Fill {
            bbox: [40.0, 90.0, 300.0, 120.0],
            order: 2,
            colour: Some([0.1, 0.2, 0.8]),
            sure: true,
        };
        let white = glyph(60.0, 3, Ink::Painted(WHITE));
        let painted = Painted {
            glyphs: &[white],
            fills: &[page, band],
            images: &[],
            shadings: &[],
        };
        assert!(covered(1, &painted).is_empty());
        // Under the box, the picture does not help.
        let under = glyph(60.0, 0, Ink::Painted(WHITE));
        assert_eq!(
            covered(
                1,
                &Painted {
                    glyphs: &[under],
                    fills: &[boxed(1)],
                    images: &[],
                    shadings: &[]
                }
            )
            .len(),
            1
        );
    }

    #[test]
    fn spaces_and_edges_are_not_hidden_text() {
        let mut space = glyph(60.0, 1, Ink::Painted(BLACK));
        space.blank = true;
        assert!(
            covered(
                1,
                &Painted {
                    glyphs: &[space],
                    fills: &[boxed(2)],
                    images: &[],
                    shadings: &[]
                }
            )
            .is_empty()
        );
        // A glyph reaching 1 point of its 5 into the box.
        let edge = glyph(46.0, 1, Ink::Painted(BLACK));
        assert!(
            covered(
                1,
                &Painted {
                    glyphs: &[edge],
                    fills: &[boxed(2)],
                    images: &[],
                    shadings: &[]
                }
            )
            .is_empty()
        );
    }
}
