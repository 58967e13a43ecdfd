//! The control table: every control marking declass knows, defined once.
//!
//! Each row gives a control's canonical portion and banner forms, the other spellings that
//! read as it (in marks, banners and policies), its family (which decides where it stands
//! in a marking and how the audit groups it) and its roll-up rule (how the banner of a set
//! of portions carries it). The portion and banner grammar, the policy's control names,
//! rendering and the roll-up all look controls up here instead of spelling them out again;
//! adding a control is adding a row (and a [`ControlKind`] variant).
//!
//! Sources: the ODNI CAPCO Register and Manual (public editions), 32 CFR 2001.21–24 for
//! classified markings, 32 CFR 2002.20 and the CUI Registry's Marking Handbook for CUI, and
//! State's 5 FAH-1 H-200 for the non-IC controls cables carry (see docs/markings-grammar.md).

use super::ControlKind;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// Where a control stands in a marking (`CLASS//SCI//SAP//AEA//FGI//DISSEM//NON-IC`, and
/// for CUI `CUI//CATEGORY//LDC`). The enum order is the order of the families in a marking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Sensitive compartmented information: control systems and their compartments.
    Sci,
    /// Special access programs (`SAR-…`).
    Sap,
    /// Atomic Energy Act information (RD, FRD, CNWDI, SIGMA, DOD/DOE UCNI, TFNI).
    Aea,
    /// Foreign government information.
    Fgi,
    /// IC dissemination controls (NOFORN, ORCON, REL TO…), legacy ones included.
    Dissem,
    /// Non-IC dissemination controls (State's LIMDIS/EXDIS/NODIS, SBU, LES, FOUO's kin).
    NonIc,
    /// The CUI control marking and its category markings (`CUI`, `SP-PRVCY`).
    Cui,
    /// CUI limited dissemination controls that are not IC controls too (FEDCON, NOCON,
    /// DL ONLY). NOFORN, REL TO and DISPLAY ONLY serve CUI as well, under their own rows.
    CuiLdc,
}

/// How a control reaches the banner that rolls up a set of portions (CAPCO Register §D.2,
/// 32 CFR 2001.21(b), 32 CFR 2002.20(b)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rollup {
    /// Any portion carrying it puts it in the banner, classified or not (SCI, ORCON, LES…).
    Union,
    /// Carried only when the whole is unclassified: a classified banner drops it, since the
    /// classification's own handling covers it (SBU, FOUO, LIMDIS, LOU, SSI), or since the
    /// rules say so (CUI, its categories and its own limited dissemination controls never
    /// stand in a classified banner: DoDM 5200.48). The roll-up reports
    /// what it dropped.
    UnclassifiedOnly,
    /// Carried only when every portion carries it: REL TO and DISPLAY ONLY as the
    /// intersection of their lists (otherwise the whole is NOFORN), RELIDO (otherwise it is
    /// left out). NOFORN anywhere beats all three.
    Every,
    /// Makes the whole NOFORN: NOFORN itself, and State's EXDIS and NODIS, which imply it.
    Noforn,
    /// Rules of its own, written out in the roll-up: FGI (source lists), ORCON-USGOV
    /// (absorbed by ORCON), SBU NOFORN and LES NOFORN (NOFORN on U only).
    Own,
}

/// One control.
#[derive(Debug)]
pub struct ControlDef {
    pub kind: ControlKind,
    /// Portion form, and the name a policy uses when it is also the banner form.
    pub portion: &'static str,
    /// Banner form; also the name a policy uses ([`ControlKind::name`]).
    pub banner: &'static str,
    /// Other spellings read as this control, upper case: older or agency forms, and the
    /// names policies may use. A mark using one reads as `legacy`.
    pub aliases: &'static [&'static str],
    pub family: Family,
    pub rollup: Rollup,
    /// Keeps what it marks from any foreign release (NOFORN and the controls that carry it).
    pub noforn: bool,
    /// Obsolete: still read in old documents, never written by `--fix`.
    pub obsolete: bool,
}

macro_rules! row {
    ($kind:ident, $portion:literal, $banner:literal, [$($alias:literal),*], $family:ident,
     $rollup:ident $(, $flag:ident)*) => {
        ControlDef {
            kind: ControlKind::$kind,
            portion: $portion,
            banner: $banner,
            aliases: &[$($alias),*],
            family: Family::$family,
            rollup: Rollup::$rollup,
            noforn: row!(@flag noforn $($flag)*),
            obsolete: row!(@flag obsolete $($flag)*),
        }
    };
    (@flag $want:ident) => { false };
    (@flag noforn noforn $($rest:ident)*) => { true };
    (@flag obsolete obsolete $($rest:ident)*) => { true };
    (@flag $want:ident $other:ident $($rest:ident)*) => { row!(@flag $want $($rest)*) };
}

/// Every control, in [`ControlKind`] order (a test holds the two together). Payload-bearing
/// controls (SCI, SAP, AEA, FGI, REL TO, EYES, DISPLAY ONLY, DL ONLY, CUI categories) are
/// one row each; their payload grammar is in `portion.rs`.
pub const CONTROLS: &[ControlDef] = &[
    row!(Sci, "SCI", "SCI", [], Sci, Union),
    row!(Sap, "SAP", "SAP", ["SAR"], Sap, Union),
    row!(Aea, "AEA", "AEA", [], Aea, Union),
    row!(Fgi, "FGI", "FGI", [], Fgi, Own),
    row!(Rsen, "RS", "RSEN", [], Dissem, Union),
    row!(
        Fouo,
        "FOUO",
        "FOUO",
        ["FOR OFFICIAL USE ONLY"],
        Dissem,
        UnclassifiedOnly
    ),
    row!(Orcon, "OC", "ORCON", [], Dissem, Union),
    row!(OrconUsgov, "OC-USGOV", "ORCON-USGOV", [], Dissem, Own),
    row!(Imcon, "IMC", "IMCON", [], Dissem, Union),
    row!(Noforn, "NF", "NOFORN", [], Dissem, Noforn, noforn),
    row!(Propin, "PR", "PROPIN", [], Dissem, Union),
    row!(RelTo, "REL", "REL TO", [], Dissem, Every),
    row!(Relido, "RELIDO", "RELIDO", [], Dissem, Every),
    row!(Eyes, "EYES", "EYES ONLY", [], Dissem, Union, obsolete),
    row!(Dsen, "DSEN", "DSEN", [], Dissem, Union),
    row!(Fisa, "FISA", "FISA", [], Dissem, Union),
    row!(
        DisplayOnly,
        "DISPLAY ONLY",
        "DISPLAY ONLY",
        ["DISPLAYONLY"],
        Dissem,
        Every
    ),
    row!(
        Wnintel,
        "WNINTEL",
        "WNINTEL",
        ["WN"],
        Dissem,
        Union,
        obsolete
    ),
    row!(
        Nocontract,
        "NOCONTRACT",
        "NOCONTRACT",
        [],
        Dissem,
        Union,
        obsolete
    ),
    row!(Limdis, "DS", "LIMDIS", [], NonIc, UnclassifiedOnly),
    row!(Exdis, "XD", "EXDIS", [], NonIc, Noforn),
    row!(Nodis, "ND", "NODIS", [], NonIc, Noforn),
    row!(Sbu, "SBU", "SBU", ["SENSITIVE"], NonIc, UnclassifiedOnly),
    row!(
        SbuNf,
        "SBU-NF",
        "SBU NOFORN",
        ["SBU/NF", "SBU NF"],
        NonIc,
        Own,
        noforn
    ),
    row!(Les, "LES", "LES", [], NonIc, Union),
    row!(
        LesNf,
        "LES-NF",
        "LES NOFORN",
        ["LES NF"],
        NonIc,
        Own,
        noforn
    ),
    row!(Ssi, "SSI", "SSI", [], NonIc, UnclassifiedOnly),
    row!(
        Lou,
        "LOU",
        "LIMITED OFFICIAL USE",
        [],
        NonIc,
        UnclassifiedOnly,
        obsolete
    ),
    row!(
        Aiuo,
        "AIUO",
        "ADMINISTRATIVE - INTERNAL USE ONLY",
        [
            "ADMINISTRATIVE INTERNAL USE ONLY",
            "ADMINISTRATIVE-INTERNAL USE ONLY",
            "ADMIN INTERNAL USE ONLY"
        ],
        NonIc,
        UnclassifiedOnly,
        obsolete
    ),
    row!(
        Cui,
        "CUI",
        "CUI",
        ["CONTROLLED UNCLASSIFIED INFORMATION"],
        Cui,
        UnclassifiedOnly
    ),
    row!(
        CuiCategory,
        "CUI CATEGORY",
        "CUI CATEGORY",
        [],
        Cui,
        UnclassifiedOnly
    ),
    row!(Fedcon, "FEDCON", "FEDCON", [], CuiLdc, UnclassifiedOnly),
    row!(Nocon, "NOCON", "NOCON", [], CuiLdc, UnclassifiedOnly),
    row!(DlOnly, "DL ONLY", "DL ONLY", [], CuiLdc, UnclassifiedOnly),
];

/// The row of a control kind.
pub fn def(kind: ControlKind) -> &'static ControlDef {
    // The table is in kind order (tested), so the discriminant is the index.
    &CONTROLS[kind as usize]
}

/// The control a fixed token names: its portion form, its banner form, or an alias
/// (upper case, single spaces). Payload-bearing forms (`REL TO USA, GBR`, `SI-G ABCD`) are
/// read by the grammar, not here. Returns the row and whether the token was an alias.
///
///
/// Every token of every banner and damaged mark is looked up here, most of them no control
/// at all (`STATE`, `000284`, `SECTION`), so the look-up is one probe of a hash map built
/// once, not a walk of the table. Spellings are unique (tested), so the map finds the row
/// the table order would.
pub fn lookup(token: &str) -> Option<(&'static ControlDef, bool)> {
    let &(row, alias) = SPELLINGS.get(token)?;
    Some((&CONTROLS[row], alias))
}

/// Every spelling of [`CONTROLS`] with its row and whether it is an alias.
static SPELLINGS: LazyLock<HashMap<&'static str, (usize, bool), BuildHasherDefault<Fnv>>> =
    LazyLock::new(|| {
        let mut all = HashMap::default();
        for (row, d) in CONTROLS.iter().enumerate() {
            for s in [d.portion, d.banner] {
                all.insert(s, (row, false));
            }
            for a in d.aliases {
                all.insert(*a, (row, true));
            }
        }
        all
    });

/// FNV-1a: the spellings are short and fixed, so a hash with no per-process key costs
/// a few instructions a byte where the default one costs a hundred per look-up.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// SCI control systems, with the older names that read as them (`COMINT` for `SI`,
/// `TALENT KEYHOLE` for `TK`). `ECI` is NSA's exceptionally controlled information, written
/// in the SCI place with its compartment words (`ECI SHK`).
pub const SCI_SYSTEMS: &[(&str, &[&str])] = &[
    // CCO, "handle via COMINT channels only", is the pre-SCI-system form (`(S-CCO)`).
    ("SI", &["COMINT", "SPECIAL INTELLIGENCE", "CCO"]),
    ("TK", &["TALENT KEYHOLE", "KEYHOLE"]),
    ("HCS", &["HUMINT CONTROL SYSTEM"]),
    ("G", &["GAMMA"]),
    ("BUR", &["BYEMAN", "BYE"]),
    ("KDK", &[]),
    ("KLM", &[]),
    ("MVL", &[]),
    ("RSV", &[]),
    ("ECI", &[]),
    ("ELINT", &[]),
];

/// Atomic Energy Act markings with their portion and banner forms.
pub const AEA_MARKINGS: &[(&str, &str)] = &[
    ("RD", "RESTRICTED DATA"),
    ("FRD", "FORMERLY RESTRICTED DATA"),
    ("RD-CNWDI", "RD-CNWDI"),
    ("CNWDI", "CNWDI"),
    ("DCNI", "DOD UCNI"),
    ("UCNI", "DOE UCNI"),
    ("TFNI", "TFNI"),
];

/// CUI category markings of the CUI Registry that documents use most (the list is long and
/// grows; an unlisted `SP-` category is read as specified all the same, an unlisted basic
/// one is kept and reported). The grammar accepts `SP-` before any of them.
pub const CUI_CATEGORIES: &[&str] = &[
    "AIV",
    "CRIT",
    "CTI",
    "DCRIT",
    "EXPT",
    "EXPTR",
    "FNC",
    "FSEC",
    "GENETIC",
    "HLTH",
    "INTEL",
    "ISVI",
    "LEI",
    "LEGAL",
    "NNPI",
    "OPSEC",
    "PCII",
    "PHYS",
    "PRIIG",
    "PRVCY",
    "PROCURE",
    "PROPIN",
    "PRIVILEGE",
    "SSI",
    "TAX",
    "UCNI",
    "DCNI",
    "NUC",
    "INF",
    "LEGPRIV",
    "CONTRACT",
    "BUDG",
    "ADPO",
    "CVI",
    "INV",
    "PERS",
    "STAT",
    "TRANS",
    "WHSTL",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_kind_order_and_complete() {
        assert_eq!(CONTROLS.len(), ControlKind::ALL.len());
        for (k, kind) in ControlKind::ALL.iter().enumerate() {
            assert_eq!(CONTROLS[k].kind, *kind, "row {k}");
        }
    }

    #[test]
    fn spellings_are_unique() {
        let mut seen = std::collections::BTreeMap::new();
        for d in CONTROLS {
            let mut own = vec![d.portion, d.banner];
            own.dedup();
            for s in own.into_iter().chain(d.aliases.iter().copied()) {
                if let Some(other) = seen.insert(s, d.kind) {
                    panic!("{s} names both {other:?} and {:?}", d.kind);
                }
            }
        }
    }

    /// The table walk the sorted look-up replaced, kept as its specification.
    fn lookup_by_walk(token: &str) -> Option<(&'static ControlDef, bool)> {
        CONTROLS.iter().find_map(|d| {
            if d.portion == token || d.banner == token {
                Some((d, false))
            } else if d.aliases.contains(&token) {
                Some((d, true))
            } else {
                None
            }
        })
    }

    #[test]
    fn sorted_lookup_agrees_with_the_table_walk() {
        let mut tokens: Vec<String> = Vec::new();
        for d in CONTROLS {
            for s in [d.portion, d.banner].iter().chain(d.aliases.iter()) {
                tokens.push(s.to_string());
                tokens.push(s.to_lowercase());
                tokens.push(format!("{s} "));
                tokens.push(s[..s.len() - 1].to_string());
                tokens.push(format!("A{s}"));
            }
        }
        tokens.extend(
            ["", " ", "STATE", "000284", "SECTION", "SIPDIS", "ZZZZ", "A"].map(String::from),
        );
        for t in &tokens {
            let fast = lookup(t).map(|(d, a)| (d.kind, a));
            let walk = lookup_by_walk(t).map(|(d, a)| (d.kind, a));
            assert_eq!(fast, walk, "{t:?}");
        }
    }

    #[test]
    fn lookup_reads_every_form() {
        assert_eq!(
            lookup("NF").map(|(d, a)| (d.kind, a)),
            Some((ControlKind::Noforn, false))
        );
        assert_eq!(lookup("NOFORN").unwrap().0.kind, ControlKind::Noforn);
        assert_eq!(
            lookup("SENSITIVE").map(|(d, a)| (d.kind, a)),
            Some((ControlKind::Sbu, true))
        );
        assert!(lookup("SIPDIS").is_none());
    }
}
