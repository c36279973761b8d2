//! Pages of positioned items → printpdf operations → PDF bytes.
//!
//! Determinism: printpdf names fonts and the trailer `/ID` from a
//! process-wide pseudo-random counter, so a second render in the same
//! process would differ. We register the fonts under fixed ids, take the
//! lopdf document instead of printpdf's bytes, and set `/ID` to a hash of
//! the document itself before writing.
//!
//! Each face is embedded cut down to the glyphs the document uses (see
//! `subset`), which keeps a briefing at a few tens of kilobytes.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Object, StringFormat};
use printpdf::{
    Color, DictItem, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem,
    WindingOrder,
};
use sha2::{Digest, Sha256};

use super::fonts::{Face, FaceKind, family};
use super::layout::{Item, Layout, Rgb};
use super::subset::retain_glyphs;
use super::{DocSpec, PdfError};

/// Resource names of the two faces. Fixed (not printpdf's random ids) so
/// the bytes do not depend on how many documents the process made before.
const REGULAR_ID: &str = "F1";
const BOLD_ID: &str = "F2";

/// Paints `layout` into a PDF with `spec`'s metadata.
pub(super) fn paint(spec: &DocSpec, layout: &Layout) -> Result<Vec<u8>, PdfError> {
    let fam = family()?;
    let mut doc = PdfDocument::new(&spec.title);
    for (id, kind) in [(REGULAR_ID, FaceKind::Regular), (BOLD_ID, FaceKind::Bold)] {
        let font = subset_face(fam.face(kind), used_glyphs(fam.face(kind), kind, layout))?;
        doc.resources
            .fonts
            .map
            .insert(FontId(id.to_string()), PdfFont::new(font));
    }
    let date = printpdf::OffsetDateTime::from_unix_timestamp(spec.creation_unix).map_err(|_| {
        PdfError::CreationDate {
            unix: spec.creation_unix,
        }
    })?;
    let info = &mut doc.metadata.info;
    info.document_title = spec.title.clone();
    info.subject = spec.subject.clone();
    info.author = spec.author.clone();
    info.keywords = spec.keywords.clone();
    info.creator = "opbrief".to_string();
    info.producer = "opbrief (printpdf 0.12)".to_string();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;

    let h = layout.page_height;
    // Per page, the structure node of each marked-content id, in order.
    let mut marked: Vec<Vec<usize>> = Vec::new();
    let pages = layout
        .pages
        .iter()
        .map(|page| {
            let mut ops = Vec::new();
            let mut ids = Vec::new();
            let mut i = 0;
            while i < page.items.len() {
                // A run of items of the same node is one marked-content sequence.
                let tag = page.tags.get(i).copied().flatten();
                let mut end = i + 1;
                while end < page.items.len() && page.tags.get(end).copied().flatten() == tag {
                    end += 1;
                }
                match tag.and_then(|n| layout.structure.get(n).map(|node| (n, node.role))) {
                    Some((node, role)) => {
                        let mut props = BTreeMap::new();
                        props.insert("MCID".to_string(), DictItem::Int(ids.len() as i64));
                        ops.push(Op::BeginMarkedContentWithProperties {
                            tag: role.name().to_string(),
                            properties: DictItem::Dict { map: props },
                        });
                        ids.push(node);
                    }
                    None => ops.push(Op::BeginMarkedContent {
                        tag: "Artifact".to_string(),
                    }),
                }
                let group = &page.items[i..end];
                let last_text = group.iter().rposition(|it| matches!(it, Item::Text(_)));
                for (k, item) in group.iter().enumerate() {
                    // Lines of one paragraph are separate runs; a trailing
                    // space keeps words apart for text extraction and
                    // screen readers ("South East Europe", not "EastEurope").
                    match item {
                        Item::Text(run)
                            if tag.is_some()
                                && Some(k) != last_text
                                && !run.text.ends_with(' ') =>
                        {
                            let mut spaced = run.clone();
                            spaced.text.push(' ');
                            item_ops(&Item::Text(spaced), h, &mut ops);
                        }
                        _ => item_ops(item, h, &mut ops),
                    }
                }
                ops.push(Op::EndMarkedContent);
                i = end;
            }
            marked.push(ids);
            PdfPage::new(
                Mm::from(Pt(layout.page_width)),
                Mm::from(Pt(layout.page_height)),
                ops,
            )
        })
        .collect();
    doc.with_pages(pages);

    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    super::tagged::finish(&mut lo, spec, layout, &marked)?;
    lo.compress();
    // Hash the document with a blank /ID, then write it with the hash as /ID.
    set_id(&mut lo, [0u8; 16]);
    let mut first = Vec::new();
    lo.save_to(&mut first).map_err(write_error)?;
    let digest = Sha256::digest(&first);
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    set_id(&mut lo, id);
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(write_error)?;
    Ok(out)
}

/// Glyph ids of every character `layout` sets in `face`.
fn used_glyphs(face: &Face, kind: FaceKind, layout: &Layout) -> BTreeSet<u16> {
    layout
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .filter(|t| t.face == kind)
        .flat_map(|t| t.text.chars())
        .filter_map(|ch| face.parsed.lookup_glyph_index(u32::from(ch)))
        .collect()
}

/// The face to embed: the bundled one with only the used outlines, named
/// with the `XXXXXX+` subset tag (ISO 32000-1, 9.6.4). The tag is derived
/// from the glyph set, so it is stable for the same document.
fn subset_face(face: &Face, used: BTreeSet<u16>) -> Result<ParsedFont, PdfError> {
    let cut =
        retain_glyphs(&face.parsed.original_bytes, &used).map_err(|e| PdfError::FontUnusable {
            face: face.postscript_name,
            reason: e.0,
        })?;
    let mut hasher = Sha256::new();
    for g in &used {
        hasher.update(g.to_be_bytes());
    }
    let tag: String = hasher.finalize()[..6]
        .iter()
        .map(|b| char::from(b'A' + b % 26))
        .collect();
    let mut font = face.parsed.clone();
    font.original_bytes = cut;
    font.font_name = Some(format!("{tag}+{}", face.postscript_name));
    Ok(font)
}

fn write_error(e: std::io::Error) -> PdfError {
    PdfError::Write {
        message: e.to_string(),
    }
}

fn set_id(doc: &mut lopdf::Document, id: [u8; 16]) {
    let s = Object::String(id.to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![s.clone(), s]));
}

fn col(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: f32::from(c.0) / 255.0,
        g: f32::from(c.1) / 255.0,
        b: f32::from(c.2) / 255.0,
        icc_profile: None,
    })
}

/// Layout y (down from the top) → PDF point (up from the bottom).
fn point(x: f32, y: f32, page_h: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(page_h - y),
    }
}

fn item_ops(item: &Item, page_h: f32, ops: &mut Vec<Op>) {
    match item {
        Item::Text(run) => {
            let id = match run.face {
                FaceKind::Regular => REGULAR_ID,
                FaceKind::Bold => BOLD_ID,
            };
            // One text object per run: `Td` is relative to the line start, so
            // a fresh BT makes the cursor position absolute.
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(id.to_string())),
                size: Pt(run.size),
            });
            ops.push(Op::SetFillColor {
                col: col(run.color),
            });
            ops.push(Op::SetTextCursor {
                pos: point(run.x, run.baseline, page_h),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(run.text.clone())],
            });
            ops.push(Op::EndTextSection);
        }
        Item::Rect { rect, fill, stroke } => {
            let mode = match (fill, stroke) {
                (Some(_), Some(_)) => PaintMode::FillStroke,
                (Some(_), None) => PaintMode::Fill,
                (None, Some(_)) => PaintMode::Stroke,
                (None, None) => return,
            };
            ops.push(Op::SaveGraphicsState);
            if let Some(f) = fill {
                ops.push(Op::SetFillColor { col: col(*f) });
            }
            if let Some((c, w)) = stroke {
                ops.push(Op::SetOutlineColor { col: col(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*w) });
            }
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(rect.x),
                    y: Pt(page_h - rect.bottom()),
                    width: Pt(rect.w),
                    height: Pt(rect.h),
                    mode: Some(mode),
                    winding_order: Some(WindingOrder::NonZero),
                },
            });
            ops.push(Op::RestoreGraphicsState);
        }
        Item::Line {
            points,
            color,
            width,
        } => {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetOutlineColor { col: col(*color) });
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            ops.push(Op::DrawLine {
                line: Line {
                    points: points
                        .iter()
                        .map(|&(x, y)| LinePoint {
                            p: point(x, y, page_h),
                            bezier: false,
                        })
                        .collect(),
                    is_closed: false,
                },
            });
            ops.push(Op::RestoreGraphicsState);
        }
        Item::Polygon { points, fill } => {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetFillColor { col: col(*fill) });
            ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: points
                            .iter()
                            .map(|&(x, y)| LinePoint {
                                p: point(x, y, page_h),
                                bezier: false,
                            })
                            .collect(),
                    }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            });
            ops.push(Op::RestoreGraphicsState);
        }
    }
}
