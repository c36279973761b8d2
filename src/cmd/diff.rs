//! `opbrief diff`: what changed between two revisions of an operation.

use super::{DiffArgs, EXIT_INPUT, EXIT_OK};
use crate::{changes, publish};

pub fn run(args: &DiffArgs) -> u8 {
    match diff(args) {
        Ok(text) => {
            print!("{text}");
            EXIT_OK
        }
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_INPUT
        }
    }
}

fn diff(args: &DiffArgs) -> Result<String, String> {
    let revisions = publish::revisions(&args.output);
    let find = |n: u32| {
        revisions
            .iter()
            .find(|(r, _)| *r == n)
            .map(|(_, dir)| dir.clone())
            .ok_or_else(|| format!("{} has no revision {n}", args.output.display()))
    };
    let (old, new) = match (args.from, args.to) {
        (Some(a), Some(b)) => (find(a)?, find(b)?),
        (Some(_), None) | (None, Some(_)) => {
            return Err("give two revisions, or none for the last two".into());
        }
        (None, None) => match revisions.as_slice() {
            [.., (_, a), (_, b)] => (a.clone(), b.clone()),
            _ => {
                return Err(format!(
                    "{} needs two revisions to compare (give the operation's output folder, e.g. output/jad-see-2023)",
                    args.output.display()
                ));
            }
        },
    };
    let old = changes::read_revision(&old)?;
    let new = changes::read_revision(&new)?;
    let changes = changes::compare(&old, &new.snapshot, &new.findings, &new.manifest.inputs);
    Ok(format!(
        "revision {} against {}:\n{}",
        new.revision,
        old.revision,
        changes.to_text()
    ))
}
