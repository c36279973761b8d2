//! `opbrief watch`: reruns `check` (or, with `--build`, a draft build)
//! whenever a file of the operation folder changes, with a one-line status
//! and the time; a broken file prints its error and watching goes on.
//!
//! A draft is built as a first revision into a scratch folder and then put
//! in place of `<out>/<id>/draft/`: numbered revisions come only from
//! `build`, and the draft never counts as one.

use super::build::{Verbosity, config, said};
use super::{Done, WatchArgs};
use crate::error::Error;
use crate::pipeline::{self, Outcome};
use crate::report::Style;
use notify::{RecursiveMode, Watcher};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Quiet time after a change before rerunning: an editor's save or a copy
/// of many returns is one change, not dozens.
const DEBOUNCE: Duration = Duration::from_millis(300);

pub fn run(args: &WatchArgs) -> Result<Done, Error> {
    let dir = &args.operation;
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not an operation folder",
            dir.display()
        )));
    }
    let (events, changes) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading the files (the check itself) is no change; the watcher's
        // own errors end in a rerun too.
        use notify::EventKind;
        use notify::event::ModifyKind;
        let change = match event {
            Ok(e) => match e.kind {
                EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(
                    ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any | ModifyKind::Other,
                ) => Ok(e.paths),
                _ => return,
            },
            Err(e) => Err(e),
        };
        let _ = events.send(change);
    })
    .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", dir.display())))?;
    watcher
        .watch(dir, RecursiveMode::Recursive)
        .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", dir.display())))?;
    let out = std::path::absolute(&args.out).unwrap_or_else(|_| args.out.clone());
    let terminal = std::io::stdout().is_terminal();
    let style = Style::stdout();
    let mut runs = 0u64;
    loop {
        let text = once(args, style);
        let mut stdout = std::io::stdout().lock();
        let clear = if terminal { "\x1b[2J\x1b[H" } else { "" };
        // A reader that went away ends the watch, like any closed pipe.
        if write!(stdout, "{clear}{text}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return Ok(Done::ok(String::new()));
        }
        drop(stdout);
        runs += 1;
        if args.runs.is_some_and(|limit| runs >= limit) {
            return Ok(Done::ok(String::new()));
        }
        if !wait_for_change(&changes, &out) {
            return Ok(Done::ok(String::new()));
        }
    }
}

/// Blocks until a file of the operation changes (not one the draft build
/// writes, should `--out` lie inside it), then until things are quiet.
/// `false` when the watcher is gone.
fn wait_for_change(changes: &mpsc::Receiver<notify::Result<Vec<PathBuf>>>, out: &Path) -> bool {
    let relevant = |event: &notify::Result<Vec<PathBuf>>| match event {
        Ok(paths) => paths.iter().any(|p| !p.starts_with(out)),
        Err(_) => true,
    };
    loop {
        match changes.recv() {
            Ok(event) if relevant(&event) => break,
            Ok(_) => continue,
            Err(_) => return false,
        }
    }
    while changes.recv_timeout(DEBOUNCE).is_ok() {}
    true
}

/// One run: the findings (or the error) and the status line.
fn once(args: &WatchArgs, style: Style) -> String {
    let clock = time::OffsetDateTime::now_utc();
    let at = format!(
        "{:02}:{:02}:{:02} UTC",
        clock.hour(),
        clock.minute(),
        clock.second()
    );
    let dir = args.operation.display();
    let result = if args.build {
        draft(args, style)
    } else {
        pipeline::check(&args.operation).map(|checked| {
            let text = crate::report::findings(&checked.op, &checked.findings, style);
            (text, checked.findings.summary())
        })
    };
    match result {
        Ok((text, status)) => format!("{text}[{at}] {dir}: {status}; watching for changes\n"),
        Err(error) => format!(
            "{}[{at}] {dir}: {}; watching for changes\n",
            error.report_in(style),
            match error {
                Error::Load(_) => "cannot be read".to_string(),
                other => other.to_string(),
            }
        ),
    }
}

/// A draft build: a first revision in a scratch folder, moved to
/// `<out>/<id>/draft/` in place of the previous draft.
fn draft(args: &WatchArgs, style: Style) -> Result<(String, String), Error> {
    let scratch = args.out.join(".draft-build");
    remove(&scratch)?;
    let built = pipeline::build(&config(&args.operation, &scratch, false)?);
    let result = built.and_then(|built| {
        let Outcome::Written { dir, .. } = &built.outcome else {
            return Err(Error::Internal("a fresh draft found a revision".into()));
        };
        let target = args.out.join(&built.checked.op.id).join("draft");
        remove(&target)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::output(parent, e))?;
        }
        std::fs::rename(dir, &target).map_err(|e| Error::output(&target, e))?;
        let text = said(&built, Verbosity::Quiet, style);
        let status = format!(
            "{}; draft in {}",
            built.checked.findings.summary(),
            target.display()
        );
        Ok((text, status))
    });
    remove(&scratch)?;
    result
}

fn remove(dir: &Path) -> Result<(), Error> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::output(dir, e)),
        _ => Ok(()),
    }
}
