//! Cross-crate tests, in one binary.

mod bad_input;
mod conformance;
mod contract;
mod crossplane;
mod determinism;
mod drift;
mod golden;
mod pipeline;
mod snapshots;
mod ui;
