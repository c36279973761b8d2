//! The promise `check` makes: when it exits 0 or 1 (the folder could be
//! read; the figures may have errors), `build` into a writable folder
//! succeeds. Tried on every operation folder in the repository and on
//! generated operations unlike the sample: one day to a year, one metric
//! with `catalogue = "none"` or the default catalogue, money in any
//! currency, participants listed, only counted, or not known at all.

mod common;

use common::*;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// `check`, then, if it could read the folder, `build`; the failure, if any.
fn check_then_build(dir: &Path) -> Result<(), String> {
    let check = opbrief(&["check", &dir.to_string_lossy()]);
    match check.status.code() {
        Some(0 | 1) => {}
        _ => return Ok(()),
    }
    let out = tempfile::tempdir().map_err(|e| e.to_string())?;
    let build = opbrief(&[
        "build",
        &dir.to_string_lossy(),
        "--out",
        &out.path().to_string_lossy(),
    ]);
    if build.status.code() == Some(0) {
        Ok(())
    } else {
        Err(format!(
            "{}: check exited {:?} but build exited {:?}:\n{}{}",
            dir.display(),
            check.status.code(),
            build.status.code(),
            stdout(&build),
            stderr(&build)
        ))
    }
}

/// Every folder with an operation.toml under `root`, one level down.
fn operations_under(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("operation.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_operation_in_the_repository_that_checks_builds() {
    let repo = repo();
    let mut dirs = Vec::new();
    for root in ["data", "tests/fixtures", "tests/corpus", "tests/hostile"] {
        dirs.extend(operations_under(&repo.join(root)));
    }
    assert!(dirs.len() >= 4, "found only {dirs:?}");
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|dir| check_then_build(dir).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A generated operation: its shape and one return of coordinated figures.
#[derive(Clone, Debug)]
struct Shape {
    days: i64,
    /// 0: the default catalogue; 1: `catalogue = "none"` with one metric.
    catalogue: usize,
    unit: &'static str,
    /// 0: listed groups; 1: a claimed count only; 2: nothing said.
    participants: usize,
    qualifier: &'static str,
    amount: u32,
    short_name: bool,
}

impl Shape {
    fn operation_toml(&self) -> String {
        let start = time::macros::date!(2024 - 01 - 01);
        let end = start + time::Duration::days(self.days - 1);
        let mut text = format!(
            "id = \"generated\"\nname = \"Generated Operation\"\nstart = {start}\nend = {end}\nmarking = \"PUBLIC\"\n"
        );
        if self.short_name {
            text.push_str("short_name = \"GO\"\n");
        }
        if self.catalogue == 1 {
            text.push_str("catalogue = \"none\"\n");
        }
        match self.participants {
            0 => text.push_str(
                "countries = 3\n\n[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\nmembers = [\"Austria\", \"Greece\"]\n\n[[groups]]\nlabel = \"Non-EU countries\"\nkind = \"non-eu-countries\"\nmembers = [\"Serbia\"]\n",
            ),
            1 => text.push_str("countries = 16\n"),
            _ => {}
        }
        text.push_str(&format!(
            "\n[[metrics]]\nkey = \"seized\"\nlabel = \"Seized\"\nphrase = \"seized\"\nunit = \"{}\"\n",
            self.unit
        ));
        text
    }

    fn return_toml(&self) -> String {
        let value = format!("{}{} {}", self.qualifier, self.amount, self.unit);
        let mut text = format!("reporter = \"coordination\"\n\n[figures]\nseized = \"{value}\"\n");
        if self.catalogue == 0 {
            text.push_str(&format!(
                "officers = \"{}{}\"\n\n[figures.arrests]\ntotal = {}\ndrug_trafficking = {}\n",
                self.qualifier,
                self.amount,
                self.amount / 7 + 1,
                self.amount / 9,
            ));
        }
        text
    }
}

fn shapes() -> impl Strategy<Value = Shape> {
    (
        prop_oneof![
            Just(1i64),
            Just(3),
            Just(5),
            Just(7),
            Just(12),
            Just(21),
            Just(150),
            Just(366)
        ],
        0..2usize,
        prop_oneof![
            Just("count"),
            Just("kg"),
            Just("EUR"),
            Just("USD"),
            Just("m3")
        ],
        0..3usize,
        prop_oneof![
            Just(""),
            Just("almost "),
            Just("more than "),
            Just("about ")
        ],
        0u32..5_000_000,
        any::<bool>(),
    )
        .prop_map(
            |(days, catalogue, unit, participants, qualifier, amount, short_name)| Shape {
                days,
                catalogue,
                unit,
                participants,
                qualifier,
                amount,
                short_name,
            },
        )
}

proptest! {
    // Each case runs the binary twice: a few dozen cases on two cores.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_generated_operation_that_checks_builds(shape in shapes()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("returns")).unwrap();
        std::fs::write(dir.path().join("operation.toml"), shape.operation_toml()).unwrap();
        std::fs::write(dir.path().join("returns/consolidated.toml"), shape.return_toml()).unwrap();
        let check = opbrief(&["check", &dir.path().to_string_lossy()]);
        // The generator writes only valid folders: check must read them.
        prop_assert!(
            matches!(check.status.code(), Some(0 | 1)),
            "{}\n{}{}", shape.operation_toml(), stdout(&check), stderr(&check)
        );
        let result = check_then_build(dir.path());
        prop_assert!(result.is_ok(), "{}\n{}", shape.operation_toml(), result.err().unwrap_or_default());
    }
}
