//! Every document of one revision, each handed on (to publish's staging
//! folder) as soon as it is rendered: the first are on their way to the
//! disk while the rest render, and a revision appears only when all have
//! succeeded.

use super::Context;
use super::briefing::{self, BriefingError};
use super::xlsx::{self, XlsxError};
use crate::changes::Snapshot;
use crate::error::Error;
use crate::model::ParticipantId;
use crate::narrate::Texts;
use crate::publish::{Output, PublishError};
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A document that could not be rendered.
#[derive(Debug)]
pub enum DocumentError {
    /// The briefing layout is wrong, or the PDF engine refused the content.
    Briefing(BriefingError),
    /// A workbook (`file`: its path in the revision) could not be written.
    Workbook { file: String, error: XlsxError },
    /// The workbook library gave up (panicked) writing `file`: in practice
    /// its temporary file, in a full or unwritable TMPDIR.
    TempFile { file: String, message: String },
    /// A bug: a render that panicked, or data that would not serialise.
    Internal(String),
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentError::Briefing(error) => error.fmt(f),
            DocumentError::Workbook { file, error } => write!(f, "{file}: {error}"),
            DocumentError::TempFile { file, message } => write!(
                f,
                "{file}: cannot write the workbook: {message}; is the temporary folder (TMPDIR) full?"
            ),
            DocumentError::Internal(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DocumentError {}

/// What was rendered and handed on, and per kind of document the thread
/// time its renders took.
pub struct Rendered {
    /// Every document's path in the revision, sorted.
    pub paths: Vec<PathBuf>,
    /// (kind, documents, time): renders overlap, so these add up to more
    /// than the stage's wall time.
    pub busy: Vec<(&'static str, usize, Duration)>,
}

/// Where each finished document goes: publish's staging folder (or, in
/// tests, memory). Called from several render threads at once.
pub type Deliver<'a> = dyn Fn(&Output) -> Result<(), PublishError> + Sync + 'a;

/// Renders every document of `ctx.edition` and hands each to `deliver`:
/// the press release, findings.json, figures.json (`snapshot`),
/// changes.json, the briefing, the master workbook and one pack per
/// recipient. The first error in that order stops the build.
pub fn all(
    ctx: &Context,
    texts: &Texts,
    snapshot: &Snapshot,
    deliver: &Deliver<'_>,
) -> Result<Rendered, Error> {
    let mut outputs = vec![
        Output {
            path: "press-release.md".into(),
            bytes: texts.press_release.clone().into_bytes(),
        },
        Output {
            path: "findings.json".into(),
            bytes: format!("{}\n", crate::report::findings_json(ctx.op, ctx.findings)).into_bytes(),
        },
        json("figures.json", snapshot)?,
    ];
    if let Some(changes) = &ctx.edition.changes {
        outputs.push(Output {
            path: "changes.json".into(),
            bytes: format!("{}\n", crate::report::envelope("changes", changes)).into_bytes(),
        });
    }
    // The briefing, the master and one pack per recipient: independent
    // renders of the same finished numbers, so they run side by side,
    // largest first.
    let names = xlsx::pack_file_names(ctx.op);
    let jobs: Vec<Job> = [Job::Master, Job::Briefing]
        .into_iter()
        .chain(ctx.op.pack_recipients().into_iter().map(|partner| {
            let name = names.get(partner.0).cloned();
            Job::Pack(
                partner,
                name.unwrap_or_else(|| format!("participant-{}.xlsx", partner.0 + 1)),
            )
        }))
        .collect();
    let mut paths = Vec::with_capacity(outputs.len() + jobs.len());
    for output in outputs {
        deliver(&output)?;
        paths.push(output.path);
    }
    let rendered = crate::parallel::map(&jobs, |job| {
        let start = Instant::now();
        // rust_xlsxwriter panics when it cannot write a Returns sheet's
        // temporary file (a full TMPDIR): that is an error about this file.
        let output = std::panic::catch_unwind(AssertUnwindSafe(|| one(ctx, texts, job)))
            .unwrap_or_else(|payload| {
                Err(job.stopped(&crate::diagnostic::panic_message(payload.as_ref())))
            });
        let took = start.elapsed();
        // Handed on here, on the render thread: its bytes are freed as soon
        // as they are written.
        let delivered = output
            .map_err(Error::from)
            .and_then(|output| match deliver(&output) {
                Ok(()) => Ok(output.path),
                Err(error) => Err(Error::from(error)),
            });
        (delivered, took)
    });
    let mut busy: Vec<(&'static str, usize, Duration)> = Vec::new();
    for (job, (delivered, took)) in jobs.iter().zip(rendered) {
        match busy.iter_mut().find(|(kind, _, _)| *kind == job.kind()) {
            Some((_, count, sum)) => {
                *count += 1;
                *sum += took;
            }
            None => busy.push((job.kind(), 1, took)),
        }
        paths.push(delivered?);
    }
    paths.sort();
    Ok(Rendered { paths, busy })
}

fn json(path: &str, value: &impl serde::Serialize) -> Result<Output, DocumentError> {
    // Plain data always serialises; a failure would be a bug.
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| DocumentError::Internal(format!("{path}: {e}")))?;
    bytes.push(b'\n');
    Ok(Output {
        path: path.into(),
        bytes,
    })
}

fn one(ctx: &Context, texts: &Texts, job: &Job) -> Result<Output, DocumentError> {
    match job {
        Job::Briefing => Ok(Output {
            path: "briefing.pdf".into(),
            bytes: briefing::briefing(ctx, texts).map_err(DocumentError::Briefing)?,
        }),
        Job::Master => Ok(Output {
            path: "workbook.xlsx".into(),
            bytes: xlsx::master(ctx).map_err(|error| DocumentError::Workbook {
                file: "workbook.xlsx".into(),
                error,
            })?,
        }),
        Job::Pack(partner, name) => Ok(Output {
            bytes: xlsx::partner(ctx, *partner).map_err(|error| DocumentError::Workbook {
                file: format!("partners/{name}"),
                error,
            })?,
            path: Path::new("partners").join(name),
        }),
    }
}

/// One document to render.
enum Job {
    Briefing,
    Master,
    /// A partner's pack and its file name.
    Pack(ParticipantId, String),
}

impl Job {
    /// The error for a render that panicked: for a workbook, rust_xlsxwriter
    /// giving up on its temporary file (an output error); else a bug.
    fn stopped(&self, message: &str) -> DocumentError {
        let workbook = |file: String| DocumentError::TempFile {
            file,
            message: message.to_string(),
        };
        match self {
            Job::Briefing => DocumentError::Internal(format!("briefing.pdf: {message}")),
            Job::Master => workbook("workbook.xlsx".into()),
            Job::Pack(_, name) => workbook(format!("partners/{name}")),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Job::Briefing => "pdf",
            Job::Master => "master",
            Job::Pack(..) => "packs",
        }
    }
}
