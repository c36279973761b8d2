//! Findings: what a check found, with codes, severities, values and places.

use crate::model::{Amount, Estimate, SignedAmount};
use crate::source::Location;
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// Every kind of finding; its kebab-case name is stable for scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    PartsDifferFromTotal,
    PartsExceedTotal,
    ReturnsDifferFromConsolidated,
    RuleViolated,
    CountryCountMismatch,
    GroupCountMismatch,
    NotAnEuMemberState,
    EuMemberStateOutsideEuGroup,
    MissingReturn,
    OverlappingReturns,
    ImplausibleDayFigure,
    StaleCorrection,
}

impl Code {
    pub const ALL: [Code; 12] = [
        Code::PartsDifferFromTotal,
        Code::PartsExceedTotal,
        Code::ReturnsDifferFromConsolidated,
        Code::RuleViolated,
        Code::CountryCountMismatch,
        Code::GroupCountMismatch,
        Code::NotAnEuMemberState,
        Code::EuMemberStateOutsideEuGroup,
        Code::MissingReturn,
        Code::OverlappingReturns,
        Code::ImplausibleDayFigure,
        Code::StaleCorrection,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Code::PartsDifferFromTotal => "parts-differ-from-total",
            Code::PartsExceedTotal => "parts-exceed-total",
            Code::ReturnsDifferFromConsolidated => "returns-differ-from-consolidated",
            Code::RuleViolated => "rule-violated",
            Code::CountryCountMismatch => "country-count-mismatch",
            Code::GroupCountMismatch => "group-count-mismatch",
            Code::NotAnEuMemberState => "not-an-eu-member-state",
            Code::EuMemberStateOutsideEuGroup => "eu-member-state-outside-eu-group",
            Code::MissingReturn => "missing-return",
            Code::OverlappingReturns => "overlapping-returns",
            Code::ImplausibleDayFigure => "implausible-day-figure",
            Code::StaleCorrection => "stale-correction",
        }
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The metric's key, when the finding concerns one.
    pub metric: Option<String>,
    #[serde(serialize_with = "estimate_json")]
    pub stated: Option<Estimate>,
    #[serde(serialize_with = "estimate_json")]
    pub computed: Option<Estimate>,
    #[serde(serialize_with = "difference_json")]
    pub difference: Option<SignedAmount>,
    /// The stated figure first, then every figure used.
    pub locations: Vec<Location>,
}

impl Finding {
    pub fn new(code: Code, severity: Severity, message: String) -> Finding {
        Finding {
            code,
            severity,
            message,
            metric: None,
            stated: None,
            computed: None,
            difference: None,
            locations: Vec::new(),
        }
    }
}

/// An exact value as a JSON number; an approximate one as `{ "value",
/// "qualifier", "low", "high" }`: the nominal value and its qualifier
/// beside the interval (high null when unbounded).
fn estimate_json<S: Serializer>(value: &Option<Estimate>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        None => s.serialize_none(),
        Some(estimate) => match estimate.interval.as_point() {
            Some(point) => amount_json(point, s),
            None => {
                let interval = estimate.interval;
                let mut range = s.serialize_struct("Estimate", 4)?;
                range.serialize_field("value", &JsonAmount(estimate.nominal.amount))?;
                range.serialize_field("qualifier", estimate.nominal.qualifier.word())?;
                range.serialize_field("low", &JsonAmount(interval.low))?;
                range.serialize_field("high", &interval.high.map(JsonAmount))?;
                range.end()
            }
        },
    }
}

fn difference_json<S: Serializer>(value: &Option<SignedAmount>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        None => s.serialize_none(),
        Some(d) if d.abs().is_whole() => {
            let whole = i128::from(d.abs().whole_units());
            s.serialize_i128(if d.is_negative() { -whole } else { whole })
        }
        Some(d) => s.serialize_f64(d.to_f64()),
    }
}

/// Whole amounts as JSON integers (566, not 566.0); decimals as numbers.
fn amount_json<S: Serializer>(amount: Amount, s: S) -> Result<S::Ok, S::Error> {
    if amount.is_whole() {
        s.serialize_u64(amount.whole_units())
    } else {
        s.serialize_f64(amount.to_f64())
    }
}

struct JsonAmount(Amount);

impl Serialize for JsonAmount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        amount_json(self.0, s)
    }
}

/// The findings of one run, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|f| f.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.0.iter()
    }

    /// "2 errors, 1 warning" or "no findings".
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .filter_map(|s| {
                let n = self.count(s);
                (n > 0).then(|| format!("{n} {}{}", s.key(), if n == 1 { "" } else { "s" }))
            })
            .collect();
        if parts.is_empty() {
            "no findings".into()
        } else {
            parts.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_kebab_case() {
        let keys: HashSet<&str> = Code::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys.len(), Code::ALL.len());
        for key in keys {
            assert!(
                key.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{key}"
            );
        }
    }
}
