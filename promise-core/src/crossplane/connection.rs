//! Connection details a composed resource exposes, as function-patch-and-transform reads them.

use serde::Serialize;

/// A connection detail exposed from a composed resource, serialized as the function reads it
/// (`{name, type: FromFieldPath, fromFieldPath}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum ConnectionDetail {
    /// A key of the resource's connection secret.
    FromConnectionSecretKey {
        /// Key in the composite's connection secret.
        name: String,
        /// Key in the composed resource's secret.
        #[serde(rename = "fromConnectionSecretKey")]
        key: String,
    },
    /// A field of the composed resource (checked at render time).
    FromFieldPath {
        /// Key in the composite's connection secret.
        name: String,
        /// Path in the composed resource.
        #[serde(rename = "fromFieldPath")]
        path: String,
    },
    /// A fixed value.
    FromValue {
        /// Key in the composite's connection secret.
        name: String,
        /// The value.
        value: String,
    },
}
