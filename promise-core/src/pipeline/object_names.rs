//! Every object a step writes has a name, namespace, labels and annotations its kind accepts,
//! checked before anything is written: a name valid to us but not where it lands (a Service
//! `9shop-redis`, a Namespace `sessions_redis`) would otherwise fail only at apply time, on a
//! destination, long after the pipeline reported success.

use serde_json::Value;

use super::StepError;
use crate::names::rules;

/// A naming rule: `Err` says what the name breaks.
type NameRule = fn(&str) -> Result<(), rules::Broken>;

/// Checks the metadata of `object`, written to `file`: the name by its kind's rule, the
/// namespace as a DNS-1123 label, label and annotation keys as qualified names, label values.
pub(crate) fn check(file: &str, object: &Value) -> Result<(), StepError> {
    let Some(kind) = object.get("kind").and_then(Value::as_str) else {
        // Not a Kubernetes object (a step may write any YAML); nothing to check.
        return Ok(());
    };
    let at = |field: &str| format!("output/{file}: {kind}.metadata.{field}");
    let metadata = object.get("metadata");
    let name = metadata
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            StepError::new("Required value: every object written needs a name").at(&at("name"))
        })?;
    let (rule, kind_rule): (NameRule, &str) = match kind {
        "Namespace" => (rules::dns1123_label, "a Namespace name is a DNS-1123 label"),
        "Service" => (rules::dns1035_label, "a Service name is a DNS-1035 label"),
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => {
            (path_segment, "an RBAC object's name is a path segment")
        }
        _ => (rules::dns1123_subdomain, "its name is a DNS-1123 subdomain"),
    };
    rule(name)
        .map_err(|broken| StepError::field(at("name"), name, format!("{broken} ({kind_rule})")))?;
    if let Some(namespace) = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
    {
        rules::dns1123_label(namespace)
            .map_err(|broken| StepError::field(at("namespace"), namespace, broken))?;
    }
    for (field, values_too) in [("labels", true), ("annotations", false)] {
        let entries = metadata
            .and_then(|m| m.get(field))
            .and_then(Value::as_object);
        for (key, value) in entries.into_iter().flatten() {
            rules::label_key(key)
                .map_err(|broken| StepError::field(at(field), key, format!("key {broken}")))?;
            if values_too {
                let value = value.as_str().unwrap_or_default();
                rules::label_value(value).map_err(|broken| {
                    StepError::field(at(&format!("{field}[{key:?}]")), value, broken)
                })?;
            }
        }
    }
    Ok(())
}

/// What the apiserver asks of names it only uses as path segments (RBAC objects).
fn path_segment(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    if value == "." || value == ".." {
        return Err(format!("may not be '{value}'"));
    }
    if value.contains(['/', '%']) {
        return Err("may not contain '/' or '%'".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::check;

    #[test]
    fn names_are_checked_by_their_kinds_rule() {
        let service =
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "9shop-redis"}});
        let err = check("redis.yaml", &service).unwrap_err().to_string();
        assert!(
            err.starts_with("output/redis.yaml: Service.metadata.name: \"9shop-redis\": must be a DNS-1035 label"),
            "{err}"
        );
        let namespace = json!({"kind": "Namespace", "metadata": {"name": "sessions_redis"}});
        let err = check("ns.yaml", &namespace).unwrap_err().to_string();
        assert!(
            err.contains("a Namespace name is a DNS-1123 label"),
            "{err}"
        );
        let deployment = json!({"kind": "Deployment", "metadata": {"name": "a.b", "namespace": "team-a",
            "labels": {"app.kubernetes.io/name": "redis"}, "annotations": {"example.com/x": "any value at all"}}});
        assert!(check("d.yaml", &deployment).is_ok());
        let bad_label =
            json!({"kind": "ConfigMap", "metadata": {"name": "c", "labels": {"team": "a b"}}});
        assert!(
            check("c.yaml", &bad_label)
                .unwrap_err()
                .to_string()
                .contains("labels[\"team\"]")
        );
        let nameless = json!({"kind": "ConfigMap", "metadata": {}});
        assert!(
            check("c.yaml", &nameless)
                .unwrap_err()
                .to_string()
                .contains("Required value")
        );
        let role = json!({"kind": "Role", "metadata": {"name": "system:reader"}});
        assert!(check("r.yaml", &role).is_ok());
        assert!(check("plain.yaml", &json!({"not": "an object"})).is_ok());
    }
}
