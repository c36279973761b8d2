//! The PDF engine end to end: what a reader of the PDF gets (pdftotext,
//! pdffonts, qpdf) and what the layout promises (boxes inside the page, no
//! overlaps, repeated headers, determinism).
//!
//! Needs poppler-utils and qpdf on PATH (CI installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

use opbrief::render::pdf::{
    Align, Bar, Block, ChartSpec, Column, DocSpec, Item, Layout, PdfError, Role, Row, TableSpec,
    Tile, Tone, layout, render,
};

const NNBSP: char = '\u{202f}';

fn row(cells: &[&str], indent: u8, strong: bool, tone: Tone) -> Row {
    Row {
        cells: cells.iter().map(|s| s.to_string()).collect(),
        indent,
        strong,
        tone,
    }
}

fn bar(label: &str, value: f64, value_label: &str, tone: Tone) -> Bar {
    Bar {
        label: label.into(),
        value,
        value_label: value_label.into(),
        tone,
    }
}

/// A briefing shaped like the real one: every block kind, several scripts.
fn sample() -> DocSpec {
    let countries = [
        ("Albania", 1203.0),
        ("Bosnia and Herzegovina", 2877.0),
        ("Bulgaria", 5120.0),
        ("Croatia", 3311.0),
        ("Ελλάδα (Greece)", 6702.0),
        ("Kosovo*", 988.0),
        ("Montenegro", 640.0),
        ("North Macedonia", 1450.0),
        ("Србија (Serbia)", 2210.0),
        ("Türkiye", 4021.0),
        ("Unattributed", 4.0),
    ];
    let fmt = |v: f64| {
        let s = format!("{v:.0}");
        if s.len() > 3 {
            format!("{}{NNBSP}{}", &s[..s.len() - 3], &s[s.len() - 3..])
        } else {
            s
        }
    };
    let bars = countries
        .iter()
        .map(|&(c, v)| {
            let tone = if c == "Unattributed" {
                Tone::Error
            } else {
                Tone::Neutral
            };
            bar(c, v, &fmt(v), tone)
        })
        .collect();
    let mut rows = vec![row(
        &["Persons checked", "288\u{202f}774", "—"],
        0,
        true,
        Tone::Neutral,
    )];
    rows.push(row(
        &["at border crossing points", "201\u{202f}112", "69.7 %"],
        1,
        false,
        Tone::Neutral,
    ));
    rows.push(row(
        &["inland, on trains and buses", "87\u{202f}662", "30.3 %"],
        1,
        false,
        Tone::Neutral,
    ));
    rows.push(row(&["Arrests", "626", "—"], 0, true, Tone::Neutral));
    rows.push(row(
        &["migrant smuggling (facilitators)", "212", "33.9 %"],
        1,
        false,
        Tone::Neutral,
    ));
    rows.push(row(
        &["drug trafficking", "301", "48.1 %"],
        1,
        false,
        Tone::Neutral,
    ));
    rows.push(row(&["firearms trafficking, including illegal possession of weapons and ammunition reported by customs", "117", "18.7 %"], 1, false, Tone::Neutral));
    rows.push(row(&["unattributed", "4", "0.6 %"], 1, false, Tone::Error));
    rows.push(row(
        &["Drugs seized (kg)", "almost 300", "—"],
        0,
        true,
        Tone::Warning,
    ));
    DocSpec {
        title: "Joint Action Days South-East Europe 2023".into(),
        subject: "Results of the operation".into(),
        author: "Operational coordination unit".into(),
        keywords: vec!["JAD".into(), "SEE".into(), "2023".into()],
        lang: "en".into(),
        creation_unix: 1_795_824_000,
        marking: "PUBLIC".into(),
        footer: "jad-see-2023 · revision 1 · 28 November 2026".into(),
        blocks: vec![
            Block::TitleBlock {
                title: "Joint Action Days South-East Europe 2023".into(),
                subtitle: "Results briefing — figures as reported by the participants".into(),
                facts: vec![
                    ("Period".into(), "13–18 November 2023".into()),
                    ("Coordinator".into(), "Spain".into()),
                    ("Participants".into(), "Albania, Bosnia and Herzegovina, Bulgaria, Croatia, Ελλάδα, Kosovo*, Montenegro, North Macedonia, Србија, Türkiye, and 6 EU Member States".into()),
                    ("Revision".into(), "1 (28 November 2026)".into()),
                ],
            },
            Block::Callout {
                tone: Tone::Error,
                title: "2 errors in the data".into(),
                lines: vec![
                    "Arrests: the parts (630) exceed the total (626) — returns/türkiye.toml:14.".into(),
                    "Persons checked: Kosovo* reported 98 800 for 14 November, ten times its other days — returns/kosovo.toml:9.".into(),
                ],
            },
            Block::Tiles(vec![
                Tile { value: format!("288{NNBSP}774"), label: "persons checked".into(), tone: Tone::Neutral },
                Tile { value: "626".into(), label: "arrests".into(), tone: Tone::Neutral },
                Tile { value: format!("22{NNBSP}488"), label: "vehicles checked".into(), tone: Tone::Neutral },
                Tile { value: "almost 300\u{a0}kg".into(), label: "drugs seized".into(), tone: Tone::Neutral },
                Tile { value: "4".into(), label: "arrests not attributed to a crime area".into(), tone: Tone::Error },
            ]),
            Block::Heading("Summary".into()),
            Block::Paragraph(format!(
                "From 13 to 18 November 2023 law-enforcement authorities of 16 countries checked \
                 288{NNBSP}774 persons and 22{NNBSP}488 vehicles at border crossing points and \
                 inland. They arrested 626 suspects, among them 212 suspected migrant smugglers, \
                 and seized almost 300 kg of drugs. Partners from Türkiye, Kosovo*, Србија and \
                 Ελλάδα took part."
            )),
            Block::Bullets(vec![
                "Checks at the external borders were coordinated from Spain.".into(),
                "Each participant's figures are its own return; corrections are listed at the end of this briefing together with the reason given for them.".into(),
            ]),
            Block::Chart(ChartSpec {
                title: "Persons checked by participant".into(),
                caption: "Source: participants' returns, consolidated 28 November 2026. * This designation is without prejudice to positions on status.".into(),
                unit: "persons".into(),
                bars,
            }),
            Block::PageBreak,
            Block::Heading("Full results".into()),
            Block::Table(TableSpec {
                columns: vec![
                    Column { header: "Metric".into(), width: 5.0, align: Align::Left },
                    Column { header: "Total".into(), width: 1.6, align: Align::Right },
                    Column { header: "Share".into(), width: 1.2, align: Align::Right },
                ],
                rows,
            }),
            Block::Paragraph("* This designation is without prejudice to positions on status, and is in line with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence.".into()),
        ],
    }
}

fn big_table_spec(rows: usize) -> DocSpec {
    let mut spec = sample();
    spec.blocks = vec![
        Block::Heading("Returns".into()),
        Block::Table(TableSpec {
            columns: vec![
                Column { header: "Reporter and day".into(), width: 4.0, align: Align::Left },
                Column { header: "Metric (catalogue key and label, which can be long)".into(), width: 3.0, align: Align::Left },
                Column { header: "Value".into(), width: 1.2, align: Align::Right },
            ],
            rows: (0..rows)
                .map(|i| Row {
                    cells: vec![
                        format!("Participant {i} — Министерство внутрешних дел / Υπουργείο Προστασίας του Πολίτη, day {}", i % 6 + 13),
                        if i % 7 == 0 {
                            "arrests.firearms_trafficking_including_illegal_possession_of_weapons".into()
                        } else {
                            "persons checked".into()
                        },
                        format!("{}{NNBSP}{:03}", i + 1, (i * 37) % 1000),
                    ],
                    indent: (i % 3) as u8,
                    strong: i % 10 == 0,
                    tone: if i % 17 == 0 { Tone::Error } else { Tone::Neutral },
                })
                .collect(),
        }),
    ];
    spec
}

fn write_tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("opbrief-pdf-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

fn run(cmd: &str, args: &[&str], path: &Path) -> (bool, String) {
    let out = Command::new(cmd)
        .args(args)
        .arg(path)
        .args(if cmd == "pdftotext" {
            vec!["-"]
        } else {
            vec![]
        })
        .output()
        .unwrap_or_else(|e| panic!("{cmd} not runnable (install poppler-utils / qpdf): {e}"));
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// What pdftotext prints for `s`: it turns U+202F and U+00A0 into spaces.
fn as_extracted(s: &str) -> String {
    s.replace(['\u{202f}', '\u{a0}'], " ")
}

fn page_text(path: &Path, page: usize) -> String {
    let p = page.to_string();
    let (ok, text) = run(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", "-f", &p, "-l", &p],
        path,
    );
    assert!(ok, "pdftotext failed: {text}");
    text
}

/// Every text box inside the printable area, body text inside the text frame,
/// and no two text boxes on a page overlapping.
fn assert_geometry(l: &Layout) {
    for (pi, page) in l.pages.iter().enumerate() {
        let texts: Vec<_> = page.texts().collect();
        for t in &texts {
            assert!(
                l.printable.contains(&t.bbox),
                "page {}: {:?} at {:?} leaves the printable area",
                pi + 1,
                t.text,
                t.bbox
            );
            let furniture = t.bbox.bottom() <= l.body.y || t.bbox.y >= l.body.bottom();
            assert!(
                furniture || l.body.contains(&t.bbox),
                "page {}: {:?} at {:?} leaves the text frame",
                pi + 1,
                t.text,
                t.bbox
            );
        }
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                assert!(
                    !a.bbox.overlaps(&b.bbox),
                    "page {}: {:?} {:?} overlaps {:?} {:?}",
                    pi + 1,
                    a.text,
                    a.bbox,
                    b.text,
                    b.bbox
                );
            }
        }
    }
}

#[test]
fn sample_extracts_every_script_and_passes_qpdf() {
    let bytes = render(&sample()).expect("render");
    assert!(bytes.len() < 400_000, "sample is {} bytes", bytes.len());
    let path = write_tmp("sample.pdf", &bytes);
    let (ok, all) = run("pdftotext", &["-enc", "UTF-8"], &path);
    assert!(ok, "{all}");
    for needle in [
        "Türkiye",
        "Kosovo*",
        "Србија",
        "Ελλάδα",
        "22\u{202f}488",
        "288\u{202f}774",
        "13–18 November 2023",
        "2 errors in the data",
    ] {
        assert!(
            all.contains(&as_extracted(needle)),
            "{needle:?} not extracted:\n{all}"
        );
    }
    // pdftotext prints every Unicode space as U+0020, so the narrow no-break
    // space itself is checked where a reader's copy-paste gets it from: the
    // ToUnicode CMap must map a glyph to U+202F.
    let qdf = path.with_extension("qdf.pdf");
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&path)
        .arg(&qdf)
        .status()
        .expect("qpdf");
    assert!(status.success());
    let raw = std::fs::read(&qdf).expect("read qdf");
    let raw = String::from_utf8_lossy(&raw);
    assert!(raw.contains("<202F>"), "no ToUnicode entry for U+202F");
    let (ok, out) = run("qpdf", &["--check"], &path);
    assert!(ok, "qpdf --check failed:\n{out}");
}

#[test]
fn fonts_are_embedded_and_nothing_else_is_used() {
    let bytes = render(&sample()).expect("render");
    let path = write_tmp("fonts.pdf", &bytes);
    let (ok, out) = run("pdffonts", &[], &path);
    assert!(ok, "{out}");
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(rows.len(), 2, "expected regular + bold:\n{out}");
    for r in rows {
        // "XXXXXX+DejaVuSans": a subset tag, then the bundled family.
        let name = r.split_whitespace().next().unwrap_or_default();
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+' && name[7..].starts_with("DejaVuSans"),
            "unexpected font: {r}"
        );
        let cols: Vec<&str> = r.split_whitespace().collect();
        // name type encoding emb sub uni object ID
        let emb = cols.len() - 5;
        assert_eq!(cols[emb], "yes", "not embedded: {r}");
        assert_eq!(cols[emb + 1], "yes", "not subset: {r}");
        assert_eq!(cols[emb + 2], "yes", "no ToUnicode: {r}");
    }
}

#[test]
fn marking_footer_and_page_numbers_on_every_page() {
    let spec = big_table_spec(200);
    let bytes = render(&spec).expect("render");
    let path = write_tmp("marking.pdf", &bytes);
    let pages = layout(&spec).expect("layout").pages.len();
    assert!(
        pages >= 5,
        "200 rows should take several pages, got {pages}"
    );
    for p in 1..=pages {
        let text = page_text(&path, p);
        assert!(
            text.matches("PUBLIC").count() >= 2,
            "page {p}: marking not at top and bottom:\n{text}"
        );
        assert!(
            text.contains(&format!("Page {p} of {pages}")),
            "page {p}: no page number"
        );
        assert!(text.contains("jad-see-2023"), "page {p}: no footer");
    }
}

#[test]
fn chart_labels_are_real_text() {
    let bytes = render(&sample()).expect("render");
    let path = write_tmp("chart.pdf", &bytes);
    let text = page_text(&path, 1) + &page_text(&path, 2);
    for needle in [
        "Persons checked by participant",
        "North Macedonia",
        "Unattributed",
        "6\u{202f}702",
        "persons",
        "Source: participants",
    ] {
        assert!(
            text.contains(&as_extracted(needle)),
            "{needle:?} not in chart text:\n{text}"
        );
    }
}

#[test]
fn long_table_paginates_with_header_on_every_page_and_stays_on_the_page() {
    let spec = big_table_spec(200);
    let l = layout(&spec).expect("layout");
    assert_geometry(&l);
    for (pi, page) in l.pages.iter().enumerate() {
        assert!(
            page.texts().any(|t| t.text == "Value"),
            "page {}: header missing",
            pi + 1
        );
    }
    // Every row's value is placed exactly once.
    let values: Vec<String> = l
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .map(|t| t.text.clone())
        .collect();
    for i in [0usize, 99, 199] {
        let v = format!("{}{NNBSP}{:03}", i + 1, (i * 37) % 1000);
        assert_eq!(values.iter().filter(|t| **t == v).count(), 1, "{v}");
    }
    let path = write_tmp("table.pdf", &render(&spec).expect("render"));
    for p in 1..=l.pages.len() {
        assert!(
            page_text(&path, p).contains("Value"),
            "pdftotext page {p}: header missing"
        );
    }
}

#[test]
fn sample_layout_has_no_overflow_or_overlap() {
    let l = layout(&sample()).expect("layout");
    assert_geometry(&l);
}

#[test]
fn missing_glyph_is_an_error_naming_the_character() {
    let mut spec = sample();
    spec.blocks.push(Block::Paragraph("Partner: 中国".into()));
    match render(&spec) {
        Err(PdfError::MissingGlyph { ch, text }) => {
            assert_eq!(ch, '中');
            assert_eq!(text, "Partner: 中国");
        }
        other => panic!("expected MissingGlyph, got {other:?}"),
    }
    let mut spec = sample();
    if let Some(Block::Chart(c)) = spec
        .blocks
        .iter_mut()
        .find(|b| matches!(b, Block::Chart(_)))
    {
        c.bars[0].label = "Albania 🚓".into();
    }
    assert!(matches!(
        render(&spec),
        Err(PdfError::MissingGlyph { ch: '🚓', .. })
    ));
    let mut spec = sample();
    spec.marking = "TLP:AMBER ★".into();
    assert!(matches!(
        render(&spec),
        Err(PdfError::MissingGlyph { ch: '★', .. })
    ));
}

#[test]
fn malformed_tables_are_errors() {
    let mut spec = sample();
    spec.blocks = vec![Block::Table(TableSpec {
        columns: vec![Column {
            header: "A".into(),
            width: 1.0,
            align: Align::Left,
        }],
        rows: vec![row(&["x", "y"], 0, false, Tone::Neutral)],
    })];
    assert_eq!(
        render(&spec),
        Err(PdfError::TableShape {
            row: 0,
            expected: 1,
            found: 2
        })
    );
    spec.blocks = vec![Block::Table(TableSpec {
        columns: vec![Column {
            header: "A".into(),
            width: f32::NAN,
            align: Align::Left,
        }],
        rows: vec![],
    })];
    assert!(matches!(
        render(&spec),
        Err(PdfError::InvalidColumns { .. })
    ));
}

#[test]
fn same_spec_gives_identical_bytes() {
    let a = render(&sample()).expect("render");
    let _other = render(&big_table_spec(20)).expect("render");
    let b = render(&sample()).expect("render");
    assert!(a == b, "two renders of the same spec differ");
    let mut later = sample();
    later.creation_unix += 86_400;
    assert_ne!(
        a,
        render(&later).expect("render"),
        "the date must reach the metadata"
    );
}

#[test]
fn metadata_comes_from_the_spec() {
    let bytes = render(&sample()).expect("render");
    let path = write_tmp("meta.pdf", &bytes);
    let out = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo");
    let info = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "Joint Action Days South-East Europe 2023",
        "Results of the operation",
        "Operational coordination unit",
        "opbrief",
        "JAD",
    ] {
        assert!(info.contains(needle), "{needle:?} not in pdfinfo:\n{info}");
    }
    assert!(
        info.contains("2026"),
        "creation date not from the spec:\n{info}"
    );
    assert!(info.contains("A4"), "not A4:\n{info}");
}

/// Writes the sample where a person can look at it:
/// `pdftoppm -png -r 70 $TMPDIR/opbrief-pdf-sample.pdf /tmp/pg`.
#[test]
fn writes_sample_for_inspection() {
    let bytes = render(&sample()).expect("render");
    std::fs::write(std::env::temp_dir().join("opbrief-pdf-sample.pdf"), &bytes).expect("write");
    let big = render(&big_table_spec(200)).expect("render");
    std::fs::write(std::env::temp_dir().join("opbrief-pdf-table.pdf"), &big).expect("write");
}

/// Awkward input: tall charts and callouts that must split, many tiles, long
/// markings and footers, unbreakable words, empty charts and tables.
fn torture() -> DocSpec {
    let mut spec = sample();
    spec.marking = "TLP:AMBER+STRICT — for the recipients' organisations only, on a need-to-know basis, no onward sharing".into();
    spec.footer = "jad-see-2023 · revision 12 · 28 November 2026 · prepared by the operational coordination unit for the participants of the Joint Action Days and their ministries".into();
    let bars = (0..60)
        .map(|i| {
            bar(
                &format!(
                    "Participant {i} with a rather long official name, department of border police"
                ),
                (i * 131 % 977) as f64,
                &format!("{}", i * 131 % 977),
                if i % 13 == 0 {
                    Tone::Warning
                } else {
                    Tone::Neutral
                },
            )
        })
        .collect();
    spec.blocks = vec![
        Block::PageBreak,
        Block::Paragraph(format!("Unbreakable: {}", "Donaudampfschifffahrtsgesellschaftskapitän".repeat(4))),
        Block::Tiles(
            (0..9)
                .map(|i| Tile {
                    value: format!("{}{NNBSP}{:03}", i * 17, i * 101 % 1000),
                    label: "a label long enough to wrap over several lines in a narrow tile".into(),
                    tone: [Tone::Neutral, Tone::Error, Tone::Warning, Tone::Info, Tone::Ok][i % 5],
                })
                .collect(),
        ),
        Block::Chart(ChartSpec { title: "Sixty bars".into(), caption: "Caption.".into(), unit: "".into(), bars }),
        Block::Chart(ChartSpec { title: "No bars".into(), caption: "".into(), unit: "kg".into(), bars: vec![] }),
        Block::Chart(ChartSpec {
            title: "Tiny and odd values".into(),
            caption: "Negative and NaN draw as zero.".into(),
            unit: "EUR".into(),
            bars: vec![
                bar("one", 1.0, "1", Tone::Neutral),
                bar("minus", -3.0, "−3", Tone::Error),
                bar("nan", f64::NAN, "n/a", Tone::Warning),
                bar("fraction", 0.25, "0.25", Tone::Info),
            ],
        }),
        Block::Callout {
            tone: Tone::Warning,
            title: "Eighty warnings".into(),
            lines: (0..80).map(|i| format!("Warning {i}: a figure that deserves a second look — returns/file-{i}.toml:{i}")).collect(),
        },
        Block::Table(TableSpec {
            columns: vec![Column { header: "Only header".into(), width: 1.0, align: Align::Left }],
            rows: vec![],
        }),
        Block::Table(TableSpec {
            columns: vec![
                Column { header: "A".into(), width: 1.0, align: Align::Left },
                Column { header: "B".into(), width: 1.0, align: Align::Right },
            ],
            // One row taller than a page: it must split, header repeated.
            rows: vec![row(&[&"many words in one cell ".repeat(400), "1"], 3, true, Tone::Ok)],
        }),
        Block::Heading("A heading at the end".into()),
    ];
    spec
}

#[test]
fn awkward_input_stays_on_the_page_without_overlaps() {
    let spec = torture();
    let l = layout(&spec).expect("layout");
    assert_geometry(&l);
    let texts: Vec<String> = l
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .map(|t| t.text.clone())
        .collect();
    assert!(
        texts.iter().any(|t| t == "Sixty bars (continued)"),
        "tall chart should continue"
    );
    for i in [0, 30, 59] {
        let v = format!("{}", i * 131 % 977);
        assert!(texts.contains(&v), "bar {i} value missing");
    }
    let path = write_tmp("torture.pdf", &render(&spec).expect("render"));
    let (ok, out) = run("qpdf", &["--check"], &path);
    assert!(ok, "{out}");
    std::fs::copy(&path, std::env::temp_dir().join("opbrief-pdf-torture.pdf")).expect("copy");
}

#[test]
fn empty_document_is_one_marked_page() {
    let mut spec = sample();
    spec.blocks.clear();
    let l = layout(&spec).expect("layout");
    assert_eq!(l.pages.len(), 1);
    assert_geometry(&l);
    let path = write_tmp("empty.pdf", &render(&spec).expect("render"));
    let text = page_text(&path, 1);
    assert!(
        text.contains("PUBLIC") && text.contains("Page 1 of 1"),
        "{text}"
    );
}

#[test]
fn a_heading_never_ends_a_page_alone() {
    let chart = match sample()
        .blocks
        .into_iter()
        .find(|b| matches!(b, Block::Chart(_)))
    {
        Some(c) => c,
        None => panic!("sample has a chart"),
    };
    let table = big_table_spec(3).blocks.remove(1);
    // Slide the heading down the page one line at a time: whatever follows it
    // (a chart that moves whole, a table) must start on the heading's page.
    for next in [chart, table] {
        for filler in 0..60 {
            let mut spec = sample();
            spec.blocks = (0..filler)
                .map(|i| Block::Paragraph(format!("Filler line {i}.")))
                .collect();
            spec.blocks.push(Block::Heading("The heading".into()));
            spec.blocks.push(next.clone());
            let l = layout(&spec).expect("layout");
            assert_geometry(&l);
            let page_of = |pred: &dyn Fn(&str) -> bool| {
                l.pages
                    .iter()
                    .position(|p| p.texts().any(|t| pred(&t.text)))
            };
            let heading = page_of(&|t| t == "The heading");
            let follower =
                page_of(&|t| t == "Persons checked by participant" || t == "Reporter and day");
            assert_eq!(
                heading, follower,
                "{filler} filler lines: heading separated from its block"
            );
        }
    }
}

#[test]
fn body_text_is_tagged_and_page_furniture_is_an_artifact() {
    let l = layout(&sample()).unwrap();
    assert_eq!(l.structure[0].role, Role::Document);
    for (i, node) in l.structure.iter().enumerate().skip(1) {
        let parent = node.parent.expect("every node but the root has a parent");
        assert!(parent < i, "node {i} comes before its parent");
    }
    for (pi, page) in l.pages.iter().enumerate() {
        assert_eq!(page.tags.len(), page.items.len());
        for (item, tag) in page.items.iter().zip(&page.tags) {
            let Item::Text(t) = item else { continue };
            let in_body = l.body.contains(&t.bbox);
            match tag {
                Some(node) => {
                    assert!(*node < l.structure.len());
                    assert!(in_body, "page {}: furniture {:?} is tagged", pi + 1, t.text);
                }
                None => assert!(
                    !in_body || t.text.ends_with("(continued)"),
                    "page {}: {:?} is an artifact",
                    pi + 1,
                    t.text
                ),
            }
        }
    }
    // Every chart is a figure with its values in the alternative text.
    let alts: Vec<&str> = l
        .structure
        .iter()
        .filter(|n| n.role == Role::Figure)
        .map(|n| n.alt.as_deref().expect("a figure has alt text"))
        .collect();
    assert!(!alts.is_empty());
    assert_eq!(
        l.outline.len(),
        sample()
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Heading(_)))
            .count()
    );
}

#[test]
fn a_number_never_wraps_in_a_narrow_numeric_column() {
    let mut spec = sample();
    let numbers = [
        "\u{2212}14\u{202f}000\u{202f}000",
        "+11\u{202f}229",
        "almost 290\u{202f}000",
    ];
    spec.blocks = vec![Block::Table(TableSpec {
        columns: vec![
            Column {
                header: "Finding".into(),
                width: 12.0,
                align: Align::Left,
            },
            Column {
                header: "Diff.".into(),
                width: 0.3,
                align: Align::Right,
            },
        ],
        rows: numbers
            .iter()
            .map(|n| {
                Row::plain(vec![
                    "a long explanation of what went wrong ".repeat(3),
                    n.to_string(),
                ])
            })
            .collect(),
    })];
    let l = layout(&spec).unwrap();
    let runs: Vec<String> = l
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .map(|t| t.text.clone())
        .collect();
    for n in numbers {
        assert!(runs.iter().any(|r| r == n), "{n:?} was split: {runs:?}");
    }
    assert_geometry(&l);
}

#[test]
fn two_short_charts_share_a_row() {
    let mut spec = sample();
    let short = |title: &str| {
        Block::Chart(ChartSpec {
            title: title.into(),
            caption: String::new(),
            unit: String::new(),
            bars: vec![
                bar("One", 3.0, "3", Tone::Neutral),
                bar("Two", 5.0, "5", Tone::Neutral),
            ],
        })
    };
    spec.blocks = vec![
        Block::Heading("Charts".into()),
        short("Left chart"),
        short("Right chart"),
    ];
    let l = layout(&spec).unwrap();
    let find = |s: &str| l.pages[0].texts().find(|t| t.text == s).cloned().unwrap();
    let (left, right) = (find("Left chart"), find("Right chart"));
    assert_eq!(left.baseline, right.baseline);
    assert!(right.x > l.body.x + l.body.w / 2.0 - 1.0, "{right:?}");
    assert_geometry(&l);
}
