//! Everything a request handler needs, cheap to clone.

use std::sync::Arc;

use super::{Clock, Store, passwords::Passwords, throttle::SignInThrottle, tokens::Pepper};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    pub passwords: Passwords,
    pub throttle: Arc<SignInThrottle>,
    /// The secret under which token digests are computed.
    pub pepper: Pepper,
}

impl AppState {
    pub fn new(store: Store, clock: Clock, pepper: Pepper) -> Self {
        Self {
            store,
            throttle: Arc::new(SignInThrottle::new(clock.clone())),
            clock,
            passwords: Passwords::new(),
            pepper,
        }
    }
}
