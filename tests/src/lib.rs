//! Helpers shared by Tessera's integration and browser tests: one server per test on a fresh
//! database, driven in process ([`TestApp`]); one [`Client`] per acting user, with a cookie
//! jar and bearer token of its own; server functions called through their argument structs;
//! and the REST API's paths and error envelope.

pub mod api;
mod app;
pub mod backend;
pub mod browser;
mod client;
pub mod logs;
mod response;
pub mod security_log;
mod server_fns;
mod time;

pub use app::{BACKEND_ENV, TestApp};
pub use client::Client;
pub use response::{TestResponse, assert_error, assert_invalid};
pub use server_fns::{create_token, create_token_with_access, create_token_with_source, names, update_profile};
pub use time::{at, start_time};

/// The host name in-process requests claim to be for.
pub const HOST: &str = "tessera.test";
/// A password that satisfies the rules, used for test accounts.
pub const PASSWORD: &str = "correct horse battery staple";

/// Whether `needle` occurs in `haystack` (the database's bytes, say).
pub fn bytes_contain(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}
