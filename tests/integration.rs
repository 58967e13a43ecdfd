//! Every integration test, in one test binary.
//!
//! Each file beside this one is a module of it (`cargo test --test integration release_cli`
//! runs one file's tests). One binary instead of one per file: each test binary links the
//! whole library and its dependencies, and forty of them took several gigabytes of disk and
//! most of the build's link time (the CI machine ran out of space building them).

mod common;
mod independent;
mod pdf_common;

/// The fuzz targets, so that every saved crash stays a regression test.
#[path = "../fuzz/targets.rs"]
mod fuzz_targets;

/// The planted-defect scorer of the modern documents (its `main` and report helpers are not
/// used here).
#[allow(dead_code)]
#[path = "../examples/planted.rs"]
mod planted;

mod audit_cli;
mod audit_fix;
mod audit_planted;
mod audit_rules;
mod bad_inputs;
mod cli_contract;
mod consistency_spill;
mod consistency_stash;
mod decisions;
mod exemptions;
mod fault_injection;
mod fuzz_regressions;
mod guard;
mod independent_backlog;
mod independent_leaks;
mod layers;
mod marking_cui;
mod marking_grammar;
mod modern_labels;
mod modern_parents;
mod output_plan;
mod parse_declassify;
mod parse_fixtures;
mod parse_header_layout;
mod parse_modern_layouts;
mod parse_ocr_memos;
mod parse_seed;
mod parse_structure;
mod parse_trailing_marks;
mod pdf_bad;
mod pdf_cmap;
mod pdf_images;
mod pdf_inplace;
mod pdf_input;
mod pdf_manifest;
mod pdf_overlap;
mod pdf_prior_redaction;
mod pdf_release;
mod pdf_verify_hidden;
mod pdf_width;
mod policy_cli;
mod preview_cli;
mod props;
mod props_guard;
mod release_cli;
mod review_http;
mod snapshots;
mod stream_cli;
mod verify_tamper;
