//! The signed-in user's own sessions, for the profile's Sessions list: listing them, signing
//! one of the others out, signing out everywhere else. Every call is scoped to the user.
//!
//! A row is named to the browser by a handle, never by its id or the id's digest: the handle
//! is a digest of the digest, so neither the page nor anything that reads it can turn it into
//! a cookie, and it is looked up among the user's own sessions only.

use chrono::{DateTime, Utc};
use sha2::{Digest as _, Sha256};
use tower_sessions::Session;

use super::{ABSOLUTE_TIMEOUT, id_hash};
use crate::backend::store::{SessionDetails, User};
use crate::backend::{AppState, Error, Result};

/// Hex characters of a handle (128 bits).
const HANDLE_LEN: usize = 32;

/// One of the user's active sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveSession {
    /// Names the session in `sign_out_one`.
    pub handle: String,
    /// Whether it is the session asking.
    pub current: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

/// The handle of the session stored under `id_hash`.
fn handle(id_hash: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"tessera session handle\0")
        .chain_update(id_hash.as_bytes())
        .finalize();
    digest.iter().map(|b| format!("{b:02x}")).take(HANDLE_LEN / 2).collect()
}

/// The digest the asking session is stored under.
fn current_hash(session: &Session) -> Result<String> {
    session.id().map(|id| id_hash(&id)).ok_or(Error::Unauthenticated)
}

/// The user's sessions that would still sign their holder in: unexpired (expiry dates come
/// from tower-sessions, on the system clock, as `load` checks them) and within the absolute
/// timeout since sign-in (on the app's clock, as `current_user` checks it).
async fn active(state: &AppState, user: &User) -> Result<Vec<SessionDetails>> {
    let now = state.clock.now();
    let rows = state.store.sessions_of(user.id, Utc::now()).await?;
    Ok(rows
        .into_iter()
        .filter(|row| row.started_at.is_some_and(|t| now < t + ABSOLUTE_TIMEOUT))
        .collect())
}

/// The user's active sessions, latest activity first, the asking one marked.
pub async fn list(state: &AppState, session: &Session, user: &User) -> Result<Vec<ActiveSession>> {
    let current = current_hash(session)?;
    Ok(active(state, user)
        .await?
        .into_iter()
        .map(|row| ActiveSession {
            handle: handle(&row.id_hash),
            current: row.id_hash == current,
            started_at: row.started_at,
            last_seen_at: row.last_seen_at,
            client_addr: row.client_addr,
            user_agent: row.user_agent,
        })
        .collect())
}

/// Ends the user's session named by `handle`. The asking session cannot end itself here
/// (that is Sign out); a handle that names none of the user's sessions is `NotFound`.
pub async fn sign_out_one(state: &AppState, session: &Session, user: &User, handle_text: &str) -> Result<()> {
    let current = current_hash(session)?;
    let wanted = handle_text.trim();
    let found = active(state, user)
        .await?
        .into_iter()
        .find(|row| wanted.len() == HANDLE_LEN && handle(&row.id_hash) == wanted);
    let Some(row) = found else {
        return Err(Error::NotFound("That session has already ended.".to_owned()));
    };
    if row.id_hash == current {
        return Err(Error::invalid(
            "session",
            "This is the session you are using: use Sign out in the account menu to end it.",
        ));
    }
    if !state.store.delete_session_of(user.id, &row.id_hash).await? {
        return Err(Error::NotFound("That session has already ended.".to_owned()));
    }
    tracing::info!(user_id = user.id.0, "signed out one other session");
    Ok(())
}

/// Ends every session of the user but the asking one; answers how many ended.
pub async fn sign_out_others(state: &AppState, session: &Session, user: &User) -> Result<u64> {
    let current = current_hash(session)?;
    let ended = state.store.delete_other_sessions_of(user.id, &current).await?;
    tracing::info!(user_id = user.id.0, ended, "signed out everywhere else");
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_is_short_stable_and_neither_the_digest_nor_part_of_it() {
        let digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let h = handle(digest);
        assert_eq!(h.len(), HANDLE_LEN);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(h, handle(digest), "stable");
        assert!(!digest.contains(&h[..8]), "{h}");
        assert_ne!(h, handle(&digest.replace('9', "8")));
    }
}
