use promise_core::promise_api;

/// A version deprecated without the warning clients print.
#[promise_api(group = "test.example.com", version = "v1alpha1", kind = "Widget", deprecated = "")]
pub struct WidgetSpec {
    pub size: i32,
}

fn main() {}
