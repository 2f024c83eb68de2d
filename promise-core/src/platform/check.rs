//! The rules a platform definition must keep: Kratix's own (a Destination's path is required
//! and unique per state store, its store exists and is of the kind it names), Argo CD's
//! (it syncs from Git, to a cluster it knows), and ours (no Destination's folder inside
//! another's, which a recursive sync would read twice; no secret value anywhere).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::types::*;
use crate::Diagnostic;
use crate::names::rules;
use crate::problem::{Problem, Problems};

fn problem(field: impl Into<String>, value: &str, rule: impl Into<String>) -> Problem {
    Problem::about(
        "platform",
        Diagnostic::shown(field, Some(format!("{value:?}")), rule),
    )
}

/// Every rule, every problem reported.
pub(crate) fn platform(platform: &Platform, problems: &mut Problems) {
    if platform.kratix.version.trim().is_empty() {
        problems.push(problem("kratix.version", "", "a release tag is required"));
    }
    for (field, value) in [
        ("argocdNamespace", &platform.argocd_namespace),
        ("kratix.namespace", &platform.kratix.namespace),
    ] {
        if let Err(rule) = rules::dns1123_label(value) {
            problems.push(problem(field, value, rule));
        }
    }
    stores(platform, problems);
    clusters(platform, problems);
    destinations(platform, problems);
    if let Some(monitoring) = &platform.monitoring
        && let Err(rule) = rules::dns1123_label(&monitoring.namespace)
    {
        problems.push(problem("monitoring.namespace", &monitoring.namespace, rule));
    }
}

fn stores(platform: &Platform, problems: &mut Problems) {
    let mut seen = BTreeSet::new();
    for store in &platform.state_stores {
        let at = format!("{}[{}]", store.kind().as_str(), store.name());
        if let Err(rule) = rules::dns1123_subdomain(store.name()) {
            problems.push(problem(format!("{at}.name"), store.name(), rule));
        }
        if !seen.insert((store.kind(), store.name())) {
            problems.push(problem(
                format!("{at}.name"),
                store.name(),
                "is defined twice",
            ));
        }
        match store {
            StateStore::Git {
                url, branch, auth, ..
            } => {
                let ssh = url.starts_with("ssh://") || url.starts_with("git@");
                let https = url.starts_with("https://");
                match auth {
                    GitAuth::Ssh if !ssh => problems.push(problem(
                        format!("{at}.url"),
                        url,
                        "authMethod ssh needs an ssh:// or git@ URL",
                    )),
                    GitAuth::BasicAuth | GitAuth::GitHubApp if !https => problems.push(problem(
                        format!("{at}.url"),
                        url,
                        format!("authMethod {} needs an https:// URL", auth.as_str()),
                    )),
                    _ => {}
                }
                if branch.trim().is_empty() {
                    problems.push(problem(format!("{at}.branch"), branch, "must not be empty"));
                }
            }
            StateStore::Bucket {
                endpoint,
                bucket,
                auth,
                credentials,
                ..
            } => {
                if endpoint.trim().is_empty() || endpoint.contains("://") {
                    problems.push(problem(
                        format!("{at}.endpoint"),
                        endpoint,
                        "must be host:port, without a scheme (Kratix's S3 client adds it)",
                    ));
                }
                if let Err(rule) = rules::dns1123_subdomain(bucket) {
                    problems.push(problem(format!("{at}.bucketName"), bucket, rule));
                }
                if *auth == BucketAuth::AccessKey && credentials.is_none() {
                    problems.push(problem(
                        format!("{at}.secretRef"),
                        "",
                        "authMethod accessKey reads accessKeyID and secretAccessKey from a Secret",
                    ));
                }
            }
        }
        if let Some((secret, _)) = store.credentials() {
            if let Err(rule) = rules::dns1123_subdomain(&secret.name) {
                problems.push(problem(format!("{at}.secretRef.name"), &secret.name, rule));
            }
            if let Err(rule) = rules::dns1123_label(&secret.namespace) {
                problems.push(problem(
                    format!("{at}.secretRef.namespace"),
                    &secret.namespace,
                    rule,
                ));
            }
        }
    }
}

fn clusters(platform: &Platform, problems: &mut Problems) {
    let mut seen = BTreeSet::new();
    for cluster in &platform.clusters {
        if !seen.insert(&cluster.name) {
            problems.push(problem("clusters.name", &cluster.name, "is defined twice"));
        }
        if !cluster.server.starts_with("https://") {
            problems.push(problem(
                format!("clusters[{}].server", cluster.name),
                &cluster.server,
                "must be an https:// API server URL",
            ));
        }
    }
}

fn destinations(platform: &Platform, problems: &mut Problems) {
    let mut names = BTreeSet::new();
    // Folders by store, to find duplicates and folders inside others.
    let mut folders: BTreeMap<(StoreKind, &str), Vec<(&str, String)>> = BTreeMap::new();
    for destination in &platform.destinations {
        let at = format!("Destination[{}]", destination.name);
        if let Err(rule) = rules::dns1123_subdomain(&destination.name) {
            problems.push(problem(format!("{at}.name"), &destination.name, rule));
        }
        // Its Application `kratix-<name>` is a label value in Argo CD's resource tracking.
        if destination.synced_to.is_some() && destination.name.len() > 63 - "kratix-".len() {
            problems.push(problem(
                format!("{at}.name"),
                &destination.name,
                "must be at most 56 characters: Argo CD tracks resources by the label value `kratix-<name>`",
            ));
        }
        if !names.insert(&destination.name) {
            problems.push(problem(
                format!("{at}.name"),
                &destination.name,
                "is defined twice",
            ));
        }
        for (key, value) in &destination.labels {
            if let Err(rule) = rules::label_key(key) {
                problems.push(problem(format!("{at}.labels"), key, rule));
            }
            if let Err(rule) = rules::label_value(value) {
                problems.push(problem(format!("{at}.labels[{key}]"), value, rule));
            }
        }
        if destination.path.trim().is_empty() {
            problems.push(problem(
                format!("{at}.path"),
                &destination.path,
                "is required by Kratix's webhook (`.` or `/` for the store's root)",
            ));
        } else if destination
            .path
            .split('/')
            .any(|part| part == ".." || part.contains(['\\', '\0']))
        {
            problems.push(problem(
                format!("{at}.path"),
                &destination.path,
                "must be a folder inside the state store",
            ));
        }
        if let FilepathMode::AggregatedYaml { filename } = &destination.filepath
            && (filename.is_empty() || filename.contains('/'))
        {
            problems.push(problem(
                format!("{at}.filepath.filename"),
                filename,
                "must be a file name",
            ));
        }
        let store = platform.store(&destination.store);
        if store.is_none() {
            let other = platform
                .state_stores
                .iter()
                .find(|s| s.name() == destination.store.name);
            let rule = match other {
                Some(s) => format!(
                    "names a {}, but {} is a {}",
                    destination.store.kind.as_str(),
                    s.name(),
                    s.kind().as_str()
                ),
                None => format!(
                    "no {} of that name; the platform has {}",
                    destination.store.kind.as_str(),
                    list(platform.state_stores.iter().map(StateStore::name))
                ),
            };
            problems.push(problem(
                format!("{at}.stateStoreRef"),
                &destination.store.name,
                rule,
            ));
        }
        if let Some(folder) = platform.folder(destination) {
            folders
                .entry((destination.store.kind, destination.store.name.as_str()))
                .or_default()
                .push((destination.name.as_str(), folder));
        }
        if let Some(cluster) = &destination.synced_to {
            if !platform.clusters.iter().any(|c| &c.name == cluster) {
                problems.push(problem(
                    format!("{at}.syncedTo"),
                    cluster,
                    format!(
                        "no such cluster; the platform has {}",
                        list(platform.clusters.iter().map(|c| c.name.as_str()))
                    ),
                ));
            }
            if store.is_some_and(|s| s.kind() == StoreKind::Bucket) {
                problems.push(problem(
                    format!("{at}.syncedTo"),
                    cluster,
                    "Argo CD syncs from Git repositories; a BucketStateStore needs another syncer (Flux's Bucket source)",
                ));
            }
        }
    }
    for ((kind, store), entries) in folders {
        for (i, (a, folder_a)) in entries.iter().enumerate() {
            for (b, folder_b) in &entries[i + 1..] {
                let inside = |x: &str, y: &str| x == "." || y.starts_with(&format!("{x}/"));
                if folder_a == folder_b {
                    problems.push(problem(
                        format!("Destination[{b}].path"),
                        folder_b,
                        format!(
                            "is also {a}'s path in {} {store}: Kratix requires a path unique per state store",
                            kind.as_str()
                        ),
                    ));
                } else if inside(folder_a, folder_b) || inside(folder_b, folder_a) {
                    problems.push(problem(
                        format!("Destination[{b}].path"),
                        folder_b,
                        format!(
                            "overlaps {a}'s folder {folder_a:?} in {} {store}: a recursive sync of one would apply the other's files",
                            kind.as_str()
                        ),
                    ));
                }
            }
        }
    }
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// A promise's `destinationSelectors` (squashed as Kratix squashes them) must match at least
/// one Destination, or its work is never scheduled.
pub fn check_selectors(
    platform: &Platform,
    promise: &str,
    selectors: &BTreeMap<String, String>,
) -> Option<Problem> {
    if platform.destinations.iter().any(|d| d.matches(selectors)) {
        return None;
    }
    let labels: Vec<String> = selectors.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let there: Vec<String> = platform
        .destinations
        .iter()
        .map(|d| {
            let labels: Vec<String> = d.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{} {{{}}}", d.name, labels.join(", "))
        })
        .collect();
    Some(Problem::new(
        promise,
        "spec.destinationSelectors",
        Some(&labels.join(", ")),
        format!(
            "no Destination of the platform matches, so its work would never be scheduled; the destinations are {}",
            if there.is_empty() {
                "none".into()
            } else {
                there.join("; ")
            }
        ),
    ))
}

/// Keys whose string values are credentials.
const SECRET_KEYS: &[&str] = &[
    "password",
    "token",
    "secretAccessKey",
    "accessKeyID",
    "sshPrivateKey",
    "privateKey",
    "stringData",
];

/// Prefixes of credentials that must never reach git.
const SECRET_PREFIXES: &[&str] = &["glpat-", "ghp_", "github_pat_", "-----BEGIN", "AKIA"];

/// Refuses a rendered object that carries a secret value: a Secret, a credential key with a
/// value, or a string that looks like a token.
pub(crate) fn no_secret_values(path: &str, object: &Value, problems: &mut Problems) {
    if object.get("kind").and_then(Value::as_str) == Some("Secret") {
        problems.push(problem(
            path,
            "Secret",
            "a platform renders references to Secrets, never Secrets",
        ));
    }
    let mut stack = vec![(String::new(), object)];
    while let Some((at, value)) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if SECRET_KEYS.contains(&key.as_str()) && !child.is_null() {
                        problems.push(problem(
                            format!("{path}: {at}.{key}"),
                            "<hidden>",
                            "a credential value; reference a Secret instead",
                        ));
                    }
                    stack.push((format!("{at}.{key}"), child));
                }
            }
            Value::Array(items) => {
                stack.extend(items.iter().map(|item| (format!("{at}[]"), item)));
            }
            Value::String(text) if SECRET_PREFIXES.iter().any(|p| text.starts_with(p)) => {
                problems.push(problem(
                    format!("{path}: {at}"),
                    "<hidden>",
                    "looks like a credential; reference a Secret instead",
                ));
            }
            _ => {}
        }
    }
}

impl Platform {
    /// What each `strictMatchLabels` Destination will refuse: work without selectors, so the
    /// promise workflows, dependencies and default output of every promise in `promises`
    /// (name, squashed `destinationSelectors`) that has none. One line per Destination.
    pub fn strict_report(&self, promises: &[(&str, BTreeMap<String, String>)]) -> Vec<String> {
        let unselected: Vec<&str> = promises
            .iter()
            .filter(|(_, selectors)| selectors.is_empty())
            .map(|(name, _)| *name)
            .collect();
        self.destinations
            .iter()
            .filter(|d| d.strict_match_labels && !d.labels.is_empty())
            .map(|d| {
                format!(
                    "destination {} has strictMatchLabels: it refuses work without selectors{}",
                    d.name,
                    if unselected.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ", such as the output of promises without destinationSelectors ({}) unless a step selects it",
                            unselected.join(", ")
                        )
                    }
                )
            })
            .collect()
    }
}
