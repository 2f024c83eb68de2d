//! Cross-crate tests, in one binary.

mod bad_input;
mod conformance;
mod determinism;
mod drift;
mod snapshots;
mod ui;
