//! Telling every instance what its verification cache must forget. Each operation that
//! revokes a token or changes a user publishes an [`Invalidation`]: this instance evicts at
//! once, and the change is announced to the others (PostgreSQL: `NOTIFY`, applied within
//! 100 ms by each server's listener; SQLite: a row in `changes`, polled every 250 ms). The
//! cache's `REVALIDATE_AFTER` stays the bound when an announcement is lost.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::AppState;
use super::store::{Backend, TokenId, UserId};

/// How often an SQLite server looks for changes made by other processes.
pub const POLL_EVERY: Duration = Duration::from_millis(250);
/// How long an SQLite change row is kept after a server first saw it.
pub const KEEP_CHANGES: Duration = Duration::from_secs(60);
/// The longest wait before reconnecting a lost PostgreSQL listener.
const MAX_RECONNECT_WAIT: Duration = Duration::from_secs(5);

/// What verification caches must forget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalidation {
    /// The token was revoked, rotated or reported exposed.
    TokenRevoked(TokenId),
    /// The user was deactivated, or their profile, groups, default source or tokens changed.
    UserChanged(UserId),
}

impl Invalidation {
    /// The kind as announced: `t` or `u`.
    fn kind(self) -> &'static str {
        match self {
            Self::TokenRevoked(_) => "t",
            Self::UserChanged(_) => "u",
        }
    }

    fn subject(self) -> i64 {
        match self {
            Self::TokenRevoked(TokenId(id)) | Self::UserChanged(UserId(id)) => id,
        }
    }

    /// The announced form: `t:123` or `u:45`.
    pub fn payload(self) -> String {
        format!("{}:{}", self.kind(), self.subject())
    }

    /// The event a kind and id name, if any.
    fn of(kind: &str, id: i64) -> Option<Self> {
        match kind {
            "t" => Some(Self::TokenRevoked(TokenId(id))),
            "u" => Some(Self::UserChanged(UserId(id))),
            _ => None,
        }
    }

    /// Reads an announced payload.
    pub fn parse(payload: &str) -> Option<Self> {
        let (kind, id) = payload.split_once(':')?;
        Self::of(kind, id.parse().ok()?)
    }

    /// Evicts what this names from the instance's cache.
    pub fn apply(self, state: &AppState) {
        match self {
            Self::TokenRevoked(id) => state.verifier.evict_token(id),
            Self::UserChanged(id) => state.verifier.evict_user(id),
        }
    }
}

/// Evicts `event` here at once and announces it to every other instance. An announcement
/// that fails is logged, not returned: the change itself is committed, and other instances
/// still notice it within `REVALIDATE_AFTER`.
pub async fn publish(state: &AppState, event: Invalidation) {
    event.apply(state);
    if let Err(error) = state
        .store
        .announce_change(event.kind(), event.subject(), &event.payload())
        .await
    {
        tracing::warn!(error = %error, change = %event.payload(), "could not announce a change to other instances");
    }
}

/// The task applying other instances' changes to this one's cache.
pub struct Watcher {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    connected: watch::Receiver<u64>,
}

impl Watcher {
    /// Starts applying announced changes to `state`'s cache.
    pub fn spawn(state: AppState) -> Self {
        let (stop, stopped) = watch::channel(false);
        let (connected_tx, connected) = watch::channel(0);
        let task = tokio::spawn(async move {
            match state.store.backend() {
                Backend::Postgres => listen(state, stopped, connected_tx).await,
                Backend::Sqlite => poll(state, stopped, connected_tx).await,
            }
        });
        Self {
            stop,
            task: Some(task),
            connected,
        }
    }

    /// Completes once the watcher has (re)connected `times` times in all: from then on every
    /// announced change reaches this instance.
    pub async fn connected(&self, times: u64) {
        let mut connected = self.connected.clone();
        let _ = connected.wait_for(|n| *n >= times).await;
    }

    /// Stops the task and waits for it.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// PostgreSQL: applies each notification. When the connection is lost, notifications may
/// have been missed, so the whole cache is cleared, and again once listening resumes.
async fn listen(state: AppState, mut stop: watch::Receiver<bool>, connected: watch::Sender<u64>) {
    let mut wait = Duration::from_millis(100);
    loop {
        let listener = tokio::select! {
            listener = state.store.listen_for_changes() => listener,
            _ = stop.changed() => return,
        };
        let mut listener = match listener {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(error = format!("{error:#}"), "could not listen for changes; retrying");
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => return,
                }
                wait = (wait * 2).min(MAX_RECONNECT_WAIT);
                continue;
            }
        };
        wait = Duration::from_millis(100);
        state.verifier.evict_all();
        connected.send_modify(|n| *n += 1);
        loop {
            let received = tokio::select! {
                received = listener.try_recv() => received,
                _ = stop.changed() => return,
            };
            match received {
                Ok(Some(notification)) => match Invalidation::parse(notification.payload()) {
                    Some(event) => event.apply(&state),
                    None => tracing::warn!(payload = notification.payload(), "ignored an unknown change"),
                },
                Ok(None) => {
                    tracing::warn!("lost the change listener's connection; reconnecting");
                    break;
                }
                Err(error) => {
                    tracing::warn!(error = %error, "the change listener failed; reconnecting");
                    break;
                }
            }
        }
        state.verifier.evict_all();
    }
}

/// SQLite: applies the rows added since the last poll, and prunes rows seen a minute ago.
async fn poll(state: AppState, mut stop: watch::Receiver<bool>, connected: watch::Sender<u64>) {
    let mut seen = loop {
        match state.store.latest_change().await {
            Ok(seq) => break seq,
            Err(error) => tracing::warn!(error = %error, "could not read the change counter; retrying"),
        }
        tokio::select! {
            () = tokio::time::sleep(POLL_EVERY) => {}
            _ = stop.changed() => return,
        }
    };
    connected.send_modify(|n| *n += 1);
    let mut every = tokio::time::interval(POLL_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut prune = tokio::time::Instant::now() + KEEP_CHANGES;
    let mut prune_up_to = seen;
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = stop.changed() => return,
        }
        match state.store.changes_after(seen).await {
            Ok(rows) => {
                for row in rows {
                    match Invalidation::of(&row.kind, row.subject_id) {
                        Some(event) => event.apply(&state),
                        None => tracing::warn!(kind = row.kind, "ignored an unknown change"),
                    }
                    seen = row.seq;
                }
            }
            Err(error) => tracing::warn!(error = %error, "could not read changes"),
        }
        if tokio::time::Instant::now() >= prune {
            if let Err(error) = state.store.prune_changes(prune_up_to).await {
                tracing::warn!(error = %error, "could not prune changes");
            }
            prune_up_to = seen;
            prune = tokio::time::Instant::now() + KEEP_CHANGES;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_read_back_as_the_event_they_announce() {
        for event in [
            Invalidation::TokenRevoked(TokenId(123)),
            Invalidation::UserChanged(UserId(45)),
        ] {
            assert_eq!(Invalidation::parse(&event.payload()), Some(event));
        }
        assert_eq!(Invalidation::TokenRevoked(TokenId(123)).payload(), "t:123");
        for bad in ["", "t", "t:", "x:1", "u:abc", "u:1:2"] {
            assert_eq!(Invalidation::parse(bad), None, "{bad}");
        }
    }
}
