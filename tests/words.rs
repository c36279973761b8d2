//! The documents' words for operations unlike the sample: whatever the
//! catalogue, period and participants, no document says "0 countries",
//! "1 days", "in week" for a period that is not one, "not attributed" for a
//! partial breakdown, or leaves an empty heading; presentation mistakes are
//! input errors with file and line.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn pdftotext(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args([&pdf.to_string_lossy(), "-"])
        .output()
        .expect("pdftotext is needed (apt-get install poppler-utils)");
    assert!(output.status.success());
    // pdftotext prints the no-break space as a plain one; words joined by
    // single spaces (lines wrap).
    String::from_utf8_lossy(&output.stdout)
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The press release and the briefing's text of a fresh build.
fn documents(operation: &Path, out: &Path, id: &str) -> (String, String) {
    build_ok(operation, out);
    let rev = out.join(id).join("rev-001");
    let release = std::fs::read_to_string(rev.join("press-release.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    (release, pdftotext(&rev.join("briefing.pdf")))
}

/// Phrases no document may contain (SPEC.md, corpus section), plus the
/// fragments an empty value leaves behind.
fn assert_clean(text: &str, week: bool, shortfall: bool) {
    let mut bad = vec!["0 countries", " 1 days", "1 countries", " ,", ",.", "()"];
    if !week {
        bad.push("in week");
    }
    if !shortfall {
        bad.extend(["not attributed", "Not attributed"]);
    }
    for phrase in bad {
        assert!(!text.contains(phrase), "{phrase:?} in:\n{text}");
    }
}

/// A heading with nothing under it before the next heading or the end.
fn assert_no_empty_heading(release: &str) {
    let lines: Vec<&str> = release.lines().filter(|l| !l.trim().is_empty()).collect();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with('#') {
            let next = lines.get(i + 1);
            assert!(
                next.is_some_and(|n| !n.starts_with('#')),
                "empty section {line:?} in:\n{release}"
            );
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// An operation folder from operation.toml and one consolidated return.
fn operation(root: &Path, operation: &str, figures: &str) -> PathBuf {
    let dir = root.join("op");
    write(&dir.join("operation.toml"), operation);
    write(
        &dir.join("returns/consolidated.toml"),
        &format!("reporter = \"coordination\"\n\n[figures]\n{figures}"),
    );
    dir
}

#[test]
fn the_sample_keeps_its_figures_and_exactly_its_two_errors() {
    let check = opbrief(&["check", &sample().to_string_lossy(), "--format", "json"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let findings = findings_in(&check.stdout);
    let errors: Vec<(String, i64, i64)> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["metric"].as_str().unwrap().to_string(),
                f["stated"].as_i64().unwrap(),
                f["computed"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("arrests".to_string(), 566, 562),
            ("weapons".to_string(), 310, 307)
        ]
    );

    let out = tempfile::tempdir().unwrap();
    let (release, briefing) = documents(&sample(), out.path(), "jad-see-2023");
    assert!(
        release.starts_with("# 566 arrests in week of coordinated actions in Southern Europe\n"),
        "{release}"
    );
    for figure in [
        "22 488 officers involved",
        "163 investigations initiated",
        "121 new cases opened against criminal networks",
        "288 774 entities checked",
        "215 273 persons checked",
        "67 277 vehicles checked",
        "5 225 postal packages/parcels checked",
        "999 premises searched",
        "2 229 illegal entries detected",
        "566 arrests (218 related to migrant smuggling, 186 related to drug trafficking, 69 related to firearms trafficking, 89 related to other crimes",
        "114 forged documents identified",
        "310 weapons (84 automatic weapons, 65 pistols, 59 rifles, 22 grenade launchers, 16 revolvers, 7 carbines, 6 shotguns, 4 converted weapons, 2 air guns, 42 other",
        "20 206 pieces of ammunition",
        "almost 1 t of drugs, including 626 kg of cocaine and almost 300 kg cannabis",
        "120 targets identified online",
        "from 26 countries",
        "Between 13 and 18 November 2023, law enforcement authorities from 26 countries",
    ] {
        assert!(release.contains(figure), "{figure:?} not in:\n{release}");
    }
    // The catalogue's words for the exhaustive shortfalls.
    assert!(release.contains("4 not attributed to a crime area)"));
    assert!(release.contains("3 of unreported type)"));
    // The charts' titles come from the catalogue.
    for title in ["Arrests by crime area", "Weapons by type", "Drugs by type"] {
        assert!(briefing.contains(title), "{title} not in the briefing");
    }
    // Drugs are a partial breakdown: "including", never a gap.
    assert!(!briefing.contains("Drugs seized: almost 1 t in total;"));
    assert_clean(&release, true, true);
    assert_clean(&briefing, true, true);
    assert_no_empty_heading(&release);
}

const ONE_METRIC: &str = r#"id = "smoke"
name = "Operation Smoke"
start = 2024-06-04
end = 2024-06-04
marking = "PUBLIC"
catalogue = "none"

[[metrics]]
key = "cigarettes"
label = "Cigarettes seized"
phrase = "cigarettes seized"
noun = ["cigarette", "cigarettes"]
"#;

#[test]
fn one_metric_of_its_own_on_one_day_builds_and_reads_well() {
    let tmp = tempfile::tempdir().unwrap();
    let op = operation(tmp.path(), ONE_METRIC, "cigarettes = 67000\n");
    let check = opbrief(&["check", &op.to_string_lossy()]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let (release, briefing) = documents(&op, &tmp.path().join("out"), "smoke");
    assert!(
        release.starts_with("# 67 000 cigarettes seized in a one-day action\n"),
        "{release}"
    );
    assert!(
        release.contains("\nOn 4 June 2024, law enforcement authorities took part in Operation Smoke, a one-day action.\n"),
        "{release}"
    );
    assert!(briefing.contains("67 000"), "{briefing}");
    assert!(briefing.contains("Cigarettes seized"), "{briefing}");
    for text in [&release, &briefing] {
        assert_clean(text, false, false);
        // Nothing is known about countries: nothing is said about them.
        assert!(!text.contains("ountr"), "{text}");
        assert!(
            !text.contains("Operation Smoke (Operation Smoke)"),
            "{text}"
        );
        // Nothing to chart, no participants listed: no heading for them.
        assert!(!text.contains("Breakdowns"), "{text}");
        assert!(!text.contains("Participants"), "{text}");
    }
    assert_no_empty_heading(&release);
}

#[test]
fn a_partial_breakdown_is_not_drawn_or_worded_as_a_gap() {
    let tmp = tempfile::tempdir().unwrap();
    let text = r#"id = "partial"
name = "Operation Partial"
short_name = "OP"
start = 2024-03-04
end = 2024-03-24
marking = "PUBLIC"
countries = 12

[[metrics]]
key = "arrests"
label = "Arrests"
phrase = "arrests"
breakdown = "partial"
parts = [{ key = "drug_trafficking", label = "Drug trafficking", phrase = "for drug trafficking" }]
"#;
    let op = operation(
        tmp.path(),
        text,
        "[figures.arrests]\ntotal = 2000\ndrug_trafficking = 700\n",
    );
    let (release, briefing) = documents(&op, &tmp.path().join("out"), "partial");
    assert!(
        release.contains("2 000 arrests, including 700 for drug trafficking"),
        "{release}"
    );
    assert!(
        release.starts_with("# 2 000 arrests in three weeks of coordinated actions"),
        "{release}"
    );
    assert!(
        release.contains(
            "Between 4 and 24 March 2024, law enforcement authorities from 12 countries took part in Operation Partial (OP), three weeks of coordinated actions."
        ),
        "{release}"
    );
    for text in [&release, &briefing] {
        assert_clean(text, false, false);
        assert!(!text.contains("1 300"), "the rest is unstated: {text}");
    }
    assert_no_empty_heading(&release);
}

/// `opbrief check` on a folder that must not load; its stderr.
fn refused(op: &Path) -> String {
    let result = opbrief(&["check", &op.to_string_lossy()]);
    assert_eq!(result.status.code(), Some(2), "{}", stdout(&result));
    stderr(&result)
}

#[test]
fn presentation_mistakes_are_input_errors_with_line_and_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!("{ONE_METRIC}\n[presentation]\nheadline = \"cigarettess\"\n");
    let op = operation(tmp.path(), &text, "cigarettes = 5\n");
    let err = refused(&op);
    let line = line_of(&op.join("operation.toml"), "headline =");
    assert!(err.contains(&format!("operation.toml:{line}")), "{err}");
    assert!(err.contains("unknown metric `cigarettess`"), "{err}");
    assert!(err.contains("`cigarettes`"), "did you mean: {err}");

    let text = format!("{ONE_METRIC}\n[presentation]\ntiles = []\n");
    let op = operation(&tmp.path().join("b"), &text, "cigarettes = 5\n");
    assert!(refused(&op).contains("0 tiles; the briefing shows 1 to 6"));

    let text = format!("{ONE_METRIC}\n[presentation]\nheadlin = \"cigarettes\"\n");
    let op = operation(&tmp.path().join("c"), &text, "cigarettes = 5\n");
    let err = refused(&op);
    assert!(err.contains("unknown field `headlin`"), "{err}");
    assert!(err.contains("`headline`"), "{err}");
}

#[test]
fn catalogue_presentation_keys_are_validated() {
    let tmp = tempfile::tempdir().unwrap();
    let text = ONE_METRIC.replace(
        "noun = [\"cigarette\", \"cigarettes\"]",
        "noun = [\"cigarette\", \"cigarettes\", \"fags\"]",
    );
    let op = operation(tmp.path(), &text, "cigarettes = 5\n");
    let err = refused(&op);
    let line = line_of(&op.join("operation.toml"), "noun =");
    assert!(err.contains(&format!("operation.toml:{line}")), "{err}");
    assert!(err.contains("`noun` has 3 words"), "{err}");

    let text = ONE_METRIC.replace("noun = [\"cigarette\", \"cigarettes\"]", "noun = [\"\"]");
    let op = operation(&tmp.path().join("b"), &text, "cigarettes = 5\n");
    assert!(refused(&op).contains("a noun cannot be empty"));

    let text = ONE_METRIC.replace("noun =", "chart_tittle = \"By type\"\nnoun =");
    let op = operation(&tmp.path().join("c"), &text, "cigarettes = 5\n");
    let err = refused(&op);
    assert!(err.contains("unknown field `chart_tittle`"), "{err}");
    assert!(err.contains("`chart_title`"), "did you mean: {err}");

    // Every new key is accepted, and a single noun serves both numbers.
    let text = ONE_METRIC.replace(
        "noun = [\"cigarette\", \"cigarettes\"]",
        "noun = [\"tobacco\"]\nphrase_one = \"cigarette seized\"\nchart_title = \"Cigarettes\"\naliases = [\"cigs\"]\nremainder = \"of unknown brand\"",
    );
    // A return may write the noun where a unit would go.
    let op = operation(&tmp.path().join("d"), &text, "cigarettes = \"1 tobacco\"\n");
    let (release, _) = documents(&op, &tmp.path().join("d/out"), "smoke");
    assert!(release.starts_with("# 1 cigarette seized in"), "{release}");
}

#[test]
fn layout_and_template_overrides_are_checked_at_load() {
    let tmp = tempfile::tempdir().unwrap();
    let op = operation(tmp.path(), ONE_METRIC, "cigarettes = 5\n");
    write(
        &op.join("templates/briefing.toml"),
        "sections = [\"summary\", \"chart\"]\ntiles = [\"cigarets\"]\n",
    );
    let err = refused(&op);
    assert!(err.contains("briefing.toml:1"), "{err}");
    assert!(err.contains("unknown section `chart`"), "{err}");
    assert!(err.contains("`charts`"), "did you mean: {err}");
    assert!(err.contains("briefing.toml:2"), "{err}");
    assert!(err.contains("unknown metric `cigarets`"), "{err}");

    // A valid override is used: tiles and sections as it says.
    write(
        &op.join("templates/briefing.toml"),
        "sections = [\"key-figures\", \"sources\"]\ntiles = [\"cigarettes\"]\n",
    );
    let (_, briefing) = documents(&op, &tmp.path().join("out"), "smoke");
    assert!(!briefing.contains("Summary"), "{briefing}");
    assert!(briefing.contains("Sources"), "{briefing}");

    // A misspelt template override would be silently ignored: an error.
    write(&op.join("templates/text/headlines.j2"), "{{ op.name }}\n");
    let err = refused(&op);
    assert!(
        err.contains("headlines.j2 is not a template opbrief uses"),
        "{err}"
    );
    assert!(err.contains("`headline.j2`"), "{err}");
    std::fs::remove_file(op.join("templates/text/headlines.j2")).unwrap();

    // A syntax error names the override's file and line at check time.
    write(
        &op.join("templates/text/lead.j2"),
        "Fine.\n{% if op.name %}unclosed\n",
    );
    let err = refused(&op);
    assert!(err.contains("templates/text/lead.j2:"), "{err}");
    assert!(err.contains("template lead.j2: syntax error"), "{err}");
}
