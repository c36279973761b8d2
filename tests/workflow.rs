//! The week's workflow at the command line: watch, what build says,
//! colour, completeness by day, late figures, every cause with its share,
//! diff's arguments and JSON, and tuning the plausibility check.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn build(dir: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let (dir, out) = (dir.to_string_lossy(), out.to_string_lossy());
    let mut args = vec!["build", &dir, "--out", &out];
    args.extend_from_slice(extra);
    opbrief(&args)
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

fn findings_of(dir: &Path) -> Vec<serde_json::Value> {
    let result = opbrief(&["check", &dir.to_string_lossy(), "--format", "json"]);
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "{}",
        stderr(&result)
    );
    json(&result)["findings"].as_array().unwrap().clone()
}

fn codes(findings: &[serde_json::Value], code: &str) -> Vec<serde_json::Value> {
    findings
        .iter()
        .filter(|f| f["code"] == code)
        .cloned()
        .collect()
}

#[test]
fn watch_reruns_on_a_file_change_and_keeps_watching_on_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("op");
    copy_dir(&sample(), &dir);
    let out = tmp.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_opbrief"))
        .args(["watch", &dir.to_string_lossy(), "--build", "--out"])
        .arg(&out)
        .args(["--runs", "3"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, status) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("watching for changes") {
                let _ = lines.send(line);
            }
        }
    });
    let deadline = Duration::from_secs(60);
    let next = || {
        status
            .recv_timeout(deadline)
            .expect("a status line in time")
    };
    let first = next();
    assert!(first.contains("2 errors"), "{first}");
    assert!(first.contains("draft in"), "{first}");
    let draft = out.join("jad-see-2023/draft");
    assert!(draft.join("briefing.pdf").is_file());
    let returns = dir.join("returns/consolidated.toml");
    let original = std::fs::read_to_string(&returns).unwrap();

    // A broken file: its error, and the watch goes on.
    std::fs::write(&returns, format!("{original}\noops = [\n")).unwrap();
    let second = next();
    assert!(second.contains("cannot be read"), "{second}");
    // Fixed, with the arrests total now matching its parts: one error left.
    std::fs::write(&returns, original.replace("total = 566", "total = 562")).unwrap();
    let third = next();
    assert!(third.contains("1 error"), "{third}");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < deadline, "watch did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(child.wait().unwrap().code(), Some(0));
    // The draft was replaced, never numbered.
    assert!(!out.join("jad-see-2023/rev-001").exists());
    let manifest = std::fs::read_to_string(draft.join("findings.json")).unwrap();
    assert!(!manifest.contains("Arrests"), "{manifest}");
}

#[test]
fn build_says_what_it_found_and_wrote_and_quiet_only_the_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let said = build(&sample(), &out, &[]);
    assert_eq!(said.status.code(), Some(0), "{}", stderr(&said));
    let text = stdout(&said);
    // The errors as check prints them: the source line with a caret.
    assert!(
        text.contains("error[parts-differ-from-total]: Arrests"),
        "{text}"
    );
    assert!(text.contains("total = 566"), "{text}");
    let rev = out.join("jad-see-2023/rev-001");
    for file in ["briefing.pdf", "workbook.xlsx", "press-release.md"] {
        let size = std::fs::metadata(rev.join(file)).unwrap().len();
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(file))
            .unwrap_or_else(|| panic!("{file} in {text}"));
        let shown = if size < 1000 {
            format!("{size} B")
        } else {
            format!("{} KB", size.div_ceil(1000))
        };
        assert!(line.ends_with(&shown), "{line} against {size} bytes");
    }
    let packs = std::fs::read_dir(rev.join("partners")).unwrap().count();
    assert!(
        text.contains(&format!("partners/ ({packs} packs)")),
        "{text}"
    );
    assert!(text.contains("open briefing.pdf first"), "{text}");

    // Quiet: nothing but the errors (a new revision after a change).
    let tmp2 = tempfile::tempdir().unwrap();
    let quiet = build(&sample(), tmp2.path(), &["--quiet"]);
    assert_eq!(quiet.status.code(), Some(0));
    let text = stdout(&quiet);
    assert!(text.contains("error[parts-differ-from-total]"), "{text}");
    assert!(!text.contains("wrote"), "{text}");
    assert!(!text.contains("briefing.pdf"), "{text}");
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
}

#[test]
fn warnings_are_counted_by_code_and_listed_with_verbose() {
    let tmp = tempfile::tempdir().unwrap();
    let normal = build(&fixture("multi-return"), &tmp.path().join("a"), &[]);
    let text = stdout(&normal);
    assert!(text.contains("1 × warning[missing-return]"), "{text}");
    assert!(!text.contains("warning[missing-return]: Croatia"), "{text}");
    let verbose = build(&fixture("multi-return"), &tmp.path().join("b"), &["-v"]);
    let text = stdout(&verbose);
    assert!(text.contains("warning[missing-return]: Croatia"), "{text}");
}

#[test]
fn colour_on_request_and_never_with_no_color() {
    let run = |vars: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_opbrief"));
        command
            .args(["check", &sample().to_string_lossy()])
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in vars {
            command.env(k, v);
        }
        stdout(&command.output().unwrap())
    };
    const ESC: char = '\x1b';
    assert!(!run(&[]).contains(ESC), "a pipe gets plain text");
    let forced = run(&[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains("\x1b["), "{forced}");
    // The same words, coloured.
    assert!(forced.contains("parts-differ-from-total"), "{forced}");
    assert!(!run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains(ESC));
    assert!(!run(&[("CLICOLOR_FORCE", "0")]).contains(ESC));
}

/// The peers' 5 000-return shape: 26 countries, 193 days, the last day cut
/// short, so 18 participants lack it.
#[test]
fn missing_days_in_the_peers_5000_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("op");
    let result = opbrief(&[
        "demo",
        "--out",
        &dir.to_string_lossy(),
        "--countries",
        "26",
        "--days",
        "193",
        "--returns",
        "5000",
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let findings = findings_of(&dir);
    let missing = codes(&findings, "missing-day");
    assert_eq!(missing.len(), 18, "{missing:#?}");
    let days: usize = missing
        .iter()
        .map(|f| f["days"].as_array().unwrap().len())
        .sum();
    assert_eq!(days, 18);
    // The last day, 193 days from 4 March 2024.
    for finding in &missing {
        assert_eq!(finding["days"][0], "2024-09-12", "{finding:#}");
        assert_eq!(finding["severity"], "warning");
        assert!(
            finding["message"]
                .as_str()
                .unwrap()
                .contains("12 September 2024")
        );
    }
}

/// A small daily operation written for the test: who sent which days.
fn daily_operation(dir: &Path, extra: &str, days: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("returns")).unwrap();
    std::fs::write(
        dir.join("operation.toml"),
        format!(
            "id = \"daily\"\nname = \"Daily\"\nstart = 2024-03-04\nend = 2024-03-08\nmarking = \"PUBLIC\"\n\
             [[groups]]\nlabel = \"Countries\"\nkind = \"countries\"\nmembers = [\"Austria\", \"Greece\", \"Serbia\"]\n{extra}"
        ),
    )
    .unwrap();
    for (who, day) in days {
        std::fs::write(
            dir.join(format!("returns/{}-{day}.toml", who.to_lowercase())),
            format!("reporter = \"{who}\"\nday = {day}\n[figures]\narrests = 3\n"),
        )
        .unwrap();
    }
}

#[test]
fn missing_days_up_to_the_latest_day_reported_and_as_declared() {
    let tmp = tempfile::tempdir().unwrap();
    let sent = [
        ("Austria", "2024-03-04"),
        ("Austria", "2024-03-05"),
        ("Austria", "2024-03-06"),
        ("Greece", "2024-03-04"),
        ("Greece", "2024-03-06"),
    ];
    // Days still to come (7 and 8 March) are not missing yet.
    let dir = tmp.path().join("a");
    daily_operation(&dir, "", &sent);
    let findings = findings_of(&dir);
    let missing = codes(&findings, "missing-day");
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(missing[0]["participants"][0], "Greece");
    assert_eq!(missing[0]["days"], serde_json::json!(["2024-03-05"]));
    // Serbia sent nothing: that is missing-return, not missing-day.
    assert_eq!(codes(&findings, "missing-return").len(), 1);

    // 5 March was no action day: nothing missing.
    let dir = tmp.path().join("b");
    daily_operation(&dir, "[reporting]\nnot_action_days = [2024-03-05]\n", &sent);
    assert!(codes(&findings_of(&dir), "missing-day").is_empty());

    // Only Austria reports daily; Serbia, declared daily, lacks all three.
    let dir = tmp.path().join("c");
    daily_operation(
        &dir,
        "[reporting]\ndaily = [\"Austria\", \"Serbia\"]\n",
        &sent,
    );
    let missing = codes(&findings_of(&dir), "missing-day");
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(missing[0]["participants"][0], "Serbia");
    assert_eq!(missing[0]["days"].as_array().unwrap().len(), 3);

    // A typo in the declaration is an input error with a suggestion.
    let dir = tmp.path().join("d");
    daily_operation(&dir, "[reporting]\ndaily = [\"Austira\"]\n", &sent);
    let result = opbrief(&["check", &dir.to_string_lossy()]);
    assert_eq!(result.status.code(), Some(2));
    assert!(stderr(&result).contains("Austria"), "{}", stderr(&result));
}

fn correction(metric: &str, from: Option<&str>, to: &str) -> String {
    let from = from.map(|f| format!("from = {f}\n")).unwrap_or_default();
    format!(
        "[[corrections]]\ndate = 2024-03-10\nreporter = \"Greece\"\nday = 2024-03-04\nmetric = \"{metric}\"\n{from}to = {to}\nreason = \"late\"\nrequested_by = \"Greece\"\n"
    )
}

#[test]
fn a_late_figure_needs_from_none_and_shows_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("op");
    copy_dir(&fixture("multi-return"), &dir);
    std::fs::remove_file(dir.join("returns/consolidated.toml")).unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&dir, &out, &[]).status.code(), Some(0));
    std::fs::create_dir_all(dir.join("corrections")).unwrap();
    let file = dir.join("corrections/late.toml");

    // No `from`: an error naming both ways.
    std::fs::write(&file, correction("cash", None, "1000")).unwrap();
    let result = opbrief(&["check", &dir.to_string_lossy()]);
    assert_eq!(result.status.code(), Some(2));
    let err = stderr(&result);
    assert!(err.contains("from = \"none\""), "{err}");
    assert!(err.contains("add a return file"), "{err}");
    // A `from` for a figure the return never stated: stale, with the way out.
    std::fs::write(&file, correction("cash", Some("0"), "1000")).unwrap();
    let stale = codes(&findings_of(&dir), "stale-correction");
    assert_eq!(stale.len(), 1);
    assert!(
        stale[0]["message"]
            .as_str()
            .unwrap()
            .contains("from = \"none\""),
        "{stale:#?}"
    );

    // `from = "none"`: added, as a correction; and a new return beside it.
    std::fs::write(&file, correction("cash", Some("\"none\""), "1000")).unwrap();
    std::fs::write(
        dir.join("returns/croatia-2024-03-04.toml"),
        "reporter = \"Croatia\"\nday = 2024-03-04\n[figures]\ncash = 250\n",
    )
    .unwrap();
    assert!(codes(&findings_of(&dir), "stale-correction").is_empty());
    let second = build(&dir, &out, &[]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let figures: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("multi-return/rev-002/figures.json")).unwrap(),
    )
    .unwrap();
    let cash = figures["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "cash")
        .unwrap();
    assert_eq!(cash["value"], 1250, "{cash:#}");

    let output = out.join("multi-return");
    let diff = opbrief(&["diff", &output.to_string_lossy(), "rev-001", "rev-002"]);
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    // Numbers are grouped with a no-break space.
    let text = stdout(&diff).replace('\u{a0}', " ");
    let line = text
        .lines()
        .find(|l| l.contains("Cash"))
        .unwrap_or_else(|| panic!("{text}"));
    // Both causes, each with its share.
    assert!(line.contains("none → EUR 1 000"), "{line}");
    assert!(line.contains("(+1 000)"), "{line}");
    assert!(
        line.contains("new return: returns/croatia-2024-03-04.toml (+250)"),
        "{line}"
    );
    assert!(!line.contains("new corrections file"), "{line}");

    // JSON: the envelope, the content as changes.json.
    let diff = opbrief(&[
        "diff",
        &output.to_string_lossy(),
        "1",
        "rev-002",
        "--format",
        "json",
    ]);
    let envelope = json(&diff);
    assert_eq!(envelope["schema_version"], 1);
    let stored: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(output.join("rev-002/changes.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(envelope, stored);
    let cash = envelope["changes"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "cash")
        .unwrap();
    let shares: Vec<(String, i64)> = cash["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["share"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shares,
        [
            ("correction".to_string(), 1000),
            ("input-added".to_string(), 250)
        ]
    );
}

#[test]
fn diff_says_what_a_folder_is() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&sample(), &out, &[]).status.code(), Some(0));
    let said = |dir: &Path| {
        let result = opbrief(&["diff", &dir.to_string_lossy()]);
        assert_eq!(result.status.code(), Some(2));
        stderr(&result)
    };
    assert!(said(&tmp.path().join("nowhere")).contains("does not exist"));
    assert!(said(&sample()).contains("is an operation folder"));
    assert!(said(&out).contains("jad-see-2023"));
    assert!(said(&out.join("jad-see-2023")).contains("only revision 1"));
    assert!(said(&out.join("jad-see-2023/rev-001")).contains("is one revision"));
    let bad = opbrief(&["diff", &out.to_string_lossy(), "rev-x", "2"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("rev-003"), "{}", stderr(&bad));
}

#[test]
fn the_plausibility_check_can_be_tuned_per_metric() {
    // multi-return: Serbia's persons on one day, 11 500 against 1 100.
    let implausible = |extra: &str| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("op");
        copy_dir(&fixture("multi-return"), &dir);
        let path = dir.join("operation.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n{extra}")).unwrap();
        codes(&findings_of(&dir), "implausible-day-figure").len()
    };
    assert_eq!(implausible(""), 1);
    assert_eq!(
        implausible("[plausibility]\n\"entities_checked.persons\" = \"off\"\n"),
        0
    );
    // The part inherits its total's setting.
    assert_eq!(
        implausible("[plausibility]\nentities_checked = \"off\"\n"),
        0
    );
    assert_eq!(implausible("[plausibility]\nentities_checked = 20\n"), 0);
    assert_eq!(implausible("[plausibility]\nentities_checked = 5\n"), 1);
}
