//! Macros for `promise-core`: declare a Kratix Promise API as a Rust struct.
//!
//! Use them through `promise_core` (`promise_core::promise_api`, `promise_core::api_type`):
//! the code they generate names only paths that `promise_core` re-exports, so a promise crate
//! depends on `promise-core` alone. The macros do token work only; the CRD itself is built by
//! kube-derive's `CustomResource`, whose schema generator and structural transforms we reuse.
#![forbid(unsafe_code)]

mod api;
mod api_type;
mod attrs;
mod composite;
mod paths;
mod resource;
mod serde_keys;

use proc_macro::TokenStream;

/// Declares a Promise API: the attributed struct is the request's `spec`, as in
/// `#[promise_api(group = "platform.example.com", version = "v1alpha1", kind = "Database",
/// shortname = "db", status = DatabaseStatus, printcolumn(name = "Engine",
/// json_path = ".spec.engine"))]` on `pub struct DatabaseSpec`; promise-core's crate
/// documentation has a tested example.
///
/// Generates the root type named by `kind` (`Database`, with `metadata`, `spec` and an optional
/// `status`) through kube-derive's `CustomResource`, always namespaced, and implements
/// `promise_core::PromiseApi` for it. Fields are camelCase unless the struct sets
/// `#[serde(rename_all = "...")]` itself. Keys:
///
/// | key | meaning |
/// |---|---|
/// | `group`, `version`, `kind` | required; checked against Kubernetes naming rules |
/// | `plural`, `singular` | default: the kind lower-cased (and pluralised) |
/// | `shortname`, `category` | repeatable |
/// | `printcolumn(name, json_path, type, description, format, priority)` | repeatable; `type` defaults to `string` |
/// | `status = Type` | the typed status (declare it with `#[api_type]`) |
/// | `scope = "Namespaced"` | the only scope Kratix accepts; `"Cluster"` is a compile error |
#[proc_macro_attribute]
pub fn promise_api(args: TokenStream, input: TokenStream) -> TokenStream {
    api::expand(args.into(), input.into()).into()
}

/// Declares a Crossplane composite resource (XR): the attributed struct is its `spec`, as in
/// `#[composite(group = "platform.example.com", version = "v1alpha1", kind = "XDatabase",
/// scope = "Namespaced", status = XDatabaseStatus)]` on `pub struct XDatabaseSpec`;
/// `promise_core::crossplane::Composite` has a tested example.
///
/// Generates the root type `XDatabase` (through kube-derive's `CustomResource`), implements
/// `promise_core::crossplane::Composite` (whose `xrd()` derives the XRD from this very type)
/// and typed field paths (`XDatabase::paths().spec().size()`). It adds a `crossplane` field to
/// the spec for the composition selection Crossplane injects into the XR's CRD, kept out of the
/// XRD. Keys are those of `#[promise_api]`, plus `scope` (`Namespaced`, `Cluster` or
/// `LegacyCluster`) and, for `LegacyCluster` only, `claim_kind` and `claim_plural`.
#[proc_macro_attribute]
pub fn composite(args: TokenStream, input: TokenStream) -> TokenStream {
    composite::expand(args.into(), input.into()).into()
}

/// Makes a struct or enum usable inside a promise API (a nested field type or the status).
///
/// Adds `Serialize`, `Deserialize`, `JsonSchema`, `Clone`, `Debug` and `PartialEq` derives
/// wired to `promise_core`'s re-exports. Structs get camelCase field names unless they set
/// `#[serde(rename_all = "...")]`; enums keep serde's defaults.
#[proc_macro_attribute]
pub fn api_type(args: TokenStream, input: TokenStream) -> TokenStream {
    api_type::expand(args.into(), input.into()).into()
}
