//! Rust expressions for Kubernetes values, as a person writes them: struct literals of
//! k8s-openapi's types. The types' own JSON schemas (k8s-openapi implements `JsonSchema`) say
//! which fields are optional and what each holds, so any field of any type is expressible.

use std::collections::BTreeSet;

use promise_core::Diagnostic;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value};

/// Writes expressions and remembers the types they name, for the module's `use` lines.
pub struct Literals {
    defs: Map<String, Value>,
    /// Full paths of the types the expressions name (`k8s_openapi::api::core::v1::EnvVar`).
    pub uses: BTreeSet<String>,
}

const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

impl Literals {
    /// Knows every type reachable from the k8s-openapi types a pipeline holds.
    pub fn new() -> Self {
        let mut literals = Self {
            defs: Map::new(),
            uses: BTreeSet::new(),
        };
        use k8s_openapi::api::core::v1 as core;
        literals.learn::<core::EnvVar>();
        literals.learn::<core::EnvFromSource>();
        literals.learn::<core::VolumeMount>();
        literals.learn::<core::SecurityContext>();
        literals.learn::<core::ResourceRequirements>();
        literals.learn::<core::Volume>();
        literals.learn::<core::Toleration>();
        literals.learn::<k8s_openapi::api::rbac::v1::PolicyRule>();
        literals
    }

    fn learn<T: JsonSchema>(&mut self) {
        let root = SchemaGenerator::default().into_root_schema_for::<T>();
        let mut root = root.to_value();
        if let Some(Value::Object(defs)) = root.as_object_mut().and_then(|r| r.remove("$defs")) {
            self.defs.extend(defs);
        }
        self.defs.insert(T::schema_name().into_owned(), root);
    }

    /// The expression of `value` as the k8s-openapi type `type_name`
    /// (`io.k8s.api.core.v1.EnvVar`); `Err` names the field that does not fit.
    pub fn of(&mut self, type_name: &str, value: &Value, at: &str) -> Result<String, Diagnostic> {
        let schema = json_ref(type_name);
        self.expr(value, &schema, at)
    }

    /// [`of`](Self::of) for a typed object, serialized first: what the module writer needs
    /// for the k8s-openapi values of a pipeline (tolerations, volumes, policy rules).
    pub(crate) fn of_object(
        &mut self,
        type_name: &str,
        object: &impl serde::Serialize,
        at: &str,
    ) -> Result<String, String> {
        let value = serde_json::to_value(object).map_err(|e| format!("{at}: {e}"))?;
        self.of(type_name, &value, at).map_err(|e| e.to_string())
    }

    fn expr(&mut self, value: &Value, schema: &Value, at: &str) -> Result<String, Diagnostic> {
        if let Some(name) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            return self.named(name, value, at);
        }
        let kind = schema.get("type").and_then(Value::as_str).unwrap_or("");
        match (kind, value) {
            ("string", Value::String(text)) => Ok(format!("{}.into()", string(text))),
            ("integer", Value::Number(n)) if n.is_i64() => Ok(n.to_string()),
            ("number", Value::Number(n)) => Ok(format!("{:?}", n.as_f64().unwrap_or_default())),
            ("boolean", Value::Bool(b)) => Ok(b.to_string()),
            ("array", Value::Array(items)) => {
                let item = schema.get("items").cloned().unwrap_or(Value::Null);
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.expr(v, &item, &format!("{at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(format!("vec![{}]", items.join(", ")))
            }
            ("object", Value::Object(map)) if schema.get("additionalProperties").is_some() => {
                let item = schema["additionalProperties"].clone();
                self.uses.insert("std::collections::BTreeMap".into());
                let entries = map
                    .iter()
                    .map(|(k, v)| {
                        let v = self.expr(v, &item, &format!("{at}.{k}"))?;
                        Ok(format!("({}.into(), {v})", string(k)))
                    })
                    .collect::<Result<Vec<_>, Diagnostic>>()?;
                Ok(format!("BTreeMap::from([{}])", entries.join(", ")))
            }
            _ => Err(Diagnostic {
                path: Some(at.to_string()),
                value: Some(value.to_string()),
                rule: format!("does not fit the schema {}", excerpt(schema)),
            }),
        }
    }

    fn named(&mut self, name: &str, value: &Value, at: &str) -> Result<String, Diagnostic> {
        let short = self.path(name);
        match (name, value) {
            (QUANTITY, Value::String(text)) => {
                return Ok(format!("{short}({}.into())", string(text)));
            }
            (QUANTITY, Value::Number(n)) => {
                return Ok(format!("{short}({}.into())", string(&n.to_string())));
            }
            (INT_OR_STRING, Value::Number(n)) if n.is_i64() => {
                return Ok(format!("{short}::Int({n})"));
            }
            (INT_OR_STRING, Value::String(text)) => {
                return Ok(format!("{short}::String({}.into())", string(text)));
            }
            _ => {}
        }
        let schema = self.defs.get(name).cloned().ok_or_else(|| Diagnostic {
            path: Some(at.to_string()),
            value: None,
            rule: format!("no schema for {name}"),
        })?;
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return self.expr(value, &strip_title(&schema), at);
        };
        let Value::Object(fields) = value else {
            return Err(Diagnostic {
                path: Some(at.to_string()),
                value: Some(value.to_string()),
                rule: format!("is not a map, as {name} is"),
            });
        };
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut lines = Vec::new();
        for (key, field) in fields {
            if field.is_null() {
                continue;
            }
            let property = properties.get(key).ok_or_else(|| Diagnostic {
                path: Some(format!("{at}.{key}")),
                value: None,
                rule: format!("{name} has no such field"),
            })?;
            let inner = self.expr(field, property, &format!("{at}.{key}"))?;
            let inner = if required.contains(key.as_str()) {
                inner
            } else {
                format!("Some({inner})")
            };
            lines.push(format!("{}: {inner},", rust_field(key)));
        }
        let present = fields.values().filter(|v| !v.is_null()).count();
        if present < properties.len() {
            lines.push(format!("..{short}::default()"));
        }
        Ok(format!("{short} {{\n{}\n}}", lines.join("\n")))
    }

    /// The short name of `name`, remembering its path for the `use` lines.
    fn path(&mut self, name: &str) -> String {
        let path = name
            .strip_prefix("io.k8s.")
            .unwrap_or(name)
            .replace('.', "::");
        let short = path.rsplit("::").next().unwrap_or(&path).to_string();
        self.uses.insert(format!("k8s_openapi::{path}"));
        short
    }
}

fn json_ref(type_name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/$defs/{type_name}") })
}

fn strip_title(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(map) = schema.as_object_mut() {
        map.remove("title");
    }
    schema
}

fn excerpt(schema: &Value) -> String {
    let text = schema.to_string();
    text.chars().take(80).collect()
}

/// A Rust string literal: raw when the text has quotes, backslashes or line breaks.
pub fn string(text: &str) -> String {
    let plain = !text.contains(['"', '\\']) && !text.chars().any(char::is_control);
    if plain {
        return format!("\"{text}\"");
    }
    let printable = text
        .chars()
        .all(|c| c == '\n' || c == '\t' || !c.is_control());
    if printable {
        for hashes in 1..8 {
            let fence = "#".repeat(hashes);
            if !text.contains(&format!("\"{fence}")) {
                return format!("r{fence}\"{text}\"{fence}");
            }
        }
    }
    format!("{text:?}")
}

/// The Rust name k8s-openapi gives a JSON field: snake case, keywords suffixed with `_`.
pub fn rust_field(key: &str) -> String {
    let key = key.trim_start_matches('$');
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let previous = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (previous.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(|n| n.is_ascii_lowercase())
                    && !(next == Some(&'s') && chars.get(i + 2).is_none()));
            if boundary {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    match out.as_str() {
        "type" | "ref" | "continue" | "enum" | "as" => format!("{out}_"),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_follow_k8s_openapi() {
        for (json, rust) in [
            ("secretKeyRef", "secret_key_ref"),
            ("type", "type_"),
            ("readOnlyRootFilesystem", "read_only_root_filesystem"),
            ("fsGroup", "fs_group"),
            ("apiGroups", "api_groups"),
            ("nonResourceURLs", "non_resource_urls"),
            ("hostIPC", "host_ipc"),
            ("podIPs", "pod_ips"),
        ] {
            assert_eq!(rust_field(json), rust, "{json}");
        }
    }

    #[test]
    fn optional_fields_are_wrapped_and_the_rest_defaulted() {
        let mut literals = Literals::new();
        let value = serde_json::json!({"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}});
        let expr = literals
            .of("io.k8s.api.core.v1.EnvVar", &value, "env[0]")
            .expect("fits");
        assert!(
            expr.starts_with("EnvVar {\nname: \"TOKEN\".into(),\nvalue_from: Some(EnvVarSource {"),
            "{expr}"
        );
        assert!(
            expr.contains(
                "secret_key_ref: Some(SecretKeySelector {\nkey: \"k\".into(),\nname: \"s\".into(),"
            ),
            "{expr}"
        );
        assert!(
            literals
                .uses
                .contains("k8s_openapi::api::core::v1::SecretKeySelector")
        );
        let wrong = literals.of(
            "io.k8s.api.core.v1.EnvVar",
            &serde_json::json!({"nmae": "x"}),
            "env[1]",
        );
        assert_eq!(
            wrong.expect_err("unknown").to_string(),
            "env[1].nmae: io.k8s.api.core.v1.EnvVar has no such field"
        );
    }

    #[test]
    fn strings_become_readable_literals() {
        assert_eq!(string("plain"), "\"plain\"");
        assert_eq!(string("say \"hi\"\n"), "r#\"say \"hi\"\n\"#");
        assert_eq!(string("bell\u{7}"), "\"bell\\u{7}\"");
    }
}
