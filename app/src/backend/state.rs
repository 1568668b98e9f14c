//! Everything a request handler needs, cheap to clone: one `Arc`, so that a clone (each layer
//! and handler that holds the state takes one, several per request) is one atomic increment,
//! not one per service.

use std::sync::Arc;

use super::rate::RateLimiter;
use super::store::TokenId;
use super::tokens::last_used::LastUsed;
use super::tokens::verify::TokenVerifier;
use super::{Clock, Store, passwords::Passwords, tokens::Pepper};

#[derive(Clone)]
pub struct AppState(Arc<Services>);

/// The services behind [`AppState`], read through it (`state.store`, `state.clock`, …).
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub clock: Clock,
    pub passwords: Passwords,
    /// The secret under which token digests are computed.
    pub pepper: Pepper,
    /// Verified tokens, cached.
    pub verifier: Arc<TokenVerifier>,
    /// Token uses waiting to be written.
    pub last_used: Arc<LastUsed>,
    /// Objects each token may create per minute (on this instance).
    pub object_rate: Arc<RateLimiter<TokenId>>,
    /// Leak reports each client address may send per minute (on this instance).
    pub exposure_reports: Arc<RateLimiter<std::net::IpAddr>>,
    /// "Which token is this?" checks each user may make per minute (on this instance).
    pub token_checks: Arc<RateLimiter<super::store::UserId>>,
    /// Per token: the cap on refused-request events and the addresses it was used from lately.
    pub token_watch: Arc<super::security_log::TokenWatch>,
    /// When coming expiries are pointed out.
    pub expiry_warning: crate::domain::ExpiryWarning,
    /// What new token values may be: the administrator's limits on their expiry.
    pub token_policy: crate::domain::TokenPolicy,
}

/// Objects one token may create per minute by default.
pub const DEFAULT_OBJECTS_PER_MINUTE: u32 = 120;

impl AppState {
    pub fn new(store: Store, clock: Clock, pepper: Pepper) -> Self {
        Self(Arc::new(Services {
            store,
            clock,
            passwords: Passwords::new(),
            pepper,
            verifier: Arc::new(TokenVerifier::new()),
            last_used: Arc::new(LastUsed::new()),
            object_rate: Arc::new(RateLimiter::per_minute(DEFAULT_OBJECTS_PER_MINUTE)),
            exposure_reports: Arc::new(RateLimiter::per_minute(super::tokens::exposure::REPORTS_PER_MINUTE)),
            token_checks: Arc::new(RateLimiter::per_minute(super::tokens::exposure::CHECKS_PER_MINUTE)),
            token_watch: Arc::new(super::security_log::TokenWatch::new()),
            expiry_warning: crate::domain::ExpiryWarning::default(),
            token_policy: crate::domain::TokenPolicy::default(),
        }))
    }

    /// This state with `change` made to its services (a copy when others hold them too).
    fn with(self, change: impl FnOnce(Services) -> Services) -> Self {
        Self(Arc::new(change(Arc::unwrap_or_clone(self.0))))
    }

    /// The same state with other expiry warning thresholds.
    #[must_use]
    pub fn with_expiry_warning(self, expiry_warning: crate::domain::ExpiryWarning) -> Self {
        self.with(|s| Services { expiry_warning, ..s })
    }

    /// The same state with a token policy (none by default).
    #[must_use]
    pub fn with_token_policy(self, token_policy: crate::domain::TokenPolicy) -> Self {
        self.with(|s| Services { token_policy, ..s })
    }

    /// The same state with another limit on the objects a token creates per minute.
    #[must_use]
    pub fn with_objects_per_minute(self, per_minute: u32) -> Self {
        self.with(|s| Services {
            object_rate: Arc::new(RateLimiter::per_minute(per_minute)),
            ..s
        })
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}
