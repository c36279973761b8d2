//! Aggregate: Operation → Totals, computed once for every renderer.
//!
//! Each return is resolved bottom-up (a missing total is the sum of its
//! parts), then returns are summed per metric, per reporter and per day.
//! The published figure of a metric is the consolidated figure when the
//! coordination stated one, else the sum of the participants' returns.

use crate::model::countries::Country;
use crate::model::{
    Amount, Breakdown, Catalogue, Estimate, Interval, MetricId, Operation, PartOf, ParticipantId,
    Quantity, Reporter, Return, SignedAmount,
};
use crate::source::Location;
use std::collections::BTreeMap;
use time::Date;

/// A metric's value in one return (or a sum of returns).
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub interval: Interval,
    /// The printed numbers summed, with the qualifier their sum keeps.
    pub nominal: Quantity,
    /// The figure as stated, when exactly one figure was stated.
    pub stated: Option<Quantity>,
    /// Where the stated figures are.
    pub locations: Vec<Location>,
    /// Sum of the parts that have values, if any part has one.
    pub parts: Option<Estimate>,
}

impl Resolved {
    pub fn estimate(&self) -> Estimate {
        Estimate {
            nominal: self.nominal,
            interval: self.interval,
        }
    }

    /// What to print: the figure as written when one was stated, else the
    /// computed value (qualified sums to three significant digits).
    pub fn shown(&self) -> Quantity {
        self.stated.unwrap_or_else(|| self.estimate().shown())
    }
}

/// Where a published figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Stated by the coordination (the consolidated figure).
    Consolidated,
    /// The sum of the participants' returns.
    SumOfReturns,
}

/// A published figure: what to show and how it was derived.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub interval: Interval,
    /// The printed numbers summed, with the qualifier their sum keeps:
    /// what checks compare first.
    pub nominal: Quantity,
    /// The quantity to print: the stated wording, or the nominal value
    /// rounded as [`Quantity::rounded_for_print`] says.
    pub shown: Quantity,
    pub origin: Origin,
    pub locations: Vec<Location>,
}

impl Value {
    pub fn estimate(&self) -> Estimate {
        Estimate {
            nominal: self.nominal,
            interval: self.interval,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricTotal {
    /// The published figure, if anything was reported.
    pub value: Option<Value>,
    /// The coordination's figure (summed over its returns).
    pub consolidated: Option<Resolved>,
    /// Sum over participants' returns.
    pub from_returns: Option<Resolved>,
    /// Sum of the parts' published figures, for metrics with parts.
    pub parts_sum: Option<Estimate>,
    /// Published value minus the sum of its parts, when both are exact.
    pub difference: Option<SignedAmount>,
}

impl MetricTotal {
    /// What the parts leave unexplained (stated − parts), when positive.
    pub fn unattributed(&self) -> Option<Amount> {
        self.difference
            .filter(|d| !d.is_negative() && !d.is_zero())
            .map(|d| d.abs())
    }
}

/// One participant's figures summed over its returns.
#[derive(Clone, Debug, PartialEq)]
pub struct ReporterTotals {
    pub participant: ParticipantId,
    pub values: Vec<Option<Estimate>>,
}

/// All participants' figures for one day.
#[derive(Clone, Debug, PartialEq)]
pub struct DayTotals {
    pub day: Date,
    pub values: Vec<Option<Estimate>>,
}

/// Everything a renderer may show, computed once.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// Parallel to `Operation::returns`, indexed by metric.
    pub returns: Vec<Vec<Option<Resolved>>>,
    /// Indexed by metric.
    pub metrics: Vec<MetricTotal>,
    /// Participants that sent returns, in listing order.
    pub reporters: Vec<ReporterTotals>,
    /// Days that have participant returns, in date order.
    pub days: Vec<DayTotals>,
    /// The reporters rolled up by country (a regional unit under the
    /// country `[part_of]` names), in the order they first report.
    pub by_country: Vec<CountryTotals>,
}

/// Whom a rolled-up row speaks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RollUp {
    /// A listed participant, with the units that belong to it.
    Participant(ParticipantId),
    /// A country only `[part_of]` names: its units' figures.
    Country(&'static Country),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CountryTotals {
    pub who: RollUp,
    pub values: Vec<Option<Estimate>>,
}

impl Totals {
    pub fn metric(&self, id: MetricId) -> &MetricTotal {
        &self.metrics[id.0]
    }
}

/// A sum exceeded what a figure can hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Overflow {
    pub metric: String,
    pub locations: Vec<Location>,
}

impl std::fmt::Display for Overflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the figures for `{}` add up to more than {} and cannot be summed",
            self.metric,
            u64::MAX
        )?;
        for location in self.locations.iter().take(3) {
            write!(f, "; see {location}")?;
        }
        Ok(())
    }
}

pub fn aggregate(op: &Operation) -> Result<Totals, Overflow> {
    let catalogue = &op.catalogue;
    // Each return on its own, side by side; the first overflow in file
    // order is reported, as a serial pass would.
    let returns = crate::parallel::map(&op.returns, |r| resolve_return(catalogue, r))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;

    let n = catalogue.len();
    let mut consolidated: Vec<Option<Resolved>> = vec![None; n];
    let mut from_returns: Vec<Option<Resolved>> = vec![None; n];
    let mut by_reporter: BTreeMap<ParticipantId, Vec<Option<Estimate>>> = BTreeMap::new();
    let mut by_day: BTreeMap<Date, Vec<Option<Estimate>>> = BTreeMap::new();
    for (ret, values) in op.returns.iter().zip(&returns) {
        for (index, value) in values.iter().enumerate() {
            let Some(value) = value else { continue };
            let overflow = || Overflow {
                metric: catalogue.get(MetricId(index)).key.clone(),
                locations: value.locations.clone(),
            };
            let target = match ret.reporter {
                Reporter::Coordination => &mut consolidated[index],
                Reporter::Participant(p) => {
                    let row = by_reporter.entry(p).or_insert_with(|| vec![None; n]);
                    row[index] = add(row[index], value.estimate()).ok_or_else(overflow)?;
                    if let Some(day) = ret.day {
                        let row = by_day.entry(day).or_insert_with(|| vec![None; n]);
                        row[index] = add(row[index], value.estimate()).ok_or_else(overflow)?;
                    }
                    &mut from_returns[index]
                }
            };
            *target = Some(add_resolved(target.take(), value).ok_or_else(overflow)?);
        }
    }

    let mut metrics: Vec<MetricTotal> = consolidated
        .into_iter()
        .zip(from_returns)
        .map(|(consolidated, from_returns)| {
            let value = match (&consolidated, &from_returns) {
                (Some(c), _) => Some(published(c, Origin::Consolidated)),
                (None, Some(r)) => Some(published(r, Origin::SumOfReturns)),
                (None, None) => None,
            };
            MetricTotal {
                value,
                consolidated,
                from_returns,
                parts_sum: None,
                difference: None,
            }
        })
        .collect();
    for metric in catalogue.iter().filter(|m| !m.parts.is_empty()) {
        let mut sum: Option<Estimate> = None;
        for part in &metric.parts {
            if let Some(v) = &metrics[part.0].value {
                let estimate = Estimate {
                    nominal: v.nominal,
                    interval: v.interval,
                };
                sum = add(sum, estimate).ok_or_else(|| Overflow {
                    metric: metric.key.clone(),
                    locations: v.locations.clone(),
                })?;
            }
        }
        let total = &mut metrics[metric.id.0];
        total.parts_sum = sum;
        total.difference = match (
            total.value.as_ref().and_then(|v| v.interval.as_point()),
            sum.and_then(|s| s.interval.as_point()),
        ) {
            (Some(stated), Some(parts)) => Some(stated.signed_difference(parts)),
            _ => None,
        };
    }

    let reporters: Vec<ReporterTotals> = by_reporter
        .into_iter()
        .map(|(participant, values)| ReporterTotals {
            participant,
            values,
        })
        .collect();
    Ok(Totals {
        returns,
        metrics,
        by_country: roll_up(op, &reporters),
        reporters,
        days: by_day
            .into_iter()
            .map(|(day, values)| DayTotals { day, values })
            .collect(),
    })
}

/// Each reporter's figures under the country it belongs to, or its own.
/// Sums that would overflow keep the interval open (they were checked
/// when the returns were summed).
fn roll_up(op: &Operation, reporters: &[ReporterTotals]) -> Vec<CountryTotals> {
    let mut rows: Vec<(String, CountryTotals)> = Vec::new();
    for reporter in reporters {
        let participant = op.participant(reporter.participant);
        let who = match participant.part_of {
            None => RollUp::Participant(reporter.participant),
            Some(PartOf::Participant(country)) => RollUp::Participant(country),
            Some(PartOf::Country(country)) => RollUp::Country(country),
        };
        let key = match who {
            RollUp::Participant(id) => op
                .country_of(id)
                .map_or_else(|| op.participant(id).name.clone(), |c| c.alpha3.to_string()),
            RollUp::Country(country) => country.alpha3.to_string(),
        };
        match rows.iter_mut().find(|(k, _)| *k == key) {
            Some((_, row)) => {
                for (sum, value) in row.values.iter_mut().zip(&reporter.values) {
                    *sum = match (*sum, *value) {
                        (Some(a), Some(b)) => a.checked_add(b),
                        (a, b) => a.or(b),
                    };
                }
            }
            None => rows.push((
                key,
                CountryTotals {
                    who,
                    values: reporter.values.clone(),
                },
            )),
        }
    }
    rows.into_iter().map(|(_, row)| row).collect()
}

fn add(sum: Option<Estimate>, value: Estimate) -> Option<Option<Estimate>> {
    match sum {
        None => Some(Some(value)),
        Some(s) => s.checked_add(value).map(Some),
    }
}

fn add_resolved(sum: Option<Resolved>, value: &Resolved) -> Option<Resolved> {
    let Some(mut sum) = sum else {
        return Some(value.clone());
    };
    sum.parts = match (sum.parts, value.parts) {
        (Some(a), Some(b)) => Some(a.checked_add(b)?),
        (a, b) => a.or(b),
    };
    sum.interval = sum.interval.checked_add(value.interval)?;
    sum.nominal = sum.nominal.checked_add(value.nominal)?;
    sum.stated = None;
    // Extend in place: collecting a new list per return made the sum over
    // all returns quadratic (50 000 returns took minutes).
    sum.locations.extend(value.locations.iter().cloned());
    Some(sum)
}

fn published(resolved: &Resolved, origin: Origin) -> Value {
    Value {
        interval: resolved.interval,
        nominal: resolved.nominal,
        shown: resolved.shown(),
        origin,
        locations: resolved.locations.clone(),
    }
}

/// Resolves one return bottom-up: stated figures, and totals computed from
/// parts where the total was not stated.
pub fn resolve_return(
    catalogue: &Catalogue,
    ret: &Return,
) -> Result<Vec<Option<Resolved>>, Overflow> {
    let mut values: Vec<Option<Resolved>> = vec![None; catalogue.len()];
    for figure in &ret.figures {
        values[figure.metric.0] = Some(Resolved {
            interval: figure.quantity.interval(),
            nominal: figure.quantity,
            stated: Some(figure.quantity),
            locations: vec![figure.location.clone()],
            parts: None,
        });
    }
    // Parts come after their parent in the catalogue: walk backwards so each
    // part is resolved before the metric it belongs to.
    for metric in catalogue.iter().collect::<Vec<_>>().into_iter().rev() {
        if metric.parts.is_empty() {
            continue;
        }
        let mut sum: Option<Estimate> = None;
        let mut locations = Vec::new();
        for part in &metric.parts {
            if let Some(v) = &values[part.0] {
                sum = add(sum, v.estimate()).ok_or_else(|| Overflow {
                    metric: metric.key.clone(),
                    locations: v.locations.clone(),
                })?;
                locations.extend(v.locations.iter().cloned());
            }
        }
        let Some(sum) = sum else { continue };
        match &mut values[metric.id.0] {
            Some(stated) => stated.parts = Some(sum),
            slot @ None => {
                let total = match metric.breakdown {
                    Some(Breakdown::Partial) => sum.at_least(),
                    _ => sum,
                };
                *slot = Some(Resolved {
                    interval: total.interval,
                    nominal: total.nominal,
                    stated: None,
                    locations,
                    parts: Some(sum),
                });
            }
        }
    }
    Ok(values)
}
