//! Publish: rendered bytes → `output/<op>/rev-NNN/`, written atomically.
//!
//! Files go into a temporary folder beside the revisions and the folder is
//! renamed into place, so a revision is either complete or absent. A build
//! whose inputs hash the same as the newest revision's adds nothing.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;

/// One output file: its path inside the revision and its bytes.
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileHash {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub operation: String,
    pub revision: u32,
    pub tool_version: String,
    /// Seconds since the epoch used for every document date.
    pub timestamp: i64,
    /// One hash over the tool version and every input file.
    pub inputs_sha256: String,
    pub inputs: Vec<FileHash>,
    pub outputs: Vec<FileHash>,
}

#[derive(Debug)]
pub struct PublishError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for PublishError {}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> PublishError + '_ {
    move |e| PublishError {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

use crate::source::hex;
pub use crate::source::sha256_hex;

pub fn file_hash(path: String, bytes: &[u8]) -> FileHash {
    FileHash {
        path,
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
    }
}

/// The hash that decides whether a rebuild is needed.
pub fn inputs_hash(tool_version: &str, inputs: &[FileHash]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(tool_version.as_bytes());
    for input in inputs {
        hasher.update([0]);
        hasher.update(input.path.as_bytes());
        hasher.update([0]);
        hasher.update(input.sha256.as_bytes());
    }
    hex(&hasher.finalize())
}

fn revision_number(name: &str) -> Option<u32> {
    name.strip_prefix("rev-")?.parse().ok()
}

/// Existing revisions of an operation's output folder, ascending.
pub fn revisions(operation_dir: &Path) -> Vec<(u32, PathBuf)> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(operation_dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((revision_number(&e.file_name().to_string_lossy())?, e.path())))
        .collect();
    found.sort();
    found
}

/// An error unless `path` is a regular file or absent: opening a FIFO
/// (a `.lock` or `manifest.json` someone replaced) would wait forever.
pub fn regular_or_absent(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => Err(std::io::Error::other(
            "not a regular file (a FIFO, device, link or folder); remove it",
        )),
        _ => Ok(()),
    }
}

pub fn read_manifest(revision_dir: &Path) -> Option<Manifest> {
    let path = revision_dir.join("manifest.json");
    regular_or_absent(&path).ok()?;
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes `outputs` (plus manifest.json) as revision `manifest.revision`
/// under `out_root/<operation>/` and returns its folder. Fails, writing
/// nothing, if that revision exists (another build got there first).
pub fn publish(
    out_root: &Path,
    manifest: Manifest,
    outputs: Vec<Output>,
) -> Result<PathBuf, PublishError> {
    publish_with(out_root, manifest, outputs, &write_file)
}

/// Writes one new file: created and written. [`Staging::finish`] waits
/// until every file is flushed to the disk before the rename.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // `create_new`: the folder is new, so a file already there means two
    // outputs share a path — an error, never one overwriting the other.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    std::io::Write::write_all(&mut file, bytes)
}

/// Writes one new file; called from several threads at once.
pub type WriteFile<'a> = dyn Fn(&Path, &[u8]) -> std::io::Result<()> + Sync + 'a;

/// [`publish`] with the function that writes each file given: tests pass
/// one that fails like a full disk at a given file, to prove a failed
/// write leaves no partial revision.
pub fn publish_with(
    out_root: &Path,
    manifest: Manifest,
    outputs: Vec<Output>,
    write: &WriteFile<'_>,
) -> Result<PathBuf, PublishError> {
    let staging = Staging::begin(out_root, &manifest.operation, manifest.revision, write)?;
    // Side by side: creating a file costs the file system more than
    // writing 50 KB to it, and a build can have thousands of packs.
    crate::parallel::map(&outputs, |output| staging.put(output))
        .into_iter()
        .collect::<Result<(), _>>()?;
    staging.finish(manifest)
}

/// A revision on its way to the disk. Each document goes into a hidden
/// folder beside the revisions as soon as it is rendered, and background
/// threads flush it to the disk while the others render; [`Staging::finish`]
/// adds manifest.json and renames the folder into place. Dropped before
/// that (a render or a write failed), it removes the folder: a revision is
/// complete or absent.
pub struct Staging<'a> {
    operation_dir: PathBuf,
    final_dir: PathBuf,
    dir: PathBuf,
    write: &'a WriteFile<'a>,
    /// Every file put, by its path inside the revision.
    written: Mutex<Vec<(PathBuf, FileHash)>>,
    syncer: Option<Syncer>,
}

/// Threads that flush written files to the disk, one path at a time.
struct Syncer {
    queue: mpsc::Sender<PathBuf>,
    workers: Vec<JoinHandle<Result<(), PublishError>>>,
}

impl<'a> Staging<'a> {
    /// Starts revision `revision` of `operation` under `out_root`. Fails,
    /// writing nothing, if that revision exists (another build got there
    /// first).
    pub fn begin(
        out_root: &Path,
        operation: &str,
        revision: u32,
        write: &'a WriteFile<'a>,
    ) -> Result<Staging<'a>, PublishError> {
        let operation_dir = out_root.join(operation);
        std::fs::create_dir_all(&operation_dir).map_err(io_error(&operation_dir))?;
        let final_dir = operation_dir.join(format!("rev-{revision:03}"));
        if final_dir.exists() {
            return Err(PublishError {
                path: final_dir,
                message:
                    "this revision was written by another build meanwhile; run the build again"
                        .into(),
            });
        }
        let syncer = Syncer::start(&operation_dir)?;
        let dir = operation_dir.join(format!(".tmp-rev-{revision:03}-{}", std::process::id()));
        std::fs::create_dir(&dir).map_err(io_error(&dir))?;
        Ok(Staging {
            operation_dir,
            final_dir,
            dir,
            write,
            written: Mutex::new(Vec::new()),
            syncer: Some(syncer),
        })
    }

    /// Writes one output into the revision and queues it to be flushed.
    /// Called from the render threads at once.
    pub fn put(&self, output: &Output) -> Result<(), PublishError> {
        let relative = output.path.as_path();
        let path = self.dir.join(relative);
        // Output paths are made by opbrief, never taken from input; still,
        // none may leave the revision.
        if relative.is_absolute()
            || relative
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(PublishError {
                path,
                message: "an output path must stay inside the revision".into(),
            });
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        (self.write)(&path, &output.bytes).map_err(io_error(&path))?;
        let hash = file_hash(relative.to_string_lossy().replace('\\', "/"), &output.bytes);
        self.written().push((relative.to_path_buf(), hash));
        match &self.syncer {
            Some(syncer) => syncer.queue(path),
            None => Ok(()),
        }
    }

    fn written(&self) -> std::sync::MutexGuard<'_, Vec<(PathBuf, FileHash)>> {
        // A push cannot leave the list half-changed: a panic elsewhere
        // while it was held leaves it usable.
        self.written.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for every file to reach the disk, writes manifest.json (its
    /// outputs: every file put, by path) and renames the folder into place.
    pub fn finish(mut self, manifest: Manifest) -> Result<PathBuf, PublishError> {
        if let Some(syncer) = self.syncer.take() {
            syncer.finish()?;
        }
        let mut written = std::mem::take(&mut *self.written());
        written.sort_by(|a, b| a.0.cmp(&b.0));
        let manifest = Manifest {
            outputs: written.into_iter().map(|(_, hash)| hash).collect(),
            ..manifest
        };
        let manifest_path = self.dir.join("manifest.json");
        let manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| PublishError {
            path: manifest_path.clone(),
            message: e.to_string(),
        })?;
        (self.write)(&manifest_path, &manifest_bytes).map_err(io_error(&manifest_path))?;
        sync(&manifest_path)?;
        std::fs::rename(&self.dir, &self.final_dir).map_err(io_error(&self.final_dir))?;
        // Renamed: nothing left to remove when `self` drops.
        self.dir = PathBuf::new();
        // Make the rename itself durable; a failure here loses nothing
        // already written, so it is not worth failing the build for.
        if let Ok(dir) = std::fs::File::open(&self.operation_dir) {
            let _ = dir.sync_all();
        }
        Ok(std::mem::take(&mut self.final_dir))
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        // Unfinished, the sync threads end with their queue (dropped here).
        if !self.dir.as_os_str().is_empty() {
            // Leave no half-written revision behind.
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Syncer {
    /// One fsync after another costs a journal commit each (a build with
    /// hundreds of partner packs spent more time there than rendering
    /// them); fsyncs issued together share commits, so a few threads wait
    /// on them side by side, while the files still to come render.
    const THREADS: usize = 4;

    fn start(dir: &Path) -> Result<Syncer, PublishError> {
        let (queue, paths) = mpsc::channel::<PathBuf>();
        let paths = Arc::new(Mutex::new(paths));
        let workers = (0..Self::THREADS)
            .map(|_| {
                let paths = Arc::clone(&paths);
                std::thread::Builder::new()
                    .name("sync".into())
                    .spawn(move || {
                        // Each worker takes the next path when it is free;
                        // the queue ends when the sender is dropped.
                        let next = || {
                            let paths = paths.lock().unwrap_or_else(PoisonError::into_inner);
                            paths.recv().ok()
                        };
                        // After a failure, the rest are still taken (so
                        // that queueing never fails) but not synced.
                        let mut synced = Ok(());
                        while let Some(path) = next() {
                            if synced.is_ok() {
                                synced = sync(&path);
                            }
                        }
                        synced
                    })
                    .map_err(io_error(dir))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Syncer { queue, workers })
    }

    fn queue(&self, path: PathBuf) -> Result<(), PublishError> {
        self.queue.send(path).map_err(|error| PublishError {
            path: error.0,
            message: "the threads flushing the revision to the disk stopped".into(),
        })
    }

    /// Waits until every queued file is on the disk; the first error in
    /// thread order, if any.
    fn finish(self) -> Result<(), PublishError> {
        drop(self.queue);
        let mut result = Ok(());
        for worker in self.workers {
            let outcome = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if result.is_ok() {
                result = outcome;
            }
        }
        result
    }
}

fn sync(path: &Path) -> Result<(), PublishError> {
    std::fs::File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(io_error(path))
}

/// Held while a build decides on and writes a revision; released on drop.
pub struct Lock {
    _file: std::fs::File,
}

/// Takes the operation's build lock, waiting (and saying so) while another
/// build holds it. Leftovers of killed builds are removed once it is held.
pub fn lock(operation_dir: &Path) -> Result<Lock, PublishError> {
    std::fs::create_dir_all(operation_dir).map_err(io_error(operation_dir))?;
    let path = operation_dir.join(".lock");
    regular_or_absent(&path).map_err(io_error(&path))?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_error(&path))?;
    if file.try_lock().is_err() {
        eprintln!("waiting for another build of this operation to finish…");
        file.lock().map_err(io_error(&path))?;
    }
    // No other build runs now: any temporary folder is a killed build's.
    for entry in std::fs::read_dir(operation_dir)
        .map_err(io_error(operation_dir))?
        .flatten()
    {
        if entry.file_name().to_string_lossy().starts_with(".tmp-rev-") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    Ok(Lock { _file: file })
}
