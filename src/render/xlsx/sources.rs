//! The Sources sheet: every input file the workbook may name, with the
//! SHA-256 of its text, so a reader can tell which inputs it came from.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles};
use crate::render::Context;
use rust_xlsxwriter::{TableStyle, Workbook};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

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
    for (index, file) in ctx.op.sources.iter().enumerate() {
        if !scope.shows_source(index) {
            continue;
        }
        row += 1;
        sheet.text(
            row,
            0,
            &scope.display_path(&file.path.to_string_lossy()),
            &styles.text,
        )?;
        // The hash of the text as read (UTF-8, without a leading BOM): the
        // bytes every figure in this workbook was parsed from.
        sheet.text(row, 1, &sha256_hex(file.text.as_bytes()), &styles.mono)?;
        sheet.count(row, 2, file.text.lines().count(), &styles.text)?;
    }
    if row == 0 {
        return Ok(());
    }

    sheet.table("SourceFiles", TableStyle::Light1, (0, row), &HEADERS)?;
    // Consolas is wider than the default font: give the hash its full width.
    sheet.reserve(1, 72);
    sheet.fit(8, 80, &[])?;
    sheet.ws.set_freeze_panes(1, 0)?;
    sheet.ws.set_repeat_rows(0, 0)?;
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}
