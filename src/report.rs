//! Reports at the edge: input errors and findings printed like a compiler,
//! or findings as JSON for machines.

use crate::check::{Finding, Findings, Severity};
use crate::load::{InputError, LoadFailure};
use crate::source::Sources;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};

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
) -> String {
    let files = files(sources);
    let config = Config::default();
    diagnostics
        .map(|(diagnostic, fallback)| {
            if diagnostic
                .labels
                .iter()
                .any(|l| quotes_long_line(sources, l))
            {
                return format!("{fallback}\n");
            }
            term::emit_into_string(&config, &files, &diagnostic)
                .unwrap_or_else(|_| format!("{fallback}\n"))
        })
        .collect()
}

pub fn input_errors(failure: &LoadFailure) -> String {
    let mut out = emit(
        &failure.sources,
        failure
            .errors
            .iter()
            .map(|e| (input_error(e), format!("error: {e}"))),
    );
    let n = failure.errors.len();
    out.push_str(&format!(
        "error: the operation could not be read ({n} problem{})\n",
        if n == 1 { "" } else { "s" }
    ));
    out
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

pub fn findings(findings: &Findings, sources: &Sources) -> String {
    let mut out = emit(
        sources,
        findings.iter().map(|f| {
            (
                finding(f),
                match f.locations.first() {
                    Some(at) => format!(
                        "{}[{}]: {}\n  --> {at}",
                        f.severity.key(),
                        f.code.key(),
                        f.message
                    ),
                    None => format!("{}[{}]: {}", f.severity.key(), f.code.key(), f.message),
                },
            )
        }),
    );
    out.push_str(&format!("{}\n", findings.summary()));
    out
}

fn finding(finding: &Finding) -> Diagnostic<usize> {
    let diagnostic = match finding.severity {
        Severity::Error => Diagnostic::error(),
        Severity::Warning => Diagnostic::warning(),
        Severity::Info => Diagnostic::note(),
    };
    let labels = finding
        .locations
        .iter()
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
    diagnostic
        .with_code(finding.code.key())
        .with_message(finding.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

pub fn findings_json(findings: &Findings) -> String {
    // Serialising plain data cannot fail; keep a valid document regardless.
    serde_json::to_string_pretty(findings).unwrap_or_else(|_| "[]".into())
}
