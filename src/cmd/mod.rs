//! The command line: arguments, resolved once, and one module per command.

pub mod build;
pub mod check;
pub mod demo;
pub mod diff;
pub mod init;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Exit codes: 0 ok, 1 findings with errors, 2 usage or input error.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INPUT: u8 = 2;

/// The text a panic carries (`panic!("…")`, `expect("…")`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[derive(Debug, Parser)]
#[command(
    name = "opbrief",
    version,
    about = "Check an operation's reported figures and write its briefing pack"
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
    /// Print what changed between two revisions (default: the last two)
    Diff(DiffArgs),
    /// Write a new operation folder from the default catalogue
    Init(InitArgs),
    /// Write a SYNTHETIC operation folder (seeded, reproducible) for tests and benchmarks
    Demo(DemoArgs),
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The operation's output folder, e.g. output/jad-see-2023
    pub output: PathBuf,
    /// The earlier revision number
    pub from: Option<u32>,
    /// The later revision number
    pub to: Option<u32>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The operation folder (holds operation.toml and returns/)
    pub operation: PathBuf,
    /// Where revisions are written: <out>/<operation id>/rev-NNN/
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Refuse to build when the checks find errors
    #[arg(long)]
    pub strict: bool,
    /// Print the wall time of each stage to stderr
    #[arg(long)]
    pub timings: bool,
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
