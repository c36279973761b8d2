//! Check: Operation (+ its Totals) → Findings. Nothing is dropped or "fixed".
//!
//! Every rule reads a figure twice: by its nominal value (the number
//! printed, or the printed numbers summed) and by its interval (every value
//! its qualifiers admit). No finding when the nominal values satisfy the
//! rule; a warning when only values inside the intervals can (the
//! difference may be explained by the approximations); an error when none
//! can.

mod eu;
mod finding;
pub mod wording;

pub use finding::{Code, Finding, Findings, Severity, Subject, difference_json, estimate_json};

use crate::aggregate::{InReturn, Totals};
use crate::model::{
    Amount, Breakdown, CorrectionOutcome, Estimate, Figure, GroupKind, Interval, Metric, Operation,
    ParticipantId, Plausibility, Relation, Reporter, Satisfaction, Tolerance,
};
use crate::source::Location;
use std::collections::BTreeMap;

pub fn check(op: &Operation, totals: &Totals) -> Findings {
    let mut findings = Vec::new();
    part_whole(op, totals, &mut findings);
    returns_vs_consolidated(op, totals, &mut findings);
    declared_rules(op, totals, &mut findings);
    country_count(op, &mut findings);
    eu_membership(op, &mut findings);
    completeness(op, &mut findings);
    completeness_by_day(op, &mut findings);
    plausibility(op, &mut findings);
    stale_corrections(op, &mut findings);
    correction_dates(op, &mut findings);
    workbook_size(op, &mut findings);
    findings.sort_by(|a, b| {
        (a.severity, a.locations.first(), a.code).cmp(&(b.severity, b.locations.first(), b.code))
    });
    Findings(findings)
}

/// Rows of one worksheet below its header (Excel's 1 048 576 less one):
/// the master's Returns table has a row per return.
pub const SHEET_ROWS: usize = 1_048_575;

/// How many sheets a Returns table of `rows` rows takes.
pub fn sheets_for(rows: usize) -> usize {
    rows.div_ceil(SHEET_ROWS).max(1)
}

/// Warns before `build` when the master's Returns table will not fit one
/// sheet (it is split, in file order, over numbered sheets).
fn workbook_size(op: &Operation, findings: &mut Vec<Finding>) {
    let returns = op.returns.iter().filter(|r| !r.figures.is_empty()).count();
    let sheets = sheets_for(returns);
    if sheets > 1 {
        findings.push(Finding::new(
            Code::ReturnsSplitOverSheets,
            Severity::Warning,
            Subject::ReturnsSheets { returns, sheets },
        ));
    }
}

/// The finding a rule gives: none when the nominal values hold it, a
/// warning when the intervals still can, `when_never` when they cannot.
fn severity_of(
    nominal_holds: bool,
    satisfaction: Satisfaction,
    when_never: Severity,
) -> Option<Severity> {
    match satisfaction {
        _ if nominal_holds => None,
        Satisfaction::Always => None,
        Satisfaction::Sometimes => Some(Severity::Warning),
        Satisfaction::Never => Some(when_never),
    }
}

fn difference(stated: Interval, computed: Interval) -> Option<crate::model::SignedAmount> {
    Some(stated.as_point()?.signed_difference(computed.as_point()?))
}

/// Stated totals against their parts, in every return.
fn part_whole(op: &Operation, totals: &Totals, findings: &mut Vec<Finding>) {
    for ret in 0..op.returns.len() {
        for metric in op.catalogue.breakdowns() {
            let Some(
                total @ InReturn {
                    figure: Some(figure),
                    parts: Some(parts),
                    ..
                },
            ) = totals.in_return(op, ret, metric.id)
            else {
                continue;
            };
            let stated = total.interval;
            let (nominal_stated, nominal_parts) = (total.nominal.amount, parts.nominal.amount);
            let (code, nominal_holds, satisfaction) = match metric.breakdown {
                Some(Breakdown::Partial) => (
                    Code::PartsExceedTotal,
                    nominal_parts <= nominal_stated,
                    parts.interval.at_most(stated, Amount::ZERO),
                ),
                _ => (
                    Code::PartsDifferFromTotal,
                    nominal_parts == nominal_stated,
                    stated.equals(parts.interval),
                ),
            };
            let Some(severity) = severity_of(nominal_holds, satisfaction, Severity::Error) else {
                continue;
            };
            let diff = difference(stated, parts.interval);
            let mut all_locations = vec![op.sources.at(figure.place)];
            for &part in &metric.parts {
                let places = totals.places_in_return(op, ret, part);
                all_locations.extend(places.into_iter().map(|p| op.sources.at(p)));
            }
            let subject = Subject::Breakdown {
                metric: metric.id,
                ret,
            };
            findings.push(Finding {
                stated: Some(total.estimate()),
                computed: Some(parts),
                difference: diff,
                locations: all_locations,
                ..Finding::new(code, severity, subject)
            });
        }
    }
}

/// A consolidated figure against the sum of the participants' returns.
fn returns_vs_consolidated(op: &Operation, totals: &Totals, findings: &mut Vec<Finding>) {
    for metric in op.catalogue.iter() {
        let total = totals.metric(metric.id);
        let (Some(consolidated), Some(returns)) = (&total.consolidated, &total.from_returns) else {
            continue;
        };
        let Some(severity) = severity_of(
            consolidated.nominal.amount == returns.nominal.amount,
            consolidated.interval.equals(returns.interval),
            Severity::Error,
        ) else {
            continue;
        };
        let diff = difference(consolidated.interval, returns.interval);
        findings.push(Finding {
            stated: Some(consolidated.estimate()),
            computed: Some(returns.estimate()),
            difference: diff,
            locations: consolidated
                .places
                .iter()
                .chain(&returns.places)
                .map(|&p| op.sources.at(p))
                .collect(),
            ..Finding::new(
                Code::ReturnsDifferFromConsolidated,
                severity,
                Subject::Consolidated { metric: metric.id },
            )
        });
    }
}

fn tolerance_amount(tolerance: Tolerance, right: Interval) -> Amount {
    match tolerance {
        Tolerance::Absolute(a) => a,
        // Percent of the right side's lower bound: the stricter reading.
        Tolerance::Percent(p) => {
            Amount::from_micros(right.low.micros().saturating_mul(p.micros()) / 100_000_000)
                .unwrap_or(Amount::MAX)
        }
    }
}

/// Declared relations between metrics, on the published figures.
fn declared_rules(op: &Operation, totals: &Totals, findings: &mut Vec<Finding>) {
    for (index, rule) in op.rules.iter().enumerate() {
        let (Some(left), Some(right)) = (
            &totals.metric(rule.left).value,
            &totals.metric(rule.right).value,
        ) else {
            continue;
        };
        let tolerance = tolerance_amount(rule.tolerance, right.interval);
        let (l_nominal, r_nominal) = (left.nominal.amount, right.nominal.amount);
        let within = |a: Amount, b: Amount| b.checked_add(tolerance).is_none_or(|b| a <= b);
        let nominal_holds = match rule.relation {
            Relation::AtMost => within(l_nominal, r_nominal),
            Relation::AtLeast => within(r_nominal, l_nominal),
            Relation::Equal => within(l_nominal, r_nominal) && within(r_nominal, l_nominal),
        };
        let satisfaction = match rule.relation {
            Relation::AtMost => left.interval.at_most(right.interval, tolerance),
            Relation::AtLeast => right.interval.at_most(left.interval, tolerance),
            Relation::Equal => {
                let both = [
                    left.interval.at_most(right.interval, tolerance),
                    right.interval.at_most(left.interval, tolerance),
                ];
                if both.contains(&Satisfaction::Never) {
                    Satisfaction::Never
                } else if both.contains(&Satisfaction::Sometimes) {
                    Satisfaction::Sometimes
                } else {
                    Satisfaction::Always
                }
            }
        };
        let Some(severity) = severity_of(nominal_holds, satisfaction, rule.severity) else {
            continue;
        };
        let severity = severity.max(rule.severity);
        let subject = Subject::Rule {
            rule: index,
            approximate: satisfaction == Satisfaction::Sometimes,
        };
        findings.push(Finding {
            stated: Some(left.estimate()),
            computed: Some(right.estimate()),
            difference: difference(left.interval, right.interval),
            locations: left
                .places
                .iter()
                .chain(&right.places)
                .map(|&p| op.sources.at(p))
                .chain([rule.location.clone()])
                .collect(),
            ..Finding::new(Code::RuleViolated, severity, subject)
        });
    }
}

/// Claimed counts of countries against the lists, where there is a list:
/// a count a release gives without naming the countries has nothing to be
/// compared with.
fn country_count(op: &Operation, findings: &mut Vec<Finding>) {
    let mismatch = |code: Code, claimed: u64, found: u64, subject: Subject, locations| {
        let (claimed, found) = (Amount::from_units(claimed), Amount::from_units(found));
        Finding {
            stated: Some(Estimate::exact(claimed)),
            computed: Some(Estimate::exact(found)),
            difference: Some(claimed.signed_difference(found)),
            locations,
            ..Finding::new(code, Severity::Error, subject)
        }
    };
    for (index, group) in op.groups.iter().enumerate() {
        let Some((claimed, location)) = &group.count else {
            continue;
        };
        let listed = group.members.len() as u64;
        if listed == 0 || *claimed == listed {
            continue;
        }
        findings.push(mismatch(
            Code::GroupCountMismatch,
            *claimed,
            listed,
            Subject::GroupCount { group: index },
            vec![location.clone(), group.location.clone()],
        ));
    }
    let Some((claimed, location)) = &op.countries_claimed else {
        return;
    };
    let listed = op.listed_countries() as u64;
    if op.countries_fully_listed() && listed > 0 && *claimed != listed {
        findings.push(mismatch(
            Code::CountryCountMismatch,
            *claimed,
            listed,
            Subject::CountryCount {
                against_group_counts: false,
            },
            vec![location.clone()],
        ));
    }
    let country_groups = || op.groups.iter().filter(|g| g.kind.is_countries());
    if country_groups().any(|g| g.count.is_some()) {
        // Saturating: counts come from the input and may be absurd.
        let sum = country_groups().fold(0u64, |sum, g| sum.saturating_add(g.stated_count()));
        if sum != *claimed {
            let mut locations = vec![location.clone()];
            locations
                .extend(country_groups().filter_map(|g| g.count.as_ref().map(|c| c.1.clone())));
            findings.push(mismatch(
                Code::CountryCountMismatch,
                *claimed,
                sum,
                Subject::CountryCount {
                    against_group_counts: true,
                },
                locations,
            ));
        }
    }
}

/// EU groups hold Member States at the operation's dates; others don't.
fn eu_membership(op: &Operation, findings: &mut Vec<Finding>) {
    for (index, group) in op.groups.iter().enumerate() {
        for &id in &group.members {
            let participant = op.participant(id);
            let code = match (group.kind, eu::member_throughout(op, participant)) {
                (GroupKind::EuMemberStates, false) => Code::NotAnEuMemberState,
                (GroupKind::NonEuCountries | GroupKind::Partners, true) => {
                    Code::EuMemberStateOutsideEuGroup
                }
                _ => continue,
            };
            let subject = Subject::Membership {
                participant: id,
                group: index,
            };
            findings.push(Finding {
                locations: vec![participant.location.clone()],
                ..Finding::new(code, Severity::Error, subject)
            });
        }
    }
}

/// Participants without a return, in groups where others did report; and
/// reporters whose whole-operation and daily returns would be counted twice.
fn completeness(op: &Operation, findings: &mut Vec<Finding>) {
    let mut reported: BTreeMap<Reporter, (bool, bool)> = BTreeMap::new();
    for ret in &op.returns {
        let entry = reported.entry(ret.reporter).or_default();
        if ret.day.is_some() {
            entry.1 = true;
        } else {
            entry.0 = true;
        }
    }
    for (index, group) in op.groups.iter().enumerate() {
        let any = group
            .members
            .iter()
            .any(|&id| reported.contains_key(&Reporter::Participant(id)));
        if !any {
            continue;
        }
        for &id in &group.members {
            if reported.contains_key(&Reporter::Participant(id)) {
                continue;
            }
            let subject = Subject::MissingReturn {
                participant: id,
                group: index,
            };
            findings.push(Finding {
                locations: vec![op.participant(id).location.clone()],
                ..Finding::new(Code::MissingReturn, Severity::Warning, subject)
            });
        }
    }
    for (reporter, (whole, daily)) in reported {
        if !(whole && daily) {
            continue;
        }
        let locations = op
            .returns
            .iter()
            .filter(|r| r.reporter == reporter)
            .map(|r| r.reporter_location.clone())
            .collect();
        findings.push(Finding {
            locations,
            ..Finding::new(
                Code::OverlappingReturns,
                Severity::Error,
                Subject::OverlappingReturns { reporter },
            )
        });
    }
}

/// The action days from the start up to `latest` (none when nobody has
/// reported a day yet), less the days the operation says are not action days.
pub(crate) fn action_days(op: &Operation, latest: Option<time::Date>) -> Vec<time::Date> {
    let Some(latest) = latest else {
        return Vec::new();
    };
    let mut days = Vec::new();
    let mut day = op.start;
    while day <= latest.min(op.end) {
        if !op.reporting.not_action_days.contains(&day) {
            days.push(day);
        }
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    days
}

/// Participants that report daily and lack a return on an action day, up
/// to the latest day anyone has reported (the days still to come are not
/// missing yet): one finding per participant, naming the days.
fn completeness_by_day(op: &Operation, findings: &mut Vec<Finding>) {
    let latest = op.returns.iter().filter_map(|r| r.day).max();
    let days = action_days(op, latest);
    if days.is_empty() {
        return;
    }
    let mut reported: BTreeMap<ParticipantId, std::collections::BTreeSet<time::Date>> =
        BTreeMap::new();
    let mut whole_operation = std::collections::BTreeSet::new();
    for ret in &op.returns {
        let Reporter::Participant(id) = ret.reporter else {
            continue;
        };
        match ret.day {
            Some(day) => {
                reported.entry(id).or_default().insert(day);
            }
            None => {
                whole_operation.insert(id);
            }
        }
    }
    // Declared, or else whoever sent a daily return; one that reported for
    // the whole operation is not missing days (overlapping-returns says
    // when it sent both).
    let daily: Vec<ParticipantId> = match &op.reporting.daily {
        Some(list) => list.clone(),
        None => reported.keys().copied().collect(),
    };
    for id in daily {
        if whole_operation.contains(&id) {
            continue;
        }
        let sent = reported.get(&id);
        let missing: Vec<time::Date> = days
            .iter()
            .filter(|d| sent.is_none_or(|s| !s.contains(d)))
            .copied()
            .collect();
        if missing.is_empty() {
            continue;
        }
        let location = op
            .returns_index
            .of(id)
            .last()
            .and_then(|&i| op.returns.get(i))
            .map_or_else(
                || op.participant(id).location.clone(),
                |r| r.reporter_location.clone(),
            );
        findings.push(Finding {
            locations: vec![location],
            ..Finding::new(
                Code::MissingDay,
                Severity::Warning,
                Subject::MissingDays {
                    participant: id,
                    days: missing,
                },
            )
        });
    }
}

/// Corrections whose `from` is not the value in force were not applied.
fn stale_corrections(op: &Operation, findings: &mut Vec<Finding>) {
    for (index, correction) in op.corrections.iter().enumerate() {
        let CorrectionOutcome::Stale { current } = &correction.outcome else {
            continue;
        };
        let computed = current
            .as_ref()
            .map(|(quantity, _)| Estimate::of(*quantity));
        let mut locations = vec![correction.from_location.clone()];
        locations.extend(current.as_ref().map(|(_, location)| location.clone()));
        findings.push(Finding {
            stated: correction.from.map(Estimate::of),
            computed,
            difference: computed
                .zip(correction.from)
                .and_then(|(c, from)| difference(from.interval(), c.interval)),
            locations,
            ..Finding::new(
                Code::StaleCorrection,
                Severity::Error,
                Subject::StaleCorrection { correction: index },
            )
        });
    }
}

/// Corrections dated before the operation or more than a year after its
/// figures were published (or it ended): likely a mistyped year.
fn correction_dates(op: &Operation, findings: &mut Vec<Finding>) {
    let reference = op.published.unwrap_or(op.end);
    let latest = reference
        .replace_year(reference.year() + 1)
        .unwrap_or(reference);
    for (index, correction) in op.corrections.iter().enumerate() {
        if correction.date >= op.start && correction.date <= latest {
            continue;
        }
        findings.push(Finding {
            locations: vec![correction.location.clone()],
            ..Finding::new(
                Code::ImplausibleCorrectionDate,
                Severity::Warning,
                Subject::CorrectionDate { correction: index },
            )
        });
    }
}

/// A day's figure ten times above or below the reporter's other days.
fn plausibility(op: &Operation, findings: &mut Vec<Finding>) {
    const ONE: u128 = 1_000_000;
    // Small figures swing naturally (0, 3, 1 arrests): ignore gaps below this.
    const MIN_GAP: u64 = 20;
    // Each reporter's daily returns, gathered in one pass.
    let mut daily: BTreeMap<Reporter, Vec<usize>> = BTreeMap::new();
    for (i, ret) in op.returns.iter().enumerate() {
        if ret.day.is_some() {
            daily.entry(ret.reporter).or_default().push(i);
        }
    }
    for days in daily.into_values() {
        if days.len() < 3 {
            continue;
        }
        for metric in op.catalogue.iter() {
            let factor = match op.catalogue.plausibility(metric.id) {
                Plausibility::Off => continue,
                Plausibility::Factor(factor) => factor.micros(),
            };
            let exact: Vec<(usize, Amount, &Figure)> = days
                .iter()
                .filter_map(|&i| {
                    let figure = op.returns[i].figure(metric.id)?;
                    Some((i, figure.quantity.interval().as_point()?, figure))
                })
                .collect();
            if exact.len() < 3 {
                continue;
            }
            // The median of all days is robust to the one outlier we look for.
            let mut sorted: Vec<Amount> = exact.iter().map(|(_, v, _)| *v).collect();
            sorted.sort();
            let median = sorted[sorted.len() / 2];
            for (i, value, figure) in &exact {
                let gap = value.signed_difference(median).abs();
                if gap < Amount::from_units(MIN_GAP) {
                    continue;
                }
                // value ≥ factor × median, or value × factor ≤ median, in
                // millionths on both sides.
                let too_high = value.micros().saturating_mul(ONE)
                    >= median.micros().saturating_mul(factor)
                    && median > Amount::ZERO;
                let too_low =
                    value.micros().saturating_mul(factor) <= median.micros().saturating_mul(ONE);
                if !(too_high || too_low) {
                    continue;
                }
                let location = op.sources.at(figure.place);
                findings.push(implausible(metric, *i, *value, median, location, too_high));
            }
        }
    }
}

fn implausible(
    metric: &Metric,
    ret: usize,
    value: Amount,
    median: Amount,
    location: Location,
    too_high: bool,
) -> Finding {
    let subject = Subject::ImplausibleDay {
        metric: metric.id,
        ret,
        too_high,
    };
    Finding {
        stated: Some(Estimate::exact(value)),
        computed: Some(Estimate::exact(median)),
        difference: Some(value.signed_difference(median)),
        locations: vec![location],
        ..Finding::new(Code::ImplausibleDayFigure, Severity::Warning, subject)
    }
}

#[cfg(test)]
mod tests {
    use super::{SHEET_ROWS, sheets_for};

    #[test]
    fn returns_past_a_sheet_take_numbered_sheets() {
        assert_eq!(sheets_for(0), 1);
        assert_eq!(sheets_for(50_000), 1);
        assert_eq!(sheets_for(SHEET_ROWS), 1);
        assert_eq!(sheets_for(SHEET_ROWS + 1), 2);
        assert_eq!(sheets_for(3 * SHEET_ROWS), 3);
    }
}
