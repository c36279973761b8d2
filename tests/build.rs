//! `opbrief build` end to end: the press release, templates, revisions.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const NBSP: char = '\u{a0}';

/// Builds `operation` into a fresh output folder; returns the revision folder.
fn build(operation: &Path, out: &Path) -> PathBuf {
    build_ok(operation, out);
    let id = std::fs::read_to_string(operation.join("operation.toml"))
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("id = \"")
                .map(|r| r.trim_end_matches('"').to_string())
        })
        .unwrap();
    let revisions = opbrief::publish::revisions(&out.join(id));
    revisions.last().expect("a revision").1.clone()
}

/// The house style: a no-break space between digit groups and before a unit.
fn grouped(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let next_is_unit = chars[i + 1..].starts_with(&['k', 'g']);
            let between = i > 0
                && chars[i - 1].is_ascii_digit()
                && (chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()) || next_is_unit);
            if c == ' ' && between { NBSP } else { c }
        })
        .collect()
}

#[test]
fn press_release_states_every_published_figure() {
    let out = tempfile::tempdir().unwrap();
    let rev = build(&sample(), out.path());
    assert!(rev.ends_with("rev-001"));
    let text = std::fs::read_to_string(rev.join("press-release.md")).unwrap();
    for figure in [
        "22 488",
        "288 774",
        "215 273",
        "67 277",
        "5 225",
        "2 229",
        "20 206",
        "626 kg",
        "almost 300 kg",
    ] {
        assert!(
            text.contains(&grouped(figure)),
            "{figure} missing from:\n{text}"
        );
    }
    for phrase in [
        "566 arrests",
        "310 weapons",
        "163 investigations",
        "114 forged documents",
        "120 targets",
    ] {
        assert!(text.contains(phrase), "{phrase}");
    }
    assert!(
        text.contains(&grouped("almost 290 000 entities")),
        "an approximation from the figures"
    );
    assert!(text.contains(&grouped("more than 22 000 officers")));
    assert!(text.contains("89 related to other crimes, 4 not attributed to a crime area)"));
    assert!(text.contains("42 other, 3 of unreported type)"));
    assert!(text.contains("Kosovo*"));
    assert!(text.contains("*This designation is without prejudice"));
    let countries = [
        "Austria",
        "Bulgaria",
        "Croatia",
        "France",
        "Germany",
        "Greece",
        "Hungary",
        "Italy",
        "Luxembourg",
        "Netherlands",
        "Poland",
        "Portugal",
        "Romania",
        "Slovenia",
        "Spain",
        "Sweden",
        "Albania",
        "Bosnia and Herzegovina",
        "Kosovo",
        "Moldova",
        "Montenegro",
        "North Macedonia",
        "Serbia",
        "Türkiye",
        "Ukraine",
        "United Kingdom",
    ];
    assert_eq!(countries.len(), 26);
    for country in countries {
        assert!(text.contains(country), "{country}");
    }
}

/// Every number in the press release comes from the data: a figure, a
/// date, a number in a name or footnote, or a rounding/difference of figures.
#[test]
fn every_number_in_the_press_release_is_traceable() {
    let out = tempfile::tempdir().unwrap();
    let rev = build(&sample(), out.path());
    let text = std::fs::read_to_string(rev.join("press-release.md")).unwrap();
    let numbers = |s: &str| -> Vec<String> {
        let mut found = Vec::new();
        let mut current = String::new();
        let chars: Vec<char> = s.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let grouping = c == NBSP
                && !current.is_empty()
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            if c.is_ascii_digit() || (c == '.' && !current.is_empty()) || grouping {
                if c != NBSP {
                    current.push(c);
                }
            } else if !current.is_empty() {
                found.push(current.trim_end_matches('.').to_string());
                current.clear();
            }
        }
        if !current.is_empty() {
            found.push(current);
        }
        found
    };
    let mut allowed: Vec<String> = Vec::new();
    for file in ["operation.toml", "returns/consolidated.toml"] {
        let data = std::fs::read_to_string(sample().join(file)).unwrap();
        allowed.extend(numbers(&data.replace('-', " ")));
    }
    // Derived in the open: roundings of stated figures and the differences
    // between stated totals and their parts.
    let derived = ["290000", "22000", "4", "3"];
    allowed.extend(derived.iter().map(|s| s.to_string()));
    let allowed: Vec<String> = allowed
        .iter()
        .map(|n| n.trim_start_matches('0').to_string())
        .collect();
    for number in numbers(&text) {
        let normal = number.trim_start_matches('0').to_string();
        assert!(
            allowed.contains(&normal),
            "{number} in the press release is not in the data"
        );
    }
    use opbrief::format::{approximate, quantity};
    use opbrief::model::{Amount, Unit};
    assert_eq!(
        quantity(approximate(Amount::from_units(288_774)), Unit::Count),
        grouped("almost 290 000")
    );
    assert_eq!(
        quantity(approximate(Amount::from_units(22_488)), Unit::Count),
        grouped("more than 22 000")
    );
}

#[test]
fn a_changed_figure_changes_the_text_and_makes_a_new_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    copy_dir(&sample(), &op);
    let out = tmp.path().join("out");
    let first = build(&op, &out);
    let again = opbrief(&[
        "build",
        &op.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(
        stdout(&again).contains("no changes since revision 1"),
        "{}",
        stdout(&again)
    );
    let returns = op.join("returns/consolidated.toml");
    let data = std::fs::read_to_string(&returns)
        .unwrap()
        .replace("total = 566", "total = 570");
    std::fs::write(&returns, data).unwrap();
    let second = build(&op, &out);
    assert!(second.ends_with("rev-002"));
    let text = std::fs::read_to_string(second.join("press-release.md")).unwrap();
    assert!(text.starts_with("# 570 arrests in week"), "{text}");
    assert!(text.contains("8 not attributed to a crime area"));
    let old = std::fs::read_to_string(first.join("press-release.md")).unwrap();
    assert!(
        old.starts_with("# 566 arrests"),
        "the earlier revision is untouched"
    );
}

#[test]
fn an_operation_can_override_a_template() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    copy_dir(&sample(), &op);
    std::fs::create_dir_all(op.join("templates/text")).unwrap();
    std::fs::write(
        op.join("templates/text/headline.j2"),
        "Week of action: {{ m.arrests.figure }} arrested\n",
    )
    .unwrap();
    let rev = build(&op, &tmp.path().join("out"));
    let text = std::fs::read_to_string(rev.join("press-release.md")).unwrap();
    assert!(text.starts_with("# Week of action: 566 arrested"), "{text}");
}

#[test]
fn a_template_naming_an_unknown_metric_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    copy_dir(&sample(), &op);
    std::fs::create_dir_all(op.join("templates/text")).unwrap();
    std::fs::write(
        op.join("templates/text/headline.j2"),
        "{{ m.arrests.figure }}\n{{ m.arrestz.figure }}\n",
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
    assert!(err.contains("template headline.j2:2"), "{err}");
    assert!(err.contains("undefined"), "{err}");
    assert!(
        !out.join("op").exists() && !out.join("jad-see-2023").exists(),
        "nothing is written"
    );
}

#[test]
fn strict_refuses_to_build_with_errors() {
    let out = tempfile::tempdir().unwrap();
    let result = opbrief(&[
        "build",
        &sample().to_string_lossy(),
        "--out",
        &out.path().to_string_lossy(),
        "--strict",
    ]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("--strict"));
    assert!(!out.path().join("jad-see-2023").exists());
}

#[test]
fn build_says_where_it_wrote_and_what_it_found() {
    let out = tempfile::tempdir().unwrap();
    let result = opbrief(&[
        "build",
        &sample().to_string_lossy(),
        "--out",
        &out.path().to_string_lossy(),
    ]);
    let text = stdout(&result);
    assert!(
        text.contains("rev-001") && text.contains("2 errors") && !text.contains("warning"),
        "{text}"
    );
    let rev = out.path().join("jad-see-2023/rev-001");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(rev.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["revision"], 1);
    let findings = findings_in(&std::fs::read(rev.join("findings.json")).unwrap());
    assert_eq!(findings.len(), 2);
}

/// A SOURCE_DATE_EPOCH no workbook can store is refused by `check` as well
/// as `build`, naming the variable.
#[test]
fn an_unusable_source_date_epoch_is_refused_at_check() {
    let out = tempfile::tempdir().unwrap();
    let sample = sample().to_string_lossy().into_owned();
    let out = out.path().to_string_lossy().into_owned();
    for args in [
        vec!["check", &sample],
        vec!["build", &sample, "--out", &out],
    ] {
        let command = args[0];
        let result = std::process::Command::new(env!("CARGO_BIN_EXE_opbrief"))
            .args(&args)
            .env("SOURCE_DATE_EPOCH", "99999999999999")
            .output()
            .unwrap();
        assert_eq!(
            result.status.code(),
            Some(2),
            "{command}: {}",
            stderr(&result)
        );
        assert!(
            stderr(&result).contains("SOURCE_DATE_EPOCH must be"),
            "{}",
            stderr(&result)
        );
    }
}
