//! API tokens: creating, listing and revoking them (the operations), and beneath them the
//! plaintext format (`plain`), the server secret (`pepper`) and the keyed digest under it
//! (`digest`), bearer verification (`verify`) and "last used" bookkeeping (`last_used`).

mod digest;
pub mod exposure;
pub mod last_used;
pub mod pepper;
pub mod plain;
pub mod verify;

pub use digest::TokenDigest;
pub use pepper::Pepper;
pub use plain::{FormatError, PlainToken};

use chrono::SubsecRound as _;

use super::error::invalid_at;
use super::invalidation::{self, Invalidation};
use super::security_log::{self, Origin};
use super::store::{
    GroupId, NewToken, RevokedReason, StoreError, TokenEdit, TokenId, TokenRecord, TokenRotation, TokenWithCounts, User,
};
use super::{AppState, Error, Result};
use crate::domain::{ExpiryChoice, Grace, NewExpiry, TokenAccess, TokenDescription, TokenName, old_value_until};
use verify::{Caller, Presented};

/// At most this many active (unrevoked, unexpired) tokens per user.
pub const MAX_ACTIVE_TOKENS: i64 = 500;
/// At most this many tokens created per user in any minute, counted in the database so every
/// instance counts together (expired and deleted tokens count too: they were created).
pub const MAX_CREATED_PER_MINUTE: i64 = 30;

/// Refuses a creation when the user created `MAX_CREATED_PER_MINUTE` tokens in the last minute.
async fn check_creation_rate(state: &AppState, user: &User, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    let minute = chrono::Duration::minutes(1);
    let (count, first) = state.store.tokens_created_since(user.id, now - minute).await?;
    if count < MAX_CREATED_PER_MINUTE {
        return Ok(());
    }
    let wait = first.map_or(minute, |first| first + minute - now);
    Err(Error::TooFast {
        what: "API tokens",
        retry_after_secs: u64::try_from((wait.num_milliseconds() + 999) / 1000)
            .unwrap_or(1)
            .max(1),
    })
}

/// What a person asks for when creating a token, as typed.
#[derive(Debug, Clone)]
pub struct TokenRequest<'a> {
    pub name: &'a str,
    /// Empty for none.
    pub description: &'a str,
    pub expiry: ExpiryChoice,
    pub access: TokenAccess,
    /// The token's own source; none for the owner's profile default.
    pub source: Option<GroupId>,
}

/// What a person or a script asks for when rotating a token.
#[derive(Debug, Clone, Copy)]
pub struct RotationRequest {
    /// How long the replaced value keeps working.
    pub grace: Grace,
    pub expiry: NewExpiry,
}

/// A rotated token: as listed, its new value (returned once, here, never stored), and until
/// when the replaced value keeps working.
#[derive(Debug)]
pub struct Rotated {
    pub token: TokenWithCounts,
    pub secret: PlainToken,
    pub old_value_until: chrono::DateTime<chrono::Utc>,
}

/// What a person changes when editing a token, as typed.
#[derive(Debug, Clone)]
pub struct TokenChanges<'a> {
    pub name: &'a str,
    /// Empty for none.
    pub description: &'a str,
    pub source: Option<GroupId>,
}

/// Checks a token's own source: one of the owner's groups, and only for a token that may
/// create (a read-only token creates nothing to attribute).
async fn check_source(state: &AppState, user: &User, access: TokenAccess, source: Option<GroupId>) -> Result<()> {
    let Some(id) = source else { return Ok(()) };
    if !access.can_write() {
        return Err(Error::invalid(
            "source",
            "A read-only token creates nothing, so it has no source of its own: leave Source at the profile default.",
        ));
    }
    if state.store.groups_of(user.id).await?.iter().any(|g| g.id == id) {
        Ok(())
    } else {
        Err(Error::invalid(
            "source",
            "Choose one of your groups as the token's source.",
        ))
    }
}

fn no_such_token() -> Error {
    Error::NotFound("This token does not exist or was already deleted.".into())
}

fn duplicate_name(name: &TokenName) -> Error {
    Error::conflict(
        "name",
        format!("You already have a token named \"{name}\". Choose another name."),
    )
}

/// Creates a token for `user`. The plaintext is returned once, here, and never stored.
pub async fn create(
    state: &AppState,
    user: &User,
    request: TokenRequest<'_>,
    origin: &Origin,
) -> Result<(TokenWithCounts, PlainToken)> {
    let TokenRequest {
        name,
        description,
        expiry,
        access,
        source,
    } = request;
    let name = TokenName::parse(name).map_err(invalid_at("name"))?;
    let description = TokenDescription::parse_optional(description).map_err(invalid_at("description"))?;
    check_source(state, user, access, source).await?;
    let now = state.clock.now();
    let expires_at = state
        .token_policy
        .check_choice(expiry, now)
        .map_err(invalid_at("expiry"))?
        .map(|t| t.trunc_subsecs(3));
    check_creation_rate(state, user, now).await?;
    let token = PlainToken::generate();
    let digest = state.pepper.digest(&token);
    let new = NewToken {
        user_id: user.id,
        name: &name,
        digest: &digest,
        created_at: now,
        expires_at,
        access,
        description: description.as_ref(),
        hint: token.hint(),
        source,
    };
    let id = match state.store.insert_token(&new, MAX_ACTIVE_TOKENS).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            return Err(Error::conflict(
                "name",
                format!(
                    "You already have {MAX_ACTIVE_TOKENS} active API tokens, the most allowed. Delete tokens you no longer use, then try again."
                ),
            ));
        }
        Err(StoreError::Duplicate) => return Err(duplicate_name(&name)),
        Err(e) => return Err(e.into()),
    };
    tracing::info!(user_id = user.id.0, token_id = id.0, "created an API token");
    security_log::token_created(state, user.id, id, expires_at, origin).await;
    let record = state
        .store
        .listed_token(user.id, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a created token is not listed"))?;
    Ok((record, token))
}

/// Renames one of the user's tokens and sets its description (empty for none) and source.
/// Its value, expiry and access stay as they are. Someone else's token and a missing one get
/// the same answer.
pub async fn edit(
    state: &AppState,
    user: &User,
    id: TokenId,
    changes: TokenChanges<'_>,
    origin: &Origin,
) -> Result<TokenWithCounts> {
    let name = TokenName::parse(changes.name).map_err(invalid_at("name"))?;
    let description = TokenDescription::parse_optional(changes.description).map_err(invalid_at("description"))?;
    let current = state.store.listed_token(user.id, id).await?.ok_or_else(no_such_token)?;
    check_source(state, user, current.token.access, changes.source).await?;
    let edit = TokenEdit {
        name: &name,
        description: description.as_ref(),
        source: changes.source,
    };
    match state.store.update_token(user.id, id, &edit).await {
        Ok(true) => {}
        Ok(false) => return Err(no_such_token()),
        Err(StoreError::Duplicate) => return Err(duplicate_name(&name)),
        Err(e) => return Err(e.into()),
    }
    // `/me` names the token: verified copies of it must not keep the old name.
    invalidation::publish(state, Invalidation::UserChanged(user.id)).await;
    tracing::info!(user_id = user.id.0, token_id = id.0, "edited an API token");
    security_log::token_edited(state, user.id, id, &current.token, &edit, origin).await;
    state.store.listed_token(user.id, id).await?.ok_or_else(no_such_token)
}

fn expired_cannot_rotate() -> Error {
    Error::conflict(
        "expiry",
        "This token has expired, so it cannot be rotated. Create a new token instead.",
    )
}

/// Gives one of the user's tokens a new value (the profile's Rotate). The token keeps its
/// id, name, description, access, source and history; the replaced value keeps working for
/// the grace period. Of two rotations racing, one happens and the other is refused.
pub async fn rotate(
    state: &AppState,
    user: &User,
    id: TokenId,
    request: RotationRequest,
    origin: &Origin,
) -> Result<Rotated> {
    let current = state.store.listed_token(user.id, id).await?.ok_or_else(no_such_token)?;
    let replaced = state.store.token_digest(user.id, id).await?.ok_or_else(no_such_token)?;
    rotate_value(state, user, &current.token, &replaced, request, origin).await
}

/// The token making a request rotates itself (`POST /api/v1/tokens/current/rotate`): the
/// one way a token obtains a token, and only its own successor, with the same access and
/// source. A value already replaced by a rotation (one in its grace period) asking to
/// rotate is what a thief holding a copy would do: the whole token is revoked.
pub async fn rotate_current(state: &AppState, caller: &Caller, request: RotationRequest) -> Result<Rotated> {
    if let Presented::Previous { .. } = caller.presented {
        revoke_as(state, &caller.user, caller.token.id, RevokedReason::RotationReuse).await?;
        security_log::rotation_reuse(state, caller).await;
        tracing::warn!(
            user_id = caller.user.id.0,
            token_id = caller.token.id.0,
            "a replaced token value asked to rotate: the token is revoked"
        );
        return Err(Error::AlreadyRotated(format!(
            "This value of the token \"{}\" was already replaced by a rotation. Using a replaced value to rotate \
             again is what someone holding a stolen copy would do, so the token has been revoked: create a new \
             token in your profile.",
            caller.token.name
        )));
    }
    let origin = &caller.origin;
    match rotate_value(state, &caller.user, &caller.token, &caller.digest, request, origin).await {
        // Deleted meanwhile: the caller's token no longer works.
        Err(Error::NotFound(_)) => Err(Error::InvalidToken),
        other => other,
    }
}

async fn rotate_value(
    state: &AppState,
    user: &User,
    token: &TokenRecord,
    replaced: &TokenDigest,
    request: RotationRequest,
    origin: &Origin,
) -> Result<Rotated> {
    let now = state.clock.now();
    if token.expires_at.is_some_and(|e| e <= now) {
        return Err(expired_cannot_rotate());
    }
    let expires_at = state
        .token_policy
        .check_rotation(request.expiry, now, token.issued_at(), token.expires_at)
        .map_err(invalid_at("expiry"))?
        .map(|t| t.trunc_subsecs(3));
    let until = old_value_until(now, request.grace, token.expires_at).trunc_subsecs(3);
    let secret = PlainToken::generate();
    let digest = state.pepper.digest(&secret);
    let rotation = TokenRotation {
        replaced,
        digest: &digest,
        hint: secret.hint(),
        rotated_at: now,
        expires_at,
        old_value_until: until,
    };
    let rotated = state.store.rotate_token(user.id, token.id, &rotation).await?;
    // Both values' cached verifications go: the new expiry and the grace apply at once here.
    invalidation::publish(state, Invalidation::TokenRevoked(token.id)).await;
    let Some(listed) = rotated else {
        return Err(match state.store.listed_token(user.id, token.id).await? {
            None => no_such_token(),
            Some(t) if t.token.expires_at.is_some_and(|e| e <= now) => expired_cannot_rotate(),
            Some(_) => Error::AlreadyRotated(
                "This token was rotated by another request a moment ago, and its new value went to that request. \
                 Use that value, or rotate the token again."
                    .into(),
            ),
        });
    };
    tracing::info!(
        user_id = user.id.0,
        token_id = token.id.0,
        grace = request.grace.as_str(),
        "rotated an API token"
    );
    security_log::token_rotated(state, user.id, token.id, now, until, origin).await;
    Ok(Rotated {
        token: listed,
        secret,
        old_value_until: until,
    })
}

/// Days the usage chart shows, today included.
pub const USAGE_DAYS: i64 = 30;

/// Requests per day of each of the user's tokens over the last `USAGE_DAYS` days (UTC days,
/// as days since 1970-01-01), from the store and from what this instance has not written yet.
pub async fn usage(
    state: &AppState,
    user: &User,
    tokens: &[TokenId],
) -> Result<std::collections::HashMap<TokenId, std::collections::BTreeMap<i64, last_used::DayCounts>>> {
    let first = last_used::day_of(state.clock.now()) - (USAGE_DAYS - 1);
    let _reading = state.last_used.reading().await;
    let stored = state.store.token_usage_of(user.id, first).await?;
    let mut usage: std::collections::HashMap<TokenId, std::collections::BTreeMap<i64, last_used::DayCounts>> =
        std::collections::HashMap::new();
    let unwritten = state.last_used.unwritten(tokens);
    let stored = stored
        .into_iter()
        .map(|(id, day, requests, refused)| (id, day, last_used::DayCounts { requests, refused }));
    for (id, day, counts) in stored.chain(unwritten).filter(|(_, day, _)| *day >= first) {
        let slot = usage.entry(id).or_default().entry(day).or_default();
        slot.requests += counts.requests;
        slot.refused += counts.refused;
    }
    Ok(usage)
}

/// The user's listed tokens, newest first, with what each created.
pub async fn list(state: &AppState, user: &User) -> Result<Vec<TokenWithCounts>> {
    Ok(state.store.tokens_of(user.id).await?)
}

/// Revokes one of the user's tokens at once. Someone else's token and a missing one get the
/// same answer.
pub async fn revoke(state: &AppState, user: &User, id: TokenId, origin: &Origin) -> Result<()> {
    if revoke_as(state, user, id, RevokedReason::Deleted).await? {
        tracing::info!(user_id = user.id.0, token_id = id.0, "revoked an API token");
        security_log::token_deleted(state, user.id, id, origin).await;
        Ok(())
    } else {
        Err(no_such_token())
    }
}

/// The token making a request revokes itself. Done as well when it had just been revoked
/// elsewhere (this instance may still have trusted it from its cache).
pub async fn revoke_current(state: &AppState, caller: &Caller) -> Result<()> {
    if revoke_as(state, &caller.user, caller.token.id, RevokedReason::Deleted).await? {
        security_log::token_revoked_itself(state, caller).await;
    }
    tracing::info!(token_id = caller.token.id.0, "a token revoked itself");
    Ok(())
}

/// Marks the token revoked and forgets it from every instance's cache; `false` when the user
/// had no such listed token.
pub(crate) async fn revoke_as(state: &AppState, user: &User, id: TokenId, reason: RevokedReason) -> Result<bool> {
    let revoked = state.store.revoke_token(user.id, id, state.clock.now(), reason).await?;
    invalidation::publish(state, Invalidation::TokenRevoked(id)).await;
    Ok(revoked)
}
