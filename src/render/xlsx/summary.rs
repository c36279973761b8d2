//! The Summary sheet: every reported metric in catalogue tree order with its
//! published value, qualifier and bounds, the sum of its parts as a live
//! formula with its cached result, and a native bar chart per breakdown.
//!
//! In the master, each total with returns behind it is traceable: "Sum of
//! returns" is a `SUMIFS` over the Returns table's column for the metric
//! (participants' rows), "Consolidated" the same over the coordination's
//! rows, their difference a formula, and the published value points at the
//! one it comes from; every formula carries its cached result. A partner
//! pack holds only its own returns, so it shows the same totals as values.
//!
//! Printed landscape at 85 % or more with narrow side margins: the printed
//! columns end with the consolidated difference; the note, source and key
//! stay on screen. A page break goes before any chart the page would cut.

use super::XlsxError;
use super::returns::{self, Layout};
use super::scope::Scope;
use super::style::{Page, Sheet, Styles, cell_ref};
use crate::aggregate::{Origin, Resolved};
use crate::format;
use crate::model::{Breakdown, MetricId, Operation, Qualifier, Unit};
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
const RETURNS: u16 = 8;
const CONSOLIDATED: u16 = 9;
const GAP: u16 = 10;
const NOTE: u16 = 11;
const SOURCE: u16 = 12;
const KEY: u16 = 13;

const HEADERS: [&str; 14] = [
    "Metric",
    "Value",
    "Qualifier",
    "Lowest possible",
    "Highest possible",
    "Unit",
    "Sum of parts",
    "Difference (value − parts)",
    "Sum of returns",
    "Consolidated",
    "Difference (consolidated − returns)",
    "Note",
    "Source",
    "Key",
];

/// The header row; the rows above it carry the title block.
const HEADER_ROW: u32 = 4;

/// The header row's height: three lines.
const HEADER_POINTS: f64 = 45.0;

/// Left and right print margins, in inches (top and bottom keep the
/// default 0.75, header and footer 0.3).
const SIDE_MARGIN: f64 = 0.4;

/// A4 landscape less the margins, in pixels at 96 dpi and 100 %.
const PRINT_WIDTH_PX: f64 = (11.69 - 2.0 * SIDE_MARGIN) * 96.0;
const PRINT_HEIGHT_PX: f64 = (8.27 - 1.5) * 96.0;

/// The last printed column.
const LAST_PRINTED: u16 = GAP;

/// Pixels of a column `width` characters wide: Excel draws 7 px a digit of
/// the default font plus 5 px of padding; LibreOffice's columns came out
/// about 3 % wider, so 7.5 leaves room for both.
fn column_px(width: f64) -> f64 {
    (width * 7.5 + 5.0).ceil()
}

fn points_to_px(points: f64) -> f64 {
    points * 96.0 / 72.0
}

pub fn write(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
    layout: &Layout,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    let op = ctx.op;
    let ws = workbook.add_worksheet();
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    // Headers wrap onto three lines: the printed columns must fit the page.
    for (col, header) in (0u16..).zip(HEADERS) {
        sheet.heading_lines(HEADER_ROW, col, header, &styles.header, 3)?;
    }

    let rows = layout_rows(op, ctx);
    let row_of = |id: MetricId| {
        rows.iter()
            .position(|&m| m == id)
            .map(|i| HEADER_ROW + 1 + i as u32)
    };
    // Formulas only where the Returns sheets hold every return the totals
    // sum: the master's.
    let traced = scope.partner().is_none().then_some(layout);
    for (&id, row) in rows.iter().zip(HEADER_ROW + 1..) {
        write_metric(&mut sheet, ctx, scope, styles, traced, id, row, &row_of)?;
    }
    let last_row = HEADER_ROW + rows.len() as u32;

    // Measured before the title block so the long operation name does not
    // widen the first column.
    sheet.fit(7, 40, &[(NOTE, 70), (SOURCE, 50)])?;
    let scale = fit_print_width(&mut sheet)?;
    title_block(&mut sheet, ctx, scope, styles)?;
    sheet.ws.set_row_height(HEADER_ROW, HEADER_POINTS)?;
    sheet.hold_header(HEADER_ROW, 1)?;
    sheet
        .ws
        .set_print_area(0, 0, last_row.max(HEADER_ROW), LAST_PRINTED)?;

    charts(&mut sheet, op, &rows, last_row, scale, &row_of)?;
    Ok(())
}

/// Sets the print scale that fits the printed columns on the page width
/// (at most 100 %) and returns it: 98 % for the sample; tests hold it to
/// 85 % or more. A fixed scale, unlike the other sheets' fit-to-width
/// (which shrinks as far as it must), lets Excel keep manual page breaks.
fn fit_print_width(sheet: &mut Sheet) -> Result<u16, XlsxError> {
    let printed: f64 = (0..=LAST_PRINTED)
        .map(|col| column_px(sheet.width(col)))
        .sum();
    let scale = (PRINT_WIDTH_PX * 100.0 / printed)
        .floor()
        .clamp(10.0, 100.0) as u16;
    sheet.ws.set_print_scale(scale);
    sheet
        .ws
        .set_margins(SIDE_MARGIN, SIDE_MARGIN, 0.75, 0.75, 0.3, 0.3);
    Ok(scale)
}

/// The metrics that get a row: those with a value, and parents of such.
/// Catalogue entries nobody reported (vessels, containers…) would be noise.
fn layout_rows(op: &Operation, ctx: &Context) -> Vec<MetricId> {
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

#[allow(clippy::too_many_arguments)]
fn write_metric(
    sheet: &mut Sheet,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    traced: Option<&Layout>,
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

    // The totals behind the published value, first: the value may point at one.
    let column = traced.and_then(|l| l.metrics.get(&id).map(|c| (l, c.value)));
    let from_returns = total_cell(
        sheet,
        styles,
        row,
        RETURNS,
        total.from_returns.as_ref(),
        unit,
        column.and_then(|(l, col)| l.sum_of(col, returns::PARTICIPANT)),
    )?;
    let consolidated = total_cell(
        sheet,
        styles,
        row,
        CONSOLIDATED,
        total.consolidated.as_ref(),
        unit,
        column.and_then(|(l, col)| l.sum_of(col, returns::CONSOLIDATED)),
    )?;
    if let (Some(stated), Some(summed)) = (&total.consolidated, &total.from_returns) {
        let gap = stated
            .nominal
            .amount
            .signed_difference(summed.nominal.amount);
        match (consolidated, from_returns) {
            (true, true) => {
                let formula = format!(
                    "={}-{}",
                    cell_ref(row, CONSOLIDATED),
                    cell_ref(row, RETURNS)
                );
                sheet.formula(row, GAP, &formula, gap, &styles.signed(gap))?;
            }
            _ => sheet.signed(row, GAP, gap, &styles.signed(gap))?,
        }
    }

    match &total.value {
        Some(value) => {
            // The published value is one of the two totals beside it: say
            // which by formula when that cell is one and shows the same number.
            let behind = match value.origin {
                Origin::Consolidated => (consolidated, &total.consolidated, CONSOLIDATED),
                Origin::SumOfReturns => (from_returns, &total.from_returns, RETURNS),
            };
            match behind {
                (true, Some(resolved), col) if resolved.nominal == value.shown => sheet.formula(
                    row,
                    VALUE,
                    &format!("={}", cell_ref(row, col)),
                    value.shown.amount,
                    &styles.number(value.shown.amount, unit),
                )?,
                _ => sheet.amount(
                    row,
                    VALUE,
                    value.shown.amount,
                    &styles.number(value.shown.amount, unit),
                )?,
            }
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
                    .places
                    .first()
                    .map(|&p| scope.place(&ctx.op.sources.at(p)))
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
    if total
        .from_returns
        .as_ref()
        .is_some_and(|r| r.nominal.qualifier != Qualifier::Exact)
    {
        notes.push("sum of returns: the stated numbers added, qualified figures included".into());
    }

    if !notes.is_empty() {
        sheet.wrapped(row, NOTE, &notes.join("; "), &styles.wrap)?;
    }
    Ok(())
}

/// A sum over returns: the `SUMIFS` formula with its cached value when
/// given one, else the value. The nominal amount either way (the stated
/// numbers added, as a column sum gives), shown with the qualifier the sum
/// keeps. Returns whether the cell is a formula.
fn total_cell(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    col: u16,
    total: Option<&Resolved>,
    unit: Unit,
    formula: Option<String>,
) -> Result<bool, XlsxError> {
    let Some(total) = total else {
        return Ok(false);
    };
    let format = styles.qualified(total.nominal, unit);
    match formula {
        Some(formula) => {
            sheet.formula(row, col, &formula, total.nominal.amount, &format)?;
            Ok(true)
        }
        None => {
            sheet.quantity(row, col, total.nominal, &format)?;
            Ok(false)
        }
    }
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

/// One horizontal bar chart per breakdown, two side by side below the
/// table, reading the labels and values from the Summary cells. Rows of
/// charts are laid out page by page at the print scale: a chart the current
/// page cannot hold starts a new page (a manual break, which Excel keeps
/// because the sheet is scaled, not fitted).
fn charts(
    sheet: &mut Sheet,
    op: &Operation,
    rows: &[MetricId],
    last_row: u32,
    scale: u16,
    row_of: &dyn Fn(MetricId) -> Option<u32>,
) -> Result<(), XlsxError> {
    const GAP_PX: u32 = 20;
    const ROW_PX: u32 = 20;
    // Two charts side by side within the printed columns, measured as
    // Excel draws them (the narrower reading): the print area cuts whatever
    // lies to its right.
    let printed: f64 = (0..=LAST_PRINTED)
        .map(|col| (sheet.width(col) * 7.0 + 5.0).trunc())
        .sum();
    let width = ((printed as u32).saturating_sub(GAP_PX + 10) / 2).clamp(250, 520);
    // What a page holds at this scale, less a margin for readers that
    // measure rows a little differently; later pages repeat the header row.
    let page = PRINT_HEIGHT_PX * 100.0 / f64::from(scale) * 0.92;
    let header = points_to_px(HEADER_POINTS);
    let mut used = 0.0;
    for row in 0..=last_row {
        let height = match row {
            HEADER_ROW => header,
            // The title's 14-point line.
            0 => points_to_px(19.0),
            _ => points_to_px(sheet.height(row)),
        };
        used = if used + height > page {
            header + height
        } else {
            used + height
        };
    }

    let charts: Vec<(Chart, u32)> = rows
        .iter()
        .map(|&id| op.catalogue.get(id))
        .filter(|m| !m.parts.is_empty())
        .filter_map(|metric| chart(metric, width, row_of))
        .collect();
    let mut breaks = Vec::new();
    let mut row = last_row + 3;
    used += f64::from(2 * ROW_PX);
    for pair in charts.chunks(2) {
        let height = pair.iter().map(|(_, h)| *h).max().unwrap_or(0);
        let rows_taken = height.div_ceil(ROW_PX) + 1;
        if used + f64::from(rows_taken * ROW_PX) > page {
            breaks.push(row);
            used = header;
        }
        for (slot, (chart, _)) in (0u32..).zip(pair) {
            sheet
                .ws
                .insert_chart_with_offset(row, 0, chart, slot * (width + GAP_PX), 0)?;
        }
        used += f64::from((rows_taken + 1) * ROW_PX);
        row += rows_taken + 1;
    }
    if !breaks.is_empty() {
        sheet.ws.set_page_breaks(&breaks)?;
    }
    if !charts.is_empty() {
        sheet.ws.set_print_area(0, 0, row, LAST_PRINTED)?;
    }
    Ok(())
}

/// The bar chart of one breakdown and its height in pixels, or `None` when
/// its parts are not one range of rows.
fn chart(
    metric: &crate::model::Metric,
    width: u32,
    row_of: &dyn Fn(MetricId) -> Option<u32>,
) -> Option<(Chart, u32)> {
    let parts: Vec<u32> = metric.parts.iter().filter_map(|&p| row_of(p)).collect();
    let (&first, &last, own) = (parts.first()?, parts.last()?, row_of(metric.id)?);
    // A chart series is one range; parts separated by nested rows
    // cannot be one (catalogues here are two levels deep).
    if last - first + 1 != parts.len() as u32 {
        return None;
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
    chart.set_width(width).set_height(height);
    chart.set_alt_text(format!("Bar chart: {} by part", metric.label));
    Some((chart, height))
}
