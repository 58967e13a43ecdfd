//! Classification markings: the vocabulary every later stage speaks.
//!
//! A [`Marking`] is a level ([`Level`]) plus a set of [`Control`]s, with the raw text it was
//! read from. The parser produces markings from portion marks ([`portion`]) and banner lines
//! ([`banner`]); the policy matches on them; the audit compares them ([`rollup`] computes the
//! banner a set of portions requires). Nothing here does I/O.

pub mod banner;
pub mod controls;
pub mod country;
pub mod portion;
pub mod rollup;

pub use controls::{ControlDef, Family};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// A character that takes no room on the page: blanks (NEL and the line and paragraph
/// separators included) and the format characters (zero-width space and joiners, BOM, soft
/// hyphen, bidirectional controls). A reader does not see it, so it must not change what a
/// line's lead or a mark reads as.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
        )
}

/// US classification levels, ordered from least to most restrictive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    U,
    C,
    S,
    TS,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::U, Level::C, Level::S, Level::TS];

    /// Portion form: `U`, `C`, `S`, `TS`.
    pub fn abbrev(self) -> &'static str {
        match self {
            Level::U => "U",
            Level::C => "C",
            Level::S => "S",
            Level::TS => "TS",
        }
    }

    /// Banner form, always spelled out.
    pub fn title(self) -> &'static str {
        match self {
            Level::U => "UNCLASSIFIED",
            Level::C => "CONFIDENTIAL",
            Level::S => "SECRET",
            Level::TS => "TOP SECRET",
        }
    }

    /// Reads a level as a policy or a user writes it (`C`, `confidential`, `TS`, `top secret`).
    pub fn from_name(name: &str) -> Option<Level> {
        match name.trim().to_ascii_uppercase().as_str() {
            "U" | "UNCLASSIFIED" | "UNCLAS" => Some(Level::U),
            "C" | "CONFIDENTIAL" => Some(Level::C),
            "S" | "SECRET" => Some(Level::S),
            "TS" | "TOP SECRET" | "TOP_SECRET" => Some(Level::TS),
            _ => None,
        }
    }

    pub fn is_classified(self) -> bool {
        self > Level::U
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.abbrev())
    }
}

/// Declares [`Control`], its payload-free [`ControlKind`], `ControlKind::ALL` and the
/// conversions between the two from one list, so that a control is named once here (what
/// it is, its forms, family and roll-up rule, is its row of [`controls::CONTROLS`]).
macro_rules! control_enums {
    ($($(#[$doc:meta])* $name:ident $(($payload:ty))?,)*) => {
        /// One control marking. Variant order is the Register order within each family, so a
        /// `BTreeSet<Control>` iterates in canonical order. What each control is (its forms,
        /// family, roll-up rule) is in the table of [`controls`]; only the payloads live here.
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Control {
            $($(#[$doc])* $name $(($payload))?,)*
        }

        /// A control without its payload: what a policy names (`NOFORN`, `REL TO`, `EXDIS`).
        /// Variant order is the order of [`controls::CONTROLS`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum ControlKind {
            $($name,)*
        }

        impl ControlKind {
            pub const ALL: [ControlKind; [$(stringify!($name)),*].len()] = [$(ControlKind::$name),*];
        }

        impl Control {
            pub fn kind(&self) -> ControlKind {
                match self {
                    $(Control::$name { .. } => ControlKind::$name,)*
                }
            }

            /// A payload-free control from its kind (lists and names empty).
            pub fn from_kind(kind: ControlKind) -> Control {
                match kind {
                    $(ControlKind::$name => Control::$name $((<$payload>::default()))?,)*
                }
            }
        }
    };
}

control_enums! {
    /// An SCI control system with its compartments, e.g. `SI`, `SI-G ABCD`, `TK`.
    Sci(String),
    /// A special access program, e.g. `SAR-BP`.
    Sap(String),
    /// Atomic energy markings in portion form, e.g. `RD`, `FRD`, `RD-CNWDI`, `DCNI`.
    Aea(String),
    /// Foreign government information with its (possibly empty, i.e. concealed) source list.
    Fgi(Vec<String>),
    Rsen,
    Fouo,
    Orcon,
    OrconUsgov,
    Imcon,
    Noforn,
    Propin,
    /// `REL TO` with its country list (USA first, then trigraphs, then tetragraphs). An empty
    /// list is the bare `REL` portion form, which takes the banner's list.
    RelTo(Vec<String>),
    Relido,
    Eyes(Vec<String>),
    Dsen,
    Fisa,
    DisplayOnly(Vec<String>),
    /// WARNING NOTICE - INTELLIGENCE SOURCES OR METHODS INVOLVED: pre-1995 IC control.
    Wnintel,
    /// NOT RELEASABLE TO CONTRACTORS/CONSULTANTS: pre-1995 IC control.
    Nocontract,
    Limdis,
    Exdis,
    Nodis,
    Sbu,
    SbuNf,
    Les,
    LesNf,
    Ssi,
    /// LIMITED OFFICIAL USE: State's administrative control before SBU (1995).
    Lou,
    /// ADMINISTRATIVE - INTERNAL USE ONLY: CIA's administrative control on unclassified
    /// information in the 1970s–1990s, its FOUO.
    Aiuo,
    Cui,
    /// A CUI category marking from the CUI Registry, `SP-` kept (`SP-PRVCY`, `CTI`).
    CuiCategory(String),
    Fedcon,
    Nocon,
    /// DISSEMINATION LIST ONLY, with the list when the mark names it.
    DlOnly(Vec<String>),
}

impl ControlKind {
    /// This control's row of the table.
    pub fn def(self) -> &'static ControlDef {
        controls::def(self)
    }

    /// The name a policy uses for this control: its banner form.
    pub fn name(self) -> &'static str {
        self.def().banner
    }

    /// Reads a control name as a policy writes it; accepts banner titles, portion
    /// abbreviations and the table's aliases alike (`NF`, `NOFORN`, `XD`, `EXDIS`, `REL`,
    /// `REL TO`), and the family names `SCI`, `SAP`, `AEA`, `FGI` with their markings
    /// (`RD`, `SI`).
    pub fn from_name(name: &str) -> Option<ControlKind> {
        let n = name.trim().to_ascii_uppercase().replace('_', " ");
        if let Some((d, _)) = controls::lookup(&n) {
            return Some(d.kind);
        }
        if controls::AEA_MARKINGS
            .iter()
            .any(|(p, b)| *p == n || *b == n)
        {
            return Some(ControlKind::Aea);
        }
        if controls::SCI_SYSTEMS
            .iter()
            .any(|(sys, old)| *sys == n || old.contains(&n.as_str()))
        {
            return Some(ControlKind::Sci);
        }
        None
    }

    /// True for the controls that keep a paragraph from foreign release.
    pub fn is_noforn_family(self) -> bool {
        self.def().noforn
    }
}

impl Control {
    /// The table row of this control's kind.
    pub fn def(&self) -> &'static ControlDef {
        self.kind().def()
    }

    pub fn family(&self) -> Family {
        self.def().family
    }

    /// Portion form (`NF`, `XD`, `SBU-NF`, `REL TO USA, GBR`).
    pub fn portion_form(&self) -> String {
        self.render(false)
    }

    /// Banner form (`NOFORN`, `EXDIS`, `SBU NOFORN`, `REL TO USA, GBR`).
    pub fn banner_form(&self) -> String {
        self.render(true)
    }

    fn render(&self, banner: bool) -> String {
        let mut out = String::new();
        self.render_into(banner, &mut out);
        out
    }

    /// Appends the portion or banner form to `out`: a marking's canonical form is built
    /// control by control, and a string per control was an allocation each. Fixed forms
    /// come from the table; only payloads are written here.
    fn render_into(&self, banner: bool, out: &mut String) {
        let fixed = match self {
            Control::Sci(s) | Control::Sap(s) | Control::CuiCategory(s) => s,
            Control::Aea(s) if banner => controls::AEA_MARKINGS
                .iter()
                .find(|(p, _)| p == s)
                .map_or(s.as_str(), |(_, b)| b),
            Control::Aea(s) => s,
            Control::RelTo(list) if list.is_empty() => "REL",
            Control::Eyes(list) if list.is_empty() => "EYES",
            Control::Fgi(list) if !list.is_empty() => return push_list(out, "FGI ", list, " ", ""),
            Control::RelTo(list) if !list.is_empty() => {
                return push_list(out, "REL TO ", list, ", ", "");
            }
            Control::Eyes(list) if !list.is_empty() => {
                return push_list(out, "", list, "/", " EYES ONLY");
            }
            Control::DisplayOnly(list) => return push_list(out, "DISPLAY ONLY ", list, ", ", ""),
            Control::DlOnly(list) if !list.is_empty() => {
                return push_list(out, "DL ONLY ", list, ", ", "");
            }
            other => {
                let d = other.def();
                if banner { d.banner } else { d.portion }
            }
        };
        out.push_str(fixed);
    }
}

/// `before`, the items joined by `sep`, then `after`, appended to `out`.
fn push_list(out: &mut String, before: &str, items: &[String], sep: &str, after: &str) {
    out.push_str(before);
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out.push_str(after);
}

/// A level and its controls, with the raw text it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marking {
    /// The level. For an unreadable mark this is `TS`: downstream treats it as the most
    /// restrictive case (fail closed) until a human looks.
    pub level: Level,
    pub controls: BTreeSet<Control>,
    /// Exactly as printed, parentheses included for portion marks.
    pub raw: String,
    /// Tokens that look like marking tokens but are not in the vocabulary. Non-empty means
    /// the mark as a whole is *unknown*.
    pub unknown: Vec<String>,
    /// Read through a legacy form (single slash, space or hyphen separator, glued tokens,
    /// country names in REL lists, lower case): valid to read, worth a lint.
    pub legacy: bool,
    /// Read through OCR or extraction damage (`(U//F0U0)`, `(TS//SIIINF)`, `(S/ /NF)`):
    /// the canonical form is what it was read as, and `--fix` may write it back.
    pub damaged: bool,
    /// The mark declares the whole text (`(C - ENTIRE TEXT)`, `(S-ENTIRE TEXT)`).
    pub entire_text: bool,
}

impl Marking {
    pub fn new(level: Level) -> Marking {
        Marking {
            level,
            controls: BTreeSet::new(),
            raw: String::new(),
            unknown: Vec::new(),
            legacy: false,
            damaged: false,
            entire_text: false,
        }
    }

    pub fn with_controls(level: Level, controls: impl IntoIterator<Item = Control>) -> Marking {
        let mut m = Marking::new(level);
        m.controls.extend(controls);
        m
    }

    pub fn is_unknown(&self) -> bool {
        !self.unknown.is_empty()
    }

    pub fn has(&self, kind: ControlKind) -> bool {
        self.controls.iter().any(|c| c.kind() == kind)
    }

    pub fn kinds(&self) -> impl Iterator<Item = ControlKind> + '_ {
        self.controls.iter().map(Control::kind)
    }

    /// The REL TO list if the marking carries one.
    pub fn rel_to(&self) -> Option<&[String]> {
        self.controls.iter().find_map(|c| match c {
            Control::RelTo(list) => Some(list.as_slice()),
            _ => None,
        })
    }

    /// Canonical portion form without parentheses: `S//NF`, `U//SBU`, `TS//SI//NF`.
    pub fn canonical(&self) -> String {
        self.render(false)
    }

    /// Canonical banner form: `SECRET//NOFORN`, `UNCLASSIFIED//SBU`.
    pub fn banner(&self) -> String {
        self.render(true)
    }

    /// True for an unclassified marking that carries the CUI control: it is written `CUI`,
    /// not `U//CUI` (32 CFR 2002.20(b)).
    pub fn is_cui(&self) -> bool {
        self.level == Level::U && self.controls.contains(&Control::Cui)
    }

    fn render(&self, banner: bool) -> String {
        let cui = self.is_cui();
        let mut out = String::from(match (cui, banner) {
            (true, _) => "CUI",
            (false, true) => self.level.title(),
            (false, false) => self.level.abbrev(),
        });
        // CUI markings put the categories right after the control marking; the limited
        // dissemination controls (NOFORN and REL TO among them) follow as one group.
        let ordered = self
            .controls
            .iter()
            .filter(|c| !cui || matches!(c, Control::CuiCategory(_)))
            .chain(
                self.controls
                    .iter()
                    .filter(|c| cui && !matches!(c, Control::CuiCategory(_) | Control::Cui)),
            );
        let mut current: Option<Family> = None;
        for control in ordered {
            let family = match control.family() {
                _ if cui && !matches!(control, Control::CuiCategory(_)) => Family::CuiLdc,
                f => f,
            };
            out.push_str(if current == Some(family) { "/" } else { "//" });
            current = Some(family);
            control.render_into(banner, &mut out);
        }
        for token in &self.unknown {
            out.push_str("//?");
            out.push_str(token);
        }
        out
    }
}

impl fmt::Display for Marking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_orders_categories_and_values() {
        let m = Marking::with_controls(
            Level::TS,
            [Control::Noforn, Control::Sci("SI".into()), Control::Orcon],
        );
        assert_eq!(m.canonical(), "TS//SI//OC/NF");
        assert_eq!(m.banner(), "TOP SECRET//SI//ORCON/NOFORN");
    }

    #[test]
    fn sbu_forms_differ_between_portion_and_banner() {
        let m = Marking::with_controls(Level::U, [Control::SbuNf]);
        assert_eq!(m.canonical(), "U//SBU-NF");
        assert_eq!(m.banner(), "UNCLASSIFIED//SBU NOFORN");
    }

    #[test]
    fn control_kind_names_round_trip() {
        for kind in ControlKind::ALL {
            assert_eq!(ControlKind::from_name(kind.name()), Some(kind));
            assert_eq!(Control::from_kind(kind).kind(), kind);
        }
    }

    #[test]
    fn levels_are_ordered() {
        assert!(Level::U < Level::C && Level::C < Level::S && Level::S < Level::TS);
        assert_eq!(Level::from_name("top secret"), Some(Level::TS));
    }
}
