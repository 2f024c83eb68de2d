//! Objects checked against a CRD schema the way the apiserver checks them: types, required
//! fields, enums, patterns, lengths and bounds, unknown fields rejected as with
//! `kubectl apply --validate=strict`, and defaults applied where a field is absent.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    JSONSchemaProps, JSONSchemaPropsOrArray, JSONSchemaPropsOrBool,
};
use serde_json::Value;

use super::join;
use crate::Diagnostic;

/// Fields every Kubernetes object has, which CRD schemas leave to the apiserver.
const IMPLICIT_ROOT_FIELDS: &[&str] = &["apiVersion", "kind", "metadata"];

/// Every violation of `schema` by the whole object `object` (`apiVersion`, `kind` and
/// `metadata` are implicitly allowed at the root, as in a CRD).
///
/// ```
/// use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::JSONSchemaProps;
/// use promise_core::schema::validate_object;
/// use serde_json::json;
///
/// let schema: JSONSchemaProps = serde_json::from_value(json!({
///     "type": "object",
///     "properties": { "spec": { "type": "object", "required": ["size"], "properties": {
///         "size": { "type": "string", "enum": ["small", "large"] } } } }
/// })).unwrap();
/// let request = json!({ "apiVersion": "x.io/v1", "kind": "X", "spec": { "size": "huge" } });
/// let errors = validate_object(&request, &schema);
/// assert_eq!(errors[0].to_string(),
///            r#"spec.size: "huge": Unsupported value: supported values: "small", "large""#);
/// ```
pub fn validate_object(object: &Value, schema: &JSONSchemaProps) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut pruned = object.clone();
    prune(&mut pruned, Some(schema), "", true, false, &mut out);
    check(&pruned, schema, "", true, &mut out);
    out
}

/// Every violation of `schema` by `value` at `path`.
pub(crate) fn validate_value(
    value: &Value,
    schema: &JSONSchemaProps,
    path: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut pruned = value.clone();
    prune(&mut pruned, Some(schema), path, false, false, &mut out);
    check(&pruned, schema, path, false, &mut out);
    out
}

/// Removes the fields `schema` does not declare, reporting each as unknown, as the
/// apiserver's pruning does before it validates: by the value's shape, whatever the schema's
/// type, so an object given where a string belongs has its keys reported too
/// (`apiextensions-apiserver/pkg/apiserver/schema/pruning`).
fn prune(
    value: &mut Value,
    schema: Option<&JSONSchemaProps>,
    path: &str,
    root: bool,
    keep_unknown: bool,
    out: &mut Vec<Diagnostic>,
) {
    // Under `x-kubernetes-preserve-unknown-fields` unknown keys stay (the apiserver's
    // `skipPrune`), and so they do in the items of a list there.
    let keep_unknown = keep_unknown
        || schema.is_some_and(|s| s.x_kubernetes_preserve_unknown_fields == Some(true));
    let embedded = schema.is_some_and(|s| s.x_kubernetes_embedded_resource == Some(true));
    match value {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                if (root || embedded) && IMPLICIT_ROOT_FIELDS.contains(&key.as_str()) {
                    continue;
                }
                // As the structural schema has it: a property, an `additionalProperties` schema,
                // or `additionalProperties: true`, which keeps the key with no schema below it.
                let child_schema =
                    schema.and_then(|s| match s.properties.as_ref().and_then(|p| p.get(&key)) {
                        Some(property) => Some(Some(property)),
                        None => match &s.additional_properties {
                            Some(JSONSchemaPropsOrBool::Schema(additional)) => {
                                Some(Some(additional.as_ref()))
                            }
                            Some(JSONSchemaPropsOrBool::Bool(true)) => Some(None),
                            _ => None,
                        },
                    });
                let child_path = join(path, &key);
                match child_schema {
                    Some(child) => {
                        if let Some(v) = map.get_mut(&key) {
                            prune(v, child, &child_path, false, false, out);
                        }
                    }
                    None if keep_unknown => {}
                    None => {
                        out.push(violation(
                            &child_path,
                            None,
                            "unknown field: not declared in the schema".into(),
                        ));
                        map.remove(&key);
                    }
                }
            }
        }
        Value::Array(items) => {
            let item_schema = schema.and_then(|s| match &s.items {
                Some(JSONSchemaPropsOrArray::Schema(items)) => Some(items.as_ref()),
                _ => None,
            });
            if keep_unknown && item_schema.is_none() {
                return;
            }
            for (i, item) in items.iter_mut().enumerate() {
                prune(
                    item,
                    item_schema,
                    &format!("{path}[{i}]"),
                    false,
                    keep_unknown,
                    out,
                );
            }
        }
        _ => {}
    }
}

/// Fills in schema defaults for absent fields, recursively, as the apiserver does on create.
///
/// ```
/// use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::JSONSchemaProps;
/// use promise_core::schema::apply_defaults;
/// use serde_json::json;
///
/// let schema: JSONSchemaProps = serde_json::from_value(json!({
///     "type": "object",
///     "properties": { "spec": { "type": "object", "properties": {
///         "version": { "type": "string", "default": "15" } } } }
/// })).unwrap();
/// let mut request = json!({ "spec": {} });
/// apply_defaults(&mut request, &schema);
/// assert_eq!(request, json!({ "spec": { "version": "15" } }));
/// ```
pub fn apply_defaults(value: &mut Value, schema: &JSONSchemaProps) {
    match value {
        Value::Object(map) => {
            for (name, prop) in schema.properties.iter().flatten() {
                // The apiserver prunes a null it cannot store, then defaults the field.
                if map.get(name).is_some_and(Value::is_null) && prop.nullable != Some(true) {
                    map.remove(name);
                }
                match map.get_mut(name) {
                    Some(child) => apply_defaults(child, prop),
                    None => {
                        if let Some(default) = &prop.default {
                            let mut child = default.0.clone();
                            apply_defaults(&mut child, prop);
                            map.insert(name.clone(), child);
                        }
                    }
                }
            }
            if let Some(JSONSchemaPropsOrBool::Schema(additional)) = &schema.additional_properties {
                for (name, child) in map.iter_mut() {
                    if !schema
                        .properties
                        .as_ref()
                        .is_some_and(|p| p.contains_key(name))
                    {
                        apply_defaults(child, additional);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(JSONSchemaPropsOrArray::Schema(item_schema)) = &schema.items {
                for item in items {
                    apply_defaults(item, item_schema);
                }
            }
        }
        _ => {}
    }
}

/// Whether `value` has the OpenAPI type `ty`.
pub(crate) fn has_type(value: &Value, ty: &str, int_or_string: bool) -> bool {
    if int_or_string {
        return value.is_string() || value.is_i64() || value.is_u64();
    }
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => false,
    }
}

fn check(value: &Value, s: &JSONSchemaProps, path: &str, root: bool, out: &mut Vec<Diagnostic>) {
    let mut push = |rule: String| out.push(violation(path, Some(value), rule));
    let int_or_string = s.x_kubernetes_int_or_string == Some(true);
    if value.is_null() {
        if s.nullable != Some(true) {
            push("Invalid value: \"null\": field must not be null".into());
        }
        return;
    }
    if let Some(ty) = &s.type_
        && !has_type(value, ty, int_or_string)
    {
        push(format!("Invalid value: must be of type {ty}"));
        return;
    }
    if int_or_string && !(value.is_string() || value.is_i64() || value.is_u64()) {
        push("Invalid value: must be an integer or a string".into());
        return;
    }
    if let Some(allowed) = &s.enum_
        && !allowed.iter().any(|a| &a.0 == value)
    {
        let list = allowed
            .iter()
            .map(|a| a.0.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        push(format!("Unsupported value: supported values: {list}"));
    }
    match value {
        Value::String(text) => check_string(text, s, &mut push),
        Value::Number(n) => check_number(n.as_f64().unwrap_or(f64::NAN), s, &mut push),
        Value::Array(items) => {
            check_len("items", items.len(), s.min_items, s.max_items, &mut push);
            if let Some(JSONSchemaPropsOrArray::Schema(item_schema)) = &s.items {
                // Unknown fields survive in an array marked x-kubernetes-preserve-unknown-fields
                // (Kratix's `workflows.*.configure` lists rely on it).
                let preserved;
                let item_schema = if s.x_kubernetes_preserve_unknown_fields == Some(true) {
                    preserved = JSONSchemaProps {
                        x_kubernetes_preserve_unknown_fields: Some(true),
                        ..(**item_schema).clone()
                    };
                    &preserved
                } else {
                    &**item_schema
                };
                for (i, item) in items.iter().enumerate() {
                    check(item, item_schema, &format!("{path}[{i}]"), false, out);
                }
            }
        }
        Value::Object(map) => check_object(map, s, path, root, out),
        Value::Bool(_) | Value::Null => {}
    }
}

fn check_string(text: &str, s: &JSONSchemaProps, push: &mut impl FnMut(String)) {
    // The apiserver counts characters (runes), not bytes.
    let len = text.chars().count();
    check_len("characters", len, s.min_length, s.max_length, push);
    if let Some(pattern) = &s.pattern {
        match super::pattern::is_match(pattern, text) {
            Some(false) => push(format!("Invalid value: should match '{pattern}'")),
            Some(true) => {}
            None => push(format!(
                "Invalid value: pattern '{pattern}' does not compile"
            )),
        }
    }
}

fn check_number(n: f64, s: &JSONSchemaProps, push: &mut impl FnMut(String)) {
    if let Some(min) = s.minimum {
        let exclusive = s.exclusive_minimum == Some(true);
        if n < min || (exclusive && n == min) {
            let op = if exclusive {
                "greater than"
            } else {
                "greater than or equal to"
            };
            push(format!("Invalid value: should be {op} {min}"));
        }
    }
    if let Some(max) = s.maximum {
        let exclusive = s.exclusive_maximum == Some(true);
        if n > max || (exclusive && n == max) {
            let op = if exclusive {
                "less than"
            } else {
                "less than or equal to"
            };
            push(format!("Invalid value: should be {op} {max}"));
        }
    }
    if let Some(m) = s.multiple_of
        && m != 0.0
        && (n / m).fract() != 0.0
    {
        push(format!("Invalid value: should be a multiple of {m}"));
    }
}

fn check_len(
    unit: &str,
    len: usize,
    min: Option<i64>,
    max: Option<i64>,
    push: &mut impl FnMut(String),
) {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    if let Some(min) = min.filter(|m| len < *m) {
        push(format!("Invalid value: should have at least {min} {unit}"));
    }
    if let Some(max) = max.filter(|m| len > *m) {
        push(format!("Too long: may not be more than {max} {unit}"));
    }
}

fn check_object(
    map: &serde_json::Map<String, Value>,
    s: &JSONSchemaProps,
    path: &str,
    root: bool,
    out: &mut Vec<Diagnostic>,
) {
    for name in s.required.iter().flatten() {
        if !map.contains_key(name) {
            out.push(violation(&join(path, name), None, "Required value".into()));
        }
    }
    let len = map.len();
    check_len(
        "properties",
        len,
        s.min_properties,
        s.max_properties,
        &mut |rule| {
            out.push(violation(path, None, rule));
        },
    );
    let preserve = s.x_kubernetes_preserve_unknown_fields == Some(true);
    let embedded = s.x_kubernetes_embedded_resource == Some(true);
    let props = s.properties.as_ref();
    for (name, child) in map {
        let child_path = join(path, name);
        let implicit = (root || embedded) && IMPLICIT_ROOT_FIELDS.contains(&name.as_str());
        match props.and_then(|p| p.get(name)) {
            // The apiserver checks ObjectMeta itself; a CRD may only narrow name/generateName.
            Some(prop) if implicit => {
                let open = JSONSchemaProps {
                    x_kubernetes_preserve_unknown_fields: Some(true),
                    ..prop.clone()
                };
                check(child, &open, &child_path, false, out);
                continue;
            }
            Some(prop) => {
                check(child, prop, &child_path, false, out);
                continue;
            }
            None if implicit => continue,
            None => {}
        }
        match &s.additional_properties {
            Some(JSONSchemaPropsOrBool::Schema(additional)) => {
                check(child, additional, &child_path, false, out)
            }
            Some(JSONSchemaPropsOrBool::Bool(true)) => {}
            _ if preserve => {}
            _ => out.push(violation(
                &child_path,
                None,
                "unknown field: not declared in the schema".into(),
            )),
        }
    }
}

fn violation(path: &str, value: Option<&Value>, rule: String) -> Diagnostic {
    Diagnostic::shown(
        if path.is_empty() { "<root>" } else { path },
        value.filter(|v| !v.is_object() && !v.is_array()).map(short),
        rule,
    )
}

/// A value as JSON, cut short so that a huge input does not flood the message.
fn short(value: &Value) -> String {
    crate::excerpt::excerpt(&value.to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(v: Value) -> JSONSchemaProps {
        serde_json::from_value(v).expect("schema")
    }

    fn errors(object: Value, s: Value) -> Vec<String> {
        validate_object(&object, &schema(s))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn types_required_and_unknown_fields() {
        let s = json!({"type": "object", "properties": {"spec": {"type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string", "maxLength": 5, "pattern": "^[a-z]+$"},
                           "count": {"type": "integer", "minimum": 1}}}}});
        assert_eq!(
            errors(
                json!({"kind": "X", "metadata": {"name": "x"}, "spec": {"count": 0, "extra": true}}),
                s.clone()
            ),
            // Unknown fields first: the apiserver prunes them before it validates.
            vec![
                "spec.extra: unknown field: not declared in the schema",
                "spec.name: Required value",
                "spec.count: 0: Invalid value: should be greater than or equal to 1",
            ]
        );
        assert_eq!(
            errors(json!({"spec": {"name": "abc\ndef", "count": "1"}}), s),
            vec![
                "spec.count: \"1\": Invalid value: must be of type integer",
                "spec.name: \"abc\\ndef\": Too long: may not be more than 5 characters",
                "spec.name: \"abc\\ndef\": Invalid value: should match '^[a-z]+$'",
            ]
        );
    }

    #[test]
    fn nullable_preserve_and_maps() {
        let s = json!({"type": "object", "properties": {
            "a": {"type": "string", "nullable": true},
            "b": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
            "c": {"type": "object", "additionalProperties": {"type": "integer"}}}});
        assert!(
            errors(
                json!({"a": null, "b": {"any": [1]}, "c": {"x": 1}}),
                s.clone()
            )
            .is_empty()
        );
        assert_eq!(
            errors(json!({"c": {"x": "1"}}), s),
            vec!["c.x: \"1\": Invalid value: must be of type integer"]
        );
    }

    #[test]
    fn a_null_the_schema_cannot_hold_is_pruned_then_defaulted() {
        let s = schema(
            json!({"type": "object", "properties": {"size": {"type": "string", "default": "small"}}}),
        );
        let mut v = json!({"size": null});
        apply_defaults(&mut v, &s);
        assert_eq!(v, json!({"size": "small"}));
    }

    #[test]
    fn defaults_fill_absent_fields_only() {
        let s = schema(
            json!({"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"size": {"type": "string", "default": "small"},
                           "inner": {"type": "object", "default": {}, "properties": {"n": {"type": "integer", "default": 3}}}}}}}),
        );
        let mut v = json!({"spec": {"size": "large"}});
        apply_defaults(&mut v, &s);
        assert_eq!(v, json!({"spec": {"size": "large", "inner": {"n": 3}}}));
    }
}
