//! Crossplane mistakes that used to pass silently: a claim plural the macro got wrong, and
//! values that cannot be serialized, now each reported at render time; and a field
//! Crossplane writes itself, refused at the field.

use promise_core::composite;
use promise_core::crossplane::{
    ComposedSpec, ComposedTemplate, Composite, Composition, Manifest, Patch, Resources, Schema,
    XrdApi,
};

use crate::crossplane::{CacheNodeSpec, XCache, catalog, node, problems, with_everything};

/// A legacy XR whose claim plural is left to the macro.
#[composite(
    group = "platform.aleklab.com",
    version = "v1alpha1",
    kind = "XPolicy",
    scope = "LegacyCluster",
    claim_kind = "Policy"
)]
pub struct XPolicySpec {
    /// Rules.
    pub rules: Vec<String>,
}

#[test]
fn a_default_claim_plural_is_pluralised_as_kinds_are() {
    let xrd = serde_json::to_value(XPolicy::xrd(XrdApi::V1).expect("v1")).expect("json");
    // Not "policys": the same pluralisation as the composite's own plural.
    assert_eq!(xrd["spec"]["claimNames"]["plural"], "policies");
    assert_eq!(xrd["spec"]["names"]["plural"], "xpolicies");
}

/// An XR whose status declares a field Crossplane writes into every XR.
#[composite(
    group = "platform.aleklab.com",
    version = "v1alpha1",
    kind = "XShadow",
    scope = "Namespaced",
    status = XShadowStatus
)]
pub struct XShadowSpec {
    /// Size.
    pub size: String,
}

/// Its status.
#[promise_core::api_type]
pub struct XShadowStatus {
    /// Crossplane's own.
    pub conditions: Vec<String>,
}

#[test]
fn a_field_crossplane_injects_is_refused_at_that_field() {
    let err = XShadow::xrd(XrdApi::V2).expect_err("status.conditions is Crossplane's");
    assert_eq!(err.path.as_deref(), Some("status.conditions"));
    assert_eq!(
        err.to_string(),
        "status.conditions: is a field Crossplane injects into every XR; rename it"
    );
}

/// A composed spec that cannot be serialized (a map with non-string keys).
#[derive(serde::Serialize, Default, Clone)]
pub struct UnserializableSpec {
    keys: std::collections::BTreeMap<Vec<u8>, u8>,
}

impl ComposedSpec for UnserializableSpec {
    const API_VERSION: &'static str = "cache.example.com/v1";
    const KIND: &'static str = "Node";
    fn schema() -> Result<Schema, promise_core::Diagnostic> {
        CacheNodeSpec::schema()
    }
}

fn unserializable() -> Manifest<UnserializableSpec> {
    Manifest::new(UnserializableSpec {
        keys: [(vec![1], 1)].into(),
    })
}

#[test]
fn what_cannot_be_serialized_is_reported_never_dropped() {
    let xr = XCache::paths();
    let templates = vec![
        // A base that does not serialize.
        ComposedTemplate::new("broken-base", &unserializable()),
        // An embedded object that does not serialize.
        ComposedTemplate::new("broken-embed", &Manifest::new(CacheNodeSpec::default()))
            .embed("spec.forProvider.extra", &unserializable()),
        // A map transform whose values do not serialize.
        node(vec![
            Patch::from_composite(xr.spec().tier(), "spec.forProvider.nodeType")
                .map(|_| std::collections::BTreeMap::from([(vec![1u8], 1u8)]))
                .into(),
        ]),
    ];
    let composition = Composition::for_composite::<XCache>("xcache")
        .patch_and_transform("compose", Resources::new(templates));
    let found = problems(&catalog(composition, with_everything)).join("\n");
    for expected in [
        r#"resources["broken-base"]: the base cannot be serialized: key must be a string"#,
        r#"resources["broken-embed"]: the object embedded at spec.forProvider.extra cannot be serialized: key must be a string"#,
        r#"resources["node"].patches[0]"#,
        "a map transform cannot be serialized: key must be a string",
        "patch-and-transform input [0]: cannot be serialized",
    ] {
        assert!(found.contains(expected), "{expected}\n{found}");
    }
}

#[test]
fn dangling_references_and_bad_patches_are_reported() {
    let xr = XCache::paths();
    let input = Resources::new(vec![node(vec![
        Patch::combine_from_composite(&[xr.metadata().name()], "%s-%s", "spec.forProvider.name")
            .into(),
        Patch::patch_set("missing"),
    ])]);
    let composition =
        Composition::for_composite::<XCache>("xcache").patch_and_transform("compose", input);
    // No XRD and no Functions in the bundle.
    let found = problems(&catalog(composition, |b| b));
    assert_eq!(
        found,
        [
            r#"promise "cache": composition "xcache" patch-and-transform input [0] resources["node"].patches[0]: combine.string.fmt "%s-%s" has 2 verbs for 1 variables"#,
            r#"promise "cache": composition "xcache" patch-and-transform input [0] resources["node"].patches[1] = "missing": names no patch set of this input"#,
            r#"promise "cache": composition "xcache" spec.compositeTypeRef = "test.example.com/v1, XCache": no rendered XRD defines this kind at a referenceable version"#,
            r#"promise "cache": composition "xcache" spec.pipeline["compose"].functionRef.name = "function-patch-and-transform": no rendered Function has this name; add it to the bundle"#,
        ]
    );
}
