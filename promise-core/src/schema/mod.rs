//! OpenAPI v3 schemas as Kubernetes reads them: the structural lint the apiserver applies to
//! CRDs, and validation of objects against a CRD schema with the apiserver's semantics.

mod instance;
mod pattern;
mod structural;

pub(crate) use instance::validate_value as validate_value_at;
pub use instance::{apply_defaults, validate_object};
pub use structural::lint;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, CustomResourceDefinitionVersion, JSONSchemaProps,
};

/// The version a CRD's objects are stored as (the first, when none is marked): what the
/// apiserver converts to, what Kratix's reader hands a pipeline, and what typed steps read.
pub fn storage_version(crd: &CustomResourceDefinition) -> Option<&CustomResourceDefinitionVersion> {
    let versions = &crd.spec.versions;
    versions.iter().find(|v| v.storage).or(versions.first())
}

/// The `openAPIV3Schema` of [`storage_version`].
pub fn storage_schema(crd: &CustomResourceDefinition) -> Option<&JSONSchemaProps> {
    storage_version(crd)?
        .schema
        .as_ref()?
        .open_api_v3_schema
        .as_ref()
}

/// A [`lint`] finding, reported against a rendered CRD or XRD.
pub(crate) fn not_structural(violation: crate::Diagnostic) -> crate::Diagnostic {
    crate::Diagnostic {
        rule: format!("not a structural schema: {}", violation.rule),
        ..violation
    }
}

/// Appends `segment` to a dotted path, bracketing what is not an identifier.
pub(crate) fn join(path: &str, segment: &str) -> String {
    let plain = !segment.is_empty()
        && segment.len() <= crate::excerpt::MAX_SHOWN
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$'));
    match (path.is_empty(), plain) {
        (true, true) => segment.to_string(),
        // Called for every field of every request: plain concatenation, not `format!`.
        (false, true) => [path, ".", segment].concat(),
        // A key is request input: a huge one is shown cut short.
        (_, false) => format!("{path}[{:?}]", crate::excerpt::excerpt(segment)),
    }
}
