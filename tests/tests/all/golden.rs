//! Golden directories (`tests/golden/<promise>/<case>/`): each promise's example request run
//! through its workflow exactly as `cargo xtask run` runs it, pinned whole: what each
//! Destination's state store receives, the final status, and the schedule. Rewrite them with
//! `cargo xtask run <promise> --input <request> --expect tests/golden/<promise>/<case> --bless`.

use std::path::Path;

use promise_core::pipeline::{WorkflowAction, WorkflowType};
use promise_core::render::render;
use promise_local::tree::check_dir;
use promise_local::{self as local, Destination, InProcess, RunOptions};
use serde_json::Value;

fn run(
    promise: &str,
    input: Option<&str>,
    workflow: WorkflowType,
    action: WorkflowAction,
    destinations: Vec<Destination>,
) -> local::RunReport {
    let catalog = promises::catalog();
    let rendered = render(&catalog).unwrap_or_else(|p| panic!("{p}"));
    let object: Value =
        serde_saphyr::from_str(&rendered.files[&format!("{promise}/promise.yaml")]).expect("yaml");
    let request = input.map(|path| {
        std::fs::read_to_string(promise_tests::workspace_root().join(path)).expect("input")
    });
    let options = RunOptions::new(workflow, action, destinations);
    local::run(
        &object,
        request.as_deref(),
        &options,
        &mut InProcess(&catalog),
        &mut |_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn assert_golden(report: &local::RunReport, case: &str) {
    let dir = promise_tests::workspace_root()
        .join("tests/golden")
        .join(case);
    assert!(Path::new(&dir).is_dir(), "{} is missing", dir.display());
    let drift = check_dir(&report.golden(), &dir).expect("read golden");
    assert!(
        drift.is_clean(),
        "{}",
        drift.with_hint("rerun `cargo xtask run` with --expect and --bless, and commit")
    );
}

#[test]
fn example_requests_match_their_golden_directories() {
    // Every promise of the catalog with an example request has a golden run.
    let catalog = promises::catalog();
    let rendered = render(&catalog).unwrap_or_else(|p| panic!("{p}"));
    let promises: Vec<&str> = catalog
        .promises()
        .iter()
        .map(|p| p.name())
        .filter(|name| {
            rendered
                .files
                .contains_key(&format!("{name}/example-request.yaml"))
        })
        .collect();
    assert!(!promises.is_empty());
    for promise in promises {
        let input = format!("rendered/{promise}/example-request.yaml");
        let report = run(
            promise,
            Some(&input),
            WorkflowType::Resource,
            WorkflowAction::Configure,
            crate::pipeline::destinations(),
        );
        assert_eq!(report.outcome, local::Outcome::Completed, "{promise}");
        assert_golden(&report, &format!("{promise}/example-request"));
    }
}

#[test]
fn every_component_goes_where_it_belongs() {
    let report = run(
        "app-environment",
        Some("tests/fixtures/app-environment/every-component-on.yaml"),
        WorkflowType::Resource,
        WorkflowAction::Configure,
        crate::pipeline::destinations(),
    );
    assert_golden(&report, "app-environment/every-component-on");
}

#[test]
fn the_example_destinations_file_lays_out_as_kratix_would() {
    // The README's `--destinations` example: dev appends every workload to one file.
    let path = "tests/examples/destinations.yaml";
    let text = std::fs::read_to_string(promise_tests::workspace_root().join(path)).expect(path);
    let destinations = local::parse_destinations(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let report = run(
        "team-namespace",
        Some("rendered/team-namespace/example-request.yaml"),
        WorkflowType::Resource,
        WorkflowAction::Configure,
        destinations,
    );
    assert_eq!(
        report.state_store.keys().collect::<Vec<_>>(),
        ["kratix/dev/workloads.yaml"]
    );
    assert_golden(&report, "team-namespace/own-destinations");
}

#[test]
fn the_promise_workflow_writes_the_static_dependencies() {
    let report = run(
        "database",
        None,
        WorkflowType::Promise,
        WorkflowAction::Configure,
        crate::pipeline::destinations(),
    );
    assert_golden(&report, "database/promise-workflow");
}

#[test]
fn ties_are_broken_by_name_and_strict_destinations_need_selectors() {
    let destination = |name: &str, labels: &str, extra: &str| {
        format!(
            "apiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: {name}\n  labels: {labels}\nspec:\n  path: {name}\n  stateStoreRef: {{kind: GitStateStore, name: default}}\n{extra}"
        )
    };
    let destinations = local::parse_destinations(&format!(
        "{}---\n{}---\n{}",
        destination("dev-b", "{environment: dev}", ""),
        destination("dev-a", "{environment: dev}", ""),
        destination("strict", "{tier: gold}", "  strictMatchLabels: true\n"),
    ))
    .expect("destinations");
    let report = run(
        "team-namespace",
        Some("rendered/team-namespace/example-request.yaml"),
        WorkflowType::Resource,
        WorkflowAction::Configure,
        destinations.clone(),
    );
    assert_eq!(report.placements.len(), 1);
    assert_eq!(report.placements[0].candidates, ["dev-a", "dev-b"]);
    assert_eq!(report.placements[0].chosen, ["dev-a"]);
    assert!(
        report
            .state_store
            .keys()
            .all(|k| k.starts_with("dev-a/resources/platform-requests/team-namespace/"))
    );
    assert!(
        !destinations[2].matches(&Default::default()),
        "a strict destination refuses selector-less work"
    );
}

#[test]
fn a_request_the_api_rejects_runs_nothing() {
    let catalog = promises::catalog();
    let rendered = render(&catalog).unwrap_or_else(|p| panic!("{p}"));
    let object: Value =
        serde_saphyr::from_str(&rendered.files["database/promise.yaml"]).expect("yaml");
    let request = std::fs::read_to_string(
        promise_tests::workspace_root().join("tests/fixtures/database/engine-oracle.yaml"),
    )
    .expect("input");
    let options = RunOptions::new(
        WorkflowType::Resource,
        WorkflowAction::Configure,
        crate::pipeline::destinations(),
    );
    let mut ran = false;
    let err = local::run(
        &object,
        Some(&request),
        &options,
        &mut InProcess(&catalog),
        &mut |_| ran = true,
    )
    .expect_err("rejected");
    let local::RunError::Invalid { violations, .. } = &err else {
        panic!("not a refusal: {err:?}");
    };
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].path.as_deref(), Some("spec.engine"));
    assert_eq!(
        err.to_string(),
        "The Database \"orders-db\" is invalid:\n* spec.engine: \"oracle\": Unsupported value: supported values: \"postgres\", \"mysql\""
    );
    assert!(!ran);
}

#[test]
fn a_request_whose_metadata_is_not_a_map_is_rejected_not_a_crash() {
    let catalog = promises::catalog();
    let rendered = render(&catalog).unwrap_or_else(|p| panic!("{p}"));
    let object: Value =
        serde_saphyr::from_str(&rendered.files["team-namespace/promise.yaml"]).expect("yaml");
    let request = "apiVersion: platform.aleklab.com/v1alpha1\nkind: TeamNamespace\nmetadata: [x]\nspec: {teamName: a, environment: dev}\n";
    let options = RunOptions::new(
        WorkflowType::Resource,
        WorkflowAction::Configure,
        crate::pipeline::destinations(),
    );
    let err = local::run(
        &object,
        Some(request),
        &options,
        &mut InProcess(&catalog),
        &mut |_| {},
    )
    .expect_err("rejected")
    .to_string();
    assert!(
        err.contains("metadata: Invalid value: must be an object with a name"),
        "{err}"
    );
}
