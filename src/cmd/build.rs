//! `opbrief build`: the whole pipeline, then an atomic new revision.

use super::{BuildArgs, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK};
use crate::model::{CorrectionOutcome, ParticipantId};
use crate::publish::{self, FileHash, Manifest, Output};
use crate::render::{Context, Edition, briefing, xlsx};
use crate::{aggregate, changes, check, load, narrate, report};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Settled once before any work: where to write, which date to stamp.
struct BuildConfig {
    operation: PathBuf,
    out: PathBuf,
    strict: bool,
    /// From SOURCE_DATE_EPOCH when set; else from the data.
    source_date_epoch: Option<i64>,
}

fn config(args: &BuildArgs) -> Result<BuildConfig, String> {
    let source_date_epoch = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => Some(text.trim().parse::<i64>().map_err(|_| {
            format!("SOURCE_DATE_EPOCH must be whole seconds since 1970, found `{text}`")
        })?),
        Err(_) => None,
    };
    Ok(BuildConfig {
        operation: args.operation.clone(),
        out: args.out.clone(),
        strict: args.strict,
        source_date_epoch,
    })
}

pub fn run(args: &BuildArgs) -> u8 {
    let mut timings = Timings::new(args.timings);
    let result = config(args)
        .map_err(Failure::Input)
        .and_then(|config| build(&config, &mut timings));
    timings.print();
    match result {
        Ok(message) => {
            println!("{message}");
            EXIT_OK
        }
        Err(Failure::Input(message)) => {
            eprintln!("{message}");
            EXIT_INPUT
        }
        Err(Failure::Strict(message)) => {
            eprintln!("{message}");
            EXIT_FINDINGS
        }
    }
}

/// Why a build stopped: unreadable input (exit 2) or `--strict` (exit 1).
enum Failure {
    Input(String),
    Strict(String),
}

fn input(error: impl std::fmt::Display) -> Failure {
    Failure::Input(format!("error: {error}"))
}

/// `--timings`: wall time per stage, to stderr. Only `Instant::now()` per
/// stage, so it is cheap enough to leave in; printed only when asked.
struct Timings {
    enabled: bool,
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
    /// Per kind of document, the thread time its renders took (they overlap,
    /// so these add up to more than the render stage's wall time).
    documents: Vec<(&'static str, usize, Duration)>,
}

impl Timings {
    fn new(enabled: bool) -> Self {
        Timings {
            enabled,
            last: Instant::now(),
            stages: Vec::new(),
            documents: Vec::new(),
        }
    }

    /// Counts one rendered document of `kind` that took `took` on its thread.
    fn document(&mut self, kind: &'static str, took: Duration) {
        match self.documents.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, count, sum)) => {
                *count += 1;
                *sum += took;
            }
            None => self.documents.push((kind, 1, took)),
        }
    }

    /// Ends the running stage, named `stage`, and starts the next.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }

    fn print(&self) {
        if !self.enabled {
            return;
        }
        let mut total = Duration::ZERO;
        for (stage, took) in &self.stages {
            total += *took;
            eprintln!("timing {stage:<10} {:9.2} ms", took.as_secs_f64() * 1e3);
            if *stage == "render" {
                for (kind, count, busy) in &self.documents {
                    eprintln!(
                        "timing   {kind:<8} {:9.2} ms on its threads ({count} documents)",
                        busy.as_secs_f64() * 1e3
                    );
                }
            }
        }
        eprintln!(
            "timing {:<10} {:9.2} ms",
            "total",
            total.as_secs_f64() * 1e3
        );
    }
}

fn build(config: &BuildConfig, timings: &mut Timings) -> Result<String, Failure> {
    let op = load::load(&config.operation)
        .map_err(|failure| Failure::Input(report::input_errors(&failure)))?;
    timings.lap("load");
    let totals = aggregate::aggregate(&op).map_err(input)?;
    timings.lap("aggregate");
    let findings = check::check(&op, &totals);
    timings.lap("check");
    if config.strict && findings.has_errors() {
        return Err(Failure::Strict(format!(
            "{}error: --strict: not building with {}",
            report::findings(&op, &findings),
            findings.summary()
        )));
    }
    let texts = narrate::narrate(&op, &totals, &findings).map_err(input)?;
    timings.lap("narrate");
    let timestamp = config.source_date_epoch.unwrap_or_else(|| {
        // The publication date, or the latest correction after it.
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
    });
    let inputs = input_hashes(&op);
    let tool_version = env!("CARGO_PKG_VERSION").to_string();
    let inputs_sha256 = publish::inputs_hash(&tool_version, &inputs);

    // From here on one build at a time per operation.
    let operation_out = config.out.join(&op.id);
    let _lock = publish::lock(&operation_out).map_err(input)?;
    let newest = publish::revisions(&operation_out).pop();
    if let Some((revision, dir)) = &newest
        && publish::read_manifest(dir).is_some_and(|m| m.inputs_sha256 == inputs_sha256)
    {
        return Ok(format!(
            "no changes since revision {revision}: {} ({})",
            dir.display(),
            findings.summary()
        ));
    }
    let snapshot = changes::snapshot(&op, &totals);
    let finding_records = changes::finding_records(&op, &findings);
    let edition = match &newest {
        None => Edition::default(),
        Some((revision, dir)) => {
            let previous = changes::read_revision(dir)
                .map_err(|e| input(format!("revision {revision}: {e}")))?;
            Edition {
                revision: revision + 1,
                changes: Some(changes::compare(
                    &previous,
                    &snapshot,
                    &finding_records,
                    &inputs,
                )),
            }
        }
    };
    let ctx = Context {
        op: &op,
        totals: &totals,
        findings: &findings,
        timestamp,
        edition: &edition,
    };
    timings.lap("revision");
    let mut outputs = render_all(&ctx, &texts, timings).map_err(input)?;
    outputs.push(json_output("figures.json", &snapshot)?);
    if let Some(changes) = &edition.changes {
        outputs.push(json_output("changes.json", changes)?);
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest {
        operation: op.id.clone(),
        revision: edition.revision,
        inputs_sha256,
        tool_version,
        timestamp,
        inputs,
        outputs: Vec::new(),
    };
    let dir = publish::publish(&config.out, manifest, outputs).map_err(input)?;
    timings.lap("publish");
    let mut message = format!("wrote {} ({})", dir.display(), findings.summary());
    if let Some(changes) = &edition.changes {
        message = format!("{message}\n{}", changes.to_text().trim_end());
    }
    Ok(message)
}

fn json_output(path: &str, value: &impl serde::Serialize) -> Result<Output, Failure> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(input)?;
    bytes.push(b'\n');
    Ok(Output {
        path: path.into(),
        bytes,
    })
}

/// Every output in memory; nothing touches the disk before all succeed.
fn render_all(
    ctx: &Context,
    texts: &narrate::Texts,
    timings: &mut Timings,
) -> Result<Vec<Output>, String> {
    let mut outputs = vec![
        Output {
            path: "press-release.md".into(),
            bytes: texts.press_release.clone().into_bytes(),
        },
        Output {
            path: "findings.json".into(),
            bytes: format!("{}\n", report::findings_json(ctx.op, ctx.findings)).into_bytes(),
        },
    ];
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
    let rendered = crate::parallel::map(&jobs, |job| {
        let start = Instant::now();
        // rust_xlsxwriter panics when it cannot write a Returns sheet's
        // temporary file (a full TMPDIR): that is an error about this file.
        let output = std::panic::catch_unwind(AssertUnwindSafe(|| render_one(ctx, texts, job)))
            .unwrap_or_else(|payload| Err(job.stopped(&super::panic_message(payload.as_ref()))));
        (output, start.elapsed())
    });
    for (job, (output, took)) in jobs.iter().zip(rendered) {
        timings.document(job.kind(), took);
        outputs.push(output?);
    }
    timings.lap("render");
    Ok(outputs)
}

fn render_one(ctx: &Context, texts: &narrate::Texts, job: &Job) -> Result<Output, String> {
    match job {
        Job::Briefing => Ok(Output {
            path: "briefing.pdf".into(),
            bytes: briefing::briefing(ctx, texts).map_err(|e| e.to_string())?,
        }),
        Job::Master => Ok(Output {
            path: "workbook.xlsx".into(),
            bytes: xlsx::master(ctx).map_err(|e| format!("workbook.xlsx: {e}"))?,
        }),
        Job::Pack(partner, name) => Ok(Output {
            bytes: xlsx::partner(ctx, *partner).map_err(|e| format!("partners/{name}: {e}"))?,
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
    /// The error for a render that panicked.
    fn stopped(&self, message: &str) -> String {
        match self {
            Job::Briefing => format!("briefing.pdf: internal error: {message}; please report it"),
            Job::Master => format!(
                "workbook.xlsx: cannot write the workbook: {message}; is the temporary folder (TMPDIR) full?"
            ),
            Job::Pack(_, name) => format!(
                "partners/{name}: cannot write the workbook: {message}; is the temporary folder (TMPDIR) full?"
            ),
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

/// Input files by path relative to the operation folder, plus templates.
fn input_hashes(op: &crate::model::Operation) -> Vec<FileHash> {
    let relative = |path: &Path| {
        path.strip_prefix(&op.dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut inputs: Vec<FileHash> = op
        .sources
        .iter()
        .map(|file| FileHash {
            path: relative(&file.path),
            sha256: file.sha256().to_string(),
            bytes: file.text.len() as u64,
        })
        .collect();
    // The layout override changes the briefing: it counts as an input.
    let layout = op.dir.join("templates").join("briefing.toml");
    if let Ok(text) = crate::load::files::read_contained(&op.dir, &layout) {
        inputs.push(publish::file_hash(
            "templates/briefing.toml".into(),
            text.as_bytes(),
        ));
    }
    inputs.extend(
        narrate::template_sources(op)
            .into_iter()
            .map(|(name, text)| publish::file_hash(format!("<templates>/{name}"), text.as_bytes())),
    );
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    inputs
}
