//! What a step reports when it refuses a request.

use std::fmt;

use crate::excerpt::excerpt;
use crate::names::NameError;

/// A step's refusal: the field, the offending value and the rule, printed by the pipeline
/// binary on stderr the way `kubectl apply` prints a rejection.
///
/// ```
/// use promise_core::pipeline::StepError;
///
/// let err = StepError::field("spec.size", "small", "production requires medium or large");
/// assert_eq!(err.to_string(), r#"spec.size: "small": production requires medium or large"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError {
    /// The field, as a path in the input object (`spec.size`), if one is to blame.
    pub field: Option<String>,
    /// The offending value, if there is one.
    pub value: Option<String>,
    /// The rule that was broken.
    pub rule: String,
}

impl StepError {
    /// A broken rule that no single field is to blame for.
    pub fn new(rule: impl Into<String>) -> Self {
        Self {
            field: None,
            value: None,
            rule: rule.into(),
        }
    }

    /// `field` holds `value`, which breaks `rule`.
    pub fn field(
        field: impl Into<String>,
        value: impl fmt::Display,
        rule: impl Into<String>,
    ) -> Self {
        Self {
            field: Some(field.into()),
            value: Some(value.to_string()),
            rule: rule.into(),
        }
    }

    /// A name derived from `field` breaks a Kubernetes naming rule.
    ///
    /// ```
    /// use promise_core::{names::DnsLabel, pipeline::StepError};
    ///
    /// let name = "x".repeat(70);
    /// let err = DnsLabel::new(format!("db-{name}")).map_err(|e| StepError::derived("spec.name", e)).unwrap_err();
    /// assert!(err.to_string().starts_with(r#"spec.name: "db-xxx"#));
    /// assert!(err.to_string().contains("derived name must be no more than 63 characters"));
    /// ```
    pub fn derived(field: impl Into<String>, error: NameError) -> Self {
        Self {
            field: Some(field.into()),
            value: Some(error.value),
            rule: format!("derived name {}", error.rule),
        }
    }

    /// Prefixes the field path, or sets it when there was none.
    pub(crate) fn at(mut self, prefix: &str) -> Self {
        self.field = Some(match self.field {
            Some(field) if !field.is_empty() => format!("{prefix}.{field}"),
            _ => prefix.to_string(),
        });
        self
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Field paths and values may carry request input: shown cut short, never whole.
        if let Some(field) = &self.field {
            write!(f, "{}: ", excerpt(field))?;
        }
        if let Some(value) = &self.value {
            write!(f, "{:?}: ", excerpt(value))?;
        }
        f.write_str(&self.rule)
    }
}

impl std::error::Error for StepError {}

impl From<crate::schema::Violation> for StepError {
    fn from(v: crate::schema::Violation) -> Self {
        Self {
            field: Some(v.path),
            value: None,
            rule: v
                .value
                .map_or(v.rule.clone(), |value| format!("{value}: {}", v.rule)),
        }
    }
}
