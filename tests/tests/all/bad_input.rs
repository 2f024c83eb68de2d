//! Promises that must not render: each problem names the promise, the field and the rule,
//! all problems come back together, and no file is produced.

use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::render::render;
use promise_core::{api_type, promise_api};

/// A widget.
#[promise_api(group = "test.example.com", version = "v1", kind = "Widget")]
pub struct WidgetSpec {
    /// Widget size.
    pub size: i32,
}

/// Carries free-form JSON, which kube renders as an untyped `{}` schema.
#[promise_api(group = "test.example.com", version = "v1", kind = "Blob")]
pub struct BlobSpec {
    /// Anything at all.
    pub raw: serde_json::Value,
}

/// A backup target, internally tagged: kube's schema rewriter panics on it (kube#1279).
#[api_type]
#[serde(tag = "type")]
pub enum Target {
    /// An S3 bucket.
    S3 {
        /// Bucket name.
        bucket: String,
    },
    /// A PVC.
    Pvc {
        /// Claim size.
        size: i32,
    },
}

/// A backup.
#[promise_api(group = "test.example.com", version = "v1", kind = "Backup")]
pub struct BackupSpec {
    /// Where to.
    pub target: Target,
}

fn widget(name: &str) -> Widget {
    let mut request = Widget::new(name, WidgetSpec { size: 1 });
    request.metadata.namespace = Some("default".into());
    request
}

fn errors(catalog: &Catalog) -> Vec<String> {
    match render(catalog) {
        Ok(rendered) => panic!("rendered although invalid: {:?}", rendered.files.keys()),
        Err(problems) => problems.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn an_invalid_promise_name_is_reported_with_the_field() {
    let catalog = Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("Data_base")
            .version("v1")
            .api::<Widget>()
            .example(widget("w"))
            .build(),
    );
    let found = errors(&catalog);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(
            r#"promise "Data_base": metadata.name = "Data_base": must be a DNS-1123 label"#
        ),
        "{found:#?}"
    );
}

#[test]
fn a_non_structural_api_is_reported_at_its_schema_path() {
    let catalog = Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("blob")
            .version("v1")
            .api::<Blob>()
            .example(Blob::new(
                "b",
                BlobSpec {
                    raw: serde_json::json!({"a": 1}),
                },
            ))
            .build(),
    );
    let found = errors(&catalog);
    assert_eq!(
        found,
        [
            r#"promise "blob": spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.raw.type: not a structural schema: Required value: must not be empty for specified object fields (only x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields may omit it)"#
        ]
    );
}

#[test]
fn two_promises_defining_one_crd_name_both_appear_in_the_error() {
    let catalog = Catalog::new()
        .image(promise_tests::TEST_IMAGE)
        .with(
            PromiseDefinition::builder("widgets")
                .version("v1")
                .api::<Widget>()
                .example(widget("a"))
                .build(),
        )
        .with(
            PromiseDefinition::builder("gadgets")
                .version("v1")
                .api::<Widget>()
                .example(widget("b"))
                .build(),
        );
    let found = errors(&catalog);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(r#"promise "widgets" API and promise "gadgets" API: CRD name = "widgets.test.example.com": both define this CustomResourceDefinition"#),
        "{found:#?}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let catalog = Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("widget")
            .destination_selector([("environment", "")])
            .destination_selector(Vec::<(String, String)>::new())
            .requires("Bad Name", None)
            .api::<Widget>()
            .example(widget(&"w".repeat(64)))
            .build(),
    );
    let found = errors(&catalog);
    let expected = [
        r#"promise "widget": metadata.labels["kratix.io/promise-version"]: missing"#,
        r#"promise "widget": example-request.yaml: metadata.name = "wwww"#,
        r#"promise "widget": spec.destinationSelectors[1].matchLabels: must not be empty"#,
        r#"promise "widget": spec.requiredPromises[0].name = "Bad Name": must be a DNS-1123 label"#,
    ];
    for e in expected {
        assert!(
            found.iter().any(|f| f.starts_with(e)),
            "missing {e:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn an_api_without_an_example_request_is_reported() {
    let catalog = Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("widget")
            .version("v1")
            .api::<Widget>()
            .build(),
    );
    assert_eq!(
        errors(&catalog),
        [
            r#"promise "widget": example-request.yaml: missing: a promise with an API ships an example request (`.example(...)`)"#
        ]
    );
}

#[test]
fn a_schema_kube_cannot_build_is_a_problem_not_a_crash() {
    let catalog = Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("backup")
            .version("v1")
            .api::<Backup>()
            .example(Backup::new(
                "b",
                BackupSpec {
                    target: Target::Pvc { size: 1 },
                },
            ))
            .build(),
    );
    let found = errors(&catalog);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(
            r#"promise "backup": spec.api: kube-derive could not build the API's schema"#
        ),
        "{found:#?}"
    );
}

/// A cache whose printer column names a field it does not have.
#[promise_api(
    group = "test.example.com",
    version = "v1",
    kind = "Cache",
    printcolumn(name = "Tier", json_path = ".spec.teir")
)]
pub struct CacheSpec {
    /// Cache tier.
    pub tier: String,
}

#[test]
fn a_printer_column_into_a_missing_field_is_refused_with_a_suggestion() {
    let mut request = Cache::new(
        "c",
        CacheSpec {
            tier: "gold".into(),
        },
    );
    request.metadata.namespace = Some("default".into());
    let catalog = Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("cache")
            .version("v1")
            .api::<Cache>()
            .example(request)
            .build(),
    );
    let errors = errors(&catalog);
    assert!(
        errors.iter().any(
            |e| e.contains("additionalPrinterColumns[0].jsonPath = \".spec.teir\"")
                && e.contains("did you mean `tier`?")
                && e.contains("column \"Tier\" of Cache")
                && e.contains("of the `#[promise_api]` deriving `all::bad_input::Cache`")
        ),
        "{errors:#?}"
    );
}

/// A volume whose type's `Default` (0 GiB) contradicts its field's default (1 GiB).
#[promise_api(group = "test.example.com", version = "v1", kind = "Volume")]
pub struct VolumeSpec {
    /// Storage.
    #[serde(default)]
    pub storage: Storage,
}

/// Storage.
#[api_type]
#[derive(Default)]
pub struct Storage {
    /// Size in GiB.
    #[serde(default = "one")]
    pub size_gib: i32,
}

fn one() -> i32 {
    1
}

#[test]
fn a_default_object_that_contradicts_its_fields_default_is_refused() {
    let mut request = Volume::new(
        "v",
        VolumeSpec {
            storage: Storage::default(),
        },
    );
    request.metadata.namespace = Some("default".into());
    let catalog = Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("volume")
            .version("v1")
            .api::<Volume>()
            .example(request)
            .build(),
    );
    let at = "spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.storage";
    assert_eq!(
        errors(&catalog),
        [format!(
            "promise \"volume\": {at}.default.sizeGib = \"0\": contradicts \
             {at}.properties.sizeGib.default = 1: the object's default (its type's `Default`) \
             and the field's own default (`#[serde(default = ...)]`) must agree \
             (in `all::bad_input::Volume`)"
        )]
    );
}

/// Typed steps run in the pipeline binary's image, which only the platform can name (the
/// library has no registry of its own): a catalog without one is a render problem naming the
/// fix; a promise without typed steps needs none.
#[test]
fn typed_steps_need_the_catalogs_pipeline_image() {
    let with_steps = promises::team_namespace::promise();
    let problems = render(&Catalog::new().with(with_steps.clone())).expect_err("no image");
    assert_eq!(problems.0.len(), 1, "{problems}");
    assert_eq!(
        problems.0[0].diagnostic.path.as_deref(),
        Some("spec.workflows")
    );
    assert!(
        problems.0[0].diagnostic.rule.contains("Catalog::image"),
        "{problems}"
    );

    let rendered = render(
        &Catalog::new()
            .image(promise_tests::TEST_IMAGE)
            .with(with_steps),
    )
    .unwrap_or_else(|p| panic!("{p}"));
    assert!(rendered.files["team-namespace/promise.yaml"].contains(promise_tests::TEST_IMAGE));

    let no_steps = PromiseDefinition::builder("shared-dns")
        .version("v1")
        .destination_selector([("environment", "dev")])
        .build();
    render(&Catalog::new().with(no_steps)).unwrap_or_else(|p| panic!("{p}"));
}
