//! `opbrief demo`: a synthetic operation folder for tests and benchmarks.
//! The generator ([`generate`]) belongs to this command, not the pipeline.

pub mod generate;

use super::{DemoArgs, Done};
use crate::error::Error;
use generate::Spec;

pub fn run(args: &DemoArgs) -> Result<Done, Error> {
    let spec = Spec {
        countries: args.countries,
        days: args.days,
        returns: args.returns,
        seed: args.seed,
    };
    let dir = &args.out;
    // Never mix generated returns into a folder that holds anything else.
    super::init::empty_or_absent(dir)?;
    let demo = generate::generate(&spec).map_err(|e| Error::Usage(e.to_string()))?;
    let returns = dir.join("returns");
    std::fs::create_dir_all(&returns).map_err(|e| Error::output(&returns, e))?;
    for file in &demo.files {
        let path = dir.join(&file.path);
        std::fs::write(&path, &file.text).map_err(|e| Error::output(&path, e))?;
    }
    Ok(Done::ok(format!(
        "wrote SYNTHETIC operation {} to {}: {} reporters, {} returns plus a consolidated one\n",
        demo.id,
        dir.display(),
        demo.reporters,
        demo.returns
    )))
}
