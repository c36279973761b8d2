//! `opbrief diff`: what changed between two revisions of an operation.

use super::{DiffArgs, Done};
use crate::error::Error;
use crate::{changes, publish};

pub fn run(args: &DiffArgs) -> Result<Done, Error> {
    let revisions = publish::revisions(&args.output);
    let find = |n: u32| {
        revisions
            .iter()
            .find(|(r, _)| *r == n)
            .map(|(_, dir)| dir.clone())
            .ok_or_else(|| Error::Usage(format!("{} has no revision {n}", args.output.display())))
    };
    let (old, new) = match (args.from, args.to) {
        (Some(a), Some(b)) => (find(a)?, find(b)?),
        (Some(_), None) | (None, Some(_)) => {
            return Err(Error::Usage(
                "give two revisions, or none for the last two".into(),
            ));
        }
        (None, None) => match revisions.as_slice() {
            [.., (_, a), (_, b)] => (a.clone(), b.clone()),
            _ => {
                return Err(Error::Usage(format!(
                    "{} needs two revisions to compare (give the operation's output folder, e.g. output/jad-see-2023)",
                    args.output.display()
                )));
            }
        },
    };
    let old = changes::read_revision(&old).map_err(Error::Revision)?;
    let new = changes::read_revision(&new).map_err(Error::Revision)?;
    let changes = changes::compare(&old, &new.snapshot, &new.findings, &new.manifest.inputs);
    Ok(Done::ok(format!(
        "revision {} against {}:\n{}",
        new.revision,
        old.revision,
        changes.to_text()
    )))
}
