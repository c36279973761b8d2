//! `[presentation]`, the briefing layout and the text templates: read and
//! checked here, so that their mistakes are input errors with file and line
//! and nothing after load reads a file.

use super::error::{InputError, did_you_mean};
use super::raw::{RawLayout, RawPresentation};
use super::{Loader, files};
use crate::model::{
    Catalogue, DEFAULT_TEMPLATES, Layout, MetricId, Presentation, Section, Template, Templates,
};
use std::path::Path;
use toml::Spanned;

/// The shipped briefing layout.
pub const DEFAULT_LAYOUT: &str = include_str!("../../templates/briefing.toml");
/// How the shipped layout is named in messages.
const DEFAULT_LAYOUT_PATH: &str = "<opbrief>/templates/briefing.toml";
/// The most key-figure tiles page 1 has room for.
const MAX_TILES: usize = 6;

/// A metric key named in `field`; an unknown one is an error with a
/// suggestion.
fn metric(
    loader: &mut Loader,
    source: usize,
    catalogue: &Catalogue,
    field: &str,
    key: &Spanned<String>,
) -> Option<MetricId> {
    let found = catalogue.find(key.get_ref());
    if found.is_none() {
        loader.error(
            source,
            key.span(),
            InputError::new(format!(
                "unknown metric `{}`",
                files::shown(key.get_ref(), 80)
            ))
            .key(field)
            .help_opt(did_you_mean(
                key.get_ref(),
                catalogue.iter().map(|m| m.key.as_str()),
            )),
        );
    }
    found
}

/// A list of tiles: 1–6 known metric keys.
fn tiles(
    loader: &mut Loader,
    source: usize,
    catalogue: &Catalogue,
    field: &str,
    keys: &Spanned<Vec<Spanned<String>>>,
) -> Option<Vec<MetricId>> {
    let count = keys.get_ref().len();
    if count == 0 || count > MAX_TILES {
        loader.error(
            source,
            keys.span(),
            InputError::new(format!(
                "{count} tiles; the briefing shows 1 to {MAX_TILES}"
            ))
            .key(field)
            .help("leave the key out to show the stated top-level metrics"),
        );
        return None;
    }
    let ids: Vec<Option<MetricId>> = keys
        .get_ref()
        .iter()
        .map(|key| metric(loader, source, catalogue, field, key))
        .collect();
    ids.into_iter().collect()
}

pub fn read_presentation(
    loader: &mut Loader,
    source: usize,
    catalogue: &Catalogue,
    raw: Option<&RawPresentation>,
) -> Presentation {
    let Some(raw) = raw else {
        return Presentation::default();
    };
    Presentation {
        headline: raw
            .headline
            .as_ref()
            .and_then(|key| metric(loader, source, catalogue, "presentation.headline", key)),
        tiles: raw
            .tiles
            .as_ref()
            .and_then(|keys| tiles(loader, source, catalogue, "presentation.tiles", keys)),
    }
}

/// The operation's templates/briefing.toml, else the shipped layout.
pub fn read_layout(loader: &mut Loader, dir: &Path, catalogue: &Catalogue) -> Layout {
    let path = dir.join("templates").join("briefing.toml");
    let source = if std::fs::symlink_metadata(&path).is_ok() {
        match loader.read(&path) {
            Some(source) => source,
            None => return Layout::default(),
        }
    } else {
        // Not an input of the operation: parsed without joining its sources.
        return match toml::from_str::<RawLayout>(DEFAULT_LAYOUT) {
            Ok(raw) if raw.tiles.is_none() && raw.reporter_charts.is_none() => Layout {
                tiles: None,
                sections: raw
                    .sections
                    .get_ref()
                    .iter()
                    .filter_map(|s| Section::ALL.into_iter().find(|k| k.key() == s.get_ref()))
                    .collect(),
                reporter_charts: None,
            },
            _ => {
                loader.push(InputError::new(format!(
                    "{DEFAULT_LAYOUT_PATH} is not a valid layout that names no metric"
                )));
                Layout::default()
            }
        };
    };
    let Some(raw) = loader.parse::<RawLayout>(source) else {
        return Layout::default();
    };
    let mut sections = Vec::new();
    for name in raw.sections.get_ref() {
        match Section::ALL.into_iter().find(|s| s.key() == name.get_ref()) {
            Some(section) if sections.contains(&section) => loader.error(
                source,
                name.span(),
                InputError::new(format!("section `{}` is listed twice", name.get_ref()))
                    .key("sections"),
            ),
            Some(section) => sections.push(section),
            None => loader.error(
                source,
                name.span(),
                InputError::new(format!(
                    "unknown section `{}`",
                    files::shown(name.get_ref(), 80)
                ))
                .key("sections")
                .help_opt(did_you_mean(
                    name.get_ref(),
                    Section::ALL.iter().map(|s| s.key()),
                )),
            ),
        }
    }
    let tiles = raw
        .tiles
        .as_ref()
        .and_then(|keys| tiles(loader, source, catalogue, "tiles", keys));
    let reporter_charts = raw.reporter_charts.as_ref().map(|keys| {
        keys.iter()
            .filter_map(|key| metric(loader, source, catalogue, "reporter_charts", key))
            .collect()
    });
    Layout {
        tiles,
        sections,
        reporter_charts,
    }
}

/// Byte offset of the start of 1-based `line` in `text`.
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// The text templates: each shipped name, overridden by the operation's
/// templates/text/<name> where it has one (read like every input, through
/// the containment check). Every template is compiled here, so a syntax
/// error is an input error at its line; a file in templates/text/ that is
/// not a template opbrief uses is an error too (a misspelt override would
/// otherwise be silently ignored).
pub fn read_templates(loader: &mut Loader, dir: &Path) -> Templates {
    let folder = dir.join("templates").join("text");
    let mut templates = Vec::new();
    for (name, default) in DEFAULT_TEMPLATES {
        let path = folder.join(name);
        let mut template = Template {
            name,
            text: default.to_string(),
            source: None,
        };
        if std::fs::symlink_metadata(&path).is_ok() {
            let Some(source) = loader.read(&path) else {
                continue;
            };
            template.text = loader
                .sources
                .get(source)
                .map(|f| f.text.clone())
                .unwrap_or_default();
            template.source = Some(source);
        }
        templates.push(template);
    }
    if folder.is_dir()
        && let Ok(entries) = std::fs::read_dir(&folder)
    {
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .filter(|n| !DEFAULT_TEMPLATES.iter().any(|(known, _)| known == n))
            .collect();
        names.sort();
        for name in names {
            loader.push(
                InputError::new(format!(
                    "{} is not a template opbrief uses",
                    folder.join(files::shown(&name, 80)).display()
                ))
                .help(
                    did_you_mean(&name, DEFAULT_TEMPLATES.iter().map(|(known, _)| *known))
                        .unwrap_or_else(|| {
                            format!(
                                "the templates are {}",
                                DEFAULT_TEMPLATES.map(|(known, _)| known).join(", ")
                            )
                        }),
                ),
            );
        }
    }
    let templates = Templates(templates);
    // A template that could not be read has already been reported.
    if templates.0.len() == DEFAULT_TEMPLATES.len()
        && let Err(error) = crate::narrate::environment(&templates)
    {
        let at = templates
            .iter()
            .find(|t| t.name == error.template)
            .and_then(|t| t.source);
        let problem = InputError::new(format!("template {}: {}", error.template, error.message));
        match (at, error.line) {
            (Some(source), line) => {
                let start = loader
                    .sources
                    .get(source)
                    .map_or(0, |f| line_start(&f.text, line.unwrap_or(1)));
                loader.error(source, start..start, problem);
            }
            (None, _) => loader.push(problem),
        }
    }
    templates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_layout_names_no_metric_and_every_section() {
        let raw: RawLayout = toml::from_str(DEFAULT_LAYOUT).unwrap();
        assert!(raw.tiles.is_none() && raw.reporter_charts.is_none());
        assert_eq!(raw.sections.get_ref().len(), Section::ALL.len());
    }

    #[test]
    fn line_starts() {
        assert_eq!(line_start("a\nbc\nd", 1), 0);
        assert_eq!(line_start("a\nbc\nd", 2), 2);
        assert_eq!(line_start("a\nbc\nd", 3), 5);
        assert_eq!(line_start("a\nbc\nd", 9), 6);
    }
}
