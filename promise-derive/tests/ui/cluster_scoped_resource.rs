// A hand-written cluster-scoped custom resource cannot be a promise API: `PromiseApi`
// requires `NamespaceResourceScope`.
use promise_core::__private::{CustomResource, schemars, serde};
use promise_core::catalog::PromiseDefinition;

#[derive(CustomResource, Clone, Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(crate = "promise_core::__private::serde")]
#[schemars(crate = "promise_core::__private::schemars")]
#[kube(group = "platform.example.com", version = "v1", kind = "Cluster",
       crates(kube_core = "::promise_core::__private::kube_core",
              k8s_openapi = "::promise_core::__private::k8s_openapi",
              schemars = "::promise_core::__private::schemars",
              serde = "::promise_core::__private::serde",
              serde_json = "::promise_core::__private::serde_json"))]
pub struct ClusterSpec {
    pub nodes: i32,
}

impl promise_core::PromiseApi for Cluster {}

fn main() {
    let _ = PromiseDefinition::builder("cluster").api::<Cluster>();
}
