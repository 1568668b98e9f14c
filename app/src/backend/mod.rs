//! Server-side code the server functions and the REST API call: state, clock, store,
//! passwords, sessions. Nothing here depends on Leptos except `rpc`, so it is testable alone.

pub mod accounts;
pub mod clock;
pub mod passwords;
pub mod rpc;
pub mod sessions;
pub mod sources;
pub mod state;
pub mod store;
pub mod throttle;
pub mod tokens;

pub use clock::Clock;
pub use state::AppState;
pub use store::Store;
