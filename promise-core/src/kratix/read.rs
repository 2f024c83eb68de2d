//! Promise YAML read as Kratix reads it, with nothing dropped silently.
//!
//! Kratix decodes `spec.api` with Go's `encoding/json` into an apiextensions/v1 CRD, which
//! matches keys case-insensitively and ignores unknown ones; the apiserver prunes Promise
//! fields its CRD does not declare; pipelines are decoded strictly. [`read_promises`] does the
//! same and says so: a key matched case-insensitively is renamed, an ignored or pruned key
//! dropped, each with a warning naming it; whatever else would not survive decoding into the
//! model is an error naming the field.

use serde_json::{Map, Value};

use super::{PROMISE_VERSION_LABEL, Promise};
use crate::Diagnostic;
use crate::problem::Problem;

/// One Promise read from YAML.
#[derive(Debug, Clone)]
pub struct ReadPromise {
    /// As Kratix reads it.
    pub promise: Promise,
    /// What Kratix accepts but ignores, prunes or matches loosely, and what we advise against.
    pub warnings: Vec<Problem>,
}

/// Every Promise in a YAML stream.
#[derive(Debug, Clone, Default)]
pub struct ReadFile {
    /// The Promises, in document order.
    pub promises: Vec<ReadPromise>,
    /// The documents that are not Promises, skipped (`document 2: Namespace "x" skipped`).
    pub skipped: Vec<String>,
}

/// Reads every Promise of a YAML stream (documents of other kinds are skipped and listed).
/// Errors name the document, the field, the value and the rule.
pub fn read_promises(text: &str) -> Result<ReadFile, Vec<Problem>> {
    let documents: Vec<Value> = serde_saphyr::from_multiple(text).map_err(|e| {
        vec![Problem::about(
            "YAML",
            Diagnostic::shown("<stream>", None, format!("not valid YAML: {e}")),
        )]
    })?;
    let mut file = ReadFile::default();
    let mut errors = Vec::new();
    for (i, document) in documents.into_iter().enumerate() {
        if document.is_null() {
            continue;
        }
        let kind = document.get("kind").and_then(Value::as_str).unwrap_or("");
        if kind != "Promise" {
            let name = document
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            file.skipped
                .push(format!("document {}: {kind} {name:?} skipped", i + 1));
            continue;
        }
        match read_promise(document) {
            Ok(read) => file.promises.push(read),
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// Reads one Promise document.
pub fn read_promise(mut raw: Value) -> Result<ReadPromise, Vec<Problem>> {
    let name = raw
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let problem =
        |field: &str, value: Option<&str>, rule: &str| Problem::new(&name, field, value, rule);
    let (mut warnings, mut clashes) = (Vec::new(), Vec::new());
    if let Some(api) = raw.pointer_mut("/spec/api") {
        normalise(api, Shape::Struct, "spec.api", &mut |note| match note {
            Note::Warning(field, value, rule) => warnings.push(problem(field, value, rule)),
            Note::Error(field, value, rule) => clashes.push(problem(field, value, rule)),
        });
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }
    if let Some(Value::Object(metadata)) = raw.get_mut("metadata") {
        metadata.retain(|key, value| {
            let kept = matches!(key.as_str(), "name" | "labels" | "annotations");
            if !kept && !value.is_null() {
                warnings.push(problem(
                    &format!("metadata.{key}"),
                    None,
                    "dropped: Kratix does not read it (a Promise is cluster-scoped; the apiserver sets the rest)",
                ));
            }
            kept
        });
    }
    // Pipelines one by one first, so that a refusal names the pipeline.
    let mut refused = Vec::new();
    for ty in ["promise", "resource"] {
        for action in ["configure", "delete"] {
            let pointer = format!("/spec/workflows/{ty}/{action}");
            for (i, pipeline) in raw
                .pointer(&pointer)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Err(e) = serde_json::from_value::<super::Pipeline>(pipeline.clone()) {
                    refused.push(problem(
                        &format!("spec.workflows.{ty}.{action}[{i}]"),
                        None,
                        &format!("Kratix would refuse it: {e}"),
                    ));
                }
            }
        }
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let promise: Promise = serde_json::from_value(raw.clone()).map_err(|e| {
        vec![problem(
            "<promise>",
            None,
            &format!("Kratix would refuse it: {e}"),
        )]
    })?;
    let written = serde_json::to_value(&promise).map_err(|e| {
        vec![problem(
            "<promise>",
            None,
            &format!("cannot be written: {e}"),
        )]
    })?;
    // Go's durations have several spellings (`5m`, `300s`); the model writes the canonical one.
    if let Some(interval) = written.pointer("/spec/workflows/config/reconciliationInterval")
        && let Some(slot) = raw.pointer_mut("/spec/workflows/config/reconciliationInterval")
    {
        *slot = interval.clone();
    }
    let mut errors = Vec::new();
    compare(&raw, &written, "", &mut |field, kind| {
        let in_pipeline = field.contains(".workflows.") && field.contains("].metadata.");
        match kind {
            Difference::Missing if field.starts_with("spec.api") => errors.push(problem(
                field,
                None,
                "the model of apiextensions/v1 does not keep it, so it cannot be imported",
            )),
            Difference::Missing if in_pipeline => warnings.push(problem(
                field,
                None,
                "dropped: Kratix ignores it on a Pipeline's metadata",
            )),
            Difference::Missing => warnings.push(problem(
                field,
                None,
                "dropped: the Promise CRD does not declare it, so the apiserver prunes it",
            )),
            Difference::Changed => errors.push(problem(
                field,
                None,
                "reads back differently from the model, so it cannot be imported",
            )),
        }
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    let labels = promise.metadata.labels.as_ref();
    if labels.is_none_or(|l| !l.contains_key(PROMISE_VERSION_LABEL)) {
        warnings.push(problem(
            &format!("metadata.labels[{PROMISE_VERSION_LABEL:?}]"),
            None,
            "missing: Kratix accepts it, but PromiseRevisions are keyed by it and PromiseRelease refuses Promises without it",
        ));
    }
    Ok(ReadPromise { promise, warnings })
}

/// What normalising `spec.api` has to say about one key: field, key, rule.
enum Note<'a> {
    Warning(&'a str, Option<&'a str>, &'a str),
    Error(&'a str, Option<&'a str>, &'a str),
}

/// What a JSON node holds, for telling field names from user keys.
#[derive(Clone, Copy)]
enum Shape {
    /// An apiextensions/v1 struct (CRD, spec, version, schema, column, ...).
    Struct,
    /// A map or list of user data: property names, labels, defaults, enums, examples.
    Opaque,
    /// A map of names to schemas (`properties`, `patternProperties`, `definitions`).
    Schemas,
    /// A schema, or a list of schemas (`items`), or a boolean (`additionalProperties`).
    SchemaOrList,
}

/// What a child key holds.
fn child_shape(key: &str) -> Shape {
    match key {
        "properties" | "patternProperties" | "definitions" | "dependencies" => Shape::Schemas,
        "items"
        | "additionalProperties"
        | "additionalItems"
        | "not"
        | "allOf"
        | "oneOf"
        | "anyOf" => Shape::SchemaOrList,
        "default"
        | "enum"
        | "example"
        | "labels"
        | "annotations"
        | "required"
        | "shortNames"
        | "categories"
        | "x-kubernetes-list-map-keys"
        | "conversionReviewVersions"
        | "caBundle"
        | "managedFields"
        | "ownerReferences"
        | "finalizers" => Shape::Opaque,
        _ => Shape::Struct,
    }
}

/// Renames keys Go would match case-insensitively and drops keys it would ignore, in the
/// apiextensions/v1 structs of `node`.
fn normalise(node: &mut Value, shape: Shape, at: &str, warn: &mut dyn FnMut(Note<'_>)) {
    match (shape, node) {
        (Shape::Opaque, _) => {}
        (Shape::Schemas, Value::Object(map)) => {
            for (key, schema) in map.iter_mut() {
                normalise(schema, Shape::Struct, &format!("{at}.{key}"), warn);
            }
        }
        (Shape::SchemaOrList | Shape::Struct, Value::Array(items)) => {
            for (i, item) in items.iter_mut().enumerate() {
                normalise(item, Shape::Struct, &format!("{at}[{i}]"), warn);
            }
        }
        (Shape::SchemaOrList | Shape::Struct, Value::Object(map)) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let mut renamed = Map::new();
            for key in keys {
                let Some(value) = map.remove(&key) else {
                    continue;
                };
                let field = format!("{at}.{key}");
                let known = if FIELDS.contains(&key.as_str()) {
                    Some(key.clone())
                } else {
                    FIELDS
                        .iter()
                        .find(|f| f.eq_ignore_ascii_case(&key))
                        .map(|f| (*f).to_string())
                };
                match known {
                    Some(name) if name == key => {
                        renamed.insert(key, value);
                    }
                    Some(name) if map.contains_key(&name) || renamed.contains_key(&name) => {
                        // Go keeps whichever comes last in the document; the order is gone here.
                        warn(Note::Error(
                            &field,
                            Some(&key),
                            &format!(
                                "`{name}` is given too; Go's encoding/json matches both, and which one Kratix keeps depends on their order: keep one"
                            ),
                        ));
                    }
                    Some(name) => {
                        warn(Note::Warning(
                            &field,
                            Some(&key),
                            &format!(
                                "read as `{name}`: Kratix decodes spec.api with Go's encoding/json, which matches keys case-insensitively"
                            ),
                        ));
                        renamed.insert(name, value);
                    }
                    None => warn(Note::Warning(
                        &field,
                        Some(&key),
                        "dropped: apiextensions/v1 has no such field, and Go's encoding/json ignores unknown keys",
                    )),
                }
            }
            for (key, value) in renamed.iter_mut() {
                normalise(value, child_shape(key), &format!("{at}.{key}"), warn);
            }
            *map = renamed;
        }
        _ => {}
    }
}

enum Difference {
    /// In the input, not in what the model writes back.
    Missing,
    /// Written back with another value.
    Changed,
}

/// Walks `raw` against `written`; empty maps, empty lists and nulls count as absent, and
/// numbers compare by value (the model keeps schema bounds as floats).
fn compare(raw: &Value, written: &Value, at: &str, report: &mut dyn FnMut(&str, Difference)) {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    match (raw, written) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => compare(value, other, &join(key), report),
                    None if is_empty(value) => {}
                    None => report(&join(key), Difference::Missing),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{at}[{i}]"), report);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, _) if is_empty(a) => {}
        _ => report(at, Difference::Changed),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(map) => map.is_empty(),
        Value::Array(list) => list.is_empty(),
        _ => false,
    }
}

/// Every JSON field name of apiextensions/v1 `CustomResourceDefinition` and the types it
/// holds, with ObjectMeta's: what Go's decoder matches keys against.
#[rustfmt::skip]
const FIELDS: &[&str] = &[
    // CustomResourceDefinition, ObjectMeta
    "apiVersion", "kind", "metadata", "spec", "status", "name", "generateName", "namespace",
    "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
    "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
    "managedFields", "selfLink",
    // CustomResourceDefinitionSpec, names, conversion
    "group", "names", "scope", "versions", "conversion", "preserveUnknownFields", "plural",
    "singular", "shortNames", "listKind", "categories", "strategy", "webhook", "clientConfig",
    "conversionReviewVersions", "url", "service", "caBundle", "path", "port",
    // CustomResourceDefinitionVersion, subresources, columns, selectable fields
    "served", "storage", "deprecated", "deprecationWarning", "schema", "subresources",
    "additionalPrinterColumns", "selectableFields", "openAPIV3Schema", "scale",
    "specReplicasPath", "statusReplicasPath", "labelSelectorPath", "type", "format",
    "description", "priority", "jsonPath",
    // JSONSchemaProps
    "id", "$schema", "$ref", "title", "default", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties", "required", "items",
    "allOf", "oneOf", "anyOf", "not", "properties", "additionalProperties", "patternProperties",
    "dependencies", "additionalItems", "definitions", "externalDocs", "example", "nullable",
    "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys", "x-kubernetes-list-type",
    "x-kubernetes-map-type", "x-kubernetes-validations",
    // CustomResourceDefinitionStatus and its conditions
    "acceptedNames", "conditions", "storedVersions", "lastTransitionTime",
    // ValidationRule
    "rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf",
];
