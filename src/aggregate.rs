//! Aggregate: Operation → Totals, computed once for every renderer.
//!
//! Each return is resolved bottom-up (a missing total is the sum of its
//! parts), then returns are summed per metric, per reporter and per day.
//! The published figure of a metric is the consolidated figure when the
//! coordination stated one, else the sum of the participants' returns.

use crate::model::countries::Country;
use crate::model::{
    Amount, Breakdown, Catalogue, Estimate, Figure, Interval, MetricId, Operation, PartOf,
    ParticipantId, Quantity, Reporter, Return, SignedAmount,
};
use crate::source::Place;
use std::collections::BTreeMap;
use time::Date;

/// A metric's value in one return: the figure the return states, or the
/// total its parts give. Borrowed from the operation and the totals, made
/// when asked for (see [`Totals::in_return`]).
#[derive(Clone, Copy, Debug)]
pub struct InReturn<'a> {
    pub interval: Interval,
    pub nominal: Quantity,
    /// The figure as stated, when the return stated one.
    pub figure: Option<&'a Figure>,
    /// Sum of the parts that have values, if any part has one.
    pub parts: Option<Estimate>,
}

impl<'a> InReturn<'a> {
    fn of_figure(figure: &'a Figure, parts: Option<Estimate>) -> InReturn<'a> {
        InReturn {
            interval: figure.quantity.interval(),
            nominal: figure.quantity,
            figure: Some(figure),
            parts,
        }
    }

    fn of_parts(total: Estimate, parts: Estimate) -> InReturn<'a> {
        InReturn {
            interval: total.interval,
            nominal: total.nominal,
            figure: None,
            parts: Some(parts),
        }
    }

    pub fn estimate(&self) -> Estimate {
        Estimate {
            nominal: self.nominal,
            interval: self.interval,
        }
    }

    pub fn stated(&self) -> Option<Quantity> {
        self.figure.map(|f| f.quantity)
    }
}

/// What a return's parts add to its stated figures: for each metric with
/// parts that have values, their sum, and whether the return stated the
/// total too. Stated figures are not copied: memory grows with the parts
/// summed, not with returns × catalogue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReturnSums {
    /// Sorted by metric.
    sums: Vec<PartSum>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct PartSum {
    metric: MetricId,
    parts: Estimate,
    /// Whether the return states the total too; if not, the total is the
    /// one the parts give (see [`PartSum::total`]).
    total_stated: bool,
}

impl PartSum {
    /// The total the parts give: their sum, or at least it where the
    /// breakdown is partial.
    fn total(&self, catalogue: &Catalogue) -> Estimate {
        match catalogue.get(self.metric).breakdown {
            Some(Breakdown::Partial) => self.parts.at_least(),
            _ => self.parts,
        }
    }

    fn computed(&self, catalogue: &Catalogue) -> Option<Estimate> {
        (!self.total_stated).then(|| self.total(catalogue))
    }
}

impl ReturnSums {
    fn of(&self, metric: MetricId) -> Option<&PartSum> {
        let at = self.sums.binary_search_by_key(&metric, |s| s.metric).ok()?;
        self.sums.get(at)
    }
}

/// A metric's value summed over returns.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub interval: Interval,
    /// The printed numbers summed, with the qualifier their sum keeps.
    pub nominal: Quantity,
    /// The figure as stated, when exactly one figure was stated.
    pub stated: Option<Quantity>,
    /// Where the stated figures are.
    pub places: Vec<Place>,
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
    /// Where the figures summed are.
    pub places: Vec<Place>,
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
    /// Parallel to `Operation::returns`: what each return's parts add up to
    /// (read a return's values with [`Totals::in_return`]).
    pub returns: Vec<ReturnSums>,
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

    /// The value of `metric` in return `at` (an index into
    /// `Operation::returns`), if it has one.
    pub fn in_return<'a>(
        &self,
        op: &'a Operation,
        at: usize,
        metric: MetricId,
    ) -> Option<InReturn<'a>> {
        let figure = op.returns.get(at)?.figure(metric);
        let sum = self.returns.get(at).and_then(|r| r.of(metric));
        match (figure, sum) {
            (Some(figure), sum) => Some(InReturn::of_figure(figure, sum.map(|s| s.parts))),
            (None, Some(sum)) => Some(InReturn::of_parts(sum.computed(&op.catalogue)?, sum.parts)),
            (None, None) => None,
        }
    }

    /// Every metric that has a value in return `at`, in metric order: the
    /// stated figures and the sums, both sorted by metric, merged.
    pub fn return_values<'a>(
        &'a self,
        op: &'a Operation,
        at: usize,
    ) -> impl Iterator<Item = (MetricId, InReturn<'a>)> + 'a {
        let figures = op.returns.get(at).map_or(&[][..], |r| r.figures.as_slice());
        let sums = self.returns.get(at).map_or(&[][..], |r| r.sums.as_slice());
        let (mut figures, mut sums) = (figures.iter().peekable(), sums.iter().peekable());
        std::iter::from_fn(move || {
            loop {
                let (figure, sum) = (figures.peek().copied(), sums.peek().copied());
                let figure_first = match (figure, sum) {
                    (None, None) => return None,
                    (Some(f), Some(s)) => f.metric <= s.metric,
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                };
                if let (true, Some(figure)) = (figure_first, figure) {
                    figures.next();
                    let parts = match sum {
                        Some(s) if s.metric == figure.metric => {
                            sums.next();
                            Some(s.parts)
                        }
                        _ => None,
                    };
                    return Some((figure.metric, InReturn::of_figure(figure, parts)));
                }
                let sum = sums.next()?;
                // A stated total's sum comes with its figure.
                let Some(total) = sum.computed(&op.catalogue) else {
                    continue;
                };
                return Some((sum.metric, InReturn::of_parts(total, sum.parts)));
            }
        })
    }

    /// Where the value of `metric` in return `at` was written: its figure,
    /// or the figures of the parts it was summed from.
    pub fn places_in_return(&self, op: &Operation, at: usize, metric: MetricId) -> Vec<Place> {
        let mut places = Vec::new();
        self.collect_places(op, at, metric, &mut places);
        places
    }

    /// How many places [`Totals::places_in_return`] gives.
    fn count_places(&self, op: &Operation, at: usize, metric: MetricId) -> usize {
        let Some(ret) = op.returns.get(at) else {
            return 0;
        };
        if ret.figure(metric).is_some() {
            return 1;
        }
        if self.returns.get(at).and_then(|r| r.of(metric)).is_none() {
            return 0;
        }
        let parts = &op.catalogue.get(metric).parts;
        parts
            .iter()
            .map(|&part| self.count_places(op, at, part))
            .sum()
    }

    fn collect_places(&self, op: &Operation, at: usize, metric: MetricId, out: &mut Vec<Place>) {
        let Some(ret) = op.returns.get(at) else {
            return;
        };
        if let Some(figure) = ret.figure(metric) {
            out.push(figure.place);
            return;
        }
        if self.returns.get(at).and_then(|r| r.of(metric)).is_none() {
            return;
        }
        for &part in &op.catalogue.get(metric).parts {
            self.collect_places(op, at, part, out);
        }
    }
}

/// A sum exceeded what a figure can hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Overflow {
    pub metric: String,
    /// Where the figures are (the report prints the first few).
    pub places: Vec<Place>,
}

impl std::fmt::Display for Overflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the figures for `{}` add up to more than {} and cannot be summed",
            self.metric,
            u64::MAX
        )
    }
}

pub fn aggregate(op: &Operation) -> Result<Totals, Overflow> {
    let catalogue = &op.catalogue;
    // Each return on its own, side by side; the first overflow in file
    // order is reported, as a serial pass would.
    let returns = crate::parallel::map(&op.returns, |r| sum_parts(catalogue, r))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let mut totals = Totals {
        returns,
        metrics: Vec::new(),
        reporters: Vec::new(),
        days: Vec::new(),
        by_country: Vec::new(),
    };

    let n = catalogue.len();
    let mut consolidated: Vec<Option<Resolved>> = vec![None; n];
    let mut from_returns: Vec<Option<Resolved>> = vec![None; n];
    let mut by_reporter: BTreeMap<ParticipantId, Vec<Option<Estimate>>> = BTreeMap::new();
    let mut by_day: BTreeMap<Date, Vec<Option<Estimate>>> = BTreeMap::new();
    // Every figure's place is kept with the sums it is part of; reserved
    // exactly, since growing 50 000 returns' places by doubling left up to
    // half of each list unused.
    let mut counts = [vec![0usize; n], vec![0usize; n]];
    for (at, ret) in op.returns.iter().enumerate() {
        let kind = usize::from(ret.reporter != Reporter::Coordination);
        for (id, _) in totals.return_values(op, at) {
            counts[kind][id.0] += totals.count_places(op, at, id);
        }
    }
    for (at, ret) in op.returns.iter().enumerate() {
        // A return without a value adds no reporter or day row.
        if totals.return_values(op, at).next().is_none() {
            continue;
        }
        let (sums, mut reporter_row, mut day_row, kind) = match ret.reporter {
            Reporter::Coordination => (&mut consolidated, None, None, 0),
            Reporter::Participant(p) => (
                &mut from_returns,
                Some(by_reporter.entry(p).or_insert_with(|| vec![None; n])),
                ret.day
                    .map(|day| by_day.entry(day).or_insert_with(|| vec![None; n])),
                1,
            ),
        };
        for (id, value) in totals.return_values(op, at) {
            let index = id.0;
            let overflow = || Overflow {
                metric: catalogue.get(id).key.clone(),
                places: totals.places_in_return(op, at, id),
            };
            for row in [reporter_row.as_deref_mut(), day_row.as_deref_mut()]
                .into_iter()
                .flatten()
            {
                row[index] = add(row[index], value.estimate()).ok_or_else(overflow)?;
            }
            let target = &mut sums[index];
            match target {
                None => {
                    let mut places = Vec::with_capacity(counts[kind][index]);
                    totals.collect_places(op, at, id, &mut places);
                    *target = Some(Resolved {
                        interval: value.interval,
                        nominal: value.nominal,
                        stated: value.stated(),
                        places,
                        parts: value.parts,
                    });
                }
                Some(sum) => {
                    add_resolved(sum, &value).ok_or_else(overflow)?;
                    totals.collect_places(op, at, id, &mut sum.places);
                }
            }
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
                    places: v.places.clone(),
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
    totals.metrics = metrics;
    totals.by_country = roll_up(op, &reporters);
    totals.reporters = reporters;
    totals.days = by_day
        .into_iter()
        .map(|(day, values)| DayTotals { day, values })
        .collect();
    Ok(totals)
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

/// Adds a return's value to a sum (its places are added by the caller);
/// `None` on overflow, leaving the sum partly added.
fn add_resolved(sum: &mut Resolved, value: &InReturn) -> Option<()> {
    sum.parts = match (sum.parts, value.parts) {
        (Some(a), Some(b)) => Some(a.checked_add(b)?),
        (a, b) => a.or(b),
    };
    sum.interval = sum.interval.checked_add(value.interval)?;
    sum.nominal = sum.nominal.checked_add(value.nominal)?;
    sum.stated = None;
    Some(())
}

fn published(resolved: &Resolved, origin: Origin) -> Value {
    Value {
        interval: resolved.interval,
        nominal: resolved.nominal,
        shown: resolved.shown(),
        origin,
        places: resolved.places.clone(),
    }
}

/// Sums one return's parts bottom-up: for each metric with parts that have
/// values, their sum, and the total it gives where none was stated.
pub fn sum_parts(catalogue: &Catalogue, ret: &Return) -> Result<ReturnSums, Overflow> {
    // Each metric's value in this return, while the parts are summed.
    let mut values: Vec<Option<Estimate>> = vec![None; catalogue.len()];
    for figure in &ret.figures {
        values[figure.metric.0] = Some(Estimate::of(figure.quantity));
    }
    let mut sums = Vec::new();
    // Parts come after their parent in the catalogue: walk backwards so each
    // part is resolved before the metric it belongs to.
    for metric in catalogue.iter().collect::<Vec<_>>().into_iter().rev() {
        if metric.parts.is_empty() {
            continue;
        }
        let mut sum: Option<Estimate> = None;
        for part in &metric.parts {
            if let Some(v) = values[part.0] {
                sum = add(sum, v).ok_or_else(|| Overflow {
                    metric: metric.key.clone(),
                    places: ret
                        .figures
                        .iter()
                        .filter(|f| catalogue.is_within(f.metric, metric.id))
                        .map(|f| f.place)
                        .collect(),
                })?;
            }
        }
        let Some(sum) = sum else { continue };
        let part_sum = PartSum {
            metric: metric.id,
            parts: sum,
            total_stated: values[metric.id.0].is_some(),
        };
        if !part_sum.total_stated {
            values[metric.id.0] = Some(part_sum.total(catalogue));
        }
        sums.push(part_sum);
    }
    sums.sort_unstable_by_key(|s| s.metric);
    sums.shrink_to_fit();
    Ok(ReturnSums { sums })
}

#[cfg(test)]
mod tests {
    use crate::model::Amount;

    /// Austria's first return in the multi-return fixture states arrests
    /// with their parts and entities checked only by their parts.
    #[test]
    fn a_return_gives_its_figures_and_the_totals_of_its_parts_in_metric_order() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-return");
        let checked = crate::pipeline::check(&dir).unwrap();
        let (op, totals) = (&checked.op, &checked.totals);
        let at = op
            .returns
            .iter()
            .position(|r| {
                op.sources.get(r.source).map(|f| &*f.relative)
                    == Some("returns/austria-2024-03-04.toml")
            })
            .unwrap();
        let id = |key: &str| op.catalogue.find(key).unwrap();
        let units = Amount::from_units;

        let values: Vec<_> = totals.return_values(op, at).collect();
        assert!(
            values.windows(2).all(|w| w[0].0 < w[1].0),
            "metric order, each once"
        );
        assert_eq!(values.len(), op.returns[at].figures.len() + 1);
        for (metric, value) in &values {
            let again = totals.in_return(op, at, *metric).unwrap();
            assert_eq!((again.nominal, again.parts), (value.nominal, value.parts));
        }

        let arrests = totals.in_return(op, at, id("arrests")).unwrap();
        assert_eq!(arrests.stated().map(|q| q.amount), Some(units(5)));
        assert_eq!(arrests.parts.map(|p| p.nominal.amount), Some(units(5)));

        let entities = totals.in_return(op, at, id("entities_checked")).unwrap();
        assert!(entities.figure.is_none());
        assert_eq!(entities.nominal.amount, units(1900));
        // Written where its parts are: persons and vehicles, lines 9 and 10.
        let lines: Vec<usize> = totals
            .places_in_return(op, at, id("entities_checked"))
            .into_iter()
            .map(|place| op.sources.at(place).line)
            .collect();
        assert_eq!(lines, [9, 10]);
        assert!(totals.in_return(op, at, id("drugs")).is_none());
    }

    /// A participant whose only return states nothing is no row of the
    /// By reporter sheet, nor a day of the daily totals.
    #[test]
    fn a_return_without_figures_adds_no_reporter_or_day() {
        let fixture =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-return");
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("returns")).unwrap();
        for name in ["operation.toml", "returns"] {
            let from = fixture.join(name);
            if from.is_file() {
                std::fs::copy(&from, tmp.path().join(name)).unwrap();
                continue;
            }
            for entry in std::fs::read_dir(&from).unwrap() {
                let path = entry.unwrap().path();
                std::fs::copy(&path, tmp.path().join(name).join(path.file_name().unwrap()))
                    .unwrap();
            }
        }
        // Croatia is listed and sends nothing else; a day of its own would
        // also be a day row.
        let empty = "reporter = \"Croatia\"\nday = 2024-03-05\n\n[figures]\n";
        let before = crate::pipeline::check(tmp.path()).unwrap().totals;
        std::fs::write(tmp.path().join("returns/croatia-2024-03-05.toml"), empty).unwrap();
        let after = crate::pipeline::check(tmp.path()).unwrap().totals;
        assert_eq!(after.reporters, before.reporters);
        assert_eq!(after.days, before.days);
    }
}
