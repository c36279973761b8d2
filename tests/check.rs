//! `opbrief check` end to end: the sample, a multi-return operation, bad input.

mod common;

use common::*;
use serde_json::Value;

fn findings_json(dir: &std::path::Path) -> (i32, Vec<Value>) {
    let out = opbrief(&["check", &dir.to_string_lossy(), "--format", "json"]);
    (out.status.code().unwrap_or(-1), findings_in(&out.stdout))
}

fn errors(findings: &[Value]) -> Vec<&Value> {
    findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect()
}

#[test]
fn sample_has_exactly_the_two_published_inconsistencies() {
    let (code, findings) = findings_json(&sample());
    assert_eq!(code, 1, "errors make check exit 1");
    let errors = errors(&findings);
    assert_eq!(errors.len(), 2, "{findings:#?}");
    // The drugs "including" list (626 kg + almost 300 kg under almost 1 t)
    // holds by its nominal figures: no warning either.
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let consolidated = sample().join("returns/consolidated.toml");
    let expected = [
        ("arrests", 566, 562, 4, "total = 566"),
        ("weapons", 310, 307, 3, "total = 310"),
    ];
    for (error, (metric, stated, computed, difference, line)) in errors.iter().zip(expected) {
        assert_eq!(error["code"], "parts-differ-from-total");
        assert_eq!(error["metric"], metric);
        assert_eq!(error["stated"], stated);
        assert_eq!(error["computed"], computed);
        assert_eq!(error["difference"], difference);
        let location = &error["locations"][0];
        assert!(
            location["file"]
                .as_str()
                .unwrap()
                .ends_with("returns/consolidated.toml")
        );
        assert_eq!(location["line"], line_of(&consolidated, line));
        assert_eq!(location["column"], 9);
    }
}

#[test]
fn sample_text_output_points_at_the_source_line() {
    let out = opbrief(&["check", &sample().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains(
        "error[parts-differ-from-total]: Arrests: stated 566 but its parts add up to 562"
    ));
    assert!(text.contains("total = 566"), "the source line is quoted");
    assert!(text.contains("^^^ stated here"), "a caret marks the figure");
    assert!(text.contains("2 errors"));
}

#[test]
fn multi_return_operation_reports_exact_findings() {
    let dir = fixture("multi-return");
    let (code, findings) = findings_json(&dir);
    assert_eq!(code, 1);
    let summary: Vec<(String, String, Option<String>)> = findings
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
                f["metric"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "error".into(),
                "returns-differ-from-consolidated".into(),
                Some("arrests".into())
            ),
            ("warning".into(), "missing-return".into(), None),
            (
                "warning".into(),
                "implausible-day-figure".into(),
                Some("entities_checked.persons".into())
            ),
        ]
    );
    let consolidated = &findings[0];
    assert_eq!(consolidated["stated"], 50);
    assert_eq!(consolidated["computed"], 48);
    assert_eq!(consolidated["difference"], 2);
    // The consolidated figure first, then each of the nine daily figures.
    let locations = consolidated["locations"].as_array().unwrap();
    assert_eq!(locations.len(), 10);
    assert_eq!(
        locations[0]["line"],
        line_of(&dir.join("returns/consolidated.toml"), "total = 50")
    );
    let implausible = &findings[2];
    assert_eq!(implausible["stated"], 11500);
    assert!(
        implausible["locations"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("serbia-2024-03-05.toml")
    );
    assert!(findings[1]["message"].as_str().unwrap().contains("Croatia"));
}

#[test]
fn init_writes_a_folder_that_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("jad-2026");
    let out = opbrief(&["init", &dir.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = opbrief(&["check", &dir.to_string_lossy()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("no findings"), "{}", stdout(&out));
    let again = opbrief(&["init", &dir.to_string_lossy()]);
    assert_eq!(again.status.code(), Some(2), "init never overwrites");
}

#[test]
fn help_lists_the_subcommands() {
    let out = opbrief(&["--help"]);
    let text = stdout(&out);
    for command in ["check", "init"] {
        assert!(text.contains(command), "{text}");
    }
}

#[test]
fn participant_and_declared_rules_are_checked() {
    let (code, findings) = findings_json(&fixture("rule-kinds"));
    assert_eq!(code, 1);
    let codes: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["severity"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("error", "country-count-mismatch"),
            ("error", "not-an-eu-member-state"),
            ("error", "not-an-eu-member-state"),
            ("error", "eu-member-state-outside-eu-group"),
            ("error", "overlapping-returns"),
            ("error", "rule-violated"),
            ("warning", "missing-return"),
            ("warning", "missing-return"),
        ]
    );
    let message = |i: usize| findings[i]["message"].as_str().unwrap().to_string();
    assert!(message(0).contains("claims 5 countries but lists 4"));
    assert!(message(1).contains("United Kingdom") && message(1).contains("2023-11-13"));
    assert!(message(2).contains("did you mean `Germany`?"));
    assert!(message(3).contains("France"));
    assert_eq!(findings[5]["stated"], 40);
    assert_eq!(findings[5]["computed"], 30);
    assert!(message(5).contains("should be at most Persons"));
    // 1 040 packs against 1 000 cigarettes is inside the rule's 5 % tolerance,
    // and the inherited arrests rule was switched off.
    assert!(
        !findings
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("packs-within"))
    );
}

/// A correction dated long after the release (or before the action) is
/// most likely a mistyped year: a warning.
#[test]
fn a_correction_dated_years_later_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    copy_dir(&sample(), &op);
    std::fs::create_dir_all(op.join("corrections")).unwrap();
    std::fs::write(
        op.join("corrections/late.toml"),
        "[[corrections]]\ndate = 2032-11-30\nreporter = \"coordination\"\nmetric = \"arrests.other\"\nfrom = 89\nto = 93\nreason = \"Four arrests reported late\"\nrequested_by = \"Italy\"\n",
    )
    .unwrap();
    let (_, findings) = findings_json(&op);
    let dated: Vec<&Value> = findings
        .iter()
        .filter(|f| f["code"] == "implausible-correction-date")
        .collect();
    assert_eq!(dated.len(), 1, "{findings:#?}");
    assert_eq!(dated[0]["severity"], "warning");
    assert_eq!(dated[0]["metric"], "arrests.other");
    let message = dated[0]["message"].as_str().unwrap();
    assert!(
        message.contains(
            "dated 2032-11-30, more than a year after the figures were published (2023-11-24)"
        ),
        "{message}"
    );
    assert_eq!(dated[0]["locations"][0]["file"], "corrections/late.toml");
}
