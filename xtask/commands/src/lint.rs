//! `cargo xtask lint FILE...`: every render-time check run on Promise YAML not written in
//! Rust, reported in the render's format; exit 1 on any error.

use std::path::PathBuf;
use std::process::ExitCode;

use promise_core::kratix::read_promises;
use promise_core::render::lint;

pub fn run(files: &[PathBuf]) -> ExitCode {
    let (mut errors, mut warnings, mut promises) = (0, 0, 0);
    for file in files {
        let shown = file.display();
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{shown}: error: cannot read: {e}");
                errors += 1;
                continue;
            }
        };
        let read = match read_promises(&text) {
            Ok(read) => read,
            Err(problems) => {
                for problem in problems {
                    eprintln!("{shown}: error: {problem}");
                    errors += 1;
                }
                continue;
            }
        };
        for notice in &read.skipped {
            println!("{shown}: note: {notice}");
        }
        if read.promises.is_empty() {
            eprintln!("{shown}: error: no Promise in this file");
            errors += 1;
        }
        for promise in &read.promises {
            promises += 1;
            let found = lint(&promise.promise);
            for problem in promise.warnings.iter().chain(&found.warnings) {
                println!("{shown}: warning: {problem}");
                warnings += 1;
            }
            for problem in &found.errors.0 {
                eprintln!("{shown}: error: {problem}");
                errors += 1;
            }
        }
    }
    println!("{promises} promise(s) linted: {errors} error(s), {warnings} warning(s)");
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
