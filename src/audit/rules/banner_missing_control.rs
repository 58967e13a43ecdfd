//! DCL084 banner-missing-control: a banner line lacks a control a portion it frames
//! carries.
//!
//! Why: SCI, SAP and atomic energy controls and the dissemination controls (NOFORN,
//! ORCON, PROPIN, IMCON, RELIDO, FISA, DSEN, RSEN) of every portion must appear in the
//! banner of its page and of the document, or the page travels with fewer restrictions
//! than its content. A REL TO banner over a NOFORN portion is the NOFORN/REL conflict
//! and reported here too; the REL TO list itself is DCL014's. Banners whose controls
//! could not be read are not judged. SCI systems are compared by system (`SI` covers
//! `SI-G`; `COMINT` is `SI`).
//!
//! Example:
//! ```text
//! SECRET            <- DCL084: NOFORN
//! (S//NF) Text.
//! ```

use super::{is_noforn, satisfies, system};
use crate::audit::{AuditContext, Facts, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::marking::{ControlKind, Marking};
use std::collections::BTreeSet;

pub struct BannerMissingControl;

/// What `mark` requires of a banner that `banner` does not give, by name.
fn missing(mark: &Marking, banner: &Marking, out: &mut BTreeSet<String>) {
    let systems: BTreeSet<String> = banner.controls.iter().filter_map(system).collect();
    for c in &mark.controls {
        if let Some(s) = system(c) {
            if !systems.contains(&s) {
                out.insert(s);
            }
            continue;
        }
        use ControlKind as K;
        let kind = c.kind();
        let needed = matches!(
            kind,
            K::Orcon
                | K::OrconUsgov
                | K::Propin
                | K::Imcon
                | K::Relido
                | K::Fisa
                | K::Dsen
                | K::Rsen
        );
        if needed && !satisfies(banner, kind) {
            out.insert(c.banner_form());
        }
    }
    if is_noforn(mark) && mark.level.is_classified() && !is_noforn(banner) {
        out.insert("NOFORN".to_string());
    }
}

impl Rule for BannerMissingControl {
    fn code(&self) -> Code {
        Code::BannerMissingControl
    }

    fn check(
        &self,
        _doc: &Document,
        facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let view = &facts.view;
        for (i, banner) in view.banners.iter().enumerate() {
            if !banner.read || !banner.marking.level.is_classified() {
                continue;
            }
            let mut lacking = BTreeSet::new();
            let mut first = None;
            for (p, mark) in view.framed_by(i) {
                let before = lacking.len();
                missing(mark, &banner.marking, &mut lacking);
                if lacking.len() > before && first.is_none() {
                    first = Some((p.line, super::shown(mark)));
                }
            }
            let Some((line, shown)) = first else { continue };
            let names: Vec<String> = lacking.into_iter().collect();
            out.push(Diagnostic::new(
                self.code(),
                banner.line,
                banner.column,
                format!(
                    "banner {} lacks {} carried by {shown} at line {line}",
                    banner.marking.banner(),
                    names.join(", ")
                ),
            ));
        }
    }
}
