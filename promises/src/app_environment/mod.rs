//! The app-environment promise (manual §13): a namespace for an application in one
//! environment, with optional components: a database (a request for the database promise),
//! Redis, an S3 bucket (an `XBucket` composite) and an Ingress.
//!
//! Output goes to two places: the application's objects to the Destination of its
//! environment (`environment: <env>`), and the database request and bucket composite to the
//! platform cluster (`platform/`, `environment: platform`), where Kratix and Crossplane run.

pub mod bucket;

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, Namespace, PodSpec, PodTemplateSpec, ResourceRequirements, Service,
    ServicePort, ServiceSpec,
};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use promise_core::crossplane::CrossplaneControl;
use promise_core::prelude::*;
use serde::{Deserialize, Serialize};

pub use bucket::{XBucket, XBucketSpec};

use crate::database::{self, Database, DatabaseSpec, Engine, Environment, Size};
use crate::{LONGEST_ENVIRONMENT, labels};

/// The longest `appName`: the namespace `<app>-<environment>-<tag>` is a DNS label. The other
/// names derived from it are shorter (asserted below).
pub const APP_NAME_MAX: usize = 63 - 1 - LONGEST_ENVIRONMENT - IDENTITY_SUFFIX_LEN;
// The database request `<app>-db-<tag>`, its `spec.name` (the app), and the Redis Service.
const _: () = assert!(APP_NAME_MAX + "-db".len() + IDENTITY_SUFFIX_LEN <= 63);
const _: () = assert!(APP_NAME_MAX <= database::NAME_MAX);
const _: () = assert!(APP_NAME_MAX + "-redis".len() <= 63);

/// An application's environment: its namespace and the components it asks for.
#[promise_api(
    group = "platform.aleklab.com",
    version = "v1alpha1",
    kind = "AppEnvironment",
    shortname = "appenv",
    printcolumn(name = "App", json_path = ".spec.appName"),
    printcolumn(name = "Environment", json_path = ".spec.environment")
)]
pub struct AppEnvironmentSpec {
    /// The application, a DNS-1035 label of at most 38 characters: the namespace is
    /// `<appName>-<environment>-<tag>`, where the tag is derived from this request's
    /// namespace and name, and the Ingress sends traffic to the Service `<appName>`.
    #[schemars(regex(pattern = patterns::DNS1035_LABEL), length(max = APP_NAME_MAX))]
    pub app_name: String,
    /// The owning team (a label value).
    #[schemars(regex(pattern = patterns::DNS1123_LABEL), length(max = 63))]
    pub team: String,
    /// Environment the application runs in.
    pub environment: Environment,
    /// Components to provision with the namespace.
    #[serde(default)]
    pub components: Components,
}

/// Components of an application environment.
#[api_type]
pub struct Components {
    /// A PostgreSQL database, through the database promise.
    #[serde(default)]
    pub database: bool,
    /// A Redis Deployment and Service in the namespace.
    #[serde(default)]
    pub redis: bool,
    /// An S3 bucket.
    #[serde(default)]
    pub s3_bucket: bool,
    /// An Ingress with a TLS certificate from cert-manager.
    #[serde(default = "enabled")]
    pub ingress: bool,
}

fn enabled() -> bool {
    true
}

impl Default for Components {
    fn default() -> Self {
        Self {
            database: false,
            redis: false,
            s3_bucket: false,
            ingress: true,
        }
    }
}

/// Platform settings the pipeline reads, rendered into the Promise as `PROMISE_CONFIG`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppEnvironmentConfig {
    /// Applications are served at `<app>.<domain>` (production) or `<app>-<env>.<domain>`.
    pub domain: String,
    /// cert-manager ClusterIssuer for the Ingress certificates.
    pub cluster_issuer: String,
    /// IngressClass of the workload clusters' ingress controller.
    pub ingress_class: String,
}

/// This platform's settings: RKE2's Traefik, Let's Encrypt, the manual's domain.
pub fn config() -> AppEnvironmentConfig {
    AppEnvironmentConfig {
        domain: "aleklab.com".into(),
        cluster_issuer: "letsencrypt-prod".into(),
        ingress_class: "traefik".into(),
    }
}

/// The app-environment Promise: a compound promise that requires the database promise.
pub fn promise() -> PromiseDefinition {
    let mut example = AppEnvironment::new(
        "checkout-service",
        AppEnvironmentSpec {
            app_name: "checkout".into(),
            team: "payments".into(),
            environment: Environment::Staging,
            components: Components {
                database: true,
                redis: true,
                s3_bucket: false,
                ingress: true,
            },
        },
    );
    example.metadata.namespace = Some("default".into());
    PromiseDefinition::builder("app-environment")
        .version("v0.1.0")
        .requires("database", None)
        .api::<AppEnvironment>()
        .example(example)
        .resource_configure(
            PipelineDef::new("create-app-env")
                .config(&config())
                .step(Step::resource_configured("generate", generate)),
        )
        .crossplane_from(bucket::bundle)
        .build()
}

/// The namespace and every requested component; a requested component is never skipped.
pub fn generate(
    request: &Request<AppEnvironment>,
    config: &AppEnvironmentConfig,
    out: &mut Output,
) -> Result<(), StepError> {
    let spec = &request.spec;
    let env = spec.environment.wire_name();
    // The app names a Service (the Ingress backend): DNS-1035.
    let app = Dns1035Label::new(&spec.app_name)
        .map_err(|e| StepError::derived(AppEnvironment::paths().spec().app_name(), e))?;
    let identity = request.identity()?;
    // Every name below carries the request's identity, or lives in the namespace that does.
    let namespace = identity
        .label(&format!("{app}-{env}"))
        .map_err(|e| StepError::derived(AppEnvironment::paths().spec().app_name(), e))?;
    let mut built = vec!["namespace"];

    out.write(
        "namespace.yaml",
        &Namespace {
            metadata: ObjectMeta {
                name: Some(namespace.to_string()),
                labels: Some(labels([
                    ("app", app.as_str()),
                    ("team", &spec.team),
                    ("environment", env),
                    ("managed-by", "kratix"),
                ])),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        },
    )?;
    out.select(None, [("environment", env)]);

    // Platform objects live in the request's own namespace on the platform cluster.
    let request_namespace = identity.namespace().to_string();
    if spec.components.database {
        let name = identity
            .label(&format!("{app}-db"))
            .map_err(|e| StepError::derived(AppEnvironment::paths().spec().app_name(), e))?;
        let mut db = Database::new(
            name.as_str(),
            DatabaseSpec {
                name: app.to_string(),
                engine: Engine::Postgres,
                version: database::default_version(),
                size: if spec.environment == Environment::Prod {
                    Size::Medium
                } else {
                    Size::Small
                },
                environment: spec.environment,
            },
        );
        db.metadata.namespace = Some(request_namespace.clone());
        db.metadata.labels = Some(labels([("app", app.as_str()), ("team", &spec.team)]));
        out.write("platform/database.yaml", &db)?;
        built.push("database");
    }
    if spec.components.s3_bucket {
        let mut xr = XBucket::new(
            namespace.as_str(),
            XBucketSpec {
                application: app.to_string(),
                environment: spec.environment,
                crossplane: CrossplaneControl::select([("provider", "aws"), ("environment", env)]),
            },
        );
        xr.metadata.namespace = Some(request_namespace);
        xr.metadata.labels = Some(labels([("app", app.as_str()), ("team", &spec.team)]));
        out.write("platform/bucket.yaml", &xr)?;
        built.push("s3Bucket");
    }
    if spec.components.database || spec.components.s3_bucket {
        out.select(Some("platform"), [("environment", "platform")]);
    }
    if spec.components.redis {
        redis(&app, &namespace, out)?;
        built.push("redis");
    }
    if spec.components.ingress {
        // `<request>.<namespace>.<domain>`: a namespace holds no dot, so the host names one
        // request only, and no tenant can claim another's.
        let host = DnsSubdomain::new(format!(
            "{}.{}.{}",
            identity.name(),
            identity.namespace(),
            config.domain
        ))
        .map_err(|e| StepError::derived(AppEnvironment::paths().metadata().name(), e))?;
        ingress(&app, &namespace, &host, config, out)?;
        out.status().field("url", format!("https://{host}"));
        built.push("ingress");
    }
    out.status()
        .message(format!(
            "App environment {namespace} provisioned: {}",
            built.join(", ")
        ))
        .field("namespace", namespace.as_str());
    Ok(())
}

/// Redis, labelled and selected by instance, so that two applications' Redis never share a
/// Service (the manual selected every pod labelled `app: redis`).
fn redis(app: &Dns1035Label, namespace: &DnsLabel, out: &mut Output) -> Result<(), StepError> {
    // A Service name: DNS-1035.
    let name = Dns1035Label::new(format!("{app}-redis"))
        .map_err(|e| StepError::derived(AppEnvironment::paths().spec().app_name(), e))?;
    let selector = labels([
        ("app.kubernetes.io/name", "redis"),
        ("app.kubernetes.io/instance", name.as_str()),
    ]);
    let mut pod_labels = selector.clone();
    pod_labels.insert("app.kubernetes.io/part-of".into(), app.to_string());
    let meta = ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(namespace.to_string()),
        labels: Some(pod_labels.clone()),
        ..ObjectMeta::default()
    };
    let resources = ResourceRequirements {
        requests: Some(BTreeMap::from([
            ("cpu".into(), Cpu::millis(100).quantity()),
            ("memory".into(), Memory::mib(128).quantity()),
        ])),
        limits: Some(BTreeMap::from([
            ("cpu".into(), Cpu::millis(500).quantity()),
            ("memory".into(), Memory::mib(256).quantity()),
        ])),
        ..ResourceRequirements::default()
    };
    out.write(
        "redis-deployment.yaml",
        &Deployment {
            metadata: meta.clone(),
            spec: Some(DeploymentSpec {
                replicas: Some(1),
                selector: LabelSelector {
                    match_labels: Some(selector.clone()),
                    match_expressions: None,
                },
                template: PodTemplateSpec {
                    metadata: Some(ObjectMeta {
                        labels: Some(pod_labels),
                        ..ObjectMeta::default()
                    }),
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            name: "redis".into(),
                            image: Some("redis:7-alpine".into()),
                            ports: Some(vec![ContainerPort {
                                container_port: 6379,
                                name: Some("redis".into()),
                                ..ContainerPort::default()
                            }]),
                            resources: Some(resources),
                            ..Container::default()
                        }],
                        ..PodSpec::default()
                    }),
                },
                ..DeploymentSpec::default()
            }),
            ..Deployment::default()
        },
    )?;
    out.write(
        "redis-service.yaml",
        &Service {
            metadata: meta,
            spec: Some(ServiceSpec {
                selector: Some(selector),
                ports: Some(vec![ServicePort {
                    name: Some("redis".into()),
                    port: 6379,
                    target_port: Some(IntOrString::String("redis".into())),
                    ..ServicePort::default()
                }]),
                ..ServiceSpec::default()
            }),
            ..Service::default()
        },
    )
}

/// The application's Ingress, with a certificate from the configured ClusterIssuer.
fn ingress(
    app: &Dns1035Label,
    namespace: &DnsLabel,
    host: &DnsSubdomain,
    config: &AppEnvironmentConfig,
    out: &mut Output,
) -> Result<(), StepError> {
    let backend = IngressBackend {
        service: Some(IngressServiceBackend {
            name: app.to_string(),
            port: Some(ServiceBackendPort {
                number: Some(80),
                name: None,
            }),
        }),
        resource: None,
    };
    out.write(
        "ingress.yaml",
        &Ingress {
            metadata: ObjectMeta {
                name: Some(app.to_string()),
                namespace: Some(namespace.to_string()),
                annotations: Some(labels([(
                    "cert-manager.io/cluster-issuer",
                    config.cluster_issuer.as_str(),
                )])),
                ..ObjectMeta::default()
            },
            spec: Some(IngressSpec {
                ingress_class_name: Some(config.ingress_class.clone()),
                tls: Some(vec![IngressTLS {
                    hosts: Some(vec![host.to_string()]),
                    secret_name: Some(format!("{app}-tls")),
                }]),
                rules: Some(vec![IngressRule {
                    host: Some(host.to_string()),
                    http: Some(HTTPIngressRuleValue {
                        paths: vec![HTTPIngressPath {
                            path: Some("/".into()),
                            path_type: "Prefix".into(),
                            backend,
                        }],
                    }),
                }]),
                ..IngressSpec::default()
            }),
            ..Ingress::default()
        },
    )
}
