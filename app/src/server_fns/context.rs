//! What every server function body starts from: the application state the server provided,
//! this request's session and client address, and the conversion of backend errors into the
//! error the browser reads.

use std::net::{IpAddr, Ipv4Addr};

use axum::Extension;
use tower_sessions::Session;

use crate::backend::store::User;
use crate::backend::{self, AppState, ClientAddr, sessions};
use crate::error::AppError;

/// Every backend error has one answer for the browser; an internal one is logged here and
/// reaches the browser only as "something went wrong".
impl From<backend::Error> for AppError {
    fn from(error: backend::Error) -> Self {
        use backend::Error as E;
        if error.log_if_internal("server function") {
            return Self::Internal;
        }
        match error {
            E::Invalid { field, message } => Self::invalid(field, message),
            E::Conflict { field, message } => Self::Conflict {
                field: field.to_owned(),
                message,
            },
            E::NotFound(message) => Self::NotFound(message),
            E::Unauthenticated | E::InvalidToken => Self::Unauthenticated,
            E::BadCredentials => Self::BadCredentials,
            E::InsufficientScope | E::NotAdmin => Self::Forbidden,
            E::ReauthRequired => Self::ReauthRequired,
            E::Throttled { retry_after_secs } => Self::Throttled { retry_after_secs },
            ref too_fast @ (E::TooFast { retry_after_secs, .. } | E::TooMany { retry_after_secs, .. }) => {
                Self::TooFast {
                    message: too_fast.to_string(),
                    retry_after_secs,
                }
            }
            ref unavailable @ E::TokenSourceUnavailable { .. } => Self::Conflict {
                field: "source".to_owned(),
                message: unavailable.to_string(),
            },
            E::AlreadyRotated(message) => Self::Conflict {
                field: "rotation".to_owned(),
                message,
            },
            E::NoSource | E::Internal(_) => Self::Internal,
        }
    }
}

/// The application state the server provided to server functions.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        backend::Error::Internal(anyhow::anyhow!("AppState was not provided to server functions")).into()
    })
}

/// This request's session.
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| backend::Error::Internal(anyhow::anyhow!("no session layer: {e}")).into())
}

/// The state and the signed-in user, or `Unauthenticated`.
pub async fn signed_in() -> Result<(AppState, User), AppError> {
    let state = state()?;
    let user = sessions::require_user(&state, &session().await?).await?;
    Ok((state, user))
}

/// The state and the signed-in user, for a sensitive action: also `ReauthRequired` unless
/// the password was entered in this session within the last hour (`sessions::SUDO_WINDOW`).
pub async fn signed_in_sudo() -> Result<(AppState, User), AppError> {
    let state = state()?;
    let session = session().await?;
    let user = sessions::require_user(&state, &session).await?;
    sessions::require_recent_password(&state, &session).await?;
    Ok((state, user))
}

/// The state and the signed-in administrator, for reading the admin area; `Forbidden` for
/// anyone else.
pub async fn admin() -> Result<(AppState, User), AppError> {
    let (state, user) = signed_in().await?;
    backend::admin::require_admin(&user)?;
    Ok((state, user))
}

/// Like `admin`, for an admin action: also `ReauthRequired` unless the password was entered
/// within the last hour. Someone who is no administrator is refused before being asked.
pub async fn admin_sudo() -> Result<(AppState, User), AppError> {
    let state = state()?;
    let session = session().await?;
    let user = sessions::require_user(&state, &session).await?;
    backend::admin::require_admin(&user)?;
    sessions::require_recent_password(&state, &session).await?;
    Ok((state, user))
}

/// This request's client address (unspecified when the server could not tell).
pub async fn client_addr() -> IpAddr {
    leptos_axum::extract::<Extension<ClientAddr>>()
        .await
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |Extension(ClientAddr(ip))| ip)
}

/// Where this request came from: its client address and user agent, for the security log.
pub async fn origin() -> backend::security_log::Origin {
    let agent = leptos_axum::extract::<http::HeaderMap>()
        .await
        .ok()
        .and_then(|headers| headers.get(http::header::USER_AGENT).map(|v| v.as_bytes().to_vec()));
    backend::security_log::Origin::new(Some(client_addr().await), agent.as_deref())
}
