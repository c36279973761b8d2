//! The bundled font family (DejaVu Sans regular + bold): parsed once per
//! process, with glyph coverage checks and advance-width measurement.
//!
//! The faces are compiled in with `include_bytes!` so a briefing never
//! depends on the fonts of the machine that renders it; see
//! `templates/fonts/README.md` for how they were cut and licensed.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use super::PdfError;

/// Which face of the family a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FaceKind {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

static REGULAR_TTF: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans-Bold.ttf");

/// Every character opbrief itself prints beyond letters and digits: the
/// spaces in "22 488", interval and sign characters ("≥ 500 kg", "896–926",
/// "−3"), dashes, quotes, ellipsis, separators, currency signs, "m³" and
/// other superscripts. Both faces must draw each (tested below), so no
/// figure opbrief writes can fail the build for a missing glyph; the names
/// an operation brings are the cut's scripts (Latin, Greek, Cyrillic).
pub const PRINTED: &str = "\u{a0}\u{202f}\u{2009}≥≤≈≠±−–—…·•×‰%°€£$¥«»„“”‘’→№\
     ⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻";

/// One parsed face plus the metrics layout needs, in em units (1.0 = font size).
#[derive(Debug)]
pub struct Face {
    /// printpdf's parse of the face; also what gets embedded.
    pub parsed: ParsedFont,
    /// PostScript name written as `/BaseFont`.
    pub postscript_name: &'static str,
    /// hhea ascender / unitsPerEm (positive).
    pub ascent: f32,
    /// hhea descender / unitsPerEm (negative).
    pub descent: f32,
    units_per_em: f32,
    /// Advance (font units) by Basic Multilingual Plane code point; 0 for no
    /// glyph. Layout measures every word of every line, and printpdf's two
    /// map look-ups per character were a tenth of a large briefing's time.
    advances: Vec<u16>,
    /// Whether the code point at that index has a real glyph.
    covered: Vec<bool>,
}

/// Code points below this use the tables; the rest ask printpdf.
const TABLE_LEN: usize = 0x1_0000;

impl Face {
    /// Parses one bundled face. Fails only if the bundled file is broken,
    /// which the test-suite catches; callers still get an error, not a panic.
    fn parse(kind: FaceKind) -> Result<Face, PdfError> {
        let (bytes, name) = match kind {
            FaceKind::Regular => (REGULAR_TTF, "DejaVuSans"),
            FaceKind::Bold => (BOLD_TTF, "DejaVuSans-Bold"),
        };
        let mut warnings = Vec::new();
        let mut parsed =
            ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(PdfError::FontUnusable {
                face: name,
                reason: "not a parsable TrueType font",
            })?;
        if parsed.codepoint_to_glyph.is_empty() || parsed.units_per_em == 0 {
            return Err(PdfError::FontUnusable {
                face: name,
                reason: "no Unicode cmap or units per em",
            });
        }
        // Without a name printpdf would write its internal font id as /BaseFont.
        parsed.font_name = Some(name.to_string());
        let upem = f32::from(parsed.units_per_em);
        let (mut advances, mut covered) = (vec![0u16; TABLE_LEN], vec![false; TABLE_LEN]);
        for (&codepoint, &gid) in parsed.codepoint_to_glyph.range(..TABLE_LEN as u32) {
            let index = codepoint as usize;
            advances[index] = parsed.get_glyph_width(gid).unwrap_or(0);
            covered[index] = gid != 0;
        }
        Ok(Face {
            advances,
            covered,
            ascent: f32::from(parsed.font_metrics.ascent) / upem,
            descent: f32::from(parsed.font_metrics.descent) / upem,
            units_per_em: upem,
            postscript_name: name,
            parsed,
        })
    }

    /// Whether the face has a real glyph for `ch`.
    pub fn has_glyph(&self, ch: char) -> bool {
        match self.covered.get(ch as usize) {
            Some(&covered) => covered,
            None => self
                .parsed
                .lookup_glyph_index(u32::from(ch))
                .is_some_and(|gid| gid != 0),
        }
    }

    /// The character drawn for `ch`: a space for whitespace the face has no
    /// glyph for (a tab in a value), else `ch` itself. A line break is left
    /// to the line breaker.
    pub fn drawn(&self, ch: char) -> char {
        if ch.is_whitespace() && ch != '\n' && !self.has_glyph(ch) {
            ' '
        } else {
            ch
        }
    }

    /// `text` as drawn: whitespace without a glyph becomes a space (see
    /// [`Face::drawn`]), one for a run of it ("a\t\t\tb" is "a b").
    pub fn spaced<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if text.chars().all(|ch| self.drawn(ch) == ch) {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for ch in text.chars() {
            let drawn = self.drawn(ch);
            if drawn != ch && out.ends_with(' ') {
                continue;
            }
            out.push(drawn);
        }
        std::borrow::Cow::Owned(out)
    }

    /// Advance of one character in font units (0 without a glyph).
    fn advance(&self, ch: char) -> u32 {
        let ch = self.drawn(ch);
        match self.advances.get(ch as usize) {
            Some(&units) => u32::from(units),
            None => self
                .parsed
                .lookup_glyph_index(u32::from(ch))
                .and_then(|gid| self.parsed.get_glyph_width(gid))
                .map_or(0, u32::from),
        }
    }

    /// Advance width of `text` at `size` pt, exactly as a viewer will place it:
    /// printpdf writes each glyph's hmtx advance into `/W` and applies no
    /// kerning, so the sum of advances is the drawn width.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        // As drawn: a run of whitespace the face lacks is one space.
        let units: u32 = self.spaced(text).chars().map(|ch| self.advance(ch)).sum();
        // Glyph advances are integers < 2^16 and texts are short: exact in f32
        // up to 2^24 units, far beyond any line we lay out.
        units as f32 / self.units_per_em * size
    }

    /// Returns `MissingGlyph` for the first character of `text` this face
    /// cannot draw. Whitespace always can be: what has no glyph is drawn as
    /// a space, and the line breaker takes `\n` as a hard break first.
    pub fn check(&self, text: &str) -> Result<(), PdfError> {
        match text
            .chars()
            .find(|&ch| !ch.is_whitespace() && !self.has_glyph(ch))
        {
            Some(ch) => Err(PdfError::MissingGlyph {
                ch,
                text: text.to_string(),
            }),
            None => Ok(()),
        }
    }
}

/// The whole family, parsed once per process.
#[derive(Debug)]
pub struct Family {
    /// Regular face.
    pub regular: Face,
    /// Bold face.
    pub bold: Face,
}

impl Family {
    /// The face for `kind`.
    pub fn face(&self, kind: FaceKind) -> &Face {
        match kind {
            FaceKind::Regular => &self.regular,
            FaceKind::Bold => &self.bold,
        }
    }

    /// Whether the documents can print `c` in both faces; whitespace always
    /// (what the faces lack is drawn as a space).
    pub fn prints(&self, c: char) -> bool {
        c.is_whitespace() || (self.regular.has_glyph(c) && self.bold.has_glyph(c))
    }
}

static FAMILY: OnceLock<Result<Family, PdfError>> = OnceLock::new();

/// The bundled family. Parsing (~1 200 glyphs per face) happens on first use
/// only; every later chart, page and document reuses the same parse.
pub fn family() -> Result<&'static Family, PdfError> {
    FAMILY
        .get_or_init(|| {
            Ok(Family {
                regular: Face::parse(FaceKind::Regular)?,
                bold: Face::parse(FaceKind::Bold)?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_parse_and_cover_the_scripts_we_promise() {
        let fam = family().expect("bundled fonts parse");
        for face in [&fam.regular, &fam.bold] {
            for ch in
                "Türkiye Kosovo* Србија Ελλάδα ŁłŐőŠšŽžČčĆćĐđ € № − – — ’ “ ” • … \u{a0}\u{202f}"
                    .chars()
            {
                assert!(
                    face.has_glyph(ch),
                    "{} lacks {ch:?} U+{:04X}",
                    face.postscript_name,
                    ch as u32
                );
            }
            assert!(!face.has_glyph('中'));
            assert!(!face.has_glyph('😀'));
        }
    }

    /// `PRINTED` and every non-ASCII character of the shipped templates
    /// (texts, layout, catalogue, `init` examples) have a glyph in both faces.
    #[test]
    fn both_faces_draw_everything_opbrief_prints() {
        let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut shipped = String::new();
        for dir in ["text", "init"] {
            let entries = std::fs::read_dir(templates.join(dir)).expect("templates folder");
            for entry in entries {
                let path = entry.expect("template entry").path();
                shipped += &std::fs::read_to_string(&path).expect("template text");
            }
        }
        for file in ["briefing.toml", "catalogue.toml"] {
            shipped += &std::fs::read_to_string(templates.join(file)).expect("template text");
        }
        assert!(shipped.contains('–'), "the shipped templates were read");
        let fam = family().expect("bundled fonts parse");
        let mut missing = Vec::new();
        for ch in PRINTED
            .chars()
            .chain(shipped.chars().filter(|c| !c.is_ascii()))
        {
            for face in [&fam.regular, &fam.bold] {
                if !face.has_glyph(ch) {
                    missing.push(format!("{} U+{:04X} {ch}", face.postscript_name, ch as u32));
                }
            }
        }
        missing.dedup();
        assert!(missing.is_empty(), "missing glyphs: {missing:?}");
    }

    #[test]
    fn width_tables_agree_with_the_parsed_font() {
        let fam = family().expect("bundled fonts parse");
        for face in [&fam.regular, &fam.bold] {
            for (&codepoint, &gid) in &face.parsed.codepoint_to_glyph {
                let Some(ch) = char::from_u32(codepoint) else {
                    continue;
                };
                let slow = face.parsed.get_glyph_width(gid).map_or(0, u32::from);
                assert_eq!(face.advance(ch), slow, "U+{codepoint:04X}");
                assert_eq!(face.has_glyph(ch), gid != 0, "U+{codepoint:04X}");
            }
        }
    }

    #[test]
    fn widths_scale_with_size_and_bold_is_wider() {
        let fam = family().expect("bundled fonts parse");
        let w10 = fam.regular.width("22\u{202f}488 arrests", 10.0);
        let w20 = fam.regular.width("22\u{202f}488 arrests", 20.0);
        assert!((w20 - 2.0 * w10).abs() < 1e-3);
        assert!(fam.bold.width("Arrests", 10.0) > fam.regular.width("Arrests", 10.0));
        // DejaVu's digits are 1303/2048 em wide.
        assert!((fam.regular.width("0", 2048.0) - 1303.0).abs() < 1e-2);
    }

    #[test]
    fn missing_glyph_names_the_character() {
        let fam = family().expect("bundled fonts parse");
        match fam.regular.check("Operation 行动") {
            Err(PdfError::MissingGlyph { ch, text }) => {
                assert_eq!(ch, '行');
                assert_eq!(text, "Operation 行动");
            }
            other => panic!("expected MissingGlyph, got {other:?}"),
        }
        assert!(fam.regular.check("two\nlines").is_ok());
        assert!(fam.regular.check("tab\there").is_ok());
        assert_eq!(fam.regular.spaced("tab\there"), "tab here");
        assert_eq!(
            fam.regular.spaced("tabs\t\t\there, \tand"),
            "tabs here, and"
        );
        assert!(fam.regular.width("tab\there", 10.0) == fam.regular.width("tab here", 10.0));
        assert!(fam.regular.width("tabs\t\t\there", 10.0) == fam.regular.width("tabs here", 10.0));
    }
}
