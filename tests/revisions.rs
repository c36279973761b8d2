//! Revisions and corrections end to end: the scenario of issue 6.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// SHA-256 of every file under `dir`, by relative path.
fn hashes(dir: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    opbrief::publish::sha256_hex(&bytes),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn build(op: &Path, out: &Path) -> String {
    build_ok(op, out)
}

const CORRECTION: &str = r#"[[corrections]]
date = 2023-11-30
reporter = "coordination"
metric = "arrests.other"
from = 89
to = 93
reason = "Four arrests for other crimes reported late by Italy"
requested_by = "Italy"
"#;

#[test]
fn a_correction_makes_a_new_revision_and_leaves_the_old_one_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("jad");
    copy_dir(&sample(), &op);
    let out = tmp.path().join("out");
    let first = build(&op, &out);
    assert!(first.contains("rev-001"), "{first}");
    let again = build(&op, &out);
    assert!(again.contains("no changes since revision 1"), "{again}");
    let rev1 = out.join("jad-see-2023/rev-001");
    let before = hashes(&rev1);

    std::fs::create_dir_all(op.join("corrections")).unwrap();
    std::fs::write(op.join("corrections/2023-11-30-italy.toml"), CORRECTION).unwrap();
    let second = build(&op, &out);
    assert!(
        second.contains("rev-002") && second.contains("1 error"),
        "{second}"
    );
    assert!(second.contains("Other crimes: 89 → 93 (+4)"), "{second}");
    assert_eq!(
        hashes(&rev1),
        before,
        "every rev-001 file keeps its SHA-256"
    );

    let rev2 = out.join("jad-see-2023/rev-002");
    let findings = findings_in(&std::fs::read(rev2.join("findings.json")).unwrap());
    let metrics: Vec<&str> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["metric"].as_str().unwrap())
        .collect();
    assert_eq!(metrics, ["weapons"], "the arrests check now passes");
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(rev2.join("changes.json")).unwrap()).unwrap();
    assert_eq!(document["schema_version"], 1);
    let changes = &document["changes"];
    assert_eq!(changes["since_revision"], 1);
    assert_eq!(changes["figures"][0]["key"], "arrests.other");
    // Values and differences as numbers; the cause names the correction by
    // its id (here its default, file#position).
    assert_eq!(changes["figures"][0]["old"]["value"], 89);
    assert_eq!(changes["figures"][0]["new"]["value"], 93);
    assert_eq!(changes["figures"][0]["new"]["shown"], "93");
    assert_eq!(changes["figures"][0]["difference"], 4);
    let cause = &changes["figures"][0]["causes"][0];
    assert_eq!(cause["kind"], "correction");
    assert!(
        cause["id"].as_str().unwrap().starts_with("corrections/"),
        "{cause}"
    );
    assert!(cause["id"].as_str().unwrap().ends_with("#1"), "{cause}");
    assert!(
        cause["description"]
            .as_str()
            .unwrap()
            .contains("reported late by Italy")
    );
    assert_eq!(changes["findings_resolved"].as_array().unwrap().len(), 1);

    let text = std::process::Command::new("pdftotext")
        .args([rev2.join("briefing.pdf").to_string_lossy().as_ref(), "-"])
        .output()
        .expect("pdftotext");
    // Table cells wrap: compare with whitespace collapsed.
    let text = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Changes since revision 1"), "{text}");
    assert!(text.contains("supersedes revision 1 of 24 November 2023"));
    assert!(text.contains("Four arrests for other crimes reported late by Italy"));
    assert!(text.contains("Corrections"));

    let diff = opbrief(&["diff", &out.join("jad-see-2023").to_string_lossy()]);
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    assert!(
        stdout(&diff).contains("Other crimes: 89 → 93 (+4)"),
        "{}",
        stdout(&diff)
    );
    let explicit = opbrief(&[
        "diff",
        &out.join("jad-see-2023").to_string_lossy(),
        "1",
        "2",
    ]);
    assert_eq!(stdout(&explicit), stdout(&diff));
}

#[test]
fn a_stale_correction_is_an_error_with_both_locations() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("jad");
    copy_dir(&sample(), &op);
    std::fs::create_dir_all(op.join("corrections")).unwrap();
    std::fs::write(
        op.join("corrections/stale.toml"),
        CORRECTION.replace("from = 89", "from = 88"),
    )
    .unwrap();
    let out = opbrief(&["check", &op.to_string_lossy(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let findings = findings_in(&out.stdout);
    let stale = findings
        .iter()
        .find(|f| f["code"] == "stale-correction")
        .expect("a stale finding");
    assert_eq!(stale["stated"], 88);
    assert_eq!(stale["computed"], 89);
    let files: Vec<&str> = stale["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["file"].as_str().unwrap())
        .collect();
    assert!(
        files[0].ends_with("corrections/stale.toml")
            && files[1].ends_with("returns/consolidated.toml"),
        "{files:?}"
    );
    // Not applied: the arrests error is still there.
    assert!(
        findings
            .iter()
            .any(|f| f["metric"] == "arrests" && f["code"] == "parts-differ-from-total")
    );
}

#[test]
fn diff_needs_two_revisions() {
    let tmp = tempfile::tempdir().unwrap();
    let out = opbrief(&["diff", &tmp.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("holds no revisions"),
        "{}",
        stderr(&out)
    );
}

/// The revision counter never wraps round to rev-000.
#[test]
fn the_last_revision_number_is_refused_not_wrapped() {
    let out = tempfile::tempdir().unwrap();
    let operation_out = out.path().join("jad-see-2023");
    std::fs::create_dir_all(operation_out.join(format!("rev-{}", u32::MAX))).unwrap();
    let result = opbrief(&[
        "build",
        &sample().to_string_lossy(),
        "--out",
        &out.path().to_string_lossy(),
    ]);
    assert_eq!(result.status.code(), Some(3), "{}", stderr(&result));
    assert!(
        stderr(&result).contains("last revision number"),
        "{}",
        stderr(&result)
    );
    let names: Vec<String> = std::fs::read_dir(&operation_out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("rev-"))
        .collect();
    assert_eq!(names, [format!("rev-{}", u32::MAX)]);
}
