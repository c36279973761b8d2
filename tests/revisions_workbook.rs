//! Revisions and corrections as the workbook reader sees them, through the
//! real binary: build, add a correction, build again, read the new
//! revision's workbooks back with calamine.
//!
//! - the sample's Done-when scenario: the Changes sheet (89 → 93, +4, with
//!   the reason), the Corrections sheet (applied), the Checks sheet without
//!   the arrests error, the Summary's SUM caching 566, the revision marks —
//!   and every file of revision 1 unchanged, byte for byte;
//! - a stale correction listed as stale;
//! - partner packs: a correction to another reporter's return, its reason,
//!   its file and its figures never reach a pack; a correction to the
//!   consolidated figures does, with its requester withheld when that names
//!   a participant the pack may not name.

mod common;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use common::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

const WITHHELD: &str = "withheld: not shared with this partner";

/// Runs `opbrief build` and returns the newest revision folder.
fn build(operation: &Path, out: &Path, id: &str) -> PathBuf {
    build_ok(operation, out);
    opbrief::publish::revisions(&out.join(id))
        .pop()
        .expect("a revision")
        .1
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Relative path → SHA-256 of every file under `dir`.
fn hashes(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let digest = Sha256::digest(std::fs::read(&path).unwrap());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                let name = path.strip_prefix(root).unwrap().to_string_lossy();
                out.insert(name.replace('\\', "/"), hex);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

struct Book {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
    bytes: Vec<u8>,
}

impl Book {
    fn read(path: &Path) -> Book {
        let bytes = std::fs::read(path).unwrap();
        let xlsx = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
        Book { xlsx, bytes }
    }

    fn sheets(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    /// The sheet as rows from A1 (calamine ranges start at the first used cell).
    fn rows(&mut self, sheet: &str) -> Vec<Vec<Data>> {
        let range: Range<Data> = self.xlsx.worksheet_range(sheet).unwrap();
        let Some((r1, c1)) = range.end() else {
            return Vec::new();
        };
        (0..=r1)
            .map(|r| {
                (0..=c1)
                    .map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty))
                    .collect()
            })
            .collect()
    }

    fn formula(&mut self, sheet: &str, row: u32, col: u32) -> String {
        let formulas = self.xlsx.worksheet_formula(sheet).unwrap();
        formulas.get_value((row, col)).cloned().unwrap_or_default()
    }

    fn part(&self, name: &str) -> String {
        zip_part(&self.bytes, name)
    }

    /// Every zip part whose name starts with `prefix`.
    fn parts(&self, prefix: &str) -> Vec<String> {
        zip_parts(&self.bytes, prefix)
    }

    /// Every text cell of every sheet but `except`, with its sheet.
    fn strings(&mut self, except: &[&str]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for sheet in self.sheets() {
            if except.contains(&sheet.as_str()) {
                continue;
            }
            for row in self.rows(&sheet) {
                for cell in row {
                    if let Data::String(s) = cell {
                        out.push((sheet.clone(), s));
                    }
                }
            }
        }
        out
    }

    fn numbers(&mut self) -> Vec<f64> {
        let mut out = Vec::new();
        for sheet in self.sheets() {
            for row in self.rows(&sheet) {
                out.extend(row.iter().filter_map(|d| match d {
                    Data::Float(f) => Some(*f),
                    Data::Int(i) => Some(*i as f64),
                    _ => None,
                }));
            }
        }
        out
    }
}

fn text(s: &str) -> Data {
    Data::String(s.into())
}

fn number(data: &Data) -> f64 {
    match data {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, got {other:?}"),
    }
}

/// The rows whose column `col` reads `value`.
fn rows_with(rows: &[Vec<Data>], col: usize, value: &str) -> Vec<Vec<Data>> {
    rows.iter()
        .filter(|r| r.get(col) == Some(&text(value)))
        .cloned()
        .collect()
}

// Corrections sheet columns (src/render/xlsx/corrections.rs).
const C_DATE: usize = 0;
const C_REPORTER: usize = 1;
const C_KEY: usize = 3;
const C_FROM: usize = 5;
const C_TO: usize = 7;
const C_REASON: usize = 10;
const C_REQUESTED: usize = 11;
const C_STATUS: usize = 12;
const C_DETAIL: usize = 13;
const C_FILE: usize = 14;
const C_LINE: usize = 15;

const ITALY_CORRECTION: &str = r#"[[corrections]]
date = 2023-11-30
reporter = "coordination"
metric = "arrests.other"
from = 89
to = 93
reason = "Four arrests for other crimes reported late by Italy"
requested_by = "Italy"
"#;

#[test]
fn a_correction_makes_revision_2_with_changes_corrections_and_marks() {
    let tmp = tempfile::tempdir().unwrap();
    let (op, out) = (tmp.path().join("op"), tmp.path().join("out"));
    copy_dir(&sample(), &op);
    let rev1 = build(&op, &out, "jad-see-2023");
    assert!(rev1.ends_with("rev-001"));
    let before = hashes(&rev1);
    assert!(before.contains_key("workbook.xlsx"));

    let correction = op.join("corrections/2023-11-30.toml");
    write(&correction, ITALY_CORRECTION);
    let rev2 = build(&op, &out, "jad-see-2023");
    assert!(rev2.ends_with("rev-002"));
    assert_eq!(hashes(&rev1), before, "revision 1 must stay byte for byte");

    // Revision 1 has neither sheet: nothing to compare with, nothing corrected.
    let mut first = Book::read(&rev1.join("workbook.xlsx"));
    assert!(!first.sheets().contains(&"Changes".to_string()));
    assert!(!first.sheets().contains(&"Corrections".to_string()));
    assert_eq!(first.rows("Summary")[3][0], text("Revision 1"));

    let mut book = Book::read(&rev2.join("workbook.xlsx"));
    assert_eq!(
        book.sheets(),
        [
            "Summary",
            "Changes",
            "Returns",
            "Checks",
            "Corrections",
            "Participants",
            "Sources"
        ]
    );

    // Changes: the figure with numbers, not text, and the reason.
    let changes = book.rows("Changes");
    assert_eq!(
        changes[0][0],
        text("Changes since revision 1 of 24 November 2023")
    );
    assert_eq!(
        changes[3][..7],
        ["Figure", "Key", "Was", "Now", "Difference", "Unit", "Cause"].map(text)
    );
    let other = rows_with(&changes, 1, "arrests.other");
    assert_eq!(other.len(), 1, "{changes:?}");
    let other = &other[0];
    assert!(matches!(&other[0], Data::String(l) if l.ends_with("Other crimes")));
    assert_eq!(
        (number(&other[2]), number(&other[3]), number(&other[4])),
        (89.0, 93.0, 4.0)
    );
    assert!(
        matches!(&other[6], Data::String(c) if c.contains("Four arrests for other crimes reported late by Italy")),
        "{other:?}"
    );
    // The arrests error was resolved by the correction.
    let resolved = rows_with(&changes, 0, "resolved");
    assert!(
        resolved
            .iter()
            .any(|r| r[2] == text("parts-differ-from-total")
                && matches!(&r[3], Data::String(m) if m.starts_with("Arrests:"))),
        "{changes:?}"
    );

    // Corrections: one applied row, a real date, numbers, file and line.
    let corrections = book.rows("Corrections");
    assert_eq!(corrections.len(), 2, "header and one correction");
    let row = &corrections[1];
    // 2023-11-30 is day 45 260 of Excel's 1900 date system.
    assert!(
        matches!(&row[C_DATE], Data::DateTime(d) if d.as_f64() == 45260.0),
        "{:?}",
        row[C_DATE]
    );
    assert_eq!(row[C_REPORTER], text("coordination"));
    assert_eq!(row[C_KEY], text("arrests.other"));
    assert_eq!((number(&row[C_FROM]), number(&row[C_TO])), (89.0, 93.0));
    assert_eq!(
        row[C_REASON],
        text("Four arrests for other crimes reported late by Italy")
    );
    assert_eq!(row[C_REQUESTED], text("Italy"));
    assert_eq!(row[C_STATUS], text("applied"));
    assert_eq!(row[C_FILE], text("corrections/2023-11-30.toml"));
    assert_eq!(
        number(&row[C_LINE]) as usize,
        line_of(&correction, "to = 93")
    );
    // A real Excel table (filter buttons), with its header frozen.
    assert!(
        book.parts("xl/tables/")
            .iter()
            .any(|t| t.contains("name=\"CorrectionEntries\"") && t.contains("<autoFilter "))
    );

    // Checks: the arrests error is gone, the weapons one is still there.
    let checks = book.rows("Checks");
    let differ = rows_with(&checks, 1, "parts-differ-from-total");
    assert!(
        !differ.iter().any(|r| r[2] == text("arrests")),
        "{differ:?}"
    );
    assert!(differ.iter().any(|r| r[2] == text("weapons")), "{differ:?}");

    // Summary: the arrests parts are summed live and now cache 566.
    let summary = book.rows("Summary");
    assert_eq!(
        summary[3][0],
        text("Revision 2 (supersedes revision 1 of 24 November 2023)")
    );
    let arrests = summary
        .iter()
        .position(|r| r.get(13) == Some(&text("arrests")))
        .unwrap();
    assert_eq!(number(&summary[arrests][1]), 566.0);
    // Returns holds the figure in force and names the correction by its id,
    // the Corrections sheet's.
    let id = corrections[1][16].clone();
    assert!(matches!(&id, Data::String(s) if !s.is_empty()), "{id:?}");
    let returns = book.rows("Returns");
    let column = |name: &str| returns[0].iter().position(|h| h == &text(name)).unwrap();
    let consolidated = returns
        .iter()
        .find(|r| r[1] == text("consolidated"))
        .unwrap();
    assert_eq!(consolidated[column("Corrected by")], id);
    assert_eq!(number(&consolidated[column("arrests.other")]), 93.0);
    assert_eq!(number(&summary[arrests][6]), 566.0);
    assert!(
        book.formula("Summary", arrests as u32, 6)
            .trim_start_matches('=')
            .starts_with("SUM(")
    );
    assert_eq!(number(&summary[arrests][7]), 0.0);

    // Document properties carry the revision marks.
    let custom = book.part("docProps/custom.xml");
    assert!(custom.contains("name=\"Revision\"") && custom.contains("<vt:i4>2</vt:i4>"));
    assert!(custom.contains("name=\"Supersedes\""));
    assert!(custom.contains("<vt:lpwstr>revision 1 of 24 November 2023</vt:lpwstr>"));
    assert!(
        book.part("docProps/core.xml")
            .contains("Revision 2 (supersedes revision 1 of 24 November 2023)")
    );

    // Packs: Italy asked, so Italy's pack names it; Austria's does not.
    let mut italy = Book::read(&rev2.join("partners/italy.xlsx"));
    let row = &italy.rows("Corrections")[1];
    assert_eq!(row[C_REQUESTED], text("Italy"));
    assert_eq!(row[C_STATUS], text("applied"));
    let mut austria = Book::read(&rev2.join("partners/austria.xlsx"));
    let row = &austria.rows("Corrections")[1];
    assert_eq!(
        (&row[C_REASON], &row[C_REQUESTED]),
        (&text(WITHHELD), &text(WITHHELD))
    );
    assert_eq!((number(&row[C_FROM]), number(&row[C_TO])), (89.0, 93.0));
    let changes = austria.rows("Changes");
    let other = &rows_with(&changes, 1, "arrests.other")[0];
    assert_eq!(
        (number(&other[2]), number(&other[3]), number(&other[4])),
        (89.0, 93.0, 4.0)
    );
    for (sheet, cell) in austria.strings(&["Participants"]) {
        assert!(
            !cell.contains("Italy"),
            "Austria's {sheet} names Italy: {cell}"
        );
    }
    assert!(!austria.part("docProps/core.xml").contains("Italy"));

    opens_in_openpyxl(&rev2);
}

#[test]
fn a_stale_correction_is_listed_as_stale_and_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let (op, out) = (tmp.path().join("op"), tmp.path().join("out"));
    copy_dir(&sample(), &op);
    // Applied first (date order), then one that still expects the old 89.
    write(&op.join("corrections/2023-11-30.toml"), ITALY_CORRECTION);
    write(
        &op.join("corrections/2023-12-01.toml"),
        r#"[[corrections]]
date = 2023-12-01
reporter = "coordination"
metric = "arrests.other"
from = 89
to = 95
reason = "=HYPERLINK(\"http://x\",\"six late arrests\")"
requested_by = "coordination"
"#,
    );
    let rev = build(&op, &out, "jad-see-2023");
    let mut book = Book::read(&rev.join("workbook.xlsx"));
    let corrections = book.rows("Corrections");
    let statuses: Vec<&Data> = corrections[1..].iter().map(|r| &r[C_STATUS]).collect();
    assert_eq!(statuses, [&text("applied"), &text("stale")]);
    let stale = &corrections[2];
    assert_eq!((number(&stale[C_FROM]), number(&stale[C_TO])), (89.0, 95.0));
    assert!(
        matches!(&stale[C_DETAIL], Data::String(d) if d.starts_with("not applied: the figure in force is 93 (corrections/2023-11-30.toml:")),
        "{stale:?}"
    );
    assert!(
        rows_with(&book.rows("Checks"), 1, "stale-correction").len() == 1,
        "the stale correction is a finding"
    );
    // Input text stays text: a reason starting with `=` is no formula.
    assert_eq!(
        stale[C_REASON],
        text("=HYPERLINK(\"http://x\",\"six late arrests\")")
    );
    assert_eq!(book.formula("Corrections", 2, C_REASON as u32), "");
    // The first revision: no Changes sheet even with corrections.
    assert!(!book.sheets().contains(&"Changes".to_string()));
}

#[test]
fn packs_never_show_another_reporters_corrections_or_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (op, out) = (tmp.path().join("op"), tmp.path().join("out"));
    copy_dir(&fixture("multi-return"), &op);
    build(&op, &out, "multi-return");

    // One file mixes Austria's and Serbia's corrections; one corrects the
    // consolidated figures at Greece's request; one holds a stale
    // correction of Serbia's with a distinctive number (999).
    write(
        &op.join("corrections/2024-03-10.toml"),
        r#"[[corrections]]
date = 2024-03-10
reporter = "Austria"
day = 2024-03-04
metric = "officers"
from = 120
to = 125
reason = "Typo in the Austrian return"
requested_by = "Austria"

[[corrections]]
date = 2024-03-10
reporter = "Serbia"
day = 2024-03-04
metric = "arrests.migrant_smuggling"
from = 2
to = 4
reason = "Two smuggling arrests added after review by the Belgrade border unit"
requested_by = "Serbia"
"#,
    );
    write(
        &op.join("corrections/2024-03-11.toml"),
        r#"[[corrections]]
date = 2024-03-11
reporter = "coordination"
metric = "officers"
from = 1230
to = 1235
reason = "Five Greek officers counted late"
requested_by = "Greece"
"#,
    );
    write(
        &op.join("corrections/serbia-late.toml"),
        r#"[[corrections]]
date = 2024-03-11
reporter = "Serbia"
day = 2024-03-05
metric = "illegal_entries"
from = 999
to = 7
reason = "Belgrade late figure"
requested_by = "Serbia"
"#,
    );
    let rev = build(&op, &out, "multi-return");
    assert!(rev.ends_with("rev-002"));

    // The master lists all four, the stale one as stale.
    let mut master = Book::read(&rev.join("workbook.xlsx"));
    let rows = master.rows("Corrections");
    assert_eq!(rows.len(), 5);
    let serbian: Vec<_> = rows_with(&rows, C_REPORTER, "Serbia");
    assert_eq!(serbian.len(), 2);
    assert!(serbian.iter().any(|r| r[C_STATUS] == text("stale")));
    let master_changes = master.rows("Changes");
    // Serbia's new findings are in the master (so the pack checks below
    // are not vacuous).
    let appeared = rows_with(&master_changes, 0, "appeared");
    assert_eq!(appeared.len(), 2, "{master_changes:?}");
    assert!(
        appeared
            .iter()
            .all(|r| matches!(&r[3], Data::String(m) if m.contains("Serbia")))
    );
    assert!(
        master_changes
            .iter()
            .any(|r| matches!(&r[6], Data::String(c) if c.contains("Belgrade border unit"))),
        "the master names the cause: {master_changes:?}"
    );

    // Austria: its own correction and the consolidated one, Greece withheld.
    let mut austria = Book::read(&rev.join("partners/austria.xlsx"));
    assert!(austria.sheets().contains(&"Changes".to_string()));
    let rows = austria.rows("Corrections");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[1][C_REPORTER], text("Austria"));
    assert_eq!(rows[1][C_REASON], text("Typo in the Austrian return"));
    assert_eq!(rows[1][C_REQUESTED], text("Austria"));
    assert_eq!(rows[1][C_STATUS], text("applied"));
    assert_eq!(rows[2][C_REPORTER], text("coordination"));
    assert_eq!(
        (&rows[2][C_REASON], &rows[2][C_REQUESTED]),
        (&text(WITHHELD), &text(WITHHELD))
    );
    assert_eq!(
        (number(&rows[2][C_FROM]), number(&rows[2][C_TO])),
        (1230.0, 1235.0)
    );

    // The changed migrant-smuggling total is shown (the Summary shows it),
    // its cause — Serbia's correction — is not.
    let changes = austria.rows("Changes");
    let smuggling: Vec<_> = changes
        .iter()
        .filter(|r| r[1] == text("arrests.migrant_smuggling"))
        .collect();
    assert_eq!(smuggling.len(), 1, "{changes:?}");
    assert_eq!(
        smuggling[0][6],
        text("changes not shared with this partner")
    );
    let officers: Vec<_> = changes
        .iter()
        .filter(|r| r[1] == text("officers"))
        .collect();
    assert_eq!(officers.len(), 1, "{changes:?}");
    assert!(
        matches!(&officers[0][6], Data::String(c) if c.contains("Typo in the Austrian return") && !c.contains("Greek")),
        "{:?}",
        officers[0]
    );
    // Serbia's new parts-differ finding and its stale correction stay out.
    assert!(
        !changes
            .iter()
            .any(|r| r[0] == text("appeared") || r[0] == text("resolved")),
        "{changes:?}"
    );

    // Nothing of Serbia's (or Greece's request) anywhere but the public
    // participant list: no name, reason, file or figure.
    for (sheet, cell) in austria.strings(&["Participants"]) {
        let lower = cell.to_lowercase();
        for leak in ["serbia", "belgrade", "greece", "greek", "serbia-late"] {
            assert!(!lower.contains(leak), "Austria's {sheet}: {cell:?}");
        }
    }
    assert!(!austria.numbers().contains(&999.0), "Serbia's stale figure");
    // The mixed file's hash covers Serbia's correction: not listed.
    let sources: Vec<Data> = austria
        .rows("Sources")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    // A corrections file is listed by what it is (its name could name
    // anyone), and only the one without Serbia's correction.
    assert_eq!(
        sources
            .iter()
            .filter(|s| **s == text("a corrections file"))
            .count(),
        1,
        "{sources:?}"
    );
    assert!(
        !sources
            .iter()
            .any(|s| matches!(s, Data::String(p) if p.starts_with("corrections/"))),
        "{sources:?}"
    );

    // Greece: only the correction it asked for, named in full.
    let mut greece = Book::read(&rev.join("partners/greece.xlsx"));
    let rows = greece.rows("Corrections");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][C_REQUESTED], text("Greece"));
    assert_eq!(rows[1][C_REASON], text("Five Greek officers counted late"));
    for (sheet, cell) in greece.strings(&["Participants"]) {
        let lower = cell.to_lowercase();
        for leak in ["serbia", "belgrade", "austrian"] {
            assert!(!lower.contains(leak), "Greece's {sheet}: {cell:?}");
        }
    }

    // Serbia's own pack has its corrections, the stale one included.
    let mut serbia = Book::read(&rev.join("partners/serbia.xlsx"));
    let rows = serbia.rows("Corrections");
    assert_eq!(rows_with(&rows, C_REPORTER, "Serbia").len(), 2);
    assert!(rows_with(&rows, C_REPORTER, "Austria").is_empty());
    assert!(
        rows_with(&serbia.rows("Checks"), 1, "stale-correction").len() == 1,
        "Serbia sees its own stale correction"
    );
    // …and the changes it caused, with their cause; Austria's cause is not
    // Serbia's to read.
    let changes = serbia.rows("Changes");
    assert_eq!(rows_with(&changes, 0, "appeared").len(), 2, "{changes:?}");
    let smuggling = &rows_with(&changes, 1, "arrests.migrant_smuggling")[0];
    assert!(matches!(&smuggling[6], Data::String(c) if c.contains("Belgrade border unit")));
    let officers = &rows_with(&changes, 1, "officers")[0];
    assert!(
        matches!(&officers[6], Data::String(c) if !c.contains("Austria") && c.ends_with("changes not shared with this partner")),
        "{officers:?}"
    );

    opens_in_openpyxl(&rev);
}

/// A second reader: openpyxl opens every workbook of the revision (tables,
/// frozen panes, header and footer), when python3 with openpyxl is present.
fn opens_in_openpyxl(dir: &Path) {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import openpyxl"])
        .status();
    if !matches!(probe, Ok(status) if status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install python3 with openpyxl"
        );
        return;
    }
    let output = std::process::Command::new("python3")
        .arg(repo().join("tests/read_workbooks.py"))
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// File names are data too: a consolidated return or a corrections file
/// named after a reporter reaches no other partner's pack, in any sheet or
/// document property; the decision is by the file's owner.
#[test]
fn files_named_after_a_reporter_reach_no_other_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    copy_dir(&repo().join("tests/fixtures/multi-return"), &op);
    std::fs::rename(
        op.join("returns/consolidated.toml"),
        op.join("returns/consolidated-from-greece.toml"),
    )
    .unwrap();
    write(
        &op.join("corrections/greece-late-figures.toml"),
        "[[corrections]]\ndate = 2024-03-12\nreporter = \"coordination\"\nmetric = \"officers\"\nfrom = 1230\nto = 1231\nreason = \"One officer reported late\"\nrequested_by = \"coordination\"\n",
    );
    let out = tmp.path().join("out");
    let rev = build(&op, &out, "multi-return");
    for pack in ["austria.xlsx", "serbia.xlsx"] {
        let path = rev.join("partners").join(pack);
        let mut book = Book::read(&path);
        // Greece is on the public participant list; nowhere else.
        for (sheet, cell) in book.strings(&["Participants"]) {
            assert!(
                !cell.to_lowercase().contains("greece"),
                "{pack} {sheet}: {cell:?}"
            );
        }
        let bytes = std::fs::read(&path).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            if !part.name().starts_with("docProps/") {
                continue;
            }
            let mut xml = String::new();
            part.read_to_string(&mut xml).unwrap();
            assert!(
                !xml.to_lowercase().contains("greece"),
                "{pack} {}",
                part.name()
            );
        }
    }
    // The master names them.
    let mut master = Book::read(&rev.join("workbook.xlsx"));
    assert!(
        master
            .strings(&[])
            .iter()
            .any(|(_, cell)| cell.contains("corrections/greece-late-figures.toml"))
    );
}
