//! Why a local run did not start, or stopped outside any container's control.

use std::fmt;

use promise_core::Diagnostic;
use promise_core::excerpt::{capped_list, excerpt};

/// Why a local run did not start, or stopped outside any container's control. A container
/// that fails is an [`Outcome`](super::Outcome) of the run, not this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The request would not pass the apiserver: every violation, printed as `kubectl apply`
    /// prints a refusal.
    Invalid {
        /// The API's kind.
        kind: String,
        /// The request's name.
        name: String,
        /// Every broken rule.
        violations: Vec<Diagnostic>,
    },
    /// Not a request for this API at all (not YAML, not a map, another kind).
    NotARequest(String),
    /// The Promise or the options cannot run as given (no name, no request for a resource
    /// workflow, a third-party container without a stand-in).
    Unrunnable(String),
    /// The pipeline's root could not be written or read.
    Root(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Invalid {
                kind,
                name,
                violations,
            } => write!(
                f,
                "The {kind} {:?} is invalid:\n* {}",
                excerpt(name),
                capped_list(violations.iter().map(ToString::to_string)).join("\n* ")
            ),
            RunError::NotARequest(why) | RunError::Unrunnable(why) | RunError::Root(why) => {
                f.write_str(why)
            }
        }
    }
}

impl std::error::Error for RunError {}
