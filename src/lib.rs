//! declass: paragraph-level classification review.
