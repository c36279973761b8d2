//! `opbrief build`: the whole pipeline, then an atomic new revision.

use super::{BuildArgs, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK};
use crate::publish::{self, FileHash, Manifest, Output};
use crate::render::{Context, briefing, xlsx};
use crate::{aggregate, check, load, narrate, report};
use std::path::{Path, PathBuf};

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
    let config = match config(args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_INPUT;
        }
    };
    let op = match load::load(&config.operation) {
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
    if config.strict && findings.has_errors() {
        eprint!("{}", report::findings(&findings, &op.sources));
        eprintln!("error: --strict: not building with {}", findings.summary());
        return EXIT_FINDINGS;
    }
    let texts = match narrate::narrate(&op, &totals, &findings) {
        Ok(texts) => texts,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INPUT;
        }
    };
    let timestamp = config.source_date_epoch.unwrap_or_else(|| {
        let day = op.published.unwrap_or(op.end);
        day.midnight().assume_utc().unix_timestamp()
    });
    let ctx = Context {
        op: &op,
        totals: &totals,
        findings: &findings,
        timestamp,
    };
    let inputs = input_hashes(&op);
    let tool_version = env!("CARGO_PKG_VERSION").to_string();
    let inputs_sha256 = publish::inputs_hash(&tool_version, &inputs);
    // Same inputs as the newest revision: nothing to render or write.
    let operation_out = config.out.join(&op.id);
    let newest = publish::revisions(&operation_out).pop();
    if let Some((revision, dir)) = &newest
        && publish::read_manifest(dir).is_some_and(|m| m.inputs_sha256 == inputs_sha256)
    {
        println!(
            "no changes since revision {revision}: {} ({})",
            dir.display(),
            findings.summary()
        );
        return EXIT_OK;
    }
    let revision = newest.map_or(1, |(n, _)| n + 1);
    let outputs = match render_all(&ctx, &texts, revision) {
        Ok(outputs) => outputs,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_INPUT;
        }
    };
    let manifest = Manifest {
        operation: op.id.clone(),
        revision,
        inputs_sha256,
        tool_version,
        timestamp,
        inputs,
        outputs: Vec::new(),
    };
    match publish::publish(&config.out, manifest, outputs) {
        Ok(dir) => {
            println!("wrote {} ({})", dir.display(), findings.summary());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INPUT
        }
    }
}

/// Every output in memory; nothing touches the disk before all succeed.
fn render_all(ctx: &Context, texts: &narrate::Texts, revision: u32) -> Result<Vec<Output>, String> {
    let mut outputs = vec![
        Output {
            path: "briefing.pdf".into(),
            bytes: briefing::briefing(ctx, texts, revision).map_err(|e| e.to_string())?,
        },
        Output {
            path: "press-release.md".into(),
            bytes: texts.press_release.clone().into_bytes(),
        },
        Output {
            path: "findings.json".into(),
            bytes: format!("{}\n", report::findings_json(ctx.findings)).into_bytes(),
        },
    ];
    outputs.push(Output {
        path: "workbook.xlsx".into(),
        bytes: xlsx::master(ctx).map_err(|e| format!("workbook.xlsx: {e}"))?,
    });
    for partner in ctx.op.pack_recipients() {
        let name = xlsx::pack_file_name(ctx.op, partner);
        outputs.push(Output {
            bytes: xlsx::partner(ctx, partner).map_err(|e| format!("partners/{name}: {e}"))?,
            path: Path::new("partners").join(name),
        });
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outputs)
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
        .map(|file| publish::file_hash(relative(&file.path), file.text.as_bytes()))
        .collect();
    inputs.extend(
        narrate::template_sources(op)
            .into_iter()
            .map(|(name, text)| publish::file_hash(format!("<templates>/{name}"), text.as_bytes())),
    );
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    inputs
}
