//! The security log: what happened to an account and its tokens, when, and from where.
//! Operations call `record` (it logs a failure and never fails the operation); the owner
//! reads their events with `list`, an administrator exports them with `audit`.
//!
//! Never a secret: events hold fixed words, ids, the client's address and user agent, and a
//! short detail written here — no token value, digest, password or session id. A failed
//! sign-in of a name that is no account keeps the name tried, only when it has a username's
//! shape (so a password typed into the username field is not kept).
//!
//! Refused requests and uses from a new address come from scripts, which may repeat them
//! many times a minute: at most `NOISY_PER_MINUTE` of them are logged per token per minute
//! on each instance, and the next one logged says how many were left out.

use chrono::{DateTime, Utc};

use super::store::{LoggedToken, NewSecurityEvent, SecurityEventRecord, TokenId, User, UserId};
use super::{AppState, Result};

/// Events on one page of a user's log.
pub const PAGE_SIZE: i64 = 50;
/// Refused requests and new addresses logged per token per minute, on each instance.
pub const NOISY_PER_MINUTE: u32 = 10;
/// The longest user agent kept.
pub const MAX_AGENT: usize = 256;
/// The longest name kept for a failed sign-in of a name that is no account.
pub const MAX_USERNAME: usize = 64;
/// The longest detail kept.
pub const MAX_DETAIL: usize = 500;
/// Addresses remembered per token, to tell a new one from one seen lately.
const REMEMBERED_ADDRESSES: usize = 8;
/// Past this many tokens, the remembered addresses are forgotten (memory stays bounded).
const REMEMBERED_TOKENS: usize = 10_000;

mod events;
mod kind;
mod origin;
mod watch;

pub use events::{
    Failed, edit_words, expiry_words, note_use, password_changed, password_confirmation, refused, refused_caller,
    rfc3339, rotation_reuse, rotation_words, sign_in_failed, sign_in_throttled, signed_in, signed_out, token_created,
    token_deleted, token_edited, token_exposed, token_revoked_itself, token_rotated,
};
pub use kind::{EventKind, Refusal};
pub use origin::Origin;
use origin::clean;
pub use watch::TokenWatch;

/// One event to record.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub kind: EventKind,
    pub user: Option<UserId>,
    /// For a failed sign-in of a name that is no account: the name tried.
    pub username: Option<&'a str>,
    pub token: Option<TokenId>,
    pub origin: &'a Origin,
    pub detail: Option<String>,
    /// The administrator who did it, when it was not the user themself.
    pub actor: Option<UserId>,
}

impl<'a> Event<'a> {
    /// `kind` happened to `user`'s account, from `origin`.
    pub fn of(kind: EventKind, user: UserId, origin: &'a Origin) -> Self {
        Self {
            kind,
            user: Some(user),
            username: None,
            token: None,
            origin,
            detail: None,
            actor: None,
        }
    }

    /// ... done by the administrator `actor` (none: a `tessera` command or the user).
    #[must_use]
    pub fn by(self, actor: Option<UserId>) -> Self {
        Self { actor, ..self }
    }

    /// ... about the token `id`.
    #[must_use]
    pub fn token(self, id: TokenId) -> Self {
        Self {
            token: Some(id),
            ..self
        }
    }

    /// ... with a short explanation.
    #[must_use]
    pub fn detail(self, detail: impl Into<String>) -> Self {
        Self {
            detail: Some(detail.into()),
            ..self
        }
    }
}

/// Appends `event` to the log. A failure is logged and otherwise ignored: the action the
/// event is about has happened (or been refused) either way.
pub async fn record(state: &AppState, event: Event<'_>) {
    let username = event.username.map(|n| clean(n, MAX_USERNAME));
    if event.user.is_none() && username.as_deref().is_none_or(str::is_empty) {
        tracing::error!(
            kind = event.kind.as_str(),
            "a security event without a user was not recorded"
        );
        return;
    }
    let addr = event.origin.addr().map(|a| a.to_string());
    let detail = event.detail.as_deref().map(|d| clean(d, MAX_DETAIL));
    let new = NewSecurityEvent {
        at: state.clock.now(),
        kind: event.kind.as_str(),
        user: event.user,
        username: username.as_deref(),
        token: event.token,
        client_addr: addr.as_deref(),
        user_agent: event.origin.agent(),
        detail: detail.as_deref(),
        actor: event.actor,
    };
    if let Err(error) = state.store.insert_security_event(&new).await {
        tracing::error!(
            kind = event.kind.as_str(),
            user_id = event.user.map(|u| u.0),
            token_id = event.token.map(|t| t.0),
            error = %anyhow::Error::from(error),
            "could not record a security event"
        );
    }
}

/// Which of a user's events to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only the events about this token.
    pub token: Option<TokenId>,
}

/// One page of a user's log, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPage {
    pub events: Vec<SecurityEventRecord>,
    /// The page number, from 1.
    pub page: u32,
    /// Whether older events follow.
    pub more: bool,
    /// The user's tokens (deleted ones too), to filter by.
    pub tokens: Vec<LoggedToken>,
}

/// Page `page` (from 1) of the user's own events, `PAGE_SIZE` a page, newest first.
pub async fn list(state: &AppState, user: &User, filter: Filter, page: u32) -> Result<LogPage> {
    let page = page.max(1);
    let offset = i64::from(page - 1) * PAGE_SIZE;
    let mut events = state
        .store
        .security_events_of(user.id, filter.token, offset, PAGE_SIZE + 1)
        .await?;
    let more = events.len() > usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    events.truncate(usize::try_from(PAGE_SIZE).unwrap_or(0));
    let tokens = state.store.logged_tokens_of(user.id).await?;
    Ok(LogPage {
        events,
        page,
        more,
        tokens,
    })
}

/// What an audit exports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub user: Option<UserId>,
    pub since: Option<DateTime<Utc>>,
}

/// Events for an audit, oldest first: up to `limit` after the event `after_id` (0 for the
/// first batch; then the last id of the batch before).
pub async fn audit(state: &AppState, query: AuditQuery, after_id: i64, limit: i64) -> Result<Vec<SecurityEventRecord>> {
    Ok(state
        .store
        .audit_events(query.user, query.since, after_id, limit)
        .await?)
}
