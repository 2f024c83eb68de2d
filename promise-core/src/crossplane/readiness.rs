//! How function-patch-and-transform decides a composed resource is ready.

use serde::Serialize;

/// How function-patch-and-transform decides a composed resource is ready.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadinessCheck {
    /// The field equals the string.
    MatchString {
        /// Path in the composed resource.
        path: String,
        /// Expected value.
        value: String,
    },
    /// The field equals the integer.
    MatchInteger {
        /// Path in the composed resource.
        path: String,
        /// Expected value.
        value: i64,
    },
    /// The field is set and not empty.
    NonEmpty(String),
    /// The field is `true`.
    MatchTrue(String),
    /// The field is `false`.
    MatchFalse(String),
    /// A condition has the status.
    MatchCondition {
        /// Condition type, such as `Ready`.
        type_: String,
        /// `True`, `False` or `Unknown`.
        status: String,
    },
    /// Ready as soon as it exists.
    None,
}

impl ReadinessCheck {
    /// The composed-side path the check reads, if any.
    pub(crate) fn path(&self) -> Option<&str> {
        match self {
            ReadinessCheck::MatchString { path, .. }
            | ReadinessCheck::MatchInteger { path, .. } => Some(path),
            ReadinessCheck::NonEmpty(path)
            | ReadinessCheck::MatchTrue(path)
            | ReadinessCheck::MatchFalse(path) => Some(path),
            ReadinessCheck::MatchCondition { .. } | ReadinessCheck::None => None,
        }
    }
}

impl Serialize for ReadinessCheck {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde_json::json;
        let value = match self {
            ReadinessCheck::MatchString { path, value } => {
                json!({"type": "MatchString", "fieldPath": path, "matchString": value})
            }
            ReadinessCheck::MatchInteger { path, value } => {
                json!({"type": "MatchInteger", "fieldPath": path, "matchInteger": value})
            }
            ReadinessCheck::NonEmpty(path) => json!({"type": "NonEmpty", "fieldPath": path}),
            ReadinessCheck::MatchTrue(path) => json!({"type": "MatchTrue", "fieldPath": path}),
            ReadinessCheck::MatchFalse(path) => json!({"type": "MatchFalse", "fieldPath": path}),
            ReadinessCheck::MatchCondition { type_, status } => {
                json!({"type": "MatchCondition", "matchCondition": {"type": type_, "status": status}})
            }
            ReadinessCheck::None => json!({"type": "None"}),
        };
        value.serialize(ser)
    }
}
