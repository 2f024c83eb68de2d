//! The platform's Promises, written in Rust: one module per promise, and the [`catalog`]
//! that `cargo xtask render` renders to `rendered/` and the `promise-pipeline` binary runs.

pub mod database;
pub mod providers;

use promise_core::catalog::Catalog;

/// The image every pipeline step runs in: `promise-pipeline` at this crate's version.
pub const PIPELINE_IMAGE: &str = concat!(
    "ghcr.io/aleklab/promise-pipeline:v",
    env!("CARGO_PKG_VERSION")
);

/// Every promise of the platform.
pub fn catalog() -> Catalog {
    Catalog::new()
        .image(PIPELINE_IMAGE)
        .with(database::promise())
}
