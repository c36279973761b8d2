//! The briefing's content: Totals, Findings and Texts → the PDF engine's
//! blocks, in the order the layout file declares.

use super::Context;
use super::pdf::{Align, Bar, Block, ChartSpec, Column, DocSpec, Row, TableSpec, Tile, Tone};
use crate::aggregate::Resolved;
use crate::changes::Changes;
use crate::check::{Severity, wording};
use crate::format;
use crate::model::{Amount, Breakdown, Metric, Section};
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
        lang: "en".into(),
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
                    crate::changes::causes_text(&c.causes.iter().collect::<Vec<_>>()),
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
                    format::quantity(c.from, metric.unit),
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
    Block::Callout {
        tone: Tone::Error,
        title: format!(
            "{} in the reported figures — published as stated; see Data quality",
            plural(errors.len(), "error")
        ),
        lines: errors,
    }
}

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
            unit: metric.unit.symbol().to_string(),
            bars,
        }));
    }
    for id in view::reporter_chart_metrics(ctx.op, ctx.totals) {
        let metric = ctx.op.catalogue.get(id);
        let by_reporter: Vec<Bar> = ctx
            .totals
            .reporters
            .iter()
            .filter_map(|r| {
                let value = r.values[id.0]?;
                Some(bar(ctx.op.marked_name(r.participant), value, metric))
            })
            .collect();
        if by_reporter.len() >= 2 {
            charts.push(Block::Chart(ChartSpec {
                title: format!("{} by reporter", metric.label),
                caption: texts
                    .reporter_captions
                    .get(&metric.key)
                    .cloned()
                    .unwrap_or_default(),
                unit: metric.unit.symbol().to_string(),
                bars: by_reporter,
            }));
        }
        let by_day: Vec<Bar> = ctx
            .totals
            .days
            .iter()
            .filter_map(|d| Some(bar(long_date(d.day), d.values[id.0]?, metric)))
            .collect();
        if by_day.len() >= 2 {
            charts.push(Block::Chart(ChartSpec {
                title: format!("{} by day", metric.label),
                caption: texts
                    .day_captions
                    .get(&metric.key)
                    .cloned()
                    .unwrap_or_default(),
                unit: metric.unit.symbol().to_string(),
                bars: by_day,
            }));
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

fn unit_name(metric: &Metric) -> String {
    match metric.unit.symbol() {
        "" => metric.unit.key().to_string(),
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

fn data_quality(ctx: &Context, texts: &Texts, blocks: &mut Vec<Block>) {
    blocks.push(Block::Heading("Data quality".into()));
    blocks.push(Block::Paragraph(texts.data_quality.clone()));
    if ctx.findings.0.is_empty() {
        return;
    }
    let rows = ctx
        .findings
        .iter()
        .map(|f| {
            let unit = f.unit(ctx.op).unwrap_or(crate::model::Unit::Count);
            // The stated figure's place; the Sources table has full paths.
            let mut source = f
                .locations
                .first()
                .map(|l| format!("{}:{}", file_name(&l.file), l.line))
                .unwrap_or_default();
            if f.locations.len() > 1 {
                source.push_str(&format!("\n+{} more", f.locations.len() - 1));
            }
            Row {
                cells: vec![
                    f.severity.key().to_string(),
                    format!("{}\n{}", f.code.key(), wording::message(ctx.op, f)),
                    f.stated
                        .map(|s| format::interval(s.interval, unit))
                        .unwrap_or_default(),
                    f.computed
                        .map(|c| format::interval(c.interval, unit))
                        .unwrap_or_default(),
                    f.difference.map(format::signed).unwrap_or_default(),
                    source,
                ],
                indent: 0,
                strong: false,
                tone: match f.severity {
                    Severity::Error => Tone::Error,
                    Severity::Warning => Tone::Warning,
                    Severity::Info => Tone::Info,
                },
            }
        })
        .collect();
    blocks.push(Block::Table(TableSpec {
        columns: vec![
            column("Severity", 1.5, Align::Left),
            column("Finding", 4.5, Align::Left),
            column("Stated", 1.5, Align::Right),
            column("Computed", 1.8, Align::Right),
            column("Diff.", 0.9, Align::Right),
            column("Source", 3.1, Align::Left),
        ],
        rows,
    }));
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Up to this many input files of one folder are listed one per row; more
/// become one row that says where each is listed (5 000 returns would add
/// over 200 pages of hashes to a briefing).
const LISTED_PER_FOLDER: usize = 20;

/// "returns" for "returns/austria.toml"; "" for a file at the top.
fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

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
        if !names.is_empty() {
            text = format!("{text} Participants: {}.", names.join(", "));
        }
        blocks.push(Block::Paragraph(text));
    }
    for note in &op.footnotes {
        blocks.push(Block::Paragraph(format!("{}{}", note.marker, note.text)));
    }
}

fn sources(ctx: &Context, blocks: &mut Vec<Block>) {
    blocks.push(Block::Heading("Sources".into()));
    let mut items: Vec<String> = ctx
        .op
        .references
        .iter()
        .map(|r| match r.date {
            Some(d) => format!("{} ({})", r.title, long_date(d)),
            None => r.title.clone(),
        })
        .collect();
    if !items.is_empty() {
        blocks.push(Block::Bullets(std::mem::take(&mut items)));
    }
    let paths: Vec<(String, &str)> = ctx
        .op
        .sources
        .iter()
        .map(|file| (file.relative.to_string(), file.sha256()))
        .collect();
    let mut rows = Vec::new();
    for files in paths.chunk_by(|(a, _), (b, _)| folder(a) == folder(b)) {
        if files.len() <= LISTED_PER_FOLDER {
            rows.extend(
                files
                    .iter()
                    .map(|(path, sha256)| Row::plain(vec![path.clone(), sha256.to_string()])),
            );
        } else {
            let count = Amount::from_units(files.len() as u64);
            rows.push(Row::plain(vec![
                format!(
                    "{}/ ({} files)",
                    folder(&files[0].0),
                    format::grouped(count)
                ),
                "each file with its SHA-256 in workbook.xlsx (Sources) and manifest.json".into(),
            ]));
        }
    }
    blocks.push(Block::Table(TableSpec {
        columns: vec![
            column("Input file", 3.0, Align::Left),
            column("SHA-256", 5.0, Align::Left),
        ],
        rows,
    }));
}
