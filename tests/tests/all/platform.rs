//! The platform definition: every rendered object valid against its owner's CRD, paths that
//! agree by construction, no secret value anywhere, Kratix's rules at render time, and every
//! selector a promise or a step uses matched by a Destination.

use std::collections::BTreeMap;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, JSONSchemaProps,
};
use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::pipeline::{WorkflowAction, WorkflowType};
use promise_core::platform::{
    Destination, FilepathMode, GitAuth, KratixInstall, Platform, SecretRef, StateStore, StoreRef,
};
use promise_core::render::render;
use promise_core::schema::{apply_defaults, validate_object};
use promise_local::{self as local, InProcess, RunOptions};
use serde_json::Value;

fn rendered_platform() -> BTreeMap<String, String> {
    promises::platform::definition()
        .render()
        .unwrap_or_else(|p| panic!("{p}"))
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("rendered YAML parses")
}

/// The CRDs of each kind the platform renders, from `../shared/upstream`.
fn owner_crds() -> Option<BTreeMap<String, CustomResourceDefinition>> {
    let upstream = promise_tests::upstream()?;
    let mut crds = BTreeMap::new();
    for file in [
        "kratix/platform.kratix.io_destinations.yaml",
        "kratix/platform.kratix.io_gitstatestores.yaml",
        "kratix/platform.kratix.io_bucketstatestores.yaml",
        "argocd/application-crd.yaml",
        "argocd/applicationset-crd.yaml",
        "argocd/appproject-crd.yaml",
        "prometheus-operator/monitoring.coreos.com_servicemonitors.yaml",
        "external-secrets/external-secrets.io_externalsecrets.yaml",
    ] {
        let path = upstream.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let crd: CustomResourceDefinition =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for version in &crd.spec.versions {
            let key = format!(
                "{}/{} {}",
                crd.spec.group, version.name, crd.spec.names.kind
            );
            crds.insert(key, crd.clone());
        }
    }
    Some(crds)
}

/// Checks `object` as the apiserver would against its owner's CRD (defaults applied, then
/// validated), panicking with `what` and every violation; its `apiVersion kind` and schema.
fn assert_admitted<'a>(
    crds: &'a BTreeMap<String, CustomResourceDefinition>,
    what: &str,
    object: &mut Value,
) -> (String, &'a JSONSchemaProps) {
    let api_version = object["apiVersion"].as_str().expect("apiVersion");
    let key = format!("{api_version} {}", object["kind"].as_str().expect("kind"));
    let crd = crds
        .get(&key)
        .unwrap_or_else(|| panic!("{what}: no upstream CRD for {key}"));
    let version = api_version.rsplit('/').next().expect("version");
    let schema = crd
        .spec
        .versions
        .iter()
        .find(|v| v.name == version)
        .and_then(|v| v.schema.as_ref()?.open_api_v3_schema.as_ref())
        .expect("schema");
    apply_defaults(object, schema);
    let violations = validate_object(object, schema);
    assert!(violations.is_empty(), "{what}: {violations:#?}");
    (key, schema)
}

/// The example file the README gives `cargo xtask run --destinations` is what Kratix's own
/// CRDs accept (`tests/golden/team-namespace/own-destinations` pins a run over it).
#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn the_example_destinations_file_validates_against_kratix_crds() {
    let Some(crds) = owner_crds() else { return };
    let path = "tests/examples/destinations.yaml";
    let text = std::fs::read_to_string(promise_tests::workspace_root().join(path)).expect(path);
    let documents: Vec<Value> = serde_saphyr::from_multiple(&text).expect("YAML");
    let mut kinds = std::collections::BTreeSet::new();
    for (i, mut object) in documents.into_iter().enumerate() {
        let (key, _) = assert_admitted(&crds, &format!("{path}, document {i}"), &mut object);
        kinds.insert(key);
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "platform.kratix.io/v1alpha1 BucketStateStore",
            "platform.kratix.io/v1alpha1 Destination",
            "platform.kratix.io/v1alpha1 GitStateStore",
        ]
    );
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn every_platform_object_validates_against_its_owners_crd() {
    let Some(crds) = owner_crds() else { return };
    let files = rendered_platform();
    let mut kinds = std::collections::BTreeSet::new();
    for (path, text) in &files {
        let mut object = yaml(text);
        if path.ends_with("required-secrets.yaml") {
            continue;
        }
        let (key, schema) = assert_admitted(&crds, path, &mut object);
        // The check can fail: the manual's misspelling is refused by the same schema.
        let mut misspelt = object.clone();
        misspelt["spec"]["authSecretRef"] = serde_json::json!({"name": "x"});
        assert!(
            !validate_object(&misspelt, schema).is_empty(),
            "{path}: an unknown spec field passed"
        );
        kinds.insert(key);
    }
    for kind in [
        "platform.kratix.io/v1alpha1 Destination",
        "platform.kratix.io/v1alpha1 GitStateStore",
        "platform.kratix.io/v1alpha1 BucketStateStore",
        "argoproj.io/v1alpha1 Application",
        "monitoring.coreos.com/v1 ServiceMonitor",
        "external-secrets.io/v1 ExternalSecret",
    ] {
        assert!(kinds.contains(kind), "{kind} was not rendered: {kinds:?}");
    }
}

/// The manual's mistakes, fixed where they bite: `secretRef` (not `authSecretRef`), and an
/// Application for each Destination reading exactly the folder Kratix writes.
#[test]
fn the_shipped_platform_wires_kratix_to_argo_cd() {
    let files = rendered_platform();
    let store = yaml(&files["platform/state-stores/default.yaml"]);
    assert_eq!(store["spec"]["secretRef"]["name"], "git-credentials");
    assert!(store["spec"].get("authSecretRef").is_none());
    for (name, path, server) in [
        (
            "platform-cluster",
            "platform",
            "https://kubernetes.default.svc",
        ),
        ("worker-dev", "clusters/dev", "https://dev-cluster-api:6443"),
        (
            "worker-staging",
            "clusters/staging",
            "https://staging-cluster-api:6443",
        ),
        (
            "worker-prod",
            "clusters/prod",
            "https://prod-cluster-api:6443",
        ),
    ] {
        let destination = yaml(&files[&format!("platform/destinations/{name}.yaml")]);
        assert_eq!(destination["spec"]["path"], path);
        let app = yaml(&files[&format!("platform/argocd/{name}.yaml")]);
        assert_eq!(app["spec"]["source"]["path"], path, "{name}");
        assert_eq!(
            app["spec"]["source"]["repoURL"], store["spec"]["url"],
            "{name}"
        );
        assert_eq!(
            app["spec"]["source"]["targetRevision"],
            store["spec"]["branch"]
        );
        assert_eq!(app["spec"]["source"]["directory"]["recurse"], true);
        assert_eq!(app["spec"]["destination"]["server"], server);
    }
}

#[test]
fn an_application_follows_its_destination_and_store() {
    let mut platform = promises::platform::definition();
    for store in &mut platform.state_stores {
        if store.name() == promises::platform::STATE_STORE {
            *store = store.clone().path("kratix/");
        }
    }
    let dev = platform
        .destinations
        .iter_mut()
        .find(|d| d.name == "worker-dev")
        .expect("worker-dev");
    dev.path = "workers/dev-eu".into();
    let files = platform.render().unwrap_or_else(|p| panic!("{p}"));
    let app = yaml(&files["platform/argocd/worker-dev.yaml"]);
    assert_eq!(app["spec"]["source"]["path"], "kratix/workers/dev-eu");
    let store = yaml(&files["platform/state-stores/default.yaml"]);
    assert_eq!(store["spec"]["path"], "kratix");
    // And the local runner writes where the Application reads.
    let local = local::platform_destinations(&platform);
    let dev = local.iter().find(|d| d.name == "worker-dev").expect("dev");
    assert_eq!(dev.path, "kratix/workers/dev-eu");
}

#[test]
fn no_secret_value_appears_anywhere_in_rendered() {
    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    assert!(rendered.files.keys().any(|p| p.starts_with("platform/")));
    for (path, text) in &rendered.files {
        for doc in text.split("\n---\n") {
            let Ok(object) = serde_saphyr::from_str::<Value>(doc) else {
                continue;
            };
            assert_ne!(object["kind"], "Secret", "{path}");
        }
        for needle in [
            "glpat-",
            "ghp_",
            "minioadmin",
            "-----BEGIN",
            "stringData",
            "authSecretRef",
        ] {
            assert!(!text.contains(needle), "{path} contains {needle:?}");
        }
    }
}

#[test]
fn a_secret_value_fails_the_render() {
    let platform = Platform::new(KratixInstall::manifests("v0.17.0")).state_store(StateStore::git(
        "default",
        "https://git.example.com/state.git",
        GitAuth::BasicAuth,
        SecretRef::new("glpat-abcdefghijklmnop", "kratix-platform-system"),
    ));
    let err = platform.render().expect_err("a token in the output");
    assert!(err.to_string().contains("looks like a credential"), "{err}");
}

fn small(destinations: Vec<Destination>) -> Platform {
    let mut platform = Platform::new(KratixInstall::manifests("v0.17.0"))
        .state_store(StateStore::git(
            "default",
            "https://git.example.com/state.git",
            GitAuth::BasicAuth,
            SecretRef::new("git-credentials", "kratix-platform-system"),
        ))
        .state_store(StateStore::bucket(
            "minio",
            "minio.example.com:9000",
            "kratix",
            SecretRef::new("minio-credentials", "kratix-platform-system"),
        ))
        .cluster(promise_core::platform::Cluster::new(
            "dev",
            "https://dev:6443",
        ));
    for destination in destinations {
        platform = platform.destination(destination);
    }
    platform
}

#[test]
fn kratix_rules_are_checked_at_render_time() {
    let cases: Vec<(Destination, Option<Destination>, &str)> = vec![
        (
            Destination::new("a", StoreRef::git("default"), ""),
            None,
            "is required by Kratix's webhook",
        ),
        (
            Destination::new("a", StoreRef::git("default"), "clusters/dev"),
            Some(Destination::new(
                "b",
                StoreRef::git("default"),
                "/clusters/dev/",
            )),
            "Kratix requires a path unique per state store",
        ),
        (
            Destination::new("a", StoreRef::git("default"), "clusters"),
            Some(Destination::new(
                "b",
                StoreRef::git("default"),
                "clusters/dev",
            )),
            "overlaps a's folder",
        ),
        (
            Destination::new("a", StoreRef::bucket("default"), "x"),
            None,
            "names a BucketStateStore, but default is a GitStateStore",
        ),
        (
            Destination::new("a", StoreRef::git("nowhere"), "x"),
            None,
            "no GitStateStore of that name; the platform has default, minio",
        ),
        (
            Destination::new("a", StoreRef::git("default"), "x").synced_to("prod"),
            None,
            "no such cluster; the platform has dev",
        ),
        (
            Destination::new("a", StoreRef::bucket("minio"), "x").synced_to("dev"),
            None,
            "Argo CD syncs from Git repositories",
        ),
        (
            Destination::new("a", StoreRef::git("default"), "x").filepath(
                FilepathMode::AggregatedYaml {
                    filename: "a/b.yaml".into(),
                },
            ),
            None,
            "must be a file name",
        ),
        (
            Destination::new("a", StoreRef::git("default"), "../x"),
            None,
            "must be a folder inside the state store",
        ),
    ];
    for (first, second, rule) in cases {
        let platform = small([Some(first), second].into_iter().flatten().collect());
        let err = platform.render().expect_err(rule).to_string();
        assert!(err.contains(rule), "expected {rule:?} in:\n{err}");
    }
    // The same Destinations in different stores may share a path.
    let ok = small(vec![
        Destination::new("a", StoreRef::git("default"), "x"),
        Destination::new("b", StoreRef::bucket("minio"), "x"),
    ]);
    assert!(ok.render().is_ok());
}

#[test]
fn a_promise_selector_no_destination_matches_fails_the_render() {
    let catalog = Catalog::new()
        .image(promise_tests::TEST_IMAGE)
        .with(
            PromiseDefinition::builder("gpu-jobs")
                .version("v1")
                .destination_selector([("accelerator", "gpu")])
                .build(),
        )
        .platform(promises::platform::definition());
    let err = render(&catalog)
        .expect_err("no gpu destination")
        .to_string();
    assert!(
        err.contains("promise \"gpu-jobs\": spec.destinationSelectors = \"accelerator=gpu\": no Destination of the platform matches"),
        "{err}"
    );
    assert!(
        err.contains("worker-prod {critical=true, environment=prod}"),
        "{err}"
    );
}

/// Every selector a step writes, for every value of every enum in every promise's API, is
/// matched by a Destination of the shipped platform: nothing a request does is unscheduled.
#[test]
fn every_selector_a_step_writes_matches_a_destination() {
    let catalog = promises::catalog();
    let rendered = render(&catalog).unwrap_or_else(|p| panic!("{p}"));
    let mut runs = 0;
    for definition in catalog.promises() {
        let name = definition.name();
        let Some(example) = rendered.files.get(&format!("{name}/example-request.yaml")) else {
            continue;
        };
        let promise = yaml(&rendered.files[&format!("{name}/promise.yaml")]);
        let spec_schema = &promise["spec"]["api"]["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
            ["properties"]["spec"]["properties"];
        let mut variants = vec![yaml(example)];
        for (field, schema) in spec_schema.as_object().into_iter().flatten() {
            for value in schema["enum"].as_array().into_iter().flatten() {
                let mut request = yaml(example);
                request["spec"][field] = value.clone();
                variants.push(request);
            }
        }
        for request in variants {
            let text = promise_core::yaml::to_string(&request).expect("yaml");
            let Ok(report) = crate::pipeline::configure(&promise, &text, None) else {
                continue;
            };
            if report.outcome != local::Outcome::Completed {
                // A step refused the combination (prod needs medium or large): nothing to place.
                continue;
            }
            runs += 1;
            for placement in &report.placements {
                assert!(
                    !placement.chosen.is_empty(),
                    "{name}: {:?} of {} matched no Destination",
                    placement.selectors,
                    placement.pipeline
                );
            }
        }
    }
    assert!(runs >= 9, "{runs} runs");
}

#[test]
fn the_runner_lays_files_out_by_each_destinations_filepath_mode() {
    let yaml_docs = "apiVersion: platform.kratix.io/v1alpha1\nkind: GitStateStore\nmetadata: {name: default}\nspec: {url: 'https://x/y.git', path: state}\n---\napiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: flat\n  labels: {environment: dev}\nspec:\n  path: flat\n  stateStoreRef: {kind: GitStateStore, name: default}\n  filepath: {mode: none}\n---\napiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: one-file\n  labels: {environment: dev, tier: one}\nspec:\n  path: one\n  stateStoreRef: {kind: GitStateStore, name: default}\n  filepath: {mode: aggregatedYAML, filename: all.yaml}\n";
    let destinations = local::parse_destinations(yaml_docs).expect("destinations");
    assert_eq!(destinations[0].path, "state/flat");
    let catalog = promises::catalog();
    let promise = yaml(&render(&catalog).expect("render").files["team-namespace/promise.yaml"]);
    let request = std::fs::read_to_string(
        promise_tests::workspace_root().join("rendered/team-namespace/example-request.yaml"),
    )
    .expect("request");
    for (only, expect) in [
        (
            "flat",
            vec![
                "state/flat/namespace.yaml",
                "state/flat/network-policy.yaml",
                "state/flat/quota.yaml",
            ],
        ),
        ("one-file", vec!["state/one/all.yaml"]),
    ] {
        let options = RunOptions {
            workflow_type: WorkflowType::Resource,
            action: WorkflowAction::Configure,
            destinations: destinations
                .iter()
                .filter(|d| d.name == only)
                .cloned()
                .collect(),
            now: None,
            stand_ins: Default::default(),
        };
        let report = local::run(
            &promise,
            Some(&request),
            &options,
            &mut InProcess(&catalog),
            &mut |_| {},
        )
        .expect("runs");
        let paths: Vec<&str> = report.state_store.keys().map(String::as_str).collect();
        assert_eq!(paths, expect, "{only}");
        if only == "one-file" {
            let all = &report.state_store["state/one/all.yaml"];
            assert_eq!(all.matches("kind: ").count(), 3, "{all}");
        }
    }
}

#[test]
fn strict_destinations_are_reported_with_what_they_refuse() {
    let platform = small(vec![
        Destination::new("gold", StoreRef::git("default"), "gold")
            .label("tier", "gold")
            .strict_match_labels(),
        Destination::new("open", StoreRef::git("default"), "open").label("tier", "silver"),
    ]);
    let report = platform.strict_report(&[
        ("team-namespace", BTreeMap::new()),
        (
            "database",
            BTreeMap::from([("tier".to_string(), "gold".to_string())]),
        ),
    ]);
    assert_eq!(
        report,
        [
            "destination gold has strictMatchLabels: it refuses work without selectors, such as the output of promises without destinationSelectors (team-namespace) unless a step selects it"
        ]
    );
}

#[test]
fn kratix_installs_from_its_manifests_or_its_chart() {
    let manifests = yaml(&rendered_platform()["platform/kratix.yaml"]);
    assert_eq!(manifests["spec"]["source"]["path"], "distribution");
    assert_eq!(
        manifests["spec"]["source"]["directory"]["include"],
        "kratix.yaml"
    );
    let mut platform = promises::platform::definition();
    platform.kratix =
        KratixInstall::chart("https://syntasso.github.io/helm-charts", "kratix", "0.1.0");
    let files = platform.render().unwrap_or_else(|p| panic!("{p}"));
    let chart = yaml(&files["platform/kratix.yaml"]);
    assert_eq!(chart["spec"]["source"]["chart"], "kratix");
    assert_eq!(chart["spec"]["source"]["targetRevision"], "0.1.0");
    assert!(chart["spec"]["source"].get("path").is_none());
}
