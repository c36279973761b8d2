//! `opbrief check`: check the operation folder; print the findings.

use super::{CheckArgs, Done, Format};
use crate::error::{Error, exit};
use crate::{pipeline, report};

pub fn run(args: &CheckArgs) -> Result<Done, Error> {
    super::source_date_epoch()?;
    let checked = pipeline::check(&args.operation)?;
    let stdout = match args.format {
        Format::Text => report::findings(&checked.op, &checked.findings, report::Style::stdout()),
        Format::Json => format!(
            "{}\n",
            report::findings_json(&checked.op, &checked.findings)
        ),
    };
    Ok(Done {
        stdout,
        code: if checked.findings.has_errors() {
            exit::FINDINGS
        } else {
            exit::OK
        },
    })
}
