//! Composite resources (XRs) and the composed resources their compositions create.

use std::collections::BTreeMap;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::JSONSchemaProps;
use kube_core::{CustomResourceExt, Resource};
use serde::{Deserialize, Serialize};

use super::{CompositeResourceDefinition, XrdApi, xrd};
use crate::Diagnostic;

/// Where a composite resource lives and how Crossplane treats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompositeScope {
    /// A namespaced XR (Crossplane v2); composes resources in its own namespace.
    Namespaced,
    /// A cluster-scoped XR (Crossplane v2).
    Cluster,
    /// A Crossplane 1.x XR: cluster-scoped, may offer a namespaced claim; its selection fields
    /// sit directly under `spec`.
    LegacyCluster,
}

impl CompositeScope {
    /// The spelling of `spec.scope`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Namespaced => "Namespaced",
            Self::Cluster => "Cluster",
            Self::LegacyCluster => "LegacyCluster",
        }
    }
}

/// A composite resource type, declared with `#[composite]`: the XRD is derived from the
/// same Rust type the pipeline fills in, so the two cannot disagree.
///
/// ```
/// use promise_core::composite;
/// use promise_core::crossplane::{Composite, XrdApi};
///
/// /// A database, provisioned by a Composition.
/// #[composite(group = "platform.example.com", version = "v1alpha1", kind = "XDatabase",
///             scope = "Namespaced")]
/// pub struct XDatabaseSpec {
///     /// Size in GiB.
///     pub size_gib: i32,
/// }
///
/// let xrd = XDatabase::xrd(XrdApi::V2).unwrap();
/// assert_eq!(xrd.metadata.name, "xdatabases.platform.example.com");
/// assert_eq!(xrd.spec.scope, "Namespaced");
/// // Typed paths for patches: a misspelt field does not compile.
/// assert_eq!(XDatabase::paths().spec().size_gib().to_string(), "spec.sizeGib");
/// ```
pub trait Composite: CustomResourceExt + Resource<DynamicType = ()> + Serialize + 'static {
    /// The XR's scope.
    const SCOPE: CompositeScope;
    /// The claim's kind and plural, for a `LegacyCluster` XR that offers one.
    const CLAIM: Option<(&'static str, &'static str)>;

    /// The CompositeResourceDefinition, in the `api` version of the XRD API.
    fn xrd(api: XrdApi) -> Result<CompositeResourceDefinition, Diagnostic> {
        xrd::from_crd(Self::crd(), Self::SCOPE, Self::CLAIM, api)
    }
}

/// A managed or other Kubernetes resource a composition creates, with its schema so that
/// composed-side field paths can be checked. Implemented by the generated provider types.
pub trait Composed: Serialize {
    /// The object's `openAPIV3Schema`, descriptions stripped.
    fn schema() -> Result<JSONSchemaProps, Diagnostic>;
}

/// `spec.crossplane` of a Crossplane v2 XR: how the XR picks its Composition. Crossplane
/// injects it into the XR's CRD, so it is never part of the XRD schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrossplaneControl {
    /// Selects the Composition by labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composition_selector: Option<CompositionSelector>,
    /// Names the Composition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composition_ref: Option<CompositionReference>,
    /// `Automatic` or `Manual`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composition_update_policy: Option<String>,
}

impl CrossplaneControl {
    /// Selects the Composition carrying all of `labels`.
    pub fn select<K: Into<String>, V: Into<String>>(
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            composition_selector: Some(CompositionSelector::of(labels)),
            ..Self::default()
        }
    }

    /// True when nothing is set (then it is not serialized).
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// The selection fields of a `LegacyCluster` XR, which sit directly under its `spec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyCrossplaneControl {
    /// Selects the Composition by labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composition_selector: Option<CompositionSelector>,
    /// Names the Composition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composition_ref: Option<CompositionReference>,
    /// Where Crossplane 1.x writes the XR's connection secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_connection_secret_to_ref: Option<SecretReference>,
}

impl LegacyCrossplaneControl {
    /// Selects the Composition carrying all of `labels`.
    pub fn select<K: Into<String>, V: Into<String>>(
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            composition_selector: Some(CompositionSelector::of(labels)),
            ..Self::default()
        }
    }
}

/// `compositionSelector`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompositionSelector {
    /// Labels the Composition must carry.
    pub match_labels: BTreeMap<String, String>,
}

impl CompositionSelector {
    fn of<K: Into<String>, V: Into<String>>(labels: impl IntoIterator<Item = (K, V)>) -> Self {
        Self {
            match_labels: labels
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

/// `compositionRef`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositionReference {
    /// The Composition's name.
    pub name: String,
}

/// `writeConnectionSecretToRef`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretReference {
    /// Secret name.
    pub name: String,
    /// Secret namespace.
    pub namespace: String,
}

/// The spec type of a composed resource, generated with kopium from the provider's CRD:
/// it knows its API version, kind and schema.
pub trait ComposedSpec: Serialize {
    /// `<group>/<version>`.
    const API_VERSION: &'static str;
    /// The kind.
    const KIND: &'static str;
    /// The `openAPIV3Schema` of the provider's CRD, descriptions stripped.
    fn schema() -> Result<JSONSchemaProps, Diagnostic>;
}

/// A composed object of spec type `S`: `apiVersion` and `kind` come from `S`.
///
/// ```
/// use promise_core::crossplane::{ComposedSpec, Manifest};
///
/// #[derive(serde::Serialize, Default)]
/// struct BucketSpec { region: String }
/// impl ComposedSpec for BucketSpec {
///     const API_VERSION: &'static str = "s3.example.com/v1";
///     const KIND: &'static str = "Bucket";
///     fn schema() -> Result<promise_core::crossplane::Schema, promise_core::Diagnostic> { Ok(Default::default()) }
/// }
/// let bucket = Manifest::new(BucketSpec { region: "eu-central-1".into() });
/// assert_eq!(
///     serde_json::to_value(&bucket).unwrap(),
///     serde_json::json!({"apiVersion": "s3.example.com/v1", "kind": "Bucket", "spec": {"region": "eu-central-1"}})
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest<S> {
    /// Labels and annotations; Crossplane names composed resources itself.
    pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    /// The spec.
    pub spec: S,
}

impl<S> Manifest<S> {
    /// A manifest with empty metadata.
    pub fn new(spec: S) -> Self {
        Self {
            metadata: Default::default(),
            spec,
        }
    }
}

impl<S: ComposedSpec> Serialize for Manifest<S> {
    fn serialize<Ser: serde::Serializer>(&self, ser: Ser) -> Result<Ser::Ok, Ser::Error> {
        use serde::ser::SerializeStruct;
        let with_metadata = self.metadata != Default::default();
        let mut s = ser.serialize_struct("Manifest", 3 + usize::from(with_metadata))?;
        s.serialize_field("apiVersion", S::API_VERSION)?;
        s.serialize_field("kind", S::KIND)?;
        if with_metadata {
            s.serialize_field("metadata", &self.metadata)?;
        }
        s.serialize_field("spec", &self.spec)?;
        s.end()
    }
}

impl<S: ComposedSpec> Composed for Manifest<S> {
    fn schema() -> Result<JSONSchemaProps, Diagnostic> {
        S::schema()
    }
}
