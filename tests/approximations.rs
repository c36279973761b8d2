//! Approximate figures, honestly: sums keep their nominal value and a
//! qualifier from a fixed table, print with at most three significant
//! digits, and checks judge nominal values first (tests/fixtures/approximate).

mod common;

use common::{build_ok, findings_in, fixture, opbrief};

#[test]
fn only_the_approximation_warning_is_found() {
    let out = opbrief(&[
        "check",
        &fixture("approximate").to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "warnings only");
    let findings = findings_in(&out.stdout);
    // "around 100 000 … including 95 000" and "more than 500 t, including
    // over 40 t" hold as published; "about 100" arrests over 60 + 38 only
    // by the approximation.
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let warning = &findings[0];
    assert_eq!(warning["code"], "parts-differ-from-total");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["metric"], "arrests");
    // For machines: the nominal value beside the interval, as numbers.
    assert_eq!(
        warning["stated"],
        serde_json::json!({ "value": 100, "qualifier": "about", "low": 90, "high": 110 })
    );
    assert_eq!(warning["computed"], 98);
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .ends_with("may be explained by the approximations"),
        "{warning}"
    );
}

#[test]
fn sums_are_published_by_their_nominal_value() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("approximate"), out.path());
    let release = std::fs::read_to_string(out.path().join("approximate/rev-001/press-release.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    for phrase in [
        // about 300 000 + about 374 000: the nominal sum, not the interval's top.
        "about EUR 674 000 in fines",
        "USD 130 million in virtual assets seized",
        // 2.5 m³ + 1 500 l
        "4 m³ of fuel seized",
        "67.25 million cigarettes",
        "around 100 000 inspections, including 95 000 persons",
        // as written, in the unit of the total's display
        "more than 500 t of pesticides seized, including over 40 t of insecticides",
        // more than 100.5609 t + 78 t: three significant digits, rounded
        // down so that "more than" stays true.
        "more than 178 t of charcoal",
    ] {
        assert!(release.contains(phrase), "{phrase:?} not in:\n{release}");
    }
    for wrong in ["741", "706", "178.5", "≥"] {
        assert!(!release.contains(wrong), "{wrong:?} in:\n{release}");
    }
}
