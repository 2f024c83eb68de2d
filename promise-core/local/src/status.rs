//! How Kratix's status-writer folds a pipeline's `status.yaml` into the object's status.

use serde_json::{Map, Value};

/// Merges `incoming` into `status` as Kratix does: top-level keys replace the current ones,
/// `conditions` merge by `type`. Promise workflows keep only `message`.
pub(crate) fn merge(
    status: &mut Map<String, Value>,
    incoming: Map<String, Value>,
    promise_workflow: bool,
) {
    for (key, value) in incoming {
        if promise_workflow && key != "message" {
            continue;
        }
        if key == "conditions" {
            let mut merged = status
                .get("conditions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for condition in value.as_array().into_iter().flatten() {
                let type_ = condition.get("type");
                merged.retain(|c| c.get("type") != type_);
                merged.push(condition.clone());
            }
            merged.sort_by(|a, b| {
                a.get("type")
                    .map(Value::to_string)
                    .cmp(&b.get("type").map(Value::to_string))
            });
            status.insert(key, Value::Array(merged));
        } else {
            status.insert(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn top_level_keys_replace_and_conditions_merge_by_type() {
        let mut status = json!({"a": {"x": 1}, "conditions": [{"type": "A", "status": "False"}, {"type": "B", "status": "True"}]})
            .as_object()
            .cloned()
            .unwrap();
        let incoming = json!({"a": {"y": 2}, "conditions": [{"type": "A", "status": "True"}]})
            .as_object()
            .cloned()
            .unwrap();
        merge(&mut status, incoming, false);
        assert_eq!(
            Value::Object(status),
            json!({"a": {"y": 2}, "conditions": [{"type": "A", "status": "True"}, {"type": "B", "status": "True"}]})
        );
    }

    #[test]
    fn promise_workflows_keep_only_message() {
        let mut status = Map::new();
        merge(
            &mut status,
            json!({"message": "hi", "phase": "x"})
                .as_object()
                .cloned()
                .unwrap(),
            true,
        );
        assert_eq!(Value::Object(status), json!({"message": "hi"}));
    }
}
