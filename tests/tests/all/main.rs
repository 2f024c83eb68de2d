//! Cross-crate tests, in one binary.

mod bad_input;
mod conformance;
mod contract;
mod determinism;
mod drift;
mod pipeline;
mod snapshots;
mod ui;
