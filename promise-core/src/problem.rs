//! Errors in what a promise declares: collected over the whole catalog, reported together.

use std::fmt;

use crate::Diagnostic;

/// One thing wrong with a promise: the [`Diagnostic`] (where in what it renders, what, which
/// rule) and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The promise (`promise "database"`), the pair of promises, or the platform concerned.
    pub subject: String,
    /// What is wrong; its path is a field of the rendered object (`metadata.name`).
    pub diagnostic: Diagnostic,
}

impl Problem {
    /// A problem with `field` of promise `promise`; `value` is shown quoted.
    pub fn new(
        promise: &str,
        field: impl Into<String>,
        value: Option<&str>,
        rule: impl Into<String>,
    ) -> Self {
        Self::about(
            format!("promise {promise:?}"),
            Diagnostic::shown(field, value.map(|v| format!("{v:?}")), rule),
        )
    }

    /// `diagnostic`, about `subject`.
    pub fn about(subject: impl Into<String>, diagnostic: Diagnostic) -> Self {
        Self {
            subject: subject.into(),
            diagnostic,
        }
    }
}

/// A line of the render report: `promise "db": spec.size = "huge": rule`, the field set off
/// from its value as in the promise's source.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Diagnostic { path, value, rule } = &self.diagnostic;
        write!(
            f,
            "{}: {}",
            self.subject,
            path.as_deref().unwrap_or("<promise>")
        )?;
        if let Some(value) = value {
            write!(f, " = {value}")?;
        }
        write!(f, ": {rule}")
    }
}

/// Every problem found, in the order found; rendering writes nothing while there is one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// Records a problem with `field` of promise `promise`: how every check reports.
    pub fn report(
        &mut self,
        promise: &str,
        field: impl Into<String>,
        value: Option<&str>,
        rule: impl Into<String>,
    ) {
        self.0.push(Problem::new(promise, field, value, rule));
    }

    /// Records `diagnostic` about promise `promise`, its path placed under `field`.
    pub fn report_at(&mut self, promise: &str, field: &str, diagnostic: Diagnostic) {
        self.0.push(Problem::about(
            format!("promise {promise:?}"),
            diagnostic.at(field),
        ));
    }

    /// `Ok(value)` when nothing was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, Problems> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} found, nothing written:",
            if n == 1 { "" } else { "s" }
        )?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}
