//! Destinations a local run schedules to, as `cargo xtask run --destinations FILE` lists them.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A Destination: its labels, where it sits in the state store, and whether it only takes
/// work that selects it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Destination {
    /// Destination name.
    pub name: String,
    /// Labels selectors match.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Folder in the state store (`spec.path`); `.` or `/` is the root.
    pub path: String,
    /// Refuse work whose selectors are empty (`spec.strictMatchLabels`).
    #[serde(default)]
    pub strict_match_labels: bool,
}

impl Destination {
    fn new(name: &str, environment: &str) -> Self {
        Self {
            name: name.into(),
            labels: BTreeMap::from([("environment".to_string(), environment.to_string())]),
            path: name.into(),
            strict_match_labels: false,
        }
    }

    /// Whether this destination takes a workload group with `selectors`: it has every label,
    /// and an empty selector is refused by a strict destination that has labels.
    pub fn matches(&self, selectors: &BTreeMap<String, String>) -> bool {
        // Dry-run Destinations take only dry-run Works, which a local run never produces.
        if self
            .labels
            .get("kratix.io/dry-run")
            .is_some_and(|v| v == "true")
        {
            return false;
        }
        if selectors.is_empty() {
            return !self.strict_match_labels || self.labels.is_empty();
        }
        selectors.iter().all(|(k, v)| self.labels.get(k) == Some(v))
    }

    /// The prefix of this destination's files in the state store.
    pub(crate) fn prefix(&self) -> String {
        match self.path.trim_matches('/') {
            "" | "." => String::new(),
            path => format!("{path}/"),
        }
    }
}

/// The manual's stack: the platform cluster and one worker cluster per environment.
pub fn default_destinations() -> Vec<Destination> {
    vec![
        Destination::new("platform", "platform"),
        Destination::new("dev", "dev"),
        Destination::new("staging", "staging"),
        Destination::new("prod", "prod"),
    ]
}

/// Reads a destinations file: a YAML list of `{name, labels, path, strictMatchLabels}`.
///
/// ```
/// let d = promise_core::local::parse_destinations("- name: edge\n  labels: {zone: eu}\n  path: edge\n").unwrap();
/// assert_eq!(d[0].name, "edge");
/// assert!(promise_core::local::parse_destinations("- name: x\n").is_err());
/// ```
pub fn parse_destinations(yaml: &str) -> Result<Vec<Destination>, String> {
    let destinations: Vec<Destination> = serde_saphyr::from_str(yaml).map_err(|e| {
        let first = e.to_string();
        format!(
            "not a list of destinations (name, labels, path, strictMatchLabels): {}",
            first.lines().next().unwrap_or("")
        )
    })?;
    let mut names = std::collections::BTreeSet::new();
    for d in &destinations {
        crate::names::rules::dns1123_subdomain(&d.name)
            .map_err(|rule| format!("destination name {:?} {rule}", d.name))?;
        if !names.insert(&d.name) {
            return Err(format!("destination {:?} is listed twice", d.name));
        }
    }
    Ok(destinations)
}
