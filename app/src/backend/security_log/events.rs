//! One function per event, each writing its fixed words and detail, and the words the
//! details share (instants, expiries, edits, rotations) and why a sign-in failed.

use chrono::{DateTime, SecondsFormat, Utc};

use super::{Event, EventKind, Origin, Refusal, record};
use crate::backend::AppState;
use crate::backend::store::{TokenEdit, TokenId, TokenRecord, User, UserId};
use crate::backend::tokens::verify::Caller;
use crate::domain::Username;

/// An instant as the log's details write it.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A new token's expiry, as its creation's detail says it.
pub fn expiry_words(expires_at: Option<DateTime<Utc>>) -> String {
    expires_at.map_or_else(|| "never expires".to_owned(), |at| format!("expires {}", rfc3339(at)))
}

/// What an edit changed, as its detail says it.
pub fn edit_words(before: &TokenRecord, edit: &TokenEdit<'_>) -> String {
    let mut changed = Vec::new();
    if before.name != edit.name.as_str() {
        changed.push(format!("renamed from \"{}\"", before.name));
    }
    if before.description.as_deref() != edit.description.map(crate::domain::TokenDescription::as_str) {
        changed.push("description changed".to_owned());
    }
    if before.source_group_id != edit.source {
        changed.push("source changed".to_owned());
    }
    if changed.is_empty() {
        "nothing changed".to_owned()
    } else {
        changed.join("; ")
    }
}

/// Until when a rotation's replaced value works, as its detail says it.
pub fn rotation_words(now: DateTime<Utc>, old_value_until: DateTime<Utc>) -> String {
    if old_value_until <= now {
        "the old value stopped working at once".to_owned()
    } else {
        format!("the old value works until {}", rfc3339(old_value_until))
    }
}

/// A noisy event, unless its token is over the cap; says how many were left out before it.
async fn record_noisy(state: &AppState, event: Event<'_>, token: TokenId) {
    let Some(skipped) = state.token_watch.admit(token, state.clock.now()) else {
        return;
    };
    let event = match skipped {
        0 => event,
        n => {
            let detail = event.detail.clone().unwrap_or_default();
            event.detail(format!(
                "{detail} ({n} more refused requests or new addresses of this token were not logged)"
            ))
        }
    };
    record(state, event).await;
}

/// A request with the known token `token` (owned by `owner`) was refused.
pub async fn refused(state: &AppState, token: &TokenRecord, origin: &Origin, refusal: Refusal) {
    let event = Event::of(refusal.kind(), token.user_id, origin)
        .token(token.id)
        .detail(refusal.detail());
    record_noisy(state, event, token.id).await;
}

/// A request the verified `caller` made was refused (its access or its source).
pub async fn refused_caller(state: &AppState, caller: &Caller, refusal: Refusal) {
    refused(state, &caller.token, &caller.origin, refusal).await;
}

/// The verified `caller` made a request: logs it when it comes from an address the token
/// was not used from lately. No database access unless it does.
pub async fn note_use(state: &AppState, caller: &Caller) {
    let Some(addr) = caller.origin.addr() else {
        return;
    };
    let Some(previous) = state.token_watch.new_address(&caller.token, addr) else {
        return;
    };
    let detail = match previous {
        Some(previous) => format!("previously used from {previous}"),
        None => "the token's first use".to_owned(),
    };
    let event = Event::of(EventKind::TokenNewAddress, caller.user.id, &caller.origin)
        .token(caller.token.id)
        .detail(detail);
    record_noisy(state, event, caller.token.id).await;
}

/// Why a sign-in did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    /// A wrong password, or a name that is no account.
    WrongPassword,
    /// The right password of a deactivated account.
    Deactivated,
    /// Too many attempts for the account or from the address.
    Throttled,
}

/// A sign-in of `username` did not happen: logged against the account when there is one,
/// else with the name tried, when it has a username's shape.
pub async fn sign_in_failed(state: &AppState, user: Option<&User>, username: &str, origin: &Origin, why: Failed) {
    let (kind, detail) = match why {
        Failed::WrongPassword => (EventKind::SignInFailed, "wrong password"),
        Failed::Deactivated => (EventKind::SignInFailed, "the account is deactivated"),
        Failed::Throttled => (
            EventKind::SignInThrottled,
            "too many attempts for this account or from this address",
        ),
    };
    if let Some(user) = user {
        return record(state, Event::of(kind, user.id, origin).detail(detail)).await;
    }
    let tried = Username::parse(username).map_or_else(|_| "(not a username)".to_owned(), |n| n.to_string());
    let event = Event {
        kind,
        user: None,
        username: Some(&tried),
        token: None,
        origin,
        detail: Some(format!("{detail}; no account has this name")),
        actor: None,
    };
    record(state, event).await;
}

/// A sign-in of `username` was throttled; logged against the account when there is one.
pub async fn sign_in_throttled(state: &AppState, username: Option<&Username>, tried: &str, origin: &Origin) {
    let user = match username {
        Some(name) => state.store.user_by_username(name).await.ok().flatten(),
        None => None,
    };
    sign_in_failed(state, user.as_ref(), tried, origin, Failed::Throttled).await;
}

/// The user signed in.
pub async fn signed_in(state: &AppState, user: &User, origin: &Origin) {
    record(state, Event::of(EventKind::SignInSucceeded, user.id, origin)).await;
}

/// The user signed out (nothing is logged when nobody was signed in).
pub async fn signed_out(state: &AppState, user: Option<&User>, origin: &Origin) {
    if let Some(user) = user {
        record(state, Event::of(EventKind::SignedOut, user.id, origin)).await;
    }
}

/// The user changed their password, which ended `ended` sessions.
pub async fn password_changed(state: &AppState, user: UserId, ended: u64, origin: &Origin) {
    let detail = format!("{ended} sessions ended");
    record(
        state,
        Event::of(EventKind::PasswordChanged, user, origin).detail(detail),
    )
    .await;
}

/// The user entered their password again (`confirmed`: rightly) before a sensitive action.
pub async fn password_confirmation(state: &AppState, user: UserId, confirmed: bool, origin: &Origin) {
    let kind = if confirmed {
        EventKind::PasswordConfirmed
    } else {
        EventKind::PasswordConfirmationFailed
    };
    record(state, Event::of(kind, user, origin)).await;
}

/// The user created the token `token`.
pub async fn token_created(
    state: &AppState,
    user: UserId,
    token: TokenId,
    expires_at: Option<DateTime<Utc>>,
    origin: &Origin,
) {
    let event = Event::of(EventKind::TokenCreated, user, origin).token(token);
    record(state, event.detail(expiry_words(expires_at))).await;
}

/// The user edited the token `token`, which was `before`.
pub async fn token_edited(
    state: &AppState,
    user: UserId,
    token: TokenId,
    before: &TokenRecord,
    edit: &TokenEdit<'_>,
    origin: &Origin,
) {
    let event = Event::of(EventKind::TokenEdited, user, origin).token(token);
    record(state, event.detail(edit_words(before, edit))).await;
}

/// The token `token` was rotated at `now`; the replaced value works until `until`.
pub async fn token_rotated(
    state: &AppState,
    user: UserId,
    token: TokenId,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    origin: &Origin,
) {
    let event = Event::of(EventKind::TokenRotated, user, origin).token(token);
    record(state, event.detail(rotation_words(now, until))).await;
}

/// The user deleted the token `token` in their profile.
pub async fn token_deleted(state: &AppState, user: UserId, token: TokenId, origin: &Origin) {
    record(state, Event::of(EventKind::TokenDeleted, user, origin).token(token)).await;
}

/// The token making a request revoked itself.
pub async fn token_revoked_itself(state: &AppState, caller: &Caller) {
    let event = Event::of(EventKind::TokenDeleted, caller.user.id, &caller.origin).token(caller.token.id);
    record(state, event.detail("the token revoked itself through the API")).await;
}

/// A value already replaced by a rotation asked to rotate: the token was revoked.
pub async fn rotation_reuse(state: &AppState, caller: &Caller) {
    let event = Event::of(EventKind::TokenRevokedReuse, caller.user.id, &caller.origin).token(caller.token.id);
    record(
        state,
        event.detail("a value already replaced by a rotation asked to rotate"),
    )
    .await;
}

/// The token `token` of `user` was reported as exposed and revoked; `via` says by whom.
pub async fn token_exposed(state: &AppState, user: UserId, token: TokenId, origin: &Origin, via: &str) {
    let event = Event::of(EventKind::TokenRevokedExposed, user, origin).token(token);
    record(state, event.detail(via)).await;
}
