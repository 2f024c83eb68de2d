//! Properties over generated input: no step panics on any bytes or any YAML, a valid request
//! run twice gives the same output, and rendering does not depend on the catalog's order.

use std::fs;
use std::sync::LazyLock;

use promise_core::catalog::Catalog;
use promise_core::pipeline::dispatch;
use promise_core::render::{Rendered, render};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A rendered container: its promise, pipeline, action, arguments and rendered variables.
type Container = (String, String, String, Vec<String>, Vec<(String, String)>);

/// The catalog, built once for every generated case.
static CATALOG: LazyLock<Catalog> = LazyLock::new(promises::catalog);

/// The catalog rendered once: what every case compares with or runs.
static RENDERED: LazyLock<Rendered> =
    LazyLock::new(|| render(&CATALOG).unwrap_or_else(|p| panic!("{p}")));

/// Every container of every resource workflow.
static CONTAINERS: LazyLock<Vec<Container>> = LazyLock::new(containers);

fn containers() -> Vec<Container> {
    let rendered = &*RENDERED;
    let mut out = Vec::new();
    for (path, text) in rendered
        .files
        .iter()
        .filter(|(p, _)| p.ends_with("/promise.yaml"))
    {
        let promise: Value = serde_saphyr::from_str(text).expect("yaml");
        let name = path.trim_end_matches("/promise.yaml").to_string();
        for action in ["configure", "delete"] {
            for pipeline in promise["spec"]["workflows"]["resource"][action]
                .as_array()
                .into_iter()
                .flatten()
            {
                for container in pipeline["spec"]["containers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    let args = container["args"]
                        .as_array()
                        .expect("args")
                        .iter()
                        .map(|a| a.as_str().expect("arg").to_string())
                        .collect();
                    let env = container["env"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|e| {
                            Some((
                                e["name"].as_str()?.to_string(),
                                e["value"].as_str()?.to_string(),
                            ))
                        })
                        .collect();
                    let pipeline_name = pipeline["metadata"]["name"]
                        .as_str()
                        .expect("name")
                        .to_string();
                    out.push((name.clone(), pipeline_name, action.to_string(), args, env));
                }
            }
        }
    }
    out
}

/// Runs every container on `input`; each must succeed or fail cleanly, never panic.
fn every_step_handles(catalog: &Catalog, input: &[u8]) -> Result<(), TestCaseError> {
    for (promise, pipeline, action, args, env) in CONTAINERS.iter() {
        let root = crate::pipeline::kratix_root(input);
        let mut vars = env.clone();
        vars.extend([
            ("KRATIX_ROOT".to_string(), root.display().to_string()),
            ("KRATIX_WORKFLOW_ACTION".to_string(), action.clone()),
            ("KRATIX_WORKFLOW_TYPE".to_string(), "resource".to_string()),
            ("KRATIX_PROMISE_NAME".to_string(), promise.clone()),
            ("KRATIX_PIPELINE_NAME".to_string(), pipeline.clone()),
        ]);
        let var = |n: &str| vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            dispatch::run(catalog, args, var)
        }));
        let _ = fs::remove_dir_all(&root);
        match result {
            Err(_) => return Err(TestCaseError::fail(format!("{promise}/{args:?} panicked"))),
            Ok(Err(error)) if error.to_string().contains("panicked") => {
                return Err(TestCaseError::fail(format!(
                    "{promise}/{args:?}: a step panicked: {error}"
                )));
            }
            Ok(Err(error)) if error.rule.is_empty() => {
                return Err(TestCaseError::fail("an error without a rule"));
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// JSON values of every shape, with strings that look like YAML, numbers, booleans and nulls.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        prop_oneof![
            Just("on".to_string()),
            Just("null".to_string()),
            Just("prod".to_string()),
            Just("small".to_string()),
            Just("postgres".to_string()),
            Just("a\nkind: Secret".to_string()),
            "[a-z0-9-]{0,70}",
            ".{0,40}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("name".to_string()),
                    Just("size".to_string()),
                    Just("environment".to_string()),
                    Just("engine".to_string()),
                    Just("version".to_string()),
                    Just("teamName".to_string()),
                    Just("appName".to_string()),
                    Just("team".to_string()),
                    Just("components".to_string()),
                    "[a-zA-Z]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        every_step_handles(&CATALOG, &bytes)?;
    }

    #[test]
    fn arbitrary_yaml_never_panics(spec in any_value(), kind in prop_oneof![Just("Database"), Just("TeamNamespace"), Just("AppEnvironment")]) {
        let request = json!({
            "apiVersion": "platform.aleklab.com/v1alpha1",
            "kind": kind,
            "metadata": {"name": "req", "namespace": "default"},
            "spec": spec,
        });
        let yaml = promise_core::yaml::to_string(&request).expect("yaml");
        every_step_handles(&CATALOG, yaml.as_bytes())?;
    }

    #[test]
    fn a_valid_request_run_twice_gives_identical_output(
        name in "[a-z][a-z0-9-]{0,40}[a-z0-9]",
        engine in prop_oneof![Just("postgres"), Just("mysql")],
        size in prop_oneof![Just("small"), Just("medium"), Just("large")],
        environment in prop_oneof![Just("dev"), Just("staging"), Just("prod")],
    ) {
        let request = json!({
            "apiVersion": "platform.aleklab.com/v1alpha1",
            "kind": "Database",
            "metadata": {"name": "req", "namespace": "default"},
            "spec": {"name": name, "engine": engine, "size": size, "environment": environment},
        });
        let root = crate::pipeline::kratix_root(promise_core::yaml::to_string(&request).expect("yaml").as_bytes());
        let first = crate::pipeline::run_workflow("database", "resource", "configure", &root);
        let first_files = crate::pipeline::written(&root);
        let second = crate::pipeline::run_workflow("database", "resource", "configure", &root);
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(first_files, crate::pipeline::written(&root));
        fs::remove_dir_all(&root).expect("cleanup");
    }

    #[test]
    fn rendering_does_not_depend_on_the_catalog_order(seed in any::<u64>()) {
        let catalog = &*CATALOG;
        let mut definitions = catalog.promises().to_vec();
        // A shuffle driven by the seed, over however many promises the catalog holds.
        let mut state = seed | 1;
        for i in (1..definitions.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            definitions.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut shuffled = Catalog::new();
        if let Some(image) = catalog.pipeline_image() {
            shuffled = shuffled.image(image);
        }
        if let Some(platform) = catalog.platform_definition() {
            shuffled = shuffled.platform(platform.clone());
        }
        let shuffled = definitions.into_iter().fold(shuffled, Catalog::with);
        let expected = &*RENDERED;
        let actual = render(&shuffled).expect("render");
        prop_assert_eq!(actual.files.keys().collect::<Vec<_>>(), expected.files.keys().collect::<Vec<_>>());
        for (path, text) in &expected.files {
            let diff = similar::TextDiff::from_lines(text, &actual.files[path]).unified_diff().to_string();
            prop_assert!(diff.is_empty(), "{} differs:\n{}", path, diff);
        }
    }
}
