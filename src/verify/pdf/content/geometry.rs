//! Page-space geometry for the interpreter: the 2-D affine matrices of PDF (`cm`, `Tm`, a
//! form's `/Matrix`) and the boxes of what is painted under them.

/// `[a b c d e f]`: x' = a x + c y + e, y' = b x + d y + f (PDF's row-vector convention).
pub type Matrix = [f32; 6];
pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

pub(super) fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

pub(super) fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// Grows `bbox` (or starts it) to hold a point.
pub(super) fn grow(bbox: &mut Option<[f32; 4]>, (x, y): (f32, f32)) {
    match bbox {
        Some(b) => {
            b[0] = b[0].min(x);
            b[1] = b[1].min(y);
            b[2] = b[2].max(x);
            b[3] = b[3].max(y);
        }
        None => *bbox = Some([x, y, x, y]),
    }
}

/// The box the unit square covers under `m` (where an image is painted).
pub(super) fn unit_box(m: &Matrix) -> [f32; 4] {
    let corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
        .map(|(u, v): (f32, f32)| (u * m[0] + v * m[2] + m[4], u * m[1] + v * m[3] + m[5]));
    let xs = corners.map(|c| c.0);
    let ys = corners.map(|c| c.1);
    [
        xs.iter().copied().fold(f32::INFINITY, f32::min),
        ys.iter().copied().fold(f32::INFINITY, f32::min),
        xs.iter().copied().fold(f32::NEG_INFINITY, f32::max),
        ys.iter().copied().fold(f32::NEG_INFINITY, f32::max),
    ]
}
