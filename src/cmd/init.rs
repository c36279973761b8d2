//! `opbrief init`: a new operation folder with commented examples.

use super::{EXIT_INPUT, EXIT_OK, InitArgs};
use std::path::Path;

const OPERATION: &str = include_str!("../../templates/init/operation.toml");
const RETURN: &str = include_str!("../../templates/init/return.toml");

pub fn run(args: &InitArgs) -> u8 {
    match init(&args.dir) {
        Ok(()) => {
            println!("wrote a new operation folder: {}", args.dir.display());
            println!(
                "next: edit operation.toml and returns/, then run `opbrief check {}`",
                args.dir.display()
            );
            EXIT_OK
        }
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_INPUT
        }
    }
}

fn init(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!("{} already exists and is not empty", dir.display()));
        }
    }
    let id = operation_id(dir);
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir.join("returns"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write(&dir.join("operation.toml"), &OPERATION.replace("{id}", &id))?;
    write(&dir.join("returns").join("coordination.toml"), RETURN)?;
    Ok(())
}

/// An operation id from the folder name: lower-case letters, digits and -.
fn operation_id(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let id: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .chars()
        .take(64)
        .collect();
    if id.is_empty() {
        "new-operation".into()
    } else {
        id
    }
}
