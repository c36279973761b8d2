//! One error type for every command, and what each kind means as an exit
//! code. Commands return it; `main` prints it once (see
//! [`Error::report`]) and exits with [`Error::exit_code`].

use crate::aggregate::Overflow;
use crate::changes::ReadError;
use crate::load::LoadFailure;
use crate::narrate::TemplateError;
use crate::pipeline::Checked;
use crate::publish::PublishError;
use crate::render::documents::DocumentError;
use crate::render::xlsx::XlsxError;
use crate::report;
use crate::revision::RevisionError;
use crate::source::Sources;
use std::fmt;
use std::path::PathBuf;

/// Exit codes, the same for every command (README "Commands").
pub mod exit {
    /// Done, and no errors in the figures.
    pub const OK: u8 = 0;
    /// Done, and errors found in the figures; or `build --strict` refusing.
    pub const FINDINGS: u8 = 1;
    /// The input or the command line could not be used (clap's usage errors too).
    pub const INPUT: u8 = 2;
    /// The output could not be written: disk full, permissions, the lock.
    pub const OUTPUT: u8 = 3;
    /// A bug in opbrief (EX_SOFTWARE), including a caught panic.
    pub const INTERNAL: u8 = 70;
}

/// Why a command stopped.
#[derive(Debug)]
pub enum Error {
    /// The operation folder could not be read: every problem found, located.
    Load(Box<LoadFailure>),
    /// A total does not fit the numbers opbrief computes with; the files
    /// read, to name them as typed.
    Overflow {
        overflow: Overflow,
        sources: Sources,
    },
    /// A template cannot be read, parsed or rendered for this operation.
    Template(TemplateError),
    /// A document could not be rendered (or, for a workbook's temporary
    /// file, written).
    Document(DocumentError),
    /// `build --strict` and the checks found errors: the checked operation,
    /// whose findings are worded when printed.
    Strict(Box<Checked>),
    /// A command-line value (or SOURCE_DATE_EPOCH) that cannot be used.
    Usage(String),
    /// A folder to create already holds files.
    NotEmpty(PathBuf),
    /// An earlier revision cannot be read back (`diff`, or the previous
    /// revision a build compares with).
    Revision(ReadError),
    /// Nothing or not all was written: a file, a folder or the lock.
    Output(PublishError),
    /// A bug: a panic caught, or a state the code should not reach.
    Internal(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Strict { .. } => exit::FINDINGS,
            Error::Load(_)
            | Error::Overflow { .. }
            | Error::Template(_)
            | Error::Document(DocumentError::Briefing(_))
            | Error::Usage(_)
            | Error::NotEmpty(_)
            | Error::Revision(_) => exit::INPUT,
            Error::Output(_) | Error::Document(DocumentError::TempFile { .. }) => exit::OUTPUT,
            Error::Document(DocumentError::Workbook { error, .. }) => match error {
                // rust_xlsxwriter's temporary files: a full or unwritable TMPDIR.
                XlsxError::Writer(rust_xlsxwriter::XlsxError::TempFileError(..))
                | XlsxError::Writer(rust_xlsxwriter::XlsxError::IoError(_)) => exit::OUTPUT,
                // A value from the input it refused (a cell too long, a
                // date out of range).
                XlsxError::Writer(_) | XlsxError::MarkingTooLong { .. } => exit::INPUT,
                XlsxError::UnknownPartner(_) | XlsxError::NotARecipient(_) => exit::INTERNAL,
            },
            Error::Internal(_) | Error::Document(DocumentError::Internal(_)) => exit::INTERNAL,
        }
    }

    /// The error as printed once by `main`: located problems quoted like a
    /// compiler, the rest one line each.
    pub fn report(&self) -> String {
        self.report_in(report::Style::Plain)
    }

    /// [`Error::report`] in `style` (coloured for a terminal).
    pub fn report_in(&self, style: report::Style) -> String {
        match self {
            Error::Load(failure) => report::input_errors(failure, style),
            Error::Overflow { overflow, sources } => {
                // The files as typed, like every other terminal message.
                let mut line = format!(
                    "error: the figures for `{}` add up to more than {} and cannot be summed",
                    overflow.metric,
                    u64::MAX
                );
                for &place in overflow.places.iter().take(3) {
                    line.push_str(&format!(
                        "; see {}",
                        report::at(sources, &sources.at(place))
                    ));
                }
                line.push('\n');
                line
            }
            Error::Strict(checked) => format!(
                "{}error: {self}\n",
                report::findings(&checked.op, &checked.findings, style)
            ),
            _ => format!("error: {self}\n"),
        }
    }

    /// An output error: `path` could not be written for `reason`.
    pub fn output(path: impl Into<PathBuf>, reason: impl fmt::Display) -> Error {
        Error::Output(PublishError {
            path: path.into(),
            message: reason.to_string(),
        })
    }
}

/// One line per error; [`Error::report`] quotes source lines too.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Load(failure) => write!(
                f,
                "the operation could not be read ({} problem{})",
                failure.errors.len(),
                if failure.errors.len() == 1 { "" } else { "s" }
            ),
            Error::Overflow { overflow, .. } => overflow.fmt(f),
            Error::Template(error) => error.fmt(f),
            Error::Document(DocumentError::Internal(message)) => {
                write!(f, "internal error: {message}; please report it")
            }
            Error::Document(error) => error.fmt(f),
            Error::Strict(checked) => {
                write!(
                    f,
                    "--strict: not building with {}",
                    checked.findings.summary()
                )
            }
            Error::Usage(message) => f.write_str(message),
            Error::NotEmpty(path) => {
                write!(f, "{} already exists and is not empty", path.display())
            }
            Error::Revision(error) => error.fmt(f),
            Error::Output(error) => error.fmt(f),
            Error::Internal(message) => write!(f, "internal error: {message}; please report it"),
        }
    }
}

impl std::error::Error for Error {}

impl From<LoadFailure> for Error {
    fn from(failure: LoadFailure) -> Error {
        Error::Load(Box::new(failure))
    }
}

impl From<TemplateError> for Error {
    fn from(error: TemplateError) -> Error {
        Error::Template(error)
    }
}

impl From<PublishError> for Error {
    fn from(error: PublishError) -> Error {
        Error::Output(error)
    }
}

impl From<DocumentError> for Error {
    fn from(error: DocumentError) -> Error {
        Error::Document(error)
    }
}

impl From<RevisionError> for Error {
    fn from(error: RevisionError) -> Error {
        match error {
            RevisionError::Lock(error) => Error::Output(error),
            RevisionError::Previous(error) => Error::Revision(error),
            RevisionError::Exhausted { dir } => Error::output(
                &dir,
                "it is the last revision number there can be; build into another --out",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_exit_code() {
        let output = Error::output("/out/x", "No space left on device");
        assert_eq!(output.exit_code(), exit::OUTPUT);
        assert!(output.to_string().contains("/out/x"));
        assert_eq!(Error::Usage("--days".into()).exit_code(), exit::INPUT);
        assert_eq!(Error::NotEmpty("d".into()).exit_code(), exit::INPUT);
        assert_eq!(Error::Internal("x".into()).exit_code(), exit::INTERNAL);
        let temp = Error::Document(DocumentError::Workbook {
            file: "workbook.xlsx".into(),
            error: XlsxError::Writer(rust_xlsxwriter::XlsxError::TempFileError(
                "/tmp".into(),
                std::io::Error::other("full"),
            )),
        });
        assert_eq!(temp.exit_code(), exit::OUTPUT);
    }
}
