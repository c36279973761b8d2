//! Blocks → pages of positioned items.
//!
//! Coordinates are points from the top-left corner of an A4 page, y growing
//! downwards (the painter flips them). Every text run carries the box it
//! occupies — its measured advance width by the font's ascent-to-descent
//! height — so tests can prove that nothing leaves the page or overlaps.
//!
//! The body is laid out first; markings and "Page n of N" are added once the
//! page count is known.

use super::chart;
use super::fonts::{FaceKind, Family, family};
use super::text::{fit_size, wrap};
use super::{Align, Block, ChartSpec, DocSpec, PdfError, TableSpec, Tile, Tone};

/// A4 width in points.
pub const PAGE_W: f32 = 595.276;
/// A4 height in points.
pub const PAGE_H: f32 = 841.89;
/// Left and right margin of the text frame (20 mm).
const MARGIN_X: f32 = 56.7;
/// Top of the text frame; the marking and a rule sit above it.
const BODY_TOP: f32 = 72.0;
/// Bottom of the text frame; footer and marking sit below it.
const BODY_BOTTOM: f32 = PAGE_H - 72.0;
/// Nothing at all is placed closer than this to the paper edge (~8 mm).
const PRINTABLE_INSET: f32 = 22.0;

/// An sRGB colour, 0–255 per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Palette: one dark blue for structure, greys for chrome, muted tones.
pub(super) mod colour {
    use super::Rgb;
    pub const DARK_BLUE: Rgb = Rgb(31, 58, 95);
    pub const TEXT: Rgb = Rgb(33, 37, 41);
    pub const GREY: Rgb = Rgb(90, 98, 112);
    pub const RULE: Rgb = Rgb(197, 204, 214);
    pub const HAIRLINE: Rgb = Rgb(224, 228, 233);
    pub const HEADER_BG: Rgb = Rgb(233, 237, 242);
    pub const ZEBRA: Rgb = Rgb(247, 249, 251);
    pub const TILE_BG: Rgb = Rgb(243, 246, 249);
}

/// Accent colour of a tone (text, bars, rules).
pub(super) fn accent(tone: Tone) -> Rgb {
    match tone {
        Tone::Neutral => colour::DARK_BLUE,
        Tone::Error => Rgb(179, 38, 30),
        Tone::Warning => Rgb(168, 98, 0),
        Tone::Info => Rgb(29, 95, 168),
        Tone::Ok => Rgb(46, 125, 50),
    }
}

/// Light background tint of a tone (callouts, tinted rows).
fn tint(tone: Tone) -> Rgb {
    match tone {
        Tone::Neutral => colour::TILE_BG,
        Tone::Error => Rgb(252, 235, 234),
        Tone::Warning => Rgb(255, 244, 224),
        Tone::Info => Rgb(232, 241, 251),
        Tone::Ok => Rgb(234, 245, 234),
    }
}

/// An axis-aligned box in points (top-left origin, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxPt {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl BoxPt {
    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    /// Whether `other` lies inside `self` (with 0.01 pt tolerance for rounding).
    pub fn contains(&self, other: &BoxPt) -> bool {
        const EPS: f32 = 0.01;
        other.x >= self.x - EPS
            && other.y >= self.y - EPS
            && other.right() <= self.right() + EPS
            && other.bottom() <= self.bottom() + EPS
    }
    /// Whether the interiors of the two boxes overlap (touching is fine).
    pub fn overlaps(&self, other: &BoxPt) -> bool {
        const EPS: f32 = 0.01;
        self.x < other.right() - EPS
            && other.x < self.right() - EPS
            && self.y < other.bottom() - EPS
            && other.y < self.bottom() - EPS
    }
}

/// One line of text at a fixed position, in one face, size and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left end of the baseline.
    pub x: f32,
    /// Baseline y.
    pub baseline: f32,
    /// The text (never contains `\n`).
    pub text: String,
    /// Regular or bold.
    pub face: FaceKind,
    /// Font size in points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
    /// The box the run occupies: advance width × (ascent − descent).
    pub bbox: BoxPt,
}

/// A positioned drawing primitive.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text.
    Text(TextRun),
    /// A rectangle, filled and/or stroked.
    Rect {
        /// Geometry.
        rect: BoxPt,
        /// Fill colour, if filled.
        fill: Option<Rgb>,
        /// Stroke colour and width, if stroked.
        stroke: Option<(Rgb, f32)>,
    },
    /// An open polyline (a rule is a two-point line).
    Line {
        /// Points, in order.
        points: Vec<(f32, f32)>,
        /// Stroke colour.
        color: Rgb,
        /// Stroke width in points.
        width: f32,
    },
    /// A closed, filled polygon.
    Polygon {
        /// Vertices, in order.
        points: Vec<(f32, f32)>,
        /// Fill colour.
        fill: Rgb,
    },
}

/// One page of positioned items, painted in order (later items on top).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// The items.
    pub items: Vec<Item>,
    /// One entry per item: the structure node (index into
    /// [`Layout::structure`]) the item is content of, or `None` for page
    /// furniture and decoration (painted as an artifact).
    pub tags: Vec<Option<usize>>,
}

/// The role of a structure node, named as in ISO 32000-1, 14.8.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The whole document (the root).
    Document,
    /// The document title.
    H1,
    /// A section heading.
    H2,
    /// A paragraph (also a chart title, a caption line, a tile).
    P,
    /// A list.
    L,
    /// A list item.
    LI,
    /// A list item's bullet.
    Lbl,
    /// A list item's text.
    LBody,
    /// A table.
    Table,
    /// A table row.
    TR,
    /// A header cell.
    TH,
    /// A data cell.
    TD,
    /// A chart; its [`Node::alt`] states the figures.
    Figure,
    /// A chart's caption.
    Caption,
}

impl Role {
    /// The standard structure type name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::H1 => "H1",
            Role::H2 => "H2",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::Table => "Table",
            Role::TR => "TR",
            Role::TH => "TH",
            Role::TD => "TD",
            Role::Figure => "Figure",
            Role::Caption => "Caption",
        }
    }
}

/// One node of the logical structure: the reading order of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it is.
    pub role: Role,
    /// The enclosing node; `None` only for the root (index 0).
    pub parent: Option<usize>,
    /// Alternative text (figures).
    pub alt: Option<String>,
}

/// A bookmark: a section heading and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// The heading's text.
    pub title: String,
    /// Page index (0-based).
    pub page: usize,
    /// Top of the heading (layout y, down from the top).
    pub y: f32,
}

impl Page {
    /// The text runs on the page, in paint order.
    pub fn texts(&self) -> impl Iterator<Item = &TextRun> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Page width in points.
    pub page_width: f32,
    /// Page height in points.
    pub page_height: f32,
    /// The text frame: every body item lies inside it.
    pub body: BoxPt,
    /// The printable area: everything, markings and footer included, lies inside it.
    pub printable: BoxPt,
    /// The pages, first to last.
    pub pages: Vec<Page>,
    /// The structure tree in document order; node 0 is the root.
    pub structure: Vec<Node>,
    /// The section headings, in document order.
    pub outline: Vec<OutlineEntry>,
}

/// Body text: size, leading.
const BODY: (f32, f32) = (10.0, 14.5);

/// Lays out `spec` into pages. Fails on a character the font lacks, a
/// malformed table, or a chart plotters cannot draw.
pub fn layout(spec: &DocSpec) -> Result<Layout, PdfError> {
    let fam = family()?;
    let mut b = Builder::new(fam);
    // Full-width charts share one label column, so their plot areas align.
    b.label_floor = spec
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Chart(c) => Some(chart::natural_label_width(fam, c)),
            _ => None,
        })
        .fold(0.0, f32::max);
    let pieces = pieces(fam, &spec.blocks);
    let mut blocks = pieces.into_iter().peekable();
    while let Some(block) = blocks.next() {
        let Piece::One(Block::Heading(text)) = block else {
            b.piece(block)?;
            continue;
        };
        // A heading must not end a page alone. Lay it out with the block that
        // follows; if that block started on the next page anyway (a chart or
        // table moved there whole), undo both and start them on a new page.
        let mark = b.mark();
        b.heading(text)?;
        let Some(next) =
            blocks.next_if(|n| !matches!(n, Piece::One(Block::Heading(_) | Block::PageBreak)))
        else {
            continue;
        };
        // An intro paragraph goes with the table or chart it introduces:
        // heading, intro and the start of the table stay on one page.
        let then = match next {
            Piece::One(Block::Paragraph(_)) => blocks.next_if(|n| {
                matches!(
                    n,
                    Piece::One(Block::Table(_) | Block::Chart(_)) | Piece::Pair(..)
                )
            }),
            _ => None,
        };
        let mut orphaned = false;
        for piece in std::iter::once(next).chain(then) {
            let before = b.mark();
            b.piece(piece)?;
            orphaned |= b.pages.len() > before.page
                && b.pages.get(before.page - 1).map(Vec::len) == Some(before.items);
        }
        if orphaned && mark.y > BODY_TOP + 0.01 {
            b.rewind(mark);
            b.new_page();
            b.heading(text)?;
            for piece in std::iter::once(next).chain(then) {
                b.piece(piece)?;
            }
        }
    }
    b.page_furniture(&spec.marking, &spec.footer)?;
    Ok(Layout {
        page_width: PAGE_W,
        page_height: PAGE_H,
        body: body_box(),
        printable: BoxPt {
            x: PRINTABLE_INSET,
            y: PRINTABLE_INSET,
            w: PAGE_W - 2.0 * PRINTABLE_INSET,
            h: PAGE_H - 2.0 * PRINTABLE_INSET,
        },
        pages: b
            .pages
            .into_iter()
            .zip(b.tags)
            .map(|(items, mut tags)| {
                // Page furniture was added untagged: artifacts.
                tags.resize(items.len(), None);
                Page { items, tags }
            })
            .collect(),
        structure: b.nodes,
        outline: b.outline,
    })
}

/// What the layout places as one unit: a block, or two short charts side
/// by side.
#[derive(Clone, Copy)]
enum Piece<'a> {
    One(&'a Block),
    Pair(&'a ChartSpec, &'a ChartSpec),
}

/// Horizontal gap between the two charts of a pair.
const PAIR_GAP: f32 = 18.0;

/// The blocks with each run of short charts paired off, two to a row.
fn pieces<'a>(fam: &Family, blocks: &'a [Block]) -> Vec<Piece<'a>> {
    let half = (PAGE_W - 2.0 * MARGIN_X - PAIR_GAP) / 2.0;
    let mut out = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        if let (Block::Chart(a), Some(Block::Chart(b))) = (&blocks[i], blocks.get(i + 1))
            && chart::is_short(fam, a, half)
            && chart::is_short(fam, b, half)
        {
            out.push(Piece::Pair(a, b));
            i += 2;
            continue;
        }
        out.push(Piece::One(&blocks[i]));
        i += 1;
    }
    out
}

fn body_box() -> BoxPt {
    BoxPt {
        x: MARGIN_X,
        y: BODY_TOP,
        w: PAGE_W - 2.0 * MARGIN_X,
        h: BODY_BOTTOM - BODY_TOP,
    }
}

/// A cursor position to rewind to.
#[derive(Debug, Clone, Copy)]
struct Mark {
    page: usize,
    items: usize,
    y: f32,
    nodes: usize,
    outline: usize,
    current: usize,
}

/// Where the next block goes: the pages so far and the y of the cursor.
struct Builder {
    fam: &'static Family,
    pages: Vec<Vec<Item>>,
    /// Parallel to `pages`: each item's structure node, `None` = artifact.
    tags: Vec<Vec<Option<usize>>>,
    y: f32,
    nodes: Vec<Node>,
    /// The node new content belongs to.
    current: usize,
    /// The narrowest label column of a full-width chart.
    label_floor: f32,
    outline: Vec<OutlineEntry>,
}

impl Builder {
    fn new(fam: &'static Family) -> Builder {
        Builder {
            fam,
            pages: vec![Vec::new()],
            tags: vec![Vec::new()],
            y: BODY_TOP,
            nodes: vec![Node {
                role: Role::Document,
                parent: None,
                alt: None,
            }],
            current: 0,
            label_floor: 0.0,
            outline: Vec::new(),
        }
    }

    fn piece(&mut self, piece: Piece<'_>) -> Result<(), PdfError> {
        match piece {
            Piece::One(block) => self.block(block),
            Piece::Pair(a, b) => self.chart_pair(a, b),
        }
    }

    /// Opens a structure node under the current one; content goes into it
    /// until [`Builder::close`].
    fn open(&mut self, role: Role) -> usize {
        self.nodes.push(Node {
            role,
            parent: Some(self.current),
            alt: None,
        });
        self.current = self.nodes.len() - 1;
        self.current
    }

    /// Returns to the parent of the current node.
    fn close(&mut self) {
        self.current = self
            .nodes
            .get(self.current)
            .and_then(|n| n.parent)
            .unwrap_or(0);
    }

    /// Runs `body` inside a new node of `role`.
    fn within<T>(
        &mut self,
        role: Role,
        body: impl FnOnce(&mut Self) -> Result<T, PdfError>,
    ) -> Result<T, PdfError> {
        let outer = self.current;
        self.open(role);
        let out = body(self);
        self.current = outer;
        out
    }

    /// Lays out one non-heading block.
    fn block(&mut self, block: &Block) -> Result<(), PdfError> {
        match block {
            Block::TitleBlock {
                title,
                subtitle,
                facts,
            } => self.title_block(title, subtitle, facts),
            Block::Heading(text) => self.heading(text),
            Block::Paragraph(text) => self.paragraph(text),
            Block::Bullets(items) => self.bullets(items),
            Block::Tiles(tiles) => self.tiles(tiles),
            Block::Callout { tone, title, lines } => self.callout(*tone, title, lines),
            Block::Chart(chart) => self.chart(chart),
            Block::Table(table) => self.table(table),
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
                Ok(())
            }
        }
    }

    /// Where the cursor is: page count, items on the last page, y.
    fn mark(&self) -> Mark {
        Mark {
            page: self.pages.len(),
            items: self.pages.last().map_or(0, Vec::len),
            y: self.y,
            nodes: self.nodes.len(),
            outline: self.outline.len(),
            current: self.current,
        }
    }

    /// Drops everything laid out since `mark`.
    fn rewind(&mut self, mark: Mark) {
        self.pages.truncate(mark.page.max(1));
        self.tags.truncate(mark.page.max(1));
        if let Some(page) = self.pages.last_mut() {
            page.truncate(mark.items);
        }
        if let Some(tags) = self.tags.last_mut() {
            tags.truncate(mark.items);
        }
        self.y = mark.y;
        self.nodes.truncate(mark.nodes);
        self.outline.truncate(mark.outline);
        self.current = mark.current;
    }

    fn width(&self) -> f32 {
        PAGE_W - 2.0 * MARGIN_X
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.tags.push(Vec::new());
        self.y = BODY_TOP;
    }

    fn at_top(&self) -> bool {
        self.y <= BODY_TOP + 0.01
    }

    fn room(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    /// Starts a new page unless `h` points fit below the cursor (or the page
    /// is still empty, where waiting would not help).
    fn ensure(&mut self, h: f32) {
        if h > self.room() + 0.01 && !self.at_top() {
            self.new_page();
        }
    }

    /// Adds vertical space, but never at the top of a page.
    fn space(&mut self, h: f32) {
        if !self.at_top() {
            self.y = (self.y + h).min(BODY_BOTTOM);
        }
    }

    /// Adds content of the current structure node.
    fn push(&mut self, item: Item) {
        self.push_tagged(item, Some(self.current));
    }

    /// Adds decoration (fills, rules, repeated headers): an artifact.
    fn decor(&mut self, item: Item) {
        self.push_tagged(item, None);
    }

    fn push_tagged(&mut self, item: Item, tag: Option<usize>) {
        if let (Some(page), Some(tags)) = (self.pages.last_mut(), self.tags.last_mut()) {
            page.push(item);
            tags.push(tag);
        }
    }

    /// Glyph-checked wrap of `text` in `face` at `size` into `width`.
    fn lines(
        &self,
        face: FaceKind,
        text: &str,
        size: f32,
        width: f32,
    ) -> Result<Vec<String>, PdfError> {
        let f = self.fam.face(face);
        f.check(text)?;
        Ok(wrap(f, &f.spaced(text), size, width))
    }

    /// A text run whose line slot starts at `slot_top` and is `leading` high;
    /// the glyph box is centred vertically in the slot.
    fn run(&self, x: f32, slot_top: f32, leading: f32, text: &str, style: St) -> TextRun {
        make_run(self.fam, x, slot_top, leading, text, style)
    }

    fn rule(&mut self, y: f32, color: Rgb, width: f32) {
        let x = MARGIN_X;
        let w = self.width();
        self.decor(Item::Line {
            points: vec![(x, y), (x + w, y)],
            color,
            width,
        });
    }

    fn title_block(
        &mut self,
        title: &str,
        subtitle: &str,
        facts: &[(String, String)],
    ) -> Result<(), PdfError> {
        let w = self.width();
        let (size, leading) = (22.0, 27.0);
        self.within(Role::H1, |b| {
            b.wrapped(title, St(FaceKind::Bold, size, colour::DARK_BLUE), leading)
        })?;
        if !subtitle.is_empty() {
            self.y += 2.0;
            let (size, leading) = (12.0, 16.0);
            self.within(Role::P, |b| {
                b.wrapped(subtitle, St(FaceKind::Regular, size, colour::GREY), leading)
            })?;
        }
        if !facts.is_empty() {
            self.space(12.0);
            let (lsize, vsize, leading, pad) = (8.5, 10.0, 14.0, 3.0);
            let mut label_w: f32 = 0.0;
            for (label, _) in facts {
                self.fam.bold.check(label)?;
                label_w = label_w.max(self.fam.bold.width(label, lsize));
            }
            let col1 = (label_w + 14.0).min(w * 0.35);
            self.ensure(leading + 2.0 * pad + 1.0);
            self.rule(self.y, colour::DARK_BLUE, 0.8);
            self.y += 1.0;
            let outer = self.current;
            self.open(Role::Table);
            for (label, value) in facts {
                let ll = self.lines(FaceKind::Bold, label, lsize, col1 - 10.0)?;
                let vl = self.lines(FaceKind::Regular, value, vsize, w - col1)?;
                let h = ll.len().max(vl.len()) as f32 * leading + 2.0 * pad;
                self.ensure(h);
                let top = self.y + pad;
                let table = self.current;
                self.open(Role::TR);
                let row = self.current;
                self.open(Role::TH);
                for (i, l) in ll.iter().enumerate() {
                    let run = self.run(
                        MARGIN_X,
                        top + i as f32 * leading,
                        leading,
                        l,
                        St(FaceKind::Bold, lsize, colour::GREY),
                    );
                    self.push(Item::Text(run));
                }
                self.current = row;
                self.open(Role::TD);
                for (i, l) in vl.iter().enumerate() {
                    let run = self.run(
                        MARGIN_X + col1,
                        top + i as f32 * leading,
                        leading,
                        l,
                        St(FaceKind::Regular, vsize, colour::TEXT),
                    );
                    self.push(Item::Text(run));
                }
                self.current = table;
                self.y += h;
                self.rule(self.y, colour::HAIRLINE, 0.5);
            }
            self.current = outer;
        }
        self.space(16.0);
        Ok(())
    }

    fn heading(&mut self, text: &str) -> Result<(), PdfError> {
        let (size, leading) = (13.5, 17.0);
        let lines = self.lines(FaceKind::Bold, text, size, self.width())?;
        self.space(10.0);
        // Keep the heading with at least a few lines of what follows.
        self.ensure(lines.len() as f32 * leading + 8.0 + 60.0);
        self.outline.push(OutlineEntry {
            title: text.to_string(),
            page: self.pages.len() - 1,
            y: self.y,
        });
        let outer = self.current;
        self.open(Role::H2);
        for line in &lines {
            let run = self.run(
                MARGIN_X,
                self.y,
                leading,
                line,
                St(FaceKind::Bold, size, colour::DARK_BLUE),
            );
            self.push(Item::Text(run));
            self.y += leading;
        }
        self.current = outer;
        self.y += 2.0;
        self.rule(self.y, colour::RULE, 0.6);
        self.y += 8.0;
        Ok(())
    }

    /// Text wrapped to the full text width, one run per line, each line
    /// moving to a new page when it does not fit.
    fn wrapped(&mut self, text: &str, style: St, leading: f32) -> Result<(), PdfError> {
        let St(face, size, _) = style;
        let lines = self.lines(face, text, size, self.width())?;
        let n = lines.len();
        // No single line of a paragraph alone at a page foot or head: the
        // first two and the last two lines stay together.
        self.ensure(leading * n.min(2) as f32);
        for (i, line) in lines.into_iter().enumerate() {
            if n >= 4 && i + 2 == n {
                self.ensure(2.0 * leading);
            }
            self.ensure(leading);
            let run = self.run(MARGIN_X, self.y, leading, &line, style);
            self.push(Item::Text(run));
            self.y += leading;
        }
        Ok(())
    }

    fn paragraph(&mut self, text: &str) -> Result<(), PdfError> {
        let (size, leading) = BODY;
        self.within(Role::P, |b| {
            b.wrapped(text, St(FaceKind::Regular, size, colour::TEXT), leading)
        })?;
        self.space(7.0);
        Ok(())
    }

    fn bullets(&mut self, items: &[String]) -> Result<(), PdfError> {
        let (size, leading) = BODY;
        let indent = 14.0;
        let outer = self.current;
        let list = self.open(Role::L);
        for item in items {
            let lines = self.lines(FaceKind::Regular, item, size, self.width() - indent)?;
            self.current = list;
            let li = self.open(Role::LI);
            for (i, line) in lines.iter().enumerate() {
                self.ensure(leading);
                if i == 0 {
                    self.current = li;
                    self.open(Role::Lbl);
                    let bullet = self.run(
                        MARGIN_X + 3.0,
                        self.y,
                        leading,
                        "•",
                        St(FaceKind::Regular, size, colour::DARK_BLUE),
                    );
                    self.push(Item::Text(bullet));
                    self.current = li;
                    self.open(Role::LBody);
                }
                let run = self.run(
                    MARGIN_X + indent,
                    self.y,
                    leading,
                    line,
                    St(FaceKind::Regular, size, colour::TEXT),
                );
                self.push(Item::Text(run));
                self.y += leading;
            }
            self.y += 2.5;
        }
        self.current = outer;
        self.space(5.0);
        Ok(())
    }

    fn tiles(&mut self, tiles: &[Tile]) -> Result<(), PdfError> {
        if tiles.is_empty() {
            return Ok(());
        }
        let n = tiles.len();
        let outer = self.current;
        let list = self.open(Role::L);
        // 4–5 in one row; 6 as 3 × 2; more as rows of up to 5.
        let cols = if n <= 5 { n } else { n.div_ceil(2).min(5) };
        let gap = 8.0;
        let tile_w = (self.width() - gap * (cols as f32 - 1.0)) / cols as f32;
        let (pad, bar) = (9.0, 3.0);
        let inner = tile_w - 2.0 * pad;
        let (lsize, lleading) = (8.5, 11.0);
        for row in tiles.chunks(cols) {
            // Measure every tile of the row first: the row is as tall as its tallest tile.
            let mut prepared = Vec::new();
            // One value size for the whole row (mixed sizes look accidental):
            // the largest at which every value fits on one line, but no smaller
            // than 11 pt — a value still too wide then wraps, at its spaces
            // ("about / EUR 674 000") before anything else.
            let mut vsize: f32 = 20.0;
            for tile in row {
                self.fam.bold.check(&tile.value)?;
                vsize = vsize.min(fit_size(&self.fam.bold, &tile.value, 20.0, 11.0, inner));
            }
            let vleading = vsize * 1.25;
            for tile in row {
                let vlines = self.lines(FaceKind::Bold, &tile.value, vsize, inner)?;
                let llines = self.lines(FaceKind::Regular, &tile.label, lsize, inner)?;
                prepared.push((tile, vsize, vleading, vlines, llines));
            }
            let h = prepared
                .iter()
                .map(|(_, _, vl, v, l)| {
                    bar + pad + v.len() as f32 * vl + 3.0 + l.len() as f32 * lleading + pad
                })
                .fold(0.0, f32::max);
            self.ensure(h);
            for (i, (tile, vsize, vleading, vlines, llines)) in prepared.iter().enumerate() {
                let x = MARGIN_X + i as f32 * (tile_w + gap);
                let top = self.y;
                self.current = list;
                self.open(Role::LI);
                self.open(Role::LBody);
                self.decor(Item::Rect {
                    rect: BoxPt {
                        x,
                        y: top,
                        w: tile_w,
                        h,
                    },
                    fill: Some(if tile.tone == Tone::Neutral {
                        colour::TILE_BG
                    } else {
                        tint(tile.tone)
                    }),
                    stroke: None,
                });
                self.decor(Item::Rect {
                    rect: BoxPt {
                        x,
                        y: top,
                        w: tile_w,
                        h: bar,
                    },
                    fill: Some(accent(tile.tone)),
                    stroke: None,
                });
                let mut y = top + bar + pad;
                for line in vlines {
                    let run = self.run(
                        x + pad,
                        y,
                        *vleading,
                        line,
                        St(FaceKind::Bold, *vsize, accent(tile.tone)),
                    );
                    self.push(Item::Text(run));
                    y += vleading;
                }
                y += 3.0;
                for line in llines {
                    let run = self.run(
                        x + pad,
                        y,
                        lleading,
                        line,
                        St(FaceKind::Regular, lsize, colour::GREY),
                    );
                    self.push(Item::Text(run));
                    y += lleading;
                }
            }
            self.y += h;
            self.space(gap);
        }
        self.current = outer;
        self.space(8.0);
        Ok(())
    }

    fn callout(&mut self, tone: Tone, title: &str, lines: &[String]) -> Result<(), PdfError> {
        let (pad, bar) = (10.0, 4.0);
        let inner = self.width() - bar - 2.0 * pad;
        let x_text = MARGIN_X + bar + pad;
        // One paragraph node for the title and one per line, in reading order.
        let paragraphs: Vec<usize> = (0..=lines.len())
            .map(|_| {
                let id = self.open(Role::P);
                self.close();
                id
            })
            .collect();
        // (face, size, colour, leading, text, space after, paragraph node)
        let mut rows: Vec<(FaceKind, f32, Rgb, f32, String, f32, usize)> = Vec::new();
        for l in self.lines(FaceKind::Bold, title, 10.5, inner)? {
            rows.push((
                FaceKind::Bold,
                10.5,
                accent(tone),
                14.0,
                l,
                0.0,
                paragraphs[0],
            ));
        }
        if let Some(last) = rows.last_mut() {
            last.5 = 3.0;
        }
        for (para, &node) in lines.iter().zip(&paragraphs[1..]) {
            let wrapped = self.lines(FaceKind::Regular, para, 9.5, inner)?;
            let count = wrapped.len();
            for (i, l) in wrapped.into_iter().enumerate() {
                let after = if i + 1 == count { 3.0 } else { 0.0 };
                rows.push((FaceKind::Regular, 9.5, colour::TEXT, 13.0, l, after, node));
            }
        }
        let total: f32 = rows.iter().map(|r| r.3 + r.5).sum::<f32>() + 2.0 * pad;
        self.ensure(total);
        // Draw in fragments so a callout taller than the room left (or than a
        // page) splits cleanly; each fragment gets its own box.
        let mut frag_start = self.y;
        let mut frag_index = self.pages.last().map_or(0, Vec::len);
        let mut y = self.y + pad;
        for (face, size, color, leading, text, after, node) in rows {
            if y + leading + pad > BODY_BOTTOM + 0.01 {
                self.close_callout(tone, frag_index, frag_start, y + pad - frag_start);
                self.new_page();
                frag_start = self.y;
                frag_index = 0;
                y = self.y + pad;
            }
            let run = self.run(x_text, y, leading, &text, St(face, size, color));
            self.push_tagged(Item::Text(run), Some(node));
            y += leading + after;
        }
        let h = (y + pad - frag_start).min(BODY_BOTTOM - frag_start);
        self.close_callout(tone, frag_index, frag_start, h);
        self.y = frag_start + h;
        self.space(12.0);
        Ok(())
    }

    /// Inserts a callout fragment's background under the text already placed.
    fn close_callout(&mut self, tone: Tone, index: usize, top: f32, h: f32) {
        let w = self.width();
        if let Some(tags) = self.tags.last_mut() {
            let at = index.min(tags.len());
            tags.insert(at, None);
            tags.insert(at, None);
        }
        if let Some(page) = self.pages.last_mut() {
            let at = index.min(page.len());
            page.insert(
                at,
                Item::Rect {
                    rect: BoxPt {
                        x: MARGIN_X,
                        y: top,
                        w: 4.0,
                        h,
                    },
                    fill: Some(accent(tone)),
                    stroke: None,
                },
            );
            page.insert(
                at,
                Item::Rect {
                    rect: BoxPt {
                        x: MARGIN_X,
                        y: top,
                        w,
                        h,
                    },
                    fill: Some(tint(tone)),
                    stroke: None,
                },
            );
        }
    }

    fn chart(&mut self, spec: &ChartSpec) -> Result<(), PdfError> {
        let w = self.width();
        let plan = chart::plan(self.fam, spec, w, self.label_floor, chart::LABEL_SHARE)?;
        let (tsize, tleading) = (10.5, 14.0);
        let (csize, cleading) = (8.5, 11.5);
        let title = self.lines(FaceKind::Bold, &spec.title, tsize, w)?;
        let caption = if spec.caption.is_empty() {
            Vec::new()
        } else {
            self.lines(FaceKind::Regular, &spec.caption, csize, w)?
        };
        let title_h = title.len() as f32 * tleading + 4.0;
        let caption_h = caption.len() as f32 * cleading + 4.0;
        let n = spec.bars.len();
        let whole = title_h + plan.height(n) + caption_h;
        self.space(4.0);
        // A chart that fits on a page is never split: it moves to the next
        // page whole. A taller one starts here if a few bars fit, and
        // continues on the following pages with the same scale.
        let min_first = n.min(3);
        let fits_a_page = whole <= BODY_BOTTOM - BODY_TOP;
        if whole > self.room() && (fits_a_page || title_h + plan.height(min_first) > self.room()) {
            self.ensure(whole);
        }
        let outer = self.current;
        let title_node = self.open(Role::P);
        self.current = outer;
        let figure = self.open(Role::Figure);
        self.nodes[figure].alt = Some(chart_alt(spec));
        self.current = outer;
        let mut start = 0;
        let mut first = true;
        while start < n || (n == 0 && first) {
            let fit = plan.bars_fitting(self.room() - title_h - caption_h).max(1);
            let end = (start + fit).min(n);
            for (i, line) in title.iter().enumerate() {
                let text = if !first && i + 1 == title.len() {
                    format!("{line} (continued)")
                } else {
                    line.clone()
                };
                self.fam.bold.check(&text)?;
                let run = self.run(
                    MARGIN_X,
                    self.y,
                    tleading,
                    &text,
                    St(FaceKind::Bold, tsize, colour::DARK_BLUE),
                );
                // The title repeated over a continuation is furniture.
                let tag = first.then_some(title_node);
                self.push_tagged(Item::Text(run), tag);
                self.y += tleading;
            }
            self.y += 4.0;
            let items = plan.draw(self.fam, spec, start..end, MARGIN_X, self.y)?;
            for item in items {
                self.push_tagged(item, Some(figure));
            }
            self.y += plan.height(end - start);
            start = end;
            first = false;
            if start < n {
                self.new_page();
            }
        }
        self.y += 4.0;
        if !caption.is_empty() {
            self.open(Role::Caption);
        }
        for line in &caption {
            self.ensure(cleading);
            let run = self.run(
                MARGIN_X,
                self.y,
                cleading,
                line,
                St(FaceKind::Regular, csize, colour::GREY),
            );
            self.push(Item::Text(run));
            self.y += cleading;
        }
        self.current = outer;
        self.space(14.0);
        Ok(())
    }

    /// Two short charts side by side, never split: titles on one line
    /// height, plot areas starting at the same y, the left chart read first.
    fn chart_pair(&mut self, left: &ChartSpec, right: &ChartSpec) -> Result<(), PdfError> {
        let half = (self.width() - PAIR_GAP) / 2.0;
        let floor = chart::natural_label_width(self.fam, left)
            .max(chart::natural_label_width(self.fam, right));
        let (tsize, tleading) = (10.5, 14.0);
        let (csize, cleading) = (8.5, 11.5);
        let mut prepared = Vec::new();
        for spec in [left, right] {
            let plan = chart::plan(self.fam, spec, half, floor, chart::PAIRED_LABEL_SHARE)?;
            let title = self.lines(FaceKind::Bold, &spec.title, tsize, half)?;
            let caption = if spec.caption.is_empty() {
                Vec::new()
            } else {
                self.lines(FaceKind::Regular, &spec.caption, csize, half)?
            };
            prepared.push((spec, plan, title, caption));
        }
        let title_h = prepared
            .iter()
            .map(|p| p.2.len() as f32 * tleading)
            .fold(0.0, f32::max)
            + 4.0;
        let body_h = prepared
            .iter()
            .map(|p| p.1.height(p.0.bars.len()))
            .fold(0.0, f32::max);
        let caption_h = prepared
            .iter()
            .map(|p| p.3.len() as f32 * cleading)
            .fold(0.0, f32::max)
            + 4.0;
        self.space(4.0);
        self.ensure(title_h + body_h + caption_h);
        let top = self.y;
        let outer = self.current;
        for (k, (spec, plan, title, caption)) in prepared.iter().enumerate() {
            let x = MARGIN_X + k as f32 * (half + PAIR_GAP);
            let mut y = top;
            self.current = outer;
            self.open(Role::P);
            for line in title {
                let run = self.run(
                    x,
                    y,
                    tleading,
                    line,
                    St(FaceKind::Bold, tsize, colour::DARK_BLUE),
                );
                self.push(Item::Text(run));
                y += tleading;
            }
            self.current = outer;
            let figure = self.open(Role::Figure);
            self.nodes[figure].alt = Some(chart_alt(spec));
            for item in plan.draw(self.fam, spec, 0..spec.bars.len(), x, top + title_h)? {
                self.push(item);
            }
            self.current = outer;
            if !caption.is_empty() {
                self.open(Role::Caption);
            }
            let mut y = top + title_h + body_h + 4.0;
            for line in caption {
                let run = self.run(
                    x,
                    y,
                    cleading,
                    line,
                    St(FaceKind::Regular, csize, colour::GREY),
                );
                self.push(Item::Text(run));
                y += cleading;
            }
        }
        self.current = outer;
        self.y = top + title_h + body_h + caption_h;
        self.space(14.0);
        Ok(())
    }

    fn table(&mut self, t: &TableSpec) -> Result<(), PdfError> {
        let ncol = t.columns.len();
        if ncol == 0 {
            return Err(PdfError::InvalidColumns {
                reason: "a table needs at least one column".into(),
            });
        }
        if let Some((i, c)) = t
            .columns
            .iter()
            .enumerate()
            .find(|(_, c)| !(c.width.is_finite() && c.width > 0.0))
        {
            return Err(PdfError::InvalidColumns {
                reason: format!(
                    "column {i} ({:?}) has width {}; weights must be > 0",
                    c.header, c.width
                ),
            });
        }
        for (i, row) in t.rows.iter().enumerate() {
            if row.cells.len() != ncol {
                return Err(PdfError::TableShape {
                    row: i,
                    expected: ncol,
                    found: row.cells.len(),
                });
            }
        }
        let widths = self.column_widths(t);
        let xs: Vec<f32> = widths
            .iter()
            .scan(MARGIN_X, |x, w| {
                let at = *x;
                *x += w;
                Some(at)
            })
            .collect();
        let geo = TableGeometry {
            widths,
            xs,
            aligns: t.columns.iter().map(|c| c.align).collect(),
        };

        let header: Vec<Vec<String>> = t
            .columns
            .iter()
            .zip(&geo.widths)
            .map(|(c, w)| self.lines(FaceKind::Bold, &c.header, TSIZE, w - 2.0 * TPADX))
            .collect::<Result<_, _>>()?;
        let header_h = max_lines(&header) as f32 * TLEADING + 2.0 * TPADY;

        let outer = self.current;
        let table = self.open(Role::Table);
        let header_row = self.open(Role::TR);
        // The first header is the table's; its repeats on later pages are furniture.
        let header_cells: Vec<usize> = (0..ncol)
            .map(|_| {
                let id = self.open(Role::TH);
                self.current = header_row;
                id
            })
            .collect();
        self.current = table;
        let mut header_tags = Some(header_cells);
        let mut first_on_page = true;
        let row_cells = |b: &Self, row: &super::Row| -> Result<Vec<Vec<String>>, PdfError> {
            let face = if row.strong {
                FaceKind::Bold
            } else {
                FaceKind::Regular
            };
            let indent = f32::from(row.indent) * 10.0;
            row.cells
                .iter()
                .zip(&geo.widths)
                .enumerate()
                .map(|(ci, (text, w))| {
                    let ind = if ci == 0 { indent.min(w * 0.5) } else { 0.0 };
                    b.lines(face, text, TSIZE, w - 2.0 * TPADX - ind)
                })
                .collect()
        };
        for (ri, row) in t.rows.iter().enumerate() {
            let face = if row.strong {
                FaceKind::Bold
            } else {
                FaceKind::Regular
            };
            let indent = f32::from(row.indent) * 10.0;
            let cells = row_cells(self, row)?;
            let nlines = max_lines(&cells);
            // The last row does not go overleaf alone: when it would not
            // fit after this one, this one goes with it.
            if ri > 1 && ri + 2 == t.rows.len() {
                let row_h = |n: usize| n as f32 * TLEADING + 2.0 * TPADY;
                let last = max_lines(&row_cells(self, &t.rows[ri + 1])?);
                let both = row_h(nlines) + row_h(last);
                if row_h(nlines) <= self.room()
                    && both > self.room()
                    && both <= BODY_BOTTOM - BODY_TOP - header_h
                {
                    self.new_page();
                    self.table_header(&geo, &header, header_h, None);
                    first_on_page = true;
                }
            }
            let fill = match row.tone {
                Tone::Error | Tone::Warning => Some(tint(row.tone)),
                _ if ri % 2 == 1 => Some(colour::ZEBRA),
                _ => None,
            };
            let color = match row.tone {
                Tone::Neutral => colour::TEXT,
                other => accent(other),
            };
            let style = RowStyle {
                face,
                indent,
                fill,
                color,
                strong: row.strong,
            };
            self.current = table;
            let tr = self.open(Role::TR);
            let row_cells: Vec<usize> = (0..ncol)
                .map(|_| {
                    let id = self.open(Role::TD);
                    self.current = tr;
                    id
                })
                .collect();
            self.current = table;
            if ri == 0 {
                // Header plus the first row (or as much of it as a page holds).
                let first_h =
                    (nlines as f32 * TLEADING + 2.0 * TPADY).min(BODY_BOTTOM - BODY_TOP - header_h);
                self.ensure(header_h + first_h);
                self.table_header(&geo, &header, header_h, header_tags.take().as_deref());
            }
            let mut start = 0;
            while start < nlines {
                let remaining = nlines - start;
                let need = remaining as f32 * TLEADING + 2.0 * TPADY;
                if need <= self.room() + 0.01 {
                    self.table_row(&geo, &cells, &style, &row_cells, start, remaining);
                    first_on_page = false;
                    break;
                }
                let fit = ((self.room() - 2.0 * TPADY) / TLEADING).floor().max(0.0) as usize;
                let fresh_page_fits = start == 0 && need <= BODY_BOTTOM - BODY_TOP - header_h;
                if fit == 0 || (fresh_page_fits && !first_on_page) {
                    self.new_page();
                    self.table_header(&geo, &header, header_h, None);
                    first_on_page = true;
                    continue;
                }
                self.table_row(&geo, &cells, &style, &row_cells, start, fit);
                start += fit;
                self.new_page();
                self.table_header(&geo, &header, header_h, None);
                first_on_page = true;
            }
        }
        if t.rows.is_empty() {
            self.ensure(header_h);
            self.table_header(&geo, &header, header_h, header_tags.take().as_deref());
        }
        self.current = outer;
        self.rule(self.y, colour::RULE, 0.8);
        self.space(14.0);
        Ok(())
    }

    /// Column widths: the weights share the text width, but no column is
    /// narrower than its content needs — the widest word of a left-aligned
    /// column, the whole widest cell of a right-aligned (numeric) one, so a
    /// figure, its sign and its unit never wrap. The room a column needs
    /// beyond its share comes from the others in proportion to their slack.
    fn column_widths(&self, t: &TableSpec) -> Vec<f32> {
        let total_w = self.width();
        let weights: f32 = t.columns.iter().map(|c| c.width).sum();
        let bold = &self.fam.bold;
        let widest_word = |text: &str, face: &super::fonts::Face| {
            text.split([' ', '\n'])
                .map(|w| face.width(w, TSIZE))
                .fold(0.0, f32::max)
        };
        let needs: Vec<f32> = t
            .columns
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let header = widest_word(&c.header, bold);
                let cells = t
                    .rows
                    .iter()
                    .filter_map(|r| r.cells.get(ci))
                    .map(|text| match c.align {
                        Align::Right => text
                            .split('\n')
                            .map(|line| bold.width(line, TSIZE))
                            .fold(0.0, f32::max),
                        Align::Left => widest_word(text, bold),
                    })
                    .fold(0.0, f32::max);
                // Bold (totals rows) is the wider face; the first column
                // also carries the indent of breakdown rows.
                let indent = if ci == 0 {
                    t.rows
                        .iter()
                        .map(|r| f32::from(r.indent))
                        .fold(0.0, f32::max)
                        * 10.0
                } else {
                    0.0
                };
                header.max(cells + indent) + 2.0 * TPADX + 0.5
            })
            .collect();
        let mut widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| total_w * c.width / weights)
            .collect();
        // A few rounds: giving one column its room may push another below its own.
        for _ in 0..t.columns.len() {
            let short: f32 = widths
                .iter()
                .zip(&needs)
                .map(|(w, n)| (n - w).max(0.0))
                .sum();
            if short <= 0.01 {
                break;
            }
            let slack: f32 = widths
                .iter()
                .zip(&needs)
                .map(|(w, n)| (w - n).max(0.0))
                .sum();
            if slack <= 0.01 {
                break;
            }
            let take = (short / slack).min(1.0);
            for (w, n) in widths.iter_mut().zip(&needs) {
                if *w < *n {
                    *w = *n;
                } else {
                    *w -= (*w - n) * take;
                }
            }
        }
        // Never wider than the frame in sum.
        let sum: f32 = widths.iter().sum();
        if sum > total_w {
            for w in &mut widths {
                *w *= total_w / sum;
            }
        }
        widths
    }

    /// The header band; `cells` are the TH nodes the first time, `None` for
    /// a repeat.
    fn table_header(
        &mut self,
        geo: &TableGeometry,
        header: &[Vec<String>],
        h: f32,
        cells: Option<&[usize]>,
    ) {
        let w = self.width();
        self.decor(Item::Rect {
            rect: BoxPt {
                x: MARGIN_X,
                y: self.y,
                w,
                h,
            },
            fill: Some(colour::HEADER_BG),
            stroke: None,
        });
        for (ci, lines) in header.iter().enumerate() {
            for (li, line) in lines.iter().enumerate() {
                let run = self.cell_run(
                    geo,
                    ci,
                    0.0,
                    self.y + TPADY + li as f32 * TLEADING,
                    line,
                    FaceKind::Bold,
                    colour::DARK_BLUE,
                );
                let tag = cells.and_then(|c| c.get(ci).copied());
                self.push_tagged(Item::Text(run), tag);
            }
        }
        self.y += h;
        self.rule(self.y, colour::GREY, 0.6);
    }

    /// Draws lines `start..start + count` of every cell of a row.
    fn table_row(
        &mut self,
        geo: &TableGeometry,
        cells: &[Vec<String>],
        style: &RowStyle,
        nodes: &[usize],
        start: usize,
        count: usize,
    ) {
        let h = count as f32 * TLEADING + 2.0 * TPADY;
        let w = self.width();
        if let Some(fill) = style.fill {
            self.decor(Item::Rect {
                rect: BoxPt {
                    x: MARGIN_X,
                    y: self.y,
                    w,
                    h,
                },
                fill: Some(fill),
                stroke: None,
            });
        }
        if style.strong && start == 0 {
            self.rule(self.y, colour::RULE, 0.6);
        }
        for (ci, lines) in cells.iter().enumerate() {
            let indent = if ci == 0 {
                style.indent.min(geo.widths[ci] * 0.5)
            } else {
                0.0
            };
            for (k, line) in lines.iter().skip(start).take(count).enumerate() {
                let top = self.y + TPADY + k as f32 * TLEADING;
                let run = self.cell_run(geo, ci, indent, top, line, style.face, style.color);
                self.push_tagged(Item::Text(run), nodes.get(ci).copied());
            }
        }
        self.y += h;
        self.rule(self.y, colour::HAIRLINE, 0.4);
    }

    #[allow(clippy::too_many_arguments)]
    fn cell_run(
        &self,
        geo: &TableGeometry,
        ci: usize,
        indent: f32,
        top: f32,
        text: &str,
        face: FaceKind,
        color: Rgb,
    ) -> TextRun {
        let tw = self.fam.face(face).width(text, TSIZE);
        let x = match geo.aligns[ci] {
            Align::Left => geo.xs[ci] + TPADX + indent,
            Align::Right => geo.xs[ci] + geo.widths[ci] - TPADX - tw,
        };
        self.run(x, top, TLEADING, text, St(face, TSIZE, color))
    }

    /// Markings, footer and "Page n of N" on every page, now that N is known.
    fn page_furniture(&mut self, marking: &str, footer: &str) -> Result<(), PdfError> {
        let fam = self.fam;
        let w = self.width();
        let total = self.pages.len();
        fam.bold.check(marking)?;
        let msize = fit_size(&fam.bold, marking, 9.0, 6.0, w);
        let mlines = wrap(&fam.bold, marking, msize, w);
        let mleading = msize * 1.3;
        fam.regular.check(footer)?;
        for (i, page) in self.pages.iter_mut().enumerate() {
            let centred = |line: &str, top: f32| {
                let x = (PAGE_W - fam.bold.width(line, msize)) / 2.0;
                make_run(
                    fam,
                    x,
                    top,
                    mleading,
                    line,
                    St(FaceKind::Bold, msize, colour::TEXT),
                )
            };
            // Top: marking lines ending just above the header rule.
            let rule_y = BODY_TOP - 16.0;
            let mut top = rule_y - 4.0 - mlines.len() as f32 * mleading;
            for line in &mlines {
                page.push(Item::Text(centred(line, top)));
                top += mleading;
            }
            page.push(Item::Line {
                points: vec![(MARGIN_X, rule_y), (MARGIN_X + w, rule_y)],
                color: colour::RULE,
                width: 0.5,
            });
            // Bottom: rule, then footer text left and page number right, then marking.
            let frule = BODY_BOTTOM + 12.0;
            page.push(Item::Line {
                points: vec![(MARGIN_X, frule), (MARGIN_X + w, frule)],
                color: colour::RULE,
                width: 0.5,
            });
            let number = format!("Page {} of {}", i + 1, total);
            let fsize = 8.0;
            let fleading = 10.5;
            let nw = fam.regular.width(&number, fsize);
            let avail = w - nw - 12.0;
            let footer_size = fit_size(&fam.regular, footer, fsize, 6.5, avail);
            let flines = wrap(&fam.regular, footer, footer_size, avail);
            let mut y = frule + 4.0;
            page.push(Item::Text(make_run(
                fam,
                MARGIN_X + w - nw,
                y,
                fleading,
                &number,
                St(FaceKind::Regular, fsize, colour::GREY),
            )));
            for line in &flines {
                page.push(Item::Text(make_run(
                    fam,
                    MARGIN_X,
                    y,
                    fleading,
                    line,
                    St(FaceKind::Regular, footer_size, colour::GREY),
                )));
                y += fleading;
            }
            y += 1.0;
            for line in &mlines {
                page.push(Item::Text(centred(line, y)));
                y += mleading;
            }
        }
        Ok(())
    }
}

/// A chart's alternative text: its title, then every bar with its value,
/// and the unit — what a sighted reader takes from the picture.
fn chart_alt(spec: &ChartSpec) -> String {
    let bars: Vec<String> = spec
        .bars
        .iter()
        .map(|b| format!("{}: {}", b.label.replace('\n', " "), b.value_label))
        .collect();
    let mut alt = format!("Bar chart. {}.", spec.title.trim_end_matches('.'));
    if !spec.unit.is_empty() {
        alt.push_str(&format!(" Unit: {}.", spec.unit));
    }
    if !bars.is_empty() {
        alt.push_str(&format!(" {}.", bars.join("; ")));
    }
    alt
}

/// Table text size, leading and cell padding.
const TSIZE: f32 = 8.5;
const TLEADING: f32 = 11.0;
const TPADX: f32 = 4.0;
const TPADY: f32 = 3.5;

struct TableGeometry {
    widths: Vec<f32>,
    xs: Vec<f32>,
    aligns: Vec<Align>,
}

struct RowStyle {
    face: FaceKind,
    indent: f32,
    fill: Option<Rgb>,
    color: Rgb,
    strong: bool,
}

fn max_lines(cells: &[Vec<String>]) -> usize {
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1)
}

/// Face, size (pt) and colour of a text run.
#[derive(Debug, Clone, Copy)]
pub(super) struct St(pub FaceKind, pub f32, pub Rgb);

/// A run in a line slot `[slot_top, slot_top + leading]`, glyph box centred.
pub(super) fn make_run(
    fam: &Family,
    x: f32,
    slot_top: f32,
    leading: f32,
    text: &str,
    St(face, size, color): St,
) -> TextRun {
    let f = fam.face(face);
    // One line: a line break that reaches it (a label, a figure) is a space.
    let text = f.spaced(&text.replace('\n', " ")).into_owned();
    let box_h = (f.ascent - f.descent) * size;
    let top = slot_top + (leading - box_h) / 2.0;
    let w = f.width(&text, size);
    TextRun {
        x,
        baseline: top + f.ascent * size,
        text,
        face,
        size,
        color,
        bbox: BoxPt {
            x,
            y: top,
            w,
            h: box_h,
        },
    }
}
