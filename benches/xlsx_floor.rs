//! What rust_xlsxwriter alone needs for the sample's 26 partner packs: 26
//! workbooks shaped like a sample pack (four sheets of 250, 40, 140 and 12
//! cells in 19 formats, five tables, five column charts on the first sheet,
//! document properties), written on two threads, with none of opbrief's
//! work. It bounds how fast the sample can build. `cargo bench --bench
//! xlsx_floor` prints the median and spread of 15 runs.

use rust_xlsxwriter::{Chart, ChartType, DocProperties, Format, Table, Workbook, XlsxError};
use std::time::Instant;

const PACKS: usize = 26;
const RUNS: usize = 15;
const SHEETS: [(&str, u32); 4] = [
    ("Summary", 125),
    ("Checks", 20),
    ("Participants", 70),
    ("Sources", 6),
];

fn pack(formats: &[Format]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(1);
    workbook.set_properties(
        &DocProperties::new()
            .set_title("Operation — partner pack")
            .set_custom_property("Revision", 1),
    );
    for (sheet, (name, rows)) in SHEETS.into_iter().enumerate() {
        let ws = workbook.add_worksheet().set_name(name)?;
        // Two cells a row: a label and a figure, formats taken in turn.
        for row in 1..=rows {
            let format = &formats[row as usize % formats.len()];
            ws.write_string_with_format(row, 0, format!("label {row}"), format)?;
            ws.write_number_with_format(row, 1, f64::from(row) * 7.0, format)?;
        }
        let tables = if sheet == 0 { 2 } else { 1 };
        let per_table = rows / tables;
        for t in 0..tables {
            let first = t * per_table;
            ws.add_table(first, 0, first + per_table - 1, 1, &Table::new())?;
        }
        if sheet == 0 {
            for c in 0..5u32 {
                let mut chart = Chart::new(ChartType::Column);
                chart
                    .add_series()
                    .set_categories((name, 1 + c * 10, 0, 8 + c * 10, 0))
                    .set_values((name, 1 + c * 10, 1, 8 + c * 10, 1));
                ws.insert_chart(2 + c * 16, 4, &chart)?;
            }
        }
    }
    workbook.save_to_buffer()
}

fn main() -> Result<(), XlsxError> {
    let formats: Vec<Format> = (0..19)
        .map(|i| match i % 3 {
            0 => Format::new().set_bold().set_indent(i / 3),
            1 => Format::new().set_num_format(format!("#,##0 \"u{i}\"")),
            _ => Format::new().set_italic().set_indent(i / 3),
        })
        .collect();
    let mut walls = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..2)
                .map(|_| scope.spawn(|| (0..PACKS / 2).try_for_each(|_| pack(&formats).map(drop))))
                .collect();
            workers
                .into_iter()
                .try_for_each(|worker| worker.join().unwrap_or(Ok(())))
        })?;
        walls.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    walls.sort_by(f64::total_cmp);
    println!(
        "{PACKS} pack-shaped workbooks through rust_xlsxwriter alone, 2 threads: \
         median {:.1} ms (min {:.1}, max {:.1}; {RUNS} runs)",
        walls[RUNS / 2],
        walls[0],
        walls[RUNS - 1]
    );
    Ok(())
}
