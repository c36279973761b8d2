//! `opbrief demo`: a synthetic operation folder for tests and benchmarks.

use super::{DemoArgs, EXIT_INPUT, EXIT_OK};
use crate::demo::{self, Spec};
use std::path::Path;

pub fn run(args: &DemoArgs) -> u8 {
    let spec = Spec {
        countries: args.countries,
        days: args.days,
        returns: args.returns,
        seed: args.seed,
    };
    match write(&spec, &args.out) {
        Ok(summary) => {
            println!("{summary}");
            EXIT_OK
        }
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_INPUT
        }
    }
}

fn write(spec: &Spec, dir: &Path) -> Result<String, String> {
    // Never mix generated returns into a folder that holds anything else.
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!("{} already exists and is not empty", dir.display()));
        }
    }
    let demo = demo::generate(spec)?;
    std::fs::create_dir_all(dir.join("returns"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for file in &demo.files {
        let path = dir.join(&file.path);
        std::fs::write(&path, &file.text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(format!(
        "wrote SYNTHETIC operation {} to {}: {} reporters, {} returns plus a consolidated one",
        demo.id,
        dir.display(),
        demo.reporters,
        demo.returns
    ))
}
