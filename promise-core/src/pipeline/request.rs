//! `/kratix/input/object.yaml`, parsed and checked before any step sees it.

use std::ops::Deref;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::JSONSchemaProps;
use serde_json::Value;

use super::{Context, StepError};
use crate::PromiseApi;
use crate::excerpt::capped_list;
use crate::names::{self, RequestIdentity};
use crate::schema;

/// The largest input accepted: more than the 1.5 MiB etcd stores for one object.
pub(crate) const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;
const INPUT: &str = "input/object.yaml";

/// A resource request, as a resource-workflow step receives it: the typed object (metadata,
/// spec with schema defaults applied, current status) and the workflow's [`Context`].
/// It dereferences to the object, so a step reads `request.spec.size`.
#[derive(Debug, Clone)]
pub struct Request<A> {
    object: A,
    context: Context,
}

impl<A> Request<A> {
    /// Wraps an already checked object, for tests of step functions.
    pub fn new(object: A, context: Context) -> Self {
        Self { object, context }
    }

    /// The workflow's variables.
    pub fn context(&self) -> &Context {
        &self.context
    }
}

impl<A: PromiseApi> Request<A> {
    /// Who asked: the request's group, kind, namespace and name. Derive every name from it
    /// ([`RequestIdentity::label`]), never from `spec` fields alone, so that no request can
    /// produce what another request produced.
    pub fn identity(&self) -> Result<RequestIdentity, StepError> {
        let meta = self.object.meta();
        RequestIdentity::new(
            &A::group(&()),
            &A::kind(&()),
            meta.namespace.as_deref().unwrap_or_default(),
            meta.name.as_deref().unwrap_or_default(),
        )
        .map_err(|e| e.at("metadata"))
    }
}

impl<A> Deref for Request<A> {
    type Target = A;

    fn deref(&self) -> &A {
        &self.object
    }
}

/// An untyped object, as Kratix wrote it: the Promise itself for promise-workflow steps, or
/// a request of an API given as a CRD ([`crate::pipeline::Step::object`]).
#[derive(Debug, Clone)]
pub struct PromiseRequest {
    /// The object as Kratix wrote it.
    pub object: Value,
    /// The workflow's variables.
    pub context: Context,
}

/// Parses the input of a resource workflow: YAML, a map, the API's kind, a spec the API's
/// schema accepts (defaults applied as the apiserver applies them), then the typed object.
/// Returns the object and its current status as Kratix wrote it (with Kratix's own keys).
/// `spec_schema` is the API's (see [`super::prepared`]); `None` checks nothing.
pub(crate) fn parse_resource<A: PromiseApi>(
    bytes: &[u8],
    spec_schema: Option<&JSONSchemaProps>,
) -> Result<(A, Option<Value>), StepError> {
    let mut value = parse_map(bytes)?;
    let api_version = A::api_version(&());
    let kind = A::kind(&());
    expect_str(&value, "apiVersion", &api_version)?;
    expect_str(&value, "kind", &kind)?;
    check_metadata(&value)?;
    if let Some(spec_schema) = spec_schema {
        let spec = value
            .get_mut("spec")
            .ok_or_else(|| StepError::new("Required value").at("spec"))?;
        schema::apply_defaults(spec, spec_schema);
        let violations = schema::validate_value_at(spec, spec_schema, "spec");
        if let Some(error) = combine(violations) {
            return Err(error);
        }
    }
    let status = value.get("status").cloned();
    let object = serde_json::from_value(value)
        .map_err(|e| StepError::new(format!("does not match the {kind} type: {e}")).at(INPUT))?;
    Ok((object, status))
}

/// The request's name and namespace, as the apiserver and Kratix accept them. Both end up in
/// derived names and in paths, so nothing else gets past this point.
fn check_metadata(value: &Value) -> Result<(), StepError> {
    for (field, rule) in [
        (
            "name",
            names::rules::request_name as fn(&str) -> Result<(), String>,
        ),
        ("namespace", names::rules::dns1123_label),
    ] {
        let at = format!("metadata.{field}");
        match value.pointer(&format!("/metadata/{field}")) {
            None | Some(Value::Null) => {
                return Err(StepError::new(
                    "Required value: Kratix writes the request's name and namespace",
                )
                .at(&at));
            }
            Some(Value::String(text)) => {
                rule(text).map_err(|rule| StepError::field(&at, text, rule))?;
            }
            Some(other) => return Err(StepError::field(&at, other, "must be a string")),
        }
    }
    Ok(())
}

/// Parses the input of a promise workflow: the Promise.
pub(crate) fn parse_promise(bytes: &[u8]) -> Result<Value, StepError> {
    let value = parse_map(bytes)?;
    expect_str(&value, "apiVersion", crate::kratix::API_VERSION)?;
    expect_str(&value, "kind", "Promise")?;
    Ok(value)
}

/// Parses the input of a resource workflow whose API is given as a CRD: a map with a `kind`
/// and the name and namespace Kratix writes.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Value, StepError> {
    let value = parse_map(bytes)?;
    match value.get("kind") {
        Some(Value::String(kind)) if !kind.is_empty() => {}
        Some(other) => {
            return Err(StepError::field(
                "kind",
                other,
                "must be a non-empty string",
            ));
        }
        None => return Err(StepError::new("Required value: the request's kind").at("kind")),
    }
    check_metadata(&value)?;
    Ok(value)
}

fn parse_map(bytes: &[u8]) -> Result<Value, StepError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(StepError::new(format!(
            "is more than {MAX_INPUT_BYTES} bytes, the most a Kubernetes object can be"
        ))
        .at(INPUT));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| StepError::new(format!("not UTF-8: {e}")).at(INPUT))?;
    if text.trim().is_empty() {
        return Err(
            StepError::new("empty: Kratix writes the object being reconciled here").at(INPUT),
        );
    }
    let value: Value = serde_saphyr::from_str(text).map_err(|e| {
        let first = e.to_string();
        let first = first.lines().next().unwrap_or("").to_string();
        StepError::new(format!("not valid YAML: {first}")).at(INPUT)
    })?;
    if !value.is_object() {
        return Err(StepError::new(format!(
            "must be a YAML map (a Kubernetes object), not {}",
            kind_of(&value)
        ))
        .at(INPUT));
    }
    Ok(value)
}

fn expect_str(value: &Value, key: &str, expected: &str) -> Result<(), StepError> {
    match value.get(key) {
        Some(Value::String(s)) if s == expected => Ok(()),
        Some(Value::String(s)) => Err(StepError::field(
            key,
            s,
            format!("must be {expected:?}: this step handles {expected} objects only"),
        )),
        Some(other) => Err(StepError::field(key, other, "must be a string")),
        None => Err(StepError::new(format!("Required value: must be {expected:?}")).at(key)),
    }
}

/// One error for all violations, so the user fixes them in one go.
fn combine(violations: Vec<StepError>) -> Option<StepError> {
    match violations.len() {
        0 => None,
        1 => violations.into_iter().next(),
        n => {
            let lines = capped_list(violations.iter().map(ToString::to_string));
            Some(StepError::new(format!("{n} problems:\n  {}", lines.join("\n  "))).at(INPUT))
        }
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}
