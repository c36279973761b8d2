//! The command line's contract: one exit-code table for every command,
//! what goes to stdout and what to stderr, a closed pipe ended quietly, and
//! outputs that do not depend on where opbrief ran or how the operation
//! folder was spelled.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Every file under `dir` by path relative to it, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                into.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(dir, dir, &mut found);
    found
}

/// `opbrief build data/x --out o` inside the repository and
/// `opbrief build ../repo/data/x --out /abs/o` from a folder beside it
/// write the same bytes: no output holds the path as typed.
#[test]
fn a_revision_does_not_depend_on_the_working_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    copy_dir(&sample(), &repo.join("data/x"));
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let absolute_out = tmp.path().join("abs/o");

    let here = opbrief_in(&repo, &["build", "data/x", "--out", "o"]);
    assert_eq!(here.status.code(), Some(0), "{}", stderr(&here));
    let there = opbrief_in(
        &elsewhere,
        &[
            "build",
            "../repo/data/x",
            "--out",
            &absolute_out.to_string_lossy(),
        ],
    );
    assert_eq!(there.status.code(), Some(0), "{}", stderr(&there));

    let a = files(&repo.join("o/jad-see-2023/rev-001"));
    let b = files(&absolute_out.join("jad-see-2023/rev-001"));
    assert!(a.contains_key(Path::new("findings.json")), "{:?}", a.keys());
    assert!(a.contains_key(Path::new("manifest.json")));
    assert!(a.contains_key(Path::new("briefing.pdf")));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs", path.display());
    }
    // Findings name their files relative to the operation folder.
    let findings = String::from_utf8_lossy(&a[Path::new("findings.json")]).into_owned();
    assert!(findings.contains("\"returns/"), "{findings}");
    assert!(!findings.contains("data/x"), "{findings}");
    // The terminal still names files as typed, so they can be opened.
    let checked = opbrief_in(&elsewhere, &["check", "../repo/data/x"]);
    assert!(
        stdout(&checked).contains("../repo/data/x/"),
        "{}",
        stdout(&checked)
    );
}

/// `opbrief check big | head -c 1`: the reader stops after one byte of
/// well over 64 KiB of findings; opbrief stops quietly with the exit code
/// the check had (1: the demo plants errors).
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_output_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("d5k");
    let made = opbrief(&["demo", "--out", &op.to_string_lossy(), "--returns", "5000"]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));

    let mut child = Command::new(env!("CARGO_BIN_EXE_opbrief"))
        .args(["check", "--format", "json", &op.to_string_lossy()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    pipe.read_exact(&mut first).unwrap();
    // Closing the read end is what `head -c 1` does after its byte.
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.is_empty(), "no message for a closed pipe: {err}");

    // The same findings, read to the end, are far more than a pipe holds
    // (the JSON lists every place of a finding; the terminal report, the first few).
    let whole = opbrief(&["check", "--format", "json", &op.to_string_lossy()]);
    assert!(whole.stdout.len() > 64 * 1024, "{}", whole.stdout.len());
    assert_eq!(whole.stdout[0], first[0]);

    // The terminal draws the first places of a finding over thousands of
    // returns and counts the rest.
    let terminal = stdout(&opbrief(&["check", &op.to_string_lossy()]));
    assert!(
        terminal.contains("more places (`--format json` and findings.json list every one)"),
        "{terminal}"
    );
    assert!(terminal.len() < 64 * 1024, "{}", terminal.len());
}

/// 0 done and clean; 1 errors in the figures; 2 input or command line;
/// 3 output — for check, build, diff, init and demo alike.
#[test]
fn every_command_uses_one_table_of_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let path = |name: &str| tmp.path().join(name).to_string_lossy().into_owned();
    let code = |args: &[&str]| {
        let out = opbrief(args);
        (out.status.code(), stdout(&out), stderr(&out))
    };

    // 0: a new folder from init checks clean.
    let (c, said, err) = code(&["init", &path("new")]);
    assert_eq!(c, Some(0), "{err}");
    assert!(said.contains("wrote a new operation folder"), "{said}");
    assert!(err.is_empty(), "{err}");
    let (c, said, _) = code(&["check", &path("new")]);
    assert_eq!(c, Some(0));
    assert!(said.contains("no findings"), "{said}");

    // 1: errors in the figures; --strict refuses with the same code.
    let sample = sample().to_string_lossy().into_owned();
    assert_eq!(code(&["check", &sample]).0, Some(1));
    let (c, said, err) = code(&["build", &sample, "--out", &path("o"), "--strict"]);
    assert_eq!(c, Some(1), "{err}");
    assert!(said.is_empty(), "{said}");
    assert!(err.contains("--strict: not building"), "{err}");

    // 2: input or command line.
    assert_eq!(code(&["check", &path("missing")]).0, Some(2));
    assert_eq!(code(&["check"]).0, Some(2), "clap's usage error");
    assert_eq!(code(&["frobnicate"]).0, Some(2), "clap's usage error");
    let (c, said, err) = code(&["init", &path("new")]);
    assert_eq!(c, Some(2), "not empty");
    assert!(said.is_empty() && err.contains("not empty"), "{said}{err}");
    assert_eq!(
        code(&["demo", "--days", "0", "--out", &path("d")]).0,
        Some(2)
    );
    let (c, _, err) = code(&["diff", &path("o")]);
    assert_eq!(c, Some(2), "{err}");
    assert!(err.contains("does not exist"), "{err}");

    // 3: output. A file where a folder must be created.
    std::fs::write(tmp.path().join("file"), "in the way").unwrap();
    let (c, said, err) = code(&["init", &path("file/new")]);
    assert_eq!(c, Some(3), "{err}");
    assert!(said.is_empty(), "{said}");
    assert!(
        err.starts_with("error: ") && err.contains("file/new"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "printed once: {err}");
    let (c, _, err) = code(&["demo", "--out", &path("file/demo")]);
    assert_eq!(c, Some(3), "{err}");

    // The table is in --help.
    let (c, help, _) = code(&["--help"]);
    assert_eq!(c, Some(0));
    for line in ["Exit codes", "70", "could not be written"] {
        assert!(help.contains(line), "{help}");
    }
}

/// What build was asked for goes to stdout — the revision, its files and
/// the errors by name — whether it wrote a revision or found nothing new;
/// stderr stays empty.
#[test]
fn build_reports_what_it_wrote_on_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let first = opbrief(&[
        "build",
        &sample().to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stderr(&first).is_empty(), "{}", stderr(&first));
    let said = stdout(&first);
    let files = files(&out.join("jad-see-2023/rev-001")).len();
    assert!(said.contains("rev-001"), "{said}");
    assert!(said.contains(&format!("({files} files; ")), "{said}");
    assert!(said.contains("open briefing.pdf first"), "{said}");
    // The findings as check finds them: the summary, then each error quoted.
    let checked = opbrief::pipeline::check(&sample()).unwrap();
    let summary = format!("{}, in findings.json", checked.findings.summary());
    assert!(said.contains(&summary), "{summary} in {said}");
    let errors: Vec<_> = checked
        .findings
        .iter()
        .filter(|f| f.severity == opbrief::check::Severity::Error)
        .collect();
    assert!(!errors.is_empty(), "the sample has errors");
    assert_eq!(
        said.matches("\nerror[").count() + usize::from(said.starts_with("error[")),
        errors.len(),
        "{said}"
    );
    for error in errors {
        let message = opbrief::check::wording::message(&checked.op, error);
        assert!(said.contains(&message), "{message} in {said}");
    }

    let again = opbrief(&[
        "build",
        &sample().to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(again.status.code(), Some(0));
    assert!(stderr(&again).is_empty(), "{}", stderr(&again));
    assert!(stdout(&again).contains("no changes since revision 1"));
}

/// The library call the commands make is the one tests make.
#[test]
fn check_is_one_library_call() {
    let checked = opbrief::pipeline::check(&sample()).unwrap();
    assert!(checked.findings.has_errors());
    assert!(!checked.texts.press_release.is_empty());
    let missing = opbrief::pipeline::check(Path::new("/nonexistent/opbrief")).unwrap_err();
    assert_eq!(missing.exit_code(), opbrief::error::exit::INPUT);
}
