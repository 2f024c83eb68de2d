//! Items the macros cannot take, types a promise API cannot have, and serde attributes that would change the schema silently.
//! Each module is a case: one mistake, or several that must all be reported in one build.
//! The `.stderr` beside this file pins exactly the errors each gives, so a cascade fails.

mod not_a_named_struct {
    use promise_core::promise_api;

    #[promise_api(group = "platform.example.com", version = "v1", kind = "Database")]
    pub struct DatabaseSpec(String);

    #[promise_api(group = "platform.example.com", version = "v1", kind = "Cache")]
    pub enum CacheSpec {
        Small,
    }

    #[promise_api(group = "platform.example.com", version = "v1", kind = "Queue")]
    pub struct QueueSpec<T> {
        pub item: T,
    }
}

mod attribute_and_shape_together {
    use promise_core::promise_api;

    /// A misspelled key and a type parameter: both are reported in one pass, as serde_derive
    /// reports every mistake it finds.
    #[promise_api(
        group = "platform.example.com",
        version = "v1",
        kind = "Cache",
        shortnme = "c"
    )]
    pub struct CacheSpec<T> {
        /// Memory.
        pub memory_mib: T,
    }
}

mod api_type_misuse {
    use promise_core::api_type;

    #[api_type(rename_all = "camelCase")]
    pub struct Settings {
        pub size: i32,
    }

    #[api_type]
    pub fn not_a_type() {}
}

mod cluster_scoped_resource {
    // A hand-written cluster-scoped custom resource cannot be a promise API: `PromiseApi`
    // requires `NamespaceResourceScope`.
    use promise_core::__private::{CustomResource, schemars, serde};
    use promise_core::catalog::PromiseDefinition;

    #[derive(
        CustomResource, Clone, Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
    )]
    #[serde(crate = "promise_core::__private::serde")]
    #[schemars(crate = "promise_core::__private::schemars")]
    #[kube(
        group = "platform.example.com",
        version = "v1",
        kind = "Cluster",
        crates(
            kube_core = "::promise_core::__private::kube_core",
            k8s_openapi = "::promise_core::__private::k8s_openapi",
            schemars = "::promise_core::__private::schemars",
            serde = "::promise_core::__private::serde",
            serde_json = "::promise_core::__private::serde_json"
        )
    )]
    pub struct ClusterSpec {
        pub nodes: i32,
    }

    impl promise_core::PromiseApi for Cluster {}

    fn main() {
        let _ = PromiseDefinition::builder("cluster").api::<Cluster>();
    }
}

mod default_variant_skipped {
    use promise_core::api_type;

    /// A tier whose default variant serde skips: the schema would silently have no default.
    #[api_type]
    #[derive(Default)]
    #[serde(rename_all = "lowercase")]
    pub enum Tier {
        /// Never written.
        #[default]
        #[serde(skip)]
        Hidden,
        /// Premium.
        Premium,
    }
}

mod serde_typo {
    use promise_core::promise_api;

    /// A cache with a misspelled serde attribute beside a schemars one: one error, at the
    /// typo.
    #[promise_api(group = "platform.example.com", version = "v1", kind = "Cache")]
    pub struct CacheSpec {
        /// Memory.
        #[serde(defualt = "default_memory")]
        #[schemars(range(min = 1))]
        pub memory_mib: i32,
    }

    fn default_memory() -> i32 {
        256
    }

    /// The kind and its paths still exist: their uses add no error.
    pub fn uses(cache: &Cache) -> String {
        let _ = Cache::paths().spec().memory_mib();
        cache.spec.memory_mib.to_string()
    }
}

mod serde_typo_nested {
    use promise_core::{api_type, promise_api};

    /// A cache whose nested type has a misspelled serde attribute: one error, at the typo, not one
    /// per type that holds it.
    #[promise_api(group = "platform.example.com", version = "v1", kind = "Cache")]
    pub struct CacheSpec {
        /// Storage.
        pub storage: Storage,
    }

    /// Storage.
    #[api_type]
    pub struct Storage {
        /// Size.
        #[serde(skip_serialising_if = "Option::is_none")]
        pub size_gib: Option<i32>,
    }
}

fn main() {}
