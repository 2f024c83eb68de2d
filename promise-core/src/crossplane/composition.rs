//! `apiextensions.crossplane.io/v1` `Composition` in `Pipeline` mode, the only mode
//! Crossplane v2 has.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{Composite, Function, Resources};

/// A Composition: how to make the composed resources of one composite type.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Composition {
    /// Always `apiextensions.crossplane.io/v1`.
    pub api_version: &'static str,
    /// Always `Composition`.
    pub kind: &'static str,
    /// Name and the labels composites select it by.
    pub metadata: CompositionMetadata,
    /// The composite type and the pipeline.
    pub spec: CompositionSpec,
    /// Function-patch-and-transform inputs, kept typed for the render-time checks.
    #[serde(skip)]
    pub(crate) resources: Vec<Resources>,
}

/// A Composition's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompositionMetadata {
    /// Cluster-wide name.
    pub name: String,
    /// Labels for `compositionSelector`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// `Composition.spec`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompositionSpec {
    /// The composite type, at its referenceable version.
    pub composite_type_ref: TypeReference,
    /// Always `Pipeline`.
    pub mode: &'static str,
    /// Function steps, run in order.
    pub pipeline: Vec<CompositionStep>,
}

/// `compositeTypeRef`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeReference {
    /// `<group>/<version>`.
    pub api_version: String,
    /// The composite's kind.
    pub kind: String,
}

/// One pipeline step.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompositionStep {
    /// Unique within the pipeline.
    pub step: String,
    /// The Function to call.
    pub function_ref: FunctionReference,
    /// The function's input; Crossplane does not validate it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
}

/// `functionRef`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionReference {
    /// Name of an installed Function.
    pub name: String,
}

impl Composition {
    /// A Composition named `name` for composite type `X`.
    pub fn for_composite<X: Composite>(name: impl Into<String>) -> Self {
        Self {
            api_version: "apiextensions.crossplane.io/v1",
            kind: "Composition",
            metadata: CompositionMetadata {
                name: name.into(),
                labels: BTreeMap::new(),
            },
            spec: CompositionSpec {
                composite_type_ref: TypeReference {
                    api_version: X::api_version(&()).into_owned(),
                    kind: X::kind(&()).into_owned(),
                },
                mode: "Pipeline",
                pipeline: Vec::new(),
            },
            resources: Vec::new(),
        }
    }

    /// A label composites select this Composition by.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.labels.insert(key.into(), value.into());
        self
    }

    /// A function-patch-and-transform step composing `resources`.
    pub fn patch_and_transform(mut self, step: impl Into<String>, resources: Resources) -> Self {
        // A failure is reported at render time, where the check serializes the same input.
        let input = serde_json::to_value(&resources).ok();
        self.spec.pipeline.push(CompositionStep {
            step: step.into(),
            function_ref: FunctionReference {
                name: Function::patch_and_transform().name().to_string(),
            },
            input,
        });
        self.resources.push(resources);
        self
    }

    /// A function-auto-ready step: the composite is ready when its resources are healthy.
    pub fn auto_ready(mut self) -> Self {
        self.spec.pipeline.push(CompositionStep {
            step: "automatically-detect-ready-composed-resources".into(),
            function_ref: FunctionReference {
                name: Function::auto_ready().name().to_string(),
            },
            input: None,
        });
        self
    }
}
