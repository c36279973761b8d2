//! Helpers shared by the integration tests: run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample() -> PathBuf {
    repo().join("data/jad-see-2023")
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

pub fn opbrief(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opbrief"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        // Plain text, whatever the terminal the tests run from asks for.
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .output()
        .expect("the opbrief binary runs")
}

pub fn opbrief_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opbrief"))
        .current_dir(dir)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        // Plain text, whatever the terminal the tests run from asks for.
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .output()
        .expect("the opbrief binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// 1-based line of the first line of `file` containing `needle`.
pub fn line_of(file: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(file).expect("fixture is readable");
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle} not in {}", file.display()))
}

/// Copies a fixture folder, e.g. to change it in a test.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `opbrief build <operation> --out <out>`, which must succeed; its stdout.
pub fn build_ok(operation: &Path, out: &Path) -> String {
    let result = opbrief(&[
        "build",
        &operation.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}{}",
        stdout(&result),
        stderr(&result)
    );
    stdout(&result)
}

/// The findings of `check --format json` output or a findings.json: the
/// envelope's `findings` array.
pub fn findings_in(json: &[u8]) -> Vec<serde_json::Value> {
    let document: serde_json::Value = serde_json::from_slice(json)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", String::from_utf8_lossy(json)));
    assert_eq!(document["schema_version"], 1, "{document}");
    document["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array: {document}"))
        .clone()
}

/// Runs a reader the tests prove the outputs with (pdftotext, pdfinfo,
/// qpdf), which must succeed; its stdout.
pub fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is needed (apt-get install poppler-utils qpdf): {e}")
        });
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A part of a workbook's zip (docProps/core.xml, xl/worksheets/sheet1.xml, …).
pub fn zip_part(workbook: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(workbook)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Every part of a workbook's zip whose name starts with `prefix`.
pub fn zip_parts(workbook: &[u8], prefix: &str) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(workbook)).unwrap();
    let names: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with(prefix))
        .map(String::from)
        .collect();
    names.iter().map(|n| zip_part(workbook, n)).collect()
}
