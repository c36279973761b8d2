//! Horizontal bar charts drawn by plotters through [`ItemBackend`], a
//! `DrawingBackend` that turns plotters' calls into the layout's display
//! list (lines, rectangles, polygons, text runs in the bundled font).
//!
//! Why a backend of our own: plotters' SVG route loses the text (outlined or
//! silently dropped for want of a system font) and bitmaps are blurry. Here
//! every label is a real text run in the document's embedded font, measured
//! with the same advances the painter uses, so pdftotext finds it and the
//! layout tests can check that no label overlaps another or leaves the page.
//!
//! plotters decides the value axis (nice tick values, grid, axis line); the
//! engine decides the rest: label column width, label wrapping, bar colours
//! and where value labels go (the axis maximum is raised so that the longest
//! bar still has room for its label inside the plot).

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};

use super::fonts::{FaceKind, Family};
use super::layout::{BoxPt, Item, Rgb, St, accent, colour, make_run};
use super::text::wrap;
use super::{ChartSpec, PdfError, Tone};

/// Backend units per point. plotters works in integer pixels; a tenth of a
/// point keeps positions and stroke widths precise.
const S: f32 = 10.0;
/// Label and tick text size and leading, in points.
const LABEL_SIZE: f32 = 8.5;
const LABEL_LEADING: f32 = 10.5;
/// Space above the first bar and below the last (axis, tick labels, unit).
const TOP_PAD: f32 = 4.0;
/// Axis band: tick labels only, or tick labels and the unit below them.
const AXIS_H: f32 = 19.0;
const AXIS_H_WITH_UNIT: f32 = 30.0;
/// Gap between a bar's end and its value label; between label column and axis.
const VALUE_GAP: f32 = 4.0;
const LABEL_GAP: f32 = 8.0;

/// The measured geometry of one chart, shared by all its pages.
pub(super) struct Plan {
    width: f32,
    label_w: f32,
    row_h: f32,
    right_margin: f32,
    axis_h: f32,
    xmax: f64,
    labels: Vec<Vec<String>>,
    /// How many axis ticks plotters may print: as many as fit side by side.
    ticks: usize,
}

/// The label column a chart's labels ask for, before the cap: charts
/// stacked on a page share the widest, so their plot areas line up.
pub(super) fn natural_label_width(fam: &Family, spec: &ChartSpec) -> f32 {
    spec.bars
        .iter()
        .map(|b| fam.regular.width(&b.label, LABEL_SIZE))
        .fold(0.0, f32::max)
        + LABEL_GAP
        + 2.0
}

/// Whether `spec` reads well at `width`: few bars, each label on at most
/// two lines.
pub(super) fn is_short(fam: &Family, spec: &ChartSpec, width: f32) -> bool {
    let column = width * PAIRED_LABEL_SHARE - LABEL_GAP - 2.0;
    spec.bars.len() <= 8
        && spec
            .bars
            .iter()
            .all(|b| wrap(&fam.regular, &b.label, LABEL_SIZE, column).len() <= 2)
}

/// The largest share of a chart's width its label column takes: a
/// full-width chart, and one of a pair (whose labels must not wrap).
pub(super) const LABEL_SHARE: f32 = 0.38;
pub(super) const PAIRED_LABEL_SHARE: f32 = 0.46;

/// Measures `spec` for a chart `width` points wide, with a label column at
/// least `label_floor` wide (to align with the charts around it) and at
/// most `label_share` of the width.
pub(super) fn plan(
    fam: &Family,
    spec: &ChartSpec,
    width: f32,
    label_floor: f32,
    label_share: f32,
) -> Result<Plan, PdfError> {
    let face = &fam.regular;
    face.check(&spec.unit)?;
    for bar in &spec.bars {
        face.check(&bar.label)?;
        face.check(&bar.value_label)?;
    }
    // Label column: as wide as the widest label, but at most 38 % of the chart;
    // longer labels wrap inside it.
    let label_w = natural_label_width(fam, spec)
        .max(label_floor)
        .min(width * label_share)
        .max(40.0);
    let labels: Vec<Vec<String>> = spec
        .bars
        .iter()
        .map(|b| wrap(face, &b.label, LABEL_SIZE, label_w - LABEL_GAP))
        .collect();
    let max_lines = labels.iter().map(Vec::len).max().unwrap_or(1);
    let row_h = (max_lines as f32 * LABEL_LEADING + 7.0).max(18.0);

    // Raise the axis maximum until every value label fits right of its bar.
    let values: Vec<f64> = spec.bars.iter().map(|b| bar_value(b.value)).collect();
    let max_value = values.iter().copied().fold(0.0, f64::max);
    let max_tick_w = face.width(&fmt_tick(max_value * 1.5), LABEL_SIZE);
    let right_margin = max_tick_w / 2.0 + 2.0;
    let plot_w = f64::from(width - label_w - right_margin);
    let mut xmax = max_value;
    for (v, bar) in values.iter().zip(&spec.bars) {
        let need = f64::from(face.width(&bar.value_label, LABEL_SIZE) + VALUE_GAP + 2.0);
        if plot_w - need > plot_w * 0.2 {
            xmax = xmax.max(v * plot_w / (plot_w - need));
        } else {
            xmax = xmax.max(v * 5.0);
        }
    }
    if xmax <= 0.0 {
        xmax = 1.0;
    }
    // Whole-number data gets whole-number ticks.
    if values.iter().all(|v| v.fract() == 0.0) && xmax < 5.0 {
        xmax = 5.0;
    }
    // Each tick label gets twice its width, so neighbours never touch.
    let ticks = ((plot_w as f32 / (2.0 * max_tick_w.max(1.0))).floor() as usize).clamp(2, 6);
    Ok(Plan {
        ticks,
        width,
        label_w,
        row_h,
        right_margin,
        axis_h: if spec.unit.is_empty() {
            AXIS_H
        } else {
            AXIS_H_WITH_UNIT
        },
        xmax,
        labels,
    })
}

/// Bar length: negative and non-finite values draw as zero.
fn bar_value(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 { v } else { 0.0 }
}

/// Bar fill per tone: a calm dark blue, red and amber stand out from it, in
/// colour and in greyscale.
fn bar_fill(tone: Tone) -> Rgb {
    match tone {
        // Greys of about 76, 122 and 175 (Rec. 601 luma): told apart when
        // printed in black and white.
        Tone::Neutral => Rgb(44, 82, 130),
        Tone::Error => Rgb(214, 85, 70),
        Tone::Warning => Rgb(236, 170, 40),
        Tone::Info => Rgb(29, 95, 168),
        Tone::Ok => Rgb(46, 125, 50),
    }
}

impl Plan {
    /// Height in points of a chart body showing `n` bars.
    pub(super) fn height(&self, n: usize) -> f32 {
        TOP_PAD + n as f32 * self.row_h + self.axis_h
    }

    /// How many bars fit in `room` points (may be 0).
    pub(super) fn bars_fitting(&self, room: f32) -> usize {
        ((room - TOP_PAD - self.axis_h) / self.row_h)
            .floor()
            .max(0.0) as usize
    }

    /// Draws bars `range` with the chart's top-left corner at (`x`, `y`).
    pub(super) fn draw(
        &self,
        fam: &Family,
        spec: &ChartSpec,
        range: Range<usize>,
        x: f32,
        y: f32,
    ) -> Result<Vec<Item>, PdfError> {
        let mut items = Vec::new();
        let n = range.len();
        let height = self.height(n);
        let backend = ItemBackend {
            fam,
            size: (units(self.width), units(height)),
            origin: (x, y),
            items: &mut items,
        };
        self.draw_with(spec, range, backend)
            .map_err(|e| chart_error(&spec.title, e))?;
        Ok(items)
    }

    fn draw_with(
        &self,
        spec: &ChartSpec,
        range: Range<usize>,
        backend: ItemBackend<'_>,
    ) -> Result<(), DrawingAreaErrorKind<PdfError>> {
        let n = range.len();
        let root: DrawingArea<ItemBackend<'_>, Shift> = backend.into_drawing_area();
        let font = |style: FontStyle, c: Rgb| {
            // The family name is never looked up: ItemBackend draws every
            // text in the bundled face; only size and weight matter.
            TextStyle {
                font: ("sans-serif", f64::from(LABEL_SIZE * S), style).into_font(),
                color: BackendColor {
                    alpha: 1.0,
                    rgb: (c.0, c.1, c.2),
                },
                pos: Pos::default(),
            }
        };
        let tick = |v: &f64| fmt_tick(*v);
        let mut chart = ChartBuilder::on(&root)
            .margin_top(units(TOP_PAD))
            .margin_right(units(self.right_margin))
            .x_label_area_size(units(self.axis_h))
            .y_label_area_size(units(self.label_w))
            .build_cartesian_2d(0f64..self.xmax, 0f64..n.max(1) as f64)?;
        let grid = RGBColor(colour::HAIRLINE.0, colour::HAIRLINE.1, colour::HAIRLINE.2);
        let axis = RGBColor(colour::GREY.0, colour::GREY.1, colour::GREY.2);
        let mut mesh = chart.configure_mesh();
        mesh.disable_y_mesh()
            .y_labels(0)
            .x_labels(self.ticks)
            .x_label_formatter(&tick)
            .x_label_style(font(FontStyle::Normal, colour::GREY))
            .bold_line_style(Color::stroke_width(&grid, 5))
            .light_line_style(TRANSPARENT)
            .axis_style(Color::stroke_width(&axis, 6))
            .set_all_tick_mark_size(units(3.0));
        if !spec.unit.is_empty() {
            mesh.x_desc(spec.unit.as_str())
                .axis_desc_style(font(FontStyle::Normal, colour::GREY));
        }
        mesh.draw()?;

        // Row j (top to bottom) occupies y in [n-1-j, n-j]; the bar is centred
        // in it and at most ~11 pt thick however tall wrapped labels make the row.
        let thickness = (11.0 / self.row_h).min(0.62) as f64;
        for (j, i) in range.enumerate() {
            let Some(bar) = spec.bars.get(i) else {
                continue;
            };
            let base = (n - 1 - j) as f64;
            let v = bar_value(bar.value);
            // A tiny positive value (4 next to 6 702) still gets a visible
            // sliver, so an "unattributed" bar shows its colour.
            let min_visible =
                self.xmax * f64::from(1.5 / (self.width - self.label_w - self.right_margin));
            let drawn = if v > 0.0 { v.max(min_visible) } else { 0.0 };
            let c = bar_fill(bar.tone);
            let (y0, y1) = (base + 0.5 - thickness / 2.0, base + 0.5 + thickness / 2.0);
            if drawn > 0.0 {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y0), (drawn, y1)],
                    RGBColor(c.0, c.1, c.2).filled(),
                )))?;
            }
            let (px, py) = chart.backend_coord(&(drawn, base + 0.5));
            let value_colour = if matches!(bar.tone, Tone::Neutral) {
                colour::TEXT
            } else {
                accent(bar.tone)
            };
            root.draw(&Text::new(
                bar.value_label.as_str(),
                (px + units(VALUE_GAP) as i32, py),
                font(FontStyle::Bold, value_colour).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            // Category label, right-aligned against the axis, lines centred on the bar.
            let lines = self.labels.get(i).map(Vec::as_slice).unwrap_or(&[]);
            let first = py as f32 - (lines.len() as f32 - 1.0) * LABEL_LEADING * S / 2.0;
            let label_colour = if matches!(bar.tone, Tone::Error | Tone::Warning) {
                accent(bar.tone)
            } else {
                colour::TEXT
            };
            for (k, line) in lines.iter().enumerate() {
                let ly = first + k as f32 * LABEL_LEADING * S;
                root.draw(&Text::new(
                    line.as_str(),
                    (units(self.label_w - LABEL_GAP) as i32, ly.round() as i32),
                    font(FontStyle::Normal, label_colour).pos(Pos::new(HPos::Right, VPos::Center)),
                ))?;
            }
        }
        root.present()?;
        Ok(())
    }
}

fn units(pt: f32) -> u32 {
    (pt * S).round().max(0.0) as u32
}

/// Keeps a MissingGlyph from the backend as is; wraps anything else.
fn chart_error(title: &str, e: DrawingAreaErrorKind<PdfError>) -> PdfError {
    match e {
        DrawingAreaErrorKind::BackendError(DrawingErrorKind::DrawingError(inner)) => inner,
        other => PdfError::Chart {
            title: title.to_string(),
            message: other.to_string(),
        },
    }
}

/// Axis tick text: whole numbers grouped by thousands with U+202F, as the
/// caller formats figures ("22 488"); fractions with at most two decimals.
pub(super) fn fmt_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        let digits = format!("{:.0}", v.round().abs());
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push('\u{202f}');
            }
            out.push(ch);
        }
        if v < 0.0 {
            out.insert(0, '−');
        }
        out
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A plotters backend that appends display-list items in page points.
struct ItemBackend<'a> {
    fam: &'a Family,
    /// Size in backend units (tenths of a point).
    size: (u32, u32),
    /// Page position of the backend's (0, 0), in points.
    origin: (f32, f32),
    items: &'a mut Vec<Item>,
}

impl ItemBackend<'_> {
    fn pt(&self, c: BackendCoord) -> (f32, f32) {
        (
            self.origin.0 + c.0 as f32 / S,
            self.origin.1 + c.1 as f32 / S,
        )
    }
}

/// Flattens plotters' alpha onto the white page: PDF transparency would cost
/// an ExtGState per colour and nothing here needs to show through.
fn solid(c: BackendColor) -> Option<Rgb> {
    if c.alpha <= 0.0 {
        return None;
    }
    let a = c.alpha.min(1.0);
    let mix = |ch: u8| (f64::from(ch) * a + 255.0 * (1.0 - a)).round() as u8;
    Some(Rgb(mix(c.rgb.0), mix(c.rgb.1), mix(c.rgb.2)))
}

impl DrawingBackend for ItemBackend<'_> {
    type ErrorType = PdfError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<PdfError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<PdfError>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        if let Some(fill) = solid(color) {
            let (x, y) = self.pt(point);
            self.items.push(Item::Rect {
                rect: BoxPt {
                    x,
                    y,
                    w: 1.0 / S,
                    h: 1.0 / S,
                },
                fill: Some(fill),
                stroke: None,
            });
        }
        Ok(())
    }

    fn draw_line<St: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &St,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        self.draw_path([from, to], style)
    }

    fn draw_rect<St: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &St,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        let Some(c) = solid(style.color()) else {
            return Ok(());
        };
        let (x0, y0) = self.pt(upper_left);
        let (x1, y1) = self.pt(bottom_right);
        let rect = BoxPt {
            x: x0.min(x1),
            y: y0.min(y1),
            w: (x1 - x0).abs(),
            h: (y1 - y0).abs(),
        };
        self.items.push(if fill {
            Item::Rect {
                rect,
                fill: Some(c),
                stroke: None,
            }
        } else {
            Item::Rect {
                rect,
                fill: None,
                stroke: Some((c, style.stroke_width().max(1) as f32 / S)),
            }
        });
        Ok(())
    }

    fn draw_path<St: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &St,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        let Some(color) = solid(style.color()) else {
            return Ok(());
        };
        let points: Vec<(f32, f32)> = path.into_iter().map(|c| self.pt(c)).collect();
        if points.len() >= 2 {
            self.items.push(Item::Line {
                points,
                color,
                width: style.stroke_width().max(1) as f32 / S,
            });
        }
        Ok(())
    }

    fn draw_circle<St: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &St,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        let Some(color) = solid(style.color()) else {
            return Ok(());
        };
        let (cx, cy) = self.pt(center);
        let r = radius as f32 / S;
        // 32 segments: indistinguishable from a true circle at chart sizes.
        let mut points: Vec<(f32, f32)> = (0..32)
            .map(|k| {
                let a = k as f32 / 32.0 * std::f32::consts::TAU;
                (cx + r * a.cos(), cy + r * a.sin())
            })
            .collect();
        if fill {
            self.items.push(Item::Polygon {
                points,
                fill: color,
            });
        } else {
            if let Some(&p0) = points.first() {
                points.push(p0);
            }
            self.items.push(Item::Line {
                points,
                color,
                width: style.stroke_width().max(1) as f32 / S,
            });
        }
        Ok(())
    }

    fn fill_polygon<St: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &St,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        let Some(fill) = solid(style.color()) else {
            return Ok(());
        };
        let points: Vec<(f32, f32)> = vert.into_iter().map(|c| self.pt(c)).collect();
        if points.len() >= 3 {
            self.items.push(Item::Polygon { points, fill });
        }
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<PdfError>> {
        let Some(color) = solid(style.color()) else {
            return Ok(());
        };
        let kind = face_kind(style);
        let face = self.fam.face(kind);
        face.check(text).map_err(DrawingErrorKind::DrawingError)?;
        let size = style.size() as f32 / S;
        let w = face.width(text, size);
        let h = (face.ascent - face.descent) * size;
        let (px, py) = self.pt(pos);
        let anchor = style.anchor();
        let x = match anchor.h_pos {
            HPos::Left => px,
            HPos::Right => px - w,
            HPos::Center => px - w / 2.0,
        };
        let top = match anchor.v_pos {
            VPos::Top => py,
            VPos::Center => py - h / 2.0,
            VPos::Bottom => py - h,
        };
        // Rotation is ignored: these charts never rotate text.
        self.items.push(Item::Text(make_run(
            self.fam,
            x,
            top,
            h,
            text,
            St(kind, size, color),
        )));
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<PdfError>> {
        let face = self.fam.face(face_kind(style));
        let size = style.size() as f32 / S;
        Ok((
            units(face.width(text, size)),
            units((face.ascent - face.descent) * size),
        ))
    }
}

fn face_kind<T: BackendTextStyle>(style: &T) -> FaceKind {
    if matches!(style.style(), FontStyle::Bold) {
        FaceKind::Bold
    } else {
        FaceKind::Regular
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luma(c: Rgb) -> f32 {
        0.299 * f32::from(c.0) + 0.587 * f32::from(c.1) + 0.114 * f32::from(c.2)
    }

    #[test]
    fn bar_tones_differ_in_greyscale() {
        let tones = [Tone::Neutral, Tone::Error, Tone::Warning];
        for (i, a) in tones.iter().enumerate() {
            for b in &tones[i + 1..] {
                let gap = (luma(bar_fill(*a)) - luma(bar_fill(*b))).abs();
                assert!(gap >= 35.0, "{a:?} and {b:?} are {gap} apart in grey");
            }
        }
    }

    #[test]
    fn ticks_group_thousands_with_narrow_no_break_space() {
        assert_eq!(fmt_tick(0.0), "0");
        assert_eq!(fmt_tick(22488.0), "22\u{202f}488");
        assert_eq!(fmt_tick(1_000_000.0), "1\u{202f}000\u{202f}000");
        assert_eq!(fmt_tick(2.5), "2.5");
        assert_eq!(fmt_tick(0.30000000000000004), "0.3");
    }
}
