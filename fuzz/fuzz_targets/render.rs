//! Bytes → an operation folder (see folder.rs) → `pipeline::build` into a
//! fresh output folder: every document rendered and published. Must never
//! panic, and holds the invariant of `opbrief check`: when the check of the
//! same folder passes (exit 0 or 1), the build succeeds.
#![no_main]

#[path = "folder.rs"]
mod folder;

use libfuzzer_sys::fuzz_target;
use opbrief::pipeline::{self, Config};
use std::path::PathBuf;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    let root = ROOT.get_or_init(|| {
        std::env::temp_dir().join(format!("opbrief-fuzz-render-{}", std::process::id()))
    });
    let operation = root.join("operation");
    let out = root.join("out");
    folder::write(&operation, data);
    let _ = std::fs::remove_dir_all(&out);
    let checked = pipeline::check(&operation).is_ok();
    let config = Config {
        operation,
        out,
        strict: false,
        timestamp: Some(0),
    };
    match pipeline::build(&config) {
        Ok(_) => {}
        Err(error) => {
            assert!(!checked, "check passed but build failed: {error}");
            let _ = error.report();
        }
    }
});
