//! The By reporter sheet: reporters × top-level metrics from the totals
//! (an Excel table, `ByReporter`),
//! and in the master a formula row summing them, set against the
//! consolidated figure.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles, cell_ref, unique_headers};
use crate::model::{Estimate, Metric, Unit};
use crate::render::Context;
use rust_xlsxwriter::{TableStyle, Workbook};

pub const NAME: &str = "By reporter";

pub fn write(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    let op = ctx.op;
    let totals = ctx.totals;
    let reporters: Vec<_> = totals
        .reporters
        .iter()
        .filter(|r| scope.shows_reporter(r.participant))
        .collect();
    if reporters.is_empty() {
        return Ok(());
    }
    // Top-level metrics some participant reported.
    let metrics: Vec<&Metric> = op
        .catalogue
        .roots()
        .filter(|m| totals.metric(m.id).from_returns.is_some())
        .collect();

    let ws = workbook.add_worksheet();
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    let mut headers = vec!["Reporter".to_string()];
    headers.extend(metrics.iter().map(|metric| match metric.unit {
        Unit::Count | Unit::Pieces => metric.label.clone(),
        unit => format!("{} ({})", metric.label, unit.key()),
    }));
    unique_headers(&mut headers);
    for (col, header) in (0u16..).zip(&headers) {
        sheet.heading(0, col, header, &styles.header)?;
    }

    let first = 1;
    for (row, reporter) in (first..).zip(&reporters) {
        sheet.text(row, 0, &op.marked_name(reporter.participant), &styles.text)?;
        for (col, metric) in (1u16..).zip(&metrics) {
            if let Some(Some(value)) = reporter.values.get(metric.id.0) {
                figure(&mut sheet, styles, row, col, *value, metric.unit)?;
            }
        }
    }
    let last = first + reporters.len() as u32 - 1;
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    sheet.table("ByReporter", TableStyle::Light1, (0, last), &headers)?;

    // A pack shows a subset of the reporters: a total of that subset is a
    // number the totals do not hold, and the operation totals are on the
    // Summary sheet already.
    if scope.partner().is_none() {
        summary_rows(&mut sheet, ctx, styles, &metrics, first, last)?;
    }

    sheet.fit(10, 40, &[])?;
    sheet.ws.set_row_height(0, 32)?;
    sheet.hold_header(0, 1)?;
    Ok(())
}

/// An exact figure as a number; a range as its worded value ("almost 926")
/// whose cell stays numeric.
fn figure(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    col: u16,
    value: Estimate,
    unit: Unit,
) -> Result<(), XlsxError> {
    match value.interval.as_point() {
        Some(point) => sheet.amount(row, col, point, &styles.number(point, unit)),
        None => {
            let worded = value.shown();
            sheet.quantity(row, col, worded, &styles.qualified(worded, unit))
        }
    }
}

/// "Sum of returns" (=SUM with cached totals), "Consolidated figure" and
/// their difference, taken from the check that compared them.
fn summary_rows(
    sheet: &mut Sheet,
    ctx: &Context,
    styles: &Styles,
    metrics: &[&Metric],
    first: u32,
    last: u32,
) -> Result<(), XlsxError> {
    let (sum_row, consolidated_row, difference_row) = (last + 1, last + 2, last + 3);
    let bold = styles.header.clone();
    sheet.text(sum_row, 0, "Sum of returns", &bold)?;
    let mut any_consolidated = false;
    for (col, metric) in (1u16..).zip(metrics) {
        let total = ctx.totals.metric(metric.id);
        let Some(returns) = &total.from_returns else {
            continue;
        };
        match returns.interval.as_point() {
            Some(point) => {
                let formula = format!("=SUM({}:{})", cell_ref(first, col), cell_ref(last, col));
                sheet.formula(
                    sum_row,
                    col,
                    &formula,
                    point,
                    &styles.number(point, metric.unit).set_bold(),
                )?;
            }
            None => figure(sheet, styles, sum_row, col, returns.estimate(), metric.unit)?,
        }
        let Some(consolidated) = &total.consolidated else {
            continue;
        };
        any_consolidated = true;
        let shown = consolidated.shown();
        sheet.quantity(
            consolidated_row,
            col,
            shown,
            &styles.qualified(shown, metric.unit),
        )?;
        // Both exact: their difference is a plain subtraction of totals.
        if let (Some(stated), Some(summed)) = (
            consolidated.interval.as_point(),
            returns.interval.as_point(),
        ) {
            let difference = stated.signed_difference(summed);
            let formula = format!(
                "={}-{}",
                cell_ref(consolidated_row, col),
                cell_ref(sum_row, col)
            );
            sheet.formula(
                difference_row,
                col,
                &formula,
                difference,
                &styles.signed(difference),
            )?;
        }
    }
    if any_consolidated {
        sheet.text(consolidated_row, 0, "Consolidated figure", &styles.text)?;
        sheet.text(
            difference_row,
            0,
            "Difference (consolidated − returns)",
            &styles.text,
        )?;
    }
    Ok(())
}
