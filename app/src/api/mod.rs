//! Server functions, one area per file. Each has an explicit, stable endpoint under `/rpc`
//! and a thin body: parse, require the session user, call one backend function, map to a DTO.

pub mod auth;
pub mod models;
pub mod profile;
pub mod tokens;

pub use models::{CreatedToken, GroupView, TokenView, UserView};
