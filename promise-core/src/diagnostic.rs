//! One broken rule at one place: what every check, step and naming rule reports.
//!
//! A step's refusal ([`StepError`](crate::pipeline::StepError)), a schema check, a name that
//! breaks a Kubernetes rule and a render problem ([`Problem`](crate::Problem), which adds the
//! promise) are all a `Diagnostic`, printed the way `kubectl apply` prints a rejection:
//! `path: value: rule`.

use std::fmt;

use crate::excerpt::excerpt;

/// Where (a field path), what (the offending value, as shown) and which rule.
///
/// ```
/// use promise_core::Diagnostic;
///
/// let refused = Diagnostic::field("spec.size", "small", "production requires medium or large");
/// assert_eq!(refused.to_string(), r#"spec.size: "small": production requires medium or large"#);
/// assert_eq!(refused.value.as_deref(), Some(r#""small""#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where, as a dotted path in the object concerned (`spec.size`); `None` when no single
    /// field is to blame.
    pub path: Option<String>,
    /// The offending value as shown: quoted text, or JSON for a value of a request; `None`
    /// when there is none to show.
    pub value: Option<String>,
    /// The rule it breaks, worded as the apiserver words it where it has words for it.
    pub rule: String,
}

impl Diagnostic {
    /// A broken rule that no single field or value is to blame for.
    pub fn new(rule: impl Into<String>) -> Self {
        Self {
            path: None,
            value: None,
            rule: rule.into(),
        }
    }

    /// `path` holds `value`, which breaks `rule`; the value is shown quoted, cut short when
    /// long (it may be request input).
    pub fn field(
        path: impl Into<String>,
        value: impl fmt::Display,
        rule: impl Into<String>,
    ) -> Self {
        Self {
            path: Some(path.into()),
            ..Self::value(value, rule)
        }
    }

    /// `value` breaks `rule`, wherever it is: a name checked before it is placed. [`at`]
    /// places it.
    ///
    /// [`at`]: Diagnostic::at
    pub fn value(value: impl fmt::Display, rule: impl Into<String>) -> Self {
        Self {
            path: None,
            value: Some(format!("{:?}", excerpt(&value.to_string()))),
            rule: rule.into(),
        }
    }

    /// `path` holds a value shown as `value` (already rendered, as JSON for instance).
    pub fn shown(path: impl Into<String>, value: Option<String>, rule: impl Into<String>) -> Self {
        Self {
            path: Some(path.into()),
            value,
            rule: rule.into(),
        }
    }

    /// A name derived from `path` breaks a Kubernetes naming rule (`name` is what the rule
    /// reported).
    ///
    /// ```
    /// use promise_core::{Diagnostic, names::DnsLabel};
    ///
    /// let name = "x".repeat(70);
    /// let err = DnsLabel::new(format!("db-{name}")).map_err(|e| Diagnostic::derived("spec.name", e)).unwrap_err();
    /// assert!(err.to_string().starts_with(r#"spec.name: "db-xxx"#));
    /// assert!(err.to_string().contains("derived name must be no more than 63 characters"));
    /// ```
    pub fn derived(path: impl Into<String>, name: Diagnostic) -> Self {
        Self {
            path: Some(path.into()),
            value: name.value,
            rule: format!("derived name {}", name.rule),
        }
    }

    /// Places the diagnostic under `prefix`: prefixes its path, or sets it when it had none.
    ///
    /// ```
    /// use promise_core::Diagnostic;
    ///
    /// assert_eq!(Diagnostic::value("a_b", "must be a DNS-1123 label").at("metadata.name").to_string(),
    ///            r#"metadata.name: "a_b": must be a DNS-1123 label"#);
    /// ```
    pub fn at(mut self, prefix: &str) -> Self {
        self.path = Some(match self.path {
            Some(path) if !path.is_empty() => format!("{prefix}.{path}"),
            _ => prefix.to_string(),
        });
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A path may carry request input (a map key): shown cut short, never whole.
        if let Some(path) = &self.path {
            write!(f, "{}: ", excerpt(path))?;
        }
        if let Some(value) = &self.value {
            write!(f, "{value}: ")?;
        }
        f.write_str(&self.rule)
    }
}

impl std::error::Error for Diagnostic {}
