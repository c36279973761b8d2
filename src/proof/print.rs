//! Verdicts at the edge: worded, printed like a compiler, or as JSON.

use super::{Code, Figure, Proof, Severity, Statement, Verdict};
use crate::format;
use crate::model::{Operation, Qualifier};
use crate::narrate::view;
use crate::source::Location;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};
use serde::Serialize;
use serde_json::json;

/// Quoted text lines longer than this are not printed (a text of one
/// line would flood the terminal), nor lines with control or bidirectional
/// characters; the message still names line:column.
const MAX_QUOTED_LINE: usize = 2000;

/// The figure in words: "Arrests: 566", "countries: 26", "the action days,
/// 13–18 November 2023 (6 days)".
pub fn figure_words(proof: &Proof, figure: Figure) -> String {
    let op = &proof.checked.op;
    let totals = &proof.checked.totals;
    match figure {
        Figure::Metric(id) => {
            let metric = op.catalogue.get(id);
            let shown = totals
                .metric(id)
                .value
                .as_ref()
                .map(|v| view::figure(metric, v.shown))
                .unwrap_or_default();
            format!("{}: {shown}", full_label(op, id))
        }
        Figure::Remainder(id) => {
            let metric = op.catalogue.get(id);
            let amount = view::unattributed(op, totals, id)
                .map(|a| format::with_unit(a, metric.unit))
                .unwrap_or_default();
            let remainder = view::metric(op, totals, id).remainder;
            format!("{} {remainder}: {amount}", metric.label)
        }
        Figure::Countries => {
            let participation = op.participation();
            format!(
                "{}: {}",
                participation.noun,
                participation.countries.unwrap_or(0)
            )
        }
        Figure::CountryGroup(index) => op
            .participation()
            .groups
            .get(index)
            .map_or_else(String::new, |g| format!("{}: {}", g.label, g.count)),
        Figure::Group(index) => op
            .groups
            .get(index)
            .map_or_else(String::new, |g| format!("{}: {}", g.label, g.members.len())),
        Figure::Reported(index, id) => {
            let metric = op.catalogue.get(id);
            let shown = totals
                .by_country
                .get(index)
                .and_then(|c| c.values.get(id.0).copied().flatten())
                .map(|v| view::figure(metric, v.shown()))
                .unwrap_or_default();
            let who = totals
                .by_country
                .get(index)
                .map(|c| reporter_name(op, c.who))
                .unwrap_or_default();
            format!("{who}'s returns, {}: {shown}", full_label(op, id))
        }
        Figure::Period => {
            let days = (op.end - op.start).whole_days() + 1;
            format!(
                "the action days, {} ({days} day{})",
                view::period(op.start, op.end, "–"),
                if days == 1 { "" } else { "s" }
            )
        }
    }
}

/// Whom a rolled-up row of the totals speaks for, by name.
pub fn reporter_name(op: &Operation, who: crate::aggregate::RollUp) -> String {
    match who {
        crate::aggregate::RollUp::Participant(id) => op.participant(id).name.clone(),
        crate::aggregate::RollUp::Country(country) => country.name.to_string(),
    }
}

/// "Arrests", or "Arrests › Drug trafficking" for a part.
fn full_label(op: &Operation, id: crate::model::MetricId) -> String {
    let metric = op.catalogue.get(id);
    match metric.parent {
        Some(parent) => format!("{} › {}", full_label(op, parent), metric.label),
        None => metric.label.clone(),
    }
}

/// Where the figure was written: the return (or correction) that states
/// it, the operation's claim, the group, operation.toml for the period.
pub fn figure_location(proof: &Proof, figure: Figure) -> Location {
    let op = &proof.checked.op;
    let of_metric = |id| {
        proof
            .checked
            .totals
            .metric(id)
            .value
            .as_ref()
            .and_then(|v| v.places.first().map(|&p| op.sources.at(p)))
            .unwrap_or_else(|| op.catalogue.get(id).location.clone())
    };
    match figure {
        Figure::Metric(id) | Figure::Remainder(id) => of_metric(id),
        // The country's first return that states the metric.
        Figure::Reported(index, id) => proof
            .checked
            .totals
            .by_country
            .get(index)
            .and_then(|c| {
                // The row's reporters: the participant, or those counted
                // under the same country.
                let country = |p| op.country_of(p).map(|k| k.alpha3);
                let speaks_for = |r: &crate::model::Return| match (r.reporter, c.who) {
                    (
                        crate::model::Reporter::Participant(p),
                        crate::aggregate::RollUp::Participant(q),
                    ) => p == q || (country(p).is_some() && country(p) == country(q)),
                    (
                        crate::model::Reporter::Participant(p),
                        crate::aggregate::RollUp::Country(k),
                    ) => country(p) == Some(k.alpha3),
                    _ => false,
                };
                op.returns
                    .iter()
                    .filter(|r| speaks_for(r))
                    .find_map(|r| r.figure(id).map(|f| op.sources.at(f.place)))
            })
            .unwrap_or_else(|| of_metric(id)),
        // Claimed, else where the countries are listed.
        Figure::Countries => op.countries_claimed.as_ref().map_or_else(
            || {
                op.groups
                    .iter()
                    .find(|g| g.kind.is_countries())
                    .map_or_else(|| op.location.clone(), |g| g.location.clone())
            },
            |(_, l)| l.clone(),
        ),
        Figure::CountryGroup(index) => {
            let participation = op.participation();
            let label = participation.groups.get(index).map(|g| g.label.as_str());
            op.groups
                .iter()
                .find(|g| Some(g.label.as_str()) == label)
                .map_or_else(
                    || op.location.clone(),
                    |g| {
                        g.count
                            .as_ref()
                            .map_or(g.location.clone(), |(_, l)| l.clone())
                    },
                )
        }
        Figure::Group(index) => op
            .groups
            .get(index)
            .map_or_else(|| op.location.clone(), |g| g.location.clone()),
        Figure::Period => key_location(proof, "start").unwrap_or_else(|| op.location.clone()),
    }
}

/// Where operation.toml sets `key` (a top-level key such as `start`).
fn key_location(proof: &Proof, key: &str) -> Option<Location> {
    let op = &proof.checked.op;
    let file = proof.sources.get(op.location.source)?;
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        let rest = line.strip_prefix(key).map(str::trim_start);
        if rest.is_some_and(|r| r.starts_with('=')) {
            let end = offset + line.trim_end().len();
            return Some(proof.sources.locate(op.location.source, offset..end));
        }
        offset += line.len();
    }
    None
}

/// The words of the text a verdict is about.
fn words<'a>(proof: &'a Proof, verdict: &Verdict) -> Option<&'a str> {
    let text = &proof.sources.get(proof.text)?.text;
    text.get(verdict.span.clone()?)
}

/// The verdict's sentence.
pub fn message(proof: &Proof, verdict: &Verdict) -> String {
    let said = words(proof, verdict)
        .map(|w| {
            let spaced = w.split_whitespace().collect::<Vec<_>>().join(" ");
            // A hostile text cannot reorder or flood the terminal.
            format!("“{}”", crate::load::files::shown(&spaced, 120))
        })
        .unwrap_or_default();
    let figure = verdict
        .figure
        .map(|f| figure_words(proof, f))
        .unwrap_or_default();
    match verdict.code {
        Code::Matches => format!("{said} matches {figure}"),
        Code::Consistent => format!("{said} holds for {figure}"),
        Code::Mismatch if verdict.figure == Some(Figure::Period) => {
            format!("{said} does not fit {figure}")
        }
        Code::Mismatch => format!("{said} contradicts {figure}"),
        Code::BreakdownMismatch => {
            let total = verdict
                .narrowed
                .map(|id| figure_words(proof, Figure::Metric(id)))
                .unwrap_or_default();
            format!("{said} names a part, {figure}, with the number of the total, {total}")
        }
        Code::RoundedWithoutQualifier => format!(
            "{said} is {figure} rounded, without “almost”, “more than” or “about” to say so"
        ),
        Code::QualifierDropped => format!("{said} states as exact what is {figure}"),
        Code::UnmatchedNumber => format!("{said} matches no figure of the operation"),
        Code::OutsidePeriod => {
            format!("{said} does not fit {figure}; if it is said of the operation, correct it")
        }
        Code::Background => {
            format!("{said}, in the background section, differs from {figure}; not checked there")
        }
        Code::UnmentionedFigure => format!("{figure} is not stated in the text"),
    }
}

/// The text report: problems like a compiler (the text's line and column,
/// the figure's file:line as a secondary label), what holds one line each,
/// then a summary.
pub fn text(proof: &Proof) -> String {
    let mut files = SimpleFiles::new();
    for file in proof.sources.iter() {
        files.add(file.path.display().to_string(), file.text.as_str());
    }
    let config = Config::default();
    let mut out = String::new();
    let text_name = proof
        .sources
        .get(proof.text)
        .map(|f| f.path.display().to_string())
        .unwrap_or_default();
    for verdict in &proof.verdicts {
        let message = message(proof, verdict);
        let severity = verdict.code.severity();
        let at = verdict.span.as_ref().map(|span| {
            let location = proof.sources.locate(proof.text, span.clone());
            format!("{text_name}:{}:{}", location.line, location.column)
        });
        let figure_at = verdict
            .figure
            .map(|f| crate::report::at(&proof.sources, &figure_location(proof, f)));
        // What holds, and figures not stated, one line each: the problems
        // are what the reader has to look at.
        if matches!(severity, Severity::Ok | Severity::Info) {
            out.push_str(&format!(
                "{}[{}]: {}{message}{}\n",
                if severity == Severity::Ok {
                    "ok"
                } else {
                    "note"
                },
                verdict.code.key(),
                at.map(|a| format!("{a}: ")).unwrap_or_default(),
                figure_at.map(|f| format!(" ({f})")).unwrap_or_default()
            ));
            continue;
        }
        let fallback = format!(
            "{}[{}]: {message}{}{}\n",
            severity.key(),
            verdict.code.key(),
            at.as_ref()
                .map(|a| format!("\n  --> {a}"))
                .unwrap_or_default(),
            figure_at
                .as_ref()
                .map(|f| format!("\n  = figure at {f}"))
                .unwrap_or_default()
        );
        let diagnostic = diagnostic(proof, verdict, message);
        let too_long = diagnostic.labels.iter().any(|l| {
            proof.sources.get(l.file_id).is_some_and(|f| {
                let at = l.range.start.min(f.text.len());
                let start = f.text[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = f.text[at..].find('\n').map_or(f.text.len(), |i| at + i);
                let line = &f.text[start..end];
                end - start > MAX_QUOTED_LINE
                    || line.chars().any(|c| {
                        (c.is_control() && c != '\t' && c != '\r')
                            || crate::load::files::is_bidi_control(c)
                    })
            })
        });
        if too_long {
            out.push_str(&fallback);
        } else {
            match term::emit_into_string(&config, &files, &diagnostic) {
                Ok(rendered) => out.push_str(&rendered),
                Err(_) => out.push_str(&fallback),
            }
        }
    }
    out.push_str(&summary(proof));
    out.push('\n');
    out
}

fn diagnostic(proof: &Proof, verdict: &Verdict, message: String) -> Diagnostic<usize> {
    let diagnostic = match verdict.code.severity() {
        Severity::Error => Diagnostic::error(),
        Severity::Warning => Diagnostic::warning(),
        Severity::Info | Severity::Ok => Diagnostic::note(),
    };
    let mut labels = Vec::new();
    if let Some(span) = &verdict.span {
        labels.push(Label::primary(proof.text, span.clone()).with_message("stated here"));
    }
    if let Some(figure) = verdict.figure {
        let location = figure_location(proof, figure);
        let label = Label::secondary(location.source, location.span.clone())
            .with_message(figure_words(proof, figure));
        labels.push(label);
    }
    diagnostic
        .with_code(verdict.code.key())
        .with_message(message)
        .with_labels(labels)
}

/// "proof: 31 statements hold; 1 error, 2 warnings; 3 figures not stated".
pub fn summary(proof: &Proof) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "proof: {}; {}, {}; {} not stated",
        plural(
            proof.count(Severity::Ok),
            "statement holds",
            "statements hold"
        ),
        plural(proof.count(Severity::Error), "error", "errors"),
        plural(proof.count(Severity::Warning), "warning", "warnings"),
        plural(proof.count(Severity::Info), "figure", "figures"),
    )
}

#[derive(Serialize)]
struct VerdictJson {
    code: Code,
    severity: Severity,
    message: String,
    location: Option<Location>,
    words: Option<String>,
    stated: Option<serde_json::Value>,
    figure: Option<serde_json::Value>,
}

fn statement_json(statement: &Statement) -> serde_json::Value {
    let qualifier = |q: Qualifier| (q != Qualifier::Exact).then(|| q.word());
    match statement {
        Statement::Quantity {
            qualifier: q,
            amount,
            unit,
        } => json!({
            "kind": "quantity",
            "value": amount.to_f64(),
            "qualifier": qualifier(*q),
            "unit": unit.map(|u| u.key().to_string()),
        }),
        Statement::Date { day, month, year } => json!({
            "kind": "date",
            "day": day,
            "month": u8::from(*month),
            "year": year,
        }),
        Statement::Duration {
            qualifier: q,
            count,
            unit,
        } => json!({
            "kind": "duration",
            "value": count,
            "qualifier": qualifier(*q),
            "unit": unit.word(*count != 1),
        }),
    }
}

fn figure_json(proof: &Proof, figure: Figure) -> serde_json::Value {
    let op = &proof.checked.op;
    let totals = &proof.checked.totals;
    let location = figure_location(proof, figure);
    let (kind, metric, value, unit): (&str, Option<&str>, serde_json::Value, Option<String>) =
        match figure {
            Figure::Metric(id) => {
                let metric = op.catalogue.get(id);
                let value = totals.metric(id).value.as_ref();
                (
                    "metric",
                    Some(metric.key.as_str()),
                    json!(value.map(|v| v.nominal.amount.to_f64())),
                    Some(metric.unit.key().to_string()),
                )
            }
            Figure::Remainder(id) => {
                let metric = op.catalogue.get(id);
                (
                    "remainder",
                    Some(metric.key.as_str()),
                    json!(view::unattributed(op, totals, id).map(|a| a.to_f64())),
                    Some(metric.unit.key().to_string()),
                )
            }
            Figure::Countries => ("countries", None, json!(op.participation().countries), None),
            Figure::CountryGroup(index) => (
                "country-group",
                None,
                json!(op.participation().groups.get(index).map(|g| g.count)),
                None,
            ),
            Figure::Group(index) => (
                "group",
                None,
                json!(op.groups.get(index).map(|g| g.members.len())),
                None,
            ),
            Figure::Reported(index, id) => {
                let metric = op.catalogue.get(id);
                let value = totals
                    .by_country
                    .get(index)
                    .and_then(|c| c.values.get(id.0).copied().flatten());
                (
                    "reported",
                    Some(metric.key.as_str()),
                    json!(value.map(|v| v.nominal.amount.to_f64())),
                    Some(metric.unit.key().to_string()),
                )
            }
            Figure::Period => (
                "period",
                None,
                json!({"start": op.start.to_string(), "end": op.end.to_string()}),
                None,
            ),
        };
    let qualifier = match figure {
        Figure::Metric(id) => totals
            .metric(id)
            .value
            .as_ref()
            .map(|v| v.nominal.qualifier)
            .filter(|q| *q != Qualifier::Exact)
            .map(|q| q.word()),
        _ => None,
    };
    json!({
        "kind": kind,
        "metric": metric,
        "label": figure_words(proof, figure),
        "value": value,
        "qualifier": qualifier,
        "unit": unit,
        "location": location,
    })
}

/// `{"schema_version": 1, "verdicts": [...]}`.
pub fn json(proof: &Proof) -> String {
    let verdicts: Vec<VerdictJson> = proof
        .verdicts
        .iter()
        .map(|v| {
            let location = v.span.as_ref().map(|span| {
                let mut location = proof.sources.locate(proof.text, span.clone());
                // The text as named on the command line.
                if let Some(file) = proof.sources.get(proof.text) {
                    location.file = file.path.display().to_string().into();
                }
                location
            });
            VerdictJson {
                code: v.code,
                severity: v.code.severity(),
                message: message(proof, v),
                location,
                words: words(proof, v).map(str::to_string),
                stated: v.statement.as_ref().map(statement_json),
                figure: v.figure.map(|f| figure_json(proof, f)),
            }
        })
        .collect();
    let document = json!({"schema_version": 1, "verdicts": verdicts});
    // Plain data cannot fail to serialise; keep a valid document regardless.
    serde_json::to_string_pretty(&document)
        .unwrap_or_else(|_| "{\"schema_version\": 1, \"verdicts\": []}".into())
}
