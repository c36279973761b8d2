//! Input files kept in memory so every value can point back at its line.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// One input file: its path as read, its path inside the operation folder,
/// its text and where its lines start.
#[derive(Debug)]
pub struct SourceFile {
    /// As read, i.e. as the operation folder was spelled on the command
    /// line: only terminal messages print it.
    pub path: PathBuf,
    /// Relative to the operation folder with `/` between folders
    /// ("returns/austria.toml"), set once by [`Sources::add`]; shared by
    /// every location in the file. Everything written to an output names
    /// files this way, so outputs do not depend on where opbrief ran.
    pub relative: Arc<str>,
    pub text: String,
    /// Byte offset of each line (files are at most a megabyte).
    line_starts: Vec<u32>,
    /// Computed on first use: the manifest, the briefing and every workbook
    /// print it, and `check` never needs it.
    sha256: OnceLock<String>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .map(|start| u32::try_from(start).unwrap_or(u32::MAX))
            .collect();
        SourceFile {
            relative: slashed(&path).into(),
            path,
            text,
            line_starts,
            sha256: OnceLock::new(),
        }
    }

    /// SHA-256 of the text as read (UTF-8, without a leading BOM): the bytes
    /// every figure was parsed from.
    pub fn sha256(&self) -> &str {
        self.sha256.get_or_init(|| sha256_hex(self.text.as_bytes()))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&start| start as usize <= offset)
            - 1;
        let start = self.line_starts[line] as usize;
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }
}

/// Where a value came from: file, 1-based line and column, byte span.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// [`SourceFile::relative`]: shared, every figure of a file points at
    /// the same path.
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Range<usize>,
    /// Index into [`Sources`], for printing the source line.
    #[serde(skip)]
    pub source: usize,
}

/// Locations sort by file, then position.
impl Ord for Location {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.file, self.line, self.column).cmp(&(&other.file, other.line, other.column))
    }
}

impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Every file read for one operation, in the order they were read.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<Arc<SourceFile>>,
    /// The operation folder, as given: paths under it are named relative to it.
    root: Option<PathBuf>,
}

/// Where a value is written, in 12 bytes: a file (index into [`Sources`])
/// and a byte span. 50 000 returns hold 1.75 million figures, and a
/// [`Location`] is 56 bytes; a place becomes one when it is printed
/// ([`Sources::at`]). Input files are at most a megabyte, so the offsets fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    source: u32,
    start: u32,
    end: u32,
}

impl Place {
    pub fn source(self) -> usize {
        self.source as usize
    }
}

impl Sources {
    /// The place of `span` in file `source`.
    pub fn place(&self, source: usize, span: Range<usize>) -> Place {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Place {
            source: narrow(source),
            start: narrow(span.start),
            end: narrow(span.end),
        }
    }

    /// The place as a location: file, line and column.
    pub fn at(&self, place: Place) -> Location {
        self.locate(place.source(), place.start as usize..place.end as usize)
    }

    /// The file a place is in, relative to the operation folder.
    pub fn file_of(&self, place: Place) -> &str {
        self.get(place.source())
            .map_or("<unknown>", |f| &f.relative)
    }

    /// No files yet; those added later under `root` are named relative to it.
    pub fn in_folder(root: &Path) -> Sources {
        Sources {
            files: Vec::new(),
            root: Some(root.to_path_buf()),
        }
    }

    /// Remembers `file`, naming it relative to the operation folder; a file
    /// outside it (the shipped catalogue, `<opbrief>/…`) keeps its own name.
    pub fn add(&mut self, mut file: SourceFile) -> usize {
        if let Some(inside) = self
            .root
            .as_deref()
            .and_then(|root| file.path.strip_prefix(root).ok())
        {
            file.relative = slashed(inside).into();
        }
        self.files.push(Arc::new(file));
        self.files.len() - 1
    }

    pub fn get(&self, index: usize) -> Option<&SourceFile> {
        self.files.get(index).map(|f| f.as_ref())
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().map(|f| f.as_ref())
    }

    pub fn locate(&self, source: usize, span: Range<usize>) -> Location {
        match self.files.get(source) {
            Some(file) => {
                let (line, column) = file.line_column(span.start);
                Location {
                    file: file.relative.clone(),
                    line,
                    column,
                    span,
                    source,
                }
            }
            None => Location {
                file: "<unknown>".into(),
                line: 1,
                column: 1,
                span,
                source,
            },
        }
    }
}

/// A path with `/` between its parts whatever the platform, and without
/// `.` parts: "returns/austria.toml" however the folder was spelled.
fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    digest
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let file = SourceFile::new("x.toml".into(), "a = 1\nnäme = 2\n".into());
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(6), (2, 1));
        let offset = file.text.find("= 2").unwrap();
        assert_eq!(file.line_column(offset), (2, 6));
    }

    #[test]
    fn files_are_named_relative_to_the_folder_however_it_was_spelled() {
        for (root, path) in [
            ("data/x", "data/x/returns/a.toml"),
            ("/abs/data/x", "/abs/data/x/returns/a.toml"),
            ("./x/", "./x/returns/a.toml"),
        ] {
            let mut sources = Sources::in_folder(Path::new(root));
            let at = sources.add(SourceFile::new(path.into(), "a = 1\n".into()));
            assert_eq!(&*sources.locate(at, 0..1).file, "returns/a.toml", "{root}");
        }
        let mut sources = Sources::in_folder(Path::new("data/x"));
        let builtin = "<opbrief>/templates/catalogue.toml";
        let at = sources.add(SourceFile::new(builtin.into(), String::new()));
        assert_eq!(&*sources.locate(at, 0..0).file, builtin);
    }
}
