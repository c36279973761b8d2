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

pub use finding::{Code, Finding, Findings, Severity};

use crate::aggregate::{Resolved, Totals};
use crate::format;
use crate::model::{
    Amount, Breakdown, CorrectionOutcome, GroupKind, Interval, Metric, Operation, Relation,
    Reporter, Satisfaction, Tolerance,
};
use std::collections::BTreeMap;

pub fn check(op: &Operation, totals: &Totals) -> Findings {
    let mut findings = Vec::new();
    part_whole(op, totals, &mut findings);
    returns_vs_consolidated(op, totals, &mut findings);
    declared_rules(op, totals, &mut findings);
    country_count(op, &mut findings);
    eu_membership(op, &mut findings);
    completeness(op, &mut findings);
    plausibility(op, totals, &mut findings);
    stale_corrections(op, &mut findings);
    findings.sort_by(|a, b| {
        (a.severity, a.locations.first(), a.code, &a.message).cmp(&(
            b.severity,
            b.locations.first(),
            b.code,
            &b.message,
        ))
    });
    Findings(findings)
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

/// What a warning adds: the figures are approximate and may be right.
const MAY_BE_APPROXIMATION: &str = "; the difference may be explained by the approximations";

fn difference(stated: Interval, computed: Interval) -> Option<crate::model::SignedAmount> {
    Some(stated.as_point()?.signed_difference(computed.as_point()?))
}

/// Stated totals against their parts, in every return.
fn part_whole(op: &Operation, totals: &Totals, findings: &mut Vec<Finding>) {
    for (ret, values) in op.returns.iter().zip(&totals.returns) {
        for metric in op.catalogue.breakdowns() {
            let Some(
                total @ Resolved {
                    stated: Some(_),
                    parts: Some(parts),
                    locations,
                    ..
                },
            ) = &values[metric.id.0]
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
            let unit = metric.unit;
            let mut message = format!(
                "{}: stated {} but its parts add up to {}",
                metric.label,
                format::quantity(total.shown(), unit),
                format::quantity(parts.shown(), unit),
            );
            if let Some(d) = diff {
                message.push_str(&format!(" (difference {})", format::signed(d)));
            }
            if ret.reporter != Reporter::Coordination {
                message.push_str(&format!(
                    " in the return of {}",
                    op.reporter_name(ret.reporter)
                ));
            }
            if severity == Severity::Warning {
                message.push_str(MAY_BE_APPROXIMATION);
            }
            let mut all_locations = locations.clone();
            for part in &metric.parts {
                if let Some(v) = &values[part.0] {
                    all_locations.extend(v.locations.iter().cloned());
                }
            }
            findings.push(Finding {
                metric: Some(metric.key.clone()),
                stated: Some(stated),
                computed: Some(parts.interval),
                difference: diff,
                locations: all_locations,
                ..Finding::new(code, severity, message)
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
        let mut message = format!(
            "{}: consolidated figure {} but the returns add up to {}",
            metric.label,
            format::quantity(consolidated.shown(), metric.unit),
            format::quantity(returns.shown(), metric.unit),
        );
        if let Some(d) = diff {
            message.push_str(&format!(" (difference {})", format::signed(d)));
        }
        if severity == Severity::Warning {
            message.push_str(MAY_BE_APPROXIMATION);
        }
        findings.push(Finding {
            metric: Some(metric.key.clone()),
            stated: Some(consolidated.interval),
            computed: Some(returns.interval),
            difference: diff,
            locations: consolidated
                .locations
                .iter()
                .chain(&returns.locations)
                .cloned()
                .collect(),
            ..Finding::new(Code::ReturnsDifferFromConsolidated, severity, message)
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
    for rule in &op.rules {
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
        let (l, r) = (op.catalogue.get(rule.left), op.catalogue.get(rule.right));
        let mut message = format!(
            "rule `{}`: {} ({}) should be {} {} ({})",
            rule.id,
            l.label,
            format::quantity(left.shown, l.unit),
            rule.relation.words(),
            r.label,
            format::quantity(right.shown, r.unit),
        );
        if severity == Severity::Warning && satisfaction == Satisfaction::Sometimes {
            message.push_str(MAY_BE_APPROXIMATION);
        }
        if let Some(text) = &rule.message {
            message = format!("{message}: {text}");
        }
        findings.push(Finding {
            metric: Some(l.key.clone()),
            stated: Some(left.interval),
            computed: Some(right.interval),
            difference: difference(left.interval, right.interval),
            locations: left
                .locations
                .iter()
                .chain(&right.locations)
                .chain([&rule.location])
                .cloned()
                .collect(),
            ..Finding::new(Code::RuleViolated, severity, message)
        });
    }
}

fn country_count(op: &Operation, findings: &mut Vec<Finding>) {
    let Some((claimed, location)) = &op.countries_claimed else {
        return;
    };
    let listed = op.listed_countries() as u64;
    if *claimed == listed {
        return;
    }
    let (claimed_a, listed_a) = (Amount::from_units(*claimed), Amount::from_units(listed));
    let message = format!(
        "the operation claims {claimed} countries but lists {listed} in its country groups (difference {})",
        format::signed(claimed_a.signed_difference(listed_a))
    );
    findings.push(Finding {
        stated: Some(Interval::point(claimed_a)),
        computed: Some(Interval::point(listed_a)),
        difference: Some(claimed_a.signed_difference(listed_a)),
        locations: vec![location.clone()],
        ..Finding::new(Code::CountryCountMismatch, Severity::Error, message)
    });
}

/// EU groups hold Member States at the operation's dates; others don't.
fn eu_membership(op: &Operation, findings: &mut Vec<Finding>) {
    for group in &op.groups {
        for &id in &group.members {
            let participant = op.participant(id);
            let at_start = eu::membership(&participant.name, op.start);
            let at_end = eu::membership(&participant.name, op.end);
            let member = at_start == eu::Membership::Member && at_end == eu::Membership::Member;
            let finding = match group.kind {
                GroupKind::EuMemberStates if !member => {
                    let why = if at_start == eu::Membership::Unknown {
                        match crate::load::did_you_mean(&participant.name, eu::members_on(op.start))
                        {
                            Some(help) => format!("not an EU Member State; {help}"),
                            None => "not an EU Member State".to_string(),
                        }
                    } else {
                        format!("not an EU Member State on {}–{}", op.start, op.end)
                    };
                    Finding::new(
                        Code::NotAnEuMemberState,
                        Severity::Error,
                        format!(
                            "{} is listed under “{}” but is {why}",
                            participant.name, group.label
                        ),
                    )
                }
                GroupKind::NonEuCountries | GroupKind::Partners if member => Finding::new(
                    Code::EuMemberStateOutsideEuGroup,
                    Severity::Error,
                    format!(
                        "{} is an EU Member State but is listed under “{}”",
                        participant.name, group.label
                    ),
                ),
                _ => continue,
            };
            findings.push(Finding {
                locations: vec![participant.location.clone()],
                ..finding
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
    for group in &op.groups {
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
            let participant = op.participant(id);
            findings.push(Finding {
                locations: vec![participant.location.clone()],
                ..Finding::new(
                    Code::MissingReturn,
                    Severity::Warning,
                    format!(
                        "{} is listed under “{}” but sent no return; its figures are missing from the totals",
                        participant.name, group.label
                    ),
                )
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
                format!(
                    "{} sent both a return for the whole operation and daily returns; their figures are added together",
                    op.reporter_name(reporter)
                ),
            )
        });
    }
}

/// Corrections whose `from` is not the value in force were not applied.
fn stale_corrections(op: &Operation, findings: &mut Vec<Finding>) {
    for correction in &op.corrections {
        let CorrectionOutcome::Stale { current } = &correction.outcome else {
            continue;
        };
        let metric = op.catalogue.get(correction.metric);
        let whom = match correction.day {
            Some(day) => format!("{} on {day}", op.reporter_name(correction.reporter)),
            None => op.reporter_name(correction.reporter).to_string(),
        };
        let (message, computed, mut locations) = match current {
            Some((quantity, location)) => (
                format!(
                    "stale correction of {} for {whom}: it changes {} but the figure in force is {}; not applied",
                    metric.label,
                    format::quantity(correction.from, metric.unit),
                    format::quantity(*quantity, metric.unit),
                ),
                Some(quantity.interval()),
                vec![location.clone()],
            ),
            None => (
                format!(
                    "stale correction of {} for {whom}: no such figure was reported; not applied",
                    metric.label
                ),
                None,
                Vec::new(),
            ),
        };
        locations.insert(0, correction.from_location.clone());
        findings.push(Finding {
            metric: Some(metric.key.clone()),
            stated: Some(correction.from.interval()),
            computed,
            difference: computed.and_then(|c| difference(correction.from.interval(), c)),
            locations,
            ..Finding::new(Code::StaleCorrection, Severity::Error, message)
        });
    }
}

/// A day's figure ten times above or below the reporter's other days.
fn plausibility(op: &Operation, totals: &Totals, findings: &mut Vec<Finding>) {
    const FACTOR: u128 = 10;
    // Small figures swing naturally (0, 3, 1 arrests): ignore gaps below this.
    const MIN_GAP: u64 = 20;
    // Each reporter's daily returns, gathered in one pass.
    let mut daily: BTreeMap<Reporter, Vec<usize>> = BTreeMap::new();
    for (i, ret) in op.returns.iter().enumerate() {
        if ret.day.is_some() {
            daily.entry(ret.reporter).or_default().push(i);
        }
    }
    for (reporter, days) in daily {
        if days.len() < 3 {
            continue;
        }
        for metric in op.catalogue.iter() {
            let exact: Vec<(usize, Amount, &Resolved)> = days
                .iter()
                .filter_map(|&i| {
                    let v = totals.returns[i][metric.id.0].as_ref()?;
                    v.stated?;
                    Some((i, v.interval.as_point()?, v))
                })
                .collect();
            if exact.len() < 3 {
                continue;
            }
            // The median of all days is robust to the one outlier we look for.
            let mut sorted: Vec<Amount> = exact.iter().map(|(_, v, _)| *v).collect();
            sorted.sort();
            let median = sorted[sorted.len() / 2];
            for (i, value, resolved) in &exact {
                let gap = value.signed_difference(median).abs();
                if gap < Amount::from_units(MIN_GAP) {
                    continue;
                }
                let too_high = value.micros() >= median.micros().saturating_mul(FACTOR)
                    && median > Amount::ZERO;
                let too_low = value.micros().saturating_mul(FACTOR) <= median.micros();
                if !(too_high || too_low) {
                    continue;
                }
                findings.push(implausible(
                    op, metric, reporter, *i, *value, median, resolved, too_high,
                ));
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn implausible(
    op: &Operation,
    metric: &Metric,
    reporter: Reporter,
    index: usize,
    value: Amount,
    median: Amount,
    resolved: &Resolved,
    too_high: bool,
) -> Finding {
    let day = op.returns[index]
        .day
        .map(|d| d.to_string())
        .unwrap_or_default();
    let hint = if too_high {
        "an extra digit"
    } else {
        "a missing digit"
    };
    let message = format!(
        "{}: {} reported {} on {day}, against a median of {} over its days (likely {hint})",
        metric.label,
        op.reporter_name(reporter),
        format::with_unit(value, metric.unit),
        format::with_unit(median, metric.unit),
    );
    Finding {
        metric: Some(metric.key.clone()),
        stated: Some(Interval::point(value)),
        computed: Some(Interval::point(median)),
        difference: Some(value.signed_difference(median)),
        locations: resolved.locations.clone(),
        ..Finding::new(Code::ImplausibleDayFigure, Severity::Warning, message)
    }
}
