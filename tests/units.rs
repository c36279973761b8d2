//! Units: parts declared in another unit of their total's dimension are
//! converted before summing (tests/fixtures/mixed-units: t, g and kg parts
//! under a kg total).

mod common;

use common::{build_ok, fixture, opbrief};

#[test]
fn a_consistent_mixed_unit_breakdown_has_no_finding() {
    let out = opbrief(&[
        "check",
        &fixture("mixed-units").to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings = common::findings_in(&out.stdout);
    // 1.2 t + 500 g + 300 kg = 1 500.5 kg, as stated.
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn parts_are_printed_in_the_units_they_were_declared_in() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("mixed-units"), out.path());
    let release = std::fs::read_to_string(out.path().join("mixed-units/rev-001/press-release.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(
        release.contains(
            "1 500.5 kg of drugs (1.2 t of cocaine, 500 g of heroin, 300 kg of cannabis)"
        ),
        "{release}"
    );
}

/// TOML reads `12345678901234567.5` as the nearest double,
/// 12345678901234568; the figure keeps the digits the file wrote.
#[test]
fn a_decimal_is_read_from_its_digits_not_through_a_float() {
    let dir = common::repo().join("tests/hostile/float-digits-kept");
    let checked = opbrief::pipeline::check(&dir).unwrap();
    let id = checked.op.catalogue.find("drugs.cocaine").unwrap();
    let value = checked.totals.metric(id).value.as_ref().unwrap();
    assert_eq!(value.nominal.amount.to_string(), "12345678901234567.5");
}
