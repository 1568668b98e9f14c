//! The `tessera` server: configuration and start-up, the router shared by the binary and the
//! tests, and the ways in to the backend's operations: the REST API (`rest`), the browser
//! client's server functions (`rpc`), the sign-in page's form (`login_page`) and the admin
//! commands (`admin`, `cli`).
//! `client_addr`, `access_log`, `security` (with `hosts`) and `limits` are middleware every
//! request passes, and `session_activity` every server function; `serve` is the accept loop
//! that bounds connections.

pub mod access_log;
pub mod admin;
pub mod assets;
pub mod cli;
pub mod client_addr;
pub mod config;
pub mod hosts;
pub mod index_page;
pub mod limits;
mod login_page;
pub mod refusal;
pub mod rest;
pub mod router;
pub mod rpc;
pub mod security;
pub mod serve;
pub mod session_activity;
pub mod startup;
pub mod telemetry;

pub use config::ServeConfig;
pub use router::router;
pub use startup::Application;
