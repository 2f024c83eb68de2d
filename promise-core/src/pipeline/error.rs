//! What a step reports when it refuses a request.

/// A step's refusal: a [`Diagnostic`](crate::Diagnostic) naming the field, the offending
/// value and the rule, printed by the pipeline binary on stderr the way `kubectl apply`
/// prints a rejection.
///
/// ```
/// use promise_core::pipeline::StepError;
///
/// let err = StepError::field("spec.size", "small", "production requires medium or large");
/// assert_eq!(err.to_string(), r#"spec.size: "small": production requires medium or large"#);
/// ```
pub type StepError = crate::Diagnostic;
