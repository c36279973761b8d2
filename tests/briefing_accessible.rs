//! The briefing as an accessible (tagged) PDF, proven through real readers:
//! pdfinfo's structure dump, qpdf's JSON and lopdf.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn build(operation: &Path, out: &Path) -> PathBuf {
    build_ok(operation, out);
    let id_dir = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    id_dir.join("rev-001")
}

/// (role, text) pairs of `pdfinfo -struct-text`, in reading order; the
/// text of a node is the quoted line under it (empty for inner nodes).
fn structure(pdf: &str) -> Vec<(String, String)> {
    let dump = tool("pdfinfo", &["-struct-text", pdf]);
    let mut nodes: Vec<(String, String)> = Vec::new();
    for line in dump.lines() {
        let trimmed = line.trim();
        if let Some(text) = trimmed.strip_prefix('"') {
            if let Some(last) = nodes.last_mut() {
                last.1.push_str(text.trim_end_matches('"'));
            }
        } else if let Some(role) = trimmed.split_whitespace().next() {
            nodes.push((role.to_string(), String::new()));
        }
    }
    nodes
}

fn qpdf_json(pdf: &str) -> Value {
    serde_json::from_str(&tool("qpdf", &["--json", pdf])).unwrap()
}

/// Every indirect object's value in qpdf's JSON v2.
fn objects(json: &Value) -> Vec<&Value> {
    json["qpdf"][1]
        .as_object()
        .unwrap()
        .values()
        .map(|o| o.get("value").unwrap_or(o))
        .collect()
}

/// A qpdf JSON text string ("u:…") as plain text.
fn text(v: &Value) -> String {
    let s = v.as_str().unwrap_or_default();
    s.strip_prefix("u:").unwrap_or(s).to_string()
}

fn check_tagged(rev: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let pdf = rev.join("briefing.pdf");
    let path = pdf.to_string_lossy();
    tool("qpdf", &["--check", &path]);
    let info = tool("pdfinfo", &[&path]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(!info.contains("PDF/X"), "a PDF/X claim is left: {info}");

    let nodes = structure(&path);
    assert_eq!(nodes.first().map(|n| n.0.as_str()), Some("Document"));
    let title = info
        .lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .unwrap()
        .trim();
    assert!(
        nodes.iter().any(|(r, t)| r == "H1" && t == title),
        "no H1 with the title {title:?}"
    );
    for role in ["H2", "P", "L", "LI", "Table", "TR", "TH", "TD"] {
        assert!(nodes.iter().any(|n| n.0 == role), "no {role} in the tree");
    }
    // Page furniture is no content: markings and page numbers are artifacts.
    assert!(
        !nodes.iter().any(|(_, t)| t.contains("Page 1 of")),
        "the page number is tagged as content"
    );

    // The outline lists the section headings, in the order of the text.
    let json = qpdf_json(&path);
    let outline: Vec<String> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap().to_string())
        .collect();
    let headings: Vec<String> = nodes
        .iter()
        .filter(|n| n.0 == "H2")
        .map(|n| n.1.clone())
        .collect();
    assert_eq!(outline, headings);
    let pages: Vec<u64> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["destpageposfrom1"].as_u64().unwrap())
        .collect();
    assert!(pages.windows(2).all(|w| w[0] <= w[1]), "{pages:?}");

    // Catalog: language, marked, title shown, outline open.
    let all = objects(&json);
    let catalog = all
        .iter()
        .find(|o| o["/Type"] == "/Catalog")
        .expect("a catalog");
    assert_eq!(text(&catalog["/Lang"]), "en");
    assert_eq!(catalog["/MarkInfo"]["/Marked"], true);
    assert_eq!(catalog["/ViewerPreferences"]["/DisplayDocTitle"], true);
    assert_eq!(catalog["/PageMode"], "/UseOutlines");

    let alts: Vec<String> = all
        .iter()
        .filter(|o| o["/S"] == "/Figure")
        .map(|o| text(&o["/Alt"]))
        .collect();
    let figures = nodes.iter().filter(|n| n.0 == "Figure").count();
    assert_eq!(alts.len(), figures, "every Figure has alternative text");
    (nodes, alts)
}

#[test]
fn the_sample_briefing_is_a_tagged_pdf_with_alt_texts_that_state_the_figures() {
    let out = tempfile::tempdir().unwrap();
    let rev = build(&sample(), out.path());
    let (nodes, alts) = check_tagged(&rev);
    assert!(!alts.is_empty(), "the sample has charts");
    // Sections in the shipped order.
    let headings: Vec<&str> = nodes
        .iter()
        .filter(|n| n.0 == "H2")
        .map(|n| n.1.as_str())
        .collect();
    let position = |h: &str| headings.iter().position(|x| *x == h).unwrap();
    assert!(position("Summary") < position("Results"));
    assert!(position("Results") < position("Data quality"));
    assert!(position("Data quality") < position("Sources"));

    // Each alt text names the figures of its bars: every published figure
    // whose label an alt text names is stated there with its value.
    let figures: Value =
        serde_json::from_str(&std::fs::read_to_string(rev.join("figures.json")).unwrap()).unwrap();
    let mut stated = 0;
    for figure in figures["figures"].as_array().unwrap() {
        // A part is labelled "Arrests – Migrant smuggling"; its bar, "Migrant smuggling".
        let label = figure["label"].as_str().unwrap();
        let label = label.rsplit(" – ").next().unwrap();
        let shown = spaces(figure["shown"].as_str().unwrap());
        for alt in &alts {
            let needle = format!("{label}: ");
            if let Some(at) = alt.find(&needle) {
                let rest = &alt[at + needle.len()..];
                let value = rest.split(';').next().unwrap().trim_end_matches('.');
                assert_eq!(spaces(value), shown, "{label} in {alt:?}");
                stated += 1;
            }
        }
    }
    assert!(
        stated >= 10,
        "only {stated} figures stated in the alt texts"
    );
}

/// No-break spaces as plain ones.
fn spaces(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

#[test]
fn a_corpus_like_operation_is_tagged_too() {
    let out = tempfile::tempdir().unwrap();
    let rev = build(&fixture("approximate"), out.path());
    check_tagged(&rev);
}

#[test]
fn the_structure_is_read_back_by_lopdf() {
    let out = tempfile::tempdir().unwrap();
    let rev = build(&sample(), out.path());
    let doc = lopdf::Document::load(rev.join("briefing.pdf")).unwrap();
    let catalog = doc.catalog().unwrap();
    let root = catalog
        .get(b"StructTreeRoot")
        .unwrap()
        .as_reference()
        .unwrap();
    let root = doc.get_dictionary(root).unwrap();
    assert_eq!(
        root.get(b"Type").unwrap().as_name().unwrap(),
        b"StructTreeRoot"
    );
    // Every page points into the parent tree.
    for (_, page) in doc.get_pages() {
        let page = doc.get_dictionary(page).unwrap();
        assert!(page.get(b"StructParents").unwrap().as_i64().is_ok());
    }
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    assert!(
        doc.get_dictionary(info)
            .unwrap()
            .get(b"GTS_PDFXVersion")
            .is_err()
    );
}
