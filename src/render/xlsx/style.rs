//! How cells look and are written: formats, number formats per unit, the
//! page set-up every sheet shares, and the only helpers that put values into
//! cells (numbers as numbers, input text always as strings).

use super::XlsxError;
use crate::check::Severity;
use crate::model::{Amount, Qualifier, Quantity, SignedAmount, Unit};
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Table, TableColumn,
    TableStyle, Worksheet,
};
use std::collections::BTreeMap;

/// Excel's limit for a header or footer, in UTF-16 units, after `&&` escaping.
pub const HEADER_FOOTER_LIMIT: usize = 255;
/// A finding can cite hundreds of files; a cell holds at most 32 767
/// characters, and nobody reads past a screenful of locations.
pub const MAX_LOCATIONS_SHOWN: usize = 40;

/// Whole numbers: thousands separators, no decimals.
pub(super) const WHOLE: &str = "#,##0";
/// Amounts with decimals (0.5 kg, 1.25 t): up to six places, none padded.
const DECIMAL: &str = "#,##0.0#####";
/// Money with cents.
const MONEY: &str = "#,##0.00";

/// The formats of one workbook, built once. rust_xlsxwriter de-duplicates
/// formats, so derived formats made on the fly cost nothing extra.
pub struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub header: Format,
    pub section: Format,
    pub text: Format,
    pub wrap: Format,
    pub date: Format,
    pub mono: Format,
}

impl Styles {
    pub fn new() -> Styles {
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x44_4444)),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xD9_E1F2))
                .set_border_bottom(FormatBorder::Thin),
            section: Format::new().set_bold().set_font_size(12),
            text: Format::new().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top),
            mono: Format::new()
                .set_font_name("Consolas")
                .set_align(FormatAlign::Top),
        }
    }

    /// A metric label indented by its depth in the catalogue tree. Indent is
    /// a format property, so the cell text stays the plain label (charts and
    /// filters read it unpadded).
    pub fn label(&self, depth: usize, bold: bool) -> Format {
        let indent = u8::try_from(depth.min(15)).unwrap_or(15);
        let format = Format::new().set_indent(indent).set_align(FormatAlign::Top);
        if bold { format.set_bold() } else { format }
    }

    /// The number format for one amount of a unit: counts are whole; masses,
    /// volumes and money show decimals only when the amount has them.
    pub fn number(&self, amount: Amount, unit: Unit) -> Format {
        Format::new()
            .set_num_format(number_format(amount, unit))
            .set_align(FormatAlign::Top)
    }

    /// A number that reads with its qualifier, e.g. `almost 926`, while the
    /// cell stays numeric (for sums and charts).
    pub fn qualified(&self, quantity: Quantity, unit: Unit) -> Format {
        let base = number_format(quantity.amount, unit);
        let format = match quantity.qualifier {
            Qualifier::Exact => Format::new().set_num_format(base),
            // The words are fixed ASCII from the enum: safe inside quotes.
            q => Format::new().set_num_format(format!("\"{} \"{base}", q.word())),
        };
        format.set_align(FormatAlign::Top)
    }

    /// A signed difference: `+4`, `-3`, `0`.
    pub fn signed(&self, difference: SignedAmount) -> Format {
        let base = if difference.abs().is_whole() {
            WHOLE
        } else {
            DECIMAL
        };
        Format::new()
            .set_num_format(format!("+{base};-{base};0"))
            .set_align(FormatAlign::Top)
    }

    /// A format with the background of a finding's severity.
    pub fn tinted(format: Format, severity: Severity) -> Format {
        let colour = match severity {
            Severity::Error => 0xF8_D7DA,
            Severity::Warning => 0xFF_F3CD,
            Severity::Info => 0xDD_EBF7,
        };
        format.set_background_color(Color::RGB(colour))
    }
}

fn number_format(amount: Amount, unit: Unit) -> &'static str {
    if unit.is_countable() || amount.is_whole() {
        WHOLE
    } else if matches!(unit, Unit::Money(_)) {
        MONEY
    } else {
        DECIMAL
    }
}

/// One worksheet being written: every cell goes through here so that
/// numbers are numeric cells, input text is always a string, and column
/// widths follow what was actually written.
pub struct Sheet<'a> {
    pub ws: &'a mut Worksheet,
    /// Widest content per column, in characters.
    widths: BTreeMap<u16, usize>,
    /// Column widths as `fit` set them, in characters.
    fitted: BTreeMap<u16, usize>,
    /// Text written to wrap, kept until `fit` knows the column widths and
    /// can give each row the height of its tallest cell: rust_xlsxwriter
    /// writes no heights of its own, and LibreOffice then overlaps the
    /// lines with the next row.
    wrapped: BTreeMap<u32, Vec<(u16, String)>>,
    /// Row heights set from wrapped text, in points.
    heights: BTreeMap<u32, f64>,
}

/// Points per line of the default 11-point font.
pub const LINE_POINTS: f64 = 15.0;

impl<'a> Sheet<'a> {
    pub fn new(ws: &'a mut Worksheet) -> Sheet<'a> {
        Sheet {
            ws,
            widths: BTreeMap::new(),
            fitted: BTreeMap::new(),
            wrapped: BTreeMap::new(),
            heights: BTreeMap::new(),
        }
    }

    /// Text that wraps in its cell (the format must wrap): measured for the
    /// row's height when the sheet is fitted.
    pub fn wrapped(
        &mut self,
        row: u32,
        col: u16,
        value: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.text(row, col, value, format)?;
        self.wrapped
            .entry(row)
            .or_default()
            .push((col, value.to_string()));
        Ok(())
    }

    /// The width `fit` gave a column, in characters (Excel's default 8.43
    /// for a column it did not set).
    pub fn width(&self, col: u16) -> f64 {
        self.fitted.get(&col).map_or(8.43, |&w| w as f64)
    }

    /// The height of a row in points: from its wrapped text, else the default.
    pub fn height(&self, row: u32) -> f64 {
        self.heights.get(&row).copied().unwrap_or(LINE_POINTS)
    }

    fn seen(&mut self, col: u16, chars: usize) {
        let width = self.widths.entry(col).or_default();
        *width = (*width).max(chars);
    }

    /// Writes an amount as a numeric cell. Excel stores doubles; the
    /// conversion goes through the amount's exact decimal text.
    pub fn amount(
        &mut self,
        row: u32,
        col: u16,
        value: Amount,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(row, col, value.to_f64(), format)?;
        self.seen(col, crate::format::grouped(value).chars().count() + 1);
        Ok(())
    }

    /// A number shown with its qualifier word by the cell's number format.
    pub fn quantity(
        &mut self,
        row: u32,
        col: u16,
        value: Quantity,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.amount(row, col, value.amount, format)?;
        self.seen(
            col,
            crate::format::grouped(value.amount).chars().count() + value.qualifier.word().len() + 2,
        );
        Ok(())
    }

    /// A signed difference (stated − computed) as a number.
    pub fn signed(
        &mut self,
        row: u32,
        col: u16,
        value: SignedAmount,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(row, col, value.to_f64(), format)?;
        self.seen(col, crate::format::signed(value).chars().count() + 1);
        Ok(())
    }

    /// A count we produced (a line number, a number of files).
    pub fn count(
        &mut self,
        row: u32,
        col: u16,
        value: usize,
        format: &Format,
    ) -> Result<(), XlsxError> {
        // Line numbers and counts stay far below 2^53, where f64 is exact.
        self.ws
            .write_number_with_format(row, col, value as f64, format)?;
        self.seen(col, value.to_string().len() + 1);
        Ok(())
    }

    /// A day as a real date cell; a date Excel cannot hold (before 1900)
    /// is written as its ISO text rather than shifted.
    pub fn date(
        &mut self,
        row: u32,
        col: u16,
        day: time::Date,
        styles: &Styles,
    ) -> Result<(), XlsxError> {
        match excel_date(day) {
            Some(date) => {
                self.ws
                    .write_datetime_with_format(row, col, &date, &styles.date)?;
                self.seen(col, 10);
                Ok(())
            }
            None => self.text(row, col, &day.to_string(), &styles.text),
        }
    }

    /// A date in a column formatted as `styles.date` (see `column_text`).
    pub fn column_date(&mut self, row: u32, col: u16, day: time::Date) -> Result<(), XlsxError> {
        match excel_date(day) {
            Some(date) => {
                self.ws.write_datetime(row, col, &date)?;
                self.seen(col, 10);
                Ok(())
            }
            None => self.column_text(row, col, &day.to_string()),
        }
    }

    /// Text in a column whose format was set once with `set_column_format`:
    /// an unformatted cell takes the column's format, and skipping the
    /// per-cell format lookup matters on sheets of 100 000 rows.
    pub fn column_text(&mut self, row: u32, col: u16, value: &str) -> Result<(), XlsxError> {
        self.ws.write_string(row, col, value)?;
        self.seen(col, value.chars().count());
        Ok(())
    }

    /// An amount in a column formatted as whole numbers (see `column_text`);
    /// an amount with decimals still gets its own format.
    pub fn column_amount(
        &mut self,
        row: u32,
        col: u16,
        value: Amount,
        unit: Unit,
    ) -> Result<(), XlsxError> {
        match number_format(value, unit) {
            WHOLE => {
                self.ws.write_number(row, col, value.to_f64())?;
                self.seen(col, crate::format::grouped(value).chars().count() + 1);
                Ok(())
            }
            decimal => self.amount(row, col, value, &Format::new().set_num_format(decimal)),
        }
    }

    /// Writes text that may come from the input. `write_string` never
    /// interprets a leading `=`, `+`, `-` or `@`: a name stays a name.
    pub fn text(
        &mut self,
        row: u32,
        col: u16,
        value: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(row, col, value, format)?;
        let longest = value.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        self.seen(col, longest);
        Ok(())
    }

    /// A header that wraps onto two lines (plain ranges, no filter button):
    /// as wide as its longest word or half its length, whichever is more.
    pub fn heading(
        &mut self,
        row: u32,
        col: u16,
        value: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.heading_lines(row, col, value, format, 2)
    }

    /// A header that wraps onto up to `lines` lines (the row must be tall
    /// enough): as wide as its longest word or its length over `lines`.
    pub fn heading_lines(
        &mut self,
        row: u32,
        col: u16,
        value: &str,
        format: &Format,
        lines: usize,
    ) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(row, col, value, format)?;
        let longest_word = value
            .split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        self.seen(
            col,
            longest_word.max(value.chars().count().div_ceil(lines.max(1))),
        );
        Ok(())
    }

    /// A header cell: room for the table's filter button.
    pub fn header(
        &mut self,
        row: u32,
        col: u16,
        value: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.text(row, col, value, format)?;
        self.seen(col, value.chars().count() + 3);
        Ok(())
    }

    /// A formula we built (never input text) with its cached result, so
    /// readers that do not recalculate (calamine, pandas, previewers) see
    /// the right number.
    pub fn formula(
        &mut self,
        row: u32,
        col: u16,
        formula: &str,
        result: impl std::fmt::Display,
        format: &Format,
    ) -> Result<(), XlsxError> {
        let result = result.to_string();
        self.seen(col, result.len() + 3);
        let formula = Formula::new(formula).set_result(result);
        self.ws
            .write_formula_with_format(row, col, formula, format)?;
        Ok(())
    }

    /// Turns rows `first..=last` (the first holding `headers`) into an Excel
    /// table with filter buttons, leaving room for the buttons.
    pub fn table(
        &mut self,
        name: &str,
        style: TableStyle,
        (first, last): (u32, u32),
        headers: &[&str],
    ) -> Result<(), XlsxError> {
        let columns: Vec<TableColumn> = headers
            .iter()
            .map(|h| TableColumn::new().set_header(*h))
            .collect();
        for (col, header) in (0u16..).zip(headers) {
            self.reserve(col, header.chars().count() + 3);
        }
        let table = Table::new()
            .set_name(name)
            .set_style(style)
            .set_columns(&columns);
        self.ws
            .add_table(first, 0, last, headers.len() as u16 - 1, &table)?;
        Ok(())
    }

    /// Keeps everything down to the header row (and the first `columns`
    /// columns) in view while scrolling, and prints the header atop every
    /// page.
    pub fn hold_header(&mut self, header: u32, columns: u16) -> Result<(), XlsxError> {
        self.ws.set_freeze_panes(header + 1, columns)?;
        self.ws.set_repeat_rows(header, header)?;
        Ok(())
    }

    /// Counts extra width for a column (e.g. the indent of nested labels).
    pub fn reserve(&mut self, col: u16, chars: usize) {
        self.seen(col, chars);
    }

    /// Sets every written column to its content width, kept between `min`
    /// and `max` characters; `caps` give single columns (long text that
    /// wraps) their own maximum.
    pub fn fit(&mut self, min: usize, max: usize, caps: &[(u16, usize)]) -> Result<(), XlsxError> {
        for (&col, &chars) in &self.widths {
            let max = caps
                .iter()
                .find(|(c, _)| *c == col)
                .map_or(max, |&(_, cap)| cap);
            let width = (chars + 1).clamp(min, max.max(min));
            self.ws.set_column_width(col, width as f64)?;
            self.fitted.insert(col, width);
        }
        self.set_heights()
    }

    fn set_heights(&mut self) -> Result<(), XlsxError> {
        let mut heights = BTreeMap::new();
        for (&row, cells) in &self.wrapped {
            let lines = cells
                .iter()
                .map(|(col, text)| wrapped_lines(text, self.width(*col)))
                .max()
                .unwrap_or(1);
            if lines > 1 {
                let points = LINE_POINTS * lines as f64;
                self.ws.set_row_height(row, points)?;
                heights.insert(row, points);
            }
        }
        self.heights = heights;
        Ok(())
    }
}

/// How many lines `text` takes in a column `width` characters wide,
/// wrapping at spaces as Excel and LibreOffice do. A column's width counts
/// digits; letters of the default font are a little narrower on average,
/// so a line is taken to hold the width less one and the count errs tall.
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let room = (width - 1.0).max(1.0) as usize;
    text.split('\n')
        .map(|line| {
            let mut lines = 1;
            let mut used = 0;
            for word in line.split(' ') {
                let length = word.chars().count();
                let needed = if used == 0 { length } else { used + 1 + length };
                if needed <= room || used == 0 {
                    used = needed;
                } else {
                    lines += 1;
                    used = length;
                }
                // A word longer than the line breaks inside it.
                while used > room {
                    lines += 1;
                    used -= room;
                }
            }
            lines
        })
        .sum()
}

/// Excel table headers must differ ignoring case: a metric keyed `day`
/// would clash with a Day column, two metrics may share a label.
pub fn unique_headers(headers: &mut [String]) {
    let mut seen = std::collections::HashSet::new();
    for header in headers.iter_mut() {
        let mut candidate = header.clone();
        let mut n = 1;
        while !seen.insert(candidate.to_lowercase()) {
            n += 1;
            candidate = format!("{header} ({n})");
        }
        *header = candidate;
    }
}

/// A1-style reference for a formula on the same sheet (0-based row/col).
pub fn cell_ref(row: u32, col: u16) -> String {
    rust_xlsxwriter::utility::row_col_to_cell(row, col)
}

/// The header, footer and print set-up every sheet shares: the marking on
/// every printed page, "Page n of N", landscape A4 fitted to the width.
pub struct Page {
    header: String,
    footer: String,
}

impl Page {
    pub fn new(marking: &str, title: &str) -> Result<Page, XlsxError> {
        // `&` starts a control code in headers and footers; `&&` is a literal.
        let marking = marking.replace('&', "&&");
        let title = title.replace('&', "&&");
        let bold_marking = format!("&\"-,Bold\"{marking}");
        let footer = format!("&L{bold_marking}&RPage &P of &N");
        // Excel drops an over-long header silently; a missing marking is
        // worse than no workbook, so refuse instead.
        if utf16_len(&footer) > HEADER_FOOTER_LIMIT {
            let overhead = utf16_len(&footer) - utf16_len(&marking);
            return Err(XlsxError::MarkingTooLong {
                length: utf16_len(&marking),
                limit: HEADER_FOOTER_LIMIT.saturating_sub(overhead),
            });
        }
        // The operation name is a courtesy: dropped if both do not fit.
        let with_title = format!("&L{bold_marking}&R{title}");
        let header = if utf16_len(&with_title) <= HEADER_FOOTER_LIMIT {
            with_title
        } else {
            format!("&L{bold_marking}")
        };
        Ok(Page { header, footer })
    }

    pub fn apply(&self, ws: &mut Worksheet) {
        ws.set_header(&self.header);
        ws.set_footer(&self.footer);
        ws.set_paper_size(9); // A4
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
    }
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `None` for a day Excel cannot show (before 1900): written as text instead.
fn excel_date(day: time::Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(day.year()).ok()?;
    ExcelDateTime::from_ymd(year, u8::from(day.month()), day.day()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Amount {
        Amount::parse_decimal(text).unwrap()
    }

    #[test]
    fn headers_are_unique_ignoring_case() {
        let mut headers: Vec<String> = ["Day", "day", "DAY", "arrests"].map(String::from).to_vec();
        unique_headers(&mut headers);
        assert_eq!(headers, ["Day", "day (2)", "DAY (3)", "arrests"]);
    }

    #[test]
    fn wrapped_text_counts_its_lines() {
        assert_eq!(wrapped_lines("short", 20.0), 1);
        assert_eq!(wrapped_lines("a:1\nb:2\nc:3", 20.0), 3);
        // 11 characters per line: "aaaa bbbb" fits, "cccc" goes on.
        assert_eq!(wrapped_lines("aaaa bbbb cccc", 12.0), 2);
        assert_eq!(wrapped_lines(&"x".repeat(25), 11.0), 3);
        assert_eq!(wrapped_lines("", 10.0), 1);
    }

    #[test]
    fn decimals_only_where_the_amount_has_them() {
        assert_eq!(number_format(amount("626"), Unit::Kilogram), WHOLE);
        assert_eq!(number_format(amount("0.5"), Unit::Kilogram), DECIMAL);
        assert_eq!(number_format(amount("12.5"), Unit::EURO), MONEY);
        assert_eq!(number_format(amount("22488"), Unit::Count), WHOLE);
    }

    #[test]
    fn the_marking_is_escaped_and_must_fit_the_header() {
        let page = Page::new("R&D ONLY", "Op").unwrap();
        assert_eq!(page.header, "&L&\"-,Bold\"R&&D ONLY&ROp");
        assert_eq!(page.footer, "&L&\"-,Bold\"R&&D ONLY&RPage &P of &N");
        // A long operation name is dropped before the marking is.
        let page = Page::new("PUBLIC", &"x".repeat(250)).unwrap();
        assert_eq!(page.header, "&L&\"-,Bold\"PUBLIC");
        assert!(matches!(
            Page::new(&"M".repeat(300), "Op"),
            Err(XlsxError::MarkingTooLong { length: 300, .. })
        ));
    }
}
