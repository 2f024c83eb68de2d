//! [`PipelineDef`]: a Kratix pipeline declared in Rust, its typed steps and third-party
//! containers in the order they run, and every pod setting Kratix accepts on a Pipeline.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    EnvVar, EnvVarSource, LocalObjectReference, ResourceRequirements, SecretKeySelector,
    SecretVolumeSource, SecurityContext, Toleration, Volume, VolumeMount,
};

use super::step::{Step, hardened};
use crate::kratix::{Container, JobOptions, Permission, PipelineSpec, Rbac, RestartPolicy};

/// A Kratix pipeline declared in Rust: typed steps and third-party containers in the order
/// they run, and the pod settings they share.
///
/// Step containers get a hardened security context unless one is set: non-root (UID 65532),
/// read-only root filesystem, no privilege escalation, all capabilities dropped, the
/// runtime's default seccomp profile. Third-party containers are rendered as given.
///
/// ```
/// use promise_core::kratix::{Container, RestartPolicy};
/// use promise_core::pipeline::{PipelineDef, PromiseWorkflow};
///
/// let pipeline = PipelineDef::<PromiseWorkflow>::new("configure")
///     .container(Container {
///         name: "legacy-script".into(),
///         image: "ghcr.io/acme/legacy:v1".into(),
///         ..Container::default()
///     })
///     .image_pull_secret("registry-credentials")
///     .backoff_limit(2)
///     .restart_policy(RestartPolicy::Never);
/// assert_eq!(pipeline.name(), "configure");
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct PipelineDef<T> {
    pub(crate) name: String,
    pub(crate) members: Vec<Member<T>>,
    /// The image step containers run; the catalog's when unset.
    pub(crate) image: Option<String>,
    pub(crate) env: Vec<EnvVar>,
    pub(crate) volume_mounts: Vec<VolumeMount>,
    pub(crate) resources: Option<ResourceRequirements>,
    pub(crate) security_context: SecurityContext,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) annotations: BTreeMap<String, String>,
    /// Pod settings: everything of `Pipeline.spec` but the containers.
    pub(crate) pod: PipelineSpec,
    pub(crate) config: Option<Result<String, String>>,
}

/// One container of a pipeline: a typed step, or a container of any image.
#[derive(Debug, Clone)]
pub(crate) enum Member<T> {
    Step(Step<T>),
    Container(Container),
}

impl<T> PipelineDef<T> {
    /// An empty pipeline named `name` (a DNS-1123 label).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            members: Vec::new(),
            image: None,
            env: Vec::new(),
            volume_mounts: Vec::new(),
            resources: None,
            security_context: hardened(),
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            pod: PipelineSpec::default(),
            config: None,
        }
    }

    /// The pipeline's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Configuration every step of this pipeline receives, rendered as the `PROMISE_CONFIG`
    /// variable (JSON), so platform settings such as a domain live in the Promise, not in
    /// step code. Steps read it with [`Step::resource_configured`].
    pub fn config(mut self, config: &impl serde::Serialize) -> Self {
        self.config = Some(serde_json::to_string(config).map_err(|e| e.to_string()));
        self
    }

    /// Appends a typed step; steps and containers run in the order added.
    pub fn step(mut self, step: Step<T>) -> Self {
        self.members.push(Member::Step(step));
        self
    }

    /// Appends a container of any image, rendered exactly as given: an existing image kept
    /// while the rest of the pipeline moves to typed steps. `cargo xtask run` cannot start
    /// images; it runs a stand-in command given for the container's name.
    pub fn container(mut self, container: Container) -> Self {
        self.members.push(Member::Container(container));
        self
    }

    /// The image step containers run, instead of the catalog's pipeline image: one that
    /// holds this catalog's pipeline binary.
    pub fn image(mut self, image: impl Into<String>) -> Self {
        self.image = Some(image.into());
        self
    }

    /// A plain environment variable for every step.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push(EnvVar {
            name: name.into(),
            value: Some(value.into()),
            value_from: None,
        });
        self
    }

    /// An environment variable of every step, read from key `key` of Secret `secret`.
    pub fn secret_env(
        mut self,
        name: impl Into<String>,
        secret: impl Into<String>,
        key: impl Into<String>,
    ) -> Self {
        let selector = SecretKeySelector {
            name: secret.into(),
            key: key.into(),
            optional: None,
        };
        let source = EnvVarSource {
            secret_key_ref: Some(selector),
            ..EnvVarSource::default()
        };
        self.env.push(EnvVar {
            name: name.into(),
            value: None,
            value_from: Some(source),
        });
        self
    }

    /// Mounts Secret `secret` read-only at `mount_path` in every step.
    pub fn secret_volume(
        self,
        volume: impl Into<String>,
        secret: impl Into<String>,
        mount_path: impl Into<String>,
    ) -> Self {
        let volume = volume.into();
        let source = SecretVolumeSource {
            secret_name: Some(secret.into()),
            ..SecretVolumeSource::default()
        };
        self.volume(Volume {
            name: volume.clone(),
            secret: Some(source),
            ..Volume::default()
        })
        .volume_mount(VolumeMount {
            name: volume,
            mount_path: mount_path.into(),
            read_only: Some(true),
            ..VolumeMount::default()
        })
    }

    /// A pod volume of any kind (ConfigMap, Secret, emptyDir, ...); containers mount it with
    /// their own `volumeMounts`, steps with [`volume_mount`](Self::volume_mount).
    pub fn volume(mut self, volume: Volume) -> Self {
        self.pod.volumes.push(volume);
        self
    }

    /// Mounts a pod volume in every step.
    pub fn volume_mount(mut self, mount: VolumeMount) -> Self {
        self.volume_mounts.push(mount);
        self
    }

    /// Requests and limits for every step.
    pub fn resources(mut self, resources: ResourceRequirements) -> Self {
        self.resources = Some(resources);
        self
    }

    /// Replaces the hardened security context of every step.
    pub fn security_context(mut self, context: SecurityContext) -> Self {
        self.security_context = context;
        self
    }

    /// An extra RBAC permission for the pipeline's ServiceAccount.
    pub fn permission(mut self, permission: Permission) -> Self {
        self.pod
            .rbac
            .get_or_insert_with(Rbac::default)
            .permissions
            .push(permission);
        self
    }

    /// Runs the pipeline as an existing ServiceAccount instead of the one Kratix creates.
    pub fn service_account(mut self, name: impl Into<String>) -> Self {
        self.pod
            .rbac
            .get_or_insert_with(Rbac::default)
            .service_account = Some(name.into());
        self
    }

    /// A pull secret for the pipeline's images.
    pub fn image_pull_secret(mut self, name: impl Into<String>) -> Self {
        self.pod
            .image_pull_secrets
            .push(LocalObjectReference { name: name.into() });
        self
    }

    /// Retries before the pipeline's Job is marked failed.
    pub fn backoff_limit(mut self, limit: i32) -> Self {
        self.pod.job_options = Some(JobOptions {
            backoff_limit: Some(limit),
        });
        self
    }

    /// A node label the pipeline's pod must be scheduled on.
    pub fn node_selector(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.pod.node_selector.insert(key.into(), value.into());
        self
    }

    /// A toleration of the pipeline's pod.
    pub fn toleration(mut self, toleration: Toleration) -> Self {
        self.pod.tolerations.push(toleration);
        self
    }

    /// The pod's restart policy (Kratix's default is `OnFailure`).
    pub fn restart_policy(mut self, policy: RestartPolicy) -> Self {
        self.pod.restart_policy = Some(policy);
        self
    }

    /// A label on the pipeline's Job and pods; Kratix's own Job labels cannot be overridden.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// An annotation on the pipeline's pods.
    pub fn annotation(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.annotations.insert(key.into(), value.into());
        self
    }

    /// The typed steps, in order.
    pub(crate) fn steps(&self) -> impl Iterator<Item = &Step<T>> {
        self.members.iter().filter_map(|m| match m {
            Member::Step(step) => Some(step),
            Member::Container(_) => None,
        })
    }

    /// Forgets the request type once the builder has checked it.
    pub(crate) fn erase(self) -> PipelineDef<()> {
        PipelineDef {
            name: self.name,
            members: self
                .members
                .into_iter()
                .map(|m| match m {
                    Member::Step(step) => Member::Step(step.erase()),
                    Member::Container(c) => Member::Container(c),
                })
                .collect(),
            image: self.image,
            env: self.env,
            volume_mounts: self.volume_mounts,
            resources: self.resources,
            security_context: self.security_context,
            labels: self.labels,
            annotations: self.annotations,
            pod: self.pod,
            config: self.config,
        }
    }
}
