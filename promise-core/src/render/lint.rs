//! Every render-time check, run on a Promise not written in Rust (`cargo xtask lint`).
//!
//! The line between error and warning: an error is what Kratix or the platform's apiserver
//! refuses when the Promise is applied (Kratix's webhook dry-runs every pipeline's Job, so
//! container rules are errors); what would fail only later, at a Destination, is a warning.

use std::collections::BTreeMap;

use crate::kratix::Promise;
use crate::names::rules;
use crate::problem::{Problem, Problems};

use super::checks;

/// What linting one Promise found.
#[derive(Debug, Clone, Default)]
pub struct Lint {
    /// What Kratix or the apiserver refuses.
    pub errors: Problems,
    /// What would fail later, or what we advise against.
    pub warnings: Vec<Problem>,
}

/// Kinds that are cluster-scoped on every Kubernetes cluster: a namespace on one of them is
/// dropped by the Destination's apiserver.
const CLUSTER_SCOPED: [&str; 14] = [
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "APIService",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "IngressClass",
    "RuntimeClass",
    "CSIDriver",
];

/// Runs the render-time checks on `promise`.
///
/// ```
/// use promise_core::kratix::read_promises;
///
/// let yaml = "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: Bad_Name\n";
/// let read = read_promises(yaml).unwrap();
/// let lint = promise_core::render::lint(&read.promises[0].promise);
/// assert!(lint.errors.to_string().contains("metadata.name = \"Bad_Name\""));
/// ```
pub fn lint(promise: &Promise) -> Lint {
    let mut errors = Problems::default();
    let mut warnings = Vec::new();
    let name = promise.metadata.name.as_deref().unwrap_or_default();
    if let Err(rule) = rules::dns1123_label(name) {
        errors.report(name, "metadata.name", Some(name), rule);
    }
    for (key, value) in promise.metadata.labels.iter().flatten() {
        checks::labels(name, "metadata.labels", key, value, &mut errors);
    }
    if let Some(crd) = &promise.spec.api {
        checks::check_crd(name, crd.clone(), &BTreeMap::new(), &mut errors);
    }
    checks::destination_selectors(name, &promise.spec.destination_selectors, &mut errors);
    checks::required_promises(name, &promise.spec.required_promises, &mut errors);
    let dependencies: Vec<Result<serde_json::Value, String>> =
        promise.spec.dependencies.iter().cloned().map(Ok).collect();
    // A dependency the Destination refuses fails there, not when the Promise is applied.
    let mut at_destination = Problems::default();
    checks::dependencies(name, &dependencies, &mut at_destination);
    warnings.extend(at_destination.0);
    for (i, dependency) in promise.spec.dependencies.iter().enumerate() {
        let kind = dependency
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or("");
        if CLUSTER_SCOPED.contains(&kind)
            && let Some(namespace) = dependency
                .pointer("/metadata/namespace")
                .and_then(|n| n.as_str())
        {
            warnings.push(Problem::new(
                name,
                format!("spec.dependencies[{i}].metadata.namespace"),
                Some(namespace),
                format!(
                    "{kind} is cluster-scoped; the Destination's apiserver drops the namespace"
                ),
            ));
        }
    }
    checks::workflows(name, &promise.spec.workflows, &mut errors);
    Lint { errors, warnings }
}
