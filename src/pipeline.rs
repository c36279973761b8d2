//! The pipeline, composed once: what `opbrief check` and `opbrief build`
//! run, and what the tests and the fuzz target call.
//!
//! [`check()`]: load → aggregate → check → narrate (a dry run, so a template
//! that cannot render for this operation is an input error here, not at
//! build time). [`build`]: the same, then revision → render → publish.

use crate::aggregate::{self, Totals};
use crate::changes::{self, Changes};
use crate::check::{self, Findings};
use crate::error::Error;
use crate::load;
use crate::model::{CorrectionOutcome, Operation};
use crate::narrate::{self, Texts};
use crate::publish::{self, Manifest};
use crate::render::{Context, documents};
use crate::revision::{self, Next};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An operation read, summed, checked and worded.
#[derive(Debug)]
pub struct Checked {
    pub op: Operation,
    pub totals: Totals,
    pub findings: Findings,
    pub texts: Texts,
}

/// Load → aggregate → check → narrate for the operation folder `dir`.
pub fn check(dir: &Path) -> Result<Checked, Error> {
    check_timed(dir, &mut Timings::default())
}

fn check_timed(dir: &Path, timings: &mut Timings) -> Result<Checked, Error> {
    let op = load::load(dir)?;
    printable(&op)?;
    timings.lap("load");
    let totals = aggregate::aggregate(&op).map_err(|overflow| Error::Overflow {
        overflow,
        sources: op.sources.clone(),
    })?;
    timings.lap("aggregate");
    let findings = check::check(&op, &totals);
    timings.lap("check");
    let texts = narrate::narrate(&op, &totals, &findings)?;
    printable_texts(&texts)?;
    timings.lap("narrate");
    Ok(Checked {
        op,
        totals,
        findings,
        texts,
    })
}

/// Every character of the operation's values and templates is one the
/// bundled fonts can draw: a name in a script they lack would stop the
/// briefing at `build`, so `check` refuses it, with its file, line and key.
fn printable(op: &Operation) -> Result<(), Error> {
    let family = crate::render::pdf::family().map_err(|e| Error::Internal(e.to_string()))?;
    let missing = |c: char| !family.prints(c) && !c.is_control();
    let mut errors = Vec::new();
    for (source, file) in op.sources.iter().enumerate() {
        // Plain ASCII prints, unless an escape (`\u101E`, `\xAD`, `\b`)
        // spells another character.
        if file.text.is_ascii() && !file.text.contains('\\') {
            continue;
        }
        let Some(found) = load::invisible::find_where(&file.text, missing) else {
            continue;
        };
        let toml = file.relative.ends_with(".toml");
        if toml && found.key.is_none() {
            // In a comment: never printed.
            continue;
        }
        let c = found.character;
        let mut error = load::InputError::new(format!(
            "“{c}” (U+{:04X}) cannot be printed: the briefing's fonts cover Latin, Greek and Cyrillic",
            c as u32
        ))
        .help("write the name as the releases do in Latin script, or leave the character out")
        .at(op.sources.locate(source, found.span));
        if let Some(key) = found.key {
            error = error.key(key);
        }
        errors.push(error);
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(Error::from(load::LoadFailure {
        errors,
        sources: op.sources.clone(),
    }))
}

/// Every character of the texts the briefing prints is one the fonts draw.
/// The inputs were checked already; a template can still spell another
/// character (`{{ "\u101E" }}`), and `build` must not be the first to see it.
fn printable_texts(texts: &Texts) -> Result<(), Error> {
    let family = crate::render::pdf::family().map_err(|e| Error::Internal(e.to_string()))?;
    let printed = [
        ("headline.j2", &texts.headline),
        ("lead.j2", &texts.lead),
        ("summary.j2", &texts.summary),
        ("data-quality.j2", &texts.data_quality),
    ]
    .into_iter()
    .chain(texts.captions.values().map(|t| ("caption.j2", t)))
    .chain(
        texts
            .reporter_captions
            .values()
            .chain(texts.day_captions.values())
            .map(|t| ("reporter-caption.j2", t)),
    );
    for (template, text) in printed {
        if let Some(c) = text.chars().find(|&c| !family.prints(c)) {
            return Err(Error::from(narrate::TemplateError {
                template: template.to_string(),
                line: None,
                message: format!(
                    "writes “{}” (U+{:04X}), which the briefing's fonts cannot print (they cover Latin, Greek and Cyrillic)",
                    load::files::shown(&c.to_string(), 1),
                    c as u32
                ),
            }));
        }
    }
    Ok(())
}

/// What a build is asked to do, settled before any work.
#[derive(Clone, Debug)]
pub struct Config {
    /// The operation folder.
    pub operation: PathBuf,
    /// Revisions go to `<out>/<operation id>/rev-NNN/`.
    pub out: PathBuf,
    /// Refuse to build when the checks find errors.
    pub strict: bool,
    /// The document date (seconds since 1970, from SOURCE_DATE_EPOCH);
    /// `None`: from the data.
    pub timestamp: Option<i64>,
}

/// A build's result: what was checked, and what was written.
#[derive(Debug)]
pub struct Built {
    pub checked: Checked,
    pub outcome: Outcome,
}

#[derive(Debug)]
pub enum Outcome {
    /// A new revision folder with these files (relative to it, manifest.json
    /// included), and what changed since the one before.
    Written {
        revision: u32,
        dir: PathBuf,
        files: Vec<PathBuf>,
        changes: Option<Changes>,
    },
    /// The newest revision was built from the same inputs: nothing written.
    Unchanged { revision: u32, dir: PathBuf },
}

/// Check, then write a new revision unless nothing changed.
pub fn build(config: &Config) -> Result<Built, Error> {
    build_timed(config, &mut Timings::default())
}

/// [`build`], timing each stage into `timings`.
pub fn build_timed(config: &Config, timings: &mut Timings) -> Result<Built, Error> {
    let checked = check_timed(&config.operation, timings)?;
    if config.strict && checked.findings.has_errors() {
        return Err(Error::Strict(Box::new(checked)));
    }
    let op = &checked.op;
    let inputs = revision::inputs(op);
    let snapshot = changes::snapshot(op, &checked.totals);
    let finding_records = changes::finding_records(&checked.op, &checked.findings);
    let (edition, _lock) = match revision::next(
        &config.out.join(&op.id),
        &inputs,
        &snapshot,
        &finding_records,
    )? {
        Next::Unchanged { revision, dir } => {
            timings.lap("revision");
            return Ok(Built {
                checked,
                outcome: Outcome::Unchanged { revision, dir },
            });
        }
        Next::Write { edition, lock } => (edition, lock),
    };
    let timestamp = config.timestamp.unwrap_or_else(|| data_timestamp(op));
    timings.lap("revision");
    let ctx = Context {
        op,
        totals: &checked.totals,
        findings: &checked.findings,
        timestamp,
        edition: &edition,
    };
    let staging =
        publish::Staging::begin(&config.out, &op.id, edition.revision, &publish::write_file)?;
    let rendered = documents::all(&ctx, &checked.texts, &snapshot, &|output| {
        staging.put(output)
    })?;
    timings.busy = rendered.busy;
    timings.lap("render");
    let mut files = rendered.paths;
    files.push("manifest.json".into());
    let manifest = Manifest {
        operation: op.id.clone(),
        revision: edition.revision,
        inputs_sha256: inputs.sha256,
        tool_version: inputs.tool_version,
        timestamp,
        inputs: inputs.files,
        outputs: Vec::new(),
    };
    let dir = staging.finish(manifest)?;
    timings.lap("publish");
    let revision = edition.revision;
    Ok(Built {
        outcome: Outcome::Written {
            revision,
            dir,
            files,
            changes: edition.changes,
        },
        checked,
    })
}

/// The publication date, or the latest applied correction after it, at
/// midnight UTC: documents carry a date from the data, never the clock.
fn data_timestamp(op: &Operation) -> i64 {
    let latest_correction = op
        .corrections
        .iter()
        .filter(|c| matches!(c.outcome, CorrectionOutcome::Applied { .. }))
        .map(|c| c.date)
        .max();
    let day = op
        .published
        .unwrap_or(op.end)
        .max(latest_correction.unwrap_or(op.start));
    day.midnight().assume_utc().unix_timestamp()
}

/// Wall time per stage (`build --timings`). Only `Instant::now()` per stage,
/// so it is cheap enough to take always; printed only when asked.
#[derive(Debug)]
pub struct Timings {
    last: Instant,
    pub stages: Vec<(&'static str, Duration)>,
    /// Per kind of document: documents rendered and their thread time.
    pub busy: Vec<(&'static str, usize, Duration)>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            last: Instant::now(),
            stages: Vec::new(),
            busy: Vec::new(),
        }
    }
}

impl Timings {
    /// Ends the running stage, named `stage`, and starts the next.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

/// One line per stage, the documents under "render", and the total.
impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut total = Duration::ZERO;
        for (stage, took) in &self.stages {
            total += *took;
            writeln!(f, "timing {stage:<10} {:9.2} ms", took.as_secs_f64() * 1e3)?;
            if *stage == "render" {
                for (kind, count, busy) in &self.busy {
                    writeln!(
                        f,
                        "timing   {kind:<8} {:9.2} ms on its threads ({count} documents)",
                        busy.as_secs_f64() * 1e3
                    )?;
                }
            }
        }
        writeln!(
            f,
            "timing {:<10} {:9.2} ms",
            "total",
            total.as_secs_f64() * 1e3
        )
    }
}
