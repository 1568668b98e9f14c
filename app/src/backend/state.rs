//! Everything a request handler needs, cheap to clone.

use std::sync::Arc;

use super::{Clock, Store, passwords::Passwords, throttle::SignInThrottle};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    pub passwords: Passwords,
    pub throttle: Arc<SignInThrottle>,
}

impl AppState {
    pub fn new(store: Store, clock: Clock) -> Self {
        Self {
            store,
            throttle: Arc::new(SignInThrottle::new(clock.clone())),
            clock,
            passwords: Passwords::new(),
        }
    }
}
