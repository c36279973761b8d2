//! The Changes sheet (revisions after the first): "Changes since revision N
//! of `<date>`" — one table row per changed figure (label, key, was, now,
//! difference, unit, cause) and one per finding that appeared or was
//! resolved.
//!
//! The changes arrive as data (values as numbers, causes with correction
//! ids and file paths). In a pack every changed figure is an operation total
//! the Summary already shows, but a cause may name another reporter's file
//! or correction: the pack shows only causes it may, by id and path, and
//! says "not shared" for the rest.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles};
use crate::changes::{
    Attributed, Cause, Changes, FigureChange, FindingRecord, causes_text, correction_summary,
};
use crate::check::wording;
use crate::model::{CorrectionOutcome, Qualifier, Quantity, Unit};
use crate::render::Context;
use rust_xlsxwriter::{TableStyle, Workbook};

pub const NAME: &str = "Changes";

const FIGURE_HEADERS: [&str; 7] = ["Figure", "Key", "Was", "Now", "Difference", "Unit", "Cause"];
const FINDING_HEADERS: [&str; 4] = ["Change", "Severity", "Code", "Message"];
const CAUSE: u16 = 6;
const MESSAGE: u16 = 3;
const FIGURE_HEADER_ROW: u32 = 3;

/// Stands for causes a pack may not name.
const NOT_SHARED: &str = "changes not shared with this partner";

/// Writes the sheet when this revision supersedes another.
pub fn write(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    let Some(changes) = &ctx.edition.changes else {
        return Ok(());
    };
    let ws = workbook.add_worksheet();
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    let mut row = FIGURE_HEADER_ROW;
    for (col, header) in (0u16..).zip(FIGURE_HEADERS) {
        sheet.header(row, col, header, &styles.header)?;
    }
    if changes.figures.is_empty() {
        note(&mut sheet, styles, row + 1, "No figure changed.")?;
        row += 1;
    } else {
        for change in &changes.figures {
            row += 1;
            write_figure(&mut sheet, ctx, scope, styles, row, change)?;
        }
        table(
            &mut sheet,
            "FigureChanges",
            FIGURE_HEADER_ROW,
            row,
            &FIGURE_HEADERS,
        )?;
    }

    let findings = findings(ctx, scope, changes);
    row += 2;
    sheet
        .ws
        .write_string_with_format(row, 0, "Findings", &styles.section)?;
    row += 1;
    let header_row = row;
    for (col, header) in (0u16..).zip(FINDING_HEADERS) {
        sheet.header(row, col, header, &styles.header)?;
    }
    if findings.is_empty() {
        let text = match scope.partner() {
            Some(_) => "No finding about this partner appeared or was resolved.",
            None => "No finding appeared or was resolved.",
        };
        note(&mut sheet, styles, row + 1, text)?;
    } else {
        for (change, finding) in &findings {
            row += 1;
            sheet.text(row, 0, change, &styles.text)?;
            sheet.text(row, 1, &finding.severity, &styles.text)?;
            sheet.text(row, 2, &finding.code, &styles.text)?;
            sheet.wrapped(row, MESSAGE, &finding.message, &styles.wrap)?;
        }
        table(
            &mut sheet,
            "FindingChanges",
            header_row,
            row,
            &FINDING_HEADERS,
        )?;
    }

    sheet.fit(8, 30, &[(CAUSE, 80), (MESSAGE, 80)])?;
    // The title block is written after fitting: its long line must not
    // widen the first column.
    let title = format!(
        "Changes since revision {} of {}",
        changes.since_revision, changes.since_date
    );
    sheet
        .ws
        .write_string_with_format(0, 0, &title, &styles.title)?;
    let subtitle = match scope.partner() {
        Some(_) => {
            "Operation totals that changed, with their cause where this pack may name it; findings about this partner."
        }
        None => {
            "Every published figure that changed, with its cause; findings that appeared or were resolved."
        }
    };
    sheet
        .ws
        .write_string_with_format(1, 0, subtitle, &styles.subtitle)?;
    sheet.hold_header(FIGURE_HEADER_ROW, 1)?;
    Ok(())
}

fn note(sheet: &mut Sheet, styles: &Styles, row: u32, text: &str) -> Result<(), XlsxError> {
    sheet
        .ws
        .write_string_with_format(row, 0, text, &styles.subtitle)?;
    Ok(())
}

fn table(
    sheet: &mut Sheet,
    name: &str,
    first: u32,
    last: u32,
    headers: &[&str],
) -> Result<(), XlsxError> {
    sheet.table(name, TableStyle::Light1, (first, last), headers)
}

fn write_figure(
    sheet: &mut Sheet,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    row: u32,
    change: &FigureChange,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, &change.label, &styles.text)?;
    sheet.text(row, 1, &change.key, &styles.text)?;
    let unit = Unit::parse(&change.unit);
    for (col, value) in [(2, &change.old), (3, &change.new)] {
        match (value, unit) {
            (Some(value), Some(unit)) => {
                let quantity = Quantity {
                    amount: value.value,
                    qualifier: Qualifier::parse(&value.qualifier).unwrap_or(Qualifier::Exact),
                };
                sheet.quantity(row, col, quantity, &styles.qualified(quantity, unit))?;
            }
            // A unit this catalogue no longer knows: the number, unformatted.
            (Some(value), None) => sheet.amount(row, col, value.value, &styles.text)?,
            // Not reported in that revision: an empty cell keeps the column
            // numeric (the cause says what happened).
            (None, _) => {}
        }
    }
    if let Some(difference) = change.difference {
        sheet.signed(row, 4, difference, &styles.signed(difference))?;
    }
    sheet.text(row, 5, &change.unit, &styles.text)?;
    sheet.wrapped(row, CAUSE, &cause(ctx, scope, change), &styles.wrap)?;
    Ok(())
}

/// The causes as this workbook may show them. The master shows them all. A
/// pack names a correction only when it lists that correction (by id), with
/// its requester and reason only when it may show them, and a file only
/// when it may name it; the rest becomes "not shared".
fn cause(ctx: &Context, scope: &Scope, change: &FigureChange) -> String {
    if scope.partner().is_none() {
        return causes_text(&change.causes.iter().collect::<Vec<_>>());
    }
    let mut shown: Vec<Attributed> = Vec::new();
    let mut hidden = false;
    for attributed in &change.causes {
        let cause = attributed;
        match &attributed.cause {
            Cause::Correction { id, .. } => {
                let correction = ctx.op.corrections.iter().find(|c| {
                    &c.id == id && matches!(c.outcome, CorrectionOutcome::Applied { .. })
                });
                match correction {
                    Some(c) if scope.shows_correction(c) && scope.shows_reason(c) => {
                        shown.push(cause.clone());
                    }
                    Some(c) if scope.shows_correction(c) => shown.push(Attributed {
                        cause: Cause::Correction {
                            id: id.clone(),
                            description: format!(
                                "{} (requester and reason not shared with this partner)",
                                correction_summary(ctx.op, c)
                            ),
                        },
                        share: attributed.share,
                    }),
                    _ => hidden = true,
                }
            }
            Cause::InputAdded { file }
            | Cause::InputChanged { file }
            | Cause::InputRemoved { file } => {
                if scope.shows_path(file) {
                    shown.push(cause.clone());
                } else {
                    hidden = true;
                }
            }
            Cause::ToolOrTemplates => shown.push(cause.clone()),
        }
    }
    let text = causes_text(&shown.iter().collect::<Vec<_>>());
    match (text.is_empty(), hidden) {
        (_, false) => text,
        (true, true) => NOT_SHARED.to_string(),
        (false, true) => format!("{text}; and {NOT_SHARED}"),
    }
}

/// The finding changes this workbook may show, as ("appeared" | "resolved",
/// record). A pack shows an appeared finding when it shows the finding
/// itself (same severity, code and message in this revision's findings),
/// and a resolved one when its message is about the partner alone.
fn findings<'c>(
    ctx: &Context,
    scope: &Scope,
    changes: &'c Changes,
) -> Vec<(&'static str, &'c FindingRecord)> {
    let appeared = changes.findings_appeared.iter().filter(|record| {
        ctx.findings.iter().any(|f| {
            f.severity.key() == record.severity
                && f.code.key() == record.code
                && wording::subject(ctx.op, f) == record.subject
                && scope.shows_finding(f)
        })
    });
    let resolved = changes
        .findings_resolved
        .iter()
        .filter(|record| scope.shows_finding_record(record));
    appeared
        .map(|r| ("appeared", r))
        .chain(resolved.map(|r| ("resolved", r)))
        .collect()
}
