//! `opbrief check`: load, aggregate and check; print the findings.

use super::{CheckArgs, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, Format};
use crate::{aggregate, check, load, report};

pub fn run(args: &CheckArgs) -> u8 {
    let op = match load::load(&args.operation) {
        Ok(op) => op,
        Err(failure) => {
            eprint!("{}", report::input_errors(&failure));
            return EXIT_INPUT;
        }
    };
    let totals = match aggregate::aggregate(&op) {
        Ok(totals) => totals,
        Err(overflow) => {
            eprintln!("error: {overflow}");
            return EXIT_INPUT;
        }
    };
    let findings = check::check(&op, &totals);
    match args.format {
        Format::Text => print!("{}", report::findings(&op, &findings)),
        Format::Json => println!("{}", report::findings_json(&op, &findings)),
    }
    if findings.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
