//! The Corrections sheet: every correction in scope, in the order it was
//! applied, as a filterable table — date, reporter, day, metric, from and to
//! (numbers, qualifier apart), reason, requested by, applied or stale, and
//! the file:line of the entry. Stale rows are tinted as errors.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles};
use crate::check::Severity;
use crate::format;
use crate::model::{Correction, CorrectionOutcome, Qualifier, Quantity, Unit};
use crate::render::Context;
use rust_xlsxwriter::{Format, TableStyle, Workbook};

pub const NAME: &str = "Corrections";

/// Written in a pack instead of text that may name someone it must not.
pub const WITHHELD: &str = "withheld: not shared with this partner";

const HEADERS: [&str; 18] = [
    "Date",
    "Reporter",
    "Day",
    "Metric key",
    "Metric",
    "From",
    "From qualifier",
    "To",
    "To qualifier",
    "Unit",
    "Reason",
    "Requested by",
    "Status",
    "Detail",
    "File",
    "Line",
    "Id",
    "Whole operation",
];
const REASON: u16 = 10;
const DETAIL: u16 = 13;

/// Writes the sheet, or nothing when no correction is in scope (an
/// operation without corrections keeps the workbook it had).
pub fn write(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    let corrections: Vec<&Correction> = ctx
        .op
        .corrections
        .iter()
        .filter(|c| scope.shows_correction(c))
        .collect();
    if corrections.is_empty() {
        return Ok(());
    }
    let ws = workbook.add_worksheet();
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    for (row, correction) in (1u32..).zip(&corrections) {
        write_correction(&mut sheet, ctx, scope, styles, row, correction)?;
    }
    sheet.table(
        "CorrectionEntries",
        TableStyle::Light1,
        (0, corrections.len() as u32),
        &HEADERS,
    )?;
    sheet.fit(6, 30, &[(REASON, 60), (DETAIL, 50)])?;
    sheet.hold_header(0, 0)?;
    Ok(())
}

fn write_correction(
    sheet: &mut Sheet,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    row: u32,
    correction: &Correction,
) -> Result<(), XlsxError> {
    let op = ctx.op;
    let metric = op.catalogue.get(correction.metric);
    let unit = metric.unit;
    // A stale correction was not applied: it stands out like an error.
    let (status, detail, tint) = match &correction.outcome {
        CorrectionOutcome::Applied { replaced } => (
            "applied",
            match replaced {
                Some(at) => format!("replaced the value at {}", scope.place(at)),
                None => "added a figure its return did not state".into(),
            },
            None,
        ),
        CorrectionOutcome::Stale { current } => (
            "stale",
            match current {
                Some((quantity, at)) => format!(
                    "not applied: the figure in force is {} ({})",
                    format::quantity(*quantity, unit),
                    scope.place(at)
                ),
                None => "not applied: no such figure was reported".into(),
            },
            Some(Severity::Error),
        ),
    };
    let paint = |format: &Format| match tint {
        Some(severity) => Styles::tinted(format.clone(), severity),
        None => format.clone(),
    };
    let (text, wrap) = (paint(&styles.text), paint(&styles.wrap));

    sheet.date(row, 0, correction.date, styles)?;
    sheet.text(row, 1, op.reporter_name(correction.reporter), &text)?;
    // The day a date or empty; whether the corrected return is the whole
    // operation's in a column of its own, so the day column holds one type.
    match correction.day {
        Some(day) => sheet.date(row, 2, day, styles)?,
        None => sheet.ws.write_blank(row, 2, &text).map(|_| ())?,
    }
    sheet.text(row, 3, &metric.key, &text)?;
    sheet.text(row, 4, &metric.label, &text)?;
    // A late figure replaced nothing: its From stays empty (a number
    // column), and its Detail says it was added.
    if let Some(from) = correction.from {
        quantity(sheet, styles, row, 5, from, unit, &paint)?;
    }
    quantity(sheet, styles, row, 7, correction.to, unit, &paint)?;
    sheet.text(row, 9, unit.key(), &text)?;
    let reason = if scope.shows_reason(correction) {
        correction.reason.as_str()
    } else {
        WITHHELD
    };
    sheet.wrapped(row, REASON, reason, &wrap)?;
    let requester = if scope.shows_requester(&correction.requested_by) {
        correction.requested_by.as_str()
    } else {
        WITHHELD
    };
    sheet.text(row, 11, requester, &text)?;
    sheet.text(row, 12, status, &text.clone().set_bold())?;
    sheet.wrapped(row, DETAIL, &detail, &wrap)?;
    sheet.text(
        row,
        14,
        &scope.file_label(correction.location.source),
        &text,
    )?;
    sheet.count(row, 15, correction.location.line, &text)?;
    sheet.text(row, 16, &scope.correction_id(correction), &text)?;
    sheet
        .ws
        .write_boolean_with_format(row, 17, correction.day.is_none(), &text)?;
    sheet.reserve(17, 5);
    Ok(())
}

/// The amount as a number in the metric's unit; its qualifier ("almost")
/// in the next column, so the number stays usable in formulas.
fn quantity(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    col: u16,
    value: Quantity,
    unit: Unit,
    paint: &dyn Fn(&Format) -> Format,
) -> Result<(), XlsxError> {
    sheet.amount(
        row,
        col,
        value.amount,
        &paint(&styles.number(value.amount, unit)),
    )?;
    if value.qualifier != Qualifier::Exact {
        sheet.text(row, col + 1, value.qualifier.word(), &paint(&styles.text))?;
    }
    Ok(())
}
