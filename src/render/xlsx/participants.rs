//! The Participants sheet: the groups and their members (with footnote
//! markers), the footnotes' text, the activities and the country count —
//! the operation's public participant list, shown in every workbook.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles};
use crate::model::{Amount, ParticipantId};
use crate::render::Context;
use rust_xlsxwriter::Workbook;

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

    section(
        &mut sheet,
        styles,
        &mut row,
        "Participants",
        &["Group", "Participant", "Kind"],
    )?;
    for group in &op.groups {
        let (named, unnamed): (Vec<_>, Vec<_>) = group
            .members
            .iter()
            .partition(|&&member| scope.names_participant(member));
        for member in named {
            sheet.text(row, 0, &group.label, &styles.wrap)?;
            sheet.text(row, 1, &op.marked_name(member), &styles.wrap)?;
            sheet.text(row, 2, group.kind.key(), &styles.text)?;
            row += 1;
        }
        // A release that gives only a count ("12 EU Member States"): the
        // count, so the sheet does not drop the group.
        if let (true, Some((count, _))) = (group.members.is_empty(), &group.count) {
            sheet.text(row, 0, &group.label, &styles.wrap)?;
            let claimed = format!("{count} (a published count; not listed by name)");
            sheet.text(row, 1, &claimed, &styles.wrap)?;
            sheet.text(row, 2, group.kind.key(), &styles.text)?;
            row += 1;
        }
        if !unnamed.is_empty() {
            sheet.text(row, 0, &group.label, &styles.wrap)?;
            let others = format!(
                "{} other participant{} (not named in this pack)",
                unnamed.len(),
                if unnamed.len() == 1 { "" } else { "s" }
            );
            sheet.text(row, 1, &others, &styles.wrap)?;
            sheet.text(row, 2, group.kind.key(), &styles.text)?;
            row += 1;
        }
    }

    if !op.footnotes.is_empty() {
        row += 1;
        section(
            &mut sheet,
            styles,
            &mut row,
            "Footnotes",
            &["Marker", "Text", "Applies to"],
        )?;
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
            sheet.text(row, 1, &note.text, &styles.wrap)?;
            sheet.text(row, 2, &applies.join(", "), &styles.wrap)?;
            row += 1;
        }
    }

    if !op.activities.is_empty() {
        row += 1;
        section(
            &mut sheet,
            styles,
            &mut row,
            "Activities",
            &["Activity", "Description", "Participants", "Metrics"],
        )?;
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
            sheet.text(row, 0, &activity.label, &styles.wrap)?;
            sheet.text(row, 1, &activity.description, &styles.wrap)?;
            sheet.text(row, 2, &names.join(", "), &styles.wrap)?;
            sheet.text(row, 3, &metrics.join(", "), &styles.wrap)?;
            row += 1;
        }
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

/// A section title and its column headers; leaves `row` on the first data row.
fn section(
    sheet: &mut Sheet,
    styles: &Styles,
    row: &mut u32,
    title: &str,
    headers: &[&str],
) -> Result<(), XlsxError> {
    sheet
        .ws
        .write_string_with_format(*row, 0, title, &styles.section)?;
    for (col, header) in (0u16..).zip(headers) {
        sheet.text(*row + 1, col, header, &styles.header)?;
    }
    *row += 2;
    Ok(())
}
