//! Units: parts declared in another unit of their total's dimension are
//! converted before summing (tests/fixtures/mixed-units: t, g and kg parts
//! under a kg total).

mod common;

use common::{fixture, opbrief};
use serde_json::Value;

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
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    // 1.2 t + 500 g + 300 kg = 1 500.5 kg, as stated.
    assert!(findings.is_empty(), "{findings:#?}");
}
