//! Our platform (manual §3, §7, §8, §15, §16): Kratix on the RKE2 platform cluster, a GitLab
//! state store, the platform cluster and the dev, staging and prod workers as Destinations,
//! each synced by Argo CD from the folder Kratix writes for it, credentials from External
//! Secrets, and Kratix's metrics scraped by Prometheus.
//!
//! The Destinations' labels are the ones the promises select: `environment: platform` for
//! what the platform cluster runs (Crossplane composites, requests for other promises), and
//! `environment: dev|staging|prod` for the workers.

use promise_core::platform::{
    Cluster, Destination, ExternalSecrets, GitAuth, KratixInstall, Monitoring, Platform, SecretRef,
    StateStore, StoreRef,
};

/// The Kratix release the platform runs.
pub const KRATIX_VERSION: &str = "v0.17.0";

/// The state store every Destination uses.
pub const STATE_STORE: &str = "default";

/// The platform: see the module documentation.
pub fn definition() -> Platform {
    let mut platform = Platform::new(KratixInstall::manifests(KRATIX_VERSION))
        .state_store(StateStore::git(
            STATE_STORE,
            "https://gitlab.aleklab.com/platform/kratix-state.git",
            GitAuth::BasicAuth,
            SecretRef::new("git-credentials", "kratix-platform-system")
                .remote_key("kratix/git-credentials"),
        ))
        // §7.2's MinIO store, kept for backups of the state; no Destination writes to it.
        .state_store(
            StateStore::bucket(
                "minio-store",
                "velero-minio.velero.svc.cluster.local:9000",
                "kratix",
                SecretRef::new("minio-credentials", "kratix-platform-system")
                    .remote_key("kratix/minio-credentials"),
            )
            .insecure(),
        )
        .cluster(Cluster::in_cluster("platform"))
        .destination(
            Destination::new("platform-cluster", StoreRef::git(STATE_STORE), "platform")
                .label("environment", "platform")
                .synced_to("platform"),
        )
        .external_secrets(ExternalSecrets::cluster_store("platform-secrets"))
        .monitoring(Monitoring::kratix("monitoring"));
    for environment in ["dev", "staging", "prod"] {
        let mut worker = Destination::new(
            &format!("worker-{environment}"),
            StoreRef::git(STATE_STORE),
            &format!("clusters/{environment}"),
        )
        .label("environment", environment)
        .synced_to(environment);
        if environment == "prod" {
            worker = worker.label("critical", "true");
        }
        platform = platform
            .cluster(Cluster::new(
                environment,
                &format!("https://{environment}-cluster-api:6443"),
            ))
            .destination(worker);
    }
    platform
}
