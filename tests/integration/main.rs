//! In-process integration tests: the real router on a fresh database per test, one module
//! per area.

mod admin_cli;
mod csrf_and_headers;
mod postgres;
mod profile;
mod rest;
mod sign_in;
mod tokens;
