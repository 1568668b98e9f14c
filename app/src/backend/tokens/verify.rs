//! Verifying a presented token. The format and checksum are checked first, without the
//! database. A token seen recently is answered from a bounded in-memory cache keyed by the raw
//! bytes of its HMAC;
//! expiry is still checked at the exact instant on every request. A change on this instance
//! evicts at once; a change made elsewhere (another instance, the admin CLI) arrives through
//! `invalidation` (within 100 ms on PostgreSQL, a second on SQLite). A cache entry is trusted
//! for at most `REVALIDATE_AFTER` all the same, the bound when an announcement is lost.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

use super::digest::{MacHasher, TokenMac};
use super::{PlainToken, TokenDigest};
use crate::backend::security_log::{self, Origin, Refusal};
use crate::backend::sources::Sources;
use crate::backend::store::{FoundToken, Group, GroupId, TokenId, TokenRecord, User, UserId};
use crate::backend::{AppState, Error, Result};

/// How long a verified token is trusted without asking the database again.
pub const REVALIDATE_AFTER: Duration = Duration::seconds(5);
/// How many verified tokens the cache holds.
pub const CACHE_CAPACITY: usize = 10_000;

/// A request's verified caller: the token, its owner and the owner's sources, as the
/// database had them at most `REVALIDATE_AFTER` ago (at once after a change on this instance,
/// which evicts the owner's entries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    // Shared with the cache entry it came from: a request served from the cache copies no
    // record, only these pointers and its own origin.
    pub token: Arc<TokenRecord>,
    pub user: Arc<User>,
    pub sources: Arc<Sources>,
    /// Which of the token's values was presented.
    pub presented: Presented,
    /// The presented value's digest.
    pub digest: Arc<TokenDigest>,
    /// Where this request came from.
    pub origin: Origin,
}

/// Which of a token's values a request presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    /// The current value.
    Current,
    /// The value the last rotation replaced, still in its grace period: it works until
    /// `until` and has been deprecated since `rotated_at`.
    Previous {
        rotated_at: DateTime<Utc>,
        until: DateTime<Utc>,
    },
}

/// Why a caller has no source to attribute objects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingSource {
    /// The owner belongs to no group.
    NoGroup,
    /// The token's own source is a group its owner has left.
    Left(GroupId),
}

impl Caller {
    /// What objects created with this token are attributed to now: the token's own source
    /// while its owner is a member of it; for a token without one, the owner's effective
    /// source. Never a silent fallback from a token's own source to anything else.
    pub fn source(&self) -> std::result::Result<&Group, MissingSource> {
        match self.token.source_group_id {
            Some(id) => self
                .sources
                .groups
                .iter()
                .find(|g| g.id == id)
                .ok_or(MissingSource::Left(id)),
            None => self.sources.effective.as_ref().ok_or(MissingSource::NoGroup),
        }
    }
}

#[derive(Clone)]
struct Entry {
    caller: Caller,
    loaded_at: DateTime<Utc>,
}

/// Verifies tokens and remembers the ones it verified.
#[derive(Default)]
pub struct TokenVerifier {
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    entries: HashMap<TokenMac, Entry, BuildHasherDefault<MacHasher>>,
    /// Bumped by every eviction. A lookup that started before an eviction must not put what
    /// it read back into the cache: it may be the very token just revoked.
    generation: u64,
}

/// Whether the caller may act at `now`: a working token of an active user, presenting its
/// current value before it expires or its replaced value within the grace period.
fn usable(caller: &Caller, now: DateTime<Utc>) -> bool {
    let in_time = match caller.presented {
        Presented::Current => caller.token.expires_at.is_none_or(|e| now < e),
        Presented::Previous { until, .. } => now < until,
    };
    caller.token.revoked_at.is_none() && caller.user.is_active() && in_time
}

impl TokenVerifier {
    pub fn new() -> Self {
        Self::default()
    }

    /// The caller behind `presented`, or `Error::InvalidToken`, for a request of unknown
    /// origin.
    pub async fn verify(&self, state: &AppState, presented: &str) -> Result<Caller> {
        self.verify_from(state, presented, Origin::none()).await
    }

    /// The caller behind `presented`, or `Error::InvalidToken`, for a request from `origin`.
    /// A known token that does not work is logged as refused (never an unknown one). The
    /// caller takes `origin` as it is: a request served from the cache copies nothing.
    pub async fn verify_from(&self, state: &AppState, presented: &str, origin: Origin) -> Result<Caller> {
        let token = PlainToken::parse(presented).map_err(|_| Error::InvalidToken)?;
        let mac = state.pepper.mac(&token);
        let now = state.clock.now();
        let (cached, generation) = {
            let cache = self.lock();
            (cache.entries.get(&mac).cloned(), cache.generation)
        };
        if let Some(entry) = cached
            && now - entry.loaded_at < REVALIDATE_AFTER
        {
            let mut caller = entry.caller;
            if !usable(&caller, now) {
                state.last_used.count(caller.token.id, now, true);
                security_log::refused(state, &caller.token, &origin, Refusal::of_unusable(&caller, now)).await;
                return Err(Error::InvalidToken);
            }
            caller.origin = origin;
            return Ok(caller);
        }
        let digest = mac.digest();
        let Some(FoundToken { token: record, current }) = state.store.token_by_digest(&digest).await? else {
            self.lock().entries.remove(&mac);
            return Err(Error::InvalidToken);
        };
        let presented = match (current.0, record.rotated_at, record.previous_valid_until) {
            (true, _, _) => Presented::Current,
            (false, Some(rotated_at), Some(until)) => Presented::Previous { rotated_at, until },
            (false, _, _) => {
                state.last_used.count(record.id, now, true);
                return Err(Error::InvalidToken);
            }
        };
        let Some(user) = state.store.user_by_id(record.user_id).await? else {
            return Err(Error::InvalidToken);
        };
        let groups = state.store.groups_of(user.id).await?;
        let sources = Sources::resolve(user.default_source, groups);
        let caller = Caller {
            token: Arc::new(record),
            user: Arc::new(user),
            sources: Arc::new(sources),
            presented,
            digest: Arc::new(digest),
            origin,
        };
        if !usable(&caller, now) {
            self.lock().entries.remove(&mac);
            state.last_used.count(caller.token.id, now, true);
            security_log::refused(state, &caller.token, &caller.origin, Refusal::of_unusable(&caller, now)).await;
            return Err(Error::InvalidToken);
        }
        let entry = Entry {
            caller: caller.clone(),
            loaded_at: now,
        };
        self.remember(mac, entry, now, generation);
        Ok(caller)
    }

    /// Forgets a token at once (it was deleted on this instance).
    pub fn evict_token(&self, id: TokenId) {
        let mut cache = self.lock();
        cache.generation += 1;
        cache.entries.retain(|_, e| e.caller.token.id != id);
    }

    /// Forgets every token of a user (deactivated, or their profile or groups changed, on this
    /// instance).
    pub fn evict_user(&self, id: UserId) {
        let mut cache = self.lock();
        cache.generation += 1;
        cache.entries.retain(|_, e| e.caller.user.id != id);
    }

    /// Forgets every token (changes made elsewhere may have been missed).
    pub fn evict_all(&self) {
        let mut cache = self.lock();
        cache.generation += 1;
        cache.entries.clear();
    }

    /// How many tokens are cached.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn remember(&self, mac: TokenMac, entry: Entry, now: DateTime<Utc>, generation: u64) {
        let mut guard = self.lock();
        let cache = &mut *guard;
        if cache.generation != generation {
            return;
        }
        let entries = &mut cache.entries;
        if entries.len() >= CACHE_CAPACITY && !entries.contains_key(&mac) {
            entries.retain(|_, e| now - e.loaded_at < REVALIDATE_AFTER);
            if entries.len() >= CACHE_CAPACITY
                && let Some(oldest) = entries.iter().min_by_key(|(_, e)| e.loaded_at).map(|(m, _)| *m)
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(mac, entry);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::store::GroupId;

    fn entry(token: i64, user: i64, at: DateTime<Utc>) -> Entry {
        let caller = Caller {
            token: Arc::new(TokenRecord {
                id: TokenId(token),
                user_id: UserId(user),
                name: "t".into(),
                created_at: at,
                expires_at: None,
                last_used_at: None,
                revoked_at: None,
                last_used_ip: None,
                last_used_agent: None,
                access: crate::domain::TokenAccess::ReadWrite,
                description: None,
                hint: None,
                source_group_id: None,
                previous_valid_until: None,
                rotated_at: None,
            }),
            user: Arc::new(User {
                id: UserId(user),
                username: "u".into(),
                display_name: "U".into(),
                email: None,
                deactivated_at: None,
                created_at: at,
                default_source: None::<GroupId>,
                admin_since: None,
            }),
            sources: Arc::new(Sources::resolve(None, Vec::new())),
            presented: Presented::Current,
            digest: Arc::new(TokenDigest(format!("d{token}"))),
            origin: Origin::none(),
        };
        Entry { caller, loaded_at: at }
    }

    #[test]
    fn a_lookup_that_started_before_an_eviction_is_not_cached() {
        let verifier = TokenVerifier::new();
        let now = Utc::now();
        let before = verifier.lock().generation;
        // A request read token 1 from the database; meanwhile the token is deleted here.
        verifier.evict_token(TokenId(1));
        verifier.remember(TokenMac([1; 32]), entry(1, 1, now), now, before);
        assert!(verifier.is_empty(), "a revoked token came back into the cache");
        // A lookup that started after the eviction is cached as usual.
        let after = verifier.lock().generation;
        verifier.remember(TokenMac([2; 32]), entry(2, 1, now), now, after);
        assert_eq!(verifier.len(), 1);
        verifier.evict_user(UserId(1));
        assert!(verifier.is_empty());
    }
}
