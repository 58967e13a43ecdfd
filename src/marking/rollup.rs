//! Roll-up: the banner a set of portions requires (CAPCO Register §D.2, 32 CFR 2001.21(b),
//! 32 CFR 2002.20(b), DoDM 5200.48 for CUI in classified documents).
//!
//! Used by the audit (is the banner below the highest portion? is a control missing?) and by
//! the release gate (does everything released stay under the policy's target?). How each
//! control reaches the banner is its row's [`Rollup`] rule in the control table; this module
//! applies the rules and keeps a record of what a rule left out of the banner, so a caller
//! can report it instead of it vanishing (a `(CUI)` portion in a SECRET memo is marked
//! correctly, yet the banner says nothing of it).

use super::controls::Rollup;
use super::{Control, ControlKind, Level, Marking, country};
use std::collections::BTreeSet;

/// A roll-up with what it left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rolled {
    /// The banner marking the portions require.
    pub marking: Marking,
    /// Controls some portion carries that the banner does not state by rule: the
    /// unclassified-only ones (CUI and its categories, FOUO, SBU…) under a classified
    /// level, and REL TO, RELIDO or DISPLAY ONLY that NOFORN or a portion without them
    /// overrides. Controls another one stands for (EXDIS under NODIS) are not listed.
    pub dropped: BTreeSet<ControlKind>,
}

/// The banner marking that `portions` require. `unmarked` says whether any portion of the
/// document carries no mark at all (which turns REL TO into NOFORN).
pub fn rollup<'a>(portions: impl IntoIterator<Item = &'a Marking>, unmarked: bool) -> Marking {
    roll_up(portions, unmarked, Level::U).marking
}

/// The roll-up of `portions` at a level of at least `floor`: a banner classified above its
/// portions (a SECRET cover on U paragraphs) takes the controls a classified banner takes.
/// Rolling up a rolled marking again at a higher floor is how the audit asks what a given
/// banner must carry. The result does not depend on the order of `portions`, and its level
/// is never below any portion's.
pub fn roll_up<'a>(
    portions: impl IntoIterator<Item = &'a Marking>,
    unmarked: bool,
    floor: Level,
) -> Rolled {
    let portions: Vec<&Marking> = portions.into_iter().collect();
    let level = portions
        .iter()
        .map(|m| m.level)
        .max()
        .unwrap_or(Level::U)
        .max(floor);
    let classified = level.is_classified();
    let mut out = Marking::new(level);
    let mut dropped = BTreeSet::new();
    let mut noforn = false;

    for m in &portions {
        for c in &m.controls {
            let kind = c.kind();
            match c.def().rollup {
                Rollup::Union => {
                    out.controls.insert(c.clone());
                }
                Rollup::UnclassifiedOnly if classified => {
                    dropped.insert(kind);
                }
                Rollup::UnclassifiedOnly => {
                    out.controls.insert(c.clone());
                }
                Rollup::Noforn => {
                    noforn = true;
                    // EXDIS and NODIS stand in the banner beside the NOFORN they bring.
                    if kind != ControlKind::Noforn {
                        out.controls.insert(c.clone());
                    }
                }
                // Need every portion: decided below, once all are seen.
                Rollup::Every => {}
                Rollup::Own => noforn |= own(c, classified, &mut out, &mut dropped),
            }
        }
        out.unknown.extend(m.unknown.iter().cloned());
    }
    // Sorted so the banner's unknown tokens do not depend on the portions' order.
    out.unknown.sort();
    out.unknown.dedup();
    fgi(&portions, &mut out);
    noforn |= every(&portions, unmarked, noforn, &mut out, &mut dropped);
    subsume(&mut out.controls);

    // NOFORN beats every release marking.
    if noforn {
        for kind in [
            ControlKind::RelTo,
            ControlKind::Relido,
            ControlKind::DisplayOnly,
        ] {
            if portions.iter().any(|m| m.has(kind)) {
                dropped.insert(kind);
            }
        }
        // SBU NOFORN and LES NOFORN already say it on an unclassified banner.
        let said = !classified && (out.has(ControlKind::SbuNf) || out.has(ControlKind::LesNf));
        if !said {
            out.controls.insert(Control::Noforn);
        }
    }
    Rolled {
        marking: out,
        dropped,
    }
}

/// The controls with rules of their own ([`Rollup::Own`]) except FGI, which needs every
/// portion's list at once. Returns whether the control makes the whole NOFORN.
fn own(
    c: &Control,
    classified: bool,
    out: &mut Marking,
    dropped: &mut BTreeSet<ControlKind>,
) -> bool {
    match c {
        // Absorbed by ORCON if any portion carries it ([`subsume`]).
        Control::OrconUsgov => {
            out.controls.insert(Control::OrconUsgov);
            false
        }
        // SBU NOFORN is a control on U: under a classified level only its NOFORN stays.
        Control::SbuNf if classified => {
            dropped.insert(ControlKind::SbuNf);
            true
        }
        // LES NOFORN keeps LES under any level; on U it is one marking.
        Control::LesNf if classified => {
            out.controls.insert(Control::Les);
            true
        }
        Control::SbuNf | Control::LesNf => {
            out.controls.insert(c.clone());
            false
        }
        _ => false,
    }
}

/// FGI: the union of the open source lists; a concealed source anywhere conceals them all.
fn fgi(portions: &[&Marking], out: &mut Marking) {
    let lists: Vec<&Vec<String>> = portions
        .iter()
        .flat_map(|m| m.controls.iter())
        .filter_map(|c| match c {
            Control::Fgi(list) => Some(list),
            _ => None,
        })
        .collect();
    if lists.is_empty() {
        return;
    }
    let mut list: Vec<String> = if lists.iter().any(|l| l.is_empty()) {
        Vec::new()
    } else {
        lists.iter().flat_map(|l| l.iter().cloned()).collect()
    };
    country::sort_list(&mut list);
    out.controls.insert(Control::Fgi(list));
}

/// The controls a banner carries only when every portion carries them ([`Rollup::Every`]):
/// REL TO (the intersection of the lists, USA always kept), DISPLAY ONLY (the same) and
/// RELIDO. REL TO or DISPLAY ONLY on some portions only, or beside an unmarked portion,
/// makes the whole NOFORN; RELIDO on some portions only is simply not in the banner.
/// Returns whether the whole becomes NOFORN.
fn every(
    portions: &[&Marking],
    unmarked: bool,
    noforn: bool,
    out: &mut Marking,
    dropped: &mut BTreeSet<ControlKind>,
) -> bool {
    if noforn || portions.is_empty() {
        return false;
    }
    let all = |kind: ControlKind| portions.iter().all(|m| m.has(kind));
    let any = |kind: ControlKind| portions.iter().any(|m| m.has(kind));
    let mut becomes_noforn = false;
    if all(ControlKind::RelTo) {
        // RELIDO beside REL TO leaves the release to an officer, which a banner cannot
        // promise for the whole: held as NOFORN, as before the table drove the roll-up.
        if unmarked || any(ControlKind::Relido) {
            becomes_noforn = true;
        } else {
            match intersect(portions, ControlKind::RelTo) {
                Some(list) => {
                    out.controls.insert(Control::RelTo(list));
                }
                None => becomes_noforn = true,
            }
        }
    } else if any(ControlKind::RelTo) {
        becomes_noforn = true;
    }
    if all(ControlKind::DisplayOnly) && !unmarked {
        match intersect(portions, ControlKind::DisplayOnly) {
            Some(list) if !becomes_noforn => {
                out.controls.insert(Control::DisplayOnly(list));
            }
            Some(_) => {}
            None => becomes_noforn = true,
        }
    } else if any(ControlKind::DisplayOnly) {
        becomes_noforn = true;
    }
    if all(ControlKind::Relido) && !becomes_noforn {
        out.controls.insert(Control::Relido);
    } else if any(ControlKind::Relido) {
        dropped.insert(ControlKind::Relido);
    }
    becomes_noforn
}

/// The countries every portion's `kind` list (REL TO or DISPLAY ONLY) shares, tetragraphs
/// expanded to compare and put back where all their members remain. `None` when the lists
/// share no country but the USA although some name one (nothing is releasable to all).
fn intersect(portions: &[&Marking], kind: ControlKind) -> Option<Vec<String>> {
    let lists: Vec<&[String]> = portions
        .iter()
        .flat_map(|m| m.controls.iter())
        .filter_map(|c| match c {
            Control::RelTo(l) if kind == ControlKind::RelTo => Some(l.as_slice()),
            Control::DisplayOnly(l) if kind == ControlKind::DisplayOnly => Some(l.as_slice()),
            _ => None,
        })
        .collect();
    let mut common = expand_list(lists[0]);
    for list in &lists[1..] {
        common = common.intersection(&expand_list(list)).cloned().collect();
    }
    common.remove("USA");
    if common.is_empty() {
        if lists.iter().any(|l| l.iter().any(|c| c != "USA")) {
            return None;
        }
        // Bare `REL` everywhere: the list is the banner's to give.
        return Some(Vec::new());
    }
    // `REL TO USA, FVEY` on every portion rolls up to `REL TO USA, FVEY`, not to its
    // members spelled out.
    let named: BTreeSet<&str> = lists
        .iter()
        .flat_map(|l| l.iter())
        .map(String::as_str)
        .collect();
    for code in named {
        if let Some(members) = country::expand(code)
            && members.iter().all(|m| *m == "USA" || common.contains(*m))
        {
            for m in members {
                common.remove(*m);
            }
            common.insert(code.to_string());
        }
    }
    let mut list: Vec<String> = common.into_iter().collect();
    if kind == ControlKind::RelTo {
        list.push("USA".into());
    }
    country::sort_list(&mut list);
    Some(list)
}

/// One control standing for another in the same banner: NODIS for EXDIS, ORCON for
/// ORCON-USGOV, SBU NOFORN for SBU, LES NOFORN for LES, and on an unclassified banner SBU,
/// SBU NOFORN or LIMDIS for FOUO (State's controls cover FOUO's handling).
fn subsume(controls: &mut BTreeSet<Control>) {
    for (stronger, weaker) in [
        (&[Control::Nodis][..], Control::Exdis),
        (&[Control::Orcon][..], Control::OrconUsgov),
        (&[Control::SbuNf][..], Control::Sbu),
        (&[Control::LesNf][..], Control::Les),
        (
            &[Control::Sbu, Control::SbuNf, Control::Limdis][..],
            Control::Fouo,
        ),
    ] {
        if stronger.iter().any(|s| controls.contains(s)) {
            controls.remove(&weaker);
        }
    }
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
    use proptest::prelude::*;

    fn marks(raw: &[&str]) -> Vec<Marking> {
        raw.iter()
            .map(|m| parse(m, Place::AfterNumber).unwrap())
            .collect()
    }

    fn roll(raw: &[&str]) -> String {
        rollup(marks(raw).iter(), false).canonical()
    }

    fn dropped(raw: &[&str]) -> Vec<ControlKind> {
        roll_up(marks(raw).iter(), false, Level::U)
            .dropped
            .into_iter()
            .collect()
    }

    #[test]
    fn highest_level_wins() {
        assert_eq!(roll(&["(C)", "(SBU)", "(SBU)", "(C)"]), "C");
        assert_eq!(roll(&["(U)", "(S)", "(C)"]), "S");
        assert_eq!(roll(&[]), "U");
    }

    #[test]
    fn union_rule_keeps_sci_sap_aea_and_dissem_under_any_level() {
        assert_eq!(
            roll(&["(TS//SI-G ABCD//NF)", "(S//TK//NF)", "(C//OC)"]),
            "TS//SI-G ABCD/TK//OC/NF"
        );
        assert_eq!(roll(&["(S//RD)", "(TS//SAR-BP//NF)"]), "TS//SAR-BP//RD//NF");
        assert_eq!(roll(&["(U//LES)", "(S//NF)"]), "S//NF//LES");
        assert_eq!(roll(&["(S//OC-USGOV)", "(C)"]), "S//OC-USGOV");
        assert_eq!(roll(&["(S//OC-USGOV)", "(S//OC)"]), "S//OC");
    }

    #[test]
    fn unclassified_only_rule_holds_on_u_and_drops_above() {
        assert_eq!(roll(&["(U)", "(SBU)"]), "U//SBU");
        assert_eq!(roll(&["(U//FOUO)", "(U)"]), "U//FOUO");
        assert_eq!(roll(&["(U//FOUO)", "(C)"]), "C");
        assert_eq!(dropped(&["(U//FOUO)", "(C)"]), [ControlKind::Fouo]);
        assert_eq!(roll(&["(U//FOUO)", "(SBU)"]), "U//SBU");
        assert_eq!(roll(&["(C)", "(SBU)"]), "C");
    }

    #[test]
    fn cui_rolls_up_on_u_and_is_reported_not_carried_under_classified() {
        assert_eq!(roll(&["(CUI)", "(U)"]), "CUI");
        assert_eq!(
            roll(&["(CUI//SP-PRVCY)", "(CUI//NF)", "(U)"]),
            "CUI//SP-PRVCY//NF"
        );
        assert_eq!(roll(&["(CUI//FEDCON)", "(CUI)"]), "CUI//FEDCON");
        // DoDM 5200.48: a classified banner never carries CUI; the roll-up says it left
        // CUI out, and NOFORN on a CUI portion still reaches the banner.
        assert_eq!(roll(&["(CUI//SP-PRVCY)", "(S)"]), "S");
        assert_eq!(
            dropped(&["(CUI//SP-PRVCY)", "(S)"]),
            [ControlKind::Cui, ControlKind::CuiCategory]
        );
        assert_eq!(roll(&["(CUI//NF)", "(S)"]), "S//NF");
        assert_eq!(roll(&["(CUI//FEDCON)", "(C)"]), "C");
    }

    #[test]
    fn noforn_rule_and_controls_that_bring_it() {
        assert_eq!(roll(&["(C)", "(S/NF)"]), "S//NF");
        assert_eq!(roll(&["(S//XD)", "(C)"]), "S//NF//XD");
        assert_eq!(roll(&["(S//XD)", "(C//ND)"]), "S//NF//ND");
    }

    #[test]
    fn own_rules_sbu_and_les_noforn() {
        assert_eq!(roll(&["(C)", "(SBU/NF)"]), "C//NF");
        assert_eq!(dropped(&["(C)", "(SBU/NF)"]), [ControlKind::SbuNf]);
        assert_eq!(roll(&["(SBU)", "(SBU/NF)"]), "U//SBU-NF");
        assert_eq!(roll(&["(U//LES-NF)", "(U//LES)"]), "U//LES-NF");
        assert_eq!(roll(&["(U//LES-NF)", "(C)"]), "C//NF//LES");
        assert_eq!(roll(&["(U//NF)", "(U//LES-NF)"]), "U//LES-NF");
    }

    #[test]
    fn own_rule_fgi_unions_and_conceals() {
        assert_eq!(
            roll(&["(S//FGI GBR//NF)", "(C//FGI DEU)"]),
            "S//FGI DEU GBR//NF"
        );
        assert_eq!(roll(&["(S//FGI GBR)", "(C//FGI)"]), "S//FGI");
    }

    #[test]
    fn every_rule_rel_to_is_an_intersection() {
        assert_eq!(
            roll(&["(S//REL TO USA, GBR, AUS)", "(S//REL TO USA, GBR)"]),
            "S//REL TO USA, GBR"
        );
        assert_eq!(
            roll(&["(S//REL TO USA, FVEY)", "(C//REL TO USA, GBR)"]),
            "S//REL TO USA, GBR"
        );
        assert_eq!(
            roll(&["(TS//SI//REL TO USA, FVEY)", "(S//REL TO USA, FVEY)"]),
            "TS//SI//REL TO USA, FVEY"
        );
        assert_eq!(
            roll(&[
                "(S//REL TO USA, FVEY)",
                "(S//REL TO USA, AUS, CAN, GBR, NZL, JPN)"
            ]),
            "S//REL TO USA, FVEY"
        );
        assert_eq!(roll(&["(S//REL TO USA, GBR)", "(C)"]), "S//NF");
        assert_eq!(
            roll(&["(S//REL TO USA, GBR)", "(C//REL TO USA, FRA)"]),
            "S//NF"
        );
    }

    #[test]
    fn noforn_beats_rel_to_and_is_reported() {
        assert_eq!(roll(&["(S//REL TO USA, GBR)", "(C//NF)"]), "S//NF");
        assert_eq!(
            dropped(&["(S//REL TO USA, GBR)", "(C//NF)"]),
            [ControlKind::RelTo]
        );
        assert_eq!(
            rollup(marks(&["(S//REL TO USA, GBR)"]).iter(), true).canonical(),
            "S//NF"
        );
    }

    #[test]
    fn every_rule_relido_and_display_only() {
        assert_eq!(roll(&["(S//RELIDO)", "(C//RELIDO)"]), "S//RELIDO");
        assert_eq!(roll(&["(S//RELIDO)", "(C)"]), "S");
        assert_eq!(dropped(&["(S//RELIDO)", "(C)"]), [ControlKind::Relido]);
        assert_eq!(
            roll(&["(S//DISPLAY ONLY AFG, IRQ)", "(S//DISPLAY ONLY AFG)"]),
            "S//DISPLAY ONLY AFG"
        );
        assert_eq!(roll(&["(S//DISPLAY ONLY AFG)", "(C)"]), "S//NF");
    }

    #[test]
    fn floor_applies_the_classified_rules() {
        let rolled = rollup(marks(&["(U//FOUO)", "(SBU/NF)"]).iter(), false);
        assert_eq!(rolled.canonical(), "U//SBU-NF");
        let at_s = roll_up([&rolled], false, Level::S);
        assert_eq!(at_s.marking.canonical(), "S//NF");
        assert_eq!(
            at_s.dropped.into_iter().collect::<Vec<_>>(),
            [ControlKind::SbuNf]
        );
    }

    /// Marks the property test draws from: every rule of the table, unknown tokens and
    /// unreadable marks among them.
    const POOL: &[&str] = &[
        "(U)",
        "(C)",
        "(S)",
        "(TS)",
        "(U//FOUO)",
        "(SBU)",
        "(SBU-NF)",
        "(U//LES)",
        "(U//LES-NF)",
        "(CUI)",
        "(CUI//SP-PRVCY//NF)",
        "(CUI//FEDCON)",
        "(S//NF)",
        "(C//REL TO USA, GBR)",
        "(S//REL TO USA, FVEY)",
        "(TS//SI//REL TO USA, AUS, GBR)",
        "(S//RELIDO)",
        "(S//DISPLAY ONLY AFG)",
        "(S//XD)",
        "(C//ND)",
        "(TS//SI-G ABCD//OC/NF)",
        "(S//OC-USGOV)",
        "(S//FGI GBR)",
        "(C//FGI)",
        "(S//RD)",
        "(S/XYZZY)",
        "(N/SF)",
    ];

    proptest! {
        #[test]
        fn roll_up_is_order_free_and_never_lowers(
            (picks, shuffled) in prop::collection::vec(0..POOL.len(), 0..8)
                .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
            unmarked in any::<bool>(),
        ) {
            let read = |picks: &[usize]| -> Vec<Marking> {
                picks
                    .iter()
                    .map(|&k| parse(POOL[k], Place::AfterNumber).unwrap())
                    .collect()
            };
            let set = read(&picks);
            let shuffled = read(&shuffled);
            let a = roll_up(set.iter(), unmarked, Level::U);
            let b = roll_up(shuffled.iter(), unmarked, Level::U);
            prop_assert_eq!(&a, &b);
            for m in &set {
                prop_assert!(a.marking.level >= m.level, "{} below {}", a.marking, m);
                for t in &m.unknown {
                    prop_assert!(a.marking.unknown.contains(t));
                }
            }
            // Rolling the roll-up up again changes nothing.
            prop_assert_eq!(rollup([&a.marking], unmarked).canonical(), a.marking.canonical());
        }
    }
}
