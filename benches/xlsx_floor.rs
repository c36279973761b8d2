//! What rust_xlsxwriter alone needs for 26 partner packs: 26 workbooks
//! shaped like the packs of the sample and of the 26 × 6 case (their sheets
//! with as many cells, in 19 formats, a table on each sheet, five column
//! charts on the first, document properties), written on two threads, with
//! none of opbrief's work. It bounds how fast those cases can build.
//! `cargo bench --bench xlsx_floor` prints the median and spread of 15 runs
//! per shape.

use rust_xlsxwriter::{Chart, ChartType, DocProperties, Format, Table, Workbook, XlsxError};
use std::time::Instant;

const PACKS: usize = 26;
const RUNS: usize = 15;

/// A pack's sheets and how many cells each holds, as in the packs written
/// for that case (counted in their sheet XML).
struct Shape {
    case: &'static str,
    sheets: &'static [(&'static str, u32)],
}

const SHAPES: [Shape; 2] = [
    Shape {
        case: "sample",
        sheets: &[
            ("Summary", 248),
            ("Checks", 42),
            ("Participants", 138),
            ("Sources", 12),
        ],
    },
    Shape {
        case: "26x6",
        sheets: &[
            ("Summary", 313),
            ("Returns", 288),
            ("By reporter", 24),
            ("Checks", 84),
            ("Participants", 27),
            ("Sources", 30),
        ],
    },
];

fn pack(shape: &Shape, formats: &[Format]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(1);
    workbook.set_properties(
        &DocProperties::new()
            .set_title("Operation — partner pack")
            .set_custom_property("Revision", 1),
    );
    for (sheet, &(name, cells)) in shape.sheets.iter().enumerate() {
        let ws = workbook.add_worksheet().set_name(name)?;
        // Two cells a row, a label and a figure, formats taken in turn.
        let rows = cells.div_ceil(2);
        for row in 1..=rows {
            let format = &formats[row as usize % formats.len()];
            ws.write_string_with_format(row, 0, format!("label {row}"), format)?;
            ws.write_number_with_format(row, 1, f64::from(row) * 7.0, format)?;
        }
        ws.add_table(0, 0, rows, 1, &Table::new())?;
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
    for shape in &SHAPES {
        let mut walls = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let start = Instant::now();
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..2)
                    .map(|_| {
                        scope.spawn(|| {
                            (0..PACKS / 2).try_for_each(|_| pack(shape, &formats).map(drop))
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .try_for_each(|worker| worker.join().unwrap_or(Ok(())))
            })?;
            walls.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        walls.sort_by(f64::total_cmp);
        println!(
            "{PACKS} packs shaped like the {} case's, through rust_xlsxwriter alone on 2 threads: \
             median {:.1} ms (min {:.1}, max {:.1}; {RUNS} runs)",
            shape.case,
            walls[RUNS / 2],
            walls[0],
            walls[RUNS - 1]
        );
    }
    Ok(())
}
