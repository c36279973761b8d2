//! The files as written: serde structures that keep every value's byte span.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;
use toml::value::Datetime;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub short_name: Option<Spanned<String>>,
    pub region: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub start: Spanned<Datetime>,
    pub end: Spanned<Datetime>,
    pub coordinator: Option<Spanned<String>>,
    pub coordination_centre: Option<Spanned<String>>,
    pub marking: Spanned<String>,
    pub language: Option<Spanned<String>>,
    pub published: Option<Spanned<Datetime>>,
    pub countries: Option<Spanned<i64>>,
    pub countries_noun: Option<Spanned<String>>,
    pub catalogue: Option<Spanned<String>>,
    #[serde(default)]
    pub metrics: Vec<RawMetric>,
    #[serde(default)]
    pub rules: Vec<RawRule>,
    #[serde(default)]
    pub groups: Vec<Spanned<RawGroup>>,
    #[serde(default)]
    pub footnotes: Vec<Spanned<RawFootnote>>,
    #[serde(default)]
    pub activities: Vec<RawActivity>,
    #[serde(default)]
    pub references: Vec<Spanned<RawReference>>,
    pub release: Option<RawRelease>,
    pub presentation: Option<RawPresentation>,
    pub reporting: Option<RawReporting>,
    /// Metric key → `"off"` or a factor for the day-plausibility check.
    #[serde(default)]
    pub plausibility: BTreeMap<Spanned<String>, Spanned<RawValue>>,
    /// Sub-national participant → the country it belongs to. A map (not
    /// in file order): TOML keys are unique, and each entry is checked alone.
    #[serde(default)]
    pub part_of: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// `[presentation]`: the headline figure and the tiles, by metric key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPresentation {
    pub headline: Option<Spanned<String>>,
    pub tiles: Option<Spanned<Vec<Spanned<String>>>>,
}

/// templates/briefing.toml: the briefing's sections and, optionally, its
/// tiles and per-reporter charts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayout {
    pub tiles: Option<Spanned<Vec<Spanned<String>>>>,
    pub sections: Spanned<Vec<Spanned<String>>>,
    pub reporter_charts: Option<Vec<Spanned<String>>>,
}

/// `[reporting]`: what the completeness-by-day check expects.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReporting {
    pub daily: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub not_action_days: Vec<Spanned<Datetime>>,
}

/// Who receives a partner pack and what it may show.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelease {
    pub packs: Option<Spanned<String>>,
    #[serde(default)]
    pub shared_reporters: Vec<Spanned<String>>,
    pub briefing_reporters: Option<bool>,
}

/// The catalogue file: metrics and the rules between them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCatalogue {
    #[serde(default)]
    pub metrics: Vec<RawMetric>,
    #[serde(default)]
    pub rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    pub key: Spanned<String>,
    pub label: Spanned<String>,
    pub phrase: Option<Spanned<String>>,
    pub unit: Option<Spanned<String>>,
    pub display_unit: Option<Spanned<String>>,
    pub breakdown: Option<Spanned<String>>,
    pub phrase_one: Option<Spanned<String>>,
    pub chart_title: Option<Spanned<String>>,
    pub noun: Option<Spanned<Vec<Spanned<String>>>>,
    pub remainder: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// `"off"` or a factor for the day-plausibility check.
    pub plausibility: Option<Spanned<RawValue>>,
    #[serde(default)]
    pub parts: Vec<RawMetric>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub left: Spanned<String>,
    pub relation: Spanned<String>,
    pub right: Spanned<String>,
    pub tolerance: Option<Spanned<RawValue>>,
    pub severity: Option<Spanned<String>>,
    pub message: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub label: Spanned<String>,
    pub kind: Spanned<String>,
    /// Omitted when the release gives only a count.
    #[serde(default)]
    pub members: Vec<Spanned<String>>,
    pub count: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFootnote {
    pub marker: Spanned<String>,
    pub text: Spanned<String>,
    pub applies_to: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActivity {
    pub label: Spanned<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub participants: Vec<Spanned<String>>,
    #[serde(default)]
    pub metrics: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub title: Spanned<String>,
    pub date: Option<Spanned<Datetime>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReturn {
    pub reporter: Spanned<String>,
    pub day: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub note: Option<String>,
    pub figures: Spanned<RawValue>,
}

/// A file in corrections/: dated changes to figures, with reasons.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrections {
    pub corrections: Vec<Spanned<RawCorrection>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrection {
    pub id: Option<Spanned<String>>,
    pub date: Spanned<Datetime>,
    pub reporter: Spanned<String>,
    pub day: Option<Spanned<Datetime>>,
    pub metric: Spanned<String>,
    /// Optional for serde only: a missing `from` is an error worded by the
    /// loader, which names both ways to add a figure.
    pub from: Option<Spanned<RawValue>>,
    pub to: Spanned<RawValue>,
    pub reason: Spanned<String>,
    pub requested_by: Spanned<String>,
}

/// Any TOML value, with spans kept on every nested key and value, for the
/// parts of a file whose keys are data (metric keys in `[figures]`).
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Integer(i64),
    Float(f64),
    String(String),
    Boolean(bool),
    Datetime,
    Array(Vec<Spanned<RawValue>>),
    Table(Vec<(Spanned<String>, Spanned<RawValue>)>),
}

impl RawValue {
    /// What the value is, for messages ("a string", "a table").
    pub fn kind(&self) -> &'static str {
        match self {
            RawValue::Integer(_) => "an integer",
            RawValue::Float(_) => "a float",
            RawValue::String(_) => "a string",
            RawValue::Boolean(_) => "a boolean",
            RawValue::Datetime => "a date",
            RawValue::Array(_) => "an array",
            RawValue::Table(_) => "a table",
        }
    }
}

/// TOML integers stop at i64::MAX; figures go up to u64::MAX as text.
fn too_large(v: impl fmt::Display) -> String {
    format!(
        "the integer {v} is larger than TOML allows ({}); write a figure this large as text, e.g. \"18 446 744 073 709 551 615\"",
        i64::MAX
    )
}

/// toml's private key for datetimes inside `deserialize_any`.
pub(super) const DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor;

        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawValue;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a TOML value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Boolean(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Integer(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
                i64::try_from(v)
                    .map(RawValue::Integer)
                    .map_err(|_| E::custom(too_large(v)))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawValue, E> {
                i64::try_from(v)
                    .map(RawValue::Integer)
                    .map_err(|_| E::custom(too_large(v)))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawValue, E> {
                i64::try_from(v)
                    .map(RawValue::Integer)
                    .map_err(|_| E::custom(too_large(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::String(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue::String(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<RawValue>>()? {
                    items.push(item);
                }
                Ok(RawValue::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    if key.get_ref() == DATETIME_KEY {
                        map.next_value::<de::IgnoredAny>()?;
                        return Ok(RawValue::Datetime);
                    }
                    let value = map.next_value::<Spanned<RawValue>>()?;
                    entries.push((key, value));
                }
                Ok(RawValue::Table(entries))
            }
        }

        deserializer.deserialize_any(RawVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_tables_keep_spans() {
        let text = "reporter = \"x\"\n[figures]\nzeta = 1\n[figures.arrests]\ntotal = 566\nother = \"almost 5\"\n";
        let raw: RawReturn = toml::from_str(text).unwrap();
        let RawValue::Table(entries) = raw.figures.get_ref() else {
            panic!("figures is a table")
        };
        // toml hands tables over sorted by key, not in file order.
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.get_ref().as_str()).collect();
        assert_eq!(keys, ["arrests", "zeta"]);
        let RawValue::Table(parts) = entries[0].1.get_ref() else {
            panic!("arrests is a table")
        };
        let total = parts.iter().find(|(k, _)| k.get_ref() == "total").unwrap();
        assert_eq!(total.1.get_ref(), &RawValue::Integer(566));
        assert_eq!(&text[total.1.span()], "566");
        let other = parts.iter().find(|(k, _)| k.get_ref() == "other").unwrap();
        assert_eq!(&text[other.0.span()], "other");
    }
}
