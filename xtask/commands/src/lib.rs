//! `cargo xtask`: the project's own commands, in plain Rust.
//!
//! - `cargo xtask render` writes `rendered/<promise>/{promise,example-request}.yaml`;
//! - `cargo xtask render --check` fails when `rendered/` is out of date;
//! - `cargo xtask render --out DIR` writes to DIR instead;
//! - `cargo xtask run <promise> --input FILE` runs a promise's workflow locally;
//! - `cargo xtask image` builds the static pipeline binary and the image's context;
//! - `cargo xtask crds` regenerates the typed provider resources with kopium;
//! - `cargo xtask bench` measures the pipeline binary and rendering against the budgets;
//! - `cargo xtask new NAME` scaffolds a promise;
//! - `cargo xtask oracles` builds the Go test oracles into `target/oracles/`;
//! - `cargo xtask admit <promise> FILE` shows a request as the apiserver would store it;
//! - `cargo xtask differential --requests N` compares our admission with the apiserver's;
//! - `cargo xtask lint FILE...` runs every render-time check on Promise YAML;
//! - `cargo xtask import FILE` writes each Promise of FILE as a module of the catalog;
//! - `cargo xtask corpus [--check]` imports the upstream corpus into `tests/corpus`;
//! - `cargo xtask doctests [--check]` writes the doc comments' examples as the tests of
//!   `tests/doctests`.
//!
//! Two binaries share these commands. `cargo xtask` runs `xtask-catalog`, a one-line binary
//! that calls [`main`] with the catalog, so editing a promise costs the `promises` crate, that
//! line and a link, never this library (which it loads as a shared library, `xtask-dylib`,
//! so that the link leaves it out). `xtask` does not link the `promises` crate: when a
//! promise does not compile, `cargo run -p xtask -- CMD` still runs the commands that need
//! none (`crds` among them, which may be what fixes it), and hands the others to
//! `xtask-catalog` with the same arguments.

mod admit;
mod bench;
mod crds;
mod handoff;
mod image;
mod import;
mod lint;
mod new;
mod process;
mod render;
mod run;
mod startup;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use promise_core::catalog::Catalog;

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Project commands for the promise workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render every promise of the `promises` crate to YAML.
    Render {
        /// Write nothing: compare with the committed files, print a diff, exit 1 on drift.
        #[arg(long)]
        check: bool,
        /// Directory to write to or check against (default: `rendered/` at the workspace root).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Run a promise's workflow locally, as Kratix would, through the pipeline binary.
    Run(run::Args),
    /// Scaffold a new promise: a module in promises/src, registered in the catalog, rendered,
    /// with its golden run and snapshots.
    New {
        /// The promise's name, a DNS-1123 label (`redis-cache`).
        name: String,
    },
    /// Build the pipeline image's context: the static binary and the Dockerfile in target/image.
    Image,
    /// Regenerate the typed provider resources in `promises/providers/src` with kopium.
    Crds {
        /// Write nothing; exit 1 if the committed files differ.
        #[arg(long)]
        check: bool,
    },
    /// Build the Go test oracles (`tests/oracles/*`) into `target/oracles/`, when their sources,
    /// go.mod, go.sum or the Go version changed.
    Oracles,
    /// Compare our request admission with the apiserver's (kubeoracle) over generated requests.
    Differential {
        /// Requests in all, spread over the promise APIs and the corpus APIs.
        #[arg(long, default_value_t = 10_000)]
        requests: usize,
        /// The generator's seed; a failing run is replayed with the same seed.
        #[arg(long, default_value_t = 0x9e37_79b9_7f4a_7c15)]
        seed: u64,
    },
    /// Print a request as the apiserver would store it (pruned, defaulted), or its violations.
    Admit {
        /// The promise, by name.
        promise: String,
        /// The request.
        file: PathBuf,
    },
    /// Write each Promise of a YAML file as a Rust module, registered in the `promises` catalog.
    Import(import::Args),
    /// Import every Promise of ../shared/upstream/corpus into the `promise-corpus` crate.
    Corpus {
        /// Write nothing; exit 1 if the committed modules are stale.
        #[arg(long)]
        check: bool,
    },
    /// Write the examples in promise-core's and promise-local's doc comments as the tests of
    /// the `promise-doctests` crate (`tests/doctests/src/examples.rs`).
    Doctests {
        /// Write nothing; exit 1 if the committed file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Run every render-time check on Promise YAML not written in Rust; exit 1 on any error.
    Lint {
        /// Promise YAML files (other documents in them are skipped with a note).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Measure the pipeline workflows, rendering and the binary size against the budgets.
    Bench {
        /// Runs per figure.
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
}

/// Runs the command line's command. `catalog` builds the platform's catalog when the binary
/// links the promises (`xtask-catalog`); without it, commands that need the catalog are run by
/// that binary instead.
pub fn main(catalog: Option<fn() -> Catalog>) -> ExitCode {
    let cli = Cli::parse();
    let catalog = match (cli.command.needs_catalog(), catalog) {
        (false, _) => Catalog::new,
        (true, Some(catalog)) => catalog,
        (true, None) => return handoff::to_xtask_catalog(&workspace_root()),
    };
    match cli.command {
        Command::Render { check, out } => {
            let dir = out.unwrap_or_else(|| workspace_root().join("rendered"));
            render::run(&catalog(), &dir, check)
        }
        Command::Lint { files } => lint::run(&files),
        Command::Import(args) => import::run(&workspace_root(), &catalog(), &args),
        Command::Corpus { check } => promise_import::corpus::run(&workspace_root(), check),
        Command::Doctests { check } => promise_doctests::run(&workspace_root(), check),
        Command::Bench { runs } => bench::run(&workspace_root(), &catalog(), runs),
        Command::Oracles => oracles(),
        Command::New { name } => new::run(&workspace_root(), &catalog(), &name),
        Command::Differential { requests, seed } => differential(&catalog(), requests, seed),
        Command::Admit { promise, file } => admit::run(&catalog(), &promise, &file),
        Command::Run(args) => run::run(&workspace_root(), &catalog(), args),
        Command::Crds { check } => crds::run(&workspace_root(), check),
        Command::Image => image::run(&workspace_root(), &catalog()),
    }
}

impl Command {
    /// Whether the command reads the platform's catalog (and so runs in `xtask-catalog`).
    fn needs_catalog(&self) -> bool {
        !matches!(
            self,
            Command::Lint { .. }
                | Command::Corpus { .. }
                | Command::Doctests { .. }
                | Command::Crds { .. }
                | Command::Oracles
                | Command::Import(import::Args { check: true, .. })
                | Command::Import(import::Args { out: Some(_), .. })
        )
    }
}

/// Builds every oracle, printing what each took.
fn oracles() -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    for name in promise_tests::oracles::names() {
        let started = std::time::Instant::now();
        match promise_tests::oracles::build(&name) {
            Ok(binary) => println!(
                "{name}: {} ({:.1} s)",
                binary.display(),
                started.elapsed().as_secs_f64()
            ),
            Err(why) => {
                eprintln!("error: {name}: {why}");
                code = ExitCode::FAILURE;
            }
        }
    }
    code
}

/// Generated requests through our admission and the apiserver's; exit 1 on any disagreement.
fn differential(catalog: &Catalog, requests: usize, seed: u64) -> ExitCode {
    use promise_tests::differential;
    let oracle = promise_tests::oracles::build("kubeoracle").and_then(|binary| {
        promise_tests::oracles::Session::start(&binary)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", binary.display())))
    });
    let mut oracle = match oracle {
        Ok(oracle) => oracle,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::FAILURE;
        }
    };
    let mut apis = differential::catalog_apis(catalog);
    let corpus = workspace_root().join("../shared/upstream/corpus");
    if corpus.is_dir() {
        let (more, left_out) = differential::corpus_apis(&mut oracle, &corpus);
        println!(
            "{} promise APIs, {} corpus APIs ({left_out} the apiserver or we cannot read)",
            apis.len(),
            more.len()
        );
        apis.extend(more);
    }
    let started = std::time::Instant::now();
    let per_api = requests / apis.len().max(1) + 1;
    let report = match differential::run(&mut oracle, &apis, per_api, &mut differential::Rng(seed))
    {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{} requests ({} stored by both) in {:.1} s: {} disagreements",
        report.compared,
        report.stored,
        started.elapsed().as_secs_f64(),
        report.disagreements.len()
    );
    for d in report.disagreements.iter().take(20) {
        println!("{d}");
    }
    if report.disagreements.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The workspace root: the xtask's manifest sits two levels below it (`xtask/commands`).
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .nth(2)
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
