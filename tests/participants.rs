//! Participants as releases give them: a count without a list, counts per
//! group, one list of countries of any membership, name forms of one
//! country, and `[part_of]` for sub-national reporters.

mod common;

use common::*;
use opbrief::model::{GroupCount, GroupKind, Operation, Participation, Reporter};
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

/// An operation folder with `body` after the identity keys and one
/// consolidated return; more returns as (file name, text).
fn operation(period: (&str, &str), body: &str, returns: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "id = \"participants\"\nname = \"Participants test\"\nstart = {}\nend = {}\nmarking = \"PUBLIC\"\n{body}",
        period.0, period.1
    );
    std::fs::write(dir.path().join("operation.toml"), text).unwrap();
    std::fs::create_dir(dir.path().join("returns")).unwrap();
    std::fs::write(
        dir.path().join("returns/consolidated.toml"),
        "reporter = \"coordination\"\n[figures]\narrests = 17\n",
    )
    .unwrap();
    for (name, text) in returns {
        std::fs::write(dir.path().join("returns").join(name), text).unwrap();
    }
    dir
}

const Y2023: (&str, &str) = ("2023-11-13", "2023-11-18");

/// Exit code and findings as (code, message) of `check --format json`.
fn check(dir: &Path) -> (i32, Vec<(String, String)>, Vec<Value>) {
    let out = opbrief(&["check", &dir.to_string_lossy(), "--format", "json"]);
    let findings = findings_in(&out.stdout);
    let codes = findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code().unwrap_or(-1), codes, findings)
}

/// `check` on a folder that must not load: its stderr.
fn input_errors(dir: &Path) -> String {
    let out = opbrief(&["check", &dir.to_string_lossy()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{}{err}", stdout(&out));
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn load(dir: &Path) -> Operation {
    opbrief::load::load(dir).unwrap_or_else(|e| panic!("{e}"))
}

/// A group count, without comparing its member ids.
fn group(label: &str, kind: GroupKind, count: u64) -> (String, GroupKind, u64) {
    (label.to_string(), kind, count)
}

fn groups(op: &Operation) -> Vec<(String, GroupKind, u64)> {
    op.participation()
        .groups
        .into_iter()
        .map(
            |GroupCount {
                 label, kind, count, ..
             }| (label, kind, count),
        )
        .collect()
}

/// The names of a group count's members.
fn member_names(op: &Operation, index: usize) -> Vec<String> {
    op.participation().groups[index]
        .members
        .iter()
        .map(|&id| op.participant(id).name.clone())
        .collect()
}

#[test]
fn a_count_without_a_list_is_not_compared_and_is_printed_as_claimed() {
    let dir = operation(
        Y2023,
        "countries = 16\n\n[[groups]]\nlabel = \"EU agencies\"\nkind = \"eu-agencies\"\nmembers = [\"Europol\"]\n",
        &[],
    );
    let (code, findings, _) = check(dir.path());
    assert_eq!((code, findings), (0, vec![]));
    let op = load(dir.path());
    assert_eq!(
        op.participation(),
        Participation {
            countries: Some(16),
            noun: "countries".into(),
            groups: vec![],
        }
    );
}

#[test]
fn nothing_known_about_countries_says_nothing() {
    let dir = operation(Y2023, "", &[]);
    assert_eq!(load(dir.path()).participation().countries, None);
}

#[test]
fn a_listed_count_is_still_compared_with_the_list() {
    let dir = operation(
        Y2023,
        "countries = 3\n\n[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\nmembers = [\"Austria\", \"Spain\"]\n",
        &[],
    );
    let (code, findings, json) = check(dir.path());
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].0, "country-count-mismatch");
    assert!(findings[0].1.contains("claims 3 countries but lists 2"));
    assert_eq!(json[0]["difference"], 1);
}

#[test]
fn group_counts_are_compared_with_their_lists_and_the_total() {
    let listed = "[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\ncount = 12\nmembers = [\"Austria\", \"Spain\", \"Italy\"]\n\n[[groups]]\nlabel = \"non-EU countries\"\nkind = \"non-eu-countries\"\ncount = 9\n";
    // 12 + 9 = 21 as claimed; only the EU group's list falls short.
    let dir = operation(Y2023, &format!("countries = 21\n{listed}"), &[]);
    let (code, findings, json) = check(dir.path());
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].0, "group-count-mismatch");
    assert!(
        findings[0]
            .1
            .contains("“EU Member States” claims 12 but lists 3"),
        "{}",
        findings[0].1
    );
    assert_eq!(
        (json[0]["stated"].clone(), json[0]["computed"].clone()),
        (12.into(), 3.into())
    );
    let count_line = line_of(&dir.path().join("operation.toml"), "count = 12");
    assert_eq!(json[0]["locations"][0]["line"], count_line);

    // The groups' counts against a different total.
    let dir = operation(Y2023, &format!("countries = 22\n{listed}"), &[]);
    let (_, findings, _) = check(dir.path());
    let codes: Vec<&str> = findings.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(codes, ["country-count-mismatch", "group-count-mismatch"]);
    assert!(
        findings[0]
            .1
            .contains("claims 22 countries but its country groups count 21")
    );

    // Counts alone: no list to compare, the total is their sum.
    let dir = operation(
        Y2023,
        "[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\ncount = 12\n\n[[groups]]\nlabel = \"non-EU countries\"\nkind = \"non-eu-countries\"\ncount = 9\n",
        &[],
    );
    assert_eq!(check(dir.path()).0, 0);
    let op = load(dir.path());
    assert_eq!(op.participation().countries, Some(21));
    assert_eq!(
        groups(&op),
        [
            group("EU Member States", GroupKind::EuMemberStates, 12),
            group("non-EU countries", GroupKind::NonEuCountries, 9),
        ]
    );
}

#[test]
fn a_group_needs_members_or_a_count() {
    let dir = operation(
        Y2023,
        "[[groups]]\nlabel = \"Partners\"\nkind = \"partners\"\n",
        &[],
    );
    let err = input_errors(dir.path());
    assert!(err.contains("neither members nor a count"), "{err}");
}

#[test]
fn one_list_of_countries_is_split_by_eu_membership_at_the_dates() {
    let body = "[[groups]]\nlabel = \"Participating countries\"\nkind = \"countries\"\nmembers = [\"Austria\", \"the UK\", \"Norway\", \"Germany\", \"Borduria\"]\n";
    let in_2019 = operation(("2019-04-08", "2019-04-14"), body, &[]);
    let (code, findings, _) = check(in_2019.path());
    assert_eq!((code, findings), (0, vec![]), "any membership is fine");
    let op = load(in_2019.path());
    assert_eq!(op.participation().countries, Some(5));
    assert_eq!(
        groups(&op),
        [
            group("EU Member States", GroupKind::EuMemberStates, 3),
            group("non-EU countries", GroupKind::NonEuCountries, 2),
        ]
    );
    assert_eq!(member_names(&op, 0), ["Austria", "the UK", "Germany"]);
    assert_eq!(member_names(&op, 1), ["Norway", "Borduria"]);
    let in_2021 = operation(("2021-04-08", "2021-04-14"), body, &[]);
    let op = load(in_2021.path());
    assert_eq!(member_names(&op, 1), ["the UK", "Norway", "Borduria"]);
    assert_eq!(
        groups(&op),
        [
            group("EU Member States", GroupKind::EuMemberStates, 2),
            group("non-EU countries", GroupKind::NonEuCountries, 3),
        ]
    );
}

#[test]
fn two_lists_of_countries_give_one_count_per_side() {
    // "countries searched" and "countries that cooperated", as the asset
    // recovery release lists them: five and two EU Member States are seven.
    let body = "[[groups]]\nlabel = \"Searched\"\nkind = \"countries\"\nmembers = [\"Austria\", \"Spain\", \"Italy\", \"France\", \"Germany\", \"Switzerland\"]\n\n[[groups]]\nlabel = \"Cooperating\"\nkind = \"countries\"\nmembers = [\"Belgium\", \"Netherlands\"]\n";
    let dir = operation(("2015-06-16", "2015-06-16"), body, &[]);
    let op = load(dir.path());
    assert_eq!(
        groups(&op),
        [
            group("EU Member States", GroupKind::EuMemberStates, 7),
            group("non-EU countries", GroupKind::NonEuCountries, 1),
        ]
    );
    assert_eq!(op.participation().countries, Some(8));
}

#[test]
fn the_uk_in_an_eu_group_is_checked_at_the_dates_whatever_its_name_form() {
    for form in ["the United Kingdom", "the UK", "GB"] {
        let body = format!(
            "[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\nmembers = [\"Austria\", \"{form}\"]\n"
        );
        let in_2019 = operation(("2019-11-13", "2019-11-18"), &body, &[]);
        assert_eq!(check(in_2019.path()).1, vec![], "{form} in 2019");
        let in_2021 = operation(("2021-11-13", "2021-11-18"), &body, &[]);
        let (code, findings, _) = check(in_2021.path());
        assert_eq!(code, 1, "{form} in 2021");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].0, "not-an-eu-member-state");
        assert!(findings[0].1.starts_with(form), "{}", findings[0].1);
        assert!(findings[0].1.contains("2021-11-13"), "{}", findings[0].1);
    }
}

#[test]
fn two_spellings_of_one_country_are_an_error_naming_both() {
    let dir = operation(
        Y2023,
        "[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\nmembers = [\"Czechia\"]\n\n[[groups]]\nlabel = \"Others\"\nkind = \"non-eu-countries\"\nmembers = [\"Czech Republic\"]\n",
        &[],
    );
    let err = input_errors(dir.path());
    let path = dir.path().join("operation.toml");
    let first = line_of(&path, "[\"Czechia\"]");
    let second = line_of(&path, "[\"Czech Republic\"]");
    assert!(err.contains("`Czech Republic` and `Czechia`"), "{err}");
    assert!(err.contains(&format!("operation.toml:{first})")), "{err}");
    assert!(err.contains(&format!("operation.toml:{second}:")), "{err}");
}

#[test]
fn a_reporter_in_another_name_form_is_the_listed_country() {
    let dir = operation(
        Y2023,
        "countries = 2\n\n[[groups]]\nlabel = \"Countries\"\nkind = \"non-eu-countries\"\nmembers = [\"United Kingdom\", \"Norway\"]\n",
        &[
            ("uk.toml", "reporter = \"UK\"\n[figures]\narrests = 10\n"),
            (
                "norway.toml",
                "reporter = \"NOR\"\n[figures]\narrests = 7\n",
            ),
        ],
    );
    let (code, findings, _) = check(dir.path());
    assert_eq!((code, findings), (0, vec![]), "10 + 7 = 17 as consolidated");
    let op = load(dir.path());
    let names: Vec<&str> = op
        .returns
        .iter()
        .filter(|r| r.reporter != Reporter::Coordination)
        .map(|r| op.reporter_name(r.reporter))
        .collect();
    // Sorted by file name: norway.toml, uk.toml; the listed names are kept.
    assert_eq!(names, ["Norway", "United Kingdom"]);
}

const UNITS: &str = "[[groups]]\nlabel = \"EU Member States\"\nkind = \"eu-member-states\"\nmembers = [\"Austria\"]\n\n[[groups]]\nlabel = \"Regional units\"\nkind = \"other\"\nmembers = [\"Bavaria State Police\", \"Vienna Police\"]\n";

#[test]
fn part_of_counts_regional_units_under_their_country() {
    let body = format!(
        "countries = 2\n{UNITS}\n[part_of]\n\"Bavaria State Police\" = \"Germany\"\n\"Vienna Police\" = \"AT\"\n"
    );
    let dir = operation(Y2023, &body, &[]);
    let (code, findings, _) = check(dir.path());
    assert_eq!((code, findings), (0, vec![]), "Austria and Germany");
    let op = load(dir.path());
    assert_eq!(op.listed_countries(), 2);
    let bavaria = op
        .participants
        .iter()
        .position(|p| p.name == "Bavaria State Police");
    let germany = bavaria.and_then(|b| op.country_of(opbrief::model::ParticipantId(b)));
    assert_eq!(germany.map(|c| c.name), Some("Germany"));

    let dir = operation(Y2023, &body.replace("countries = 2", "countries = 3"), &[]);
    let (_, findings, _) = check(dir.path());
    assert_eq!(findings.len(), 1);
    assert!(findings[0].1.contains("claims 3 countries but lists 2"));
}

#[test]
fn part_of_with_an_unknown_name_points_at_it_with_a_suggestion() {
    let dir = operation(
        Y2023,
        &format!(
            "{UNITS}\n[part_of]\n\"Bavaria State Police\" = \"Germny\"\n\"Viena Police\" = \"Austria\"\n"
        ),
        &[],
    );
    let err = input_errors(dir.path());
    let path = dir.path().join("operation.toml");
    let country = line_of(&path, "= \"Germny\"");
    let unit = line_of(&path, "\"Viena Police\"");
    assert!(err.contains(&format!("operation.toml:{country}:")), "{err}");
    assert!(err.contains("did you mean `Germany`?"), "{err}");
    assert!(err.contains("part_of.\"Bavaria State Police\""), "{err}");
    assert!(err.contains(&format!("operation.toml:{unit}:")), "{err}");
    assert!(err.contains("did you mean `Vienna Police`?"), "{err}");
}

#[test]
fn part_of_names_a_country_not_an_agency_nor_a_chain() {
    let dir = operation(
        Y2023,
        &format!(
            "{UNITS}\n[[groups]]\nlabel = \"EU agencies\"\nkind = \"eu-agencies\"\nmembers = [\"Europol\"]\n\n[part_of]\n\"Bavaria State Police\" = \"Europol\"\n"
        ),
        &[],
    );
    assert!(input_errors(dir.path()).contains("`Europol` is not a country"));
    let dir = operation(
        Y2023,
        &format!("{UNITS}\n[part_of]\n\"Bavaria State Police\" = \"Vienna Police\"\n"),
        &[],
    );
    assert!(input_errors(dir.path()).contains("`Vienna Police` is not a country"));
}

#[test]
fn the_countries_noun_is_kept() {
    let dir = operation(
        Y2023,
        "countries = 3\ncountries_noun = \"countries and territories\"\n\n[[groups]]\nlabel = \"Countries\"\nkind = \"countries\"\nmembers = [\"Hong Kong\", \"Spain\"]\n",
        &[],
    );
    let (_, findings, _) = check(dir.path());
    assert!(
        findings[0]
            .1
            .contains("claims 3 countries and territories but lists 2"),
        "{findings:?}"
    );
    let participation = load(dir.path()).participation();
    assert_eq!(participation.noun, "countries and territories");
    assert_eq!(participation.countries, Some(3));
}
