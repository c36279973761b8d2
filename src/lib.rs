//! opbrief checks the reported figures of a coordinated law-enforcement
//! operation and turns them into a briefing, workbooks and a press release.
//!
//! The pipeline, one module per stage, typed values between them, composed
//! once in [`pipeline`] ([`pipeline::check`], [`pipeline::build`]):
//!
//! 1. [`load`]: operation folder → [`model::Operation`] (every value located)
//! 2. [`aggregate`]: Operation → [`aggregate::Totals`] (summed once)
//! 3. [`check`]: Operation + Totals → [`check::Findings`]
//! 4. [`narrate`]: Totals + templates → text blocks
//! 5. [`revision`]: the lock, the unchanged decision, the changes since the
//!    previous revision
//! 6. [`render`]: Totals + Findings + text → PDF and XLSX bytes
//! 7. [`publish`]: bytes → `output/<op>/rev-NNN/`, atomically
//!
//! [`proof`] reuses the first three stages to check a written text's
//! figures against the operation's.
//!
//! [`error::Error`] is every command's error, with its exit code; [`cmd`]
//! holds the command line (and the `demo` generator).
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod changes;
pub mod check;
pub mod cmd;
pub mod diagnostic;
pub mod error;
pub mod format;
pub mod load;
pub mod model;
pub mod narrate;
pub mod parallel;
pub mod pipeline;
pub mod proof;
pub mod publish;
pub mod render;
pub mod report;
pub mod revision;
pub mod source;
