//! `/kratix/metadata/status.yaml`: what a step reports on the object's status.
//!
//! How Kratix applies it (its `status-writer`, at the end of each pipeline):
//! - the merge is **shallow**: each top-level key replaces the current one wholesale, nested
//!   maps are not merged;
//! - `conditions` are merged by `type`: a condition replaces the current one of its type;
//! - a `kratix` key fails the pipeline; other Kratix-owned keys are overwritten by Kratix;
//! - `message` is reset to "Pending" when each configure pipeline starts, so only the last
//!   pipeline's message survives;
//! - for promise workflows only `message` is kept, everything else is pruned.
//!
//! Within one pipeline, several steps may report status: each step merges its update into
//! the file the earlier steps wrote, with the same rules.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Context, StepError, WorkflowType};

/// Top-level status keys Kratix owns on a resource request; a step may not write them.
pub const KRATIX_OWNED_STATUS_KEYS: &[&str] = &[
    "kratix",
    "observedGeneration",
    "workflows",
    "workflowsSucceeded",
    "workflowsFailed",
    "lastSuccessfulConfigureWorkflowTime",
    "promiseVersion",
    "resourceBindingVersion",
    "healthStatus",
];

/// Condition types Kratix sets itself.
const KRATIX_OWNED_CONDITIONS: &[&str] = &[
    "ConfigureWorkflowCompleted",
    "Reconciled",
    "WorksSucceeded",
    "PromiseAvailable",
    "DeleteWorkflowCompleted",
];

/// A status update, collected while a step runs and written only if it succeeds.
///
/// ```
/// use promise_core::pipeline::StatusUpdate;
///
/// let mut status = StatusUpdate::default();
/// status.message("Database orders is being provisioned");
/// status.field("phase", "Provisioning");
/// status.condition("DatabaseReady", false, "Provisioning", "waiting for Crossplane");
/// assert!(!status.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusUpdate {
    fields: BTreeMap<String, Value>,
    conditions: Vec<NewCondition>,
    errors: Vec<StepError>,
}

#[derive(Debug, Clone, PartialEq)]
struct NewCondition {
    type_: String,
    status: bool,
    reason: String,
    message: String,
}

impl StatusUpdate {
    /// Sets `message`, the line `kubectl get` shows.
    pub fn message(&mut self, message: impl Into<String>) -> &mut Self {
        self.fields
            .insert("message".into(), Value::String(message.into()));
        self
    }

    /// Sets one top-level key.
    pub fn field(&mut self, key: impl Into<String>, value: impl Serialize) -> &mut Self {
        let key = key.into();
        match serde_json::to_value(value) {
            Ok(value) => {
                self.fields.insert(key, value);
            }
            Err(e) => self.errors.push(
                StepError::new(format!("cannot be serialized: {e}")).at(&format!("status.{key}")),
            ),
        }
        self
    }

    /// Sets every key of a typed status (such as the API's `status` type); `None` fields
    /// that serialize to nothing leave the current value alone.
    pub fn set(&mut self, status: &impl Serialize) -> &mut Self {
        match serde_json::to_value(status) {
            Ok(Value::Object(map)) => self.fields.extend(map),
            Ok(other) => self.errors.push(StepError::field(
                "status",
                other,
                "a status must serialize to a map",
            )),
            Err(e) => self
                .errors
                .push(StepError::new(format!("cannot be serialized: {e}")).at("status")),
        }
        self
    }

    /// Sets a condition of `type_`; it replaces Kratix's current condition of that type.
    pub fn condition(
        &mut self,
        type_: impl Into<String>,
        status: bool,
        reason: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Self {
        let type_ = type_.into();
        self.conditions.retain(|c| c.type_ != type_);
        self.conditions.push(NewCondition {
            type_,
            status,
            reason: reason.into(),
            message: message.into(),
        });
        self
    }

    /// True when nothing was set.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.conditions.is_empty() && self.errors.is_empty()
    }

    /// Checks the update and merges it into `earlier` (what previous steps of this pipeline
    /// wrote), with `current` (the object's status in the input) giving the transition time of
    /// unchanged conditions.
    pub(crate) fn merge_into(
        self,
        earlier: &mut Map<String, Value>,
        current: Option<&Value>,
        ctx: &Context,
    ) -> Result<(), StepError> {
        if let Some(error) = self.errors.into_iter().next() {
            return Err(error);
        }
        for key in self.fields.keys() {
            if key == "conditions" {
                return Err(StepError::field(
                    "status.conditions",
                    "conditions",
                    "set conditions with `.condition(...)`, which merges them by type as Kratix does",
                ));
            }
            check_key(key, ctx)?;
        }
        if !self.conditions.is_empty() {
            check_key("conditions", ctx)?;
        }
        for condition in &self.conditions {
            check_condition_type(&condition.type_)?;
            if condition.type_.is_empty() || condition.reason.is_empty() {
                return Err(StepError::field(
                    "status.conditions",
                    &condition.type_,
                    "a condition needs a type and a reason",
                ));
            }
        }
        earlier.extend(self.fields);
        if !self.conditions.is_empty() {
            merge_conditions(earlier, self.conditions, current, ctx.now);
        }
        Ok(())
    }
}

/// Checks the status an earlier step of this pipeline left in `metadata/status.yaml` before
/// merging into it: a container of another image may have written anything, and a `kratix`
/// key would fail the whole pipeline in Kratix's status-writer.
pub(crate) fn check_earlier(earlier: &Map<String, Value>, ctx: &Context) -> Result<(), StepError> {
    for key in earlier.keys() {
        check_key(key, ctx)?;
    }
    let conditions = earlier.get("conditions").and_then(Value::as_array);
    for condition in conditions.into_iter().flatten() {
        if let Some(type_) = condition.get("type").and_then(Value::as_str) {
            check_condition_type(type_)?;
        }
    }
    Ok(())
}

/// A top-level status key a step may write in this workflow.
fn check_key(key: &str, ctx: &Context) -> Result<(), StepError> {
    if KRATIX_OWNED_STATUS_KEYS.contains(&key) {
        let rule = if key == "kratix" {
            "is managed by Kratix, which fails the pipeline when a step writes it"
        } else {
            "is managed by Kratix, which overwrites it"
        };
        return Err(StepError::field(format!("status.{key}"), key, rule));
    }
    if ctx.workflow_type == WorkflowType::Promise && key != "message" {
        return Err(StepError::field(
            format!("status.{key}"),
            key,
            "Kratix keeps only `message` in a Promise's status; other keys are pruned",
        ));
    }
    Ok(())
}

fn check_condition_type(type_: &str) -> Result<(), StepError> {
    if KRATIX_OWNED_CONDITIONS.contains(&type_) {
        return Err(StepError::field(
            "status.conditions.type",
            type_,
            "is a condition Kratix sets itself",
        ));
    }
    Ok(())
}

/// Conditions merged by type; `lastTransitionTime` kept while a condition's status is
/// unchanged, as Kubernetes API conventions ask.
fn merge_conditions(
    status: &mut Map<String, Value>,
    new: Vec<NewCondition>,
    current: Option<&Value>,
    now: SystemTime,
) {
    let previous = |type_: &str| -> Option<&Value> {
        current?
            .get("conditions")?
            .as_array()?
            .iter()
            .find(|c| c.get("type").and_then(Value::as_str) == Some(type_))
    };
    let mut merged: Vec<Value> = status
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for condition in new {
        let status_word = if condition.status { "True" } else { "False" };
        let time = previous(&condition.type_)
            .filter(|p| p.get("status").and_then(Value::as_str) == Some(status_word))
            .and_then(|p| p.get("lastTransitionTime").cloned())
            .unwrap_or_else(|| Value::String(rfc3339(now)));
        let value = serde_json::json!({
            "type": condition.type_,
            "status": status_word,
            "reason": condition.reason,
            "message": condition.message,
            "lastTransitionTime": time,
        });
        merged.retain(|c| c.get("type").and_then(Value::as_str) != Some(condition.type_.as_str()));
        merged.push(value);
    }
    status.insert("conditions".into(), Value::Array(merged));
}

/// `2026-11-25T09:07:45Z`: Kubernetes' `metav1.Time`, at second precision.
fn rfc3339(time: SystemTime) -> String {
    k8s_openapi::jiff::Timestamp::try_from(time)
        .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_590_465)),
            "2026-11-25T07:07:45Z"
        );
        assert_eq!(
            rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
    }
}
