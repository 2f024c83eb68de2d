//! The render-time checks: what Kratix, the apiserver or a Destination would reject later,
//! caught while the author is still at the keyboard.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{self, AssertUnwindSafe};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

use crate::Diagnostic;
use crate::catalog::{ApiSource, LazyExample, PromiseDefinition};
use crate::kratix::{
    DestinationSelector, PROMISE_VERSION_LABEL, Promise, RequiredPromise, Workflows,
};
use crate::names::rules;
use crate::problem::{Problem, Problems};
use crate::schema;

pub(super) fn promise_metadata(definition: &PromiseDefinition, problems: &mut Problems) {
    let name = definition.name();
    if let Err(rule) = rules::dns1123_label(name) {
        problems.report(
            name,
            "metadata.name",
            Some(name),
            format!("{rule}; Kratix uses the promise name in label values and object names"),
        );
    }
    let version_field = format!("metadata.labels[{PROMISE_VERSION_LABEL:?}]");
    match &definition.version {
        None if definition.unversioned => {}
        None => problems.report(
            name,
            &version_field,
            None,
            "missing: set it with `.version(\"v1.0.0\")`; Kratix keys PromiseRevisions by it and PromiseRelease refuses Promises without it",
        ),
        Some(version) if version.is_empty() => {
            problems.report(name, &version_field, Some(version), "must not be empty");
        }
        Some(version) => label_value(name, &version_field, version, problems),
    }
    for (key, value) in &definition.labels {
        labels(name, "metadata.labels", key, value, problems);
    }
    for key in definition.annotations.keys() {
        if let Err(rule) = rules::label_key(key) {
            problems.report(
                name,
                "metadata.annotations key",
                Some(key),
                format!("annotation key {rule}"),
            );
        }
    }
}

/// Builds the API's CRD and checks it: namespaced, named `<plural>.<group>`, structural.
pub(super) fn api(
    name: &str,
    source: &ApiSource,
    problems: &mut Problems,
) -> Option<CustomResourceDefinition> {
    let versions = match source {
        ApiSource::Derived(versions) => versions,
        ApiSource::Given(crd) => {
            return Some(check_crd(name, (**crd).clone(), &BTreeMap::new(), problems));
        }
        ApiSource::Unreadable(reason) => {
            problems.report(
                name,
                "spec.api",
                None,
                format!("does not read as a CustomResourceDefinition: {reason}"),
            );
            return None;
        }
    };
    // kube's schema rewriter panics on shapes it cannot merge (internally tagged enums,
    // kube#1279); report that against this promise instead of aborting the whole render.
    let mut crds = Vec::new();
    // Each version's Rust type, by version name, for the problems that name it.
    let mut rust = BTreeMap::new();
    for version in versions {
        match panic::catch_unwind(AssertUnwindSafe(version.crd)) {
            Ok(crd) => {
                if let Some(served) = crd.spec.versions.first() {
                    // A duplicated version name is a problem of its own; the first keeps it.
                    rust.entry(served.name.clone()).or_insert(version.rust);
                }
                crds.push(crd);
            }
            Err(payload) => {
                let message = crate::panic_message(payload.as_ref());
                problems.report(
                    name,
                    "spec.api",
                    None,
                    format!("kube-derive could not build the API's schema: {message} (internally tagged enums are a known cause: use externally tagged or untagged enums)"),
                );
                return None;
            }
        }
    }
    let crd = if crds.len() == 1 {
        crds.pop()?
    } else {
        let storage = crds.first()?.spec.versions.first()?.name.clone();
        let served: Vec<String> = crds
            .iter()
            .filter_map(|c| c.spec.versions.first().map(|v| v.name.clone()))
            .collect();
        // merge_crds compares group, kind and scope; the other names must agree too.
        if let Some(other) = crds.iter().find(|c| c.spec.names != crds[0].spec.names) {
            problems.report(
                name,
                "spec.api.spec.names",
                Some(&other.spec.names.plural),
                format!(
                    "every served version must have the storage version's names (plural {:?})",
                    crds[0].spec.names.plural
                ),
            );
            return None;
        }
        match kube_core::crd::merge_crds(crds, &storage) {
            Ok(crd) => crd,
            Err(e) => {
                problems.report(
                    name,
                    "spec.api.spec.versions",
                    Some(&served.join(", ")),
                    format!("the versions do not form one API: {e}; every version needs the same group, kind, plural and scope, and a name of its own"),
                );
                return None;
            }
        }
    };
    Some(check_crd(name, crd, &rust, problems))
}

/// A promise API: namespaced, named `<plural>.<group>`, structural. `rust` names the Rust
/// type of each version `#[promise_api]` derived.
pub(super) fn check_crd(
    name: &str,
    crd: CustomResourceDefinition,
    rust: &BTreeMap<String, &'static str>,
    problems: &mut Problems,
) -> CustomResourceDefinition {
    if crd.spec.scope != "Namespaced" {
        problems.report(
            name,
            "spec.api.spec.scope",
            Some(&crd.spec.scope),
            "Kratix requires namespaced promise APIs",
        );
    }
    let expected = format!("{}.{}", crd.spec.names.plural, crd.spec.group);
    let crd_name = crd.metadata.name.clone().unwrap_or_default();
    if crd_name != expected {
        problems.report(
            name,
            "spec.api.metadata.name",
            Some(&crd_name),
            format!("must be `<plural>.<group>`, here {expected:?}"),
        );
    }
    let storage = crd.spec.versions.iter().filter(|v| v.storage).count();
    if storage != 1 {
        problems.report(
            name,
            "spec.api.spec.versions",
            Some(&storage.to_string()),
            "exactly one version must be the storage version (storage versions counted)",
        );
    }
    let mut version_names = BTreeSet::new();
    for (i, version) in crd.spec.versions.iter().enumerate() {
        if !version_names.insert(version.name.as_str()) {
            problems.report(
                name,
                format!("spec.api.spec.versions[{i}].name"),
                Some(&version.name),
                "Duplicate value: each version needs a name of its own",
            );
        }
    }
    for (i, version) in crd.spec.versions.iter().enumerate() {
        let field = format!("spec.api.spec.versions[{i}].schema.openAPIV3Schema");
        let Some(schema) = version
            .schema
            .as_ref()
            .and_then(|s| s.open_api_v3_schema.as_ref())
        else {
            problems.report(name, field, None, "missing: a promise API needs a schema");
            continue;
        };
        for violation in schema::lint(schema) {
            problems.report_at(name, &field, schema::not_structural(violation));
        }
    }
    super::api_meaning::check(name, &crd, rust, problems);
    crd
}

/// A promise with an API ships an example request, and the API accepts it.
pub(super) fn example(
    definition: &PromiseDefinition,
    crd: Option<&CustomResourceDefinition>,
    problems: &mut Problems,
) {
    let name = definition.name();
    let field = "example-request.yaml";
    let (example, crd) = match (definition.example.as_ref().map(LazyExample::get), crd) {
        (None, None) => return,
        (None, Some(_)) if definition.no_example => return,
        (None, Some(_)) => {
            problems.report(
                name,
                field,
                None,
                "missing: a promise with an API ships an example request (`.example(...)`)",
            );
            return;
        }
        (Some(Err(e)), _) => {
            problems.report(name, field, None, format!("cannot be serialized: {e}"));
            return;
        }
        (Some(Ok(_)), None) => return, // `example` can only be called after `api`.
        (Some(Ok(example)), Some(crd)) => (example, crd),
    };
    if let Some(schema) = schema::storage_schema(crd) {
        for violation in schema::validate_object(&example.value, schema) {
            let path = format!("{field}: {}", violation.path.as_deref().unwrap_or_default());
            problems.push(Problem::about(
                format!("promise {name:?}"),
                Diagnostic {
                    path: Some(path),
                    ..violation
                },
            ));
        }
    }
    let metadata_name = example
        .value
        .pointer("/metadata/name")
        .and_then(|v| v.as_str());
    match metadata_name {
        None => problems.report(
            name,
            format!("{field}: metadata.name"),
            None,
            "Required value",
        ),
        // Kratix caps request names at 63 characters in the API schema it installs.
        Some(request) => {
            if let Err(rule) = rules::dns1123_subdomain(request).and_then(|()| {
                (request.len() <= rules::DNS1123_LABEL_MAX)
                    .then_some(())
                    .ok_or_else(|| {
                        "must be no more than 63 characters (Kratix's limit on request names)"
                            .to_string()
                    })
            }) {
                problems.report(name, format!("{field}: metadata.name"), Some(request), rule);
            }
        }
    }
}

pub(super) fn destination_selectors(
    name: &str,
    selectors: &[DestinationSelector],
    problems: &mut Problems,
) {
    for (i, selector) in selectors.iter().enumerate() {
        let field = format!("spec.destinationSelectors[{i}].matchLabels");
        if selector.match_labels.is_empty() {
            problems.report(
                name,
                &field,
                None,
                "must not be empty: an empty selector matches every Destination",
            );
        }
        for (key, value) in &selector.match_labels {
            labels(name, &field, key, value, problems);
        }
    }
}

pub(super) fn required_promises(name: &str, required: &[RequiredPromise], problems: &mut Problems) {
    let mut seen = BTreeSet::new();
    for (i, req) in required.iter().enumerate() {
        let field = format!("spec.requiredPromises[{i}]");
        if let Err(rule) = rules::dns1123_label(&req.name) {
            problems.report(name, format!("{field}.name"), Some(&req.name), rule);
        }
        if req.name == name {
            problems.report(
                name,
                format!("{field}.name"),
                Some(&req.name),
                "a promise cannot require itself",
            );
        }
        if !seen.insert(&req.name) {
            problems.report(
                name,
                format!("{field}.name"),
                Some(&req.name),
                "required twice",
            );
        }
        if let Some(version) = &req.version {
            label_value(name, &format!("{field}.version"), version, problems);
        }
    }
}

/// Static dependencies are whole Kubernetes objects.
pub(super) fn dependencies(
    name: &str,
    dependencies: &[Result<serde_json::Value, String>],
    problems: &mut Problems,
) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for (i, dependency) in dependencies.iter().enumerate() {
        let field = format!("spec.dependencies[{i}]");
        match dependency {
            Err(e) => problems.report(name, field, None, format!("cannot be serialized: {e}")),
            Ok(object) => {
                for key in ["/apiVersion", "/kind", "/metadata/name"] {
                    if object
                        .pointer(key)
                        .and_then(|v| v.as_str())
                        .is_none_or(str::is_empty)
                    {
                        let path = key.trim_start_matches('/').replace('/', ".");
                        problems.report(
                            name,
                            format!("{field}.{path}"),
                            None,
                            "Required value: a dependency is a Kubernetes object",
                        );
                    }
                }
                out.push(object.clone());
            }
        }
    }
    out
}

pub(super) fn workflows(name: &str, workflows: &Workflows, problems: &mut Problems) {
    if let Some(config) = &workflows.config {
        if let Some(interval) = config.reconciliation_interval
            && interval.get() < std::time::Duration::from_secs(60)
        {
            let shown = interval.to_string();
            problems.report(
                name,
                "spec.workflows.config.reconciliationInterval",
                Some(&shown),
                "Kratix's webhook rejects intervals under 1m",
            );
        }
        if let Some(namespace) = &config.pipeline_namespace
            && let Err(rule) = rules::dns1123_label(namespace)
        {
            problems.report(
                name,
                "spec.workflows.config.pipelineNamespace",
                Some(namespace),
                rule,
            );
        }
    }
    let lists = [
        ("promise", "configure", &workflows.promise.configure),
        ("promise", "delete", &workflows.promise.delete),
        ("resource", "configure", &workflows.resource.configure),
        ("resource", "delete", &workflows.resource.delete),
    ];
    for (ty, action, pipelines) in lists {
        let mut seen = BTreeSet::new();
        if action == "delete" && pipelines.len() > 1 {
            problems.report(
                name,
                format!("spec.workflows.{ty}.delete"),
                None,
                format!(
                    "has {} pipelines, but Kratix runs only the first delete pipeline",
                    pipelines.len()
                ),
            );
        }
        for (i, pipeline) in pipelines.iter().enumerate() {
            let field = format!("spec.workflows.{ty}.{action}[{i}]");
            if !seen.insert(pipeline.metadata.name.as_str()) {
                problems.report(
                    name,
                    format!("{field}.metadata.name"),
                    Some(&pipeline.metadata.name),
                    format!("pipeline names must be unique per workflow ({ty}.{action})"),
                );
            }
            super::pipeline_checks::pipeline(
                name,
                &field,
                &format!("{name}-{ty}-{action}"),
                pipeline,
                problems,
            );
        }
    }
}

/// Across the catalog: promise names are each used once (CRD names are checked with the
/// Crossplane definitions, in `crossplane::check::across`).
pub(super) fn across_promises(
    assembled: &[(&PromiseDefinition, Promise)],
    problems: &mut Problems,
) {
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for (definition, _) in assembled {
        let name = definition.name();
        *names.entry(name).or_default() += 1;
        if names[name] == 2 {
            problems.report(
                name,
                "metadata.name",
                Some(name),
                "two promises have this name; Promise names are cluster-wide",
            );
        }
    }
}

pub(super) fn labels(name: &str, field: &str, key: &str, value: &str, problems: &mut Problems) {
    if let Err(rule) = rules::label_key(key) {
        problems.report(
            name,
            format!("{field} key"),
            Some(key),
            format!("label key {rule}"),
        );
    }
    label_value(name, &format!("{field}[{key:?}]"), value, problems);
}

pub(super) fn label_value(name: &str, field: &str, value: &str, problems: &mut Problems) {
    if let Err(rule) = rules::label_value(value) {
        problems.report(name, field, Some(value), format!("label value {rule}"));
    }
}

/// The binary finds a step by promise and step name, so one name means one function; and a
/// configured step gets the configuration it reads.
pub(super) fn step_names(definition: &PromiseDefinition, problems: &mut Problems) {
    let mut seen: BTreeMap<&str, &crate::pipeline::Step<()>> = BTreeMap::new();
    for (_, _, pipeline) in &definition.pipelines {
        let config = match &pipeline.config {
            Some(Err(e)) => {
                problems.report(
                    definition.name(),
                    format!("pipeline {:?} config", pipeline.name),
                    None,
                    format!("cannot be serialized: {e}"),
                );
                continue;
            }
            Some(Ok(json)) => Some(json.as_str()),
            None => None,
        };
        for step in pipeline.steps() {
            if let Some(check) = step.config_check
                && let Err(rule) = check(config)
            {
                problems.report(
                    definition.name(),
                    format!("pipeline {:?} step {:?} config", pipeline.name, step.name),
                    None,
                    rule,
                );
            }
            match seen.get(step.name.as_str()) {
                Some(other) if !std::sync::Arc::ptr_eq(&other.run, &step.run) => problems.report(
                    definition.name(),
                    format!("pipeline {:?} step", pipeline.name),
                    Some(&step.name),
                    "another step of this promise has the same name; the pipeline binary finds steps by name",
                ),
                Some(_) => {}
                None => {
                    seen.insert(&step.name, step);
                }
            }
        }
    }
}
