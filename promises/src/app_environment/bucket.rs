//! `XBucket`: an S3 bucket for an application, provisioned by Crossplane on AWS S3 (Hetzner
//! has S3-compatible object storage but no Crossplane provider for it).

use promise_core::crossplane::{
    Bundle, ComposedTemplate, Composition, Function, Manifest, Patch, Resources, XrdApi,
};
use promise_core::{api_type, composite};

use crate::database::Environment;
use crate::providers::s3_bucket::{BucketForProvider, BucketProviderConfigRef, BucketSpec};

/// An application's object storage bucket.
#[composite(
    group = "platform.aleklab.com",
    version = "v1alpha1",
    kind = "XBucket",
    scope = "Namespaced",
    status = XBucketStatus,
    printcolumn(name = "Application", json_path = ".spec.application")
)]
pub struct XBucketSpec {
    /// The application the bucket belongs to.
    pub application: String,
    /// Environment the bucket serves; production buckets are kept when emptied.
    pub environment: Environment,
}

/// What the compositions report back.
#[api_type]
#[derive(Default)]
pub struct XBucketStatus {
    /// The bucket's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The bucket's regional endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

/// The XRD, an S3 composition per environment, and the functions they use.
pub fn bundle() -> Bundle {
    let mut bundle = Bundle::new()
        .xrd::<XBucket>(XrdApi::V2)
        .function(Function::patch_and_transform())
        .function(Function::auto_ready());
    for environment in [Environment::Dev, Environment::Staging, Environment::Prod] {
        bundle = bundle.composition(s3(environment));
    }
    bundle
}

fn s3(environment: Environment) -> Composition {
    let env = environment.wire_name();
    let bucket = Manifest::new(BucketSpec {
        for_provider: BucketForProvider {
            region: "eu-central-1".into(),
            // Non-production buckets may be deleted with their objects.
            force_destroy: Some(environment != Environment::Prod),
            tags: Some([("managed-by".to_string(), "crossplane".to_string())].into()),
            ..BucketForProvider::default()
        },
        provider_config_ref: Some(BucketProviderConfigRef {
            kind: "ClusterProviderConfig".into(),
            name: "default".into(),
        }),
        ..BucketSpec::default()
    });
    let xr = XBucket::paths();
    let template = ComposedTemplate::new("bucket", &bucket)
        .patch(Patch::from_composite(
            xr.spec().application(),
            "spec.forProvider.tags[application]",
        ))
        .patch(Patch::from_composite(
            xr.spec().environment(),
            "spec.forProvider.tags[environment]",
        ))
        .patch(Patch::to_composite(
            "status.atProvider.arn",
            xr.status().fields().arn(),
        ))
        .patch(Patch::to_composite(
            "status.atProvider.bucketRegionalDomainName",
            xr.status().fields().endpoint(),
        ));
    Composition::for_composite::<XBucket>(format!("xbucket-aws-{env}"))
        .label("provider", "aws")
        .label("environment", env)
        .patch_and_transform("compose", Resources::new(vec![template]))
        .auto_ready()
}
