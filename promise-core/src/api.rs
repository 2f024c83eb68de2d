//! The trait `#[promise_api]` implements: what promise-core needs of a request type.

use k8s_openapi::NamespaceResourceScope;
use kube_core::{CustomResourceExt, Resource};
use serde::{Serialize, de::DeserializeOwned};

/// A Promise's API: a namespaced custom resource with a derived schema.
///
/// Implemented by `#[promise_api]`; the `Scope = NamespaceResourceScope` bound makes a
/// cluster-scoped type unusable as a promise API, since Kratix rejects those.
pub trait PromiseApi:
    CustomResourceExt
    + Resource<DynamicType = (), Scope = NamespaceResourceScope>
    + Serialize
    + DeserializeOwned
    + Clone
    + std::fmt::Debug
    + 'static
{
}
