//! The Crossplane side: rendered XRDs, Compositions, function inputs and Functions against the
//! verbatim upstream CRDs; the XR the pipeline emits against its XRD; the render-time checks.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, JSONSchemaProps,
};
use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::crossplane::{
    Bundle, ComposedSpec, ComposedTemplate, Composite, Composition, ConnectionDetail,
    ConvertFormat, ConvertType, Function, Manifest, MatchPattern, MathTransform, Patch,
    ReadinessCheck, Resources, Schema, StringConversion, StringTransform, ToFieldPathPolicy,
    Transform, XrdApi,
};
use promise_core::render::render;
use promise_core::schema::{lint, validate_object};
use promise_core::{api_type, composite};
use serde_json::{Value, json};

fn upstream_schema(relative: &str, version: &str) -> Option<JSONSchemaProps> {
    let path = promise_tests::upstream()?.join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let crd: CustomResourceDefinition =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v = crd
        .spec
        .versions
        .into_iter()
        .find(|v| v.name == version)
        .unwrap_or_else(|| panic!("{relative}: no {version}"));
    v.schema.and_then(|s| s.open_api_v3_schema)
}

/// function-patch-and-transform's input CRD, with the enum values its Go code supports but
/// its CRD omits (`Join`, `Replace`, `ToAdler32`; crossplane-contrib/function-patch-and-transform#131).
fn patch_and_transform_schema() -> Option<JSONSchemaProps> {
    let schema = upstream_schema(
        "crossplane/function-patch-and-transform/package/input/pt.fn.crossplane.io_resources.yaml",
        "v1beta1",
    )?;
    let mut value = serde_json::to_value(schema).expect("schema");
    fn widen(node: &mut Value) {
        if let Value::Object(map) = node {
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                let has = |values: &Vec<Value>, v: &str| values.iter().any(|x| x == v);
                if has(values, "TrimPrefix") && !has(values, "Join") {
                    values.push(json!("Join"));
                    values.push(json!("Replace"));
                }
                if has(values, "ToSha512") && !has(values, "ToAdler32") {
                    values.push(json!("ToAdler32"));
                }
            }
            // `join` and `replace` configure the two string transforms the CRD leaves out.
            if map.get("properties").and_then(|p| p.get("fmt")).is_some()
                && let Some(Value::Object(props)) = map.get_mut("properties")
            {
                props.entry("join").or_insert(
                    json!({"type": "object", "properties": {"separator": {"type": "string"}}}),
                );
                props.entry("replace").or_insert(json!({"type": "object", "properties": {"search": {"type": "string"}, "replace": {"type": "string"}}}));
            }
            map.values_mut().for_each(widen);
        } else if let Value::Array(items) = node {
            items.iter_mut().for_each(widen);
        }
    }
    widen(&mut value);
    Some(serde_json::from_value(value).expect("widened schema"))
}

/// The Crossplane objects among the rendered promises' dependencies.
fn rendered_dependencies() -> Vec<Value> {
    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    rendered
        .files
        .iter()
        .filter(|(p, _)| p.ends_with("/promise.yaml"))
        .flat_map(|(_, text)| {
            let promise: Value = serde_saphyr::from_str(text).expect("YAML");
            promise["spec"]["dependencies"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

fn assert_valid(what: &str, object: &Value, schema: &JSONSchemaProps) {
    let violations = validate_object(object, schema);
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn rendered_crossplane_objects_validate_against_the_upstream_crds() {
    let Some(xrd_v2) = upstream_schema(
        "crossplane/crossplane/cluster/crds/apiextensions.crossplane.io_compositeresourcedefinitions.yaml",
        "v2",
    ) else {
        return;
    };
    let xrd_v1 = upstream_schema("crossplane/crossplane/cluster/crds/apiextensions.crossplane.io_compositeresourcedefinitions.yaml", "v1").expect("v1");
    let composition = upstream_schema(
        "crossplane/crossplane/cluster/crds/apiextensions.crossplane.io_compositions.yaml",
        "v1",
    )
    .expect("composition");
    let function = upstream_schema(
        "crossplane/crossplane/cluster/crds/pkg.crossplane.io_functions.yaml",
        "v1",
    )
    .expect("function");
    let pt = patch_and_transform_schema().expect("pt");
    let mut counts = std::collections::BTreeMap::new();
    for object in rendered_dependencies() {
        let kind = object["kind"].as_str().unwrap_or_default().to_string();
        let name = object["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        match (
            object["apiVersion"].as_str().unwrap_or_default(),
            kind.as_str(),
        ) {
            ("apiextensions.crossplane.io/v2", "CompositeResourceDefinition") => {
                assert_valid(&name, &object, &xrd_v2)
            }
            ("apiextensions.crossplane.io/v1", "CompositeResourceDefinition") => {
                assert_valid(&name, &object, &xrd_v1)
            }
            ("apiextensions.crossplane.io/v1", "Composition") => {
                assert_valid(&name, &object, &composition);
                for step in object["spec"]["pipeline"].as_array().expect("pipeline") {
                    if step["input"]["kind"] == "Resources" {
                        assert_valid(&format!("{name} input"), &step["input"], &pt);
                        *counts.entry("Resources".to_string()).or_insert(0) += 1;
                    }
                }
            }
            ("pkg.crossplane.io/v1", "Function") => assert_valid(&name, &object, &function),
            (api, kind) => panic!("unexpected dependency {api} {kind}"),
        }
        *counts.entry(kind).or_insert(0) += 1;
    }
    // database: XDatabase and 6 compositions; app-environment: XBucket and 3; 2 Functions each.
    assert_eq!(
        counts.get("CompositeResourceDefinition"),
        Some(&2),
        "{counts:?}"
    );
    assert_eq!(counts.get("Composition"), Some(&9), "{counts:?}");
    assert_eq!(counts.get("Resources"), Some(&9), "{counts:?}");
    assert_eq!(counts.get("Function"), Some(&4), "{counts:?}");
}

#[test]
fn xrd_schemas_are_structural() {
    let mut checked = 0;
    for object in rendered_dependencies()
        .iter()
        .filter(|o| o["kind"] == "CompositeResourceDefinition")
    {
        for version in object["spec"]["versions"].as_array().expect("versions") {
            let schema: JSONSchemaProps =
                serde_json::from_value(version["schema"]["openAPIV3Schema"].clone())
                    .expect("schema");
            assert!(lint(&schema).is_empty(), "{:#?}", lint(&schema));
            checked += 1;
        }
    }
    assert!(checked > 0);
}

/// The XR CRD Crossplane generates from an XRD: it adds `spec.crossplane` (crossplane-runtime's
/// `xcrd`), which our XRDs never contain.
fn xr_schema(xrd: &Value) -> JSONSchemaProps {
    let mut schema = xrd["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone();
    schema["properties"]["spec"]["properties"]["crossplane"] = json!({
        "type": "object",
        "properties": {
            "compositionRef": {"type": "object", "properties": {"name": {"type": "string"}}},
            "compositionSelector": {"type": "object", "properties": {"matchLabels": {"type": "object", "additionalProperties": {"type": "string"}}}},
            "compositionUpdatePolicy": {"type": "string", "enum": ["Automatic", "Manual"]},
        }
    });
    serde_json::from_value(schema).expect("schema")
}

#[test]
fn the_xr_the_pipeline_emits_validates_against_its_xrd_and_selects_a_composition() {
    let fixture = promise_tests::workspace_root().join("tests/fixtures/database/orders-db.yaml");
    let root = crate::pipeline::kratix_root(&std::fs::read(fixture).expect("fixture"));
    crate::pipeline::run_workflow("database", "resource", "configure", &root);
    let xr: Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root.join("output/xdatabase.yaml")).expect("xr"),
    )
    .expect("yaml");
    std::fs::remove_dir_all(&root).expect("cleanup");

    let dependencies = rendered_dependencies();
    let xrd = dependencies
        .iter()
        .find(|o| o["metadata"]["name"] == "xdatabases.platform.aleklab.com")
        .expect("xrd");
    assert_valid("XDatabase", &xr, &xr_schema(xrd));
    assert_eq!(
        xr["apiVersion"],
        format!(
            "{}/{}",
            xrd["spec"]["group"].as_str().expect("group"),
            xrd["spec"]["versions"][0]["name"].as_str().expect("v")
        )
    );

    let labels = xr["spec"]["crossplane"]["compositionSelector"]["matchLabels"]
        .as_object()
        .expect("selector");
    let selected: Vec<&Value> = dependencies
        .iter()
        .filter(|o| o["kind"] == "Composition")
        .filter(|c| labels.iter().all(|(k, v)| &c["metadata"]["labels"][k] == v))
        .collect();
    assert_eq!(
        selected.len(),
        1,
        "exactly one composition matches {labels:?}"
    );
    assert_eq!(selected[0]["metadata"]["name"], "xdatabase-hetzner-prod");
}

// ---- render-time checks, on a small composite ----

/// A cache.
#[composite(group = "test.example.com", version = "v1", kind = "XCache", status = XCacheStatus)]
pub struct XCacheSpec {
    /// Tier.
    pub tier: Tier,
    /// Memory in MiB.
    pub memory_mib: i64,
    /// Tags.
    pub tags: std::collections::BTreeMap<String, String>,
}

/// Status.
#[api_type]
#[derive(Default)]
pub struct XCacheStatus {
    /// Endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

/// Tier.
#[api_type]
#[derive(Copy, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Dev.
    Dev,
    /// Prod.
    Prod,
}

/// A composed resource with a tiny schema.
#[derive(serde::Serialize, Default, Clone)]
#[serde(rename_all = "camelCase")]
pub struct CacheNodeSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    node_type: Option<String>,
}

impl ComposedSpec for CacheNodeSpec {
    const API_VERSION: &'static str = "cache.example.com/v1";
    const KIND: &'static str = "Node";
    fn schema() -> Result<Schema, promise_core::Diagnostic> {
        serde_json::from_value(json!({"type": "object", "properties": {
            "spec": {"type": "object", "properties": {"forProvider": {"type": "object", "properties": {
                "nodeType": {"type": "string"}, "memory": {"type": "number"}, "name": {"type": "string"},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
            "status": {"type": "object", "properties": {"atProvider": {"type": "object", "properties": {
                "endpoint": {"type": "string"}, "ready": {"type": "boolean"}, "port": {"type": "integer"}}}}}}}))
        .map_err(|e| promise_core::Diagnostic::new(e.to_string()))
    }
}

pub(crate) fn node(patches: Vec<Patch>) -> ComposedTemplate {
    patches.into_iter().fold(
        ComposedTemplate::new("node", &Manifest::new(CacheNodeSpec::default())),
        ComposedTemplate::patch,
    )
}

pub(crate) fn catalog(composition: Composition, bundle: impl FnOnce(Bundle) -> Bundle) -> Catalog {
    let bundle = bundle(Bundle::new().composition(composition));
    Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("cache")
            .version("v1")
            .crossplane(bundle)
            .build(),
    )
}

pub(crate) fn with_everything(b: Bundle) -> Bundle {
    b.xrd::<XCache>(XrdApi::V2)
        .function(Function::patch_and_transform())
        .function(Function::auto_ready())
}

pub(crate) fn problems(catalog: &Catalog) -> Vec<String> {
    match render(catalog) {
        Ok(_) => Vec::new(),
        Err(p) => p.0.iter().map(ToString::to_string).collect(),
    }
}

/// Every patch type and transform the function supports.
fn every_patch_and_transform() -> Resources {
    let xr = XCache::paths();
    let template = node(vec![
        Patch::from_composite(xr.spec().tier(), "spec.forProvider.nodeType")
            .map(|tier| match tier {
                Tier::Dev => "cache.t3.micro",
                Tier::Prod => "cache.r6g.large",
            })
            .required()
            .into(),
        Patch::from_composite(xr.spec().memory_mib(), "spec.forProvider.memory")
            .transform(Transform::Math(MathTransform::Multiply(1024)))
            .transform(Transform::Math(MathTransform::ClampMin(1)))
            .transform(Transform::Math(MathTransform::ClampMax(1 << 20)))
            .into(),
        Patch::from_composite(xr.spec().tags(), "spec.forProvider.tags")
            .to_policy(ToFieldPathPolicy::MergeObjects)
            .into(),
        Patch::from_composite(xr.metadata().name(), "spec.forProvider.name")
            .transform(Transform::String(StringTransform::Format(
                "cache-%s".into(),
            )))
            .transform(Transform::String(StringTransform::Convert(
                StringConversion::ToAdler32,
            )))
            .transform(Transform::String(StringTransform::TrimPrefix("c".into())))
            .transform(Transform::String(StringTransform::TrimSuffix("z".into())))
            .transform(Transform::String(StringTransform::Regexp {
                pattern: "^(.*)$".into(),
                group: Some(1),
            }))
            .transform(Transform::String(StringTransform::Replace {
                search: "-".into(),
                replace: "_".into(),
            }))
            .into(),
        Patch::from_composite(xr.spec().tags(), "spec.forProvider.tags[joined]")
            .transform(Transform::Convert {
                to_type: ConvertType::Array,
                format: Some(ConvertFormat::Json),
            })
            .transform(Transform::String(StringTransform::Join(",".into())))
            .into(),
        Patch::to_composite(
            "status.atProvider.endpoint",
            xr.status().fields().endpoint(),
        )
        .transform(Transform::Match {
            patterns: vec![
                MatchPattern::Literal {
                    literal: "none".into(),
                    result: json!(""),
                },
                MatchPattern::Regexp {
                    regexp: "^[a-z].*".into(),
                    result: json!("named"),
                },
            ],
            fallback_value: None,
            fallback_to_input: true,
        })
        .into(),
        Patch::combine_from_composite(
            &[xr.metadata().name(), xr.metadata().namespace()],
            "%s.%s",
            "spec.forProvider.name",
        )
        .into(),
        Patch::combine_to_composite(
            &["status.atProvider.endpoint", "status.atProvider.port"],
            "%s:%d",
            xr.status().fields().endpoint(),
        )
        .into(),
        Patch::from_environment("data.region", "spec.forProvider.tags[region]").into(),
        Patch::to_environment("status.atProvider.endpoint", "data.endpoint").into(),
        Patch::combine_from_environment(&["data.a", "data.b"], "%s-%s", "spec.forProvider.name")
            .into(),
        Patch::combine_to_environment(&["status.atProvider.endpoint"], "%s", "data.c").into(),
        Patch::patch_set("common"),
    ])
    .connection_detail(ConnectionDetail::FromFieldPath {
        name: "endpoint".into(),
        path: "status.atProvider.endpoint".into(),
    })
    .connection_detail(ConnectionDetail::FromConnectionSecretKey {
        name: "password".into(),
        key: "password".into(),
    })
    .connection_detail(ConnectionDetail::FromValue {
        name: "port".into(),
        value: "6379".into(),
    })
    .readiness(ReadinessCheck::MatchString {
        path: "status.atProvider.endpoint".into(),
        value: "up".into(),
    })
    .readiness(ReadinessCheck::MatchInteger {
        path: "status.atProvider.port".into(),
        value: 6379,
    })
    .readiness(ReadinessCheck::NonEmpty(
        "status.atProvider.endpoint".into(),
    ))
    .readiness(ReadinessCheck::MatchTrue("status.atProvider.ready".into()))
    .readiness(ReadinessCheck::MatchFalse("status.atProvider.ready".into()))
    .readiness(ReadinessCheck::MatchCondition {
        type_: "Ready".into(),
        status: "True".into(),
    })
    .readiness(ReadinessCheck::None);
    Resources::new(vec![template]).patch_set(
        "common",
        vec![
            Patch::from_composite(
                xr.metadata().labels().key("team"),
                "spec.forProvider.tags[team]",
            )
            .into(),
        ],
    )
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn every_patch_type_and_transform_renders_and_validates_against_the_function_input_crd() {
    let composition = Composition::for_composite::<XCache>("xcache")
        .patch_and_transform("compose", every_patch_and_transform())
        .auto_ready();
    let catalog = catalog(composition, with_everything);
    let rendered = render(&catalog).unwrap_or_else(|p| panic!("{p}"));
    let promise: Value =
        serde_saphyr::from_str(&rendered.files["cache/promise.yaml"]).expect("yaml");
    let input = promise["spec"]["dependencies"]
        .as_array()
        .expect("deps")
        .iter()
        .find(|d| d["kind"] == "Composition")
        .map(|c| c["spec"]["pipeline"][0]["input"].clone())
        .expect("input");
    insta::assert_snapshot!(promise_core::yaml::to_string(&input).expect("yaml"));
    if let Some(schema) = patch_and_transform_schema() {
        assert_valid("every patch", &input, &schema);
    }
}

#[test]
fn a_composed_path_the_type_lacks_is_reported_with_a_suggestion() {
    let xr = XCache::paths();
    let input = Resources::new(vec![node(vec![
        Patch::from_composite(xr.spec().memory_mib(), "spec.forProvider.memroy").into(),
    ])]);
    let composition =
        Composition::for_composite::<XCache>("xcache").patch_and_transform("compose", input);
    assert_eq!(
        problems(&catalog(composition, with_everything)),
        [
            r#"promise "cache": composition "xcache" patch-and-transform input [0] resources["node"].patches[0].toFieldPath = "spec.forProvider.memroy": no field `memroy` in `spec.forProvider`; did you mean `memory`?"#
        ]
    );
}

/// The manual's §9.3 claim: a Crossplane 1.x XR offering a `Database` claim in the group of
/// the §11 promise API.
#[composite(
    group = "platform.aleklab.com",
    version = "v1alpha1",
    kind = "XLegacyDatabase",
    plural = "xlegacydatabases",
    scope = "LegacyCluster",
    claim_kind = "Database",
    claim_plural = "databases"
)]
pub struct XLegacyDatabaseSpec {
    /// Size.
    pub size: String,
}

#[test]
fn a_claim_colliding_with_a_promise_api_names_both_sides() {
    let legacy = Catalog::new()
        .image(promise_tests::TEST_IMAGE)
        .with(promises::database::promise())
        .with(
            PromiseDefinition::builder("legacy-database")
                .version("v1")
                .crossplane(Bundle::new().xrd::<XLegacyDatabase>(XrdApi::V1))
                .build(),
        );
    assert_eq!(
        problems(&legacy),
        [
            r#"promise "database" API and promise "legacy-database" claim "Database": CRD name = "databases.platform.aleklab.com": both define this CustomResourceDefinition; CRD names are cluster-wide, so one would replace the other"#
        ]
    );
}

#[test]
fn legacy_xrds_need_the_v1_api_and_carry_claim_names() {
    let err = match XLegacyDatabase::xrd(XrdApi::V2) {
        Err(e) => e,
        Ok(_) => panic!("v2 has no LegacyCluster"),
    };
    assert_eq!(err.path.as_deref(), Some("scope"), "{err}");
    assert_eq!(err.value.as_deref(), Some(r#""LegacyCluster""#), "{err}");
    assert!(err.rule.contains("needs the v1 XRD API"), "{err}");
    let xrd = serde_json::to_value(XLegacyDatabase::xrd(XrdApi::V1).expect("v1")).expect("json");
    assert_eq!(xrd["apiVersion"], "apiextensions.crossplane.io/v1");
    assert_eq!(xrd["spec"]["scope"], "LegacyCluster");
    assert_eq!(xrd["spec"]["claimNames"]["kind"], "Database");
    // The legacy XR carries its selection fields directly under spec, outside the XRD schema.
    let xr = XLegacyDatabase::new(
        "orders",
        XLegacyDatabaseSpec {
            size: "small".into(),
            crossplane: promise_core::crossplane::LegacyCrossplaneControl {
                write_connection_secret_to_ref: Some(promise_core::crossplane::SecretReference {
                    name: "orders-conn".into(),
                    namespace: "team-a".into(),
                }),
                ..promise_core::crossplane::LegacyCrossplaneControl::select([(
                    "provider", "hetzner",
                )])
            },
        },
    );
    let xr = serde_json::to_value(&xr).expect("json");
    assert_eq!(
        xr["spec"]["compositionSelector"]["matchLabels"]["provider"],
        "hetzner"
    );
    assert_eq!(
        xr["spec"]["writeConnectionSecretToRef"]["name"],
        "orders-conn"
    );
    assert!(
        xrd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
            .get("compositionSelector")
            .is_none()
    );
}

#[test]
fn paths_into_an_embedded_object_are_checked_against_its_own_schema() {
    let xr = XCache::paths();
    let template = node(vec![
        Patch::from_composite(
            xr.metadata().name(),
            "spec.forProvider.template.metadata.name",
        )
        .into(),
        Patch::from_composite(
            xr.spec().tier(),
            "spec.forProvider.template.spec.forProvider.nodeTyp",
        )
        .into(),
    ])
    .embedded::<Manifest<CacheNodeSpec>>("spec.forProvider.template");
    let composition = Composition::for_composite::<XCache>("xcache")
        .patch_and_transform("compose", Resources::new(vec![template]));
    assert_eq!(
        problems(&catalog(composition, with_everything)),
        [
            r#"promise "cache": composition "xcache" patch-and-transform input [0] resources["node"].patches[1].toFieldPath = "spec.forProvider.template.spec.forProvider.nodeTyp": no field `nodeTyp` in `spec.forProvider.template.spec.forProvider`; did you mean `nodeType`?"#
        ]
    );
}
