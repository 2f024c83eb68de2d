use promise_core::promise_api;

#[promise_api(group = "platform.example.com", version = "v1", kind = "Database")]
pub struct Database {
    pub name: String,
}

fn main() {}
