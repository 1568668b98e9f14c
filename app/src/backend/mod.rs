//! Server-side code the server functions and the REST API call: state, clock, store,
//! passwords, sessions. Nothing here depends on Leptos except `rpc`, so it is testable alone.

pub mod accounts;
pub mod clock;
pub mod passwords;
pub mod sessions;
pub mod sources;
pub mod state;
pub mod store;
pub mod throttle;
pub mod tokens;

pub use clock::Clock;

/// The address a request came from, as the server worked it out (the TCP peer, or the client a
/// trusted proxy names); put in request extensions for sign-in throttling and "last used from".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

pub use state::AppState;
pub use store::Store;
