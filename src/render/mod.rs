//! Render: finished numbers and text → bytes (PDF, XLSX). Renderers never sum.

pub mod briefing;
pub mod pdf;
pub mod xlsx;

use crate::aggregate::Totals;
use crate::check::Findings;
use crate::model::Operation;

/// Everything a renderer receives: finished numbers, findings and the
/// document date. Renderers read; they never sum or re-check.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub op: &'a Operation,
    pub totals: &'a Totals,
    pub findings: &'a Findings,
    /// Seconds since the epoch for document dates (from the data or
    /// SOURCE_DATE_EPOCH, never the clock).
    pub timestamp: i64,
}
