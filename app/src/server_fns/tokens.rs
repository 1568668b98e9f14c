//! The API tokens section of Edit your profile. Callable with the session cookie only: a
//! token can never create or list tokens.

use leptos::prelude::*;

use super::views::{CreatedToken, TokenView};
use crate::error::AppError;

/// The signed-in user's tokens, newest first.
#[server(prefix = "/rpc", endpoint = "list_tokens")]
pub async fn list_tokens() -> Result<Vec<TokenView>, AppError> {
    use super::context as rpc;
    use crate::backend::{sessions, tokens};
    let state = rpc::state()?;
    let session = rpc::session().await?;
    let user = sessions::require_user(&state, &session).await?;
    let now = state.clock.now();
    Ok(tokens::list(&state, &user)
        .await?
        .into_iter()
        .map(|t| TokenView {
            entities: t.entities,
            observables: t.observables,
            ..view(t.token, now)
        })
        .collect())
}

/// Creates a token. `expiry` is `never`, `2`, `6`, `12`, `24` (months) or `exact` with
/// `expires_at` an RFC 3339 instant.
#[server(prefix = "/rpc", endpoint = "create_token")]
pub async fn create_token(name: String, expiry: String, expires_at: String) -> Result<CreatedToken, AppError> {
    use super::context as rpc;
    use crate::backend::{sessions, tokens};
    use crate::domain::ExpiryChoice;
    let state = rpc::state()?;
    let session = rpc::session().await?;
    let user = sessions::require_user(&state, &session).await?;
    let choice = ExpiryChoice::parse(&expiry, &expires_at).map_err(|e| AppError::invalid("expiry", e.0))?;
    let (record, secret) = tokens::create(&state, &user, &name, choice).await?;
    let now = state.clock.now();
    Ok(CreatedToken {
        token: view(record, now),
        secret: secret.expose().to_owned(),
    })
}

/// Revokes one of the signed-in user's tokens.
#[server(prefix = "/rpc", endpoint = "delete_token")]
pub async fn delete_token(id: i64) -> Result<(), AppError> {
    use super::context as rpc;
    use crate::backend::store::TokenId;
    use crate::backend::{sessions, tokens};
    let state = rpc::state()?;
    let session = rpc::session().await?;
    let user = sessions::require_user(&state, &session).await?;
    tokens::delete(&state, &user, TokenId(id)).await
}

#[cfg(feature = "ssr")]
fn view(t: crate::backend::store::TokenRecord, now: chrono::DateTime<chrono::Utc>) -> TokenView {
    TokenView {
        id: t.id.0,
        expired: t.expires_at.is_some_and(|e| e <= now),
        name: t.name,
        created_at: t.created_at,
        expires_at: t.expires_at,
        last_used_at: t.last_used_at,
        last_used_ip: t.last_used_ip,
        last_used_agent: t.last_used_agent,
        entities: 0,
        observables: 0,
    }
}
