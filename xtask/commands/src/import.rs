//! `cargo xtask import FILE [--name NAME] [--out DIR]`: each Promise of a YAML file as a Rust
//! module of this library, registered in the `promises` catalog (or only written to DIR);
//! `cargo xtask import --check FILE` prints what its import would render differently. The
//! work is `promise-import`'s (`xtask/import`); this module is the command and the catalog.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use promise_core::catalog::Catalog;
use promise_core::kratix::ReadPromise;
use promise_import::{
    differences, module, module_name, read, refuse_existing, render_back, rustfmt_all, write_module,
};

/// What `cargo xtask import` was asked.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Promise YAML (documents of other kinds are skipped with a note).
    pub file: PathBuf,
    /// The module's name (default: the Promise's name, `-` as `_`); one Promise only.
    #[arg(long)]
    pub name: Option<String>,
    /// Only write the module(s) into DIR; do not register them.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing: print how the import would render differently from FILE, exit 1 if it does.
    #[arg(long, conflicts_with_all = ["name", "out"])]
    pub check: bool,
}

pub fn run(root: &Path, catalog: &Catalog, args: &Args) -> ExitCode {
    match execute(root, catalog, args) {
        Ok(code) => code,
        Err(errors) => {
            for error in errors {
                eprintln!("{}: error: {error}", args.file.display());
            }
            eprintln!("nothing written");
            ExitCode::FAILURE
        }
    }
}

fn execute(root: &Path, catalog: &Catalog, args: &Args) -> Result<ExitCode, Vec<String>> {
    let promises = read(&args.file, false)?;
    if args.check {
        return check(&args.file, &promises);
    }
    if args.name.is_some() && promises.len() > 1 {
        return Err(vec![format!(
            "--name names one module, but the file holds {} Promises",
            promises.len()
        )]);
    }
    let source = args.file.display().to_string();
    let mut modules = Vec::new();
    for read in &promises {
        let promise_name = read.promise.metadata.name.clone().unwrap_or_default();
        let name = match &args.name {
            Some(name) => module_name(name).map_err(|e| vec![e.at("--name").to_string()])?,
            None => module_name(&promise_name.replace('-', "_")).map_err(|e| {
                vec![format!(
                    "{}; give one with --name",
                    e.at("the Promise's name")
                )]
            })?,
        };
        let mut files = module(&read.promise, &source)?.files;
        rustfmt_all(&mut files);
        modules.push((name, promise_name, files));
    }
    match &args.out {
        Some(dir) => {
            for (name, _, _) in &modules {
                refuse_existing(&dir.join(name))?;
            }
            for (name, _, files) in modules {
                write_module(&dir.join(&name), &files)?;
                println!("wrote {}", dir.join(&name).display());
            }
        }
        None => register(root, catalog, &modules)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the modules into `promises/src` and registers them in the catalog, after checking
/// that nothing is taken.
fn register(
    root: &Path,
    catalog: &Catalog,
    modules: &[(String, String, BTreeMap<String, String>)],
) -> Result<(), Vec<String>> {
    let lib_path = root.join("promises/src/lib.rs");
    let mut lib = std::fs::read_to_string(&lib_path)
        .map_err(|e| vec![format!("{}: {e}", lib_path.display())])?;
    for (module, promise, _) in modules {
        if catalog.promises().iter().any(|p| p.name() == promise) {
            return Err(vec![format!(
                "the catalog has a promise {promise:?} already"
            )]);
        }
        refuse_existing(&root.join("promises/src").join(module))?;
        refuse_existing(&root.join("promises/src").join(format!("{module}.rs")))?;
        lib = crate::new::registered(&lib, module, promise).map_err(|e| vec![e])?;
    }
    for (module, _, files) in modules {
        let dir = root.join("promises/src").join(module);
        write_module(&dir, files)?;
        println!("wrote {} and registered it in the catalog", dir.display());
    }
    std::fs::write(&lib_path, lib).map_err(|e| vec![format!("{}: {e}", lib_path.display())])?;
    println!("next: `cargo xtask render` renders the imported promise(s) into rendered/");
    Ok(())
}

/// Renders each Promise back from its definition and prints where it differs from FILE as
/// Kratix reads both; exit 1 on a difference.
fn check(file: &Path, promises: &[ReadPromise]) -> Result<ExitCode, Vec<String>> {
    let source = file.display().to_string();
    let mut code = ExitCode::SUCCESS;
    for read in promises {
        // The module must be writable at all.
        module(&read.promise, &source)?;
        let back = render_back(&read.promise).map_err(|problems| {
            problems
                .0
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        })?;
        let original = serde_json::to_value(&read.promise).map_err(|e| vec![e.to_string()])?;
        let name = read.promise.metadata.name.clone().unwrap_or_default();
        let differences = differences(&original, &back);
        if differences.is_empty() {
            println!("{source}: Promise {name:?} renders back unchanged");
        } else {
            code = ExitCode::FAILURE;
            println!("{source}: Promise {name:?} renders back differently:");
            for line in differences {
                println!("  {line}");
            }
        }
    }
    Ok(code)
}
