//! The briefing as a publication, read back through real tools: no figure
//! split over two lines (`pdftotext -layout`), no heading left at a page
//! foot and no table starting with a lone header row (the structure tree's
//! pages, through `qpdf --json`), nothing internal in the text, and at most
//! 12 pages for 5 000 returns.

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn revision(out: &Path) -> PathBuf {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap()
        .join("rev-001")
}

/// Builds `operation` (errors in the figures are expected: exit 0 or 1).
fn build(operation: &Path, out: &Path) -> PathBuf {
    let result = opbrief(&[
        "build",
        &operation.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "{}",
        stderr(&result)
    );
    revision(out)
}

fn demo_5000(tmp: &Path) -> PathBuf {
    let dir = tmp.join("demo");
    let result = opbrief(&["demo", "--out", &dir.to_string_lossy(), "--returns", "5000"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    build(&dir, &tmp.join("out"))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// findings.json's findings (a list under "findings").
fn findings(rev: &Path) -> Vec<Value> {
    let file = json(&rev.join("findings.json"));
    let list = file.get("findings").unwrap_or(&file);
    list.as_array().unwrap().clone()
}

/// No-break spaces as plain ones.
fn spaces(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

/// 119152 → "119 152"; −14000 with a sign → "−14 000".
fn grouped(n: i64, signed: bool) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    match (signed, n < 0) {
        (_, true) => format!("\u{2212}{out}"),
        (true, false) => format!("+{out}"),
        (false, false) => out,
    }
}

/// Every figure of the results table and every number of the data-quality
/// table stands whole on one line of the layout text.
fn figures_stay_whole(rev: &Path) {
    let pdf = rev.join("briefing.pdf");
    let text = spaces(&tool(
        "pdftotext",
        &["-layout", &pdf.to_string_lossy(), "-"],
    ));
    let lines: Vec<&str> = text.lines().collect();
    let on_a_line = |figure: &str| lines.iter().any(|l| l.contains(figure));
    let mut checked = 0;
    for figure in json(&rev.join("figures.json"))["figures"]
        .as_array()
        .unwrap()
    {
        let shown = spaces(figure["shown"].as_str().unwrap());
        assert!(on_a_line(&shown), "{shown:?} is split or missing");
        checked += 1;
    }
    for finding in &findings(rev) {
        for (key, signed) in [("stated", false), ("computed", false), ("difference", true)] {
            if let Some(n) = finding[key].as_i64() {
                let number = grouped(n, signed);
                assert!(on_a_line(&number), "{key} {number:?} of a finding is split");
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} figures looked at");
}

/// The text has no rule code, no file name and no hash.
fn nothing_internal(rev: &Path) {
    let pdf = rev.join("briefing.pdf");
    let text = tool("pdftotext", &[&pdf.to_string_lossy(), "-"]);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for finding in &findings(rev) {
        let code = finding["code"].as_str().unwrap();
        assert!(!flat.contains(code), "rule code {code} in the briefing");
    }
    for internal in [".toml", "<opbrief>", "SHA-256"] {
        assert!(!flat.contains(internal), "{internal} in the briefing");
    }
    // A hash, or a piece of one wrapped over lines: a long word of hex
    // digits with both letters and digits.
    for word in text.split_whitespace() {
        let hex = word.len() >= 12
            && word.chars().all(|c| c.is_ascii_hexdigit())
            && word.chars().any(|c| c.is_ascii_digit())
            && word.chars().any(|c| c.is_ascii_alphabetic());
        assert!(!hex, "a hash ({word}) in the briefing");
    }
}

/// One leaf of the structure tree: its role and the pages its content is on.
struct Leaf {
    role: String,
    pages: Vec<usize>,
}

/// The structure tree's leaves in reading order, with the (0-based) pages
/// of their marked content, from qpdf's JSON.
fn leaves(pdf: &Path) -> Vec<Leaf> {
    let doc: Value =
        serde_json::from_str(&tool("qpdf", &["--json", &pdf.to_string_lossy()])).unwrap();
    let objects = doc["qpdf"][1].as_object().unwrap();
    let get = |reference: &str| {
        let o = &objects[&format!("obj:{reference}")];
        o.get("value").unwrap_or(o).clone()
    };
    let page_index: HashMap<String, usize> = doc["pages"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, p)| (p["object"].as_str().unwrap().to_string(), i))
        .collect();
    let catalog = objects
        .values()
        .map(|o| o.get("value").unwrap_or(o))
        .find(|o| o["/Type"] == "/Catalog")
        .unwrap()
        .clone();
    let root = get(catalog["/StructTreeRoot"].as_str().unwrap());
    let mut out = Vec::new();
    let mut stack: Vec<Value> = root["/K"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|r| get(r.as_str().unwrap()))
        .collect();
    while let Some(elem) = stack.pop() {
        let kids = elem["/K"].as_array().cloned().unwrap_or_default();
        let mut pages = Vec::new();
        let mut children = Vec::new();
        for kid in &kids {
            match kid {
                Value::String(r) => children.push(get(r)),
                Value::Object(mcr) => pages.push(page_index[mcr["/Pg"].as_str().unwrap()]),
                _ => {}
            }
        }
        if !pages.is_empty() {
            out.push(Leaf {
                role: elem["/S"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches('/')
                    .to_string(),
                pages,
            });
        }
        stack.extend(children.into_iter().rev());
    }
    out
}

/// A heading stands on the page where what follows it starts, and a
/// table's first data row on the page of its header.
fn kept_together(pdf: &Path) {
    let leaves = leaves(pdf);
    assert!(leaves.iter().any(|l| l.role == "H2"));
    for (i, leaf) in leaves.iter().enumerate() {
        let Some(next) = leaves.get(i + 1) else { break };
        if leaf.role == "H2" {
            assert_eq!(
                leaf.pages.last(),
                next.pages.first(),
                "a heading ends page {} alone",
                leaf.pages[0] + 1
            );
            // Heading and intro stay with the table or chart they introduce.
            if let Some(after) = leaves.get(i + 2)
                && next.role == "P"
                && matches!(after.role.as_str(), "TH" | "Figure")
            {
                assert_eq!(
                    leaf.pages.last(),
                    after.pages.first(),
                    "heading and intro at the foot of page {}, their {} overleaf",
                    leaf.pages[0] + 1,
                    after.role
                );
            }
        }
        if leaf.role == "TH" && next.role == "TD" {
            assert_eq!(
                leaf.pages.last(),
                next.pages.first(),
                "a table header alone at the foot of page {}",
                leaf.pages[0] + 1
            );
        }
    }
}

fn pages(pdf: &Path) -> usize {
    tool("pdfinfo", &[&pdf.to_string_lossy()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

#[test]
fn the_sample_briefing_keeps_figures_whole_and_headings_with_their_text() {
    let tmp = tempfile::tempdir().unwrap();
    let rev = build(&sample(), tmp.path());
    figures_stay_whole(&rev);
    nothing_internal(&rev);
    kept_together(&rev.join("briefing.pdf"));
    let n = pages(&rev.join("briefing.pdf"));
    assert!((4..=5).contains(&n), "the sample briefing has {n} pages");
}

#[test]
fn five_thousand_returns_fit_in_twelve_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let rev = demo_5000(tmp.path());
    let pdf = rev.join("briefing.pdf");
    let n = pages(&pdf);
    assert!(n <= 12, "{n} pages for 5 000 returns");
    figures_stay_whole(&rev);
    nothing_internal(&rev);
    kept_together(&pdf);
    // Regional units are counted under their country: no chart has a
    // "Region" bar, and 26 countries are 12 bars and "All others".
    let doc: Value =
        serde_json::from_str(&tool("qpdf", &["--json", &pdf.to_string_lossy()])).unwrap();
    let alts: Vec<String> = doc["qpdf"][1]
        .as_object()
        .unwrap()
        .values()
        .map(|o| o.get("value").unwrap_or(o))
        .filter(|o| o["/S"] == "/Figure")
        .map(|o| o["/Alt"].as_str().unwrap().to_string())
        .collect();
    let by_reporter: Vec<&String> = alts.iter().filter(|a| a.contains("by reporter")).collect();
    assert!(!by_reporter.is_empty());
    for alt in by_reporter {
        assert!(
            !alt.contains("Region 0"),
            "a regional unit charted alone: {alt}"
        );
        assert!(alt.contains("All others (14 reporters)"), "{alt}");
    }
}

#[test]
fn a_public_briefing_shows_no_figures_per_reporter_unless_released() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("op");
    let result = opbrief(&[
        "demo",
        "--countries",
        "4",
        "--days",
        "3",
        "--out",
        &dir.to_string_lossy(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let toml = dir.join("operation.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let marking = text
        .lines()
        .find(|l| l.starts_with("marking"))
        .unwrap()
        .to_string();
    let public = text.replace(&marking, "marking = \"PUBLIC\"");
    let briefing_text = |toml_text: &str, name: &str| {
        std::fs::write(&toml, toml_text).unwrap();
        let rev = build(&dir, &tmp.path().join(name));
        tool(
            "pdftotext",
            &[&rev.join("briefing.pdf").to_string_lossy(), "-"],
        )
    };
    let shown = briefing_text(&text, "marked");
    assert!(
        shown.contains("by reporter"),
        "a marked briefing shows reporters"
    );
    let hidden = briefing_text(&public, "public");
    assert!(
        !hidden.contains("by reporter"),
        "PUBLIC shows reporters by default"
    );
    let released = briefing_text(
        &format!("{public}\n[release]\nbriefing_reporters = true\n"),
        "released",
    );
    assert!(
        released.contains("by reporter"),
        "[release] briefing_reporters = true"
    );
}

#[test]
fn the_press_release_carries_a_marking_that_is_not_public_on_its_first_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("op");
    let result = opbrief(&[
        "demo",
        "--countries",
        "3",
        "--days",
        "2",
        "--out",
        &dir.to_string_lossy(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let toml = dir.join("operation.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let marking_line = text.lines().find(|l| l.starts_with("marking")).unwrap();
    let first_line = |name: &str| {
        let rev = build(&dir, &tmp.path().join(name));
        let release = std::fs::read_to_string(rev.join("press-release.md")).unwrap();
        release.lines().next().unwrap_or_default().to_string()
    };
    std::fs::write(&toml, text.replace(marking_line, "marking = \"TLP:AMBER\"")).unwrap();
    assert_eq!(first_line("amber"), "TLP:AMBER");
    std::fs::write(&toml, text.replace(marking_line, "marking = \"PUBLIC\"")).unwrap();
    let public = first_line("public");
    assert!(
        public.starts_with("# "),
        "a PUBLIC release starts with its headline: {public}"
    );
}
