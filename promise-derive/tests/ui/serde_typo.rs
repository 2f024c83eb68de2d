use promise_core::promise_api;

/// A cache with a misspelled serde attribute: one error, at the typo.
#[promise_api(group = "platform.example.com", version = "v1", kind = "Cache")]
pub struct CacheSpec {
    /// Memory.
    #[serde(defualt = "default_memory")]
    pub memory_mib: i32,
}

fn default_memory() -> i32 {
    256
}

fn main() {}
