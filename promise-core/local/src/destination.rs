//! Destinations a local run schedules to: the platform's own (see [`promise_core::platform`]), or
//! those of a file of Kratix `Destination` objects (`cargo xtask run --destinations FILE`).

use std::collections::BTreeMap;

use serde_json::Value;

use promise_core::Diagnostic;
use promise_core::platform::{FilepathMode, Platform, StoreKind};

/// A Destination as a run uses it: its labels, its folder in the state store, whether it only
/// takes work that selects it, and how its files are laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// Destination name.
    pub name: String,
    /// Labels selectors match.
    pub labels: BTreeMap<String, String>,
    /// Its folder in the state store: the store's path, then the Destination's (`.` or empty
    /// for the root).
    pub path: String,
    /// Refuse work whose selectors are empty (`spec.strictMatchLabels`).
    pub strict_match_labels: bool,
    /// The file layout (`spec.filepath`).
    pub filepath: FilepathMode,
}

impl Destination {
    /// Whether this destination takes a workload group with `selectors`: it has every label,
    /// and an empty selector is refused by a strict destination that has labels.
    pub fn matches(&self, selectors: &BTreeMap<String, String>) -> bool {
        promise_core::platform::takes(&self.labels, self.strict_match_labels, selectors)
    }

    /// The prefix of this destination's files in the state store.
    pub(crate) fn prefix(&self) -> String {
        match self.path.trim_matches('/') {
            "" | "." => String::new(),
            path => format!("{path}/"),
        }
    }
}

/// The platform's Destinations, each at its folder in its state store.
pub fn platform_destinations(platform: &Platform) -> Vec<Destination> {
    platform
        .destinations
        .iter()
        .map(|d| Destination {
            name: d.name.clone(),
            labels: d.labels.clone(),
            path: platform.folder(d).unwrap_or_else(|| d.path.clone()),
            strict_match_labels: d.strict_match_labels,
            filepath: d.filepath.clone(),
        })
        .collect()
}

/// Reads Kratix's own YAML: every `Destination` in the file's documents, under the path of its
/// `GitStateStore` or `BucketStateStore` when the file defines that too. Other kinds are
/// skipped.
///
/// ```
/// let yaml = "apiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: edge\n  labels: {zone: eu}\nspec:\n  path: edge\n  stateStoreRef: {kind: GitStateStore, name: default}\n";
/// let d = promise_local::parse_destinations(yaml).unwrap();
/// assert_eq!((d[0].name.as_str(), d[0].path.as_str()), ("edge", "edge"));
/// assert!(promise_local::parse_destinations("kind: Destination\nmetadata: {name: x}\n").is_err());
/// ```
pub fn parse_destinations(yaml: &str) -> Result<Vec<Destination>, Diagnostic> {
    // Each error names the Destination by its name, then the field.
    let broken = |name: &str, field: &str, value: Option<&str>, rule: String| {
        let path = if name.is_empty() {
            field.to_string()
        } else {
            format!("Destination {name:?} {field}")
        };
        Diagnostic::shown(path, value.map(|v| format!("{v:?}")), rule)
    };
    let documents: Vec<Value> = serde_saphyr::from_multiple(yaml).map_err(|e| {
        broken(
            "",
            "the file",
            None,
            format!(
                "not YAML: {}",
                e.to_string().lines().next().unwrap_or_default()
            ),
        )
    })?;
    let kind = |d: &Value| {
        d.get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let text = |d: &Value, p: &str| d.pointer(p).and_then(Value::as_str).map(str::to_string);
    let mut prefixes = BTreeMap::new();
    for document in &documents {
        let store_kind = match kind(document).as_str() {
            "GitStateStore" => StoreKind::Git,
            "BucketStateStore" => StoreKind::Bucket,
            _ => continue,
        };
        let name = text(document, "/metadata/name").unwrap_or_default();
        let path = text(document, "/spec/path").unwrap_or_default();
        prefixes.insert((store_kind.as_str().to_string(), name), path);
    }
    let mut destinations = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for document in documents.iter().filter(|d| kind(d) == "Destination") {
        let name = text(document, "/metadata/name").unwrap_or_default();
        promise_core::names::rules::dns1123_subdomain(&name)
            .map_err(|rule| broken("", "Destination metadata.name", Some(&name), rule))?;
        if !names.insert(name.clone()) {
            return Err(broken(
                "",
                "Destination metadata.name",
                Some(&name),
                "is defined twice".into(),
            ));
        }
        let path = text(document, "/spec/path")
            .filter(|p| !p.trim().is_empty())
            .ok_or_else(|| broken(&name, "spec.path", None, "is required".into()))?;
        let store_ref = (
            text(document, "/spec/stateStoreRef/kind").unwrap_or_default(),
            text(document, "/spec/stateStoreRef/name").unwrap_or_default(),
        );
        let prefix = prefixes.get(&store_ref).cloned().unwrap_or_default();
        let folder: Vec<&str> = [prefix.as_str(), path.as_str()]
            .into_iter()
            .map(|p| p.trim_matches('/'))
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        let labels: BTreeMap<String, String> = document
            .pointer("/metadata/labels")
            .map(|l| serde_json::from_value(l.clone()))
            .transpose()
            .map_err(|e| broken(&name, "metadata.labels", None, e.to_string()))?
            .unwrap_or_default();
        let filepath = match text(document, "/spec/filepath/mode").as_deref() {
            None | Some("nestedByMetadata") => FilepathMode::NestedByMetadata,
            Some("aggregatedYAML") => FilepathMode::AggregatedYaml {
                filename: text(document, "/spec/filepath/filename")
                    .unwrap_or_else(|| "aggregated.yaml".into()),
            },
            Some("none") => FilepathMode::None,
            Some(other) => {
                return Err(broken(
                    &name,
                    "spec.filepath.mode",
                    Some(other),
                    "must be nestedByMetadata, aggregatedYAML or none".into(),
                ));
            }
        };
        destinations.push(Destination {
            name,
            labels,
            path: folder.join("/"),
            strict_match_labels: document
                .pointer("/spec/strictMatchLabels")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            filepath,
        });
    }
    if destinations.is_empty() {
        return Err(broken(
            "",
            "the file",
            None,
            "holds no Kratix Destination (kind: Destination)".into(),
        ));
    }
    Ok(destinations)
}
