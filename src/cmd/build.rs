//! `opbrief build`: the pipeline, then what it wrote.

use super::{BuildArgs, Done};
use crate::check::{Severity, wording};
use crate::error::Error;
use crate::pipeline::{self, Built, Config, Outcome, Timings};
use std::fmt::Write as _;

fn config(args: &BuildArgs) -> Result<Config, Error> {
    let timestamp = super::source_date_epoch()?;
    Ok(Config {
        operation: args.operation.clone(),
        out: args.out.clone(),
        strict: args.strict,
        timestamp,
    })
}

pub fn run(args: &BuildArgs) -> Result<Done, Error> {
    let config = config(args)?;
    let mut timings = Timings::default();
    let built = pipeline::build_timed(&config, &mut timings);
    if args.timings {
        // Asked for, but about the run: stderr, even when the build failed.
        eprint!("{timings}");
    }
    // A revision with errors in it is still what was asked for (the
    // briefing shows them): exit 0. Only --strict turns them into exit 1.
    Ok(Done::ok(said(&built?)))
}

/// What the build wrote (or why nothing), the findings in one line with
/// each error named, and what changed since the revision before.
fn said(built: &Built) -> String {
    let findings = &built.checked.findings;
    let mut out = String::new();
    match &built.outcome {
        Outcome::Written {
            dir,
            files,
            changes,
            ..
        } => {
            let _ = writeln!(out, "wrote {} ({} files)", dir.display(), files.len());
            let _ = writeln!(out, "{}{}", findings.summary(), see(findings));
            for finding in findings.iter().filter(|f| f.severity == Severity::Error) {
                let message = wording::message(&built.checked.op, finding);
                let _ = writeln!(out, "  error[{}]: {message}", finding.code.key());
            }
            if let Some(changes) = changes {
                out.push_str(&changes.to_text());
            }
        }
        Outcome::Unchanged { revision, dir } => {
            let _ = writeln!(
                out,
                "no changes since revision {revision}: {} ({})",
                dir.display(),
                findings.summary()
            );
        }
    }
    out
}

fn see(findings: &crate::check::Findings) -> &'static str {
    if findings.iter().next().is_none() {
        ""
    } else {
        ": see findings.json"
    }
}
