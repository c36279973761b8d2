//! The workbooks as a reader gets them: rendered through the library API,
//! written to disk, read back with calamine (and openpyxl when present).
//! Each test names what it proves: the published figures and formulas, one
//! row per figure, what a partner pack may and may not contain, cell safety
//! against formula injection, and byte-identical reruns.

mod common;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use common::{zip_part, zip_parts};
use opbrief::aggregate::Totals;
use opbrief::check::{Code, Findings};
use opbrief::model::{Operation, ParticipantId, Reporter};
use opbrief::render::Context;
use opbrief::render::xlsx::{self, XlsxError};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// 2023-11-24 00:00 UTC: a fixed document date.
static FIRST_EDITION: opbrief::render::Edition = opbrief::render::Edition {
    revision: 1,
    changes: None,
};

const TIMESTAMP: i64 = 1_700_784_000;

struct Fixture {
    op: Operation,
    totals: Totals,
    findings: Findings,
}

impl Fixture {
    fn load(dir: &str) -> Fixture {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let checked = opbrief::pipeline::check(&path)
            .unwrap_or_else(|e| panic!("{dir} does not check: {e:?}"));
        Fixture {
            op: checked.op,
            totals: checked.totals,
            findings: checked.findings,
        }
    }

    fn ctx(&self) -> Context<'_> {
        Context {
            op: &self.op,
            totals: &self.totals,
            findings: &self.findings,
            timestamp: TIMESTAMP,
            edition: &FIRST_EDITION,
        }
    }

    fn id(&self, name: &str) -> ParticipantId {
        ParticipantId(
            self.op
                .participants
                .iter()
                .position(|p| p.name == name)
                .unwrap(),
        )
    }

    /// Writes the master and every pack as `build` would lay them out.
    fn write_all(&self, dir: &Path) -> Vec<PathBuf> {
        std::fs::create_dir_all(dir.join("partners")).unwrap();
        let written = vec![dir.join("workbook.xlsx")];
        std::fs::write(&written[0], xlsx::master(&self.ctx()).unwrap()).unwrap();
        let mut written = written;
        for partner in self.op.pack_recipients() {
            let path = dir
                .join("partners")
                .join(&xlsx::pack_file_names(&self.op)[partner.0]);
            std::fs::write(&path, xlsx::partner(&self.ctx(), partner).unwrap()).unwrap();
            written.push(path);
        }
        written
    }
}

/// A workbook read back from the bytes written to disk.
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

    /// Writes through a temporary folder so the test reads a real file.
    fn render(bytes: Vec<u8>) -> Book {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.xlsx");
        std::fs::write(&path, bytes).unwrap();
        Book::read(&path)
    }

    fn sheets(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    fn values(&mut self, sheet: &str) -> Grid {
        Grid(self.xlsx.worksheet_range(sheet).unwrap())
    }

    fn formulas(&mut self, sheet: &str) -> Range<String> {
        self.xlsx.worksheet_formula(sheet).unwrap()
    }

    /// A part of the zip (docProps/core.xml, xl/worksheets/sheet1.xml, …).
    fn part(&self, name: &str) -> String {
        zip_part(&self.bytes, name)
    }

    fn parts(&self, prefix: &str) -> Vec<String> {
        zip_parts(&self.bytes, prefix)
    }
}

/// Cells by absolute position (calamine ranges start at the first used cell).
struct Grid(Range<Data>);

impl Grid {
    fn get(&self, row: u32, col: u32) -> &Data {
        self.0.get_value((row, col)).unwrap_or(&Data::Empty)
    }

    fn rows(&self) -> Vec<Vec<Data>> {
        let Some((r0, c0)) = self.0.start() else {
            return Vec::new();
        };
        let (r1, c1) = self.0.end().unwrap();
        (0..=r1)
            .map(|r| {
                (0..=c1)
                    .map(|c| {
                        if r < r0 || c < c0 {
                            Data::Empty
                        } else {
                            self.get(r, c).clone()
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// The row whose `col` holds `text`.
    fn row_with(&self, col: u32, text: &str) -> u32 {
        self.rows()
            .iter()
            .position(|row| matches!(&row[col as usize], Data::String(s) if s == text))
            .unwrap_or_else(|| panic!("no row with {text:?} in column {col}")) as u32
    }

    fn strings(&self) -> Vec<String> {
        self.0
            .used_cells()
            .filter_map(|(_, _, d)| match d {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    fn numbers(&self) -> Vec<f64> {
        self.0
            .used_cells()
            .filter_map(|(_, _, d)| match d {
                Data::Float(f) => Some(*f),
                Data::Int(i) => Some(*i as f64),
                _ => None,
            })
            .collect()
    }
}

fn float(data: &Data) -> f64 {
    match data {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, got {other:?}"),
    }
}

fn formula_at(formulas: &Range<String>, row: u32, col: u32) -> String {
    formulas
        .get_value((row, col))
        .cloned()
        .unwrap_or_default()
        .trim_start_matches('=')
        .to_string()
}

// Summary columns (see src/render/xlsx/summary.rs).
const VALUE: u32 = 1;
const QUALIFIER: u32 = 2;
const LOW: u32 = 3;
const HIGH: u32 = 4;
const PARTS: u32 = 6;
const DIFFERENCE: u32 = 7;
const RETURNS: u32 = 8;
const CONSOLIDATED: u32 = 9;
const GAP: u32 = 10;
const KEY: u32 = 13;

#[test]
fn sample_master_shows_stated_566_against_a_sum_formula_of_562() {
    let fixture = Fixture::load("data/jad-see-2023");
    let mut book = Book::render(xlsx::master(&fixture.ctx()).unwrap());
    assert_eq!(
        book.sheets(),
        ["Summary", "Returns", "Checks", "Participants", "Sources"]
    );

    let summary = book.values("Summary");
    let formulas = book.formulas("Summary");
    let arrests = summary.row_with(KEY, "arrests");
    assert_eq!(summary.get(arrests, 0), &Data::String("Arrests".into()));
    assert_eq!(float(summary.get(arrests, VALUE)), 566.0);
    // The four reported categories, in the rows right below, summed live.
    let (first, last) = (arrests + 2, arrests + 5);
    assert_eq!(
        formula_at(&formulas, arrests, PARTS),
        format!("SUM(B{first}:B{last})")
    );
    for row in arrests + 1..=arrests + 4 {
        assert!(
            matches!(summary.get(row, VALUE), Data::Float(_)),
            "category at row {row}"
        );
    }
    assert_eq!(float(summary.get(arrests, PARTS)), 562.0);
    assert_eq!(
        formula_at(&formulas, arrests, DIFFERENCE),
        format!("B{0}-G{0}", arrests + 1)
    );
    assert_eq!(float(summary.get(arrests, DIFFERENCE)), 4.0);

    // A qualified figure is shown honestly: value, qualifier and both bounds.
    let drugs = summary.row_with(KEY, "drugs");
    assert_eq!(float(summary.get(drugs, VALUE)), 1000.0);
    assert_eq!(
        summary.get(drugs, QUALIFIER),
        &Data::String("almost".into())
    );
    assert_eq!(float(summary.get(drugs, LOW)), 900.0);
    assert_eq!(float(summary.get(drugs, HIGH)), 1000.0);
    // Parts with approximate figures get no formula that would fake precision.
    assert_eq!(formula_at(&formulas, drugs, PARTS), "");

    // Every value in the Value column is a number, never text.
    for row in summary.row_with(0, "Metric") + 1..=summary.0.end().unwrap().0 {
        if summary.get(row, KEY) != &Data::Empty {
            assert!(
                matches!(summary.get(row, VALUE), Data::Float(_) | Data::Empty),
                "row {row}"
            );
        }
    }

    let checks = book.values("Checks");
    let rows = checks.rows();
    let finding = rows
        .iter()
        .find(|r| {
            r[1] == Data::String("parts-differ-from-total".into())
                && r[2] == Data::String("arrests".into())
        })
        .expect("the arrests finding");
    assert_eq!(finding[0], Data::String("error".into()));
    // Stated, computed and difference as numbers; exact figures have no
    // qualifier and their lowest and highest are the figure.
    assert_eq!(
        (float(&finding[4]), float(&finding[8]), float(&finding[12])),
        (566.0, 562.0, 4.0)
    );
    assert_eq!(finding[5], Data::Empty);
    assert_eq!((float(&finding[6]), float(&finding[7])), (566.0, 566.0));
    assert!(
        matches!(&finding[13], Data::String(s) if s.starts_with("returns/consolidated.toml:21"))
    );
    assert_eq!(
        rows.len() - 1,
        fixture.findings.0.len(),
        "one row per finding"
    );

    // One native chart per breakdown with reported parts.
    let charts = book.parts("xl/charts/chart");
    assert_eq!(
        charts.len(),
        5,
        "entities, arrests, weapons, drugs, online targets"
    );
    assert!(charts.iter().any(
        |c| c.contains("<c:barChart>") && c.contains(&format!("Summary!$B${first}:$B${last}"))
    ));
}

#[test]
fn every_sheet_carries_the_marking_and_page_numbers_and_the_document_properties() {
    let fixture = Fixture::load("tests/fixtures/multi-return");
    let book = Book::render(xlsx::master(&fixture.ctx()).unwrap());
    let sheets = book.parts("xl/worksheets/sheet");
    assert_eq!(sheets.len(), book.sheets().len());
    for xml in &sheets {
        assert!(
            xml.contains(
                "<oddHeader>&amp;L&amp;\"-,Bold\"TLP:AMBER&amp;RJAD Test 2024</oddHeader>"
            ),
            "{xml:.300}"
        );
        assert!(xml.contains("Page &amp;P of &amp;N</oddFooter>"));
    }
    // Every table sheet keeps its header in view; Participants is a list of
    // sections with headers of their own, so it scrolls freely.
    let frozen = sheets.iter().filter(|xml| xml.contains("<pane ")).count();
    assert_eq!(frozen, sheets.len() - 1);
    let core = book.part("docProps/core.xml");
    assert!(core.contains("<dc:title>JAD Test 2024 — workbook</dc:title>"));
    assert!(core.contains("<dc:creator>opbrief</dc:creator>"));
    assert!(core.contains(
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2023-11-24T00:00:00Z</dcterms:created>"
    ));
    assert!(
        book.part("docProps/app.xml")
            .contains("<Company>Vienna, Austria</Company>")
    );
}

#[test]
fn multi_return_master_has_one_row_per_return_and_summary_totals_traced_to_it() {
    let fixture = Fixture::load("tests/fixtures/multi-return");
    let op = &fixture.op;
    let mut book = Book::render(xlsx::master(&fixture.ctx()).unwrap());
    assert_eq!(
        book.sheets(),
        [
            "Summary",
            "Returns",
            "By reporter",
            "Checks",
            "Participants",
            "Sources"
        ]
    );
    let returns = book.values("Returns");
    let rows = returns.rows();
    let header: Vec<String> = rows[0]
        .iter()
        .map(|d| match d {
            Data::String(s) => s.clone(),
            other => panic!("header {other:?}"),
        })
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
    };
    assert_eq!(
        header[..4],
        ["Reporter", "Kind", "Day", "Whole operation"].map(String::from)
    );
    assert_eq!(
        header[header.len() - 3..],
        ["Corrected by", "File", "Line"].map(String::from)
    );
    // One row per return, in file order; each stated figure in its
    // metric's column, the file and the reporter's line beside it.
    assert_eq!(rows.len() - 1, op.returns.len(), "one row per return");
    for (ret, row) in op.returns.iter().zip(&rows[1..]) {
        assert_eq!(row[0], Data::String(op.reporter_name(ret.reporter).into()));
        let kind = match ret.reporter {
            Reporter::Coordination => "consolidated",
            Reporter::Participant(_) => "participant",
        };
        assert_eq!(row[1], Data::String(kind.into()));
        // Days are real dates; the whole-operation return says so in its
        // own column, of booleans.
        match ret.day {
            Some(_) => assert!(matches!(row[2], Data::DateTime(_)), "{row:?}"),
            None => assert_eq!(row[2], Data::Empty),
        }
        assert_eq!(row[3], Data::Bool(ret.day.is_none()));
        for figure in &ret.figures {
            let key = &op.catalogue.get(figure.metric).key;
            assert_eq!(
                float(&row[col(key)]),
                figure.quantity.amount.to_f64(),
                "{key}"
            );
        }
        assert_eq!(
            row[col("File")],
            Data::String(op.sources.get(ret.source).unwrap().relative.to_string())
        );
        assert_eq!(float(&row[col("Line")]), ret.reporter_location.line as f64);
    }
    assert!(
        rows[1..]
            .iter()
            .any(|r| r[0] == Data::String("Serbia".into())
                && float(&r[col("entities_checked.persons")]) == 11500.0)
    );

    // Summary: "Sum of returns" is a SUMIFS over the metric's column for
    // the participants' rows, "Consolidated" the same for the
    // coordination's; both cache the totals, which the column sums by
    // hand also give; their difference is a formula.
    let summary = book.values("Summary");
    let formulas = book.formulas("Summary");
    let mut traced = 0;
    for (id, total) in fixture.totals.metrics.iter().enumerate() {
        let metric = op.catalogue.get(opbrief::model::MetricId(id));
        let Some(from_returns) = &total.from_returns else {
            continue;
        };
        let row = summary.row_with(KEY, &metric.key);
        let column = col(&metric.key);
        let letter = rust_xlsxwriter_col(column);
        let last = rows.len();
        let by_hand = |kind: &str| -> f64 {
            rows[1..]
                .iter()
                .filter(|r| r[1] == Data::String(kind.into()))
                .map(|r| match &r[column] {
                    Data::Empty => 0.0,
                    d => float(d),
                })
                .sum()
        };
        assert_eq!(
            formula_at(&formulas, row, RETURNS),
            format!(
                "SUMIFS('Returns'!${letter}$2:${letter}${last},'Returns'!$B$2:$B${last},\"participant\")"
            )
        );
        assert_eq!(
            float(summary.get(row, RETURNS)),
            from_returns.nominal.amount.to_f64()
        );
        assert_eq!(float(summary.get(row, RETURNS)), by_hand("participant"));
        if let Some(consolidated) = &total.consolidated {
            assert_eq!(
                float(summary.get(row, CONSOLIDATED)),
                consolidated.nominal.amount.to_f64()
            );
            assert_eq!(
                float(summary.get(row, CONSOLIDATED)),
                by_hand("consolidated")
            );
            assert_eq!(
                formula_at(&formulas, row, GAP),
                format!("J{0}-I{0}", row + 1)
            );
            assert_eq!(
                float(summary.get(row, GAP)),
                by_hand("consolidated") - by_hand("participant")
            );
            // The published value is the consolidated figure, by reference.
            assert_eq!(formula_at(&formulas, row, VALUE), format!("J{}", row + 1));
        }
        traced += 1;
    }
    assert!(traced >= 5, "{traced} totals traced");

    // An Excel table with a filter and a stable name.
    let tables = book.parts("xl/tables/table");
    assert!(
        tables
            .iter()
            .any(|t| t.contains("name=\"ReturnsTable\"") && t.contains("<autoFilter "))
    );
}

/// The column letters of a 0-based column index.
fn rust_xlsxwriter_col(col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap()
}

#[test]
fn multi_return_by_reporter_totals_are_formulas_with_the_aggregated_results() {
    let fixture = Fixture::load("tests/fixtures/multi-return");
    let mut book = Book::render(xlsx::master(&fixture.ctx()).unwrap());
    let grid = book.values("By reporter");
    let formulas = book.formulas("By reporter");
    let rows = grid.rows();
    let names: Vec<&Data> = rows.iter().map(|r| &r[0]).collect();
    let strings = |v: &[&str]| {
        v.iter()
            .map(|s| Data::String((*s).into()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names.into_iter().cloned().collect::<Vec<_>>(),
        strings(&[
            "Reporter",
            "Austria",
            "Greece",
            "Serbia*",
            "Sum of returns",
            "Consolidated figure",
            "Difference (consolidated − returns)"
        ])
    );
    let arrests_col = rows[0]
        .iter()
        .position(|d| d == &Data::String("Arrests".into()))
        .unwrap() as u32;
    let col_letter = (b'A' + arrests_col as u8) as char;
    assert_eq!(
        formula_at(&formulas, 4, arrests_col),
        format!("SUM({col_letter}2:{col_letter}4)")
    );
    assert_eq!(
        float(grid.get(4, arrests_col)),
        48.0,
        "cached: the returns' sum from Totals"
    );
    assert_eq!(float(grid.get(5, arrests_col)), 50.0);
    assert_eq!(
        float(grid.get(6, arrests_col)),
        2.0,
        "the finding's difference"
    );
    // Each reporter's cell is the reporter's total from Totals.
    let arrests = fixture.op.catalogue.find("arrests").unwrap();
    for (row, reporter) in (1u32..).zip(&fixture.totals.reporters) {
        let expected = reporter.values[arrests.0]
            .unwrap()
            .interval
            .as_point()
            .unwrap()
            .to_f64();
        assert_eq!(float(grid.get(row, arrests_col)), expected);
    }
}

/// Every number and name in `reporter`'s returns and reporter totals.
fn reporter_data(fixture: &Fixture, reporter: ParticipantId) -> (BTreeSet<u64>, Vec<String>) {
    let op = &fixture.op;
    let mut numbers = BTreeSet::new();
    let mut files = Vec::new();
    for (at, ret) in op
        .returns
        .iter()
        .enumerate()
        .filter(|(_, r)| r.reporter == Reporter::Participant(reporter))
    {
        // Its totals computed from its own parts (the Returns sheet shows them).
        numbers.extend(
            fixture
                .totals
                .return_values(op, at)
                .map(|(_, v)| v.nominal.amount.to_f64() as u64),
        );
        for figure in &ret.figures {
            numbers.insert(figure.quantity.amount.to_f64() as u64);
            files.push(
                Path::new(op.sources.file_of(figure.place))
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    for totals in fixture
        .totals
        .reporters
        .iter()
        .filter(|t| t.participant == reporter)
    {
        numbers.extend(
            totals
                .values
                .iter()
                .flatten()
                .filter_map(|v| v.interval.as_point())
                .map(|a| a.to_f64() as u64),
        );
    }
    files.sort();
    files.dedup();
    (numbers, files)
}

#[test]
fn each_pack_holds_only_its_own_reporters_figures() {
    let fixture = Fixture::load("tests/fixtures/multi-return");
    let op = &fixture.op;
    let dir = tempfile::tempdir().unwrap();
    let written = fixture.write_all(dir.path());
    let recipients = op.pack_recipients();
    assert_eq!(
        recipients,
        ["Austria", "Greece", "Serbia"].map(|n| fixture.id(n))
    );
    assert_eq!(written.len(), 1 + recipients.len());

    let mut master = Book::read(&written[0]);
    let master_summary = master.values("Summary").rows();
    let master_numbers: BTreeSet<u64> = master
        .values("Summary")
        .numbers()
        .iter()
        .map(|f| *f as u64)
        .collect();

    for (&partner, path) in recipients.iter().zip(&written[1..]) {
        let name = op.participant(partner).name.clone();
        let mut book = Book::read(path);
        assert_eq!(
            book.sheets(),
            [
                "Summary",
                "Returns",
                "By reporter",
                "Checks",
                "Participants",
                "Sources"
            ],
            "{name}"
        );

        // The operation totals: the master's Summary, apart from the line
        // saying whose pack it is and the consolidated figures' file, which
        // a pack describes rather than names.
        let summary = book.values("Summary").rows();
        let named = |rows: &[Vec<Data>]| -> Vec<Vec<Data>> {
            rows.iter()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            Data::String(s) if s.starts_with("returns/consolidated.toml:") => {
                                Data::String("the consolidated figures".into())
                            }
                            other => other.clone(),
                        })
                        .collect()
                })
                .collect()
        };
        assert_eq!(
            summary[3..],
            named(&master_summary[3..])[..],
            "{name}: Summary = master Summary"
        );
        assert!(
            matches!(&summary[2][0], Data::String(s) if s.starts_with(&format!("Partner pack for {}", op.marked_name(partner))))
        );

        // Returns: exactly this reporter's figures.
        let returns = book.values("Returns").rows();
        assert!(returns.len() > 1);
        for row in &returns[1..] {
            assert_eq!(
                row[0],
                Data::String(name.clone()),
                "{name}: Returns row of another reporter"
            );
        }
        let own_returns = op
            .returns
            .iter()
            .filter(|r| r.reporter == Reporter::Participant(partner))
            .count();
        assert_eq!(returns.len() - 1, own_returns, "one row per return");

        // By reporter: its own row only, no total of other reporters.
        let by_reporter = book.values("By reporter").rows();
        assert_eq!(by_reporter.len(), 2, "{name}: header and its own row");
        assert_eq!(by_reporter[1][0], Data::String(op.marked_name(partner)));

        // Checks: a finding may cite the partner's own returns and files that
        // are nobody's return (operation.toml, consolidated figures), never
        // another reporter's return.
        let (own_numbers, own_files) = reporter_data(&fixture, partner);
        let all_return_files: BTreeSet<String> = recipients
            .iter()
            .flat_map(|&r| reporter_data(&fixture, r).1)
            .collect();
        for row in book.values("Checks").rows().iter().skip(1) {
            if let Data::String(places) = &row[13] {
                for place in places.lines().filter(|l| !l.starts_with("and ")) {
                    // Files it does not own are described, not named.
                    let Some((file, _)) = place.rsplit_once(':') else {
                        assert_eq!(place, "the consolidated figures", "{name}");
                        continue;
                    };
                    let file = Path::new(file)
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    assert!(
                        own_files.contains(&file) || !all_return_files.contains(&file),
                        "{name}: finding cites {place}"
                    );
                }
            }
        }
        // Its own findings, and the operation-level ones every pack shows.
        let codes: Vec<String> = book.values("Checks").rows()[1..]
            .iter()
            .map(|r| format!("{:?}", r[1]))
            .collect();
        let operation_level = fixture
            .findings
            .iter()
            .filter(|f| f.code == Code::ReturnsDifferFromConsolidated)
            .count();
        let expected = operation_level + usize::from(name == "Serbia");
        assert_eq!(codes.len(), expected, "{name}: {codes:?}");
        if name == "Serbia" {
            assert!(
                codes.iter().any(|c| c.contains("implausible-day-figure")),
                "Serbia's implausible day figure"
            );
        }

        // No other reporter is named or cited outside the public participant
        // list, nor in the document properties; none of their figures
        // appears unless the same number is also one of ours or a total.
        let mut cells = Vec::new();
        let mut numbers = BTreeSet::new();
        for sheet in book.sheets() {
            let grid = book.values(&sheet);
            // Line numbers and line counts are where figures were read, not figures.
            let skip = match sheet.as_str() {
                "Returns" => grid
                    .rows()
                    .first()
                    .and_then(|h| h.iter().position(|d| d == &Data::String("Line".into())))
                    .map(|c| c as u32),
                "Sources" => Some(2),
                _ => None,
            };
            numbers.extend(
                grid.0
                    .used_cells()
                    .filter(|(_, col, _)| Some(*col as u32 + grid.0.start().unwrap().1) != skip)
                    .filter_map(|(_, _, d)| {
                        if let Data::Float(f) = d {
                            Some(*f as u64)
                        } else {
                            None
                        }
                    }),
            );
            // Every sheet, Participants included: a pack names no other reporter.
            cells.extend(grid.strings());
        }
        let properties = book.parts("docProps/").join("\n");
        let allowed: BTreeSet<u64> = own_numbers.union(&master_numbers).copied().collect();
        for &other in recipients.iter().filter(|&&o| o != partner) {
            let other_name = &op.participant(other).name;
            for cell in &cells {
                assert!(
                    !cell.to_lowercase().contains(&other_name.to_lowercase()),
                    "{name}'s pack names {other_name}: {cell:?}"
                );
            }
            assert!(
                !properties.contains(other_name.as_str()),
                "{name}'s pack properties name {other_name}"
            );
            let (their_numbers, their_files) = reporter_data(&fixture, other);
            for file in &their_files {
                assert!(
                    cells.iter().all(|c| !c.contains(file.as_str())),
                    "{name}'s pack cites {file}"
                );
            }
            let leaked: Vec<_> = their_numbers
                .difference(&allowed)
                .filter(|n| numbers.contains(n))
                .collect();
            assert!(
                leaked.is_empty(),
                "{name}'s pack shows {other_name}'s figures {leaked:?}"
            );
        }
    }
    // The distinctive figure: Serbia's 11 500 persons on one day.
    let mut austria = Book::read(&written[1]);
    for sheet in austria.sheets() {
        assert!(!austria.values(&sheet).numbers().contains(&11500.0));
    }
}

#[test]
fn a_shared_reporter_appears_in_every_pack_and_others_do_not() {
    let mut fixture = Fixture::load("tests/fixtures/multi-return");
    let greece = fixture.id("Greece");
    fixture.op.release.shared_reporters = vec![greece];
    let austria = fixture.id("Austria");
    let mut book = Book::render(xlsx::partner(&fixture.ctx(), austria).unwrap());
    let rows = book.values("By reporter").rows();
    let names: Vec<&Data> = rows[1..].iter().map(|r| &r[0]).collect();
    assert_eq!(
        names,
        [
            &Data::String("Austria".into()),
            &Data::String("Greece".into())
        ]
    );
    let reporters: BTreeSet<String> = book.values("Returns").rows()[1..]
        .iter()
        .map(|r| match &r[0] {
            Data::String(s) => s.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        reporters,
        BTreeSet::from(["Austria".to_string(), "Greece".to_string()])
    );
    assert!(
        book.values("Sources")
            .strings()
            .iter()
            .all(|s| !s.contains("serbia"))
    );
}

#[test]
fn packs_go_only_to_recipients() {
    let fixture = Fixture::load("tests/fixtures/multi-return");
    // Croatia sent no return: with `packs = auto` only reporters get packs.
    let croatia = fixture.id("Croatia");
    assert!(
        matches!(xlsx::partner(&fixture.ctx(), croatia), Err(XlsxError::NotARecipient(n)) if n == "Croatia")
    );
    assert!(matches!(
        xlsx::partner(&fixture.ctx(), ParticipantId(99)),
        Err(XlsxError::UnknownPartner(_))
    ));
}

#[test]
fn sample_packs_hold_the_totals_and_the_participant_lists() {
    let fixture = Fixture::load("data/jad-see-2023");
    let recipients = fixture.op.pack_recipients();
    assert_eq!(
        recipients.len(),
        26,
        "every listed country when only consolidated figures exist"
    );
    let mut book = Book::render(xlsx::partner(&fixture.ctx(), fixture.id("Kosovo")).unwrap());
    assert_eq!(
        book.sheets(),
        ["Summary", "Checks", "Participants", "Sources"]
    );
    let summary = book.values("Summary");
    assert_eq!(
        float(summary.get(summary.row_with(KEY, "arrests"), VALUE)),
        566.0
    );
    let participants = book.values("Participants").strings();
    assert!(participants.contains(&"Kosovo*".to_string()));
    assert!(
        participants
            .iter()
            .any(|s| s.starts_with("This designation is without prejudice"))
    );
    // The pack's Summary shows "Difference +4" for arrests: its Checks
    // sheet shows the finding behind it (about the consolidated figures,
    // not about Kosovo), and the one behind weapons' +3.
    let arrests_gap = float(summary.get(summary.row_with(KEY, "arrests"), DIFFERENCE));
    assert_eq!(arrests_gap, 4.0);
    let checks = book.values("Checks").rows();
    assert_eq!(checks.len(), 3, "header and the two breakdown findings");
    let differences: Vec<(Data, f64)> = checks[1..]
        .iter()
        .map(|r| (r[2].clone(), float(&r[12])))
        .collect();
    assert_eq!(
        differences,
        [
            (Data::String("arrests".into()), arrests_gap),
            (Data::String("weapons".into()), 3.0)
        ]
    );
}

#[test]
fn hostile_text_comes_back_as_strings_never_formulas() {
    let fixture = Fixture::load("tests/fixtures/hostile-cells");
    let hostile = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+cmd",
        "@SUM(A1)",
        "-2+3",
        "=A1*2",
        "=1+1 Hostile Cells Test",
        "=GROUP()",
        "=cmd|' /C calc'!A0",
        "-activity",
        "+description",
    ];
    let dir = tempfile::tempdir().unwrap();
    let written = fixture.write_all(dir.path());
    assert_eq!(written.len(), 3, "master and two packs");
    assert!(
        written[2].ends_with("partners/hyperlink-http-x-y.xlsx"),
        "{}",
        written[2].display()
    );

    let mut master = Book::read(&written[0]);
    let mut found = BTreeSet::new();
    for path in &written {
        let mut book = Book::read(path);
        for sheet in book.sheets() {
            let grid = book.values(&sheet);
            let formulas = book.formulas(&sheet);
            for (row, col, data) in grid.0.used_cells() {
                let (row, col) = (
                    row as u32 + grid.0.start().unwrap().0,
                    col as u32 + grid.0.start().unwrap().1,
                );
                let formula = formula_at(&formulas, row, col);
                if let Data::String(s) = data
                    && hostile.contains(&s.as_str())
                {
                    found.insert(s.clone());
                    assert_eq!(formula, "", "{sheet}!{row},{col} {s:?} became a formula");
                }
                // The only formulas are the ones we build: sums and differences.
                if !formula.is_empty() {
                    let ours = formula.starts_with("SUM(")
                        || formula.starts_with("SUMIFS('Returns'!")
                        || formula
                            .split('-')
                            .all(|r| r.chars().all(|c| c.is_ascii_alphanumeric()) && !r.is_empty());
                    assert!(ours, "{sheet}: unexpected formula {formula:?}");
                }
            }
        }
    }
    for text in hostile {
        assert!(found.contains(text), "{text:?} never written");
    }
    // The numbers are numbers: +cmd's total is 40 (consolidated).
    let summary = master.values("Summary");
    assert_eq!(
        float(summary.get(summary.row_with(KEY, "plus_cmd"), VALUE)),
        40.0
    );
    // The marking's `&` is a literal in the header, not a control code.
    assert!(
        master
            .part("xl/worksheets/sheet1.xml")
            .contains("TLP:AMBER &amp;&amp; =NEED-TO-KNOW")
    );
}

#[test]
fn pack_file_names_are_safe_and_distinct() {
    for dir in [
        "data/jad-see-2023",
        "tests/fixtures/multi-return",
        "tests/fixtures/hostile-cells",
    ] {
        let fixture = Fixture::load(dir);
        let names = xlsx::pack_file_names(&fixture.op);
        assert_eq!(names.len(), fixture.op.participants.len());
        for name in &names {
            assert!(
                name.ends_with(".xlsx") && name.len() > ".xlsx".len(),
                "{name}"
            );
            assert!(!name.starts_with('.') && !name.starts_with('-'), "{name}");
            assert!(
                !name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
                "{name}"
            );
            assert!(!name.chars().any(char::is_control), "{name:?}");
            assert!(name.is_ascii(), "{name:?} is not ASCII");
            assert!(name.chars().count() <= 65, "{name}");
        }
        let distinct: BTreeSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{dir}: {names:?}");
        if dir == "data/jad-see-2023" {
            assert!(names.contains(&"austria.xlsx".to_string()));
            assert!(names.contains(&"turkiye.xlsx".to_string()));
            assert!(names.contains(&"kosovo.xlsx".to_string()));
        }
    }
}

/// Names whose slugs meet a numbered name: every pack still gets its own
/// file (two packs on one path would overwrite each other).
#[test]
fn colliding_pack_names_are_numbered_apart() {
    let mut fixture = Fixture::load("data/jad-see-2023");
    let names = ["A", "A!", "A 2", "***", "Participant 4", "a-2-2"];
    for (participant, name) in fixture.op.participants.iter_mut().zip(names) {
        participant.name = name.to_string();
    }
    let files = xlsx::pack_file_names(&fixture.op);
    assert_eq!(
        files[..6],
        [
            "a.xlsx",
            // `a-2` is "A 2"'s and `a-2-2` the last one's own name.
            "a-2-3.xlsx",
            "a-2.xlsx",
            "participant-4-2.xlsx",
            "participant-4.xlsx",
            "a-2-2.xlsx"
        ]
    );
    let distinct: BTreeSet<&String> = files.iter().collect();
    assert_eq!(distinct.len(), files.len(), "{files:?}");
}

#[test]
fn two_renders_are_byte_identical() {
    let sha = |bytes: &[u8]| format!("{:x}", Sha256::digest(bytes));
    for dir in ["data/jad-see-2023", "tests/fixtures/multi-return"] {
        let fixture = Fixture::load(dir);
        let ctx = fixture.ctx();
        assert_eq!(
            sha(&xlsx::master(&ctx).unwrap()),
            sha(&xlsx::master(&ctx).unwrap()),
            "{dir}"
        );
        for partner in fixture.op.pack_recipients() {
            assert_eq!(
                sha(&xlsx::partner(&ctx, partner).unwrap()),
                sha(&xlsx::partner(&ctx, partner).unwrap())
            );
        }
        // The date comes from the context, not the clock.
        let later = Context {
            timestamp: TIMESTAMP + 86_400,
            ..ctx
        };
        assert_ne!(
            sha(&xlsx::master(&ctx).unwrap()),
            sha(&xlsx::master(&later).unwrap())
        );
    }
}

#[test]
fn openpyxl_opens_every_workbook() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ci = std::env::var_os("CI").is_some();
    let probe = std::process::Command::new("python3")
        .args(["-c", "import openpyxl"])
        .status();
    if !matches!(probe, Ok(status) if status.success()) {
        assert!(!ci, "CI must install python3 with openpyxl");
        eprintln!("note: python3 with openpyxl not found; skipping the openpyxl read-back");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for fixture in [
        "data/jad-see-2023",
        "tests/fixtures/multi-return",
        "tests/fixtures/hostile-cells",
    ] {
        let out = dir.path().join(Path::new(fixture).file_name().unwrap());
        Fixture::load(fixture).write_all(&out);
    }
    let output = std::process::Command::new("python3")
        .arg(root.join("tests/read_workbooks.py"))
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("jad-see-2023/workbook.xlsx"), "{stdout}");
    assert_eq!(stdout.matches(".xlsx").count(), 3 + 26 + 3 + 2, "{stdout}");
}

#[test]
fn returns_differ_finding_is_in_every_pack_citing_only_what_it_may() {
    // The pack's Summary shows the consolidated figure beside the sum of
    // the returns, and their difference: its Checks sheet shows the finding
    // behind that difference, citing the consolidated figure and the
    // partner's own returns, never another reporter's.
    let fixture = Fixture::load("tests/fixtures/multi-return");
    let op = &fixture.op;
    let finding = fixture
        .findings
        .iter()
        .find(|f| f.code == Code::ReturnsDifferFromConsolidated)
        .expect("the fixture's arrests gap");
    let metric = op.catalogue.get(finding.metric(op).unwrap()).key.clone();
    for partner in op.pack_recipients() {
        let name = op.participant(partner).name.clone();
        let mut book = Book::render(xlsx::partner(&fixture.ctx(), partner).unwrap());
        let summary = book.values("Summary");
        let gap = float(summary.get(summary.row_with(KEY, &metric), GAP));
        let checks = book.values("Checks").rows();
        let row = checks
            .iter()
            .find(|r| r[1] == Data::String("returns-differ-from-consolidated".into()))
            .unwrap_or_else(|| panic!("{name}: no finding behind the Summary's difference"));
        assert_eq!(float(&row[12]), gap, "{name}");
        let Data::String(places) = &row[13] else {
            panic!("{name}: no places")
        };
        let (_, own_files) = reporter_data(&fixture, partner);
        for place in places.lines().filter(|l| !l.starts_with("and ")) {
            // The consolidated figures are described, not named.
            if place == "the consolidated figures" {
                continue;
            }
            let file = place.rsplit_once(':').unwrap().0;
            let file = Path::new(file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                own_files.contains(&file) || file == "consolidated.toml",
                "{name}: cites {place}"
            );
        }
        assert!(
            places.contains("places in other reporters' returns"),
            "{places}"
        );
    }
}

#[test]
fn changes_sheet_holds_numbers_and_packs_name_only_their_own_files() {
    use opbrief::changes::{Cause, Changes, FigureChange, FindingRecord, RecordedValue};
    use opbrief::model::Amount;
    let fixture = Fixture::load("tests/fixtures/multi-return");
    let value = |n: u64, qualifier: &str| RecordedValue {
        value: Amount::from_units(n),
        qualifier: qualifier.into(),
        shown: format!("{qualifier} {n}").trim().into(),
    };
    let changed =
        |file: &str| opbrief::changes::Attributed::from(Cause::InputChanged { file: file.into() });
    // A resolved finding is known by its record: whom it names decides
    // which pack shows it, never its sentence.
    let finding = |message: &str, reporter: &str| FindingRecord {
        severity: "warning".into(),
        code: "implausible-day-figure".into(),
        subject: format!("officers / {reporter} 2024-03-05"),
        participants: vec![reporter.into()],
        message: message.into(),
    };
    let edition = opbrief::render::Edition {
        revision: 3,
        changes: Some(Changes {
            since_revision: 2,
            since_date: "1 December 2023".into(),
            figures: vec![
                FigureChange {
                    key: "officers".into(),
                    label: "Officers involved".into(),
                    unit: "count".into(),
                    old: Some(value(1220, "")),
                    new: Some(value(1230, "")),
                    difference: Some(
                        Amount::from_units(1230).signed_difference(Amount::from_units(1220)),
                    ),
                    causes: vec![
                        changed("returns/austria-2024-03-04.toml"),
                        changed("returns/serbia-2024-03-04.toml"),
                    ],
                },
                // Approximate on both sides: numbers with their words, no
                // difference.
                FigureChange {
                    key: "illegal_entries".into(),
                    label: "Illegal entries".into(),
                    unit: "count".into(),
                    old: Some(value(100, "almost")),
                    new: Some(value(120, "about")),
                    difference: None,
                    causes: vec![changed("returns/serbia-2024-03-05.toml")],
                },
            ],
            findings_appeared: vec![],
            findings_resolved: vec![
                finding(
                    "a day figure far from the others in the return of Austria",
                    "Austria",
                ),
                finding(
                    "a day figure far from the others in the return of Serbia",
                    "Serbia",
                ),
            ],
        }),
    };
    let ctx = Context {
        edition: &edition,
        ..fixture.ctx()
    };

    let mut master = Book::render(xlsx::master(&ctx).unwrap());
    let rows = master.values("Changes").rows();
    assert_eq!(
        rows[0][0],
        Data::String("Changes since revision 2 of 1 December 2023".into())
    );
    let officers = &rows[rows
        .iter()
        .position(|r| r[1] == Data::String("officers".into()))
        .unwrap()];
    assert_eq!(
        (
            float(&officers[2]),
            float(&officers[3]),
            float(&officers[4])
        ),
        (1220.0, 1230.0, 10.0)
    );
    let entries = &rows[rows
        .iter()
        .position(|r| r[1] == Data::String("illegal_entries".into()))
        .unwrap()];
    assert_eq!((float(&entries[2]), float(&entries[3])), (100.0, 120.0));
    assert_eq!(entries[4], Data::Empty, "no difference between ranges");
    let resolved = rows
        .iter()
        .filter(|r| r[0] == Data::String("resolved".into()))
        .count();
    assert_eq!(resolved, 2);
    let custom = master.part("docProps/custom.xml");
    assert!(custom.contains("<vt:i4>3</vt:i4>"));
    assert!(custom.contains("revision 2 of 1 December 2023"));

    let austria = fixture.id("Austria");
    let mut pack = Book::render(xlsx::partner(&ctx, austria).unwrap());
    let rows = pack.values("Changes").rows();
    let cause = |key: &str| {
        rows.iter()
            .find(|r| r[1] == Data::String(key.into()))
            .map(|r| r[6].clone())
            .unwrap()
    };
    assert_eq!(
        cause("officers"),
        Data::String(
            "changed return: returns/austria-2024-03-04.toml; and changes not shared with this partner"
                .into()
        )
    );
    assert_eq!(
        cause("illegal_entries"),
        Data::String("changes not shared with this partner".into())
    );
    let resolved: Vec<&Vec<Data>> = rows
        .iter()
        .filter(|r| r[0] == Data::String("resolved".into()))
        .collect();
    assert_eq!(resolved.len(), 1, "only Austria's own: {rows:?}");
    assert!(matches!(&resolved[0][3], Data::String(m) if m.ends_with("of Austria")));
    assert_eq!(
        pack.values("Summary").get(3, 0),
        &Data::String("Revision 3 (supersedes revision 2 of 1 December 2023)".into())
    );
}

/// Regression: in a bar chart rust_xlsxwriter's x axis is the value axis;
/// reversing it drew every chart right to left. The category axis is the one
/// to reverse (table order from the top), with the values left to right.
#[test]
fn bar_charts_reverse_categories_not_values() {
    let fixture = Fixture::load("data/jad-see-2023");
    let book = Book::render(xlsx::master(&fixture.ctx()).unwrap());
    let charts = book.parts("xl/charts/chart");
    assert!(!charts.is_empty());
    for (chart, xml) in charts.iter().enumerate() {
        let axis = |tag: &str| {
            let start = xml.find(&format!("<c:{tag}>")).unwrap();
            let end = xml[start..].find(&format!("</c:{tag}>")).unwrap() + start;
            xml[start..end].to_string()
        };
        assert!(
            axis("catAx").contains(r#"<c:orientation val="maxMin"/>"#),
            "{chart}"
        );
        assert!(
            axis("valAx").contains(r#"<c:orientation val="minMax"/>"#),
            "{chart}"
        );
    }
}

/// A pack lists every input file but the other reporters' returns, with the
/// same hash as the master; files it does not own (the consolidated
/// figures, corrections) by what they are, not by their names.
#[test]
fn a_pack_lists_its_own_files_and_the_shared_ones() {
    let fixture = Fixture::load("tests/fixtures/multi-return");
    let ctx = fixture.ctx();
    let listed = |bytes: Vec<u8>| -> Vec<(String, String)> {
        Book::render(bytes)
            .values("Sources")
            .rows()
            .into_iter()
            .skip(1)
            .map(|row| match (&row[0], &row[1]) {
                (Data::String(path), Data::String(sha256)) => (path.clone(), sha256.clone()),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let master = listed(xlsx::master(&ctx).unwrap());
    assert_eq!(master.len(), fixture.op.sources.len());
    let austria = listed(xlsx::partner(&ctx, fixture.id("Austria")).unwrap());
    let expected: Vec<(String, String)> = master
        .into_iter()
        .filter(|(path, _)| {
            !path.starts_with("returns/greece") && !path.starts_with("returns/serbia")
        })
        .map(|(path, sha256)| match path.as_str() {
            "returns/consolidated.toml" => ("the consolidated figures".into(), sha256),
            _ => (path, sha256),
        })
        .collect();
    assert_eq!(austria, expected);
    assert_eq!(
        austria
            .iter()
            .filter(|(p, _)| p.starts_with("returns/austria"))
            .count(),
        3
    );
}

/// Every number between `<tag>` and `</tag>` in `xml`, in order.
fn numbers_in(xml: &str, tag: &str) -> Vec<u32> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(&open)
        .skip(1)
        .filter_map(|rest| rest.split(&close).next()?.parse().ok())
        .collect()
}

#[test]
fn summary_prints_at_85_percent_or_more_and_no_page_break_cuts_a_chart() {
    for dir in [
        "data/jad-see-2023",
        "tests/fixtures/multi-return",
        "tests/fixtures/approximate",
    ] {
        let fixture = Fixture::load(dir);
        let book = Book::render(xlsx::master(&fixture.ctx()).unwrap());
        let sheet = book.part("xl/worksheets/sheet1.xml");
        // A fixed scale (not fit-to-page, which Excel shrinks by and which
        // makes it ignore manual breaks).
        assert!(!sheet.contains("fitToPage"), "{dir}");
        let scale: u32 = sheet
            .split("<pageSetup ")
            .nth(1)
            .and_then(|s| s.split("scale=\"").nth(1))
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(100);
        assert!(scale >= 85, "{dir}: Summary printed at {scale} %");
        let breaks: Vec<u32> = sheet
            .split("<brk id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect();
        // The print area's last column (the consolidated difference, K).
        let workbook = book.part("xl/workbook.xml");
        assert!(workbook.contains("Summary!$A$1:$K$"), "{dir}: print area");
        let drawings = book.parts("xl/drawings/drawing");
        let Some(drawing) = drawings.first() else {
            continue;
        };
        // Where a reader's automatic breaks fall: row heights from the
        // sheet (15 pt unless set), a page of A4 landscape less the top and
        // bottom margins at the print scale, the header row (5) repeated
        // atop every later page.
        let mut heights = std::collections::BTreeMap::new();
        for row in sheet.split("<row r=\"").skip(1) {
            let number: u32 = row.split('"').next().unwrap().parse().unwrap();
            let tag = row.split('>').next().unwrap();
            if let Some(ht) = tag.split(" ht=\"").nth(1) {
                let points: f64 = ht.split('"').next().unwrap().parse().unwrap();
                heights.insert(number - 1, points);
            }
        }
        let height = |row: u32| heights.get(&row).copied().unwrap_or(15.0);
        let page = (8.27 - 1.5) * 72.0 * 100.0 / scale as f64;
        let mut page_of = Vec::new();
        let (mut current, mut used) = (0, 0.0);
        for row in 0..200 {
            if breaks.contains(&row) || used + height(row) > page {
                current += 1;
                used = height(4);
            }
            used += height(row);
            page_of.push(current);
        }
        for anchor in drawing.split("<xdr:twoCellAnchor>").skip(1) {
            let (from, to) = anchor.split_once("<xdr:to>").unwrap();
            let (from_row, to_row) = (numbers_in(from, "xdr:row")[0], numbers_in(to, "xdr:row")[0]);
            let to_col = numbers_in(to, "xdr:col")[0];
            // A break at row n falls between rows n−1 and n (0-based).
            assert!(
                !breaks.iter().any(|&b| from_row < b && b <= to_row),
                "{dir}: a page break in {breaks:?} cuts the chart over rows {from_row}–{to_row}"
            );
            assert_eq!(
                page_of[from_row as usize], page_of[to_row as usize],
                "{dir}: the chart over rows {from_row}–{to_row} spans pages"
            );
            assert!(
                to_col <= 10,
                "{dir}: a chart reaches column {to_col}, past the print area"
            );
        }
    }
}
