//! The contract rules an [`Output`] enforces when it is committed.

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use serde_json::json;

use super::*;
use crate::kratix::GoDuration;

fn ctx(ty: &str, action: &str) -> Context {
    static N: AtomicUsize = AtomicUsize::new(0);
    let root: PathBuf = std::env::temp_dir().join(format!(
        "promise-core-out-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&root);
    let vars = [
        ("KRATIX_WORKFLOW_ACTION", action.to_string()),
        ("KRATIX_WORKFLOW_TYPE", ty.to_string()),
        ("KRATIX_PROMISE_NAME", "database".to_string()),
        ("KRATIX_PIPELINE_NAME", "configure".to_string()),
        ("KRATIX_ROOT", root.display().to_string()),
    ];
    let mut ctx =
        Context::from_vars(|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone())).unwrap();
    ctx.now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_590_465);
    ctx
}

fn read(ctx: &Context, rel: &str) -> String {
    fs::read_to_string(ctx.root.join(rel)).unwrap()
}

#[test]
fn kratix_owned_status_keys_are_refused() {
    let c = ctx("resource", "configure");
    let mut out = Output::default();
    out.status().field("kratix", json!({}));
    let err = out.commit(&c, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"status.kratix: "kratix": is managed by Kratix, which fails the pipeline when a step writes it"#
    );

    let mut out = Output::default();
    out.status().condition("Reconciled", true, "Done", "ok");
    let err = out.commit(&c, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"status.conditions.type: "Reconciled": is a condition Kratix sets itself"#
    );
    assert!(!c.root.exists(), "nothing written");
}

#[test]
fn steps_of_one_pipeline_merge_status_and_conditions_by_type() {
    let c = ctx("resource", "configure");
    let mut first = Output::default();
    first.status().field("phase", "Validating").condition(
        "Valid",
        true,
        "Checked",
        "request is valid",
    );
    first.commit(&c, None).unwrap();

    let current = json!({"conditions": [
        {"type": "Valid", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}
    ]});
    let mut second = Output::default();
    second
        .status()
        .field("phase", "Provisioning")
        .condition("Valid", true, "Checked", "still valid")
        .condition("Ready", false, "Provisioning", "waiting");
    second.commit(&c, Some(&current)).unwrap();
    assert_eq!(
        read(&c, "metadata/status.yaml"),
        "conditions:\n\
         - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n  message: still valid\n  reason: Checked\n  status: \"True\"\n  type: Valid\n\
         - lastTransitionTime: \"2026-11-25T07:07:45Z\"\n  message: waiting\n  reason: Provisioning\n  status: \"False\"\n  type: Ready\n\
         phase: Provisioning\n"
    );
    fs::remove_dir_all(&c.root).unwrap();
}

#[test]
fn promise_workflows_keep_only_message() {
    let c = ctx("promise", "configure");
    let mut out = Output::default();
    out.status().message("configured").field("phase", "Ready");
    let err = out.commit(&c, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"status.phase: "phase": Kratix keeps only `message` in a Promise's status; other keys are pruned"#
    );

    let mut out = Output::default();
    out.status().message("configured");
    out.commit(&c, None).unwrap();
    assert_eq!(read(&c, "metadata/status.yaml"), "message: configured\n");
    fs::remove_dir_all(&c.root).unwrap();
}

#[test]
fn delete_workflows_cannot_write_output_or_selectors() {
    let c = ctx("resource", "delete");
    let mut out = Output::default();
    out.write("leftover.yaml", &json!({"a": 1})).unwrap();
    let err = out.commit(&c, None).unwrap_err();
    assert!(
        err.to_string().starts_with(
            r#"output: "leftover.yaml": Kratix ignores the output of delete workflows"#
        ),
        "{err}"
    );

    let mut out = Output::default();
    out.select(Some("platform"), [("environment", "platform")]);
    assert!(
        out.commit(&c, None)
            .unwrap_err()
            .to_string()
            .contains("ignores destination selectors")
    );
}

#[test]
fn destination_selectors_follow_kratix_rules() {
    let c = ctx("resource", "configure");
    let mut out = Output::default();
    out.write(
        "platform/xdatabase.yaml",
        &json!({"kind": "XDatabase", "metadata": {"name": "x"}}),
    )
    .unwrap();
    out.select(Some("platform/nested"), [("environment", "platform")]);
    let err = out.commit(&c, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("must be one top-level directory name"),
        "{err}"
    );

    let mut out = Output::default();
    out.select(Some("platform"), Vec::<(String, String)>::new());
    assert!(
        out.commit(&c, None)
            .unwrap_err()
            .to_string()
            .contains("must not be empty")
    );

    let mut out = Output::default();
    out.write(
        "platform/xdatabase.yaml",
        &json!({"kind": "XDatabase", "metadata": {"name": "x"}}),
    )
    .unwrap();
    out.select(Some("platform"), [("environment", "platform")]);
    out.commit(&c, None).unwrap();
    assert_eq!(
        read(&c, "metadata/destination-selectors.yaml"),
        "- directory: platform\n  matchLabels:\n    environment: platform\n"
    );

    let mut later = Output::default();
    later.select(Some("platform"), [("environment", "dev")]);
    let err = later.commit(&c, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("already selected with other labels"),
        "{err}"
    );
    fs::remove_dir_all(&c.root).unwrap();
}

#[test]
fn workflow_control_is_written_in_go_duration_syntax() {
    let c = ctx("resource", "configure");
    let mut out = Output::default();
    out.control(WorkflowControl {
        suspend: false,
        retry_after: Some(GoDuration::from_secs(300)),
        message: Some("waiting for the database".into()),
    });
    out.commit(&c, None).unwrap();
    assert_eq!(
        read(&c, "metadata/workflow-control.yaml"),
        "retryAfter: 5m0s\nmessage: waiting for the database\n"
    );
    fs::remove_dir_all(&c.root).unwrap();
}

#[test]
fn output_paths_stay_inside_the_output_folder() {
    let mut out = Output::default();
    for bad in [
        "",
        "..",
        "../x.yaml",
        "/abs.yaml",
        "a/../../x",
        "a\\b",
        "nul\0",
    ] {
        assert!(out.write(bad, &1).is_err(), "{bad:?}");
    }
    out.write("./a/b.yaml", &1).unwrap();
    assert!(out.files().contains_key("a/b.yaml"));
    assert!(
        out.write("a/b.yaml", &2)
            .unwrap_err()
            .to_string()
            .contains("written twice")
    );
}

#[test]
fn a_file_and_a_directory_of_one_name_are_refused_before_anything_is_written() {
    let mut out = Output::default();
    out.write("b", &json!({"a": 1})).unwrap();
    let err = out.write("b/c.yaml", &json!({"a": 1})).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"output: "b/c.yaml": conflicts with "b": one would be a file and a directory"#
    );
    // The other way round too; a name that only starts alike is no conflict.
    out.write("d/e.yaml", &json!({"a": 1})).unwrap();
    let err = out.write("d", &json!({"a": 1})).unwrap_err();
    assert!(
        err.to_string().contains(r#"conflicts with "d/e.yaml""#),
        "{err}"
    );
    out.write("bc/d.yaml", &json!({"a": 1})).unwrap();
    out.write("de", &json!({"a": 1})).unwrap();
}

#[test]
fn directories_are_read_as_kratix_cleans_them() {
    let c = ctx("resource", "configure");
    let mut out = Output::default();
    out.write(
        "platform/x.yaml",
        &json!({"kind": "X", "metadata": {"name": "x"}}),
    )
    .unwrap();
    out.select(Some("./platform/"), [("environment", "platform")]);
    out.select(Some("."), [("environment", "dev")]);
    out.commit(&c, None).unwrap();
    assert_eq!(
        read(&c, "metadata/destination-selectors.yaml"),
        "- directory: platform\n  matchLabels:\n    environment: platform\n- matchLabels:\n    environment: dev\n"
    );
    fs::remove_dir_all(&c.root).unwrap();
}

#[test]
fn the_clock_is_pinned_by_its_variable() {
    let vars = |now: &'static str| {
        move |n: &str| {
            [
                ("KRATIX_WORKFLOW_ACTION", "configure"),
                ("KRATIX_WORKFLOW_TYPE", "resource"),
                ("KRATIX_PROMISE_NAME", "database"),
                ("KRATIX_PIPELINE_NAME", "configure"),
                (NOW_VAR, now),
            ]
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, v)| v.to_string())
        }
    };
    let ctx = Context::from_vars(vars("2026-01-01T00:00:00Z")).unwrap();
    assert_eq!(
        ctx.now,
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600)
    );
    let mut out = Output::default();
    out.status().condition("Ready", true, "Done", "ok");
    let c = Context {
        root: self::ctx("resource", "configure").root,
        ..ctx
    };
    out.commit(&c, None).unwrap();
    let status: serde_json::Value =
        serde_saphyr::from_str(&read(&c, "metadata/status.yaml")).unwrap();
    assert_eq!(
        status["conditions"][0]["lastTransitionTime"],
        "2026-01-01T00:00:00Z"
    );
    let err = Context::from_vars(vars("yesterday")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "PROMISE_RS_NOW: \"yesterday\": must be an RFC 3339 time, such as 2026-01-01T00:00:00Z"
    );
}
