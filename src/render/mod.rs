//! Render: finished numbers and text → bytes (PDF, XLSX). Renderers never sum.

pub mod briefing;
pub mod documents;
pub mod pdf;
pub mod xlsx;

use crate::aggregate::Totals;
use crate::changes::Changes;
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
    /// Which revision this is, what it supersedes and what changed.
    pub edition: &'a Edition,
}

/// The revision being written and its relation to the one before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edition {
    pub revision: u32,
    /// Changes since the previous revision (none for the first).
    pub changes: Option<Changes>,
}

impl Default for Edition {
    fn default() -> Edition {
        Edition {
            revision: 1,
            changes: None,
        }
    }
}

impl Edition {
    /// "supersedes revision 1 of 24 November 2023", for later revisions.
    pub fn supersedes(&self) -> Option<String> {
        self.changes.as_ref().map(|c| {
            format!(
                "supersedes revision {} of {}",
                c.since_revision, c.since_date
            )
        })
    }
}
