#![forbid(unsafe_code)]

use clap::Parser;
use opbrief::cmd::{self, Cli};
use opbrief::diagnostic::panic_message;
use opbrief::error::Error;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;

/// Where the last panic happened, for the one-line report.
static PANIC_AT: Mutex<Option<String>> = Mutex::new(None);

fn main() -> ExitCode {
    // Usage errors: clap prints them and exits 2 itself.
    let cli = Cli::parse();
    // A panic is a bug: the user gets one error line and exit code 70, not
    // a thread dump. The hook only notes where; whoever catches the panic
    // reports it (a render job turns rust_xlsxwriter's panic on a full
    // TMPDIR into an output error).
    std::panic::set_hook(Box::new(|info| {
        if let (Some(at), Ok(mut slot)) = (info.location(), PANIC_AT.lock()) {
            *slot = Some(format!("{}:{}", at.file(), at.line()));
        }
    }));
    let result = std::panic::catch_unwind(|| cmd::run(&cli.command)).unwrap_or_else(|payload| {
        let at = PANIC_AT
            .lock()
            .ok()
            .and_then(|slot| slot.clone())
            .unwrap_or_default();
        Err(Error::Internal(format!(
            "at {at}: {}",
            panic_message(payload.as_ref())
        )))
    });
    match result {
        Ok(done) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(done.stdout.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A reader that stopped early (`| head`) wanted no more:
                // no message, and the exit code the command had.
                Ok(()) => ExitCode::from(done.code),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(done.code),
                Err(e) => {
                    let error = Error::output("standard output", e);
                    report(&error);
                    ExitCode::from(error.exit_code())
                }
            }
        }
        Err(error) => {
            report(&error);
            ExitCode::from(error.exit_code())
        }
    }
}

/// Prints the error that stopped the command, once, to stderr. If stderr
/// is gone too there is no one left to tell.
fn report(error: &Error) {
    let style = opbrief::report::Style::stderr();
    let _ = std::io::stderr().write_all(error.report_in(style).as_bytes());
}
