//! Load: operation folder → typed [`Operation`], every value located.
//!
//! Reading collects every problem it can find instead of stopping at the
//! first, so one run lists all typos in all files (exit code 2).

mod catalogue;
mod corrections;
pub mod error;
mod figures;
pub mod files;
pub mod invisible;
mod presentation;
pub mod raw;

pub use error::{InputError, LoadFailure, did_you_mean};
pub use figures::read_figure_text;
pub use presentation::DEFAULT_LAYOUT;

use crate::model::countries;
use crate::model::{
    Activity, Footnote, Group, GroupKind, Operation, PackRecipients, PartOf, Participant,
    ParticipantId, Reference, ReleasePolicy, Reporter, Reporting, Return, ReturnIndex,
};
use crate::source::{Location, SourceFile, Sources};
use raw::{RawCatalogue, RawOperation, RawReturn};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use time::Date;
use toml::Spanned;
use toml::value::Datetime;

/// The shipped default metric catalogue.
pub const DEFAULT_CATALOGUE: &str = include_str!("../../templates/catalogue.toml");
/// How the default catalogue is named in messages.
pub const DEFAULT_CATALOGUE_PATH: &str = "<opbrief>/templates/catalogue.toml";
/// The reporter name for consolidated figures.
pub const COORDINATION: &str = "coordination";

/// Collects files and problems while reading one folder.
#[derive(Default)]
pub struct Loader {
    sources: Sources,
    errors: Vec<InputError>,
    /// The operation folder: no file outside it is read.
    root: files::Root,
}

/// A file read and parsed off the main thread, not yet remembered.
struct ReadAhead<T> {
    path: PathBuf,
    read: Result<(SourceFile, Result<T, toml::de::Error>), files::Refusal>,
}

/// Longest message or help printed for one problem: a hostile value quoted
/// in a message (a 1 MB "name") must not flood the terminal.
const MAX_MESSAGE_CHARS: usize = 2000;

/// Escapes invisible characters and cuts the message and help of an error.
fn sanitized(mut error: InputError) -> InputError {
    error.message = files::shown(&error.message, MAX_MESSAGE_CHARS);
    error.help = error.help.map(|h| files::shown(&h, MAX_MESSAGE_CHARS));
    error.key = error.key.map(|k| files::shown(&k, 200));
    error
}

impl Loader {
    pub fn locate(&self, source: usize, span: Range<usize>) -> Location {
        self.sources.locate(source, span)
    }

    /// The text of a source file, for reading values as written.
    pub fn text(&self, source: usize) -> Option<&str> {
        self.sources.get(source).map(|file| file.text.as_str())
    }

    pub fn error(&mut self, source: usize, span: Range<usize>, error: InputError) {
        let location = self.locate(source, span);
        self.errors.push(sanitized(error.at(location)));
    }

    fn push(&mut self, error: InputError) {
        self.errors.push(sanitized(error));
    }

    /// Reads a file as UTF-8 (a leading BOM is dropped) and remembers it.
    /// The file must be a regular file inside the operation folder (see
    /// [`files::read_contained`]).
    fn read(&mut self, path: &Path) -> Option<usize> {
        match files::read_contained(&self.root, path) {
            Ok(text) => Some(self.sources.add(SourceFile::new(path.to_path_buf(), text))),
            Err(refusal) => {
                self.push(refusal.error(path));
                None
            }
        }
    }

    fn add_text(&mut self, path: &str, text: &str) -> usize {
        self.sources
            .add(SourceFile::new(PathBuf::from(path), text.to_owned()))
    }

    /// Deserialises a remembered file; a syntax or schema error is recorded
    /// with its line and the key it concerns.
    fn parse<T: DeserializeOwned>(&mut self, source: usize) -> Option<T> {
        let parsed = toml::from_str::<T>(&self.sources.get(source)?.text);
        let value = parsed.map_err(|e| self.parse_error(source, &e)).ok()?;
        self.visible(source).then_some(value)
    }

    /// Refuses a file with an invisible character anywhere in it.
    fn visible(&mut self, source: usize) -> bool {
        let Some(text) = self.sources.get(source).map(|f| f.text.as_str()) else {
            return true;
        };
        if let Some((key, chars)) = invisible::too_long_for_a_cell(text) {
            let span = key_span(text, &key);
            self.error(
                source,
                span,
                InputError::new(format!(
                    "`{key}` is {chars} characters long; a workbook cell holds at most {}",
                    invisible::CELL_LIMIT
                ))
                .key(key)
                .help("shorten it: the workbooks and the briefing print it whole"),
            );
            return false;
        }
        let Some(found) = invisible::find(text) else {
            return true;
        };
        let code = found.character as u32;
        let message = match &found.text {
            Some(text) => format!(
                "`{}` contains the invisible character U+{code:04X}",
                files::shown(text, 80)
            ),
            None => format!("a comment contains the invisible character U+{code:04X}"),
        };
        let mut error = InputError::new(message).help(
            "delete it: it would hide or reorder text in the documents, or make one name two",
        );
        if let Some(key) = found.key {
            error = error.key(key);
        }
        self.error(source, found.span, error);
        false
    }

    /// Reads and parses `paths` on other threads while `each` takes the
    /// results here, one by one in order: reading and parsing is most of
    /// the time it takes to load 50 000 returns, and taking them (figures,
    /// errors) overlaps with it. Nothing is remembered or reported until
    /// `each` passes a result to `accept`.
    fn read_each<T: DeserializeOwned + Send>(
        &mut self,
        paths: &[PathBuf],
        mut each: impl FnMut(&mut Loader, ReadAhead<T>),
    ) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4)
            .min(paths.len());
        // The workers read through the folder; `each` never reads a file.
        let root = std::mem::take(&mut self.root);
        let next = AtomicUsize::new(0);
        // Bounded, so the workers stop when the main thread falls behind.
        // (Results that arrive before an earlier, slower file wait in
        // `waiting`: at most the files read meanwhile.)
        let (sender, results) = std::sync::mpsc::sync_channel::<(usize, ReadAhead<T>)>(256);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let sender = sender.clone();
                let (root, next) = (&root, &next);
                scope.spawn(move || {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(index) else {
                            return;
                        };
                        if sender.send((index, read_one(root, path))).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(sender);
            // Results arrive in any order; they are taken in file order.
            let mut waiting = std::collections::BTreeMap::new();
            let mut wanted = 0;
            for (index, ahead) in results {
                waiting.insert(index, ahead);
                while let Some(ahead) = waiting.remove(&wanted) {
                    each(self, ahead);
                    wanted += 1;
                }
            }
        });
        self.root = root;
    }

    /// What `read` then `parse` would have done with the file.
    fn accept<T>(&mut self, ahead: ReadAhead<T>) -> Option<(usize, T)> {
        match ahead.read {
            Err(refusal) => {
                self.push(refusal.error(&ahead.path));
                None
            }
            Ok((file, parsed)) => {
                let source = self.sources.add(file);
                let value = parsed.map_err(|e| self.parse_error(source, &e)).ok()?;
                self.visible(source).then_some((source, value))
            }
        }
    }

    fn parse_error(&mut self, source: usize, error: &toml::de::Error) {
        let message = parse_message(error.message());
        let Some(span) = error.span() else {
            // No place in the file (e.g. toml's nesting limit on dotted
            // keys): name the file, not a guessed key.
            let file = self
                .sources
                .get(source)
                .map(|f| f.path.display().to_string())
                .unwrap_or_default();
            self.push(
                InputError::new(format!("{file}: {message}")).help_opt(nesting_help(&message)),
            );
            return;
        };
        let key = self
            .sources
            .get(source)
            .and_then(|file| key_on_line(&file.text, span.start));
        let help = unknown_field_help(&message).or_else(|| nesting_help(&message));
        let mut problem = InputError::new(message).help_opt(help);
        if let Some(key) = key {
            problem = problem.key(key);
        }
        self.error(source, span, problem);
    }

    fn finish(self) -> LoadFailure {
        LoadFailure {
            errors: self.errors,
            sources: self.sources,
        }
    }
}

/// One file read and parsed, off the main thread.
fn read_one<T: DeserializeOwned>(root: &files::Root, path: &Path) -> ReadAhead<T> {
    ReadAhead {
        path: path.to_path_buf(),
        read: files::read_contained(root, path).map(|text| {
            let parsed = toml::from_str::<T>(&text);
            (SourceFile::new(path.to_path_buf(), text), parsed)
        }),
    }
}

/// Where the last segment of a dotted key is written, for pointing at a
/// value found by its key (the file's start when it cannot be found).
fn key_span(text: &str, key: &str) -> Range<usize> {
    let last = key.rsplit('.').next().unwrap_or(key);
    text.match_indices(last)
        .find(|(at, _)| text[at + last.len()..].trim_start().starts_with('='))
        .map_or(0..0, |(at, _)| at..at + last.len())
}

/// The key written on the line of `offset` (text before `=`), if any.
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('#')).then(|| key.trim_matches('"').to_string())
}

/// toml's message, with its private names replaced by what the user wrote.
fn parse_message(message: &str) -> String {
    let message = message.trim();
    // A date where a figure (or another table) was expected: toml hands a
    // date over as a map with a private key, and the message shows that key.
    if message.contains(raw::DATETIME_KEY) {
        return "found a date where a number, text or table was expected".into();
    }
    message.to_string()
}

/// Explains toml's depth limit, which stops hostile nesting before it can
/// overflow the stack.
fn nesting_help(message: &str) -> Option<String> {
    (message.contains("recursion") || message.contains("recurse"))
        .then(|| "tables, arrays or dotted keys are nested too deeply".to_string())
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": did you mean.
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (wrong, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(wrong, candidates)
}

/// Reads and validates the operation folder at `dir`.
pub fn load(dir: &Path) -> Result<Operation, LoadFailure> {
    let mut loader = Loader {
        root: files::Root::new(dir),
        sources: Sources::in_folder(dir),
        ..Loader::default()
    };
    if !dir.is_dir() {
        loader.push(
            InputError::new(format!("{} is not an operation folder", dir.display()))
                .help("give the folder that holds operation.toml and returns/"),
        );
        return Err(loader.finish());
    }
    let operation_path = dir.join("operation.toml");
    // Anything but a missing file (a folder, a FIFO, a link outside) is
    // refused by `read` with its own message.
    if std::fs::symlink_metadata(&operation_path).is_err() {
        loader.push(
            InputError::new(format!("{} has no operation.toml", dir.display()))
                .help("create one with `opbrief init <dir>`"),
        );
        return Err(loader.finish());
    }
    let Some(op_source) = loader.read(&operation_path) else {
        return Err(loader.finish());
    };
    let Some(raw) = loader.parse::<RawOperation>(op_source) else {
        return Err(loader.finish());
    };
    let operation = build_operation(&mut loader, dir, op_source, raw);
    match operation {
        Some(op) if loader.errors.is_empty() => Ok(Operation {
            sources: loader.sources,
            ..op
        }),
        _ => Err(loader.finish()),
    }
}

fn build_operation(
    loader: &mut Loader,
    dir: &Path,
    source: usize,
    raw: RawOperation,
) -> Option<Operation> {
    let start = date(loader, source, &raw.start, "start");
    let end = date(loader, source, &raw.end, "end");
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        loader.error(
            source,
            raw.end.span(),
            InputError::new("the operation ends before it starts").key("end"),
        );
    }
    let published = raw
        .published
        .as_ref()
        .and_then(|p| date(loader, source, p, "published"));
    if let (Some(published), Some(start), Some(spanned)) = (published, start, &raw.published)
        && published < start
    {
        loader.error(
            source,
            spanned.span(),
            InputError::new(format!(
                "the figures are published on {published}, before the operation starts on {start}"
            ))
            .key("published")
            .help("`published` is the date the figures are published as of, after the action"),
        );
    }
    let id = raw.id.get_ref();
    let valid_id = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !id.starts_with(['-', '_']);
    if !valid_id {
        loader.error(
            source,
            raw.id.span(),
            InputError::new(format!(
                "operation id `{id}` must be 1–64 letters, digits, - or _"
            ))
            .key("id")
            .help("the id names the output folder, e.g. \"jad-see-2023\""),
        );
    }
    let countries_claimed = raw
        .countries
        .as_ref()
        .and_then(|c| count(loader, source, c, "countries"));
    let countries_noun = match &raw.countries_noun {
        None => "countries".to_string(),
        Some(noun) => {
            if let Some(problem) = name_problem(noun.get_ref()) {
                loader.error(
                    source,
                    noun.span(),
                    InputError::new(problem).key("countries_noun"),
                );
            }
            noun.get_ref().clone()
        }
    };

    // Catalogue: the shipped default (unless replaced), then the operation's own.
    let use_default = match raw.catalogue.as_ref().map(|c| c.get_ref().as_str()) {
        None | Some("default") => true,
        Some("none") => false,
        Some(other) => {
            let span = raw.catalogue.as_ref().map_or(0..0, |c| c.span());
            loader.error(
                source,
                span,
                InputError::new(format!("unknown catalogue `{other}`"))
                    .key("catalogue")
                    .help("use \"default\" (extend the shipped catalogue) or \"none\" (declare every metric here)"),
            );
            true
        }
    };
    // The shipped catalogue is an input only when it is used (it is listed
    // among the sources).
    let default = if use_default {
        let default_source = loader.add_text(DEFAULT_CATALOGUE_PATH, DEFAULT_CATALOGUE);
        loader
            .parse::<RawCatalogue>(default_source)
            .map(|raw| (default_source, raw))
    } else {
        None
    };
    let mut layers = Vec::new();
    if let Some((default_source, default)) = &default {
        layers.push(catalogue::CatalogueLayer {
            source: *default_source,
            metrics: &default.metrics,
            rules: &default.rules,
        });
    }
    layers.push(catalogue::CatalogueLayer {
        source,
        metrics: &raw.metrics,
        rules: &raw.rules,
    });
    let (mut catalogue, rules) = catalogue::build(loader, &layers);
    // `[plausibility]` tunes the catalogue's metrics for this operation.
    for (key, value) in &raw.plausibility {
        let Some(id) = catalogue.find(key.get_ref()) else {
            loader.error(
                source,
                key.span(),
                InputError::new(format!("unknown metric `{}`", key.get_ref()))
                    .key("plausibility")
                    .help_opt(did_you_mean(
                        key.get_ref(),
                        catalogue.iter().map(|m| m.key.as_str()),
                    )),
            );
            continue;
        };
        if let Some(setting) = catalogue::plausibility_of(loader, source, value, "plausibility") {
            catalogue.set_plausibility(id, setting);
        }
    }
    // The Returns sheet gives each metric a column, and up to three more
    // when its figures are qualified: Excel's 16 384 columns hold 4 000.
    const MAX_METRICS: usize = 4_000;
    if catalogue.len() > MAX_METRICS {
        loader.error(
            source,
            0..0,
            InputError::new(format!(
                "the catalogue has {} metrics and parts; a workbook sheet has columns for at most {MAX_METRICS}",
                catalogue.len()
            ))
            .key("metrics")
            .help("declare the metrics the operation reports (catalogue = \"none\" drops the defaults)"),
        );
    }
    if catalogue.is_empty() {
        loader.error(
            source,
            0..0,
            InputError::new("the operation declares no metrics").key("metrics"),
        );
    }

    let (groups, mut participants) = read_groups(loader, source, &raw);
    let by_name = Roster::new(&participants, &groups);
    let footnotes = read_footnotes(loader, source, &raw, &by_name, &mut participants);
    read_part_of(loader, source, &raw, &by_name, &groups, &mut participants);
    let participant_names: Vec<&str> = participants.iter().map(|p| p.name.as_str()).collect();

    let activities = raw
        .activities
        .iter()
        .map(|a| Activity {
            label: a.label.get_ref().clone(),
            description: a.description.clone(),
            participants: a
                .participants
                .iter()
                .filter_map(|name| {
                    participant_id(
                        loader,
                        source,
                        &by_name,
                        &participant_names,
                        name,
                        "participants",
                    )
                })
                .collect(),
            metrics: a
                .metrics
                .iter()
                .filter_map(|key| {
                    let found = catalogue.find(key.get_ref());
                    if found.is_none() {
                        loader.error(
                            source,
                            key.span(),
                            InputError::new(format!("unknown metric `{}`", key.get_ref()))
                                .key("metrics")
                                .help_opt(did_you_mean(
                                    key.get_ref(),
                                    catalogue.iter().map(|m| m.key.as_str()),
                                )),
                        );
                    }
                    found
                })
                .collect(),
        })
        .collect();
    let references = raw
        .references
        .iter()
        .map(|r| Reference {
            title: r.get_ref().title.get_ref().clone(),
            date: r
                .get_ref()
                .date
                .as_ref()
                .and_then(|d| date(loader, source, d, "date")),
            location: loader.locate(source, r.span()),
        })
        .collect();

    let release = read_release(loader, source, &raw, &by_name, &participant_names);
    let reporting = read_reporting(
        loader,
        source,
        &raw,
        &by_name,
        &participant_names,
        (start, end),
    );
    let mut returns = match (start, end) {
        (Some(start), Some(end)) => read_returns(
            loader,
            dir,
            &catalogue,
            &by_name,
            &participant_names,
            (start, end),
        ),
        _ => Vec::new(),
    };
    let corrections = corrections::read_corrections(
        loader,
        dir,
        &catalogue,
        &by_name,
        &participant_names,
        &mut returns,
    );

    // Sorted by metric once the corrections are in, so a return's value of
    // a metric is found by binary search (see `Return::figures`).
    for ret in &mut returns {
        ret.figures.sort_by_key(|f| f.metric);
        ret.figures.shrink_to_fit();
    }

    let presentation =
        presentation::read_presentation(loader, source, &catalogue, raw.presentation.as_ref());
    let layout = presentation::read_layout(loader, dir, &catalogue);
    let templates = presentation::read_templates(loader, dir);

    // Every input file is read by now.
    let returns_index = ReturnIndex::new(&returns, participants.len(), loader.sources.len());
    Some(Operation {
        dir: dir.to_path_buf(),
        id: raw.id.get_ref().clone(),
        name: raw.name.get_ref().clone(),
        short_name: raw
            .short_name
            .as_ref()
            .map_or_else(|| raw.name.get_ref().clone(), |s| s.get_ref().clone()),
        region: raw.region.as_ref().map(|r| r.get_ref().clone()),
        description: raw.description.as_ref().map(|d| d.get_ref().clone()),
        start: start?,
        end: end?,
        coordinator: raw.coordinator.as_ref().map(|c| c.get_ref().clone()),
        coordination_centre: raw
            .coordination_centre
            .as_ref()
            .map(|c| c.get_ref().clone()),
        marking: raw.marking.get_ref().clone(),
        language: raw
            .language
            .as_ref()
            .map(|l| l.get_ref().trim().to_string())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| "en".to_string()),
        published,
        countries_claimed,
        countries_noun,
        catalogue,
        rules,
        groups,
        participants,
        footnotes,
        activities,
        references,
        returns,
        returns_index,
        corrections,
        reporting,
        release,
        presentation,
        layout,
        templates,
        sources: Sources::default(),
        location: loader.locate(source, 0..0),
    })
}

/// `[reporting]`: who reports daily, and which days are not action days
/// (dates inside the period).
fn read_reporting(
    loader: &mut Loader,
    source: usize,
    raw: &RawOperation,
    by_name: &Roster,
    names: &[&str],
    period: (Option<Date>, Option<Date>),
) -> Reporting {
    let Some(reporting) = &raw.reporting else {
        return Reporting::default();
    };
    let daily = reporting.daily.as_ref().map(|list| {
        list.iter()
            .filter_map(|name| {
                participant_id(loader, source, by_name, names, name, "reporting.daily")
            })
            .collect()
    });
    let mut not_action_days = std::collections::BTreeSet::new();
    for value in &reporting.not_action_days {
        let Some(day) = date(loader, source, value, "reporting.not_action_days") else {
            continue;
        };
        if let (Some(start), Some(end)) = period
            && !(start..=end).contains(&day)
        {
            loader.error(
                source,
                value.span(),
                InputError::new(format!("{day} is outside the period {start} – {end}"))
                    .key("reporting.not_action_days"),
            );
            continue;
        }
        not_action_days.insert(day);
    }
    Reporting {
        daily,
        not_action_days,
    }
}

fn read_release(
    loader: &mut Loader,
    source: usize,
    raw: &RawOperation,
    by_name: &Roster,
    names: &[&str],
) -> ReleasePolicy {
    let public = raw.marking.get_ref().trim().eq_ignore_ascii_case("PUBLIC");
    let Some(release) = &raw.release else {
        return ReleasePolicy {
            briefing_reporters: !public,
            ..ReleasePolicy::default()
        };
    };
    let packs = match release.packs.as_ref().map(|p| p.get_ref().as_str()) {
        None | Some("auto") => PackRecipients::Auto,
        Some("reporters") => PackRecipients::Reporters,
        Some("countries") => PackRecipients::Countries,
        Some("none") => PackRecipients::None,
        Some(other) => {
            let span = release.packs.as_ref().map_or(0..0, |p| p.span());
            loader.error(
                source,
                span,
                InputError::new(format!("unknown pack policy `{other}`"))
                    .key("release.packs")
                    .help("use \"auto\", \"reporters\", \"countries\" or \"none\""),
            );
            PackRecipients::Auto
        }
    };
    let shared_reporters = release
        .shared_reporters
        .iter()
        .filter_map(|name| {
            participant_id(
                loader,
                source,
                by_name,
                names,
                name,
                "release.shared_reporters",
            )
        })
        .collect();
    ReleasePolicy {
        packs,
        shared_reporters,
        briefing_reporters: release.briefing_reporters.unwrap_or(!public),
    }
}

fn date(loader: &mut Loader, source: usize, value: &Spanned<Datetime>, key: &str) -> Option<Date> {
    let datetime = value.get_ref();
    let parsed = match (datetime.date, datetime.time, datetime.offset) {
        (Some(d), None, None) => time::Month::try_from(d.month)
            .ok()
            .and_then(|month| Date::from_calendar_date(i32::from(d.year), month, d.day).ok()),
        _ => None,
    };
    if parsed.is_none() {
        loader.error(
            source,
            value.span(),
            InputError::new(format!(
                "`{key}` must be a calendar date like 2023-11-13, found {datetime}"
            ))
            .key(key),
        );
    }
    // Workbooks store dates from 1900 on: an earlier one would stop `build`.
    if let Some(day) = parsed
        && day.year() < 1900
    {
        loader.error(
            source,
            value.span(),
            InputError::new(format!(
                "`{key}` is {day}, before 1900: the workbooks cannot store it"
            ))
            .key(key)
            .help("is the year mistyped?"),
        );
        return None;
    }
    parsed
}

/// A claimed count: a non-negative integer.
fn count(
    loader: &mut Loader,
    source: usize,
    value: &Spanned<i64>,
    key: &str,
) -> Option<(u64, crate::source::Location)> {
    match u64::try_from(*value.get_ref()) {
        Ok(n) => Some((n, loader.locate(source, value.span()))),
        Err(_) => {
            loader.error(
                source,
                value.span(),
                InputError::new(format!("`{key}` cannot be negative")).key(key),
            );
            None
        }
    }
}

fn read_groups(
    loader: &mut Loader,
    source: usize,
    raw: &RawOperation,
) -> (Vec<Group>, Vec<Participant>) {
    let mut groups = Vec::new();
    let mut participants: Vec<Participant> = Vec::new();
    // Who is listed so far, by identity and by country: a list of 1 667
    // reporters compared each name with every one before it.
    let mut by_identity: HashMap<String, usize> = HashMap::new();
    let mut by_country: HashMap<&'static str, usize> = HashMap::new();
    for group in &raw.groups {
        let spanned = group;
        let group = group.get_ref();
        let kind = GroupKind::ALL
            .into_iter()
            .find(|k| k.key() == group.kind.get_ref());
        let Some(kind) = kind else {
            loader.error(
                source,
                group.kind.span(),
                InputError::new(format!("unknown group kind `{}`", group.kind.get_ref()))
                    .key("groups.kind")
                    .help_opt(did_you_mean(
                        group.kind.get_ref(),
                        GroupKind::ALL.iter().map(|k| k.key()),
                    ))
                    .help(format!(
                        "use one of: {}",
                        GroupKind::ALL
                            .iter()
                            .map(|k| k.key())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
            );
            continue;
        };
        let claimed = group
            .count
            .as_ref()
            .and_then(|c| count(loader, source, c, "groups.count"));
        if group.members.is_empty() && group.count.is_none() {
            loader.error(
                source,
                group.label.span(),
                InputError::new(format!(
                    "group “{}” has neither members nor a count",
                    group.label.get_ref()
                ))
                .key("groups")
                .help("list its `members`, or give the published `count` (e.g. count = 12)"),
            );
        }
        // Participants point at their group by its index in `groups`.
        let index = groups.len();
        let mut members = Vec::new();
        for name in &group.members {
            if let Some(problem) = name_problem(name.get_ref()) {
                loader.error(
                    source,
                    name.span(),
                    InputError::new(problem).key("groups.members"),
                );
                continue;
            }
            let identity = identity(name.get_ref());
            if identity == COORDINATION {
                loader.error(
                    source,
                    name.span(),
                    InputError::new(format!(
                        "`{}` is the reporter name of the consolidated figures",
                        name.get_ref()
                    ))
                    .key("groups.members")
                    .help("a participant needs another name; returns write reporter = \"coordination\" for the coordination's figures"),
                );
                continue;
            }
            if let Some(existing) = by_identity.get(&identity).map(|&at| &participants[at]) {
                loader.error(
                    source,
                    name.span(),
                    InputError::new(format!(
                        "`{}` is listed twice: as `{}` first, at {}",
                        name.get_ref(),
                        existing.name,
                        existing.location
                    ))
                    .key("groups.members")
                    .help("list each participant once, spelled one way"),
                );
                continue;
            }
            // ISO codes are read only in country groups: "FRA" among
            // agencies is the Fundamental Rights Agency, not France.
            let country = if kind.is_countries() {
                countries::lookup(name.get_ref())
            } else {
                countries::lookup_name(name.get_ref())
            };
            if let Some(existing) = country
                .and_then(|c| by_country.get(c.alpha3))
                .map(|&at| &participants[at])
            {
                loader.error(
                    source,
                    name.span(),
                    InputError::new(format!(
                        "`{}` and `{}` ({}:{}) are the same country",
                        name.get_ref(),
                        existing.name,
                        existing.location.file,
                        existing.location.line
                    ))
                    .key("groups.members")
                    .help("list each country once"),
                );
                continue;
            }
            members.push(ParticipantId(participants.len()));
            by_identity.insert(identity, participants.len());
            if let Some(c) = country {
                by_country.insert(c.alpha3, participants.len());
            }
            participants.push(Participant {
                name: name.get_ref().clone(),
                group: index,
                footnote: None,
                country,
                part_of: None,
                location: loader.locate(source, name.span()),
            });
        }
        groups.push(Group {
            label: group.label.get_ref().clone(),
            kind,
            members,
            count: claimed,
            location: loader.locate(source, spanned.span()),
        });
    }
    (groups, participants)
}

/// Participants by name: exactly as listed, else (for members of country
/// groups) by any form or code of their country, so a return's
/// `reporter = "UK"` is the listed "United Kingdom".
pub(crate) struct Roster {
    /// By [`identity`]: "Europol", "EUROPOL" and a decomposed "Türkiye" are
    /// one participant.
    by_name: HashMap<String, ParticipantId>,
    by_country: HashMap<&'static str, ParticipantId>,
}

/// A name as compared: Unicode NFC, case folded, spaces collapsed.
pub(crate) fn identity(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfc()
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Roster {
    fn new(participants: &[Participant], groups: &[Group]) -> Roster {
        let mut by_name = HashMap::new();
        let mut by_country = HashMap::new();
        for (i, p) in participants.iter().enumerate() {
            by_name.insert(identity(&p.name), ParticipantId(i));
            let in_country_group = groups.get(p.group).is_some_and(|g| g.kind.is_countries());
            if let (Some(country), true) = (p.country, in_country_group) {
                by_country.insert(country.alpha3, ParticipantId(i));
            }
        }
        Roster {
            by_name,
            by_country,
        }
    }

    pub(crate) fn find(&self, name: &str) -> Option<ParticipantId> {
        self.by_name.get(&identity(name)).copied().or_else(|| {
            let country = countries::lookup(name)?;
            self.by_country.get(country.alpha3).copied()
        })
    }
}

/// `[part_of]`: which country each sub-national participant belongs to.
fn read_part_of(
    loader: &mut Loader,
    source: usize,
    raw: &RawOperation,
    roster: &Roster,
    groups: &[Group],
    participants: &mut [Participant],
) {
    let is_country = |p: &Participant| groups.get(p.group).is_some_and(|g| g.kind.is_countries());
    let mut resolved: Vec<(ParticipantId, PartOf, &Spanned<String>)> = Vec::new();
    for (unit, country) in &raw.part_of {
        let key = format!("part_of.\"{}\"", files::shown(unit.get_ref(), 80));
        let Some(id) = roster.find(unit.get_ref()) else {
            loader.error(
                source,
                unit.span(),
                InputError::new(format!(
                    "`{}` in [part_of] is not a listed participant",
                    files::shown(unit.get_ref(), 80)
                ))
                .key(key)
                .help(
                    did_you_mean(unit.get_ref(), participants.iter().map(|p| p.name.as_str()))
                        .unwrap_or_else(|| {
                            "list it in a group first, e.g. one of kind \"other\"".to_string()
                        }),
                ),
            );
            continue;
        };
        let target = match roster.find(country.get_ref()) {
            Some(target) if target == id => {
                loader.error(
                    source,
                    country.span(),
                    InputError::new(format!(
                        "`{}` cannot be part of itself",
                        files::shown(unit.get_ref(), 80)
                    ))
                    .key(key),
                );
                continue;
            }
            Some(target) if is_country(&participants[target.0]) => PartOf::Participant(target),
            Some(target) => {
                loader.error(
                    source,
                    country.span(),
                    InputError::new(format!(
                        "`{}` is not a country: it is listed in a group of kind `{}`",
                        participants[target.0].name,
                        groups
                            .get(participants[target.0].group)
                            .map_or("?", |g| g.kind.key())
                    ))
                    .key(key)
                    .help("name the country the participant belongs to"),
                );
                continue;
            }
            None => match countries::lookup(country.get_ref()) {
                Some(known) => PartOf::Country(known),
                None => {
                    let mut listed: Vec<&str> = participants
                        .iter()
                        .filter(|p| is_country(p))
                        .map(|p| p.name.as_str())
                        .collect();
                    for name in countries::names() {
                        listed.push(name);
                    }
                    loader.error(
                        source,
                        country.span(),
                        InputError::new(format!(
                            "`{}` is neither a listed country nor a known country",
                            files::shown(country.get_ref(), 80)
                        ))
                        .key(key)
                        .help_opt(did_you_mean(country.get_ref(), listed)),
                    );
                    continue;
                }
            },
        };
        resolved.push((id, target, country));
    }
    // One level only: a country is not part of something else, so counts
    // never follow a chain (or a loop).
    for (_, target, country) in &resolved {
        let PartOf::Participant(target) = target else {
            continue;
        };
        if resolved.iter().any(|(id, _, _)| id == target) {
            loader.error(
                source,
                country.span(),
                InputError::new(format!(
                    "`{}` is itself part of another country in [part_of]",
                    participants[target.0].name
                ))
                .key("part_of")
                .help("name the country each unit belongs to directly"),
            );
        }
    }
    for (id, target, _) in resolved {
        participants[id.0].part_of = Some(target);
    }
}

/// Longest participant name. Real ones reach about 200 characters (the
/// sample's EU-funded project names); beyond this it is a pasted document,
/// which would break table layouts, not a name.
pub const MAX_NAME_CHARS: usize = 300;

/// Names are printed in documents and cells: no control or bidi characters.
pub fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("a name cannot be empty".into());
    }
    if name.trim() != name {
        return Some(format!(
            "`{}` has leading or trailing spaces",
            files::shown(name, 80)
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Some(format!(
            "name `{}` is {chars} characters long; names are limited to {MAX_NAME_CHARS}",
            files::shown(name, 40)
        ));
    }
    name.chars()
        .find(|&c| c.is_control() || files::is_bidi_control(c))
        .map(|c| {
            format!(
                "name `{}` contains the invisible character U+{:04X}",
                files::shown(name, 80),
                c as u32
            )
        })
}

fn read_footnotes(
    loader: &mut Loader,
    source: usize,
    raw: &RawOperation,
    roster: &Roster,
    participants: &mut [Participant],
) -> Vec<Footnote> {
    let mut footnotes = Vec::new();
    for note in &raw.footnotes {
        let index = footnotes.len();
        let note_ref = note.get_ref();
        for name in &note_ref.applies_to {
            match roster
                .find(name.get_ref())
                .and_then(|id| participants.get_mut(id.0))
            {
                Some(p) if p.footnote.is_none() => p.footnote = Some(index),
                Some(_) => loader.error(
                    source,
                    name.span(),
                    InputError::new(format!("`{}` already has a footnote", name.get_ref()))
                        .key("footnotes.applies_to"),
                ),
                None => {
                    let names: Vec<&str> = participants.iter().map(|p| p.name.as_str()).collect();
                    loader.error(
                        source,
                        name.span(),
                        InputError::new(format!(
                            "footnote applies to `{}`, who is not a listed participant",
                            name.get_ref()
                        ))
                        .key("footnotes.applies_to")
                        .help_opt(did_you_mean(name.get_ref(), names)),
                    )
                }
            }
        }
        footnotes.push(Footnote {
            marker: note_ref.marker.get_ref().clone(),
            text: note_ref.text.get_ref().clone(),
            location: loader.locate(source, note.span()),
        });
    }
    footnotes
}

fn participant_id(
    loader: &mut Loader,
    source: usize,
    by_name: &Roster,
    names: &[&str],
    name: &Spanned<String>,
    key: &str,
) -> Option<ParticipantId> {
    let found = by_name.find(name.get_ref());
    if found.is_none() {
        loader.error(
            source,
            name.span(),
            InputError::new(format!(
                "`{}` is not a listed participant",
                files::shown(name.get_ref(), 80)
            ))
            .key(key)
            .help_opt(did_you_mean(name.get_ref(), names.iter().copied())),
        );
    }
    found
}

/// The .toml files of a folder, sorted by name (directory order differs
/// between machines). Hidden files are skipped; anything else is an error,
/// never silently ignored.
fn toml_files(loader: &mut Loader, folder: &Path) -> Vec<PathBuf> {
    // A returns/ that is a link to another folder would read files the
    // operation does not hold; say so once, for the folder.
    if let Err(refusal) = files::folder_inside(&loader.root, folder) {
        loader.push(refusal.error(folder));
        return Vec::new();
    }
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(folder) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            loader.push(InputError::new(format!(
                "cannot read {}: {e}",
                folder.display()
            )));
            return Vec::new();
        }
    };
    // By name as bytes: the same order as comparing paths (one folder),
    // without splitting each into components per comparison.
    paths.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    paths.retain(|path| {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        // Not `is_file()`: a .toml that is a link, FIFO or folder is kept so
        // that `Loader::read` refuses it by name instead of skipping it.
        let toml = path.extension().is_some_and(|e| e == "toml");
        if !hidden && !toml {
            let folder_name = folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            loader.push(
                InputError::new(format!("{} is not a .toml file", path.display())).help(format!(
                    "{folder_name}/ holds only .toml files; rename it or move it elsewhere"
                )),
            );
        }
        !hidden && toml
    });
    paths
}

fn read_returns(
    loader: &mut Loader,
    dir: &Path,
    catalogue: &crate::model::Catalogue,
    by_name: &Roster,
    names: &[&str],
    (start, end): (Date, Date),
) -> Vec<Return> {
    let returns_dir = dir.join("returns");
    if !returns_dir.is_dir() {
        loader.push(
            InputError::new(format!("{} has no returns/ folder", dir.display()))
                .help("put one TOML file per return in returns/"),
        );
        return Vec::new();
    }
    let mut returns: Vec<Return> = Vec::new();
    let mut seen: HashMap<(Reporter, Option<Date>), usize> = HashMap::new();
    let candidates: Vec<&str> = names.iter().copied().chain([COORDINATION]).collect();
    let paths = toml_files(loader, &returns_dir);
    loader.read_each::<RawReturn>(&paths, |loader, ahead| {
        let Some((source, raw)) = loader.accept(ahead) else {
            return;
        };
        let reporter_name = raw.reporter.get_ref();
        let reporter = if reporter_name == COORDINATION {
            Some(Reporter::Coordination)
        } else {
            participant_id(
                loader,
                source,
                by_name,
                &candidates,
                &raw.reporter,
                "reporter",
            )
            .map(Reporter::Participant)
        };
        let day = raw
            .day
            .as_ref()
            .and_then(|d| date(loader, source, d, "day"));
        if let (Some(d), Some(span)) = (day, raw.day.as_ref().map(|d| d.span()))
            && (d < start || d > end)
        {
            loader.error(
                source,
                span,
                InputError::new(format!(
                    "day {d} is outside the operation period {start} to {end}"
                ))
                .key("day"),
            );
        }
        let figures = figures::read_figures(loader, source, catalogue, &raw.figures);
        let Some(reporter) = reporter else { return };
        if let Some(&previous) = seen.get(&(reporter, day)) {
            let first = &returns[previous].reporter_location;
            let when = day.map_or_else(|| "the whole operation".to_string(), |d| d.to_string());
            loader.error(
                source,
                raw.reporter.span(),
                InputError::new(format!(
                    "duplicate return: `{reporter_name}` already reported for {when} in {}:{}",
                    first.file, first.line
                ))
                .key("reporter")
                .help("merge the two files, or record the change in corrections/"),
            );
            return;
        }
        seen.insert((reporter, day), returns.len());
        returns.push(Return {
            source,
            reporter,
            reporter_location: loader.locate(source, raw.reporter.span()),
            day,
            figures,
        });
    });
    if returns.is_empty() && loader.errors.is_empty() {
        loader.push(
            InputError::new(format!("{} holds no returns", returns_dir.display())).help(
                "add a return, e.g. returns/consolidated.toml with reporter = \"coordination\"",
            ),
        );
    }
    returns
}
