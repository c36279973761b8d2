//! Bytes → an operation folder (see folder.rs) → `pipeline::check` (load →
//! aggregate → check → narrate) → reports. Must never panic, whatever the
//! bytes.
#![no_main]

#[path = "folder.rs"]
mod folder;

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    let root = ROOT.get_or_init(|| {
        std::env::temp_dir().join(format!("opbrief-fuzz-load-{}", std::process::id()))
    });
    folder::write(root, data);
    // The same call as `opbrief check`; then every way its result is printed.
    match opbrief::pipeline::check(root) {
        Ok(checked) => {
            let style = opbrief::report::Style::Plain;
            let _ = opbrief::report::findings(&checked.op, &checked.findings, style);
            let _ = opbrief::report::findings_json(&checked.op, &checked.findings);
        }
        // The compiler-style report maps every span onto its file.
        Err(error) => {
            let _ = error.report();
        }
    }
});
