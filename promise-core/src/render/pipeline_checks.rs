//! Checks of one Kratix Pipeline, typed steps and third-party containers alike: what
//! Kratix's webhook refuses (names, the pipeline id), and what the dry-run of the pipeline's
//! Job that the webhook performs would refuse (container, volume and mount rules), plus the
//! names and paths Kratix's own containers and volumes occupy in the same pod.

use std::collections::BTreeSet;

use crate::kratix::Pipeline;
use crate::names::rules;
use crate::problem::Problems;

use super::checks::labels;

/// Kratix names a pipeline's ServiceAccount `<promise>-<type>-<action>-<pipeline>` and its
/// webhook rejects the Promise when that exceeds 60 characters.
const PIPELINE_ID_MAX: usize = 60;

/// Containers Kratix adds to every pipeline pod.
const RESERVED_CONTAINERS: [&str; 3] = ["reader", "work-writer", "status-writer"];
/// Volumes Kratix adds to every pipeline pod.
const RESERVED_VOLUMES: [&str; 4] = [
    "shared-input",
    "shared-output",
    "shared-metadata",
    "promise-scheduling",
];
/// Where Kratix mounts its shared volumes in user containers.
const RESERVED_MOUNTS: [&str; 3] = ["/kratix/input", "/kratix/output", "/kratix/metadata"];
/// Labels Kratix sets on every pipeline Job; pipeline labels are merged over them.
const JOB_LABELS: [&str; 7] = [
    "kratix.io/promise-name",
    "kratix.io/workflow-type",
    "kratix.io/workflow-action",
    "kratix.io/pipeline-name",
    "kratix.io/resource-name",
    "kratix.io/hash",
    "app.kubernetes.io/managed-by",
];
const PULL_POLICIES: [&str; 3] = ["Always", "IfNotPresent", "Never"];

pub(super) fn pipeline(
    name: &str,
    field: &str,
    id_prefix: &str,
    pipeline: &Pipeline,
    problems: &mut Problems,
) {
    let labels_field = format!("{field}.metadata.labels");
    for (key, value) in &pipeline.metadata.labels {
        labels(name, &labels_field, key, value, problems);
    }
    let mut report = |field: String, value: Option<&str>, rule: String| {
        problems.report(name, field, value, rule);
    };
    let pipeline_name = &pipeline.metadata.name;
    if let Err(rule) = rules::dns1123_label(pipeline_name) {
        report(format!("{field}.metadata.name"), Some(pipeline_name), rule);
    }
    let id = format!("{id_prefix}-{pipeline_name}");
    if id.len() > PIPELINE_ID_MAX {
        report(
            format!("{field}.metadata.name"),
            Some(pipeline_name),
            format!(
                "Kratix names the pipeline's ServiceAccount {id:?} ({} characters), which must be at most {PIPELINE_ID_MAX}",
                id.len()
            ),
        );
    }
    for key in pipeline.metadata.labels.keys() {
        if JOB_LABELS.contains(&key.as_str()) {
            report(
                format!("{field}.metadata.labels"),
                Some(key),
                "Kratix sets this label on the pipeline's Job; a pipeline label would override it"
                    .into(),
            );
        }
    }
    for key in pipeline.metadata.annotations.keys() {
        if let Err(rule) = rules::label_key(key) {
            report(
                format!("{field}.metadata.annotations key"),
                Some(key),
                format!("annotation key {rule}"),
            );
        }
    }
    let spec = &pipeline.spec;
    if spec.containers.is_empty() {
        report(
            format!("{field}.spec.containers"),
            None,
            "must not be empty".into(),
        );
    }
    let mut volumes = BTreeSet::new();
    for (i, volume) in spec.volumes.iter().enumerate() {
        let at = format!("{field}.spec.volumes[{i}].name");
        let volume_name = volume.name.as_str();
        if let Err(rule) = rules::dns1123_label(volume_name) {
            report(at.clone(), Some(volume_name), rule);
        }
        if RESERVED_VOLUMES.contains(&volume_name) {
            report(
                at.clone(),
                Some(volume_name),
                "Kratix adds a volume of this name to every pipeline pod".into(),
            );
        }
        if !volumes.insert(volume_name) {
            report(
                at,
                Some(volume_name),
                "volume names must be unique in a pod".into(),
            );
        }
    }
    if let Some(limit) = spec.job_options.as_ref().and_then(|j| j.backoff_limit)
        && limit < 0
    {
        report(
            format!("{field}.spec.jobOptions.backoffLimit"),
            Some(&limit.to_string()),
            "must be greater than or equal to 0".into(),
        );
    }
    if let Some(account) = spec.rbac.as_ref().and_then(|r| r.service_account.as_ref())
        && let Err(rule) = rules::dns1123_subdomain(account)
    {
        report(
            format!("{field}.spec.rbac.serviceAccount"),
            Some(account),
            rule,
        );
    }
    for (i, secret) in spec.image_pull_secrets.iter().enumerate() {
        if let Err(rule) = rules::dns1123_subdomain(&secret.name) {
            report(
                format!("{field}.spec.imagePullSecrets[{i}].name"),
                Some(&secret.name),
                rule,
            );
        }
    }
    let node_selector = format!("{field}.spec.nodeSelector");
    for (key, value) in &spec.node_selector {
        labels(name, &node_selector, key, value, problems);
    }
    for (i, container) in spec.containers.iter().enumerate() {
        let field = format!("{field}.spec.containers[{i}]");
        container_checks(name, &field, container, &volumes, problems);
    }
    let mut seen = BTreeSet::new();
    for (i, container) in spec.containers.iter().enumerate() {
        if !seen.insert(container.name.as_str()) {
            problems.report(
                name,
                format!("{field}.spec.containers[{i}].name"),
                Some(&container.name),
                "container names must be unique in a pipeline",
            );
        }
    }
}

fn container_checks(
    name: &str,
    field: &str,
    container: &crate::kratix::Container,
    volumes: &BTreeSet<&str>,
    problems: &mut Problems,
) {
    let mut report = |at: String, value: Option<&str>, rule: String| {
        problems.report(name, at, value, rule);
    };
    if let Err(rule) = rules::dns1123_label(&container.name) {
        report(format!("{field}.name"), Some(&container.name), rule);
    }
    if RESERVED_CONTAINERS.contains(&container.name.as_str()) {
        report(
            format!("{field}.name"),
            Some(&container.name),
            "Kratix adds a container of this name to every pipeline pod".into(),
        );
    }
    if container.image.trim().is_empty() {
        report(
            format!("{field}.image"),
            Some(&container.image),
            "must not be empty".into(),
        );
    }
    if let Some(policy) = &container.image_pull_policy
        && !PULL_POLICIES.contains(&policy.as_str())
    {
        report(
            format!("{field}.imagePullPolicy"),
            Some(policy),
            format!("must be one of {}", PULL_POLICIES.join(", ")),
        );
    }
    for (j, var) in container.env.iter().enumerate() {
        if var.name.is_empty() {
            report(
                format!("{field}.env[{j}].name"),
                None,
                "Required value".into(),
            );
        }
        let source = var.value_from.as_ref();
        if let Some(secret) = source.and_then(|s| s.secret_key_ref.as_ref())
            && secret.key.is_empty()
        {
            report(
                format!("{field}.env[{j}].valueFrom.secretKeyRef.key"),
                None,
                "Required value".into(),
            );
        }
        if let Some(map) = source.and_then(|s| s.config_map_key_ref.as_ref())
            && map.key.is_empty()
        {
            report(
                format!("{field}.env[{j}].valueFrom.configMapKeyRef.key"),
                None,
                "Required value".into(),
            );
        }
    }
    let mut paths = BTreeSet::new();
    for (j, mount) in container.volume_mounts.iter().enumerate() {
        let at = format!("{field}.volumeMounts[{j}]");
        if !volumes.contains(mount.name.as_str()) {
            report(
                format!("{at}.name"),
                Some(&mount.name),
                "Not found: no volume of this name in spec.volumes".into(),
            );
        }
        let path = mount.mount_path.trim_end_matches('/');
        if RESERVED_MOUNTS.contains(&path) {
            report(
                format!("{at}.mountPath"),
                Some(&mount.mount_path),
                "Kratix mounts its shared volumes here".into(),
            );
        }
        if !paths.insert(path) {
            report(
                format!("{at}.mountPath"),
                Some(&mount.mount_path),
                "must be unique".into(),
            );
        }
    }
}
