//! Output that cannot be written, builds killed mid-way, builds at once.
//!
//! Whatever goes wrong while publishing, a build exits 3 (the output could
//! not be written) naming the path, earlier revisions stay byte-identical,
//! and no temporary folder (`.tmp-rev-*`) or partial `rev-NNN` is left
//! behind.

mod common;

use common::*;
use opbrief::publish::{self, Manifest, Output};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const OPERATION: &str = r#"id = "small"
name = "Small operation"
start = 2024-03-04
end = 2024-03-06
marking = "PUBLIC"
countries = 2

[[groups]]
label = "EU Member States"
kind = "eu-member-states"
members = ["Austria"]

[[groups]]
label = "Non-EU countries"
kind = "non-eu-countries"
members = ["Serbia"]
"#;

/// A small operation folder whose Austrian return states `officers`.
fn small_operation(dir: &Path, officers: u64) {
    std::fs::create_dir_all(dir.join("returns")).unwrap();
    std::fs::write(dir.join("operation.toml"), OPERATION).unwrap();
    set_officers(dir, officers);
    std::fs::write(
        dir.join("returns/serbia.toml"),
        "reporter = \"Serbia\"\n\n[figures]\nofficers = 7\n\n[figures.arrests]\nmigrant_smuggling = 2\nother = 1\n",
    )
    .unwrap();
}

fn set_officers(dir: &Path, officers: u64) {
    std::fs::write(
        dir.join("returns/austria.toml"),
        format!("reporter = \"Austria\"\n\n[figures]\nofficers = {officers}\n"),
    )
    .unwrap();
}

fn build(op: &Path, out: &Path) -> std::process::Output {
    build_command(op, out).output().unwrap()
}

/// `opbrief build <op> --out <out>`, to run or spawn with more settings.
fn build_command(op: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_opbrief"));
    command
        .args([
            "build",
            &op.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
        ])
        .env_remove("SOURCE_DATE_EPOCH");
    command
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, into);
            } else {
                into.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, &mut files);
    files
}

/// Names in an operation's output folder, sorted.
fn entries(operation_out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(operation_out)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// No leftovers of a failed or killed build.
fn assert_no_temporary(operation_out: &Path) {
    for name in entries(operation_out) {
        assert!(!name.starts_with(".tmp-rev-"), "left behind: {name}");
    }
}

/// A revision is complete: the files its manifest lists, with their hashes,
/// and nothing else.
fn assert_complete(revision: &Path) {
    let manifest = publish::read_manifest(revision)
        .unwrap_or_else(|| panic!("{} has no readable manifest", revision.display()));
    let mut listed: Vec<PathBuf> = vec![revision.join("manifest.json")];
    for output in &manifest.outputs {
        let path = revision.join(&output.path);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            publish::sha256_hex(&bytes),
            output.sha256,
            "{}",
            path.display()
        );
        listed.push(path);
    }
    let mut present: Vec<PathBuf> = tree(revision).into_keys().collect();
    present.sort();
    listed.sort();
    assert_eq!(present, listed, "{}", revision.display());
}

/// The manifest of revision `revision` of the operation "small", before
/// publishing adds its outputs.
fn manifest(revision: u32) -> Manifest {
    Manifest {
        operation: "small".into(),
        revision,
        tool_version: "test".into(),
        timestamp: 0,
        inputs_sha256: format!("inputs-{revision}"),
        inputs: Vec::new(),
        outputs: Vec::new(),
    }
}

fn revisions(operation_out: &Path) -> Vec<PathBuf> {
    publish::revisions(operation_out)
        .into_iter()
        .map(|(_, dir)| dir)
        .collect()
}

#[test]
fn output_parent_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    small_operation(&op, 12);
    std::fs::write(tmp.path().join("blocker"), "not a folder").unwrap();
    let out = build(&op, &tmp.path().join("blocker/out"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("blocker"), "names the path: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read(tmp.path().join("blocker")).unwrap(),
        b"not a folder"
    );
}

#[test]
fn output_path_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    small_operation(&op, 12);
    let out_path = tmp.path().join("out-file");
    std::fs::write(&out_path, "a file").unwrap();
    let out = build(&op, &out_path);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("out-file"), "names the path: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// The operation's own output folder is taken by a file.
#[test]
fn operation_output_folder_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    small_operation(&op, 12);
    let out_root = tmp.path().join("out");
    std::fs::create_dir_all(&out_root).unwrap();
    std::fs::write(out_root.join("small"), "in the way").unwrap();
    let out = build(&op, &out_root);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("small"), "names the path: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// chmod 0500 on the output folder. Root ignores permissions, so there the
/// test says so and stops; the file-in-the-way tests above cover the same
/// failure portably.
#[cfg(unix)]
#[test]
fn output_folder_not_writable() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    small_operation(&op, 12);
    let out_root = tmp.path().join("out");
    let first = build(&op, &out_root);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let operation_out = out_root.join("small");
    let before = tree(&operation_out);
    std::fs::set_permissions(&operation_out, std::fs::Permissions::from_mode(0o500)).unwrap();
    let probe = operation_out.join("probe");
    if std::fs::write(&probe, "x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        std::fs::set_permissions(&operation_out, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!(
            "running as root: permissions do not apply; covered by the file-in-the-way tests"
        );
        return;
    }
    set_officers(&op, 13);
    let out = build(&op, &out_root);
    std::fs::set_permissions(&operation_out, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("small"), "{err}");
    assert_eq!(tree(&operation_out), before);
}

/// A write that fails at the n-th file (as on a full disk), for every n:
/// the error names the file, the earlier revision is untouched, nothing
/// temporary is left.
#[test]
fn a_failed_write_at_any_file_leaves_no_partial_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let out_root = tmp.path();
    let outputs = || {
        vec![
            Output {
                path: "briefing.pdf".into(),
                bytes: vec![1; 5000],
            },
            Output {
                path: "partners/austria.xlsx".into(),
                bytes: vec![2; 3000],
            },
            Output {
                path: "press-release.md".into(),
                bytes: b"text".to_vec(),
            },
        ]
    };
    let first = publish::publish(out_root, manifest(1), outputs()).unwrap();
    let operation_out = out_root.join("small");
    let before = tree(&operation_out);
    // Three outputs and the manifest (written side by side): fail at each.
    for fail_at in [
        "briefing.pdf",
        "austria.xlsx",
        "press-release.md",
        "manifest.json",
    ] {
        let failing = |path: &Path, bytes: &[u8]| {
            if path.ends_with(fail_at) {
                // Half the bytes, then the disk is full.
                std::fs::write(path, &bytes[..bytes.len() / 2])?;
                return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
            }
            publish::write_file(path, bytes)
        };
        let error = publish::publish_with(out_root, manifest(2), outputs(), &failing)
            .expect_err("the write fails");
        let message = error.to_string();
        assert!(
            message.contains(".tmp-rev-002"),
            "names the file: {message}"
        );
        assert_eq!(tree(&operation_out), before, "failing at write {fail_at}");
        assert_eq!(revisions(&operation_out), std::slice::from_ref(&first));
        assert_no_temporary(&operation_out);
    }
    assert_complete(&first);
}

/// Unmounts the tiny tmpfs however the test ends.
struct Mount(PathBuf);

impl Mount {
    /// A tmpfs of `size` (e.g. "64k") at `dir`, or `None` where one cannot be
    /// mounted (not root): the caller says its test was skipped.
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap();
        Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
            .then(|| Mount(dir.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A real full disk: a 512 KiB tmpfs (as root; elsewhere the test says why
/// it did not run, and the injected failure above still covers the code).
#[test]
fn disk_full() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    small_operation(&op, 12);
    let disk = tmp.path().join("disk");
    let Some(_mount) = Mount::tmpfs(&disk, "512k") else {
        eprintln!("cannot mount a tmpfs here (not root?): disk-full test skipped");
        return;
    };
    let out_root = disk.join("out");
    let first = build(&op, &out_root);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let operation_out = out_root.join("small");
    let before = tree(&operation_out);

    // Fill the disk, leaving a few KiB: not enough for a revision.
    let mut filler = std::fs::File::create(disk.join("filler")).unwrap();
    let chunk = vec![0u8; 4096];
    while std::io::Write::write_all(&mut filler, &chunk).is_ok() {}
    drop(filler);
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .open(disk.join("filler"))
        .and_then(|f| {
            let len = f.metadata()?.len();
            f.set_len(len.saturating_sub(8192))
        });

    set_officers(&op, 13);
    let out = build(&op, &out_root);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert!(
        err.contains(&operation_out.display().to_string()),
        "names the path: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(tree(&operation_out), before, "rev-001 untouched");
    assert_no_temporary(&operation_out);
    assert_eq!(revisions(&operation_out).len(), 1);

    // Space again: the next build succeeds.
    std::fs::remove_file(disk.join("filler")).unwrap();
    let again = build(&op, &out_root);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let all = revisions(&operation_out);
    assert_eq!(all.len(), 2);
    for revision in &all {
        assert_complete(revision);
    }
}

/// Kill -9 a build after k milliseconds, for many k, changing an input each
/// time so every build would write a new revision. After each kill every
/// revision present is complete and the earlier ones are byte-identical;
/// a final unkilled build removes what the killed ones left.
#[test]
fn killed_builds_leave_complete_revisions_only() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    copy_dir(&sample(), &op);
    let out_root = tmp.path().join("out");
    let operation_out = out_root.join("jad-see-2023");
    let consolidated = op.join("returns/consolidated.toml");
    let original = std::fs::read_to_string(&consolidated).unwrap();

    // How long one build takes here, to spread the kill points over it.
    let started = std::time::Instant::now();
    let first = build(&op, &out_root);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let span = started.elapsed().as_millis().clamp(20, 2000) as u64;

    let mut kept = tree(&operation_out);
    let points = 24;
    for i in 0..points {
        // A different officers figure each time: a new revision is due.
        let changed = original.replacen("officers = ", &format!("officers = {}", i + 1), 1);
        std::fs::write(&consolidated, changed).unwrap();
        let mut child = build_command(&op, &out_root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(span * i / points));
        let _ = child.kill();
        let _ = child.wait();

        let now = tree(&operation_out);
        for (path, bytes) in &kept {
            // Only revisions are kept; a killed build's temporary folder is
            // for the next build to remove.
            let in_revision = path
                .strip_prefix(&operation_out)
                .ok()
                .and_then(|p| p.components().next())
                .is_some_and(|c| c.as_os_str().to_string_lossy().starts_with("rev-"));
            if !in_revision {
                continue;
            }
            assert_eq!(now.get(path), Some(bytes), "{} changed", path.display());
        }
        for revision in revisions(&operation_out) {
            assert_complete(&revision);
        }
        kept = now;
    }
    std::fs::write(
        &consolidated,
        original.replacen("officers = ", "officers = 99", 1),
    )
    .unwrap();
    let last = build(&op, &out_root);
    assert_eq!(last.status.code(), Some(0), "{}", stderr(&last));
    assert_no_temporary(&operation_out);
    for revision in revisions(&operation_out) {
        assert_complete(&revision);
    }
}

/// Two builds of the same operation at once: both succeed, one writes the
/// revision, the other (after waiting for the lock) finds nothing changed.
#[test]
fn concurrent_builds_do_not_corrupt() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    small_operation(&op, 12);
    let out_root = tmp.path().join("out");
    let operation_out = out_root.join("small");
    for round in 0..3u64 {
        set_officers(&op, 20 + round);
        let spawn = || {
            build_command(&op, &out_root)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
        assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
        let said = format!("{}{}", stdout(&a), stdout(&b));
        assert_eq!(said.matches("wrote ").count(), 1, "{said}");
        assert_eq!(said.matches("no changes since").count(), 1, "{said}");
        let all = revisions(&operation_out);
        assert_eq!(all.len() as u64, round + 1);
        for revision in &all {
            assert_complete(revision);
        }
        assert_no_temporary(&operation_out);
    }
}

/// Returns sheets stream through an unnamed temporary file: without a
/// usable TMPDIR the build stops before writing anything and says what to
/// set.
#[test]
fn temporary_folder_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    small_operation(&op, 12);
    let out_root = tmp.path().join("out");
    let result = build_command(&op, &out_root)
        .env("TMPDIR", tmp.path().join("missing"))
        .output()
        .unwrap();
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(3), "{err}");
    assert!(
        err.contains("workbook.xlsx: cannot create a temporary file in"),
        "{err}"
    );
    assert!(err.contains("set TMPDIR to a writable folder"), "{err}");
    assert!(revisions(&out_root.join("small")).is_empty());
    assert_no_temporary(&out_root.join("small"));
}

/// Documents go into the staging folder as they are rendered; a render
/// that fails after some were written (the staging dropped unfinished)
/// leaves neither a revision nor the folder, and the next build can still
/// write that revision.
#[test]
fn a_render_failing_after_some_documents_were_written_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let operation_out = tmp.path().join("small");
    let staging = publish::Staging::begin(tmp.path(), "small", 1, &publish::write_file).unwrap();
    staging
        .put(&Output {
            path: "partners/austria.xlsx".into(),
            bytes: vec![2; 3000],
        })
        .unwrap();
    let staged: Vec<String> = entries(&operation_out);
    assert_eq!(staged.len(), 1, "{staged:?}");
    assert!(staged[0].starts_with(".tmp-rev-001-"), "{staged:?}");
    drop(staging);
    assert!(revisions(&operation_out).is_empty());
    assert!(
        entries(&operation_out).is_empty(),
        "{:?}",
        entries(&operation_out)
    );

    let staging = publish::Staging::begin(tmp.path(), "small", 1, &publish::write_file).unwrap();
    let manifest = manifest(1);
    let dir = staging.finish(manifest).unwrap();
    assert_eq!(revisions(&operation_out), vec![dir.clone()]);
    assert_complete(&dir);
}

/// Two outputs on one path (two partners whose pack names met) fail the
/// build instead of one overwriting the other.
#[test]
fn two_outputs_on_one_path_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = manifest(1);
    let pack = |byte: u8| Output {
        path: "partners/a.xlsx".into(),
        bytes: vec![byte; 100],
    };
    let error = publish::publish(tmp.path(), manifest, vec![pack(1), pack(2)])
        .expect_err("a second file on the same path");
    assert!(error.to_string().contains("a.xlsx"), "{error}");
    assert!(revisions(&tmp.path().join("small")).is_empty());
    assert_no_temporary(&tmp.path().join("small"));
}

/// A temporary folder that fills up while a Returns sheet streams through
/// it: the library writing it gives up (it panics), and the build reports
/// that as an error about the workbook, exit 3, nothing written.
#[test]
fn temporary_folder_full() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    // 10 countries × 30 days: a Returns sheet (one row per return) of
    // some 300 KB.
    let made = opbrief(&[
        "demo",
        "--countries",
        "10",
        "--days",
        "30",
        "--out",
        &op.to_string_lossy(),
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let disk = tmp.path().join("tmp");
    let Some(_mount) = Mount::tmpfs(&disk, "64k") else {
        eprintln!("cannot mount a tmpfs here (not root?): full-TMPDIR test skipped");
        return;
    };
    let out_root = tmp.path().join("out");
    let result = build_command(&op, &out_root)
        .env("TMPDIR", &disk)
        .output()
        .unwrap();
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(3), "{err}");
    assert!(
        err.contains("workbook.xlsx: cannot write the workbook"),
        "{err}"
    );
    assert!(err.contains("TMPDIR"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let operation_out = std::fs::read_dir(&out_root)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(revisions(&operation_out).is_empty());
    assert_no_temporary(&operation_out);
}

/// A FIFO where the lock or the last revision's manifest should be is
/// refused at once, never waited on.
#[test]
fn a_fifo_in_the_output_folder_is_refused_not_waited_on() {
    for (fifo, code) in [(".lock", 3), ("rev-001/manifest.json", 2)] {
        let out = tempfile::tempdir().unwrap();
        let path = out.path().join("jad-see-2023").join(fifo);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_opbrief"))
            .args([
                "build",
                &sample().to_string_lossy(),
                "--out",
                &out.path().to_string_lossy(),
            ])
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > std::time::Duration::from_secs(20) {
                let _ = child.kill();
                panic!("{fifo}: build waited on the FIFO");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(code), "{fifo}: {err}");
        assert!(err.contains("not a regular file"), "{fifo}: {err}");
    }
}
