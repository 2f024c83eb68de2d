//! The rendered directory on disk: writing it (only what changed, stale files removed) and
//! checking it for drift, both from one comparison.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::Rendered;

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

/// Compares `rendered` with the files under `dir` without writing anything.
pub fn check_dir(rendered: &Rendered, dir: &Path) -> io::Result<Drift> {
    let mut changes = Vec::new();
    // A file that is not UTF-8 cannot be ours: compare it as empty so it shows as drift.
    let existing: BTreeMap<String, String> = read_tree(dir)?
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap_or_default()))
        .collect();
    for (path, new) in &rendered.files {
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
        if !rendered.files.contains_key(&path) {
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

/// Makes `dir` hold exactly `rendered`: writes new and changed files (each through a
/// temporary file and a rename), removes stale files and the directories they leave empty.
/// Returns what changed.
pub fn write_dir(rendered: &Rendered, dir: &Path) -> io::Result<Vec<Change>> {
    let drift = check_dir(rendered, dir)?;
    for change in &drift.changes {
        let target = dir.join(&change.path);
        match &change.new {
            Some(content) => {
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)?;
                }
                let tmp = target.with_extension("yaml.tmp");
                fs::write(&tmp, content)?;
                fs::rename(&tmp, &target)?;
            }
            None => {
                fs::remove_file(&target)?;
                remove_empty_parents(&target, dir)?;
            }
        }
    }
    Ok(drift.changes)
}

fn remove_empty_parents(file: &Path, root: &Path) -> io::Result<()> {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != root && d.starts_with(root)) {
        if fs::read_dir(d)?.next().is_some() {
            break;
        }
        fs::remove_dir(d)?;
        dir = d.parent();
    }
    Ok(())
}

/// Every file under `dir` (none if it does not exist), by `/`-separated relative path, with
/// its bytes.
pub(crate) fn read_tree(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
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
