//! The `tessera` server: configuration, start-up, the router shared by the binary and the
//! tests, security middleware and the admin commands.

pub mod admin;
pub mod cli;
pub mod config;
pub mod rest;
pub mod router;
pub mod security;
pub mod startup;
pub mod telemetry;

pub use config::ServeConfig;
pub use router::router;
pub use startup::Application;
