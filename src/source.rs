//! Input files kept in memory so every value can point back at its line.

use serde::Serialize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// One input file: its display path, its text and where its lines start.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as printed, shared by every location in the file.
    pub display: Arc<str>,
    pub text: String,
    line_starts: Vec<usize>,
    /// Computed on first use: the manifest, the briefing and every workbook
    /// print it, and `check` never needs it.
    sha256: OnceLock<String>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            display: path.display().to_string().into(),
            path,
            text,
            line_starts,
            sha256: OnceLock::new(),
        }
    }

    /// SHA-256 of the text as read (UTF-8, without a leading BOM): the bytes
    /// every figure was parsed from.
    pub fn sha256(&self) -> &str {
        self.sha256
            .get_or_init(|| crate::publish::sha256_hex(self.text.as_bytes()))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
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
    /// Shared: every figure of a file points at the same path.
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Range<usize>,
    /// Index into [`Sources`], for printing the source line.
    #[serde(skip)]
    pub source: usize,
}

impl Location {
    /// A location for a whole file (no line in particular).
    pub fn file_only(source: usize, path: &Path) -> Location {
        Location {
            file: path.display().to_string().into(),
            line: 1,
            column: 1,
            span: 0..0,
            source,
        }
    }
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
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> usize {
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
                    file: file.display.clone(),
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
}
