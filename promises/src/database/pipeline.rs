//! The database promise's pipeline steps.

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use promise_core::crossplane::CrossplaneControl;
use promise_core::prelude::*;

use super::composition::{PROVIDER, Provider};
use super::{
    CNPG_CLUSTER_NAME_MAX, Database, DatabaseStatus, Engine, Environment, Size, XDatabase,
    XDatabaseSpec,
};
use crate::labels;

/// Production databases must not be small, and the provider must run the engine.
pub fn validate(db: &Request<Database>, _out: &mut Output) -> Result<(), StepError> {
    if db.spec.environment == Environment::Prod && db.spec.size == Size::Small {
        return Err(StepError::field(
            Database::paths().spec().size(),
            "small",
            "environment prod requires size medium or large",
        ));
    }
    if PROVIDER == Provider::Hetzner && db.spec.engine == Engine::Mysql {
        return Err(StepError::field(
            Database::paths().spec().engine(),
            "mysql",
            "this platform provisions databases on Hetzner with CloudNativePG, which runs PostgreSQL only",
        ));
    }
    Ok(())
}

/// The database's Namespace, its Crossplane composite, and the status.
pub fn generate(db: &Request<Database>, out: &mut Output) -> Result<(), StepError> {
    let spec = &db.spec;
    // The Cluster CloudNativePG creates is named after the database: a DNS-1035 label within
    // the operator's limit.
    let name = Dns1035Label::new(&spec.name)
        .map_err(|e| StepError::derived(Database::paths().spec().name(), e))?;
    if name.as_str().len() > CNPG_CLUSTER_NAME_MAX {
        return Err(StepError::field(
            Database::paths().spec().name(),
            &name,
            format!("CloudNativePG Cluster names are at most {CNPG_CLUSTER_NAME_MAX} characters"),
        ));
    }
    // The Namespace holds everything of this request: its name carries the request's identity,
    // so no other request, in any namespace, derives it.
    let namespace = db
        .identity()?
        .label(&format!("db-{name}"))
        .map_err(|e| StepError::derived(Database::paths().spec().name(), e))?;
    let environment = spec.environment.wire_name();

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

    let mut xr = XDatabase::new(
        name.as_str(),
        XDatabaseSpec {
            engine: spec.engine,
            version: spec.version.clone(),
            size: spec.size,
            environment: spec.environment,
            database_name: name.to_string(),
            crossplane: CrossplaneControl::select([
                ("provider", PROVIDER.label()),
                ("environment", environment),
            ]),
        },
    );
    xr.metadata.namespace = Some(namespace.to_string());
    xr.metadata.labels = Some(labels([
        ("kratix-promise", "database"),
        ("environment", environment),
    ]));
    out.write("xdatabase.yaml", &xr)?;

    let (scheme, port) = match spec.engine {
        Engine::Postgres => ("postgresql", 5432),
        Engine::Mysql => ("mysql", 3306),
    };
    // CloudNativePG serves the primary as the `<cluster>-rw` Service; RDS hosts are known only
    // once provisioned, and the composition reports them in the XR's status.
    let host = match PROVIDER {
        Provider::Hetzner => format!("{name}-rw.{namespace}.svc"),
        Provider::Aws => name.to_string(),
    };
    out.status()
        .message(format!("Database {name} is being provisioned"))
        .set(&DatabaseStatus {
            phase: Some("Provisioning".into()),
            connection_string: Some(format!("{scheme}://{host}:{port}/{name}")),
        });
    Ok(())
}

/// Reports the deletion; Crossplane deletes the database once Kratix removes the Work.
pub fn cleanup(db: &Request<Database>, out: &mut Output) -> Result<(), StepError> {
    let identity = db.identity()?;
    out.status()
        .message(format!("Database {} is being deleted", identity.name()))
        .set(&DatabaseStatus {
            phase: Some("Deleting".into()),
            connection_string: None,
        });
    Ok(())
}
