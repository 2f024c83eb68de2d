//! The platform's Promises, written in Rust: one module per promise, and the [`catalog`]
//! that `cargo xtask render` renders to `rendered/`.

pub mod database;

use promise_core::catalog::Catalog;

/// Every promise of the platform.
pub fn catalog() -> Catalog {
    Catalog::new().with(database::promise())
}
