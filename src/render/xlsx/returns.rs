//! The Returns sheet: one table row per stated figure of every return the
//! workbook may show, with reporter, day, value, qualifier, unit and the
//! file:line it was read from. Figures are listed as stated, never summed.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles, WHOLE};
use crate::model::Qualifier;
use crate::render::Context;
use rust_xlsxwriter::{Format, TableStyle, Workbook};

pub const NAME: &str = "Returns";

/// Excel's 1 048 576 rows less the header.
pub const MAX_ROWS: usize = 1_048_575;

const HEADERS: [&str; 10] = [
    "Reporter",
    "Day",
    "Metric key",
    "Metric",
    "Value",
    "Qualifier",
    "Unit",
    "Written in",
    "File",
    "Line",
];

/// Writes the sheet, or nothing when no return is in scope (a pack for an
/// operation that has only consolidated figures).
pub fn write(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    let op = ctx.op;
    let mut returns = scope.returns();
    returns.retain(|r| !r.figures.is_empty());
    if returns.is_empty() {
        return Ok(());
    }
    // Low-memory mode writes each finished row's XML to an unnamed temporary
    // file instead of keeping every cell until the end: a third less time
    // on a master of 80 000 rows, and far less memory. Rows must come in
    // order (a cell above the last row written would be dropped), so the
    // table and its header go first.
    let ws = workbook.add_worksheet_with_low_memory()?;
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    // Formats per column, once: the cells below are written unformatted and
    // take them (a per-cell format costs a hash lookup per cell). Text
    // columns keep the default: every row is one line, and a style on each
    // of a million cells is bytes to write and compress.
    sheet.ws.set_column_format(1, &styles.date)?;
    sheet
        .ws
        .set_column_format(4, &Format::new().set_num_format(WHOLE))?;
    let rows = returns.iter().map(|r| r.figures.len()).sum::<usize>();
    if rows > MAX_ROWS {
        return Err(XlsxError::TooManyRows(rows));
    }
    let last_row = rows as u32;
    sheet.table(
        "ReturnFigures",
        TableStyle::Medium2,
        (0, last_row),
        &HEADERS,
    )?;
    let mut row = 0;
    for ret in returns {
        let reporter = op.reporter_name(ret.reporter);
        // In the order of the file, so a reader can follow along.
        let mut figures: Vec<_> = ret.figures.iter().collect();
        figures.sort_by(|a, b| a.location.cmp(&b.location));
        let mut path: (std::sync::Arc<str>, String) = ("".into(), String::new());
        for figure in figures {
            row += 1;
            let metric = op.catalogue.get(figure.metric);
            sheet.column_text(row, 0, reporter)?;
            match ret.day {
                Some(day) => sheet.column_date(row, 1, day)?,
                None => sheet.column_text(row, 1, "whole operation")?,
            }
            sheet.column_text(row, 2, &metric.key)?;
            sheet.column_text(row, 3, &metric.label)?;
            sheet.column_amount(row, 4, figure.quantity.amount, metric.unit)?;
            if figure.quantity.qualifier != Qualifier::Exact {
                sheet.column_text(row, 5, figure.quantity.qualifier.word())?;
            }
            sheet.column_text(row, 6, metric.unit.key())?;
            sheet.column_text(row, 7, figure.stated_unit.key())?;
            // A return's figures share one file (corrected ones excepted).
            if path.0 != figure.location.file {
                path = (
                    figure.location.file.clone(),
                    figure.location.file.to_string(),
                );
            }
            sheet.column_text(row, 8, &path.1)?;
            sheet.ws.write_number(row, 9, figure.location.line as f64)?;
        }
    }

    debug_assert_eq!(row, last_row);
    sheet.fit(6, 50, &[])?;
    sheet.hold_header(0, 1)?;
    Ok(())
}
