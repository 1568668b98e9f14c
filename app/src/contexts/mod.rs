//! App-wide state, each provided once at the root and read with `expect_context`.

pub mod auth;
pub mod sudo;
