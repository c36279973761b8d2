//! The command line: arguments, resolved once, and one module per command.
//! A command turns its arguments into library calls and its result into
//! text; `main` prints that text, or the error, once.

pub mod build;
pub mod check;
pub mod demo;
pub mod diff;
pub mod init;
pub mod proof;
pub mod watch;

use crate::error::{Error, exit};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// What a command that ran to the end hands to `main`: what it was asked
/// for (for stdout) and its exit code ([`exit::OK`], or [`exit::FINDINGS`]
/// when the figures hold errors).
#[derive(Debug, Default)]
pub struct Done {
    pub stdout: String,
    pub code: u8,
}

impl Done {
    pub fn ok(stdout: String) -> Done {
        Done {
            stdout,
            code: exit::OK,
        }
    }
}

/// Runs one parsed command.
pub fn run(command: &Command) -> Result<Done, Error> {
    match command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Init(args) => init::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Proof(args) => proof::run(args),
    }
}

/// The exit codes, in `--help` (and README "Commands").
const EXIT_CODES: &str = "\
Exit codes (every command):
  0   done, no errors in the figures
  1   done, errors found in the figures (proof: in the text); or build --strict refusing
  2   the input or the command line could not be used
  3   the output could not be written (disk full, permissions, the lock)
  70  internal error (a bug in opbrief; please report it)

What a command was asked for goes to stdout (check's findings, diff's
changes, what build wrote); errors, warnings and progress go to stderr.";

#[derive(Debug, Parser)]
#[command(
    name = "opbrief",
    version,
    about = "Check an operation's reported figures and write its briefing pack",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every figure of an operation folder and list the findings
    Check(CheckArgs),
    /// Check, then write the briefing pack as a new revision under the output folder
    Build(BuildArgs),
    /// Rerun check (or a draft build) whenever a file of the operation changes
    Watch(WatchArgs),
    /// Print what changed between two revisions (default: the last two)
    Diff(DiffArgs),
    /// Write a new operation folder from the default catalogue
    Init(InitArgs),
    /// Check a written text (a press release, a national version) against the figures
    Proof(ProofArgs),
    /// Write a SYNTHETIC operation folder (seeded, reproducible) for tests and benchmarks
    Demo(DemoArgs),
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The operation's output folder, e.g. output/jad-see-2023
    pub output: PathBuf,
    /// The earlier revision: `1` or `rev-001`
    #[arg(value_parser = revision_number)]
    pub from: Option<u32>,
    /// The later revision: `3` or `rev-003`
    #[arg(value_parser = revision_number)]
    pub to: Option<u32>,
    /// Output format of the changes (json: `{"schema_version": 1, "changes": …}`,
    /// the content as changes.json)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// A revision as `3`, `003` or `rev-003` (its folder's name).
fn revision_number(text: &str) -> Result<u32, String> {
    let digits = text.strip_prefix("rev-").unwrap_or(text);
    match digits.parse::<u32>() {
        Ok(n) if n > 0 && digits.chars().all(|c| c.is_ascii_digit()) => Ok(n),
        _ => Err(format!(
            "`{text}` is not a revision: give its number (3) or its folder's name (rev-003)"
        )),
    }
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// The operation folder (holds operation.toml and returns/)
    pub operation: PathBuf,
    #[arg(
        long,
        help = "Build a draft (into <out>/<operation id>/draft/, replaced each time) instead of only checking"
    )]
    pub build: bool,
    #[arg(
        long,
        default_value = "output",
        help = "Where the draft goes: <out>/<operation id>/draft/"
    )]
    pub out: PathBuf,
    /// Stop after this many runs (for tests and scripts)
    #[arg(long, hide = true)]
    pub runs: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The operation folder (holds operation.toml and returns/)
    pub operation: PathBuf,
    // The help as an attribute: as a doc comment rustdoc would read the
    // angle brackets as HTML tags.
    #[arg(
        long,
        default_value = "output",
        help = "Where revisions are written: <out>/<operation id>/rev-NNN/"
    )]
    pub out: PathBuf,
    /// Refuse to build when the checks find errors
    #[arg(long)]
    pub strict: bool,
    /// Print the wall time of each stage to stderr
    #[arg(long)]
    pub timings: bool,
    /// Print nothing but the errors in the figures (and errors that stop the build)
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// List the warnings too, like `check` prints them
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The operation folder (holds operation.toml and returns/)
    pub operation: PathBuf,
    /// Output format of the findings
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct ProofArgs {
    /// The operation folder (holds operation.toml and returns/)
    pub operation: PathBuf,
    /// The text to check: UTF-8 plain text or Markdown; `-` for standard input
    pub text: PathBuf,
    /// Output format of the verdicts
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create (must not exist or be empty)
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Participating countries: EU Member States first, then fictional states
    #[arg(long, default_value_t = 26)]
    pub countries: usize,
    /// Action days
    #[arg(long, default_value_t = 6)]
    pub days: usize,
    /// Participant returns (default countries × days); more add regional units as reporters
    #[arg(long)]
    pub returns: Option<usize>,
    /// The same seed gives byte-identical folders
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The folder to create (must not exist or be empty)
    #[arg(long)]
    pub out: PathBuf,
}

/// `SOURCE_DATE_EPOCH`, when set: the document date. Read by `check` too,
/// so that a value `build` cannot use is found there.
pub(crate) fn source_date_epoch() -> Result<Option<i64>, Error> {
    // 9999-12-31T23:59:59Z: the last moment a workbook can store.
    const LAST: i64 = 253_402_300_799;
    Ok(match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => Some(
            text.trim()
                .parse::<i64>()
                .ok()
                .filter(|seconds| (0..=LAST).contains(seconds))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "SOURCE_DATE_EPOCH must be whole seconds since 1970, up to {LAST} (the end of 9999), found `{}`",
                        crate::load::files::shown(&text, 40)
                    ))
                })?,
        ),
        Err(_) => None,
    })
}
