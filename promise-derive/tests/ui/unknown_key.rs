use promise_core::promise_api;

/// A database.
#[promise_api(group = "platform.example.com", version = "v1", kind = "Database", short_name = "db")]
pub struct DatabaseSpec {
    pub name: String,
}

fn main() {}
