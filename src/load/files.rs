//! Reading input files without letting the folder reach outside itself.
//!
//! Every file opbrief reads from an operation folder (operation.toml,
//! returns, corrections, template overrides) goes through
//! [`read_contained`]: it must resolve — symbolic links followed — to a
//! regular file inside the operation folder, be at most [`MAX_FILE_BYTES`]
//! long and be UTF-8. So a return symlinked to /etc/passwd, a FIFO that
//! would block the build forever, or a 10 MB file that would end up in the
//! briefing are refused with a message naming the file, before any byte is
//! parsed.

use super::error::InputError;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The largest input file accepted. Real returns are under a kilobyte and an
/// operation.toml a few kilobytes; a megabyte leaves room for long
/// descriptions while keeping every stage (and its error messages) small.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Why a path may not be read; the caller words it for its context.
#[derive(Debug)]
pub enum Refusal {
    /// It resolves (through a symbolic link) to somewhere outside the folder.
    Outside(PathBuf),
    /// A FIFO, device, socket or folder: reading it could block or never end.
    NotRegular,
    TooLarge(u64),
    Io(std::io::Error),
    /// Not UTF-8: 1-based line and column of the first bad byte.
    NotUtf8(usize, usize),
}

impl Refusal {
    /// What is wrong, after the path, and a hint: "is not a regular file".
    pub fn describe(&self) -> (String, &'static str) {
        match self {
            Refusal::Outside(target) => (
                format!(
                    "is a symbolic link to {}, outside the operation folder",
                    target.display()
                ),
                "input is read only from inside the operation folder; copy the file in instead",
            ),
            Refusal::NotRegular => (
                "is not a regular file".into(),
                "replace it with a plain text file",
            ),
            Refusal::TooLarge(bytes) => (
                format!("is {bytes} bytes; input files are limited to {MAX_FILE_BYTES} bytes"),
                "a file this large is almost certainly not what was meant",
            ),
            Refusal::Io(e) => (format!("cannot be read: {e}"), ""),
            Refusal::NotUtf8(line, column) => (
                format!("is not valid UTF-8 (line {line}, column {column})"),
                "save the file as UTF-8",
            ),
        }
    }

    /// The error for `path`, as shown to the user.
    pub fn error(&self, path: &Path) -> InputError {
        let shown = path.display();
        match self {
            // Keep `file:line:column:` first, like every located message.
            Refusal::NotUtf8(line, column) => {
                InputError::new(format!("{shown}:{line}:{column}: file is not valid UTF-8"))
                    .help("save the file as UTF-8")
            }
            _ => {
                let (what, help) = self.describe();
                let error = InputError::new(format!("{shown} {what}"));
                if help.is_empty() {
                    error
                } else {
                    error.help(help)
                }
            }
        }
    }
}

/// The operation folder, resolved once: every input must resolve inside
/// it. Each folder that holds inputs is resolved once too, so a file that
/// is not a symbolic link costs one `lstat` instead of resolving its whole
/// path (50 000 returns spent a fifth of their loading in `readlink`).
#[derive(Debug, Default)]
pub struct Root {
    given: PathBuf,
    canonical: Option<PathBuf>,
    folders: Mutex<HashMap<PathBuf, PathBuf>>,
}

impl Root {
    pub fn new(dir: &Path) -> Root {
        Root {
            given: dir.to_path_buf(),
            canonical: dir.canonicalize().ok(),
            folders: Mutex::default(),
        }
    }

    fn canonical(&self) -> Result<&Path, Refusal> {
        match &self.canonical {
            Some(root) => Ok(root),
            // Gone or unreadable: the error says why.
            None => Err(self.given.canonicalize().map_or_else(Refusal::Io, |_| {
                Refusal::Io(std::io::Error::other(
                    "the folder changed while it was read",
                ))
            })),
        }
    }

    /// `path` with symbolic links resolved, if it lies inside the folder.
    fn resolve(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let root = self.canonical()?;
        let resolved = path.canonicalize().map_err(Refusal::Io)?;
        if resolved.starts_with(root) {
            Ok(resolved)
        } else {
            Err(Refusal::Outside(resolved))
        }
    }

    /// A file's resolved path and its metadata: through its resolved folder
    /// when the file itself is not a link.
    fn resolve_file(&self, path: &Path) -> Result<(PathBuf, std::fs::Metadata), Refusal> {
        let own = std::fs::symlink_metadata(path).map_err(Refusal::Io)?;
        if let (false, Some(folder), Some(name)) = (
            own.file_type().is_symlink(),
            path.parent(),
            path.file_name(),
        ) {
            let known = self
                .folders
                .lock()
                .ok()
                .and_then(|f| f.get(folder).cloned());
            let folder_resolved = match known {
                Some(resolved) => resolved,
                None => {
                    let resolved = self.resolve(folder)?;
                    if let Ok(mut folders) = self.folders.lock() {
                        folders.insert(folder.to_path_buf(), resolved.clone());
                    }
                    resolved
                }
            };
            return Ok((folder_resolved.join(name), own));
        }
        let resolved = self.resolve(path)?;
        let metadata = std::fs::metadata(&resolved).map_err(Refusal::Io)?;
        Ok((resolved, metadata))
    }
}

/// Checks that a folder resolves inside `root` (a symlinked returns/ too).
pub fn folder_inside(root: &Root, folder: &Path) -> Result<(), Refusal> {
    root.resolve(folder).map(|_| ())
}

/// Reads `path`, which must resolve to a regular file inside `root`, as
/// UTF-8 text; a leading byte-order mark is dropped.
pub fn read_contained(root: &Root, path: &Path) -> Result<String, Refusal> {
    let (resolved, metadata) = root.resolve_file(path)?;
    if !metadata.is_file() {
        return Err(Refusal::NotRegular);
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(metadata.len()));
    }
    // Open the resolved path, and read at most one byte past the limit in
    // case the file grows between the check and the read.
    let file = std::fs::File::open(&resolved).map_err(Refusal::Io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        }),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            Err(Refusal::NotUtf8(line, column))
        }
    }
}

/// A user-supplied string as it may appear inside a message: control and
/// bidirectional-override characters escaped (so a name cannot reorder or
/// hide the terminal text around it) and cut to `max` characters.
pub fn shown(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_control() || super::invisible::is_invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Invisible characters that change the order text is displayed in.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_escapes_and_cuts() {
        assert_eq!(shown("Aus\u{202e}tria", 80), "Aus\\u{202e}tria");
        assert_eq!(shown("a\u{7}b", 80), "a\\u{7}b");
        assert_eq!(shown("abcdef", 3), "abc…");
    }
}
