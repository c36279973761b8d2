//! `opbrief diff`: what changed between two revisions of an operation.

use super::{DiffArgs, Done, Format};
use crate::error::Error;
use crate::{changes, publish};
use std::path::{Path, PathBuf};

pub fn run(args: &DiffArgs) -> Result<Done, Error> {
    let revisions = revisions_of(&args.output)?;
    let find = |n: u32| {
        revisions
            .iter()
            .find(|(r, _)| *r == n)
            .map(|(_, dir)| dir.clone())
            .ok_or_else(|| {
                let have: Vec<String> = revisions.iter().map(|(r, _)| r.to_string()).collect();
                Error::Usage(format!(
                    "{} has no revision {n} (it has {})",
                    args.output.display(),
                    have.join(", ")
                ))
            })
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
                    "{} has only revision {}: nothing to compare yet (build again after a change)",
                    args.output.display(),
                    revisions.first().map_or(1, |(r, _)| *r)
                )));
            }
        },
    };
    let old = changes::read_revision(&old).map_err(Error::Revision)?;
    let new = changes::read_revision(&new).map_err(Error::Revision)?;
    let changes = changes::compare(&old, &new.snapshot, &new.findings, &new.manifest.inputs);
    Ok(Done::ok(match args.format {
        Format::Text => format!(
            "revision {} against {}:\n{}",
            new.revision,
            old.revision,
            changes.to_text()
        ),
        Format::Json => format!("{}\n", crate::report::envelope("changes", &changes)),
    }))
}

/// The revisions of an operation's output folder, or an error that says
/// what the folder is instead.
fn revisions_of(dir: &Path) -> Result<Vec<(u32, PathBuf)>, Error> {
    let example = "give the operation's output folder, e.g. output/jad-see-2023";
    if !dir.exists() {
        return Err(Error::Usage(format!(
            "{} does not exist; {example}",
            dir.display()
        )));
    }
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder; {example}",
            dir.display()
        )));
    }
    let revisions = publish::revisions(dir);
    if !revisions.is_empty() {
        return Ok(revisions);
    }
    let named = |name: &str| dir.join(name).exists();
    let what = if named("manifest.json") {
        let parent = dir.parent().unwrap_or(dir);
        format!(
            "is one revision; give the folder that holds its revisions, {}",
            parent.display()
        )
    } else if named("operation.toml") {
        "is an operation folder, not its output; build it, then give output/<operation id>"
            .to_string()
    } else {
        // `output` itself: its sub-folders are the operations.
        let operations: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter(|e| !publish::revisions(&e.path()).is_empty())
            .map(|e| e.path().display().to_string())
            .collect();
        if operations.is_empty() {
            format!("holds no revisions (rev-NNN folders); {example}")
        } else {
            format!(
                "holds operations, not revisions; give one of: {}",
                operations.join(", ")
            )
        }
    };
    Err(Error::Usage(format!("{} {what}", dir.display())))
}
