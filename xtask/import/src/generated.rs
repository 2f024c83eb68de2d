//! Generated source files under a directory: written, or with `--check` compared, the one way
//! every generator of committed sources does it (`cargo xtask corpus`, `cargo xtask crds`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

/// Files generated into `dir`, by `/`-separated path relative to it.
#[derive(Debug)]
pub struct Generated<'a> {
    /// Where they go.
    pub dir: PathBuf,
    /// Their contents.
    pub files: &'a BTreeMap<String, String>,
    /// Whether every file under `dir` is generated, so that one the generator no longer
    /// writes is stale too (otherwise `dir` holds hand-written files beside them).
    pub owns_dir: bool,
    /// The command that generates them, named in the drift message.
    pub command: &'a str,
}

impl Generated<'_> {
    /// Writes the files or, with `check`, reports those that differ from what is committed;
    /// the exit code says which.
    pub fn check_or_write(&self, check: bool) -> ExitCode {
        let shown = self.dir.display();
        if check {
            let stale = self.stale();
            if stale.is_empty() {
                println!("{shown} is up to date ({} files)", self.files.len());
                return ExitCode::SUCCESS;
            }
            for line in stale {
                eprintln!("{line}");
            }
            eprintln!("run `{}` and commit the result", self.command);
            return ExitCode::FAILURE;
        }
        let mut written = 0;
        for (path, content) in self.files {
            let path = self.dir.join(path);
            if std::fs::read_to_string(&path).ok().as_deref() == Some(content.as_str()) {
                continue;
            }
            let result = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, content));
            if let Err(e) = result {
                eprintln!("error: {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            written += 1;
        }
        println!("{shown}: {written} of {} files written", self.files.len());
        ExitCode::SUCCESS
    }

    /// What differs from the committed files: missing, changed (Rust compared by tokens,
    /// so a machine without rustfmt agrees) and, when the directory is all generated, files
    /// no longer generated.
    pub fn stale(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (path, content) in self.files {
            match std::fs::read_to_string(self.dir.join(path)) {
                Err(_) => lines.push(format!("missing: {path}")),
                Ok(committed) if committed == *content => {}
                Ok(committed) if path.ends_with(".rs") && same_tokens(&committed, content) => {}
                Ok(_) => lines.push(format!("changed: {path}")),
            }
        }
        if self.owns_dir {
            for path in files_under(&self.dir, |_| true) {
                let relative = relative(&self.dir, &path);
                if !self.files.contains_key(&relative) {
                    lines.push(format!("not generated (remove it): {relative}"));
                }
            }
        }
        lines
    }
}

/// Every file under `dir` that `keep` accepts, sorted; a directory that cannot be read has
/// none.
pub fn files_under(dir: &Path, keep: fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if keep(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `path` relative to `dir`, with `/` separators.
pub fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn same_tokens(a: &str, b: &str) -> bool {
    match (
        proc_macro2::TokenStream::from_str(a),
        proc_macro2::TokenStream::from_str(b),
    ) {
        (Ok(a), Ok(b)) => a.to_string() == b.to_string(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_names_missing_changed_and_leftover_files_and_ignores_formatting() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("same.rs"), "fn  a ( ) { }\n").expect("write");
        std::fs::write(dir.path().join("changed.txt"), "old").expect("write");
        std::fs::write(dir.path().join("leftover.rs"), "").expect("write");
        let files: BTreeMap<String, String> = [
            ("same.rs", "fn a() {}\n"),
            ("changed.txt", "new"),
            ("missing.rs", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut generated = Generated {
            dir: dir.path().to_path_buf(),
            files: &files,
            owns_dir: true,
            command: "cargo xtask test",
        };
        let mut stale = generated.stale();
        stale.sort();
        assert_eq!(
            stale,
            [
                "changed: changed.txt",
                "missing: missing.rs",
                "not generated (remove it): leftover.rs"
            ]
        );
        generated.owns_dir = false;
        assert_eq!(
            generated.stale().len(),
            2,
            "hand-written files are not stale"
        );
        assert_eq!(generated.check_or_write(false), ExitCode::SUCCESS);
        assert!(
            generated.stale().is_empty(),
            "written: {:?}",
            generated.stale()
        );
    }
}
