//! Findings: what a check found, with codes, severities, values and places.

use crate::model::{
    Amount, Estimate, MetricId, Operation, ParticipantId, Reporter, SignedAmount, Unit,
};
use crate::source::Location;
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

pub use crate::diagnostic::Severity;

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
    MissingDay,
    OverlappingReturns,
    ImplausibleDayFigure,
    StaleCorrection,
    ImplausibleCorrectionDate,
    ReturnsSplitOverSheets,
}

impl Code {
    pub const ALL: [Code; 15] = [
        Code::PartsDifferFromTotal,
        Code::PartsExceedTotal,
        Code::ReturnsDifferFromConsolidated,
        Code::RuleViolated,
        Code::CountryCountMismatch,
        Code::GroupCountMismatch,
        Code::NotAnEuMemberState,
        Code::EuMemberStateOutsideEuGroup,
        Code::MissingReturn,
        Code::MissingDay,
        Code::OverlappingReturns,
        Code::ImplausibleDayFigure,
        Code::StaleCorrection,
        Code::ImplausibleCorrectionDate,
        Code::ReturnsSplitOverSheets,
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
            Code::MissingDay => "missing-day",
            Code::OverlappingReturns => "overlapping-returns",
            Code::ImplausibleDayFigure => "implausible-day-figure",
            Code::StaleCorrection => "stale-correction",
            Code::ImplausibleCorrectionDate => "implausible-correction-date",
            Code::ReturnsSplitOverSheets => "returns-split-over-sheets",
        }
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// What a finding is about, by ids into the operation. A finding is worded
/// only when printed ([`super::wording::message`]): privacy, comparisons across
/// revisions and the workbook read these ids, never a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A stated total against its parts, in the return at this index of
    /// `Operation::returns`.
    Breakdown { metric: MetricId, ret: usize },
    /// The coordination's figure against the sum of the participants' returns.
    Consolidated { metric: MetricId },
    /// A declared rule, by index into `Operation::rules`; `approximate`
    /// when only the approximations can explain the difference.
    Rule { rule: usize, approximate: bool },
    /// The claimed number of countries against the listed countries, or
    /// against the sum of the groups' claimed counts.
    CountryCount { against_group_counts: bool },
    /// A group's claimed count against its list, by index into `Operation::groups`.
    GroupCount { group: usize },
    /// A participant listed in a group its EU membership contradicts.
    Membership {
        participant: ParticipantId,
        group: usize,
    },
    /// A listed participant that sent nothing while others in its group did.
    MissingReturn {
        participant: ParticipantId,
        group: usize,
    },
    /// More returns than one worksheet holds: the master workbook's
    /// Returns table is split over this many sheets.
    ReturnsSheets { returns: usize, sheets: usize },
    /// A participant that reports daily and sent no return on these action
    /// days (up to the latest day anyone reported), in date order.
    MissingDays {
        participant: ParticipantId,
        days: Vec<time::Date>,
    },
    /// A reporter that sent whole-operation and daily returns.
    OverlappingReturns { reporter: Reporter },
    /// A day's figure far from the reporter's other days, in the return at
    /// this index.
    ImplausibleDay {
        metric: MetricId,
        ret: usize,
        too_high: bool,
    },
    /// A correction not applied, by index into `Operation::corrections`.
    StaleCorrection { correction: usize },
    /// A correction dated before the operation, or long after it.
    CorrectionDate { correction: usize },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub subject: Subject,
    pub stated: Option<Estimate>,
    pub computed: Option<Estimate>,
    /// Stated minus computed, when both are exact.
    pub difference: Option<SignedAmount>,
    /// The stated figure first, then every figure used.
    pub locations: Vec<Location>,
}

impl Finding {
    pub fn new(code: Code, severity: Severity, subject: Subject) -> Finding {
        Finding {
            code,
            severity,
            subject,
            stated: None,
            computed: None,
            difference: None,
            locations: Vec::new(),
        }
    }

    /// The metric the finding is about, if any (a rule's left side).
    pub fn metric(&self, op: &Operation) -> Option<MetricId> {
        match self.subject {
            Subject::Breakdown { metric, .. }
            | Subject::Consolidated { metric }
            | Subject::ImplausibleDay { metric, .. } => Some(metric),
            Subject::Rule { rule, .. } => op.rules.get(rule).map(|r| r.left),
            Subject::StaleCorrection { correction } | Subject::CorrectionDate { correction } => {
                op.corrections.get(correction).map(|c| c.metric)
            }
            _ => None,
        }
    }

    /// The participants the finding names: whose return, listing or
    /// correction it is about.
    pub fn participants(&self, op: &Operation) -> Vec<ParticipantId> {
        let reporter = match self.subject {
            Subject::Breakdown { ret, .. } | Subject::ImplausibleDay { ret, .. } => {
                op.returns.get(ret).map(|r| r.reporter)
            }
            Subject::OverlappingReturns { reporter } => Some(reporter),
            Subject::StaleCorrection { correction } | Subject::CorrectionDate { correction } => {
                op.corrections.get(correction).map(|c| c.reporter)
            }
            Subject::Membership { participant, .. }
            | Subject::MissingReturn { participant, .. }
            | Subject::MissingDays { participant, .. } => Some(Reporter::Participant(participant)),
            _ => None,
        };
        match reporter {
            Some(Reporter::Participant(id)) => vec![id],
            _ => Vec::new(),
        }
    }

    /// The unit of the finding's values, if it has values in one.
    pub fn unit(&self, op: &Operation) -> Option<Unit> {
        match self.subject {
            Subject::Rule { rule, .. } => op.rules.get(rule).map(|r| op.catalogue.get(r.left).unit),
            _ => self.metric(op).map(|m| op.catalogue.get(m).unit),
        }
    }
}

/// An exact value as a JSON number; an approximate one as `{ "value",
/// "qualifier", "low", "high" }`: the nominal value and its qualifier
/// beside the interval (high null when unbounded).
pub fn estimate_json<S: Serializer>(value: &Option<Estimate>, s: S) -> Result<S::Ok, S::Error> {
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

pub fn difference_json<S: Serializer>(
    value: &Option<SignedAmount>,
    s: S,
) -> Result<S::Ok, S::Error> {
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
#[derive(Clone, Debug, Default, PartialEq)]
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
