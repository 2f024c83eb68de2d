//! The rendered directory on disk: writing it (a directory the command owns, swapped in whole)
//! and checking it for drift, both from one comparison.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use promise_core::render::Rendered;

/// What happened, or would happen, to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The file is new.
    Created,
    /// The file's content changed.
    Updated,
    /// The file is no longer rendered.
    Removed,
}

/// One file that differs between the rendered output and the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Path relative to the directory, with `/` separators.
    pub path: String,
    /// Created, updated or removed.
    pub kind: ChangeKind,
    old: Option<String>,
    new: Option<String>,
}

impl Change {
    /// A unified diff from the file on disk to the rendered file.
    pub fn diff(&self) -> String {
        let old = self.old.as_deref().unwrap_or("");
        let new = self.new.as_deref().unwrap_or("");
        let (a, b) = match self.kind {
            ChangeKind::Created => ("/dev/null".to_string(), format!("b/{}", self.path)),
            ChangeKind::Removed => (format!("a/{}", self.path), "/dev/null".to_string()),
            ChangeKind::Updated => (format!("a/{}", self.path), format!("b/{}", self.path)),
        };
        similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(&a, &b)
            .to_string()
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self.kind {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Removed => "removed",
        };
        write!(f, "{verb} {}", self.path)
    }
}

/// The difference between what renders and what is committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Every differing file, sorted by path.
    pub changes: Vec<Change>,
    /// The directory compared against, as given.
    pub dir: PathBuf,
    /// What to run to bring the directory up to date.
    pub hint: String,
}

impl Drift {
    /// True when the directory matches the rendered output exactly.
    pub fn is_clean(&self) -> bool {
        self.changes.is_empty()
    }

    /// Replaces the hint printed after the diff (default: run `cargo xtask render` and commit).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for change in &self.changes {
            f.write_str(&change.diff())?;
        }
        writeln!(
            f,
            "{} is out of date ({} file{} differ): {}",
            self.dir.display(),
            self.changes.len(),
            if self.changes.len() == 1 { "" } else { "s" },
            self.hint
        )
    }
}

/// Compares `rendered` (and its [`MANIFEST`]) with the files under `dir` without writing
/// anything. A symbolic link or special file under `dir` is an error, never followed.
pub fn check_dir(rendered: &Rendered, dir: &Path) -> io::Result<Drift> {
    let mut changes = Vec::new();
    let wanted = with_manifest(rendered);
    // A file that is not UTF-8 cannot be ours: compare it as empty so it shows as drift.
    let existing: BTreeMap<String, String> = read_tree(dir)?
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap_or_default()))
        .collect();
    for (path, new) in &wanted {
        match existing.get(path) {
            Some(old) if old == new => {}
            Some(old) => changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Updated,
                old: Some(old.clone()),
                new: Some(new.clone()),
            }),
            None => changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Created,
                old: None,
                new: Some(new.clone()),
            }),
        }
    }
    for (path, old) in existing {
        if !wanted.contains_key(&path) {
            changes.push(Change {
                path,
                kind: ChangeKind::Removed,
                old: Some(old),
                new: None,
            });
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Drift {
        changes,
        dir: dir.to_path_buf(),
        hint: "run `cargo xtask render` and commit".into(),
    })
}

/// The file that makes a directory a command's own: who wrote it, and every file it wrote.
pub const MANIFEST: &str = ".promise-rs-output.yaml";

/// What [`MANIFEST`] says.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Manifest {
    written_by: String,
    files: Vec<String>,
}

/// The rendered files plus their manifest.
fn with_manifest(rendered: &Rendered) -> BTreeMap<String, String> {
    let manifest = Manifest {
        written_by: rendered.written_by.to_string(),
        files: rendered.files.keys().cloned().collect(),
    };
    let mut files = rendered.files.clone();
    files.insert(
        MANIFEST.to_string(),
        format!(
            "# Written by `{}`, which rewrites or removes the files listed here only, and\n\
             # refuses to write into a directory holding anything else. Do not edit.\n{}",
            rendered.written_by,
            promise_core::yaml::to_string(&manifest).unwrap_or_default()
        ),
    );
    files
}

/// Makes `dir` hold exactly `rendered` and its [`MANIFEST`], and returns what changed among
/// the rendered files.
///
/// `dir` must be absent, empty, or an earlier output of the same command (its manifest says
/// so, and it holds nothing the manifest does not list): anything else is refused and nothing
/// is touched. The new tree is written aside, in a fresh directory beside `dir`, and swapped
/// in with renames, so `dir` is never half-written; no symbolic link is ever followed.
pub fn write_dir(rendered: &Rendered, dir: &Path) -> io::Result<Vec<Change>> {
    for path in rendered.files.keys() {
        check_relative(path)?;
    }
    claim(dir, rendered.written_by)?;
    let drift = check_dir(rendered, dir)?;
    if drift.is_clean() {
        return Ok(Vec::new());
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| refused(dir, "names no directory of its own"))?;
    fs::create_dir_all(&parent)?;
    let staged = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)?;
    // A fresh temporary directory is private (0700); the output is an ordinary directory.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(staged.path(), fs::Permissions::from_mode(0o755))?;
    }
    for (path, content) in with_manifest(rendered) {
        let target = staged.path().join(&path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&target, content)?;
    }
    // The old tree, if any, is moved into a directory of our own and removed with it; it holds
    // only files this command wrote (`claim` checked).
    let retired = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(&parent)?;
    if fs::symlink_metadata(dir).is_ok() {
        fs::rename(dir, retired.path().join(&name))?;
    }
    if let Err(e) = fs::rename(staged.path(), dir) {
        // Put the old tree back, so a failed swap changes nothing; if even that fails, keep it
        // where it is rather than remove it.
        if fs::rename(retired.path().join(&name), dir).is_err() {
            let kept = retired.keep();
            return Err(io::Error::new(
                e.kind(),
                format!("{e}; the previous output is kept at {}", kept.display()),
            ));
        }
        return Err(e);
    }
    // The staged directory now lives at `dir`: forget it rather than remove it.
    let _ = staged.keep();
    // The manifest is bookkeeping: the changes reported are the rendered files'.
    Ok(drift
        .changes
        .into_iter()
        .filter(|c| c.path != MANIFEST)
        .collect())
}

/// Checks that `dir` may be written by `written_by`: absent, empty, or its earlier output.
fn claim(dir: &Path, written_by: &str) -> io::Result<()> {
    let metadata = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if metadata.file_type().is_symlink() {
        return Err(refused(
            dir,
            "is a symbolic link; give the directory it points to",
        ));
    }
    if !metadata.is_dir() {
        return Err(refused(dir, "is not a directory"));
    }
    if fs::read_dir(dir)?.next().is_none() {
        return Ok(());
    }
    let manifest_path = dir.join(MANIFEST);
    let text = promise_core::pipeline::read_metadata_file(&manifest_path)
        .map_err(|e| refused(dir, &e.to_string()))?
        .ok_or_else(|| {
            refused(
                dir,
                &format!(
                    "holds files `{written_by}` did not write (there is no {MANIFEST}); \
                     choose an empty or new directory, or, if it is an output from before \
                     manifests, remove it once"
                ),
            )
        })?;
    let manifest: Manifest = serde_saphyr::from_str(&String::from_utf8_lossy(&text))
        .map_err(|e| refused(&manifest_path, &format!("is not a manifest: {e}")))?;
    if manifest.written_by != written_by {
        return Err(refused(
            dir,
            &format!(
                "was written by `{}`, not `{written_by}`; choose another directory",
                manifest.written_by
            ),
        ));
    }
    let ours: std::collections::BTreeSet<&str> = manifest
        .files
        .iter()
        .map(String::as_str)
        .chain([MANIFEST])
        .collect();
    // Folders on the way to our files are ours; any other folder, even empty, is not.
    let our_folders: std::collections::BTreeSet<String> = ours
        .iter()
        .flat_map(|file| {
            let parts: Vec<&str> = file.split('/').collect();
            (1..parts.len()).map(move |n| parts[..n].join("/"))
        })
        .collect();
    let foreign: Vec<String> = read_tree(dir)?
        .into_keys()
        .filter(|path| !ours.contains(path.as_str()))
        .chain(
            folders(dir)?
                .into_iter()
                .filter(|folder| !our_folders.contains(folder))
                .map(|folder| format!("{folder}/")),
        )
        .collect();
    if !foreign.is_empty() {
        let listed = promise_core::excerpt::capped_list(foreign);
        return Err(refused(
            dir,
            &format!(
                "holds files `{written_by}` did not write, which it will not overwrite or \
                 remove: {}",
                listed.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Every folder under `dir`, by `/`-separated relative path (links are not followed).
fn folders(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                let path = entry.path();
                let relative = path.strip_prefix(dir).map_err(io::Error::other)?;
                out.push(
                    relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
                stack.push(path);
            }
        }
    }
    Ok(out)
}

/// A rendered path: relative, plain components, `/`-separated, not the manifest.
fn check_relative(path: &str) -> io::Result<()> {
    let plain = !path.is_empty()
        && path != MANIFEST
        && path.split('/').all(|part| {
            matches!(
                Path::new(part).components().collect::<Vec<_>>().as_slice(),
                [std::path::Component::Normal(_)]
            )
        });
    if plain {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{:?}: must be a relative path of plain names",
                promise_core::excerpt::excerpt(path)
            ),
        ))
    }
}

fn refused(path: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("{}: {why}", path.display()),
    )
}

/// Every file under `dir` (none if it does not exist), by `/`-separated relative path, with
/// its bytes. Symbolic links and special files are errors: they are never followed or read.
pub fn read_tree(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
        Ok(m) if m.file_type().is_symlink() => {
            return Err(refused(dir, "is a symbolic link, which is not followed"));
        }
        Ok(_) => {}
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current)? {
            let entry = entry?;
            let path = entry.path();
            // `DirEntry::file_type` does not follow symbolic links.
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            if !kind.is_file() {
                return Err(refused(
                    &path,
                    "is a symbolic link or special file, which is neither followed nor read",
                ));
            }
            let relative = path.strip_prefix(dir).map_err(io::Error::other)?;
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(relative, fs::read(&path)?);
        }
    }
    Ok(out)
}
