//! `workflow-control.yaml`, read as Kratix's work-creator reads it: suspend, or retry after a
//! Go duration.

use serde_json::Value;

use super::Outcome;
use super::root::{Root, read_yaml};

/// `workflow-control.yaml` as Kratix's work-writer reads it: the suspension or retry it asks
/// for, or the failure Kratix reports on it; `None` when the workflow goes on.
pub(super) fn workflow_control(root: &Root, pipeline: &str) -> Result<Option<Outcome>, String> {
    let Some(control) = read_yaml::<Value>(&root.path.join("metadata/workflow-control.yaml"))?
    else {
        return Ok(None);
    };
    let message = control
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let retry = control
        .get("retryAfter")
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty());
    if let Some(after) = retry {
        if !is_go_duration(after) {
            return Ok(Some(Outcome::Failed(format!(
                "pipeline {pipeline}: workflow-control.yaml: retryAfter {after:?} is not a Go duration (such as 90s, 5m or 1h30m)"
            ))));
        }
        return Ok(Some(Outcome::RetryAfter {
            pipeline: pipeline.to_string(),
            after: after.to_string(),
            message,
        }));
    }
    if control.get("suspend").and_then(Value::as_bool) == Some(true) {
        return Ok(Some(Outcome::Suspended {
            pipeline: pipeline.to_string(),
            message,
        }));
    }
    Ok(None)
}

/// Go's `time.ParseDuration` grammar, signed: `GoDuration`'s parser, which refuses negative
/// durations that Go (and so Kratix) reads.
fn is_go_duration(text: &str) -> bool {
    text.strip_prefix('-')
        .unwrap_or(text)
        .parse::<promise_core::kratix::GoDuration>()
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        for ok in [
            "5m",
            "1h30m",
            "90s",
            "1.5h",
            "300ms",
            "0",
            "2h45m10.5s",
            "10µs",
        ] {
            assert!(is_go_duration(ok), "{ok}");
        }
        for bad in ["1d", "", "m", "5", "1h30", "1..5s", "five"] {
            assert!(!is_go_duration(bad), "{bad}");
        }
    }
}
