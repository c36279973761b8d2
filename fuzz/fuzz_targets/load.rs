//! Bytes → an operation folder → `pipeline::check` (load → aggregate →
//! check → narrate) → reports. Must never panic, whatever the bytes.
//!
//! The input is split at "\n---\n": the first part is operation.toml, each
//! further part a return (returns/rNN.toml), or a corrections file when it
//! starts with `[[corrections]]`. Seeds in fuzz/seeds/load use this format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

fn write_folder(root: &Path, data: &[u8]) {
    // A fresh folder each run; failures here are the harness's, not opbrief's.
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

fuzz_target!(|data: &[u8]| {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    let root = ROOT.get_or_init(|| {
        std::env::temp_dir().join(format!("opbrief-fuzz-load-{}", std::process::id()))
    });
    write_folder(root, data);
    // The same call as `opbrief check`; then every way its result is printed.
    match opbrief::pipeline::check(root) {
        Ok(checked) => {
            let _ = opbrief::report::findings(&checked.op, &checked.findings);
            let _ = opbrief::report::findings_json(&checked.op, &checked.findings);
        }
        // The compiler-style report maps every span onto its file.
        Err(error) => {
            let _ = error.report();
        }
    }
});
