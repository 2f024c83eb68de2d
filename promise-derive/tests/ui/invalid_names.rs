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

fn main() {}
