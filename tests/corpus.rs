//! The corpus of unlike operations (`tests/corpus/<name>/`): published
//! releases transcribed as they are, plus synthetic shapes. Each folder's
//! `expect.toml` says what `check` must find and what the press release must
//! say; every folder must also build, and no document may contain the
//! phrases a press officer would never write.
//!
//! One test runs them all and reports every failure of every folder
//! together, so a change shows its whole effect on the corpus at once.
//! Needs pdftotext and qpdf on PATH (CI installs them).

mod common;

use common::*;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `expect.toml`; unknown keys are refused so a misspelt key cannot
/// silently switch a check off.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    check_exit: i32,
    /// "code metric", or just "code" for a finding without a metric.
    findings: Vec<String>,
    /// Each entry: one phrase, or alternatives separated by `|` (for house
    /// style not settled yet, e.g. "three" or "3").
    press_release: Vec<String>,
    #[serde(default)]
    allow_not_attributed: bool,
    /// Qualified figures printed as the input writes them, to more than 3
    /// significant digits ("some 149 623"): not computed, so allowed.
    #[serde(default)]
    as_written: Vec<String>,
}

/// The little of operation.toml this runner needs.
#[derive(Debug, Deserialize)]
struct OperationDates {
    start: toml::value::Datetime,
    end: toml::value::Datetime,
}

const QUALIFIERS: [&str; 9] = [
    "more than",
    "at least",
    "up to",
    "almost",
    "nearly",
    "about",
    "around",
    "some",
    "over",
];

/// `tests/corpus`, or the folder `OPBRIEF_CORPUS` names (to run the same
/// expectations over an edited copy while a feature is being built).
fn corpus_root() -> PathBuf {
    std::env::var_os("OPBRIEF_CORPUS").map_or_else(|| repo().join("tests/corpus"), PathBuf::from)
}

/// The corpus folders, sorted by name.
fn operations() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_root())
        .expect("tests/corpus is readable")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Whitespace as a reader sees it: no-break, narrow no-break and thin
/// spaces are spaces, and runs of whitespace (line ends in the PDF text
/// included) are one space.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        if ch.is_whitespace() || matches!(ch, '\u{a0}' | '\u{202f}' | '\u{2009}') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}

/// Like [`normalise`], but a run of whitespace with a line break in it stays
/// one line break: in pdftotext's output a tile's "more than" / "72 000" /
/// "100" are lines of their own, not one figure "72 000 100".
fn normalise_lines(text: &str) -> String {
    text.split('\n')
        .map(normalise)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `text[at..at + len]` stands alone: not inside a word or a longer
/// number ("17" is not in "2017", "170" or "1 170"; "6" not in "6 656" or
/// "6.5").
fn stands_alone(text: &str, at: usize, len: usize) -> bool {
    let before = &text[..at];
    let after = &text[at + len..];
    let phrase = &text[at..at + len];
    let starts_with_digit = phrase.starts_with(|c: char| c.is_ascii_digit());
    let ends_with_digit = phrase.ends_with(|c: char| c.is_ascii_digit());
    if before.ends_with(|c: char| c.is_alphanumeric()) {
        return false;
    }
    if starts_with_digit {
        let b = before.as_bytes();
        // "1 150": a group before it; "2.6", "1,5": a number before it.
        let grouped = b.len() >= 2 && b[b.len() - 1] == b' ' && b[b.len() - 2].is_ascii_digit();
        let decimal = b.len() >= 2
            && matches!(b[b.len() - 1], b'.' | b',')
            && b[b.len() - 2].is_ascii_digit();
        if grouped || decimal {
            return false;
        }
    }
    if after.starts_with(|c: char| c.is_alphanumeric()) {
        return false;
    }
    if ends_with_digit {
        let a = after.as_bytes();
        let group = a.len() >= 4
            && a[0] == b' '
            && a[1..4].iter().all(u8::is_ascii_digit)
            && a.get(4).is_none_or(|c| !c.is_ascii_digit());
        let decimal = a.len() >= 2 && matches!(a[0], b'.' | b',') && a[1].is_ascii_digit();
        if group || decimal {
            return false;
        }
    }
    true
}

/// Whether `phrase` occurs in `text` standing alone (see [`stands_alone`]).
fn contains_alone(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase)
        .any(|(at, _)| stands_alone(text, at, phrase.len()))
}

/// "X (X)": a parenthesis that repeats the words just before it.
fn repeated_in_parentheses(text: &str) -> Option<String> {
    let mut rest = 0;
    while let Some(open) = text[rest..].find(" (").map(|i| rest + i) {
        let inner_start = open + 2;
        let Some(close) = text[inner_start..].find(')').map(|i| inner_start + i) else {
            break;
        };
        let inner = &text[inner_start..close];
        if inner.chars().count() >= 2
            && text[..open].ends_with(inner)
            && text[..open.saturating_sub(inner.len())]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric())
        {
            return Some(format!("{inner} ({inner})"));
        }
        rest = inner_start;
    }
    None
}

/// Significant digits of a number written like "133 481", "178.5609" or
/// "674 000" (trailing zeros of an integer do not count).
fn significant_digits(number: &str) -> usize {
    let digits: String = number.chars().filter(|c| *c != ' ').collect();
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let all: String = format!("{int}{frac}");
    let trimmed = all.trim_start_matches('0');
    if frac.is_empty() {
        trimmed.trim_end_matches('0').len()
    } else {
        trimmed.len()
    }
}

/// Every "qualifier number" in `text` (after [`normalise_lines`]), the
/// number as printed with its group spaces: ("about", "133 481"). A line
/// break may stand between qualifier and number, never inside the number.
fn qualified_figures(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    for q in QUALIFIERS {
        for (at, _) in lower.match_indices(q) {
            let needle_len = q.len() + 1;
            if lower[..at].ends_with(|c: char| c.is_alphanumeric())
                || !lower[at + q.len()..].starts_with([' ', '\n'])
            {
                continue;
            }
            // "its parts add up to 562" states a sum, not an "up to" figure.
            if q == "up to" && lower[..at].trim_end().ends_with("add") {
                continue;
            }
            let start = at + needle_len;
            // A currency code or sign may stand between ("more than EUR 1.5").
            let rest = &text[start..];
            let code = rest.len() >= 4
                && rest.as_bytes()[..3].iter().all(u8::is_ascii_uppercase)
                && rest.as_bytes()[3] == b' ';
            let sign = rest.chars().next().filter(|c| "€$£¥".contains(*c));
            let s = match (code, sign) {
                (true, _) => start + 4,
                (false, Some(c)) => start + c.len_utf8(),
                _ => start,
            };
            let b = text.as_bytes();
            let mut end = s;
            while end < b.len() {
                let c = b[end];
                let grouped = c == b' '
                    && b.get(end + 1..end + 4)
                        .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                    && b.get(end + 4).is_none_or(|c| !c.is_ascii_digit());
                let decimal = c == b'.' && b.get(end + 1).is_some_and(u8::is_ascii_digit);
                if c.is_ascii_digit() || decimal {
                    end += 1;
                } else if grouped {
                    end += 4;
                } else {
                    break;
                }
            }
            if end > s {
                found.push((q.to_string(), text[s..end].to_string()));
            }
        }
    }
    found
}

fn period_days(dir: &Path) -> Option<i64> {
    let text = std::fs::read_to_string(dir.join("operation.toml")).ok()?;
    let dates: OperationDates = toml::from_str(&text).ok()?;
    let day = |d: &toml::value::Datetime| -> Option<i64> {
        let date = d.date?;
        let month = time::Month::try_from(date.month).ok()?;
        let parsed = time::Date::from_calendar_date(i32::from(date.year), month, date.day).ok()?;
        Some(i64::from(parsed.to_julian_day()))
    };
    Some(day(&dates.end)? - day(&dates.start)? + 1)
}

/// Words and numbers a line break cut in two in pdftotext's output: "USD
/// 1.5 mil" / "lion", "EUR 1 751 5" / "00". A letter cut is recognised by
/// the two pieces making a word of `vocabulary` (the press release's words)
/// that the first piece is not; a number cut by a line that ends in a group
/// of three digits and then one or two more, with digits on the next line.
fn broken_across_lines(raw: &str, vocabulary: &BTreeSet<String>) -> Vec<String> {
    let lines: Vec<String> = raw.lines().map(normalise).collect();
    let mut broken = Vec::new();
    for pair in lines.windows(2) {
        let (Some(head), Some(tail)) = (pair[0].split(' ').next_back(), pair[1].split(' ').next())
        else {
            continue;
        };
        if head.is_empty() || tail.is_empty() {
            continue;
        }
        let letters = head.chars().all(char::is_alphabetic)
            && tail.chars().all(|c| c.is_alphabetic() && c.is_lowercase())
            && vocabulary.contains(&format!("{head}{tail}").to_lowercase())
            && !vocabulary.contains(&head.to_lowercase());
        let groups: Vec<&str> = pair[0].split(' ').collect();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let number = groups.len() >= 2
            && digits(head)
            && head.len() < 3
            && digits(groups[groups.len() - 2])
            && groups[groups.len() - 2].len() == 3
            && tail.starts_with(|c: char| c.is_ascii_digit());
        if letters || number {
            broken.push(format!("{} / {}", pair[0], pair[1]));
        }
    }
    broken
}

/// The words of a text, lower-case, for [`broken_across_lines`].
fn vocabulary(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Runs a tool; its stdout, or why it failed.
fn tool(program: &str, args: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("{program} is needed (apt-get install poppler-utils qpdf): {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "{program} {args:?} exited {:?}: {}{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The first lines of a command's output, for a failure message.
fn first_lines(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join(" | ")
}

/// What opbrief's diagnostics say, without the source excerpts: each
/// message line and where it points.
fn diagnostics(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('│') && !l.starts_with('=') && !l.is_empty())
        .filter(|l| !l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .take(4)
        .collect();
    lines.join(" | ")
}

/// `check --format json`: exit code and the set of "code metric" findings.
fn run_check(dir: &Path, expect: &Expect, fail: &mut dyn FnMut(String)) {
    let result = opbrief(&["check", &dir.to_string_lossy(), "--format", "json"]);
    let code = result.status.code().unwrap_or(-1);
    if code != expect.check_exit {
        fail(format!(
            "check exited {code}, expected {}: {}",
            expect.check_exit,
            diagnostics(&stderr(&result))
        ));
    }
    if code == 2 {
        return;
    }
    // `{ "schema_version": 1, "findings": [...] }`
    let parsed: Result<serde_json::Value, _> = serde_json::from_str(&stdout(&result));
    let findings = match parsed.as_ref().map(|v| v["findings"].as_array()) {
        Ok(Some(list)) => list.clone(),
        Ok(None) => {
            fail("check --format json printed no \"findings\" array".into());
            return;
        }
        Err(e) => {
            fail(format!("check --format json printed no JSON ({e})"));
            return;
        }
    };
    let got: BTreeSet<String> = findings
        .iter()
        .map(|f| {
            let code = f["code"].as_str().unwrap_or("?");
            match f["metric"].as_str() {
                Some(metric) if !metric.is_empty() => format!("{code} {metric}"),
                _ => code.to_string(),
            }
        })
        .collect();
    let want: BTreeSet<String> = expect
        .findings
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    if got != want {
        let extra: Vec<_> = got.difference(&want).collect();
        let missing: Vec<_> = want.difference(&got).collect();
        fail(format!(
            "findings differ: unexpected {extra:?}, missing {missing:?}"
        ));
    }
}

/// The one revision folder a fresh build wrote under `out`.
fn revision_dir(out: &Path) -> Option<PathBuf> {
    let op = std::fs::read_dir(out)
        .ok()?
        .flatten()
        .find(|e| e.path().is_dir())?;
    std::fs::read_dir(op.path())
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("rev-"))
        })
}

/// The phrases no document of any operation may contain; `raw` is the
/// document's text as written (Markdown) or extracted (pdftotext).
fn forbidden(
    document: &str,
    raw: &str,
    expect: &Expect,
    days: Option<i64>,
    fail: &mut dyn FnMut(String),
) {
    let text = &normalise(raw);
    for phrase in ["0 countries", "1 days"] {
        if contains_alone(text, phrase) {
            fail(format!("{document} contains \"{phrase}\""));
        }
    }
    let lower = text.to_ascii_lowercase();
    let week_ok = days.is_some_and(|d| (5..=8).contains(&d));
    if !week_ok
        && lower
            .match_indices("in week")
            .any(|(at, _)| !lower[..at].ends_with(|c: char| c.is_alphanumeric()))
    {
        fail(format!(
            "{document} says \"in week\" for a period of {} days",
            days.map_or("?".into(), |d| d.to_string())
        ));
    }
    if !expect.allow_not_attributed && lower.contains("not attributed") {
        fail(format!("{document} contains \"not attributed\""));
    }
    if let Some(repeated) = repeated_in_parentheses(text) {
        fail(format!(
            "{document} repeats a name in parentheses: \"{repeated}\""
        ));
    }
    let allowed: BTreeSet<String> = expect.as_written.iter().map(|s| normalise(s)).collect();
    for (q, number) in qualified_figures(&normalise_lines(raw)) {
        if significant_digits(&number) > 3 && !allowed.contains(&format!("{q} {number}")) {
            fail(format!(
                "{document} prints \"{q} {number}\": a computed qualified figure with more \
                 than 3 significant digits (list it in as_written if the input writes it so)"
            ));
        }
    }
}

/// Everything about one corpus folder; each problem goes to `fail`.
fn run_operation(dir: &Path, fail: &mut dyn FnMut(String)) {
    let expect: Expect = match std::fs::read_to_string(dir.join("expect.toml"))
        .map_err(|e| e.to_string())
        .and_then(|t| toml::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(expect) => expect,
        Err(e) => {
            fail(format!("expect.toml unreadable: {e}"));
            return;
        }
    };
    run_check(dir, &expect, fail);

    let out = tempfile::tempdir().expect("temporary folder");
    let result = opbrief(&[
        "build",
        &dir.to_string_lossy(),
        "--out",
        &out.path().to_string_lossy(),
    ]);
    if result.status.code() != Some(0) {
        fail(format!(
            "build exited {:?}: {}",
            result.status.code(),
            diagnostics(&stderr(&result))
        ));
        return;
    }
    let Some(rev) = revision_dir(out.path()) else {
        fail("build wrote no revision folder".into());
        return;
    };
    let days = period_days(dir);

    let mut words = BTreeSet::new();
    match std::fs::read_to_string(rev.join("press-release.md")) {
        Ok(text) => {
            words = vocabulary(&text);
            let flat = normalise(&text);
            for entry in &expect.press_release {
                let alternatives: Vec<String> = entry.split('|').map(normalise).collect();
                if !alternatives.iter().any(|a| contains_alone(&flat, a)) {
                    fail(format!("press-release.md does not state \"{entry}\""));
                }
            }
            forbidden("press-release.md", &text, &expect, days, fail);
        }
        Err(e) => fail(format!("no press-release.md: {e}")),
    }

    let pdf = rev.join("briefing.pdf");
    let pdf = pdf.to_string_lossy();
    if let Err(e) = tool("qpdf", &["--check", &pdf]) {
        fail(format!("qpdf --check briefing.pdf: {}", first_lines(&e, 4)));
    }
    match tool("pdftotext", &[&pdf, "-"]) {
        Ok(text) => {
            forbidden("briefing.pdf", &text, &expect, days, fail);
            for cut in broken_across_lines(&text, &words) {
                fail(format!(
                    "briefing.pdf breaks a word or number across lines: \"{cut}\""
                ));
            }
        }
        Err(e) => fail(format!("pdftotext: {}", first_lines(&e, 4))),
    }
}

#[test]
fn every_corpus_operation_checks_builds_and_reads_right() {
    let dirs = operations();
    assert!(
        dirs.len() >= 14 || std::env::var_os("OPBRIEF_CORPUS").is_some(),
        "the corpus has {} operations, expected at least 14",
        dirs.len()
    );
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        run_operation(dir, &mut |message| {
            failures.push(format!("{name}: {message}"))
        });
    }
    assert!(
        failures.is_empty(),
        "{} corpus failure(s) in {} operations:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

/// The runner's own matching, so a corpus pass means what it says.
#[test]
fn the_runner_matches_figures_and_phrases_as_meant() {
    assert!(contains_alone("17 arrests", "17"));
    assert!(!contains_alone("in 2017, 170 arrests", "17"));
    assert!(!contains_alone("6 656 migrants", "6"));
    assert!(!contains_alone("1 150 t", "150"));
    assert!(!contains_alone("2.6 t", "6 t"));
    assert!(contains_alone("10 vehicles, 6 agencies", "6"));
    assert!(!contains_alone("officers from 10 countries", "0 countries"));
    assert!(contains_alone("Officers from 0 countries.", "0 countries"));
    assert!(!contains_alone("in 21 days", "1 days"));
    assert!(contains_alone("in 1 days of", "1 days"));

    assert_eq!(
        repeated_in_parentheses("the Opson (Opson) results"),
        Some("Opson (Opson)".into())
    );
    assert_eq!(repeated_in_parentheses("Naval Campaign (NC) and (x)"), None);

    assert_eq!(significant_digits("674 000"), 3);
    assert_eq!(significant_digits("133 481"), 6);
    assert_eq!(significant_digits("178.5609"), 7);
    assert_eq!(significant_digits("179"), 3);
    let figures = qualified_figures(
        "about 133 481 l and more than EUR 1.5 million, over five; parts add up to 50 840 000",
    );
    assert_eq!(
        figures,
        vec![
            ("more than".to_string(), "1.5".to_string()),
            ("about".to_string(), "133 481".to_string()),
        ]
    );

    assert_eq!(normalise("a\u{a0}b\u{202f}c \n\n d"), "a b c d");
    let words = vocabulary("nearly USD 1.5 million seized, EUR 1 751 500 in cash");
    assert_eq!(
        broken_across_lines(
            "nearly\nUSD 1.5 mil\nlion\nEUR 1 751 5\n00\nabout\n256 kg\n250\nArrests\nEUR 1 751 500\n12 000",
            &words
        ),
        vec!["USD 1.5 mil / lion", "EUR 1 751 5 / 00"]
    );
    // A tile's lines are not one number; a qualifier may end its line.
    let tile = normalise_lines("more than\n72 000\n\n100\nabout\n133 481 l");
    assert_eq!(
        qualified_figures(&tile),
        vec![
            ("more than".to_string(), "72 000".to_string()),
            ("about".to_string(), "133 481".to_string()),
        ]
    );
    let days = period_days(&repo().join("tests/corpus/synthetic-one-day"));
    assert_eq!(days, Some(1));
}
