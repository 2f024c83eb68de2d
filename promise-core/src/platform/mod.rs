//! The platform itself, from one typed definition: Kratix's installation, its state stores,
//! the Destinations, the Argo CD Applications that sync each Destination's folder to its
//! cluster, the credentials they need (as External Secrets, never values), and Kratix's
//! monitoring.
//!
//! Everything that must agree is derived, not repeated: an Application's `repoURL`,
//! `targetRevision` and `path` come from its Destination's state store and path, so the folder
//! Kratix writes and the folder Argo CD reads cannot disagree. Every Kratix rule is checked when
//! the platform renders (`check`), and so is every promise's `destinationSelectors` against
//! the Destinations there are.
//!
//! ```
//! use promise_core::platform::*;
//!
//! let platform = Platform::new(KratixInstall::manifests("v0.17.0"))
//!     .state_store(StateStore::git("default", "https://git.example.com/platform/state.git",
//!         GitAuth::BasicAuth, SecretRef::new("git-credentials", "kratix-platform-system")))
//!     .cluster(Cluster::new("dev", "https://dev.example.com:6443"))
//!     .destination(Destination::new("worker-dev", StoreRef::git("default"), "clusters/dev")
//!         .label("environment", "dev").synced_to("dev"));
//! let files = platform.render().unwrap();
//! let app = &files["platform/argocd/worker-dev.yaml"];
//! assert!(app.contains("path: clusters/dev"));
//! assert!(app.contains("repoURL: https://git.example.com/platform/state.git"));
//! ```

mod check;
mod objects;
mod types;

pub use check::check_selectors;
pub use types::*;
