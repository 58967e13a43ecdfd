//! The layer rule: a module may use modules of its own layer or lower ones, never a higher
//! one. This test reads every `crate::…` path in src/**/*.rs (outside comments and test
//! code) and fails on any arrow back up, so that no import cycle between modules can come
//! back. ARCHITECTURE.md draws the same order.

use std::path::{Path, PathBuf};

/// The layers, lowest first. A module path belongs to the layer of the longest entry that
/// is a prefix of it. `render::html` (the one HTML escaper, a leaf with no imports) sits
/// low so that the exemption log's HTML emitter in `release` can use it while `render`
/// itself sits above the release model it renders.
///
/// `verify::reading` and `verify::pdf` (the independent reader of a release's bytes: text,
/// PDF content streams, metadata) import nothing of the crate, so they sit at the bottom:
/// the PDF reader and the in-place release's read-back use them, and the paragraph
/// parser stays out of them. `pdf` reads a PDF input into the parser's lines and sits with
/// `parse`, which hands it PDFs; `pdf::release` (the in-place release) sits with the
/// release model it applies. `review` (the review app's server) is an edge, like `cli`.
const LAYERS: &[&[&str]] = &[
    &[
        "diagnostic",
        "guard",
        "render::html",
        "verify::reading",
        "verify::pdf",
    ],
    &["marking"],
    &["document"],
    &["parse", "pdf"],
    &["policy"],
    &["release", "pdf::release", "decisions"],
    &["render"],
    &["audit", "preview", "report"],
    &["job", "stream", "output"],
    &["verify"],
    &["cli", "review"],
];

/// The layer of a module path (`release::log::html`), by its longest declared prefix.
fn layer(module: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, layer) in LAYERS.iter().enumerate() {
        for prefix in *layer {
            let matches = module == *prefix || module.starts_with(&format!("{prefix}::"));
            if matches && best.is_none_or(|(len, _)| prefix.len() > len) {
                best = Some((prefix.len(), i));
            }
        }
    }
    best.map(|(_, i)| i)
}

/// `src/release/log/html.rs` → `release::log::html`; `src/job/mod.rs` → `job`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `crate::a::b` paths a line names (as far as they go), comments excluded.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(after.len());
        out.push(after[..end].trim_end_matches(':').to_string());
        rest = &after[end..];
    }
    out
}

/// Every `(file:line, from module, to path)` that goes up a layer.
fn upward_imports(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let module = module_of(src, &file);
        // The binary's entry points and test-only code are not layered.
        if matches!(module.as_str(), "main" | "lib" | "testing") || module.ends_with("tests") {
            continue;
        }
        let Some(from) = layer(&module) else {
            found.push(format!(
                "{}: module {module} is in no layer",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            if line.trim() == "#[cfg(test)]" {
                break; // unit tests sit at the bottom of the file
            }
            for path in crate_paths(line) {
                match layer(&path) {
                    Some(to) if to > from => found.push(format!(
                        "{}:{}: {module} (layer {from}) uses crate::{path} (layer {to})",
                        file.display(),
                        n + 1
                    )),
                    Some(_) => {}
                    None => found.push(format!(
                        "{}:{}: crate::{path} is in no layer",
                        file.display(),
                        n + 1
                    )),
                }
            }
        }
    }
    found
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = upward_imports(&src);
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
}

#[test]
fn the_layer_order_is_read_by_longest_prefix() {
    assert_eq!(layer("render::html"), Some(0));
    assert_eq!(layer("render::pdf::layout"), Some(6));
    assert_eq!(layer("release::log::html"), Some(5));
    assert_eq!(layer("job"), Some(8));
    assert_eq!(layer("nowhere"), None);
    assert_eq!(
        crate_paths("use crate::release::{Block, Span}; // crate::cli"),
        ["release"]
    );
    assert_eq!(
        crate_paths("    let x = crate::parse::fields::read(crate::document::Date);"),
        ["parse::fields::read", "document::Date"]
    );
}

/// The header scanner and the body segmenter share their line predicates through
/// `parse::lines`; neither may name the other (issue 15), so that the two stages of the
/// parser stay independent and no cycle between them comes back.
#[test]
fn header_and_body_do_not_import_each_other() {
    let parse = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/parse");
    let mut found = Vec::new();
    for (dir, other) in [("header", "body"), ("body", "header")] {
        let mut files = Vec::new();
        rust_files(&parse.join(dir), &mut files);
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read source");
            for (n, line) in text.lines().enumerate() {
                if line.trim() == "#[cfg(test)]" {
                    break;
                }
                let code = line.split("//").next().unwrap_or("");
                if names_module(code, other) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "header and body import each other:\n{}",
        found.join("\n")
    );
}

/// Does a line of code name the sibling module `other`: a path through it (`body::x`,
/// `super::body::x`) or an import of it (`use super::{body, fields};`)?
fn names_module(code: &str, other: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = code;
    while let Some(at) = rest.find(other) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + other.len()..];
        let whole = !before.is_some_and(is_ident) && !after.starts_with(is_ident);
        let path = after.trim_start().starts_with("::");
        let imported = code.trim_start().starts_with("use ") && before.is_none_or(|c| c != '.');
        if whole && (path || imported) {
            return true;
        }
        rest = after;
    }
    false
}

#[test]
fn a_sibling_module_is_found_by_path_or_import() {
    assert!(names_module("use super::{body, fields};", "body"));
    assert!(names_module("        if body::is_rule(line) {", "body"));
    assert!(names_module(
        "let k = super::header::field_kind(l);",
        "header"
    ));
    assert!(!names_module("let body_start = s.fields(i);", "body"));
    assert!(!names_module(
        "use super::lines::{is_body_start, numbered_start};",
        "body"
    ));
}
