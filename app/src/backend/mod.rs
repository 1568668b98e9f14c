//! The service layer: every operation Tessera performs, with its own records (`store`) and
//! its one error type (`Error`). Server functions, REST handlers and admin commands are thin
//! adapters around these operations. Nothing here imports a server-function or REST type.
//!
//! - `accounts`: sign-in, profiles, creating users
//! - `admin`: what administrators do to users, their tokens and groups
//! - `groups`: groups and memberships
//! - `invalidation`: telling every instance what its token cache must forget
//! - `sources`: which group objects are attributed to
//! - `objects`: entities and observables that API requests create and read
//! - `tokens`: creating, listing, revoking and verifying API tokens
//! - `sessions`: browser sessions
//! - `security_log`: what happened to an account and its tokens, for its owner and an audit
//! - `store`: the database, one module per table

pub mod accounts;
pub mod admin;
pub mod clock;
pub mod error;
pub mod files;
pub mod groups;
pub mod id_map;
pub mod invalidation;
pub mod objects;
pub mod passwords;
pub mod rate;
pub mod security_log;
pub mod sessions;
pub mod sources;
pub mod state;
pub mod store;
pub mod throttle;
pub mod tokens;

pub use clock::Clock;
pub use error::{Error, Result};
pub use state::AppState;
pub use store::Store;

/// The address a request came from, as the server worked it out (the TCP peer, or the client a
/// trusted proxy names); put in request extensions for sign-in throttling and "last used from".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);
