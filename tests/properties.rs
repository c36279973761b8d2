//! Properties over generated operations: what is summed and built does not
//! depend on file names or the order files are written in, and interval
//! sums hold every exact sum of points inside them.
//!
//! Case counts are kept small: the suite runs on two shared cores.

mod common;

use common::*;
use opbrief::model::{Amount, Interval, Qualifier, Quantity};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

const OPERATION: &str = r#"id = "prop"
name = "Property test operation"
start = 2024-03-04
end = 2024-03-06
marking = "PUBLIC"
countries = 4

[[groups]]
label = "EU Member States"
kind = "eu-member-states"
members = ["Austria", "Greece"]

[[groups]]
label = "Non-EU countries"
kind = "non-eu-countries"
members = ["Serbia", "Albania"]
"#;

const REPORTERS: [&str; 5] = ["Austria", "Greece", "Serbia", "Albania", "coordination"];
const DAYS: [&str; 3] = ["2024-03-04", "2024-03-05", "2024-03-06"];
/// (TOML path of the figure, whether it takes decimals).
const METRICS: [(&str, bool); 6] = [
    ("officers", false),
    ("arrests.total", false),
    ("arrests.migrant_smuggling", false),
    ("arrests.drug_trafficking", false),
    ("drugs.cocaine", true),
    ("entities_checked.persons", false),
];
const QUALIFIERS: [&str; 4] = ["", "almost ", "about ", "more than "];

/// One return as generated: reporter, day, figures (metric, amount, qualifier).
#[derive(Clone, Debug)]
struct GenReturn {
    reporter: usize,
    day: Option<usize>,
    figures: BTreeMap<usize, (u32, usize)>,
}

impl GenReturn {
    fn toml(&self) -> String {
        let mut text = format!("reporter = \"{}\"\n", REPORTERS[self.reporter]);
        if let Some(day) = self.day {
            text.push_str(&format!("day = {}\n", DAYS[day]));
        }
        // Group figures by their table so each [figures.x] appears once.
        let mut tables: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (&metric, &(amount, qualifier)) in &self.figures {
            let (path, decimal) = METRICS[metric];
            let (table, key) = path.rsplit_once('.').unwrap_or(("", path));
            let number = if decimal {
                format!("{}.{:03}", amount / 1000, amount % 1000)
            } else {
                amount.to_string()
            };
            let value = match QUALIFIERS[qualifier] {
                "" if !decimal => number,
                word => format!("\"{word}{number}\""),
            };
            tables
                .entry(table)
                .or_default()
                .push(format!("{key} = {value}"));
        }
        text.push_str("\n[figures]\n");
        for line in tables.remove("").unwrap_or_default() {
            text.push_str(&format!("{line}\n"));
        }
        for (table, lines) in tables {
            text.push_str(&format!("\n[figures.{table}]\n{}\n", lines.join("\n")));
        }
        text
    }
}

fn gen_return() -> impl Strategy<Value = GenReturn> {
    (
        0..REPORTERS.len(),
        proptest::option::of(0..DAYS.len()),
        proptest::collection::btree_map(
            0..METRICS.len(),
            (0u32..100_000, 0..QUALIFIERS.len()),
            1..5,
        ),
    )
        .prop_map(|(reporter, day, figures)| GenReturn {
            reporter,
            day,
            figures,
        })
}

/// Returns with distinct (reporter, day), and a permutation of their names.
fn gen_operation() -> impl Strategy<Value = (Vec<GenReturn>, Vec<usize>)> {
    proptest::collection::vec(gen_return(), 1..10)
        .prop_map(|returns| {
            let mut seen = std::collections::BTreeSet::new();
            returns
                .into_iter()
                .filter(|r| seen.insert((r.reporter, r.day)))
                .collect::<Vec<_>>()
        })
        .prop_flat_map(|returns| {
            let n = returns.len();
            (
                Just(returns),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
}

/// Writes the folder: return `i` goes to `returns/r{names[i]}.toml`, in the
/// order `write_order` gives.
fn write_operation(dir: &Path, returns: &[GenReturn], names: &[usize], write_order: &[usize]) {
    std::fs::create_dir_all(dir.join("returns")).unwrap();
    std::fs::write(dir.join("operation.toml"), OPERATION).unwrap();
    for &i in write_order {
        std::fs::write(
            dir.join(format!("returns/r{:03}.toml", names[i])),
            returns[i].toml(),
        )
        .unwrap();
    }
}

/// Everything summed and found, without the file names it came from.
fn outcome(dir: &Path) -> Result<String, String> {
    let checked = opbrief::pipeline::check(dir).map_err(|error| match error {
        opbrief::error::Error::Load(f) => {
            // Errors name files: keep only their messages.
            let mut messages: Vec<String> = f.errors.iter().map(|e| e.message.clone()).collect();
            messages.sort();
            messages.join("\n")
        }
        opbrief::error::Error::Overflow { overflow, .. } => overflow.metric,
        other => other.to_string(),
    })?;
    let (op, totals, findings) = (&checked.op, &checked.totals, &checked.findings);
    let mut out = String::new();
    for metric in op.catalogue.iter() {
        let total = totals.metric(metric.id);
        if let Some(value) = &total.value {
            out.push_str(&format!(
                "{} {:?} {:?} {:?} parts={:?} diff={:?}\n",
                metric.key,
                value.interval,
                value.shown,
                value.origin,
                total.parts_sum,
                total.difference
            ));
        }
    }
    for reporter in &totals.reporters {
        out.push_str(&format!(
            "{} {:?}\n",
            op.participants[reporter.participant.0].name, reporter.values
        ));
    }
    for day in &totals.days {
        out.push_str(&format!("{} {:?}\n", day.day, day.values));
    }
    let mut found: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {:?} {:?} {:?} {:?} {}",
                f.code.key(),
                f.severity.key(),
                f.metric(op).map(|id| &op.catalogue.get(id).key),
                f.stated,
                f.computed,
                f.difference,
                opbrief::check::wording::message(op, f)
            )
        })
        .collect();
    found.sort();
    out.push_str(&found.join("\n"));
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The same returns under shuffled file names, written in another
    /// order, give the same totals and findings.
    #[test]
    fn totals_do_not_depend_on_file_names_or_order((returns, names) in gen_operation()) {
        let tmp = tempfile::tempdir().unwrap();
        let in_order: Vec<usize> = (0..returns.len()).collect();
        let reversed: Vec<usize> = in_order.iter().rev().copied().collect();
        write_operation(&tmp.path().join("a"), &returns, &in_order, &in_order);
        write_operation(&tmp.path().join("b"), &returns, &names, &reversed);
        prop_assert_eq!(outcome(&tmp.path().join("a")), outcome(&tmp.path().join("b")));
    }
}

/// A quantity and a point inside its interval, as fractions of the margin.
fn quantity_and_point() -> impl Strategy<Value = (Quantity, Amount)> {
    (
        0u64..1_000_000_000,
        0u128..1_000_000,
        prop::sample::select(vec![
            Qualifier::Exact,
            Qualifier::Almost,
            Qualifier::Nearly,
            Qualifier::About,
            Qualifier::Around,
            Qualifier::MoreThan,
            Qualifier::Over,
            Qualifier::AtLeast,
        ]),
        0u128..=1000,
        0u128..1_000_000_000_000,
    )
        .prop_map(|(units, micros, qualifier, per_mille, above)| {
            let amount = Amount::from_micros(u128::from(units) * 1_000_000 + micros)
                .expect("small amounts fit");
            let quantity = Quantity { amount, qualifier };
            let interval = quantity.interval();
            let point = match interval.high {
                Some(high) => {
                    let span = high.micros() - interval.low.micros();
                    interval.low.micros() + span * per_mille / 1000
                }
                None => interval.low.micros() + above,
            };
            (quantity, Amount::from_micros(point).expect("fits"))
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Summing intervals never excludes a sum of values each figure admits.
    #[test]
    fn interval_sums_contain_every_exact_sum(items in proptest::collection::vec(quantity_and_point(), 1..12)) {
        let mut sum = Interval::point(Amount::ZERO);
        let mut exact = Amount::ZERO;
        for (quantity, point) in &items {
            prop_assert!(quantity.interval().contains(*point));
            sum = sum.checked_add(quantity.interval()).expect("no overflow at these sizes");
            exact = exact.checked_add(*point).expect("no overflow at these sizes");
        }
        prop_assert!(sum.contains(exact), "{sum:?} does not hold {exact:?}");
    }
}

/// Every output of a build, by path inside the revision.
fn outputs(revision: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                into.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(revision, revision, &mut files);
    files
}

/// Builds `<dir>/op` into `<dir>/out` from inside `dir`: relative paths, so
/// the documents name the same files whatever `dir` is.
fn build_revision(dir: &Path) -> Option<std::path::PathBuf> {
    let result = opbrief_in(dir, &["build", "op", "--out", "out"]);
    if result.status.code() != Some(0) {
        return None;
    }
    Some(dir.join("out/prop/rev-001"))
}

/// The figures of figures.json, without the files they came from.
fn figures_without_files(revision: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(revision.join("figures.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    if let Some(figures) = json["figures"].as_array_mut() {
        for figure in figures {
            if let Some(object) = figure.as_object_mut() {
                // What names files: the list, each file's part, and the
                // return a correction sets.
                object.remove("files");
                object.remove("by_file");
                if let Some(corrections) =
                    object.get_mut("corrections").and_then(|c| c.as_array_mut())
                {
                    for correction in corrections {
                        if let Some(c) = correction.as_object_mut() {
                            c.remove("applies_to");
                        }
                    }
                }
            }
        }
    }
    json
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Same files written in another order: every output byte-identical.
    /// Same contents under other names: the same press release and figures
    /// (only what names files may differ).
    #[test]
    fn builds_do_not_depend_on_file_names_or_order((returns, names) in gen_operation()) {
        let tmp = tempfile::tempdir().unwrap();
        let in_order: Vec<usize> = (0..returns.len()).collect();
        let reversed: Vec<usize> = in_order.iter().rev().copied().collect();
        for (folder, names, order) in [("a", &in_order, &in_order), ("b", &in_order, &reversed), ("c", &names, &reversed)] {
            write_operation(&tmp.path().join(folder).join("op"), &returns, names, order);
        }
        let built: Vec<Option<std::path::PathBuf>> = ["a", "b", "c"]
            .iter()
            .map(|f| build_revision(&tmp.path().join(f)))
            .collect();
        // Input errors (e.g. overlapping returns are fine, a bad mix is not)
        // must fail alike.
        prop_assert_eq!(built[0].is_some(), built[1].is_some());
        prop_assert_eq!(built[0].is_some(), built[2].is_some());
        if let [Some(a), Some(b), Some(c)] = built.as_slice() {
            prop_assert!(outputs(a) == outputs(b), "same names, other write order");
            let release = |dir: &Path| std::fs::read(dir.join("press-release.md")).unwrap();
            prop_assert_eq!(release(a), release(c));
            prop_assert_eq!(figures_without_files(a), figures_without_files(c));
        }
    }
}
