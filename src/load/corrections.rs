//! corrections/*.toml → dated corrections applied over the returns.
//!
//! Corrections apply in date order (then file name and position), so one
//! can build on another (89 → 93, then 93 → 95). One whose `from` is not the
//! value in force is kept as stale and reported by the checks, never applied.
//! A late figure, one its return did not state, is added only when the
//! correction says so (`from = "none"`): a forgotten `from` is an error.

use super::error::{InputError, did_you_mean};
use super::figures::parse_figure;
use super::raw::{RawCorrection, RawCorrections};
use super::{COORDINATION, Loader, Roster, date, toml_files};
use crate::model::{Catalogue, Correction, CorrectionOutcome, Figure, Reporter, Return};
use crate::source::Sources;
use std::path::Path;
use toml::Spanned;

pub(super) fn read_corrections(
    loader: &mut Loader,
    dir: &Path,
    catalogue: &Catalogue,
    by_name: &Roster,
    names: &[&str],
    returns: &mut [Return],
) -> Vec<Correction> {
    let folder = dir.join("corrections");
    if !folder.is_dir() {
        return Vec::new();
    }
    let mut corrections: Vec<Correction> = Vec::new();
    let mut ids = std::collections::BTreeMap::new();
    for path in toml_files(loader, &folder) {
        let Some(source) = loader.read(&path) else {
            continue;
        };
        let Some(raw) = loader.parse::<RawCorrections>(source) else {
            continue;
        };
        for (position, entry) in (1..).zip(&raw.corrections) {
            let raw = entry.get_ref();
            let Some(mut correction) = read_one(loader, source, catalogue, by_name, names, raw)
            else {
                continue;
            };
            correction.id = match &raw.id {
                Some(id) => id.get_ref().trim().to_string(),
                None => format!("{}#{position}", correction.location.file),
            };
            let span = raw.id.as_ref().map_or(entry.span(), |id| id.span());
            if let Some(first) = ids.get(&correction.id) {
                loader.error(
                    source,
                    span,
                    InputError::new(format!(
                        "two corrections have the id `{}`; the first is at {first}",
                        correction.id
                    ))
                    .key("corrections.id")
                    .help("give each correction its own id: revisions name corrections by it"),
                );
                continue;
            }
            ids.insert(correction.id.clone(), loader.locate(source, span));
            corrections.push(correction);
        }
    }
    // Stable: same date keeps file and position order.
    corrections.sort_by_key(|c| c.date);
    for (index, correction) in corrections.iter_mut().enumerate() {
        apply(&loader.sources, index, correction, returns);
    }
    corrections
}

fn read_one(
    loader: &mut Loader,
    source: usize,
    catalogue: &Catalogue,
    by_name: &Roster,
    names: &[&str],
    raw: &RawCorrection,
) -> Option<Correction> {
    let corrected_on = date(loader, source, &raw.date, "date");
    let day = raw
        .day
        .as_ref()
        .and_then(|d| date(loader, source, d, "day"));
    let reporter = if raw.reporter.get_ref() == COORDINATION {
        Some(Reporter::Coordination)
    } else {
        let found = by_name
            .find(raw.reporter.get_ref())
            .map(Reporter::Participant);
        if found.is_none() {
            loader.error(
                source,
                raw.reporter.span(),
                InputError::new(format!(
                    "`{}` is not a listed participant",
                    raw.reporter.get_ref()
                ))
                .key("corrections.reporter")
                .help_opt(did_you_mean(
                    raw.reporter.get_ref(),
                    names.iter().copied().chain([COORDINATION]),
                )),
            );
        }
        found
    };
    let Some(metric) = catalogue.find(raw.metric.get_ref()) else {
        loader.error(
            source,
            raw.metric.span(),
            InputError::new(format!("unknown metric `{}`", raw.metric.get_ref()))
                .key("corrections.metric")
                .help_opt(did_you_mean(
                    raw.metric.get_ref(),
                    catalogue.iter().map(|m| m.key.as_str()),
                )),
        );
        return None;
    };
    let figure =
        |loader: &mut Loader, key: &str, value: &Spanned<super::raw::RawValue>| match parse_figure(
            value,
            catalogue.get(metric),
            loader.text(source),
        ) {
            Ok(written) => Some(written),
            Err(error) => {
                loader.error(
                    source,
                    value.span(),
                    error.key(format!("corrections.{key}")),
                );
                None
            }
        };
    // `from = "none"`: the figure is new. Absent: an error, since adding a
    // figure by mistake would change a total silently.
    let from = match &raw.from {
        Some(value) if is_none(value.get_ref()) => Some(None),
        Some(value) => figure(loader, "from", value).map(|(q, _)| Some(q)),
        None => {
            loader.error(
                source,
                raw.metric.span(),
                InputError::new("a correction needs a `from`: the value in force it replaces")
                    .key("corrections.from")
                    .help(
                        "for a figure no return stated, write `from = \"none\"`; \
                         for a return that was never sent, add a return file to returns/",
                    ),
            );
            None
        }
    };
    let to = figure(loader, "to", &raw.to);
    for (key, text) in [("reason", &raw.reason), ("requested_by", &raw.requested_by)] {
        if text.get_ref().trim().is_empty() {
            loader.error(
                source,
                text.span(),
                InputError::new(format!("a correction needs a `{key}`"))
                    .key(format!("corrections.{key}")),
            );
        }
    }
    if let Some(id) = &raw.id
        && id.get_ref().trim().is_empty()
    {
        loader.error(
            source,
            id.span(),
            InputError::new("a correction's `id` cannot be empty").key("corrections.id"),
        );
    }
    Some(Correction {
        id: String::new(),
        date: corrected_on?,
        reporter: reporter?,
        day,
        metric,
        from: from?,
        to: to?.0,
        to_unit: to?.1,
        reason: raw.reason.get_ref().clone(),
        requested_by: raw.requested_by.get_ref().clone(),
        location: loader.locate(source, raw.to.span()),
        from_location: loader.locate(
            source,
            raw.from.as_ref().map_or(raw.metric.span(), |f| f.span()),
        ),
        outcome: CorrectionOutcome::Stale { current: None },
    })
}

/// `from = "none"`, in any case.
fn is_none(value: &super::raw::RawValue) -> bool {
    matches!(value, super::raw::RawValue::String(text) if text.trim().eq_ignore_ascii_case("none"))
}

fn apply(sources: &Sources, index: usize, correction: &mut Correction, returns: &mut [Return]) {
    let place = sources.place(correction.location.source, correction.location.span.clone());
    // A corrections file is at most a megabyte: far fewer than 2^32 entries.
    let number = u32::try_from(index).unwrap_or(u32::MAX);
    let of_return = |r: &Return| r.reporter == correction.reporter && r.day == correction.day;
    // Where the figure is, if its return states it: (return, figure).
    let found = returns
        .iter()
        .enumerate()
        .filter(|(_, r)| of_return(r))
        .find_map(|(i, r)| {
            let at = r
                .figures
                .iter()
                .position(|f| f.metric == correction.metric)?;
            Some((i, at))
        });
    let target_return = returns.iter().position(of_return);
    correction.outcome = match (correction.from, found, target_return) {
        (Some(from), Some((r, f)), _) if returns[r].figures[f].quantity == from => {
            let figure = &mut returns[r].figures[f];
            let replaced = sources.at(std::mem::replace(&mut figure.place, place));
            figure.quantity = correction.to;
            figure.corrected_by = Some(number);
            CorrectionOutcome::Applied {
                replaced: Some(replaced),
            }
        }
        (_, Some((r, f)), _) => {
            let figure = &returns[r].figures[f];
            CorrectionOutcome::Stale {
                current: Some((figure.quantity, sources.at(figure.place))),
            }
        }
        // A late figure joins the return it belongs to; it creates none.
        (None, None, Some(r)) => {
            returns[r].figures.push(Figure {
                metric: correction.metric,
                quantity: correction.to,
                stated_unit: correction.to_unit,
                place,
                corrected_by: Some(number),
            });
            CorrectionOutcome::Applied { replaced: None }
        }
        _ => CorrectionOutcome::Stale { current: None },
    };
}
