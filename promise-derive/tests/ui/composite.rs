//! Mistakes in `#[composite]` and in the patches written against its typed paths.
//! Each module is a case: one mistake, or several that must all be reported in one build.
//! The `.stderr` beside this file pins exactly the errors each gives, so a cascade fails.

mod composite_claim_needs_legacy {
    use promise_core::composite;

    /// A database: claims exist only for Crossplane 1.x (LegacyCluster) composites.
    #[composite(
        group = "test.example.com",
        version = "v1",
        kind = "XDatabase",
        claim_kind = "Database",
        scope = "Regional"
    )]
    pub struct XDatabaseSpec {
        /// Size.
        pub size: String,
        /// Clashes with the field the macro adds.
        pub crossplane: String,
    }
}

mod composite_path_typo {
    use promise_core::composite;
    use promise_core::crossplane::Patch;

    /// A cache.
    #[composite(group = "test.example.com", version = "v1", kind = "XCache")]
    pub struct XCacheSpec {
        /// Memory in MiB.
        pub memory_mib: i64,
    }

    fn main() {
        // A typo in a composite field path does not compile.
        let _ = Patch::from_composite(
            XCache::paths().spec().memory_mb(),
            "spec.forProvider.memory",
        );
    }
}

mod map_not_exhaustive {
    use promise_core::crossplane::Patch;
    use promise_core::{api_type, composite};

    /// Size.
    #[api_type]
    #[serde(rename_all = "lowercase")]
    pub enum Size {
        Small,
        Medium,
        Large,
    }

    /// A cache.
    #[composite(group = "test.example.com", version = "v1", kind = "XCache")]
    pub struct XCacheSpec {
        /// Size.
        pub size: Size,
    }

    fn main() {
        // A map transform that forgets a variant does not compile.
        let _ = Patch::from_composite(XCache::paths().spec().size(), "spec.forProvider.nodeType")
            .map(|size| match size {
                Size::Small => "cache.t3.micro",
                Size::Medium => "cache.t3.small",
            });
    }
}

fn main() {}
