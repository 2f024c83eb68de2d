//! The Kratix API as Rust types: exactly the fields Kratix accepts, empty values omitted.
//!
//! Kratix decodes pipelines with `DisallowUnknownFields`, so these types carry no catch-all
//! field: a field Kratix does not know cannot be written.

mod duration;
mod pipeline;
mod promise;
mod read;

pub use duration::GoDuration;
pub use pipeline::{
    Container, JobOptions, Permission, Pipeline, PipelineMetadata, PipelineSpec, Rbac,
    RestartPolicy,
};
pub use promise::{
    DestinationSelector, Promise, PromiseSpec, RequiredPromise, WorkflowActions, WorkflowConfig,
    Workflows, squash_selectors,
};
pub use read::{ReadFile, ReadPromise, read_promise, read_promises};

use crate::Diagnostic;

/// `apiVersion` of Promise and Pipeline objects.
pub const API_VERSION: &str = "platform.kratix.io/v1alpha1";
/// Label that carries a Promise's version; `PromiseRelease` refuses Promises without it.
pub const PROMISE_VERSION_LABEL: &str = "kratix.io/promise-version";

/// `value` when it is the constant `expected` the model keeps for `field`.
fn constant(field: &str, value: &str, expected: &'static str) -> Result<&'static str, Diagnostic> {
    if value == expected {
        Ok(expected)
    } else {
        Err(Diagnostic::field(
            field,
            value,
            format!("must be {expected:?}"),
        ))
    }
}
