//! Typed Kratix Promises.
//!
//! Declare a Promise's API as a Rust struct with [`promise_api`], assemble the Promise with
//! [`catalog::PromiseDefinition::builder`], and [`render`] the catalog to the YAML that goes
//! to git. Every object is checked before it is written: names against Kubernetes' rules,
//! schemas against the apiserver's structural rules, example requests against their API.
//!
//! Around that core: [`pipeline`] (typed steps and the container contract the pipeline binary
//! honours), [`crossplane`] (XRDs derived with [`composite`], Compositions with typed and
//! checked patches), and [`names`], [`quantity`] and [`schema`] (the Kubernetes rules the
//! rest relies on). Running workflows locally as Kratix would is the `promise-local` crate's.
//!
//! ```
//! use promise_core::{api_type, promise_api, catalog::{Catalog, PromiseDefinition}};
//!
//! /// A cache for a team.
//! #[promise_api(group = "platform.example.com", version = "v1alpha1", kind = "Cache",
//!               shortname = "cache")]
//! pub struct CacheSpec {
//!     /// Memory in MiB.
//!     #[serde(default = "default_memory")]
//!     pub memory_mib: i32,
//!     pub tier: Tier,
//! }
//!
//! fn default_memory() -> i32 { 256 }
//!
//! #[api_type]
//! #[serde(rename_all = "lowercase")]
//! pub enum Tier { Dev, Prod }
//!
//! let mut request = Cache::new("sessions", CacheSpec { memory_mib: 512, tier: Tier::Prod });
//! request.metadata.namespace = Some("team-a".into());
//! let catalog = Catalog::new().with(
//!     PromiseDefinition::builder("cache").version("v0.1.0").api::<Cache>().example(request).build(),
//! );
//! let rendered = promise_core::render::render(&catalog).unwrap();
//! let promise = &rendered.files["cache/promise.yaml"];
//! assert!(promise.contains("name: caches.platform.example.com"));
//! assert!(promise.contains("kratix.io/promise-version: v0.1.0"));
//! assert!(promise.contains("default: 256"));
//! ```
#![forbid(unsafe_code)]

mod api;
pub mod catalog;
pub mod crossplane;
mod diagnostic;
pub mod excerpt;
pub mod kratix;
pub mod names;
pub mod pipeline;
pub mod platform;
mod problem;
pub mod quantity;
pub mod render;
pub mod schema;
pub mod yaml;

pub use api::PromiseApi;
pub use diagnostic::Diagnostic;
pub use kube_core::CustomResourceExt;
pub use problem::{Problem, Problems};
pub use promise_derive::{api_type, composite, promise_api};

/// Everything a promise author needs, and nothing else: `use promise_core::prelude::*;`.
///
/// The API macros, the promise builder, typed steps and what they read and write, names that
/// are valid where they land, and quantities. Crossplane's composition types stay in
/// [`crossplane`], for the promises that compose.
pub mod prelude {
    pub use crate::catalog::PromiseDefinition;
    pub use crate::names::{
        Dns1035Label, DnsLabel, DnsSubdomain, IDENTITY_SUFFIX_LEN, RequestIdentity, patterns,
    };
    pub use crate::pipeline::{
        Output, PipelineDef, PromiseRequest, Request, Step, StepError, WorkflowControl,
    };
    pub use crate::quantity::{Cpu, Memory};
    pub use crate::{api_type, composite, promise_api};
}

/// The message a panic carried, for reporting a caught panic as an error.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("no message")
}

/// Re-exports for the code `#[promise_api]` generates, so promise crates depend on
/// `promise-core` alone. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use k8s_openapi;
    pub use kube_core;
    pub use kube_derive::CustomResource;
    pub use schemars;
    pub use serde;
    pub use serde_json;
}
