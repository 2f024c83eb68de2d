//! Cross-crate tests, in one binary.

mod bad_input;
mod compare;
mod conformance;
mod containers;
mod contract;
mod crossplane;
mod crossplane_errors;
mod determinism;
mod drift;
mod golden;
mod hostile;
mod image;
mod import;
mod kratix_exact;
mod model;
mod oracles;
mod pipeline;
mod platform;
mod prepared;
mod properties;
mod snapshots;
mod tenancy;
mod tidy;
mod versions;
mod wire_names;
