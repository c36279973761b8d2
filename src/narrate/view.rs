//! What templates see: the operation, its figures and findings, already
//! formatted in the house style (renderers and templates never sum).

use crate::aggregate::{MetricTotal, Totals};
use crate::check::{Findings, Severity};
use crate::format;
use crate::model::{
    Amount, Breakdown, GroupKind, Metric, MetricId, Operation, Qualifier, Quantity,
};
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

#[derive(Clone, Debug, Serialize)]
pub struct MetricView {
    pub key: String,
    pub name: String,
    pub label: String,
    pub phrase: String,
    /// The words after the number 1: "arrest".
    pub phrase_one: String,
    /// "Arrests by crime area".
    pub chart_title: String,
    pub unit: String,
    pub has_value: bool,
    /// As published: "566", "almost 1 t", "626 kg".
    pub figure: Option<String>,
    /// The figure with the words that follow it: "566 arrests", "1 arrest",
    /// "almost 1 t of drugs".
    pub figure_phrase: Option<String>,
    /// The rounded wording for headlines: "almost 290 000"; a qualified
    /// figure keeps its own wording.
    pub approx: Option<String>,
    /// `approx` with its words: "almost 290 000 entities checked".
    pub approx_phrase: Option<String>,
    /// Whether the figure is exactly one (for "1 arrest … was").
    pub is_one: bool,
    pub qualified: bool,
    pub breakdown: Option<&'static str>,
    /// Parts that have a figure, in catalogue order.
    pub parts: Vec<MetricView>,
    pub parts_sum: Option<String>,
    /// What the parts of an EXHAUSTIVE breakdown leave unexplained (stated
    /// total minus the parts), when positive: "4". A partial breakdown
    /// ("including …") has no such remainder: the rest is simply unstated.
    pub unattributed: Option<String>,
    /// The words after `unattributed`: "not attributed to a crime area".
    pub remainder: String,
    /// Stated total minus the parts, signed, when they differ in a way that
    /// matters: any difference of an exhaustive breakdown, parts above the
    /// total of a partial one: "+4".
    pub difference: Option<String>,
    /// The parts add up to more than the stated total.
    pub parts_exceed: bool,
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

/// A group of participating countries with its count, for "12 EU Member
/// States and 9 non-EU countries".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CountryGroupView {
    /// As it reads inside a sentence: "EU Member States", "non-EU countries".
    pub label: String,
    pub count: u64,
    /// The listed members, if any (one member reads better by name).
    pub members: Vec<String>,
}

/// Who took part, as the wording needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParticipationView {
    /// The number of countries: claimed, else listed; `None` when neither
    /// (then the texts say nothing about countries).
    pub countries: Option<u64>,
    /// "countries", "country" for one, or the operation's own words.
    pub countries_noun: String,
    /// Per-group counts when the texts should word them per group; empty
    /// when the count alone is stated.
    pub country_groups: Vec<CountryGroupView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OperationView {
    pub id: String,
    pub name: String,
    pub short_name: String,
    /// "EMPACT Joint Action Days South East Europe 2023 (EMPACT JAD SEE
    /// 2023)"; the name alone when there is no other short name.
    pub title: String,
    pub region: Option<String>,
    pub description: Option<String>,
    /// "13–18 November 2023"
    pub period: String,
    /// "between 13 and 18 November 2023" (also for one day; prefer
    /// `period_words`)
    pub period_between: String,
    /// "on 4 June 2024", "between 2 and 13 November 2020"
    pub period_words: String,
    /// "one day", "two days", "a week", "12 days", "three weeks", "a
    /// month", "five months", "a year"
    pub duration_words: String,
    /// What `duration_words` counts: "day", "days", "week", "weeks",
    /// "month", "months", "year" or "years".
    pub duration_kind: &'static str,
    pub days: i64,
    pub coordinator: Option<String>,
    pub coordination_centre: Option<String>,
    pub marking: String,
    pub countries: Option<u64>,
    pub countries_noun: String,
    pub country_groups: Vec<CountryGroupView>,
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
    /// Top-level metrics by key (`m.arrests.figure`): for an operation's
    /// own templates, which know its metrics. Shipped templates never use it.
    pub m: BTreeMap<String, MetricView>,
    /// Top-level metrics with a figure, in catalogue order.
    pub metrics: Vec<MetricView>,
    /// The figure that heads the release, if any metric has one. (The
    /// headline text itself is `headline` in the press release.)
    pub headline_metric: Option<MetricView>,
    /// The key figures, in tile order.
    pub tiles: Vec<MetricView>,
    pub findings: FindingsView,
}

fn has_value(totals: &Totals, id: MetricId) -> bool {
    totals.metric(id).value.is_some()
}

/// The headline metric: the operation's choice when it has a figure, else
/// the first top-level metric with a figure, in catalogue order.
pub fn headline_metric(op: &Operation, totals: &Totals) -> Option<MetricId> {
    op.presentation
        .headline
        .filter(|&id| has_value(totals, id))
        .or_else(|| {
            op.catalogue
                .roots()
                .map(|m| m.id)
                .find(|&id| has_value(totals, id))
        })
}

/// Most key-figure tiles the briefing shows.
const TILES: usize = 6;

/// The key figures: `[presentation] tiles`, else the layout's, else the
/// top-level metrics with a figure in catalogue order; each only with a
/// figure, at most six.
pub fn tile_metrics(op: &Operation, totals: &Totals) -> Vec<MetricId> {
    let chosen = op.presentation.tiles.as_ref().or(op.layout.tiles.as_ref());
    let candidates: Vec<MetricId> = match chosen {
        Some(ids) => ids.clone(),
        None => op.catalogue.roots().map(|m| m.id).collect(),
    };
    candidates
        .into_iter()
        .filter(|&id| has_value(totals, id))
        .take(TILES)
        .collect()
}

/// The metrics charted per reporter and per day: the layout's, else two
/// of: the headline the operation chose, then the top-level metrics with a
/// breakdown, then the other top-level metrics (each with a figure, in
/// catalogue order). Metrics the catalogue breaks down are the counts an
/// operation is about (arrests, entities checked — the shipped layout's
/// old choice), where "who contributed" is asked first; two, because each
/// gives a chart per reporter and one per day, and more would bury the
/// breakdowns.
pub fn reporter_chart_metrics(op: &Operation, totals: &Totals) -> Vec<MetricId> {
    if let Some(ids) = &op.layout.reporter_charts {
        return ids.clone();
    }
    let roots = || op.catalogue.roots().filter(|m| has_value(totals, m.id));
    let candidates = op
        .presentation
        .headline
        .filter(|&id| has_value(totals, id))
        .into_iter()
        .chain(roots().filter(|m| !m.parts.is_empty()).map(|m| m.id))
        .chain(roots().map(|m| m.id));
    let mut ids: Vec<MetricId> = Vec::new();
    for id in candidates {
        if ids.len() == 2 {
            break;
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

pub fn view(op: &Operation, totals: &Totals, findings: &Findings) -> View {
    let metric_view = |id: MetricId| metric(op, totals, id);
    let roots: Vec<MetricView> = op.catalogue.roots().map(|m| metric_view(m.id)).collect();
    View {
        op: operation(op, totals),
        m: roots.iter().map(|v| (v.key.clone(), v.clone())).collect(),
        metrics: roots.into_iter().filter(|v| v.has_value).collect(),
        headline_metric: headline_metric(op, totals).map(metric_view),
        tiles: tile_metrics(op, totals)
            .into_iter()
            .map(metric_view)
            .collect(),
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

/// The remainder of an exhaustive breakdown, when its parts fall short of
/// its total. A partial breakdown has none: its parts are only "including".
pub fn unattributed(op: &Operation, totals: &Totals, id: MetricId) -> Option<Amount> {
    match op.catalogue.get(id).breakdown {
        Some(Breakdown::Exhaustive) => totals.metric(id).unattributed(),
        _ => None,
    }
}

/// Whether the parts add up to more than the stated total.
pub fn parts_exceed(totals: &Totals, id: MetricId) -> bool {
    totals
        .metric(id)
        .difference
        .is_some_and(|d| d.is_negative())
}

/// What the remainder of a breakdown is called when the catalogue does not
/// say.
const REMAINDER: &str = "not attributed to any category";

pub fn metric(op: &Operation, totals: &Totals, id: MetricId) -> MetricView {
    let metric = op.catalogue.get(id);
    let total: &MetricTotal = totals.metric(id);
    let shown = total.value.as_ref().map(|v| v.shown);
    // Rounded as releases round in running text: "almost 290 000", "more
    // than 22 000"; a four-digit figure reads well as it is ("2 229").
    let approx = shown.map(|q| match q.qualifier {
        Qualifier::Exact if q.amount >= Amount::from_units(10_000) => {
            figure(metric, format::approximate(q.amount))
        }
        _ => figure(metric, q),
    });
    let is_one =
        shown.is_some_and(|q| q.qualifier == Qualifier::Exact && q.amount == Amount::from_units(1));
    let words = |number: &String| format!("{number} {}", metric.phrase_for(is_one));
    let unit = |amount| format::with_unit(amount, metric.unit);
    let exceed = parts_exceed(totals, id);
    let figure_text = shown.map(|q| figure(metric, q));
    MetricView {
        key: metric.key.clone(),
        name: metric.name().to_string(),
        label: metric.label.clone(),
        phrase: metric.phrase.clone(),
        phrase_one: metric.phrase_one.clone(),
        chart_title: metric.chart_title.clone(),
        unit: metric.unit.symbol().to_string(),
        has_value: shown.is_some(),
        figure_phrase: figure_text.as_ref().map(words),
        figure: figure_text,
        approx_phrase: approx.as_ref().map(words),
        approx,
        is_one,
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
        unattributed: unattributed(op, totals, id).map(unit),
        remainder: metric
            .remainder
            .clone()
            .unwrap_or_else(|| REMAINDER.to_string()),
        difference: total
            .difference
            .filter(|d| !d.is_zero())
            .filter(|_| exceed || metric.breakdown == Some(Breakdown::Exhaustive))
            .map(format::signed),
        parts_exceed: exceed,
        share: share(totals, metric),
    }
}

fn share(totals: &Totals, metric: &Metric) -> Option<String> {
    let exact = |id: MetricId| totals.metric(id).value.as_ref()?.interval.as_point();
    format::percent(exact(metric.id)?, exact(metric.parent?)?)
}

/// A group label as it reads inside a sentence: "Non-EU countries" →
/// "non-EU countries"; "EU Member States" stays (an acronym).
fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

/// Who took part, as the wording needs it: the model's participation,
/// with per-group counts only where they say more than the total — when a
/// group states its own count ("15 EU Member States and the UK"), or when no
/// total is claimed. A release that claims "26 countries" says so.
pub fn participation(op: &Operation) -> ParticipationView {
    let model = op.participation();
    let group_counts_stated = op
        .groups
        .iter()
        .any(|g| g.kind.is_countries() && g.count.is_some());
    let country_groups = if op.countries_claimed.is_some() && !group_counts_stated {
        Vec::new()
    } else {
        model
            .groups
            .iter()
            .map(|g| CountryGroupView {
                label: in_sentence(&g.label),
                count: g.count,
                members: g.members.iter().map(|&id| op.marked_name(id)).collect(),
            })
            .collect()
    };
    ParticipationView {
        countries: model.countries,
        // One country: the singular of the usual noun; an operation's own
        // noun ("countries and territories") is kept as written.
        countries_noun: match (model.countries, model.noun.as_str()) {
            (Some(1), "countries") => "country".to_string(),
            _ => model.noun,
        },
        country_groups,
    }
}

fn operation(op: &Operation, totals: &Totals) -> OperationView {
    let names = |ids: &[crate::model::ParticipantId]| {
        ids.iter().map(|&id| op.marked_name(id)).collect::<Vec<_>>()
    };
    let participation = participation(op);
    let (duration_words, duration_kind) = duration(op.start, op.end);
    OperationView {
        id: op.id.clone(),
        name: op.name.clone(),
        short_name: op.short_name.clone(),
        title: if op.short_name == op.name || op.short_name.trim().is_empty() {
            op.name.clone()
        } else {
            format!("{} ({})", op.name, op.short_name)
        },
        region: op.region.clone(),
        description: op.description.clone(),
        period: period(op.start, op.end, "–"),
        period_between: format!("between {}", period(op.start, op.end, " and ")),
        period_words: period_words(op.start, op.end),
        duration_words,
        duration_kind,
        days: (op.end - op.start).whole_days() + 1,
        coordinator: op.coordinator.clone(),
        coordination_centre: op.coordination_centre.clone(),
        marking: op.marking.clone(),
        countries: participation.countries,
        countries_noun: participation.countries_noun,
        country_groups: participation.country_groups,
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
                metrics: a
                    .metrics
                    .iter()
                    .map(|&m| metric(op, totals, m))
                    .filter(|m| m.has_value)
                    .collect(),
            })
            .collect(),
    }
}

/// Small counts in words, as a press officer writes them: "two days",
/// "three weeks"; 10 and up in digits.
pub fn number_words(n: u64) -> String {
    const WORDS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    usize::try_from(n)
        .ok()
        .and_then(|i| WORDS.get(i))
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// "a week", "two weeks": `a`/`an` for one, else the count in words.
fn counted(n: u64, singular: &'static str, plural: &'static str) -> (String, &'static str) {
    if n == 1 {
        (format!("a {singular}"), singular)
    } else {
        (format!("{} {plural}", number_words(n)), plural)
    }
}

/// The last day of `date`'s month.
fn month_end(date: Date) -> Date {
    let next = match date.month() {
        time::Month::December => Date::from_calendar_date(date.year() + 1, time::Month::January, 1),
        month => Date::from_calendar_date(date.year(), month.next(), 1),
    };
    next.ok().and_then(|d| d.previous_day()).unwrap_or(date)
}

/// How long the operation ran, as a release says it: "one day", "three
/// days", "a week" (5–8 days: an action week), "12 days", "three weeks",
/// "a month", "five months", "a year"; with what it counts.
pub fn duration(start: Date, end: Date) -> (String, &'static str) {
    let days = u64::try_from((end - start).whole_days() + 1).unwrap_or(1);
    let whole_months = (start.day() == 1 && end == month_end(end)).then(|| {
        let months = (i64::from(end.year()) - i64::from(start.year())) * 12
            + i64::from(u8::from(end.month()))
            - i64::from(u8::from(start.month()))
            + 1;
        u64::try_from(months).unwrap_or(1)
    });
    match days {
        1 => ("one day".to_string(), "day"),
        2..=4 => counted(days, "day", "days"),
        5..=8 => counted(1, "week", "weeks"),
        _ => {
            // Whole calendar months, else months rounded to the nearest.
            let months = whole_months.unwrap_or((days * 100 + 1522) / 3044);
            if days < 60 && whole_months.is_none() {
                if days % 7 == 0 {
                    counted(days / 7, "week", "weeks")
                } else {
                    counted(days, "day", "days")
                }
            } else if months >= 12 && months % 12 == 0 {
                counted(months / 12, "year", "years")
            } else {
                counted(months.max(1), "month", "months")
            }
        }
    }
}

/// "on 4 June 2024", "between 2 and 13 November 2020".
pub fn period_words(start: Date, end: Date) -> String {
    if start == end {
        format!("on {}", long_date(start))
    } else {
        format!("between {}", period(start, end, " and "))
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

    fn words(start: Date, end: Date) -> (String, String) {
        (period_words(start, end), duration(start, end).0)
    }

    #[test]
    fn durations_read_as_a_press_officer_says_them() {
        let cases = [
            (
                date!(2024 - 06 - 04),
                date!(2024 - 06 - 04),
                "on 4 June 2024",
                "one day",
            ),
            (
                date!(2024 - 06 - 04),
                date!(2024 - 06 - 06),
                "between 4 and 6 June 2024",
                "three days",
            ),
            (
                date!(2019 - 04 - 08),
                date!(2019 - 04 - 12),
                "between 8 and 12 April 2019",
                "a week",
            ),
            (
                date!(2023 - 11 - 13),
                date!(2023 - 11 - 18),
                "between 13 and 18 November 2023",
                "a week",
            ),
            (
                date!(2020 - 11 - 02),
                date!(2020 - 11 - 13),
                "between 2 and 13 November 2020",
                "12 days",
            ),
            (
                date!(2024 - 03 - 04),
                date!(2024 - 03 - 24),
                "between 4 and 24 March 2024",
                "three weeks",
            ),
            (
                date!(2018 - 10 - 01),
                date!(2018 - 10 - 31),
                "between 1 and 31 October 2018",
                "a month",
            ),
            (
                date!(2022 - 01 - 01),
                date!(2022 - 04 - 30),
                "between 1 January and 30 April 2022",
                "four months",
            ),
            (
                date!(2022 - 06 - 28),
                date!(2022 - 11 - 23),
                "between 28 June and 23 November 2022",
                "five months",
            ),
            (
                date!(2024 - 01 - 01),
                date!(2024 - 12 - 31),
                "between 1 January and 31 December 2024",
                "a year",
            ),
            (
                date!(2024 - 03 - 15),
                date!(2025 - 03 - 14),
                "between 15 March 2024 and 14 March 2025",
                "a year",
            ),
            (
                date!(2023 - 01 - 01),
                date!(2024 - 12 - 31),
                "between 1 January 2023 and 31 December 2024",
                "two years",
            ),
        ];
        for (start, end, period, duration) in cases {
            assert_eq!(
                words(start, end),
                (period.to_string(), duration.to_string())
            );
        }
        // An action week is 5–8 days, no more.
        assert_eq!(
            duration(date!(2024 - 05 - 01), date!(2024 - 05 - 08)).1,
            "week"
        );
        assert_eq!(
            duration(date!(2024 - 05 - 01), date!(2024 - 05 - 09)).0,
            "nine days"
        );
        assert_eq!(
            duration(date!(2024 - 05 - 01), date!(2024 - 05 - 14)).0,
            "two weeks"
        );
    }

    #[test]
    fn small_numbers_in_words() {
        assert_eq!(number_words(1), "one");
        assert_eq!(number_words(9), "nine");
        assert_eq!(number_words(10), "10");
        assert_eq!(number_words(26), "26");
    }

    #[test]
    fn group_labels_inside_a_sentence() {
        assert_eq!(in_sentence("Non-EU countries"), "non-EU countries");
        assert_eq!(in_sentence("EU Member States"), "EU Member States");
        assert_eq!(in_sentence("Partner countries"), "partner countries");
    }

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
