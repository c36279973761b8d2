//! The briefing's content: Totals, Findings and Texts → the PDF engine's
//! blocks, in the order the layout file declares.

use super::Context;
use super::pdf::{Align, Bar, Block, ChartSpec, Column, DocSpec, Row, TableSpec, Tile, Tone};
use crate::aggregate::Resolved;
use crate::changes::Changes;
use crate::check::{Severity, wording};
use crate::format;
use crate::model::{Amount, Metric, MetricId};
use crate::narrate::Texts;
use crate::narrate::view::{figure, long_date, period};
use serde::Deserialize;
use std::fmt;

const DEFAULT_LAYOUT: &str = include_str!("../../templates/briefing.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layout {
    tiles: Vec<String>,
    sections: Vec<Section>,
    #[serde(default)]
    reporter_charts: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Section {
    Summary,
    KeyFigures,
    Charts,
    Results,
    DataQuality,
    Participants,
    Sources,
}

/// The layout file is wrong, or the PDF engine refused the content.
#[derive(Debug)]
pub struct BriefingError(pub String);

impl fmt::Display for BriefingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn layout(ctx: &Context) -> Result<Layout, BriefingError> {
    let path = ctx.op.dir.join("templates").join("briefing.toml");
    // Absent: the shipped layout. Present: read like every input file (inside
    // the operation folder, a regular file, size-limited).
    let (name, text) = if std::fs::symlink_metadata(&path).is_err() {
        (
            "templates/briefing.toml".to_string(),
            DEFAULT_LAYOUT.to_string(),
        )
    } else {
        let text = crate::load::files::read_contained(&ctx.op.dir, &path).map_err(|refusal| {
            let (what, help) = refusal.describe();
            BriefingError(format!("{}: {what}; {help}", path.display()))
        })?;
        (path.display().to_string(), text)
    };
    let layout: Layout =
        toml::from_str(&text).map_err(|e| BriefingError(format!("{name}: {}", e.message())))?;
    for key in layout.tiles.iter().chain(&layout.reporter_charts) {
        if ctx.op.catalogue.find(key).is_none() {
            let help =
                crate::load::did_you_mean(key, ctx.op.catalogue.iter().map(|m| m.key.as_str()))
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
            return Err(BriefingError(format!(
                "{name}: unknown metric `{key}`{help}"
            )));
        }
    }
    Ok(layout)
}

/// The briefing PDF of `ctx.edition`.
pub fn briefing(ctx: &Context, texts: &Texts) -> Result<Vec<u8>, BriefingError> {
    let revision = ctx.edition.revision;
    let layout = layout(ctx)?;
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
    for section in &layout.sections {
        match section {
            Section::KeyFigures => blocks.push(tiles(ctx, &layout.tiles)),
            Section::Summary => {
                blocks.push(Block::Heading("Summary".into()));
                blocks.push(Block::Paragraph(texts.lead.clone() + "."));
                blocks.push(Block::Paragraph(texts.summary.clone()));
            }
            Section::Charts => charts(ctx, texts, &layout.reporter_charts, &mut blocks),
            Section::Results => {
                blocks.push(Block::Heading("Results".into()));
                blocks.push(Block::Paragraph(
                    "Every figure as stated; where the parts or the participants' returns add up to something else, the computed figure and the difference are shown beside it.".into(),
                ));
                blocks.push(results_table(ctx));
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
    facts.push((
        "Countries".into(),
        op.countries_claimed
            .as_ref()
            .map_or(op.listed_countries() as u64, |c| c.0)
            .to_string(),
    ));
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
                    c.old.clone().unwrap_or_else(|| "—".into()),
                    c.new.clone().unwrap_or_else(|| "—".into()),
                    c.difference.clone().unwrap_or_default(),
                    c.cause.clone(),
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

fn has_difference(ctx: &Context, id: MetricId) -> bool {
    ctx.totals
        .metric(id)
        .difference
        .is_some_and(|d| !d.is_zero())
}

fn tiles(ctx: &Context, keys: &[String]) -> Block {
    let tiles = keys
        .iter()
        .filter_map(|key| {
            let metric = ctx.op.catalogue.get(ctx.op.catalogue.find(key)?);
            let value = ctx.totals.metric(metric.id).value.as_ref()?;
            Some(Tile {
                value: figure(metric, value.shown),
                label: metric.label.clone(),
                tone: if has_difference(ctx, metric.id) {
                    Tone::Error
                } else {
                    Tone::Neutral
                },
            })
        })
        .collect();
    Block::Tiles(tiles)
}

fn charts(ctx: &Context, texts: &Texts, reporter_charts: &[String], blocks: &mut Vec<Block>) {
    // Charts read best together, from the top of a page.
    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading("Breakdowns".into()));
    for metric in ctx.op.catalogue.breakdowns() {
        let total = ctx.totals.metric(metric.id);
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
        if let Some(unattributed) = total.unattributed() {
            bars.push(Bar {
                label: "Not attributed".into(),
                value: unattributed.to_f64(),
                value_label: format::with_unit(unattributed, metric.unit),
                tone: Tone::Error,
            });
        }
        blocks.push(Block::Chart(ChartSpec {
            title: chart_title(metric),
            caption: texts.captions.get(&metric.key).cloned().unwrap_or_default(),
            unit: metric.unit.symbol().to_string(),
            bars,
        }));
    }
    for key in reporter_charts {
        let Some(id) = ctx.op.catalogue.find(key) else {
            continue;
        };
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
            blocks.push(Block::Chart(ChartSpec {
                title: format!("{} by reporter", metric.label),
                caption: format!(
                    "{} as reported by each participant, summed over its returns.",
                    metric.label
                ),
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
            blocks.push(Block::Chart(ChartSpec {
                title: format!("{} by day", metric.label),
                caption: format!("{} in the participants' daily returns.", metric.label),
                unit: metric.unit.symbol().to_string(),
                bars: by_day,
            }));
        }
    }
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

fn chart_title(metric: &Metric) -> String {
    let by = if metric.key.starts_with("arrests") {
        "by crime area"
    } else {
        "by type"
    };
    format!("{} {by}", metric.label)
}

fn results_table(ctx: &Context) -> Block {
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
            // What the figure adds up to from below: its parts, else the returns.
            let computed = total
                .parts_sum
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
                .filter(|d| !d.is_zero())
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
    Block::Table(TableSpec {
        columns: vec![
            column("Metric", 4.0, Align::Left),
            column("Unit", 1.0, Align::Left),
            column("Stated", 1.6, Align::Right),
            column("Computed", 1.6, Align::Right),
            column("Difference", 1.3, Align::Right),
        ],
        rows,
    })
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
    blocks.push(Block::Heading("Participants".into()));
    let items = op
        .groups
        .iter()
        .map(|g| {
            let names: Vec<String> = g.members.iter().map(|&id| op.marked_name(id)).collect();
            format!("{} ({}): {}", g.label, g.members.len(), names.join(", "))
        })
        .collect();
    blocks.push(Block::Bullets(items));
    for activity in &op.activities {
        let names: Vec<String> = activity
            .participants
            .iter()
            .map(|&id| op.marked_name(id))
            .collect();
        blocks.push(Block::Paragraph(format!(
            "{}: {} Participants: {}.",
            activity.label,
            activity.description,
            names.join(", ")
        )));
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
