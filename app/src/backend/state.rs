//! Everything a request handler needs, cheap to clone.

use std::sync::Arc;

use super::tokens::last_used::LastUsed;
use super::tokens::verify::TokenVerifier;
use super::{Clock, Store, passwords::Passwords, tokens::Pepper};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    pub passwords: Passwords,
    /// The secret under which token digests are computed.
    pub pepper: Pepper,
    /// Verified tokens, cached.
    pub verifier: Arc<TokenVerifier>,
    /// Token uses waiting to be written.
    pub last_used: Arc<LastUsed>,
}

impl AppState {
    pub fn new(store: Store, clock: Clock, pepper: Pepper) -> Self {
        Self {
            store,
            clock,
            passwords: Passwords::new(),
            pepper,
            verifier: Arc::new(TokenVerifier::new()),
            last_used: Arc::new(LastUsed::new()),
        }
    }
}
