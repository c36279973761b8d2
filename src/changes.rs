//! What changed between two revisions: figures (old, new, difference, cause)
//! and findings that appeared or were resolved.
//!
//! Each revision stores `figures.json` (a [`Snapshot`]) beside
//! `findings.json` and `manifest.json`, so any two revisions can be compared
//! from their folders alone, by `build` and by `opbrief diff`.

use crate::aggregate::Totals;
use crate::check::{Findings, wording};
use crate::format;
use crate::model::{Amount, Operation, Reporter, SignedAmount};
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
    #[serde(flatten)]
    pub value: RecordedValue,
    /// The metric's unit key ("count", "kg", "EUR").
    #[serde(default)]
    pub unit: String,
    /// Files (relative to the operation folder) the figure was read from.
    pub files: Vec<String>,
    /// The corrections in force on the figure or its parts.
    pub corrections: Vec<CorrectionRecord>,
    /// What each return file adds to the published value (nominal, in the
    /// unit), when the value is their sum: how a difference is shared out
    /// among its causes. Empty in revisions written before shares existed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_file: BTreeMap<String, RecordedAmount>,
}

/// An amount in figures.json, as a JSON number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordedAmount(#[serde(with = "json_amount")] pub Amount);

/// A published value: the nominal number and its qualifier, and how it
/// was printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedValue {
    /// In the metric's unit, as a JSON number.
    #[serde(with = "json_amount")]
    pub value: Amount,
    /// "" for an exact figure, else the qualifier's words ("almost").
    pub qualifier: String,
    /// As printed: "566", "almost 1 t".
    pub shown: String,
}

impl RecordedValue {
    /// The value, when it is exact (no qualifier).
    pub fn exact(&self) -> Option<Amount> {
        self.qualifier.is_empty().then_some(self.value)
    }
}

/// A correction as a revision records it: its id names it across
/// revisions; the description is for display.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CorrectionRecord {
    pub id: String,
    pub description: String,
    /// The return file whose figure it sets; empty in older revisions.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub applies_to: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub figures: Vec<FigureRecord>,
}

/// Amounts as JSON numbers (whole ones as integers); read back from a
/// number or, as revisions before this format wrote them, a decimal string.
mod json_amount {
    use crate::model::Amount;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(amount: &Amount, s: S) -> Result<S::Ok, S::Error> {
        if amount.is_whole() {
            s.serialize_u64(amount.whole_units())
        } else {
            s.serialize_f64(amount.to_f64())
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Whole(u64),
        Decimal(f64),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        let text = match Written::deserialize(d)? {
            Written::Whole(n) => return Ok(Amount::from_units(n)),
            // The shortest decimal that reads back as the same double: the
            // decimal written, for the six places a figure may have.
            Written::Decimal(x) => format!("{x}"),
            Written::Text(text) => text,
        };
        Amount::parse_decimal(&text)
            .ok_or_else(|| D::Error::custom(format!("not a figure: {text}")))
    }
}

/// Signed differences as JSON numbers.
mod json_signed {
    use crate::model::{Amount, SignedAmount};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<SignedAmount>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(d) => match i64::try_from(d.abs().whole_units()) {
                Ok(whole) if d.abs().is_whole() => {
                    s.serialize_i64(if d.is_negative() { -whole } else { whole })
                }
                _ => s.serialize_f64(d.to_f64()),
            },
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Whole(i64),
        Decimal(f64),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SignedAmount>, D::Error> {
        let (negative, magnitude) = match Option::<Written>::deserialize(d)? {
            None => return Ok(None),
            Some(Written::Whole(n)) => (n < 0, Some(Amount::from_units(n.unsigned_abs()))),
            Some(Written::Decimal(x)) => (x < 0.0, Amount::parse_decimal(&format!("{}", x.abs()))),
        };
        let magnitude = magnitude.unwrap_or(Amount::MAX);
        Ok(Some(if negative {
            Amount::ZERO.signed_difference(magnitude)
        } else {
            magnitude.signed_difference(Amount::ZERO)
        }))
    }
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

/// A figure that changed between two revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureChange {
    pub key: String,
    pub label: String,
    pub unit: String,
    /// `None` when the figure did not exist on that side.
    pub old: Option<RecordedValue>,
    pub new: Option<RecordedValue>,
    /// New minus old, when both are exact.
    #[serde(with = "json_signed")]
    pub difference: Option<SignedAmount>,
    /// What made it change, as data: a workbook decides by ids what it may
    /// name; each cause with its share of the difference where known.
    pub causes: Vec<Attributed>,
}

/// A cause with the part of the difference it made (nominal, new minus
/// old), when that can be told apart from the others'.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attributed {
    #[serde(flatten)]
    pub cause: Cause,
    #[serde(default, with = "json_signed", skip_serializing_if = "Option::is_none")]
    pub share: Option<SignedAmount>,
}

impl From<Cause> for Attributed {
    fn from(cause: Cause) -> Attributed {
        Attributed { cause, share: None }
    }
}

/// What made a figure change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Cause {
    /// A correction new since the earlier revision, by its id.
    Correction {
        id: String,
        description: String,
    },
    /// An input file (relative to the operation folder) the figure was read
    /// from, or any input when none of its own changed.
    InputAdded {
        file: String,
    },
    InputChanged {
        file: String,
    },
    InputRemoved {
        file: String,
    },
    /// Same inputs: the tool or its templates changed.
    ToolOrTemplates,
}

impl Cause {
    /// The words before a file, by its folder: "new return: …", "changed
    /// corrections file: …", "removed input: …"; `None` for other causes.
    fn file(&self) -> Option<(&'static str, &str)> {
        let (how, file) = match self {
            Cause::InputAdded { file } => (0, file),
            Cause::InputChanged { file } => (1, file),
            Cause::InputRemoved { file } => (2, file),
            _ => return None,
        };
        let words = if file.starts_with("returns/") {
            ["new return", "changed return", "removed return"]
        } else if file.starts_with("corrections/") {
            [
                "new corrections file",
                "changed corrections file",
                "removed corrections file",
            ]
        } else {
            ["new input", "changed input", "removed input"]
        };
        Some((words[how], file))
    }
}

/// A share in words: " (+4)", or nothing when unknown.
fn share_words(share: Option<SignedAmount>) -> String {
    share
        .map(|s| format!(" ({})", format::signed(s)))
        .unwrap_or_default()
}

/// Causes in words, each with its share of the difference where known:
/// corrections by their descriptions, files grouped by how they changed
/// ("new return: a.toml (+6), b.toml (+2)"), joined by "; ".
pub fn causes_text(causes: &[&Attributed]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut files: Vec<(&str, Vec<String>)> = Vec::new();
    for attributed in causes {
        let share = share_words(attributed.share);
        let cause = &attributed.cause;
        match (cause, cause.file()) {
            (_, Some((how, file))) => {
                let file = format!("{file}{share}");
                match files.iter_mut().find(|(h, _)| *h == how) {
                    Some((_, list)) => list.push(file),
                    None => files.push((how, vec![file])),
                }
            }
            (Cause::Correction { description, .. }, None) => {
                parts.push(format!("{description}{share}"))
            }
            (_, None) => parts.push(format!("changed tool or templates{share}")),
        }
    }
    parts.extend(
        files
            .into_iter()
            .map(|(how, list)| format!("{how}: {}", list.join(", "))),
    );
    parts.join("; ")
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
        let shown =
            |v: &Option<RecordedValue>| v.as_ref().map_or("—", |v| v.shown.as_str()).to_string();
        for change in &self.figures {
            let difference = change
                .difference
                .map(|d| format!(" ({})", format::signed(d)))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {}: {} → {}{difference} — {}\n",
                change.label,
                shown(&change.old),
                shown(&change.new),
                causes_text(&change.causes.iter().collect::<Vec<_>>())
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
    let mut contributions = contributions(op, totals);
    for id in op.catalogue.tree_order() {
        let metric = op.catalogue.get(id);
        let Some(value) = &totals.metric(id).value else {
            continue;
        };
        let files: BTreeSet<&str> = value
            .places
            .iter()
            .map(|&p| op.sources.file_of(p))
            .collect();
        let corrections = op
            .corrections
            .iter()
            .filter(|c| matches!(c.outcome, crate::model::CorrectionOutcome::Applied { .. }))
            .filter(|c| c.metric == id || op.catalogue.is_within(c.metric, id))
            .map(describe_correction(op))
            .collect();
        // A part's label alone ("Other crimes") is ambiguous in a list of changes.
        let label = match metric.parent {
            Some(parent) => format!("{} – {}", op.catalogue.get(parent).label, metric.label),
            None => metric.label.clone(),
        };
        let by_file = std::mem::take(&mut contributions[id.0]);
        figures.push(FigureRecord {
            key: metric.key.clone(),
            label,
            value: RecordedValue {
                value: value.nominal.amount,
                qualifier: value.nominal.qualifier.word().to_string(),
                shown: figure(metric, value.shown),
            },
            unit: metric.unit.key().to_string(),
            files: files.into_iter().map(str::to_string).collect(),
            corrections,
            by_file,
        });
    }
    Snapshot { figures }
}

/// Each return file's nominal part of each published value (by metric):
/// the returns of the coordination for a consolidated figure, the
/// participants' for a sum. One pass over the returns for every metric.
fn contributions(op: &Operation, totals: &Totals) -> Vec<BTreeMap<String, RecordedAmount>> {
    let mut by_metric: Vec<BTreeMap<String, RecordedAmount>> =
        vec![BTreeMap::new(); op.catalogue.len()];
    for (at, ret) in op.returns.iter().enumerate() {
        let consolidated = ret.reporter == Reporter::Coordination;
        for (id, value) in totals.return_values(op, at) {
            let Some(published) = &totals.metric(id).value else {
                continue;
            };
            if consolidated != (published.origin == crate::aggregate::Origin::Consolidated) {
                continue;
            }
            let by_file = &mut by_metric[id.0];
            let file = &*ret.reporter_location.file;
            let entry = match by_file.get_mut(file) {
                Some(entry) => entry,
                None => by_file
                    .entry(file.to_string())
                    .or_insert(RecordedAmount(Amount::ZERO)),
            };
            // Saturating: the totals were summed with checks already.
            entry.0 = entry
                .0
                .checked_add(value.nominal.amount)
                .unwrap_or(Amount::MAX);
        }
    }
    by_metric
}

fn describe_correction(
    op: &Operation,
) -> impl Fn(&crate::model::Correction) -> CorrectionRecord + '_ {
    move |c| CorrectionRecord {
        id: c.id.clone(),
        applies_to: op
            .returns
            .iter()
            .find(|r| r.reporter == c.reporter && r.day == c.day)
            .map(|r| r.reporter_location.file.to_string())
            .unwrap_or_default(),
        description: format!(
            "{}, requested by {}: {}",
            correction_summary(op, c),
            c.requested_by,
            c.reason
        ),
    }
}

/// "correction of Other crimes (89 → 93) dated 30 November 2023".
pub fn correction_summary(op: &Operation, c: &crate::model::Correction) -> String {
    let metric = op.catalogue.get(c.metric);
    format!(
        "correction of {} ({} → {}) dated {}",
        metric.label,
        format::replaced(c.from, metric.unit),
        format::quantity(c.to, metric.unit),
        long_date(c.date)
    )
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

/// findings.json: the envelope, or the bare list revisions wrote before it.
#[derive(Deserialize)]
#[serde(untagged)]
enum FindingsFile {
    Envelope { findings: Vec<FindingRecord> },
    List(Vec<FindingRecord>),
}

impl FindingsFile {
    fn into_records(self) -> Vec<FindingRecord> {
        match self {
            FindingsFile::Envelope { findings } | FindingsFile::List(findings) => findings,
        }
    }
}

/// Reads a revision folder's manifest, figures and findings.
pub fn read_revision(dir: &Path) -> Result<RevisionRecord, ReadError> {
    fn read<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<T, ReadError> {
        let path = dir.join(name);
        let text = crate::publish::regular_or_absent(&path)
            .and_then(|()| std::fs::read_to_string(&path))
            .map_err(|e| ReadError {
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
    let findings = read::<FindingsFile>(dir, "findings.json")?.into_records();
    Ok(RevisionRecord {
        revision: manifest.revision,
        manifest,
        snapshot,
        findings,
    })
}

/// Each cause's share of a figure's difference, from what each return
/// file added to it before and after: a changed, new or removed file's
/// share is its own change; a new correction's is the change of the return
/// it corrects, when that return did not change too and no other new
/// correction touched it. A file that changed without moving this figure
/// is no cause of it. Revisions without `by_file` give no shares.
fn attribute(
    causes: Vec<Cause>,
    before: Option<&FigureRecord>,
    after: Option<&FigureRecord>,
    changed_files: &BTreeMap<&str, Cause>,
) -> Vec<Attributed> {
    let known = [before, after]
        .into_iter()
        .flatten()
        .all(|f| !f.by_file.is_empty());
    if !known {
        return causes.into_iter().map(Attributed::from).collect();
    }
    let empty = BTreeMap::new();
    let old = before.map_or(&empty, |b| &b.by_file);
    let new = after.map_or(&empty, |a| &a.by_file);
    let delta = |file: &str| -> Option<SignedAmount> {
        let (o, n) = (old.get(file), new.get(file));
        if o.is_none() && n.is_none() {
            return None;
        }
        let amount = |v: Option<&RecordedAmount>| v.map_or(Amount::ZERO, |v| v.0);
        Some(amount(n).signed_difference(amount(o)))
    };
    let target = |id: &str| {
        after
            .into_iter()
            .flat_map(|a| &a.corrections)
            .find(|c| c.id == id)
            .map(|c| c.applies_to.as_str())
            .filter(|file| !file.is_empty())
    };
    let corrections_on = |file: &str| {
        causes
            .iter()
            .filter(|c| matches!(c, Cause::Correction { id, .. } if target(id) == Some(file)))
            .count()
    };
    let mut attributed: Vec<Attributed> = causes
        .iter()
        .map(|cause| {
            let share = match cause {
                Cause::InputAdded { file }
                | Cause::InputChanged { file }
                | Cause::InputRemoved { file } => delta(file),
                Cause::Correction { id, .. } => target(id)
                    .filter(|file| !changed_files.contains_key(file) && corrections_on(file) == 1)
                    .and_then(delta),
                Cause::ToolOrTemplates => None,
            };
            Attributed {
                cause: cause.clone(),
                share,
            }
        })
        .collect();
    let moved = |a: &Attributed| {
        !matches!(
            (&a.cause, a.share),
            (
                Cause::InputAdded { .. } | Cause::InputChanged { .. } | Cause::InputRemoved { .. },
                Some(share)
            ) if share.is_zero()
        )
    };
    if attributed.iter().any(moved) {
        attributed.retain(moved);
    }
    attributed
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
    let new_hashes: BTreeMap<&str, &str> = new_inputs
        .iter()
        .map(|i| (i.path.as_str(), i.sha256.as_str()))
        .collect();
    // Every input that differs, with how.
    let mut changed_files: BTreeMap<&str, Cause> = BTreeMap::new();
    for (&path, &hash) in &new_hashes {
        match old_inputs.get(path) {
            None => changed_files.insert(path, Cause::InputAdded { file: path.into() }),
            Some(&old) if old != hash => {
                changed_files.insert(path, Cause::InputChanged { file: path.into() })
            }
            Some(_) => None,
        };
    }
    for &path in old_inputs.keys() {
        if !new_hashes.contains_key(path) {
            changed_files.insert(path, Cause::InputRemoved { file: path.into() });
        }
    }
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
            (Some(b), Some(a)) => {
                b.value.value == a.value.value && b.value.qualifier == a.value.qualifier
            }
            _ => false,
        };
        if same {
            continue;
        }
        let record = after.or(before);
        let difference = match (
            before.and_then(|b| b.value.exact()),
            after.and_then(|a| a.value.exact()),
        ) {
            (Some(b), Some(a)) => Some(a.signed_difference(b)),
            _ => None,
        };
        // New corrections first; a figure may change through a correction
        // and a new return at once, so its changed files are causes too.
        let mut causes: Vec<Cause> = after
            .map(|a| {
                a.corrections
                    .iter()
                    .filter(|c| before.is_none_or(|b| !b.corrections.iter().any(|o| o.id == c.id)))
                    .map(|c| Cause::Correction {
                        id: c.id.clone(),
                        description: c.description.clone(),
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let mut own_files: Vec<Cause> = [before, after]
            .into_iter()
            .flatten()
            .flat_map(|f| f.files.iter())
            .filter_map(|path| changed_files.get(path.as_str()).cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !causes.is_empty() {
            // The corrections file changed with its corrections: they say why.
            own_files.retain(|c| {
                !matches!(c, Cause::InputAdded { file } | Cause::InputChanged { file }
                    if file.starts_with("corrections/"))
            });
        }
        causes.extend(own_files);
        let mut causes = attribute(causes, before.copied(), after.copied(), &changed_files);
        if causes.is_empty() {
            causes = if changed_files.is_empty() {
                vec![Cause::ToolOrTemplates.into()]
            } else {
                changed_files
                    .values()
                    .cloned()
                    .map(Attributed::from)
                    .collect()
            };
        }
        figures.push(FigureChange {
            key: key.to_string(),
            label: record.map(|f| f.label.clone()).unwrap_or_default(),
            unit: record.map(|f| f.unit.clone()).unwrap_or_default(),
            old: before.map(|f| f.value.clone()),
            new: after.map(|f| f.value.clone()),
            difference,
            causes,
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
