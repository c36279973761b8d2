//! Proof: checking a written text's figures against the operation's.
//!
//! A stage after [`pipeline::check`]: the
//! operation is loaded, summed and checked as for `opbrief check`; then the
//! text is read ([`reading`]: numbers in EU and English conventions,
//! number words, qualifiers, scales, currencies and units, dates and
//! durations), each statement is matched to a figure and judged
//! ([`matching`]), and the verdicts are typed data, worded only when
//! printed ([`mod@print`]).

pub mod matching;
pub mod period;
pub mod print;
pub mod reading;

use crate::error::Error;
use crate::model::{Amount, MetricId, Operation, Qualifier, Unit};
use crate::narrate::escape_markdown;
use crate::pipeline::{self, Checked};
use crate::source::{SourceFile, Sources};
use serde::Serialize;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// What a verdict says; its kebab-case name is stable for scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The text states the figure as it is.
    Matches,
    /// A qualified statement that holds ("almost 290 000" for 288 774).
    Consistent,
    /// The text states something the figure contradicts.
    Mismatch,
    /// A figure named by its total's noun but narrowed to a part that has
    /// another figure ("215 arrests of drug traffickers" when drug
    /// trafficking accounts for 31).
    BreakdownMismatch,
    /// A rounded number without "almost", "more than" … ("4 100" for 4 117).
    RoundedWithoutQualifier,
    /// The figure is qualified ("almost 1 t") and the text states it as exact.
    QualifierDropped,
    /// A number that matches no figure: invented, stale, or not a figure.
    UnmatchedNumber,
    /// A date or a length of time far from the action days, or not said
    /// of the action: often about something else ("the first action in
    /// May 2024", "a four-year cycle"), so a warning, not a mismatch.
    OutsidePeriod,
    /// A number in the text's background section ("About Europol") that
    /// differs from the figure its words name: boilerplate, not checked.
    Background,
    /// A figure of the operation the text never states.
    UnmentionedFigure,
}

impl Code {
    pub const ALL: [Code; 10] = [
        Code::Matches,
        Code::Consistent,
        Code::Mismatch,
        Code::BreakdownMismatch,
        Code::RoundedWithoutQualifier,
        Code::QualifierDropped,
        Code::UnmatchedNumber,
        Code::OutsidePeriod,
        Code::Background,
        Code::UnmentionedFigure,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Code::Matches => "matches",
            Code::Consistent => "consistent",
            Code::Mismatch => "mismatch",
            Code::BreakdownMismatch => "breakdown-mismatch",
            Code::RoundedWithoutQualifier => "rounded-without-qualifier",
            Code::QualifierDropped => "qualifier-dropped",
            Code::UnmatchedNumber => "unmatched-number",
            Code::OutsidePeriod => "outside-period",
            Code::Background => "background",
            Code::UnmentionedFigure => "unmentioned-figure",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::Matches | Code::Consistent => Severity::Ok,
            Code::Mismatch | Code::BreakdownMismatch => Severity::Error,
            Code::RoundedWithoutQualifier
            | Code::QualifierDropped
            | Code::UnmatchedNumber
            | Code::OutsidePeriod
            | Code::Background => Severity::Warning,
            Code::UnmentionedFigure => Severity::Info,
        }
    }
}

/// How much a verdict matters: `ok` for a statement that holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Ok,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Ok => "ok",
        }
    }
}

/// What of the operation a statement was matched to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure {
    /// A metric's published figure (a total or a part).
    Metric(MetricId),
    /// What the parts of an exhaustive breakdown leave unattributed.
    Remainder(MetricId),
    /// The number of countries taking part.
    Countries,
    /// A country group's count, by index into [`Operation::participation`]'s groups.
    CountryGroup(usize),
    /// The members of another group (EU agencies, partners), by index into
    /// `Operation::groups`.
    Group(usize),
    /// The action days: dates and durations.
    Period,
    /// One country's own figure for a metric, summed over its returns
    /// (its regional units' too), by index into `Totals::by_country`: a
    /// national version's "Germany deployed 1 200 officers".
    Reported(usize, MetricId),
}

/// What the text states, as read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Statement {
    Quantity {
        qualifier: Qualifier,
        /// In `unit`, or in the figure's unit when none is written.
        amount: Amount,
        unit: Option<Unit>,
    },
    Date {
        day: Option<u8>,
        month: time::Month,
        year: Option<i32>,
    },
    Duration {
        qualifier: Qualifier,
        count: u64,
        unit: reading::TimeUnit,
    },
}

/// One verdict on the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub code: Code,
    /// The words of the text it is about (byte range), if any.
    pub span: Option<Range<usize>>,
    pub statement: Option<Statement>,
    pub figure: Option<Figure>,
    /// For a breakdown mismatch: the total whose noun the text used.
    pub narrowed: Option<MetricId>,
}

/// The text to proof-read: its name as given and its content.
#[derive(Clone, Debug)]
pub struct Text {
    pub path: PathBuf,
    pub content: String,
}

/// Texts larger than this are refused: a release is a few pages.
const MAX_TEXT: u64 = 4 * 1024 * 1024;

impl Text {
    /// Reads `path` (`-` for standard input): UTF-8, a leading BOM dropped.
    pub fn read(path: &Path) -> Result<Text, Error> {
        let unusable = |reason: String| Error::Usage(format!("{}: {reason}", path.display()));
        let mut bytes = Vec::new();
        let read = if path == Path::new("-") {
            std::io::stdin()
                .lock()
                .take(MAX_TEXT + 1)
                .read_to_end(&mut bytes)
        } else {
            std::fs::File::open(path).and_then(|f| f.take(MAX_TEXT + 1).read_to_end(&mut bytes))
        };
        read.map_err(|e| unusable(format!("cannot be read: {e}")))?;
        if bytes.len() as u64 > MAX_TEXT {
            return Err(unusable(format!(
                "is larger than {} MiB",
                MAX_TEXT / 1024 / 1024
            )));
        }
        let content = String::from_utf8(bytes).map_err(|e| {
            unusable(format!(
                "is not UTF-8 (at byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        let content = content
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(content);
        Ok(Text {
            path: if path == Path::new("-") {
                PathBuf::from("<stdin>")
            } else {
                path.to_path_buf()
            },
            content,
        })
    }
}

/// A text proof-read against an operation.
#[derive(Debug)]
pub struct Proof {
    pub checked: Checked,
    /// The operation's files and the text, for quoting.
    pub sources: Sources,
    /// The text's index in `sources`.
    pub text: usize,
    /// In text order; unmentioned figures last, in catalogue order.
    pub verdicts: Vec<Verdict>,
}

impl Proof {
    pub fn has_errors(&self) -> bool {
        self.verdicts
            .iter()
            .any(|v| v.code.severity() == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.verdicts
            .iter()
            .filter(|v| v.code.severity() == severity)
            .count()
    }
}

/// Load, check and proof-read: the library stage behind `opbrief proof`.
pub fn run(operation: &Path, text: Text) -> Result<Proof, Error> {
    let checked = pipeline::check(operation)?;
    Ok(proof(checked, text))
}

/// Proof-reads `text` against an operation already checked.
pub fn proof(checked: Checked, text: Text) -> Proof {
    let masks = operation_spans(&checked.op, &text.content);
    let reading = reading::read(&text.content, &masks);
    let figures = matching::Figures::new(&checked.op, &checked.totals);
    let mut verdicts = matching::verdicts(&figures, &reading);
    let background = background_spans(&text.content);
    for verdict in &mut verdicts {
        let in_background = verdict
            .span
            .as_ref()
            .is_some_and(|span| background.iter().any(|b| b.contains(&span.start)));
        if in_background && verdict.code.severity() == Severity::Error {
            verdict.code = Code::Background;
        }
    }
    verdicts.sort_by_key(|v| v.span.as_ref().map_or(usize::MAX, |s| s.start));
    let unmentioned = matching::unmentioned(&figures, &verdicts);
    verdicts.extend(unmentioned);
    let mut sources = checked.op.sources.clone();
    let text = sources.add(SourceFile::new(text.path, text.content));
    Proof {
        checked,
        sources,
        text,
        verdicts,
    }
}

/// The text's background sections: from a line that opens one ("About
/// Europol", "## About the WCO", "**Notes to editors**", "About INTERPOL:
/// …") to the next heading or the end. Their numbers describe the
/// agencies, not the operation.
fn background_spans(text: &str) -> Vec<Range<usize>> {
    const OPENERS: [&str; 7] = [
        "About ",
        "Background",
        "Notes to editors",
        "Note to editors",
        "Notes for editors",
        "Previous editions",
        "Earlier editions",
    ];
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut open: Option<usize> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim().trim_start_matches('#').trim_matches('*').trim();
        let heading = line.trim_start().starts_with('#')
            || (line.trim().starts_with("**") && line.trim().ends_with("**"));
        let opener = OPENERS.iter().any(|o| bare.starts_with(o))
            && (heading || bare.len() <= 80 || bare[..bare.len().min(60)].contains(':'));
        if opener {
            open.get_or_insert(at);
        } else if heading && let Some(start) = open.take() {
            spans.push(start..at);
        }
        at += line.len();
    }
    if let Some(start) = open {
        spans.push(start..text.len());
    }
    spans
}

/// Where the text quotes the operation itself (its name, description,
/// participants, footnotes, activities): numbers there are names, not
/// figures ("30 Days at Sea 2.0", "UNSCR 1244/1999").
fn operation_spans(op: &Operation, text: &str) -> Vec<Range<usize>> {
    let mut quoted: Vec<String> = vec![op.name.clone(), op.short_name.clone()];
    quoted.extend(
        [
            &op.description,
            &op.region,
            &op.coordinator,
            &op.coordination_centre,
        ]
        .into_iter()
        .flatten()
        .cloned(),
    );
    for (index, participant) in op.participants.iter().enumerate() {
        quoted.push(participant.name.clone());
        quoted.push(op.marked_name(crate::model::ParticipantId(index)));
    }
    for note in &op.footnotes {
        quoted.push(note.text.clone());
        quoted.push(format!("{}{}", note.marker, note.text));
    }
    for activity in &op.activities {
        quoted.push(activity.label.clone());
        quoted.push(activity.description.clone());
    }
    // Only what holds a number can be mistaken for a figure; masking more
    // (a participant called "EU") would hide the words figures are named by.
    let holds_number = |s: &str| {
        reading::read(s, &[]).tokens.iter().any(|t| match &t.kind {
            reading::TokenKind::Number(_) | reading::TokenKind::Skip => true,
            reading::TokenKind::Word { lower, .. } => {
                reading::number_word(lower).is_some()
                    || lower.split('-').any(|p| reading::number_word(p).is_some())
            }
            _ => false,
        })
    };
    let mut spans = Vec::new();
    for s in quoted
        .iter()
        .filter(|s| s.trim().len() >= 2 && holds_number(s))
    {
        for form in [s.clone(), escape_markdown(s)] {
            spans.extend(
                text.match_indices(form.as_str())
                    .map(|(at, m)| at..at + m.len()),
            );
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let keys: std::collections::HashSet<&str> = Code::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys.len(), Code::ALL.len());
        for code in Code::ALL {
            assert_eq!(
                serde_json::to_value(code).ok(),
                Some(serde_json::Value::String(code.key().into()))
            );
        }
    }
}
