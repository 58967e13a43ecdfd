//! The policy file as written: serde types that mirror the YAML one to one
//! (`deny_unknown_fields` everywhere), and the same schema as a table of [`Field`]s that
//! stage one of validation walks to report every unknown key, duplicate key, wrong type
//! and bad value in one pass. A unit test keeps the table and the types in step.
//!
//! Nothing here interprets a value: levels, controls, codes and regexes stay text until
//! [`super::validate`] turns them into a [`super::Policy`].

pub use super::codeset::RawCodeDef;
use serde::Deserialize;
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::marker::PhantomData;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub name: Spanned<String>,
    pub description: Spanned<String>,
    pub version: Spanned<u32>,
    /// Read before validation by [`super::codeset::select`]; kept here so that the
    /// schema knows them.
    #[serde(default)]
    #[allow(dead_code)]
    pub code_set: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)]
    pub extra_codes: Vec<Spanned<RawCodeDef>>,
    #[serde(default)]
    pub release: Option<Spanned<RawRelease>>,
    #[serde(default)]
    pub header: Option<RawHeader>,
    #[serde(default)]
    pub rules: Vec<Spanned<RawRule>>,
    pub default: Spanned<RawDefault>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelease {
    pub target: Option<String>,
    pub banner: Option<Spanned<String>>,
    pub show_original_marks: Option<bool>,
    pub withheld_size: Option<bool>,
    pub stamp: Option<RawStamp>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStamp {
    pub full: Option<String>,
    pub part: Option<String>,
    pub denied: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    pub residue: Option<Spanned<RawPart>>,
    pub routing: Option<Spanned<RawPart>>,
    pub captions: Option<Spanned<RawPart>>,
    pub addressees: Option<Spanned<RawPart>>,
    pub tags: Option<Spanned<RawPart>>,
    pub refs: Option<Spanned<RawPart>>,
    pub classified_by: Option<Spanned<RawPart>>,
    pub eo: Option<Spanned<RawPart>>,
    pub signature: Option<Spanned<RawPart>>,
}

/// A header part: a bare word (`keep`, `strip`) or a mapping with codes and redactions.
#[derive(Debug)]
pub enum RawPart {
    Word(String),
    Full(RawPartMap),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartMap {
    pub action: String,
    #[serde(default)]
    pub codes: Option<List<String>>,
    #[serde(default)]
    pub redact: Vec<RawRedact>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub name: Option<String>,
    #[serde(default)]
    pub when: RawWhen,
    pub action: Spanned<String>,
    #[serde(default)]
    pub codes: Option<Spanned<List<String>>>,
    #[serde(default)]
    pub redact: Vec<Spanned<RawRedact>>,
    #[serde(default)]
    pub declassify: Option<Spanned<RawDeclassify>>,
    #[serde(default)]
    pub refer_to: Option<Spanned<String>>,
    #[serde(default)]
    pub justification: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWhen {
    pub part: Option<List<String>>,
    pub level: Option<RawLevel>,
    pub controls: Option<RawSet>,
    pub origin: Option<List<String>>,
    pub paragraph: Option<RawNumber>,
    pub tags: Option<RawSet>,
    pub post: Option<Spanned<String>>,
    pub date: Option<RawDates>,
    pub subject: Option<Spanned<String>>,
    pub text: Option<Spanned<String>>,
    pub declassification_passed: Option<bool>,
}

/// A condition on one ordered value: `level` (levels as written) and `paragraph` (numbers).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRange<T> {
    pub exact: Option<T>,
    pub at_least: Option<T>,
    pub at_most: Option<T>,
    pub one_of: Option<List<T>>,
}

pub type RawLevel = RawRange<String>;
pub type RawNumber = RawRange<u32>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSet {
    pub any_of: Option<List<String>>,
    pub all_of: Option<List<String>>,
    pub none_of: Option<List<String>>,
    pub only: Option<List<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDates {
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedact {
    pub codes: List<String>,
    pub terms: Option<List<String>>,
    pub regex: Option<Spanned<String>>,
    pub builtin: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeclassify {
    pub authority: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefault {
    pub action: Spanned<String>,
    #[serde(default)]
    pub codes: Option<Spanned<List<String>>>,
    #[serde(default)]
    pub redact: Vec<Spanned<RawRedact>>,
    #[serde(default)]
    pub justification: Option<String>,
}

/// A list that may be written as one bare value: `origin: explicit` is `origin: [explicit]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct List<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> ListVisitor<T> {
            fn one<E: de::Error, V: IntoDeserializer<'de, E>>(v: V) -> Result<List<T>, E> {
                T::deserialize(v.into_deserializer()).map(|t| List(vec![t]))
            }
        }
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(List(items))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<List<T>, E> {
                Self::one(v.to_string())
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<List<T>, E> {
                Self::one(v)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<List<T>, E> {
                Self::one(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<List<T>, E> {
                Self::one(v)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<List<T>, E> {
                Self::one(v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<List<T>, E> {
                Self::one(v.to_string())
            }
        }
        d.deserialize_any(ListVisitor(PhantomData))
    }
}

impl<'de> Deserialize<'de> for RawPart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PartVisitor;
        impl<'de> Visitor<'de> for PartVisitor {
            type Value = RawPart;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`keep`, `strip` or a mapping with `action`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPart, E> {
                Ok(RawPart::Word(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPart, A::Error> {
                RawPartMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawPart::Full)
            }
        }
        d.deserialize_any(PartVisitor)
    }
}

/// A scalar vocabulary that stage one checks value by value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vocab {
    Version,
    Level,
    Control,
    Origin,
    Part,
    Code,
    Regex,
    Date,
    Action,
    PartAction,
    Builtin,
    /// Text printed as one line of the release (a banner, stamp words): no control
    /// characters, which would break the line or inject new ones.
    Line,
}

/// The shape a YAML value must have.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// Any scalar, read as text.
    Text,
    Int,
    Bool,
    /// A scalar checked against a vocabulary.
    Value(Vocab),
    /// One value or a list of them.
    List(&'static Shape),
    /// A list (never a bare value).
    Seq(&'static Shape),
    Map(&'static [Field]),
    /// A bare word from the vocabulary, or a mapping.
    WordOrMap(Vocab, &'static [Field]),
}

/// One key of a mapping.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: &'static str,
    pub shape: Shape,
    pub required: bool,
}

const fn req(key: &'static str, shape: Shape) -> Field {
    Field {
        key,
        shape,
        required: true,
    }
}

const fn opt(key: &'static str, shape: Shape) -> Field {
    Field {
        key,
        shape,
        required: false,
    }
}

const TEXTS: Shape = Shape::List(&Shape::Text);
const CODES: Shape = Shape::List(&Shape::Value(Vocab::Code));
const CONTROLS: Shape = Shape::List(&Shape::Value(Vocab::Control));

pub const POLICY: &[Field] = &[
    req("name", Shape::Text),
    req("description", Shape::Text),
    req("version", Shape::Value(Vocab::Version)),
    opt("code_set", Shape::Text),
    opt("extra_codes", Shape::Seq(&Shape::Map(CODE_DEF))),
    opt("release", Shape::Map(RELEASE)),
    opt("header", Shape::Map(HEADER)),
    opt("rules", Shape::Seq(&Shape::Map(RULE))),
    req("default", Shape::Map(DEFAULT)),
];

pub const CODE_DEF: &[Field] = &[
    req("code", Shape::Text),
    req("summary", Shape::Text),
    opt("classified", Shape::Bool),
    opt("aliases", Shape::Seq(&Shape::Text)),
];

pub const RELEASE: &[Field] = &[
    opt("target", Shape::Value(Vocab::Level)),
    opt("banner", Shape::Value(Vocab::Line)),
    opt("show_original_marks", Shape::Bool),
    opt("withheld_size", Shape::Bool),
    opt("stamp", Shape::Map(STAMP)),
];

pub const STAMP: &[Field] = &[
    opt("full", Shape::Value(Vocab::Line)),
    opt("part", Shape::Value(Vocab::Line)),
    opt("denied", Shape::Value(Vocab::Line)),
];

const PART: Shape = Shape::WordOrMap(Vocab::PartAction, PART_MAP);

pub const HEADER: &[Field] = &[
    opt("residue", PART),
    opt("routing", PART),
    opt("captions", PART),
    opt("addressees", PART),
    opt("tags", PART),
    opt("refs", PART),
    opt("classified_by", PART),
    opt("eo", PART),
    opt("signature", PART),
];

pub const PART_MAP: &[Field] = &[
    req("action", Shape::Value(Vocab::PartAction)),
    opt("codes", CODES),
    opt("redact", Shape::Seq(&Shape::Map(REDACT))),
];

pub const RULE: &[Field] = &[
    opt("name", Shape::Text),
    opt("when", Shape::Map(WHEN)),
    req("action", Shape::Value(Vocab::Action)),
    opt("codes", CODES),
    opt("redact", Shape::Seq(&Shape::Map(REDACT))),
    opt("declassify", Shape::Map(DECLASSIFY)),
    opt("refer_to", Shape::Text),
    opt("justification", Shape::Text),
];

pub const WHEN: &[Field] = &[
    opt("part", Shape::List(&Shape::Value(Vocab::Part))),
    opt("level", Shape::Map(LEVEL)),
    opt("controls", Shape::Map(CONTROL_SET)),
    opt("origin", Shape::List(&Shape::Value(Vocab::Origin))),
    opt("paragraph", Shape::Map(NUMBER)),
    opt("tags", Shape::Map(TAG_SET)),
    opt("post", Shape::Value(Vocab::Regex)),
    opt("date", Shape::Map(DATES)),
    opt("subject", Shape::Value(Vocab::Regex)),
    opt("text", Shape::Value(Vocab::Regex)),
    opt("declassification_passed", Shape::Bool),
];

/// The keys of a [`RawRange`] whose values have the shape `one`.
const fn range(one: &'static Shape) -> [Field; 4] {
    [
        opt("exact", *one),
        opt("at_least", *one),
        opt("at_most", *one),
        opt("one_of", Shape::List(one)),
    ]
}

/// The keys of a [`RawSet`] whose members have the shape `members`.
const fn set(members: Shape) -> [Field; 4] {
    [
        opt("any_of", members),
        opt("all_of", members),
        opt("none_of", members),
        opt("only", members),
    ]
}

pub const LEVEL: &[Field] = &range(&Shape::Value(Vocab::Level));
pub const CONTROL_SET: &[Field] = &set(CONTROLS);
pub const TAG_SET: &[Field] = &set(TEXTS);
pub const NUMBER: &[Field] = &range(&Shape::Int);

pub const DATES: &[Field] = &[
    opt("from", Shape::Value(Vocab::Date)),
    opt("to", Shape::Value(Vocab::Date)),
];

pub const REDACT: &[Field] = &[
    req("codes", CODES),
    opt("terms", TEXTS),
    opt("regex", Shape::Value(Vocab::Regex)),
    opt("builtin", Shape::Value(Vocab::Builtin)),
];

pub const DECLASSIFY: &[Field] = &[opt("authority", Shape::Text)];

pub const DEFAULT: &[Field] = &[
    req("action", Shape::Value(Vocab::Action)),
    opt("codes", CODES),
    opt("redact", Shape::Seq(&Shape::Map(REDACT))),
    opt("justification", Shape::Text),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A deserializer that only records the field names serde's derive passes to
    /// `deserialize_struct`, so the table can be checked against the types.
    struct FieldNames<'a>(&'a mut Vec<&'static str>);

    #[derive(Debug)]
    struct Stop;
    impl fmt::Display for Stop {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<T: fmt::Display>(_: T) -> Self {
            Stop
        }
    }

    impl<'de> Deserializer<'de> for FieldNames<'_> {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0.extend_from_slice(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    fn fields_of<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
        let mut names = Vec::new();
        let _ = T::deserialize(FieldNames(&mut names));
        names.sort();
        names
    }

    fn keys(table: &[Field]) -> Vec<&'static str> {
        let mut k: Vec<_> = table.iter().map(|f| f.key).collect();
        k.sort();
        k
    }

    #[test]
    fn table_matches_types() {
        assert_eq!(fields_of::<RawPolicy>(), keys(POLICY));
        assert_eq!(fields_of::<RawRelease>(), keys(RELEASE));
        assert_eq!(fields_of::<RawStamp>(), keys(STAMP));
        assert_eq!(fields_of::<RawHeader>(), keys(HEADER));
        assert_eq!(fields_of::<RawPartMap>(), keys(PART_MAP));
        assert_eq!(fields_of::<RawRule>(), keys(RULE));
        assert_eq!(fields_of::<RawWhen>(), keys(WHEN));
        assert_eq!(fields_of::<RawLevel>(), keys(LEVEL));
        assert_eq!(fields_of::<RawSet>(), keys(CONTROL_SET));
        assert_eq!(fields_of::<RawSet>(), keys(TAG_SET));
        assert_eq!(fields_of::<RawNumber>(), keys(NUMBER));
        assert_eq!(fields_of::<RawDates>(), keys(DATES));
        assert_eq!(fields_of::<RawRedact>(), keys(REDACT));
        assert_eq!(fields_of::<RawDeclassify>(), keys(DECLASSIFY));
        assert_eq!(fields_of::<RawDefault>(), keys(DEFAULT));
        assert_eq!(fields_of::<RawCodeDef>(), keys(CODE_DEF));
    }

    #[test]
    fn lists_take_a_bare_value() {
        #[derive(Deserialize)]
        struct T {
            a: List<String>,
            b: List<u32>,
            c: List<String>,
        }
        let t: T = serde_saphyr::from_str("a: explicit\nb: [1, 2]\nc: [x, y]\n").unwrap();
        assert_eq!(t.a.0, ["explicit"]);
        assert_eq!(t.b.0, [1, 2]);
        assert_eq!(t.c.0, ["x", "y"]);
    }

    #[test]
    fn header_parts_take_a_word_or_a_mapping() {
        let h: RawHeader = serde_saphyr::from_str(
            "routing: strip\naddressees:\n  action: keep\n  redact:\n    - codes: [B6]\n      builtin: addressee-names\n",
        )
        .unwrap();
        assert!(matches!(h.routing.unwrap().value, RawPart::Word(ref w) if w == "strip"));
        let Some(Spanned {
            value: RawPart::Full(m),
            ..
        }) = h.addressees
        else {
            panic!()
        };
        assert_eq!(m.action, "keep");
        assert_eq!(m.redact[0].codes.0, ["B6"]);
    }
}
