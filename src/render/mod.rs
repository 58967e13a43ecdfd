//! Output formats for a release.
//!
//! Place in the pipeline: release model → `render` → bytes. Each submodule takes a neutral,
//! already-redacted description of the release and serializes it; none of them sees withheld
//! text.

pub mod pdf;
