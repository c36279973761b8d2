//! PDF briefing engine: a [`DocSpec`] of finished strings and numbers in,
//! deterministic PDF bytes out.
//!
//! The engine knows nothing about operations, returns or checks; it lays out
//! what it is given. It runs in two named steps so each can be tested alone:
//!
//! 1. [`layout()`] — blocks → pages of positioned items (text runs with their
//!    measured boxes, rectangles, lines, chart shapes), in points from the top
//!    left of an A4 page. Pagination, wrapping, repeated table headers,
//!    markings and "Page n of N" are all decided here.
//! 2. paint — pages → printpdf operations → bytes, with the
//!    bundled fonts embedded and metadata taken from the spec only; then
//!    `tagged` adds what printpdf does not write — the structure tree,
//!    `/MarkInfo`, `/Lang`, the outline in section order — to the lopdf
//!    document, so the briefing is a tagged (accessible) PDF.
//!
//! Modules: `fonts` (the bundled family, parsed once, glyph checks and
//! advances), `text` (measure + greedy wrap), `layout` (blocks → positioned
//! pages), `chart` (horizontal bar charts drawn by plotters through a
//! display-list backend), `subset` (cuts each face to
//! the glyphs used, keeping glyph ids), `paint` (pages → PDF).
//!
//! Every visible number arrives pre-formatted; `Bar::value` is used for bar
//! geometry only. Same spec in, same bytes out: no clock, no hash-ordered
//! maps, no random ids.

mod chart;
mod fonts;
pub mod layout;
mod paint;
mod subset;
mod tagged;
mod text;

use std::fmt;

pub use fonts::{FaceKind, PRINTED, family};
pub use layout::{BoxPt, Item, Layout, Node, OutlineEntry, Page, Rgb, Role, TextRun, layout};

/// Everything a briefing contains. Built by the caller from checked figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DocSpec {
    /// Document title (PDF metadata).
    pub title: String,
    /// Document subject (PDF metadata).
    pub subject: String,
    /// Author (PDF metadata), e.g. the coordinating unit.
    pub author: String,
    /// Language of the text as a BCP 47 tag, e.g. "en" (the catalogue's
    /// `/Lang`, which screen readers use to pick a voice).
    pub lang: String,
    /// Keywords (PDF metadata), in order.
    pub keywords: Vec<String>,
    /// Creation and modification date for the metadata, in Unix seconds.
    /// Taken from the data (or `SOURCE_DATE_EPOCH`), never from the clock.
    pub creation_unix: i64,
    /// Handling marking, e.g. "PUBLIC" or "TLP:AMBER": centred at the top and
    /// the bottom of every page.
    pub marking: String,
    /// Footer text, e.g. "jad-see-2023 · revision 1 · 28 November 2026";
    /// printed on every page beside "Page n of N".
    pub footer: String,
    /// The content, top to bottom.
    pub blocks: Vec<Block>,
}

/// One piece of content. Blocks stack vertically in the text frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Title, subtitle and key facts, e.g. `("Period", "13–18 November 2023")`.
    TitleBlock {
        /// Main title.
        title: String,
        /// Line under the title.
        subtitle: String,
        /// Label/value pairs, shown as a two-column list.
        facts: Vec<(String, String)>,
    },
    /// Section heading; kept on the same page as what follows it.
    Heading(String),
    /// Body text, wrapped to the text width; may break across pages.
    /// `\n` forces a line break.
    Paragraph(String),
    /// A bulleted list; each item wraps with a hanging indent.
    Bullets(Vec<String>),
    /// Key-figure tiles (4–6 read best): big value, small label.
    Tiles(Vec<Tile>),
    /// A tinted box with a coloured bar, e.g. "2 errors in the data".
    Callout {
        /// Colour of the box.
        tone: Tone,
        /// Bold first line.
        title: String,
        /// One paragraph each.
        lines: Vec<String>,
    },
    /// A horizontal bar chart with its title above and caption below.
    Chart(ChartSpec),
    /// A table that breaks across pages, header repeated on every page.
    Table(TableSpec),
    /// Start a new page (ignored at the top of an empty page).
    PageBreak,
}

/// A key-figure tile.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// Pre-formatted value, e.g. "22 488" (with U+202F).
    pub value: String,
    /// What it counts, e.g. "persons checked".
    pub label: String,
    /// Accent colour.
    pub tone: Tone,
}

impl Row {
    /// An ordinary row: no indent, regular weight, no tint.
    pub fn plain(cells: Vec<String>) -> Row {
        Row {
            cells,
            indent: 0,
            strong: false,
            tone: Tone::Neutral,
        }
    }
}

/// Semantic colour. The engine maps it to a restrained palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    /// Default: dark blue accents, normal text.
    #[default]
    Neutral,
    /// Red: data errors, unattributed figures.
    Error,
    /// Amber: warnings.
    Warning,
    /// Blue: information.
    Info,
    /// Green: all clear.
    Ok,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// Shown above the chart.
    pub title: String,
    /// Shown below the chart (source, notes).
    pub caption: String,
    /// Unit of the value axis, e.g. "persons" or "kg"; may be empty.
    pub unit: String,
    /// Bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Category label, left of the bar (wraps if long).
    pub label: String,
    /// Length of the bar. Used for geometry only; negative or non-finite
    /// values are drawn as zero-length bars (the value label still shows).
    pub value: f64,
    /// The visible value, pre-formatted, right of the bar end.
    pub value_label: String,
    /// Error/Warning bars are drawn red/amber (e.g. "unattributed").
    pub tone: Tone,
}

/// A table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    /// Column definitions; every row must have one cell per column.
    pub columns: Vec<Column>,
    /// Body rows.
    pub rows: Vec<Row>,
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text (bold, grey band, repeated on every page).
    pub header: String,
    /// Relative width weight (> 0); columns share the text width in proportion.
    pub width: f32,
    /// Alignment of the header and the cells.
    pub align: Align,
}

/// Horizontal alignment inside a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Text starts at the left padding.
    #[default]
    Left,
    /// Text ends at the right padding (numbers).
    Right,
}

/// A table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// One pre-formatted string per column; long text wraps in its column.
    pub cells: Vec<String>,
    /// Indent level of the first cell (breakdowns under a total).
    pub indent: u8,
    /// Bold row (totals).
    pub strong: bool,
    /// Row colour (Error rows are tinted red, and so on).
    pub tone: Tone,
}

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum PdfError {
    /// `text` contains `ch`, which the bundled font has no glyph for.
    /// The engine never draws a blank box in its place.
    MissingGlyph {
        /// The character.
        ch: char,
        /// The whole string it appeared in, to find it in the input.
        text: String,
    },
    /// A bundled font file could not be parsed or cut down (a build
    /// problem, not input).
    FontUnusable {
        /// PostScript name of the face.
        face: &'static str,
        /// What went wrong.
        reason: &'static str,
    },
    /// A table row has a different number of cells than the table has columns.
    TableShape {
        /// Index of the row (0-based, body rows).
        row: usize,
        /// Number of columns.
        expected: usize,
        /// Number of cells in the row.
        found: usize,
    },
    /// A table has no columns, or a column weight is not a positive number.
    InvalidColumns {
        /// What is wrong.
        reason: String,
    },
    /// `creation_unix` is outside the range a PDF date can express.
    CreationDate {
        /// The offending timestamp.
        unix: i64,
    },
    /// plotters reported an error while drawing a chart.
    Chart {
        /// Chart title.
        title: String,
        /// plotters' message.
        message: String,
    },
    /// The PDF writer failed.
    Write {
        /// The writer's message.
        message: String,
    },
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::MissingGlyph { ch, text } => write!(
                f,
                "the bundled font has no glyph for {ch:?} (U+{:04X}) in {text:?}",
                u32::from(*ch)
            ),
            PdfError::FontUnusable { face, reason } => {
                write!(f, "bundled font {face} is unusable: {reason}")
            }
            PdfError::TableShape {
                row,
                expected,
                found,
            } => write!(
                f,
                "table row {row} has {found} cells but the table has {expected} columns"
            ),
            PdfError::InvalidColumns { reason } => write!(f, "invalid table columns: {reason}"),
            PdfError::CreationDate { unix } => {
                write!(f, "creation time {unix} cannot be written as a PDF date")
            }
            PdfError::Chart { title, message } => {
                write!(f, "chart {title:?} could not be drawn: {message}")
            }
            PdfError::Write { message } => write!(f, "PDF could not be written: {message}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// Renders `spec` to PDF bytes: [`layout()`] then paint.
///
/// The same `spec` always gives byte-identical output.
pub fn render(spec: &DocSpec) -> Result<Vec<u8>, PdfError> {
    let laid_out = layout(spec)?;
    paint::paint(spec, &laid_out)
}
