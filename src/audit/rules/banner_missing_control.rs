//! DCL084 banner-missing-control: a banner line lacks a control a portion it frames
//! carries.
//!
//! Why: SCI, SAP and atomic energy controls and the dissemination controls (NOFORN,
//! ORCON, PROPIN, IMCON, RELIDO, FISA, DSEN, RSEN) of every portion must appear in the
//! banner of its page and of the document, or the page travels with fewer restrictions
//! than its content. A REL TO banner over a NOFORN portion is the NOFORN/REL conflict
//! and reported here too; the REL TO list itself is DCL014's. Banners whose controls
//! could not be read are not judged, and a control is not asked of a banner one of whose
//! parts OCR damaged when that part may be it (`TOP SECRET//SI//?NORORN` holds NOFORN). SCI systems are compared by system (`SI` covers
//! `SI-G`; `COMINT` is `SI`).
//!
//! Example:
//! ```text
//! SECRET            <- DCL084: NOFORN
//! (S//NF) Text.
//! ```

use super::{Findings, Rule, Scope, is_noforn, satisfies, system};
use crate::diagnostic::Code;
use crate::marking::{ControlKind, Marking};
use std::collections::BTreeSet;

/// May one of the banner's unread parts be the control `name`, damaged by OCR? It may when
/// the part holds at least two thirds of the name's letters, in order (`NORORN` holds five
/// of `NOFORN`'s six, `COMINTIREL` all of `COMINT`, the older name of `SI`). A short name
/// needs all its letters: `SL7` is not taken for `SI`.
fn unread_may_be(name: &str, unknown: &[String]) -> bool {
    let names: &[&str] = match name {
        "SI" => &["SI", "COMINT"],
        "TK" => &["TK", "TALENTKEYHOLE"],
        other => &[other],
    };
    unknown.iter().any(|part| {
        let part: Vec<u8> = part
            .bytes()
            .filter(u8::is_ascii_alphabetic)
            .map(|b| b.to_ascii_uppercase())
            .collect();
        names.iter().any(|n| {
            let n: Vec<u8> = n.bytes().filter(u8::is_ascii_alphabetic).collect();
            common_in_order(&n, &part) * 3 >= n.len() * 2 && common_in_order(&n, &part) >= 2
        })
    })
}

/// The length of the longest common subsequence of `a` and `b` (both a few bytes long).
fn common_in_order(a: &[u8], b: &[u8]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

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

pub const RULE: Rule = Rule {
    code: Code::BannerMissingControl,
    check,
};

fn check(Scope { facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let view = &facts.view;
    for (i, banner) in view.banners.iter().enumerate() {
        if !banner.read || !banner.marking.level.is_classified() {
            continue;
        }
        // A part of the banner that OCR damaged (`?NORORN`) may be the control asked for.
        let unread = &banner.marking.unknown;
        let mut lacking = BTreeSet::new();
        let mut first = None;
        for (p, mark) in view.framed_by(i) {
            let mut own = BTreeSet::new();
            missing(mark, &banner.marking, &mut own);
            own.retain(|name| !unread_may_be(name, unread));
            if !own.is_empty() && first.is_none() {
                first = Some((p.line, super::shown(mark)));
            }
            lacking.append(&mut own);
        }
        let Some((line, shown)) = first else { continue };
        let names: Vec<String> = lacking.into_iter().collect();
        out.add(
            banner.line,
            banner.column,
            format!(
                "banner {} lacks {} carried by {shown} at line {line}",
                banner.marking.banner(),
                names.join(", ")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{common_in_order, unread_may_be};

    #[test]
    fn a_damaged_banner_part_may_be_the_control_it_resembles() {
        assert_eq!(common_in_order(b"NOFORN", b"NORORN"), 5);
        let unread = |s: &str| vec![s.to_string()];
        assert!(unread_may_be("NOFORN", &unread("?NORORN")));
        assert!(unread_may_be("NOFORN", &unread("?NOFOR-N-")));
        assert!(unread_may_be("SI", &unread("?COMINTIREL TO USA")));
        assert!(!unread_may_be("SI", &unread("?SL7NOEORN")));
        assert!(!unread_may_be("ORCON", &unread("?20291123")));
        assert!(!unread_may_be("NOFORN", &[]));
    }
}
