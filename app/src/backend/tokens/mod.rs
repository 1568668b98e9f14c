//! API tokens: format, pepper and digest, and the operations the server functions call.

pub mod last_used;
pub mod pepper;
pub mod plain;
pub mod verify;

pub use pepper::{Pepper, TokenDigest};
pub use plain::{FormatError, PlainToken};

use super::AppState;
use chrono::SubsecRound as _;

use super::store::{NewToken, StoreError, TokenId, TokenRecord, TokenWithCounts, User};
use crate::domain::{ExpiryChoice, TokenName};
use crate::error::AppError;
use crate::server_fns::context::internal;

/// At most this many active (unrevoked, unexpired) tokens per user.
pub const MAX_ACTIVE_TOKENS: i64 = 500;

/// Creates a token for `user`. The plaintext is returned once, here, and never stored.
pub async fn create(
    state: &AppState,
    user: &User,
    name: &str,
    expiry: ExpiryChoice,
) -> Result<(TokenRecord, PlainToken), AppError> {
    let name = TokenName::parse(name).map_err(|e| AppError::invalid("name", e.0))?;
    let now = state.clock.now();
    let expires_at = expiry
        .expires_at(now)
        .map_err(|e| AppError::invalid("expiry", e.0))?
        .map(|t| t.trunc_subsecs(3));
    let token = PlainToken::generate();
    let digest = state.pepper.digest(&token);
    let new = NewToken {
        user_id: user.id,
        name: &name,
        digest: &digest,
        created_at: now,
        expires_at,
    };
    let id = match state.store.insert_token(&new, MAX_ACTIVE_TOKENS).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            return Err(AppError::Conflict {
                field: "name".into(),
                message: format!(
                    "You already have {MAX_ACTIVE_TOKENS} active API tokens, the most allowed. Delete tokens you no longer use, then try again."
                ),
            });
        }
        Err(StoreError::Duplicate) => {
            return Err(AppError::Conflict {
                field: "name".into(),
                message: format!("You already have a token named \"{name}\". Choose another name."),
            });
        }
        Err(e) => return Err(internal(e)),
    };
    tracing::info!(user_id = user.id.0, token_id = id.0, "created an API token");
    let record = TokenRecord {
        id,
        user_id: user.id,
        name: name.to_string(),
        created_at: now,
        expires_at,
        last_used_at: None,
        revoked_at: None,
        last_used_ip: None,
        last_used_agent: None,
    };
    Ok((record, token))
}

/// The user's listed tokens, newest first.
pub async fn list(state: &AppState, user: &User) -> Result<Vec<TokenWithCounts>, AppError> {
    state.store.tokens_of(user.id).await.map_err(internal)
}

/// Revokes one of the user's tokens at once. Someone else's token and a missing one get the
/// same answer.
pub async fn delete(state: &AppState, user: &User, id: TokenId) -> Result<(), AppError> {
    if state
        .store
        .revoke_token(user.id, id, state.clock.now())
        .await
        .map_err(internal)?
    {
        state.verifier.evict_token(id);
        tracing::info!(user_id = user.id.0, token_id = id.0, "revoked an API token");
        Ok(())
    } else {
        Err(AppError::NotFound(
            "This token does not exist or was already deleted.".into(),
        ))
    }
}
