//! The local runner fails where Kratix fails, checked against Kratix's work-creator
//! (`work-creator/lib/work_creator.go`): a container of any image may write anything into
//! `/kratix/metadata`, so these drive the runner with a stand-in container.

use std::path::PathBuf;

use promise_core::pipeline::{WorkflowAction, WorkflowType};
use promise_local::{self as local, ContainerCall, ContainerResult, Executor, Outcome, RunOptions};

use crate::pipeline::{configure, rendered_promise};

/// A container that writes the given files under its `KRATIX_ROOT`.
struct Writes(Vec<(&'static str, &'static str)>);

impl Executor for Writes {
    fn run(&mut self, call: &ContainerCall<'_>) -> ContainerResult {
        let root = call
            .env
            .iter()
            .find(|(k, _)| k == "KRATIX_ROOT")
            .map(|(_, v)| PathBuf::from(v))
            .expect("KRATIX_ROOT");
        for (path, content) in &self.0 {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(file, content).expect("write");
        }
        ContainerResult {
            success: true,
            ..ContainerResult::default()
        }
    }
}

/// The team-namespace example request, run with a container that writes `files`.
fn run_with(files: Vec<(&'static str, &'static str)>) -> local::RunReport {
    let request = std::fs::read_to_string(
        promise_tests::workspace_root().join("rendered/team-namespace/example-request.yaml"),
    )
    .expect("request");
    configure(
        &rendered_promise("team-namespace"),
        &request,
        Some(&mut Writes(files)),
    )
    .expect("admitted")
}

#[test]
fn a_selected_directory_missing_from_the_output_fails_the_pipeline() {
    let outcome = run_with(vec![
        ("output/namespace.yaml", "kind: Namespace\n"),
        (
            "metadata/destination-selectors.yaml",
            "- directory: platform\n  matchLabels: {environment: platform}\n",
        ),
    ])
    .outcome;
    match outcome {
        Outcome::Failed(message) => assert!(
            message.contains(
                "selects directory \"platform\", which is not a directory in /kratix/output"
            ),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_directory_selected_twice_fails_even_when_the_entries_are_identical() {
    let outcome = run_with(vec![
        ("output/platform/db.yaml", "kind: X\n"),
        (
            "metadata/destination-selectors.yaml",
            "- directory: platform\n  matchLabels: {environment: platform}\n- directory: platform/\n  matchLabels: {environment: platform}\n",
        ),
    ]).outcome;
    match outcome {
        Outcome::Failed(message) => assert!(message.contains("appears twice"), "{message}"),
        other => panic!("{other:?}"),
    }
    // Two default-group entries are duplicates too (both clean to `.`).
    let outcome = run_with(vec![
        ("output/a.yaml", "kind: X\n"),
        (
            "metadata/destination-selectors.yaml",
            "- matchLabels: {environment: dev}\n- matchLabels: {environment: dev}\n",
        ),
    ])
    .outcome;
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
}

#[test]
fn the_work_is_written_before_a_kratix_status_key_fails_the_pipeline() {
    let report = run_with(vec![
        ("output/namespace.yaml", "kind: Namespace\n"),
        ("metadata/status.yaml", "kratix: {}\n"),
    ]);
    assert!(
        matches!(report.outcome, Outcome::Failed(_)),
        "{:?}",
        report.outcome
    );
    // Kratix's work-writer (an init container) ran before its status-writer.
    assert_eq!(
        report.state_store.len(),
        1,
        "{:?}",
        report.state_store.keys()
    );
}

fn noop(
    _: &promise_core::pipeline::PromiseRequest,
    _: &mut promise_core::pipeline::Output,
) -> Result<(), promise_core::pipeline::StepError> {
    Ok(())
}

#[test]
fn a_promise_workflow_completes_with_the_condition_kratix_sets() {
    use promise_core::catalog::{Catalog, PromiseDefinition};
    use promise_core::pipeline::{PipelineDef, Step};
    let catalog = Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("shared-dns")
            .version("v1")
            .destination_selector([("environment", "platform")])
            .promise_configure(PipelineDef::new("setup").step(Step::promise("noop", noop)))
            .build(),
    );
    let rendered = promise_core::render::render(&catalog).unwrap_or_else(|p| panic!("{p}"));
    let promise: serde_json::Value =
        serde_saphyr::from_str(&rendered.files["shared-dns/promise.yaml"]).expect("yaml");
    let options = RunOptions::new(
        WorkflowType::Promise,
        WorkflowAction::Configure,
        crate::pipeline::destinations(),
    );
    let report = local::run(
        &promise,
        None,
        &options,
        &mut Writes(vec![(
            "metadata/status.yaml",
            "message: ready\nother: pruned\n",
        )]),
        &mut |_| {},
    )
    .expect("runs");
    assert_eq!(report.outcome, Outcome::Completed);
    assert_eq!(report.status["message"], "ready");
    assert!(report.status.get("other").is_none(), "{}", report.status);
    assert_eq!(
        report.status["conditions"][0]["type"], "ConfigureWorkflowCompleted",
        "{}",
        report.status
    );
}

/// A container that records the variables it got.
struct Records(Vec<(String, String)>);

impl Executor for Records {
    fn run(&mut self, call: &ContainerCall<'_>) -> ContainerResult {
        self.0 = call.env.to_vec();
        ContainerResult {
            success: true,
            ..ContainerResult::default()
        }
    }
}

#[test]
fn local_runs_pin_the_clock() {
    let request = std::fs::read_to_string(
        promise_tests::workspace_root().join("rendered/team-namespace/example-request.yaml"),
    )
    .expect("request");
    let mut records = Records(Vec::new());
    configure(
        &rendered_promise("team-namespace"),
        &request,
        Some(&mut records),
    )
    .expect("runs");
    assert!(
        records
            .0
            .contains(&("PROMISE_RS_NOW".to_string(), local::PINNED_NOW.to_string())),
        "{:?}",
        records.0
    );
}
