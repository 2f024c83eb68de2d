//! The files a pipeline container reads and writes under `/kratix`, handled as if an earlier
//! container had been hostile: it may have left a symbolic link, a FIFO or a huge file where
//! a step expects its input or writes its output.
//!
//! - reads open regular files only, without following a symlink or blocking on a FIFO, and
//!   refuse anything over a size cap before reading it;
//! - a new file is created exclusively where it belongs (never through a symlink, never
//!   opening what is there); one that exists is replaced through a temporary file with an
//!   unpredictable name, renamed into place only once every file is written; a failure (a
//!   full disk among them) removes every file the write created and every temporary file;
//! - no directory on the way to a target, and no target, may be a symlink.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use super::StepError;

/// The largest metadata file read: 1 MiB, most of the 1.5 MiB etcd stores for a whole object.
pub(crate) const MAX_METADATA_BYTES: u64 = 1024 * 1024;

/// One file to write: its path under the root, and its content.
pub(crate) struct Planned {
    /// Relative to the root, `/`-separated, plain components only.
    pub(crate) relative: String,
    pub(crate) content: String,
}

/// Reads `path` if it exists: a regular file of at most `max` bytes, opened without following
/// a symlink or blocking on a FIFO. Errors name the file as `shown`.
pub(crate) fn read_regular(
    path: &Path,
    shown: &str,
    max: u64,
) -> Result<Option<Vec<u8>>, StepError> {
    // `O_NOFOLLOW` guards the last component only: the folder holding it must not be a link.
    if path.parent().is_some_and(is_symlink) {
        return Err(
            StepError::new("is in a folder that is a symbolic link, which is refused").at(shown),
        );
    }
    let file = match open_no_follow(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if is_symlink(path) => {
            return Err(
                StepError::new(format!("is a symbolic link, which is refused: {e}")).at(shown),
            );
        }
        Err(e) => return Err(StepError::new(format!("cannot be read: {e}")).at(shown)),
    };
    let metadata = file
        .metadata()
        .map_err(|e| StepError::new(format!("cannot be read: {e}")).at(shown))?;
    if !metadata.is_file() {
        return Err(StepError::new(
            "is not a regular file (a directory, FIFO, socket or device), which is refused",
        )
        .at(shown));
    }
    if metadata.len() > max {
        return Err(StepError::new(format!(
            "is {} bytes, more than the {max} accepted; it was not read",
            metadata.len()
        ))
        .at(shown));
    }
    // Sized from the metadata, so that the file is read in one call (and one to see its end).
    let mut bytes = Vec::with_capacity(metadata.len() as usize + 1);
    // The file may grow after the check: read one byte past the cap at most.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| StepError::new(format!("cannot be read: {e}")).at(shown))?;
    if bytes.len() as u64 > max {
        return Err(StepError::new(format!("is more than the {max} bytes accepted")).at(shown));
    }
    Ok(Some(bytes))
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<File> {
    if is_symlink(path) {
        return Err(io::Error::other("a symbolic link"));
    }
    File::open(path)
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Writes every planned file under `root`, or none. A file that does not exist yet is
/// created in place, exclusively (`O_EXCL` never follows a symlink nor opens what an earlier
/// container put there); one that exists is staged in its directory under a random name and
/// renamed over it once every file is written. On any error, what this call created is
/// removed and nothing is renamed.
pub(crate) fn write_all_or_nothing(root: &Path, plan: &[Planned]) -> Result<(), StepError> {
    // The root is Kratix's (`KRATIX_ROOT`) and trusted; only what is below it is checked.
    if !root.is_dir() {
        fs::create_dir_all(root).map_err(|e| cannot_write(root, e))?;
    }
    let mut written = Written::default();
    let mut checked = Vec::new();
    for file in plan {
        let target = checked_target(root, &file.relative, &mut checked)?;
        match create_new(&target) {
            Ok(mut created) => {
                written.created.push(target.clone());
                readable(&created)
                    .and_then(|()| created.write_all(file.content.as_bytes()))
                    .map_err(|e| cannot_write(&target, e))?;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                check_replaceable(&target)?;
                written
                    .staged
                    .push((stage(&target, &file.content)?, target));
            }
            Err(e) => return Err(cannot_write(&target, e)),
        }
    }
    for (staged, target) in std::mem::take(&mut written.staged) {
        staged
            .persist(&target)
            .map_err(|e| cannot_write(&target, e.error))?;
    }
    written.created.clear();
    Ok(())
}

/// What a write has done so far, undone when it is dropped before it completes: the files
/// it created are removed, and the staged ones (temporary files) remove themselves.
#[derive(Default)]
struct Written {
    created: Vec<PathBuf>,
    staged: Vec<(tempfile::NamedTempFile, PathBuf)>,
}

impl Drop for Written {
    fn drop(&mut self) {
        for path in &self.created {
            // Created by this call with `O_EXCL`: ours to remove. Nothing to report on
            // failure; the error that brought us here is.
            let _ = fs::remove_file(path);
        }
    }
}

/// A file created at `path`, which must not exist (not even as a dangling symlink).
fn create_new(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o644).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Makes `file` readable by Kratix's own containers, which run as another user: whatever
/// the umask took from a new file's mode, or the 0600 of a temporary file.
fn readable(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// `content` in a temporary file beside `target`, to be renamed over it.
fn stage(target: &Path, content: &str) -> Result<tempfile::NamedTempFile, StepError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".promise-pipeline-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| cannot_write(dir, e))?;
    // On any error `tmp` is dropped, which removes it: nothing is left behind, even on a
    // full disk.
    tmp.write_all(content.as_bytes())
        .and_then(|()| tmp.flush())
        .map_err(|e| cannot_write(target, e))?;
    readable(tmp.as_file()).map_err(|e| cannot_write(target, e))?;
    Ok(tmp)
}

fn cannot_write(path: &Path, e: io::Error) -> StepError {
    StepError::new(format!("cannot be written: {e}")).at(&path.display().to_string())
}

/// `root/relative`, after creating its directories: every component below `root` must be a
/// real directory (never a symlink). `checked` holds the directories already checked by
/// this write, each checked once.
fn checked_target(
    root: &Path,
    relative: &str,
    checked: &mut Vec<PathBuf>,
) -> Result<PathBuf, StepError> {
    let parts: Vec<&str> = relative.split('/').collect();
    if parts.iter().any(|p| {
        !matches!(
            Path::new(p).components().collect::<Vec<_>>().as_slice(),
            [Component::Normal(_)]
        )
    }) {
        return Err(StepError::field(
            "output",
            relative,
            "must be a relative path of plain names",
        ));
    }
    let (file, dirs) = parts.split_last().unwrap_or((&"", &[]));
    let mut dir = root.to_path_buf();
    for part in dirs {
        dir.push(part);
        if checked.contains(&dir) {
            continue;
        }
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refused(&dir, "is a symbolic link"));
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(refused(
                    &dir,
                    "is a file, so no file can be written under it",
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&dir).map_err(|e| cannot_write(&dir, e))?;
            }
            Err(e) => return Err(cannot_write(&dir, e)),
        }
        checked.push(dir.clone());
    }
    Ok(dir.join(file))
}

/// An existing target may be replaced only if it is a regular file: never a symlink (the
/// rename would replace the link, not write through it, but an earlier container's link
/// is refused as on reading), a directory or a special file.
fn check_replaceable(target: &Path) -> Result<(), StepError> {
    match fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => Err(refused(target, "is a symbolic link")),
        Ok(m) if !m.is_file() => Err(refused(
            target,
            "is a directory or special file, so the file cannot be written",
        )),
        _ => Ok(()),
    }
}

fn refused(path: &Path, why: &str) -> StepError {
    StepError::new(format!("{why}, which is refused")).at(&path.display().to_string())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn root() -> tempfile::TempDir {
        tempfile::tempdir().expect("tempdir")
    }

    fn read_status(root: &tempfile::TempDir) -> Result<Option<Vec<u8>>, StepError> {
        read_regular(
            &root.path().join("metadata/status.yaml"),
            "status.yaml",
            100,
        )
    }

    fn plan(relative: &str) -> Vec<Planned> {
        vec![Planned {
            relative: relative.into(),
            content: "x: 1\n".into(),
        }]
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let root = root();
        let fifo = root.path().join("status.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            panic!("mkfifo is needed for this test");
        }
        let err = read_regular(&fifo, "status.yaml", 10).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn symlinks_are_refused_for_reading_and_writing() {
        let root = root();
        let outside = root.path().join("outside.yaml");
        fs::write(&outside, "secret: 1\n").unwrap();
        fs::create_dir(root.path().join("metadata")).unwrap();
        std::os::unix::fs::symlink(&outside, root.path().join("metadata/status.yaml")).unwrap();
        let err = read_status(&root).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        let err = write_all_or_nothing(root.path(), &plan("metadata/status.yaml")).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(fs::read_to_string(&outside).unwrap(), "secret: 1\n");

        // A directory on the way that is a link out of the root.
        std::os::unix::fs::symlink(root.path(), root.path().join("output")).unwrap();
        let err = write_all_or_nothing(root.path(), &plan("output/a.yaml")).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(!root.path().join("a.yaml").exists());
    }

    #[test]
    fn oversized_files_are_refused_unread() {
        let root = root();
        let big = root.path().join("big.yaml");
        fs::write(&big, vec![b'a'; 2048]).unwrap();
        let err = read_regular(&big, "big.yaml", 1024).unwrap_err();
        assert!(err.to_string().contains("2048 bytes"), "{err}");
        assert_eq!(
            read_regular(&root.path().join("absent"), "absent", 1).unwrap(),
            None
        );
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let root = root();
        fs::create_dir_all(root.path().join("output/dir")).unwrap();
        let mut two = plan("output/ok.yaml");
        // The second target is a directory: nothing may be written, nothing left behind.
        two.extend(plan("output/dir"));
        assert!(write_all_or_nothing(root.path(), &two).is_err());
        let left: Vec<_> = fs::read_dir(root.path().join("output"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["dir"]);
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read the directory")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_existing_file_is_replaced_only_when_every_file_can_be_written() {
        let root = root();
        let output = root.path().join("output");
        fs::create_dir_all(output.join("dir")).unwrap();
        fs::write(output.join("existing.yaml"), "old: 1\n").unwrap();
        let mut three = plan("output/new.yaml");
        three.extend(plan("output/existing.yaml"));
        three.extend(plan("output/dir"));
        let err = write_all_or_nothing(root.path(), &three).unwrap_err();
        assert!(err.to_string().contains("output/dir"), "{err}");
        // The new file is gone again, the existing one untouched, no temporary file left.
        assert_eq!(names_in(&output), ["dir", "existing.yaml"]);
        assert_eq!(
            fs::read_to_string(output.join("existing.yaml")).unwrap(),
            "old: 1\n"
        );

        three.pop();
        write_all_or_nothing(root.path(), &three).expect("write");
        assert_eq!(names_in(&output), ["dir", "existing.yaml", "new.yaml"]);
        for name in ["existing.yaml", "new.yaml"] {
            assert_eq!(fs::read_to_string(output.join(name)).unwrap(), "x: 1\n");
        }
    }

    #[test]
    fn written_files_are_readable_by_kratixs_containers() {
        use std::os::unix::fs::PermissionsExt;
        let root = root();
        write_all_or_nothing(root.path(), &plan("output/a.yaml")).expect("write");
        let mode = fs::metadata(root.path().join("output/a.yaml"))
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn a_linked_folder_is_refused_for_reading() {
        let root = root();
        let elsewhere = root.path().join("elsewhere");
        fs::create_dir(&elsewhere).expect("mkdir");
        fs::write(elsewhere.join("status.yaml"), "a: 1\n").expect("write");
        std::os::unix::fs::symlink(&elsewhere, root.path().join("metadata")).expect("link");
        let err = read_status(&root).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
    }
}
