//! What the apiserver accepts in a promise API but does not do what its author meant: a
//! printer column whose path the schema lacks (the column is always empty), and a default
//! object that contradicts its own fields' defaults (which one applies depends on whether
//! the parent was given).

use std::collections::BTreeMap;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, JSONSchemaProps,
};
use serde_json::Value;

use crate::crossplane::resolve_path;
use crate::problem::Problems;

/// Both checks, on every version of `crd`; `rust` names the Rust type `#[promise_api]`
/// derived each version from, where it did.
pub(super) fn check(
    name: &str,
    crd: &CustomResourceDefinition,
    rust: &BTreeMap<String, &'static str>,
    problems: &mut Problems,
) {
    let kind = &crd.spec.names.kind;
    for (i, version) in crd.spec.versions.iter().enumerate() {
        let rust = rust.get(&version.name).copied();
        let Some(schema) = version
            .schema
            .as_ref()
            .and_then(|s| s.open_api_v3_schema.as_ref())
        else {
            continue;
        };
        for (j, column) in version
            .additional_printer_columns
            .iter()
            .flatten()
            .enumerate()
        {
            if let Some(rule) = printer_column(schema, &column.json_path) {
                let origin = rust.map_or(String::new(), |rust| {
                    format!(
                        ": `printcolumn(name = {:?}, json_path = {:?})` of the `#[promise_api]` \
                         deriving `{rust}`",
                        column.name, column.json_path
                    )
                });
                problems.report(
                    name,
                    format!("spec.api.spec.versions[{i}].additionalPrinterColumns[{j}].jsonPath"),
                    Some(&column.json_path),
                    format!("{rule} (column {:?} of {kind}{origin})", column.name),
                );
            }
        }
        let at = format!("spec.api.spec.versions[{i}].schema.openAPIV3Schema");
        defaults(schema, &at, rust, name, problems);
    }
}

/// Why a printer column's path names nothing in `schema`, if it does not. Only plain paths
/// into `.spec` and a declared `.status` are checked: JSONPath filters and wildcards are left
/// to the apiserver, and an undeclared status is Kratix's to fill.
fn printer_column(schema: &JSONSchemaProps, json_path: &str) -> Option<String> {
    let path = json_path.strip_prefix('.')?;
    if path.contains(['?', '*', '@', '(']) || path.contains("..") {
        return None;
    }
    let root = path.split(['.', '[']).next()?;
    let declared = schema.properties.as_ref().and_then(|p| p.get(root));
    match root {
        "spec" => {}
        "status" if declared.is_some_and(|s| s.properties.is_some()) => {}
        _ => return None,
    }
    resolve_path(schema, path)
        .err()
        .map(|broken| format!("the column would always be empty: {}", broken.rule))
}

/// Default objects whose keys contradict the defaults of the fields they hold: the apiserver
/// applies the parent's default when the parent is absent and the field's when only the
/// field is, so one request gets one value and another the other.
fn defaults(
    schema: &JSONSchemaProps,
    at: &str,
    rust: Option<&str>,
    name: &str,
    problems: &mut Problems,
) {
    let Some(properties) = &schema.properties else {
        return;
    };
    if let Some(Value::Object(parent)) = schema.default.as_ref().map(|d| &d.0) {
        for (key, property) in properties {
            let (Some(given), Some(own)) = (parent.get(key), property.default.as_ref()) else {
                continue;
            };
            if given != &own.0 {
                let origin = rust.map_or(String::new(), |rust| format!(" (in `{rust}`)"));
                problems.report(
                    name,
                    format!("{at}.default.{key}"),
                    Some(&given.to_string()),
                    format!(
                        "contradicts {at}.properties.{key}.default = {}: the object's default \
                         (its type's `Default`) and the field's own default \
                         (`#[serde(default = ...)]`) must agree{origin}",
                        own.0
                    ),
                );
            }
        }
    }
    for (key, property) in properties {
        defaults(
            property,
            &format!("{at}.properties.{key}"),
            rust,
            name,
            problems,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(value: Value) -> JSONSchemaProps {
        serde_json::from_value(value).expect("schema")
    }

    #[test]
    fn printer_columns_must_name_declared_fields() {
        let s = schema(json!({"type": "object", "properties": {
            "spec": {"type": "object", "properties": {"tier": {"type": "string"}}},
            "status": {"type": "object", "properties": {"endpoint": {"type": "string"}}}}}));
        assert_eq!(printer_column(&s, ".spec.tier"), None);
        assert!(
            printer_column(&s, ".spec.teir")
                .unwrap()
                .contains("did you mean `tier`?")
        );
        assert!(
            printer_column(&s, ".status.endpont")
                .unwrap()
                .contains("did you mean `endpoint`?")
        );
        assert_eq!(
            printer_column(&s, ".spec.items[?(@.x)].y"),
            None,
            "filters stay allowed"
        );
        assert_eq!(printer_column(&s, ".metadata.name"), None);
        let no_status =
            schema(json!({"type": "object", "properties": {"spec": {"type": "object"}}}));
        assert_eq!(printer_column(&no_status, ".status.phase"), None);
    }

    #[test]
    fn a_default_object_must_agree_with_its_fields_defaults() {
        let s = schema(
            json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
            "storage": {"type": "object", "default": {"sizeGib": 0},
                        "properties": {"sizeGib": {"type": "integer", "default": 1}}}}}}}),
        );
        let mut problems = Problems::default();
        defaults(&s, "schema", Some("cache::Cache"), "cache", &mut problems);
        let text = problems.to_string();
        assert!(
            text.contains("schema.properties.spec.properties.storage.default.sizeGib")
                && text.contains("contradicts schema.properties.spec.properties.storage.properties.sizeGib.default = 1")
                && text.contains("(in `cache::Cache`)"),
            "{text}"
        );
        let agreeing = schema(json!({"type": "object", "default": {"a": 1},
            "properties": {"a": {"type": "integer", "default": 1}}}));
        let mut problems = Problems::default();
        defaults(&agreeing, "schema", None, "cache", &mut problems);
        assert!(problems.0.is_empty());
    }
}
