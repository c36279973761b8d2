//! `opbrief proof`: check a written text's figures against the operation.

use super::{Done, Format, ProofArgs};
use crate::error::{Error, exit};
use crate::proof::{self, Text, print};

pub fn run(args: &ProofArgs) -> Result<Done, Error> {
    let text = Text::read(&args.text)?;
    let proof = proof::run(&args.operation, text)?;
    let stdout = match args.format {
        Format::Text => print::text(&proof),
        Format::Json => format!("{}\n", print::json(&proof)),
    };
    Ok(Done {
        stdout,
        code: if proof.has_errors() {
            exit::FINDINGS
        } else {
            exit::OK
        },
    })
}
