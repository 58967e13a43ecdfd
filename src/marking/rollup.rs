//! Roll-up: the banner a set of portions requires (CAPCO Register §D.2, 32 CFR 2001.21(b)).
//!
//! Used by the audit (is the banner below the highest portion? is a control missing?) and by
//! the release gate (does everything released stay under the policy's target?).

use super::{Control, ControlKind, Level, Marking, country};
use std::collections::BTreeSet;

/// The banner marking that `portions` require. `unmarked` says whether any portion of the
/// document carries no mark at all (which turns REL TO into NOFORN).
pub fn rollup<'a>(portions: impl IntoIterator<Item = &'a Marking>, unmarked: bool) -> Marking {
    let portions: Vec<&Marking> = portions.into_iter().collect();
    let level = portions.iter().map(|m| m.level).max().unwrap_or(Level::U);
    let mut out = Marking::new(level);
    let classified = level.is_classified();
    let any = |kind: ControlKind| portions.iter().any(|m| m.has(kind));

    for m in &portions {
        for c in &m.controls {
            match c {
                Control::Sci(_) | Control::Sap(_) | Control::Aea(_) => {
                    out.controls.insert(c.clone());
                }
                Control::Orcon | Control::Propin | Control::Imcon | Control::Rsen => {
                    out.controls.insert(c.clone());
                }
                Control::Dsen | Control::Fisa | Control::Les | Control::Cui => {
                    out.controls.insert(c.clone());
                }
                _ => {}
            }
        }
        out.unknown.extend(m.unknown.iter().cloned());
    }
    if any(ControlKind::Orcon) {
        out.controls.remove(&Control::OrconUsgov);
    } else if any(ControlKind::OrconUsgov) {
        out.controls.insert(Control::OrconUsgov);
    }

    // FGI: union of open sources; a concealed source anywhere conceals them all.
    let fgi: Vec<&Vec<String>> = portions
        .iter()
        .flat_map(|m| m.controls.iter())
        .filter_map(|c| match c {
            Control::Fgi(list) => Some(list),
            _ => None,
        })
        .collect();
    if !fgi.is_empty() {
        let mut list: Vec<String> = if fgi.iter().any(|l| l.is_empty()) {
            Vec::new()
        } else {
            fgi.iter().flat_map(|l| l.iter().cloned()).collect()
        };
        country::sort_list(&mut list);
        out.controls.insert(Control::Fgi(list));
    }

    let mut noforn = any(ControlKind::Noforn)
        || any(ControlKind::SbuNf) && classified
        || any(ControlKind::LesNf)
        || any(ControlKind::Exdis)
        || any(ControlKind::Nodis);
    if any(ControlKind::Nodis) {
        out.controls.insert(Control::Nodis);
    } else if any(ControlKind::Exdis) {
        out.controls.insert(Control::Exdis);
    }
    if any(ControlKind::LesNf) {
        if classified {
            out.controls.insert(Control::Les);
        } else {
            out.controls.remove(&Control::Les);
            out.controls.insert(Control::LesNf);
            noforn = false;
        }
    }

    // REL TO: only when every portion carries one; the intersection, USA always kept.
    if !noforn && !portions.is_empty() && portions.iter().all(|m| m.has(ControlKind::RelTo)) {
        if unmarked || any(ControlKind::Relido) {
            noforn = true;
        } else {
            let sets: Vec<BTreeSet<String>> = portions
                .iter()
                .filter_map(|m| m.rel_to())
                .map(expand_list)
                .collect();
            let mut common = sets[0].clone();
            for s in &sets[1..] {
                common = common.intersection(s).cloned().collect();
            }
            common.remove("USA");
            if common.is_empty() && sets.iter().any(|s| s.len() > 1) {
                noforn = true;
            } else {
                let mut list: Vec<String> = common.into_iter().collect();
                if !list.is_empty() {
                    list.push("USA".into());
                }
                country::sort_list(&mut list);
                out.controls.insert(Control::RelTo(list));
            }
        }
    } else if any(ControlKind::RelTo) && !noforn {
        // Some portions REL TO and others not: the document as a whole is NOFORN.
        noforn = true;
    }
    if !noforn && !portions.is_empty() && portions.iter().all(|m| m.has(ControlKind::Relido)) {
        out.controls.insert(Control::Relido);
    }

    if classified {
        if noforn {
            out.controls.insert(Control::Noforn);
        }
    } else {
        // Controls on U survive only in an unclassified banner.
        if any(ControlKind::SbuNf) {
            out.controls.insert(Control::SbuNf);
        } else if any(ControlKind::Sbu) {
            out.controls.insert(Control::Sbu);
        }
        if any(ControlKind::Limdis) {
            out.controls.insert(Control::Limdis);
        }
        if any(ControlKind::Lou) {
            out.controls.insert(Control::Lou);
        }
        if any(ControlKind::Ssi) {
            out.controls.insert(Control::Ssi);
        }
        let sbu_like = any(ControlKind::Sbu) || any(ControlKind::SbuNf) || any(ControlKind::Limdis);
        if any(ControlKind::Fouo) && !sbu_like {
            out.controls.insert(Control::Fouo);
        }
        if noforn && !any(ControlKind::SbuNf) && !any(ControlKind::LesNf) {
            out.controls.insert(Control::Noforn);
        }
    }
    out
}

/// A REL TO list with its tetragraphs (FVEY, ACGU, TEYE) expanded into countries.
pub fn expand_list(list: &[String]) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for code in list {
        match country::expand(code) {
            Some(members) => set.extend(members.iter().map(|m| m.to_string())),
            None => {
                set.insert(code.clone());
            }
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::portion::{Place, parse};

    fn roll(marks: &[&str]) -> String {
        let parsed: Vec<Marking> = marks
            .iter()
            .map(|m| parse(m, Place::AfterNumber).unwrap())
            .collect();
        rollup(parsed.iter(), false).canonical()
    }

    #[test]
    fn highest_level_wins() {
        assert_eq!(roll(&["(C)", "(SBU)", "(SBU)", "(C)"]), "C");
        assert_eq!(roll(&["(U)", "(S)", "(C)"]), "S");
        assert_eq!(roll(&[]), "U");
    }

    #[test]
    fn noforn_rolls_up_and_sbu_drops_from_classified() {
        assert_eq!(roll(&["(C)", "(S/NF)"]), "S//NF");
        assert_eq!(roll(&["(C)", "(SBU/NF)"]), "C//NF");
        assert_eq!(roll(&["(U)", "(SBU)"]), "U//SBU");
        assert_eq!(roll(&["(SBU)", "(SBU/NF)"]), "U//SBU-NF");
    }

    #[test]
    fn rel_to_intersection() {
        assert_eq!(
            roll(&["(S//REL TO USA, GBR, AUS)", "(S//REL TO USA, GBR)"]),
            "S//REL TO USA, GBR"
        );
        assert_eq!(
            roll(&["(S//REL TO USA, FVEY)", "(C//REL TO USA, GBR)"]),
            "S//REL TO USA, GBR"
        );
        assert_eq!(roll(&["(S//REL TO USA, GBR)", "(C)"]), "S//NF");
        assert_eq!(
            roll(&["(S//REL TO USA, GBR)", "(C//REL TO USA, FRA)"]),
            "S//NF"
        );
    }

    #[test]
    fn exdis_brings_noforn() {
        assert_eq!(roll(&["(S//XD)", "(C)"]), "S//NF//XD");
        assert_eq!(roll(&["(S//XD)", "(C//ND)"]), "S//NF//ND");
    }

    #[test]
    fn fouo_only_in_unclassified_without_sbu() {
        assert_eq!(roll(&["(U//FOUO)", "(U)"]), "U//FOUO");
        assert_eq!(roll(&["(U//FOUO)", "(C)"]), "C");
        assert_eq!(roll(&["(U//FOUO)", "(SBU)"]), "U//SBU");
    }

    #[test]
    fn les_survives_classification() {
        assert_eq!(roll(&["(U//LES)", "(S//NF)"]), "S//NF//LES");
    }
}
