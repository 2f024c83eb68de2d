//! The database promise (manual §11): a PostgreSQL or MySQL database for a team.
//!
//! Resource configure pipeline `configure-database`: `validate` (production needs a medium
//! or large instance), then `generate` (the `db-<name>` Namespace, the `XDatabase` composite
//! Crossplane provisions, and the status). Delete pipeline `delete-database`: `cleanup`
//! reports the deletion; Crossplane deletes the database when Kratix removes the Work.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use promise_core::catalog::PromiseDefinition;
use promise_core::names::DnsLabel;
use promise_core::pipeline::{Output, PipelineDef, Request, Step, StepError};
use promise_core::{api_type, promise_api};
use serde::Serialize;

/// A PostgreSQL or MySQL database, provisioned by the platform team's Crossplane
/// compositions.
#[promise_api(
    group = "platform.aleklab.com",
    version = "v1alpha1",
    kind = "Database",
    short_name = "db",
    status = DatabaseStatus,
    printer_column(name = "Engine", json_path = ".spec.engine"),
    printer_column(name = "Size", json_path = ".spec.size"),
    printer_column(name = "Status", json_path = ".status.phase")
)]
pub struct DatabaseSpec {
    /// Database name.
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

fn default_version() -> String {
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
                .step(Step::resource("validate", validate))
                .step(Step::resource("generate", generate)),
        )
        .resource_delete(
            PipelineDef::new("delete-database").step(Step::resource("cleanup", cleanup)),
        )
        .build()
}

/// Production databases must not be small.
pub fn validate(db: &Request<Database>, _out: &mut Output) -> Result<(), StepError> {
    if db.spec.environment == Environment::Prod && db.spec.size == Size::Small {
        return Err(StepError::field(
            "spec.size",
            "small",
            "environment prod requires size medium or large",
        ));
    }
    Ok(())
}

/// The database's Namespace, its Crossplane composite, and the status.
pub fn generate(db: &Request<Database>, out: &mut Output) -> Result<(), StepError> {
    let spec = &db.spec;
    let name = DnsLabel::new(&spec.name).map_err(|e| StepError::derived("spec.name", e))?;
    let namespace =
        DnsLabel::new(format!("db-{name}")).map_err(|e| StepError::derived("spec.name", e))?;

    out.write(
        "namespace.yaml",
        &Namespace {
            metadata: ObjectMeta {
                name: Some(namespace.to_string()),
                labels: Some(labels([
                    ("managed-by", "kratix"),
                    ("database", name.as_str()),
                ])),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        },
    )?;
    out.write("xdatabase.yaml", &XDatabase::for_request(&name, spec))?;

    let (scheme, port) = match spec.engine {
        Engine::Postgres => ("postgresql", 5432),
        Engine::Mysql => ("mysql", 3306),
    };
    out.status()
        .message(format!("Database {name} is being provisioned"))
        .set(&DatabaseStatus {
            phase: Some("Provisioning".into()),
            connection_string: Some(format!("{scheme}://{name}:{port}/{namespace}")),
        });
    Ok(())
}

/// Reports the deletion; Crossplane deletes the database once Kratix removes the Work.
pub fn cleanup(db: &Request<Database>, out: &mut Output) -> Result<(), StepError> {
    out.status()
        .message(format!("Database {} is being deleted", db.spec.name))
        .set(&DatabaseStatus {
            phase: Some("Deleting".into()),
            connection_string: None,
        });
    Ok(())
}

fn labels<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The Crossplane composite resource the platform's compositions turn into a database.
/// The Crossplane work completes it with the XRD derived from the same type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XDatabase {
    api_version: &'static str,
    kind: &'static str,
    metadata: ObjectMeta,
    spec: XDatabaseSpec,
}

/// `XDatabase.spec`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XDatabaseSpec {
    engine: Engine,
    version: String,
    size: Size,
    composition_selector: LabelSelector,
}

impl XDatabase {
    fn for_request(name: &DnsLabel, spec: &DatabaseSpec) -> Self {
        let environment = match spec.environment {
            Environment::Dev => "dev",
            Environment::Staging => "staging",
            Environment::Prod => "prod",
        };
        Self {
            api_version: "platform.aleklab.com/v1alpha1",
            kind: "XDatabase",
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                labels: Some(labels([
                    ("kratix-promise", "database"),
                    ("environment", environment),
                ])),
                ..ObjectMeta::default()
            },
            spec: XDatabaseSpec {
                engine: spec.engine,
                version: spec.version.clone(),
                size: spec.size,
                composition_selector: LabelSelector {
                    match_labels: Some(labels([("environment", environment)])),
                    match_expressions: None,
                },
            },
        }
    }
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
