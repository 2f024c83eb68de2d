//! The objects a platform renders to, each derived from the definition so that what must
//! agree cannot disagree.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::check;
use super::types::*;
use crate::problem::Problems;

impl Platform {
    /// Checks the platform, then renders it: `platform/kratix.yaml` (the install),
    /// `platform/state-stores/`, `platform/destinations/`, `platform/argocd/` (one
    /// Application per synced Destination), `platform/secrets/` (ExternalSecrets) or
    /// `platform/required-secrets.yaml` (what an operator creates), and
    /// `platform/monitoring/kratix.yaml`. Files by path, each with the render header.
    pub fn render(&self) -> Result<BTreeMap<String, String>, Problems> {
        let mut problems = Problems::default();
        check::platform(self, &mut problems);
        let mut objects: Vec<(String, Value)> = vec![("kratix.yaml".into(), self.install())];
        for store in &self.state_stores {
            objects.push((
                format!("state-stores/{}.yaml", store.name()),
                state_store(store),
            ));
        }
        for destination in &self.destinations {
            objects.push((
                format!("destinations/{}.yaml", destination.name),
                kratix_destination(destination),
            ));
            if let Some(app) = self.application(destination) {
                objects.push((format!("argocd/{}.yaml", destination.name), app));
            }
        }
        match &self.secrets {
            Some(external) => {
                for (secret, keys) in self.state_stores.iter().filter_map(StateStore::credentials) {
                    objects.push((
                        format!("secrets/{}.yaml", secret.name),
                        external_secret(external, secret, keys),
                    ));
                }
            }
            None => objects.push(("required-secrets.yaml".into(), self.required_secrets())),
        }
        if let Some(monitoring) = &self.monitoring {
            objects.push((
                "monitoring/kratix.yaml".into(),
                service_monitor(monitoring, &self.kratix.namespace),
            ));
        }
        let mut files = BTreeMap::new();
        for (path, object) in objects {
            check::no_secret_values(&path, &object, &mut problems);
            match crate::yaml::to_string(&object) {
                Ok(yaml) => {
                    files.insert(format!("platform/{path}"), yaml);
                }
                Err(e) => problems.push(crate::Problem::about(
                    "platform",
                    crate::Diagnostic::shown(path, None, format!("cannot be written as YAML: {e}")),
                )),
            }
        }
        problems.into_result(files)
    }

    /// Kratix's installation as an Argo CD Application. The release manifests hold CRDs larger
    /// than client-side apply's annotation limit, so it applies server-side.
    fn install(&self) -> Value {
        let kratix = &self.kratix;
        let source = match &kratix.source {
            KratixSource::Manifests {
                repo_url,
                path,
                file,
            } => json!({
                "repoURL": repo_url,
                "targetRevision": kratix.version,
                "path": path,
                "directory": {"include": file},
            }),
            KratixSource::Chart { repo_url, chart } => json!({
                "repoURL": repo_url,
                "targetRevision": kratix.version,
                "chart": chart,
            }),
        };
        json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": {
                "name": "kratix",
                "namespace": self.argocd_namespace,
                "annotations": {"argocd.argoproj.io/sync-wave": "0"},
            },
            "spec": {
                "project": self.argocd_project,
                "source": source,
                "destination": {
                    "server": "https://kubernetes.default.svc",
                    "namespace": kratix.namespace,
                },
                "syncPolicy": sync_policy(kratix.automated, &["CreateNamespace=true", "ServerSideApply=true"]),
            },
        })
    }

    /// The Application syncing `destination`'s folder to its cluster: repository, revision and
    /// path all come from the Destination and its state store.
    fn application(&self, destination: &Destination) -> Option<Value> {
        let cluster = destination.synced_to.as_ref()?;
        let server = self.clusters.iter().find(|c| &c.name == cluster)?;
        let StateStore::Git { url, branch, .. } = self.store(&destination.store)? else {
            return None;
        };
        let mut source = json!({
            "repoURL": url,
            "targetRevision": branch,
            "path": self.folder(destination)?,
        });
        // Kratix nests files by namespace, promise, request and pipeline, and even flat output
        // keeps a step's own folders: read every level. Only an aggregated file is one file.
        if !matches!(destination.filepath, FilepathMode::AggregatedYaml { .. }) {
            source["directory"] = json!({"recurse": true});
        }
        Some(json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": {
                "name": format!("kratix-{}", destination.name),
                "namespace": self.argocd_namespace,
                "labels": {"kratix.io/destination": destination.name},
            },
            "spec": {
                "project": self.argocd_project,
                "source": source,
                // No default namespace: every namespaced object Kratix writes names its own.
                "destination": {"server": server.server},
                // A request's custom resource may arrive in the same sync as its CRD.
                "syncPolicy": sync_policy(true, &["SkipDryRunOnMissingResource=true"]),
            },
        }))
    }

    /// Where a Destination's files are in its store's repository or bucket:
    /// `<store path>/<destination path>`, or `.` for the root.
    pub fn folder(&self, destination: &Destination) -> Option<String> {
        let store = self.store(&destination.store)?;
        let parts: Vec<String> = [store.prefix(), trim(&destination.path)]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        Some(if parts.is_empty() {
            ".".into()
        } else {
            parts.join("/")
        })
    }

    /// What an operator must create when no external store provides credentials.
    fn required_secrets(&self) -> Value {
        let secrets: Vec<Value> = self
            .state_stores
            .iter()
            .filter_map(|store| {
                let (secret, keys) = store.credentials()?;
                Some(json!({
                    "name": secret.name,
                    "namespace": secret.namespace,
                    "keys": keys,
                    "readBy": format!("{} {}", store.kind().as_str(), store.name()),
                }))
            })
            .collect();
        json!({"requiredSecrets": secrets})
    }
}

fn sync_policy(automated: bool, options: &[&str]) -> Value {
    let mut policy = json!({"syncOptions": options});
    if automated {
        policy["automated"] = json!({"prune": true, "selfHeal": true});
    }
    policy
}

fn state_store(store: &StateStore) -> Value {
    let secret_ref = |s: &SecretRef| json!({"name": s.name, "namespace": s.namespace});
    let (spec, name) = match store {
        StateStore::Git {
            name,
            url,
            branch,
            path,
            auth,
            credentials,
            author,
        } => {
            let mut spec = json!({
                "url": url,
                "branch": branch,
                "authMethod": auth.as_str(),
                "secretRef": secret_ref(credentials),
            });
            if !trim(path).is_empty() {
                spec["path"] = json!(trim(path));
            }
            if let Some((author, email)) = author {
                spec["gitAuthor"] = json!({"name": author, "email": email});
            }
            (spec, name)
        }
        StateStore::Bucket {
            name,
            endpoint,
            bucket,
            path,
            insecure,
            auth,
            credentials,
        } => {
            let mut spec = json!({
                "endpoint": endpoint,
                "bucketName": bucket,
                "authMethod": auth.as_str(),
            });
            if *insecure {
                spec["insecure"] = json!(true);
            }
            if !trim(path).is_empty() {
                spec["path"] = json!(trim(path));
            }
            if let Some(credentials) = credentials {
                spec["secretRef"] = secret_ref(credentials);
            }
            (spec, name)
        }
    };
    json!({
        "apiVersion": crate::kratix::API_VERSION,
        "kind": store.kind().as_str(),
        "metadata": {"name": name},
        "spec": spec,
    })
}

fn kratix_destination(destination: &Destination) -> Value {
    let mut filepath = json!({"mode": destination.filepath.as_str()});
    if let FilepathMode::AggregatedYaml { filename } = &destination.filepath {
        filepath["filename"] = json!(filename);
    }
    let mut spec = json!({
        "path": destination.path,
        "stateStoreRef": {
            "kind": destination.store.kind.as_str(),
            "name": destination.store.name,
        },
        "filepath": filepath,
        "cleanup": if destination.cleanup_all { "all" } else { "none" },
        "initWorkloads": {"enabled": destination.init_workloads},
    });
    if destination.strict_match_labels {
        spec["strictMatchLabels"] = json!(true);
    }
    json!({
        "apiVersion": crate::kratix::API_VERSION,
        "kind": "Destination",
        "metadata": {"name": destination.name, "labels": destination.labels},
        "spec": spec,
    })
}

/// The Secret `secret`, with `keys` read from the external store's entry.
fn external_secret(external: &ExternalSecrets, secret: &SecretRef, keys: &[&str]) -> Value {
    let remote = secret.remote_key.as_deref().unwrap_or(&secret.name);
    let data: Vec<Value> = keys
        .iter()
        .map(|key| json!({"secretKey": key, "remoteRef": {"key": remote, "property": key}}))
        .collect();
    json!({
        "apiVersion": "external-secrets.io/v1",
        "kind": "ExternalSecret",
        "metadata": {"name": secret.name, "namespace": secret.namespace},
        "spec": {
            "refreshInterval": external.refresh_interval,
            "secretStoreRef": {"kind": external.store_kind, "name": external.store_name},
            "target": {"name": secret.name, "creationPolicy": "Owner"},
            "data": data,
        },
    })
}

/// Kratix serves metrics over HTTPS on the `https` port of its metrics Service, behind
/// Kubernetes authentication (kubebuilder's secure metrics), so Prometheus presents its
/// service account token.
fn service_monitor(monitoring: &Monitoring, kratix_namespace: &str) -> Value {
    json!({
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": {"name": "kratix-controller", "namespace": monitoring.namespace},
        "spec": {
            "selector": {"matchLabels": monitoring.service_labels},
            "namespaceSelector": {"matchNames": [kratix_namespace]},
            "endpoints": [{
                "port": monitoring.port,
                "path": "/metrics",
                "scheme": "https",
                "interval": monitoring.interval,
                "bearerTokenFile": "/var/run/secrets/kubernetes.io/serviceaccount/token",
                "tlsConfig": {"insecureSkipVerify": true},
            }],
        },
    })
}
