//! The fresh root a pipeline runs in: `input/` (read-only, holding `object.yaml`),
//! `output/` and `metadata/`, removed when the pipeline is done.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// A pipeline's `KRATIX_ROOT`: `input/object.yaml` read-only, empty `output/` and `metadata/`,
/// in a fresh directory with an unpredictable name, removed when the pipeline is done.
pub(super) struct Root {
    dir: tempfile::TempDir,
    pub(super) path: PathBuf,
}

impl Root {
    pub(super) fn new(object: &Value) -> Result<Self, String> {
        let dir = tempfile::Builder::new()
            .prefix("kratix-run-")
            .tempdir()
            .map_err(|e| format!("cannot create a pipeline root: {e}"))?;
        let path = dir.path().to_path_buf();
        let io = |e: std::io::Error| format!("{}: {e}", path.display());
        for sub in ["input", "output", "metadata"] {
            fs::create_dir(path.join(sub)).map_err(io)?;
        }
        let input = path.join("input/object.yaml");
        fs::write(
            &input,
            promise_core::yaml::to_string(object).map_err(|e| e.to_string())?,
        )
        .map_err(io)?;
        // Kratix mounts the input read-only in user containers.
        set_readonly(&input, true).map_err(io)?;
        set_readonly(&path.join("input"), true).map_err(io)?;
        Ok(Self { dir, path })
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        // Writable again, so that the TempDir removes everything when it drops.
        let _ = set_readonly(&self.dir.path().join("input"), false);
        let _ = set_readonly(&self.dir.path().join("input/object.yaml"), false);
    }
}

fn set_readonly(path: &Path, readonly: bool) -> std::io::Result<()> {
    let mut permissions = fs::metadata(path)?.permissions();
    permissions.set_readonly(readonly);
    fs::set_permissions(path, permissions)
}

/// A file a container left in `metadata/`: read as the binary reads it (a regular file, size
/// capped, never through a link or from a FIFO), so a container cannot hang or flood the run.
pub(super) fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    promise_core::pipeline::read_metadata_yaml(path).map_err(|e| e.to_string())
}
