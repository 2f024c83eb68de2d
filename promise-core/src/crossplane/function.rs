//! `pkg.crossplane.io/v1` `Function`: the composition functions a promise installs.

use serde::Serialize;

/// A Function package.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Function {
    /// Always `pkg.crossplane.io/v1`.
    pub api_version: &'static str,
    /// Always `Function`.
    pub kind: &'static str,
    /// The name compositions use in `functionRef`.
    pub metadata: FunctionMetadata,
    /// The package.
    pub spec: FunctionSpec,
}

/// A Function's metadata: its name only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionMetadata {
    /// Referenced by `functionRef.name`.
    pub name: String,
}

/// `Function.spec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionSpec {
    /// The OCI reference of the package, with its version.
    pub package: String,
}

impl Function {
    /// A Function named `name` from `package`.
    pub fn new(name: impl Into<String>, package: impl Into<String>) -> Self {
        Self {
            api_version: "pkg.crossplane.io/v1",
            kind: "Function",
            metadata: FunctionMetadata { name: name.into() },
            spec: FunctionSpec {
                package: package.into(),
            },
        }
    }

    /// function-patch-and-transform v0.10.8, whose input `Resources` this crate models.
    pub fn patch_and_transform() -> Self {
        Self::new(
            "function-patch-and-transform",
            "xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.10.8",
        )
    }

    /// function-auto-ready v0.7.0: marks composed resources ready from their health.
    pub fn auto_ready() -> Self {
        Self::new(
            "function-auto-ready",
            "xpkg.crossplane.io/crossplane-contrib/function-auto-ready:v0.7.0",
        )
    }

    /// The name, for `functionRef`.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
}
