//! Crossplane, typed: composite resource definitions derived from the same Rust struct the
//! pipeline fills in, pipeline-mode Compositions with function-patch-and-transform steps whose
//! composite-side paths are typed and composed-side paths are checked at render time, and the
//! Function packages they need.

mod composite;
mod composition;
mod connection;
mod function;
mod patch;
mod path;
mod readiness;
mod transform;
mod xrd;

pub(crate) mod check;

pub use composite::{
    Composed, ComposedSpec, Composite, CompositeScope, CompositionReference, CompositionSelector,
    CrossplaneControl, LegacyCrossplaneControl, Manifest, SecretReference,
};
pub use composition::{Composition, CompositionStep, FunctionReference, TypeReference};
pub use connection::ConnectionDetail;
pub use function::Function;
pub use patch::{
    ComposedTemplate, FromFieldPathPolicy, Patch, PatchPolicy, PatchSet, PatchType, Resources,
    ToFieldPathPolicy, TypedPatch, Variants,
};
pub use path::{FieldPath, HasPaths, ObjectMetaPaths, resolve_path};
pub use readiness::ReadinessCheck;
pub use transform::{
    ConvertFormat, ConvertType, MatchPattern, MathTransform, StringConversion, StringTransform,
    Transform,
};
pub use xrd::{CompositeResourceDefinition, XrdApi, XrdSpec, XrdVersion};

use crate::Diagnostic;

/// An object's `openAPIV3Schema`.
pub type Schema =
    k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::JSONSchemaProps;

/// Everything Crossplane needs for one promise: definitions, compositions and functions,
/// rendered into the Promise's `dependencies` in that order.
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    pub(crate) xrds: Vec<Result<CompositeResourceDefinition, Diagnostic>>,
    pub(crate) compositions: Vec<Composition>,
    pub(crate) functions: Vec<Function>,
}

impl Bundle {
    /// An empty bundle.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the XRD of `X`, built from the same type the pipeline emits.
    pub fn xrd<X: Composite>(mut self, api: XrdApi) -> Self {
        self.xrds.push(X::xrd(api));
        self
    }

    /// Adds a composition.
    pub fn composition(mut self, composition: Composition) -> Self {
        self.compositions.push(composition);
        self
    }

    /// Adds a Function package; a composition step may only name a rendered Function.
    pub fn function(mut self, function: Function) -> Self {
        if !self
            .functions
            .iter()
            .any(|f| f.metadata.name == function.metadata.name)
        {
            self.functions.push(function);
        }
        self
    }
}
