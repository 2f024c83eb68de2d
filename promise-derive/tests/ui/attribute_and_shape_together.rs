use promise_core::promise_api;

/// A misspelled key and a type parameter: both are reported in one pass, as serde_derive
/// reports every mistake it finds.
#[promise_api(group = "platform.example.com", version = "v1", kind = "Cache", shortnme = "c")]
pub struct CacheSpec<T> {
    /// Memory.
    pub memory_mib: T,
}

fn main() {}
