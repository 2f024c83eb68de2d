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

fn main() {}
