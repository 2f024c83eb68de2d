//! `cargo xtask render [--check] [--out DIR]`.

use std::path::Path;
use std::process::ExitCode;

use promise_core::catalog::Catalog;
use promise_core::render::{self, ChangeKind, check_dir, write_dir};

/// Renders `catalog`, then writes `dir` or, with `check`, compares it. Nothing is written when
/// any promise has a problem.
pub fn run(catalog: &Catalog, dir: &Path, check: bool) -> ExitCode {
    let rendered = match render::render(catalog) {
        Ok(rendered) => rendered,
        Err(problems) => {
            eprint!("error: {problems}");
            return ExitCode::FAILURE;
        }
    };
    let shown = dir.display();
    if check {
        return match check_dir(&rendered, dir) {
            Ok(drift) if drift.is_clean() => {
                println!("{shown} is up to date ({} files)", rendered.files.len());
                ExitCode::SUCCESS
            }
            Ok(drift) => {
                eprint!("{drift}");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("error: cannot read {shown}: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match write_dir(&rendered, dir) {
        Ok(changes) => {
            for change in &changes {
                println!("{change}");
            }
            let unchanged = rendered.files.len()
                - changes
                    .iter()
                    .filter(|c| c.kind != ChangeKind::Removed)
                    .count();
            println!("{shown}: {} changed, {unchanged} unchanged", changes.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {shown}: {e}");
            ExitCode::FAILURE
        }
    }
}
