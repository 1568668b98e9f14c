//! "Last used" without a database write per request: uses are coalesced in memory and
//! written at most once per `WRITE_INTERVAL` per token, by a background flush (and a final
//! flush at shutdown).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

use crate::backend::store::{Store, StoreResult, TokenId};

/// At most one write per token in this interval.
pub const WRITE_INTERVAL: Duration = Duration::seconds(60);

/// One use of a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    pub at: DateTime<Utc>,
    pub ip: Option<String>,
    pub agent: Option<String>,
}

#[derive(Default)]
struct State {
    /// The latest use not yet written, per token.
    pending: HashMap<TokenId, Usage>,
    /// When each token's use was last written.
    written: HashMap<TokenId, DateTime<Utc>>,
}

/// Collects token uses and writes them in batches.
#[derive(Default)]
pub struct LastUsed {
    state: Mutex<State>,
}

impl LastUsed {
    pub fn new() -> Self {
        Self::default()
    }

    /// Notes a use; cheap, no I/O.
    pub fn record(&self, id: TokenId, usage: Usage) {
        let mut state = self.lock();
        match state.pending.get(&id) {
            Some(existing) if existing.at > usage.at => {}
            _ => {
                state.pending.insert(id, usage);
            }
        }
    }

    /// Writes the pending uses of tokens not written within `WRITE_INTERVAL` before `now`;
    /// returns how many were written.
    pub async fn flush_due(&self, store: &Store, now: DateTime<Utc>) -> StoreResult<usize> {
        self.flush(store, now, false).await
    }

    /// Writes every pending use (shutdown).
    pub async fn flush_all(&self, store: &Store, now: DateTime<Utc>) -> StoreResult<usize> {
        self.flush(store, now, true).await
    }

    async fn flush(&self, store: &Store, now: DateTime<Utc>, everything: bool) -> StoreResult<usize> {
        let due: Vec<(TokenId, Usage)> = {
            let mut state = self.lock();
            let State { pending, written } = &mut *state;
            let ids: Vec<TokenId> = pending
                .keys()
                .filter(|id| everything || written.get(id).is_none_or(|t| now - *t >= WRITE_INTERVAL))
                .copied()
                .collect();
            written.retain(|_, t| now - *t < WRITE_INTERVAL);
            ids.into_iter()
                .filter_map(|id| {
                    written.insert(id, now);
                    pending.remove(&id).map(|u| (id, u))
                })
                .collect()
        };
        for (i, (id, usage)) in due.iter().enumerate() {
            if let Err(error) = store
                .record_token_use(*id, usage.at, usage.ip.as_deref(), usage.agent.as_deref())
                .await
            {
                // Put back what was not written, so the next flush tries again.
                for (id, usage) in due.into_iter().skip(i) {
                    self.record(id, usage);
                }
                return Err(error);
            }
        }
        Ok(due.len())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
