//! The structural-schema rules of the apiserver (`apiextensions/validation`), which kube's
//! generator does not enforce: it emits `{}` for `serde_json::Value`, `$ref` for recursive
//! types and an `items` array for tuples without complaint.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    JSONSchemaProps, JSONSchemaPropsOrArray, JSONSchemaPropsOrBool,
};

use super::{instance, join};
use crate::Diagnostic;

const TYPES: &[&str] = &["object", "array", "string", "integer", "number", "boolean"];

/// Every structural-schema violation in a CRD version's `openAPIV3Schema`.
///
/// ```
/// use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::JSONSchemaProps;
/// use promise_core::schema::lint;
///
/// let untyped: JSONSchemaProps = serde_json::from_value(serde_json::json!({
///     "type": "object",
///     "properties": { "spec": { "type": "object", "properties": { "raw": {} } } }
/// })).unwrap();
/// let violations = lint(&untyped);
/// assert_eq!(violations[0].path.as_deref(), Some("properties.spec.properties.raw.type"));
/// ```
pub fn lint(root: &JSONSchemaProps) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if root.type_.as_deref() != Some("object") {
        out.push(rule(
            "type",
            quoted(&root.type_),
            "must be object at the root of a CRD schema",
        ));
    }
    if root.nullable == Some(true) {
        out.push(rule("nullable", None, "must be false at the root"));
    }
    if let Some(metadata) = root.properties.as_ref().and_then(|p| p.get("metadata")) {
        lint_root_metadata(metadata, &mut out);
    }
    node(root, "", Position::Typed, &mut out);
    out
}

/// Whether a node sits where a type is required, or inside a logical junctor.
#[derive(Clone, Copy, PartialEq)]
enum Position {
    Typed,
    Junctor,
}

fn node(s: &JSONSchemaProps, path: &str, pos: Position, out: &mut Vec<Diagnostic>) {
    forbidden_fields(s, path, out);
    let preserve = s.x_kubernetes_preserve_unknown_fields == Some(true);
    let int_or_string = s.x_kubernetes_int_or_string == Some(true);

    match (&s.type_, pos) {
        (None, Position::Typed) if !preserve && !int_or_string => out.push(rule(
            &join(path, "type"),
            None,
            "Required value: must not be empty for specified object fields \
             (only x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields may omit it)",
        )),
        (Some(t), Position::Typed) if !TYPES.contains(&t.as_str()) => out.push(rule(
            &join(path, "type"),
            Some(format!("{t:?}")),
            "Unsupported value: must be one of object, array, string, integer, number, boolean",
        )),
        (Some(t), Position::Typed) if int_or_string => out.push(rule(
            &join(path, "type"),
            Some(format!("{t:?}")),
            "must be empty when x-kubernetes-int-or-string is true",
        )),
        _ => {}
    }
    if pos == Position::Junctor && !int_or_string_branch(s) {
        junctor_metadata(s, path, out);
    }
    if s.x_kubernetes_preserve_unknown_fields == Some(false) {
        out.push(rule(
            &join(path, "x-kubernetes-preserve-unknown-fields"),
            Some("false".into()),
            "must be true or undefined",
        ));
    }
    if s.x_kubernetes_embedded_resource == Some(true) {
        if s.type_.as_deref() != Some("object") {
            out.push(rule(
                &join(path, "type"),
                quoted(&s.type_),
                "must be object if x-kubernetes-embedded-resource is true",
            ));
        }
        if !preserve && s.properties.as_ref().is_none_or(|p| p.is_empty()) {
            out.push(rule(
                &join(path, "properties"),
                None,
                "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
            ));
        }
    }
    if let (Some(props), Some(additional)) = (&s.properties, &s.additional_properties)
        && !props.is_empty()
        && !matches!(additional, JSONSchemaPropsOrBool::Bool(true))
    {
        out.push(rule(
            &join(path, "additionalProperties"),
            None,
            "Forbidden: additionalProperties and properties are mutual exclusive",
        ));
    }
    if let Some(default) = &s.default {
        for v in instance::validate_value(&default.0, s, &join(path, "default")) {
            out.push(Diagnostic {
                rule: format!("invalid default: {}", v.rule),
                ..v
            });
        }
    }
    if let Some(enum_) = &s.enum_
        && let Some(t) = &s.type_
    {
        for (i, value) in enum_.iter().enumerate() {
            let ok = value.0.is_null() && s.nullable == Some(true)
                || instance::has_type(&value.0, t, int_or_string);
            if !ok {
                out.push(rule(
                    &format!("{}[{i}]", join(path, "enum")),
                    Some(value.0.to_string()),
                    &format!("must be of type {t}"),
                ));
            }
        }
    }
    children(s, path, pos, out);
}

fn children(s: &JSONSchemaProps, path: &str, pos: Position, out: &mut Vec<Diagnostic>) {
    for (name, prop) in s.properties.iter().flatten() {
        node(prop, &join(&join(path, "properties"), name), pos, out);
    }
    match &s.items {
        Some(JSONSchemaPropsOrArray::Schema(items)) => node(items, &join(path, "items"), pos, out),
        Some(JSONSchemaPropsOrArray::Schemas(_)) => out.push(rule(
            &join(path, "items"),
            None,
            "Forbidden: items must be a schema object and not an array (a Rust tuple becomes one)",
        )),
        None => {}
    }
    if let Some(JSONSchemaPropsOrBool::Schema(additional)) = &s.additional_properties {
        node(additional, &join(path, "additionalProperties"), pos, out);
    }
    if s.type_.as_deref() == Some("array") && s.items.is_none() && pos == Position::Typed {
        out.push(rule(
            &join(path, "items"),
            None,
            "Required value: must be specified for type array",
        ));
    }
    let junctors = [
        ("allOf", &s.all_of),
        ("anyOf", &s.any_of),
        ("oneOf", &s.one_of),
    ];
    for (key, list) in junctors {
        for (i, sub) in list.iter().flatten().enumerate() {
            let sub_path = format!("{}[{i}]", join(path, key));
            node(sub, &sub_path, Position::Junctor, out);
            junctor_fields_declared(s, sub, &sub_path, out);
        }
    }
    if let Some(not) = &s.not {
        let sub_path = join(path, "not");
        node(not, &sub_path, Position::Junctor, out);
        junctor_fields_declared(s, not, &sub_path, out);
    }
}

/// Fields the apiserver rejects anywhere in a CRD schema.
fn forbidden_fields(s: &JSONSchemaProps, path: &str, out: &mut Vec<Diagnostic>) {
    let not_supported = "is not supported";
    let fields = [
        (
            s.ref_path.is_some(),
            "$ref",
            "is not supported (a recursive Rust type becomes one)",
        ),
        (s.definitions.is_some(), "definitions", not_supported),
        (s.schema.is_some(), "$schema", not_supported),
        (s.id.is_some(), "id", not_supported),
        (
            s.additional_items.is_some(),
            "additionalItems",
            not_supported,
        ),
        (
            s.pattern_properties.is_some(),
            "patternProperties",
            not_supported,
        ),
        (s.dependencies.is_some(), "dependencies", not_supported),
        (
            s.unique_items == Some(true),
            "uniqueItems",
            "cannot be set to true since the runtime complexity becomes quadratic",
        ),
    ];
    for (set, key, why) in fields {
        if set {
            out.push(rule(
                &join(path, key),
                None,
                &format!("Forbidden: {key} {why}"),
            ));
        }
    }
}

/// `{type: integer}` or `{type: string}` alone: the branches of the
/// `x-kubernetes-int-or-string` pattern `anyOf: [{type: integer}, {type: string}]`, which the
/// apiserver allows (and controller-gen emits) even though types are otherwise forbidden in
/// junctors.
fn int_or_string_branch(s: &JSONSchemaProps) -> bool {
    matches!(s.type_.as_deref(), Some("integer" | "string"))
        && JSONSchemaProps {
            type_: None,
            ..s.clone()
        } == JSONSchemaProps::default()
}

/// Inside allOf/anyOf/oneOf/not only value validations may appear.
fn junctor_metadata(s: &JSONSchemaProps, path: &str, out: &mut Vec<Diagnostic>) {
    let fields = [
        ("type", s.type_.is_some()),
        ("description", s.description.is_some()),
        ("title", s.title.is_some()),
        ("default", s.default.is_some()),
        ("nullable", s.nullable.is_some()),
        ("additionalProperties", s.additional_properties.is_some()),
        (
            "x-kubernetes-preserve-unknown-fields",
            s.x_kubernetes_preserve_unknown_fields.is_some(),
        ),
        (
            "x-kubernetes-embedded-resource",
            s.x_kubernetes_embedded_resource.is_some(),
        ),
    ];
    for (key, set) in fields {
        if set {
            out.push(rule(
                &join(path, key),
                None,
                "Forbidden: must not be used inside allOf, anyOf, oneOf or not",
            ));
        }
    }
}

/// A field a junctor constrains must also be declared outside of it.
fn junctor_fields_declared(
    parent: &JSONSchemaProps,
    sub: &JSONSchemaProps,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    for name in sub.properties.iter().flatten().map(|(name, _)| name) {
        if parent
            .properties
            .as_ref()
            .is_none_or(|p| !p.contains_key(name))
        {
            out.push(rule(
                &join(&join(path, "properties"), name),
                None,
                "Required value: must have a corresponding property outside of the logical junctor",
            ));
        }
    }
    if sub.items.is_some() && parent.items.is_none() {
        out.push(rule(
            &join(path, "items"),
            None,
            "Required value: must have a corresponding items outside of the logical junctor",
        ));
    }
}

/// At the root, `metadata` may only constrain `name` and `generateName`.
fn lint_root_metadata(metadata: &JSONSchemaProps, out: &mut Vec<Diagnostic>) {
    if metadata.type_.as_deref().is_some_and(|t| t != "object") {
        out.push(rule(
            "properties.metadata.type",
            quoted(&metadata.type_),
            "must be object",
        ));
    }
    for name in metadata.properties.iter().flatten().map(|(name, _)| name) {
        if name != "name" && name != "generateName" {
            out.push(rule(
                &join("properties.metadata.properties", name),
                None,
                "Forbidden: must not specify anything other than name and generateName",
            ));
        }
    }
}

fn quoted(value: &Option<String>) -> Option<String> {
    value.as_ref().map(|v| format!("{v:?}"))
}

fn rule(path: &str, value: Option<String>, rule: &str) -> Diagnostic {
    Diagnostic::shown(path, value, rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lint_json(v: serde_json::Value) -> Vec<String> {
        let schema: JSONSchemaProps = serde_json::from_value(v).expect("schema");
        lint(&schema).iter().map(ToString::to_string).collect()
    }

    fn object(props: serde_json::Value) -> serde_json::Value {
        json!({"type": "object", "properties": {"spec": {"type": "object", "properties": props}}})
    }

    #[test]
    fn accepts_a_structural_schema() {
        let v = object(json!({
            "size": {"type": "string", "enum": ["small", "large"], "default": "small"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "raw": {"x-kubernetes-preserve-unknown-fields": true},
            "port": {"x-kubernetes-int-or-string": true},
            "maybe": {"type": "string", "enum": ["a", null], "nullable": true}
        }));
        assert_eq!(lint_json(v), Vec::<String>::new());
    }

    #[test]
    fn reports_what_kube_lets_through() {
        let v = object(json!({
            "raw": {},
            "tree": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
            "set": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
            "both": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}},
            "bad_default": {"type": "string", "enum": ["a"], "default": "b"},
            "null_type": {"type": "null"}
        }));
        let found = lint_json(v);
        let expect = [
            "properties.spec.properties.raw.type: Required value",
            "properties.spec.properties.tree.items.$ref: Forbidden",
            "properties.spec.properties.tree.items.type: Required value",
            "properties.spec.properties.pair.items: Forbidden: items must be a schema object",
            "properties.spec.properties.set.uniqueItems: Forbidden",
            "properties.spec.properties.both.additionalProperties: Forbidden",
            "properties.spec.properties.bad_default.default: \"b\": invalid default: Unsupported value",
            "properties.spec.properties.null_type.type: \"null\": Unsupported value",
        ];
        for e in expect {
            assert!(
                found.iter().any(|f| f.starts_with(e)),
                "missing {e:?} in {found:#?}"
            );
        }
        assert_eq!(found.len(), expect.len(), "{found:#?}");
    }

    #[test]
    fn the_int_or_string_pattern_is_structural() {
        let v = object(json!({"port": {"x-kubernetes-int-or-string": true,
            "anyOf": [{"type": "integer"}, {"type": "string"}]}}));
        assert_eq!(lint_json(v), Vec::<String>::new());
    }

    #[test]
    fn junctors_carry_value_validations_only() {
        let v = json!({"type": "object", "properties": {"a": {"type": "string"}},
            "anyOf": [{"type": "object", "properties": {"b": {"type": "string"}}}]});
        let found = lint_json(v);
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("anyOf[0].type: Forbidden")),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("anyOf[0].properties.b: Required value")),
            "{found:#?}"
        );
    }

    #[test]
    fn root_must_be_an_object() {
        let found = lint_json(json!({"type": "string"}));
        assert!(found[0].starts_with("type: \"string\""), "{found:?}");
    }
}
