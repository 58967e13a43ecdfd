//! declass: paragraph-level classification review.

pub mod render;
