//! The team-namespace promise (manual §12): a namespace per team and environment, with a
//! resource quota, a default-deny network policy and, on request, Istio sidecar injection.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, ResourceQuota, ResourceQuotaSpec};
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicySpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use promise_core::prelude::*;

use crate::LONGEST_ENVIRONMENT;
use crate::database::Environment;

/// The longest `teamName` whose namespace `<team>-<environment>-<tag>` is a DNS label.
pub const TEAM_NAME_MAX: usize = 63 - 1 - LONGEST_ENVIRONMENT - IDENTITY_SUFFIX_LEN;

/// A namespace for a team in one environment.
#[promise_api(
    group = "platform.aleklab.com",
    version = "v1alpha1",
    kind = "TeamNamespace",
    shortname = "tns",
    printcolumn(name = "Team", json_path = ".spec.teamName"),
    printcolumn(name = "Environment", json_path = ".spec.environment")
)]
pub struct TeamNamespaceSpec {
    /// The team, a DNS label of at most 38 characters: the namespace is
    /// `<teamName>-<environment>-<tag>`, where the tag is derived from this request's
    /// namespace and name.
    #[schemars(regex(pattern = patterns::DNS1123_LABEL), length(max = TEAM_NAME_MAX))]
    pub team_name: String,
    /// Environment the namespace serves.
    pub environment: Environment,
    /// Resource quota tier.
    #[serde(default)]
    pub resource_quota: QuotaSize,
    /// Label the namespace for Istio sidecar injection.
    #[serde(default)]
    pub enable_istio: bool,
}

/// Resource quota tiers: requests of 2/4/8 CPU and 4/8/16 GiB; limits twice the requests.
#[promise_core::api_type]
#[derive(Default, Eq, Copy)]
#[serde(rename_all = "lowercase")]
pub enum QuotaSize {
    /// 2 CPU, 4 GiB requested.
    #[default]
    Small,
    /// 4 CPU, 8 GiB requested.
    Medium,
    /// 8 CPU, 16 GiB requested.
    Large,
}

impl QuotaSize {
    /// The requested CPU and memory of the tier.
    pub fn requests(self) -> (Cpu, Memory) {
        match self {
            QuotaSize::Small => (Cpu::cores(2), Memory::gib(4)),
            QuotaSize::Medium => (Cpu::cores(4), Memory::gib(8)),
            QuotaSize::Large => (Cpu::cores(8), Memory::gib(16)),
        }
    }
}

/// The team-namespace Promise.
pub fn promise() -> PromiseDefinition {
    let mut example = TeamNamespace::new(
        "team-frontend-dev",
        TeamNamespaceSpec {
            team_name: "frontend".into(),
            environment: Environment::Dev,
            resource_quota: QuotaSize::Medium,
            enable_istio: true,
        },
    );
    // Kratix requires namespaced promise APIs, so the manual's cluster-scoped request needs a namespace.
    example.metadata.namespace = Some("platform-requests".into());
    PromiseDefinition::builder("team-namespace")
        .version("v0.1.0")
        .api::<TeamNamespace>()
        .example(example)
        .resource_configure(
            PipelineDef::new("create-namespace").step(Step::resource("generate", generate)),
        )
        .build()
}

/// The Namespace, its quota and its default-deny network policy.
pub fn generate(request: &Request<TeamNamespace>, out: &mut Output) -> Result<(), StepError> {
    let spec = &request.spec;
    let environment = spec.environment.wire_name();
    // Two teams (or two requests) of one name in different namespaces get different
    // Namespaces: the name carries the request's identity.
    let name = request
        .identity()?
        .label(&format!("{}-{environment}", spec.team_name))
        .map_err(|e| StepError::derived(TeamNamespace::paths().spec().team_name(), e))?;
    let mut labels = BTreeMap::from([
        ("team".to_string(), spec.team_name.clone()),
        ("environment".to_string(), environment.to_string()),
        ("managed-by".to_string(), "kratix".to_string()),
    ]);
    if spec.enable_istio {
        labels.insert("istio-injection".into(), "enabled".into());
    }
    out.write(
        "namespace.yaml",
        &Namespace {
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                labels: Some(labels),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        },
    )?;

    let (cpu, memory) = spec.resource_quota.requests();
    let hard = BTreeMap::from([
        ("requests.cpu".to_string(), cpu.quantity()),
        ("requests.memory".to_string(), memory.quantity()),
        ("limits.cpu".to_string(), (cpu * 2).quantity()),
        ("limits.memory".to_string(), (memory * 2).quantity()),
    ]);
    out.write(
        "quota.yaml",
        &ResourceQuota {
            metadata: in_namespace("team-quota".into(), &name),
            spec: Some(ResourceQuotaSpec {
                hard: Some(hard),
                ..ResourceQuotaSpec::default()
            }),
            ..ResourceQuota::default()
        },
    )?;
    out.write(
        "network-policy.yaml",
        &NetworkPolicy {
            metadata: in_namespace("default-deny".into(), &name),
            spec: Some(NetworkPolicySpec {
                pod_selector: Some(LabelSelector::default()),
                policy_types: Some(vec!["Ingress".into(), "Egress".into()]),
                ..NetworkPolicySpec::default()
            }),
        },
    )?;
    // The namespace belongs on the cluster of its environment.
    out.select(None, [("environment", environment)]);
    out.status()
        .message(format!(
            "Namespace {name} is ready for team {}",
            spec.team_name
        ))
        .field("namespace", name.as_str());
    Ok(())
}

fn in_namespace(name: String, namespace: &DnsLabel) -> ObjectMeta {
    ObjectMeta {
        name: Some(name),
        namespace: Some(namespace.to_string()),
        ..ObjectMeta::default()
    }
}
