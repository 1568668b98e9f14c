//! In-process integration tests: the real router on a fresh database per test, one module
//! per area.

mod admin;
mod admin_cli;
mod auth_cache;
mod client_files;
mod csrf_and_headers;
mod data;
mod login_page;
mod password;
mod pepper_and_files;
mod postgres;
mod profile;
mod rate_limits;
mod rest;
mod security_log;
mod sessions;
mod sign_in;
mod sudo;
mod tokens;
