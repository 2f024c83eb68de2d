//! `CompositeResourceDefinition`, in `apiextensions.crossplane.io/v2` (default) or `v1`.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceColumnDefinition, CustomResourceDefinition, CustomResourceDefinitionNames,
    JSONSchemaProps,
};
use serde::Serialize;

use super::CompositeScope;
use crate::Diagnostic;

/// Which XRD API to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XrdApi {
    /// `apiextensions.crossplane.io/v2`: Namespaced or Cluster XRs, no claims (Crossplane 2.x).
    V2,
    /// `apiextensions.crossplane.io/v1`: deprecated; LegacyCluster XRs with claims for
    /// Crossplane 1.x clusters.
    V1,
}

/// A CompositeResourceDefinition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompositeResourceDefinition {
    /// `apiextensions.crossplane.io/v2` or `/v1`.
    pub api_version: &'static str,
    /// Always `CompositeResourceDefinition`.
    pub kind: &'static str,
    /// Name: `<plural>.<group>`.
    pub metadata: XrdMetadata,
    /// Group, names, scope, versions.
    pub spec: XrdSpec,
}

/// An XRD's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct XrdMetadata {
    /// `<plural>.<group>`.
    pub name: String,
}

/// `CompositeResourceDefinition.spec`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XrdSpec {
    /// API group of the XR.
    pub group: String,
    /// Names of the XR.
    pub names: CustomResourceDefinitionNames,
    /// Always written: an omitted scope means LegacyCluster in v1 and in Crossplane's
    /// offline validator, but Namespaced in v2.
    pub scope: &'static str,
    /// The claim's names (v1, LegacyCluster only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_names: Option<CustomResourceDefinitionNames>,
    /// Versions; exactly one is referenceable.
    pub versions: Vec<XrdVersion>,
}

/// One XRD version.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XrdVersion {
    /// Version name, such as `v1alpha1`.
    pub name: String,
    /// Served by the API server.
    pub served: bool,
    /// The version Compositions reference (the CRD's storage version).
    pub referenceable: bool,
    /// The schema, without what Crossplane injects.
    pub schema: XrdSchema,
    /// Columns for `kubectl get`, before the ones Crossplane appends.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub additional_printer_columns: Vec<CustomResourceColumnDefinition>,
}

/// `versions[].schema`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XrdSchema {
    /// The XR's spec and status properties.
    #[serde(rename = "openAPIV3Schema")]
    pub open_api_v3_schema: JSONSchemaProps,
}

/// Fields Crossplane injects into spec and status of every XR CRD (v2 scopes).
const RESERVED_SPEC: &[&str] = &["crossplane"];
/// Fields Crossplane injects into spec of LegacyCluster XRs.
const RESERVED_LEGACY_SPEC: &[&str] = &[
    "compositionRef",
    "compositionSelector",
    "compositionRevisionRef",
    "compositionRevisionSelector",
    "compositionUpdatePolicy",
    "resourceRefs",
    "claimRef",
    "writeConnectionSecretToRef",
];
const RESERVED_STATUS: &[&str] = &[
    "conditions",
    "crossplane",
    "connectionDetails",
    "claimConditionTypes",
];

/// The XRD for the XR whose kube-generated CRD is `crd`.
pub(crate) fn from_crd(
    crd: CustomResourceDefinition,
    scope: CompositeScope,
    claim: Option<(&'static str, &'static str)>,
    api: XrdApi,
) -> Result<CompositeResourceDefinition, Diagnostic> {
    let api_version = match (api, scope) {
        (XrdApi::V2, CompositeScope::LegacyCluster) => {
            return Err(Diagnostic::field(
                "scope",
                "LegacyCluster",
                "needs the v1 XRD API; apiextensions.crossplane.io/v2 has only Namespaced and Cluster",
            ));
        }
        (XrdApi::V2, _) => "apiextensions.crossplane.io/v2",
        (XrdApi::V1, _) => "apiextensions.crossplane.io/v1",
    };
    if claim.is_some() && scope != CompositeScope::LegacyCluster {
        return Err(Diagnostic::new(
            "only LegacyCluster composite resources can offer claims (Crossplane's CEL rule)",
        ));
    }
    let spec = crd.spec;
    let mut versions = Vec::new();
    for (i, version) in spec.versions.into_iter().enumerate() {
        let schema = version
            .schema
            .and_then(|s| s.open_api_v3_schema)
            .ok_or_else(|| {
                Diagnostic::shown(
                    format!("spec.versions[{i}].schema.openAPIV3Schema"),
                    None,
                    format!("Required value: version {} has no schema", version.name),
                )
            })?;
        versions.push(XrdVersion {
            name: version.name,
            served: version.served,
            referenceable: version.storage,
            schema: XrdSchema {
                open_api_v3_schema: strip_injected(schema, scope)?,
            },
            additional_printer_columns: version.additional_printer_columns.unwrap_or_default(),
        });
    }
    let claim_names = claim.map(|(kind, plural)| CustomResourceDefinitionNames {
        kind: kind.to_string(),
        plural: plural.to_string(),
        singular: Some(kind.to_lowercase()),
        ..CustomResourceDefinitionNames::default()
    });
    Ok(CompositeResourceDefinition {
        api_version,
        kind: "CompositeResourceDefinition",
        metadata: XrdMetadata {
            name: format!("{}.{}", spec.names.plural, spec.group),
        },
        spec: XrdSpec {
            group: spec.group,
            names: spec.names,
            scope: scope.as_str(),
            claim_names,
            versions,
        },
    })
}

/// Keeps what Crossplane reads of the root schema (description, spec, status) and refuses
/// fields Crossplane would silently overwrite.
fn strip_injected(
    root: JSONSchemaProps,
    scope: CompositeScope,
) -> Result<JSONSchemaProps, Diagnostic> {
    let mut properties = root.properties.unwrap_or_default();
    properties.retain(|name, _| name == "spec" || name == "status");
    let reserved_spec: &[&str] = if scope == CompositeScope::LegacyCluster {
        RESERVED_LEGACY_SPEC
    } else {
        RESERVED_SPEC
    };
    for (part, reserved) in [("spec", reserved_spec), ("status", RESERVED_STATUS)] {
        if let Some(schema) = properties.get_mut(part) {
            for name in schema.properties.iter().flat_map(|p| p.keys()) {
                if reserved.contains(&name.as_str()) {
                    return Err(Diagnostic::shown(
                        format!("{part}.{name}"),
                        None,
                        "is a field Crossplane injects into every XR; rename it",
                    ));
                }
            }
            // The status is Crossplane's to create; an XR need not carry one.
            schema.nullable = None;
        }
    }
    Ok(JSONSchemaProps {
        type_: Some("object".into()),
        description: root.description,
        // Crossplane keeps root-level CEL rules (crossplane#7018).
        x_kubernetes_validations: root.x_kubernetes_validations,
        properties: Some(properties),
        ..JSONSchemaProps::default()
    })
}
