//! The Summary sheet: every reported metric in catalogue tree order with its
//! published value, qualifier and bounds, the sum of its parts as a live
//! formula with its cached result, and a native bar chart per breakdown.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles, cell_ref};
use crate::aggregate::Origin;
use crate::format;
use crate::model::{Breakdown, MetricId, Operation, Qualifier};
use crate::render::Context;
use rust_xlsxwriter::{Chart, ChartAxisCrossing, ChartDataLabel, ChartType, Workbook};

pub const NAME: &str = "Summary";

const LABEL: u16 = 0;
const VALUE: u16 = 1;
const QUALIFIER: u16 = 2;
const LOW: u16 = 3;
const HIGH: u16 = 4;
const UNIT: u16 = 5;
const PARTS: u16 = 6;
const DIFFERENCE: u16 = 7;
const SOURCE: u16 = 8;
const KEY: u16 = 9;
const NOTE: u16 = 10;

const HEADERS: [&str; 11] = [
    "Metric",
    "Value",
    "Qualifier",
    "Lowest possible",
    "Highest possible",
    "Unit",
    "Sum of parts",
    "Difference (value − parts)",
    "Source",
    "Key",
    "Note",
];

/// The header row; the rows above it carry the title block.
const HEADER_ROW: u32 = 4;

pub fn write(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    let op = ctx.op;
    let ws = workbook.add_worksheet();
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    for (col, header) in (0u16..).zip(HEADERS) {
        sheet.heading(HEADER_ROW, col, header, &styles.header)?;
    }

    let rows = layout(op, ctx);
    let row_of = |id: MetricId| {
        rows.iter()
            .position(|&m| m == id)
            .map(|i| HEADER_ROW + 1 + i as u32)
    };
    for (&id, row) in rows.iter().zip(HEADER_ROW + 1..) {
        write_metric(&mut sheet, ctx, styles, id, row, &row_of)?;
    }
    let last_row = HEADER_ROW + rows.len() as u32;

    // Measured before the title block so the long operation name does not
    // widen the first column.
    sheet.fit(8, 45, &[(NOTE, 70), (SOURCE, 50)])?;
    title_block(&mut sheet, ctx, scope, styles)?;
    sheet.ws.set_row_height(HEADER_ROW, 32)?;
    sheet.hold_header(HEADER_ROW, 1)?;

    charts(sheet.ws, op, &rows, last_row + 3, &row_of)?;
    Ok(())
}

/// The metrics that get a row: those with a value, and parents of such.
/// Catalogue entries nobody reported (vessels, containers…) would be noise.
fn layout(op: &Operation, ctx: &Context) -> Vec<MetricId> {
    fn reported(op: &Operation, ctx: &Context, id: MetricId) -> bool {
        ctx.totals.metric(id).value.is_some()
            || op
                .catalogue
                .get(id)
                .parts
                .iter()
                .any(|&p| reported(op, ctx, p))
    }
    op.catalogue
        .tree_order()
        .into_iter()
        .filter(|&id| reported(op, ctx, id))
        .collect()
}

fn write_metric(
    sheet: &mut Sheet,
    ctx: &Context,
    styles: &Styles,
    id: MetricId,
    row: u32,
    row_of: &dyn Fn(MetricId) -> Option<u32>,
) -> Result<(), XlsxError> {
    let metric = ctx.op.catalogue.get(id);
    let total = ctx.totals.metric(id);
    let unit = metric.unit;
    let mut notes: Vec<String> = Vec::new();

    sheet.text(
        row,
        LABEL,
        &metric.label,
        &styles.label(metric.depth, metric.depth == 0),
    )?;
    // Excel's indent is about three characters per level.
    sheet.reserve(LABEL, metric.label.chars().count() + 3 * metric.depth);
    sheet.text(row, UNIT, unit.key(), &styles.text)?;
    sheet.text(row, KEY, &metric.key, &styles.text)?;

    match &total.value {
        Some(value) => {
            sheet.amount(
                row,
                VALUE,
                value.shown.amount,
                &styles.number(value.shown.amount, unit),
            )?;
            if value.shown.qualifier != Qualifier::Exact {
                sheet.text(row, QUALIFIER, value.shown.qualifier.word(), &styles.text)?;
            }
            // A qualified figure is a range: show both ends, so nobody
            // mistakes "almost 1 000" for 1 000.
            if value.interval.as_point().is_none() {
                sheet.amount(
                    row,
                    LOW,
                    value.interval.low,
                    &styles.number(value.interval.low, unit),
                )?;
                match value.interval.high {
                    Some(high) => sheet.amount(row, HIGH, high, &styles.number(high, unit))?,
                    None => notes.push("no upper bound".into()),
                }
            }
            let source = match value.origin {
                Origin::Consolidated => value
                    .locations
                    .first()
                    .map(|l| format!("{}:{}", l.file, l.line))
                    .unwrap_or_else(|| "consolidated figure".into()),
                // Not the list of files: in a partner pack their names would
                // say who reported.
                Origin::SumOfReturns => "sum of participants' returns".into(),
            };
            sheet.text(row, SOURCE, &source, &styles.text)?;
        }
        None => notes.push("not reported".into()),
    }

    let parts: Vec<u32> = metric.parts.iter().filter_map(|&p| row_of(p)).collect();
    if !parts.is_empty() {
        match total.parts_sum {
            Some(sum) => match sum.interval.as_point() {
                Some(point) => {
                    let formula = format!("=SUM({})", references(&parts));
                    sheet.formula(row, PARTS, &formula, point, &styles.number(point, unit))?;
                }
                None => {
                    // Summing the shown amounts of "almost 300" would claim a
                    // precision the figures do not have: show the worded range.
                    let worded = sum.shown();
                    sheet.quantity(row, PARTS, worded, &styles.qualified(worded, unit))?;
                    notes.push(format!(
                        "parts add up to {} (approximate figures)",
                        format::interval(sum.interval, unit)
                    ));
                }
            },
            None => notes.push("no part reported".into()),
        }
        if let Some(difference) = total.difference {
            let formula = format!("={}-{}", cell_ref(row, VALUE), cell_ref(row, PARTS));
            sheet.formula(
                row,
                DIFFERENCE,
                &formula,
                difference,
                &styles.signed(difference),
            )?;
        }
        notes.push(match metric.breakdown {
            Some(Breakdown::Partial) => "parts are “including …”: they may add up to less".into(),
            _ => "parts should add up to the value".into(),
        });
    }

    if !notes.is_empty() {
        sheet.text(row, NOTE, &notes.join("; "), &styles.text)?;
    }
    Ok(())
}

/// `B6:B9` for consecutive rows, `B6,B8,B12` otherwise (nested parts).
fn references(rows: &[u32]) -> String {
    let consecutive = rows.windows(2).all(|w| w[1] == w[0] + 1);
    match (rows.first(), rows.last()) {
        (Some(&first), Some(&last)) if consecutive && first != last => {
            format!("{}:{}", cell_ref(first, VALUE), cell_ref(last, VALUE))
        }
        _ => rows
            .iter()
            .map(|&r| cell_ref(r, VALUE))
            .collect::<Vec<_>>()
            .join(","),
    }
}

fn title_block(
    sheet: &mut Sheet,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let op = ctx.op;
    // Written straight to the worksheet: not counted in column widths.
    sheet
        .ws
        .write_string_with_format(0, 0, &op.name, &styles.title)?;
    let mut line = format!("{} to {}", op.start, op.end);
    if let Some(published) = op.published {
        line.push_str(&format!(" · figures as published on {published}"));
    }
    line.push_str(&format!(" · {}", op.marking));
    sheet
        .ws
        .write_string_with_format(1, 0, &line, &styles.subtitle)?;
    let purpose = match scope.partner() {
        Some(partner) => format!(
            "Partner pack for {}: the operation totals, its own returns and the checks that concern it.",
            op.marked_name(partner)
        ),
        None => {
            "Master workbook: the operation totals, every return, every check and every source."
                .into()
        }
    };
    sheet
        .ws
        .write_string_with_format(2, 0, &purpose, &styles.subtitle)?;
    sheet
        .ws
        .write_string_with_format(3, 0, super::revision_line(ctx), &styles.subtitle)?;
    Ok(())
}

/// One horizontal bar chart per breakdown, two per row below the table,
/// reading the labels and values from the Summary cells.
fn charts(
    ws: &mut rust_xlsxwriter::Worksheet,
    op: &Operation,
    rows: &[MetricId],
    first_row: u32,
    row_of: &dyn Fn(MetricId) -> Option<u32>,
) -> Result<(), XlsxError> {
    const WIDTH: u32 = 520;
    const ROW_PIXELS: u32 = 20;
    let mut row = first_row;
    let mut pending_height = 0;
    let mut slot = 0;
    for metric in rows
        .iter()
        .map(|&id| op.catalogue.get(id))
        .filter(|m| !m.parts.is_empty())
    {
        let parts: Vec<u32> = metric.parts.iter().filter_map(|&p| row_of(p)).collect();
        let (Some(&first), Some(&last), Some(own)) =
            (parts.first(), parts.last(), row_of(metric.id))
        else {
            continue;
        };
        // A chart series is one range; parts separated by nested rows
        // cannot be one (catalogues here are two levels deep).
        if last - first + 1 != parts.len() as u32 {
            continue;
        }
        let height = (90 + 28 * parts.len() as u32).max(220);
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            // Labels and title by cell reference, never as literal strings:
            // a literal title starting with `=` would be read as a formula.
            .set_name((NAME, own, LABEL))
            .set_categories((NAME, first, LABEL, last, LABEL))
            .set_values((NAME, first, VALUE, last, VALUE))
            .set_data_label(ChartDataLabel::new().show_value().set_num_format("#,##0"))
            .set_gap(60);
        chart.title().set_name((NAME, own, LABEL));
        chart.legend().set_hidden();
        // In a bar chart rust_xlsxwriter's y axis is the vertical category
        // axis. Bars draw the first category at the bottom: reverse it so the
        // chart reads in table order, and keep the value axis at the bottom.
        chart
            .y_axis()
            .set_reverse()
            .set_crossing(ChartAxisCrossing::Max);
        chart.x_axis().set_num_format("#,##0");
        chart.set_width(WIDTH).set_height(height);
        chart.set_alt_text(format!("Bar chart: {} by part", metric.label));
        ws.insert_chart_with_offset(row, 0, &chart, slot * (WIDTH + 20), 0)?;
        pending_height = pending_height.max(height);
        slot += 1;
        if slot == 2 {
            row += pending_height.div_ceil(ROW_PIXELS) + 2;
            pending_height = 0;
            slot = 0;
        }
    }
    Ok(())
}
