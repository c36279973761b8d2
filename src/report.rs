//! Reports at the edge: input errors and findings printed like a compiler,
//! or findings as JSON for machines. Whether a report is coloured is the
//! caller's choice ([`Style`]), made where it knows the stream.

use crate::check::{Code, Finding, Findings, Severity, difference_json, estimate_json, wording};
use crate::load::{InputError, LoadFailure};
use crate::model::{Estimate, Operation, SignedAmount};
use crate::source::{Location, Sources};
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self, Config, Styles, StylesWriter};
use serde::Serialize;
use std::collections::BTreeMap;

/// Plain text, or text with ANSI colours for a terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    #[default]
    Plain,
    Colour,
}

impl Style {
    /// The style for a stream: `NO_COLOR` (set and not empty) turns colour
    /// off, then `CLICOLOR_FORCE` (set and not `0`) turns it on, else colour
    /// only on a terminal (<https://no-color.org>, <https://bixense.com/clicolors/>).
    pub fn for_stream(is_terminal: bool) -> Style {
        let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if set("NO_COLOR").is_some() {
            return Style::Plain;
        }
        if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") || is_terminal {
            Style::Colour
        } else {
            Style::Plain
        }
    }

    /// The style for standard output.
    pub fn stdout() -> Style {
        use std::io::IsTerminal;
        Style::for_stream(std::io::stdout().is_terminal())
    }

    /// The style for standard error.
    pub fn stderr() -> Style {
        use std::io::IsTerminal;
        Style::for_stream(std::io::stderr().is_terminal())
    }

    /// `text` in bold `colour` (an SGR code such as 31 for red), or as it is.
    pub fn paint(self, colour: u8, text: &str) -> String {
        match self {
            Style::Plain => text.to_string(),
            Style::Colour => format!("\x1b[1;{colour}m{text}\x1b[0m"),
        }
    }
}

/// One diagnostic as text in `style`.
fn render(
    files: &SimpleFiles<String, &str>,
    diagnostic: &Diagnostic<usize>,
    style: Style,
) -> Result<String, codespan_reporting::files::Error> {
    let config = Config::default();
    match style {
        Style::Plain => term::emit_into_string(&config, files, diagnostic),
        Style::Colour => {
            let styles = Styles::default();
            let mut buffer = Buffer::ansi();
            term::emit_to_write_style(
                &mut StylesWriter::new(&mut buffer, &styles),
                &config,
                files,
                diagnostic,
            )?;
            // The renderer leaves the last colour set only when it failed
            // half-way; reset so the terminal is never left coloured.
            let _ = buffer.reset();
            Ok(String::from_utf8_lossy(buffer.as_slice()).into_owned())
        }
    }
}

fn files(sources: &Sources) -> SimpleFiles<String, &str> {
    let mut files = SimpleFiles::new();
    for file in sources.iter() {
        files.add(file.path.display().to_string(), file.text.as_str());
    }
    files
}

/// Source lines longer than this are not quoted (a one-line 1 MiB file
/// would flood the terminal); the message still names file:line:column.
const MAX_QUOTED_LINE: usize = 400;

/// Whether a label points into a line too long to quote.
fn quotes_long_line(sources: &Sources, label: &Label<usize>) -> bool {
    let Some(file) = sources.get(label.file_id) else {
        return false;
    };
    let text = &file.text;
    let at = label.range.start.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    end - start > MAX_QUOTED_LINE || label.range.len() > MAX_QUOTED_LINE
}

/// Renders diagnostics; falls back to one line each if a span is off or a
/// quoted line would be too long.
fn emit(
    sources: &Sources,
    diagnostics: impl Iterator<Item = (Diagnostic<usize>, String)>,
    style: Style,
) -> String {
    let files = files(sources);
    diagnostics
        .map(|(diagnostic, fallback)| {
            if diagnostic
                .labels
                .iter()
                .any(|l| quotes_long_line(sources, l))
            {
                return format!("{fallback}\n");
            }
            render(&files, &diagnostic, style).unwrap_or_else(|_| format!("{fallback}\n"))
        })
        .collect()
}

pub fn input_errors(failure: &LoadFailure, style: Style) -> String {
    let mut out = emit(
        &failure.sources,
        failure
            .errors
            .iter()
            .map(|e| (input_error(e), input_fallback(&failure.sources, e))),
        style,
    );
    let n = failure.errors.len();
    out.push_str(&format!(
        "error: the operation could not be read ({n} problem{})\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// `file:line:column` with the file as read (the operation folder as
/// typed), for the terminal; outputs use [`Location`]'s relative name.
pub fn at(sources: &Sources, location: &Location) -> String {
    match sources.get(location.source) {
        Some(file) => format!(
            "{}:{}:{}",
            file.path.display(),
            location.line,
            location.column
        ),
        None => location.to_string(),
    }
}

/// The one-line form of an input error, when it cannot be quoted.
fn input_fallback(sources: &Sources, error: &InputError) -> String {
    let mut line = String::from("error: ");
    if let Some(location) = &error.location {
        line.push_str(&at(sources, location));
        line.push_str(": ");
    }
    line.push_str(&error.message);
    if let Some(key) = &error.key {
        line.push_str(&format!(" (key `{key}`)"));
    }
    if let Some(help) = &error.help {
        line.push_str(&format!("; {help}"));
    }
    line
}

fn input_error(error: &InputError) -> Diagnostic<usize> {
    let mut message = error.message.clone();
    if let Some(key) = &error.key {
        message.push_str(&format!(" [key `{key}`]"));
    }
    let mut diagnostic = Diagnostic::error().with_message(message);
    if let Some(location) = &error.location {
        let label = Label::primary(location.source, location.span.clone());
        diagnostic = diagnostic.with_labels(vec![match &error.key {
            Some(key) => label.with_message(key.clone()),
            None => label,
        }]);
    }
    if let Some(help) = &error.help {
        diagnostic = diagnostic.with_notes(vec![format!("help: {help}")]);
    }
    diagnostic
}

/// Every finding like a compiler, then the summary line (and, when there
/// are many, their number by code).
pub fn findings(op: &Operation, findings: &Findings, style: Style) -> String {
    let mut out = diagnostics(op, findings.iter(), style);
    out.push_str(&format!("{}\n", findings.summary()));
    if findings.0.len() > MANY {
        out.push_str(&by_code(findings.iter()));
    }
    out
}

/// Beyond this many findings, a count per code follows the list.
pub const MANY: usize = 10;

/// "  18 × warning[missing-day]", one line per code, most frequent first.
pub fn by_code<'a>(findings: impl Iterator<Item = &'a Finding>) -> String {
    let mut counts: BTreeMap<(Severity, Code), usize> = BTreeMap::new();
    for f in findings {
        *counts.entry((f.severity, f.code)).or_default() += 1;
    }
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort_by_key(|a| (a.0.0, std::cmp::Reverse(a.1)));
    counts
        .into_iter()
        .map(|((severity, code), n)| format!("  {n:>5} × {}[{}]\n", severity.key(), code.key()))
        .collect()
}

/// The given findings like a compiler (file:line, the source line, a caret).
pub fn diagnostics<'a>(
    op: &Operation,
    findings: impl Iterator<Item = &'a Finding>,
    style: Style,
) -> String {
    emit(
        &op.sources,
        findings.map(|f| {
            let message = wording::message(op, f);
            let fallback = match f.locations.first().map(|l| at(&op.sources, l)) {
                Some(at) => format!(
                    "{}[{}]: {message}\n  --> {at}",
                    f.severity.key(),
                    f.code.key(),
                ),
                None => format!("{}[{}]: {message}", f.severity.key(), f.code.key()),
            };
            (finding(f, message), fallback)
        }),
        style,
    )
}

/// Places of one finding drawn in the terminal report.
const PLACES_SHOWN: usize = 4;

fn finding(finding: &Finding, message: String) -> Diagnostic<usize> {
    let diagnostic = match finding.severity {
        Severity::Error => Diagnostic::error(),
        Severity::Warning => Diagnostic::warning(),
        Severity::Info => Diagnostic::note(),
    };
    // A sum over 50 000 returns has 50 000 places: the terminal shows the
    // first few, findings.json lists them all.
    let labels = finding
        .locations
        .iter()
        .take(PLACES_SHOWN)
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                Label::primary(l.source, l.span.clone()).with_message("stated here")
            } else {
                Label::secondary(l.source, l.span.clone())
            }
        })
        .collect();
    let mut notes = Vec::new();
    let values: Vec<String> = [
        finding.stated.map(|s| format!("stated {}", s.interval)),
        finding.computed.map(|c| format!("computed {}", c.interval)),
        finding.difference.map(|d| format!("difference {d}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !values.is_empty() {
        notes.push(values.join(", "));
    }
    let more = finding.locations.len().saturating_sub(PLACES_SHOWN);
    if more > 0 {
        notes.push(format!(
            "and {} more place{} (`--format json` and findings.json list every one)",
            crate::format::grouped(crate::model::Amount::from_units(more as u64)),
            if more == 1 { "" } else { "s" }
        ));
    }
    diagnostic
        .with_code(finding.code.key())
        .with_message(message)
        .with_labels(labels)
        .with_notes(notes)
}

/// A finding for machines: its identity, its words, and its values as
/// numbers with their unit.
#[derive(Serialize)]
struct FindingJson<'a> {
    code: Code,
    severity: Severity,
    message: String,
    metric: Option<&'a str>,
    /// Stable words for what the finding is about, the same in every revision.
    subject: String,
    participants: Vec<&'a str>,
    unit: Option<String>,
    #[serde(serialize_with = "estimate_json")]
    stated: Option<Estimate>,
    #[serde(serialize_with = "estimate_json")]
    computed: Option<Estimate>,
    #[serde(serialize_with = "difference_json")]
    difference: Option<SignedAmount>,
    /// The days a `missing-day` finding names.
    #[serde(skip_serializing_if = "Option::is_none")]
    days: Option<Vec<String>>,
    locations: &'a [Location],
}

pub fn findings_json(op: &Operation, findings: &Findings) -> String {
    let records: Vec<FindingJson> = findings
        .iter()
        .map(|f| FindingJson {
            code: f.code,
            severity: f.severity,
            message: wording::message(op, f),
            metric: f.metric(op).map(|id| op.catalogue.get(id).key.as_str()),
            subject: wording::subject(op, f),
            participants: f
                .participants(op)
                .into_iter()
                .map(|id| op.participant(id).name.as_str())
                .collect(),
            unit: f.unit(op).map(|u| u.key().to_string()),
            stated: f.stated,
            computed: f.computed,
            difference: f.difference,
            days: match &f.subject {
                crate::check::Subject::MissingDays { days, .. } => {
                    Some(days.iter().map(ToString::to_string).collect())
                }
                _ => None,
            },
            locations: &f.locations,
        })
        .collect();
    envelope("findings", &records)
}

/// The version of every JSON document opbrief writes for machines.
pub const SCHEMA_VERSION: u32 = 1;

/// `{ "schema_version": 1, "<name>": … }`: the one shape of every
/// command's machine output (check and findings.json: `findings`; diff:
/// `changes`; proof: `verdicts`).
pub fn envelope<T: Serialize>(name: &str, content: &T) -> String {
    let mut document = serde_json::Map::new();
    document.insert("schema_version".into(), SCHEMA_VERSION.into());
    // Serialising plain data cannot fail; keep a valid document regardless.
    document.insert(
        name.into(),
        serde_json::to_value(content).unwrap_or(serde_json::Value::Null),
    );
    serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".into())
}
