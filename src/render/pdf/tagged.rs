//! What makes the painted document a tagged PDF (ISO 32000-1, 14.7–14.8),
//! added to the lopdf document printpdf hands back.
//!
//! printpdf 0.12 writes the marked-content operators the painter asks for,
//! but no structure tree, `/MarkInfo` or `/Lang`; its bookmarks are flat and
//! sorted by page and name, it writes `/PageMode` as a string and always
//! writes `/GTS_PDFXVersion` (empty, which readers take for a PDF/X claim).
//! So the tree, the outline (in section order) and the clean-up are done
//! here on the finished objects.
//!
//! Inputs: the layout's structure nodes and, per page, the node of each
//! marked-content id (MCID) the painter wrote.

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::layout::Layout;
use super::{DocSpec, PdfError};

/// Adds the structure tree, outline, language and viewer preferences to
/// `doc`, and removes printpdf's empty PDF/X claim. `marked[p][mcid]` is the
/// structure node of marked-content sequence `mcid` on page `p`.
pub(super) fn finish(
    doc: &mut Document,
    spec: &DocSpec,
    layout: &Layout,
    marked: &[Vec<usize>],
) -> Result<(), PdfError> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.len() != marked.len() {
        return Err(write_error(format!(
            "{} pages written for {} laid out",
            pages.len(),
            marked.len()
        )));
    }
    let structure = structure_tree(doc, layout, &pages, marked)?;
    let outline = outline(doc, layout, &pages);

    for (index, &page) in pages.iter().enumerate() {
        let dict = dict_mut(doc, page)?;
        dict.set("StructParents", Object::Integer(index as i64));
        // Tab order follows the structure (PDF/UA).
        dict.set("Tabs", Object::Name(b"S".to_vec()));
    }

    let catalog = doc
        .catalog_mut()
        .map_err(|e| write_error(format!("no catalog: {e}")))?;
    catalog.set("StructTreeRoot", Object::Reference(structure));
    catalog.set(
        "MarkInfo",
        Object::Dictionary(dict([("Marked", true.into())])),
    );
    let lang = if spec.lang.trim().is_empty() {
        "en"
    } else {
        spec.lang.trim()
    };
    catalog.set("Lang", text(lang));
    catalog.set(
        "ViewerPreferences",
        Object::Dictionary(dict([("DisplayDocTitle", true.into())])),
    );
    match outline {
        Some(outline) => {
            catalog.set("Outlines", Object::Reference(outline));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => {
            catalog.remove(b"Outlines");
            catalog.set("PageMode", Object::Name(b"UseNone".to_vec()));
        }
    }

    // The briefing claims no PDF/X conformance; an empty version is a claim
    // to readers all the same.
    if let Ok(info) = doc.trailer.get(b"Info").and_then(Object::as_reference) {
        let info = dict_mut(doc, info)?;
        info.remove(b"GTS_PDFXVersion");
        if info
            .get(b"Identifier")
            .and_then(Object::as_str)
            .is_ok_and(<[u8]>::is_empty)
        {
            info.remove(b"Identifier");
        }
    }
    Ok(())
}

/// Writes one StructElem per node that has content (directly or below),
/// the parent tree, and the StructTreeRoot; returns the root's id.
fn structure_tree(
    doc: &mut Document,
    layout: &Layout,
    pages: &[ObjectId],
    marked: &[Vec<usize>],
) -> Result<ObjectId, PdfError> {
    let nodes = &layout.structure;
    // A node's kids in reading order: its marked content and its child
    // nodes, ordered by where each first appears (page, mcid).
    #[derive(Clone, Copy)]
    enum Kid {
        Content { page: usize, mcid: usize },
        Node(usize),
    }
    let mut first_seen: Vec<Option<(usize, usize)>> = vec![None; nodes.len()];
    let mut kids: Vec<Vec<((usize, usize), Kid)>> = vec![Vec::new(); nodes.len()];
    for (page, ids) in marked.iter().enumerate() {
        for (mcid, &node) in ids.iter().enumerate() {
            if node >= nodes.len() {
                continue;
            }
            kids[node].push(((page, mcid), Kid::Content { page, mcid }));
            // Mark the node and its ancestors as present, first time only.
            let mut at = Some(node);
            while let Some(n) = at {
                if first_seen[n].is_some() {
                    break;
                }
                first_seen[n] = Some((page, mcid));
                at = nodes[n].parent;
            }
        }
    }
    for (n, node) in nodes.iter().enumerate() {
        if let (Some(parent), Some(seen)) = (node.parent, first_seen[n]) {
            kids[parent].push((seen, Kid::Node(n)));
        }
    }
    for list in &mut kids {
        list.sort_by_key(|(at, _)| *at);
    }

    let root_id = doc.new_object_id();
    let ids: Vec<Option<ObjectId>> = first_seen
        .iter()
        .map(|seen| seen.map(|_| doc.new_object_id()))
        .collect();
    let mut parent_tree: Vec<Vec<Object>> =
        marked.iter().map(|m| vec![Object::Null; m.len()]).collect();
    for (n, node) in nodes.iter().enumerate() {
        let Some(id) = ids[n] else { continue };
        let parent = match node.parent.and_then(|p| ids[p]) {
            Some(p) => p,
            None => root_id,
        };
        let k: Vec<Object> = kids[n]
            .iter()
            .map(|(_, kid)| match *kid {
                Kid::Content { page, mcid } => {
                    if let Some(slot) = parent_tree.get_mut(page).and_then(|p| p.get_mut(mcid)) {
                        *slot = Object::Reference(id);
                    }
                    Object::Dictionary(dict([
                        ("Type", Object::Name(b"MCR".to_vec())),
                        ("Pg", Object::Reference(pages[page])),
                        ("MCID", Object::Integer(mcid as i64)),
                    ]))
                }
                Kid::Node(child) => ids[child].map_or(Object::Null, Object::Reference),
            })
            .collect();
        let mut elem = dict([
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(node.role.name().as_bytes().to_vec())),
            ("P", Object::Reference(parent)),
            ("K", Object::Array(k)),
        ]);
        if let Some(alt) = &node.alt {
            elem.set("Alt", text(alt));
        }
        doc.objects.insert(id, Object::Dictionary(elem));
    }

    let nums: Vec<Object> = parent_tree
        .into_iter()
        .enumerate()
        .flat_map(|(page, refs)| [Object::Integer(page as i64), Object::Array(refs)])
        .collect();
    let parent_tree = doc.add_object(dict([("Nums", Object::Array(nums))]));
    let top = ids.first().copied().flatten();
    let root = dict([
        ("Type", Object::Name(b"StructTreeRoot".to_vec())),
        (
            "K",
            Object::Array(top.map(Object::Reference).into_iter().collect()),
        ),
        ("ParentTree", Object::Reference(parent_tree)),
        ("ParentTreeNextKey", Object::Integer(marked.len() as i64)),
    ]);
    doc.objects.insert(root_id, Object::Dictionary(root));
    Ok(root_id)
}

/// The outline: one entry per section heading, in document order, each
/// opening its page at the heading. `None` without headings.
fn outline(doc: &mut Document, layout: &Layout, pages: &[ObjectId]) -> Option<ObjectId> {
    let entries: Vec<_> = layout
        .outline
        .iter()
        .filter(|e| e.page < pages.len())
        .collect();
    if entries.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    for (i, entry) in entries.iter().enumerate() {
        let top = layout.page_height - entry.y;
        let mut item = dict([
            ("Title", text(&entry.title)),
            ("Parent", Object::Reference(root)),
            (
                "Dest",
                Object::Array(vec![
                    Object::Reference(pages[entry.page]),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(top),
                    Object::Null,
                ]),
            ),
        ]);
        if i > 0 {
            item.set("Prev", Object::Reference(ids[i - 1]));
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", Object::Reference(*next));
        }
        doc.objects.insert(ids[i], Object::Dictionary(item));
    }
    let (first, last) = (ids[0], ids[ids.len() - 1]);
    doc.objects.insert(
        root,
        Object::Dictionary(dict([
            ("Type", Object::Name(b"Outlines".to_vec())),
            ("First", Object::Reference(first)),
            ("Last", Object::Reference(last)),
            ("Count", Object::Integer(ids.len() as i64)),
        ])),
    );
    Some(root)
}

fn dict<const N: usize>(entries: [(&str, Object); N]) -> Dictionary {
    let mut d = Dictionary::new();
    for (key, value) in entries {
        d.set(key, value);
    }
    d
}

/// A PDF text string: ASCII as is, anything else as UTF-16BE with a BOM.
fn text(s: &str) -> Object {
    if s.is_ascii() {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn dict_mut(doc: &mut Document, id: ObjectId) -> Result<&mut Dictionary, PdfError> {
    doc.get_object_mut(id)
        .and_then(Object::as_dict_mut)
        .map_err(|e| write_error(format!("object {id:?}: {e}")))
}

fn write_error(message: String) -> PdfError {
    PdfError::Write { message }
}
