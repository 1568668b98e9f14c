//! The API tokens section of Edit your profile. Callable with the session cookie only: a
//! token can never create or list tokens.

use leptos::prelude::*;

use super::views::{CreatedToken, TokenView};
use crate::error::AppError;

/// The signed-in user's tokens, newest first.
#[server(prefix = "/rpc", endpoint = "list_tokens")]
pub async fn list_tokens() -> Result<Vec<TokenView>, AppError> {
    let (state, user) = super::context::signed_in().await?;
    let tokens = crate::backend::tokens::list(&state, &user).await?;
    listed_with_usage(&state, &user, tokens).await
}

/// Listed tokens as the browser shows them, each with its requests per day.
#[cfg(feature = "ssr")]
pub(super) async fn listed_with_usage(
    state: &crate::backend::AppState,
    user: &crate::backend::store::User,
    tokens: Vec<crate::backend::store::TokenWithCounts>,
) -> Result<Vec<TokenView>, AppError> {
    let now = state.clock.now();
    let ids: Vec<_> = tokens.iter().map(|t| t.token.id).collect();
    let mut usage = crate::backend::tokens::usage(state, user, &ids).await?;
    Ok(tokens
        .into_iter()
        .map(|t| {
            let days = usage.remove(&t.token.id).unwrap_or_default();
            TokenView {
                usage: days
                    .into_iter()
                    .filter_map(|(day, c)| {
                        let date = chrono::DateTime::from_timestamp(day * 86_400, 0)?.date_naive();
                        Some(super::DayUsage {
                            day: date,
                            requests: c.requests,
                            refused: c.refused,
                        })
                    })
                    .collect(),
                ..TokenView::listed(t, now, state.expiry_warning)
            }
        })
        .collect())
}

/// A token's own source as the form sends it: empty for the profile default, else a group id.
#[cfg(feature = "ssr")]
fn parse_source(source: &str) -> Result<Option<crate::backend::store::GroupId>, AppError> {
    if source.is_empty() {
        return Ok(None);
    }
    source
        .parse()
        .map(|id| Some(crate::backend::store::GroupId(id)))
        .map_err(|_| AppError::invalid("source", "Choose one of your groups as the token's source."))
}

/// Creates a token; a sensitive action, so `ReauthRequired` when the password was last
/// entered more than an hour ago. `expiry` is `never`, `2`, `6`, `12`, `24` (months) or
/// `exact` with `expires_at` an RFC 3339 instant; `access` is `read` or `read_write`;
/// `description` may be empty; `source` is empty (the profile default) or one of the user's
/// group ids.
#[server(prefix = "/rpc", endpoint = "create_token")]
pub async fn create_token(
    name: String,
    expiry: String,
    expires_at: String,
    access: String,
    description: String,
    source: String,
) -> Result<CreatedToken, AppError> {
    use crate::backend::tokens::TokenRequest;
    use crate::domain::{ExpiryChoice, TokenAccess};
    let (state, user) = super::context::signed_in_sudo().await?;
    let expiry = ExpiryChoice::parse(&expiry, &expires_at).map_err(|e| AppError::invalid("expiry", e.0))?;
    let access = TokenAccess::parse(&access).map_err(|e| AppError::invalid("access", e.0))?;
    let request = TokenRequest {
        name: &name,
        description: &description,
        expiry,
        access,
        source: parse_source(&source)?,
    };
    let origin = super::context::origin().await;
    let (record, secret) = crate::backend::tokens::create(&state, &user, request, &origin).await?;
    Ok(CreatedToken {
        token: TokenView::listed(record, state.clock.now(), state.expiry_warning),
        secret: secret.expose().to_owned(),
        old_value_until: None,
    })
}

/// Gives one of the signed-in user's tokens a new value; a sensitive action, like creating
/// one. `grace` is `0`, `1h`, `24h` or `7d` (how long the replaced value keeps working);
/// `expiry` is `same` (as long as the replaced value lasted) or one of the create form's
/// choices, with `expires_at` for `exact`.
#[server(prefix = "/rpc", endpoint = "rotate_token")]
pub async fn rotate_token(
    id: i64,
    grace: String,
    expiry: String,
    expires_at: String,
) -> Result<CreatedToken, AppError> {
    use crate::backend::store::TokenId;
    use crate::backend::tokens::RotationRequest;
    use crate::domain::{Grace, NewExpiry};
    let (state, user) = super::context::signed_in_sudo().await?;
    let request = RotationRequest {
        grace: Grace::parse(&grace).map_err(|e| AppError::invalid("grace", e.0))?,
        expiry: NewExpiry::parse(&expiry, &expires_at).map_err(|e| AppError::invalid("expiry", e.0))?,
    };
    let origin = super::context::origin().await;
    let rotated = crate::backend::tokens::rotate(&state, &user, TokenId(id), request, &origin).await?;
    Ok(CreatedToken {
        token: TokenView::listed(rotated.token, state.clock.now(), state.expiry_warning),
        secret: rotated.secret.expose().to_owned(),
        old_value_until: Some(rotated.old_value_until),
    })
}

/// Renames one of the signed-in user's tokens and sets its description (empty for none) and
/// source (empty for the profile default).
#[server(prefix = "/rpc", endpoint = "edit_token")]
pub async fn edit_token(id: i64, name: String, description: String, source: String) -> Result<TokenView, AppError> {
    use crate::backend::store::TokenId;
    use crate::backend::tokens::TokenChanges;
    let (state, user) = super::context::signed_in().await?;
    let changes = TokenChanges {
        name: &name,
        description: &description,
        source: parse_source(&source)?,
    };
    let origin = super::context::origin().await;
    let edited = crate::backend::tokens::edit(&state, &user, TokenId(id), changes, &origin).await?;
    let mut views = listed_with_usage(&state, &user, vec![edited]).await?;
    views.pop().ok_or(AppError::Internal)
}

/// Revokes one of the signed-in user's tokens.
#[server(prefix = "/rpc", endpoint = "delete_token")]
pub async fn delete_token(id: i64) -> Result<(), AppError> {
    use crate::backend::store::TokenId;
    let (state, user) = super::context::signed_in().await?;
    let origin = super::context::origin().await;
    Ok(crate::backend::tokens::revoke(&state, &user, TokenId(id), &origin).await?)
}
