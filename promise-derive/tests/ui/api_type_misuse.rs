use promise_core::api_type;

#[api_type(rename_all = "camelCase")]
pub struct Settings {
    pub size: i32,
}

#[api_type]
pub fn not_a_type() {}

fn main() {}
