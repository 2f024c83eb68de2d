//! The database promise (manual §11): a PostgreSQL or MySQL database for a team.
//!
//! - the API (`Database`, this module);
//! - the pipelines ([`pipeline`]): resource configure `configure-database` runs `validate`
//!   (production needs a medium or large instance) then `generate` (the `db-<name>`
//!   Namespace, the typed [`XDatabase`] composite, the status); resource delete
//!   `delete-database` runs `cleanup`;
//! - the Crossplane side ([`composition`]): the `XDatabase` XRD, derived from the type the
//!   pipeline emits, and its Compositions, shipped as the Promise's dependencies.

pub mod composition;
pub mod pipeline;

pub use composition::{Provider, XDatabase, XDatabaseSpec};

use promise_core::prelude::*;

/// A PostgreSQL or MySQL database, provisioned by the platform team's Crossplane
/// compositions.
#[promise_api(
    group = "platform.aleklab.com",
    version = "v1alpha1",
    kind = "Database",
    shortname = "db",
    status = DatabaseStatus,
    printcolumn(name = "Engine", json_path = ".spec.engine"),
    printcolumn(name = "Size", json_path = ".spec.size"),
    printcolumn(name = "Status", json_path = ".status.phase")
)]
pub struct DatabaseSpec {
    /// Database name, a DNS-1035 label of at most 43 characters: the database and its
    /// CloudNativePG Cluster get this name, in the Namespace `db-<name>-<tag>`, where the tag
    /// is derived from this request's namespace and name.
    #[schemars(regex(pattern = patterns::DNS1035_LABEL), length(max = NAME_MAX))]
    pub name: String,
    /// Database engine.
    #[serde(default)]
    pub engine: Engine,
    /// Engine version, such as `15` or `8.0`.
    #[serde(default = "default_version")]
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]+){0,2}$"))]
    pub version: String,
    /// Instance size.
    #[serde(default)]
    pub size: Size,
    /// Environment the database serves.
    pub environment: Environment,
}

/// The longest `spec.name`: the Namespace `db-<name>-<tag>` is a DNS label (63), and the
/// CloudNativePG Cluster `<name>` must stay within its operator's 50.
pub const NAME_MAX: usize = 63 - "db-".len() - IDENTITY_SUFFIX_LEN;
const _: () = assert!(NAME_MAX <= CNPG_CLUSTER_NAME_MAX);

/// CloudNativePG refuses Cluster names longer than this (its Services append `-rw`).
pub const CNPG_CLUSTER_NAME_MAX: usize = 50;

/// The version a request without one gets: the schema default.
pub fn default_version() -> String {
    "15".into()
}

/// Database engine.
#[api_type]
#[derive(Default, Eq, Copy)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// PostgreSQL.
    #[default]
    Postgres,
    /// MySQL.
    Mysql,
}

/// Instance size.
#[api_type]
#[derive(Default, Eq, Copy)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    /// The smallest instance; not for production.
    #[default]
    Small,
    /// A medium instance.
    Medium,
    /// A large instance.
    Large,
}

/// Environment a resource serves.
#[api_type]
#[derive(Eq, Copy)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Development.
    Dev,
    /// Staging.
    Staging,
    /// Production.
    Prod,
}

/// What the pipeline reports about a database.
#[api_type]
#[derive(Default)]
pub struct DatabaseStatus {
    /// Provisioning phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// Connection string for applications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_string: Option<String>,
}

/// The database Promise.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("database")
        .version("v0.1.0")
        .label("category", "data")
        .destination_selector([("environment", "platform")])
        .api::<Database>()
        .example(example_request())
        .resource_configure(
            PipelineDef::new("configure-database")
                .step(Step::resource("validate", pipeline::validate))
                .step(Step::resource("generate", pipeline::generate)),
        )
        .resource_delete(
            PipelineDef::new("delete-database").step(Step::resource("cleanup", pipeline::cleanup)),
        )
        .crossplane_from(composition::bundle)
        .build()
}

/// The manual's §14.2 request: `orders-db`, without `version`, so the default "15" applies.
fn example_request() -> Database {
    let mut request = Database::new(
        "orders-db",
        DatabaseSpec {
            name: "orders".into(),
            engine: Engine::Postgres,
            version: default_version(),
            size: Size::Medium,
            environment: Environment::Prod,
        },
    );
    request.metadata.namespace = Some("ecommerce".into());
    request
}
