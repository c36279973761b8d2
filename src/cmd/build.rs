//! `opbrief build`: the pipeline, then what it wrote: the errors as `check`
//! prints them, the warnings counted (listed with `-v`), the folder and its
//! files with their sizes, and what to open first.

use super::{BuildArgs, Done};
use crate::check::{Finding, Findings, Severity};
use crate::error::Error;
use crate::pipeline::{self, Built, Config, Outcome, Timings};
use crate::report::{self, Style};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub(super) fn config(operation: &Path, out: &Path, strict: bool) -> Result<Config, Error> {
    let timestamp = super::source_date_epoch()?;
    Ok(Config {
        operation: operation.to_path_buf(),
        out: out.to_path_buf(),
        strict,
        timestamp,
    })
}

/// How much `build` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verbosity {
    /// Only the errors in the figures.
    Quiet,
    /// Errors, warnings counted, the files written.
    Normal,
    /// Warnings listed too.
    Verbose,
}

pub fn run(args: &BuildArgs) -> Result<Done, Error> {
    let config = config(&args.operation, &args.out, args.strict)?;
    let verbosity = match (args.quiet, args.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let mut timings = Timings::default();
    let progress = if verbosity == Verbosity::Quiet {
        None
    } else {
        Progress::start()
    };
    let built = pipeline::build_timed(&config, &mut timings);
    drop(progress);
    if args.timings {
        // Asked for, but about the run: stderr, even when the build failed.
        eprint!("{timings}");
    }
    // A revision with errors in it is still what was asked for (the
    // briefing shows them): exit 0. Only --strict turns them into exit 1.
    Ok(Done::ok(said(&built?, verbosity, Style::stdout())))
}

/// What the build found and wrote (or why nothing), and what changed since
/// the revision before.
pub fn said(built: &Built, verbosity: Verbosity, style: Style) -> String {
    let findings = &built.checked.findings;
    let mut out = findings_said(built, verbosity, style);
    if verbosity == Verbosity::Quiet {
        return out;
    }
    match &built.outcome {
        Outcome::Written {
            dir,
            files,
            changes,
            revision,
        } => {
            let _ = writeln!(
                out,
                "wrote revision {revision}: {} ({} files; {}{})",
                dir.display(),
                files.len(),
                findings.summary(),
                if findings.iter().next().is_some() {
                    ", in findings.json"
                } else {
                    ""
                }
            );
            out.push_str(&files_said(dir, files));
            if let Some(changes) = changes {
                out.push_str(&changes.to_text());
            }
            let _ = writeln!(
                out,
                "open briefing.pdf first: {}",
                dir.join("briefing.pdf").display()
            );
        }
        Outcome::Unchanged { revision, dir } => {
            let _ = writeln!(
                out,
                "no changes since revision {revision}: {} ({}); nothing written",
                dir.display(),
                findings.summary()
            );
        }
    }
    out
}

/// The errors like `check` prints them; the warnings and notes counted (by
/// code when there are many) or, verbose, listed too.
fn findings_said(built: &Built, verbosity: Verbosity, style: Style) -> String {
    let (op, findings) = (&built.checked.op, &built.checked.findings);
    let is_error = |f: &&Finding| f.severity == Severity::Error;
    let mut out = report::diagnostics(op, findings.iter().filter(is_error), style);
    let errors = findings.count(Severity::Error);
    if errors > report::MANY {
        out.push_str(&report::by_code(findings.iter().filter(is_error)));
    }
    if verbosity == Verbosity::Quiet {
        return out;
    }
    let others: Vec<&Finding> = findings.iter().filter(|f| !is_error(f)).collect();
    if others.is_empty() {
        return out;
    }
    if verbosity == Verbosity::Verbose {
        out.push_str(&report::diagnostics(op, others.iter().copied(), style));
    }
    let rest = Findings(others.iter().map(|f| (*f).clone()).collect());
    let mut line = rest.summary();
    if verbosity == Verbosity::Normal {
        line.push_str(" (`build -v` or `check` lists them)");
    }
    let _ = writeln!(out, "{line}");
    out.push_str(&report::by_code(others.into_iter()));
    out
}

/// The documents written, with their sizes: briefing, master workbook,
/// partner packs (counted), press release; the data files by name.
fn files_said(dir: &Path, files: &[PathBuf]) -> String {
    let size = |path: &Path| std::fs::metadata(dir.join(path)).map_or(0, |m| m.len());
    let mut out = String::new();
    let mut packs = (0usize, 0u64);
    let mut data = Vec::new();
    for file in files {
        if file.starts_with("partners") {
            packs.0 += 1;
            packs.1 += size(file);
        } else if file.extension().is_some_and(|e| e == "json") {
            data.push(file.display().to_string());
        } else {
            let _ = writeln!(out, "  {:<22} {:>9}", file.display(), bytes(size(file)));
        }
    }
    if packs.0 > 0 {
        let what = format!(
            "partners/ ({} pack{})",
            packs.0,
            if packs.0 == 1 { "" } else { "s" }
        );
        let _ = writeln!(out, "  {what:<22} {:>9}", bytes(packs.1));
    }
    if !data.is_empty() {
        let _ = writeln!(out, "  {}", data.join(", "));
    }
    out
}

/// "35 KB", "3.2 MB", "812 B".
fn bytes(n: u64) -> String {
    const K: u64 = 1000;
    match n {
        n if n < K => format!("{n} B"),
        n if n < K * K => format!("{} KB", n.div_ceil(K)),
        n => format!("{:.1} MB", n as f64 / (K * K) as f64),
    }
}

/// A line on a terminal's stderr, shown once a build has taken a second,
/// with the seconds so far; gone when the build ends. Never on a pipe.
pub struct Progress {
    stop: std::sync::mpsc::Sender<()>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    pub fn start() -> Option<Progress> {
        use std::io::{IsTerminal, Write};
        use std::time::{Duration, Instant};
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut shown = false;
            let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let mut frame = 0;
            // Until told to stop (or the build's side is gone).
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                stopped.recv_timeout(Duration::from_millis(120))
            {
                let elapsed = started.elapsed();
                if elapsed < Duration::from_secs(1) {
                    continue;
                }
                shown = true;
                frame = (frame + 1) % frames.len();
                let _ = write!(
                    std::io::stderr(),
                    "\r{} building… {:.1} s",
                    frames[frame],
                    elapsed.as_secs_f64()
                );
            }
            if shown {
                // Erase the line, so the report starts on a clean one.
                let _ = write!(std::io::stderr(), "\r\x1b[2K");
            }
        });
        Some(Progress {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        let _ = self.stop.send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
