//! Cuts a TrueType face down to the glyphs one document uses, keeping every
//! glyph id, so the embedded font carries only the outlines on its pages.
//!
//! Why not printpdf's subsetting: it needs the `text_layout` feature (the
//! azul-* crates, minutes of build time) and renumbers glyphs. Keeping the ids
//! ("retain-gids", as fonttools calls it) means the parsed font's cmap and
//! advance widths stay valid as they are: only `glyf`, `loca`, `head` and
//! `post` change. Unused glyphs become empty (zero-length) entries.

use std::collections::BTreeSet;

/// Table tags we rewrite.
const GLYF: [u8; 4] = *b"glyf";
const LOCA: [u8; 4] = *b"loca";
const HEAD: [u8; 4] = *b"head";
const MAXP: [u8; 4] = *b"maxp";
const POST: [u8; 4] = *b"post";

/// Why a face could not be cut (a broken bundled font, never user input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsetError(pub &'static str);

fn u16_at(b: &[u8], at: usize) -> Result<u16, SubsetError> {
    b.get(at..at + 2)
        .map(|s| u16::from_be_bytes([s[0], s[1]]))
        .ok_or(SubsetError("truncated font"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, SubsetError> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or(SubsetError("truncated font"))
}

struct Table<'a> {
    tag: [u8; 4],
    data: &'a [u8],
}

fn tables(font: &[u8]) -> Result<Vec<Table<'_>>, SubsetError> {
    let n = usize::from(u16_at(font, 4)?);
    (0..n)
        .map(|i| {
            let rec = 12 + 16 * i;
            let tag = font
                .get(rec..rec + 4)
                .and_then(|t| <[u8; 4]>::try_from(t).ok())
                .ok_or(SubsetError("truncated table directory"))?;
            let off = u32_at(font, rec + 8)? as usize;
            let len = u32_at(font, rec + 12)? as usize;
            let data = font
                .get(off..off + len)
                .ok_or(SubsetError("table outside the font"))?;
            Ok(Table { tag, data })
        })
        .collect()
}

fn find<'a>(ts: &'a [Table<'a>], tag: [u8; 4]) -> Result<&'a [u8], SubsetError> {
    ts.iter()
        .find(|t| t.tag == tag)
        .map(|t| t.data)
        .ok_or(SubsetError("required table missing"))
}

/// Byte range of glyph `gid` inside `glyf`.
fn glyph_range(loca: &[u8], long: bool, gid: u16) -> Result<(usize, usize), SubsetError> {
    let i = usize::from(gid);
    if long {
        Ok((
            u32_at(loca, i * 4)? as usize,
            u32_at(loca, i * 4 + 4)? as usize,
        ))
    } else {
        Ok((
            usize::from(u16_at(loca, i * 2)?) * 2,
            usize::from(u16_at(loca, i * 2 + 2)?) * 2,
        ))
    }
}

/// Glyph ids a composite glyph is built from (accented letters reference
/// their base letter and accent).
fn components(glyph: &[u8]) -> Result<Vec<u16>, SubsetError> {
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const HAVE_XY_SCALE: u16 = 0x0040;
    const HAVE_2X2: u16 = 0x0080;
    let mut out = Vec::new();
    if glyph.len() < 10 || (u16_at(glyph, 0)? as i16) >= 0 {
        return Ok(out);
    }
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        out.push(u16_at(glyph, at + 2)?);
        at += 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        if flags & HAVE_SCALE != 0 {
            at += 2;
        } else if flags & HAVE_XY_SCALE != 0 {
            at += 4;
        } else if flags & HAVE_2X2 != 0 {
            at += 8;
        }
        if flags & MORE == 0 {
            return Ok(out);
        }
    }
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// Returns `font` with every glyph outside `keep` (plus .notdef and the
/// components of kept composites) emptied, glyph ids unchanged.
pub fn retain_glyphs(font: &[u8], keep: &BTreeSet<u16>) -> Result<Vec<u8>, SubsetError> {
    let ts = tables(font)?;
    let head = find(&ts, HEAD)?;
    let num_glyphs = u16_at(find(&ts, MAXP)?, 4)?;
    let long = u16_at(head, 50)? == 1;
    let loca = find(&ts, LOCA)?;
    let glyf = find(&ts, GLYF)?;

    // Close the set over composite components (a component may itself be composite).
    let mut kept: BTreeSet<u16> = keep.iter().copied().filter(|&g| g < num_glyphs).collect();
    kept.insert(0);
    let mut todo: Vec<u16> = kept.iter().copied().collect();
    while let Some(gid) = todo.pop() {
        let (s, e) = glyph_range(loca, long, gid)?;
        let data = glyf.get(s..e).ok_or(SubsetError("glyph outside glyf"))?;
        for c in components(data)? {
            if c < num_glyphs && kept.insert(c) {
                todo.push(c);
            }
        }
    }

    // New glyf and a long-format loca.
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity((usize::from(num_glyphs) + 1) * 4);
    for gid in 0..num_glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if kept.contains(&gid) {
            let (s, e) = glyph_range(loca, long, gid)?;
            new_glyf.extend_from_slice(glyf.get(s..e).ok_or(SubsetError("glyph outside glyf"))?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());

    let mut new_head = head.to_vec();
    new_head
        .get_mut(50..52)
        .ok_or(SubsetError("short head table"))?
        .copy_from_slice(&1u16.to_be_bytes());
    new_head
        .get_mut(8..12)
        .ok_or(SubsetError("short head table"))?
        .copy_from_slice(&[0; 4]);

    // post version 3: no glyph names. Viewers address these CID fonts by
    // glyph id; the names were a third of what is left.
    let mut new_post = find(&ts, POST)?
        .get(..32)
        .ok_or(SubsetError("short post table"))?
        .to_vec();
    new_post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let out_tables: Vec<([u8; 4], &[u8])> = ts
        .iter()
        .map(|t| {
            let data: &[u8] = match t.tag {
                GLYF => &new_glyf,
                LOCA => &new_loca,
                HEAD => &new_head,
                POST => &new_post,
                _ => t.data,
            };
            (t.tag, data)
        })
        .collect();

    // Reassemble: same header fields, same table order, 4-byte aligned.
    let n = out_tables.len();
    let mut out = font
        .get(..12)
        .ok_or(SubsetError("truncated font"))?
        .to_vec();
    let mut offset = 12 + 16 * n;
    let mut body = Vec::new();
    let mut head_at = None;
    for (tag, data) in &out_tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if *tag == HEAD {
            head_at = Some(offset);
        }
        body.extend_from_slice(data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        offset = 12 + 16 * n + body.len();
    }
    out.extend_from_slice(&body);
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::fonts::family;
    use super::*;

    #[test]
    fn keeps_ids_widths_and_only_the_outlines_asked_for() {
        let fam = family().expect("fonts");
        let face = &fam.regular;
        let gid = |ch: char| {
            face.parsed
                .lookup_glyph_index(u32::from(ch))
                .expect("glyph")
        };
        // 'ü' is a composite in DejaVu: its components must come along.
        let keep: BTreeSet<u16> = ['A', 'ü', 'Ж'].iter().map(|&c| gid(c)).collect();
        let cut = retain_glyphs(&face.parsed.original_bytes, &keep).expect("subset");
        assert!(
            cut.len() < face.parsed.original_bytes.len() / 2,
            "{} bytes",
            cut.len()
        );

        let mut warnings = Vec::new();
        let reparsed = printpdf::ParsedFont::from_bytes(&cut, 0, &mut warnings).expect("reparse");
        assert_eq!(reparsed.codepoint_to_glyph, face.parsed.codepoint_to_glyph);
        assert_eq!(reparsed.glyph_widths, face.parsed.glyph_widths);

        let ts = tables(&cut).expect("tables");
        let (loca, glyf) = (
            find(&ts, LOCA).expect("loca"),
            find(&ts, GLYF).expect("glyf"),
        );
        let len = |g: u16| {
            let (s, e) = glyph_range(loca, true, g).expect("range");
            assert!(e <= glyf.len());
            e - s
        };
        assert!(len(gid('A')) > 0 && len(gid('ü')) > 0 && len(gid('Ж')) > 0);
        assert_eq!(len(gid('B')), 0, "unused glyph kept");
        let ü = glyf
            .get(glyph_range(loca, true, gid('ü')).expect("r").0..)
            .expect("g");
        for c in components(ü).expect("components") {
            assert!(len(c) > 0, "component {c} of ü dropped");
        }
        // The whole-font checksum is the magic number once adjusted.
        assert_eq!(checksum(&cut), 0xB1B0_AFBA);
    }
}
