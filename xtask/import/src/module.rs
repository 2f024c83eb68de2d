//! A Promise read from YAML, written as a Rust module of this library: the builder call,
//! each pipeline as a function of third-party containers, the API and the dependencies as
//! YAML beside it (`api.yaml`, `dependencies.yaml`), exactly as Kratix reads them.

use std::collections::BTreeMap;

use promise_core::kratix::{
    Container, PROMISE_VERSION_LABEL, Permission, Pipeline, Promise, RestartPolicy,
};
use serde_json::Value;

use crate::literal::{Literals, string};

/// The files of one imported module, by path relative to the module's directory.
pub struct Module {
    /// Contents by file name: `mod.rs`, and `api.yaml`, `api.rs`, `dependencies.yaml` as needed.
    pub files: BTreeMap<String, String>,
}

/// Writes `promise` (read from `source`) as a module.
pub fn module(promise: &Promise, source: &str) -> Result<Module, Vec<String>> {
    let name = promise.metadata.name.clone().unwrap_or_default();
    let mut files = BTreeMap::new();
    let mut literals = Literals::new();
    let mut errors = Vec::new();
    let mut uses = vec!["promise_core::catalog::PromiseDefinition".to_string()];
    let mut chain = vec![format!("PromiseDefinition::builder({})", string(&name))];

    let mut labels = promise.metadata.labels.clone().unwrap_or_default();
    match labels.remove(PROMISE_VERSION_LABEL) {
        Some(version) => chain.push(format!(".version({})", string(&version))),
        None => chain.push(format!(
            "// Kratix accepts a Promise without `{PROMISE_VERSION_LABEL}`, but PromiseRelease refuses it.\n.unversioned()"
        )),
    }
    for (key, value) in &labels {
        chain.push(format!(".label({}, {})", string(key), string(value)));
    }
    for (key, value) in promise.metadata.annotations.iter().flatten() {
        chain.push(format!(".annotation({}, {})", string(key), string(value)));
    }
    let spec = &promise.spec;
    for selector in &spec.destination_selectors {
        let pairs: Vec<String> = selector
            .match_labels
            .iter()
            .map(|(k, v)| format!("({}, {})", string(k), string(v)))
            .collect();
        chain.push(format!(".destination_selector([{}])", pairs.join(", ")));
    }
    for required in &spec.required_promises {
        let version = match &required.version {
            Some(v) => format!("Some({})", string(v)),
            None => "None".into(),
        };
        chain.push(format!(".requires({}, {version})", string(&required.name)));
    }
    if !spec.dependencies.is_empty() {
        match yaml_stream(&spec.dependencies) {
            Ok(text) => {
                files.insert(
                    "dependencies.yaml".into(),
                    format!("{}{text}", data_header(source)),
                );
                chain.push(".dependencies_yaml(include_str!(\"dependencies.yaml\"))".into());
            }
            Err(e) => errors.push(format!("spec.dependencies: {e}")),
        }
    }
    if let Some(config) = &spec.workflows.config {
        if let Some(namespace) = &config.pipeline_namespace {
            chain.push(format!(".pipeline_namespace({})", string(namespace)));
        }
        if let Some(interval) = config.reconciliation_interval {
            let duration = interval.get();
            uses.push("promise_core::kratix::GoDuration".into());
            uses.push("std::time::Duration".into());
            chain.push(format!(
                ".reconciliation_interval(GoDuration::from(Duration::from_millis({})))",
                duration.as_millis()
            ));
        }
    }
    let mut functions = Vec::new();
    let workflows = &spec.workflows;
    let lists = [
        ("promise", "configure", &workflows.promise.configure),
        ("promise", "delete", &workflows.promise.delete),
        ("resource", "configure", &workflows.resource.configure),
        ("resource", "delete", &workflows.resource.delete),
    ];
    let mut calls = Vec::new();
    for (ty, action, pipelines) in lists {
        for (i, pipeline) in pipelines.iter().enumerate() {
            let at = format!("spec.workflows.{ty}.{action}[{i}]");
            let function = format!("{ty}_{action}_{}", pipeline.metadata.name.replace('-', "_"));
            let workflow = if ty == "promise" {
                "PromiseWorkflow"
            } else {
                "GivenApi"
            };
            match pipeline_function(&function, workflow, pipeline, &at, &mut literals) {
                Ok(text) => {
                    functions.push(text);
                    calls.push((ty, format!(".{ty}_{action}({function}())")));
                }
                Err(e) => errors.push(e),
            }
        }
    }
    // Promise workflows first: resource workflows need the API the builder sets in between.
    let (promise_calls, resource_calls): (Vec<_>, Vec<_>) =
        calls.into_iter().partition(|(ty, _)| *ty == "promise");
    chain.extend(promise_calls.into_iter().map(|(_, call)| call));
    if let Some(crd) = &spec.api {
        match promise_core::yaml::to_string(crd) {
            Ok(text) => {
                files.insert("api.yaml".into(), format!("{}{text}", data_header(source)));
            }
            Err(e) => errors.push(format!("spec.api: {e}")),
        }
        if let Some(types) = crate::types::api_types(crd, source) {
            files.insert("api.rs".into(), types);
        }
        chain.push(".api_crd_yaml(include_str!(\"api.yaml\"))".into());
        chain.push("// The imported Promise has no example request.\n.no_example()".into());
    } else if !workflows.resource.is_empty() {
        errors.push(
            "spec.workflows.resource: resource workflows without spec.api never run; give the Promise an API or drop them".into(),
        );
    }
    chain.extend(resource_calls.into_iter().map(|(_, call)| call));
    if !errors.is_empty() {
        return Err(errors);
    }
    chain.push(".build()".into());
    let has = |needle: &str| functions.iter().any(|f| f.contains(needle));
    if has("PipelineDef") {
        uses.push("promise_core::pipeline::PipelineDef".into());
    }
    if has("PromiseWorkflow") {
        uses.push("promise_core::pipeline::PromiseWorkflow".into());
    }
    if has("GivenApi") {
        uses.push("promise_core::catalog::GivenApi".into());
    }
    for (needle, path) in [
        ("Container {", "promise_core::kratix::Container"),
        ("Permission {", "promise_core::kratix::Permission"),
        ("RestartPolicy::", "promise_core::kratix::RestartPolicy"),
    ] {
        if has(needle) {
            uses.push(path.into());
        }
    }
    uses.extend(literals.uses.iter().cloned());
    uses.sort();
    uses.dedup();

    let mut text = format!(
        "//! Imported by `cargo xtask import` from `{source}`: the Promise `{name}`.\n//!\n\
         //! Its pipelines run their original images as third-party containers: replace them by\n\
         //! typed steps one at a time (README, \"Migrating an existing promise\").\n\n"
    );
    if files.contains_key("api.rs") {
        text.push_str("pub mod api;\n\n");
    }
    text.push_str(&use_lines(&uses));
    text.push_str(&format!(
        "\n/// The `{name}` Promise, as imported.\npub fn promise() -> PromiseDefinition {{\n{}\n}}\n",
        chain.join("\n")
    ));
    for function in functions {
        text.push('\n');
        text.push_str(&function);
    }
    files.insert("mod.rs".into(), text);
    Ok(Module { files })
}

fn data_header(source: &str) -> String {
    format!("# Imported by `cargo xtask import` from `{source}`, as Kratix reads it.\n")
}

/// Documents as one YAML stream.
fn yaml_stream(documents: &[Value]) -> Result<String, String> {
    let mut text = String::new();
    for (i, document) in documents.iter().enumerate() {
        if i > 0 {
            text.push_str("---\n");
        }
        text.push_str(&promise_core::yaml::to_string(document).map_err(|e| e.to_string())?);
    }
    Ok(text)
}

/// `use` lines, grouped by crate as rustfmt orders them.
fn use_lines(paths: &[String]) -> String {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in paths {
        let (module, item) = path.rsplit_once("::").unwrap_or(("", path));
        groups
            .entry(module.to_string())
            .or_default()
            .push(item.to_string());
    }
    let mut text = String::new();
    for (module, items) in groups {
        if items.len() == 1 {
            text.push_str(&format!("use {module}::{};\n", items[0]));
        } else {
            text.push_str(&format!("use {module}::{{{}}};\n", items.join(", ")));
        }
    }
    text
}

/// A function returning one pipeline.
fn pipeline_function(
    function: &str,
    workflow: &str,
    pipeline: &Pipeline,
    at: &str,
    literals: &mut Literals,
) -> Result<String, String> {
    let name = &pipeline.metadata.name;
    let mut chain = vec![format!("PipelineDef::new({})", string(name))];
    for (i, container) in pipeline.spec.containers.iter().enumerate() {
        let at = format!("{at}.spec.containers[{i}]");
        chain.push(format!(
            ".container({})",
            container_literal(container, &at, literals)?
        ));
    }
    let spec = &pipeline.spec;
    for secret in &spec.image_pull_secrets {
        chain.push(format!(".image_pull_secret({})", string(&secret.name)));
    }
    if let Some(job) = &spec.job_options {
        match job.backoff_limit {
            Some(limit) => chain.push(format!(".backoff_limit({limit})")),
            None => {
                return Err(format!(
                    "{at}.spec.jobOptions: empty; the builder sets it only with a backoff limit"
                ));
            }
        }
    }
    for (key, value) in &spec.node_selector {
        chain.push(format!(
            ".node_selector({}, {})",
            string(key),
            string(value)
        ));
    }
    for (i, toleration) in spec.tolerations.iter().enumerate() {
        let expr = literals.of_object(
            "io.k8s.api.core.v1.Toleration",
            toleration,
            &format!("{at}.spec.tolerations[{i}]"),
        )?;
        chain.push(format!(".toleration({expr})"));
    }
    if let Some(rbac) = &spec.rbac {
        if let Some(account) = &rbac.service_account {
            chain.push(format!(".service_account({})", string(account)));
        }
        for (i, permission) in rbac.permissions.iter().enumerate() {
            let expr = permission_literal(
                permission,
                &format!("{at}.spec.rbac.permissions[{i}]"),
                literals,
            )?;
            chain.push(format!(".permission({expr})"));
        }
        if rbac.service_account.is_none() && rbac.permissions.is_empty() {
            return Err(format!("{at}.spec.rbac: empty; drop it"));
        }
    }
    if let Some(policy) = spec.restart_policy {
        let variant = match policy {
            RestartPolicy::OnFailure => "OnFailure",
            RestartPolicy::Never => "Never",
        };
        chain.push(format!(".restart_policy(RestartPolicy::{variant})"));
    }
    for (i, volume) in spec.volumes.iter().enumerate() {
        let expr = literals.of_object(
            "io.k8s.api.core.v1.Volume",
            volume,
            &format!("{at}.spec.volumes[{i}]"),
        )?;
        chain.push(format!(".volume({expr})"));
    }
    for (key, value) in &pipeline.metadata.labels {
        chain.push(format!(".label({}, {})", string(key), string(value)));
    }
    for (key, value) in &pipeline.metadata.annotations {
        chain.push(format!(".annotation({}, {})", string(key), string(value)));
    }
    Ok(format!(
        "/// Pipeline `{name}`.\nfn {function}() -> PipelineDef<{workflow}> {{\n{}\n}}\n",
        chain.join("\n")
    ))
}

fn container_literal(
    container: &Container,
    at: &str,
    literals: &mut Literals,
) -> Result<String, String> {
    let strings = |items: &[String]| {
        let items: Vec<String> = items
            .iter()
            .map(|s| format!("{}.into()", string(s)))
            .collect();
        format!("vec![{}]", items.join(", "))
    };
    let mut fields = vec![
        format!("name: {}.into(),", string(&container.name)),
        format!("image: {}.into(),", string(&container.image)),
    ];
    let mut typed = |field: &str, key: &str, type_name: &str, value: Value, optional: bool| {
        let expr = match &value {
            Value::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| literals.of(type_name, v, &format!("{at}.{key}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|v| v.to_string())?;
                format!("vec![{}]", items.join(", "))
            }
            other => literals
                .of(type_name, other, &format!("{at}.{key}"))
                .map_err(|v| v.to_string())?,
        };
        let expr = if optional {
            format!("Some({expr})")
        } else {
            expr
        };
        Ok::<String, String>(format!("{field}: {expr},"))
    };
    if !container.command.is_empty() {
        fields.push(format!("command: {},", strings(&container.command)));
    }
    if !container.args.is_empty() {
        fields.push(format!("args: {},", strings(&container.args)));
    }
    if !container.env.is_empty() {
        fields.push(typed(
            "env",
            "env",
            "io.k8s.api.core.v1.EnvVar",
            json(&container.env)?,
            false,
        )?);
    }
    if !container.env_from.is_empty() {
        fields.push(typed(
            "env_from",
            "envFrom",
            "io.k8s.api.core.v1.EnvFromSource",
            json(&container.env_from)?,
            false,
        )?);
    }
    if !container.volume_mounts.is_empty() {
        fields.push(typed(
            "volume_mounts",
            "volumeMounts",
            "io.k8s.api.core.v1.VolumeMount",
            json(&container.volume_mounts)?,
            false,
        )?);
    }
    if let Some(policy) = &container.image_pull_policy {
        fields.push(format!(
            "image_pull_policy: Some({}.into()),",
            string(policy)
        ));
    }
    if let Some(context) = &container.security_context {
        fields.push(typed(
            "security_context",
            "securityContext",
            "io.k8s.api.core.v1.SecurityContext",
            json(context)?,
            true,
        )?);
    }
    if let Some(resources) = &container.resources {
        fields.push(typed(
            "resources",
            "resources",
            "io.k8s.api.core.v1.ResourceRequirements",
            json(resources)?,
            true,
        )?);
    }
    if fields.len() < 10 {
        fields.push("..Container::default()".into());
    }
    Ok(format!("Container {{\n{}\n}}", fields.join("\n")))
}

fn permission_literal(
    permission: &Permission,
    at: &str,
    literals: &mut Literals,
) -> Result<String, String> {
    let rule = literals.of_object("io.k8s.api.rbac.v1.PolicyRule", &permission.rule, at)?;
    let namespace = match &permission.resource_namespace {
        Some(ns) => format!("Some({}.into())", string(ns)),
        None => "None".into(),
    };
    Ok(format!(
        "Permission {{\nresource_namespace: {namespace},\nrule: {rule},\n}}"
    ))
}

fn json<T: serde::Serialize>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}
