//! The platform's Promises, written in Rust: one module per promise, and the [`catalog`]
//! that `cargo xtask render` renders to `rendered/` and the `promise-pipeline` binary runs.

pub mod app_environment;
pub mod database;
pub mod platform;
pub mod team_namespace;

use promise_core::catalog::Catalog;
use promise_core::pipeline::dispatch::OnDemand;
pub use promise_providers as providers;

/// The image every pipeline step runs in: `promise-pipeline` at this crate's version.
pub const PIPELINE_IMAGE: &str = concat!(
    "ghcr.io/aleklab/promise-pipeline:v",
    env!("CARGO_PKG_VERSION")
);

/// Every promise of the platform, by name, built on demand: the pipeline binary builds only
/// the promise whose step it runs.
pub const PROMISES: &[OnDemand] = &[
    ("database", database::promise),
    ("team-namespace", team_namespace::promise),
    ("app-environment", app_environment::promise),
];

/// Every promise of the platform.
pub fn catalog() -> Catalog {
    PROMISES
        .iter()
        .fold(
            Catalog::new().image(PIPELINE_IMAGE),
            |catalog, (_, promise)| catalog.with(promise()),
        )
        .platform(platform::definition())
}

/// A label (or annotation) map from string pairs.
pub(crate) fn labels<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> std::collections::BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The longest environment label, `staging`: name limits subtract it.
pub(crate) const LONGEST_ENVIRONMENT: usize = "staging".len();
