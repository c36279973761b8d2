//! `opbrief demo`: synthetic operations are reproducible, valid, carry
//! exactly the planted inconsistencies, and build.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn demo(out: &Path, extra: &[&str]) {
    let out = out.to_string_lossy();
    let mut args = vec!["demo", "--out", &out];
    args.extend_from_slice(extra);
    let result = opbrief(&args);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(stdout(&result).contains("SYNTHETIC"), "{}", stdout(&result));
}

/// Every file of a folder by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                let name = path.strip_prefix(root).unwrap().to_string_lossy().into();
                into.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut all = BTreeMap::new();
    walk(dir, dir, &mut all);
    all
}

#[test]
fn same_seed_gives_byte_identical_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    demo(&a, &["--countries", "8", "--days", "4", "--seed", "7"]);
    demo(&b, &["--countries", "8", "--days", "4", "--seed", "7"]);
    demo(&c, &["--countries", "8", "--days", "4", "--seed", "8"]);
    let (a, b, c) = (files(&a), files(&b), files(&c));
    assert_eq!(
        a.len(),
        2 + 8 * 4,
        "operation.toml, consolidated, 32 returns"
    );
    assert!(a == b, "the same seed wrote different folders");
    assert!(a != c, "another seed wrote the same folder");
    let operation = String::from_utf8_lossy(&a["operation.toml"]);
    assert!(operation.contains("SYNTHETIC"), "{operation}");
}

#[test]
fn check_finds_exactly_the_planted_inconsistencies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("op");
    demo(&dir, &["--countries", "26", "--days", "6"]);
    let result = opbrief(&["check", &dir.to_string_lossy(), "--format", "json"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    let findings = findings_in(&result.stdout);
    let mut codes: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["severity"].as_str().unwrap(),
                f["code"].as_str().unwrap()
            )
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            "error parts-differ-from-total",
            "error returns-differ-from-consolidated",
            "warning implausible-day-figure",
        ],
        "{findings:#?}"
    );
}

#[test]
fn more_returns_than_country_days_stay_valid() {
    // Regional units report beside the countries; the folder still loads
    // (exit 1 for the planted errors, never 2) and nobody is missing.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("op");
    demo(
        &dir,
        &["--countries", "30", "--days", "5", "--returns", "400"],
    );
    assert_eq!(std::fs::read_dir(dir.join("returns")).unwrap().count(), 401);
    let result = opbrief(&["check", &dir.to_string_lossy(), "--format", "json"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    let text = stdout(&result);
    assert!(!text.contains("missing-return"), "{text}");
    assert!(!text.contains("not-an-eu-member-state"), "{text}");
}

#[test]
fn a_26_by_6_operation_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, out) = (tmp.path().join("op"), tmp.path().join("out"));
    demo(&dir, &[]);
    let result = opbrief(&[
        "build",
        &dir.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--timings",
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    for stage in ["load", "check", "render", "publish", "total"] {
        assert!(
            stderr(&result).contains(&format!("timing {stage}")),
            "{}",
            stderr(&result)
        );
    }
    let rev = out.join("synthetic-26c-6d-156r-s1/rev-001");
    for file in [
        "briefing.pdf",
        "workbook.xlsx",
        "press-release.md",
        "manifest.json",
    ] {
        assert!(rev.join(file).is_file(), "{file} missing");
    }
    // One pack per reporting country.
    assert_eq!(std::fs::read_dir(rev.join("partners")).unwrap().count(), 26);
}

#[test]
fn a_non_empty_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let result = opbrief(&["demo", "--out", &tmp.path().to_string_lossy()]);
    assert_eq!(result.status.code(), Some(2));
    assert!(stderr(&result).contains("not empty"), "{}", stderr(&result));
}
