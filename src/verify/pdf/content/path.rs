//! Paths and clipping for the interpreter: the subpaths a content stream builds (`m`, `l`,
//! `c`, `re`, `h` …), what a fill paints of them, and the clipping region (`W`/`W* n`, a
//! form's `/BBox`, text render modes 4-7) that limits where anything is painted.
//!
//! Place in `verify::pdf::content`: the interpreter keeps the clip in its graphics state
//! (saved by `q`, restored by `Q`) and records each fill as the part of its box that lies
//! inside the clip. [`super::super::cover`] then lets a fill hide only what lies inside its
//! clip: a page that paints its background once per clipped band does not hide the text
//! of the other bands. A clip is known exactly only when it is one rectangle on the page
//! axes; any other (curves, several subpaths, a rotated rectangle, glyph outlines) is
//! known by its bounding box only, which may be larger than what it lets through, and a
//! fill under it is marked unsure: it is then taken to hide nothing (the text under it is
//! read, judged and kept like any visible text, never dropped unjudged).

use lopdf::Object;

use super::geometry::{apply, grow};
use super::{Fill, Interpreter, TextState, number};

/// Points closer than this (page space, points) are the same point.
const SAME_POINT: f32 = 0.01;

/// A subpath as built: its bounding box, and its first points while it may still be an
/// axis-aligned rectangle (`None` once it cannot be: a curve, too many points).
#[derive(Clone, Debug)]
pub(super) struct Subpath {
    bbox: [f32; 4],
    points: Option<Vec<(f32, f32)>>,
}

impl Subpath {
    /// A subpath starting at `p` (`m`).
    pub(super) fn start(p: (f32, f32)) -> Subpath {
        Subpath {
            bbox: [p.0, p.1, p.0, p.1],
            points: Some(vec![p]),
        }
    }

    /// A subpath whose first point is unknown (a segment without a current point): its
    /// box is the segment's, and it is never a rectangle.
    pub(super) fn unknown() -> Subpath {
        Subpath {
            bbox: [f32::NAN; 4],
            points: None,
        }
    }

    /// A straight segment to `p` (`l`).
    pub(super) fn line_to(&mut self, p: (f32, f32)) {
        self.grow(p);
        if let Some(points) = &mut self.points {
            // A rectangle has four corners, five when the last repeats the first.
            if points.len() < 5 {
                points.push(p);
            } else {
                self.points = None;
            }
        }
    }

    /// A curve through `points` (`c`, `v`, `y`): its box holds the control points, which
    /// hold the curve; a curved subpath is no rectangle.
    pub(super) fn curve_to(&mut self, points: &[(f32, f32)]) {
        for &p in points {
            self.grow(p);
        }
        self.points = None;
    }

    fn grow(&mut self, p: (f32, f32)) {
        let mut b = Some(self.bbox).filter(|b| !b[0].is_nan());
        grow(&mut b, p);
        if let Some(b) = b {
            self.bbox = b;
        }
    }

    /// Its box, if it has a point.
    pub(super) fn bbox(&self) -> Option<[f32; 4]> {
        Some(self.bbox).filter(|b| !b[0].is_nan())
    }

    /// Whether it is exactly its box: four corners joined by horizontal and vertical edges
    /// (the closing edge included), as `re` draws under an unrotated matrix.
    fn is_rect(&self) -> bool {
        let Some(points) = &self.points else {
            return false;
        };
        let mut corners: &[(f32, f32)] = points;
        if corners.len() == 5 && near(corners[4], corners[0]) {
            corners = &corners[..4];
        }
        if corners.len() != 4 {
            return false;
        }
        let [x0, y0, x1, y1] = self.bbox;
        let axis = |a: (f32, f32), b: (f32, f32)| {
            (a.0 - b.0).abs() < SAME_POINT || (a.1 - b.1).abs() < SAME_POINT
        };
        let edges_on_axes = (0..4).all(|i| axis(corners[i], corners[(i + 1) % 4]));
        let all_corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
            .iter()
            .all(|&c| corners.iter().any(|&p| near(p, c)));
        edges_on_axes && all_corners
    }
}

fn near(a: (f32, f32), b: (f32, f32)) -> bool {
    (a.0 - b.0).abs() < SAME_POINT && (a.1 - b.1).abs() < SAME_POINT
}

/// The clipping region in force: nothing is painted outside `bbox`. `exact` when the
/// region is that box exactly; otherwise it is some shape inside it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clip {
    pub bbox: [f32; 4],
    pub exact: bool,
}

impl Clip {
    /// The region a path clips to (`W n`): exact for one rectangle, else its box. A path
    /// with no point clips everything away.
    pub(super) fn of_path(path: &[Subpath]) -> Clip {
        let boxes: Vec<[f32; 4]> = path.iter().filter_map(Subpath::bbox).collect();
        let Some(first) = boxes.first() else {
            return Clip {
                bbox: [
                    f32::INFINITY,
                    f32::INFINITY,
                    f32::NEG_INFINITY,
                    f32::NEG_INFINITY,
                ],
                exact: true,
            };
        };
        let mut bbox = Some(*first);
        for b in &boxes[1..] {
            grow(&mut bbox, (b[0], b[1]));
            grow(&mut bbox, (b[2], b[3]));
        }
        Clip {
            bbox: bbox.unwrap_or(*first),
            exact: boxes.len() == 1 && path.iter().any(Subpath::is_rect),
        }
    }

    /// The region of the polygon `corners` (a form's `/BBox` mapped onto the page).
    pub(super) fn of_polygon(corners: &[(f32, f32)]) -> Option<Clip> {
        let (&first, rest) = corners.split_first()?;
        let mut sub = Subpath::start(first);
        for &p in rest {
            sub.line_to(p);
        }
        Some(Clip::of_path(&[sub]))
    }

    /// The region inside both this and `outer`, the clip already in force (if any).
    pub(super) fn within(self, outer: Option<Clip>) -> Clip {
        match outer {
            None => self,
            Some(o) => Clip {
                bbox: intersect(&self.bbox, &o.bbox),
                exact: self.exact && o.exact,
            },
        }
    }
}

/// The overlap of two boxes; empty (`x0 > x1` or `y0 > y1`) when they do not meet.
pub(super) fn intersect(a: &[f32; 4], b: &[f32; 4]) -> [f32; 4] {
    [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ]
}

/// What a fill of a subpath with box `bbox` paints under `clip`: the box it may paint and
/// whether that box is known exactly as far as the clip goes (`None`: nothing painted).
pub(super) fn clipped(bbox: [f32; 4], clip: Option<Clip>) -> Option<([f32; 4], bool)> {
    match clip {
        None => Some((bbox, true)),
        Some(c) => {
            let b = intersect(&bbox, &c.bbox);
            (b[0] <= b[2] && b[1] <= b[3]).then_some((b, c.exact))
        }
    }
}

impl<'a> Interpreter<'a> {
    /// A path operator: building the path (`m`, `l`, `c`, `v`, `y`, `re`), marking it to
    /// clip (`W`, `W*`), painting it (fills are recorded as far as the clip lets them
    /// paint) or ending it (`S`, `s`, `n`).
    pub(super) fn path_op(&mut self, operator: &str, a: &[Object], gs: &mut TextState<'a>) {
        match operator {
            "m" if a.len() == 2 => {
                let p = apply(&gs.ctm, number(a.first()), number(a.get(1)));
                self.path.push(Subpath::start(p));
            }
            "l" | "c" | "v" | "y" => {
                if self.path.is_empty() {
                    // A segment without a current point: taken as starting a subpath.
                    self.path.push(Subpath::unknown());
                }
                let points: Vec<(f32, f32)> = a
                    .chunks(2)
                    .filter(|p| p.len() == 2)
                    .map(|p| apply(&gs.ctm, number(p.first()), number(p.get(1))))
                    .collect();
                if let Some(last) = self.path.last_mut() {
                    match (operator, &points[..]) {
                        ("l", &[p]) => last.line_to(p),
                        _ => last.curve_to(&points),
                    }
                }
            }
            "re" if a.len() == 4 => {
                // A rectangle is a subpath of its own, its corners in drawing order.
                let [x, y, w, h] = [0, 1, 2, 3].map(|i| number(a.get(i)));
                let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                    .map(|(px, py)| apply(&gs.ctm, px, py));
                let mut sub = Subpath::start(corners[0]);
                for p in &corners[1..] {
                    sub.line_to(*p);
                }
                self.path.push(sub);
            }
            "W" | "W*" => self.clip_next = true,
            "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                self.order += 1;
                for sub in &self.path {
                    // What lies outside the clip is not painted.
                    if let Some((bbox, sure)) = sub.bbox().and_then(|b| clipped(b, gs.clip)) {
                        self.fills.push(Fill {
                            bbox,
                            order: self.order,
                            colour: gs.fill,
                            sure,
                        });
                    }
                }
                self.end_path(gs);
            }
            "S" | "s" | "n" => self.end_path(gs),
            _ => {}
        }
    }

    /// Ends the path being built (painted or `n`): a pending `W` makes it clip from now on.
    fn end_path(&mut self, gs: &mut TextState<'a>) {
        if std::mem::take(&mut self.clip_next) {
            gs.clip = Some(Clip::of_path(&self.path).within(gs.clip));
        }
        self.path.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn polygon(points: &[(f32, f32)]) -> Subpath {
        let mut s = Subpath::start(points[0]);
        for &p in &points[1..] {
            s.line_to(p);
        }
        s
    }

    #[test]
    fn a_rectangle_of_lines_clips_exactly_and_other_shapes_by_their_box() {
        let rect = polygon(&[(10.0, 10.0), (50.0, 10.0), (50.0, 30.0), (10.0, 30.0)]);
        assert_eq!(
            Clip::of_path(std::slice::from_ref(&rect)),
            Clip {
                bbox: [10.0, 10.0, 50.0, 30.0],
                exact: true
            }
        );
        // Closed by repeating the first point: still a rectangle.
        let closed = polygon(&[
            (10.0, 10.0),
            (10.0, 30.0),
            (50.0, 30.0),
            (50.0, 10.0),
            (10.0, 10.0),
        ]);
        assert!(Clip::of_path(&[closed]).exact);
        // A bow tie has the same corners but crosses itself.
        let bow = polygon(&[(10.0, 10.0), (50.0, 30.0), (50.0, 10.0), (10.0, 30.0)]);
        assert!(!Clip::of_path(&[bow]).exact);
        // A rotated rectangle, a curve, two rectangles: their box, not exact.
        let diamond = polygon(&[(30.0, 0.0), (60.0, 20.0), (30.0, 40.0), (0.0, 20.0)]);
        assert_eq!(
            Clip::of_path(&[diamond]),
            Clip {
                bbox: [0.0, 0.0, 60.0, 40.0],
                exact: false
            }
        );
        let mut curve = Subpath::start((0.0, 0.0));
        curve.curve_to(&[(10.0, 20.0), (20.0, 20.0), (30.0, 0.0)]);
        assert!(!Clip::of_path(&[curve]).exact);
        let other = polygon(&[(60.0, 10.0), (70.0, 10.0), (70.0, 30.0), (60.0, 30.0)]);
        assert_eq!(
            Clip::of_path(&[rect, other]),
            Clip {
                bbox: [10.0, 10.0, 70.0, 30.0],
                exact: false
            }
        );
    }

    #[test]
    fn fills_are_cut_to_the_clip_and_nested_clips_intersect() {
        let band = Clip {
            bbox: [0.0, 100.0, 600.0, 400.0],
            exact: true,
        };
        let page = [0.0, 0.0, 600.0, 800.0];
        assert_eq!(clipped(page, None), Some((page, true)));
        assert_eq!(
            clipped(page, Some(band)),
            Some(([0.0, 100.0, 600.0, 400.0], true))
        );
        assert_eq!(clipped([0.0, 500.0, 600.0, 800.0], Some(band)), None);
        let loose = Clip {
            bbox: [0.0, 300.0, 600.0, 800.0],
            exact: false,
        };
        let both = loose.within(Some(band));
        assert_eq!(
            both,
            Clip {
                bbox: [0.0, 300.0, 600.0, 400.0],
                exact: false
            }
        );
        assert_eq!(
            clipped(page, Some(both)),
            Some(([0.0, 300.0, 600.0, 400.0], false))
        );
        // An empty clip path lets nothing through.
        assert_eq!(clipped(page, Some(Clip::of_path(&[]))), None);
    }

    /// The glyphs hidden on a page drawing `content`: "upper" at y 600, then "lower" at
    /// y 100, then what `content` paints.
    fn hidden_after(content: &str) -> Vec<usize> {
        let doc = lopdf::Document::with_version("1.5");
        let page = format!(
            "BT /F1 10 Tf 72 600 Td (upper) Tj ET BT /F1 10 Tf 72 100 Td (lower) Tj ET {content}"
        );
        let ops = lopdf::content::Content::decode(page.as_bytes())
            .unwrap()
            .operations;
        let mut it = Interpreter::new(&doc);
        let resources = super::super::Resources { dicts: Vec::new() };
        it.run_ops(
            &ops,
            "page",
            &resources,
            super::super::IDENTITY,
            0,
            &mut Vec::new(),
        );
        crate::verify::pdf::cover::hidden(&crate::verify::pdf::cover::Painted {
            glyphs: &it.glyphs,
            fills: &it.fills,
            images: &it.images,
            shadings: &it.shadings,
        })
    }

    #[test]
    fn a_fill_hides_only_what_lies_inside_its_clip() {
        // A page-sized white fill clipped to the lower half hides "lower" (glyphs 5-9).
        let lower: Vec<usize> = (5..10).collect();
        assert_eq!(
            hidden_after("q 0 0 612 400 re W n 1 g 0 0 612 792 re f Q"),
            lower
        );
        // The same band as four lines, and the same fill after `Q`: the clip is gone.
        assert_eq!(
            hidden_after("q 0 0 m 612 0 l 612 400 l 0 400 l h W n 1 g 0 0 612 792 re f Q"),
            lower
        );
        assert_eq!(
            hidden_after("q 0 0 612 400 re W n Q 1 g 0 0 612 792 re f"),
            (0..10).collect::<Vec<_>>()
        );
        // Nested clips intersect: the upper half of the lower half hides nothing.
        assert!(
            hidden_after("q 0 0 612 400 re W n 0 300 612 492 re W n 0 0 612 792 re f Q").is_empty()
        );
        // A clip known only by its box (a curve): unsure, so it hides nothing.
        assert!(
            hidden_after("q 0 0 m 0 400 l 612 400 l 612 200 300 0 0 0 c h W n 0 0 612 792 re f Q")
                .is_empty()
        );
    }
}
