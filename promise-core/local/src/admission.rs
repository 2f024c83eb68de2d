//! A request as the apiserver would admit it on create: the kind and version of the API, the
//! name and namespace Kratix accepts, unknown fields refused (as `kubectl apply`'s strict
//! field validation refuses them), defaults applied, the schema's rules checked. The tests hold
//! it to the apiserver's own code (`kubeoracle`, `tests/src/differential.rs`).

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use serde_json::{Value, json};

use super::RunError;
use promise_core::Diagnostic;
use promise_core::excerpt::excerpt;

/// What the apiserver does with a request on create.
#[derive(Debug, Clone, PartialEq)]
pub enum Admission {
    /// Stored: the object as the apiserver stores it (defaults applied, namespace set).
    Stored(Value),
    /// Refused for these violations (field path, value, rule), all of them.
    Refused(Vec<Diagnostic>),
    /// Not a request for this API at all (not YAML, not a map, another kind).
    NotARequest(String),
}

/// The request as the apiserver would store it against `api` (see [`promise_api`]): kind and
/// version of the API, defaults applied, valid against the schema (unknown fields refused, as
/// `kubectl apply`'s strict field validation does), a valid name and namespace.
pub fn admission(api: &CustomResourceDefinition, request: &str) -> Admission {
    match admit_parts(api, request) {
        Ok((object, problems)) if problems.is_empty() => Admission::Stored(object),
        Ok((_, problems)) => Admission::Refused(problems),
        Err(reason) => Admission::NotARequest(reason),
    }
}

/// The API of a rendered Promise, read as Kratix reads the Promise: read it once, then admit
/// any number of requests against it.
pub fn promise_api(promise: &Value) -> Result<CustomResourceDefinition, RunError> {
    super::read_model(promise)
        .map_err(RunError::Unrunnable)?
        .spec
        .api
        .ok_or_else(|| RunError::Unrunnable("the Promise has no API".into()))
}

/// [`admission`] as a run needs it, against the Promise's API: the stored object, or why
/// there is none.
pub(super) fn admit(
    api: Option<&CustomResourceDefinition>,
    request: &str,
) -> Result<Value, RunError> {
    let api = api.ok_or_else(|| RunError::NotARequest("the Promise has no API".into()))?;
    match admit_parts(api, request) {
        Ok((object, violations)) if violations.is_empty() => Ok(object),
        Ok((object, violations)) => Err(RunError::Invalid {
            kind: api.spec.names.kind.clone(),
            name: object
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            violations,
        }),
        Err(reason) => Err(RunError::NotARequest(reason)),
    }
}

fn admit_parts(
    api: &CustomResourceDefinition,
    request: &str,
) -> Result<(Value, Vec<Diagnostic>), String> {
    let mut object: Value = serde_saphyr::from_str(request).map_err(|e| {
        format!(
            "the request is not YAML: {}",
            e.to_string().lines().next().unwrap_or("")
        )
    })?;
    if !object.is_object() {
        return Err("the request is not a YAML map".into());
    }
    let storage = promise_core::schema::storage_version(api).ok_or("the API has no version")?;
    let api_version = |name: &str| format!("{}/{name}", api.spec.group);
    // The request names any served version; it is validated and defaulted as that version.
    let version = api
        .spec
        .versions
        .iter()
        .filter(|v| v.served)
        .find(|v| object["apiVersion"] == json!(api_version(&v.name)));
    let Some(version) = version.filter(|_| object["kind"] == json!(api.spec.names.kind)) else {
        let served: Vec<String> = api
            .spec
            .versions
            .iter()
            .filter(|v| v.served)
            .map(|v| api_version(&v.name))
            .collect();
        return Err(format!(
            "the request is a {} {}, but this promise's API is {} {}",
            excerpt(&object["apiVersion"].to_string()),
            excerpt(&object["kind"].to_string()),
            served.join(" or "),
            api.spec.names.kind
        ));
    };
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut problems = Vec::new();
    let invalid = |path: &str, value: &str, rule: String| {
        Diagnostic::shown(
            path,
            None,
            format!("Invalid value: {:?}: {rule}", excerpt(value)),
        )
    };
    if let Err(rule) = promise_core::names::rules::request_name(&name) {
        problems.push(invalid("metadata.name", &name, rule));
    }
    // The namespace becomes a path in the state store: a DNS-1123 label or nothing.
    match object.pointer("/metadata/namespace") {
        None | Some(Value::Null) => {}
        Some(Value::String(ns)) if ns.is_empty() => {}
        Some(Value::String(ns)) => {
            if let Err(rule) = promise_core::names::rules::dns1123_label(ns) {
                problems.push(invalid("metadata.namespace", ns, rule));
            }
        }
        Some(other) => problems.push(invalid(
            "metadata.namespace",
            &other.to_string(),
            "must be a string".into(),
        )),
    }
    if let Some(schema) = version
        .schema
        .as_ref()
        .and_then(|s| s.open_api_v3_schema.as_ref())
    {
        promise_core::schema::apply_defaults(&mut object, schema);
        if let Some(map) = object.as_object_mut() {
            // The status subresource: the apiserver ignores status on create.
            map.remove("status");
        }
        problems.extend(promise_core::schema::validate_object(&object, schema));
    }
    if version.name != storage.name {
        // Stored as the storage version: the `None` conversion changes only `apiVersion`; the
        // storage version's defaults apply when it is read back.
        object["apiVersion"] = json!(api_version(&storage.name));
        if let Some(schema) = promise_core::schema::storage_schema(api) {
            promise_core::schema::apply_defaults(&mut object, schema);
        }
    }
    match object.get_mut("metadata") {
        Some(Value::Object(metadata)) => {
            if metadata
                .get("namespace")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                metadata.insert("namespace".into(), json!("default"));
            }
        }
        _ => problems.push(Diagnostic::shown(
            "metadata",
            None,
            "Invalid value: must be an object with a name",
        )),
    }
    Ok((object, problems))
}
