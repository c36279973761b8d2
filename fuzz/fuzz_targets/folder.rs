//! The fuzz input format shared by the `load` and `build` targets: bytes
//! split at "\n---\n" into an operation folder. The first part is
//! operation.toml, each further part a return (returns/rNN.toml), or a
//! corrections file when it starts with `[[corrections]]`. Seeds in
//! fuzz/seeds/load use this format.

use std::path::Path;

const SEPARATOR: &[u8] = b"\n---\n";
/// More files only slow each run down; they find nothing new.
const MAX_FILES: usize = 24;

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        parts.push(&rest[..at]);
        rest = &rest[at + SEPARATOR.len()..];
    }
    parts.push(rest);
    parts
}

/// Writes `data` as a fresh operation folder at `root`. Failures here are
/// the harness's, not opbrief's, so they may panic.
pub fn write(root: &Path, data: &[u8]) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root.join("returns")).expect("temp folder");
    let parts = split(data);
    std::fs::write(root.join("operation.toml"), parts[0]).expect("write");
    for (i, part) in parts.iter().enumerate().skip(1).take(MAX_FILES) {
        let path = if part.starts_with(b"[[corrections]]") {
            std::fs::create_dir_all(root.join("corrections")).expect("temp folder");
            root.join(format!("corrections/c{i:02}.toml"))
        } else {
            root.join(format!("returns/r{i:02}.toml"))
        };
        std::fs::write(path, part).expect("write");
    }
}
