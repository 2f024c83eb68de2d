//! `Pipeline` (`platform.kratix.io/v1alpha1`) and its `Container`, as Kratix's
//! `pipeline_types.go` defines them. Kratix decodes these with `DisallowUnknownFields`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    EnvFromSource, EnvVar, LocalObjectReference, ResourceRequirements, SecurityContext, Toleration,
    Volume, VolumeMount,
};
use k8s_openapi::api::rbac::v1::PolicyRule;
use serde::{Deserialize, Serialize};

use crate::Diagnostic;

/// A Kratix pipeline: containers run in order in one Job, sharing `/kratix/output` and
/// `/kratix/metadata`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    /// Always `platform.kratix.io/v1alpha1`.
    pub api_version: &'static str,
    /// Always `Pipeline`.
    pub kind: &'static str,
    /// Name, and labels and annotations Kratix copies onto the Job's pods.
    pub metadata: PipelineMetadata,
    /// Containers and pod settings.
    pub spec: PipelineSpec,
}

impl Pipeline {
    /// An empty pipeline named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            api_version: super::API_VERSION,
            kind: "Pipeline",
            metadata: PipelineMetadata {
                name: name.into(),
                ..PipelineMetadata::default()
            },
            spec: PipelineSpec::default(),
        }
    }
}

/// A Pipeline as written, read strictly (Kratix decodes it with `DisallowUnknownFields`),
/// then checked into a [`Pipeline`].
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PipelineDocument {
    api_version: String,
    kind: String,
    #[serde(default)]
    metadata: PipelineMetadata,
    #[serde(default)]
    spec: PipelineSpec,
}

// By hand: a derive would tie the `&'static str` fields to the input's lifetime.
impl<'de> Deserialize<'de> for Pipeline {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        PipelineDocument::deserialize(de)?
            .try_into()
            .map_err(serde::de::Error::custom)
    }
}

impl TryFrom<PipelineDocument> for Pipeline {
    type Error = Diagnostic;

    fn try_from(document: PipelineDocument) -> Result<Self, Diagnostic> {
        Ok(Self {
            api_version: super::constant("apiVersion", &document.api_version, super::API_VERSION)?,
            kind: super::constant("kind", &document.kind, "Pipeline")?,
            metadata: document.metadata,
            spec: document.spec,
        })
    }
}

/// The part of `ObjectMeta` Kratix reads from a Pipeline. Other ObjectMeta fields (a
/// `namespace`, `creationTimestamp: null`) are accepted and ignored, as Kratix ignores them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineMetadata {
    /// Unique per workflow type and action; `<promise>-<type>-<action>-<name>` must fit in
    /// 60 characters because it names the pipeline's ServiceAccount.
    pub name: String,
    /// Merged into the Job's and pod's labels.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Added to the pod template.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// `Pipeline.spec`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PipelineSpec {
    /// Run in order, as init containers of the pipeline's pod.
    pub containers: Vec<Container>,
    /// Pull secrets for the containers' images.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<LocalObjectReference>,
    /// Job settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_options: Option<JobOptions>,
    /// Node selector of the pipeline's pod.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// ServiceAccount and extra permissions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rbac: Option<Rbac>,
    /// Pod restart policy; Kratix defaults it to `OnFailure`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<RestartPolicy>,
    /// Tolerations of the pipeline's pod.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// Extra pod volumes, for secrets and config the containers mount.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
}

/// A pipeline pod's restart policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestartPolicy {
    /// Restart failed containers in place (Kratix's default).
    OnFailure,
    /// Never restart; the Job's backoff creates new pods.
    Never,
}

/// `Pipeline.spec.jobOptions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct JobOptions {
    /// Retries before the Job is marked failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backoff_limit: Option<i32>,
}

/// `Pipeline.spec.rbac`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Rbac {
    /// An existing ServiceAccount to run as, instead of the generated one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// Extra permissions granted to the pipeline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<Permission>,
}

/// One `rbac.permissions` entry: a policy rule, optionally in another namespace.
// `deny_unknown_fields` does not combine with `flatten`: the policy rule takes what is left.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    /// Where the rule applies: absent = the pipeline's namespace, `*` = every namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_namespace: Option<String>,
    /// The rule itself, inlined as Kratix expects.
    #[serde(flatten)]
    pub rule: PolicyRule,
}

/// A pipeline container: the only ten fields of `corev1.Container` Kratix accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Container {
    /// A DNS-1123 label, unique in the pipeline.
    pub name: String,
    /// The image to run.
    pub image: String,
    /// Entrypoint override.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Arguments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Variables, after the `KRATIX_*` ones Kratix sets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// Variables from ConfigMaps or Secrets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env_from: Vec<EnvFromSource>,
    /// Mounts of the pipeline's `volumes`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
    /// `Always`, `IfNotPresent` or `Never`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<String>,
    /// Security context; Kratix applies none to user containers by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Requests and limits; Kratix defaults them to 100m/128Mi requested, 200m/256Mi limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
}
