//! What changed between two revisions: figures (old, new, difference, cause)
//! and findings that appeared or were resolved.
//!
//! Each revision stores `figures.json` (a [`Snapshot`]) beside
//! `findings.json` and `manifest.json`, so any two revisions can be compared
//! from their folders alone, by `build` and by `opbrief diff`.

use crate::aggregate::Totals;
use crate::check::{Findings, wording};
use crate::format;
use crate::model::{Amount, Operation, Qualifier};
use crate::narrate::view::{figure, long_date};
use crate::publish::Manifest;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One published figure as recorded in a revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureRecord {
    pub key: String,
    pub label: String,
    /// Plain decimal in the metric's unit, e.g. "566" or "1000".
    pub value: String,
    pub qualifier: String,
    /// As printed: "566", "almost 1 t".
    pub shown: String,
    /// Files (relative to the operation folder) the figure was read from.
    pub files: Vec<String>,
    /// The corrections in force on the figure or its parts.
    pub corrections: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub figures: Vec<FigureRecord>,
}

/// A finding as a revision records it: what identifies it across
/// revisions (severity, code and subject, made from ids), whom it names,
/// and its sentence, for display only.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FindingRecord {
    pub severity: String,
    pub code: String,
    /// Stable words for what the finding is about ("arrests / Austria
    /// 2024-03-04"); empty in revisions written before subjects existed.
    #[serde(default)]
    pub subject: String,
    /// The participants the finding names, for partner packs.
    #[serde(default)]
    pub participants: Vec<String>,
    pub message: String,
}

impl FindingRecord {
    /// What makes two records the same finding: a reworded message does not.
    pub fn identity(&self) -> (&str, &str, &str) {
        (&self.severity, &self.code, &self.subject)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureChange {
    pub key: String,
    pub label: String,
    /// As printed; `None` when the figure did not exist on that side.
    pub old: Option<String>,
    pub new: Option<String>,
    /// Signed, formatted: "+4"; `None` when not both exact.
    pub difference: Option<String>,
    /// The correction or input file that caused the change.
    pub cause: String,
}

/// Changes since an earlier revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    pub since_revision: u32,
    /// The earlier revision's date, e.g. "24 November 2023".
    pub since_date: String,
    pub figures: Vec<FigureChange>,
    pub findings_appeared: Vec<FindingRecord>,
    pub findings_resolved: Vec<FindingRecord>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
            && self.findings_appeared.is_empty()
            && self.findings_resolved.is_empty()
    }

    /// The terminal / plain-text form, one change a line.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Changes since revision {} of {}\n",
            self.since_revision, self.since_date
        );
        if self.is_empty() {
            out.push_str("  no figure or finding changed\n");
        }
        for change in &self.figures {
            let old = change.old.as_deref().unwrap_or("—");
            let new = change.new.as_deref().unwrap_or("—");
            let difference = change
                .difference
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {}: {old} → {new}{difference} — {}\n",
                change.label, change.cause
            ));
        }
        for finding in &self.findings_appeared {
            out.push_str(&format!(
                "  new {} [{}]: {}\n",
                finding.severity, finding.code, finding.message
            ));
        }
        for finding in &self.findings_resolved {
            out.push_str(&format!(
                "  resolved {} [{}]: {}\n",
                finding.severity, finding.code, finding.message
            ));
        }
        out
    }
}

/// The published figures of this build, for `figures.json`.
pub fn snapshot(op: &Operation, totals: &Totals) -> Snapshot {
    let mut figures = Vec::new();
    for id in op.catalogue.tree_order() {
        let metric = op.catalogue.get(id);
        let Some(value) = &totals.metric(id).value else {
            continue;
        };
        let files: BTreeSet<String> = value.locations.iter().map(|l| l.file.to_string()).collect();
        let corrections = op
            .corrections
            .iter()
            .filter(|c| matches!(c.outcome, crate::model::CorrectionOutcome::Applied { .. }))
            .filter(|c| c.metric == id || is_within(op, c.metric, id))
            .map(describe_correction(op))
            .collect();
        // A part's label alone ("Other crimes") is ambiguous in a list of changes.
        let label = match metric.parent {
            Some(parent) => format!("{} – {}", op.catalogue.get(parent).label, metric.label),
            None => metric.label.clone(),
        };
        figures.push(FigureRecord {
            key: metric.key.clone(),
            label,
            value: value.shown.amount.to_string(),
            qualifier: value.shown.qualifier.word().to_string(),
            shown: figure(metric, value.shown),
            files: files.into_iter().collect(),
            corrections,
        });
    }
    Snapshot { figures }
}

/// Whether `part` lies under `whole` in the catalogue tree.
fn is_within(op: &Operation, part: crate::model::MetricId, whole: crate::model::MetricId) -> bool {
    let mut current = op.catalogue.get(part).parent;
    while let Some(id) = current {
        if id == whole {
            return true;
        }
        current = op.catalogue.get(id).parent;
    }
    false
}

fn describe_correction(op: &Operation) -> impl Fn(&crate::model::Correction) -> String + '_ {
    move |c| {
        let metric = op.catalogue.get(c.metric);
        format!(
            "correction of {} ({} → {}) dated {}, requested by {}: {}",
            metric.label,
            format::quantity(c.from, metric.unit),
            format::quantity(c.to, metric.unit),
            long_date(c.date),
            c.requested_by,
            c.reason
        )
    }
}

pub fn finding_records(op: &Operation, findings: &Findings) -> Vec<FindingRecord> {
    findings
        .iter()
        .map(|f| FindingRecord {
            severity: f.severity.key().to_string(),
            code: f.code.key().to_string(),
            subject: wording::subject(op, f),
            participants: f
                .participants(op)
                .into_iter()
                .map(|id| op.participant(id).name.clone())
                .collect(),
            message: wording::message(op, f),
        })
        .collect()
}

/// Everything of a revision that a comparison reads.
pub struct RevisionRecord {
    pub revision: u32,
    pub manifest: Manifest,
    pub snapshot: Snapshot,
    pub findings: Vec<FindingRecord>,
}

/// A file of a revision folder that cannot be read back.
#[derive(Debug)]
pub struct ReadError {
    pub path: PathBuf,
    pub problem: ReadProblem,
}

#[derive(Debug)]
pub enum ReadProblem {
    Io(std::io::Error),
    /// Not the JSON this version writes (edited, or cut short).
    Json(serde_json::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.problem {
            ReadProblem::Io(e) => write!(f, "cannot read {}: {e}", self.path.display()),
            ReadProblem::Json(e) => write!(f, "{}: {e}", self.path.display()),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads a revision folder's manifest, figures and findings.
pub fn read_revision(dir: &Path) -> Result<RevisionRecord, ReadError> {
    fn read<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<T, ReadError> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| ReadError {
            path: path.clone(),
            problem: ReadProblem::Io(e),
        })?;
        serde_json::from_str(&text).map_err(|e| ReadError {
            path,
            problem: ReadProblem::Json(e),
        })
    }
    let manifest: Manifest = read(dir, "manifest.json")?;
    let snapshot: Snapshot = read(dir, "figures.json")?;
    let findings: Vec<FindingRecord> = read(dir, "findings.json")?;
    Ok(RevisionRecord {
        revision: manifest.revision,
        manifest,
        snapshot,
        findings,
    })
}

/// Compares an earlier revision with a later state.
pub fn compare(
    old: &RevisionRecord,
    new_snapshot: &Snapshot,
    new_findings: &[FindingRecord],
    new_inputs: &[crate::publish::FileHash],
) -> Changes {
    let old_inputs: BTreeMap<&str, &str> = old
        .manifest
        .inputs
        .iter()
        .map(|i| (i.path.as_str(), i.sha256.as_str()))
        .collect();
    let new_paths: BTreeSet<&str> = new_inputs.iter().map(|i| i.path.as_str()).collect();
    let changed_files: BTreeSet<&str> = new_inputs
        .iter()
        .filter(|i| old_inputs.get(i.path.as_str()) != Some(&i.sha256.as_str()))
        .map(|i| i.path.as_str())
        .chain(
            old_inputs
                .keys()
                .copied()
                .filter(|p| !new_paths.contains(p)),
        )
        .collect();
    let old_figures: BTreeMap<&str, &FigureRecord> = old
        .snapshot
        .figures
        .iter()
        .map(|f| (f.key.as_str(), f))
        .collect();
    let new_figures: BTreeMap<&str, &FigureRecord> = new_snapshot
        .figures
        .iter()
        .map(|f| (f.key.as_str(), f))
        .collect();
    let mut figures = Vec::new();
    // Catalogue order of the new revision, then figures that disappeared.
    let keys = new_snapshot.figures.iter().map(|f| f.key.as_str()).chain(
        old.snapshot
            .figures
            .iter()
            .map(|f| f.key.as_str())
            .filter(|k| !new_figures.contains_key(k)),
    );
    for key in keys {
        let (before, after) = (old_figures.get(key), new_figures.get(key));
        let same = match (before, after) {
            (Some(b), Some(a)) => b.value == a.value && b.qualifier == a.qualifier,
            _ => false,
        };
        if same {
            continue;
        }
        let label = after
            .or(before)
            .map(|f| f.label.clone())
            .unwrap_or_default();
        let exact = |f: Option<&&FigureRecord>| {
            f.filter(|f| f.qualifier.is_empty() || f.qualifier == Qualifier::Exact.word())
                .and_then(|f| Amount::parse_decimal(&f.value))
        };
        let difference = match (exact(before), exact(after)) {
            (Some(b), Some(a)) => Some(format::signed(a.signed_difference(b))),
            _ => None,
        };
        let new_corrections: Vec<&String> = after
            .map(|a| {
                a.corrections
                    .iter()
                    .filter(|c| before.is_none_or(|b| !b.corrections.contains(c)))
                    .collect()
            })
            .unwrap_or_default();
        let files: Vec<&str> = after
            .or(before)
            .map(|f| {
                f.files
                    .iter()
                    .map(String::as_str)
                    .filter(|p| changed_files.contains(p))
                    .collect()
            })
            .unwrap_or_default();
        let cause = if !new_corrections.is_empty() {
            new_corrections
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        } else if !files.is_empty() {
            format!("changed input: {}", files.join(", "))
        } else if !changed_files.is_empty() {
            format!(
                "changed input: {}",
                changed_files.iter().copied().collect::<Vec<_>>().join(", ")
            )
        } else {
            "changed tool or templates".to_string()
        };
        figures.push(FigureChange {
            key: key.to_string(),
            label,
            old: before.map(|f| f.shown.clone()),
            new: after.map(|f| f.shown.clone()),
            difference,
            cause,
        });
    }
    let old_set: BTreeSet<_> = old.findings.iter().map(FindingRecord::identity).collect();
    let new_set: BTreeSet<_> = new_findings.iter().map(FindingRecord::identity).collect();
    let only_in = |records: &[FindingRecord], other: &BTreeSet<(&str, &str, &str)>| {
        records
            .iter()
            .filter(|r| !other.contains(&r.identity()))
            .cloned()
            .collect::<Vec<_>>()
    };
    let since_date = time::OffsetDateTime::from_unix_timestamp(old.manifest.timestamp)
        .map(|t| long_date(t.date()))
        .unwrap_or_default();
    Changes {
        since_revision: old.revision,
        since_date,
        figures,
        findings_appeared: only_in(new_findings, &old_set),
        findings_resolved: only_in(&old.findings, &new_set),
    }
}
