//! How the documents present an operation: its chosen headline and tiles,
//! the briefing's layout and the text templates, all read at load so that
//! nothing later touches the disk.

use super::catalogue::MetricId;

/// `[presentation]` in operation.toml: what the operation chose. `None`
/// means "derive it from the figures" (see `narrate::view`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Presentation {
    /// The metric whose figure heads the release.
    pub headline: Option<MetricId>,
    /// The metrics shown as key-figure tiles, in order (1–6).
    pub tiles: Option<Vec<MetricId>>,
}

/// A section of the briefing, in the order the layout lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Summary,
    KeyFigures,
    Charts,
    Results,
    DataQuality,
    Participants,
    Sources,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Summary,
        Section::KeyFigures,
        Section::Charts,
        Section::Results,
        Section::DataQuality,
        Section::Participants,
        Section::Sources,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Summary => "summary",
            Section::KeyFigures => "key-figures",
            Section::Charts => "charts",
            Section::Results => "results",
            Section::DataQuality => "data-quality",
            Section::Participants => "participants",
            Section::Sources => "sources",
        }
    }
}

/// The briefing layout (templates/briefing.toml or the operation's own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Tiles named by the layout; `[presentation] tiles` wins over them.
    pub tiles: Option<Vec<MetricId>>,
    pub sections: Vec<Section>,
    /// Metrics charted per reporter and per day; `None`: derived.
    pub reporter_charts: Option<Vec<MetricId>>,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            tiles: None,
            sections: Section::ALL.to_vec(),
            reporter_charts: None,
        }
    }
}

/// The shipped text templates: (name, text). Only these names are ever
/// loaded, from the operation's templates/text/ where it has them.
pub const DEFAULT_TEMPLATES: [(&str, &str); 8] = [
    ("macros.j2", include_str!("../../templates/text/macros.j2")),
    (
        "headline.j2",
        include_str!("../../templates/text/headline.j2"),
    ),
    ("lead.j2", include_str!("../../templates/text/lead.j2")),
    (
        "summary.j2",
        include_str!("../../templates/text/summary.j2"),
    ),
    (
        "caption.j2",
        include_str!("../../templates/text/caption.j2"),
    ),
    (
        "reporter-caption.j2",
        include_str!("../../templates/text/reporter-caption.j2"),
    ),
    (
        "data-quality.j2",
        include_str!("../../templates/text/data-quality.j2"),
    ),
    (
        "press-release.md.j2",
        include_str!("../../templates/text/press-release.md.j2"),
    ),
];

/// One text template as the operation uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub name: &'static str,
    pub text: String,
    /// The operation's override (an index into `Operation::sources`), or
    /// `None` for the shipped text.
    pub source: Option<usize>,
}

/// Every template, in [`DEFAULT_TEMPLATES`] order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Templates(pub Vec<Template>);

impl Default for Templates {
    fn default() -> Templates {
        Templates(
            DEFAULT_TEMPLATES
                .iter()
                .map(|&(name, text)| Template {
                    name,
                    text: text.to_string(),
                    source: None,
                })
                .collect(),
        )
    }
}

impl Templates {
    pub fn iter(&self) -> impl Iterator<Item = &Template> {
        self.0.iter()
    }
}
