//! Errors in what a promise declares: collected over the whole catalog, reported together.

use std::fmt;

/// One thing wrong with a promise, naming where, what and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The promise (`promise "database"`), or the pair of promises, concerned.
    pub subject: String,
    /// The field, as a path in the rendered object (`metadata.name`).
    pub field: String,
    /// The offending value, quoted, when there is one.
    pub value: Option<String>,
    /// The rule it breaks.
    pub rule: String,
}

impl Problem {
    /// A problem with `field` of promise `promise`.
    pub fn new(
        promise: &str,
        field: impl Into<String>,
        value: Option<&str>,
        rule: impl Into<String>,
    ) -> Self {
        Self {
            subject: format!("promise {promise:?}"),
            field: field.into(),
            value: value.map(|v| format!("{v:?}")),
            rule: rule.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.field)?;
        if let Some(value) = &self.value {
            write!(f, " = {value}")?;
        }
        write!(f, ": {}", self.rule)
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
