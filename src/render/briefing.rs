//! The briefing's content: Totals, Findings and Texts → the PDF engine's
//! blocks, in the order the layout file declares.

use super::Context;
use super::pdf::{Align, Bar, Block, ChartSpec, Column, DocSpec, Row, TableSpec, Tile, Tone};
use crate::aggregate::{Resolved, RollUp};
use crate::changes::{Attributed, Cause, Changes};
use crate::check::{Severity, wording};
use crate::format;
use crate::model::{
    Amount, Breakdown, Estimate, Metric, MetricId, ParticipantId, Reporter, Section,
};
use crate::narrate::Texts;
use crate::narrate::view::{self, figure, long_date, period};
use std::fmt;

/// The PDF engine refused the content.
#[derive(Debug)]
pub struct BriefingError(pub String);

impl fmt::Display for BriefingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The briefing PDF of `ctx.edition`.
pub fn briefing(ctx: &Context, texts: &Texts) -> Result<Vec<u8>, BriefingError> {
    let revision = ctx.edition.revision;
    let op = ctx.op;
    let date = time::OffsetDateTime::from_unix_timestamp(ctx.timestamp)
        .map(|t| long_date(t.date()))
        .unwrap_or_default();
    let mut blocks = vec![title_block(ctx, texts, revision)];
    if ctx.findings.has_errors() {
        blocks.push(errors_callout(ctx));
    }
    if let Some(changes) = &ctx.edition.changes {
        blocks.extend(changes_section(changes));
    }
    for section in &op.layout.sections {
        match section {
            Section::KeyFigures => blocks.extend(tiles(ctx)),
            Section::Summary => {
                let paragraphs: Vec<Block> = [&texts.lead, &texts.summary]
                    .into_iter()
                    .filter(|text| !text.trim().is_empty())
                    .map(|text| Block::Paragraph(text.clone()))
                    .collect();
                if !paragraphs.is_empty() {
                    blocks.push(Block::Heading("Summary".into()));
                    blocks.extend(paragraphs);
                }
            }
            Section::Charts => charts(ctx, texts, &mut blocks),
            Section::Results => {
                let table = results_table(ctx);
                // No figure at all: no section.
                if !table.rows.is_empty() {
                    blocks.push(Block::Heading("Results".into()));
                    blocks.push(Block::Paragraph(
                        "Every figure as stated; where the parts or the participants' returns add up to something else, the computed figure and the difference are shown beside it.".into(),
                    ));
                    blocks.push(Block::Table(table));
                }
                if op.release.briefing_reporters {
                    reporter_table(ctx, &mut blocks);
                }
            }
            Section::DataQuality => {
                data_quality(ctx, texts, &mut blocks);
                corrections(ctx, &mut blocks);
            }
            Section::Participants => participants(ctx, &mut blocks),
            Section::Sources => sources(ctx, &mut blocks),
        }
    }
    let spec = DocSpec {
        title: op.name.clone(),
        subject: texts.headline.clone(),
        author: op.coordinator.clone().unwrap_or_else(|| "opbrief".into()),
        lang: op.language.clone(),
        keywords: vec![
            op.id.clone(),
            op.short_name.clone(),
            "briefing".into(),
            op.marking.clone(),
        ],
        creation_unix: ctx.timestamp,
        marking: op.marking.clone(),
        footer: match ctx.edition.supersedes() {
            Some(supersedes) => format!("{} · revision {revision} · {date} · {supersedes}", op.id),
            None => format!("{} · revision {revision} · {date}", op.id),
        },
        blocks,
    };
    super::pdf::render(&spec).map_err(|e| BriefingError(format!("briefing.pdf: {e}")))
}

fn title_block(ctx: &Context, texts: &Texts, revision: u32) -> Block {
    let op = ctx.op;
    let mut facts = vec![("Period".to_string(), period(op.start, op.end, "–"))];
    if let Some(c) = &op.coordinator {
        facts.push(("Coordinator".into(), c.clone()));
    }
    if let Some(c) = &op.coordination_centre {
        facts.push(("Coordination centre".into(), c.clone()));
    }
    // Nothing known about countries: no row (never "0").
    if let Some(countries) = view::participation(op).countries {
        facts.push(("Countries".into(), countries.to_string()));
    }
    let revision = match ctx.edition.supersedes() {
        Some(supersedes) => format!("{revision} ({supersedes})"),
        None => revision.to_string(),
    };
    facts.push(("Revision".into(), revision));
    Block::TitleBlock {
        title: op.name.clone(),
        subtitle: texts.headline.clone(),
        facts,
    }
}

/// "Changes since revision N": near the top, for readers of the last one.
fn changes_section(changes: &Changes) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(format!(
        "Changes since revision {} of {}",
        changes.since_revision, changes.since_date
    ))];
    if changes.is_empty() {
        blocks.push(Block::Paragraph("No figure or finding changed.".into()));
        return blocks;
    }
    if !changes.figures.is_empty() {
        let rows = changes
            .figures
            .iter()
            .map(|c| Row {
                cells: vec![
                    c.label.clone(),
                    c.old.as_ref().map_or("—".into(), |v| v.shown.clone()),
                    c.new.as_ref().map_or("—".into(), |v| v.shown.clone()),
                    c.difference.map(format::signed).unwrap_or_default(),
                    plain_causes(&c.causes),
                ],
                indent: 0,
                strong: false,
                tone: Tone::Info,
            })
            .collect();
        blocks.push(Block::Table(TableSpec {
            columns: vec![
                column("Figure", 2.4, Align::Left),
                column("Was", 1.2, Align::Right),
                column("Now", 1.2, Align::Right),
                column("Change", 1.1, Align::Right),
                column("Why", 5.0, Align::Left),
            ],
            rows,
        }));
    }
    let findings: Vec<String> = changes
        .findings_resolved
        .iter()
        .map(|f| format!("Resolved {}: {}", f.severity, f.message))
        .chain(
            changes
                .findings_appeared
                .iter()
                .map(|f| format!("New {}: {}", f.severity, f.message)),
        )
        .collect();
    if !findings.is_empty() {
        blocks.push(Block::Bullets(findings));
    }
    blocks
}

/// Why a figure changed, without file names (those are in the workbook's
/// Changes sheet): "correction: …; changed input (2 files)".
fn plain_causes(causes: &[Attributed]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut files: Vec<(&str, usize)> = Vec::new();
    for attributed in causes {
        let how = match &attributed.cause {
            Cause::Correction { description, .. } => {
                parts.push(description.clone());
                continue;
            }
            Cause::ToolOrTemplates => {
                parts.push("changed tool or templates".into());
                continue;
            }
            Cause::InputAdded { .. } => "new input",
            Cause::InputChanged { .. } => "changed input",
            Cause::InputRemoved { .. } => "removed input",
        };
        match files.iter_mut().find(|(h, _)| *h == how) {
            Some((_, n)) => *n += 1,
            None => files.push((how, 1)),
        }
    }
    parts.extend(
        files
            .into_iter()
            .map(|(how, n)| format!("{how} ({})", plural(n, "file"))),
    );
    parts.join("; ")
}

fn corrections(ctx: &Context, blocks: &mut Vec<Block>) {
    let op = ctx.op;
    if op.corrections.is_empty() {
        return;
    }
    blocks.push(Block::Heading("Corrections".into()));
    let rows = op
        .corrections
        .iter()
        .map(|c| {
            let metric = op.catalogue.get(c.metric);
            let applied = matches!(c.outcome, crate::model::CorrectionOutcome::Applied { .. });
            Row {
                cells: vec![
                    long_date(c.date),
                    format!("{}\n{}", metric.label, op.reporter_name(c.reporter)),
                    format::replaced(c.from, metric.unit),
                    format::quantity(c.to, metric.unit),
                    format!(
                        "{} (requested by {}){}",
                        c.reason,
                        c.requested_by,
                        if applied {
                            ""
                        } else {
                            " — not applied: stale"
                        }
                    ),
                ],
                indent: 0,
                strong: false,
                tone: if applied { Tone::Neutral } else { Tone::Error },
            }
        })
        .collect();
    blocks.push(Block::Table(TableSpec {
        columns: vec![
            column("Date", 1.6, Align::Left),
            column("Figure", 2.4, Align::Left),
            column("From", 1.0, Align::Right),
            column("To", 1.0, Align::Right),
            column("Reason", 4.5, Align::Left),
        ],
        rows,
    }));
}

fn errors_callout(ctx: &Context) -> Block {
    let errors: Vec<String> = ctx
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| wording::message(ctx.op, f))
        .collect();
    let count = errors.len();
    let mut lines: Vec<String> = errors.into_iter().take(CALLOUT_ERRORS).collect();
    if count > lines.len() {
        lines.push(format!("… and {} more", count - lines.len()));
    }
    Block::Callout {
        tone: Tone::Error,
        title: format!(
            "{} in the reported figures — published as stated; see Data quality",
            plural(count, "error")
        ),
        lines,
    }
}

/// Errors quoted in the callout at the top; the rest are counted.
const CALLOUT_ERRORS: usize = 5;

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Whether a check found an error in this metric's figure.
fn has_error(ctx: &Context, metric: &Metric) -> bool {
    ctx.findings
        .iter()
        .any(|f| f.severity == Severity::Error && f.metric(ctx.op) == Some(metric.id))
}

/// The key-figure tiles; nothing when no tile has a figure.
fn tiles(ctx: &Context) -> Option<Block> {
    let tiles: Vec<Tile> = view::tile_metrics(ctx.op, ctx.totals)
        .into_iter()
        .filter_map(|id| {
            let metric = ctx.op.catalogue.get(id);
            let value = ctx.totals.metric(id).value.as_ref()?;
            Some(Tile {
                value: figure(metric, value.shown),
                label: metric.label.clone(),
                tone: if has_error(ctx, metric) {
                    Tone::Error
                } else {
                    Tone::Neutral
                },
            })
        })
        .collect();
    (!tiles.is_empty()).then_some(Block::Tiles(tiles))
}

/// The breakdown charts, then the per-reporter and per-day ones, under one
/// heading from the top of a page; nothing (no heading) when there is no
/// chart to draw.
fn charts(ctx: &Context, texts: &Texts, blocks: &mut Vec<Block>) {
    let mut charts = Vec::new();
    for metric in ctx.op.catalogue.breakdowns() {
        let mut bars: Vec<Bar> = metric
            .parts
            .iter()
            .filter_map(|&p| {
                let part = ctx.op.catalogue.get(p);
                let value = ctx.totals.metric(p).value.as_ref()?;
                Some(Bar {
                    label: part.label.clone(),
                    value: value.shown.amount.to_f64(),
                    value_label: figure(part, value.shown),
                    tone: Tone::Neutral,
                })
            })
            .collect();
        if bars.is_empty() {
            continue;
        }
        // Only an exhaustive breakdown that falls short has a remainder; a
        // partial one ("including …") leaves the rest unstated.
        if let Some(unattributed) = view::unattributed(ctx.op, ctx.totals, metric.id) {
            bars.push(Bar {
                label: "Not attributed".into(),
                value: unattributed.to_f64(),
                value_label: format::with_unit(unattributed, metric.unit),
                tone: Tone::Error,
            });
        }
        charts.push(Block::Chart(ChartSpec {
            title: metric.chart_title.clone(),
            caption: texts.captions.get(&metric.key).cloned().unwrap_or_default(),
            unit: unit_word(metric),
            bars,
        }));
    }
    let by_reporter = rolled_up_reporters(ctx);
    for id in view::reporter_chart_metrics(ctx.op, ctx.totals) {
        let metric = ctx.op.catalogue.get(id);
        if ctx.op.release.briefing_reporters {
            let bars = top_reporters(&by_reporter, id, metric);
            if bars.len() >= 2 {
                charts.push(chart_by(metric, "reporter", &texts.reporter_captions, bars));
            }
        }
        let (grain, by_period) = periods(ctx, id);
        let by_period: Vec<Bar> = by_period
            .into_iter()
            .map(|(label, value)| bar(label, value, metric))
            .collect();
        if by_period.len() >= 2 {
            charts.push(chart_by(metric, grain, &texts.day_captions, by_period));
        }
    }
    if charts.is_empty() {
        return;
    }
    // Charts read best together, from the top of a page.
    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading("Breakdowns".into()));
    blocks.extend(charts);
}

/// Reporters charted by name; the rest share one "All others" bar.
const TOP_REPORTERS: usize = 12;
/// Up to this many days are charted one bar a day; up to
/// `WEEKLY_UP_TO` days, a bar a week; longer, a bar a month.
const DAILY_UP_TO: usize = 14;
const WEEKLY_UP_TO: usize = 98;

/// One row per country (the totals roll regional units up under theirs),
/// labelled for the reader.
fn rolled_up_reporters(ctx: &Context) -> Vec<(String, Vec<Option<Estimate>>)> {
    ctx.totals
        .by_country
        .iter()
        .map(|row| {
            let label = match row.who {
                RollUp::Participant(id) => ctx.op.marked_name(id),
                RollUp::Country(country) => country.name.to_string(),
            };
            (label, row.values.clone())
        })
        .collect()
}

/// The largest reporters of `metric`, largest first, and one bar for all
/// the others.
fn top_reporters(
    rows: &[(String, Vec<Option<Estimate>>)],
    id: MetricId,
    metric: &Metric,
) -> Vec<Bar> {
    let mut values: Vec<(&str, Estimate)> = rows
        .iter()
        .filter_map(|(name, values)| Some((name.as_str(), (*values.get(id.0)?)?)))
        .collect();
    values.sort_by(|a, b| {
        b.1.shown()
            .amount
            .cmp(&a.1.shown().amount)
            .then_with(|| a.0.cmp(b.0))
    });
    // "All others" only when it stands for at least two reporters.
    let named = if values.len() > TOP_REPORTERS + 1 {
        TOP_REPORTERS
    } else {
        values.len()
    };
    let mut bars: Vec<Bar> = values[..named]
        .iter()
        .map(|(name, value)| bar(name.to_string(), *value, metric))
        .collect();
    let rest = &values[named..];
    if let Some(sum) = rest
        .iter()
        .map(|(_, v)| Some(*v))
        .reduce(|a, b| a?.checked_add(b?))
        .flatten()
    {
        let count = Amount::from_units(rest.len() as u64);
        bars.push(bar(
            format!("All others ({} reporters)", format::grouped(count)),
            sum,
            metric,
        ));
    }
    bars
}

/// The metric per day, per week or per month, whichever keeps the chart
/// short; with the grain's name ("day", "week", "month").
fn periods(ctx: &Context, id: MetricId) -> (&'static str, Vec<(String, Estimate)>) {
    let days: Vec<(time::Date, Estimate)> = ctx
        .totals
        .days
        .iter()
        .filter_map(|d| Some((d.day, d.values[id.0]?)))
        .collect();
    let (first, last) = match (days.first(), days.last()) {
        (Some(f), Some(l)) => (f.0, l.0),
        _ => return ("day", Vec::new()),
    };
    let span = usize::try_from((last - first).whole_days()).unwrap_or(usize::MAX);
    if span < DAILY_UP_TO {
        return (
            "day",
            days.into_iter().map(|(d, v)| (long_date(d), v)).collect(),
        );
    }
    let weekly = span < WEEKLY_UP_TO;
    let mut out: Vec<(String, Estimate)> = Vec::new();
    let mut current: Option<String> = None;
    for (day, value) in days {
        let label = if weekly {
            // Weeks start on Monday; labelled by their first day.
            let monday =
                day - time::Duration::days(i64::from(day.weekday().number_days_from_monday()));
            format!("Week of {}", long_date(monday))
        } else {
            format!("{} {}", day.month(), day.year())
        };
        if current.as_deref() == Some(label.as_str()) {
            if let Some(last) = out.last_mut()
                && let Some(sum) = last.1.checked_add(value)
            {
                last.1 = sum;
            }
        } else {
            current = Some(label.clone());
            out.push((label, value));
        }
    }
    (if weekly { "week" } else { "month" }, out)
}

fn bar(label: String, value: crate::model::Estimate, metric: &Metric) -> Bar {
    let shown = value.shown();
    Bar {
        label,
        value: shown.amount.to_f64(),
        value_label: figure(metric, shown),
        tone: Tone::Neutral,
    }
}

fn results_table(ctx: &Context) -> TableSpec {
    let catalogue = &ctx.op.catalogue;
    let rows = catalogue
        .tree_order()
        .into_iter()
        .map(|id| {
            let metric = catalogue.get(id);
            let total = ctx.totals.metric(id);
            let stated = total
                .value
                .as_ref()
                .map(|v| figure(metric, v.shown))
                .unwrap_or_else(|| "—".into());
            // What the figure adds up to from below: its parts (of a partial
            // breakdown only when they exceed it: "including …" is not a
            // sum), else the returns.
            let parts_count = metric.breakdown == Some(Breakdown::Exhaustive)
                || view::parts_exceed(ctx.totals, id);
            let computed = total
                .parts_sum
                .filter(|_| parts_count)
                .or_else(|| {
                    total
                        .from_returns
                        .as_ref()
                        .filter(|_| total.consolidated.is_some())
                        .map(Resolved::estimate)
                })
                .filter(|c| {
                    total
                        .value
                        .as_ref()
                        .is_none_or(|v| v.interval != c.interval)
                })
                .map(|c| figure(metric, c.shown()))
                .unwrap_or_default();
            let difference = total
                .difference
                .filter(|d| !d.is_zero() && (parts_count || total.parts_sum.is_none()))
                .map(format::signed)
                .unwrap_or_default();
            let flagged = ctx
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error && f.metric(ctx.op) == Some(metric.id));
            Row {
                cells: vec![
                    metric.label.clone(),
                    unit_name(metric),
                    stated,
                    computed,
                    difference,
                ],
                indent: metric.depth as u8,
                strong: metric.depth == 0,
                tone: if flagged { Tone::Error } else { Tone::Neutral },
            }
        })
        .filter(|row| row.cells[2] != "—" || !row.cells[3].is_empty())
        .collect();
    TableSpec {
        columns: vec![
            // Figures get the room of "almost USD 129 975 440".
            column("Metric", 3.3, Align::Left),
            column("Unit", 0.8, Align::Left),
            column("Stated", 2.2, Align::Right),
            column("Computed", 2.0, Align::Right),
            column("Difference", 1.2, Align::Right),
        ],
        rows,
    }
}

/// Rows of the per-reporter table before the rest are summed as one.
const TABLE_REPORTERS: usize = 30;

/// Reporter × the charted metrics, largest first by the first metric, with
/// the total of the returns: what pages of per-reporter bars would show.
fn reporter_table(ctx: &Context, blocks: &mut Vec<Block>) {
    let metrics: Vec<MetricId> = view::reporter_chart_metrics(ctx.op, ctx.totals)
        .into_iter()
        .take(4)
        .collect();
    let Some(&first) = metrics.first() else {
        return;
    };
    let mut rows = rolled_up_reporters(ctx);
    if rows.len() < 2 {
        return;
    }
    let size = |values: &[Option<Estimate>]| {
        values
            .get(first.0)
            .copied()
            .flatten()
            .map(|e| e.shown().amount)
    };
    rows.sort_by(|a, b| size(&b.1).cmp(&size(&a.1)).then_with(|| a.0.cmp(&b.0)));
    let sum_of = |rows: &[(String, Vec<Option<Estimate>>)], id: MetricId| {
        rows.iter()
            .filter_map(|(_, v)| v.get(id.0).copied().flatten())
            .map(Some)
            .reduce(|a, b| a?.checked_add(b?))
            .flatten()
    };
    let cell = |value: Option<Estimate>, id: MetricId| {
        let metric = ctx.op.catalogue.get(id);
        value.map_or_else(|| "—".to_string(), |v| figure(metric, v.shown()))
    };
    let named = if rows.len() > TABLE_REPORTERS + 1 {
        TABLE_REPORTERS
    } else {
        rows.len()
    };
    let mut table: Vec<Row> = rows[..named]
        .iter()
        .map(|(name, values)| {
            let mut cells = vec![name.clone()];
            cells.extend(
                metrics
                    .iter()
                    .map(|&id| cell(values.get(id.0).copied().flatten(), id)),
            );
            Row::plain(cells)
        })
        .collect();
    let rest = &rows[named..];
    if !rest.is_empty() {
        let mut cells = vec![format!(
            "All others ({} reporters)",
            format::grouped(Amount::from_units(rest.len() as u64))
        )];
        cells.extend(metrics.iter().map(|&id| cell(sum_of(rest, id), id)));
        table.push(Row::plain(cells));
    }
    let mut cells = vec!["All reporters".to_string()];
    cells.extend(metrics.iter().map(|&id| cell(sum_of(&rows, id), id)));
    table.push(Row {
        cells,
        indent: 0,
        strong: true,
        tone: Tone::Neutral,
    });
    let mut columns = vec![column("Reporter", 3.0, Align::Left)];
    columns.extend(metrics.iter().map(|&id| {
        let metric = ctx.op.catalogue.get(id);
        column(&metric.label, 1.6, Align::Right)
    }));
    blocks.push(Block::Heading("Results by reporter".into()));
    blocks.push(Block::Paragraph(
        "The figures of each reporter's returns, regional units counted under their country; the workbook has every return.".into(),
    ));
    blocks.push(Block::Table(TableSpec {
        columns,
        rows: table,
    }));
}

fn unit_name(metric: &Metric) -> String {
    match metric.unit.symbol() {
        "" => metric.unit.key().to_string(),
        _ => unit_word(metric),
    }
}

/// "Arrests by reporter", "Arrests by day": a metric's bars split one way,
/// with the caption the templates wrote for it.
fn chart_by(
    metric: &Metric,
    by: &str,
    captions: &std::collections::BTreeMap<String, String>,
    bars: Vec<Bar>,
) -> Block {
    Block::Chart(ChartSpec {
        title: format!("{} by {by}", metric.label),
        caption: captions.get(&metric.key).cloned().unwrap_or_default(),
        unit: unit_word(metric),
        bars,
    })
}

/// The unit for an axis or a table: the symbol, but a word where the
/// symbol could be misread ("l" beside "1").
fn unit_word(metric: &Metric) -> String {
    match metric.unit.symbol() {
        "l" => "litres".to_string(),
        symbol => symbol.to_string(),
    }
}

fn column(header: &str, width: f32, align: Align) -> Column {
    Column {
        header: header.into(),
        width,
        align,
    }
}

/// Findings of one kind shown one by one; more are counted under the
/// first few (every finding is in the workbook and findings.json).
const EXAMPLES_PER_KIND: usize = 3;

fn data_quality(ctx: &Context, texts: &Texts, blocks: &mut Vec<Block>) {
    blocks.push(Block::Heading("Data quality".into()));
    blocks.push(Block::Paragraph(texts.data_quality.clone()));
    if ctx.findings.0.is_empty() {
        return;
    }
    // Kinds in the order they first appear (errors are found first).
    let mut kinds: Vec<(crate::check::Code, Vec<&crate::check::Finding>)> = Vec::new();
    for f in ctx.findings.iter() {
        match kinds.iter_mut().find(|(code, _)| *code == f.code) {
            Some((_, list)) => list.push(f),
            None => kinds.push((f.code, vec![f])),
        }
    }
    let mut rows = Vec::new();
    for (code, findings) in &kinds {
        let tone = |severity: Severity| match severity {
            Severity::Error => Tone::Error,
            Severity::Warning => Tone::Warning,
            Severity::Info => Tone::Info,
        };
        let grouped = findings.len() > EXAMPLES_PER_KIND + 1;
        if grouped {
            let count = Amount::from_units(findings.len() as u64);
            rows.push(Row {
                cells: vec![
                    severity_word(findings[0].severity).into(),
                    format!(
                        "{} ({} findings; the first {} below, all in the workbook)",
                        wording::kind(*code),
                        format::grouped(count),
                        EXAMPLES_PER_KIND
                    ),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
                indent: 0,
                strong: true,
                tone: tone(findings[0].severity),
            });
        }
        let shown = if grouped {
            EXAMPLES_PER_KIND
        } else {
            findings.len()
        };
        for f in &findings[..shown] {
            let unit = f.unit(ctx.op).unwrap_or(crate::model::Unit::Count);
            rows.push(Row {
                cells: vec![
                    severity_word(f.severity).into(),
                    wording::message(ctx.op, f),
                    f.stated
                        .map(|s| format::interval(s.interval, unit))
                        .unwrap_or_default(),
                    f.computed
                        .map(|c| format::interval(c.interval, unit))
                        .unwrap_or_default(),
                    f.difference.map(format::signed).unwrap_or_default(),
                ],
                indent: u8::from(grouped),
                strong: false,
                tone: tone(f.severity),
            });
        }
    }
    blocks.push(Block::Table(TableSpec {
        columns: vec![
            column("Severity", 1.2, Align::Left),
            column("Finding", 6.5, Align::Left),
            column("Stated", 1.5, Align::Right),
            column("Computed", 1.5, Align::Right),
            column("Difference", 1.2, Align::Right),
        ],
        rows,
    }));
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Note",
    }
}

/// Longer lists of names are given as a count.
const LISTED_NAMES: usize = 40;

fn participants(ctx: &Context, blocks: &mut Vec<Block>) {
    let op = ctx.op;
    let known = |g: &&crate::model::Group| g.stated_count() > 0;
    if !op.groups.iter().any(|g| known(&g)) && op.activities.is_empty() {
        // Nothing to list: no heading over an empty section.
        return;
    }
    blocks.push(Block::Heading("Participants".into()));
    let items: Vec<String> = op
        .groups
        .iter()
        .filter(known)
        .map(|g| {
            if g.members.is_empty() {
                // A count the release gives without the names.
                return format!("{} ({}), not listed by name", g.label, g.stated_count());
            }
            if g.members.len() > LISTED_NAMES {
                // A page of names helps nobody; the workbook lists them.
                return format!(
                    "{} ({}), listed by name in the workbook",
                    g.label,
                    format::grouped(Amount::from_units(g.members.len() as u64))
                );
            }
            let names: Vec<String> = g.members.iter().map(|&id| op.marked_name(id)).collect();
            format!("{} ({}): {}", g.label, g.members.len(), names.join(", "))
        })
        .collect();
    if !items.is_empty() {
        blocks.push(Block::Bullets(items));
    }
    for activity in &op.activities {
        let names: Vec<String> = activity
            .participants
            .iter()
            .map(|&id| op.marked_name(id))
            .collect();
        let mut text = format!("{}:", activity.label);
        if !activity.description.trim().is_empty() {
            text = format!("{text} {}", activity.description.trim());
        }
        if names.len() > LISTED_NAMES {
            text = format!(
                "{text} Participants: {}, listed by name in the workbook.",
                format::grouped(Amount::from_units(names.len() as u64))
            );
        } else if !names.is_empty() {
            text = format!("{text} Participants: {}.", names.join(", "));
        }
        blocks.push(Block::Paragraph(text));
    }
    for note in &op.footnotes {
        blocks.push(Block::Paragraph(format!("{}{}", note.marker, note.text)));
    }
}

/// The documents the figures come from, named as documents; the input
/// files and their SHA-256 are in the workbook and manifest.json only.
fn sources(ctx: &Context, blocks: &mut Vec<Block>) {
    let op = ctx.op;
    blocks.push(Block::Heading("Sources".into()));
    let mut items: Vec<String> = op
        .references
        .iter()
        .map(|r| match r.date {
            Some(d) => format!("{}, {}", r.title, long_date(d)),
            None => r.title.clone(),
        })
        .collect();
    let mut reporters: Vec<ParticipantId> = op
        .returns
        .iter()
        .filter_map(|r| match r.reporter {
            Reporter::Participant(id) => Some(id),
            Reporter::Coordination => None,
        })
        .collect();
    let returns = reporters.len();
    reporters.sort();
    reporters.dedup();
    if returns > 0 {
        let n = |count: usize| format::grouped(Amount::from_units(count as u64));
        items.push(if returns == reporters.len() {
            format!(
                "Returns of {} {}",
                n(reporters.len()),
                if reporters.len() == 1 {
                    "participant"
                } else {
                    "participants"
                }
            )
        } else {
            format!(
                "{} returns of {} {}",
                n(returns),
                n(reporters.len()),
                if reporters.len() == 1 {
                    "participant"
                } else {
                    "participants"
                }
            )
        });
    }
    if op
        .returns
        .iter()
        .any(|r| r.reporter == Reporter::Coordination)
    {
        items.push("Consolidated figures of the coordination".into());
    }
    if !op.corrections.is_empty() {
        items.push(format!(
            "{} to the reported figures",
            plural(op.corrections.len(), "correction")
        ));
    }
    if !items.is_empty() {
        blocks.push(Block::Bullets(items));
    }
    blocks.push(Block::Paragraph(
        "Every input file, with its checksum, is listed in the workbook (sheet Sources) and in manifest.json.".into(),
    ));
}
