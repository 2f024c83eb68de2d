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
        Wire::from(self).serialize(ser)
    }
}

/// A readiness check as the function's Go type reads it: a `type` and the fields it uses.
#[derive(Serialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
enum Wire<'a> {
    MatchString {
        field_path: &'a str,
        match_string: &'a str,
    },
    MatchInteger {
        field_path: &'a str,
        match_integer: i64,
    },
    NonEmpty {
        field_path: &'a str,
    },
    MatchTrue {
        field_path: &'a str,
    },
    MatchFalse {
        field_path: &'a str,
    },
    MatchCondition {
        match_condition: WireCondition<'a>,
    },
    None,
}

#[derive(Serialize)]
struct WireCondition<'a> {
    #[serde(rename = "type")]
    type_: &'a str,
    status: &'a str,
}

impl<'a> From<&'a ReadinessCheck> for Wire<'a> {
    fn from(check: &'a ReadinessCheck) -> Self {
        match check {
            ReadinessCheck::MatchString { path, value } => Wire::MatchString {
                field_path: path,
                match_string: value,
            },
            ReadinessCheck::MatchInteger { path, value } => Wire::MatchInteger {
                field_path: path,
                match_integer: *value,
            },
            ReadinessCheck::NonEmpty(path) => Wire::NonEmpty { field_path: path },
            ReadinessCheck::MatchTrue(path) => Wire::MatchTrue { field_path: path },
            ReadinessCheck::MatchFalse(path) => Wire::MatchFalse { field_path: path },
            ReadinessCheck::MatchCondition { type_, status } => Wire::MatchCondition {
                match_condition: WireCondition { type_, status },
            },
            ReadinessCheck::None => Wire::None,
        }
    }
}
