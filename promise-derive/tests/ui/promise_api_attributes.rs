//! Mistakes in `#[promise_api]`'s attribute: keys, names, scope, deprecation and printer columns.
//! Each module is a case: one mistake, or several that must all be reported in one build.
//! The `.stderr` beside this file pins exactly the errors each gives, so a cascade fails.

mod unknown_key {
    use promise_core::promise_api;

    /// A database.
    #[promise_api(
        group = "platform.example.com",
        version = "v1",
        kind = "Database",
        short_name = "db"
    )]
    pub struct DatabaseSpec {
        pub name: String,
    }
}

mod missing_kind {
    use promise_core::promise_api;

    #[promise_api(group = "platform.example.com", version = "v1")]
    pub struct DatabaseSpec {
        pub name: String,
    }
}

mod kind_is_struct_name {
    use promise_core::promise_api;

    #[promise_api(group = "platform.example.com", version = "v1", kind = "Database")]
    pub struct Database {
        pub name: String,
    }
}

mod cluster_scope {
    use promise_core::promise_api;

    #[promise_api(
        group = "platform.example.com",
        version = "v1",
        kind = "Database",
        scope = "Cluster"
    )]
    pub struct DatabaseSpec {
        pub name: String,
    }
}

mod empty_deprecation {
    use promise_core::promise_api;

    /// A version deprecated without the warning clients print.
    #[promise_api(
        group = "test.example.com",
        version = "v1alpha1",
        kind = "Widget",
        deprecated = ""
    )]
    pub struct WidgetSpec {
        pub size: i32,
    }
}

mod invalid_names {
    use promise_core::promise_api;

    // Every naming mistake is reported in the same build.
    #[promise_api(
        group = "Platform",
        version = "1.0",
        kind = "data_base",
        plural = "Databases",
        shortname = "db",
        shortname = "db",
        category = "all apps"
    )]
    pub struct DatabaseSpec {
        pub name: String,
    }
}

mod old_printer_column {
    use promise_core::promise_api;

    /// A database declared with the spelling this library used before it took kube-derive's.
    #[promise_api(
        group = "platform.example.com",
        version = "v1",
        kind = "Database",
        printer_column(name = "Engine", json_path = ".spec.engine")
    )]
    pub struct DatabaseSpec {
        /// Engine.
        pub engine: String,
    }
}

mod printer_column {
    use promise_core::promise_api;

    #[promise_api(
    group = "platform.example.com",
    version = "v1",
    kind = "Database",
    printcolumn(name = "Engine", json_path = "spec.engine", type_ = "String"),
    printcolumn(name = "Age", json_path = ".metadata.creationTimestamp", type_ = "date", format = "datetime", priority = -1)
)]
    pub struct DatabaseSpec {
        pub name: String,
    }
}

mod printer_column_missing_name {
    use promise_core::promise_api;

    #[promise_api(
        group = "platform.example.com",
        version = "v1",
        kind = "Database",
        printcolumn(json_path = ".spec.size", typ = "string")
    )]
    pub struct DatabaseSpec {
        pub name: String,
    }
}

mod one_mistake_one_error {
    use promise_core::{api_type, promise_api};

    /// A cache whose attribute has one mistake; its fields' serde and schemars attributes must
    /// not add errors of their own.
    #[promise_api(
        group = "platform.example.com",
        version = "v1",
        kind = "Cache",
        shortnme = "c"
    )]
    pub struct CacheSpec {
        /// Memory.
        #[serde(default = "default_memory")]
        #[schemars(range(min = 1))]
        pub memory_mib: i32,
        /// Tier.
        #[serde(default)]
        pub tier: Tier,
    }

    fn default_memory() -> i32 {
        256
    }

    /// The kind and its paths still exist: their uses add no error.
    pub fn uses(cache: &Cache) -> String {
        let _ = Cache::paths().spec().memory_mib();
        cache.spec.memory_mib.to_string()
    }

    /// A tier.
    #[api_type]
    #[derive(Default)]
    #[serde(rename_all = "lowercase")]
    pub enum Tier {
        /// The default.
        #[default]
        Standard,
    }
}

mod bad_printcolumn_path_one_error {
    use promise_core::promise_api;

    /// A cache whose one printer column's path lacks its leading dot; its fields' serde and
    /// schemars attributes must not add errors of their own.
    #[promise_api(
        group = "platform.example.com",
        version = "v1",
        kind = "Cache",
        printcolumn(name = "Memory", json_path = "spec.memoryMib")
    )]
    pub struct CacheSpec {
        /// Memory.
        #[serde(default = "default_memory", rename = "memoryMib")]
        #[schemars(range(min = 1))]
        pub memory: i32,
    }

    fn default_memory() -> i32 {
        256
    }

    /// The kind and its paths still exist: their uses add no error.
    pub fn uses(cache: &Cache) -> String {
        let _ = Cache::paths().spec().memory();
        cache.spec.memory.to_string()
    }
}

mod unknown_key_and_bad_value {
    use promise_core::promise_api;

    /// A misspelt key and a bad value: both in one build, since the keys that are right are
    /// still checked.
    #[promise_api(
        group = "Platform_Example",
        version = "v1",
        kind = "Queue",
        shortnme = "q"
    )]
    pub struct QueueSpec {
        /// Depth.
        pub depth: i32,
    }
}

fn main() {}
