use promise_core::composite;

/// A database: claims exist only for Crossplane 1.x (LegacyCluster) composites.
#[composite(group = "test.example.com", version = "v1", kind = "XDatabase", claim_kind = "Database", scope = "Regional")]
pub struct XDatabaseSpec {
    /// Size.
    pub size: String,
    /// Clashes with the field the macro adds.
    pub crossplane: String,
}

fn main() {}
