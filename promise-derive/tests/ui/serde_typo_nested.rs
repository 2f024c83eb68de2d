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

fn main() {}
