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

use super::content::{Colour, Fill, Glyph, Ink};

/// A filled shape thinner than this (points) is a rule or an underline, not a box that can
/// hide a line of text.
pub const MIN_BOX: f32 = 2.0;

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

fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

fn same(a: Colour, b: Colour) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (0..3).all(|i| (a[i] - b[i]).abs() < SAME_COLOUR),
        // A pattern cannot be compared: taken as the same (fail closed).
        _ => true,
    }
}

/// Whether `fill` hides `glyph`.
fn hides(fill: &Fill, glyph: &Glyph) -> bool {
    if !overlaps(&fill.bbox, &glyph.bbox) {
        return false;
    }
    match glyph.ink {
        Ink::Invisible => true,
        Ink::Painted(colour) => glyph.order < fill.order || same(colour, fill.colour),
    }
}

/// The boxes of page `page` that hide text, each once, in paint order.
pub fn covered(page: usize, glyphs: &[Glyph], fills: &[Fill]) -> Vec<Covered> {
    let mut out: Vec<Covered> = Vec::new();
    for fill in fills {
        let [x0, y0, x1, y1] = fill.bbox;
        if x1 - x0 < MIN_BOX || y1 - y0 < MIN_BOX {
            continue;
        }
        if glyphs.iter().any(|g| hides(fill, g)) && !out.iter().any(|c| c.bbox == fill.bbox) {
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
        }
    }

    fn boxed(order: u32) -> Fill {
        Fill {
            bbox: [50.0, 95.0, 200.0, 112.0],
            order,
            colour: BLACK,
        }
    }

    #[test]
    fn text_painted_before_a_box_over_it_is_hidden() {
        let found = covered(2, &[glyph(60.0, 1, Ink::Painted(BLACK))], &[boxed(2)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].place(), "page 2, box x 50-200 y 95-112");
    }

    #[test]
    fn a_white_label_on_the_box_is_not_hidden() {
        let label = glyph(60.0, 3, Ink::Painted(WHITE));
        assert!(covered(1, &[label], &[boxed(2)]).is_empty());
    }

    #[test]
    fn text_on_the_box_in_its_colour_or_invisible_is_hidden() {
        for ink in [Ink::Painted(BLACK), Ink::Invisible, Ink::Painted(None)] {
            assert_eq!(covered(1, &[glyph(60.0, 3, ink)], &[boxed(2)]).len(), 1);
        }
    }

    #[test]
    fn text_beside_a_box_and_rules_over_text_are_not_boxes_hiding_text() {
        let beside = glyph(300.0, 1, Ink::Painted(BLACK));
        assert!(covered(1, &[beside], &[boxed(2)]).is_empty());
        let rule = Fill {
            bbox: [50.0, 100.0, 200.0, 101.0],
            order: 2,
            colour: BLACK,
        };
        assert!(covered(1, &[glyph(60.0, 1, Ink::Painted(BLACK))], &[rule]).is_empty());
    }
}
