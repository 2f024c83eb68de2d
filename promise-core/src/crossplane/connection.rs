//! Connection details a composed resource exposes, as function-patch-and-transform reads them.

use serde::Serialize;

/// A connection detail exposed from a composed resource.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectionDetail {
    /// A key of the resource's connection secret.
    FromConnectionSecretKey {
        /// Key in the composite's connection secret.
        name: String,
        /// Key in the composed resource's secret.
        key: String,
    },
    /// A field of the composed resource (checked at render time).
    FromFieldPath {
        /// Key in the composite's connection secret.
        name: String,
        /// Path in the composed resource.
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

impl Serialize for ConnectionDetail {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde_json::json;
        let value = match self {
            ConnectionDetail::FromConnectionSecretKey { name, key } => {
                json!({"name": name, "type": "FromConnectionSecretKey", "fromConnectionSecretKey": key})
            }
            ConnectionDetail::FromFieldPath { name, path } => {
                json!({"name": name, "type": "FromFieldPath", "fromFieldPath": path})
            }
            ConnectionDetail::FromValue { name, value } => {
                json!({"name": name, "type": "FromValue", "value": value})
            }
        };
        value.serialize(ser)
    }
}
