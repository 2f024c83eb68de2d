//! The database promise's Crossplane side: the `XDatabase` composite, its XRD, and one
//! Composition per provider and environment, selected by the labels `provider` and
//! `environment` that the pipeline writes into the XR's `spec.crossplane.compositionSelector`.
//!
//! Hetzner Cloud has no managed database. Its compositions run PostgreSQL with the
//! CloudNativePG operator in the workload cluster, on `hcloud-volumes` (the Hetzner CSI storage
//! class), through a provider-kubernetes `Object`. Compared with a Server plus Volume running
//! PostgreSQL from cloud-init, the operator gives replication, failover, backups and upgrades,
//! and nothing has to be configured inside a VM. AWS compositions use RDS, with instance classes
//! from the manual's §9.2.

use promise_core::crossplane::{
    Bundle, ComposedTemplate, Composition, ConnectionDetail, Function, Manifest, Patch,
    ReadinessCheck, Resources, StringTransform, Transform, XrdApi,
};
use promise_core::{api_type, composite};

use super::{Engine, Environment, Size};
use crate::providers::cnpg_cluster::{
    ClusterBootstrap, ClusterBootstrapInitdb, ClusterSpec, ClusterStorage,
};
use crate::providers::kubernetes_object::{
    ObjectForProvider, ObjectProviderConfigRef, ObjectReadiness, ObjectReadinessPolicy, ObjectSpec,
};
use crate::providers::rds_instance::{
    InstanceForProvider, InstanceProviderConfigRef, InstanceSpec,
};

/// Where this platform provisions databases; the pipeline selects its compositions.
pub const PROVIDER: Provider = Provider::Hetzner;

/// A provider the database compositions target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Hetzner Cloud: CloudNativePG on hcloud volumes.
    Hetzner,
    /// AWS: RDS.
    Aws,
}

impl Provider {
    /// The `provider` label of its compositions.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Hetzner => "hetzner",
            Provider::Aws => "aws",
        }
    }
}

/// A database the platform's compositions provision: the composite resource the database
/// pipeline emits.
#[composite(
    group = "platform.aleklab.com",
    version = "v1alpha1",
    kind = "XDatabase",
    scope = "Namespaced",
    status = XDatabaseStatus,
    printcolumn(name = "Engine", json_path = ".spec.engine"),
    printcolumn(name = "Size", json_path = ".spec.size")
)]
pub struct XDatabaseSpec {
    /// Database engine.
    pub engine: Engine,
    /// Engine version.
    pub version: String,
    /// Instance size.
    pub size: Size,
    /// Environment the database serves.
    pub environment: Environment,
    /// Name of the database to create.
    pub database_name: String,
}

/// What the compositions report back.
#[api_type]
#[derive(Default)]
pub struct XDatabaseStatus {
    /// Host applications connect to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Port applications connect to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i64>,
}

const ENVIRONMENTS: [Environment; 3] = [Environment::Dev, Environment::Staging, Environment::Prod];

/// The XRD, both providers' compositions for every environment, and their functions.
pub fn bundle() -> Bundle {
    let mut bundle = Bundle::new()
        .xrd::<XDatabase>(XrdApi::V2)
        .function(Function::patch_and_transform())
        .function(Function::auto_ready());
    for environment in ENVIRONMENTS {
        bundle = bundle
            .composition(hetzner(environment))
            .composition(aws(environment));
    }
    bundle
}

fn composition(provider: Provider, environment: Environment, resources: Resources) -> Composition {
    let env = environment.wire_name();
    Composition::for_composite::<XDatabase>(format!("xdatabase-{}-{env}", provider.label()))
        .label("provider", provider.label())
        .label("environment", env)
        .patch_and_transform("compose", resources)
        .auto_ready()
}

/// PostgreSQL by CloudNativePG on hcloud volumes, in the workload cluster.
fn hetzner(environment: Environment) -> Composition {
    let instances = match environment {
        Environment::Dev => 1,
        Environment::Staging => 2,
        Environment::Prod => 3,
    };
    let cluster = Manifest::new(ClusterSpec {
        instances,
        storage: Some(ClusterStorage {
            storage_class: Some("hcloud-volumes".into()),
            ..ClusterStorage::default()
        }),
        bootstrap: Some(ClusterBootstrap {
            initdb: Some(ClusterBootstrapInitdb::default()),
            ..ClusterBootstrap::default()
        }),
        ..ClusterSpec::default()
    });
    let object = Manifest::new(ObjectSpec {
        // The Cluster is embedded below, typed.
        for_provider: ObjectForProvider::default(),
        provider_config_ref: Some(ObjectProviderConfigRef {
            kind: "ClusterProviderConfig".into(),
            name: "workload-cluster".into(),
        }),
        readiness: Some(ObjectReadiness {
            policy: Some(ObjectReadinessPolicy::DeriveFromObject),
            cel_query: None,
        }),
        ..ObjectSpec::default()
    });
    let xr = XDatabase::paths();
    let manifest = "spec.forProvider.manifest";
    let postgres = ComposedTemplate::new("postgres-cluster", &object)
        .embed(manifest, &cluster)
        .patch(Patch::from_composite(
            xr.spec().database_name(),
            &format!("{manifest}.metadata.name"),
        ))
        .patch(Patch::from_composite(
            xr.metadata().namespace(),
            &format!("{manifest}.metadata.namespace"),
        ))
        .patch(Patch::from_composite(
            xr.spec().database_name(),
            &format!("{manifest}.spec.bootstrap.initdb.database"),
        ))
        .patch(
            Patch::from_composite(xr.spec().version(), &format!("{manifest}.spec.imageName"))
                .transform(Transform::String(StringTransform::Format(
                    "ghcr.io/cloudnative-pg/postgresql:%s".into(),
                ))),
        )
        .patch(
            Patch::from_composite(xr.spec().size(), &format!("{manifest}.spec.storage.size")).map(
                |size| match size {
                    Size::Small => "10Gi",
                    Size::Medium => "50Gi",
                    Size::Large => "100Gi",
                },
            ),
        )
        .patch(Patch::combine_to_composite(
            &[
                "spec.forProvider.manifest.metadata.name",
                "spec.forProvider.manifest.metadata.namespace",
            ],
            "%s-rw.%s.svc",
            xr.status().fields().address(),
        ))
        .readiness(ReadinessCheck::MatchCondition {
            type_: "Ready".into(),
            status: "True".into(),
        });
    composition(
        Provider::Hetzner,
        environment,
        Resources::new(vec![postgres]),
    )
}

/// RDS, with the manual's instance classes.
fn aws(environment: Environment) -> Composition {
    let prod = environment == Environment::Prod;
    let instance = Manifest::new(InstanceSpec {
        for_provider: InstanceForProvider {
            region: "eu-central-1".into(),
            allocated_storage: Some(20.0),
            auto_generate_password: Some(true),
            username: Some("platform".into()),
            storage_encrypted: Some(true),
            publicly_accessible: Some(false),
            multi_az: Some(prod),
            backup_retention_period: Some(if prod { 7.0 } else { 1.0 }),
            skip_final_snapshot: Some(!prod),
            ..InstanceForProvider::default()
        },
        provider_config_ref: Some(InstanceProviderConfigRef {
            kind: "ClusterProviderConfig".into(),
            name: "default".into(),
        }),
        ..InstanceSpec::default()
    });
    let xr = XDatabase::paths();
    let rds = ComposedTemplate::new("rds-instance", &instance)
        .patch(
            Patch::from_composite(xr.spec().engine(), "spec.forProvider.engine").map(|engine| {
                match engine {
                    Engine::Postgres => "postgres",
                    Engine::Mysql => "mysql",
                }
            }),
        )
        .patch(Patch::from_composite(
            xr.spec().version(),
            "spec.forProvider.engineVersion",
        ))
        .patch(
            Patch::from_composite(xr.spec().size(), "spec.forProvider.instanceClass").map(|size| {
                match size {
                    Size::Small => "db.t3.micro",
                    Size::Medium => "db.t3.small",
                    Size::Large => "db.t3.medium",
                }
            }),
        )
        .patch(Patch::from_composite(
            xr.spec().database_name(),
            "spec.forProvider.dbName",
        ))
        .patch(Patch::to_composite(
            "status.atProvider.address",
            xr.status().fields().address(),
        ))
        .patch(Patch::to_composite(
            "status.atProvider.port",
            xr.status().fields().port(),
        ))
        .connection_detail(ConnectionDetail::FromFieldPath {
            name: "host".into(),
            path: "status.atProvider.address".into(),
        })
        .connection_detail(ConnectionDetail::FromConnectionSecretKey {
            name: "password".into(),
            key: "attribute.password".into(),
        })
        .readiness(ReadinessCheck::MatchCondition {
            type_: "Ready".into(),
            status: "True".into(),
        });
    composition(Provider::Aws, environment, Resources::new(vec![rds]))
}
