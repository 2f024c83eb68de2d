use promise_core::{api_type, promise_api};

/// A cache whose attribute has one mistake; its fields' serde and schemars attributes must
/// not add errors of their own.
#[promise_api(group = "platform.example.com", version = "v1", kind = "Cache", shortnme = "c")]
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

/// A tier.
#[api_type]
#[derive(Default)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// The default.
    #[default]
    Standard,
}

fn main() {}
