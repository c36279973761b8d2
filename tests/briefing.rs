//! The sample briefing read back through real PDF tools.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn build_sample(out: &Path) -> PathBuf {
    let result = opbrief(&[
        "build",
        &sample().to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    out.join("jad-see-2023/rev-001/briefing.pdf")
}

fn page_count(pdf: &str) -> usize {
    tool("pdfinfo", &[pdf])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

#[test]
fn the_sample_briefing_reads_back_correctly() {
    let out = tempfile::tempdir().unwrap();
    let pdf = build_sample(out.path());
    let path = pdf.to_string_lossy();
    tool("qpdf", &["--check", &path]);
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 400_000, "the sample briefing is {size} bytes");

    // pdftotext prints the no-break space as a plain one.
    let text = tool("pdftotext", &[&path, "-"]).replace('\u{a0}', " ");
    for needle in [
        "566", "562", "310", "307", "Türkiye", "Kosovo*", "22 488", "288 774", "20 206",
    ] {
        assert!(text.contains(needle), "{needle} not in the briefing text");
    }
    // Chart labels are real text.
    for label in [
        "Arrests by crime area",
        "Migrant smuggling",
        "Drug trafficking",
        "Firearms trafficking",
        "Other crimes",
        "Not attributed",
    ] {
        assert!(text.contains(label), "chart label {label} not extractable");
    }
    // Every finding is listed, in words; the codes are the workbook's.
    assert!(text.contains("Arrests: stated 566 but its parts add up to 562"));
    assert!(text.contains("Weapons seized: stated 310 but its parts add up to 307"));
    assert!(!text.contains("parts-differ-from-total"));
    let pages = page_count(&path);
    assert!(pages >= 2);
    for page in 1..=pages {
        let n = page.to_string();
        let page_text = tool("pdftotext", &["-f", &n, "-l", &n, &path, "-"]);
        assert!(
            page_text.matches("PUBLIC").count() >= 2,
            "marking top and bottom of page {page}"
        );
        assert!(
            page_text.contains(&format!("Page {page} of {pages}")),
            "page {page}"
        );
    }

    let fonts = tool("pdffonts", &[&path]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID
        let emb = columns[columns.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {row}");
    }
}

#[test]
fn rebuilding_gives_the_same_bytes() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let a = std::fs::read(build_sample(first.path())).unwrap();
    let b = std::fs::read(build_sample(second.path())).unwrap();
    assert!(a == b, "two builds of the same inputs differ");
    let manifest = |dir: &Path| {
        std::fs::read_to_string(dir.join("jad-see-2023/rev-001/manifest.json")).unwrap()
    };
    assert_eq!(manifest(first.path()), manifest(second.path()));
}

#[test]
fn greek_cyrillic_and_latin_extended_names_extract() {
    let out = tempfile::tempdir().unwrap();
    let result = opbrief(&[
        "build",
        &fixture("scripts").to_string_lossy(),
        "--out",
        &out.path().to_string_lossy(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let pdf = out.path().join("scripts/rev-001/briefing.pdf");
    let text = tool("pdftotext", &[&pdf.to_string_lossy(), "-"]);
    for name in [
        "Ñandú",
        "Türkiye",
        "Ελληνική Αστυνομία",
        "Міністерство внутрішніх справ",
        "Србија полиција",
        "TLP:AMBER",
    ] {
        assert!(text.contains(name), "{name} not extracted");
    }
}

#[test]
fn a_character_the_font_lacks_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    std::fs::create_dir_all(op.join("returns")).unwrap();
    let operation = std::fs::read_to_string(fixture("scripts").join("operation.toml")).unwrap();
    std::fs::write(
        op.join("operation.toml"),
        operation.replace("Србија полиција", "公安部"),
    )
    .unwrap();
    std::fs::copy(
        fixture("scripts").join("returns/consolidated.toml"),
        op.join("returns/consolidated.toml"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let result = opbrief(&[
        "build",
        &op.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    let err = stderr(&result);
    assert!(err.contains('公'), "the message names the character: {err}");
    assert!(
        !out.join("scripts").join("rev-001").exists(),
        "no half-written revision"
    );
}

/// Sources are named as documents; the input files and their hashes are
/// in the workbook and the manifest only, for any number of returns.
#[test]
fn sources_are_documents_never_paths_or_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    let small = tmp.path().join("small");
    let large = tmp.path().join("large");
    for (dir, days) in [(&small, "2"), (&large, "9")] {
        let result = opbrief(&[
            "demo",
            "--countries",
            "3",
            "--days",
            days,
            "--out",
            &dir.to_string_lossy(),
        ]);
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
        build_ok(dir, &dir.join("output"));
    }
    let read = |dir: &Path| {
        let rev = std::fs::read_dir(dir.join("output"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path()
            .join("rev-001");
        let pdf = rev.join("briefing.pdf").to_string_lossy().into_owned();
        // Words joined by single spaces: table cells wrap.
        let text = tool("pdftotext", &[&pdf, "-"])
            .replace('\u{a0}', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(rev.join("manifest.json")).unwrap()).unwrap();
        let returns: Vec<(String, String)> = manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let field = |k: &str| i[k].as_str().unwrap().to_string();
                (field("path"), field("sha256"))
            })
            .filter(|(path, _)| path.starts_with("returns/"))
            .collect();
        (text, returns)
    };

    // 3 countries × 2 (or 9) days + consolidated.
    for (dir, files, returns_text) in [
        (&small, 7, "6 returns of 3 participants"),
        (&large, 28, "27 returns of 3 participants"),
    ] {
        let (text, returns) = read(dir);
        assert_eq!(returns.len(), files);
        assert!(text.contains(returns_text), "{returns_text} not in {text}");
        assert!(text.contains("Consolidated figures of the coordination"));
        assert!(text.contains("workbook (sheet Sources) and in manifest.json"));
        for (path, sha256) in &returns {
            let stem = path.trim_start_matches("returns/");
            assert!(!text.contains(stem), "{path} named in the briefing");
            assert!(
                !text.contains(&sha256[..16]),
                "hash of {path} in the briefing"
            );
        }
        assert!(!text.contains(".toml"), "a file name in the briefing");
    }
}
