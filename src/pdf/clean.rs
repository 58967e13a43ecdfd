//! Cleaning a redacted PDF and writing it fresh.
//!
//! Place in the pipeline: after [`super::redact`] has edited the pages, [`write`] removes
//! every place text can hide that a reader does not see on the page — the Info dictionary,
//! XMP metadata, outlines, annotations, form fields, attachments, JavaScript and actions,
//! thumbnails, optional-content configuration, page-piece data, structure trees — keeps
//! only the page tree and what the pages draw, drops fonts no content names, and writes the
//! file whole (no incremental update). The same input gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::PdfError;

/// Keys a page may keep: what it needs to be drawn.
const PAGE_KEYS: &[&[u8]] = &[
    b"Type",
    b"Parent",
    b"Resources",
    b"MediaBox",
    b"CropBox",
    b"BleedBox",
    b"TrimBox",
    b"ArtBox",
    b"Rotate",
    b"Contents",
    b"UserUnit",
    b"Group",
];

/// Keys a page-tree node may keep.
const NODE_KEYS: &[&[u8]] = &[
    b"Type",
    b"Parent",
    b"Kids",
    b"Count",
    b"Resources",
    b"MediaBox",
    b"CropBox",
    b"Rotate",
];

/// Keys removed from every other dictionary: where metadata and hidden payloads hang.
const DROP_EVERYWHERE: &[&[u8]] = &[b"Metadata", b"PieceInfo", b"OC", b"StructParent", b"AA"];

/// The fonts each page's content selects, by page, for the pages whose content the
/// redaction wrote: [`fonts_used`] of the operations it encoded. A page not in the map is
/// decoded again to find them.
pub type FontsUsed = BTreeMap<ObjectId, Option<BTreeSet<Vec<u8>>>>;

/// The font names a page's operations select with `Tf`; `None` when they draw a form
/// (`Do`), which may select a font through the page's resources, so none is dropped.
pub fn fonts_used(ops: &[Operation]) -> Option<BTreeSet<Vec<u8>>> {
    let mut used = BTreeSet::new();
    for op in ops {
        match op.operator.as_str() {
            "Tf" => {
                if let Some(Object::Name(n)) = op.operands.first() {
                    used.insert(n.clone());
                }
            }
            "Do" => return None,
            _ => {}
        }
    }
    Some(used)
}

/// Cleans `doc` and writes it. `fonts` gives the fonts the pages the redaction wrote
/// select (their content is not decoded again to find them).
pub fn write(mut doc: Document, fonts: &FontsUsed) -> Result<Vec<u8>, PdfError> {
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| PdfError::Damaged("the PDF has no catalog".into()))?;
    let pages_root = doc
        .get_dictionary(root)
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|_| PdfError::Damaged("the catalog has no page tree".into()))?;
    let catalog = Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_root)),
    ]);
    doc.objects.insert(root, Object::Dictionary(catalog));
    let mut trailer = Dictionary::new();
    trailer.set("Root", root);
    doc.trailer = trailer;

    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let page_set: BTreeSet<ObjectId> = pages.iter().copied().collect();
    let mut nodes = BTreeSet::new();
    for &p in &pages {
        let mut at = p;
        while let Ok(parent) = doc
            .get_dictionary(at)
            .and_then(|d| d.get(b"Parent"))
            .and_then(Object::as_reference)
        {
            if !nodes.insert(parent) {
                break;
            }
            at = parent;
        }
    }
    for (id, object) in doc.objects.iter_mut() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        if page_set.contains(id) {
            keep_only(dict, PAGE_KEYS);
        } else if nodes.contains(id) {
            keep_only(dict, NODE_KEYS);
        } else {
            for key in DROP_EVERYWHERE {
                dict.remove(key);
            }
        }
    }
    for &p in &pages {
        let decoded;
        let used = match fonts.get(&p) {
            Some(known) => known.as_ref(),
            None => {
                let content = doc.get_page_content(p);
                decoded = Content::decode(&content)
                    .ok()
                    .and_then(|ops| fonts_used(&ops.operations));
                decoded.as_ref()
            }
        };
        if let Some(used) = used {
            drop_unused_fonts(&mut doc, p, used);
        }
    }
    doc.prune_objects();
    doc.renumber_objects();
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| PdfError::Damaged(format!("the output cannot be written ({e})")))?;
    Ok(out)
}

fn keep_only(dict: &mut Dictionary, keys: &[&[u8]]) {
    let drop: Vec<Vec<u8>> = dict
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| !keys.contains(&k.as_slice()))
        .collect();
    for k in drop {
        dict.remove(&k);
    }
}

/// Removes from a page's own font dictionary the fonts its content never selects (`used`:
/// only pages that draw no forms are pruned, see [`fonts_used`]).
fn drop_unused_fonts(doc: &mut Document, page: ObjectId, used: &BTreeSet<Vec<u8>>) {
    let Ok(page_dict) = doc.get_dictionary_mut(page) else {
        return;
    };
    let Ok(Object::Dictionary(resources)) = page_dict.get_mut(b"Resources") else {
        return;
    };
    let Ok(Object::Dictionary(fonts)) = resources.get_mut(b"Font") else {
        return;
    };
    let unused: Vec<Vec<u8>> = fonts
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| !used.contains(k))
        .collect();
    for k in unused {
        fonts.remove(&k);
    }
}
