//! `opbrief proof`: hand-made texts against a small operation (each verdict,
//! each number convention, at its line and column), the text and JSON
//! reports, the exit codes, and the press release opbrief writes, which
//! must pass against its own operation for every operation that builds.

mod common;

use common::{line_of, opbrief, repo, sample, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn operation() -> PathBuf {
    repo().join("tests/proof/operation")
}

fn texts() -> PathBuf {
    repo().join("tests/proof/texts")
}

fn proof_json(operation: &Path, text: &Path) -> (Option<i32>, Value) {
    let result = opbrief(&[
        "proof",
        &operation.to_string_lossy(),
        &text.to_string_lossy(),
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&stdout(&result))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&result), stderr(&result)));
    (result.status.code(), json)
}

/// "metric key", "countries", "period", "group:<label>", "country-group:<label>", "-".
fn figure_name(figure: &Value) -> String {
    if figure.is_null() {
        return "-".into();
    }
    if let Some(metric) = figure["metric"].as_str() {
        return metric.into();
    }
    let kind = figure["kind"].as_str().unwrap_or("?");
    match kind {
        "countries" | "period" => kind.into(),
        _ => {
            let label = figure["label"].as_str().unwrap_or("");
            let label = label.split(':').next().unwrap_or("");
            format!("{kind}:{label}")
        }
    }
}

/// Every verdict as the .expect files write it: `line:column code figure`,
/// and `unmentioned <metric>` for figures not stated.
fn verdict_lines(json: &Value) -> Vec<String> {
    let verdicts = json["verdicts"].as_array().expect("verdicts");
    verdicts
        .iter()
        .map(|v| {
            let code = v["code"].as_str().unwrap_or("?");
            match v["location"].as_object() {
                Some(location) => format!(
                    "{}:{} {code} {}",
                    location["line"],
                    location["column"],
                    figure_name(&v["figure"])
                ),
                None => format!("unmentioned {}", figure_name(&v["figure"])),
            }
        })
        .collect()
}

#[test]
fn each_hand_made_text_gets_exactly_its_expected_verdicts() {
    let mut checked = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(texts())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    entries.sort();
    for text in entries {
        let expected_text = std::fs::read_to_string(text.with_extension("expect"))
            .unwrap_or_else(|_| panic!("{} has no .expect", text.display()));
        let expected: Vec<&str> = expected_text.lines().filter(|l| !l.is_empty()).collect();
        let (code, json) = proof_json(&operation(), &text);
        let lines = verdict_lines(&json);
        let wants_unmentioned = expected.iter().any(|l| l.starts_with("unmentioned"));
        let got: Vec<&str> = lines
            .iter()
            .map(String::as_str)
            .filter(|l| wants_unmentioned || !l.starts_with("unmentioned"))
            .collect();
        assert_eq!(got, expected, "{}", text.display());
        let errors = expected
            .iter()
            .any(|l| l.contains(" mismatch ") || l.contains(" breakdown-mismatch "));
        assert_eq!(code, Some(if errors { 1 } else { 0 }), "{}", text.display());
        checked += 1;
    }
    assert!(checked >= 11, "only {checked} texts");
}

#[test]
fn a_mismatch_names_the_text_and_the_figure_in_json() {
    let (code, json) = proof_json(&operation(), &texts().join("mismatch.md"));
    assert_eq!(code, Some(1));
    assert_eq!(json["schema_version"], 1);
    let children = &json["verdicts"][0];
    assert_eq!(children["code"], "mismatch");
    assert_eq!(children["severity"], "error");
    assert_eq!(children["words"], "120 children identified");
    assert_eq!(children["stated"]["value"], 120.0);
    assert!(
        children["message"].as_str().unwrap().contains("124"),
        "{children}"
    );
    assert_eq!(children["location"]["line"], 1);
    assert_eq!(children["location"]["column"], 3);
    assert!(
        children["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("mismatch.md")
    );
    let figure = &children["figure"];
    assert_eq!(figure["metric"], "children");
    assert_eq!(figure["value"], 124.0);
    assert_eq!(figure["location"]["file"], "returns/consolidated.toml");
    let returns = operation().join("returns/consolidated.toml");
    assert_eq!(
        figure["location"]["line"],
        line_of(&returns, "children = 124")
    );
    // "215 arrests of drug traffickers": the part, with the total named.
    let narrowed = json["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == "breakdown-mismatch")
        .expect("a breakdown mismatch");
    assert_eq!(narrowed["figure"]["value"], 31.0);
    assert!(narrowed["message"].as_str().unwrap().contains("215"));
}

#[test]
fn the_text_report_points_at_the_text_and_at_the_figure() {
    let text = texts().join("mismatch.md");
    let result = opbrief(&[
        "proof",
        &operation().to_string_lossy(),
        &text.to_string_lossy(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    let out = stdout(&result);
    assert!(out.contains("error[mismatch]"), "{out}");
    assert!(out.contains("mismatch.md:1:3"), "{out}");
    let returns = operation().join("returns/consolidated.toml");
    let children_line = line_of(&returns, "children = 124");
    assert!(
        out.contains(&format!("consolidated.toml:{children_line}:")),
        "{out}"
    );
    assert!(out.contains("error[breakdown-mismatch]"), "{out}");
    assert!(out.lines().last().unwrap().starts_with("proof: "), "{out}");
}

#[test]
fn standard_input_is_read_for_a_dash() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_opbrief"))
        .args([
            "proof",
            &operation().to_string_lossy(),
            "-",
            "--format",
            "json",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Officers made 216 arrests.\n".as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &json["verdicts"][0];
    assert_eq!(first["code"], "mismatch");
    assert_eq!(first["location"]["file"], "<stdin>");
    assert_eq!(first["location"]["column"], 15);
}

#[test]
fn unusable_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"566 arrests \xe9t\xe9\n").unwrap();
    let missing = dir.path().join("missing.txt");
    for (operation, text) in [
        (operation(), latin1.clone()),
        (operation(), missing),
        (dir.path().to_path_buf(), texts().join("mismatch.md")),
    ] {
        let result = opbrief(&[
            "proof",
            &operation.to_string_lossy(),
            &text.to_string_lossy(),
        ]);
        assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
        assert!(stdout(&result).is_empty());
        assert!(stderr(&result).starts_with("error"), "{}", stderr(&result));
    }
}

/// The operations whose press release must pass: the sample, every
/// fixture folder that builds, and tests/corpus/* when there is one.
fn operations() -> Vec<PathBuf> {
    let mut out = vec![sample()];
    for folder in ["tests/fixtures", "tests/corpus"] {
        let Ok(entries) = std::fs::read_dir(repo().join(folder)) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("operation.toml").is_file())
            .collect();
        found.sort();
        out.extend(found);
    }
    out
}

#[test]
fn every_press_release_opbrief_writes_passes_proof_against_its_operation() {
    let out = tempfile::tempdir().unwrap();
    let mut proofed = 0;
    for operation in operations() {
        let built = opbrief(&[
            "build",
            &operation.to_string_lossy(),
            "--out",
            &out.path().to_string_lossy(),
        ]);
        if built.status.code() != Some(0) {
            continue;
        }
        let id = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                std::fs::read_to_string(operation.join("operation.toml"))
                    .unwrap()
                    .contains(&format!(
                        "id = \"{}\"",
                        p.file_name().unwrap().to_string_lossy()
                    ))
            })
            .expect("the build's folder");
        let release = id.join("rev-001/press-release.md");
        let (code, json) = proof_json(&operation, &release);
        let problems: Vec<String> = json["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["severity"] == "error" || v["severity"] == "warning")
            .map(|v| format!("{}: {}", v["code"], v["message"]))
            .collect();
        assert!(
            problems.is_empty(),
            "{}: {problems:#?}",
            operation.display()
        );
        assert_eq!(code, Some(0), "{}", operation.display());
        let held = json["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["severity"] == "ok")
            .count();
        assert!(held > 0, "{}: nothing matched", operation.display());
        proofed += 1;
    }
    assert!(proofed >= 7, "only {proofed} operations built");
}

/// The realistic press releases of `tests/proof/real/`, sorted.
fn real_texts() -> Vec<PathBuf> {
    let mut texts: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/proof/real"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("README.md"))
        .collect();
    texts.sort();
    texts
}

/// The operation a realistic text is about: its name's corpus folder, or
/// the sample.
fn real_operation(name: &str) -> PathBuf {
    match name {
        "jad-see-2023" => sample(),
        _ => repo().join("tests/corpus").join(name),
    }
}

/// Press releases as press offices write them (`tests/proof/real/`, one per
/// operation, every figure correct; see the README there): no error at
/// all, and the statements that used to be false alarms get these verdicts.
#[test]
fn realistic_press_releases_get_no_false_errors() {
    let expected = [
        // A country's own figures in a national passage.
        ("synthetic-annual-2024", "15:44 matches officers"),
        ("synthetic-annual-2024", "15:141 matches cash"),
        // A list of every part states the total.
        ("jad-see-2023", "5:115 consistent entities_checked"),
        // An amount of money no words name, in the one figure's currency.
        (
            "haechi-iii-2022",
            "1:65 rounded-without-qualifier virtual_assets",
        ),
        ("pangea-viii-2015", "5:183 matches medicines_value"),
        // Boilerplate about the agency, and an earlier action's month.
        (
            "pangea-viii-2015",
            "26:43 background customs_administrations",
        ),
        ("endgame-2-2025", "15:135 outside-period period"),
    ];
    let texts = real_texts();
    assert!(texts.len() >= 15, "{texts:?}");
    for text in &texts {
        let name = text.file_stem().unwrap().to_string_lossy().to_string();
        let (code, json) = proof_json(&real_operation(&name), text);
        let errors: Vec<String> = json["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["severity"] == "error")
            .map(|v| format!("{}", v["message"]))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert_eq!(code, Some(0), "{name}");
        let lines = verdict_lines(&json);
        for (_, line) in expected.iter().filter(|(n, _)| *n == name) {
            assert!(
                lines.contains(&line.to_string()),
                "{name}: {line} in {lines:#?}"
            );
        }
        if name == "endgame-2-2025" {
            // "THE HAGUE, 23 May 2025 –": the dateline, not an action day.
            assert!(!lines.iter().any(|l| l.starts_with("3:12 ")), "{lines:#?}");
        }
    }
}

/// The same press releases with one mistake each (`tests/proof/real/
/// mistakes/`, listed in `expected.tsv` with the line changed, the words
/// before and after): an error on that line, and on no other.
#[test]
fn one_mistake_in_a_realistic_press_release_is_an_error_on_its_line() {
    let mistakes = repo().join("tests/proof/real/mistakes");
    let listed = std::fs::read_to_string(mistakes.join("expected.tsv")).unwrap();
    let mut checked = 0;
    for row in listed.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = row.split('\t').collect();
        let [file, line, original, mutated] = fields[..] else {
            panic!("expected.tsv: {row:?}");
        };
        let text = mistakes.join(file);
        let written = std::fs::read_to_string(&text).unwrap();
        let line: u64 = line.parse().unwrap();
        let at = usize::try_from(line - 1).unwrap();
        assert!(
            written.lines().nth(at).unwrap().contains(mutated),
            "{file}: {mutated:?}"
        );
        // The text without the mistake is one of the correct texts.
        let name = file.rsplit_once('-').unwrap().0;
        let correct =
            std::fs::read_to_string(repo().join("tests/proof/real").join(format!("{name}.md")))
                .unwrap();
        assert_eq!(written.replacen(mutated, original, 1), correct, "{file}");
        let (code, json) = proof_json(&real_operation(name), &text);
        assert_eq!(code, Some(1), "{file}");
        let error_lines: Vec<u64> = json["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["severity"] == "error")
            .map(|v| v["location"]["line"].as_u64().unwrap_or(0))
            .collect();
        assert!(!error_lines.is_empty(), "{file}: no error");
        assert!(
            error_lines.iter().all(|&l| l == line),
            "{file}: errors on {error_lines:?}"
        );
        checked += 1;
    }
    assert!(checked >= 14, "only {checked}");
}

/// Texts cut anywhere, or with their digits and words shuffled, still get
/// verdicts: no panic, whatever half a sentence or a stray digit leaves.
#[test]
fn cut_and_garbled_texts_never_stop_proof() {
    let texts = real_texts();
    let mut proofed = 0;
    for text in &texts {
        let name = text.file_stem().unwrap().to_string_lossy().to_string();
        let operation = real_operation(&name);
        let content = std::fs::read_to_string(text).unwrap();
        let chars: Vec<(usize, char)> = content.char_indices().collect();
        let mut variants: Vec<String> = chars
            .iter()
            .step_by(41)
            .map(|&(at, _)| content[..at].to_string())
            .collect();
        // Every digit shifted by one, and the words in reverse order.
        variants.push(
            content
                .chars()
                .map(|c| {
                    c.to_digit(10)
                        .map_or(c, |d| char::from(b'0' + ((d as u8 + 1) % 10)))
                })
                .collect(),
        );
        variants.push(content.split(' ').rev().collect::<Vec<_>>().join(" "));
        for variant in variants {
            let checked = opbrief::pipeline::check(&operation).unwrap();
            let proof = opbrief::proof::proof(
                checked,
                opbrief::proof::Text {
                    path: text.clone(),
                    content: variant,
                },
            );
            assert!(!opbrief::proof::print::json(&proof).is_empty());
            proofed += 1;
        }
    }
    assert!(proofed > 200, "{proofed}");
}
