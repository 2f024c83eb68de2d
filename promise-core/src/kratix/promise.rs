//! `Promise` (`platform.kratix.io/v1alpha1`), as Kratix's `promise_types.go` defines it.

use std::collections::BTreeMap;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use super::{GoDuration, Pipeline};
use crate::Diagnostic;

/// A Kratix Promise: an API, its dependencies, where its output goes, and its workflows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Promise {
    /// Always `platform.kratix.io/v1alpha1`.
    pub api_version: &'static str,
    /// Always `Promise`.
    pub kind: &'static str,
    /// Name (a DNS-1123 label) and labels, among them `kratix.io/promise-version`.
    pub metadata: ObjectMeta,
    /// What the Promise offers and does.
    pub spec: PromiseSpec,
}

/// A Promise as written: `apiVersion` and `kind` checked, fields the Promise CRD does not
/// declare ignored, as the apiserver prunes them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PromiseDocument {
    api_version: String,
    kind: String,
    #[serde(default)]
    metadata: ObjectMeta,
    #[serde(default)]
    spec: PromiseSpec,
}

// By hand: a derive would tie the `&'static str` fields to the input's lifetime.
impl<'de> Deserialize<'de> for Promise {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        PromiseDocument::deserialize(de)?
            .try_into()
            .map_err(serde::de::Error::custom)
    }
}

impl TryFrom<PromiseDocument> for Promise {
    type Error = Diagnostic;

    fn try_from(document: PromiseDocument) -> Result<Self, Diagnostic> {
        Ok(Self {
            api_version: super::constant("apiVersion", &document.api_version, super::API_VERSION)?,
            kind: super::constant("kind", &document.kind, "Promise")?,
            metadata: document.metadata,
            spec: document.spec,
        })
    }
}

impl Promise {
    /// An empty Promise named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            api_version: super::API_VERSION,
            kind: "Promise",
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..ObjectMeta::default()
            },
            spec: PromiseSpec::default(),
        }
    }
}

/// `Promise.spec`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PromiseSpec {
    /// The API requests are made against: a namespaced CustomResourceDefinition. A Promise
    /// without one offers only its dependencies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<CustomResourceDefinition>,
    /// Static dependencies: Kubernetes objects written to every matching Destination.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<serde_json::Value>,
    /// Labels a Destination must carry to receive this Promise's output. Kratix squashes
    /// several entries into one map, the first entry winning on a key conflict.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destination_selectors: Vec<DestinationSelector>,
    /// Promises that must be available before this one is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required_promises: Vec<RequiredPromise>,
    /// Pipelines run for the Promise itself and for each request.
    #[serde(skip_serializing_if = "Workflows::is_empty")]
    pub workflows: Workflows,
}

/// One `destinationSelectors` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationSelector {
    /// Labels the Destination must have.
    #[serde(default)]
    pub match_labels: BTreeMap<String, String>,
}

/// A Promise's `destinationSelectors` squashed into one map, as Kratix squashes them: the
/// first entry wins on a key conflict.
pub fn squash_selectors(selectors: &[DestinationSelector]) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    for entry in selectors.iter().rev() {
        labels.extend(entry.match_labels.clone());
    }
    labels
}

/// One `requiredPromises` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequiredPromise {
    /// Name of the required Promise.
    pub name: String,
    /// Its version (`kratix.io/promise-version`); absent means any version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// `Promise.spec.workflows`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Workflows {
    /// Settings for every workflow of this Promise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<WorkflowConfig>,
    /// Pipelines run when the Promise itself is configured or deleted.
    #[serde(skip_serializing_if = "WorkflowActions::is_empty")]
    pub promise: WorkflowActions,
    /// Pipelines run for each request.
    #[serde(skip_serializing_if = "WorkflowActions::is_empty")]
    pub resource: WorkflowActions,
}

impl Workflows {
    /// True when there is nothing to render.
    pub fn is_empty(&self) -> bool {
        self.config.is_none() && self.promise.is_empty() && self.resource.is_empty()
    }
}

/// `workflows.config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkflowConfig {
    /// Namespace every workflow Job runs in; it must exist beforehand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_namespace: Option<String>,
    /// How often the workflows re-run; Kratix's webhook rejects less than a minute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconciliation_interval: Option<GoDuration>,
}

/// The pipelines of one workflow type, per action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkflowActions {
    /// Run on create, update and every reconciliation, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub configure: Vec<Pipeline>,
    /// Run on delete; Kratix runs only the first delete pipeline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub delete: Vec<Pipeline>,
}

impl WorkflowActions {
    /// True when neither action has a pipeline.
    pub fn is_empty(&self) -> bool {
        self.configure.is_empty() && self.delete.is_empty()
    }
}
