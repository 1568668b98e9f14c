//! Responding to a leak from the profile: "Which token is this?", reporting a token found
//! somewhere as leaked, and dismissing the notice that one of yours was found exposed. The
//! token values sent here are never logged or stored.

use leptos::prelude::*;

use super::Secret;
use super::views::TokenCheckView;
use crate::error::AppError;

/// Says whether `token` is one of the signed-in user's tokens. At most 20 checks a minute.
#[server(prefix = "/rpc", endpoint = "check_token")]
pub async fn check_token(token: Secret) -> Result<TokenCheckView, AppError> {
    use super::views::{InactiveView, TokenView};
    use crate::backend::tokens::exposure::{self, Inactive, TokenCheck};
    let (state, user) = super::context::signed_in().await?;
    Ok(match exposure::check(&state, &user, token.expose()).await? {
        TokenCheck::Yours { token, old_value_until } => {
            let listed = state
                .store
                .listed_token(user.id, token.id)
                .await
                .map_err(crate::backend::Error::from)?;
            match listed {
                Some(listed) => TokenCheckView::Yours {
                    token: Box::new(TokenView::listed(listed, state.clock.now(), state.expiry_warning)),
                    old_value_until,
                },
                // Deleted in the meantime.
                None => TokenCheckView::YoursInactive {
                    name: token.name,
                    why: InactiveView::Deleted(state.clock.now()),
                },
            }
        }
        TokenCheck::YoursInactive { name, why } => TokenCheckView::YoursInactive {
            name,
            why: match why {
                Inactive::Expired(at) => InactiveView::Expired(at),
                Inactive::Revoked(at) => InactiveView::Deleted(at),
                Inactive::Replaced => InactiveView::Replaced,
            },
        },
        TokenCheck::NotYours => TokenCheckView::NotYours,
    })
}

/// Reports `token`, found somewhere it should not be, as leaked: if it is a working token,
/// it is revoked and its owner told. The answer is the same either way. Counts towards the
/// 20 checks a minute.
#[server(prefix = "/rpc", endpoint = "report_token")]
pub async fn report_token(token: Secret) -> Result<(), AppError> {
    use crate::backend::Error;
    use crate::backend::tokens::exposure;
    let (state, user) = super::context::signed_in().await?;
    state
        .token_checks
        .take(user.id, state.clock.now())
        .map_err(|retry_after_secs| Error::TooMany {
            what: "token checks",
            retry_after_secs,
        })?;
    let value = token.expose().trim();
    crate::domain::token_format::check(value).map_err(|e| AppError::invalid("token", e.to_string()))?;
    let origin = super::context::origin().await;
    exposure::report(&state, &[value.to_owned()], &origin, exposure::BY_PERSON).await?;
    Ok(())
}

/// Dismisses the notice that the user's token `id` was found exposed and revoked.
#[server(prefix = "/rpc", endpoint = "dismiss_exposure")]
pub async fn dismiss_exposure(id: i64) -> Result<(), AppError> {
    let (state, user) = super::context::signed_in().await?;
    Ok(crate::backend::tokens::exposure::dismiss(&state, &user, crate::backend::store::TokenId(id)).await?)
}
