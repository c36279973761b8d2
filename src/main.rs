#![forbid(unsafe_code)]

use clap::Parser;
use opbrief::cmd::{self, Cli, Command, EXIT_INPUT, panic_message};
use std::process::ExitCode;
use std::sync::Mutex;

/// Where the last panic happened, for the one-line report.
static PANIC_AT: Mutex<Option<String>> = Mutex::new(None);

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A panic is a bug or a library giving up (rust_xlsxwriter panics when
    // its temporary file cannot be written). Either way the user gets one
    // error line and exit code 2, not a thread dump: the hook only notes
    // where, and whoever catches the panic reports it.
    std::panic::set_hook(Box::new(|info| {
        if let (Some(at), Ok(mut slot)) = (info.location(), PANIC_AT.lock()) {
            *slot = Some(format!("{}:{}", at.file(), at.line()));
        }
    }));
    let run = std::panic::catch_unwind(|| match &cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Init(args) => cmd::init::run(args),
    });
    match run {
        Ok(code) => ExitCode::from(code),
        Err(payload) => {
            let at = PANIC_AT
                .lock()
                .ok()
                .and_then(|slot| slot.clone())
                .unwrap_or_default();
            eprintln!(
                "error: internal error at {at}: {}; please report it",
                panic_message(payload.as_ref())
            );
            ExitCode::from(EXIT_INPUT)
        }
    }
}
