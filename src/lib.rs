//! opbrief checks the reported figures of a coordinated law-enforcement
//! operation and turns them into a briefing, workbooks and a press release.
//!
//! The pipeline, one module per stage, typed values between them:
//!
//! 1. [`load`]: operation folder → [`model::Operation`] (every value located)
//! 2. [`aggregate`]: Operation → [`aggregate::Totals`] (summed once)
//! 3. [`check`]: Operation + Totals → [`check::Findings`]
//! 4. narrate: Totals + templates → text blocks
//! 5. [`render`]: Totals + Findings + text → PDF and XLSX bytes
//! 6. publish: bytes → `output/<op>/rev-NNN/`, atomically
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod changes;
pub mod check;
pub mod cmd;
pub mod demo;
pub mod format;
pub mod load;
pub mod model;
pub mod narrate;
pub mod parallel;
pub mod publish;
pub mod render;
pub mod report;
pub mod source;
