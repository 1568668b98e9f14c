//! Browser sessions: tower-sessions keeps the cookie and the in-request state; this module
//! stores sessions in Tessera's own database (so every instance shares them) and answers
//! "who is signed in". `activity` notes each session's latest request ("last seen"), and
//! `listing` lets a user see and end their own sessions.

pub mod activity;
pub mod listing;

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize as _;
use sha2::{Digest as _, Sha256};
use tower_sessions::Session;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use self::activity::{SEEN_KEY, Seen};
use super::store::{SessionWrite, Store, User, UserId};
use super::{AppState, Error, Result};

/// Session data key holding the signed-in user's id.
pub const USER_KEY: &str = "user_id";
/// Session data key holding the sign-in time (ms since the epoch), for the absolute timeout.
pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";
/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::hours(12);
/// A session ends this long after sign-in, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::days(7);

/// tower-sessions' store, backed by `Store`.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    store: Store,
}

impl DbSessionStore {
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

fn id_hash(id: &Id) -> String {
    let digest = Sha256::digest(id.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_default()
}

fn user_of(data: &HashMap<String, serde_json::Value>) -> Option<UserId> {
    data.get(USER_KEY).and_then(serde_json::Value::as_i64).map(UserId)
}

fn started_of(data: &HashMap<String, serde_json::Value>) -> Option<DateTime<Utc>> {
    data.get(SIGNED_IN_AT_KEY)
        .and_then(serde_json::Value::as_i64)
        .and_then(DateTime::from_timestamp_millis)
}

fn seen_of(data: &HashMap<String, serde_json::Value>) -> Option<Seen> {
    data.get(SEEN_KEY).and_then(|v| Seen::deserialize(v).ok())
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

/// The row for `record`, under `id_hash`, with its `data` encoded and its latest request
/// `seen` (both taken out of the record beforehand, as the row borrows them).
fn write<'a>(record: &Record, id_hash: &'a str, data: &'a str, seen: Option<&'a Seen>) -> SessionWrite<'a> {
    SessionWrite {
        id_hash,
        user: user_of(&record.data),
        data,
        expires_at: expiry(record),
        started_at: started_of(&record.data),
        last_seen_at: seen.and_then(Seen::at),
        client_addr: seen.and_then(|s| s.addr.as_deref()),
        user_agent: seen.and_then(|s| s.agent.as_deref()),
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let seen = seen_of(&record.data);
        while !self
            .store
            .create_session(&write(record, &id_hash(&record.id), &data, seen.as_ref()))
            .await
            .map_err(backend)?
        {
            record.id = Id::default();
        }
        Ok(())
    }

    /// Updates the session if it still exists. A session deleted since this request loaded it
    /// stays deleted: sign-out and deactivation win every race with requests in flight.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let seen = seen_of(&record.data);
        let saved = self
            .store
            .save_session(&write(record, &id_hash(&record.id), &data, seen.as_ref()))
            .await
            .map_err(backend)?;
        if !saved {
            tracing::debug!("a request tried to save a session that had ended; it stays ended");
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = self
            .store
            .load_session(&id_hash(id), Utc::now())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store.delete_session(&id_hash(id)).await.map_err(backend)
    }
}

fn internal(e: tower_sessions::session::Error) -> Error {
    Error::Internal(anyhow::Error::new(e).context("session"))
}

/// Starts a signed-in session for `user` under a fresh session id (no fixation).
pub async fn begin(session: &Session, user: &User, now: DateTime<Utc>) -> Result<()> {
    session.cycle_id().await.map_err(internal)?;
    session.insert(USER_KEY, user.id.0).await.map_err(internal)?;
    session
        .insert(SIGNED_IN_AT_KEY, now.timestamp_millis())
        .await
        .map_err(internal)?;
    Ok(())
}

/// Ends the session: its row is deleted and the cookie cleared.
pub async fn end(session: &Session) -> Result<()> {
    session.flush().await.map_err(internal)
}

/// The signed-in, active user of this session, or `None`. A session past its absolute
/// timeout, or of a user who was deactivated or removed, is ended here.
pub async fn current_user(state: &AppState, session: &Session) -> Result<Option<User>> {
    let Some(id) = session.get::<i64>(USER_KEY).await.map_err(internal)? else {
        return Ok(None);
    };
    let signed_in_at = session
        .get::<i64>(SIGNED_IN_AT_KEY)
        .await
        .map_err(internal)?
        .unwrap_or(0);
    let fresh = DateTime::from_timestamp_millis(signed_in_at).is_some_and(|t| state.clock.now() < t + ABSOLUTE_TIMEOUT);
    let user = if fresh {
        state.store.user_by_id(UserId(id)).await?
    } else {
        None
    };
    match user {
        Some(user) if user.is_active() => Ok(Some(user)),
        _ => {
            end(session).await?;
            Ok(None)
        }
    }
}

/// Like `current_user`, but an error when nobody is signed in.
pub async fn require_user(state: &AppState, session: &Session) -> Result<User> {
    current_user(state, session).await?.ok_or(Error::Unauthenticated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_stored_only_as_digests() {
        let id = Id::default();
        let hash = id_hash(&id);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&id.to_string()));
        assert_eq!(hash, id_hash(&id));
    }
}
