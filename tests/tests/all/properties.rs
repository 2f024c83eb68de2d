//! Properties over generated input: no step panics on any bytes or any YAML, a valid request
//! run twice gives the same output, and rendering does not depend on the catalog's order
//! (every order of a small catalog).
//! Requests are drawn from the catalog (its API types, schema keys and enum values, example
//! requests), so a new promise is fuzzed without naming it here.

use std::fs;
use std::path::Path;
use std::sync::LazyLock;

use promise_core::catalog::Catalog;
use promise_core::pipeline::dispatch;
use promise_core::render::render;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::compare::diff;
use crate::pipeline::{CATALOG, RENDERED, RENDERED_PROMISES};

/// A rendered container: its promise, pipeline, action, arguments and rendered variables.
type Container = (String, String, String, Vec<String>, Vec<(String, String)>);

/// Every container of every resource workflow.
static CONTAINERS: LazyLock<Vec<Container>> = LazyLock::new(containers);

/// What the catalog's APIs are made of, for generated requests that look like real ones.
struct Vocabulary {
    /// `(apiVersion, kind)` of every served API version.
    types: Vec<(String, String)>,
    /// Every property name of every spec schema.
    keys: Vec<String>,
    /// Every string an enum of a spec schema allows.
    words: Vec<String>,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut vocabulary = Vocabulary {
        types: Vec::new(),
        keys: Vec::new(),
        words: Vec::new(),
    };
    for promise in RENDERED_PROMISES.values() {
        let Some(api) = promise.pointer("/spec/api/spec") else {
            continue;
        };
        for version in api["versions"].as_array().into_iter().flatten() {
            vocabulary.types.push((
                format!(
                    "{}/{}",
                    api["group"].as_str().expect("group"),
                    version["name"].as_str().expect("name")
                ),
                api["names"]["kind"].as_str().expect("kind").to_string(),
            ));
            if let Some(spec) = version.pointer("/schema/openAPIV3Schema/properties/spec") {
                collect_words(spec, &mut vocabulary.keys, &mut vocabulary.words);
            }
        }
    }
    for list in [&mut vocabulary.keys, &mut vocabulary.words] {
        list.sort();
        list.dedup();
    }
    assert!(!vocabulary.types.is_empty(), "the catalog serves no API");
    vocabulary
});

/// The property names and enum strings of `schema`, at every depth.
fn collect_words(schema: &Value, keys: &mut Vec<String>, words: &mut Vec<String>) {
    if let Some(properties) = schema["properties"].as_object() {
        for (key, property) in properties {
            keys.push(key.clone());
            collect_words(property, keys, words);
        }
    }
    for value in schema["enum"].as_array().into_iter().flatten() {
        if let Some(word) = value.as_str() {
            words.push(word.to_string());
        }
    }
    collect_words_of(&schema["items"], keys, words);
    collect_words_of(&schema["additionalProperties"], keys, words);
}

fn collect_words_of(schema: &Value, keys: &mut Vec<String>, words: &mut Vec<String>) {
    if schema.is_object() {
        collect_words(schema, keys, words);
    }
}

/// Every example request the catalog ships, with its promise's name and the spec schema of
/// the version it is written in.
fn examples() -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    for promise in RENDERED_PROMISES.values() {
        let name = promise["metadata"]["name"]
            .as_str()
            .expect("name")
            .to_string();
        let Some(text) = RENDERED.files.get(&format!("{name}/example-request.yaml")) else {
            continue;
        };
        let example: Value = serde_saphyr::from_str(text).expect("yaml");
        let version = example["apiVersion"]
            .as_str()
            .expect("apiVersion")
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let schema = promise["spec"]["api"]["spec"]["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|v| v["name"] == version.as_str())
            .and_then(|v| v.pointer("/schema/openAPIV3Schema/properties/spec"))
            .cloned()
            .unwrap_or(Value::Null);
        out.push((name, example, schema));
    }
    out
}

/// `spec` with each field its `schema` gives an enum set to the enum's value that `picks`
/// chooses, at every depth.
fn vary(spec: &mut Value, schema: &Value, picks: &mut impl Iterator<Item = prop::sample::Index>) {
    let Some(fields) = spec.as_object_mut() else {
        return;
    };
    for (key, value) in fields.iter_mut() {
        let property = &schema["properties"][key.as_str()];
        match property["enum"].as_array() {
            Some(allowed) if !allowed.is_empty() => {
                if let Some(pick) = picks.next() {
                    *value = pick.get(allowed).clone();
                }
            }
            _ => vary(value, property, picks),
        }
    }
}

fn containers() -> Vec<Container> {
    let mut out = Vec::new();
    for (name, promise) in RENDERED_PROMISES.iter() {
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
    // One root for the case, emptied between containers: a root per container (600 per run)
    // made allocating and freeing inodes a tenth of the tests' time on ext4.
    let root = crate::pipeline::kratix_root(input);
    let result = every_container_in(catalog, &root);
    let _ = fs::remove_dir_all(&root);
    result
}

fn every_container_in(catalog: &Catalog, root: &Path) -> Result<(), TestCaseError> {
    for (promise, pipeline, action, args, env) in CONTAINERS.iter() {
        for dir in ["output", "metadata"] {
            empty(&root.join(dir));
        }
        let mut vars = env.clone();
        vars.extend([
            ("KRATIX_ROOT".to_string(), root.display().to_string()),
            ("KRATIX_WORKFLOW_ACTION".to_string(), action.clone()),
            ("KRATIX_WORKFLOW_TYPE".to_string(), "resource".to_string()),
            ("KRATIX_PROMISE_NAME".to_string(), promise.clone()),
            ("KRATIX_PIPELINE_NAME".to_string(), pipeline.clone()),
            (
                promise_core::pipeline::NOW_VAR.to_string(),
                promise_local::PINNED_NOW.to_string(),
            ),
        ]);
        let var = |n: &str| vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            dispatch::run(catalog, args, var)
        }));
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

/// Removes what `dir` holds, keeping `dir`.
fn empty(dir: &Path) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let _ = if path.is_dir() && !path.is_symlink() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
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
            Just("a\nkind: Secret".to_string()),
            prop::sample::select(VOCABULARY.words.clone()),
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
                    prop::sample::select(VOCABULARY.keys.clone()),
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
    fn arbitrary_yaml_never_panics(spec in any_value(), api in prop::sample::select(VOCABULARY.types.clone())) {
        let (api_version, kind) = api;
        let request = json!({
            "apiVersion": api_version,
            "kind": kind,
            "metadata": {"name": "req", "namespace": "default"},
            "spec": spec,
        });
        let yaml = promise_core::yaml::to_string(&request).expect("yaml");
        every_step_handles(&CATALOG, yaml.as_bytes())?;
    }

    #[test]
    fn a_valid_request_run_twice_gives_identical_output(
        example in prop::sample::select(examples()),
        name in "[a-z][a-z0-9-]{0,20}[a-z0-9]",
        picks in prop::collection::vec(any::<prop::sample::Index>(), 16),
    ) {
        // A promise's example request, renamed and with its enum fields chosen anew.
        let (promise, mut request, schema) = example;
        request["metadata"]["name"] = json!(name);
        vary(&mut request["spec"], &schema, &mut picks.into_iter());
        let root = crate::pipeline::kratix_root(promise_core::yaml::to_string(&request).expect("yaml").as_bytes());
        let first = crate::pipeline::run_workflow(&promise, "resource", "configure", &root);
        let first_files = crate::pipeline::written(&root);
        let second = crate::pipeline::run_workflow(&promise, "resource", "configure", &root);
        let second_files = crate::pipeline::written(&root);
        prop_assert!(first == second, "the second run's transcript differs:\n{}", diff(&first, &second));
        prop_assert!(
            first_files == second_files,
            "the second run's files differ:\n{}",
            diff(&first_files, &second_files)
        );
        fs::remove_dir_all(&root).expect("cleanup");
    }

}

/// The most orders tried: every order of a catalog of up to 5 promises (5! = 120), and this
/// many seeded shuffles of a larger one.
const ORDERS: usize = 120;

#[test]
fn rendering_does_not_depend_on_the_catalog_order() {
    let catalog = &*CATALOG;
    let definitions = catalog.promises();
    let expected = &*RENDERED;
    for order in orders(definitions.len()) {
        let mut shuffled = Catalog::new();
        if let Some(image) = catalog.pipeline_image() {
            shuffled = shuffled.image(image);
        }
        if let Some(platform) = catalog.platform_definition() {
            shuffled = shuffled.platform(platform.clone());
        }
        let shuffled = order
            .iter()
            .map(|&i| definitions[i].clone())
            .fold(shuffled, Catalog::with);
        let actual = render(&shuffled).expect("render");
        let names: Vec<&str> = order.iter().map(|&i| definitions[i].name()).collect();
        crate::compare::assert_same_files(
            &format!("the catalog in the order {names:?}"),
            &expected.files,
            &actual.files,
        );
    }
}

/// Every order of `n` items but the first (the catalog's own) when there are at most
/// [`ORDERS`] of them, else [`ORDERS`] seeded shuffles.
fn orders(n: usize) -> Vec<Vec<usize>> {
    let mut all = vec![(0..n).collect::<Vec<_>>()];
    if (1..=n)
        .try_fold(1usize, |count, k| {
            count.checked_mul(k).filter(|&c| c <= ORDERS)
        })
        .is_some()
    {
        // Heap's algorithm.
        let mut order: Vec<usize> = (0..n).collect();
        let mut counters = vec![0; n];
        let mut i = 1;
        while i < n {
            if counters[i] < i {
                order.swap(if i % 2 == 0 { 0 } else { counters[i] }, i);
                all.push(order.clone());
                counters[i] += 1;
                i = 1;
            } else {
                counters[i] = 0;
                i += 1;
            }
        }
    } else {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        while all.len() <= ORDERS {
            let mut order: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                order.swap(i, (state % (i as u64 + 1)) as usize);
            }
            all.push(order);
        }
    }
    all.remove(0);
    all
}

#[test]
fn orders_cover_every_permutation_of_a_small_catalog_once() {
    let mut three = orders(3);
    three.sort();
    assert_eq!(
        three,
        [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map(Vec::from)
    );
    let five = orders(5);
    let distinct: std::collections::BTreeSet<&Vec<usize>> = five.iter().collect();
    assert_eq!((five.len(), distinct.len()), (119, 119));
    assert!(five.iter().all(|o| {
        let mut s = o.clone();
        s.sort();
        s == [0, 1, 2, 3, 4]
    }));
    let six = orders(6);
    assert_eq!(six.len(), ORDERS);
    assert!(six.iter().all(|o| o.len() == 6));
    assert_eq!(orders(1), Vec::<Vec<usize>>::new());
}
