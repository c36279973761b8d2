//! The Returns sheet: one table row per stated figure of every return the
//! workbook may show, with reporter, day, value, qualifier, unit and the
//! file:line it was read from. Figures are listed as stated, never summed.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles};
use crate::model::Qualifier;
use crate::render::Context;
use rust_xlsxwriter::{Table, TableColumn, TableStyle, Workbook};

pub const NAME: &str = "Returns";

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
    let returns: Vec<_> = op
        .returns
        .iter()
        .filter(|r| scope.shows_return(r.reporter) && !r.figures.is_empty())
        .collect();
    if returns.is_empty() {
        return Ok(());
    }
    let ws = workbook.add_worksheet();
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    let mut row = 0;
    for ret in returns {
        let reporter = op.reporter_name(ret.reporter);
        // In the order of the file, so a reader can follow along.
        let mut figures: Vec<_> = ret.figures.iter().collect();
        figures.sort_by(|a, b| a.location.cmp(&b.location));
        for figure in figures {
            row += 1;
            let metric = op.catalogue.get(figure.metric);
            let amount = figure.quantity.amount;
            sheet.text(row, 0, reporter, &styles.text)?;
            match ret.day {
                Some(day) => sheet.date(row, 1, day, styles)?,
                None => sheet.text(row, 1, "whole operation", &styles.text)?,
            }
            sheet.text(row, 2, &metric.key, &styles.text)?;
            sheet.text(row, 3, &metric.label, &styles.text)?;
            sheet.amount(row, 4, amount, &styles.number(amount, metric.unit))?;
            if figure.quantity.qualifier != Qualifier::Exact {
                sheet.text(row, 5, figure.quantity.qualifier.word(), &styles.text)?;
            }
            sheet.text(row, 6, metric.unit.key(), &styles.text)?;
            sheet.text(row, 7, figure.stated_unit.key(), &styles.text)?;
            sheet.text(
                row,
                8,
                &scope.display_path(&figure.location.file),
                &styles.text,
            )?;
            sheet.count(row, 9, figure.location.line, &styles.text)?;
        }
    }

    let columns: Vec<TableColumn> = HEADERS
        .iter()
        .map(|h| TableColumn::new().set_header(*h))
        .collect();
    for (col, header) in (0u16..).zip(HEADERS) {
        sheet.reserve(col, header.chars().count() + 3);
    }
    let table = Table::new()
        .set_name("ReturnFigures")
        .set_style(TableStyle::Medium2)
        .set_columns(&columns);
    sheet
        .ws
        .add_table(0, 0, row, HEADERS.len() as u16 - 1, &table)?;
    sheet.fit(6, 50, &[])?;
    sheet.ws.set_freeze_panes(1, 1)?;
    sheet.ws.set_repeat_rows(0, 0)?;
    Ok(())
}
