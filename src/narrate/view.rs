//! What templates see: the operation, its figures and findings, already
//! formatted in the house style (renderers and templates never sum).

use crate::aggregate::{MetricTotal, Totals};
use crate::check::{Findings, Severity};
use crate::format;
use crate::model::{GroupKind, Metric, MetricId, Operation, Qualifier, Quantity};
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

#[derive(Clone, Debug, Serialize)]
pub struct MetricView {
    pub key: String,
    pub name: String,
    pub label: String,
    pub phrase: String,
    pub unit: String,
    pub has_value: bool,
    /// As published: "566", "almost 1 t", "626 kg".
    pub figure: Option<String>,
    /// The rounded wording for headlines: "almost 290 000"; a qualified
    /// figure keeps its own wording.
    pub approx: Option<String>,
    pub qualified: bool,
    pub breakdown: Option<&'static str>,
    /// Parts that have a figure, in catalogue order.
    pub parts: Vec<MetricView>,
    pub parts_sum: Option<String>,
    /// Stated total minus the parts, when positive: "4".
    pub unattributed: Option<String>,
    /// Stated total minus the parts, signed, when they differ: "+4".
    pub difference: Option<String>,
    /// This part's share of its total, when both are exact: "38.5%".
    pub share: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupView {
    pub label: String,
    pub kind: &'static str,
    pub members: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FootnoteView {
    pub marker: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActivityView {
    pub label: String,
    pub description: String,
    pub participants: Vec<String>,
    pub metrics: Vec<MetricView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OperationView {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub region: Option<String>,
    pub description: Option<String>,
    /// "13–18 November 2023"
    pub period: String,
    /// "between 13 and 18 November 2023"
    pub period_between: String,
    pub days: i64,
    pub coordinator: Option<String>,
    pub coordination_centre: Option<String>,
    pub marking: String,
    /// The claimed number of countries, else the number listed.
    pub countries: u64,
    pub groups: Vec<GroupView>,
    /// EU agencies and partners, for "supported by …".
    pub supporters: Vec<String>,
    pub footnotes: Vec<FootnoteView>,
    pub activities: Vec<ActivityView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingView {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub place: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingsView {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub summary: String,
    pub list: Vec<FindingView>,
}

/// The whole template context.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    pub op: OperationView,
    /// Top-level metrics by key (`m.arrests.figure`).
    pub m: BTreeMap<String, MetricView>,
    /// Top-level metrics with a figure, in catalogue order.
    pub metrics: Vec<MetricView>,
    pub findings: FindingsView,
}

pub fn view(op: &Operation, totals: &Totals, findings: &Findings) -> View {
    let metric_view = |id: MetricId| metric(op, totals, id);
    let roots: Vec<MetricView> = op.catalogue.roots().map(|m| metric_view(m.id)).collect();
    View {
        op: operation(op, totals),
        m: roots.iter().map(|v| (v.key.clone(), v.clone())).collect(),
        metrics: roots.into_iter().filter(|v| v.has_value).collect(),
        findings: FindingsView {
            errors: findings.count(Severity::Error),
            warnings: findings.count(Severity::Warning),
            infos: findings.count(Severity::Info),
            summary: findings.summary(),
            list: findings
                .iter()
                .map(|f| FindingView {
                    severity: f.severity.key(),
                    code: f.code.key(),
                    message: crate::check::wording::message(op, f),
                    place: f
                        .locations
                        .first()
                        .map(|l| l.to_string())
                        .unwrap_or_default(),
                })
                .collect(),
        },
    }
}

/// A quantity of `metric` in its best unit: "almost 1 t", "626 kg".
pub fn figure(metric: &Metric, quantity: Quantity) -> String {
    let (amount, unit) = format::best_unit(quantity.amount, metric.unit, metric.display_unit);
    format::quantity(Quantity { amount, ..quantity }, unit)
}

pub fn metric(op: &Operation, totals: &Totals, id: MetricId) -> MetricView {
    let metric = op.catalogue.get(id);
    let total: &MetricTotal = totals.metric(id);
    let shown = total.value.as_ref().map(|v| v.shown);
    let approx = shown.map(|q| match q.qualifier {
        Qualifier::Exact => figure(metric, format::approximate(q.amount)),
        _ => figure(metric, q),
    });
    let unit = |amount| format::with_unit(amount, metric.unit);
    MetricView {
        key: metric.key.clone(),
        name: metric.name().to_string(),
        label: metric.label.clone(),
        phrase: metric.phrase.clone(),
        unit: metric.unit.symbol().to_string(),
        has_value: shown.is_some(),
        figure: shown.map(|q| figure(metric, q)),
        approx,
        qualified: shown.is_some_and(|q| q.qualifier != Qualifier::Exact),
        breakdown: metric.breakdown.map(|b| b.key()),
        parts: metric
            .parts
            .iter()
            .map(|&p| self::metric(op, totals, p))
            .filter(|p| p.has_value)
            .collect(),
        parts_sum: total
            .parts_sum
            .map(|s| format::quantity(s.shown(), metric.unit)),
        unattributed: total.unattributed().map(unit),
        difference: total
            .difference
            .filter(|d| !d.is_zero())
            .map(format::signed),
        share: share(totals, metric),
    }
}

fn share(totals: &Totals, metric: &Metric) -> Option<String> {
    let exact = |id: MetricId| totals.metric(id).value.as_ref()?.interval.as_point();
    format::percent(exact(metric.id)?, exact(metric.parent?)?)
}

fn operation(op: &Operation, totals: &Totals) -> OperationView {
    let names = |ids: &[crate::model::ParticipantId]| {
        ids.iter().map(|&id| op.marked_name(id)).collect::<Vec<_>>()
    };
    OperationView {
        id: op.id.clone(),
        name: op.name.clone(),
        short_name: op.short_name.clone(),
        region: op.region.clone(),
        description: op.description.clone(),
        period: period(op.start, op.end, "–"),
        period_between: format!("between {}", period(op.start, op.end, " and ")),
        days: (op.end - op.start).whole_days() + 1,
        coordinator: op.coordinator.clone(),
        coordination_centre: op.coordination_centre.clone(),
        marking: op.marking.clone(),
        countries: op
            .countries_claimed
            .as_ref()
            .map_or(op.listed_countries() as u64, |(n, _)| *n),
        groups: op
            .groups
            .iter()
            .map(|g| GroupView {
                label: g.label.clone(),
                kind: g.kind.key(),
                members: names(&g.members),
            })
            .collect(),
        supporters: op
            .groups
            .iter()
            .filter(|g| matches!(g.kind, GroupKind::EuAgencies))
            .flat_map(|g| names(&g.members))
            .collect(),
        footnotes: op
            .footnotes
            .iter()
            .map(|f| FootnoteView {
                marker: f.marker.clone(),
                text: f.text.clone(),
            })
            .collect(),
        activities: op
            .activities
            .iter()
            .map(|a| ActivityView {
                label: a.label.clone(),
                description: a.description.clone(),
                participants: names(&a.participants),
                metrics: a.metrics.iter().map(|&m| metric(op, totals, m)).collect(),
            })
            .collect(),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn long_date(date: Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[usize::from(u8::from(date.month())) - 1],
        date.year()
    )
}

/// "13–18 November 2023", "30 October – 3 November 2023", across years in full.
pub fn period(start: Date, end: Date, joiner: &str) -> String {
    let month = |d: Date| MONTHS[usize::from(u8::from(d.month())) - 1];
    if start == end {
        long_date(start)
    } else if start.year() != end.year() {
        format!("{}{joiner}{}", long_date(start), long_date(end))
    } else if start.month() != end.month() {
        let spaced = if joiner == "–" { " – " } else { joiner };
        format!("{} {}{spaced}{}", start.day(), month(start), long_date(end))
    } else {
        format!("{}{joiner}{}", start.day(), long_date(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_read_naturally() {
        assert_eq!(
            period(date!(2023 - 11 - 13), date!(2023 - 11 - 18), "–"),
            "13–18 November 2023"
        );
        assert_eq!(
            period(date!(2023 - 11 - 13), date!(2023 - 11 - 18), " and "),
            "13 and 18 November 2023"
        );
        assert_eq!(
            period(date!(2023 - 10 - 30), date!(2023 - 11 - 03), "–"),
            "30 October – 3 November 2023"
        );
        assert_eq!(
            period(date!(2023 - 12 - 28), date!(2024 - 01 - 02), " and "),
            "28 December 2023 and 2 January 2024"
        );
    }
}
