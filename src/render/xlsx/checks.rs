//! The Checks sheet: every finding in scope as a filterable table row —
//! severity, code, metric, message, the values involved (nominal value,
//! qualifier, lowest and highest, each in a column of one type) and the
//! file:line of every figure used — tinted by severity. A pack shows the
//! findings about the partner and those about the operation totals its
//! Summary shows (see `Scope::operation_level`).

use super::XlsxError;
use super::scope::Scope;
use super::style::{MAX_LOCATIONS_SHOWN, Page, Sheet, Styles};
use crate::check::{Finding, Severity, wording};
use crate::model::{Estimate, Qualifier, Unit};
use crate::render::Context;
use rust_xlsxwriter::{Format, TableStyle, Workbook};

pub const NAME: &str = "Checks";

const HEADERS: [&str; 14] = [
    "Severity",
    "Code",
    "Metric",
    "Message",
    "Stated",
    "Stated qualifier",
    "Stated lowest",
    "Stated highest",
    "Computed",
    "Computed qualifier",
    "Computed lowest",
    "Computed highest",
    "Difference",
    "Locations",
];
const MESSAGE: u16 = 3;
const STATED: u16 = 4;
const COMPUTED: u16 = 8;
const DIFFERENCE: u16 = 12;
const LOCATIONS: u16 = 13;

pub fn write(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    let findings: Vec<&Finding> = ctx
        .findings
        .iter()
        .filter(|f| scope.shows_finding(f))
        .collect();
    let ws = workbook.add_worksheet();
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    if findings.is_empty() {
        // An Excel table needs at least one data row; say so in words.
        for (col, header) in (0u16..).zip(HEADERS) {
            sheet.header(0, col, header, &styles.header)?;
        }
        let note = match scope.partner() {
            Some(_) => "No finding concerns this partner or the operation totals.",
            None => "No findings: every check passed.",
        };
        sheet
            .ws
            .write_string_with_format(1, 0, note, &styles.subtitle)?;
    } else {
        for (row, finding) in (1u32..).zip(&findings) {
            write_finding(&mut sheet, ctx, scope, styles, row, finding)?;
        }
        sheet.table(
            "Findings",
            TableStyle::Light1,
            (0, findings.len() as u32),
            &HEADERS,
        )?;
    }
    sheet.fit(8, 30, &[(MESSAGE, 80), (LOCATIONS, 60)])?;
    sheet.hold_header(0, 0)?;
    Ok(())
}

fn write_finding(
    sheet: &mut Sheet,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    row: u32,
    finding: &Finding,
) -> Result<(), XlsxError> {
    let tint = |format: &Format| Styles::tinted(format.clone(), finding.severity);
    let (text, wrap) = (tint(&styles.text), tint(&styles.wrap));
    let unit = finding.unit(ctx.op).unwrap_or(Unit::Count);
    let metric = finding
        .metric(ctx.op)
        .map_or("", |id| ctx.op.catalogue.get(id).key.as_str());

    sheet.text(row, 0, finding.severity.key(), &text.clone().set_bold())?;
    sheet.text(row, 1, finding.code.key(), &text)?;
    sheet.text(row, 2, metric, &text)?;
    sheet.wrapped(row, MESSAGE, &wording::message(ctx.op, finding), &wrap)?;
    estimate(
        sheet,
        styles,
        row,
        STATED,
        finding.stated,
        unit,
        finding.severity,
    )?;
    estimate(
        sheet,
        styles,
        row,
        COMPUTED,
        finding.computed,
        unit,
        finding.severity,
    )?;
    match finding.difference {
        Some(difference) => sheet.signed(
            row,
            DIFFERENCE,
            difference,
            &tint(&styles.signed(difference)),
        )?,
        None => sheet.ws.write_blank(row, DIFFERENCE, &text).map(|_| ())?,
    }

    // A pack cites only the places it may show (an operation-level finding
    // also sums other reporters' returns).
    let shown: Vec<_> = finding
        .locations
        .iter()
        .filter(|l| scope.shows_location(l))
        .collect();
    let mut places: Vec<String> = shown
        .iter()
        .take(MAX_LOCATIONS_SHOWN)
        .map(|l| scope.place(l))
        .collect();
    if shown.len() > MAX_LOCATIONS_SHOWN {
        places.push(format!("… and {} more", shown.len() - MAX_LOCATIONS_SHOWN));
    }
    let withheld = finding.locations.len() - shown.len();
    if withheld > 0 {
        places.push(format!(
            "and {withheld} place{} in other reporters' returns",
            if withheld == 1 { "" } else { "s" }
        ));
    }
    sheet.wrapped(row, LOCATIONS, &places.join("\n"), &wrap)?;
    Ok(())
}

/// A value in four typed columns from `col`: the nominal number, its
/// qualifier (blank when exact), and the lowest and highest values it
/// admits (highest blank when unbounded) — numbers a filter can sort.
fn estimate(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    col: u16,
    value: Option<Estimate>,
    unit: Unit,
    severity: Severity,
) -> Result<(), XlsxError> {
    let text = Styles::tinted(styles.text.clone(), severity);
    let number = |amount| Styles::tinted(styles.number(amount, unit), severity);
    let Some(value) = value else {
        for offset in 0..4 {
            sheet.ws.write_blank(row, col + offset, &text)?;
        }
        return Ok(());
    };
    sheet.amount(
        row,
        col,
        value.nominal.amount,
        &number(value.nominal.amount),
    )?;
    match value.nominal.qualifier {
        Qualifier::Exact => sheet.ws.write_blank(row, col + 1, &text).map(|_| ())?,
        qualifier => sheet.text(row, col + 1, qualifier.word(), &text)?,
    }
    sheet.amount(
        row,
        col + 2,
        value.interval.low,
        &number(value.interval.low),
    )?;
    match value.interval.high {
        Some(high) => sheet.amount(row, col + 3, high, &number(high))?,
        None => sheet.ws.write_blank(row, col + 3, &text).map(|_| ())?,
    }
    Ok(())
}
