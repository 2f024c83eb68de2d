//! The pipeline package's tests, in one test binary: each test target is one more link at
//! every edit of a promise.

mod binary;
mod prepared;
