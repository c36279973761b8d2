//! The Changes sheet (revisions after the first): "Changes since revision N
//! of `<date>`" — one table row per changed figure (label, key, was, now,
//! difference, unit, cause) and one per finding that appeared or was
//! resolved.
//!
//! The changes arrive as printed text (`changes.json`); the sheet turns them
//! back into numbers where it can prove the text is the figure in force, and
//! keeps the text otherwise. In a pack every changed figure is an operation
//! total the Summary already shows, but a cause may name another reporter's
//! file or correction: the pack keeps only causes it can attribute to
//! something it may show and says "not shared" for the rest.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles};
use crate::changes::{Changes, FigureChange, FindingRecord};
use crate::check::wording;
use crate::format;
use crate::model::{Amount, Correction, CorrectionOutcome, Quantity, Unit};
use crate::narrate::view::{figure, long_date};
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
const TOOL: &str = "changed tool or templates";
const INPUT: &str = "changed input: ";

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
            sheet.text(row, MESSAGE, &finding.message, &styles.wrap)?;
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
    let values = Values::of(ctx, change);
    match values.was {
        Some(was) => sheet.quantity(row, 2, was, &styles.qualified(was, values.unit))?,
        None => sheet.text(row, 2, shown(change.old.as_deref()), &styles.text)?,
    }
    match values.now {
        Some(now) => sheet.quantity(row, 3, now, &styles.qualified(now, values.unit))?,
        None => sheet.text(row, 3, shown(change.new.as_deref()), &styles.text)?,
    }
    match (values.was, values.now) {
        (Some(was), Some(now)) => {
            let difference = now.amount.signed_difference(was.amount);
            sheet.signed(row, 4, difference, &styles.signed(difference))?;
        }
        // Not both exact: the printed difference, if any, is all there is.
        _ => {
            if let Some(printed) = change.difference.as_deref() {
                sheet.text(row, 4, printed, &styles.text)?;
            }
        }
    }
    if let Some(unit) = values.known_unit {
        sheet.text(row, 5, unit.key(), &styles.text)?;
    }
    sheet.text(row, CAUSE, &cause(ctx, scope, change), &styles.wrap)?;
    Ok(())
}

fn shown(text: Option<&str>) -> &str {
    text.unwrap_or("not reported")
}

/// A change's old and new values as numbers, when provably the same as the
/// printed text: "now" is the figure in force (read from the totals, and it
/// must print as the change says); "was" is now minus the difference, and
/// must print as the change's old text. Anything else stays text.
struct Values {
    was: Option<Quantity>,
    now: Option<Quantity>,
    unit: Unit,
    known_unit: Option<Unit>,
}

impl Values {
    fn of(ctx: &Context, change: &FigureChange) -> Values {
        let catalogue = &ctx.op.catalogue;
        let Some(id) = catalogue.find(&change.key) else {
            return Values {
                was: None,
                now: None,
                unit: Unit::Count,
                known_unit: None,
            };
        };
        let metric = catalogue.get(id);
        let now = ctx
            .totals
            .metric(id)
            .value
            .as_ref()
            .map(|v| v.shown)
            .filter(|&q| change.new.as_deref() == Some(figure(metric, q).as_str()));
        let was = now
            .filter(|q| q.interval().as_point().is_some())
            .zip(change.difference.as_deref().and_then(parse_signed))
            .and_then(|(now, (negative, magnitude))| {
                if negative {
                    now.amount.checked_add(magnitude)
                } else {
                    (magnitude <= now.amount).then(|| now.amount.saturating_sub(magnitude))
                }
            })
            .map(Quantity::exact)
            .filter(|&q| change.old.as_deref() == Some(figure(metric, q).as_str()));
        Values {
            was,
            now,
            unit: metric.unit,
            known_unit: Some(metric.unit),
        }
    }
}

/// "+4", "−1 234", "0.5" → (negative, magnitude); `None` for anything else.
fn parse_signed(text: &str) -> Option<(bool, Amount)> {
    let text = text.trim();
    let first = text.chars().next()?;
    let after_sign = &text[first.len_utf8()..];
    let (negative, rest) = match first {
        '\u{2212}' | '-' => (true, after_sign),
        '+' => (false, after_sign),
        _ => (false, text),
    };
    let digits: String = rest
        .chars()
        .filter(|&c| c != format::GROUP && c != ' ')
        .collect();
    Some((negative, Amount::parse_decimal(&digits)?))
}

/// The cause as this workbook may show it. The master shows it as written.
/// A pack shows a correction's description only when it lists that
/// correction with its requester and reason, a changed file only when it
/// may name it; anything it cannot attribute becomes "not shared".
fn cause(ctx: &Context, scope: &Scope, change: &FigureChange) -> String {
    let cause = change.cause.as_str();
    if scope.partner().is_none() || cause == TOOL {
        return cause.to_string();
    }
    if let Some(files) = cause.strip_prefix(INPUT) {
        // A path containing ", " splits into pieces no file matches: they
        // count as not shared, which only hides.
        let (named, hidden): (Vec<&str>, Vec<&str>) =
            files.split(", ").partition(|f| scope.shows_path(f));
        return match (named.is_empty(), hidden.is_empty()) {
            (true, _) => NOT_SHARED.to_string(),
            (false, true) => format!("{INPUT}{}", named.join(", ")),
            (false, false) => format!("{INPUT}{}; and {NOT_SHARED}", named.join(", ")),
        };
    }
    // Otherwise the cause is the descriptions of the corrections new since
    // the last revision, joined by "; ". Every character must be accounted
    // for by a correction this pack may show, or the rest is withheld.
    let mut parts: Vec<String> = Vec::new();
    let mut matched = 0;
    let mut count: usize = 0;
    let mut hidden = false;
    for correction in ctx
        .op
        .corrections
        .iter()
        .filter(|c| matches!(c.outcome, CorrectionOutcome::Applied { .. }))
    {
        let description = describe(ctx, correction);
        if !cause.contains(&description) {
            continue;
        }
        matched += description.len();
        count += 1;
        if !scope.shows_correction(correction) {
            hidden = true;
        } else if scope.shows_reason(correction) {
            parts.push(description);
        } else {
            parts.push(format!(
                "{} (requester and reason not shared with this partner)",
                summary(ctx, correction)
            ));
        }
    }
    let separators = "; ".len() * count.saturating_sub(1);
    if count == 0 || matched + separators != cause.len() {
        hidden = true;
    }
    if hidden {
        parts.push(NOT_SHARED.to_string());
    }
    parts.join("; ")
}

/// The description `changes.rs` gives a correction in a cause. Kept in step
/// by the tests; if the two ever differ, a pack withholds the cause rather
/// than showing what it cannot attribute.
fn describe(ctx: &Context, correction: &Correction) -> String {
    format!(
        "{}, requested by {}: {}",
        summary(ctx, correction),
        correction.requested_by,
        correction.reason
    )
}

/// "correction of Other crimes (89 → 93) dated 30 November 2023".
fn summary(ctx: &Context, correction: &Correction) -> String {
    let metric = ctx.op.catalogue.get(correction.metric);
    format!(
        "correction of {} ({} → {}) dated {}",
        metric.label,
        format::quantity(correction.from, metric.unit),
        format::quantity(correction.to, metric.unit),
        long_date(correction.date)
    )
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

#[cfg(test)]
mod tests {
    use super::parse_signed;
    use crate::model::Amount;

    #[test]
    fn printed_differences_read_back() {
        let amount = |t| Amount::parse_decimal(t).unwrap();
        assert_eq!(parse_signed("+4"), Some((false, amount("4"))));
        assert_eq!(
            parse_signed("\u{2212}1\u{a0}234"),
            Some((true, amount("1234")))
        );
        assert_eq!(parse_signed("0.5"), Some((false, amount("0.5"))));
        assert_eq!(parse_signed("+4 kg"), None);
        assert_eq!(parse_signed(""), None);
    }
}
