//! declass: paragraph-level classification review.
//!
//! ```text
//! bytes ──parse──▶ Document ──policy──▶ Decisions ──release──▶ Release ──render──▶ text | PDF | HTML | JSON
//!                     │
//!                     └──audit──▶ Diagnostics ──report──▶ human | JSON | SARIF | GitHub annotations
//! ```
//!
//! Each stage is a module that takes the previous stage's type and returns the next; only
//! the CLI (`src/cli/`) does I/O.

pub mod audit;
#[cfg(feature = "cli")]
pub mod cli;
pub mod decisions;
pub mod diagnostic;
pub mod document;
pub mod guard;
pub mod job;
pub mod marking;
pub mod output;
pub mod parse;
pub mod pdf;
pub mod policy;
pub mod preview;
pub mod release;
pub mod render;
pub mod report;
pub mod review;
pub mod stream;
#[cfg(test)]
mod testing;
pub mod verify;
