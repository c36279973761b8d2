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
    let ws = workbook.add_worksheet();
    ws.set_name(NAME)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    let mut row = 0;
    for (index, file) in scope
        .sources()
        .into_iter()
        .filter_map(|index| Some((index, ctx.op.sources.get(index)?)))
    {
        row += 1;
        sheet.text(row, 0, &scope.file_label(index), &styles.text)?;
        sheet.text(row, 1, file.sha256(), &styles.mono)?;
        sheet.count(row, 2, file.text.lines().count(), &styles.text)?;
    }
    if row == 0 {
        return Ok(());
    }

    sheet.table("SourceFiles", TableStyle::Light1, (0, row), &HEADERS)?;
    // Consolas is wider than the default font: give the hash its full width.
    sheet.reserve(1, 72);
    sheet.fit(8, 80, &[])?;
    sheet.hold_header(0, 0)?;
    Ok(())
}
