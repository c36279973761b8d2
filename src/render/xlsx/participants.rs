//! The Participants sheet: the groups and their members (with footnote
//! markers), the footnotes' text, the activities and the country count —
//! the operation's public participant list, shown in every workbook. Each
//! list is an Excel table: `ParticipantList`, `Footnotes`, `Activities`.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles};
use crate::model::{Amount, ParticipantId};
use crate::render::Context;
use rust_xlsxwriter::{TableStyle, Workbook};

pub const NAME: &str = "Participants";

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
    let mut row = 0;

    const LIST: [&str; 3] = ["Group", "Participant", "Kind"];
    let header = section(&mut sheet, styles, &mut row, "Participants", &LIST)?;
    for group in &op.groups {
        let (named, unnamed): (Vec<_>, Vec<_>) = group
            .members
            .iter()
            .partition(|&&member| scope.names_participant(member));
        for member in named {
            sheet.wrapped(row, 0, &group.label, &styles.wrap)?;
            sheet.wrapped(row, 1, &op.marked_name(member), &styles.wrap)?;
            sheet.text(row, 2, group.kind.key(), &styles.text)?;
            row += 1;
        }
        // A release that gives only a count ("12 EU Member States"): the
        // count, so the sheet does not drop the group.
        if let (true, Some((count, _))) = (group.members.is_empty(), &group.count) {
            sheet.wrapped(row, 0, &group.label, &styles.wrap)?;
            let claimed = format!("{count} (a published count; not listed by name)");
            sheet.wrapped(row, 1, &claimed, &styles.wrap)?;
            sheet.text(row, 2, group.kind.key(), &styles.text)?;
            row += 1;
        }
        if !unnamed.is_empty() {
            sheet.wrapped(row, 0, &group.label, &styles.wrap)?;
            let others = format!(
                "{} other participant{} (not named in this pack)",
                unnamed.len(),
                if unnamed.len() == 1 { "" } else { "s" }
            );
            sheet.wrapped(row, 1, &others, &styles.wrap)?;
            sheet.text(row, 2, group.kind.key(), &styles.text)?;
            row += 1;
        }
    }

    table(&mut sheet, "ParticipantList", header, row, &LIST)?;

    if !op.footnotes.is_empty() {
        row += 1;
        const NOTES: [&str; 3] = ["Marker", "Text", "Applies to"];
        let header = section(&mut sheet, styles, &mut row, "Footnotes", &NOTES)?;
        for (index, note) in op.footnotes.iter().enumerate() {
            let applies: Vec<&str> = op
                .participants
                .iter()
                .enumerate()
                .filter(|(i, p)| {
                    p.footnote == Some(index) && scope.names_participant(ParticipantId(*i))
                })
                .map(|(_, p)| p.name.as_str())
                .collect();
            sheet.text(row, 0, &note.marker, &styles.text)?;
            sheet.wrapped(row, 1, &note.text, &styles.wrap)?;
            sheet.wrapped(row, 2, &applies.join(", "), &styles.wrap)?;
            row += 1;
        }
        table(&mut sheet, "Footnotes", header, row, &NOTES)?;
    }

    if !op.activities.is_empty() {
        row += 1;
        const ACTIVITIES: [&str; 4] = ["Activity", "Description", "Participants", "Metrics"];
        let header = section(&mut sheet, styles, &mut row, "Activities", &ACTIVITIES)?;
        for activity in &op.activities {
            let names: Vec<String> = activity
                .participants
                .iter()
                .filter(|&&p| scope.names_participant(p))
                .map(|&p| op.marked_name(p))
                .collect();
            let metrics: Vec<&str> = activity
                .metrics
                .iter()
                .map(|&m| op.catalogue.get(m).label.as_str())
                .collect();
            sheet.wrapped(row, 0, &activity.label, &styles.wrap)?;
            sheet.wrapped(row, 1, &activity.description, &styles.wrap)?;
            sheet.wrapped(row, 2, &names.join(", "), &styles.wrap)?;
            sheet.wrapped(row, 3, &metrics.join(", "), &styles.wrap)?;
            row += 1;
        }
        table(&mut sheet, "Activities", header, row, &ACTIVITIES)?;
    }

    row += 1;
    section(
        &mut sheet,
        styles,
        &mut row,
        "Countries",
        &["Count", "Countries"],
    )?;
    if let Some((claimed, _)) = &op.countries_claimed {
        sheet.text(row, 0, "Claimed by the operation", &styles.text)?;
        sheet.amount(row, 1, Amount::from_units(*claimed), &styles.text)?;
        row += 1;
    }
    sheet.text(row, 0, "Listed in country groups", &styles.text)?;
    sheet.count(row, 1, op.listed_countries(), &styles.text)?;

    sheet.fit(8, 30, &[(0, 32), (1, 70), (2, 50)])?;
    Ok(())
}

/// A section title and its column headers; leaves `row` on the first data
/// row and returns the header's.
fn section(
    sheet: &mut Sheet,
    styles: &Styles,
    row: &mut u32,
    title: &str,
    headers: &[&str],
) -> Result<u32, XlsxError> {
    sheet
        .ws
        .write_string_with_format(*row, 0, title, &styles.section)?;
    for (col, header) in (0u16..).zip(headers) {
        sheet.text(*row + 1, col, header, &styles.header)?;
    }
    *row += 2;
    Ok(*row - 1)
}

/// The rows from `header` up to (not including) `end` as an Excel table
/// with a stable name, when it has a row below its header (Excel needs one).
fn table(
    sheet: &mut Sheet,
    name: &str,
    header: u32,
    end: u32,
    headers: &[&str],
) -> Result<(), XlsxError> {
    if end > header + 1 {
        sheet.table(name, TableStyle::Light1, (header, end - 1), headers)?;
    }
    Ok(())
}
