//! The Sources sheet: every input file the workbook may name, with the
//! SHA-256 of its text, so a reader can tell which inputs it came from.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles};
use crate::render::Context;
use rust_xlsxwriter::{TableStyle, Workbook};

pub const NAME: &str = "Sources";

const HEADERS: [&str; 3] = ["File", "SHA-256", "Lines"];

pub fn write(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    let files: Vec<(usize, &crate::source::SourceFile)> = scope
        .sources()
        .into_iter()
        .filter_map(|index| Some((index, ctx.op.sources.get(index)?)))
        .collect();
    if files.is_empty() {
        return Ok(());
    }
    // Streamed, row by row, with its strings inline: 50 000 returns are
    // 100 000 distinct paths and hashes that a shared-strings table would
    // hold in memory to the end. So the table comes before its rows.
    let ws = workbook.add_worksheet_with_constant_memory()?;
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);
    sheet.table(
        "SourceFiles",
        TableStyle::Light1,
        (0, files.len() as u32),
        &HEADERS,
    )?;
    for ((index, file), row) in files.into_iter().zip(1u32..) {
        sheet.text(row, 0, &scope.file_label(index), &styles.text)?;
        sheet.text(row, 1, file.sha256(), &styles.mono)?;
        sheet.count(row, 2, file.text.lines().count(), &styles.text)?;
    }

    // Consolas is wider than the default font: give the hash its full width.
    sheet.reserve(1, 72);
    sheet.fit(8, 80, &[])?;
    sheet.hold_header(0, 0)?;
    Ok(())
}
