//! `cargo xtask render [--check] [--out DIR]`.

use std::path::Path;
use std::process::ExitCode;

use promise_core::catalog::Catalog;
use promise_core::render;
use promise_local::tree::{ChangeKind, Tree, check_dir, write_dir};

/// Renders `catalog`, then writes `dir` or, with `check`, compares it. Nothing is written when
/// any promise has a problem.
pub fn run(catalog: &Catalog, dir: &Path, check: bool) -> ExitCode {
    let rendered = match render::render(catalog) {
        Ok(rendered) => Tree::rendered(rendered),
        Err(problems) => {
            eprint!("error: {problems}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(platform) = catalog.platform_definition() {
        let promises: Vec<_> = catalog
            .promises()
            .iter()
            .map(|p| (p.name(), p.squashed_selectors()))
            .collect();
        for line in platform.strict_report(&promises) {
            println!("note: {line}");
        }
    }
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
            eprintln!("error: {shown} was not written: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use promise_core::catalog::{Catalog, PromiseDefinition};

    use super::run;

    #[test]
    fn a_bad_catalog_writes_nothing_and_fails() {
        let dir = std::env::temp_dir().join(format!("xtask-render-bad-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("database")).unwrap();
        std::fs::write(dir.join("database/promise.yaml"), "committed").unwrap();

        let good = PromiseDefinition::builder("shared-dns")
            .version("v1")
            .destination_selector([("a", "b")]);
        let bad = PromiseDefinition::builder("Shared_DNS").version("v1");
        let catalog = Catalog::new().with(good.build()).with(bad.build());
        assert_eq!(run(&catalog, &dir, false), ExitCode::FAILURE);

        // Neither the good promise nor removals were written: validate everything, then write.
        assert!(!dir.join("shared-dns").exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("database/promise.yaml")).unwrap(),
            "committed"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn check_reports_drift_and_write_fixes_it() {
        let dir = std::env::temp_dir().join(format!("xtask-render-check-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let catalog = Catalog::new().with(
            PromiseDefinition::builder("shared-dns")
                .version("v1")
                .destination_selector([("a", "b")])
                .build(),
        );
        assert_eq!(
            run(&catalog, &dir, true),
            ExitCode::FAILURE,
            "an empty dir has drifted"
        );
        assert_eq!(run(&catalog, &dir, false), ExitCode::SUCCESS);
        assert_eq!(run(&catalog, &dir, true), ExitCode::SUCCESS);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
