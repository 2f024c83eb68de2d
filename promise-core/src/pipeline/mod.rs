//! Kratix's pipeline container contract, typed.
//!
//! A step is a Rust function over the typed request. It reads `/kratix/input/object.yaml` as
//! a [`Request`], writes through an [`Output`] (files, status, destination selectors,
//! workflow control), and either everything it wrote lands or, on any error, nothing does.
//! Every step of every promise runs from one binary whose `main` is [`dispatch::main`].

mod context;
pub mod dispatch;
mod error;
mod files;
mod object_header;
mod object_names;
mod output;
mod pipeline_def;
pub mod prepared;
mod request;
pub(crate) mod selectors;
mod status;
pub(crate) mod step;
#[cfg(test)]
mod tests;

pub use context::{CONFIG_VAR, Context, NOW_VAR, WorkflowAction, WorkflowType, vars};
pub use error::StepError;
pub use output::read_yaml as read_metadata_yaml;
pub use output::{Output, WorkflowControl};
pub(crate) use pipeline_def::Member;
pub use pipeline_def::PipelineDef;
pub use request::{PromiseRequest, Request};
pub use selectors::DirectorySelector;
pub use selectors::parse_written as parse_written_selectors;
pub use status::{KRATIX_OWNED_STATUS_KEYS, StatusUpdate};
pub use step::{PromiseWorkflow, Step};

/// Reads a metadata file a container left (`status.yaml`, `destination-selectors.yaml`,
/// `workflow-control.yaml`): a regular file of at most 1 MiB, never through a symlink and
/// never blocking on a FIFO. `None` when it does not exist.
pub fn read_metadata_file(path: &std::path::Path) -> Result<Option<Vec<u8>>, StepError> {
    files::read_regular(path, &path.display().to_string(), files::MAX_METADATA_BYTES)
}

/// Name of the pipeline binary, as `cargo build --release` names it; containers run it.
pub const BINARY_NAME: &str = "promise-pipeline";
/// Where the binary lives in the pipeline image.
pub const BINARY_PATH: &str = "/usr/local/bin/promise-pipeline";
