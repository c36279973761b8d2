//! The Checks sheet: every finding in scope as a filterable table row —
//! severity, code, metric, message, the values involved and the file:line
//! of every figure used — tinted by severity.

use super::XlsxError;
use super::scope::Scope;
use super::style::{MAX_LOCATIONS_SHOWN, Page, Sheet, Styles};
use crate::check::{Finding, Severity, wording};
use crate::format;
use crate::model::{Interval, Unit};
use crate::render::Context;
use rust_xlsxwriter::{Format, TableStyle, Workbook};

pub const NAME: &str = "Checks";

const HEADERS: [&str; 8] = [
    "Severity",
    "Code",
    "Metric",
    "Message",
    "Stated",
    "Computed",
    "Difference",
    "Locations",
];
const MESSAGE: u16 = 3;
const LOCATIONS: u16 = 7;

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
            Some(_) => "No finding concerns this partner alone.",
            None => "No findings: every check passed.",
        };
        sheet
            .ws
            .write_string_with_format(1, 0, note, &styles.subtitle)?;
    } else {
        for (row, finding) in (1u32..).zip(&findings) {
            write_finding(&mut sheet, ctx, styles, row, finding)?;
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
    sheet.text(row, MESSAGE, &wording::message(ctx.op, finding), &wrap)?;
    interval(
        sheet,
        styles,
        row,
        4,
        finding.stated.map(|s| s.interval),
        unit,
        finding.severity,
    )?;
    interval(
        sheet,
        styles,
        row,
        5,
        finding.computed.map(|c| c.interval),
        unit,
        finding.severity,
    )?;
    match finding.difference {
        Some(difference) => sheet.signed(row, 6, difference, &tint(&styles.signed(difference)))?,
        None => sheet.ws.write_blank(row, 6, &text).map(|_| ())?,
    }

    let mut places: Vec<String> = finding
        .locations
        .iter()
        .take(MAX_LOCATIONS_SHOWN)
        .map(|l| format!("{}:{}", l.file, l.line))
        .collect();
    if finding.locations.len() > MAX_LOCATIONS_SHOWN {
        places.push(format!(
            "… and {} more",
            finding.locations.len() - MAX_LOCATIONS_SHOWN
        ));
    }
    sheet.text(row, LOCATIONS, &places.join("\n"), &wrap)?;
    Ok(())
}

/// An exact value is a number; a range ("900–1 000 kg", "≥ 10") is not one
/// number, so it is written as the words the check printed.
fn interval(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    col: u16,
    value: Option<Interval>,
    unit: Unit,
    severity: Severity,
) -> Result<(), XlsxError> {
    let text = Styles::tinted(styles.text.clone(), severity);
    match value {
        Some(value) => match value.as_point() {
            Some(point) => sheet.amount(
                row,
                col,
                point,
                &Styles::tinted(styles.number(point, unit), severity),
            ),
            None => sheet.text(row, col, &format::interval(value, unit), &text),
        },
        None => {
            sheet.ws.write_blank(row, col, &text)?;
            Ok(())
        }
    }
}
