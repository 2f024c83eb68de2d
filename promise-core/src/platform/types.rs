//! The parts of a platform definition, each with the fields Kratix, Argo CD and External
//! Secrets read, and credentials only ever as references.

use std::collections::BTreeMap;

/// A whole platform: what [`Platform::render`] turns into `rendered/platform/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Platform {
    /// Kratix's installation, as an Argo CD Application.
    pub kratix: KratixInstall,
    /// The namespace Argo CD runs in, where its Applications live.
    pub argocd_namespace: String,
    /// The Argo CD project of every Application.
    pub argocd_project: String,
    /// The state stores Kratix writes to.
    pub state_stores: Vec<StateStore>,
    /// The clusters Argo CD syncs to, by name.
    pub clusters: Vec<Cluster>,
    /// The Destinations Kratix schedules to.
    pub destinations: Vec<Destination>,
    /// Where credentials live; without it, the render lists the Secrets an operator creates.
    pub secrets: Option<ExternalSecrets>,
    /// A ServiceMonitor for Kratix's controller metrics.
    pub monitoring: Option<Monitoring>,
}

impl Platform {
    /// A platform with Kratix installed by `kratix`, Argo CD in `argocd`, project `default`.
    pub fn new(kratix: KratixInstall) -> Self {
        Self {
            kratix,
            argocd_namespace: "argocd".into(),
            argocd_project: "default".into(),
            state_stores: Vec::new(),
            clusters: Vec::new(),
            destinations: Vec::new(),
            secrets: None,
            monitoring: None,
        }
    }

    /// Adds a state store.
    pub fn state_store(mut self, store: StateStore) -> Self {
        self.state_stores.push(store);
        self
    }

    /// Adds a cluster Argo CD syncs to.
    pub fn cluster(mut self, cluster: Cluster) -> Self {
        self.clusters.push(cluster);
        self
    }

    /// Adds a Destination.
    pub fn destination(mut self, destination: Destination) -> Self {
        self.destinations.push(destination);
        self
    }

    /// Takes credentials from an External Secrets store.
    pub fn external_secrets(mut self, secrets: ExternalSecrets) -> Self {
        self.secrets = Some(secrets);
        self
    }

    /// Monitors Kratix's controller.
    pub fn monitoring(mut self, monitoring: Monitoring) -> Self {
        self.monitoring = Some(monitoring);
        self
    }

    /// The state store named by `reference`, if it exists and is of that kind.
    pub fn store(&self, reference: &StoreRef) -> Option<&StateStore> {
        self.state_stores
            .iter()
            .find(|s| s.name() == reference.name && s.kind() == reference.kind)
    }
}

/// Kratix's installation: its release manifests or its Helm chart, by version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KratixInstall {
    /// Where Kratix comes from.
    pub source: KratixSource,
    /// The release: a Git tag (`v0.17.0`) for manifests, a chart version for the chart.
    pub version: String,
    /// The namespace Kratix runs in.
    pub namespace: String,
    /// Prune and self-heal automatically.
    pub automated: bool,
}

/// Where Kratix's installation comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KratixSource {
    /// A manifest file in a Git repository.
    Manifests {
        /// The repository.
        repo_url: String,
        /// The folder holding the file.
        path: String,
        /// The file.
        file: String,
    },
    /// A Helm chart.
    Chart {
        /// The chart repository.
        repo_url: String,
        /// The chart's name.
        chart: String,
    },
}

impl KratixInstall {
    /// Kratix's own release manifest (`distribution/kratix.yaml`) at the tag `version`, in
    /// `kratix-platform-system`.
    pub fn manifests(version: &str) -> Self {
        Self {
            source: KratixSource::Manifests {
                repo_url: "https://github.com/syntasso/kratix".into(),
                path: "distribution".into(),
                file: "kratix.yaml".into(),
            },
            version: version.into(),
            namespace: "kratix-platform-system".into(),
            automated: true,
        }
    }

    /// The Helm chart `chart` from `repo_url` at `version`, in `kratix-platform-system`.
    pub fn chart(repo_url: &str, chart: &str, version: &str) -> Self {
        Self {
            source: KratixSource::Chart {
                repo_url: repo_url.into(),
                chart: chart.into(),
            },
            ..Self::manifests(version)
        }
    }
}

/// A Secret Kratix reads, by name and namespace; never its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    /// The Secret's name.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
    /// Where its values live in the external store, when External Secrets provides it
    /// (defaults to the Secret's name).
    pub remote_key: Option<String>,
}

impl SecretRef {
    /// The Secret `namespace/name`.
    pub fn new(name: &str, namespace: &str) -> Self {
        Self {
            name: name.into(),
            namespace: namespace.into(),
            remote_key: None,
        }
    }

    /// Reads the values from `key` in the external store.
    pub fn remote_key(mut self, key: &str) -> Self {
        self.remote_key = Some(key.into());
        self
    }
}

/// How Kratix authenticates to a Git state store; each reads its own Secret keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitAuth {
    /// `username` and `password` (a token).
    BasicAuth,
    /// `sshPrivateKey` and `knownHosts`.
    Ssh,
    /// `appID`, `installationID` and `privateKey`.
    GitHubApp,
}

impl GitAuth {
    /// Kratix's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            GitAuth::BasicAuth => "basicAuth",
            GitAuth::Ssh => "ssh",
            GitAuth::GitHubApp => "githubApp",
        }
    }

    /// The Secret keys Kratix reads for this method (`util/git/{http,ssh,github_app}.go`).
    pub fn secret_keys(self) -> &'static [&'static str] {
        match self {
            GitAuth::BasicAuth => &["username", "password"],
            GitAuth::Ssh => &["sshPrivateKey", "knownHosts"],
            GitAuth::GitHubApp => &["appID", "installationID", "privateKey"],
        }
    }
}

/// How Kratix authenticates to a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketAuth {
    /// `accessKeyID` and `secretAccessKey` from a Secret.
    AccessKey,
    /// The pod's IAM role: no Secret.
    Iam,
}

impl BucketAuth {
    /// Kratix's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            BucketAuth::AccessKey => "accessKey",
            BucketAuth::Iam => "IAM",
        }
    }
}

/// A state store kind, as a Destination's `stateStoreRef.kind` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StoreKind {
    /// `GitStateStore`.
    Git,
    /// `BucketStateStore`.
    Bucket,
}

impl StoreKind {
    /// The Kratix kind.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Git => "GitStateStore",
            StoreKind::Bucket => "BucketStateStore",
        }
    }
}

/// Where Kratix writes: a Git repository or a bucket, under an optional path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateStore {
    /// A `GitStateStore`.
    Git {
        /// Its name.
        name: String,
        /// The repository URL.
        url: String,
        /// The branch (Kratix's default `main`).
        branch: String,
        /// A folder every Destination's path is under.
        path: String,
        /// How Kratix authenticates.
        auth: GitAuth,
        /// The credentials' Secret.
        credentials: SecretRef,
        /// The commit author's name and email.
        author: Option<(String, String)>,
    },
    /// A `BucketStateStore`.
    Bucket {
        /// Its name.
        name: String,
        /// The S3 endpoint, `host:port`.
        endpoint: String,
        /// The bucket.
        bucket: String,
        /// A folder every Destination's path is under.
        path: String,
        /// Plain HTTP.
        insecure: bool,
        /// How Kratix authenticates.
        auth: BucketAuth,
        /// The credentials' Secret, for `accessKey`.
        credentials: Option<SecretRef>,
    },
}

impl StateStore {
    /// A Git state store on `main`, at the repository's root.
    pub fn git(name: &str, url: &str, auth: GitAuth, credentials: SecretRef) -> Self {
        StateStore::Git {
            name: name.into(),
            url: url.into(),
            branch: "main".into(),
            path: String::new(),
            auth,
            credentials,
            author: None,
        }
    }

    /// A bucket state store at the bucket's root, over HTTPS, with access keys.
    pub fn bucket(name: &str, endpoint: &str, bucket: &str, credentials: SecretRef) -> Self {
        StateStore::Bucket {
            name: name.into(),
            endpoint: endpoint.into(),
            bucket: bucket.into(),
            path: String::new(),
            insecure: false,
            auth: BucketAuth::AccessKey,
            credentials: Some(credentials),
        }
    }

    /// Puts every Destination of this store under `prefix`.
    pub fn path(mut self, prefix: &str) -> Self {
        match &mut self {
            StateStore::Git { path, .. } | StateStore::Bucket { path, .. } => *path = prefix.into(),
        }
        self
    }

    /// Talks plain HTTP to a bucket's endpoint (an in-cluster MinIO).
    pub fn insecure(mut self) -> Self {
        if let StateStore::Bucket { insecure, .. } = &mut self {
            *insecure = true;
        }
        self
    }

    /// Its name.
    pub fn name(&self) -> &str {
        match self {
            StateStore::Git { name, .. } | StateStore::Bucket { name, .. } => name,
        }
    }

    /// Its kind.
    pub fn kind(&self) -> StoreKind {
        match self {
            StateStore::Git { .. } => StoreKind::Git,
            StateStore::Bucket { .. } => StoreKind::Bucket,
        }
    }

    /// Its path prefix, cleaned (empty for the root).
    pub fn prefix(&self) -> String {
        match self {
            StateStore::Git { path, .. } | StateStore::Bucket { path, .. } => trim(path),
        }
    }

    /// The Secret it reads and the keys Kratix reads from it.
    pub fn credentials(&self) -> Option<(&SecretRef, &'static [&'static str])> {
        match self {
            StateStore::Git {
                credentials, auth, ..
            } => Some((credentials, auth.secret_keys())),
            StateStore::Bucket {
                credentials: Some(credentials),
                auth: BucketAuth::AccessKey,
                ..
            } => Some((credentials, &["accessKeyID", "secretAccessKey"])),
            StateStore::Bucket { .. } => None,
        }
    }
}

/// A folder as a path inside a store: `/`-separated, without empty or `.` parts, so that
/// `./clusters//dev/` and `clusters/dev` are one folder; empty for the root.
pub(crate) fn trim(path: &str) -> String {
    path.split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// A Destination's reference to its state store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRef {
    /// `GitStateStore` or `BucketStateStore`.
    pub kind: StoreKind,
    /// The store's name.
    pub name: String,
}

impl StoreRef {
    /// The GitStateStore `name`.
    pub fn git(name: &str) -> Self {
        Self {
            kind: StoreKind::Git,
            name: name.into(),
        }
    }

    /// The BucketStateStore `name`.
    pub fn bucket(name: &str) -> Self {
        Self {
            kind: StoreKind::Bucket,
            name: name.into(),
        }
    }
}

/// How Kratix lays out a Destination's files (`spec.filepath.mode`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FilepathMode {
    /// `<path>/resources/<ns>/<promise>/<request>/<pipeline>/<group>/...` (Kratix's default).
    #[default]
    NestedByMetadata,
    /// Every workload concatenated into one file.
    AggregatedYaml {
        /// The file (Kratix's default `aggregated.yaml`).
        filename: String,
    },
    /// Files flat under the path.
    None,
}

impl FilepathMode {
    /// Kratix's spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            FilepathMode::NestedByMetadata => "nestedByMetadata",
            FilepathMode::AggregatedYaml { .. } => "aggregatedYAML",
            FilepathMode::None => "none",
        }
    }
}

/// A Destination: a cluster (or folder) Kratix schedules work to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// Its name.
    pub name: String,
    /// Labels promises' selectors match.
    pub labels: BTreeMap<String, String>,
    /// Its state store.
    pub store: StoreRef,
    /// Its folder in the store, under the store's own path (required by Kratix).
    pub path: String,
    /// Refuse work without selectors.
    pub strict_match_labels: bool,
    /// The file layout.
    pub filepath: FilepathMode,
    /// Remove the Destination's files when it is deleted (`cleanup: all`).
    pub cleanup_all: bool,
    /// Write Kratix's canary workloads (default true).
    pub init_workloads: bool,
    /// The Argo CD cluster its folder is synced to, if Argo CD syncs it.
    pub synced_to: Option<String>,
}

impl Destination {
    /// A Destination on `store` at `path`, nested by metadata, not synced.
    pub fn new(name: &str, store: StoreRef, path: &str) -> Self {
        Self {
            name: name.into(),
            labels: BTreeMap::new(),
            store,
            path: path.into(),
            strict_match_labels: false,
            filepath: FilepathMode::default(),
            cleanup_all: false,
            init_workloads: true,
            synced_to: None,
        }
    }

    /// Adds a label.
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Refuses work without selectors.
    pub fn strict_match_labels(mut self) -> Self {
        self.strict_match_labels = true;
        self
    }

    /// Lays files out with `mode`.
    pub fn filepath(mut self, mode: FilepathMode) -> Self {
        self.filepath = mode;
        self
    }

    /// Has Argo CD sync the folder to `cluster`.
    pub fn synced_to(mut self, cluster: &str) -> Self {
        self.synced_to = Some(cluster.into());
        self
    }

    /// Whether it takes a workload group selected by `selectors`, as Kratix schedules: it has
    /// every label, and an empty selector is refused by a strict Destination with labels.
    pub fn matches(&self, selectors: &BTreeMap<String, String>) -> bool {
        takes(&self.labels, self.strict_match_labels, selectors)
    }
}

/// Whether a Destination with `labels` takes a workload group selected by `selectors`, as
/// Kratix's scheduler decides: it has every label, and an empty selector is refused by a
/// strict Destination with labels. Dry-run Destinations take only dry-run work.
pub fn takes(
    labels: &BTreeMap<String, String>,
    strict_match_labels: bool,
    selectors: &BTreeMap<String, String>,
) -> bool {
    if labels.get("kratix.io/dry-run").is_some_and(|v| v == "true") {
        return false;
    }
    if selectors.is_empty() {
        return !strict_match_labels || labels.is_empty();
    }
    selectors.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// A cluster Argo CD syncs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Its name in Argo CD.
    pub name: String,
    /// Its API server URL.
    pub server: String,
}

impl Cluster {
    /// The cluster `name` at `server`.
    pub fn new(name: &str, server: &str) -> Self {
        Self {
            name: name.into(),
            server: server.into(),
        }
    }

    /// The cluster Argo CD runs in.
    pub fn in_cluster(name: &str) -> Self {
        Self::new(name, "https://kubernetes.default.svc")
    }
}

/// Credentials from an External Secrets store (`external-secrets.io/v1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalSecrets {
    /// `ClusterSecretStore` or `SecretStore`.
    pub store_kind: String,
    /// The store's name.
    pub store_name: String,
    /// How often the Secrets refresh (`1h`).
    pub refresh_interval: String,
}

impl ExternalSecrets {
    /// The ClusterSecretStore `name`, refreshed hourly.
    pub fn cluster_store(name: &str) -> Self {
        Self {
            store_kind: "ClusterSecretStore".into(),
            store_name: name.into(),
            refresh_interval: "1h".into(),
        }
    }
}

/// A ServiceMonitor for Kratix's controller metrics (prometheus-operator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monitoring {
    /// Where the ServiceMonitor lives.
    pub namespace: String,
    /// The scrape interval (`30s`).
    pub interval: String,
    /// The labels of Kratix's metrics Service.
    pub service_labels: BTreeMap<String, String>,
    /// The metrics port's name.
    pub port: String,
}

impl Monitoring {
    /// Kratix's metrics Service as its release manifests define it: labelled
    /// `control-plane: controller-manager`, serving HTTPS on the port named `https`; scraped
    /// every 30 s by a ServiceMonitor in `namespace`.
    pub fn kratix(namespace: &str) -> Self {
        Self {
            namespace: namespace.into(),
            interval: "30s".into(),
            service_labels: BTreeMap::from([(
                "control-plane".to_string(),
                "controller-manager".to_string(),
            )]),
            port: "https".into(),
        }
    }
}
