//! Revision: which revision a build writes, if any.
//!
//! Owns the operation's build lock, the hash of every input, the
//! "unchanged" decision (the newest revision was built from the same
//! inputs by the same tool), reading the previous revision back and
//! comparing this build with it.

use crate::changes::{self, FindingRecord, ReadError, Snapshot};
use crate::model::Operation;
use crate::publish::{self, FileHash, Lock, PublishError};
use crate::render::Edition;
use std::path::{Path, PathBuf};

/// Every input of a build, hashed: what the unchanged decision compares.
#[derive(Debug)]
pub struct Inputs {
    /// By path relative to the operation folder (templates as
    /// `<templates>/name`), sorted.
    pub files: Vec<FileHash>,
    /// One hash over the tool version and every file.
    pub sha256: String,
    pub tool_version: String,
}

/// Hashes the operation's files, its layout and templates.
pub fn inputs(op: &Operation) -> Inputs {
    let mut files: Vec<FileHash> = op
        .sources
        .iter()
        .map(|file| FileHash {
            path: file.relative.to_string(),
            sha256: file.sha256().to_string(),
            bytes: file.text.len() as u64,
        })
        .collect();
    // The layout and template overrides are among the sources (load reads
    // them); the shipped templates in use change the documents too.
    files.extend(
        crate::narrate::template_sources(op)
            .into_iter()
            .map(|(name, text)| publish::file_hash(format!("<templates>/{name}"), text.as_bytes())),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let tool_version = env!("CARGO_PKG_VERSION").to_string();
    Inputs {
        sha256: publish::inputs_hash(&tool_version, &files),
        files,
        tool_version,
    }
}

/// Why no decision could be made.
#[derive(Debug)]
pub enum RevisionError {
    /// The lock (or the folder it lives in) could not be created or taken.
    Lock(PublishError),
    /// The newest revision cannot be read back to compare with.
    Previous(ReadError),
    /// The newest revision's number is the largest there can be: a next
    /// one would wrap round to rev-000.
    Exhausted { dir: PathBuf },
}

/// What a build does next, decided while holding the lock.
pub enum Next {
    /// The newest revision was built from these inputs: nothing to write.
    Unchanged { revision: u32, dir: PathBuf },
    /// Write this edition; the lock is held until the value is dropped, so
    /// no other build takes the same revision number meanwhile.
    Write { edition: Edition, lock: Lock },
}

/// Takes the operation's lock under `operation_out` (`<out>/<id>`) and
/// decides: unchanged, or the next revision with what changed since the
/// newest one (`snapshot` and `findings` are this build's).
pub fn next(
    operation_out: &Path,
    inputs: &Inputs,
    snapshot: &Snapshot,
    findings: &[FindingRecord],
) -> Result<Next, RevisionError> {
    let lock = publish::lock(operation_out).map_err(RevisionError::Lock)?;
    let Some((revision, dir)) = publish::revisions(operation_out).pop() else {
        return Ok(Next::Write {
            edition: Edition::default(),
            lock,
        });
    };
    if publish::read_manifest(&dir).is_some_and(|m| m.inputs_sha256 == inputs.sha256) {
        return Ok(Next::Unchanged { revision, dir });
    }
    let Some(next) = revision.checked_add(1) else {
        return Err(RevisionError::Exhausted { dir });
    };
    let previous = changes::read_revision(&dir).map_err(RevisionError::Previous)?;
    Ok(Next::Write {
        edition: Edition {
            revision: next,
            changes: Some(changes::compare(
                &previous,
                snapshot,
                findings,
                &inputs.files,
            )),
        },
        lock,
    })
}
