//! The Returns sheet: one table row per return the workbook may show, one
//! column per metric (and part) that any of them holds. A metric some
//! return states with a qualifier ("almost 300") also gets qualifier, low
//! and high columns; the others are plain numbers. Values are the figures in
//! force (corrections applied; the "Corrected by" column names the
//! corrections by id); a total a return did not state but whose parts it
//! did is a formula over those parts in its row, so every column sums to
//! what the Summary publishes.
//!
//! One row per return instead of one per figure keeps the peers' 50 000
//! returns (1.75 million figures) on one sheet. An operation with more
//! returns than a sheet holds is split, in file order, over "Returns",
//! "Returns 2", … — `check` warns about it first.

use super::XlsxError;
use super::scope::Scope;
use super::style::{Page, Sheet, Styles, WHOLE, cell_ref, unique_headers};
use crate::aggregate::InReturn;
use crate::model::{MetricId, Qualifier, Reporter, Unit};
use crate::render::Context;
use rust_xlsxwriter::{Format, TableStyle, Workbook};
use std::collections::BTreeMap;

pub const NAME: &str = "Returns";

/// Excel's 1 048 576 rows less the header.
pub const MAX_ROWS: usize = crate::check::SHEET_ROWS;

/// What the Kind column says for a participant's return and for the
/// coordination's (consolidated) one; Summary formulas select by it.
pub const PARTICIPANT: &str = "participant";
pub const CONSOLIDATED: &str = "consolidated";

const REPORTER: u16 = 0;
pub const KIND: u16 = 1;
const DAY: u16 = 2;
const WHOLE_OPERATION: u16 = 3;

/// Where one metric's figures are.
#[derive(Clone, Copy, Debug)]
pub struct MetricColumns {
    pub value: u16,
    /// Qualifier, lowest and highest possible value: only for a metric
    /// some return in the workbook states with a qualifier.
    pub qualified: Option<(u16, u16, u16)>,
}

/// One sheet of the split: its name and the returns (indices into
/// `Operation::returns`) on it, in file order, from row 1.
pub struct Part {
    pub name: String,
    pub table: String,
    pub returns: Vec<usize>,
}

/// The columns and sheets of the Returns table, worked out once: the
/// Summary's formulas point into it.
pub struct Layout {
    pub parts: Vec<Part>,
    pub metrics: BTreeMap<MetricId, MetricColumns>,
    headers: Vec<String>,
    /// Metric of each metric column's value, in column order.
    order: Vec<MetricId>,
    corrected_by: u16,
}

impl Layout {
    /// The returns in `scope`, `rows_per_sheet` to a sheet.
    pub fn with_rows(ctx: &Context, scope: &Scope, rows_per_sheet: usize) -> Layout {
        let op = ctx.op;
        let returns: Vec<usize> = scope
            .return_indices()
            .into_iter()
            .filter(|&at| ctx.totals.return_values(op, at).next().is_some())
            .collect();
        // Which metrics have a value in some return, and which of those
        // have one that is not exact.
        let n = op.catalogue.len();
        let (mut present, mut qualified) = (vec![false; n], vec![false; n]);
        for &at in &returns {
            for (id, value) in ctx.totals.return_values(op, at) {
                present[id.0] = true;
                qualified[id.0] |= !is_exact(&value);
            }
        }
        let mut headers: Vec<String> = ["Reporter", "Kind", "Day", "Whole operation"]
            .map(String::from)
            .to_vec();
        let mut metrics = BTreeMap::new();
        let mut order = Vec::new();
        for id in op.catalogue.tree_order() {
            if !present[id.0] {
                continue;
            }
            let metric = op.catalogue.get(id);
            let header = match metric.unit {
                Unit::Count | Unit::Pieces => metric.key.clone(),
                unit => format!("{} ({})", metric.key, unit.key()),
            };
            let value = headers.len() as u16;
            headers.push(header);
            let extra = qualified[id.0].then(|| {
                headers.push(format!("{} qualifier", metric.key));
                headers.push(format!("{} lowest", metric.key));
                headers.push(format!("{} highest", metric.key));
                (value + 1, value + 2, value + 3)
            });
            metrics.insert(
                id,
                MetricColumns {
                    value,
                    qualified: extra,
                },
            );
            order.push(id);
        }
        let corrected_by = headers.len() as u16;
        headers.extend(["Corrected by", "File", "Line"].map(String::from));
        unique_headers(&mut headers);

        let chunks: Vec<Vec<usize>> = returns
            .chunks(rows_per_sheet.max(1))
            .map(<[usize]>::to_vec)
            .collect();
        let parts = chunks
            .into_iter()
            .enumerate()
            .map(|(index, returns)| Part {
                name: part_name(index),
                table: match index {
                    0 => "ReturnsTable".to_string(),
                    n => format!("ReturnsTable{}", n + 1),
                },
                returns,
            })
            .collect();
        Layout {
            parts,
            metrics,
            headers,
            order,
            corrected_by,
        }
    }

    /// `SUMIFS` of a column over every sheet of the split, for the returns
    /// of one kind (participants' or the coordination's); `None` when the
    /// workbook has no return.
    pub fn sum_of(&self, col: u16, kind: &str) -> Option<String> {
        let terms: Vec<String> = self
            .parts
            .iter()
            .filter(|p| !p.returns.is_empty())
            .map(|part| {
                let last = part.returns.len() as u32;
                let range =
                    |c: u16| format!("'{}'!{}:{}", part.name, absolute(1, c), absolute(last, c));
                format!("SUMIFS({},{},\"{kind}\")", range(col), range(KIND))
            })
            .collect();
        (!terms.is_empty()).then(|| format!("={}", terms.join("+")))
    }
}

/// "Returns", "Returns 2", "Returns 3", …
pub fn part_name(index: usize) -> String {
    match index {
        0 => NAME.to_string(),
        n => format!("{NAME} {}", n + 1),
    }
}

fn absolute(row: u32, col: u16) -> String {
    rust_xlsxwriter::utility::row_col_to_cell_absolute(row, col)
}

fn is_exact(value: &InReturn) -> bool {
    value.nominal.qualifier == Qualifier::Exact && value.interval.as_point().is_some()
}

/// Writes the sheets, or nothing when no return is in scope (a pack for an
/// operation that has only consolidated figures).
pub fn write(
    workbook: &mut Workbook,
    ctx: &Context,
    layout: &Layout,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    for part in &layout.parts {
        write_part(workbook, ctx, layout, part, styles, page)?;
    }
    Ok(())
}

fn write_part(
    workbook: &mut Workbook,
    ctx: &Context,
    layout: &Layout,
    part: &Part,
    styles: &Styles,
    page: &Page,
) -> Result<(), XlsxError> {
    let op = ctx.op;
    // Constant-memory mode writes each finished row's XML to an unnamed
    // temporary file instead of keeping every cell until the end, with its
    // strings inline (50 000 distinct file paths need no shared-strings
    // table): far less memory on 50 000 rows. Rows must come in order (a
    // cell above the last row written would be dropped), so the table and
    // its header go first.
    let ws = workbook.add_worksheet_with_constant_memory()?;
    ws.set_name(&part.name)?;
    page.apply(ws);
    let mut sheet = Sheet::new(ws);

    // Formats per column, once: the cells below are written unformatted and
    // take them (a per-cell format costs a hash lookup per cell).
    sheet.ws.set_column_format(DAY, &styles.date)?;
    for columns in layout.metrics.values() {
        sheet
            .ws
            .set_column_format(columns.value, &Format::new().set_num_format(WHOLE))?;
        if let Some((_, low, high)) = columns.qualified {
            for col in [low, high] {
                sheet
                    .ws
                    .set_column_format(col, &Format::new().set_num_format(WHOLE))?;
            }
        }
    }
    let headers: Vec<&str> = layout.headers.iter().map(String::as_str).collect();
    sheet.table(
        &part.table,
        TableStyle::Medium2,
        (0, part.returns.len() as u32),
        &headers,
    )?;
    let file_col = layout.corrected_by + 1;
    let mut path: (usize, String) = (usize::MAX, String::new());
    // The row's values by metric, refilled for each return.
    let mut values: Vec<Option<InReturn>> = vec![None; op.catalogue.len()];
    for (&at, row) in part.returns.iter().zip(1u32..) {
        let ret = &op.returns[at];
        values.fill(None);
        for (id, value) in ctx.totals.return_values(op, at) {
            values[id.0] = Some(value);
        }
        sheet.column_text(row, REPORTER, op.reporter_name(ret.reporter))?;
        let kind = match ret.reporter {
            Reporter::Coordination => CONSOLIDATED,
            Reporter::Participant(_) => PARTICIPANT,
        };
        sheet.column_text(row, KIND, kind)?;
        if let Some(day) = ret.day {
            sheet.column_date(row, DAY, day)?;
        }
        sheet
            .ws
            .write_boolean(row, WHOLE_OPERATION, ret.day.is_none())?;
        sheet.reserve(WHOLE_OPERATION, 5);
        for &id in &layout.order {
            let (Some(value), Some(columns)) = (&values[id.0], layout.metrics.get(&id)) else {
                continue;
            };
            let unit = op.catalogue.get(id).unit;
            match value.stated() {
                Some(stated) => sheet.column_amount(row, columns.value, stated.amount, unit)?,
                None => {
                    // A total the return left to its parts: their sum, as a
                    // formula over this row, so an analyst sees where it
                    // comes from.
                    let parts: Vec<String> = op
                        .catalogue
                        .get(id)
                        .parts
                        .iter()
                        .filter(|p| values[p.0].is_some())
                        .filter_map(|p| layout.metrics.get(p))
                        .map(|c| cell_ref(row, c.value))
                        .collect();
                    let formula = format!("=SUM({})", parts.join(","));
                    sheet.formula(
                        row,
                        columns.value,
                        &formula,
                        value.nominal.amount,
                        &styles.number(value.nominal.amount, unit),
                    )?;
                }
            }
            if let Some((qualifier, low, high)) = columns.qualified {
                if value.nominal.qualifier != Qualifier::Exact {
                    sheet.column_text(row, qualifier, value.nominal.qualifier.word())?;
                }
                sheet.column_amount(row, low, value.interval.low, unit)?;
                if let Some(upper) = value.interval.high {
                    sheet.column_amount(row, high, upper, unit)?;
                }
            }
        }
        let corrections: Vec<&str> = ret
            .figures
            .iter()
            .filter_map(|f| f.corrected_by)
            .filter_map(|index| op.corrections.get(index as usize))
            .map(|c| c.id.as_str())
            .collect();
        if !corrections.is_empty() {
            sheet.column_text(row, layout.corrected_by, &corrections.join(", "))?;
        }
        if path.0 != ret.source {
            let relative = op
                .sources
                .get(ret.source)
                .map(|s| s.relative.to_string())
                .unwrap_or_default();
            path = (ret.source, relative);
        }
        sheet.column_text(row, file_col, &path.1)?;
        sheet
            .ws
            .write_number(row, file_col + 1, ret.reporter_location.line as f64)?;
    }

    sheet.fit(6, 50, &[])?;
    sheet.hold_header(0, 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_sheets_are_numbered_from_two() {
        assert_eq!(part_name(0), "Returns");
        assert_eq!(part_name(1), "Returns 2");
        assert_eq!(part_name(9), "Returns 10");
    }
}
