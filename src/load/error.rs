//! Problems that stop an operation folder from being read (exit code 2).

pub use crate::diagnostic::did_you_mean;
use crate::source::{Location, Sources};
use std::fmt;

/// One problem in the input, located where the file allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub message: String,
    /// Boxed: errors travel in `Result`s and most carry no location yet.
    pub location: Option<Box<Location>>,
    /// The key the problem concerns, e.g. `figures.arrests.total`.
    pub key: Option<String>,
    /// A suggestion, e.g. "did you mean `arrests`?".
    pub help: Option<String>,
}

impl InputError {
    pub fn new(message: impl Into<String>) -> InputError {
        InputError {
            message: message.into(),
            location: None,
            key: None,
            help: None,
        }
    }

    pub fn at(mut self, location: Location) -> InputError {
        self.location = Some(Box::new(location));
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> InputError {
        self.key = Some(key.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> InputError {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> InputError {
        self.help = help;
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(key) = &self.key {
            write!(f, " (key `{key}`)")?;
        }
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// Everything wrong with a folder, with the files read so far for context.
#[derive(Debug)]
pub struct LoadFailure {
    pub errors: Vec<InputError>,
    pub sources: Sources,
}

impl fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.errors {
            writeln!(f, "error: {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadFailure {}
