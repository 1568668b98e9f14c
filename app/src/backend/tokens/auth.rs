//! Verifying a presented token. The format and checksum are checked first, without the
//! database. A token seen recently is answered from a bounded in-memory cache keyed by digest;
//! expiry is still checked at the exact instant on every request. A cache entry is trusted
//! for at most `REVALIDATE_AFTER`, which bounds how long a revocation made elsewhere (another
//! instance, the admin CLI) can go unnoticed; a deletion on this instance evicts at once.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

use super::{PlainToken, TokenDigest};
use crate::backend::AppState;
use crate::backend::store::{StoreError, TokenId, TokenRecord, User, UserId};

/// How long a verified token is trusted without asking the database again.
pub const REVALIDATE_AFTER: Duration = Duration::seconds(5);
/// How many verified tokens the cache holds.
pub const CACHE_CAPACITY: usize = 10_000;

/// A request's verified caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub token: TokenRecord,
    pub user: User,
}

/// Why a token was refused. Deliberately coarse: the answer never says whether a token exists.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("the token is malformed, unknown, expired or revoked")]
    Invalid,
    #[error("the token store failed")]
    Store(#[from] StoreError),
}

#[derive(Clone)]
struct Entry {
    caller: Caller,
    loaded_at: DateTime<Utc>,
}

/// Verifies tokens and remembers the ones it verified.
#[derive(Default)]
pub struct TokenVerifier {
    cache: Mutex<HashMap<TokenDigest, Entry>>,
}

fn usable(caller: &Caller, now: DateTime<Utc>) -> bool {
    caller.token.revoked_at.is_none() && caller.user.active && caller.token.expires_at.is_none_or(|e| now < e)
}

impl TokenVerifier {
    pub fn new() -> Self {
        Self::default()
    }

    /// The caller behind `presented`, or `Invalid`.
    pub async fn verify(&self, state: &AppState, presented: &str) -> Result<Caller, VerifyError> {
        let token = PlainToken::parse(presented).map_err(|_| VerifyError::Invalid)?;
        let digest = state.pepper.digest(&token);
        let now = state.clock.now();
        let cached = self.lock().get(&digest).cloned();
        if let Some(entry) = cached
            && now - entry.loaded_at < REVALIDATE_AFTER
        {
            return if usable(&entry.caller, now) {
                Ok(entry.caller)
            } else {
                Err(VerifyError::Invalid)
            };
        }
        let Some(record) = state.store.token_by_digest(&digest).await? else {
            self.lock().remove(&digest);
            return Err(VerifyError::Invalid);
        };
        let Some(user) = state.store.user_by_id(record.user_id).await? else {
            return Err(VerifyError::Invalid);
        };
        let caller = Caller { token: record, user };
        if !usable(&caller, now) {
            self.lock().remove(&digest);
            return Err(VerifyError::Invalid);
        }
        self.remember(
            digest,
            Entry {
                caller: caller.clone(),
                loaded_at: now,
            },
            now,
        );
        Ok(caller)
    }

    /// Forgets a token at once (it was deleted on this instance).
    pub fn evict_token(&self, id: TokenId) {
        self.lock().retain(|_, e| e.caller.token.id != id);
    }

    /// Forgets every token of a user (deactivated on this instance).
    pub fn evict_user(&self, id: UserId) {
        self.lock().retain(|_, e| e.caller.user.id != id);
    }

    /// How many tokens are cached.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn remember(&self, digest: TokenDigest, entry: Entry, now: DateTime<Utc>) {
        let mut cache = self.lock();
        if cache.len() >= CACHE_CAPACITY && !cache.contains_key(&digest) {
            cache.retain(|_, e| now - e.loaded_at < REVALIDATE_AFTER);
            if cache.len() >= CACHE_CAPACITY
                && let Some(oldest) = cache.iter().min_by_key(|(_, e)| e.loaded_at).map(|(d, _)| d.clone())
            {
                cache.remove(&oldest);
            }
        }
        cache.insert(digest, entry);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TokenDigest, Entry>> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
