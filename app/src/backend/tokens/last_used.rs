//! "Last used" and requests per day without a database write per request: uses and counts
//! are coalesced in memory and written at most once per `WRITE_INTERVAL` per token, by a
//! background flush (and a final flush at shutdown). A reader of the counts holds
//! [`LastUsed::reading`] across its read of the store and of memory, so a count on its way
//! from one to the other is seen exactly once. Flushes run one at a time, so a flush that
//! returns has everything taken before it in the store (what tests and shutdown rely on).

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

use crate::backend::id_map::IdMap;
use crate::backend::store::{Store, StoreResult, TokenId};

/// At most one write per token in this interval.
pub const WRITE_INTERVAL: Duration = Duration::seconds(60);

/// One use of a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    pub at: DateTime<Utc>,
    pub ip: Option<std::net::IpAddr>,
    pub agent: Option<String>,
}

/// A token's requests on one day, accepted and refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCounts {
    pub requests: i64,
    pub refused: i64,
}

/// The UTC day of an instant: days since 1970-01-01.
pub fn day_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(86_400)
}

/// How long daily counts are kept.
pub const KEEP_DAYS: i64 = 90;

#[derive(Default)]
struct State {
    /// The latest use not yet written, per token.
    pending: IdMap<TokenId, Usage>,
    /// Requests not yet written, per token and day.
    counts: IdMap<TokenId, IdMap<i64, DayCounts>>,
    /// The last day older counts were deleted on.
    pruned: Option<i64>,
    /// When each token's use was last written.
    written: IdMap<TokenId, DateTime<Utc>>,
}

/// Collects token uses and writes them in batches.
#[derive(Default)]
pub struct LastUsed {
    state: Mutex<State>,
    /// Held for writing by a flush from the moment it takes counts out of memory until they
    /// are in the store; held for reading by whoever adds the two up.
    flushing: tokio::sync::RwLock<()>,
    /// Held by a flush from start to end: one flush at a time, and a flush that finds nothing
    /// due returns only once what the one before it took is in the store.
    one_at_a_time: tokio::sync::Mutex<()>,
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

    /// Notes a use at `at` from `ip` with the user agent `agent`; cheap, no I/O, and no
    /// allocation when the token's pending use came from the same client.
    pub fn note(&self, id: TokenId, at: DateTime<Utc>, ip: Option<std::net::IpAddr>, agent: Option<&str>) {
        let mut state = self.lock();
        match state.pending.get_mut(&id) {
            Some(existing) if existing.at > at => {}
            Some(existing) if existing.ip == ip && existing.agent.as_deref() == agent => existing.at = at,
            _ => {
                let usage = Usage {
                    at,
                    ip,
                    agent: agent.map(str::to_owned),
                };
                state.pending.insert(id, usage);
            }
        }
    }

    /// Counts one request made with a token at `at`, accepted or refused; cheap, no I/O.
    pub fn count(&self, id: TokenId, at: DateTime<Utc>, refused: bool) {
        let mut state = self.lock();
        let day = state.counts.entry(id).or_default().entry(day_of(at)).or_default();
        if refused {
            day.refused += 1;
        } else {
            day.requests += 1;
        }
    }

    /// Waits for a flush that is writing counts and keeps the next one from starting until
    /// the guard is dropped: read the store's counts and then [`Self::unwritten`] under it.
    /// Never flush while holding the guard: the flush would wait for it forever.
    pub async fn reading(&self) -> tokio::sync::RwLockReadGuard<'_, ()> {
        self.flushing.read().await
    }

    /// The counts of `ids` not written yet, to add to what the store has.
    pub fn unwritten(&self, ids: &[TokenId]) -> Vec<(TokenId, i64, DayCounts)> {
        let state = self.lock();
        ids.iter()
            .filter_map(|id| state.counts.get(id).map(|days| (id, days)))
            .flat_map(|(id, days)| days.iter().map(|(day, c)| (*id, *day, *c)))
            .collect()
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
        let _one = self.one_at_a_time.lock().await;
        let writing = self.flushing.write().await;
        let today = day_of(now);
        let (due, counts, prune) = {
            let mut state = self.lock();
            let State {
                pending,
                counts,
                written,
                pruned,
            } = &mut *state;
            let mut ids: Vec<TokenId> = pending.keys().chain(counts.keys()).copied().collect();
            ids.sort_by_key(|id| id.0);
            ids.dedup();
            ids.retain(|id| everything || written.get(id).is_none_or(|t| now - *t >= WRITE_INTERVAL));
            written.retain(|_, t| now - *t < WRITE_INTERVAL);
            let mut due = Vec::new();
            let mut due_counts = Vec::new();
            for id in ids {
                written.insert(id, now);
                if let Some(u) = pending.remove(&id) {
                    due.push((id, u));
                }
                if let Some(days) = counts.remove(&id) {
                    due_counts.extend(days.into_iter().map(|(day, c)| (id, day, c)));
                }
            }
            let prune = *pruned != Some(today);
            *pruned = Some(today);
            (due, due_counts, prune)
        };
        // All the counts in one transaction: written together or put back together, and
        // the guard is held for one commit rather than one per token and day.
        let rows: Vec<_> = counts
            .iter()
            .map(|(id, day, c)| (*id, *day, c.requests, c.refused))
            .collect();
        if let Err(error) = store.add_token_usage(&rows).await {
            let mut state = self.lock();
            for (id, day, c) in counts {
                let slot = state.counts.entry(id).or_default().entry(day).or_default();
                slot.requests += c.requests;
                slot.refused += c.refused;
            }
            drop(state);
            for (id, usage) in due {
                self.record(id, usage);
            }
            return Err(error);
        }
        drop(writing);
        for (i, (id, usage)) in due.iter().enumerate() {
            let ip = usage.ip.map(|ip| ip.to_string());
            if let Err(error) = store
                .record_token_use(*id, usage.at, ip.as_deref(), usage.agent.as_deref())
                .await
            {
                // Put back what was not written, so the next flush tries again.
                for (id, usage) in due.into_iter().skip(i) {
                    self.record(id, usage);
                }
                return Err(error);
            }
        }
        // Last: a failed pruning loses nothing, and the next day tries again.
        if prune {
            store.delete_token_usage_before(today - KEEP_DAYS).await?;
        }
        Ok(due.len())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(uses: &LastUsed, id: TokenId) -> Option<Usage> {
        uses.lock().pending.get(&id).cloned()
    }

    #[test]
    fn the_latest_use_is_kept_whatever_order_uses_are_noted_in() {
        let uses = LastUsed::new();
        let t = TokenId(1);
        let at = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap_or_default();
        let home = Some("203.0.113.7".parse().expect("ip"));
        uses.note(t, at(10), home, Some("curl/8"));
        uses.note(t, at(20), home, Some("curl/8"));
        assert_eq!(
            pending(&uses, t),
            Some(Usage {
                at: at(20),
                ip: home,
                agent: Some("curl/8".into())
            })
        );
        // An older use noted late changes nothing.
        uses.note(t, at(15), None, Some("other"));
        assert_eq!(pending(&uses, t).map(|u| u.at), Some(at(20)));
        // Another client replaces the address and the agent.
        uses.note(t, at(30), None, Some("python-requests/2"));
        assert_eq!(
            pending(&uses, t),
            Some(Usage {
                at: at(30),
                ip: None,
                agent: Some("python-requests/2".into())
            })
        );
    }
}
