//! `opbrief init`: a new operation folder with commented examples.

use super::{Done, InitArgs};
use crate::error::Error;
use std::path::Path;

const OPERATION: &str = include_str!("../../templates/init/operation.toml");
const RETURN: &str = include_str!("../../templates/init/return.toml");

pub fn run(args: &InitArgs) -> Result<Done, Error> {
    let dir = &args.dir;
    empty_or_absent(dir)?;
    let id = operation_id(dir);
    let write =
        |path: &Path, text: &str| std::fs::write(path, text).map_err(|e| Error::output(path, e));
    let returns = dir.join("returns");
    std::fs::create_dir_all(&returns).map_err(|e| Error::output(&returns, e))?;
    write(&dir.join("operation.toml"), &OPERATION.replace("{id}", &id))?;
    write(&returns.join("coordination.toml"), RETURN)?;
    Ok(Done::ok(format!(
        "wrote a new operation folder: {}\nnext: edit operation.toml and returns/, then run `opbrief check {}`\n",
        dir.display(),
        dir.display()
    )))
}

/// A folder to create may exist only if empty: nothing of the user's is
/// mixed with or overwritten by generated files.
pub fn empty_or_absent(dir: &Path) -> Result<(), Error> {
    if !dir.exists() {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Usage(format!("cannot read {}: {e}", dir.display())))?;
    if entries.next().is_some() {
        return Err(Error::NotEmpty(dir.to_path_buf()));
    }
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
