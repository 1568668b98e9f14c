//! Responding to a leak. Tokens reported as exposed (by a secret scanner or by a person who
//! found one) are revoked at once and their owners told; "Which token is this?" tells a
//! signed-in person whether a token is theirs, and never anything about anyone else's.

use chrono::{DateTime, Duration, Utc};

use super::PlainToken;
use crate::backend::invalidation::{self, Invalidation};
use crate::backend::security_log::{self, Origin};
use crate::backend::store::{ExposedToken, TokenId, TokenRecord, User};
use crate::backend::{AppState, Error, Result};

/// At most this many tokens in one report.
pub const MAX_REPORTED: usize = 1_000;
/// How long the owner is shown that a token of theirs was found exposed, unless dismissed.
pub const NOTICE_FOR: Duration = Duration::days(90);
/// Reports one client address may send per minute.
pub const REPORTS_PER_MINUTE: u32 = 30;
/// "Which token is this?" checks one user may make per minute.
pub const CHECKS_PER_MINUTE: u32 = 20;

/// How a report reached Tessera, as the owner's security log says it.
pub const BY_SCANNER: &str = "reported to the secret scanning endpoint";
pub const BY_PERSON: &str = "reported in Tessera by a signed-in person";

/// Revokes every working token among `reported` (values that are not tokens are skipped)
/// and answers how many values were received, never how many were valid. `via` says who
/// reported them, for the owners' security log.
pub async fn report(state: &AppState, reported: &[String], origin: &Origin, via: &str) -> Result<usize> {
    let mut digests: Vec<_> = reported
        .iter()
        .filter_map(|value| PlainToken::parse(value.trim()).ok())
        .map(|token| state.pepper.digest(&token))
        .collect();
    digests.sort_by(|a, b| a.0.cmp(&b.0));
    digests.dedup();
    let revoked = state.store.revoke_exposed(&digests, state.clock.now()).await?;
    for (token, user) in &revoked {
        invalidation::publish(state, Invalidation::TokenRevoked(*token)).await;
        tracing::warn!(
            token_id = token.0,
            user_id = user.0,
            "revoked a token reported as exposed"
        );
        security_log::token_exposed(state, *user, *token, origin, via).await;
    }
    Ok(reported.len())
}

/// The user's tokens revoked as exposed recently, whose notice they have not dismissed.
pub async fn notices(state: &AppState, user: &User, now: DateTime<Utc>) -> Result<Vec<ExposedToken>> {
    Ok(state.store.exposed_tokens(user.id, now - NOTICE_FOR).await?)
}

/// The user has read the notice about their exposed token.
pub async fn dismiss(state: &AppState, user: &User, id: TokenId) -> Result<()> {
    if state.store.dismiss_exposure(user.id, id, state.clock.now()).await? {
        Ok(())
    } else {
        Err(Error::NotFound(
            "There is no such notice, or it was already dismissed.".into(),
        ))
    }
}

/// What "Which token is this?" found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    /// One of the user's working tokens; `old_value_until` when the value checked is the
    /// one its last rotation replaced, still working until then.
    Yours {
        token: Box<TokenRecord>,
        old_value_until: Option<DateTime<Utc>>,
    },
    /// One of the user's tokens that no longer works.
    YoursInactive { name: String, why: Inactive },
    /// Someone else's token, or no token at all: the same answer for both.
    NotYours,
}

/// Why a token of the user no longer works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inactive {
    Expired(DateTime<Utc>),
    Revoked(DateTime<Utc>),
    /// A value replaced by a rotation, after its grace period.
    Replaced,
}

/// Says whether `presented` is one of the user's tokens. A value that is not a token gets
/// the format's own words; at most `CHECKS_PER_MINUTE` checks a minute per user.
pub async fn check(state: &AppState, user: &User, presented: &str) -> Result<TokenCheck> {
    let now = state.clock.now();
    state
        .token_checks
        .take(user.id, now)
        .map_err(|retry_after_secs| Error::TooMany {
            what: "token checks",
            retry_after_secs,
        })?;
    let token = PlainToken::parse(presented.trim()).map_err(|e| Error::invalid("token", e.to_string()))?;
    let Some(found) = state.store.token_by_digest(&state.pepper.digest(&token)).await? else {
        return Ok(TokenCheck::NotYours);
    };
    let record = found.token;
    if record.user_id != user.id {
        return Ok(TokenCheck::NotYours);
    }
    let inactive = |why| TokenCheck::YoursInactive {
        name: record.name.clone(),
        why,
    };
    if let Some(at) = record.revoked_at {
        return Ok(inactive(Inactive::Revoked(at)));
    }
    let old_value_until = match (found.current.0, record.old_value_until(now)) {
        (true, _) => None,
        (false, Some(until)) => Some(until),
        (false, None) => return Ok(inactive(Inactive::Replaced)),
    };
    if let Some(at) = record.expires_at.filter(|at| *at <= now) {
        return Ok(inactive(Inactive::Expired(at)));
    }
    Ok(TokenCheck::Yours {
        token: Box::new(record),
        old_value_until,
    })
}
