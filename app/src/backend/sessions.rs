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
use super::error::invalid_at;
use super::security_log::{self, Origin};
use super::store::{SessionWrite, Store, User, UserId};
use super::{AppState, Error, Result, accounts};
use crate::domain::SignInPassword;

/// Session data key holding the signed-in user's id.
pub const USER_KEY: &str = "user_id";
/// Session data key holding the sign-in time (ms since the epoch), for the absolute timeout.
pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";
/// Session data key holding when the password was last entered in this session (ms since
/// the epoch): at sign-in, at a password change, and on confirming it for a sensitive action.
pub const PASSWORD_AT_KEY: &str = "password_at";
/// How long after the last password entry sensitive actions go ahead without asking for the
/// password again (GitHub's "sudo mode").
pub const SUDO_WINDOW: Duration = Duration::hours(1);
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

/// Signs `username` in with `password`: checks them (throttled, logged, the same answer for
/// an unknown user, a wrong password and a deactivated account), then starts a new session.
/// The one way in, for the sign-in page's form and for the `sign_in` server function.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    username: &str,
    password: String,
    origin: &Origin,
) -> Result<User> {
    let user = accounts::authenticate(state, username, password, origin).await?;
    begin(session, &user, state.clock.now()).await?;
    tracing::info!(user_id = user.id.0, "signed in");
    Ok(user)
}

/// Starts a signed-in session for `user` under a fresh session id (no fixation). The
/// password was just entered, so sensitive actions need no confirmation for a while.
pub async fn begin(session: &Session, user: &User, now: DateTime<Utc>) -> Result<()> {
    session.cycle_id().await.map_err(internal)?;
    session.insert(USER_KEY, user.id.0).await.map_err(internal)?;
    session
        .insert(SIGNED_IN_AT_KEY, now.timestamp_millis())
        .await
        .map_err(internal)?;
    password_entered(session, now).await
}

async fn password_entered(session: &Session, now: DateTime<Utc>) -> Result<()> {
    session
        .insert(PASSWORD_AT_KEY, now.timestamp_millis())
        .await
        .map_err(internal)
}

/// Whether a password entered at `entered` (none: a session from before this was recorded)
/// still allows sensitive actions at `now`.
fn within_sudo_window(entered: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    entered.is_some_and(|at| now <= at + SUDO_WINDOW)
}

/// `ReauthRequired` unless the password was entered in this session within the last
/// `SUDO_WINDOW`: what every sensitive action (creating or rotating a token, an admin action)
/// checks after `require_user`.
pub async fn require_recent_password(state: &AppState, session: &Session) -> Result<()> {
    let entered = session
        .get::<i64>(PASSWORD_AT_KEY)
        .await
        .map_err(internal)?
        .and_then(DateTime::from_timestamp_millis);
    if within_sudo_window(entered, state.clock.now()) {
        Ok(())
    } else {
        Err(Error::ReauthRequired)
    }
}

/// Checks the signed-in `user`'s password again before a sensitive action; when it is
/// right, sensitive actions go ahead for the next `SUDO_WINDOW`. A wrong password counts
/// towards the sign-in throttle like a failed sign-in.
pub async fn confirm_password(
    state: &AppState,
    session: &Session,
    user: &User,
    password: String,
    origin: &Origin,
) -> Result<()> {
    let password = SignInPassword::parse(password).map_err(invalid_at("password"))?;
    if !accounts::check_password(state, user, &password, origin).await? {
        tracing::info!(addr = %origin.ip(), user_id = user.id.0, "password confirmation refused: wrong password");
        security_log::password_confirmation(state, user.id, false, origin).await;
        return Err(Error::invalid("password", "The password is not correct."));
    }
    password_entered(session, state.clock.now()).await?;
    security_log::password_confirmation(state, user.id, true, origin).await;
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
    fn sensitive_actions_wait_for_a_password_entered_in_the_last_hour() {
        let entered = DateTime::from_timestamp(1_700_000_000, 0).expect("valid");
        assert!(within_sudo_window(Some(entered), entered));
        assert!(within_sudo_window(Some(entered), entered + SUDO_WINDOW));
        assert!(!within_sudo_window(
            Some(entered),
            entered + SUDO_WINDOW + Duration::milliseconds(1)
        ));
        assert!(!within_sudo_window(None, entered), "a session without the time asks");
    }

    #[test]
    fn session_ids_are_stored_only_as_digests() {
        let id = Id::default();
        let hash = id_hash(&id);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&id.to_string()));
        assert_eq!(hash, id_hash(&id));
    }
}
